/* Tests for what sharded crawls need of the store: the outbox (filed by
 * virtual shard, walked per shard, deleted when handed on), the
 * fresher-feed merge, a store from before the outbox existed (read-only
 * sees it empty, read-write adds it), and ms_store_merge(): the union of
 * two shard stores, people joined across them, idempotent when run
 * again. */
#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/store/storetest.h"
#include "util/err.h"
#include "util/shard.h"

static void
commit(struct ms_batch *b)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
}

static struct ms_feed_rec
feed(const char *url, int64_t last_fetch)
{
	struct ms_feed_rec f = { 0 };

	f.url = url;
	f.added = 1704067200;
	f.last_fetch = f.last_ok = last_fetch;
	f.next_fetch = MS_TIME_NONE;
	return f;
}

/* ------------------------------------------------------------- outbox */

struct seen_outbox {
	unsigned v[16];
	char urls[16][128];
	size_t n;
};

static int
collect(unsigned v, const struct ms_feed_rec *r, void *ctx)
{
	struct seen_outbox *s = ctx;

	cr_assert_lt(s->n, 16);
	s->v[s->n] = v;
	snprintf(s->urls[s->n], sizeof(s->urls[0]), "%s", r->url);
	s->n++;
	return 0;
}

static struct seen_outbox
walk_outbox(struct ms_store *st, int v)
{
	struct seen_outbox s = { 0 };
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_each_outbox(t, v, collect, &s, &err), MS_OK,
		     "%s", err.msg);
	ms_store_read_end(t);
	return s;
}

