/*
 * Tests for the encoding rules of analyzer/doc.c (feedparser's: BOM and
 * UTF-16/32 signatures, the HTTP charset against the XML declaration per
 * RFC 3023, fallbacks marked recovered) and for recovering broken feeds.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

static struct ms_doc *
parse_mem(const char *data, size_t len, const char *ctype)
{
	struct ms_parse_opts o = { .content_type = ctype };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;

	cr_assert_eq(ms_doc_parse(data, len, &o, &doc, &err), MS_OK,
		     "ms_doc_parse: %s", err.msg);
	return doc;
}

static struct ms_doc *
parse_fixture(const char *name, const char *ctype)
{
	char *path = ms_test_fixture(name);
	size_t len = 0;
	char *data = ms_test_read_file(path, &len);
	struct ms_doc *doc;

	cr_assert_not_null(data, "cannot read fixture '%s'", path);
	doc = parse_mem(data, len, ctype);
	free(data);
	free(path);
	return doc;
}

static void
str_is(const char *got, const char *want, const char *what)
{
	if (!want) {
		cr_expect_null(got, "%s: expected none, got '%s'", what, got);
		return;
	}
	cr_expect_not_null(got, "%s: expected '%s', got none", what, want);
	if (got)
		cr_expect_str_eq(got, want, "%s", what);
}

/* What windows1252*.xml and misdeclared_utf8.xml say, in UTF-8. */
static void
expect_mueller(const struct ms_doc *doc)
{
	str_is(doc->title, "M\xc3\xbcllers \xe2\x80\x9eNotizen\xe2\x80\x9c",
	       "title: 0x84 0x93 are quotes, 0xFC is u-umlaut");
	cr_assert_eq(doc->nentries, 1);
	str_is(doc->entries[0].title, "Preise \xe2\x80\x93 5 \xe2\x82\xac "
	       "f\xc3\xbcr alles", "0x96 dash, 0x80 euro");
	str_is(doc->entries[0].author.name, "Hans M\xc3\xbcller", "author");
	str_is(doc->entries[0].author.email, "hans@mueller.example", "email");
}

