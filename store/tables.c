/*
 * tables.c — reading records through a snapshot: lookups by key and walks
 * of a table in key order (the crawl log newest first).  Records decode
 * straight from LMDB's pages, so what a callback gets is valid until the
 * snapshot ends.
 */
#include "store/internal.h"
#include "store/store.h"
#include "util/err.h"

#include <lmdb.h>
#include <string.h>

static int
get(struct ms_rtxn *t, enum store_table tab, const void *key, size_t klen,
    MDB_val *v, struct ms_err *err)
{
	MDB_val k = { klen, (void *)key };
	int rc = mdb_get(t->txn, t->st->dbi[tab], &k, v);

	if (rc == MDB_NOTFOUND)
		return ms_err_set(err, MS_ENOTFOUND, "not found in %s",
				  store_table_names[tab]);
	if (rc)
		return store_mdb_error(t->st, rc, "reading", err);
	return MS_OK;
}

int
ms_store_get_feed(struct ms_rtxn *t, const char *url, struct ms_feed_rec *r,
		  struct ms_err *err)
{
	struct ms_hash key;
	MDB_val v;
	int rc;

	memset(r, 0, sizeof(*r));
	ms_key_feed(url, &key);
	if ((rc = get(t, T_FEEDS, key.b, sizeof(key.b), &v, err)))
		return rc;
	if ((rc = ms_feed_decode(v.mv_data, v.mv_size, r, err)))
		return rc;
	/* A hash collision is another feed, so this one is not stored. */
	if (strcmp(r->url, url) != 0) {
		rc = ms_err_set(err, MS_ENOTFOUND, "feed '%s' not stored (its "
				"key holds '%s')", url, r->url);
		memset(r, 0, sizeof(*r));
		return rc;
	}
	return MS_OK;
}

int
ms_store_get_post(struct ms_rtxn *t, const struct ms_hash *key,
		  struct ms_post_rec *r, struct ms_err *err)
{
	MDB_val v;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = get(t, T_POSTS, key->b, sizeof(key->b), &v, err)))
		return rc;
	return ms_post_decode(v.mv_data, v.mv_size, r, err);
}

int
ms_store_get_person(struct ms_rtxn *t, const struct ms_hash *key,
		    struct ms_person_rec *r, struct ms_err *err)
{
	MDB_val v;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = get(t, T_PEOPLE, key->b, sizeof(key->b), &v, err)))
		return rc;
	return ms_person_decode(v.mv_data, v.mv_size, r, err);
}

int
ms_store_get_host(struct ms_rtxn *t, const char *host, struct ms_host_rec *r,
		  struct ms_err *err)
{
	size_t n = strlen(host);
	MDB_val v;
	int rc;

	memset(r, 0, sizeof(*r));
	if (n == 0 || n > STORE_KEY_MAX)
		return ms_err_set(err, MS_ENOTFOUND, "host '%.64s' not stored",
				  host);
	if ((rc = get(t, T_HOSTS, host, n, &v, err)))
		return rc;
	return ms_host_decode(v.mv_data, v.mv_size, r, err);
}

/* --------------------------------------------------------------- walks */

/*
 * One walk over a table: each key/value goes to visit(), which decodes it
 * and calls the user's function.  visit() returns MS_ECORRUPT (message in
 * err) for a bad record, or the user's non-zero value to stop.
 */
union cb {
	ms_feed_fn feed;
	ms_post_fn post;
	ms_comment_fn comment;
	ms_person_fn person;
	ms_link_fn link;
	ms_crawl_fn crawl;
	ms_outbox_fn outbox;
	ms_host_fn host;
};

typedef int (*visit_fn)(const MDB_val *k, const MDB_val *v,
			const union cb *fn, void *ctx, struct ms_err *err);

