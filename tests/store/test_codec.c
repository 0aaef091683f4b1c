/* Tests for store/codec.c: every record type round-trips with all its
 * fields, and damaged values (every truncation, unknown versions, flipped
 * length bytes, missing NULs, trailing bytes, every single-byte change)
 * are rejected with MS_ECORRUPT or decode to something that re-encodes to
 * the same bytes — never a crash or a read outside the value (each damaged
 * value sits in a malloc of its exact size, so ASan sees any over-read). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/hash.h"

#define CAP (64u << 20)

static void
str_eq(const char *got, const char *want, const char *field)
{
	if (!want) {
		cr_expect_null(got, "%s: want NULL, got '%s'", field, got);
		return;
	}
	cr_assert_not_null(got, "%s: want '%.40s', got NULL", field, want);
	cr_expect_str_eq(got, want, "%s", field);
}

static void
hash_of(const char *s, struct ms_hash *h)
{
	ms_hash_str(s, h);
}

static char *
long_string(size_t n, char c)
{
	char *s = malloc(n + 1);

	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(c + (char)(i % 23));
	s[n] = '\0';
	return s;
}

/* A copy of p in a malloc of exactly n bytes (1 for n = 0). */
static void *
exact(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	cr_assert_not_null(q);
	if (n)
		memcpy(q, p, n);
	return q;
}

/* ------------------------------------------------------------ samples */

static struct ms_feed_rec
sample_feed(const char *url)
{
	struct ms_feed_rec r = { 0 };

	r.url = url;
	r.title = "Jane's HR notes";
	r.site = "https://jane.example/";
	r.etag = "\"5f3a-1c\"";
	r.last_modified = "Tue, 02 Jan 2024 10:00:00 GMT";
	r.last_error = "HTTP 503";
	r.topics = "hr\nleadership";
	r.parent = "https://jane.example/2024/01/post";
	r.redirect_to = "https://new.jane.example/feed";
	hash_of("body", &r.digest);
	hash_of("first post", &r.sample);
	r.added = 1704067200;
	r.last_fetch = -5;
	r.last_ok = INT64_MAX;
	r.next_fetch = MS_TIME_NONE;
	r.failures = UINT32_MAX;
	r.redirect_count = 3;
	r.last_status = 65535;
	r.state = MS_FEED_RETIRED;
	r.kind = MS_FEED_PAGE;
	r.depth = 255;
	return r;
}

static void
check_feed(const struct ms_feed_rec *a, const struct ms_feed_rec *b)
{
	str_eq(a->url, b->url, "url");
	str_eq(a->title, b->title, "title");
	str_eq(a->site, b->site, "site");
	str_eq(a->etag, b->etag, "etag");
	str_eq(a->last_modified, b->last_modified, "last_modified");
	str_eq(a->last_error, b->last_error, "last_error");
	str_eq(a->topics, b->topics, "topics");
	str_eq(a->parent, b->parent, "parent");
	str_eq(a->redirect_to, b->redirect_to, "redirect_to");
	cr_expect_arr_eq(a->digest.b, b->digest.b, MS_HASH_LEN, "digest");
	cr_expect_arr_eq(a->sample.b, b->sample.b, MS_HASH_LEN, "sample");
	cr_expect_eq(a->added, b->added, "added");
	cr_expect_eq(a->last_fetch, b->last_fetch, "last_fetch");
	cr_expect_eq(a->last_ok, b->last_ok, "last_ok");
	cr_expect_eq(a->next_fetch, b->next_fetch, "next_fetch");
	cr_expect_eq(a->failures, b->failures, "failures");
	cr_expect_eq(a->redirect_count, b->redirect_count, "redirect_count");
	cr_expect_eq(a->last_status, b->last_status, "last_status");
	cr_expect_eq(a->state, b->state, "state");
	cr_expect_eq(a->kind, b->kind, "kind");
	cr_expect_eq(a->depth, b->depth, "depth");
}

