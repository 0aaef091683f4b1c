/*
 * Tests for analyzer/html.c (with enrich.c after it, as ms_doc_parse runs
 * them): each engine's real markup from tests/fixtures/html/, every field
 * the page yields, and hostile pages that must cost bounded time and
 * memory and never crash.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/internal.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

static struct ms_doc *
parse_mem(const char *data, size_t len, const char *url)
{
	struct ms_doc *doc = ms_xcalloc(1, sizeof(*doc));
	struct ms_parse_opts o = { .url = url };
	struct ms_err err = { 0 };
	int rc;

	ms_arena_init(&doc->arena);
	rc = ms_html_parse(doc, data, len, &o, &err);
	cr_assert_eq(rc, MS_OK, "%s: %s", url ? url : "-", err.msg);
	ms_doc_enrich(doc);
	return doc;
}

static struct ms_doc *
parse_fixture(const char *name, const char *url)
{
	char *path = ms_test_fixture(name);
	size_t len;
	char *data = ms_test_read_file(path, &len);
	struct ms_doc *doc;

	cr_assert_not_null(data, "cannot read fixture '%s'", path);
	doc = parse_mem(data, len, url);
	free(data);
	free(path);
	return doc;
}

static struct ms_doc *
parse_str(const char *html, const char *url)
{
	return parse_mem(html, strlen(html), url);
}

static void
doc_free(struct ms_doc *doc)
{
	ms_arena_release(&doc->arena);
	free(doc);
}

/* String equality where either side may be NULL (absent). */
static void
expect_str(const char *got, const char *want, const char *what)
{
	if (!want)
		cr_expect_null(got, "%s: expected absent, got '%s'", what,
			       got ? got : "");
	else if (!got)
		cr_expect(0, "%s: expected '%s', got absent", what, want);
	else
		cr_expect_str_eq(got, want, "%s", what);
}

static void
expect_list(const char **got, size_t n, const char *const *want,
	    size_t nwant, const char *what)
{
	cr_expect_eq(n, nwant, "%s: %zu items, expected %zu", what, n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++)
		expect_str(got[i], want[i], what);
}

#define LIST(...) ((const char *const[]){ __VA_ARGS__ })
#define NLIST(...) (sizeof(LIST(__VA_ARGS__)) / sizeof(const char *))
#define EXPECT_LIST(got, n, what, ...) \
	expect_list(got, n, LIST(__VA_ARGS__), NLIST(__VA_ARGS__), what)

struct want_comment {
	const char *id, *in_reply_to, *name, *uri;
	int64_t published;
	bool by_post_author;
	const char *text_starts;
};

static void
expect_comments(const struct ms_doc *doc, const char *entry_link,
		const struct want_comment *w, size_t n)
{
	cr_assert_eq(doc->ncomments, n, "%zu comments, expected %zu",
		     doc->ncomments, n);
	for (size_t i = 0; i < n; i++) {
		const struct ms_comment *c = &doc->comments[i];
		char what[64];

		snprintf(what, sizeof(what), "comment %zu id", i);
		expect_str(c->id, w[i].id, what);
		snprintf(what, sizeof(what), "comment %zu entry_link", i);
		expect_str(c->entry_link, entry_link, what);
		snprintf(what, sizeof(what), "comment %zu in_reply_to", i);
		expect_str(c->in_reply_to, w[i].in_reply_to, what);
		snprintf(what, sizeof(what), "comment %zu author name", i);
		expect_str(c->author.name, w[i].name, what);
		snprintf(what, sizeof(what), "comment %zu author uri", i);
		expect_str(c->author.uri, w[i].uri, what);
		cr_expect_eq(c->published, w[i].published,
			     "comment %zu published %lld, expected %lld", i,
			     (long long)c->published,
			     (long long)w[i].published);
		cr_expect_eq(c->by_post_author, w[i].by_post_author,
			     "comment %zu by_post_author", i);
		cr_expect(c->text && !strncmp(c->text, w[i].text_starts,
					      strlen(w[i].text_starts)),
			  "comment %zu text '%s'", i, c->text ? c->text : "");
	}
}

/* ------------------------------------------------------------ WordPress */

#define WP_POST "https://anna.example/2010/06/06/giving-feedback-that-lands/"

