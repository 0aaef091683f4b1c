/*
 * Tests for analyzer/ingest.c: what a parsed document writes into a real
 * store (a fresh LMDB in a temporary directory) — the post, comment and
 * person records and their keys, the identity rules (site, profile,
 * name@host, the blog's owner, the post author's own comments), and that
 * ingesting the same document twice changes nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/internal.h"
#include "config/config.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define NOW 1700000000

static char *dir;
static struct ms_store *st;

static void
open_store(void)
{
	struct ms_err err = { 0 };

	dir = ms_test_tmpdir("ingest");
	cr_assert_not_null(dir, "cannot make a temporary directory");
	/* A small map (it grows on demand): valgrind cannot map the default
	 * 64 GiB. */
	cr_assert_eq(ms_store_open(dir, MS_STORE_CREATE, 16 << 20, &st, &err),
		     MS_OK, "%s", err.msg);
}

static void
close_store(void)
{
	ms_store_close(st);
	ms_test_rmrf(dir);
	free(dir);
}

TestSuite(analyzer_ingest, .init = open_store, .fini = close_store);

static struct ms_doc *
page(const char *fixture, const char *url)
{
	char *path = ms_test_fixture(fixture);
	size_t len;
	char *data = ms_test_read_file(path, &len);
	struct ms_doc *doc = ms_xcalloc(1, sizeof(*doc));
	struct ms_parse_opts o = { .url = url };
	struct ms_err err = { 0 };

	cr_assert_not_null(data, "cannot read fixture '%s'", path);
	ms_arena_init(&doc->arena);
	cr_assert_eq(ms_html_parse(doc, data, len, &o, &err), MS_OK, "%s",
		     err.msg);
	ms_doc_enrich(doc);
	free(data);
	free(path);
	return doc;
}

static void
doc_free(struct ms_doc *doc)
{
	ms_arena_release(&doc->arena);
	free(doc);
}

static struct ms_ingest_stats
ingest(const struct ms_doc *doc, const char *feed_url)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_ingest_stats s = { 0 };
	struct ms_err err = { 0 };

	cr_assert_eq(ms_doc_ingest(doc, feed_url, NOW, b, &s, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
	return s;
}

static struct ms_store_stats
counts(void)
{
	struct ms_store_stats s;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_stats(st, &s, &err), MS_OK, "%s", err.msg);
	return s;
}

static struct ms_rtxn *
snap(void)
{
	struct ms_rtxn *t;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	return t;
}

static struct ms_hash
person_key(const char *ident)
{
	struct ms_hash k;

	ms_key_person(ident, &k);
	return k;
}

static struct ms_person_rec
get_person(struct ms_rtxn *t, const char *ident)
{
	struct ms_hash k = person_key(ident);
	struct ms_person_rec r;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_get_person(t, &k, &r, &err), MS_OK,
		     "person '%s': %s", ident, err.msg);
	cr_expect_str_eq(r.ident, ident);
	return r;
}

static bool
same_hash(const struct ms_hash *a, const struct ms_hash *b)
{
	return !memcmp(a->b, b->b, MS_HASH_LEN);
}

static bool
in_list(const char *list, const char *item)
{
	const char *cur = list, *s;
	size_t n;

	while ((s = ms_strlist_next(&cur, &n)))
		if (n == strlen(item) && !strncmp(s, item, n))
			return true;
	return false;
}

/* ------------------------------------------------------------ WordPress */

#define WP_POST "https://anna.example/2010/06/06/giving-feedback-that-lands/"
#define ANNA "name:Anna Berg@anna.example"

struct seen_comment {
	struct ms_hash key, post, author, parent;
	char id[256];
	int by_post_author;
};

struct comments {
	struct seen_comment c[16];
	size_t n;
};

static int
collect_comment(const struct ms_hash *key, const struct ms_comment_rec *r,
		void *ctx)
{
	struct comments *cs = ctx;
	struct seen_comment *c;

	if (cs->n == 16)
		return 1;
	c = &cs->c[cs->n++];
	c->key = *key;
	c->post = r->post;
	c->author = r->author;
	c->parent = r->parent;
	c->by_post_author = r->by_post_author;
	snprintf(c->id, sizeof(c->id), "%s", r->id);
	return 0;
}

