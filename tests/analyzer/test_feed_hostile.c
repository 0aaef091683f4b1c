/*
 * Tests for the hostile-input defences of analyzer/doc.c and feed.c
 * (RELIABILITY.md §3.3, R-SE-5/6/7, R-PA-3): external entities stay
 * unexpanded and unfetched, entity bombs and deep nesting fail fast with
 * an error, compressed bytes are refused, size caps hold.  The inputs are
 * built here: they are too large or too odd to keep as fixture files.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "analyzer/analyzer.h"
#include "util/err.h"
#include "util/valgrind.h"

/* Time bounds tell linear from quadratic; valgrind runs code ~25x
 * slower, so they stretch by as much (quadratic would still overrun). */
#define SLOW (RUNNING_ON_VALGRIND ? 25.0 : 1.0)

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
parse(const char *data, size_t len, struct ms_doc **doc, struct ms_err *err)
{
	struct ms_parse_opts o = { 0 };

	*doc = NULL;
	return ms_doc_parse(data, len, &o, doc, err);
}

/* A loopback listener nobody should ever connect to. */
static int
listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(fd, 4), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

Test(analyzer_feed_hostile, external_entities_are_neither_expanded_nor_fetched)
{
	struct ms_doc *doc;
	struct ms_err err = { 0 };
	struct pollfd pfd;
	char xml[1024];
	int port, fd = listener(&port), n;

	n = snprintf(xml, sizeof(xml),
		     "<?xml version=\"1.0\"?>\n"
		     "<!DOCTYPE rss [\n"
		     "<!ENTITY passwd SYSTEM \"file:///etc/passwd\">\n"
		     "<!ENTITY remote SYSTEM \"http://127.0.0.1:%d/secret\">\n"
		     "<!ENTITY %% pe SYSTEM \"http://127.0.0.1:%d/dtd\">\n"
		     "%%pe;\n]>\n"
		     "<rss version=\"2.0\"><channel><title>t &passwd; "
		     "&remote;</title><item><title>&passwd;</title>"
		     "<description>&remote;</description></item>"
		     "</channel></rss>\n", port, port);
	cr_assert_eq(parse(xml, (size_t)n, &doc, &err), MS_OK, "%s", err.msg);
	cr_assert_not_null(doc->title);
	cr_expect_null(strstr(doc->title, "root:"), "no /etc/passwd in '%s'",
		       doc->title);
	cr_expect_str_eq(doc->title, "t", "the references are left out");
	cr_assert_eq(doc->nentries, 1);
	cr_expect_null(doc->entries[0].title, "nothing from the file");
	pfd.fd = fd;
	pfd.events = POLLIN;
	cr_expect_eq(poll(&pfd, 1, 200), 0, "no connection to the loopback "
		     "listener");
	close(fd);
	ms_doc_free(doc);
}

Test(analyzer_feed_hostile, billion_laughs_fails_fast)
{
	char *xml = malloc(4096), *p = xml;
	struct ms_doc *doc;
	struct ms_err err = { 0 };
	double t0;

	p += sprintf(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
		     "<!ENTITY lol \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		p += sprintf(p, "<!ENTITY lol%d \"", i);
		for (int j = 0; j < 10; j++)
			p += sprintf(p, i == 1 ? "&lol;" : "&lol%d;", i - 1);
		p += sprintf(p, "\">\n");
	}
	p += sprintf(p, "]>\n<rss version=\"2.0\"><channel><title>&lol9;"
		     "</title></channel></rss>\n");
	t0 = now();
	cr_expect_eq(parse(xml, (size_t)(p - xml), &doc, &err), MS_EPARSE);
	cr_expect_lt(now() - t0, 1.0 * SLOW, "refused within a second");
	cr_expect_null(doc);
	cr_expect(strstr(err.msg, "entity") != NULL, "says why: '%s'",
		  err.msg);
	free(xml);
}

