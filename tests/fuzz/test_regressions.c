/*
 * test_regressions.c — what the fuzz targets (fuzz/) found, kept found.
 *
 * Every input a target crashed on is committed under
 * tests/fixtures/fuzz/<target>/ and replayed here through the target's
 * own code (fuzz/fuzz_<target>.c built with -DMS_FUZZ_REPLAY): the same
 * calls and the same invariant checks, which abort on a regression, and
 * under `make check`'s second pass ASan and UBSan see every byte.  Each
 * finding also has a named test that states the fixed behaviour directly.
 */
#include "fuzz/fuzz.h"
#include "analyzer/analyzer.h"
#include "analyzer/internal.h"
#include "tests/lib/testutil.h"
#include "util/err.h"
#include "util/url.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/*
 * Run every file of tests/fixtures/fuzz/<target>/ through fn; returns how
 * many, or -1 when there is no such directory.  Each input goes in a
 * buffer of exactly its size, as libFuzzer gives it (the file reader adds
 * a NUL that would hide a read one past the end).
 */
static int
replay(const char *target, int (*fn)(const uint8_t *, size_t))
{
	char *rel, *dir = NULL;
	struct dirent *de;
	int n = 0;
	DIR *d;

	cr_assert(asprintf(&rel, "fuzz/%s", target) > 0);
	dir = ms_test_fixture(rel);
	free(rel);
	d = opendir(dir);
	if (!d) {
		free(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		char *path;
		size_t len;
		char *text;
		uint8_t *exact;

		if (de->d_name[0] == '.')
			continue;
		cr_assert(asprintf(&path, "%s/%s", dir, de->d_name) > 0);
		text = ms_test_read_file(path, &len);
		cr_assert_not_null(text, "cannot read '%s'", path);
		exact = malloc(len ? len : 1);
		cr_assert_not_null(exact);
		memcpy(exact, text, len);
		free(text);
		fprintf(stderr, "replaying %s\n", path);
		fn(exact, len);
		free(exact);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	return n;
}

#define REPLAY(name)                                                          \
	Test(fuzz_replay, name)                                               \
	{                                                                     \
		if (replay(#name, ms_fuzz_##name) < 0)                        \
			cr_skip_test("no crash inputs committed for "         \
				     "fuzz_" #name);                          \
	}

REPLAY(config)
REPLAY(dates)
REPLAY(feed)
REPLAY(html)
REPLAY(opml)
REPLAY(records)
REPLAY(robots)
REPLAY(url)

/* ---------------------------------------------------------- findings */

/* fuzz_dates: "+000401050004…" summed every digit of a zone offset into
 * an int (signed overflow, UBSan); more than four digits are no offset. */
Test(fuzz_dates, long_digit_run_in_zone_offset_is_no_date)
{
	cr_expect_eq(ms_date_parse("Sun, 06 Nov 1994 08:49:37 "
				   "+00040105000401050004"),
		     MS_TIME_NONE);
	cr_expect_eq(ms_date_parse("Sun, 06 Nov 1994 08:49:37 "
				   "GMT+01:99999999999"),
		     MS_TIME_NONE);
	cr_expect_eq(ms_date_parse("Sun, 06 Nov 1994 08:49:37 +0100"),
		     784111777 - 3600, "a real offset still counts");
}

/* fuzz_feed, fuzz_html: the sniffers were told the head had all its bytes
 * but got a strndup copy cut at the first NUL, and read past its end. */
Test(fuzz_feed, nul_byte_in_head_is_sniffed_not_overread)
{
	static const char doc[] = "<!-- a\0b -->\n<rss version=\"2.0\">"
				  "<channel><title>T</title><item><title>I"
				  "</title></item></channel></rss>";
	struct ms_parse_opts o = { .content_type = "text/html" };
	struct ms_doc *d = NULL;
	struct ms_err err = { 0 };
	int rc = ms_doc_parse(doc, sizeof(doc) - 1, &o, &d, &err);

	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	/* The <rss> root past the NUL makes it a feed whatever the content
	 * type says; libxml2 then stops at the NUL, so it is recovered. */
	cr_expect_neq(d->kind, MS_DOC_HTML, "read as HTML: the sniffer did "
		      "not see the root past the NUL");
	cr_expect(d->recovered, "a NUL in a feed is not well-formed");
	ms_doc_free(d);
}

/* fuzz_url: "http://www./" gave the empty site identity. */
Test(fuzz_url, www_dot_host_keeps_a_nonempty_site)
{
	struct ms_err err = { 0 };
	char *site = NULL;

	cr_assert_eq(ms_url_site("http://www./", &site, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(site, "www.");
	free(site);
	cr_assert_eq(ms_url_site("https://www.Example.com/blog/feed/", &site,
				 &err), MS_OK, "%s", err.msg);
	cr_expect_str_eq(site, "example.com/blog");
	free(site);
}

/* fuzz_feed: in recovery libxml2 drops an element whose start tag has no
 * '>' without reporting its end; the parser's event count then named the
 * wrong nodes, freed the open item as the channel's child and read it
 * after (heap use after free).  Depth now comes from the tree. */
Test(fuzz_feed, start_tag_without_gt_keeps_the_item)
{
	static const char doc[] =
		"<rss version=\"2.0\"\x01>\n<channel>\n<item>\n"
		"<title>A</title>\n"
		"<guid x=\"1\"\x01>http://a.example/1</guid>\n"
		"</item>\n</channel>\n</rss>\n";
	struct ms_doc *d = NULL;
	struct ms_err err = { 0 };
	int rc = ms_doc_parse(doc, sizeof(doc) - 1, NULL, &d, &err);

	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	cr_expect(d->recovered);
	cr_expect_eq(d->kind, MS_DOC_RSS, "kind %d", (int)d->kind);
	cr_assert_eq(d->nentries, 1);
	cr_expect_str_eq(d->entries[0].title, "A");
	ms_doc_free(d);
}

/* fuzz_html: a text under 4 bytes ending in a whole 2-byte character was
 * cut to its lead byte (lead > n - 4 wrapped), leaving invalid UTF-8. */
Test(fuzz_html, short_text_keeps_its_last_character)
{
	struct ms_fragment f;
	struct ms_arena a;

	ms_arena_init(&a);
	ms_fragment_parse(&a, "<p>\xc2\xb7</p>", 10, NULL, 64, &f);
	cr_expect_str_eq(f.text, "\xc2\xb7");
	ms_fragment_parse(&a, "<p>a\xc3\xa9</p>", 10, NULL, 64, &f);
	cr_expect_str_eq(f.text, "a\xc3\xa9");
	/* A cap inside a character still cuts before it. */
	ms_fragment_parse(&a, "<p>ab\xc3\xa9</p>", 11, NULL, 3, &f);
	cr_expect_str_eq(f.text, "ab");
	ms_arena_release(&a);
}

/* fuzz_feed: streamed, a comment's entry_link was its item's link itself
 * (strip_fragment returns a link without '#' unchanged), in the scratch
 * arena freed after each item: `parse --json` read it after the free. */
static int
count_entry(void *arg, const struct ms_doc *doc, const struct ms_entry *e)
{
	(void)doc;
	(void)e;
	++*(int *)arg;
	return MS_OK;
}

Test(fuzz_feed, streamed_comment_keeps_its_entry_link)
{
	static const char doc[] =
		"<rss version=\"2.0\"><channel><title>Comments on: A post"
		"</title><link>https://blog.example/a-post/</link>\n"
		"<item><title>By: Bob</title>"
		"<link>https://blog.example/a-post/</link>"
		"<description>Thanks!</description></item>\n"
		"<item><title>By: Carol</title>"
		"<link>https://blog.example/other-post/?x=0123456789</link>"
		"<description>Same here, a longer comment.</description>"
		"</item>\n</channel></rss>\n";
	struct ms_parse_opts o = { .on_entry = count_entry };
	struct ms_doc *d = NULL;
	struct ms_err err = { 0 };
	int n = 0, rc;

	o.on_entry_arg = &n;
	rc = ms_doc_parse(doc, sizeof(doc) - 1, &o, &d, &err);
	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	cr_expect_eq(n, 2, "both items streamed");
	cr_assert_eq(d->ncomments, 2);
	cr_expect_str_eq(d->comments[0].entry_link,
			 "https://blog.example/a-post/");
	cr_expect_str_eq(d->comments[1].entry_link,
			 "https://blog.example/other-post/?x=0123456789");
	ms_doc_free(d);
}

/* fuzz_feed: in recovery libxml2 can leave a namespace with no URI on the
 * root ("<D xmlns=\"h<RDF" leaves the broken xmlns on <RDF>); its NULL
 * href went to strcasecmp (UBSan: null argument). */
Test(fuzz_feed, namespace_without_uri_is_skipped)
{
	static const char doc[] = "<D xmlns=\"h<RDF";
	struct ms_doc *d = NULL;
	struct ms_err err = { 0 };
	int rc = ms_doc_parse(doc, sizeof(doc) - 1, NULL, &d, &err);

	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	cr_expect_eq(d->kind, MS_DOC_RDF, "kind %d", (int)d->kind);
	cr_expect(d->recovered);
	cr_expect_null(d->version, "no RSS namespace, no version");
	ms_doc_free(d);
}
