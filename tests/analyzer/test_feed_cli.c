/*
 * Tests for `mentorscout parse` (cli/cmd_parse.c): files and loopback URLs
 * (a libmicrohttpd server in this process serving the fixtures with the
 * headers a real server sends), the JSON and the text output, exit
 * statuses and the messages on stderr.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/testutil.h"

/* Keep curl away from any proxy: the server is on loopback. */
static const char *const env[] = { "no_proxy=*", "NO_PROXY=*", NULL };

static struct ms_test_run
run(const char *const *argv)
{
	struct ms_test_run r;

	cr_assert_eq(ms_test_run(&r, env, argv), 0, "cannot run mentorscout");
	return r;
}

static json_t *
json_of(const struct ms_test_run *r)
{
	json_error_t je;
	json_t *j = json_loads(r->out, 0, &je);

	cr_assert_not_null(j, "stdout is not one JSON object (%s): %s",
			   je.text, r->out);
	return j;
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

Test(analyzer_feed_cli, parse_file_json_exits_0_with_one_object)
{
	char *path = ms_test_fixture("feeds/wordpress_rss2.xml");
	const char *argv[] = { "parse", path, "--json", NULL };
	struct ms_test_run r = run(argv);
	json_t *j, *e;

	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect_str_empty(r.err);
	j = json_of(&r);
	cr_expect_str_eq(str(j, "kind"), "rss");
	cr_expect_str_eq(str(j, "title"), "Lena Fischer on Leadership");
	cr_assert_eq(json_array_size(json_object_get(j, "entries")), 2);
	e = json_array_get(json_object_get(j, "entries"), 0);
	cr_expect_str_eq(str(e, "comment_feed"), "https://lenafischer.example/"
			 "2010/06/06/one-on-ones/feed/");
	cr_expect_eq(json_integer_value(json_object_get(e, "comment_count")),
		     12);
	json_decref(j);
	ms_test_run_free(&r);
	free(path);
}

Test(analyzer_feed_cli, parse_file_prints_a_readable_summary)
{
	char *path = ms_test_fixture("feeds/wordpress_comments.xml");
	const char *argv[] = { "parse", path, NULL };
	struct ms_test_run r = run(argv);

	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.out, "rss rss20, utf-8") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "title:    Comments on: One-on-ones") != NULL,
		  "%s", r.out);
	cr_expect(strstr(r.out, "2 entries, 2 comments") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "reply to: https://lenafischer.example/?p=42"
			 "#comment-101") != NULL, "%s", r.out);
	ms_test_run_free(&r);
	free(path);
}

Test(analyzer_feed_cli, a_broken_feed_is_read_and_says_so)
{
	char *path = ms_test_fixture("feeds/broken_rss.xml");
	const char *argv[] = { "parse", path, "--json", NULL };
	struct ms_test_run r = run(argv);
	json_t *j;

	cr_expect_eq(r.status, 0, "recovered is not a failure: %s", r.err);
	j = json_of(&r);
	cr_expect(json_is_true(json_object_get(j, "recovered")));
	cr_expect_eq(json_array_size(json_object_get(j, "entries")), 2);
	json_decref(j);
	ms_test_run_free(&r);
	free(path);
}

Test(analyzer_feed_cli, content_type_flag_sets_the_charset)
{
	char *path = ms_test_fixture("feeds/windows1252_nodecl.xml");
	const char *argv[] = { "parse", path, "--json", "--content-type",
			       "text/xml; charset=windows-1252", NULL };
	struct ms_test_run r = run(argv);
	json_t *j;

	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	j = json_of(&r);
	cr_expect_str_eq(str(j, "encoding"), "windows-1252");
	cr_expect_str_eq(str(j, "title"), "M\xc3\xbcllers \xe2\x80\x9eNotizen"
			 "\xe2\x80\x9c");
	json_decref(j);
	ms_test_run_free(&r);
	free(path);
}

Test(analyzer_feed_cli, errors_name_the_file_and_exit_1)
{
	char *dir = ms_test_tmpdir("parse");
	char gz[512], big[512];
	static const unsigned char magic[] = { 0x1f, 0x8b, 0x08, 0, 0, 0 };
	const char *missing[] = { "parse", "no-such-feed.xml", "--json", NULL };
	const char *gzargv[] = { "parse", gz, NULL };
	const char *bigargv[] = { "parse", big, "--max-size", "10", NULL };
	struct ms_test_run r;

	snprintf(gz, sizeof(gz), "%s/feed.xml.gz", dir);
	snprintf(big, sizeof(big), "%s/feed.xml", dir);
	cr_assert_eq(ms_test_write_file(gz, magic, sizeof(magic)), 0);
	cr_assert_eq(ms_test_write_file(big, "<rss><channel/></rss>", 21), 0);

	r = run(missing);
	cr_expect_eq(r.status, 1);
	cr_expect_str_empty(r.out);
	cr_expect_str_eq(r.err, "mentorscout: cannot read 'no-such-feed.xml': "
			 "No such file or directory\n");
	ms_test_run_free(&r);

	r = run(gzargv);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "mentorscout: cannot parse '") == r.err &&
		  strstr(r.err, "gzip") != NULL, "%s", r.err);
	ms_test_run_free(&r);

	r = run(bigargv);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "limit") != NULL, "%s", r.err);
	ms_test_run_free(&r);
	ms_test_rmrf(dir);
	free(dir);
}