static struct ms_post_rec
sample_post(void)
{
	struct ms_post_rec r = { 0 };

	hash_of("feed", &r.feed);
	hash_of("author", &r.author);
	r.url = "https://jane.example/2024/01/post";
	r.id = "tag:jane.example,2024:1";
	r.title = "On one-to-ones — ünïcode too";
	r.author_name = "Jane Doe";
	r.categories = "HR\nManagement";
	r.links = "https://a.example/x\nhttps://b.example/y";
	r.comment_feed = "https://jane.example/2024/01/post/feed";
	r.comments_url = "https://jane.example/2024/01/post#comments";
	r.lang = "en";
	r.topics = "hr=3.5\nleadership=1";
	r.summary = "A short excerpt.";
	r.published = 1704189600;
	r.updated = 1704189700;
	r.seen = 1704200000;
	r.comment_count = -1;
	r.comments_open = -1;
	return r;
}

static void
check_post(const struct ms_post_rec *a, const struct ms_post_rec *b)
{
	cr_expect_arr_eq(a->feed.b, b->feed.b, MS_HASH_LEN, "feed");
	cr_expect_arr_eq(a->author.b, b->author.b, MS_HASH_LEN, "author");
	str_eq(a->url, b->url, "url");
	str_eq(a->id, b->id, "id");
	str_eq(a->title, b->title, "title");
	str_eq(a->author_name, b->author_name, "author_name");
	str_eq(a->categories, b->categories, "categories");
	str_eq(a->links, b->links, "links");
	str_eq(a->comment_feed, b->comment_feed, "comment_feed");
	str_eq(a->comments_url, b->comments_url, "comments_url");
	str_eq(a->lang, b->lang, "lang");
	str_eq(a->topics, b->topics, "topics");
	str_eq(a->summary, b->summary, "summary");
	cr_expect_eq(a->published, b->published, "published");
	cr_expect_eq(a->updated, b->updated, "updated");
	cr_expect_eq(a->seen, b->seen, "seen");
	cr_expect_eq(a->comment_count, b->comment_count, "comment_count");
	cr_expect_eq(a->comments_open, b->comments_open, "comments_open");
}

static struct ms_comment_rec
sample_comment(void)
{
	struct ms_comment_rec r = { 0 };

	hash_of("post", &r.post);
	hash_of("commenter", &r.author);
	hash_of("parent comment", &r.parent);
	r.id = "https://jane.example/2024/01/post#comment-42";
	r.post_url = "https://jane.example/2024/01/post";
	r.author_name = "Bob";
	r.author_uri = "https://bob.example/";
	r.in_reply_to = "https://jane.example/2024/01/post#comment-41";
	r.published = INT64_MIN + 1;
	r.by_post_author = 1;
	return r;
}

static void
check_comment(const struct ms_comment_rec *a, const struct ms_comment_rec *b)
{
	cr_expect_arr_eq(a->post.b, b->post.b, MS_HASH_LEN, "post");
	cr_expect_arr_eq(a->author.b, b->author.b, MS_HASH_LEN, "author");
	cr_expect_arr_eq(a->parent.b, b->parent.b, MS_HASH_LEN, "parent");
	str_eq(a->id, b->id, "id");
	str_eq(a->post_url, b->post_url, "post_url");
	str_eq(a->author_name, b->author_name, "author_name");
	str_eq(a->author_uri, b->author_uri, "author_uri");
	str_eq(a->in_reply_to, b->in_reply_to, "in_reply_to");
	cr_expect_eq(a->published, b->published, "published");
	cr_expect_eq(a->by_post_author, b->by_post_author, "by_post_author");
}

static struct ms_person_rec
sample_person(void)
{
	struct ms_person_rec r = { 0 };

	r.ident = "site:jane.example";
	r.name = "Jane Doe";
	r.site = "https://jane.example/";
	r.feed = "https://jane.example/feed";
	r.profiles = "https://github.com/jane\nhttps://mastodon.social/@jane";
	r.first_seen = 1;
	r.last_seen = 1704200000;
	r.flags = MS_PERSON_AUTHOR | MS_PERSON_COMMENTER;
	return r;
}

static void
check_person(const struct ms_person_rec *a, const struct ms_person_rec *b)
{
	str_eq(a->ident, b->ident, "ident");
	str_eq(a->name, b->name, "name");
	str_eq(a->site, b->site, "site");
	str_eq(a->feed, b->feed, "feed");
	str_eq(a->profiles, b->profiles, "profiles");
	cr_expect_eq(a->first_seen, b->first_seen, "first_seen");
	cr_expect_eq(a->last_seen, b->last_seen, "last_seen");
	cr_expect_eq(a->flags, b->flags, "flags");
}

