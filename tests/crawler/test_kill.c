/*
 * The crawler's kill -9 test (crawler issue #4, R-CR-1 in small): a
 * fixture web of 500 feeds is crawled once without interruption into a
 * reference store; another store's crawl is killed with SIGKILL part-way,
 * then crawled again.  The second store must hold exactly the reference's
 * posts (no loss, no duplicates) and every feed's validators must come
 * with its posts.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/server/fixture.h"
#include "util/err.h"
#include "util/xmalloc.h"

static char *tmp, cfgpath[4200], web[4200];
static struct ms_fixture *fx;

static void
run_ok(const char *db, const char *a, const char *b, const char *c)
{
	const char *argv[] = { "--config", cfgpath, "--db", db, a, b, c,
			       NULL };
	struct ms_test_run r;

	cr_assert_eq(ms_test_run(&r, NULL, argv), 0);
	cr_assert_eq(r.status, 0, "%s %s: %s", a, b ? b : "", r.err);
	ms_test_run_free(&r);
}

static void
setup(void)
{
	struct ms_err err = { 0 };
	const char *build = getenv("MS_BUILD");
	char cmd[9000], port[16];
	const char *conf = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true, \"jobs\": 16}}\n";

	tmp = ms_test_tmpdir("kill");
	cr_assert_eq(ms_fixture_start(NULL, &fx, &err), MS_OK, "%s", err.msg);
	snprintf(web, sizeof(web), "%s/web", tmp);
	snprintf(port, sizeof(port), "%u", ms_fixture_port(fx));
	snprintf(cmd, sizeof(cmd), "%s/bench/gen_feeds --out %s --port %s "
		 "--feeds 500 --hosts 50 --items 10", build ? build : "build",
		 web, port);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_eq(ms_fixture_serve_dir(fx, web, 0, &err), MS_OK, "%s",
		     err.msg);
	snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", tmp);
	ms_test_write_file(cfgpath, conf, strlen(conf));
}

static void
teardown(void)
{
	ms_fixture_stop(fx);
	ms_test_rmrf(tmp);
	free(tmp);
}

struct snapshot {
	char **urls;
	size_t n, cap;
	size_t feeds_with_etag, feeds_etag_without_posts;
};

static int
post_url(const struct ms_hash *k, const struct ms_post_rec *r, void *ctx)
{
	struct snapshot *s = ctx;

	(void)k;
	MS_GROW(s->urls, s->n + 1, s->cap);
	s->urls[s->n++] = ms_xasprintf("%s|%s", r->url ? r->url : r->id,
				       r->title ? r->title : "");
	return 0;
}

struct feedcheck {
	struct snapshot *s;
	struct ms_rtxn *t;
};

static int
has_post_of(const struct ms_hash *k, const struct ms_post_rec *r, void *ctx)
{
	(void)k;
	return !memcmp(&r->feed, ctx, sizeof(struct ms_hash)) ? 1 : 0;
}

static int
feed_check(const struct ms_hash *k, const struct ms_feed_rec *r, void *ctx)
{
	struct feedcheck *fc = ctx;

	if (!r->etag || r->kind != MS_FEED_USER)
		return 0;
	fc->s->feeds_with_etag++;
	/* RELIABILITY §4.6: validators only with the posts of that body */
	if (ms_store_each_post(fc->t, has_post_of, (void *)k, NULL) != 1)
		fc->s->feeds_etag_without_posts++;
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct snapshot
snap(const char *db)
{
	struct snapshot s = { 0 };
	struct feedcheck fc = { &s, NULL };
	struct ms_store *st;
	struct ms_rtxn *t;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_open(db, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK);
	cr_assert_eq(ms_store_each_post(t, post_url, &s, &err), MS_OK, "%s",
		     err.msg);
	fc.t = t;
	cr_assert_eq(ms_store_each_feed(t, feed_check, &fc, &err), MS_OK,
		     "%s", err.msg);
	ms_store_read_end(t);
	ms_store_close(st);
	if (s.n)
		qsort(s.urls, s.n, sizeof(*s.urls), cmp);
	return s;
}

static void
snap_free(struct snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->urls[i]);
	free(s->urls);
}

TestSuite(crawler_kill, .init = setup, .fini = teardown);

Test(crawler_kill, killed_crawl_resumes_to_the_same_store)
{
	char ref[4300], db[4300], opml[4300];
	const char *bin = getenv("MS_BIN");
	struct snapshot a, b;
	pid_t pid;
	int st;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(db, sizeof(db), "%s/db", tmp);
	snprintf(opml, sizeof(opml), "%s/urls.opml", web);
	run_ok(ref, "init", NULL, NULL);
	run_ok(ref, "feeds", "import", opml);
	run_ok(ref, "crawl", "--no-rank", NULL);
	a = snap(ref);
	cr_assert_eq(a.n, 5000, "reference has %zu posts", a.n);

	run_ok(db, "init", NULL, NULL);
	run_ok(db, "feeds", "import", opml);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", 1);

		dup2(devnull, 1);
		dup2(devnull, 2);
		execl(bin ? bin : "build/mentorscout", "mentorscout",
		      "--config", cfgpath, "--db", db, "crawl", "--no-rank",
		      (char *)NULL);
		_exit(127);
	}
	/* Kill once it has committed something but is not done. */
	for (int i = 0; i < 400; i++) {
		struct snapshot mid;

		usleep(5000);
		mid = snap(db);
		snap_free(&mid);
		if (mid.n > 0)
			break;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		  "the crawl finished before it was killed");
	b = snap(db);
	cr_expect_lt(b.n, a.n, "killed crawl had stored all posts");
	cr_expect_eq(b.feeds_etag_without_posts, 0,
		     "%zu feeds have validators but no posts",
		     b.feeds_etag_without_posts);
	snap_free(&b);

	run_ok(db, "crawl", "--no-rank", NULL);
	b = snap(db);
	cr_expect_eq(b.n, a.n, "%zu posts after resuming, reference %zu", b.n,
		     a.n);
	for (size_t i = 0; i < a.n && i < b.n; i++)
		cr_expect_str_eq(b.urls[i], a.urls[i]);
	cr_expect_eq(b.feeds_etag_without_posts, 0);
	cr_expect_eq(b.feeds_with_etag, a.feeds_with_etag);
	snap_free(&a);
	snap_free(&b);
}
