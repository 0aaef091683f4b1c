/*
 * End-to-end crawler tests (family 1xx) against the loopback fixture web:
 * each behaviour of crawler issue #4 and RELIABILITY.md §7, asserting the
 * stored state and the server's request log, not only return codes.
 * Hosts are names under .localhost, which libcurl resolves to loopback.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "crawler/crawler.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/server/fixture.h"
#include "util/err.h"
#include "util/xmalloc.h"

static struct ms_fixture *fx;
static struct ms_store *st;
static struct ms_config *cfg;
static char *dir;

static void
setup(void)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_fixture_start(NULL, &fx, &err), MS_OK, "%s", err.msg);
	dir = ms_test_tmpdir("crawl");
	cr_assert_eq(ms_store_open(dir, MS_STORE_CREATE, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_config_defaults(&cfg, &err), MS_OK, "%s", err.msg);
	cfg->crawl.host_delay = 0;
	cfg->crawl.allow_private = true;
	cfg->crawl.jobs = 8;
}

static void
teardown(void)
{
	ms_config_free(cfg);
	ms_store_close(st);
	ms_fixture_stop(fx);
	ms_test_rmrf(dir);
	free(dir);
}

TestSuite(crawler_crawl, .init = setup, .fini = teardown);

/* An RSS 2.0 feed (WordPress-like) with n items. */
static char *
rss(const char *host, int n, const char *extra_item_xml)
{
	char *s = ms_xasprintf(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<rss version=\"2.0\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>"
		"<title>Blog %s</title><link>%s</link>\n",
		host, ms_fixture_url(fx, host, "/"));

	for (int i = 0; i < n; i++) {
		char path[64], *t;

		snprintf(path, sizeof(path), "/2026/10/post-%d/", i);
		t = ms_xasprintf("%s<item><title>Post %d about HR</title>"
				 "<link>%s</link><dc:creator>Ann %s"
				 "</dc:creator><pubDate>Mon, 0%d Nov 2026 "
				 "10:00:00 GMT</pubDate>%s</item>\n",
				 s, i, ms_fixture_url(fx, host, path), host,
				 i % 9 + 1,
				 extra_item_xml ? extra_item_xml : "");
		free(s);
		s = t;
	}
	{
		char *t = ms_xasprintf("%s</channel></rss>\n", s);

		free(s);
		s = t;
	}
	return s;
}

static void
serve(const char *host, const char *path, const struct ms_fixture_resp *r)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_fixture_add(fx, host, path, r, &err), MS_OK, "%s",
		     err.msg);
}

static void
serve_feed(const char *host, const char *path, int n)
{
	char *body = rss(host, n, NULL);
	struct ms_fixture_resp r = { .body = body,
				     .content_type = "application/rss+xml" };

	serve(host, path, &r);
	free(body);
}

static void
add_feed(const char *url)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec r = { 0 };
	struct ms_err err = { 0 };

	r.url = url;
	r.kind = MS_FEED_USER;
	r.added = 1;
	r.last_fetch = r.last_ok = MS_TIME_NONE;
	ms_batch_add_feed(b, &r);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
}

static struct ms_crawl_stats
crawl(void)
{
	struct ms_crawl_opts o = { 0 };
	struct ms_crawl_stats s;
	struct ms_err err = { 0 };
	int rc;

	o.cfg = cfg;
	rc = ms_crawl_run(st, &o, &s, &err);
	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	ms_fixture_wait_idle(fx, 2000);
	return s;
}

/* The stored feed record, copied out of its snapshot. */
struct feed_copy {
	char url[2048], etag[256], error[512];
	uint16_t status;
	uint32_t failures;
	uint8_t state;
	int64_t next_fetch;
	int found;
};

