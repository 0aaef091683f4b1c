/*
 * Tests for analyzer/feed.c through ms_doc_parse: feeds in the real markup
 * of WordPress, Blogger, Movable Type (RSS 1.0) and RFC 4685 threading
 * (tests/fixtures/feeds/), with every field the parser extracts checked,
 * plus the feedparser rules for versions, authors, guids and xml:base.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

static struct ms_doc *
parse_mem(const char *data, size_t len, const char *url, const char *ctype)
{
	struct ms_parse_opts o = { .url = url, .content_type = ctype };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	int rc = ms_doc_parse(data, len, &o, &doc, &err);

	cr_assert_eq(rc, MS_OK, "ms_doc_parse: %s", err.msg);
	cr_assert_not_null(doc);
	return doc;
}

static struct ms_doc *
parse_str(const char *xml)
{
	return parse_mem(xml, strlen(xml), NULL, NULL);
}

static struct ms_doc *
parse_fixture(const char *name, const char *url)
{
	char *path = ms_test_fixture(name);
	size_t len = 0;
	char *data = ms_test_read_file(path, &len);
	struct ms_doc *doc;

	cr_assert_not_null(data, "cannot read fixture '%s'", path);
	doc = parse_mem(data, len, url, NULL);
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

static void
time_is(int64_t got, const char *want, const char *what)
{
	char buf[32];

	if (!want) {
		cr_expect_eq(got, MS_TIME_NONE, "%s: expected no time", what);
		return;
	}
	cr_expect_neq(got, MS_TIME_NONE, "%s: expected %s, got none", what,
		      want);
	ms_date_format(got, buf);
	cr_expect_str_eq(buf, want, "%s", what);
}

static void
strv_is(const char **got, size_t n, const char *const *want, size_t nwant,
	const char *what)
{
	cr_expect_eq(n, nwant, "%s: %zu values, expected %zu", what, n,
		     nwant);
	for (size_t i = 0; i < n && i < nwant; i++)
		cr_expect_str_eq(got[i], want[i], "%s[%zu]", what, i);
}

#define STRV_IS(got, n, what, ...)                                        \
	do {                                                              \
		static const char *const want_[] = { __VA_ARGS__ };       \
		strv_is((got), (n), want_, sizeof(want_) / sizeof(*want_), \
			(what));                                          \
	} while (0)

/* ------------------------------------------------------------ WordPress */

Test(analyzer_feed, wordpress_rss2_yields_every_item_field)
{
	struct ms_doc *doc = parse_fixture("feeds/wordpress_rss2.xml",
					   "https://lenafischer.example/feed/");
	const struct ms_entry *e;

	cr_assert_eq(doc->kind, MS_DOC_RSS);
	str_is(doc->version, "rss20", "version");
	str_is(doc->encoding, "utf-8", "encoding");
	cr_expect_not(doc->recovered, "%s", doc->error);
	str_is(doc->title, "Lena Fischer on Leadership", "feed title");
	/* The RSS <link>, not the atom:link rel=self. */
	str_is(doc->link, "https://lenafischer.example", "feed link");
	str_is(doc->language, "en-US", "language");
	cr_assert_eq(doc->nentries, 2);
	cr_expect_eq(doc->ncomments, 0);

	e = &doc->entries[0];
	/* isPermaLink="false": the guid is the id, never the link. */
	str_is(e->id, "https://lenafischer.example/?p=42", "id");
	str_is(e->title, "One-on-ones that people look forward to", "title");
	str_is(e->link, "https://lenafischer.example/2010/06/06/one-on-ones/",
	       "link");
	time_is(e->published, "2010-06-06T10:00:00Z", "published");
	time_is(e->updated, NULL, "updated");
	str_is(e->author.name, "Lena Fischer", "author (dc:creator)");
	str_is(e->author.email, NULL, "author email");
	cr_expect_eq(e->nauthors, 1);
	STRV_IS(e->categories, e->ncategories, "categories", "Leadership",
		"Management");
	str_is(e->comments_url,
	       "https://lenafischer.example/2010/06/06/one-on-ones/#comments",
	       "comments_url");
	str_is(e->comment_feed,
	       "https://lenafischer.example/2010/06/06/one-on-ones/feed/",
	       "comment_feed (wfw:commentRss)");
	cr_expect_eq(e->comment_count, 12, "slash:comments");
	cr_expect_eq(e->comments_open, -1, "feeds do not say");
	cr_expect_not(e->is_comment);
	/* Absolute, relative ones resolved against the feed URL, no mailto:,
	 * no "Continue reading" back to the post itself. */
	STRV_IS(e->links, e->nlinks, "links",
		"https://jvns.ca/blog/2016/03/16/tips-for-one-on-ones/",
		"https://lenafischer.example/2010/05/01/feedback/",
		"https://twitter.com/lenafischer");
	cr_assert_not_null(e->text);
	cr_expect(!strncmp(e->text, "The best one-on-ones I had", 26),
		  "text from content:encoded: '%s'", e->text);
	cr_expect_null(strstr(e->text, "tracking"), "script is not text");
	cr_expect_null(strchr(e->text, '<'), "text has no markup");

	e = &doc->entries[1];
	str_is(e->title, "Hiring \xe2\x80\x93 what I changed this year",
	       "title with &#8211;");
	time_is(e->published, "2010-05-20T08:30:00Z", "published");
	cr_expect_eq(e->comment_count, 0);
	STRV_IS(e->categories, e->ncategories, "categories", "Hiring");
	cr_expect_eq(e->nlinks, 0, "its only link is to itself");
	ms_doc_free(doc);
}