Test(analyzer_feed_hostile, quadratic_blowup_fails_fast)
{
	size_t big = 50000, refs = 20000, n = 0;
	char *xml = malloc(big + refs * 3 + 512);
	struct ms_doc *doc;
	struct ms_err err = { 0 };
	double t0;

	n += (size_t)sprintf(xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss "
			     "[<!ENTITY a \"");
	memset(xml + n, 'a', big);
	n += big;
	n += (size_t)sprintf(xml + n, "\">]>\n<rss version=\"2.0\"><channel>"
			     "<title>");
	for (size_t i = 0; i < refs; i++, n += 3)
		memcpy(xml + n, "&a;", 3);
	n += (size_t)sprintf(xml + n, "</title></channel></rss>\n");
	t0 = now();
	cr_expect_eq(parse(xml, n, &doc, &err), MS_EPARSE);
	cr_expect_lt(now() - t0, 1.0 * SLOW, "refused within a second");
	cr_expect(strstr(err.msg, "expand") != NULL, "says why: '%s'",
		  err.msg);
	free(xml);
}

Test(analyzer_feed_hostile, internal_parameter_entities_are_refused)
{
	static const char xml[] =
		"<!DOCTYPE rss [<!ENTITY % decl \"<!ENTITY x 'y'>\"> %decl;]>"
		"<rss version=\"2.0\"><channel><title>&x;</title></channel>"
		"</rss>";
	struct ms_doc *doc;
	struct ms_err err = { 0 };

	cr_expect_eq(parse(xml, sizeof(xml) - 1, &doc, &err), MS_EPARSE);
	cr_expect(strstr(err.msg, "parameter entit") != NULL, "'%s'",
		  err.msg);
}

