/*
 * Hostile servers (RELIABILITY.md §7: R-HT-6, R-SE-1, R-SE-2, R-SE-6,
 * R-PA-3), through the mentorscout binary against the loopback fixture:
 * every misbehaving feed is bounded in time, crashes nothing, has its
 * failure recorded against it (`feeds list --json` shows last_error), and
 * leaves the other feeds of the same crawl alone — each test crawls a good
 * feed beside the hostile ones and checks its posts arrived.
 */
#include <jansson.h>

#include "analyzer/analyzer.h"
#include "tests/harden/harness.h"
#include "util/xmalloc.h"

static struct hx h;
static char db[4300];

static const char conf[] = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true, "
			   "\"max_body\": 134217728}}\n";
static const char conf_guarded[] = "{\"crawl\": {\"host_delay\": 0, "
				   "\"allow_private\": false}}\n";

static void
start(const char *conf_json)
{
	hx_start(&h, "hostile", 0, conf_json);
	snprintf(db, sizeof(db), "%s/db", h.tmp);
	hx_ok(&h, db, (const char *[]){ "init", NULL });
}

static void
teardown(void)
{
	hx_stop(&h);
}

static void
setup(void)
{
	start(conf);
}

static void
setup_guarded(void)
{
	start(conf_guarded);
}

TestSuite(harden_hostile, .init = setup, .fini = teardown, .timeout = 120);
TestSuite(harden_guarded, .init = setup_guarded, .fini = teardown,
	  .timeout = 60);

/* ------------------------------------------------------------ helpers */

static void
serve(const char *host, const char *path, const struct ms_fixture_resp *r)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_fixture_add(h.fx, host, path, r, &err), MS_OK, "%s",
		     err.msg);
}

