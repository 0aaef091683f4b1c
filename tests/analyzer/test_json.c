/*
 * Tests for analyzer/json.c: the DESIGN.md `parse --json` object, nothing
 * more (no invented or empty values), and the streamed form equal to the
 * whole one.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

static char *
fixture(const char *name, size_t *len)
{
	char *path = ms_test_fixture(name);
	char *data = ms_test_read_file(path, len);

	cr_assert_not_null(data, "cannot read '%s'", path);
	free(path);
	return data;
}

static json_t *
doc_json(const char *name, const char *url)
{
	size_t len;
	char *data = fixture(name, &len), *s;
	struct ms_parse_opts o = { .url = url };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	json_error_t je;
	json_t *j;

	cr_assert_eq(ms_doc_parse(data, len, &o, &doc, &err), MS_OK, "%s",
		     err.msg);
	s = ms_doc_to_json(doc);
	cr_assert_not_null(s);
	j = json_loads(s, 0, &je);
	cr_assert_not_null(j, "not JSON: %s: %s", je.text, s);
	free(s);
	free(data);
	ms_doc_free(doc);
	return j;
}

static int
in(const char *k, const char *const *keys)
{
	for (; *keys; keys++)
		if (!strcmp(k, *keys))
			return 1;
	return 0;
}

/* Only the schema's keys, and no empty values. */
static void
keys_within(json_t *o, const char *const *keys, const char *where)
{
	const char *k;
	json_t *v;

	cr_assert(json_is_object(o), "%s is an object", where);
	json_object_foreach(o, k, v) {
		cr_expect(in(k, keys), "%s: '%s' is not in the schema", where,
			  k);
		if (json_is_string(v))
			cr_expect_neq(json_string_length(v), 0,
				      "%s.%s is empty", where, k);
		if (json_is_array(v) && strcmp(k, "entries") &&
		    strcmp(k, "comments"))
			cr_expect_neq(json_array_size(v), 0, "%s.%s is []",
				      where, k);
	}
}

static const char *const top_keys[] = {
	"kind", "version", "encoding", "recovered", "error", "title", "link",
	"language", "author", "feed_links", "entries", "comments", NULL,
};
static const char *const entry_keys[] = {
	"id", "title", "link", "published", "updated", "author", "authors",
	"categories", "comments_url", "comment_feed", "comment_count",
	"comments_open", "links", NULL,
};
static const char *const comment_keys[] = {
	"id", "entry_link", "in_reply_to", "published", "author", NULL,
};
static const char *const person_keys[] = { "name", "uri", "email", NULL };
static const char *const commenter_keys[] = { "name", "uri", NULL };

static void
is_rfc3339(json_t *v, const char *what)
{
	const char *s;

	if (!v)
		return;
	cr_assert(json_is_string(v), "%s is a string", what);
	s = json_string_value(v);
	cr_expect_eq(strlen(s), 20, "%s '%s'", what, s);
	cr_expect(s[4] == '-' && s[10] == 'T' && s[19] == 'Z', "%s '%s'",
		  what, s);
}

static void
check_schema(json_t *j)
{
	json_t *e, *c;
	size_t i;

	keys_within(j, top_keys, "document");
	cr_expect(json_is_boolean(json_object_get(j, "recovered")));
	cr_expect(json_is_array(json_object_get(j, "entries")));
	cr_expect(json_is_array(json_object_get(j, "comments")));
	cr_expect_eq(json_object_get(j, "error") != NULL,
		     json_is_true(json_object_get(j, "recovered")),
		     "error with recovered, and only then");
	if (json_object_get(j, "author"))
		keys_within(json_object_get(j, "author"), person_keys,
			    "author");
	json_array_foreach(json_object_get(j, "entries"), i, e) {
		json_t *a;
		size_t k;

		keys_within(e, entry_keys, "entry");
		is_rfc3339(json_object_get(e, "published"), "published");
		is_rfc3339(json_object_get(e, "updated"), "updated");
		if ((a = json_object_get(e, "author")))
			keys_within(a, person_keys, "entry author");
		json_array_foreach(json_object_get(e, "authors"), k, a)
			keys_within(a, person_keys, "entry authors[]");
		if ((a = json_object_get(e, "comment_count")))
			cr_expect(json_is_integer(a) &&
				  json_integer_value(a) >= 0);
	}
	json_array_foreach(json_object_get(j, "comments"), i, c) {
		keys_within(c, comment_keys, "comment");
		is_rfc3339(json_object_get(c, "published"), "published");
		if (json_object_get(c, "author"))
			keys_within(json_object_get(c, "author"),
				    commenter_keys, "comment author");
	}
}

