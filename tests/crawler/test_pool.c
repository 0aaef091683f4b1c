/*
 * Tests for crawler/pool.c, the analysis threads: every body put in comes
 * back parsed and matched exactly as the loop's own thread would have
 * done it (whether a thread or the caller ran it), the wake-up is called
 * for what the threads finish, and a stopped pool leaves the jobs no
 * thread started to the caller, in order.  The bodies are the feed
 * fixtures (WordPress RSS 2.0, a German post) and a page that is no feed.
 */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/analyzer.h"
#include "config/config.h"
#include "crawler/internal.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

static struct ms_config *cfg;

static void
setup(void)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_config_defaults(&cfg, &err), MS_OK, "%s", err.msg);
}

static void
teardown(void)
{
	ms_config_free(cfg);
}

TestSuite(crawler_pool, .init = setup, .fini = teardown, .timeout = 60);

static const char *const bodies[] = {
	"feeds/wordpress_rss2.xml",
	"feeds/german_post.xml",
	NULL,	/* not a feed: plain text, which the parser refuses */
};
#define NBODIES (sizeof(bodies) / sizeof(*bodies))
#define NOT_A_FEED "Just some words, no markup at all.\n"

static char *
body(size_t i, size_t *len)
{
	char *path, *data;

	if (!bodies[i]) {
		*len = strlen(NOT_A_FEED);
		return strdup(NOT_A_FEED);
	}
	path = ms_test_fixture(bodies[i]);
	data = ms_test_read_file(path, len);
	cr_assert_not_null(data, "cannot read %s", path);
	free(path);
	return data;
}

struct tjob {
	struct job job;	/* first, as the loop embeds it */
	size_t which;	/* index into bodies */
	int seq;
};

static struct tjob *
tjob_new(size_t which, int seq)
{
	struct tjob *t = calloc(1, sizeof(*t));

	cr_assert_not_null(t);
	t->which = which;
	t->seq = seq;
	t->job.body = body(which, &t->job.len);
	t->job.url = strdup("https://lenafischer.example/feed/");
	t->job.ctype = which == 2 ? strdup("text/plain")
				  : strdup("application/rss+xml");
	t->job.max_size = 8u << 20;
	t->job.tax = &cfg->taxonomy;
	return t;
}

/* The same body analysed here, the way the loop did before the pool. */
static void
expect_same_as_inline(const struct tjob *t)
{
	struct ms_parse_opts po = { 0 };
	struct ms_doc *doc = NULL;
	struct ms_err err = { 0 };
	size_t len;
	char *data = body(t->which, &len);
	int rc;

	po.url = t->job.url;
	po.content_type = t->job.ctype;
	po.max_size = t->job.max_size;
	rc = ms_doc_parse(data, len, &po, &doc, &err);
	cr_expect_eq(t->job.rc, rc, "job %d: rc %d, inline %d", t->seq,
		     t->job.rc, rc);
	cr_expect_null(t->job.body, "job %d: body kept after the run", t->seq);
	if (rc) {
		cr_expect_null(t->job.doc);
		cr_expect_str_eq(t->job.err.msg, err.msg);
		free(data);
		return;
	}
	ms_doc_topics(doc, &cfg->taxonomy);
	cr_assert_not_null(t->job.doc, "job %d: no document", t->seq);
	cr_assert_eq(t->job.doc->nentries, doc->nentries);
	for (size_t i = 0; i < doc->nentries; i++) {
		const struct ms_entry *a = &t->job.doc->entries[i];
		const struct ms_entry *b = &doc->entries[i];

		cr_expect_str_eq(a->link, b->link);
		cr_assert_eq(a->ntopics, b->ntopics, "job %d entry %zu",
			     t->seq, i);
		for (size_t k = 0; k < b->ntopics; k++) {
			cr_expect_str_eq(a->topics[k].topic, b->topics[k].topic);
			cr_expect_eq(a->topics[k].weight, b->topics[k].weight);
		}
	}
	ms_doc_free(doc);
	free(data);
}

static atomic_int wakes;

static void
count_wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
}

Test(crawler_pool, every_job_comes_back_analysed_as_inline)
{
	enum { N = 60 };
	struct pool *p = pool_new(2, count_wake, NULL);
	struct tjob *back[N] = { 0 };
	int nback = 0, by_threads = 0, matched = 0;

	atomic_store(&wakes, 0);
	for (int i = 0; i < N; i++)
		pool_put(p, &tjob_new((size_t)i % NBODIES, i)->job);
	while (nback < N) {
		struct job *j = pool_done(p);

		if (j) {
			by_threads++;
		} else if ((j = pool_steal(p, 4))) {
			job_run(j);	/* the caller helps, as the loop does */
		} else {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
			continue;
		}
		cr_assert_null(back[((struct tjob *)j)->seq], "job %d twice",
			       ((struct tjob *)j)->seq);
		back[((struct tjob *)j)->seq] = (struct tjob *)j;
		nback++;
	}
	cr_expect_eq(pool_out(p), 0);
	cr_expect_gt(by_threads, 0, "the threads ran nothing");
	cr_expect_geq(atomic_load(&wakes), by_threads, "%d wake-ups for %d "
		      "jobs the threads finished", atomic_load(&wakes),
		      by_threads);
	for (int i = 0; i < N; i++) {
		expect_same_as_inline(back[i]);
		matched += back[i]->job.doc && back[i]->job.doc->nentries &&
			   back[i]->job.doc->entries[0].ntopics > 0;
		job_release(&back[i]->job);
		free(back[i]);
	}
	cr_expect_gt(matched, N / 3, "too few documents with topics to mean "
		     "anything");
	pool_free(p);
}

Test(crawler_pool, a_stopped_pool_leaves_unstarted_jobs_in_order)
{
	struct pool *p = pool_new(0, count_wake, NULL);	/* no thread */
	struct job *j;
	int next = 0;

	for (int i = 0; i < 5; i++)
		pool_put(p, &tjob_new(0, i)->job);
	cr_expect_eq(pool_out(p), 5);
	pool_stop(p);
	cr_expect_null(pool_done(p), "nothing ran, nothing is done");
	cr_expect_null(pool_steal(p, 6), "only 5 wait");
	while ((j = pool_steal(p, 1))) {
		struct tjob *t = (struct tjob *)j;

		cr_expect_eq(t->seq, next, "job %d came back as %d", next,
			     t->seq);
		cr_expect_not_null(t->job.body, "a job nobody ran has its "
				   "body");
		cr_expect_null(t->job.doc);
		next++;
		job_release(&t->job);
		free(t);
	}
	cr_expect_eq(next, 5);
	cr_expect_eq(pool_out(p), 0);
	pool_free(p);
}