/* An RSS 2.0 feed with n posts; extra goes into every item. */
static char *
rss(const char *host, int n, const char *extra)
{
	char *s = ms_xasprintf("<?xml version=\"1.0\"?>\n<rss version=\"2.0\""
			       " xmlns:wfw=\"http://wellformedweb.org/"
			       "CommentAPI/\"><channel><title>%s</title>"
			       "<link>%s</link>\n", host,
			       ms_fixture_url(h.fx, host, "/"));

	for (int i = 0; i < n; i++) {
		char path[64], *t;

		snprintf(path, sizeof(path), "/2026/post-%d/", i);
		t = ms_xasprintf("%s<item><title>Post %d</title><link>%s</link>"
				 "<pubDate>Mon, 0%d Nov 2026 10:00:00 GMT"
				 "</pubDate>%s</item>\n", s, i,
				 ms_fixture_url(h.fx, host, path), i % 9 + 1,
				 extra ? extra : "");
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

/* The good feed every test crawls beside the hostile ones. */
static const char *
good_feed(void)
{
	char *body = rss("good.localhost", 3, NULL);
	struct ms_fixture_resp r = { .body = body };

	serve("good.localhost", "/feed", &r);
	free(body);
	return ms_fixture_url(h.fx, "good.localhost", "/feed");
}

static void
add(const char *url)
{
	hx_ok(&h, db, (const char *[]){ "feeds", "add", url, NULL });
}

/* crawl --no-rank; returns its wall time in seconds. */
static double
crawl(void)
{
	double t0 = hx_now();
	struct ms_test_run r = hx_run(&h, db, (const char *[]){ "crawl",
					      "--no-rank", NULL });

	cr_expect_eq(r.status, 0, "crawl exit %d: %s", r.status, r.err);
	cr_log_info("%s", r.out);
	ms_test_run_free(&r);
	return hx_now() - t0;
}

/* `feeds list --json --all` (discovered feeds too), parsed. */
static json_t *
feeds(void)
{
	struct ms_test_run r = hx_run(&h, db, (const char *[]){ "feeds",
					      "list", "--json", "--all",
					      NULL });
	json_error_t je;
	json_t *j;

	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, &je);
	cr_assert_not_null(j, "feeds list --json: %s", je.text);
	ms_test_run_free(&r);
	return j;
}

/* The feed url's last_error ("" when none; NULL when the feed is not
 * listed), copied. */
static char *
last_error(json_t *list, const char *url)
{
	size_t i;
	json_t *f;

	json_array_foreach(list, i, f) {
		const char *u = json_string_value(json_object_get(f, "url"));
		const char *e = json_string_value(json_object_get(f,
								 "last_error"));

		if (u && !strcmp(u, url))
			return ms_xstrdup(e ? e : "");
	}
	return NULL;
}

/* The feed url's last_status, -1 when not listed. */
static long
status(json_t *list, const char *url)
{
	size_t i;
	json_t *f;

	json_array_foreach(list, i, f) {
		const char *u = json_string_value(json_object_get(f, "url"));

		if (u && !strcmp(u, url))
			return (long)json_integer_value(
				json_object_get(f, "last_status"));
	}
	return -1;
}

static void
expect_error(json_t *list, const char *url, const char *want)
{
	char *e = last_error(list, url);

	cr_assert_not_null(e, "'%s' is not in the feed list", url);
	cr_log_info("%s: last_error \"%s\"", url, e);
	cr_expect(*e, "no error recorded against '%s'", url);
	if (want)
		cr_expect(strstr(e, want), "'%s': \"%s\" does not say '%s'",
			  url, e, want);
	free(e);
}

/* The good feed's three posts are in the store, and it verifies. */
static void
expect_good_unaffected(json_t *list, const char *good)
{
	struct ms_verify_report r = hx_verify(db);
	char *e = last_error(list, good);

	cr_assert_not_null(e);
	cr_expect_str_eq(e, "", "the good feed failed: %s", e);
	free(e);
	cr_expect_geq(r.posts, 3, "the good feed's posts are missing");
	hx_expect_healthy(&r, "after the hostile crawl");
}

/* ------------------------------------------------------------- tests */

/* R-HT-6: a chain of 1,000 redirects is followed max_redirects (5)
 * hops, then recorded as too_many_redirects. */
Test(harden_hostile, r_ht_6_thousand_hop_redirect_chain_is_bounded)
{
	const char *good = good_feed(), *start;
	double secs;
	json_t *list;
	size_t hops = 0;

	for (int i = 0; i < 1000; i++) {
		char p[16], n[16];
		struct ms_fixture_resp r = { .status = 302 };

		snprintf(p, sizeof(p), "/r%d", i);
		snprintf(n, sizeof(n), "/r%d", i + 1);
		r.location = ms_fixture_url(h.fx, "chain.localhost", n);
		serve("chain.localhost", p, &r);
	}
	start = ms_fixture_url(h.fx, "chain.localhost", "/r0");
	add(start);
	add(good);
	secs = crawl();
	for (int i = 0; i <= 1000; i++) {
		char p[16];

		snprintf(p, sizeof(p), "/r%d", i);
		hops += ms_fixture_count(h.fx, "chain.localhost", p);
	}
	cr_log_info("R-HT-6: %zu requests along the chain, crawl %.2f s",
		    hops, secs);
	cr_expect_eq(hops, 6, "the first request and 5 hops, not %zu", hops);
	cr_expect_lt(secs, 10.0);
	list = feeds();
	expect_error(list, start, "too_many_redirects");
	expect_good_unaffected(list, good);
	json_decref(list);
}

/* R-SE-1: URLs found in a feed (comment feeds) that redirect to file://
 * and gopher:// are recorded as bad_scheme and nothing is fetched: no
 * request follows the redirect, no file is read. */
Test(harden_hostile, r_se_1_discovered_redirect_to_file_and_gopher)
{
	const char *good = good_feed();
	char *extra, *body, *ufile, *ugopher, gopher[256];
	struct ms_fixture_resp feed = { 0 }, file = { .status = 302 },
			       go = { .status = 302 };
	json_t *list;

	ufile = ms_xstrdup(ms_fixture_url(h.fx, "disc.localhost", "/c-file"));
	ugopher = ms_xstrdup(ms_fixture_url(h.fx, "disc.localhost",
					    "/c-gopher"));
	file.location = "file:///etc/passwd";
	snprintf(gopher, sizeof(gopher), "gopher://127.0.0.1:%u/1/x",
		 ms_fixture_port(h.fx));
	go.location = gopher;
	serve("disc.localhost", "/c-file", &file);
	serve("disc.localhost", "/c-gopher", &go);
	/* Two posts: the first names one comment feed, the second the
	 * other (the crawler follows comment feeds of the newest posts). */
	extra = ms_xasprintf("<wfw:commentRss>%s</wfw:commentRss>", ufile);
	body = rss("disc.localhost", 1, extra);
	free(extra);
	{
		char *more = ms_xasprintf("<wfw:commentRss>%s</wfw:commentRss>",
					  ugopher);
		char *two = rss("disc.localhost", 1, more);
		char *cut = strstr(body, "</channel>");
		char *item = strstr(two, "<item>"), *end;

		cr_assert(cut && item);
		end = strstr(item, "</item>") + strlen("</item>");
		*cut = '\0';
		/* the same post URL twice would be one post: rename it */
		{
			char *p = strstr(item, "post-0");

			p[5] = '1';
		}
		cut = ms_xasprintf("%s%.*s</channel></rss>\n", body,
				   (int)(end - item), item);
		free(body);
		free(two);
		body = cut;
		free(more);
	}
	feed.body = body;
	serve("disc.localhost", "/feed", &feed);
	add(ms_fixture_url(h.fx, "disc.localhost", "/feed"));
	add(good);
	crawl();
	cr_expect_eq(ms_fixture_count(h.fx, "disc.localhost", "/c-file"), 1);
	cr_expect_eq(ms_fixture_count(h.fx, "disc.localhost", "/c-gopher"), 1);
	cr_expect_eq(ms_fixture_count(h.fx, NULL, "/1/x"), 0,
		     "the gopher URL reached the server");
	list = feeds();
	expect_error(list, ufile, "bad_scheme");
	expect_error(list, ugopher, "bad_scheme");
	expect_good_unaffected(list, good);
	json_decref(list);
	free(body);
	free(ufile);
	free(ugopher);
}

/* TLS handshake failure: https:// to the fixture's plain-HTTP port is a
 * recorded error and the crawl goes on. */
Test(harden_hostile, tls_handshake_failure_is_recorded)
{
	const char *good = good_feed();
	char url[256];
	json_t *list;
	double secs;

	snprintf(url, sizeof(url), "https://tls.localhost:%u/feed",
		 ms_fixture_port(h.fx));
	add(url);
	add(good);
	secs = crawl();
	cr_expect_lt(secs, 15.0);
	list = feeds();
	expect_error(list, url, NULL);
	expect_good_unaffected(list, good);
	json_decref(list);
}

/* One hostile document per route; what it stands for beside it. */
struct hostile {
	const char *path;
	const char *what;
	char *body;
	size_t len, fill;
	const char *want;	/* a word the error must contain, or NULL */
	int may_parse;		/* recovery may read it (then no error) */
};

static char *
laughs(void)
{
	/* R-SE-6: the classic ten-level "lol" entity expansion. */
	char *s = ms_xstrdup("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
			     "<!ENTITY lol \"lol\">\n");

	for (int i = 1; i <= 9; i++) {
		char *t = ms_xasprintf("%s<!ENTITY lol%d \"", s, i);

		free(s);
		s = t;
		for (int k = 0; k < 10; k++) {
			t = ms_xasprintf(i == 1 ? "%s&lol;" : "%s&lol%d;", s,
					 i - 1);
			free(s);
			s = t;
		}
		t = ms_xasprintf("%s\">\n", s);
		free(s);
		s = t;
	}
	{
		char *t = ms_xasprintf("%s]>\n<rss version=\"2.0\"><channel>"
				       "<title>&lol9;</title><item><title>"
				       "&lol9;</title><link>http://x.localhost"
				       "/a</link></item></channel></rss>\n",
				       s);

		free(s);
		return t;
	}
}

static char *
deep(size_t *len)
{
	/* R-PA-3: 100,000 nested elements inside an item. */
	size_t n = 100000, at = 0;
	const char *head = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"
			   "<channel><title>deep</title><item>";
	char *s = ms_xmalloc(strlen(head) + n * 7 + 64);

	at += (size_t)sprintf(s, "%s", head);
	for (size_t i = 0; i < n; i++)
		at += (size_t)sprintf(s + at, "<d>");
	for (size_t i = 0; i < n; i++)
		at += (size_t)sprintf(s + at, "</d>");
	at += (size_t)sprintf(s + at, "</item></channel></rss>\n");
	*len = at;
	return s;
}

static char *
huge(size_t *len)
{
	/* One text node of 100 MB: libxml2 caps a text node at 10 MB
	 * without XML_PARSE_HUGE, which the analyzer never sets. */
	static const char head[] = "<?xml version=\"1.0\"?>\n<rss version="
		"\"2.0\"><channel><title>huge</title><item><link>"
		"http://x.localhost/huge</link><description>";
	static const char tail[] = "</description></item></channel></rss>\n";
	size_t n = 100u << 20;
	char *s = ms_xmalloc(sizeof(head) + n + sizeof(tail));

	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'a', n);
	memcpy(s + sizeof(head) - 1 + n, tail, sizeof(tail));
	*len = sizeof(head) - 1 + n + sizeof(tail) - 1;
	return s;
}