Test(analyzer_feed, wordpress_comment_feed_yields_comments_with_reply_target)
{
	struct ms_doc *doc = parse_fixture("feeds/wordpress_comments.xml",
					   NULL);
	const char *post = "https://lenafischer.example/2010/06/06/one-on-ones/";
	const struct ms_comment *c;

	str_is(doc->title, "Comments on: One-on-ones that people look "
	       "forward to", "title");
	cr_assert_eq(doc->ncomments, 2);
	c = &doc->comments[0];
	str_is(c->id, "https://lenafischer.example/?p=42#comment-101", "id");
	str_is(c->entry_link, post, "entry_link: the post");
	str_is(c->in_reply_to, NULL, "a top-level comment");
	time_is(c->published, "2010-06-06T12:30:00Z", "published");
	str_is(c->author.name, "Tom Baker", "author");
	cr_assert_not_null(c->text);
	cr_expect(!strncmp(c->text, "Great post.", 11), "text '%s'", c->text);

	c = &doc->comments[1];
	str_is(c->id, "https://lenafischer.example/?p=42#comment-102", "id");
	str_is(c->entry_link, post, "entry_link");
	/* "In reply to <a href=#comment-101>": the parent, by its id. */
	str_is(c->in_reply_to, "https://lenafischer.example/?p=42#comment-101",
	       "in_reply_to");
	str_is(c->author.name, "Lena Fischer", "author");
	time_is(c->published, "2010-06-06T14:05:00Z", "published");

	/* The items stay entries too, marked as comments, not posts. */
	cr_assert_eq(doc->nentries, 2);
	cr_expect(doc->entries[0].is_comment);
	cr_expect(doc->entries[1].is_comment);
	STRV_IS(doc->entries[0].links, doc->entries[0].nlinks, "links",
		"https://tombaker.example/walking");
	ms_doc_free(doc);
}

/* -------------------------------------------------------------- Blogger */