static struct ms_host_rec
sample_host(void)
{
	struct ms_host_rec r = { 0 };

	r.robots = "User-agent: *\nDisallow: /private\nCrawl-delay: 2\n";
	r.cursor = "https://jane.example/feed";
	r.robots_fetched = 1704200000;
	r.robots_last_ok = 1704100000;
	r.next_allowed = 1704200002;
	r.crawl_delay_ms = 2000;
	r.failures = 7;
	r.robots_status = 200;
	return r;
}

static void
check_host(const struct ms_host_rec *a, const struct ms_host_rec *b)
{
	str_eq(a->robots, b->robots, "robots");
	str_eq(a->cursor, b->cursor, "cursor");
	cr_expect_eq(a->robots_fetched, b->robots_fetched, "robots_fetched");
	cr_expect_eq(a->robots_last_ok, b->robots_last_ok, "robots_last_ok");
	cr_expect_eq(a->next_allowed, b->next_allowed, "next_allowed");
	cr_expect_eq(a->crawl_delay_ms, b->crawl_delay_ms, "crawl_delay_ms");
	cr_expect_eq(a->failures, b->failures, "failures");
	cr_expect_eq(a->robots_status, b->robots_status, "robots_status");
}

static struct ms_score_rec
sample_score(void)
{
	struct ms_score_rec r = { 0 };

	hash_of("site:jane.example", &r.person);
	r.topic = "hr";
	r.score = 0.8125;
	for (int i = 0; i < MS_SIGNALS; i++)
		r.signals[i] = 1.0 / (i + 3);
	for (int i = 0; i < MS_EVIDENCE; i++)
		r.evidence[i] = (int64_t)i * 1000003 - 5;
	r.evidence[MS_EV_MEDIAN_REPLY_S] = MS_TIME_NONE;
	r.flags = 0x80000001u;
	r.notes = "damped: reciprocal pod\nrole: peer";
	r.steps = "follow\thttps://jane.example/feed\t\tnew posts weekly\n"
		  "comment\thttps://jane.example/p\tOnboarding\tanswers 8 of 10";
	r.lang = "de";
	r.stage = 3;
	return r;
}

static void
check_score(const struct ms_score_rec *a, const struct ms_score_rec *b)
{
	cr_expect_arr_eq(a->person.b, b->person.b, MS_HASH_LEN, "person");
	str_eq(a->topic, b->topic, "topic");
	cr_expect_eq(a->score, b->score, "score");
	for (int i = 0; i < MS_SIGNALS; i++)
		cr_expect_eq(a->signals[i], b->signals[i], "signal %s",
			     ms_signal_names[i]);
	for (int i = 0; i < MS_EVIDENCE; i++)
		cr_expect_eq(a->evidence[i], b->evidence[i], "evidence %s",
			     ms_evidence_names[i]);
	cr_expect_eq(a->flags, b->flags, "flags");
	str_eq(a->notes, b->notes, "notes");
	str_eq(a->steps, b->steps, "steps");
	str_eq(a->lang, b->lang, "lang");
	cr_expect_eq(a->stage, b->stage, "stage");
}

static struct ms_crawl_rec
sample_crawl(void)
{
	struct ms_crawl_rec r = { 0 };

	r.started = 1704200000;
	r.finished = 1704200360;
	r.fetched = 2000;
	r.not_modified = 1500;
	r.unchanged = 100;
	r.errors = 12;
	r.new_posts = 340;
	r.new_comments = 1020;
	r.bytes = UINT64_MAX;
	r.summary = "2000 fetched, 1500 not modified, 12 errors";
	return r;
}

static void
check_crawl(const struct ms_crawl_rec *a, const struct ms_crawl_rec *b)
{
	cr_expect_eq(a->started, b->started, "started");
	cr_expect_eq(a->finished, b->finished, "finished");
	cr_expect_eq(a->fetched, b->fetched, "fetched");
	cr_expect_eq(a->not_modified, b->not_modified, "not_modified");
	cr_expect_eq(a->unchanged, b->unchanged, "unchanged");
	cr_expect_eq(a->errors, b->errors, "errors");
	cr_expect_eq(a->new_posts, b->new_posts, "new_posts");
	cr_expect_eq(a->new_comments, b->new_comments, "new_comments");
	cr_expect_eq(a->bytes, b->bytes, "bytes");
	str_eq(a->summary, b->summary, "summary");
}

/* --------------------------------------------------------- round trips */

