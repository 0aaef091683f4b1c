/*
 * R-CR-2: SIGTERM in the middle of a crawl stops it cleanly.  The sample
 * web is served with 150 ms of latency per answer, so the crawl takes
 * seconds; once it has committed something it gets SIGTERM and must exit
 * within 10 s with status 1 ("crawl interrupted; what was fetched is
 * stored"), its last batch committed (every feed it counted as analysed
 * has its digest in the store, and the stopped crawl is in the crawl
 * log), the store verifies, and the crawl lock is free: the next crawl
 * runs to the end and gives the entries of an uninterrupted crawl.
 */
#include "tests/harden/harness.h"

static struct hx h;
static const char conf[] = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

static void
setup(void)
{
	hx_start(&h, "sigterm", 60, conf);
}

static void
teardown(void)
{
	hx_stop(&h);
}

TestSuite(harden_sigterm, .init = setup, .fini = teardown, .timeout = 90);

static int
count_digest(const struct ms_hash *k, const struct ms_feed_rec *r, void *ctx)
{
	(void)k;
	if (!ms_hash_is_zero(&r->digest))
		++*(size_t *)ctx;
	return 0;
}

static int
count_crawl(const struct ms_crawl_rec *r, void *ctx)
{
	char **summary = ctx;

	free(*summary);
	*summary = strdup(r->summary ? r->summary : "");
	return 0;
}

/* Feeds with a digest, and the newest crawl's summary (malloc'd). */
static size_t
analysed(const char *db, char **summary)
{
	struct ms_store *st;
	struct ms_rtxn *t;
	struct ms_err err = { 0 };
	size_t n = 0;

	*summary = NULL;
	cr_assert_eq(ms_store_open(db, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_each_feed(t, count_digest, &n, &err), MS_OK);
	cr_assert_eq(ms_store_each_crawl(t, count_crawl, summary, &err),
		     MS_OK);
	ms_store_read_end(t);
	ms_store_close(st);
	return n;
}

Test(harden_sigterm, r_cr_2_sigterm_stops_within_10_s_with_batch_and_lock)
{
	char ref[4300], db[4300], log[4300], *out, *summary = NULL, *p;
	const char *crawl[] = { "crawl", NULL };
	struct ms_verify_report want, r;
	unsigned ok = 0;
	double t0, took;
	size_t n;
	pid_t pid;
	int st;

	snprintf(ref, sizeof(ref), "%s/ref", h.tmp);
	snprintf(db, sizeof(db), "%s/db", h.tmp);
	snprintf(log, sizeof(log), "%s/crawl.log", h.tmp);
	hx_new_store(&h, ref);
	hx_ok(&h, ref, crawl);
	want = hx_verify(ref);

	hx_new_store(&h, db);
	ms_fixture_set_latency(h.fx, 150);
	pid = hx_spawn(&h, db, crawl, log);
	/* Wait for the first commit, so the stop is truly mid-crawl. */
	t0 = hx_now();
	do {
		usleep(100000);
		r = hx_verify(db);
	} while (r.posts == 0 && hx_now() - t0 < 20);
	cr_assert_gt(r.posts, 0, "nothing committed after 20 s");
	kill(pid, SIGTERM);
	t0 = hx_now();
	st = hx_wait(pid);
	took = hx_now() - t0;
	out = ms_test_read_file(log, NULL);
	cr_assert_not_null(out);
	cr_log_info("R-CR-2: SIGTERM to exit %.2f s; %s", took, out);
	cr_expect_lt(took, 10.0, "took %.1f s to stop", took);
	cr_expect_eq(st, 1, "exit status %d: %s", st, out);
	cr_expect(strstr(out, "crawl interrupted"), "%s", out);
	p = strstr(out, "crawl stopped");
	cr_assert_not_null(p, "no summary of a stopped crawl: %s", out);
	p = strstr(p, "fetched (");
	cr_assert_not_null(p, "%s", out);
	cr_assert_eq(sscanf(p, "fetched (%u new or changed", &ok), 1, "%s",
		     p);
	free(out);

	/* The last batch: every body it analysed is stored with its digest,
	 * and the stopped crawl is in the log. */
	r = hx_verify(db);
	hx_expect_healthy(&r, "after SIGTERM");
	cr_expect_lt(r.posts, want.posts, "the crawl was not cut short");
	n = analysed(db, &summary);
	cr_expect_eq(n, ok, "%zu feeds have a digest; the crawl analysed %u",
		     n, ok);
	cr_assert_not_null(summary, "no crawl record");
	cr_expect(!strncmp(summary, "crawl stopped", 13), "%s", summary);
	free(summary);

	/* The lock went with the process: a second crawl runs. */
	ms_fixture_set_latency(h.fx, 0);
	hx_ok(&h, db, crawl);
	r = hx_verify(db);
	hx_expect_healthy(&r, "after the second crawl");
	cr_expect(hx_same_entries(&r, &want), "%zu posts and %zu comments, "
		  "the reference %zu and %zu", r.posts, r.comments,
		  want.posts, want.comments);
}