Test(analyzer_feed, blogger_posts_feed_has_comment_feed_count_and_labels)
{
	struct ms_doc *doc = parse_fixture("feeds/blogger_atom.xml", NULL);
	const struct ms_entry *e;

	cr_assert_eq(doc->kind, MS_DOC_ATOM);
	str_is(doc->version, "atom10", "version");
	str_is(doc->title, "Marias HR-Notizen", "title");
	str_is(doc->link, "https://mariashr.blogspot.com/", "alternate link");
	str_is(doc->author.name, "Maria Schneider", "feed author");
	str_is(doc->author.uri,
	       "http://www.blogger.com/profile/01234567890123456789", "uri");
	str_is(doc->author.email, NULL, "noreply@blogger.com is not an "
	       "address");
	cr_assert_eq(doc->nentries, 2);

	e = &doc->entries[0];
	str_is(e->id, "tag:blogger.com,1999:blog-1234567890123456789.post-"
	       "1111111111111111111", "id");
	str_is(e->title, "Was gute Mitarbeitergespr\xc3\xa4" "che ausmacht",
	       "title");
	str_is(e->link, "https://mariashr.blogspot.com/2010/06/gute-"
	       "mitarbeitergesprache.html", "alternate link");
	time_is(e->published, "2010-06-07T16:30:00Z", "published");
	time_is(e->updated, "2010-06-08T07:14:02Z", "updated");
	/* Labels, without Blogger's kind category. */
	STRV_IS(e->categories, e->ncategories, "labels", "HR",
		"Mitarbeitergespr\xc3\xa4" "che");
	str_is(e->comment_feed, "https://mariashr.blogspot.com/feeds/"
	       "1111111111111111111/comments/default", "replies (Atom)");
	str_is(e->comments_url, "https://www.blogger.com/comment.g?blogID="
	       "1234567890123456789&postID=1111111111111111111",
	       "replies (HTML)");
	cr_expect_eq(e->comment_count, 3, "thr:total");
	str_is(e->author.name, "Maria Schneider", "author");
	str_is(e->author.email, NULL, "no noreply address");
	/* The tracker image in the footer is not a link. */
	STRV_IS(e->links, e->nlinks, "links",
		"http://www.personalwissen.example/feedback");

	e = &doc->entries[1];
	str_is(e->title, "Ohne Label", "title");
	cr_expect_eq(e->ncategories, 0, "no labels");
	cr_expect_eq(e->comment_count, 0, "thr:total 0");
	cr_expect_eq(e->nauthors, 0, "no author of its own");
	str_is(e->author.name, "Maria Schneider", "the feed's author");
	ms_doc_free(doc);
}

Test(analyzer_feed, blogger_comment_feed_ties_reply_to_parent_comment)
{
	struct ms_doc *doc = parse_fixture("feeds/blogger_comments.xml",
					   NULL);
	const char *post = "https://mariashr.blogspot.com/2010/06/gute-"
			   "mitarbeitergesprache.html";
	const struct ms_comment *c;

	cr_assert_eq(doc->ncomments, 2);
	c = &doc->comments[0];
	str_is(c->id, "tag:blogger.com,1999:blog-1234567890123456789.post-"
	       "2222222222222222222", "id");
	str_is(c->entry_link, post, "entry_link: thr:in-reply-to href");
	str_is(c->in_reply_to, NULL, "answers the post");
	time_is(c->published, "2010-06-07T18:15:00Z", "published");
	str_is(c->author.name, "Jan Weber", "author");
	str_is(c->author.uri, "https://www.blogger.com/profile/"
	       "09876543210987654321", "author uri");
	str_is(c->author.email, NULL, "no noreply address");
	cr_assert_not_null(c->text);
	cr_expect(strstr(c->text, "meinem Blog") != NULL, "text '%s'",
		  c->text);

	c = &doc->comments[1];
	str_is(c->entry_link, post, "entry_link");
	/* link rel="related" names the comment answered. */
	str_is(c->in_reply_to, "tag:blogger.com,1999:blog-1234567890123456789"
	       ".post-2222222222222222222", "in_reply_to");
	str_is(c->author.name, "Maria Schneider", "author");
	time_is(c->published, "2010-06-08T08:02:00Z", "published");

	cr_assert_eq(doc->nentries, 2);
	cr_expect(doc->entries[0].is_comment && doc->entries[1].is_comment);
	STRV_IS(doc->entries[0].links, doc->entries[0].nlinks, "links",
		"https://janweber.example/gespraeche");
	ms_doc_free(doc);
}

/* ------------------------------------------------------------- RFC 4685 */

