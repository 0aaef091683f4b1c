/* Tests for store/batch.c and store/tables.c: what each write does to
 * what is stored (plain puts, insert-only feeds, posts keeping `seen`,
 * person and link merges), that a replayed batch (after the map grew, or
 * split on MDB_TXN_FULL) merges once, that a bad record stops the whole
 * batch, and that walks go in key order and stop on a corrupt record. */
#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/store/storetest.h"
#include "util/err.h"

static struct ms_rtxn *
snap(struct ms_store *st)
{
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	return t;
}

static void
commit(struct ms_batch *b)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
}

/* --------------------------------------------------------------- feeds */

Test(store_batch, put_feed_then_get_it_by_url)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-feed", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	char url[3100];

	/* A 3,000-byte URL: longer than any LMDB key (R-CR-10). */
	memset(url, 'p', sizeof(url));
	memcpy(url, "https://long.example/", 21);
	url[3000] = '\0';
	f.url = url;
	f.etag = "\"abc\"";
	f.added = 1704067200;
	f.last_fetch = f.last_ok = f.next_fetch = MS_TIME_NONE;
	ms_batch_put_feed(b, &f);
	cr_expect_eq(ms_batch_ops(b), 1);
	cr_expect_gt(ms_batch_bytes(b), 3000);
	commit(b);

	t = snap(st);
	cr_assert_eq(ms_store_get_feed(t, url, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.url, url);
	cr_expect_str_eq(got.etag, "\"abc\"");
	cr_expect_eq(got.last_ok, MS_TIME_NONE);
	cr_expect_eq(ms_store_get_feed(t, "https://long.example/", &got,
				       &err), MS_ENOTFOUND);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

Test(store_batch, add_feed_inserts_but_never_overwrites)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-add", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	f.url = "https://jane.example/feed";
	f.title = "from the config";
	f.etag = "\"v1\"";
	f.kind = MS_FEED_USER;
	ms_batch_put_feed(b, &f);
	commit(b);

	b = ms_store_batch_new(st);
	f.title = "discovered again";
	f.etag = NULL;
	f.kind = MS_FEED_SITE;
	f.depth = 2;
	ms_batch_add_feed(b, &f);	/* must not lose the validators */
	f.url = "https://bob.example/feed";
	ms_batch_add_feed(b, &f);	/* new: inserted */
	commit(b);

	t = snap(st);
	cr_assert_eq(ms_store_get_feed(t, "https://jane.example/feed", &got,
				       &err), MS_OK, "%s", err.msg);
	cr_expect_str_eq(got.title, "from the config");
	cr_expect_str_eq(got.etag, "\"v1\"");
	cr_expect_eq(got.kind, MS_FEED_USER);
	cr_assert_eq(ms_store_get_feed(t, "https://bob.example/feed", &got,
				       &err), MS_OK, "%s", err.msg);
	cr_expect_str_eq(got.title, "discovered again");
	cr_expect_eq(got.depth, 2);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

Test(store_batch, del_feed_removes_it)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-del", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	f.url = "https://jane.example/feed";
	ms_batch_put_feed(b, &f);
	commit(b);
	b = ms_store_batch_new(st);
	ms_batch_del_feed(b, "https://jane.example/feed");
	ms_batch_del_feed(b, "https://never.example/feed");	/* no-op */
	commit(b);
	t = snap(st);
	cr_expect_eq(ms_store_get_feed(t, "https://jane.example/feed", &got,
				       &err), MS_ENOTFOUND);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/* --------------------------------------------------------------- posts */

Test(store_batch, put_post_updates_it_but_keeps_first_seen)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-post", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_post_rec p = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_hash key;
	struct ms_rtxn *t;

	p.url = "https://jane.example/2024/01/post";
	p.id = "tag:jane.example,2024:1";
	p.title = "Draft title";
	p.seen = 1000;
	p.comment_count = 2;
	ms_batch_put_post(b, &p);
	commit(b);

	b = ms_store_batch_new(st);
	p.title = "Final title";
	p.seen = 5000;		/* seen again, later */
	p.comment_count = 9;
	ms_batch_put_post(b, &p);
	commit(b);

	ms_key_post(p.url, &key);
	t = snap(st);
	cr_assert_eq(ms_store_get_post(t, &key, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.title, "Final title");
	cr_expect_eq(got.comment_count, 9);
	cr_expect_eq(got.seen, 1000, "seen moved to %lld",
		     (long long)got.seen);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/* The post read from its feed, then from its page: the page's record
 * keeps what only the feed had, and adds what only the page knows. */
Test(store_batch, post_from_feed_then_page_fills_gaps)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-postfill", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_post_rec p = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_hash key;
	struct ms_rtxn *t;

	p.url = "https://jane.example/2024/01/post";
	p.title = "Onboarding";
	p.comment_feed = "https://jane.example/2024/01/post/feed/";
	p.categories = "HR";
	p.published = 1700000000;
	p.updated = MS_TIME_NONE;
	p.comment_count = 4;
	p.comments_open = -1;
	p.seen = 1000;
	ms_batch_put_post(b, &p);
	commit(b);

	memset(&p, 0, sizeof(p));
	p.url = "https://jane.example/2024/01/post";
	p.title = "Onboarding, revised";
	p.published = MS_TIME_NONE;
	p.updated = MS_TIME_NONE;
	p.comment_count = -1;
	p.comments_open = 0;
	p.seen = 2000;
	b = ms_store_batch_new(st);
	ms_batch_put_post(b, &p);
	commit(b);

	ms_key_post(p.url, &key);
	t = snap(st);
	cr_assert_eq(ms_store_get_post(t, &key, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.title, "Onboarding, revised");
	cr_expect_str_eq(got.comment_feed,
			 "https://jane.example/2024/01/post/feed/");
	cr_expect_str_eq(got.categories, "HR");
	cr_expect_eq(got.published, 1700000000);
	cr_expect_eq(got.comment_count, 4);
	cr_expect_eq(got.comments_open, 0);
	cr_expect_eq(got.seen, 1000);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

Test(store_batch, post_without_url_is_keyed_by_its_id)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-postid", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_post_rec p = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_hash key;
	struct ms_rtxn *t;

	p.id = "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6";
	p.seen = MS_TIME_NONE;
	ms_batch_put_post(b, &p);
	commit(b);
	ms_key_post(p.id, &key);
	t = snap(st);
	cr_assert_eq(ms_store_get_post(t, &key, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.id, p.id);
	cr_expect_null(got.url);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/* -------------------------------------------------------------- people */

Test(store_batch, merge_person_unites_profiles_and_fills_gaps)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-person", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_person_rec p = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_hash key;
	struct ms_rtxn *t;

	p.ident = "site:jane.example";
	p.name = "Jane";
	p.site = NULL;
	p.profiles = "https://github.com/jane\nhttps://x.example/jane";
	p.first_seen = 2000;
	p.last_seen = 3000;
	p.flags = MS_PERSON_AUTHOR;
	ms_batch_merge_person(b, &p);
	commit(b);

	b = ms_store_batch_new(st);
	p.name = "Jane Doe";		/* the first name stays */
	p.site = "https://jane.example/";	/* a gap: filled */
	p.feed = "";
	p.profiles = "https://x.example/jane\nhttps://mastodon.social/@jane";
	p.first_seen = 1000;
	p.last_seen = MS_TIME_NONE;	/* unknown: does not narrow */
	p.flags = MS_PERSON_COMMENTER;
	ms_batch_merge_person(b, &p);
	/* Twice in one batch: the second merges into the first. */
	p.profiles = "https://bsky.app/profile/jane";
	p.last_seen = 4000;
	p.first_seen = MS_TIME_NONE;
	p.flags = 0;
	ms_batch_merge_person(b, &p);
	commit(b);

	ms_key_person("site:jane.example", &key);
	t = snap(st);
	cr_assert_eq(ms_store_get_person(t, &key, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.ident, "site:jane.example");
	cr_expect_str_eq(got.name, "Jane");
	cr_expect_str_eq(got.site, "https://jane.example/");
	cr_expect_str_eq(got.feed, "");
	cr_expect_str_eq(got.profiles, "https://github.com/jane\n"
			 "https://x.example/jane\n"
			 "https://mastodon.social/@jane\n"
			 "https://bsky.app/profile/jane");
	cr_expect_eq(got.first_seen, 1000);
	cr_expect_eq(got.last_seen, 4000);
	cr_expect_eq(got.flags, MS_PERSON_AUTHOR | MS_PERSON_COMMENTER);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/* --------------------------------------------------------------- links */

struct linkseen {
	size_t n;
	struct ms_hash from[4], to[4];
	struct ms_link_rec r[4];
};

static int
grab_link(const struct ms_hash *from, const struct ms_hash *to,
	  const struct ms_link_rec *r, void *ctx)
{
	struct linkseen *ls = ctx;

	if (ls->n < 4) {
		ls->from[ls->n] = *from;
		ls->to[ls->n] = *to;
		ls->r[ls->n] = *r;
	}
	ls->n++;
	return 0;
}

Test(store_batch, put_link_adds_to_the_stored_link_and_clear_drops_all)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-link", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_link_rec l = { 2, MS_LINK_POST, 500, 600 };
	struct ms_hash jane, bob;
	struct ms_err err = { 0 };
	struct linkseen ls = { 0 };
	struct ms_rtxn *t;

	ms_key_person("site:jane.example", &jane);
	ms_key_person("site:bob.example", &bob);
	ms_batch_put_link(b, &jane, &bob, &l);
	commit(b);
	b = ms_store_batch_new(st);
	l.count = 3;
	l.kinds = MS_LINK_REPLY;
	l.first = 100;
	l.last = MS_TIME_NONE;
	ms_batch_put_link(b, &jane, &bob, &l);
	ms_batch_put_link(b, &bob, &jane, &l);
	commit(b);

	t = snap(st);
	cr_assert_eq(ms_store_each_link(t, grab_link, &ls, &err), MS_OK, "%s",
		     err.msg);
	ms_store_read_end(t);
	cr_assert_eq(ls.n, 2);
	for (size_t i = 0; i < 2; i++) {
		int jb = !memcmp(ls.from[i].b, jane.b, MS_HASH_LEN);

		cr_expect_arr_eq(ls.to[i].b, jb ? bob.b : jane.b,
				 MS_HASH_LEN);
		cr_expect_eq(ls.r[i].count, jb ? 5u : 3u);
		cr_expect_eq(ls.r[i].kinds, jb ? (MS_LINK_POST | MS_LINK_REPLY)
					       : MS_LINK_REPLY);
		cr_expect_eq(ls.r[i].first, 100);
		cr_expect_eq(ls.r[i].last, jb ? 600 : MS_TIME_NONE);
	}

	b = ms_store_batch_new(st);
	ms_batch_clear_links(b);
	ms_batch_put_link(b, &bob, &bob, &l);	/* after the clear: kept */
	commit(b);
	memset(&ls, 0, sizeof(ls));
	t = snap(st);
	cr_assert_eq(ms_store_each_link(t, grab_link, &ls, &err), MS_OK, "%s",
		     err.msg);
	ms_store_read_end(t);
	cr_expect_eq(ls.n, 1);
	cr_expect_eq(ls.r[0].count, 3);
	st_close_tmp(st, dir);
}

/* ------------------------------------------------- hosts, meta, crawls */

Test(store_batch, hosts_and_meta_are_keyed_by_name)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-host", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_host_rec h = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	const void *p;
	size_t len;

	h.robots = "User-agent: *\nDisallow:\n";
	h.crawl_delay_ms = 1500;
	h.robots_status = 200;
	ms_batch_put_host(b, "jane.example", &h);
	ms_batch_put_meta(b, "last_crawl", "\x01\x02\x00\x03", 4);
	commit(b);
	t = snap(st);
	cr_assert_eq(ms_store_get_host(t, "jane.example", &got, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_str_eq(got.robots, h.robots);
	cr_expect_eq(got.crawl_delay_ms, 1500);
	cr_expect_eq(ms_store_get_host(t, "bob.example", &got, &err),
		     MS_ENOTFOUND);
	cr_expect_eq(ms_store_get_host(t, "", &got, &err), MS_ENOTFOUND);
	cr_assert_eq(ms_store_get_meta(t, "last_crawl", &p, &len, &err),
		     MS_OK, "%s", err.msg);
	cr_expect_eq(len, 4);
	cr_expect(!memcmp(p, "\x01\x02\x00\x03", 4));
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

static int
grab_crawl(const struct ms_crawl_rec *r, void *ctx)
{
	int64_t **out = ctx;

	*(*out)++ = r->started;
	return 0;
}

Test(store_batch, crawl_log_walks_newest_first)
{
	static const int64_t starts[] = { 1704200000, 1704000000, 1704300000,
					  1704100000 };
	char *dir;
	struct ms_store *st = st_open_tmp("b-crawl", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_err err = { 0 };
	int64_t got[8], *cur = got;
	struct ms_rtxn *t;

	for (size_t i = 0; i < 4; i++) {
		struct ms_crawl_rec c = { 0 };

		c.started = starts[i];
		c.summary = "ok";
		ms_batch_put_crawl(b, &c);
	}
	commit(b);
	t = snap(st);
	cr_assert_eq(ms_store_each_crawl(t, grab_crawl, &cur, &err), MS_OK,
		     "%s", err.msg);
	ms_store_read_end(t);
	cr_assert_eq(cur - got, 4);
	cr_expect_eq(got[0], 1704300000);
	cr_expect_eq(got[1], 1704200000);
	cr_expect_eq(got[2], 1704100000);
	cr_expect_eq(got[3], 1704000000);
	st_close_tmp(st, dir);
}

/* --------------------------------------------------------------- walks */

struct order {
	struct ms_hash last;
	size_t n;
	int sorted;
	size_t stop_at;
};

static int
in_order(const struct ms_hash *key, const struct ms_comment_rec *r,
	 void *ctx)
{
	struct order *o = ctx;
	struct ms_hash want;

	ms_key_comment(r->id, &want);
	if (memcmp(want.b, key->b, MS_HASH_LEN))
		return 77;
	if (o->n && memcmp(o->last.b, key->b, MS_HASH_LEN) >= 0)
		o->sorted = 0;
	o->last = *key;
	if (++o->n == o->stop_at)
		return 42;
	return 0;
}

Test(store_batch, walks_go_in_key_order_and_stop_when_asked)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-walk", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_err err = { 0 };
	struct order o = { .sorted = 1 };
	struct ms_rtxn *t;
	char id[64];

	for (int i = 0; i < 500; i++) {
		struct ms_comment_rec c = { 0 };

		snprintf(id, sizeof(id), "https://jane.example/p#c-%d", i);
		c.id = id;
		c.published = i;
		ms_batch_put_comment(b, &c);
	}
	commit(b);
	t = snap(st);
	cr_assert_eq(ms_store_each_comment(t, in_order, &o, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_eq(o.n, 500);
	cr_expect(o.sorted, "not in key order");
	memset(&o, 0, sizeof(o));
	o.stop_at = 17;
	cr_expect_eq(ms_store_each_comment(t, in_order, &o, &err), 42);
	cr_expect_eq(o.n, 17);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

static int
count_person(const struct ms_hash *k, const struct ms_person_rec *r,
	     void *ctx)
{
	(void)k;
	(void)r;
	++*(size_t *)ctx;
	return 0;
}

Test(store_batch, corrupt_record_stops_a_walk_naming_the_table)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-corrupt", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_person_rec p = { 0 }, got;
	struct ms_err err = { 0 };
	struct ms_hash key;
	struct ms_rtxn *t;
	MDB_txn *txn;
	MDB_val k, v = { 3, "\x01\x05x" };	/* ident length 4, 1 byte */
	size_t n = 0;

	p.ident = "site:jane.example";
	ms_batch_merge_person(b, &p);
	commit(b);
	/* Damage it behind the store's back. */
	ms_key_person(p.ident, &key);
	k.mv_data = key.b;
	k.mv_size = MS_HASH_LEN;
	cr_assert_eq(mdb_txn_begin(st->env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_put(txn, st->dbi[T_PEOPLE], &k, &v, 0), 0);
	cr_assert_eq(mdb_txn_commit(txn), 0);

	t = snap(st);
	cr_expect_eq(ms_store_each_person(t, count_person, &n, &err),
		     MS_ECORRUPT);
	cr_expect(strstr(err.msg, "table 'people'") &&
		  strstr(err.msg, "person record"), "%s", err.msg);
	cr_expect_eq(ms_store_get_person(t, &key, &got, &err), MS_ECORRUPT);
	ms_store_read_end(t);

	/* A merge onto an undecodable record replaces it. */
	b = ms_store_batch_new(st);
	p.name = "Jane";
	ms_batch_merge_person(b, &p);
	commit(b);
	t = snap(st);
	cr_assert_eq(ms_store_get_person(t, &key, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.name, "Jane");
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/* ---------------------------------------------------- all or nothing */

Test(store_batch, a_record_that_cannot_be_stored_fails_the_whole_batch)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-sticky", 0, &dir);
	struct ms_batch *b;
	struct ms_host_rec h = { 0 };
	struct ms_err err = { 0 };
	struct ms_feed_rec f = { 0 };
	char host[600];

	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	b = ms_store_batch_new(st);
	cr_assert_eq(st_put_posts(st, 0, 0, &err), MS_OK);
	f.url = "https://jane.example/feed";
	ms_batch_put_feed(b, &f);
	ms_batch_put_host(b, host, &h);
	ms_batch_put_feed(b, &f);
	cr_expect_eq(ms_store_batch_commit(b, &err), MS_ETOOBIG);
	cr_expect(strstr(err.msg, "host"), "%s", err.msg);
	cr_expect_eq(st_count_posts(st), 0);

	b = ms_store_batch_new(st);
	ms_batch_put_feed(b, &f);
	f.url = NULL;
	ms_batch_put_feed(b, &f);
	cr_expect_eq(ms_store_batch_commit(b, &err), MS_ECORRUPT);
	cr_expect(strstr(err.msg, "feed") && strstr(err.msg, "url"), "%s",
		  err.msg);

	b = ms_store_batch_new(st);
	ms_batch_put_meta(b, "", "x", 1);
	cr_expect_eq(ms_store_batch_commit(b, &err), MS_ECORRUPT);

	/* Nothing of the failed batches is stored. */
	{
		struct ms_store_stats s;

		cr_assert_eq(ms_store_stats(st, &s, &err), MS_OK, "%s",
			     err.msg);
		cr_expect_eq(s.feeds + s.hosts, 0);
	}
	/* A dropped batch is just freed. */
	b = ms_store_batch_new(st);
	f.url = "https://jane.example/feed";
	ms_batch_put_feed(b, &f);
	ms_store_batch_free(b);
	st_close_tmp(st, dir);
}

/*
 * A batch whose merges are applied twice would double the link count: the
 * map is tiny, so the first attempt fails with MDB_MAP_FULL, the map
 * grows and the batch is applied again from its op-log.
 */
Test(store_batch, merges_replayed_after_growth_apply_once)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-replay", 64 << 10, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_link_rec l = { 5, MS_LINK_POST, 1, 1 };
	struct ms_person_rec p = { 0 }, got;
	struct linkseen ls = { 0 };
	struct ms_err err = { 0 };
	struct ms_hash a, z;
	struct ms_rtxn *t;
	char buf[256];
	unsigned grows;

	ms_key_person("site:a.example", &a);
	ms_key_person("site:z.example", &z);
	ms_batch_put_link(b, &a, &z, &l);
	p.ident = "site:a.example";
	p.profiles = "https://github.com/a";
	ms_batch_merge_person(b, &p);
	commit(b);

	grows = st->replays;
	b = ms_store_batch_new(st);
	l.count = 1;
	ms_batch_put_link(b, &a, &z, &l);
	p.profiles = "https://github.com/a\nhttps://gitlab.com/a";
	ms_batch_merge_person(b, &p);
	for (size_t i = 0; i < 2000; i++) {
		struct ms_post_rec r = st_post(i, buf);

		ms_batch_put_post(b, &r);
	}
	commit(b);
	cr_assert_gt(st->replays, grows, "the batch was not replayed");

	t = snap(st);
	cr_assert_eq(ms_store_each_link(t, grab_link, &ls, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(ls.n, 1);
	cr_expect_eq(ls.r[0].count, 6, "link count %u", ls.r[0].count);
	cr_assert_eq(ms_store_get_person(t, &a, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.profiles, "https://github.com/a\n"
			 "https://gitlab.com/a");
	cr_expect_eq(st_count_posts_in(t), 2000);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

/*
 * MDB_TXN_FULL (too many dirty pages for one transaction) is faked by the
 * store's fault hook after 7 writes: the batch is applied in order, in
 * halves, and still merges each op once.
 */
Test(store_batch, batch_too_big_for_one_transaction_is_split_in_order)
{
	char *dir;
	struct ms_store *st = st_open_tmp("b-split", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_link_rec l = { 1, MS_LINK_COMMENT, 1, 1 };
	struct linkseen ls = { 0 };
	struct ms_err err = { 0 };
	struct ms_feed_rec f = { 0 }, got;
	struct ms_hash a, z;
	struct ms_rtxn *t;
	char buf[256];

	store_test_txn_limit(st, 7);
	ms_key_person("site:a.example", &a);
	ms_key_person("site:z.example", &z);
	for (size_t i = 0; i < 100; i++) {
		struct ms_post_rec r = st_post(i, buf);

		ms_batch_put_post(b, &r);
		ms_batch_put_link(b, &a, &z, &l);
	}
	/* Order holds across the split: the later put wins. */
	f.url = "https://jane.example/feed";
	f.title = "first";
	ms_batch_put_feed(b, &f);
	f.title = "second";
	ms_batch_put_feed(b, &f);
	commit(b);

	t = snap(st);
	cr_expect_eq(st_count_posts_in(t), 100);
	cr_assert_eq(ms_store_each_link(t, grab_link, &ls, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(ls.r[0].count, 100, "link count %u", ls.r[0].count);
	cr_assert_eq(ms_store_get_feed(t, f.url, &got, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(got.title, "second");
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}