Test(store_codec, feed_round_trips_every_field)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_feed_rec in = sample_feed("https://jane.example/feed"), out;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_feed_encode(&in, &b), MS_OK);
	cr_assert_eq(((unsigned char *)b.data)[0], 2, "version byte first "
		     "(feed records are at version 2)");
	cr_assert_eq(ms_feed_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	check_feed(&out, &in);
	/* Zero-copy: the strings point into the encoded value. */
	cr_expect(out.url > b.data && out.url < b.data + b.len);
	ms_buf_release(&b);
}

Test(store_codec, feed_with_null_strings_and_no_times_round_trips)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_feed_rec in = { 0 }, out;
	struct ms_err err = { 0 };

	in.url = "http://x.example/";
	in.title = "";		/* empty is not NULL */
	in.added = in.last_fetch = in.last_ok = MS_TIME_NONE;
	in.next_fetch = MS_TIME_NONE;
	cr_assert_eq(ms_feed_encode(&in, &b), MS_OK);
	cr_assert_eq(ms_feed_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	check_feed(&out, &in);
	cr_expect_str_eq(out.title, "");
	ms_buf_release(&b);
}

Test(store_codec, feed_with_3000_byte_url_round_trips)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	char *url = long_string(3000, 'a');
	struct ms_feed_rec in = sample_feed(url), out;
	struct ms_err err = { 0 };

	memcpy(url, "https://long.example/", 21);
	cr_assert_eq(ms_feed_encode(&in, &b), MS_OK);
	cr_assert_eq(ms_feed_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(strlen(out.url), 3000);
	check_feed(&out, &in);
	ms_buf_release(&b);
	free(url);
}