Test(analyzer_feed, threaded_atom_reply_to_reply_sets_parent)
{
	struct ms_doc *doc = parse_fixture("feeds/threaded_atom.xml", NULL);
	const struct ms_entry *e;
	const struct ms_comment *c;

	/* xml:base on the feed resolves the feed's and the entries' links. */
	str_is(doc->link, "http://www.example.org/", "feed link");
	str_is(doc->author.uri, "http://www.example.org/about/james",
	       "author uri, resolved");
	cr_assert_eq(doc->nentries, 3);
	e = &doc->entries[0];
	cr_expect_not(e->is_comment);
	str_is(e->link, "http://www.example.org/entries/1", "link");
	str_is(e->comment_feed, "http://www.example.org/mycommentsfeed.xml",
	       "replies link");
	cr_expect_eq(e->comment_count, 2, "thr:count");
	time_is(e->updated, "2006-03-01T12:12:12Z", "updated");
	time_is(e->published, NULL, "no published date");
	STRV_IS(e->links, e->nlinks, "links from the XHTML summary",
		"http://www.example.org/notes/threading");
	cr_assert_not_null(e->text);
	str_is(e->text, "This is my original entry.", "xhtml text");

	cr_assert_eq(doc->ncomments, 2);
	c = &doc->comments[0];
	str_is(c->id, "tag:example.org,1999:3", "id");
	str_is(c->entry_link, "http://www.example.org/entries/1",
	       "entry_link");
	str_is(c->in_reply_to, NULL, "answers the post");
	str_is(c->author.name, "Sam", "author");
	str_is(c->author.email, "sam@example.net", "email");
	c = &doc->comments[1];
	str_is(c->in_reply_to, "tag:example.org,1999:3",
	       "answers the first reply");
	str_is(c->entry_link, "http://www.example.org/entries/1",
	       "the post, through the parent");
	time_is(c->published, "2006-03-02T07:00:00Z", "updated, as no "
		"published");
	STRV_IS(doc->entries[2].links, doc->entries[2].nlinks, "links",
		"http://www.example.org/entries/2");
	ms_doc_free(doc);
}

/* ---------------------------------------------------------- RSS 1.0 RDF */

Test(analyzer_feed, rss10_rdf_reads_dublin_core)
{
	struct ms_doc *doc = parse_fixture("feeds/rdf_rss10.xml", NULL);
	const struct ms_entry *e;

	cr_assert_eq(doc->kind, MS_DOC_RDF);
	str_is(doc->version, "rss10", "version");
	/* The image's title and link are not the channel's. */
	str_is(doc->title, "HR Notes", "title");
	str_is(doc->link, "https://hrnotes.example/", "link");
	str_is(doc->language, "en", "dc:language");
	str_is(doc->author.name, "Priya Raman", "dc:creator");
	cr_assert_eq(doc->nentries, 2);

	e = &doc->entries[0];
	str_is(e->id, "https://hrnotes.example/archives/2010/06/hiring-loops."
	       "html", "id from rdf:about");
	str_is(e->title, "Hiring loops that respect candidates", "title");
	time_is(e->published, "2010-06-05T07:30:00Z", "dc:date with offset");
	STRV_IS(e->categories, e->ncategories, "dc:subject", "Hiring",
		"Interviews");
	str_is(e->author.name, "Priya Raman", "dc:creator");
	STRV_IS(e->links, e->nlinks, "links", "https://hbr.example.org/hiring");

	e = &doc->entries[1];
	time_is(e->published, "2010-06-01T00:00:00Z", "W3CDTF date only");
	STRV_IS(e->categories, e->ncategories, "dc:subject", "Offboarding");
	cr_expect_eq(e->nauthors, 0);
	str_is(e->author.name, "Priya Raman", "the feed's creator");
	ms_doc_free(doc);
}

/* --------------------------------------------------------------- German */

Test(analyzer_feed, german_post_keeps_umlauts_quotes_and_language)
{
	struct ms_doc *doc = parse_fixture("feeds/german_post.xml", NULL);
	const struct ms_entry *e;

	str_is(doc->language, "de-DE", "language");
	str_is(doc->title, "F\xc3\xbchrung & Personal \xe2\x80\x93 "
	       "J\xc3\xbcrgens Blog", "&#038; and &#8211; decoded");
	cr_assert_eq(doc->nentries, 1);
	e = &doc->entries[0];
	str_is(e->title, "\xe2\x80\x9e" "Feedback ist ein Geschenk"
	       "\xe2\x80\x9c \xe2\x80\x93 wirklich?", "title");
	str_is(e->author.name, "J\xc3\xbcrgen Gro\xc3\x9f", "author");
	STRV_IS(e->categories, e->ncategories, "categories",
		"Personalf\xc3\xbchrung", "Gespr\xc3\xa4" "chsf\xc3\xbchrung");
	cr_expect_eq(e->comment_count, 4);
	STRV_IS(e->links, e->nlinks, "links",
		"https://de.wikipedia.org/wiki/Feedback",
		"https://www.xing.example/profile/Juergen_Gross");
	cr_assert_not_null(e->text);
	/* &nbsp; is a space in the text. */
	cr_expect(strstr(e->text, "Geschenk\xe2\x80\x9c. Aber stimmt er?") !=
		  NULL, "text '%s'", e->text);
	ms_doc_free(doc);
}