Test(analyzer_html, wordpress_post_page_fields)
{
	struct ms_doc *doc = parse_fixture("html/wordpress-post.html",
					   WP_POST);
	const struct ms_entry *e;

	cr_expect_eq(doc->kind, MS_DOC_HTML);
	expect_str(doc->title,
		   "Giving feedback that lands \xe2\x80\x93 Anna's HR Notes",
		   "title");
	expect_str(doc->link, WP_POST, "canonical link");
	expect_str(doc->language, "en-US", "language");
	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "feed_links",
		    "https://anna.example/feed/",
		    "https://anna.example/comments/feed/",
		    WP_POST "feed/");
	/* The footer menu's profiles; the share link and the commenter's
	 * Twitter link are not the owner's. */
	EXPECT_LIST(doc->profiles, doc->nprofiles, "page profiles",
		    "https://x.com/anna_berg",
		    "https://www.linkedin.com/in/anna-berg");
	cr_expect_eq(doc->comments_open, 1, "comment form present");

	cr_assert_eq(doc->nentries, 1);
	e = &doc->entries[0];
	expect_str(e->title, "Giving feedback that lands", "entry title");
	expect_str(e->link, WP_POST, "entry link");
	cr_expect_eq(e->published, 1275818400, "2010-06-06T10:00:00Z");
	expect_str(e->author.name, "Anna Berg", "post author");
	expect_str(e->author.uri, "https://anna.example/author/anna/",
		   "post author uri");
	cr_expect_eq(e->nauthors, 1);
	EXPECT_LIST(e->categories, e->ncategories, "categories", "Feedback",
		    "HR");
	cr_expect_eq(e->comments_open, 1);
	expect_str(e->comments_url, WP_POST, "comments_url");
	expect_str(e->comment_feed, WP_POST "feed/", "comment_feed");
	EXPECT_LIST(e->links, e->nlinks, "content links",
		    "https://www.linkedin.com/in/Bob-Example/",
		    "https://research.example.org/feedback-study");
	EXPECT_LIST(e->profiles, e->nprofiles, "entry profiles",
		    "https://www.linkedin.com/in/bob-example");
	expect_str(e->language, "en", "entry language");
	cr_expect(e->text && !strncmp(e->text, "Feedback works when", 19),
		  "text '%s'", e->text ? e->text : "");
	cr_expect(strstr(e->text, "Bob Example") != NULL);
	cr_expect_null(strstr(e->text, "Categorized"),
		       "the footer is not content");
	doc_free(doc);
}

Test(analyzer_html, wordpress_nested_thread_with_post_author)
{
	struct ms_doc *doc = parse_fixture("html/wordpress-post.html",
					   WP_POST);
	const struct want_comment w[] = {
		{ WP_POST "#comment-2", NULL, "Jane Doe",
		  "https://jane.example/blog/", 1275822300, false,
		  "How do you handle feedback" },
		{ WP_POST "#comment-3", WP_POST "#comment-2", "Anna Berg",
		  "https://anna.example/", 1275827400, true,
		  "Same rules, plus ask" },
		{ WP_POST "#comment-4", WP_POST "#comment-3", "Bob", NULL,
		  1275898500, false, "Thanks, that helped" },
		{ WP_POST "#comment-5", NULL, "Carl C.",
		  "https://twitter.com/carl_c", 1275987600, false,
		  "Great post." },
	};

	expect_comments(doc, WP_POST, w, sizeof(w) / sizeof(*w));
	/* Only the comment's own content, not its replies or "Reply". */
	cr_expect_str_eq(doc->comments[0].text,
			 "How do you handle feedback for someone more senior "
			 "than you?");
	doc_free(doc);
}

#define WP_CLOSED "https://anna.example/2011/02/14/onboarding-checklists/"

Test(analyzer_html, wordpress_comments_are_closed_without_form)
{
	struct ms_doc *doc = parse_fixture("html/wordpress-closed.html",
					   WP_CLOSED);
	const struct want_comment w[] = {
		{ WP_CLOSED "#comment-40", NULL, "Dave",
		  "http://hr-dave.example/", 1297753800, false,
		  "We pair every new hire" },
	};

	cr_expect_eq(doc->comments_open, 0, "p.no-comments and no form");
	cr_assert_eq(doc->nentries, 1);
	cr_expect_eq(doc->entries[0].comments_open, 0);
	expect_str(doc->entries[0].title,
		   "Onboarding checklists are not onboarding", "title");
	cr_expect_eq(doc->entries[0].published, 1297707600);
	EXPECT_LIST(doc->entries[0].categories, doc->entries[0].ncategories,
		    "categories", "Onboarding");
	expect_comments(doc, WP_CLOSED, w, 1);
	doc_free(doc);
}