Test(store_codec, post_round_trips_every_field_and_a_long_summary)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_post_rec in = sample_post(), out;
	struct ms_err err = { 0 };
	char *summary = long_string(200000, 'A');

	cr_assert_eq(ms_post_encode(&in, &b), MS_OK);
	cr_assert_eq(ms_post_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	check_post(&out, &in);

	in.summary = summary;
	in.comment_count = INT32_MAX;
	in.comments_open = 1;
	cr_assert_eq(ms_post_encode(&in, &b), MS_OK);
	cr_assert_eq(ms_post_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	check_post(&out, &in);
	ms_buf_release(&b);
	free(summary);
}

Test(store_codec, post_with_nothing_but_an_id_round_trips)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_post_rec in = { 0 }, out;
	struct ms_err err = { 0 };

	in.id = "urn:uuid:1";
	in.published = in.updated = in.seen = MS_TIME_NONE;
	in.comment_count = INT32_MIN;
	in.comments_open = INT8_MIN;
	cr_assert_eq(ms_post_encode(&in, &b), MS_OK);
	cr_assert_eq(ms_post_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	check_post(&out, &in);
	ms_buf_release(&b);
}

Test(store_codec, comment_person_link_host_score_crawl_round_trip)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_err err = { 0 };
	struct ms_comment_rec c = sample_comment(), c2;
	struct ms_person_rec p = sample_person(), p2;
	struct ms_link_rec l = { UINT32_MAX, MS_LINK_POST | MS_LINK_REPLY,
				 MS_TIME_NONE, 1704200000 }, l2;
	struct ms_host_rec h = sample_host(), h2;
	struct ms_score_rec s = sample_score(), s2;
	struct ms_crawl_rec w = sample_crawl(), w2;

	cr_assert_eq(ms_comment_encode(&c, &b), MS_OK);
	cr_assert_eq(ms_comment_decode(b.data, b.len, &c2, &err), MS_OK, "%s",
		     err.msg);
	check_comment(&c2, &c);

	cr_assert_eq(ms_person_encode(&p, &b), MS_OK);
	cr_assert_eq(ms_person_decode(b.data, b.len, &p2, &err), MS_OK, "%s",
		     err.msg);
	check_person(&p2, &p);

	cr_assert_eq(ms_link_encode(&l, &b), MS_OK);
	cr_assert_eq(ms_link_decode(b.data, b.len, &l2, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(l2.count, l.count);
	cr_expect_eq(l2.kinds, l.kinds);
	cr_expect_eq(l2.first, l.first);
	cr_expect_eq(l2.last, l.last);

	cr_assert_eq(ms_host_encode(&h, &b), MS_OK);
	cr_assert_eq(ms_host_decode(b.data, b.len, &h2, &err), MS_OK, "%s",
		     err.msg);
	check_host(&h2, &h);

	cr_assert_eq(ms_score_encode(&s, &b), MS_OK);
	cr_assert_eq(ms_score_decode(b.data, b.len, &s2, &err), MS_OK, "%s",
		     err.msg);
	check_score(&s2, &s);

	cr_assert_eq(ms_crawl_encode(&w, &b), MS_OK);
	cr_assert_eq(ms_crawl_decode(b.data, b.len, &w2, &err), MS_OK, "%s",
		     err.msg);
	check_crawl(&w2, &w);
	ms_buf_release(&b);
}

Test(store_codec, records_with_all_strings_null_round_trip)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_err err = { 0 };
	struct ms_comment_rec c = { 0 }, c2;
	struct ms_host_rec h = { 0 }, h2;
	struct ms_crawl_rec w = { 0 }, w2;
	struct ms_person_rec p = { 0 }, p2;

	c.published = MS_TIME_NONE;
	cr_assert_eq(ms_comment_encode(&c, &b), MS_OK);
	cr_assert_eq(ms_comment_decode(b.data, b.len, &c2, &err), MS_OK, "%s",
		     err.msg);
	check_comment(&c2, &c);

	h.robots_fetched = h.robots_last_ok = h.next_allowed = MS_TIME_NONE;
	cr_assert_eq(ms_host_encode(&h, &b), MS_OK);
	cr_assert_eq(ms_host_decode(b.data, b.len, &h2, &err), MS_OK, "%s",
		     err.msg);
	check_host(&h2, &h);

	w.finished = MS_TIME_NONE;
	cr_assert_eq(ms_crawl_encode(&w, &b), MS_OK);
	cr_assert_eq(ms_crawl_decode(b.data, b.len, &w2, &err), MS_OK, "%s",
		     err.msg);
	check_crawl(&w2, &w);

	p.ident = "name:Jane Doe@jane.example";
	p.first_seen = p.last_seen = MS_TIME_NONE;
	cr_assert_eq(ms_person_encode(&p, &b), MS_OK);
	cr_assert_eq(ms_person_decode(b.data, b.len, &p2, &err), MS_OK, "%s",
		     err.msg);
	check_person(&p2, &p);
	ms_buf_release(&b);
}

Test(store_codec, encoding_past_the_buffer_cap_is_too_big)
{
	struct ms_buf b = MS_BUF_INIT(100);
	struct ms_post_rec in = sample_post();
	char *summary = long_string(500, 'a');

	in.summary = summary;
	cr_expect_eq(ms_post_encode(&in, &b), MS_ETOOBIG);
	ms_buf_release(&b);
	free(summary);
}

/* ------------------------------------------------------------- damage */

/* The record types as one table, so each damage test covers them all. */
union anyrec {
	struct ms_feed_rec feed;
	struct ms_post_rec post;
	struct ms_comment_rec comment;
	struct ms_person_rec person;
	struct ms_link_rec link;
	struct ms_host_rec host;
	struct ms_score_rec score;
	struct ms_crawl_rec crawl;
};

struct rectype {
	const char *name;
	void (*encode)(struct ms_buf *b);
	int (*decode)(const void *p, size_t n, union anyrec *r,
		      struct ms_err *err);
	int (*reencode)(const union anyrec *r, struct ms_buf *b);
};

static void
enc_feed(struct ms_buf *b)
{
	struct ms_feed_rec r = sample_feed("https://jane.example/feed");

	cr_assert_eq(ms_feed_encode(&r, b), MS_OK);
}

static void
enc_post(struct ms_buf *b)
{
	struct ms_post_rec r = sample_post();

	cr_assert_eq(ms_post_encode(&r, b), MS_OK);
}

static void
enc_comment(struct ms_buf *b)
{
	struct ms_comment_rec r = sample_comment();

	cr_assert_eq(ms_comment_encode(&r, b), MS_OK);
}

static void
enc_person(struct ms_buf *b)
{
	struct ms_person_rec r = sample_person();

	cr_assert_eq(ms_person_encode(&r, b), MS_OK);
}

static void
enc_link(struct ms_buf *b)
{
	struct ms_link_rec r = { 3, MS_LINK_COMMENT, 100, MS_TIME_NONE };

	cr_assert_eq(ms_link_encode(&r, b), MS_OK);
}

static void
enc_host(struct ms_buf *b)
{
	struct ms_host_rec r = sample_host();

	cr_assert_eq(ms_host_encode(&r, b), MS_OK);
}

static void
enc_score(struct ms_buf *b)
{
	struct ms_score_rec r = sample_score();

	cr_assert_eq(ms_score_encode(&r, b), MS_OK);
}

static void
enc_crawl(struct ms_buf *b)
{
	struct ms_crawl_rec r = sample_crawl();

	cr_assert_eq(ms_crawl_encode(&r, b), MS_OK);
}

#define GLUE(name)                                                           \
	static int dec_##name(const void *p, size_t n, union anyrec *r,      \
			      struct ms_err *err)                            \
	{                                                                    \
		return ms_##name##_decode(p, n, &r->name, err);              \
	}                                                                    \
	static int reenc_##name(const union anyrec *r, struct ms_buf *b)     \
	{                                                                    \
		return ms_##name##_encode(&r->name, b);                      \
	}