/* ------------------------------------------------------ feedparser rules */

static const char *
version_of(const char *xml)
{
	static char v[16];
	struct ms_doc *doc = parse_str(xml);

	snprintf(v, sizeof(v), "%s", doc->version ? doc->version : "-");
	ms_doc_free(doc);
	return v;
}

Test(analyzer_feed, versions_follow_feedparser_names)
{
	str_is(version_of("<rss version=\"2.0\"><channel/></rss>"), "rss20",
	       "2.0");
	str_is(version_of("<rss version=\"2.01\"><channel/></rss>"), "rss20",
	       "2.01");
	str_is(version_of("<rss version=\"0.91\"><channel/></rss>"),
	       "rss091u", "0.91 UserLand");
	str_is(version_of("<!DOCTYPE rss PUBLIC \"-//Netscape Communications"
			  "//DTD RSS 0.91//EN\" \"http://my.netscape.com/"
			  "publish/formats/rss-0.91.dtd\"><rss version=\"0.91"
			  "\"><channel/></rss>"), "rss091n", "0.91 Netscape");
	str_is(version_of("<rss version=\"0.92\"><channel/></rss>"), "rss092",
	       "0.92");
	str_is(version_of("<rss version=\"0.93\"><channel/></rss>"), "rss093",
	       "0.93");
	str_is(version_of("<rss version=\"0.94\"><channel/></rss>"), "rss094",
	       "0.94");
	str_is(version_of("<rss><channel/></rss>"), "rss", "no version");
	str_is(version_of("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-"
			  "rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/"
			  "rdf/simple/0.9/\"><channel/></rdf:RDF>"), "rss090",
	       "0.90");
	str_is(version_of("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-"
			  "rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/"
			  "\"><channel/></rdf:RDF>"), "rss10", "1.0");
	str_is(version_of("<feed version=\"0.3\" xmlns=\"http://purl.org/atom"
			  "/ns#\"/>"), "atom03", "Atom 0.3");
	str_is(version_of("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>"),
	       "atom10", "Atom 1.0");
	/* An Atom namespace on an RSS root does not make it Atom. */
	str_is(version_of("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org"
			  "/2005/Atom\"><channel/></rss>"), "rss20",
	       "RSS with atom:link");
}

Test(analyzer_feed, author_strings_split_name_and_email)
{
	struct ms_doc *doc = parse_str(
		"<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
		"<channel><managingEditor>editor@example.com (Ed Itor)"
		"</managingEditor>"
		"<item><author>me@example.com (Me Myself)</author></item>"
		"<item><author>Me Myself &lt;me@example.com&gt;</author></item>"
		"<item><author>me@example.com</author></item>"
		"<item><dc:creator>First Author</dc:creator>"
		"<dc:creator>Second Author</dc:creator></item>"
		"<item><itunes:author>Pod Caster</itunes:author></item>"
		"<item><title>none</title></item>"
		"</channel></rss>");

	str_is(doc->author.name, "Ed Itor", "managingEditor name");
	str_is(doc->author.email, "editor@example.com", "managingEditor email");
	cr_assert_eq(doc->nentries, 6);
	str_is(doc->entries[0].author.name, "Me Myself", "email (Name)");
	str_is(doc->entries[0].author.email, "me@example.com", "email");
	str_is(doc->entries[1].author.name, "Me Myself", "Name <email>");
	str_is(doc->entries[1].author.email, "me@example.com", "email");
	str_is(doc->entries[2].author.name, NULL, "bare email: no name");
	str_is(doc->entries[2].author.email, "me@example.com", "email");
	cr_assert_eq(doc->entries[3].nauthors, 2, "two dc:creator");
	str_is(doc->entries[3].authors[1].name, "Second Author", "second");
	str_is(doc->entries[4].author.name, "Pod Caster", "itunes:author");
	str_is(doc->entries[5].author.name, "Ed Itor", "the feed's author");
	cr_expect_eq(doc->entries[5].nauthors, 0);
	ms_doc_free(doc);
}