static struct feed_copy
feed(const char *url)
{
	struct feed_copy c = { 0 };
	struct ms_rtxn *t;
	struct ms_feed_rec r;

	cr_assert_eq(ms_store_read_begin(st, &t, NULL), MS_OK);
	if (!ms_store_get_feed(t, url, &r, NULL)) {
		c.found = 1;
		snprintf(c.url, sizeof(c.url), "%s", r.url);
		snprintf(c.etag, sizeof(c.etag), "%s", r.etag ? r.etag : "");
		snprintf(c.error, sizeof(c.error), "%s",
			 r.last_error ? r.last_error : "");
		c.status = r.last_status;
		c.failures = r.failures;
		c.state = r.state;
		c.next_fetch = r.next_fetch;
	}
	ms_store_read_end(t);
	return c;
}

static int
count_post(const struct ms_hash *k, const struct ms_post_rec *r, void *ctx)
{
	(void)k;
	(void)r;
	(*(size_t *)ctx)++;
	return 0;
}

static size_t
posts(void)
{
	struct ms_rtxn *t;
	size_t n = 0;

	cr_assert_eq(ms_store_read_begin(st, &t, NULL), MS_OK);
	ms_store_each_post(t, count_post, &n, NULL);
	ms_store_read_end(t);
	return n;
}

/* R-HT-1 and the invariant of RELIABILITY §4.6: the first crawl stores
 * the entries and the validators together; the second sends
 * If-None-Match, gets 304 and analyses nothing. */
Test(crawler_crawl, r_ht_1_conditional_get_and_304)
{
	char *body = rss("a.localhost", 3, NULL);
	struct ms_fixture_resp r = { .body = body, .etag = "\"v1\"",
				     .content_type = "application/rss+xml" };
	struct ms_fixture_log log;
	struct ms_crawl_stats s;
	const char *url = ms_fixture_url(fx, "a.localhost", "/feed/");

	serve("a.localhost", "/feed/", &r);
	add_feed(url);
	s = crawl();
	cr_expect_eq(s.ok, 1);
	cr_expect_eq(posts(), 3);
	cr_expect_str_eq(feed(url).etag, "\"v1\"");
	s = crawl();
	cr_expect_eq(s.not_modified, 1, "304s: %u", s.not_modified);
	cr_expect_eq(s.ok, 0);
	cr_expect_eq(posts(), 3);
	ms_fixture_log_get(fx, &log);
	cr_assert_geq(log.n, 2);
	{
		const struct ms_fixture_req *last = &log.reqs[log.n - 1];

		cr_expect_str_eq(last->path, "/feed/");
		cr_expect_str_eq(last->if_none_match, "\"v1\"");
		cr_expect_eq(last->status, 304);
		cr_expect(last->user_agent &&
			  strstr(last->user_agent, "mentorscout"));
	}
	ms_fixture_log_release(&log);
	free(body);
}

/* R-HT-2: the same bytes without validators are not analysed again. */
Test(crawler_crawl, r_ht_2_unchanged_body_skips_the_analyzer)
{
	const char *url = ms_fixture_url(fx, "b.localhost", "/rss");
	struct ms_crawl_stats s;

	serve_feed("b.localhost", "/rss", 2);
	add_feed(url);
	s = crawl();
	cr_expect_eq(s.ok, 1);
	s = crawl();
	cr_expect_eq(s.unchanged, 1);
	cr_expect_eq(s.ok, 0);
	cr_expect_eq(posts(), 2);
}

/* R-PO-1: one request in flight per host and the delay between them. */
Test(crawler_crawl, r_po_1_one_request_per_host_with_the_delay)
{
	struct ms_fixture_log log;
	struct ms_fixture_host_stats hs;
	char path[32];

	cfg->crawl.host_delay = 0.4;
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "/feed-%d", i);
		serve_feed("polite.localhost", path, 1);
		add_feed(ms_fixture_url(fx, "polite.localhost", path));
	}
	crawl();
	ms_fixture_log_get(fx, &log);
	ms_fixture_host_stats(&log, "polite.localhost", &hs);
	cr_expect_eq(hs.requests, 6, "robots + 5 feeds: %zu", hs.requests);
	cr_expect_eq(hs.max_in_flight, 1);
	cr_expect_geq(hs.min_gap, 0.95 * 0.4, "gap %.3f", hs.min_gap);
	ms_fixture_log_release(&log);
}