/* -------------------------------------------------------------- Blogger */

#define BG_POST "https://carla-leads.blogspot.com/2015/03/one-on-ones.html"
#define BG_CARLA "https://www.blogger.com/profile/01234567890123456789"

Test(analyzer_html, blogger_post_page_fields)
{
	struct ms_doc *doc = parse_fixture("html/blogger-post.html", BG_POST);
	const struct ms_entry *e;

	expect_str(doc->title,
		   "Leading Quietly: One-on-ones that people look forward to",
		   "title");
	expect_str(doc->link, BG_POST, "canonical");
	expect_str(doc->language, "en", "language");
	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "feed_links",
		    "https://carla-leads.blogspot.com/feeds/posts/default",
		    "https://carla-leads.blogspot.com/feeds/posts/"
		    "default?alt=rss",
		    "https://carla-leads.blogspot.com/feeds/"
		    "8765432109876543210/comments/default");
	/* LinkList widget; not the Facebook share link. */
	EXPECT_LIST(doc->profiles, doc->nprofiles, "page profiles",
		    "https://github.com/carla-m",
		    "https://hachyderm.io/@carla");
	cr_expect_eq(doc->comments_open, 1, "comment editor iframe");

	cr_assert_eq(doc->nentries, 1);
	e = &doc->entries[0];
	expect_str(e->title, "One-on-ones that people look forward to",
		   "entry title");
	expect_str(e->link, BG_POST, "rel=bookmark");
	cr_expect_eq(e->published, 1425231000, "2015-03-01T09:30:00-08:00");
	expect_str(e->author.name, "Carla Mendes", "author");
	expect_str(e->author.uri, BG_CARLA, "author uri");
	EXPECT_LIST(e->categories, e->ncategories, "labels", "leadership",
		    "management");
	expect_str(e->comment_feed,
		   "https://carla-leads.blogspot.com/feeds/"
		   "8765432109876543210/comments/default",
		   "comment_feed");
	cr_expect_eq(e->comments_open, 1);
	/* A status link names its author's profile. */
	EXPECT_LIST(e->profiles, e->nprofiles, "entry profiles",
		    "https://x.com/lara_leads");
	doc_free(doc);
}

Test(analyzer_html, blogger_comment_blocks_replies_and_blog_author)
{
	struct ms_doc *doc = parse_fixture("html/blogger-post.html", BG_POST);
	const struct want_comment w[] = {
		{ BG_POST "#c1111111111111111111", NULL, "Dan Whitaker",
		  "https://www.blogger.com/profile/09876543210987654321",
		  1425236400, false, "Do you keep notes?" },
		{ BG_POST "#c2222222222222222222",
		  BG_POST "#c1111111111111111111", "Carla Mendes", BG_CARLA,
		  1425243600, true, "Yes, in a shared doc." },
		{ BG_POST "#c3333333333333333333", NULL, "Anonymous", NULL,
		  1425340800, false, "Printing this" },
	};

	expect_comments(doc, BG_POST, w, sizeof(w) / sizeof(*w));
	doc_free(doc);
}

/* ------------------------------------------------------------ h-entry */

#define HE_POST "https://erin.example/2021/04/decision-journal"

Test(analyzer_html, hentry_post_with_hcard_author)
{
	struct ms_doc *doc = parse_fixture("html/hentry-post.html", HE_POST);
	const struct ms_entry *e;

	expect_str(doc->author.name, "Erin Okafor", "representative h-card");
	expect_str(doc->author.uri, "https://erin.example/", "h-card url");
	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "feed_links",
		    "https://erin.example/feed.atom");
	EXPECT_LIST(doc->profiles, doc->nprofiles, "rel=me profiles",
		    "https://github.com/erin-okafor",
		    "https://hachyderm.io/@erin",
		    "https://www.linkedin.com/in/erinokafor");
	cr_expect_eq(doc->comments_open, 1, "webmention endpoint");

	cr_assert_eq(doc->nentries, 1);
	e = &doc->entries[0];
	expect_str(e->title, "Why I keep a decision journal", "p-name");
	expect_str(e->link, HE_POST, "relative u-url resolved");
	cr_expect_eq(e->published, 1618213500, "2021-04-12T07:45:00Z");
	expect_str(e->author.name, "Erin Okafor", "implied p-name");
	expect_str(e->author.uri, "https://erin.example/", "implied u-url");
	EXPECT_LIST(e->categories, e->ncategories, "p-category", "mentoring",
		    "career");
	EXPECT_LIST(e->links, e->nlinks, "e-content links",
		    "https://fs.blog/decision-journal/",
		    "https://github.com/erin-okafor/decision-journal");
	EXPECT_LIST(e->profiles, e->nprofiles, "repository → owner",
		    "https://github.com/erin-okafor");
	cr_expect_eq(e->comments_open, 1);
	doc_free(doc);
}