GLUE(feed)
GLUE(post)
GLUE(comment)
GLUE(person)
GLUE(link)
GLUE(host)
GLUE(score)
GLUE(crawl)

#define TYPE(name) { #name, enc_##name, dec_##name, reenc_##name }
static const struct rectype types[] = {
	TYPE(feed), TYPE(post), TYPE(comment), TYPE(person),
	TYPE(link), TYPE(host), TYPE(score), TYPE(crawl),
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/* Decode n bytes of p from an exact-size copy; return the code. */
static int
decode_exact(const struct rectype *t, const void *p, size_t n,
	     union anyrec *r, struct ms_err *err)
{
	void *q = exact(p, n);
	int rc = t->decode(q, n, r, err);

	free(q);
	return rc;
}

static void
expect_corrupt(const struct rectype *t, const void *p, size_t n,
	       const char *why)
{
	struct ms_err err = { 0 };
	union anyrec r;
	char want[64];
	int rc = decode_exact(t, p, n, &r, &err);

	cr_expect_eq(rc, MS_ECORRUPT, "%s record, %s: rc %d", t->name, why,
		     rc);
	snprintf(want, sizeof(want), "%s record", t->name);
	cr_expect(strstr(err.msg, want), "%s, %s: message '%s' does not name "
		  "the record type", t->name, why, err.msg);
}

Test(store_codec, every_truncation_of_every_record_is_rejected)
{
	struct ms_buf b = MS_BUF_INIT(CAP);

	for (size_t t = 0; t < NTYPES; t++) {
		types[t].encode(&b);
		for (size_t n = 0; n < b.len; n++) {
			char why[64];

			snprintf(why, sizeof(why), "%zu of %zu bytes", n,
				 b.len);
			expect_corrupt(&types[t], b.data, n, why);
		}
	}
	ms_buf_release(&b);
}

Test(store_codec, unknown_version_is_rejected_and_named)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_err err = { 0 };
	union anyrec r;

	for (size_t t = 0; t < NTYPES; t++) {
		types[t].encode(&b);
		/* Feeds are at version 2: version 1 is known but too short
		 * for this value (16 trailing bytes), so still corrupt. */
		int cur = t == 0 ? 2 : 1;

		for (int v = 0; v < 256; v++) {
			if (v == cur)
				continue;
			b.data[0] = (char)v;
			expect_corrupt(&types[t], b.data, b.len, "version");
		}
	}
	enc_feed(&b);
	b.data[0] = 7;
	cr_assert_eq(decode_exact(&types[0], b.data, b.len, &r, &err),
		     MS_ECORRUPT);
	cr_expect(strstr(err.msg, "unknown version 7"), "%s", err.msg);
	ms_buf_release(&b);
}

Test(store_codec, version_1_feed_decodes_without_sample)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_feed_rec in = sample_feed("https://jane.example/feed"), out;
	struct ms_err err = { 0 };
	static const struct ms_hash zero;

	/* A feed written before version 2: the same fields, no sample. */
	cr_assert_eq(ms_feed_encode(&in, &b), MS_OK);
	b.len -= MS_HASH_LEN;
	b.data[0] = 1;
	cr_assert_eq(ms_feed_decode(b.data, b.len, &out, &err), MS_OK, "%s",
		     err.msg);
	in.sample = zero;
	check_feed(&out, &in);
	cr_expect(ms_hash_is_zero(&out.sample), "sample of a v1 record");
	ms_buf_release(&b);
}