/* R-PO-2: Crawl-delay honoured; one above the limit skips the host. */
Test(crawler_crawl, r_po_2_crawl_delay)
{
	struct ms_fixture_resp slow = { .body = "User-agent: *\n"
						"Crawl-delay: 1\n" };
	struct ms_fixture_resp huge = { .body = "User-agent: *\n"
						"Crawl-delay: 120\n" };
	struct ms_fixture_log log;
	struct ms_fixture_host_stats hs;

	serve("cd.localhost", "/robots.txt", &slow);
	serve("cdx.localhost", "/robots.txt", &huge);
	for (int i = 0; i < 3; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/f%d", i);
		serve_feed("cd.localhost", path, 1);
		add_feed(ms_fixture_url(fx, "cd.localhost", path));
		serve_feed("cdx.localhost", path, 1);
		add_feed(ms_fixture_url(fx, "cdx.localhost", path));
	}
	crawl();
	ms_fixture_log_get(fx, &log);
	ms_fixture_host_stats(&log, "cd.localhost", &hs);
	cr_expect_eq(hs.requests, 4);
	cr_expect_geq(hs.min_gap, 0.95, "gap %.3f", hs.min_gap);
	cr_expect_eq(ms_fixture_count(fx, "cdx.localhost", NULL), 1,
		     "only robots.txt on the too-slow host");
	ms_fixture_log_release(&log);
}

/* R-PO-3/4: disallowed paths are not fetched; robots 5xx → nothing from
 * that host this crawl; robots 404 → everything allowed. */
Test(crawler_crawl, r_po_4_robots_status_and_rules)
{
	struct ms_fixture_resp dis = { .body = "User-agent: *\n"
					       "Disallow: /private/\n" };
	struct ms_fixture_resp down = { .status = 503 };
	const char *secret = ms_fixture_url(fx, "r.localhost",
					    "/private/feed");

	serve("r.localhost", "/robots.txt", &dis);
	serve_feed("r.localhost", "/private/feed", 1);
	serve_feed("r.localhost", "/public/feed", 1);
	serve("r5.localhost", "/robots.txt", &down);
	serve_feed("r5.localhost", "/feed", 1);
	serve_feed("r4.localhost", "/feed", 1);	/* robots: default 404 */
	add_feed(secret);
	add_feed(ms_fixture_url(fx, "r.localhost", "/public/feed"));
	add_feed(ms_fixture_url(fx, "r5.localhost", "/feed"));
	add_feed(ms_fixture_url(fx, "r4.localhost", "/feed"));
	crawl();
	cr_expect_eq(ms_fixture_count(fx, "r.localhost", "/private/feed"), 0);
	cr_expect_eq(ms_fixture_count(fx, "r.localhost", "/public/feed"), 1);
	cr_expect_eq(ms_fixture_count(fx, "r5.localhost", "/feed"), 0);
	cr_expect_eq(ms_fixture_count(fx, "r4.localhost", "/feed"), 1);
	cr_expect_str_eq(feed(secret).error, "disallowed by robots.txt");
}

/* R-PO-8: a per-host budget, and the carry-over: what one crawl leaves
 * is first in line on the next, so all feeds are refreshed in 4 nights. */