Test(analyzer_html, hentry_hcite_comments_and_replies)
{
	struct ms_doc *doc = parse_fixture("html/hentry-post.html", HE_POST);
	const struct want_comment w[] = {
		{ "https://fatima.example/notes/2021/04/13/1", NULL,
		  "Fatima Rahman", "https://fatima.example/", 1618297200,
		  false, "I started one" },
		/* Nested h-cite: a reply; by the post's author (same URL). */
		{ HE_POST "#reply-2",
		  "https://fatima.example/notes/2021/04/13/1",
		  "Erin Okafor", "https://erin.example/", 1618309800, true,
		  "It gets easier." },
		/* u-in-reply-to the post itself: top level; no id to give. */
		{ NULL, NULL, "George", NULL, 1618401600, false,
		  "Do you review" },
	};

	expect_comments(doc, HE_POST, w, sizeof(w) / sizeof(*w));
	doc_free(doc);
}

/* ----------------------------------------------------------- home page */

Test(analyzer_html, home_page_autodiscovery_order_and_base)
{
	struct ms_doc *doc = parse_fixture("html/blog-home.html",
					   "https://dev.example/");

	/* Relative to <base href="/blog/">, itself relative to the page;
	 * duplicates once; the comments feed after the site's feeds;
	 * hreflang, JSON and javascript: links are not feeds. */
	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "feed_links",
		    "https://dev.example/blog/index.xml",
		    "https://dev.example/atom.xml",
		    "https://dev.example/blog/comments/index.xml");
	expect_str(doc->title, "Dev Notes", "title");
	expect_str(doc->link, "https://dev.example/", "page URL");
	doc_free(doc);
}

Test(analyzer_html, home_page_posts_and_sidebar_profiles)
{
	struct ms_doc *doc = parse_fixture("html/blog-home.html",
					   "https://dev.example/");

	/* rel=me in the head, then the sidebar; share links and the
	 * LinkedIn link inside a post summary are not the owner's. */
	EXPECT_LIST(doc->profiles, doc->nprofiles, "page profiles",
		    "https://mastodon.social/@devnotes",
		    "https://x.com/devnotes", "https://github.com/devnotes");
	cr_assert_eq(doc->nentries, 2, "two post summaries");
	expect_str(doc->entries[0].title, "Code review as mentoring", "t0");
	expect_str(doc->entries[0].link,
		   "https://dev.example/blog/posts/code-review-as-mentoring/",
		   "l0");
	cr_expect_eq(doc->entries[0].published, 1535954400);
	EXPECT_LIST(doc->entries[0].profiles, doc->entries[0].nprofiles,
		    "summary profiles",
		    "https://www.linkedin.com/in/sam-reviewer");
	expect_str(doc->entries[1].title, "Pairing when remote", "t1");
	cr_expect_eq(doc->entries[1].published, 1534782600);
	/* A home page says nothing about comments. */
	cr_expect_eq(doc->comments_open, -1);
	cr_expect_eq(doc->entries[0].comments_open, -1);
	cr_expect_eq(doc->entries[1].comments_open, -1);
	cr_expect_eq(doc->ncomments, 0);
	doc_free(doc);
}

/* -------------------------------------------------------------- German */

#define DE_POST "https://mara.example/2019/11/05/feedback-im-team/"