Test(store_merge, outbox_is_filed_and_walked_by_virtual_shard)
{
	static const char *urls[] = {
		"https://example.com/feed/", "https://medium.com/feed/@a",
		"https://example.com/comments/feed/",
		"https://blog.example.org/atom.xml",
	};
	char *dir;
	struct ms_store *st = st_open_tmp("m-outbox", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_verify_report rep;
	struct ms_err err = { 0 };
	struct seen_outbox all, one;
	unsigned ex = ms_shard_virtual("example.com");

	for (size_t i = 0; i < 4; i++) {
		struct ms_feed_rec f = feed(urls[i], MS_TIME_NONE);

		f.kind = MS_FEED_SITE;
		f.depth = 1;
		ms_batch_put_outbox(b, (unsigned)ms_shard_virtual_url(urls[i]),
				    &f);
	}
	commit(b);
	all = walk_outbox(st, -1);
	cr_assert_eq(all.n, 4);
	for (size_t i = 1; i < all.n; i++)
		cr_assert_leq(all.v[i - 1], all.v[i], "not in shard order");
	one = walk_outbox(st, (int)ex);
	cr_assert_eq(one.n, 2, "example.com's shard %u holds %zu", ex, one.n);
	for (size_t i = 0; i < one.n; i++)
		cr_assert(strstr(one.urls[i], "example.com/"), "%s",
			  one.urls[i]);
	cr_assert_eq(ms_store_verify(st, &rep, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(rep.outbox, 4);
	cr_assert_eq(rep.problems, 0, "%s", rep.nmsgs ? rep.msgs[0] : "");

	b = ms_store_batch_new(st);
	ms_batch_del_outbox(b, ex, urls[0]);
	commit(b);
	one = walk_outbox(st, (int)ex);
	cr_assert_eq(one.n, 1);
	cr_assert_str_eq(one.urls[0], urls[2]);
	st_close_tmp(st, dir);
}

/* The verifier catches an entry filed under the wrong shard. */
Test(store_merge, verify_finds_an_outbox_entry_in_the_wrong_shard)
{
	char *dir;
	struct ms_store *st = st_open_tmp("m-wrong", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = feed("https://example.com/feed/", MS_TIME_NONE);
	struct ms_verify_report rep;
	struct ms_err err = { 0 };

	ms_batch_put_outbox(b, (ms_shard_virtual("example.com") + 1) % 64, &f);
	commit(b);
	cr_assert_eq(ms_store_verify(st, &rep, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(rep.bad_keys, 1);
	cr_assert(strstr(rep.msgs[0], "outbox"), "%s", rep.msgs[0]);
	st_close_tmp(st, dir);
}

/* -------------------------------------------------------- merge_feed */

Test(store_merge, merge_feed_keeps_the_freshest_fetch)
{
	char *dir;
	struct ms_store *st = st_open_tmp("m-feed", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = feed("https://a.example/feed", 2000), got;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	f.etag = "\"new\"";
	ms_batch_merge_feed(b, &f);	/* absent: stored */
	commit(b);
	b = ms_store_batch_new(st);
	f = feed("https://a.example/feed", 1000);
	f.etag = "\"older\"";
	ms_batch_merge_feed(b, &f);	/* older: ignored */
	f = feed("https://a.example/feed", MS_TIME_NONE);
	f.etag = "\"never\"";
	ms_batch_merge_feed(b, &f);	/* never fetched: ignored */
	f = feed("https://a.example/feed", 2000);
	f.etag = "\"tie\"";
	ms_batch_merge_feed(b, &f);	/* a tie: the stored one stays */
	commit(b);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK);
	cr_assert_eq(ms_store_get_feed(t, "https://a.example/feed", &got,
				       &err), MS_OK, "%s", err.msg);
	cr_assert_str_eq(got.etag, "\"new\"");
	ms_store_read_end(t);

	b = ms_store_batch_new(st);
	f = feed("https://a.example/feed", 3000);
	f.etag = "\"newer\"";
	ms_batch_merge_feed(b, &f);
	commit(b);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK);
	cr_assert_eq(ms_store_get_feed(t, "https://a.example/feed", &got,
				       &err), MS_OK, "%s", err.msg);
	cr_assert_str_eq(got.etag, "\"newer\"");
	cr_assert_eq(got.last_fetch, 3000);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/* ------------------------------------------ a store from before outbox */

/* Remove the outbox table with LMDB itself, as a store written by the
 * release before it would be. */
static void
drop_outbox(const char *dir)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;

	cr_assert_eq(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	mdb_env_set_mapsize(env, (size_t)1 << 30);
	cr_assert_eq(mdb_env_open(env, dir, 0, 0600), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, "outbox", 0, &dbi), 0);
	cr_assert_eq(mdb_drop(txn, dbi, 1), 0);
	cr_assert_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

Test(store_merge, a_store_from_before_the_outbox_opens_and_gets_one)
{
	char *dir;
	struct ms_store *st = st_open_tmp("m-old", 0, &dir);
	struct ms_store_stats ss;
	struct ms_verify_report rep;
	struct ms_err err = { 0 };
	struct seen_outbox s;
	struct ms_batch *b;
	struct ms_feed_rec f = feed("https://example.com/feed/", MS_TIME_NONE);

	cr_assert_eq(st_put_posts(st, 0, 10, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);
	drop_outbox(dir);

	/* Read-only: no write, the outbox reads as empty. */
	cr_assert_eq(ms_store_open(dir, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	s = walk_outbox(st, -1);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(ms_store_stats(st, &ss, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ss.posts, 10);
	cr_assert_eq(ss.outbox, 0);
	cr_assert_eq(ms_store_verify(st, &rep, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(rep.problems, 0);
	ms_store_close(st);

	/* Read-write: the table is added, data kept. */
	cr_assert_eq(ms_store_open(dir, 0, 0, &st, &err), MS_OK, "%s",
		     err.msg);
	b = ms_store_batch_new(st);
	ms_batch_put_outbox(b, ms_shard_virtual("example.com"), &f);
	commit(b);
	s = walk_outbox(st, -1);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(st_count_posts(st), 10);
	st_close_tmp(st, dir);
}

/* -------------------------------------------------------------- merge */

/* A shard's store: a feed, a post by an author, a comment by someone
 * from another shard, both people, a host. */
static void
fill_shard(struct ms_store *st, const char *host, const char *commenter,
	   int64_t t0)
{
	struct ms_batch *b = ms_store_batch_new(st);
	char furl[128], purl[128], cid[160], ident[128], cident[128];
	struct ms_feed_rec f;
	struct ms_post_rec p = { 0 };
	struct ms_comment_rec c = { 0 };
	struct ms_person_rec a = { 0 }, o = { 0 };
	struct ms_host_rec h = { 0 };

	snprintf(furl, sizeof(furl), "https://%s/feed/", host);
	snprintf(purl, sizeof(purl), "https://%s/2024/01/a-post", host);
	snprintf(cid, sizeof(cid), "%s#comment-1", purl);
	snprintf(ident, sizeof(ident), "site:%s", host);
	snprintf(cident, sizeof(cident), "site:%s", commenter);
	f = feed(furl, t0);
	f.last_status = 200;
	ms_batch_put_feed(b, &f);
	p.url = purl;
	p.title = "A post";
	p.published = t0 - 86400;
	p.updated = MS_TIME_NONE;
	p.seen = t0;
	p.comment_count = 1;
	p.comments_open = 1;
	ms_key_person(ident, &p.author);
	ms_batch_put_post(b, &p);
	c.id = cid;
	c.post_url = purl;
	ms_key_post(purl, &c.post);
	ms_key_person(cident, &c.author);
	c.author_name = "Visitor";
	c.published = t0 - 3600;
	ms_batch_put_comment(b, &c);
	a.ident = ident;
	a.name = host;
	a.profiles = "https://mastodon.example/@author";
	a.first_seen = a.last_seen = t0;
	a.flags = MS_PERSON_AUTHOR;
	ms_batch_merge_person(b, &a);
	o.ident = cident;
	o.profiles = "https://github.com/visitor";
	o.first_seen = o.last_seen = t0;
	o.flags = MS_PERSON_COMMENTER;
	ms_batch_merge_person(b, &o);
	h.robots_fetched = t0;
	h.robots_status = 404;
	h.robots_last_ok = h.next_allowed = MS_TIME_NONE;
	ms_batch_put_host(b, host, &h);
	commit(b);
}

Test(store_merge, merge_unites_shards_and_joins_people)
{
	char *da, *db, *dm;
	struct ms_store *a = st_open_tmp("m-a", 0, &da);
	struct ms_store *b = st_open_tmp("m-b", 0, &db);
	struct ms_store *m = st_open_tmp("m-m", 0, &dm);
	struct ms_merge_stats s = { 0 };
	struct ms_verify_report r1, r2;
	struct ms_person_rec p;
	struct ms_hash key;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	/* alpha's commenter is beta's author and the other way round. */
	fill_shard(a, "alpha.example", "beta.example", 1704000000);
	fill_shard(b, "beta.example", "alpha.example", 1705000000);
	cr_assert_eq(ms_store_merge(m, a, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_merge(m, b, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.feeds, 2);
	cr_assert_eq(s.posts, 2);
	cr_assert_eq(s.comments, 2);
	cr_assert_eq(s.people, 4);
	cr_assert_eq(s.hosts, 2);
	cr_assert_eq(ms_store_verify(m, &r1, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(r1.problems, 0, "%s", r1.nmsgs ? r1.msgs[0] : "");
	cr_assert_eq(r1.posts, 2);
	cr_assert_eq(r1.comments, 2);
	cr_assert_eq(r1.people, 2, "one person per site across shards");
	cr_assert_eq(r1.hosts, 2);

	/* alpha.example: an author in a, a commenter in b; both profiles. */
	ms_key_person("site:alpha.example", &key);
	cr_assert_eq(ms_store_read_begin(m, &t, &err), MS_OK);
	cr_assert_eq(ms_store_get_person(t, &key, &p, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(p.flags, MS_PERSON_AUTHOR | MS_PERSON_COMMENTER);
	cr_assert(strstr(p.profiles, "mastodon.example") &&
		  strstr(p.profiles, "github.com/visitor"), "%s", p.profiles);
	cr_assert_eq(p.first_seen, 1704000000);
	cr_assert_eq(p.last_seen, 1705000000);
	cr_assert_str_eq(p.name, "alpha.example");
	ms_store_read_end(t);

	/* Run again: nothing doubles, nothing changes. */
	cr_assert_eq(ms_store_merge(m, b, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_merge(m, a, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_verify(m, &r2, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(r2.problems, 0);
	cr_assert_eq(r2.posts, r1.posts);
	cr_assert_eq(r2.comments, r1.comments);
	cr_assert_eq(r2.people, r1.people);
	cr_assert(!memcmp(&r2.fingerprint, &r1.fingerprint,
			  sizeof(r1.fingerprint)), "entries changed");
	st_close_tmp(a, da);
	st_close_tmp(b, db);
	st_close_tmp(m, dm);
}

/* A shard's outbox stays in the shard: merge does not copy it. */
Test(store_merge, merge_does_not_copy_the_outbox)
{
	char *da, *dm;
	struct ms_store *a = st_open_tmp("m-ob", 0, &da);
	struct ms_store *m = st_open_tmp("m-obm", 0, &dm);
	struct ms_merge_stats s = { 0 };
	struct ms_batch *b = ms_store_batch_new(a);
	struct ms_feed_rec f = feed("https://example.com/feed/", MS_TIME_NONE);
	struct ms_err err = { 0 };
	struct ms_store_stats ss;

	ms_batch_put_outbox(b, ms_shard_virtual("example.com"), &f);
	commit(b);
	cr_assert_eq(ms_store_merge(m, a, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_stats(m, &ss, &err), MS_OK);
	cr_assert_eq(ss.outbox, 0);
	cr_assert_eq(ss.feeds, 0);
	st_close_tmp(a, da);
	st_close_tmp(m, dm);
}