Test(analyzer_json, every_fixture_follows_the_schema)
{
	static const char *const names[] = {
		"feeds/wordpress_rss2.xml", "feeds/wordpress_comments.xml",
		"feeds/blogger_atom.xml", "feeds/blogger_comments.xml",
		"feeds/threaded_atom.xml", "feeds/rdf_rss10.xml",
		"feeds/german_post.xml", "feeds/windows1252.xml",
		"feeds/misdeclared_utf8.xml", "feeds/utf16le_bom.xml",
		"feeds/broken_rss.xml",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		json_t *j = doc_json(names[i], "https://example.com/feed/");

		check_schema(j);
		json_decref(j);
	}
}

Test(analyzer_json, values_come_out_as_the_schema_says)
{
	json_t *j = doc_json("feeds/wordpress_rss2.xml",
			     "https://lenafischer.example/feed/");
	json_t *e = json_array_get(json_object_get(j, "entries"), 0);

	cr_expect_str_eq(json_string_value(json_object_get(j, "kind")), "rss");
	cr_expect_str_eq(json_string_value(json_object_get(j, "version")),
			 "rss20");
	cr_expect(json_is_false(json_object_get(j, "recovered")));
	cr_expect_null(json_object_get(j, "error"));
	cr_expect_null(json_object_get(j, "author"), "the feed names none");
	cr_expect_str_eq(json_string_value(json_object_get(e, "published")),
			 "2010-06-06T10:00:00Z");
	cr_expect_null(json_object_get(e, "updated"), "absent, not invented");
	cr_expect_eq(json_integer_value(json_object_get(e, "comment_count")),
		     12);
	cr_expect_null(json_object_get(e, "comments_open"), "unknown");
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_object_get(e, "author"), "name")),
			 "Lena Fischer");
	cr_expect_eq(json_array_size(json_object_get(e, "links")), 3);
	cr_expect_eq(json_array_size(json_object_get(j, "comments")), 0);
	json_decref(j);

	j = doc_json("feeds/blogger_comments.xml", NULL);
	e = json_array_get(json_object_get(j, "comments"), 1);
	cr_expect_str_eq(json_string_value(json_object_get(e, "in_reply_to")),
			 "tag:blogger.com,1999:blog-1234567890123456789.post-"
			 "2222222222222222222");
	cr_expect_null(json_object_get(json_object_get(e, "author"), "email"),
		       "commenters have name and uri only");
	json_decref(j);

	j = doc_json("feeds/broken_rss.xml", NULL);
	cr_expect(json_is_true(json_object_get(j, "recovered")));
	cr_expect(json_is_string(json_object_get(j, "error")));
	json_decref(j);
}

static int
stream_entry(void *arg, const struct ms_doc *doc, const struct ms_entry *e)
{
	return ms_json_stream_entry(arg, doc, e);
}