Test(harden_hostile, hostile_xml_is_bounded_and_recorded)
{
	const char *good = good_feed();
	static const char nul[] = "<?xml version=\"1.0\"?>\n"
		"<rss version=\"2.0\"><channel><title>nul\0bytes</title>"
		"<item><title>a\0b</title><link>http://x.localhost/nul</link>"
		"</item></channel></rss>\n";
	static const char bad8[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"\n<rss version=\"2.0\"><channel><title>bad \xff\xfe utf-8"
		"</title><item><title>caf\xc3\x28 \xed\xa0\x80 \xc0\xaf"
		"</title><link>http://x.localhost/utf8</link></item>"
		"</channel></rss>\n";
	struct hostile hs[] = {
		{ "/laughs", "billion laughs", laughs(), 0, 0, NULL, 0 },
		{ "/deep", "100,000 nested elements", NULL, 0, 0, NULL, 0 },
		{ "/huge", "a 100 MB text node", NULL, 0, 0, NULL, 0 },
		{ "/filled", "100 MB of comments in an element (fill_size)",
		  ms_xstrdup("<?xml version=\"1.0\"?>\n<rss version="
			     "\"2.0\"><channel><title>filled</title><item>"
			     "<description>"),
		  0, 100u << 20, NULL, 1 },
		{ "/nul", "NUL bytes", NULL, sizeof(nul) - 1, 0, NULL, 1 },
		{ "/utf8", "invalid UTF-8", NULL, sizeof(bad8) - 1, 0, NULL,
		  1 },
	};
	size_t n = sizeof(hs) / sizeof(hs[0]);
	struct ms_test_run r;
	json_t *list;
	double secs;

	hs[1].body = deep(&hs[1].len);
	hs[2].body = huge(&hs[2].len);
	hs[4].body = ms_xmalloc(sizeof(nul));
	memcpy(hs[4].body, nul, sizeof(nul));
	hs[5].body = ms_xstrdup(bad8);
	for (size_t i = 0; i < n; i++) {
		struct ms_fixture_resp fr = { .body = hs[i].body,
					      .body_len = hs[i].len,
					      .fill_size = hs[i].fill,
					      .content_type =
						      "application/rss+xml" };

		serve("x.localhost", hs[i].path, &fr);
		add(ms_fixture_url(h.fx, "x.localhost", hs[i].path));
	}
	add(good);
	secs = crawl();
	cr_log_info("hostile XML: crawl of %zu hostile feeds and a good one "
		    "in %.2f s", n, secs);
	cr_expect_lt(secs, 20.0, "took %.1f s", secs);
	r = hx_run(&h, db, (const char *[]){ "stats", NULL });
	cr_expect_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	list = feeds();
	for (size_t i = 0; i < n; i++) {
		const char *url = ms_fixture_url(h.fx, "x.localhost",
						 hs[i].path);
		char *e = last_error(list, url);

		cr_assert_not_null(e, "%s not listed", url);
		cr_log_info("%s (%s): last_error \"%s\"", hs[i].path,
			    hs[i].what, e);
		if (!hs[i].may_parse)
			cr_expect(*e, "%s (%s): no error recorded",
				  hs[i].path, hs[i].what);
		else	/* read in recover mode, as feedparser's bozo */
			cr_expect(*e || status(list, url) == 200, "%s (%s): "
				  "neither an error nor analysed",
				  hs[i].path, hs[i].what);
		free(e);
		free(hs[i].body);
	}
	expect_good_unaffected(list, good);
	json_decref(list);
}

/* R-SE-2 with allow_private false: a URL found in a feed that would lead
 * to 127.0.0.1 (here: it redirects there) is blocked at connect time and
 * recorded as blocked_address; nothing reaches the server.  (On a
 * loopback web the discovered URL's own address is already refused, so
 * the redirect is never requested.) */
Test(harden_guarded, r_se_2_discovered_redirect_to_loopback_is_blocked)
{
	const char *good = good_feed();
	char *extra, *body, *uc;
	char target[256];
	struct ms_fixture_resp feed = { 0 }, hop = { .status = 302 },
			       secret = { .body = "secret" };
	json_t *list;

	uc = ms_xstrdup(ms_fixture_url(h.fx, "ssrf.localhost", "/c-local"));
	snprintf(target, sizeof(target), "http://127.0.0.1:%u/secret",
		 ms_fixture_port(h.fx));
	hop.location = target;
	serve("ssrf.localhost", "/c-local", &hop);
	serve("127.0.0.1", "/secret", &secret);
	extra = ms_xasprintf("<wfw:commentRss>%s</wfw:commentRss>", uc);
	body = rss("ssrf.localhost", 1, extra);
	feed.body = body;
	serve("ssrf.localhost", "/feed", &feed);
	add(ms_fixture_url(h.fx, "ssrf.localhost", "/feed"));
	add(good);
	crawl();
	cr_expect_eq(ms_fixture_count(h.fx, NULL, "/c-local"), 0);
	cr_expect_eq(ms_fixture_count(h.fx, NULL, "/secret"), 0);
	list = feeds();
	expect_error(list, uc, "blocked_address");
	expect_good_unaffected(list, good);
	json_decref(list);
	free(extra);
	free(body);
	free(uc);
}

/*
 * The sniffer's copy of a document's head once stopped at a NUL byte
 * while its length said more, so the root-name scan read past it (found
 * by the hostile crawl above under ASan).  Documents in exact-size
 * buffers, NULs before, inside and after the prolog.
 */
Test(harden_hostile, nul_bytes_in_the_head_stay_in_bounds)
{
#define D(x) { x, sizeof(x) - 1 }
	static const struct {
		const char *s;
		size_t n;
	} docs[] = {
		D("<?xml version=\"1.0\"?>\0<rss version=\"2.0\"></rss>"),
		D("<!-- a \0 comment --><rss version=\"2.0\"><channel>"
		  "<title>x</title></channel></rss>"),
		D("<!DOCTYPE rss [\0]><rss/>"),
		D("\0\0\0\0<rss/>"),
		D("<rss version=\"2.0\"><channel><title>a\0b</title>"
		  "</channel></rss>"),
	};
#undef D

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct ms_doc *doc = NULL;
		struct ms_err err = { 0 };
		char *buf = ms_xmalloc(docs[i].n);
		int rc;

		memcpy(buf, docs[i].s, docs[i].n);
		rc = ms_doc_parse(buf, docs[i].n, NULL, &doc, &err);
		cr_expect(rc == MS_OK || rc == MS_EPARSE, "doc %zu: rc %d %s",
			  i, rc, err.msg);
		ms_doc_free(doc);
		free(buf);
	}
}