Test(analyzer_feed_cli, usage_errors_exit_2)
{
	static const char *const cases[][5] = {
		{ "parse", NULL },
		{ "parse", "a.xml", "b.xml", NULL },
		{ "parse", "ftp://example.com/feed.xml", NULL },
		{ "parse", "a.xml", "--max-size", "lots", NULL },
		{ "parse", "a.xml", "--bogus", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ms_test_run r = run(cases[i]);

		cr_expect_eq(r.status, 2, "case %zu: status %d, %s", i,
			     r.status, r.err);
		cr_expect(strstr(r.err, "try 'mentorscout parse --help'"),
			  "case %zu: %s", i, r.err);
		ms_test_run_free(&r);
	}
}

Test(analyzer_feed_cli, help_lists_every_option)
{
	const char *argv[] = { "parse", "--help", NULL };
	struct ms_test_run r = run(argv);

	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "usage: mentorscout parse FILE|URL"));
	cr_expect(strstr(r.out, "--json"));
	cr_expect(strstr(r.out, "--content-type TYPE"));
	cr_expect(strstr(r.out, "--max-size BYTES"));
	ms_test_run_free(&r);
}

/* ------------------------------------------------------- loopback URLs */

struct page {
	const char *path;	/* URL path served */
	const char *fixture;	/* tests/fixtures/... */
	const char *ctype;
	const char *location;	/* Content-Location, or NULL */
	unsigned status;
};

static const struct page pages[] = {
	{ "/feed", "feeds/windows1252_nodecl.xml",
	  "text/xml; charset=windows-1252", NULL, 200 },
	{ "/wp/feed/", "feeds/wordpress_rss2.xml", "application/rss+xml; "
	  "charset=UTF-8", "https://lenafischer.example/feed/", 200 },
	{ "/gone", "feeds/wordpress_rss2.xml", "text/html", NULL, 404 },
};

static enum MHD_Result
serve(void *cls, struct MHD_Connection *conn, const char *url,
      const char *method, const char *version, const char *upload,
      size_t *upload_size, void **state)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const struct page *pg = NULL;
	char *path, *data;
	size_t len = 0;

	(void)cls;
	(void)method;
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		if (!strcmp(url, pages[i].path))
			pg = &pages[i];
	if (!pg) {
		resp = MHD_create_response_from_buffer(0, "",
						       MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(conn, 404, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	path = ms_test_fixture(pg->fixture);
	data = ms_test_read_file(path, &len);
	free(path);
	resp = MHD_create_response_from_buffer(len, data,
					       MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", pg->ctype);
	if (pg->location)
		MHD_add_response_header(resp, "Content-Location",
					pg->location);
	ret = MHD_queue_response(conn, pg->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static struct MHD_Daemon *
start_server(unsigned *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
			     serve, NULL, MHD_OPTION_SOCK_ADDR, &a,
			     MHD_OPTION_END);
	cr_assert_not_null(d, "cannot start the loopback server");
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	cr_assert_not_null(info);
	*port = info->port;
	return d;
}

Test(analyzer_feed_cli, parse_url_uses_the_served_charset)
{
	unsigned port;
	struct MHD_Daemon *d = start_server(&port);
	char url[128];
	const char *argv[] = { "parse", url, "--json", NULL };
	struct ms_test_run r;
	json_t *j;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/feed", port);
	r = run(argv);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	j = json_of(&r);
	cr_expect_str_eq(str(j, "encoding"), "windows-1252");
	cr_expect_not(json_is_true(json_object_get(j, "recovered")));
	cr_expect_str_eq(str(j, "title"), "M\xc3\xbcllers \xe2\x80\x9eNotizen"
			 "\xe2\x80\x9c");
	json_decref(j);
	ms_test_run_free(&r);
	MHD_stop_daemon(d);
}

Test(analyzer_feed_cli, parse_url_resolves_relative_links_against_content_location)
{
	unsigned port;
	struct MHD_Daemon *d = start_server(&port);
	char url[128];
	const char *argv[] = { "parse", url, "--json", NULL };
	struct ms_test_run r;
	json_t *j, *links;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/wp/feed/", port);
	r = run(argv);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	j = json_of(&r);
	links = json_object_get(json_array_get(json_object_get(j, "entries"),
					       0), "links");
	cr_assert_eq(json_array_size(links), 3, "%s", r.out);
	/* "/2010/05/01/feedback/" in the post, against Content-Location. */
	cr_expect_str_eq(json_string_value(json_array_get(links, 1)),
			 "https://lenafischer.example/2010/05/01/feedback/");
	json_decref(j);
	ms_test_run_free(&r);
	MHD_stop_daemon(d);
}

Test(analyzer_feed_cli, parse_url_http_error_exits_1)
{
	unsigned port;
	struct MHD_Daemon *d = start_server(&port);
	char url[128];
	const char *argv[] = { "parse", url, "--json", NULL };
	struct ms_test_run r;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/gone", port);
	r = run(argv);
	cr_expect_eq(r.status, 1);
	cr_expect_str_empty(r.out);
	cr_expect(strstr(r.err, "mentorscout: cannot fetch 'http://127.0.0.1:")
		  == r.err && strstr(r.err, "404"), "%s", r.err);
	ms_test_run_free(&r);
	MHD_stop_daemon(d);
}