Test(crawler_crawl, r_po_8_budget_and_carry_over)
{
	char path[32];
	size_t before;

	cfg->crawl.host_budget = 3;
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/f%02d", i);
		serve_feed("busy.localhost", path, 0);
		add_feed(ms_fixture_url(fx, "busy.localhost", path));
	}
	for (int night = 1; night <= 4; night++) {
		struct ms_crawl_stats s;

		before = ms_fixture_count(fx, "busy.localhost", NULL);
		s = crawl();
		cr_expect_leq(ms_fixture_count(fx, "busy.localhost", NULL) -
				      before, 4, "night %d", night);
		cr_expect_eq(s.fetched - (night == 1), 3, "night %d: %u",
			     night, s.fetched);
	}
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/f%02d", i);
		cr_expect_geq(ms_fixture_count(fx, "busy.localhost", path), 1,
			      "%s never fetched", path);
	}
}

/* R-HT-3: 503, 503, 200 succeeds on the third try; 404 is not retried;
 * three resets are a recorded failure and no fourth try. */
Test(crawler_crawl, r_ht_3_transient_retries_only)
{
	static const int seq[] = { 503, 503 };
	static const int resets[] = { MS_FIXTURE_RESET, MS_FIXTURE_RESET,
				      MS_FIXTURE_RESET, MS_FIXTURE_RESET };
	char *body = rss("t.localhost", 1, NULL);
	struct ms_fixture_resp flaky = { .body = body, .statuses = seq,
					 .nstatuses = 2 };
	struct ms_fixture_resp gone = { .status = 404 };
	struct ms_fixture_resp reset = { .body = body, .statuses = resets,
					 .nstatuses = 4 };
	const char *u404 = ms_fixture_url(fx, "t.localhost", "/missing");
	const char *ureset = ms_fixture_url(fx, "t.localhost", "/reset");
	struct ms_crawl_stats s;
	size_t n;

	serve("t.localhost", "/flaky", &flaky);
	serve("t.localhost", "/missing", &gone);
	serve("t.localhost", "/reset", &reset);
	add_feed(ms_fixture_url(fx, "t.localhost", "/flaky"));
	add_feed(u404);
	add_feed(ureset);
	s = crawl();
	/* 2 retries for /flaky, 2 for /reset, none for the 404 */
	cr_expect_eq(s.retries, 4, "%u retries", s.retries);
	cr_expect_eq(ms_fixture_count(fx, "t.localhost", "/flaky"), 3);
	cr_expect_eq(posts(), 1);
	cr_expect_eq(ms_fixture_count(fx, "t.localhost", "/missing"), 1);
	cr_expect_eq(feed(u404).failures, 1);
	cr_expect_eq(feed(u404).status, 404);
	/* Three attempts; libcurl itself sends a request once more when the
	 * kept-alive connection it reused turns out dead (the first reset
	 * comes on the connection robots.txt opened), so the server may see
	 * a fourth — but never more. */
	n = ms_fixture_count(fx, "t.localhost", "/reset");
	cr_expect(n == 3 || n == 4, "%zu requests", n);
	cr_expect_eq(feed(ureset).failures, 1);
	cr_expect_gt(feed(ureset).next_fetch, time(NULL),
		     "backed off across crawls");
	free(body);
}

/* R-HT-4: Retry-After honoured; a huge one defers to the next crawl
 * instead of sleeping. */
Test(crawler_crawl, r_ht_4_retry_after)
{
	static const int seq[] = { 429 };
	char *body = rss("ra.localhost", 1, NULL);
	struct ms_fixture_resp once = { .body = body, .statuses = seq,
					.nstatuses = 1, .retry_after = "2" };
	struct ms_fixture_resp never = { .status = 503,
					 .retry_after = "999999" };
	const char *later = ms_fixture_url(fx, "rb.localhost", "/feed");
	struct ms_fixture_log log;
	double t429 = -1, t200 = -1;
	time_t t0 = time(NULL);

	serve("ra.localhost", "/feed", &once);
	serve("rb.localhost", "/feed", &never);
	add_feed(ms_fixture_url(fx, "ra.localhost", "/feed"));
	add_feed(later);
	crawl();
	cr_expect_lt(time(NULL) - t0, 10, "slept on Retry-After: 999999");
	ms_fixture_log_get(fx, &log);
	for (size_t i = 0; i < log.n; i++) {
		if (strcmp(log.reqs[i].host, "ra.localhost") ||
		    strcmp(log.reqs[i].path, "/feed"))
			continue;
		if (log.reqs[i].status == 429)
			t429 = log.reqs[i].end;
		else if (log.reqs[i].status == 200)
			t200 = log.reqs[i].start;
	}
	cr_expect_geq(t200 - t429, 1.9, "waited %.2f s", t200 - t429);
	cr_expect_eq(ms_fixture_count(fx, "rb.localhost", "/feed"), 1);
	cr_expect_geq(feed(later).next_fetch, (int64_t)t0 + 999999 - 5);
	ms_fixture_log_release(&log);
	free(body);
}