Test(store_codec, flipped_length_byte_is_rejected)
{
	struct ms_buf b = MS_BUF_INIT(CAP);

	/* Byte 1 of a feed is the url's length (+1) varint: flip each bit. */
	enc_feed(&b);
	cr_assert_eq((unsigned char)b.data[1],
		     strlen("https://jane.example/feed") + 1);
	for (int bit = 0; bit < 8; bit++) {
		char why[32];

		b.data[1] ^= (char)(1 << bit);
		snprintf(why, sizeof(why), "length bit %d flipped", bit);
		expect_corrupt(&types[0], b.data, b.len, why);
		b.data[1] ^= (char)(1 << bit);
	}
	ms_buf_release(&b);
}

Test(store_codec, missing_nul_is_rejected)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_err err = { 0 };
	union anyrec r;
	size_t nul = 2 + strlen("https://jane.example/feed");

	enc_feed(&b);
	cr_assert_eq(b.data[nul], '\0');
	b.data[nul] = 'x';
	cr_assert_eq(decode_exact(&types[0], b.data, b.len, &r, &err),
		     MS_ECORRUPT);
	cr_expect(strstr(err.msg, "unterminated string in field 'url'"),
		  "%s", err.msg);
	ms_buf_release(&b);
}

Test(store_codec, trailing_bytes_are_rejected)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_err err = { 0 };
	union anyrec r;

	for (size_t t = 0; t < NTYPES; t++) {
		types[t].encode(&b);
		ms_buf_addc(&b, 0);
		expect_corrupt(&types[t], b.data, b.len, "one trailing byte");
		ms_buf_add(&b, "garbage", 7);
		expect_corrupt(&types[t], b.data, b.len, "8 trailing bytes");
	}
	enc_crawl(&b);
	ms_buf_add(&b, "xyz", 3);
	cr_assert_eq(decode_exact(&types[7], b.data, b.len, &r, &err),
		     MS_ECORRUPT);
	cr_expect(strstr(err.msg, "3 trailing bytes"), "%s", err.msg);
	ms_buf_release(&b);
}

Test(store_codec, required_strings_must_be_present)
{
	struct ms_buf b = MS_BUF_INIT(CAP);
	struct ms_feed_rec f = { 0 };
	struct ms_person_rec p = { 0 };
	struct ms_score_rec s = { 0 };

	cr_assert_eq(ms_feed_encode(&f, &b), MS_OK);
	expect_corrupt(&types[0], b.data, b.len, "feed without url");
	cr_assert_eq(ms_person_encode(&p, &b), MS_OK);
	expect_corrupt(&types[3], b.data, b.len, "person without ident");
	cr_assert_eq(ms_score_encode(&s, &b), MS_OK);
	expect_corrupt(&types[6], b.data, b.len, "score without topic");
	ms_buf_release(&b);
}