Test(analyzer_feed, guid_is_the_link_only_when_a_permalink_and_no_link)
{
	struct ms_doc *doc = parse_str(
		"<rss version=\"2.0\"><channel>"
		"<item><guid>http://guid.example.com/1</guid></item>"
		"<item><guid isPermaLink=\"false\">http://guid.example.com/2"
		"</guid></item>"
		"<item><guid>http://guid.example.com/3</guid>"
		"<link>http://link.example.com/3</link></item>"
		"<item><guid isPermaLink=\"false\">abc</guid></item>"
		"</channel></rss>");

	cr_assert_eq(doc->nentries, 4);
	str_is(doc->entries[0].link, "http://guid.example.com/1", "permalink");
	str_is(doc->entries[0].id, "http://guid.example.com/1", "id");
	str_is(doc->entries[1].link, NULL, "not a permalink");
	str_is(doc->entries[2].link, "http://link.example.com/3", "<link> wins");
	str_is(doc->entries[3].id, "abc", "an opaque id stays as it is");
	ms_doc_free(doc);
}

Test(analyzer_feed, xml_base_and_document_url_resolve_relative_links)
{
	struct ms_doc *doc = parse_mem(
		"<feed xmlns=\"http://www.w3.org/2005/Atom\" "
		"xml:base=\"http://example.com/blog/\">"
		"<link href=\"./\"/>"
		"<entry xml:base=\"2010/\"><link href=\"post.html\"/>"
		"<id>/ids/1</id>"
		"<content type=\"html\" xml:base=\"http://other.example/x/\">"
		"&lt;a href=\"y\"&gt;y&lt;/a&gt;</content></entry>"
		"</feed>", strlen("<feed xmlns=\"http://www.w3.org/2005/Atom\" "
		"xml:base=\"http://example.com/blog/\">"
		"<link href=\"./\"/>"
		"<entry xml:base=\"2010/\"><link href=\"post.html\"/>"
		"<id>/ids/1</id>"
		"<content type=\"html\" xml:base=\"http://other.example/x/\">"
		"&lt;a href=\"y\"&gt;y&lt;/a&gt;</content></entry>"
		"</feed>"), "http://fallback.example/feed.xml", NULL);

	str_is(doc->link, "http://example.com/blog/", "feed link");
	cr_assert_eq(doc->nentries, 1);
	str_is(doc->entries[0].link, "http://example.com/blog/2010/post.html",
	       "entry link, nested xml:base");
	str_is(doc->entries[0].id, "http://example.com/ids/1",
	       "relative id resolved");
	STRV_IS(doc->entries[0].links, doc->entries[0].nlinks, "links",
		"http://other.example/x/y");
	ms_doc_free(doc);
}

Test(analyzer_feed, titles_are_plain_text)
{
	struct ms_doc *doc = parse_str(
		"<feed xmlns=\"http://www.w3.org/2005/Atom\">"
		"<entry><title type=\"html\">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; "
		"more</title></entry>"
		"<entry><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/"
		"1999/xhtml\">An <em>XHTML</em>  title</div></title></entry>"
		"<entry><title>a &lt;b&gt; c</title></entry>"
		"</feed>");

	cr_assert_eq(doc->nentries, 3);
	str_is(doc->entries[0].title, "Bold & more", "type=html");
	str_is(doc->entries[1].title, "An XHTML title", "type=xhtml");
	str_is(doc->entries[2].title, "a <b> c", "type=text stays text");
	ms_doc_free(doc);
	doc = parse_str("<rss version=\"2.0\"><channel><item><title>&lt;i&gt;"
			"Escaped&lt;/i&gt; markup</title></item>"
			"<item><title><![CDATA[R&D <em>notes</em>]]></title>"
			"</item></channel></rss>");
	str_is(doc->entries[0].title, "Escaped markup", "RSS escaped HTML");
	str_is(doc->entries[1].title, "R&D notes", "RSS CDATA HTML");
	ms_doc_free(doc);
}