/* R-HT-5: a host that answers 500 to everything is cut off. */
Test(crawler_crawl, r_ht_5_host_circuit_breaker)
{
	struct ms_fixture_resp err500 = { .status = 500 };
	char path[32];

	struct ms_fixture_resp nf = { .status = 404 };
	size_t n;

	serve("down.localhost", "*", &err500);
	serve("down.localhost", "/robots.txt", &nf);	/* robots: allow */
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/f%02d", i);
		add_feed(ms_fixture_url(fx, "down.localhost", path));
	}
	crawl();
	n = ms_fixture_count(fx, "down.localhost", NULL);
	cr_expect_leq(n, 1 + 5 + 2, "%zu requests", n);
	cr_expect_geq(n, 1 + 5, "%zu requests", n);
}

/* R-HT-6: redirect loop, a chain too long, and a 301 that moves the feed;
 * R-SE-1: a Location to another scheme is never followed. */
Test(crawler_crawl, r_ht_6_redirects_through_the_frontier)
{
	struct ms_fixture_resp a = { .status = 302 }, b = { .status = 302 };
	struct ms_fixture_resp moved = { .status = 301 };
	struct ms_fixture_resp file = { .status = 302,
					.location = "file:///etc/passwd" };
	const char *ua = ms_fixture_url(fx, "rd.localhost", "/a");
	const char *old = ms_fixture_url(fx, "rd.localhost", "/old");
	const char *uc = ms_fixture_url(fx, "rd.localhost", "/c0");
	const char *uf = ms_fixture_url(fx, "rd.localhost", "/file");
	char *nu = ms_xstrdup(ms_fixture_url(fx, "rd.localhost", "/new"));

	a.location = ms_fixture_url(fx, "rd.localhost", "/b");
	b.location = ua;
	serve("rd.localhost", "/a", &a);
	serve("rd.localhost", "/b", &b);
	for (int i = 0; i < 7; i++) {
		char p[16], n[16];
		struct ms_fixture_resp c = { .status = 302 };

		snprintf(p, sizeof(p), "/c%d", i);
		snprintf(n, sizeof(n), "/c%d", i + 1);
		c.location = ms_fixture_url(fx, "rd.localhost", n);
		serve("rd.localhost", p, &c);
	}
	moved.location = nu;
	serve("rd.localhost", "/old", &moved);
	serve_feed("rd.localhost", "/new", 2);
	serve("rd.localhost", "/file", &file);
	add_feed(ua);
	add_feed(uc);
	add_feed(old);
	add_feed(uf);
	crawl();
	cr_expect_str_eq(feed(ua).error, "redirect_loop");
	cr_expect_leq(ms_fixture_count(fx, "rd.localhost", "/a") +
			      ms_fixture_count(fx, "rd.localhost", "/b"), 2);
	cr_expect_str_eq(feed(uc).error, "too_many_redirects");
	cr_expect_eq(ms_fixture_count(fx, "rd.localhost", "/c6"), 0);
	cr_expect(strstr(feed(uf).error, "bad_scheme") != NULL, "%s",
		  feed(uf).error);
	cr_expect_eq(feed(old).found, 0, "the moved feed keeps its old URL");
	cr_expect_eq(feed(nu).found, 1);
	cr_expect_eq(posts(), 2);
	free(nu);
}