Test(analyzer_feed_hostile, small_internal_entities_are_read)
{
	static const char xml[] =
		"<!DOCTYPE rss [<!ENTITY mdash \"&#8212;\"><!ENTITY co "
		"\"ACME\">]><rss version=\"2.0\"><channel><title>&co; &mdash; "
		"news</title></channel></rss>";
	struct ms_doc *doc;
	struct ms_err err = { 0 };

	cr_assert_eq(parse(xml, sizeof(xml) - 1, &doc, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(doc->title, "ACME \xe2\x80\x94 news");
	cr_expect_not(doc->recovered);
	ms_doc_free(doc);
}

/* depth nested elements, named name, inside an RSS item. */
static char *
nested(const char *open, const char *close, size_t depth, size_t *len)
{
	static const char head[] = "<rss version=\"2.0\"><channel><item>"
				   "<title>deep</title><description>";
	static const char tail[] = "</description></item></channel></rss>";
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc(sizeof(head) + depth * (lo + lc) + sizeof(tail));
	size_t n = 0;

	memcpy(s, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	for (size_t i = 0; i < depth; i++, n += lo)
		memcpy(s + n, open, lo);
	for (size_t i = 0; i < depth; i++, n += lc)
		memcpy(s + n, close, lc);
	memcpy(s + n, tail, sizeof(tail));
	*len = n + sizeof(tail) - 1;
	return s;
}

Test(analyzer_feed_hostile, deeply_nested_elements_are_an_error_not_a_crash)
{
	size_t len;
	char *xml = nested("<div>", "</div>", 100000, &len);
	struct ms_doc *doc;
	struct ms_err err = { 0 };
	double t0 = now();

	cr_expect_eq(parse(xml, len, &doc, &err), MS_EPARSE);
	cr_expect_null(doc);
	cr_expect(strstr(err.msg, "nested") != NULL, "says why: '%s'",
		  err.msg);
	cr_expect_lt(now() - t0, 1.0 * SLOW);
	free(xml);
}

Test(analyzer_feed_hostile, deeply_nested_html_content_is_cut_not_slow)
{
	/* Escaped, the nesting is in the HTML content: libxml2's HTML
	 * parser has no depth limit, ours stops reading it at 256. */
	size_t len;
	char *xml = nested("&lt;div&gt;&lt;a href='http://x.example/'&gt;",
			   "&lt;/a&gt;&lt;/div&gt;", 100000, &len);
	struct ms_doc *doc;
	struct ms_err err = { 0 };
	double t0 = now();

	cr_assert_eq(parse(xml, len, &doc, &err), MS_OK, "%s", err.msg);
	cr_expect_lt(now() - t0, 2.0 * SLOW, "no quadratic time");
	cr_assert_eq(doc->nentries, 1);
	cr_expect_eq(doc->entries[0].nlinks, 1);
	ms_doc_free(doc);
	free(xml);
}

Test(analyzer_feed_hostile, a_large_cdata_section_parses_in_linear_time)
{
	/* xmlTextReader's 512-byte pushes make this quadratic in 2.9.14. */
	static const char head[] = "<rss version=\"2.0\"><channel><item><title>"
				   "big</title><description><![CDATA[";
	static const char tail[] = "]]></description></item></channel></rss>";
	size_t body = 6 << 20, n = 0;
	char *xml = malloc(sizeof(head) + body + sizeof(tail));
	struct ms_doc *doc;
	struct ms_err err = { 0 };
	double t0;

	memcpy(xml, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	for (size_t i = 0; i < body / 5; i++, n += 5)
		memcpy(xml + n, "<br/>", 5);
	memcpy(xml + n, tail, sizeof(tail));
	n += sizeof(tail) - 1;
	t0 = now();
	cr_assert_eq(parse(xml, n, &doc, &err), MS_OK, "%s", err.msg);
	cr_expect_lt(now() - t0, 2.0 * SLOW, "took %.2f s", now() - t0);
	cr_assert_eq(doc->nentries, 1);
	cr_expect_str_eq(doc->entries[0].title, "big");
	ms_doc_free(doc);
	free(xml);
}

Test(analyzer_feed_hostile, gzip_bytes_are_refused_not_decompressed)
{
	/* printf '<rss version="2.0"><channel><title>x</title></channel>'\
	 * '</rss>' | gzip -9n: a real gzip stream of a valid feed. */
	static const unsigned char gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03,
		0xb3, 0x29, 0x2a, 0x2e, 0x56, 0x28, 0x4b, 0x2d, 0x2a, 0xce,
		0xcc, 0xcf, 0xb3, 0x55, 0x32, 0xd2, 0x33, 0x50, 0xb2, 0xb3,
		0x49, 0xce, 0x48, 0xcc, 0xcb, 0x4b, 0xcd, 0xb1, 0xb3, 0x29,
		0xc9, 0x2c, 0xc9, 0x49, 0xb5, 0xab, 0xb0, 0xd1, 0x87, 0x30,
		0x6c, 0xf4, 0xe1, 0x32, 0xfa, 0x40, 0x6d, 0x76, 0x00, 0xec,
		0x29, 0x95, 0xc4, 0x3c, 0x00, 0x00, 0x00,
	};
	struct ms_doc *doc;
	struct ms_err err = { 0 };

	cr_expect_eq(parse((const char *)gz, sizeof(gz), &doc, &err),
		     MS_EPARSE);
	cr_expect_null(doc);
	cr_expect(strstr(err.msg, "gzip") != NULL, "says why: '%s'",
		  err.msg);
}

Test(analyzer_feed_hostile, the_size_cap_holds)
{
	static const char xml[] = "<rss version=\"2.0\"><channel><title>t"
				  "</title></channel></rss>";
	struct ms_parse_opts o = { .max_size = 16 };
	struct ms_doc *doc = NULL;
	struct ms_err err = { 0 };

	cr_expect_eq(ms_doc_parse(xml, sizeof(xml) - 1, &o, &doc, &err),
		     MS_ETOOBIG);
	cr_expect_null(doc);
	cr_expect(strstr(err.msg, "limit") != NULL, "'%s'", err.msg);
}

Test(analyzer_feed_hostile, binary_and_empty_input_are_errors_or_recovered)
{
	static const char nul[] = "<rss version=\"2.0\"><channel><title>a\0b"
				  "</title>\x01\x02</channel></rss>";
	static const char text[] = "just some words, no markup";
	static const char comment[] = "<!-- nothing else -->";
	struct ms_doc *doc;
	struct ms_err err = { 0 };

	cr_expect_eq(parse("", 0, &doc, &err), MS_EPARSE, "empty");
	cr_expect_eq(parse(text, sizeof(text) - 1, &doc, &err), MS_EPARSE,
		     "no markup");
	cr_assert_eq(parse(comment, sizeof(comment) - 1, &doc, &err), MS_OK,
		     "%s", err.msg);
	cr_expect(doc->recovered, "an empty XML document");
	ms_doc_free(doc);
	cr_assert_eq(parse(nul, sizeof(nul) - 1, &doc, &err), MS_OK, "%s",
		     err.msg);
	cr_expect(doc->recovered, "NUL and control bytes are not XML");
	ms_doc_free(doc);
}