/* The streamed object is the whole one (key order aside). */
static void
stream_matches_whole(const char *name)
{
	size_t len, outlen = 0;
	char *data = fixture(name, &len), *out = NULL;
	FILE *f = open_memstream(&out, &outlen);
	struct ms_json_stream *s = ms_json_stream_new(f);
	struct ms_parse_opts o = { .url = "https://example.com/feed/",
				   .on_entry = stream_entry,
				   .on_entry_arg = s };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	json_t *streamed, *whole = doc_json(name, o.url);
	json_error_t je;

	cr_assert_eq(ms_doc_parse(data, len, &o, &doc, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(doc->nentries, 0, "entries were streamed");
	cr_assert_eq(ms_json_stream_end(s, doc), MS_OK);
	fclose(f);
	streamed = json_loads(out, 0, &je);
	cr_assert_not_null(streamed, "%s: streamed output is not JSON: %s",
			   name, je.text);
	cr_expect(json_equal(streamed, whole), "%s: streamed %s", name, out);
	json_decref(streamed);
	json_decref(whole);
	ms_doc_free(doc);
	free(out);
	free(data);
}

Test(analyzer_json, streamed_output_equals_the_whole_object)
{
	stream_matches_whole("feeds/wordpress_rss2.xml");
	stream_matches_whole("feeds/blogger_comments.xml");
	stream_matches_whole("feeds/threaded_atom.xml");
	stream_matches_whole("feeds/broken_rss.xml");
	stream_matches_whole("feeds/rdf_rss10.xml");
}

/* A feed large enough for the parser's worker thread (struct pool in
 * feed.c): entries come back in order and the same as read inline. */
Test(analyzer_json, a_large_streamed_feed_equals_the_whole_object)
{
	size_t cap = 2 << 20, n = 0, outlen = 0;
	char *xml = malloc(cap), *out = NULL, *s;
	FILE *f;
	struct ms_json_stream *st;
	struct ms_parse_opts o = { .url = "https://big.example/feed/" };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	json_t *whole, *streamed;
	json_error_t je;

	n += (size_t)snprintf(xml, cap, "<?xml version=\"1.0\"?><rss version="
			      "\"2.0\" xmlns:content=\"http://purl.org/rss/"
			      "1.0/modules/content/\"><channel><title>Big"
			      "</title>");
	for (int i = 0; i < 1500; i++)
		n += (size_t)snprintf(xml + n, cap - n,
			"<item><title>Post %d</title><link>/p/%d</link>"
			"<pubDate>Mon, 07 Jun 2010 10:%02d:00 GMT</pubDate>"
			"<category>c%d</category><description>Excerpt %d"
			"</description><content:encoded><![CDATA[<p>Post %d "
			"links to <a href=\"/p/%d\">the one before</a> and "
			"<a href=\"https://other%d.example/\">elsewhere</a>.</p>"
			"<p>%s</p>]]></content:encoded></item>",
			i, i, i % 60, i % 7, i, i, i - 1, i % 13,
			"Lorem ipsum dolor sit amet, consectetur adipiscing "
			"elit, sed do eiusmod tempor incididunt ut labore.");
	n += (size_t)snprintf(xml + n, cap - n, "</channel></rss>");
	cr_assert_gt(n, 256 << 10, "large enough for the worker");

	cr_assert_eq(ms_doc_parse(xml, n, &o, &doc, &err), MS_OK, "%s",
		     err.msg);
	s = ms_doc_to_json(doc);
	whole = json_loads(s, 0, &je);
	cr_assert_not_null(whole, "%s", je.text);
	free(s);
	ms_doc_free(doc);

	f = open_memstream(&out, &outlen);
	st = ms_json_stream_new(f);
	o.on_entry = stream_entry;
	o.on_entry_arg = st;
	cr_assert_eq(ms_doc_parse(xml, n, &o, &doc, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(ms_json_stream_end(st, doc), MS_OK);
	fclose(f);
	streamed = json_loads(out, 0, &je);
	cr_assert_not_null(streamed, "%s", je.text);
	cr_expect_eq(json_array_size(json_object_get(streamed, "entries")),
		     1500);
	cr_expect(json_equal(streamed, whole), "streamed and whole differ");
	json_decref(streamed);
	json_decref(whole);
	ms_doc_free(doc);
	free(out);
	free(xml);
}

Test(analyzer_json, invalid_utf8_does_not_cost_the_document)
{
	struct ms_doc doc;
	struct ms_entry e;
	json_error_t je;
	json_t *j;
	char *s;

	memset(&doc, 0, sizeof(doc));
	memset(&e, 0, sizeof(e));
	doc.kind = MS_DOC_HTML;
	doc.title = "bad \xff byte";
	doc.comments_open = -1;
	e.title = "caf\xe9 \xc3\xa9";
	e.published = e.updated = MS_TIME_NONE;
	e.comment_count = -1;
	e.comments_open = 1;
	doc.entries = &e;
	doc.nentries = 1;
	s = ms_doc_to_json(&doc);
	cr_assert_not_null(s);
	j = json_loads(s, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	cr_expect_str_eq(json_string_value(json_object_get(j, "title")),
			 "bad \xef\xbf\xbd byte");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(
				 json_object_get(j, "entries"), 0), "title")),
			 "caf\xef\xbf\xbd \xc3\xa9");
	cr_expect(json_is_true(json_object_get(json_array_get(
			  json_object_get(j, "entries"), 0), "comments_open")));
	cr_expect_str_eq(json_string_value(json_object_get(j, "kind")),
			 "html");
	json_decref(j);
	free(s);
}

/*
 * The streamed writer copies a string as it is when jansson would (no
 * escape needed, valid UTF-8) and hands it to jansson otherwise: each of
 * these titles, on either side of that line, must come out as the whole
 * (jansson-built) object has it, and as bytes jansson can read back.
 */
Test(analyzer_json, streamed_strings_are_what_jansson_writes)
{
	static const char *const titles[] = {
		"plain ascii", "caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80",
		"quote \" and backslash \\", "tab\there", "del \x7f",
		"overlong \xc0\xaf", "overlong3 \xe0\x80\xaf",
		"overlong4 \xf0\x80\x80\xaf", "surrogate \xed\xa0\x80",
		"past U+10FFFF \xf4\x90\x80\x80", "U+10FFFF \xf4\x8f\xbf\xbf",
		"cut \xe2\x80", "cut at end \xc3", "lone continuation \x80",
		"\xf5\x80\x80\x80 F5", "U+FFFF \xef\xbf\xbf",
		"U+D7FF \xed\x9f\xbf", "U+E000 \xee\x80\x80",
	};

	for (size_t i = 0; i < sizeof(titles) / sizeof(*titles); i++) {
		struct ms_doc doc;
		struct ms_entry e;
		struct ms_json_stream *st;
		json_error_t je;
		json_t *streamed, *whole;
		char *out = NULL, *w;
		const char *ents, *end;
		size_t outlen = 0;
		FILE *f = open_memstream(&out, &outlen);

		cr_assert_not_null(f);
		memset(&doc, 0, sizeof(doc));
		memset(&e, 0, sizeof(e));
		doc.kind = MS_DOC_RSS;
		doc.comments_open = -1;
		e.title = titles[i];
		e.published = e.updated = MS_TIME_NONE;
		e.comment_count = -1;
		e.comments_open = -1;
		st = ms_json_stream_new(f);
		cr_assert_eq(ms_json_stream_entry(st, &doc, &e), MS_OK);
		cr_assert_eq(ms_json_stream_end(st, &doc), MS_OK);
		fclose(f);
		doc.entries = &e;
		doc.nentries = 1;
		w = ms_doc_to_json(&doc);
		cr_assert_not_null(w);
		whole = json_loads(w, 0, &je);
		cr_assert_not_null(whole, "whole, title %zu: %s", i, je.text);
		streamed = json_loads(out, 0, &je);
		cr_assert_not_null(streamed, "streamed, title %zu: %s (%s)", i,
				   je.text, out);
		cr_expect(json_equal(streamed, whole), "title %zu: %s vs %s",
			  i, out, w);
		/* The same bytes: the entries as the whole object has them. */
		ents = strstr(w, "\"entries\":");
		cr_assert_not_null(ents);
		end = strstr(ents, "],\"comments\"");
		cr_assert_not_null(end);
		cr_expect(!strncmp(strstr(out, "\"entries\":"), ents,
				   (size_t)(end - ents + 1)),
			  "title %zu: %s vs %s", i, out, w);
		json_decref(streamed);
		json_decref(whole);
		free(w);
		free(out);
	}
}