/* R-HT-7: a slow-loris answer is cut off by the low-speed limit. */
Test(crawler_crawl, r_ht_7_slow_loris_is_cut_off)
{
	char *body = rss("slow.localhost", 20, NULL);
	struct ms_fixture_resp slow = { .body = body, .trickle_bytes = 1,
					.trickle_ms = 1000 };
	const char *url = ms_fixture_url(fx, "slow.localhost", "/feed");
	time_t t0 = time(NULL);

	cfg->crawl.low_speed_limit = 100;
	cfg->crawl.low_speed_time = 2;
	serve("slow.localhost", "/feed", &slow);
	serve_feed("fast.localhost", "/feed", 1);
	add_feed(url);
	add_feed(ms_fixture_url(fx, "fast.localhost", "/feed"));
	crawl();
	cr_expect_lt(time(NULL) - t0, 20, "took %ld s", (long)(time(NULL) -
								t0));
	cr_expect_eq(feed(url).failures, 1);
	cr_expect_eq(posts(), 1, "the other feed is unaffected");
	free(body);
}

/* R-HT-8/9: an endless body and a gzip bomb stop at the decoded cap. */
Test(crawler_crawl, r_ht_8_9_endless_body_and_gzip_bomb)
{
	struct ms_fixture_resp endless = { .body = "<rss>", .endless = true };
	struct ms_fixture_resp bomb = { .bomb_mib = 64 };
	const char *ue = ms_fixture_url(fx, "big.localhost", "/endless");
	const char *ub = ms_fixture_url(fx, "big.localhost", "/bomb");
	struct ms_crawl_stats s;

	cfg->crawl.max_body = 1 << 20;
	serve("big.localhost", "/endless", &endless);
	serve("big.localhost", "/bomb", &bomb);
	add_feed(ue);
	add_feed(ub);
	s = crawl();
	cr_expect_eq(s.too_large, 2);
	cr_expect(!strncmp(feed(ue).error, "too_large", 9), "%s",
		  feed(ue).error);
	cr_expect(!strncmp(feed(ub).error, "too_large", 9), "%s",
		  feed(ub).error);
}

/* R-SE-2: a URL found in content that leads to a loopback address is
 * blocked at connect time when private addresses are not allowed; the
 * feed the user added on loopback itself is fetched. */
Test(crawler_crawl, r_se_2_discovered_urls_stay_off_private_addresses)
{
	char *extra = ms_xasprintf(
		"<wfw:commentRss xmlns:wfw=\"http://wellformedweb.org/"
		"CommentAPI/\">%s</wfw:commentRss>",
		ms_fixture_url(fx, "127.0.0.1", "/secret-comments"));
	char *body = rss("ssrf.localhost", 1, extra);
	struct ms_fixture_resp r = { .body = body };
	struct ms_crawl_stats s;

	cfg->crawl.allow_private = false;
	serve("ssrf.localhost", "/feed", &r);
	add_feed(ms_fixture_url(fx, "ssrf.localhost", "/feed"));
	s = crawl();
	cr_expect_eq(s.ok, 1);
	cr_expect_eq(s.blocked, 1, "blocked %u", s.blocked);
	cr_expect_eq(ms_fixture_count(fx, NULL, "/secret-comments"), 0);
	cr_expect_str_eq(feed(ms_fixture_url(fx, "127.0.0.1",
					     "/secret-comments")).error,
			 "blocked_address");
	free(body);
	free(extra);
}