Test(analyzer_html, german_post_closed_thread_and_language)
{
	struct ms_doc *doc = parse_fixture("html/german-post.html", DE_POST);
	const struct ms_entry *e;
	const struct want_comment w[] = {
		{ DE_POST "#comment-21", NULL, "Jonas Weber",
		  "http://jonas.example/", 1572959520, false,
		  "Die Regel mit dem Fragen" },
		{ DE_POST "#comment-22", DE_POST "#comment-21", "Mara Schulz",
		  "https://mara.example/", 1572968400, true, "Gern!" },
	};

	expect_str(doc->language, "de-DE", "declared");
	cr_expect_eq(doc->comments_open, 0, "Kommentare sind geschlossen");
	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "feed_links",
		    "https://mara.example/feed/",
		    "https://mara.example/comments/feed/",
		    DE_POST "feed/");
	cr_assert_eq(doc->nentries, 1);
	e = &doc->entries[0];
	expect_str(e->title, "Wie gutes Feedback im Team gelingt", "title");
	expect_str(e->link, DE_POST, "canonical as the post link");
	cr_expect_eq(e->published, 1572944400, "article:published_time");
	expect_str(e->author.name, "Mara Schulz", "the link, not the labels");
	expect_str(e->author.uri, "https://mara.example/author/mara/", "uri");
	EXPECT_LIST(e->categories, e->ncategories, "categories",
		    "F\xc3\xbchrung");
	expect_str(e->language, "de", "primary subtag of de-DE");
	cr_expect_eq(e->comments_open, 0);
	cr_expect(e->text &&
		  !strncmp(e->text, "Gutes Feedback ist konkret", 26),
		  "post text, not the comments' .entry-content");
	cr_expect_null(strstr(e->text, "probiere"));
	expect_comments(doc, DE_POST, w, sizeof(w) / sizeof(*w));
	/* The undeclared text reads as German too. */
	expect_str(ms_lang_detect(e->text, strlen(e->text)), "de", "detected");
	doc_free(doc);
}

/* ------------------------------------------------- comments_open rules */

static const char single_no_form[] =
	"<html><head><link rel=canonical href='https://b.example/p/'></head>"
	"<body><article class='hentry'><h1 class='entry-title'>P</h1>"
	"<div class='entry-content'><p>Text.</p></div></article>"
	"<ol class='commentlist'><li class='comment' id='comment-1'>"
	"<cite class='fn'>Al</cite><div class='comment-content'>Hi</div></li>"
	"</ol></body></html>";

Test(analyzer_html, single_post_without_form_is_closed)
{
	struct ms_doc *doc = parse_str(single_no_form, "https://b.example/p/");

	cr_expect_eq(doc->comments_open, 0);
	cr_assert_eq(doc->nentries, 1);
	cr_expect_eq(doc->entries[0].comments_open, 0);
	cr_assert_eq(doc->ncomments, 1);
	expect_str(doc->comments[0].author.name, "Al", "cite.fn");
	expect_str(doc->comments[0].id, "https://b.example/p/#comment-1",
		   "id");
	doc_free(doc);
}

Test(analyzer_html, closed_notice_as_plain_text_closes)
{
	struct ms_doc *doc = parse_str(
		"<html><body><div class='post hentry'><h2 class='post-title'>"
		"T</h2><div class='post-body'>Body</div></div>"
		"<div id='comments'><p>Comments are closed.</p></div>"
		"<form id='commentform'><textarea name='comment'></textarea>"
		"</form></body></html>",
		"https://c.example/t.html");

	cr_expect_eq(doc->comments_open, 0, "the notice wins over a form");
	doc_free(doc);
}

Test(analyzer_html, closed_words_inside_the_post_do_not_close)
{
	struct ms_doc *doc = parse_str(
		"<html><body><article class='hentry'><h1 class='entry-title'>"
		"On moderation</h1><div class='entry-content'><p>When comments "
		"are closed, readers leave.</p></div></article>"
		"<div id='respond'><form action='/wp-comments-post.php'>"
		"<textarea name='comment'></textarea></form></div>"
		"</body></html>",
		"https://d.example/m/");

	cr_expect_eq(doc->comments_open, 1);
	doc_free(doc);
}

Test(analyzer_html, relative_links_without_base_are_dropped)
{
	struct ms_doc *doc = parse_str(
		"<html><head><link rel=alternate type=application/rss+xml "
		"href='/feed/'><link rel=alternate type=application/atom+xml "
		"href='https://e.example/atom.xml'></head><body></body></html>",
		NULL);

	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "absolute only",
		    "https://e.example/atom.xml");
	cr_expect_null(doc->link);
	doc_free(doc);
}

Test(analyzer_html, page_without_markup_is_read)
{
	struct ms_doc *doc = parse_str("just some words", "https://f.example/");

	cr_expect_eq(doc->nentries, 0);
	cr_expect_eq(doc->ncomments, 0);
	cr_expect_eq(doc->comments_open, -1);
	doc_free(doc);
}

