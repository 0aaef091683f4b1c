/*
 * End to end over the sample web (family 4xx): genweb's 60-blog
 * blogosphere served on loopback, crawled by the mentorscout binary from
 * the 40 subscribed feeds, ranked, and checked against the generator's
 * ground truth (truth.json): for every topic its designed mentors rank in
 * the top 3, the spam ring is in no top 10, the robots-blocked host gave
 * nothing but /robots.txt, and discovery found mentors nobody subscribed
 * to.  A second crawl is incremental: every feed answers 304 or is
 * unchanged.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/testutil.h"
#include "tests/server/fixture.h"
#include "tests/server/genweb.h"
#include "util/err.h"

static struct ms_fixture *fx;
static char *tmp, web[4200], cfg[4200], db[4200];
static json_t *truth;

static struct ms_test_run
ms(const char *a, const char *b, const char *c, const char *d,
   const char *e)
{
	const char *argv[] = { "--config", cfg, "--db", db, a, b, c, d, e,
			       NULL };
	struct ms_test_run r;

	cr_assert_eq(ms_test_run(&r, NULL, argv), 0);
	return r;
}

static void
setup(void)
{
	struct ms_genweb_opts go = { 0 };
	struct ms_err err = { 0 };
	struct ms_test_run r;
	char path[4300], opml[4300];
	json_error_t je;
	const char *conf = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

	tmp = ms_test_tmpdir("e2e");
	cr_assert_eq(ms_fixture_start(NULL, &fx, &err), MS_OK, "%s", err.msg);
	snprintf(web, sizeof(web), "%s/web", tmp);
	go.out = web;
	go.port = ms_fixture_port(fx);
	go.seed = 1;	/* the web `make demo` shows */
	cr_assert_eq(ms_genweb_run(&go, NULL, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_fixture_serve_dir(fx, web, MS_FIXTURE_GZIP, &err),
		     MS_OK, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/truth.json", web);
	truth = json_load_file(path, 0, &je);
	cr_assert_not_null(truth, "%s: %s", path, je.text);
	snprintf(cfg, sizeof(cfg), "%s/config.json", tmp);
	snprintf(db, sizeof(db), "%s/db", tmp);
	ms_test_write_file(cfg, conf, strlen(conf));
	r = ms("init", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	snprintf(opml, sizeof(opml), "%s/feeds.opml", web);
	r = ms("feeds", "import", opml, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	r = ms("crawl", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
}

static void
teardown(void)
{
	json_decref(truth);
	ms_fixture_stop(fx);
	ms_test_rmrf(tmp);
	free(tmp);
}

TestSuite(e2e_sample, .init = setup, .fini = teardown);

/* The host of a site URL ("http://x.localhost:8080/" → "x.localhost"). */
static void
host_of(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");

	p = p ? p + 3 : url;
	snprintf(out, n, "%.*s", (int)strcspn(p, ":/"), p);
}

static json_t *
discover(const char *topic)
{
	struct ms_test_run r = ms("discover", "--topic", topic, "--format",
				  "json");
	json_error_t je;
	json_t *j;

	cr_assert_eq(r.status, 0, "discover %s: %s", topic, r.err);
	j = json_loads(r.out, 0, &je);
	cr_assert_not_null(j, "discover %s: %s", topic, je.text);
	ms_test_run_free(&r);
	return j;
}

static int
rank_of(json_t *d, const char *site_id)
{
	json_t *cands = json_object_get(d, "candidates"), *c;
	char host[256];
	size_t i;

	json_array_foreach(cands, i, c) {
		const char *site = json_string_value(json_object_get(c,
								      "site"));

		if (!site)
			continue;
		host_of(site, host, sizeof(host));
		if (!strcmp(host, site_id))
			return (int)i + 1;
	}
	return 0;
}

Test(e2e_sample, designed_mentors_rank_top_3_and_spam_never_top_10)
{
	json_t *topics = json_object_get(truth, "topics"), *v, *m, *s;
	json_t *spam = json_object_get(truth, "spam");
	const char *topic;
	size_t i, k, checked = 0;

	cr_assert_geq(json_object_size(topics), 10);
	json_object_foreach(topics, topic, v) {
		json_t *d = discover(topic);

		json_array_foreach(json_object_get(v, "mentors"), i, m) {
			const char *id = json_string_value(
				json_object_get(m, "site_id"));
			int r = rank_of(d, id);

			cr_expect(r >= 1 && r <= 3, "topic %s: mentor %s "
				  "ranks %d", topic, id, r);
			checked++;
		}
		json_array_foreach(spam, k, s) {
			const char *id = json_is_string(s)
						 ? json_string_value(s)
						 : json_string_value(
							   json_object_get(
								   s, "site_id"));
			int r = rank_of(d, id);

			cr_expect(r == 0 || r > 10, "topic %s: spam %s ranks "
				  "%d", topic, id, r);
		}
		json_decref(d);
	}
	cr_expect_geq(checked, 15);
}

Test(e2e_sample, robots_blocked_host_gave_only_robots_txt)
{
	json_t *blocked = json_object_get(truth, "robots_blocked"), *b;
	size_t i;

	cr_assert(json_array_size(blocked) >= 1);
	json_array_foreach(blocked, i, b) {
		const char *id = json_is_string(b)
					 ? json_string_value(b)
					 : json_string_value(
						   json_object_get(b, "site_id"));

		cr_expect_eq(ms_fixture_count(fx, id, NULL),
			     ms_fixture_count(fx, id, "/robots.txt"),
			     "%s: fetched past robots.txt", id);
	}
}

Test(e2e_sample, recrawl_is_incremental)
{
	struct ms_test_run r = ms("crawl", "--no-rank", NULL, NULL, NULL);

	cr_assert_eq(r.status, 0, "%s", r.err);
	/* "crawl done in X s: N fetched (0 new or changed, ..." */
	cr_expect(strstr(r.out, "(0 new or changed,") != NULL, "%s", r.out);
	ms_test_run_free(&r);
}