Test(store_codec, out_of_range_and_overlong_integers_are_rejected)
{
	/* A link: version, count, kinds, first, last. */
	static const unsigned char count_2_32[] = { 1, 0x80, 0x80, 0x80, 0x80,
						    0x10, 0, 0, 0 };
	static const unsigned char overlong[] = { 1, 0x81, 0x00, 0, 0, 0 };
	static const unsigned char eleven[] = { 1, 0xff, 0xff, 0xff, 0xff,
						0xff, 0xff, 0xff, 0xff, 0xff,
						0xff, 0x01, 0, 0, 0 };
	static const unsigned char ok[] = { 1, 0x80, 0x01, 0, 0, 0 };
	struct ms_err err = { 0 };
	union anyrec r;

	cr_expect_eq(decode_exact(&types[4], count_2_32, sizeof(count_2_32),
				  &r, &err), MS_ECORRUPT);
	cr_expect(strstr(err.msg, "out of range"), "%s", err.msg);
	cr_expect_eq(decode_exact(&types[4], overlong, sizeof(overlong), &r,
				  &err), MS_ECORRUPT);
	cr_expect(strstr(err.msg, "non-canonical"), "%s", err.msg);
	cr_expect_eq(decode_exact(&types[4], eleven, sizeof(eleven), &r,
				  &err), MS_ECORRUPT);
	cr_assert_eq(decode_exact(&types[4], ok, sizeof(ok), &r, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_eq(r.link.count, 128);
}

/*
 * Every byte of every record replaced by every value: the decoder either
 * refuses it or accepts something that encodes back to exactly those
 * bytes (the encoding is canonical).  Never a crash.
 */
Test(store_codec, every_single_byte_change_is_rejected_or_canonical)
{
	struct ms_buf b = MS_BUF_INIT(CAP), again = MS_BUF_INIT(CAP);
	size_t accepted = 0, rejected = 0;

	for (size_t t = 0; t < NTYPES; t++) {
		types[t].encode(&b);
		for (size_t i = 0; i < b.len; i++) {
			unsigned char orig = (unsigned char)b.data[i];

			for (int v = 0; v < 256; v++) {
				struct ms_err err = { 0 };
				union anyrec r;
				unsigned char *q;
				int rc;

				if (v == orig)
					continue;
				b.data[i] = (char)v;
				q = exact(b.data, b.len);
				rc = types[t].decode(q, b.len, &r, &err);
				if (rc == MS_OK) {
					accepted++;
					cr_assert_eq(types[t].reencode(&r,
								       &again),
						     MS_OK);
					cr_assert(again.len == b.len &&
						  !memcmp(again.data, q,
							  b.len),
						  "%s byte %zu = %d decodes "
						  "but does not re-encode",
						  types[t].name, i, v);
				} else {
					rejected++;
					cr_assert_eq(rc, MS_ECORRUPT);
				}
				free(q);
			}
			b.data[i] = (char)orig;
		}
	}
	/* Both happen: bytes inside strings are data, lengths are not. */
	cr_expect_gt(accepted, 0);
	cr_expect_gt(rejected, 0);
	ms_buf_release(&b);
	ms_buf_release(&again);
}

/* --------------------------------------------------- lists, keys, names */

Test(store_codec, strlist_walks_items_and_skips_empty_ones)
{
	const char *list = "hr\n\nleadership\ncareer growth\n", *cur = list;
	const char *want[] = { "hr", "leadership", "career growth" };
	const char *s;
	size_t n, i = 0;

	while ((s = ms_strlist_next(&cur, &n))) {
		cr_assert_lt(i, 3, "too many items");
		cr_expect_eq(n, strlen(want[i]));
		cr_expect(!strncmp(s, want[i], n), "item %zu: '%.*s'", i,
			  (int)n, s);
		i++;
	}
	cr_expect_eq(i, 3);
	cur = NULL;
	cr_expect_null(ms_strlist_next(&cur, &n));
	cur = "";
	cr_expect_null(ms_strlist_next(&cur, &n));
	cur = "single";
	cr_expect_not_null(s = ms_strlist_next(&cur, &n));
	cr_expect_eq(n, 6);
	cr_expect_null(ms_strlist_next(&cur, &n));
}

Test(store_codec, keys_are_the_hash_of_the_identifying_string)
{
	struct ms_hash a, b, h;

	ms_hash_str("https://jane.example/feed", &h);
	ms_key_feed("https://jane.example/feed", &a);
	cr_expect_arr_eq(a.b, h.b, MS_HASH_LEN);
	ms_key_post("https://jane.example/feed", &b);
	cr_expect_arr_eq(a.b, b.b, MS_HASH_LEN);
	ms_key_feed("https://jane.example/feed/", &b);
	cr_expect_arr_neq(a.b, b.b, MS_HASH_LEN);
	ms_key_person("site:jane.example", &a);
	ms_key_comment("site:jane.example", &b);
	cr_expect_arr_eq(a.b, b.b, MS_HASH_LEN);
}

Test(store_codec, signal_and_evidence_names_are_distinct)
{
	for (int i = 0; i < MS_SIGNALS; i++) {
		cr_assert_not_null(ms_signal_names[i]);
		for (int j = 0; j < i; j++)
			cr_expect_str_neq(ms_signal_names[i],
					  ms_signal_names[j]);
	}
	for (int i = 0; i < MS_EVIDENCE; i++) {
		cr_assert_not_null(ms_evidence_names[i]);
		for (int j = 0; j < i; j++)
			cr_expect_str_neq(ms_evidence_names[i],
					  ms_evidence_names[j]);
	}
	cr_expect_str_eq(ms_signal_names[MS_SIG_RESPONSIVENESS],
			 "responsiveness");
	cr_expect_str_eq(ms_evidence_names[MS_EV_MEDIAN_REPLY_S],
			 "median_reply_s");
}