Test(analyzer_html, empty_input_is_an_error)
{
	struct ms_doc doc = { 0 };
	struct ms_parse_opts o = { .url = "https://g.example/empty" };
	struct ms_err err = { 0 };

	ms_arena_init(&doc.arena);
	cr_expect_eq(ms_html_parse(&doc, "", 0, &o, &err), MS_EPARSE);
	cr_expect(strstr(err.msg, "https://g.example/empty") != NULL,
		  "the message names the page: %s", err.msg);
	ms_arena_release(&doc.arena);
}

/* -------------------------------------------------------------- hostile */

/* 200,000 nested elements: libxml2 stops at depth 256; our walks are
 * iterative, so nothing overflows and what was read is used. */
Test(analyzer_html, deep_nesting_is_bounded)
{
	struct ms_buf b = MS_BUF_INIT(16 * 1024 * 1024);
	struct ms_doc *doc;

	ms_buf_adds(&b, "<html><body><div class='hentry'>"
			"<h1 class='entry-title'>Deep</h1>"
			"<ol class='commentlist'>");
	for (int i = 0; i < 200000; i++)
		ms_buf_addf(&b, "<li class='comment' id='comment-%d'><ol>", i);
	doc = parse_mem(b.data, b.len, "https://h.example/deep/");
	cr_expect(doc->ncomments > 0 && doc->ncomments < 300,
		  "%zu comments", doc->ncomments);
	/* Each one replies to the one around it. */
	for (size_t i = 1; i < doc->ncomments; i++)
		expect_str(doc->comments[i].in_reply_to,
			   doc->comments[i - 1].id, "in_reply_to chain");
	doc_free(doc);
	ms_buf_release(&b);
}

/* Many siblings: the caps hold. */
Test(analyzer_html, comment_and_link_counts_are_capped)
{
	struct ms_buf b = MS_BUF_INIT(16 * 1024 * 1024);
	struct ms_doc *doc;

	ms_buf_adds(&b, "<html><body><article class='hentry'>"
			"<div class='entry-content'>");
	for (int i = 0; i < 2000; i++)
		ms_buf_addf(&b, "<a href='/l%d'>x</a>", i);
	ms_buf_adds(&b, "</div></article><ol class='commentlist'>");
	for (int i = 0; i < 8000; i++)
		ms_buf_addf(&b, "<li class='comment' id='comment-%d'>"
				"<cite class='fn'>N%d</cite></li>", i, i);
	doc = parse_mem(b.data, b.len, "https://i.example/p/");
	cr_expect_eq(doc->ncomments, 5000, "%zu comments", doc->ncomments);
	cr_assert_eq(doc->nentries, 1);
	cr_expect_eq(doc->entries[0].nlinks, 500, "%zu links",
		     doc->entries[0].nlinks);
	doc_free(doc);
	ms_buf_release(&b);
}

Test(analyzer_html, huge_attributes_are_ignored)
{
	struct ms_buf b = MS_BUF_INIT(16 * 1024 * 1024);
	struct ms_doc *doc;
	const size_t big = 2 * 1024 * 1024;

	ms_buf_adds(&b, "<html><head><link rel=alternate "
			"type=application/rss+xml href='https://j.example/");
	for (size_t i = 0; i < big; i++)
		ms_buf_addc(&b, 'a');
	ms_buf_adds(&b, "'><link rel=alternate type=application/rss+xml "
			"href='/ok.xml'></head><body><div class='");
	for (size_t i = 0; i < big / 2; i++)
		ms_buf_adds(&b, "c ");
	ms_buf_adds(&b, "hentry'><a rel=me href='https://github.com/");
	for (size_t i = 0; i < 100000; i++)
		ms_buf_addc(&b, 'x');
	ms_buf_adds(&b, "'>me</a></div></body></html>");
	doc = parse_mem(b.data, b.len, "https://j.example/");
	/* The huge href is skipped, the next one still read; the huge class
	 * list is ignored rather than scanned for every test. */
	EXPECT_LIST(doc->feed_links, doc->nfeed_links, "feed_links",
		    "https://j.example/ok.xml");
	cr_expect_eq(doc->nentries, 0);
	cr_expect_eq(doc->nprofiles, 0, "not a GitHub user name");
	doc_free(doc);
	ms_buf_release(&b);
}