static int
walk(struct ms_rtxn *t, enum store_table tab, int newest_first,
     visit_fn visit, union cb fn, void *ctx, struct ms_err *err)
{
	MDB_cursor_op first = newest_first ? MDB_LAST : MDB_FIRST;
	MDB_cursor_op next = newest_first ? MDB_PREV : MDB_NEXT;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	rc = mdb_cursor_open(t->txn, t->st->dbi[tab], &cur);
	if (rc)
		return store_mdb_error(t->st, rc, "cannot open a cursor", err);
	for (rc = mdb_cursor_get(cur, &k, &v, first); rc == MDB_SUCCESS;
	     rc = mdb_cursor_get(cur, &k, &v, next)) {
		int r = visit(&k, &v, &fn, ctx, err);

		if (r) {
			mdb_cursor_close(cur);
			if (r == MS_ECORRUPT && err)
				ms_err_prefix(err, "table '%s'",
					      store_table_names[tab]);
			return r;
		}
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return store_mdb_error(t->st, rc, "walking a table", err);
	return MS_OK;
}

static int
bad_key(const MDB_val *k, size_t want, struct ms_err *err)
{
	return ms_err_set(err, MS_ECORRUPT, "key of %zu bytes (expected "
			  "%zu)", k->mv_size, want);
}

static int
visit_feed(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_feed_rec r;
	struct ms_hash key;
	int rc;

	if (k->mv_size != MS_HASH_LEN)
		return bad_key(k, MS_HASH_LEN, err);
	if ((rc = ms_feed_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	memcpy(key.b, k->mv_data, MS_HASH_LEN);
	return fn->feed(&key, &r, ctx);
}

static int
visit_post(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_post_rec r;
	struct ms_hash key;
	int rc;

	if (k->mv_size != MS_HASH_LEN)
		return bad_key(k, MS_HASH_LEN, err);
	if ((rc = ms_post_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	memcpy(key.b, k->mv_data, MS_HASH_LEN);
	return fn->post(&key, &r, ctx);
}

static int
visit_comment(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_comment_rec r;
	struct ms_hash key;
	int rc;

	if (k->mv_size != MS_HASH_LEN)
		return bad_key(k, MS_HASH_LEN, err);
	if ((rc = ms_comment_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	memcpy(key.b, k->mv_data, MS_HASH_LEN);
	return fn->comment(&key, &r, ctx);
}

static int
visit_person(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_person_rec r;
	struct ms_hash key;
	int rc;

	if (k->mv_size != MS_HASH_LEN)
		return bad_key(k, MS_HASH_LEN, err);
	if ((rc = ms_person_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	memcpy(key.b, k->mv_data, MS_HASH_LEN);
	return fn->person(&key, &r, ctx);
}

static int
visit_link(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_link_rec r;
	struct ms_hash from, to;
	int rc;

	if (k->mv_size != 2 * MS_HASH_LEN)
		return bad_key(k, 2 * MS_HASH_LEN, err);
	if ((rc = ms_link_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	memcpy(from.b, k->mv_data, MS_HASH_LEN);
	memcpy(to.b, (const unsigned char *)k->mv_data + MS_HASH_LEN,
	       MS_HASH_LEN);
	return fn->link(&from, &to, &r, ctx);
}

static int
visit_crawl(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_crawl_rec r;
	int rc;

	if (k->mv_size != 8)
		return bad_key(k, 8, err);
	if ((rc = ms_crawl_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	return fn->crawl(&r, ctx);
}

static int
visit_host(const MDB_val *k, const MDB_val *v, const union cb *fn,
	   void *ctx, struct ms_err *err)
{
	struct ms_host_rec r;
	char name[STORE_KEY_MAX + 1];
	int rc;

	if (k->mv_size == 0 || k->mv_size > STORE_KEY_MAX)
		return bad_key(k, STORE_KEY_MAX, err);
	if ((rc = ms_host_decode(v->mv_data, v->mv_size, &r, err)))
		return rc;
	memcpy(name, k->mv_data, k->mv_size);
	name[k->mv_size] = '\0';
	return fn->host(name, &r, ctx);
}

int
ms_store_each_host(struct ms_rtxn *t, ms_host_fn fn, void *ctx,
		   struct ms_err *err)
{
	return walk(t, T_HOSTS, 0, visit_host,
		    (union cb){ .host = fn }, ctx, err);
}

int
ms_store_each_feed(struct ms_rtxn *t, ms_feed_fn fn, void *ctx,
		   struct ms_err *err)
{
	return walk(t, T_FEEDS, 0, visit_feed,
		    (union cb){ .feed = fn }, ctx, err);
}

int
ms_store_each_post(struct ms_rtxn *t, ms_post_fn fn, void *ctx,
		   struct ms_err *err)
{
	return walk(t, T_POSTS, 0, visit_post,
		    (union cb){ .post = fn }, ctx, err);
}

int
ms_store_each_comment(struct ms_rtxn *t, ms_comment_fn fn, void *ctx,
		      struct ms_err *err)
{
	return walk(t, T_COMMENTS, 0, visit_comment,
		    (union cb){ .comment = fn }, ctx, err);
}

int
ms_store_each_person(struct ms_rtxn *t, ms_person_fn fn, void *ctx,
		     struct ms_err *err)
{
	return walk(t, T_PEOPLE, 0, visit_person,
		    (union cb){ .person = fn }, ctx, err);
}

int
ms_store_each_link(struct ms_rtxn *t, ms_link_fn fn, void *ctx,
		   struct ms_err *err)
{
	return walk(t, T_LINKS, 0, visit_link,
		    (union cb){ .link = fn }, ctx, err);
}

int
ms_store_each_crawl(struct ms_rtxn *t, ms_crawl_fn fn, void *ctx,
		    struct ms_err *err)
{
	return walk(t, T_CRAWLS, 1, visit_crawl,
		    (union cb){ .crawl = fn }, ctx, err);
}

/* The outbox: a walk from the first key of shard v (or of all) while the
 * shard byte matches. */
int
ms_store_each_outbox(struct ms_rtxn *t, int v, ms_outbox_fn fn, void *ctx,
		     struct ms_err *err)
{
	unsigned char first = v < 0 ? 0 : (unsigned char)v;
	MDB_val k = { 1, &first }, val;
	struct ms_feed_rec r;
	MDB_cursor *cur;
	int rc;

	if (t->st->absent[T_OUTBOX])
		return MS_OK;
	rc = mdb_cursor_open(t->txn, t->st->dbi[T_OUTBOX], &cur);
	if (rc)
		return store_mdb_error(t->st, rc, "cannot open a cursor", err);
	for (rc = mdb_cursor_get(cur, &k, &val, MDB_SET_RANGE);
	     rc == MDB_SUCCESS;
	     rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
		unsigned shard;
		int r2;

		if (k.mv_size != 1 + MS_HASH_LEN) {
			mdb_cursor_close(cur);
			bad_key(&k, 1 + MS_HASH_LEN, err);
			return ms_err_prefix(err, "table 'outbox'");
		}
		shard = ((const unsigned char *)k.mv_data)[0];
		if (v >= 0 && shard != (unsigned)v)
			break;
		if ((r2 = ms_feed_decode(val.mv_data, val.mv_size, &r, err)) ||
		    (r2 = fn(shard, &r, ctx))) {
			mdb_cursor_close(cur);
			if (r2 == MS_ECORRUPT && err)
				ms_err_prefix(err, "table 'outbox'");
			return r2;
		}
	}
	mdb_cursor_close(cur);
	if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
		return store_mdb_error(t->st, rc, "walking a table", err);
	return MS_OK;
}
