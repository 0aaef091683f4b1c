/*
 * Readers during a crawl.
 *
 * R-CR-7: `discover --format json` in a loop while a crawl writes and
 * re-ranks never fails and always prints a whole ranking: valid JSON,
 * ranks 1..n in order, and n either the limit or the full list of the
 * ranking it read (the one before the crawl's rank or the one after; with
 * --limit 1000 the whole list must be one of the two, never a mix or a
 * cut).  The sample web is served with latency so the crawl does real
 * work for a couple of seconds; the ranking it replaces comes from a
 * crawl of a third of the subscriptions.
 *
 * R-CR-5 at the binary level: `discover` processes killed with SIGKILL
 * while they hold a read snapshot leave stale reader slots; 200 of them
 * (more than LMDB's 126 slots) must not stop the next command.
 */
#include <jansson.h>

#include "tests/harden/harness.h"

static struct hx h;
static const char conf[] = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

static void
setup(void)
{
	hx_start(&h, "readers", 60, conf);
}

static void
teardown(void)
{
	hx_stop(&h);
}

TestSuite(harden_readers, .init = setup, .fini = teardown, .timeout = 120);

/* Candidates of a discover --format json answer, or -1 (with why). */
static long
candidates(const char *json, char *why, size_t n)
{
	json_error_t je;
	json_t *o = json_loads(json, 0, &je), *c;
	long count;

	if (!o) {
		snprintf(why, n, "not JSON: %s", je.text);
		return -1;
	}
	c = json_object_get(o, "candidates");
	if (!json_is_array(c) || !json_is_string(json_object_get(o,
								 "topic"))) {
		snprintf(why, n, "no topic or candidates");
		json_decref(o);
		return -1;
	}
	count = (long)json_array_size(c);
	for (size_t i = 0; i < json_array_size(c); i++) {
		json_t *rank = json_object_get(json_array_get(c, i), "rank");

		if (json_integer_value(rank) != (json_int_t)i + 1) {
			snprintf(why, n, "candidate %zu has rank %lld", i,
				 (long long)json_integer_value(rank));
			count = -1;
			break;
		}
	}
	json_decref(o);
	return count;
}