Test(analyzer_html, broken_markup_and_junk_bytes_do_not_crash)
{
#define PAGE(s) { s, sizeof(s) - 1 }
	static const struct {
		const char *s;
		size_t n;
	} pages[] = {
		PAGE("<html><body><li class='comment'><li class='comment'>"
		     "<div class='comment-author'><cite class='fn'>"),
		PAGE("<<<>>><a href=><a href='http://'><time datetime=>"),
		PAGE("<div class='h-entry'><div class='p-comment h-cite'>"
		     "<a class='u-in-reply-to'></a></div>"),
		PAGE("<a class='p-author h-card'><img class='h-card'></a>"),
		PAGE("\xff\xfe\x00<\x00h\x00t\x00m\x00l\x00>"),
		PAGE("<html><body>\x80\x81\xc3\x28 <p class='no-comments'>"
		     "\xe2\x82"),
		PAGE("<ol class=commentlist><li class=comment id=><time "
		     "datetime='9999-99-99T99:99:99Z'></time><span "
		     "class=datetime><a href='?showComment="
		     "99999999999999999999999'>x</a></span></li>"),
		PAGE("<base href='javascript:alert(1)'><link rel=alternate "
		     "type=application/rss+xml href='feed'>"),
		PAGE("<div class='hentry'><div class='p-comment h-cite "
		     "comment'><div class='p-comment h-cite'><span "
		     "class='u-in-reply-to h-cite'></span></div></div></div>"),
	};
#undef PAGE
	struct ms_err err;

	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		struct ms_doc doc = { 0 };
		struct ms_parse_opts o = { .url = "https://k.example/a/b" };
		int rc;

		ms_arena_init(&doc.arena);
		rc = ms_html_parse(&doc, pages[i].s, pages[i].n, &o, &err);
		cr_expect(rc == MS_OK || rc == MS_EPARSE, "page %zu: %d", i,
			  rc);
		if (rc == MS_OK)
			ms_doc_enrich(&doc);
		ms_arena_release(&doc.arena);
	}
}

/* WordPress prints neither form nor notice on a closed post without
 * comments: the lone post of the page, with no way to comment. */
Test(analyzer_html, lone_post_without_comment_section_is_closed)
{
	struct ms_doc *doc = parse_str(
		"<html><head><link rel='canonical' href='/2012/q/'></head>"
		"<body class='single'><article class='post hentry'>"
		"<h1 class='entry-title'>Quiet post</h1><div "
		"class='entry-content'><p>No comments here.</p></div>"
		"</article></body></html>",
		"https://m.example/2012/q/");

	cr_assert_eq(doc->nentries, 1);
	expect_str(doc->entries[0].link, "https://m.example/2012/q/",
		   "the canonical link");
	cr_expect_eq(doc->entries[0].comments_open, 0);
	cr_expect_eq(doc->comments_open, 0);
	cr_expect_null(doc->entries[0].comments_url);
	doc_free(doc);
}

/* Bytes that do not decode in the declared charset: libxml2 would print
 * its complaint and stop reading; we keep the complaint as the page's
 * first error, print nothing, and keep what was read. */
Test(analyzer_html, undecodable_bytes_mark_the_page_recovered_quietly)
{
	static const char page[] =
		"<html><head><meta charset='shift_jis'><title>T</title></head>"
		"<body><p>caf\xdc\x70\xff\xfe\x80 and more</p>"
		"<a rel=me href='https://github.com/after'>me</a>"
		"</body></html>";
	char *dir = ms_test_tmpdir("html-stderr");
	char *path, *errs;
	size_t n = 0;
	struct ms_doc *doc;
	int fd, saved;

	cr_assert_not_null(dir);
	cr_assert(asprintf(&path, "%s/stderr", dir) > 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	doc = parse_mem(page, sizeof(page) - 1, "https://s.example/");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	errs = ms_test_read_file(path, &n);
	cr_expect_eq(n, 0, "libxml2 printed: %s", errs ? errs : "");
	cr_expect(doc->recovered);
	cr_expect(doc->error && strstr(doc->error, "conversion"), "error: %s",
		  doc->error ? doc->error : "(none)");
	/* libxml2 stops at the bytes; what came before is kept. */
	expect_str(doc->title, "T", "title before the bad bytes");
	doc_free(doc);
	free(errs);
	free(path);
	ms_test_rmrf(dir);
	free(dir);
}