static const struct seen_comment *
comment_by_id(const struct comments *cs, const char *id)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].id, id))
			return &cs->c[i];
	cr_assert_fail("no comment '%s' stored", id);
	return NULL;
}

Test(analyzer_ingest, wordpress_page_records_and_keys)
{
	struct ms_doc *doc = page("html/wordpress-post.html", WP_POST);
	struct ms_config *cfg;
	struct ms_err err = { 0 };
	struct ms_ingest_stats s;
	struct ms_rtxn *t;
	struct ms_post_rec p;
	struct ms_person_rec r;
	struct ms_hash key, feed, anna = person_key(ANNA);
	struct comments cs = { .n = 0 };
	const struct seen_comment *c;

	cr_assert_eq(ms_config_defaults(&cfg, &err), MS_OK, "%s", err.msg);
	ms_doc_topics(doc, &cfg->taxonomy);
	s = ingest(doc, WP_POST);
	cr_expect_eq(s.posts, 1);
	cr_expect_eq(s.comments, 4);
	cr_expect_eq(s.people, 4, "Anna, Jane, Bob, Carl: %zu", s.people);

	t = snap();
	ms_key_post(WP_POST, &key);
	ms_key_feed(WP_POST, &feed);
	cr_assert_eq(ms_store_get_post(t, &key, &p, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(p.url, WP_POST);
	cr_expect_str_eq(p.title, "Giving feedback that lands");
	cr_expect_str_eq(p.author_name, "Anna Berg");
	cr_expect(same_hash(&p.author, &anna), "post author is " ANNA);
	cr_expect(same_hash(&p.feed, &feed));
	cr_expect_str_eq(p.categories, "Feedback\nHR");
	cr_expect_str_eq(p.links, "https://www.linkedin.com/in/Bob-Example/\n"
				  "https://research.example.org/"
				  "feedback-study");
	cr_expect_str_eq(p.comment_feed, WP_POST "feed/");
	cr_expect_str_eq(p.comments_url, WP_POST);
	cr_expect_str_eq(p.lang, "en");
	cr_expect_str_eq(p.topics, "hr=3\nmanagement=0.5");
	cr_expect(!strncmp(p.summary, "Feedback works when", 19));
	cr_expect_leq(strlen(p.summary), 500);
	cr_expect_eq(p.published, 1275818400);
	cr_expect_eq(p.seen, NOW);
	cr_expect_eq(p.comments_open, 1);
	cr_expect_eq(p.comment_count, -1);

	/* The post author, from an archive link on her own blog: her name
	 * on the blog's host, as the blog's feed names her; her reply is
	 * hers (.bypostauthor); the footer's profiles and the feed too. */
	r = get_person(t, ANNA);
	cr_expect_str_eq(r.name, "Anna Berg");
	cr_expect_eq(r.flags, MS_PERSON_AUTHOR | MS_PERSON_COMMENTER);
	cr_expect(in_list(r.profiles, "https://x.com/anna_berg"), "%s",
		  r.profiles ? r.profiles : "");
	cr_expect(in_list(r.profiles, "https://www.linkedin.com/in/anna-berg"));
	cr_expect_str_eq(r.feed, "https://anna.example/feed/");
	cr_expect_eq(r.first_seen, 1275818400, "her post");
	cr_expect_eq(r.last_seen, 1275827400, "her reply");
	r = get_person(t, "site:jane.example/blog");
	cr_expect_str_eq(r.name, "Jane Doe");
	cr_expect_str_eq(r.site, "https://jane.example/blog/");
	cr_expect_eq(r.flags, MS_PERSON_COMMENTER);
	r = get_person(t, "name:Bob@anna.example");
	cr_expect_eq(r.flags, MS_PERSON_COMMENTER);
	cr_expect_null(r.site);
	r = get_person(t, "profile:https://x.com/carl_c");
	cr_expect_str_eq(r.name, "Carl C.");
	cr_expect_str_eq(r.profiles, "https://x.com/carl_c");

	cr_assert_eq(ms_store_each_comment(t, collect_comment, &cs, &err),
		     MS_OK, "%s", err.msg);
	cr_assert_eq(cs.n, 4);
	c = comment_by_id(&cs, WP_POST "#comment-3");
	cr_expect(same_hash(&c->post, &key), "comment points to its post");
	cr_expect(same_hash(&c->author, &anna), "reply by the post author");
	cr_expect_eq(c->by_post_author, 1);
	ms_key_comment(WP_POST "#comment-2", &key);
	cr_expect(same_hash(&c->parent, &key), "parent is comment-2");
	cr_expect(same_hash(&comment_by_id(&cs, WP_POST "#comment-4")->parent,
			    &c->key),
		  "comment-4 answers comment-3");
	key = person_key("site:jane.example/blog");
	cr_expect(same_hash(&comment_by_id(&cs, WP_POST "#comment-2")->author,
			    &key));
	ms_store_read_end(t);
	ms_config_free(cfg);
	doc_free(doc);
}

Test(analyzer_ingest, same_page_twice_adds_nothing)
{
	struct ms_doc *doc = page("html/wordpress-post.html", WP_POST);
	struct ms_store_stats a, b;

	ingest(doc, WP_POST);
	a = counts();
	ingest(doc, WP_POST);
	b = counts();
	cr_expect_eq(a.posts, 1);
	cr_expect_eq(a.comments, 4);
	cr_expect_eq(a.people, 4);
	cr_expect_eq(b.posts, a.posts);
	cr_expect_eq(b.comments, a.comments);
	cr_expect_eq(b.people, a.people);
	doc_free(doc);
}

/* ---------------------------------------------------------------- h-entry */

#define HE_POST "https://erin.example/2021/04/decision-journal"

Test(analyzer_ingest, hentry_comments_without_ids_are_stable)
{
	struct ms_doc *doc = page("html/hentry-post.html", HE_POST);
	struct ms_ingest_stats s1, s2;
	struct ms_store_stats c;
	struct ms_rtxn *t;
	struct ms_person_rec r;
	struct comments cs = { .n = 0 };
	struct ms_err err = { 0 };
	struct ms_hash erin = person_key("site:erin.example");

	s1 = ingest(doc, HE_POST);
	s2 = ingest(doc, HE_POST);
	c = counts();
	cr_expect_eq(s1.comments, 3);
	cr_expect_eq(s2.comments, 3);
	cr_expect_eq(c.comments, 3, "George's comment has no id: a key "
				    "from post, author and date, twice the "
				    "same");
	cr_expect_eq(c.people, 3, "Erin, Fatima, George");

	t = snap();
	r = get_person(t, "site:erin.example");
	cr_expect_eq(r.flags, MS_PERSON_AUTHOR | MS_PERSON_COMMENTER);
	cr_expect_str_eq(r.site, "https://erin.example/");
	/* The only author of the page: its rel=me profiles are hers. */
	cr_expect(in_list(r.profiles, "https://github.com/erin-okafor"));
	cr_expect(in_list(r.profiles, "https://hachyderm.io/@erin"));
	cr_expect(in_list(r.profiles, "https://www.linkedin.com/in/erinokafor"));
	get_person(t, "site:fatima.example");
	get_person(t, "name:George@erin.example");
	cr_assert_eq(ms_store_each_comment(t, collect_comment, &cs, &err),
		     MS_OK, "%s", err.msg);
	cr_expect(same_hash(&comment_by_id(&cs, HE_POST "#reply-2")->author,
			    &erin));
	ms_store_read_end(t);
	doc_free(doc);
}

/* ------------------------------------------------------ hand-made feeds */

static struct ms_entry *
add_entry(struct ms_doc *doc, const char *link, const char *title,
	  int64_t published)
{
	struct ms_entry *e = &doc->entries[doc->nentries++];

	memset(e, 0, sizeof(*e));
	e->link = link;
	e->title = title;
	e->published = published;
	e->updated = MS_TIME_NONE;
	e->comment_count = -1;
	e->comments_open = -1;
	return e;
}

static void
set_author(struct ms_doc *doc, struct ms_entry *e, const char *name,
	   const char *uri)
{
	e->authors = ms_arena_zalloc(&doc->arena, sizeof(*e->authors));
	e->authors[0].name = name;
	e->authors[0].uri = uri;
	e->nauthors = 1;
	e->author = e->authors[0];
}

static struct ms_doc *
feed_doc(const char *link)
{
	struct ms_doc *doc = ms_xcalloc(1, sizeof(*doc));

	ms_arena_init(&doc->arena);
	doc->kind = MS_DOC_RSS;
	doc->link = link;
	doc->comments_open = -1;
	doc->entries = ms_arena_zalloc(&doc->arena, 8 * sizeof(*doc->entries));
	return doc;
}

Test(analyzer_ingest, feed_entries_without_author_are_the_blog_owners)
{
	static const char *const profiles[] = { "https://github.com/olga" };
	struct ms_doc *doc = feed_doc("https://www.owner.example/");
	struct ms_entry *e;
	struct ms_ingest_stats s;
	struct ms_rtxn *t;
	struct ms_person_rec r;
	struct ms_post_rec p;
	struct ms_hash key, owner = person_key("site:owner.example");
	struct ms_err err = { 0 };

	doc->author.name = "Olga Owner";
	doc->profiles = (const char **)profiles;
	doc->nprofiles = 1;
	e = add_entry(doc, "https://www.owner.example/a", "A", 1600000000);
	e->author = doc->author;
	e = add_entry(doc, "https://www.owner.example/b", "B", 1600500000);
	e->author = doc->author;
	e = add_entry(doc, "https://www.owner.example/c", "C", 1601000000);
	set_author(doc, e, "Guest Writer", NULL);
	s = ingest(doc, "https://www.owner.example/feed/");
	cr_expect_eq(s.posts, 3);
	cr_expect_eq(s.people, 2);

	t = snap();
	r = get_person(t, "site:owner.example");
	cr_expect_str_eq(r.name, "Olga Owner");
	cr_expect_str_eq(r.site, "https://www.owner.example/");
	cr_expect_str_eq(r.feed, "https://www.owner.example/feed/");
	cr_expect_str_eq(r.profiles, "https://github.com/olga");
	cr_expect_eq(r.flags, MS_PERSON_AUTHOR);
	cr_expect_eq(r.first_seen, 1600000000);
	cr_expect_eq(r.last_seen, 1600500000);
	/* A named author without a URI: the name on the feed's host (no
	 * "www."); the owner's profiles are not theirs. */
	r = get_person(t, "name:Guest Writer@owner.example");
	cr_expect_null(r.profiles);
	cr_expect_eq(r.flags, MS_PERSON_AUTHOR);
	ms_key_post("https://www.owner.example/b", &key);
	cr_assert_eq(ms_store_get_post(t, &key, &p, &err), MS_OK, "%s",
		     err.msg);
	cr_expect(same_hash(&p.author, &owner));
	ms_store_read_end(t);
	doc_free(doc);
}

Test(analyzer_ingest, author_uris_give_profile_and_site_identities)
{
	struct ms_doc *doc = feed_doc("https://blog.example/");
	struct ms_ingest_stats s;
	struct ms_rtxn *t;
	struct ms_person_rec r;

	set_author(doc, add_entry(doc, "https://blog.example/1", "1",
				  1600000000),
		   "Jo", "https://twitter.com/Jo_Dev/status/99");
	set_author(doc, add_entry(doc, "https://blog.example/2", "2",
				  1600000001),
		   "Kim", "https://www.kim.example/about/");
	/* An archive page of this blog is no personal site. */
	set_author(doc, add_entry(doc, "https://blog.example/3", "3",
				  1600000002),
		   "Lee", "https://blog.example/author/lee/");
	/* Without a name, it is all there is. */
	set_author(doc, add_entry(doc, "https://blog.example/4", "4",
				  1600000003),
		   NULL, "https://blog.example/author/anon/");
	s = ingest(doc, "https://blog.example/feed/");
	cr_expect_eq(s.people, 4);
	t = snap();
	r = get_person(t, "profile:https://x.com/jo_dev");
	cr_expect_str_eq(r.name, "Jo");
	cr_expect_str_eq(r.profiles, "https://x.com/jo_dev");
	r = get_person(t, "site:kim.example/about");
	cr_expect_str_eq(r.site, "https://www.kim.example/about/");
	get_person(t, "name:Lee@blog.example");
	get_person(t, "site:blog.example/author/anon");
	ms_store_read_end(t);
	doc_free(doc);
}

Test(analyzer_ingest, entries_without_link_or_id_are_skipped)
{
	struct ms_doc *doc = feed_doc("https://n.example/");
	struct ms_ingest_stats s;

	add_entry(doc, NULL, "no link", 1600000000);
	add_entry(doc, "not a url", "bad link", 1600000000);
	add_entry(doc, NULL, "with id", 1600000000)->id = "tag:n.example,1";
	s = ingest(doc, "https://n.example/feed");
	cr_expect_eq(s.posts, 1, "only the one with an id");
	cr_expect_eq(counts().posts, 1);
	doc_free(doc);
}

/* ---------------------------------------------------------------- Blogger */

static struct ms_doc *
parsed_feed(const char *fixture, const char *url)
{
	char *path = ms_test_fixture(fixture);
	size_t len;
	char *data = ms_test_read_file(path, &len);
	struct ms_parse_opts o = { .url = url };
	struct ms_doc *doc = NULL;
	struct ms_err err = { 0 };

	cr_assert_not_null(data, "cannot read fixture '%s'", path);
	cr_assert_eq(ms_doc_parse(data, len, &o, &doc, &err), MS_OK, "%s",
		     err.msg);
	free(data);
	free(path);
	return doc;
}

static int
author_of_post(const struct ms_hash *k, const struct ms_post_rec *r,
	       void *ctx)
{
	(void)k;
	if (r->url && strstr(r->url, "gute-mitarbeitergesprache")) {
		*(struct ms_hash *)ctx = r->author;
		return 1;
	}
	return 0;
}

static int
owner_comments(const struct ms_hash *k, const struct ms_comment_rec *r,
	       void *ctx)
{
	struct ms_hash owner = person_key("site:mariashr.blogspot.com");

	(void)k;
	if (r->author_name && !strcmp(r->author_name, "Maria Schneider"))
		*(int *)ctx += same_hash(&r->author, &owner) ? 1 : -100;
	return 0;
}

/* Blogger signs posts and comments with the owner's blogger.com profile
 * page; the owner is the blog (the identity their comments elsewhere
 * give), in the posts feed and in the comment feed alike. */
Test(analyzer_ingest, blogger_owner_is_the_blog_not_the_profile_page)
{
	struct ms_doc *posts = parsed_feed("feeds/blogger_atom.xml",
		"https://mariashr.blogspot.com/feeds/posts/default");
	struct ms_doc *comments = parsed_feed("feeds/blogger_comments.xml",
		"https://mariashr.blogspot.com/feeds/1111111111111111111/"
		"comments/default");
	struct ms_hash author = { { 0 } };
	struct ms_hash owner = person_key("site:mariashr.blogspot.com");
	struct ms_rtxn *t;
	int answered = 0;

	ingest(posts, "https://mariashr.blogspot.com/feeds/posts/default");
	ingest(comments, "https://mariashr.blogspot.com/feeds/"
			 "1111111111111111111/comments/default");
	t = snap();
	cr_assert_eq(ms_store_each_post(t, author_of_post, &author, NULL), 1);
	cr_expect(same_hash(&author, &owner), "post author is not the blog");
	ms_store_each_comment(t, owner_comments, &answered, NULL);
	cr_expect_gt(answered, 0, "the owner's comments are not theirs");
	/* the other commenter keeps their own identity */
	get_person(t, "site:blogger.com/profile/09876543210987654321");
	ms_store_read_end(t);
	ms_doc_free(posts);
	ms_doc_free(comments);
}