Test(analyzer_feed_encoding, declared_windows1252_is_decoded)
{
	struct ms_doc *doc = parse_fixture("feeds/windows1252.xml", NULL);

	str_is(doc->encoding, "windows-1252", "encoding");
	cr_expect_not(doc->recovered, "%s", doc->error);
	expect_mueller(doc);
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, http_charset_decodes_a_document_without_declaration)
{
	struct ms_doc *doc = parse_fixture("feeds/windows1252_nodecl.xml",
					   "text/xml; charset=windows-1252");

	str_is(doc->encoding, "windows-1252", "encoding from the header");
	cr_expect_not(doc->recovered, "%s", doc->error);
	expect_mueller(doc);
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, misdeclared_utf8_is_read_as_windows1252_and_recovered)
{
	struct ms_doc *doc = parse_fixture("feeds/misdeclared_utf8.xml", NULL);

	str_is(doc->encoding, "windows-1252", "the encoding that worked");
	cr_expect(doc->recovered, "the declaration was wrong");
	cr_assert_not_null(doc->error);
	cr_expect(strstr(doc->error, "utf-8") && strstr(doc->error,
							 "windows-1252"),
		  "error names both: '%s'", doc->error);
	expect_mueller(doc);
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, utf16_with_bom_is_decoded)
{
	struct ms_doc *doc = parse_fixture("feeds/utf16le_bom.xml", NULL);

	str_is(doc->encoding, "utf-16le", "utf-16 normalized by the BOM");
	cr_expect_not(doc->recovered, "%s", doc->error);
	str_is(doc->title, "Gr\xc3\xb6\xc3\x9f" "e \xe2\x98\x83 "
	       "\xe6\x97\xa5\xe6\x9c\xac", "title");
	cr_assert_eq(doc->nentries, 1);
	str_is(doc->entries[0].title, "\xc3\x89t\xc3\xa9", "entry title");
	str_is(doc->entries[0].link, "http://u16.example/ete", "link");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, utf16_without_bom_is_found_by_its_signature)
{
	/* "<?xml" in UTF-16BE, no BOM: feedparser's signature table. */
	static const char xml[] =
		"\0<\0?\0x\0m\0l\0 \0v\0e\0r\0s\0i\0o\0n\0=\0\"\0001\0.\0000"
		"\0\"\0?\0>\0<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0<\0t\0i"
		"\0t\0l\0e\0>\0h\0\xe9\0<\0/\0t\0i\0t\0l\0e\0>\0<\0/\0c\0h\0a"
		"\0n\0n\0e\0l\0>\0<\0/\0r\0s\0s\0>";
	struct ms_doc *doc = parse_mem(xml, sizeof(xml) - 1, NULL);

	str_is(doc->encoding, "utf-16be", "encoding");
	str_is(doc->title, "h\xc3\xa9", "title");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, utf8_bom_outranks_a_conflicting_declaration)
{
	struct ms_doc *doc = parse_fixture("feeds/utf8_bom_conflict.xml", NULL);

	str_is(doc->encoding, "utf-8", "the BOM wins (RFC 7303)");
	str_is(doc->title, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln",
	       "not garbled as iso-8859-1");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, rfc3023_defaults_by_media_type)
{
	static const char ascii[] = "<rss version=\"2.0\"><channel><title>t"
				    "</title></channel></rss>";
	static const char latin[] = "<?xml version=\"1.0\" encoding=\"iso-8859"
				    "-1\"?><rss version=\"2.0\"><channel><title>"
				    "caf\xe9</title></channel></rss>";
	struct ms_doc *doc;

	/* text/xml without charset is us-ascii, whatever the file says. */
	doc = parse_mem(ascii, sizeof(ascii) - 1, "text/xml");
	str_is(doc->encoding, "us-ascii", "text/xml");
	cr_expect_not(doc->recovered);
	ms_doc_free(doc);
	/* application/xml: the declaration counts. */
	doc = parse_mem(latin, sizeof(latin) - 1, "application/rss+xml");
	str_is(doc->encoding, "iso-8859-1", "application/*+xml");
	str_is(doc->title, "caf\xc3\xa9", "title");
	cr_expect_not(doc->recovered);
	ms_doc_free(doc);
	/* text/xml overrides the declaration, and the bytes are not ASCII:
	 * read by the declaration, marked recovered. */
	doc = parse_mem(latin, sizeof(latin) - 1, "text/xml");
	str_is(doc->encoding, "iso-8859-1", "fell back to the declaration");
	cr_expect(doc->recovered, "us-ascii was wrong");
	ms_doc_free(doc);
	/* The HTTP charset wins over the declaration. */
	doc = parse_mem(ascii, sizeof(ascii) - 1,
			"application/xml; charset='us-ascii'");
	str_is(doc->encoding, "us-ascii", "charset parameter");
	ms_doc_free(doc);
	/* No file, no header: the declaration, else utf-8. */
	doc = parse_mem(ascii, sizeof(ascii) - 1, NULL);
	str_is(doc->encoding, "utf-8", "no header");
	ms_doc_free(doc);
	/* gb2312 is read as its superset gb18030. */
	doc = parse_mem(ascii, sizeof(ascii) - 1, "application/xml; "
			"charset=gb2312");
	str_is(doc->encoding, "gb18030", "gb2312");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, a_non_xml_media_type_marks_the_document_recovered)
{
	static const char xml[] = "<rss version=\"2.0\"><channel><title>t"
				  "</title></channel></rss>";
	struct ms_doc *doc = parse_mem(xml, sizeof(xml) - 1, "text/plain");

	cr_expect(doc->recovered);
	cr_assert_not_null(doc->error);
	cr_expect(strstr(doc->error, "text/plain") != NULL, "error '%s'",
		  doc->error);
	str_is(doc->title, "t", "still read");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, invalid_utf8_falls_back_to_windows1252)
{
	static const char xml[] = "<rss version=\"2.0\"><channel><title>"
				  "don\x92t</title></channel></rss>";
	struct ms_doc *doc = parse_mem(xml, sizeof(xml) - 1, NULL);

	str_is(doc->encoding, "windows-1252", "encoding");
	cr_expect(doc->recovered);
	str_is(doc->title, "don\xe2\x80\x99t", "0x92 is an apostrophe");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, broken_rss_is_recovered_with_its_entries)
{
	struct ms_doc *doc = parse_fixture("feeds/broken_rss.xml", NULL);

	cr_expect(doc->recovered);
	cr_assert_not_null(doc->error);
	cr_expect(!strncmp(doc->error, "line ", 5), "first error with its "
		  "line: '%s'", doc->error);
	/* The bare ampersands are the author's: kept, not eaten. */
	str_is(doc->title, "Bob & Alice's Blog", "title");
	cr_assert_eq(doc->nentries, 2, "both items, the cut-off one too");
	str_is(doc->entries[0].link, "http://bob.example/posts?id=1&lang=en",
	       "link with a bare &");
	str_is(doc->entries[0].title, "First post", "title");
	cr_expect_eq(doc->entries[0].nlinks, 1);
	if (doc->entries[0].nlinks)
		str_is(doc->entries[0].links[0], "http://alice.example/",
		       "raw HTML in a description");
	cr_assert_not_null(doc->entries[0].text);
	str_is(doc->entries[0].text, "Hello world, see Alice.",
	       "&nbsp; read as HTML would");
	str_is(doc->entries[1].title, "Second post", "the cut-off item");
	str_is(doc->entries[1].link, "http://bob.example/posts?id=2", "link");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, an_html_page_is_not_read_as_a_feed)
{
	static const char html[] = "<!DOCTYPE html>\n<html><head><title>Blog"
				   "</title></head><body><p>Hi</p></body>"
				   "</html>";
	struct ms_parse_opts o = { .content_type = "text/html; charset=utf-8" };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	int rc = ms_doc_parse(html, sizeof(html) - 1, &o, &doc, &err);

	/* ms_html_parse decides; whatever it says, this is no feed. */
	if (rc == MS_OK) {
		cr_expect_eq(doc->kind, MS_DOC_HTML);
		ms_doc_free(doc);
	} else {
		cr_expect_null(doc);
	}
}