Test(analyzer_feed, atom_link_without_href_is_not_the_alternate)
{
	struct ms_doc *doc = parse_str(
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
		"<link rel=\"enclosure\">http://www.example.com/enclosure</link>"
		"<link rel=\"alternate\" type=\"application/pdf\" "
		"href=\"http://www.example.com/pdf\"/>"
		"<link rel=\"alternate\" type=\"text/html\" "
		"href=\"http://www.example.com/html\"/>"
		"</entry></feed>");

	cr_assert_eq(doc->nentries, 1);
	str_is(doc->entries[0].link, "http://www.example.com/html",
	       "the HTML alternate wins");
	ms_doc_free(doc);
}

static int
count_entries(void *arg, const struct ms_doc *doc, const struct ms_entry *e)
{
	size_t *n = arg;

	(void)doc;
	cr_expect_not_null(e->title, "entry %zu has its title", *n);
	(*n)++;
	return MS_OK;
}

Test(analyzer_feed, streaming_hands_over_each_entry_once_and_keeps_none)
{
	/* A bare '&' makes the parser read the document twice: the entries
	 * before it must not come twice. */
	static const char xml[] =
		"<rss version=\"2.0\"><channel>"
		"<item><title>one</title></item>"
		"<item><title>two</title><link>http://x.example/?a=1&b=2</link>"
		"</item><item><title>three</title></item>"
		"</channel></rss>";
	struct ms_parse_opts o = { .on_entry = count_entries };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	size_t n = 0;

	o.on_entry_arg = &n;
	cr_assert_eq(ms_doc_parse(xml, sizeof(xml) - 1, &o, &doc, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_eq(n, 3, "%zu entries handed over", n);
	cr_expect_eq(doc->nentries, 0, "none kept");
	cr_expect(doc->recovered);
	ms_doc_free(doc);
}

static int
stop_at_first(void *arg, const struct ms_doc *doc, const struct ms_entry *e)
{
	(void)arg;
	(void)doc;
	(void)e;
	return MS_EIO;
}

Test(analyzer_feed, streaming_stops_when_the_consumer_fails)
{
	static const char xml[] = "<rss version=\"2.0\"><channel><item><title>"
				  "a</title></item><item><title>b</title></item>"
				  "</channel></rss>";
	struct ms_parse_opts o = { .on_entry = stop_at_first };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;

	cr_expect_eq(ms_doc_parse(xml, sizeof(xml) - 1, &o, &doc, &err),
		     MS_EIO);
	cr_expect_null(doc);
}

Test(analyzer_feed, a_document_that_is_not_a_feed_yields_nothing_cleanly)
{
	struct ms_doc *doc = parse_str("<?xml version=\"1.0\"?><opml version="
				       "\"1.0\"><body/></opml>");

	cr_expect_eq(doc->kind, MS_DOC_UNKNOWN);
	cr_expect_null(doc->version);
	cr_expect_not(doc->recovered, "well-formed: read cleanly");
	cr_expect_eq(doc->nentries, 0);
	ms_doc_free(doc);
}

struct progress {
	size_t calls, last, len, passes;
};

static void
on_consumed(void *arg, size_t off)
{
	struct progress *pr = arg;

	if (off <= pr->last)
		pr->passes++;	/* a new pass starts from the beginning */
	cr_expect_lt(off, pr->len, "within the document");
	pr->last = off;
	pr->calls++;
}

Test(analyzer_feed, progress_is_reported_so_mapped_pages_can_go)
{
	size_t cap = 3 << 20, n = 0;
	char *xml = malloc(cap);
	struct progress pr = { 0, 0, 0, 1 };
	struct ms_parse_opts o = { .on_consumed = on_consumed,
				   .on_consumed_arg = &pr };
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;

	n += (size_t)snprintf(xml, cap, "<rss version=\"2.0\"><channel>");
	while (n < cap - 4096)
		n += (size_t)snprintf(xml + n, cap - n, "<item><title>t</title>"
				      "<description>%0200d</description>"
				      "</item>", 0);
	n += (size_t)snprintf(xml + n, cap - n, "</channel></rss>");
	pr.len = n;
	cr_assert_eq(ms_doc_parse(xml, n, &o, &doc, &err), MS_OK, "%s",
		     err.msg);
	/* The UTF-8 check and the parse each report as they go. */
	cr_expect_geq(pr.calls, 4, "%zu reports for %zu bytes", pr.calls, n);
	cr_expect_eq(pr.passes, 2, "two passes, each growing");
	ms_doc_free(doc);
	free(xml);
}