static long
discover(const char *db, const char *limit, char *why, size_t n,
	 double *secs)
{
	const char *args[] = { "discover", "--topic", "hr", "--limit", limit,
			       "--format", "json", NULL };
	double t0 = hx_now();
	struct ms_test_run r = hx_run(&h, db, args);
	long c;

	*secs = hx_now() - t0;
	if (r.status != 0) {
		snprintf(why, n, "exit %d: %s", r.status, r.err);
		ms_test_run_free(&r);
		return -1;
	}
	c = candidates(r.out, why, n);
	ms_test_run_free(&r);
	return c;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

Test(harden_readers, r_cr_7_discover_during_crawl_is_always_whole)
{
	char db[4300], why[512];
	const char *crawl[] = { "crawl", NULL };
	char path[4300], *list;
	const char *add[15];
	int nfeeds = 0;
	enum { MAXRUNS = 4000 };
	static double lat[MAXRUNS];
	static long lists[MAXRUNS];
	double secs;
	long before, after, c;
	size_t runs = 0, full = 0, saw_before = 0, saw_after = 0;
	pid_t pid;
	int st;

	snprintf(db, sizeof(db), "%s/db", h.tmp);
	snprintf(path, sizeof(path), "%s/feeds.txt", h.web);
	ms_test_rmrf(db);
	hx_ok(&h, db, (const char *[]){ "init", NULL });
	/* The first ranking from a third of the subscriptions; the crawl
	 * under test adds the rest, so it has work to do and a new
	 * ranking to switch to. */
	list = ms_test_read_file(path, NULL);
	cr_assert_not_null(list, "%s", path);
	add[0] = "feeds";
	add[1] = "add";
	for (char *line = strtok(list, "\n"); line && nfeeds < 12;
	     line = strtok(NULL, "\n"))
		add[2 + nfeeds++] = line;
	add[2 + nfeeds] = NULL;
	hx_ok(&h, db, add);
	free(list);
	hx_ok(&h, db, crawl);
	before = discover(db, "1000", why, sizeof(why), &secs);
	cr_assert_gt(before, 5, "a first ranking of %ld: %s", before, why);
	hx_ok(&h, db, (const char *[]){ "feeds", "import", h.opml, NULL });

	ms_fixture_set_latency(h.fx, 40);
	pid = hx_spawn(&h, db, crawl, NULL);
	while (runs < MAXRUNS) {
		int done = waitpid(pid, &st, WNOHANG) == pid;
		int whole = runs % 2;

		c = discover(db, whole ? "1000" : "5", why, sizeof(why),
			     &secs);
		lat[runs++] = secs;
		cr_assert_geq(c, 0, "discover %zu during the crawl: %s", runs,
			      why);
		if (whole)
			lists[full++] = c;
		else
			cr_assert_eq(c, 5, "--limit 5 gave %ld", c);
		if (done)
			break;
	}
	cr_assert_lt(runs, MAXRUNS, "the crawl did not end");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the crawl failed");
	after = discover(db, "1000", why, sizeof(why), &secs);
	cr_assert_gt(after, 0, "%s", why);
	cr_expect_neq(after, before, "the crawl changed the ranking");
	/* Every full list was one whole ranking, the old or the new. */
	for (size_t i = 0; i < full; i++) {
		cr_expect(lists[i] == before || lists[i] == after, "full "
			  "list %zu has %ld candidates; the rankings have %ld "
			  "and %ld", i, lists[i], before, after);
		saw_before += lists[i] == before;
		saw_after += lists[i] == after;
	}
	qsort(lat, runs, sizeof(double), dcmp);
	cr_log_info("R-CR-7: %zu discovers during the crawl (%zu full lists: "
		    "%zu of the old ranking of %ld, %zu of the new of %ld); "
		    "latency median %.0f ms, p99 %.0f ms, max %.0f ms", runs,
		    full, saw_before, before, saw_after, after,
		    lat[runs / 2] * 1000, lat[(size_t)(runs * 0.99)] * 1000,
		    lat[runs - 1] * 1000);
	cr_expect_geq(runs, 10, "only %zu discovers ran during the crawl",
		      runs);
}

/*
 * A process that keeps the store open until its pipe closes: while any
 * process has the environment open, LMDB does not reset the reader table
 * at the next open, so a dead reader's slot stays until
 * mdb_reader_check() clears it (the situation of a crawl running while
 * discover processes are killed).
 */
static pid_t
hold_open(const char *db, int *quit)
{
	int ready[2], q[2];
	pid_t pid;
	char c;

	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(q), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct ms_store *st;

		close(ready[0]);
		close(q[1]);
		if (ms_store_open(db, MS_STORE_RDONLY, 0, &st, NULL) ||
		    write(ready[1], "x", 1) != 1)
			_exit(1);
		while (read(q[0], &c, 1) > 0)
			;
		ms_store_close(st);
		_exit(0);
	}
	close(ready[1]);
	close(q[0]);
	cr_assert_eq(read(ready[0], &c, 1), 1, "the holder did not open");
	close(ready[0]);
	*quit = q[1];
	return pid;
}

/*
 * R-CR-5: a `discover` killed inside its read snapshot leaves a stale
 * reader slot; the next open clears it (mdb_reader_check) and the next
 * command works.  A catastrophic --match pattern keeps discover in its
 * snapshot (matching every post, each match bounded by PCRE2's limits)
 * long enough for the kill to land there.
 */
Test(harden_readers, r_cr_5_killed_reader_slots_are_cleared)
{
	char db[4300], why[512];
	const char *slow[] = { "discover", "--match", "(\\w+\\s?)+$x",
			       "--limit", "3", NULL };
	const char *crawl[] = { "crawl", NULL };
	unsigned cleared = 0, kills = 12;
	double secs;

	int quit;
	pid_t holder;

	snprintf(db, sizeof(db), "%s/db", h.tmp);
	hx_new_store(&h, db);
	hx_ok(&h, db, crawl);
	holder = hold_open(db, &quit);
	for (unsigned i = 0; i < kills; i++) {
		struct ms_store *st;
		struct ms_err err = { 0 };
		pid_t pid = hx_spawn(&h, db, slow, NULL);

		usleep(120000);
		kill(pid, SIGKILL);
		cr_assert_eq(hx_wait(pid), 128 + SIGKILL, "discover --match "
			     "ended before 120 ms: the kill missed it");
		cr_assert_eq(ms_store_open(db, MS_STORE_RDONLY, 0, &st, &err),
			     MS_OK, "%s", err.msg);
		cleared += ms_store_readers_cleared(st);
		ms_store_close(st);
		cr_assert_gt(discover(db, "5", why, sizeof(why), &secs), 0,
			     "discover after kill %u: %s", i, why);
	}
	close(quit);
	cr_expect_eq(hx_wait(holder), 0);
	cr_log_info("R-CR-5: %u discovers killed in their snapshot, %u stale "
		    "reader slots cleared by the next open", kills, cleared);
	cr_expect_geq(cleared, kills / 2, "only %u of %u kills left a slot "
		      "to clear", cleared, kills);
}