Test(analyzer_feed_encoding, a_feed_served_as_html_is_still_a_feed)
{
	static const char xml[] = "<?xml version=\"1.0\"?><rss version=\"2.0\">"
				  "<channel><title>t</title></channel></rss>";
	struct ms_doc *doc = parse_mem(xml, sizeof(xml) - 1,
				       "text/html; charset=utf-8");

	cr_expect_eq(doc->kind, MS_DOC_RSS);
	cr_expect(doc->recovered, "text/html is not an XML media type");
	ms_doc_free(doc);
}

Test(analyzer_feed_encoding, references_keep_their_meaning_after_an_error)
{
	/* libxml2's recovery alone would read "ATT" and "?a=1b=2" here. */
	static const char xml[] =
		"<rss version=\"2.0\"><channel><title>a&nbsp;b</title><item>"
		"<title>AT&amp;T &#169; &lt;x&gt;</title>"
		"<link>http://x.example/?a=1&amp;b=2</link></item></channel>"
		"</rss>";
	struct ms_doc *doc = parse_mem(xml, sizeof(xml) - 1, NULL);

	cr_expect(doc->recovered, "&nbsp; is not XML");
	str_is(doc->error, "line 1: Entity 'nbsp' not defined", "error");
	str_is(doc->title, "a b", "the HTML entity, as a space");
	cr_assert_eq(doc->nentries, 1);
	str_is(doc->entries[0].title, "AT&T \xc2\xa9 <x>", "title");
	str_is(doc->entries[0].link, "http://x.example/?a=1&b=2", "link");
	ms_doc_free(doc);
}