/* 410 retires a feed; it is not fetched again. */
Test(crawler_crawl, gone_retires_the_feed)
{
	struct ms_fixture_resp gone = { .status = 410 };
	const char *url = ms_fixture_url(fx, "g.localhost", "/feed");

	serve("g.localhost", "/feed", &gone);
	add_feed(url);
	crawl();
	cr_expect_eq(feed(url).state, MS_FEED_RETIRED);
	crawl();
	cr_expect_eq(ms_fixture_count(fx, "g.localhost", "/feed"), 1);
}

/* A feed failing max_failures crawls in a row is marked dead. */
Test(crawler_crawl, repeated_failures_mark_a_feed_dead)
{
	struct ms_fixture_resp nf = { .status = 404 };
	const char *url = ms_fixture_url(fx, "d.localhost", "/feed");
	struct ms_crawl_opts o = { 0 };
	struct ms_crawl_stats s;
	struct ms_err err = { 0 };

	cfg->crawl.max_failures = 3;
	serve("d.localhost", "/feed", &nf);
	add_feed(url);
	o.cfg = cfg;
	for (int i = 0; i < 3; i++) {
		/* each crawl a week later, past the back-off */
		o.now = time(NULL) + (int64_t)i * 8 * 86400;
		cr_assert_eq(ms_crawl_run(st, &o, &s, &err), MS_OK, "%s",
			     err.msg);
	}
	cr_expect_eq(feed(url).failures, 3);
	cr_expect_eq(feed(url).state, MS_FEED_DEAD);
}

/* R-CR-6: one crawl at a time per store. */
Test(crawler_crawl, r_cr_6_second_crawl_is_locked_out)
{
	struct ms_err err = { 0 };
	int a = -1, b = -1;

	cr_assert_eq(ms_crawl_lock(dir, &a, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(ms_crawl_lock(dir, &b, &err), MS_ELOCKED);
	{
		char want[64];

		snprintf(want, sizeof(want), "another crawl is running "
			 "(pid %ld)", (long)getpid());
		cr_expect_str_eq(err.msg, want);
	}
	close(a);
	cr_expect_eq(ms_crawl_lock(dir, &b, &err), MS_OK, "%s", err.msg);
	close(b);
}

/* --max-time stops cleanly; the rest waits for the next crawl. */
Test(crawler_crawl, max_time_stops_cleanly)
{
	struct ms_crawl_opts o = { 0 };
	struct ms_crawl_stats s;
	struct ms_err err = { 0 };
	char path[32];
	time_t t0 = time(NULL);

	cfg->crawl.host_delay = 0.5;
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/f%02d", i);
		serve_feed("mt.localhost", path, 1);
		add_feed(ms_fixture_url(fx, "mt.localhost", path));
	}
	o.cfg = cfg;
	o.max_time = 2;
	cr_assert_eq(ms_crawl_run(st, &o, &s, &err), MS_OK, "%s", err.msg);
	cr_expect(s.stopped);
	cr_expect_leq(time(NULL) - t0, 4);
	cr_expect_lt(posts(), 20);
	cr_expect_gt(posts(), 0);
}

/* R-SE-2 for redirects: a feed the user added may live on a private
 * address, but a redirect from it to another host is guarded like any
 * discovered URL (no open redirect into the intranet). */
Test(crawler_crawl, r_se_2_user_feed_cannot_redirect_into_private_hosts)
{
	struct ms_fixture_resp hop = { .status = 302 };
	const char *url = ms_fixture_url(fx, "own.localhost", "/feed");
	struct ms_crawl_stats s;

	cfg->crawl.allow_private = false;
	hop.location = ms_fixture_url(fx, "127.0.0.1", "/metadata");
	serve("own.localhost", "/feed", &hop);
	serve_feed("own.localhost", "/same-host", 1);
	add_feed(url);
	s = crawl();
	cr_expect_eq(ms_fixture_count(fx, NULL, "/metadata"), 0);
	cr_expect_eq(s.blocked, 1, "blocked %u", s.blocked);
	cr_expect_str_eq(feed(url).error, "blocked_address");
}
