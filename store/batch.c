/*
 * batch.c — writing: a batch records encoded operations in memory and
 * applies them in one LMDB write transaction at commit.
 *
 * The merge operations (put_post keeping `seen`, add_feed, merge_person,
 * put_link, put_score) read the stored value inside the transaction, so
 * applying the op-log again after the map grew gives the same result.
 * Commit:
 *   - grows the map first when it is over 90 % used;
 *   - on MDB_MAP_FULL aborts, grows and applies the whole batch again;
 *   - on MDB_TXN_FULL (too many dirty pages for one transaction) applies
 *     the two halves in order, each in its own transaction, down to a
 *     single operation; a range delete (switch_rank) then runs in chunks;
 *   - on a write error maps a full disk to MS_EFULL: LMDB aborted the
 *     transaction, so nothing of the batch was stored.
 */
#include "store/internal.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <lmdb.h>
#include <stdlib.h>
#include <string.h>

enum op_kind {
	OP_PUT,		/* plain put */
	OP_DEL,		/* delete one key */
	OP_ADD,		/* put unless the key is there (add_feed) */
	OP_FEED,	/* put unless the stored feed is fresher */
	OP_POST,	/* put, keeping the stored post's `seen` */
	OP_PERSON,	/* merge into the stored person */
	OP_LINK,	/* add to the stored link */
	OP_CLEAR,	/* empty a table */
	OP_SCORE,	/* a score into generation gen, both indexes */
	OP_SWITCH,	/* rank_gen = gen, other generations deleted */
};

struct op {
	unsigned char kind;	/* enum op_kind */
	unsigned char table;	/* enum store_table */
	uint32_t gen;
	size_t key, klen;	/* offsets into the batch's bytes */
	size_t val, vlen;
};

struct ms_batch {
	struct ms_store *st;
	struct op *ops;
	size_t n, alloc;
	unsigned char *data;	/* every key and value, back to back */
	size_t len, cap;
	struct ms_buf enc;	/* the record being encoded */
	int rc;			/* first failure while recording */
	struct ms_err err;	/* ... and its message, given at commit */
};

/* A single range delete gets this many deletions per transaction first. */
#define CHUNK_START 65536
/* Growth-and-retry rounds before giving up on a batch. */
#define MAX_GROWS 64

struct ms_batch *
ms_store_batch_new(struct ms_store *st)
{
	struct ms_batch *b = ms_xcalloc(1, sizeof(*b));

	b->st = st;
	ms_buf_init(&b->enc, STORE_RECORD_MAX);
	return b;
}

size_t
ms_batch_ops(const struct ms_batch *b)
{
	return b->n;
}

size_t
ms_batch_bytes(const struct ms_batch *b)
{
	return b->len;
}

void
ms_store_batch_free(struct ms_batch *b)
{
	if (!b)
		return;
	ms_buf_release(&b->enc);
	free(b->ops);
	free(b->data);
	free(b);
}

/* Remember the first failure; commit reports it and applies nothing. */
static void
fail(struct ms_batch *b, int code, const char *what, const char *detail)
{
	if (b->rc)
		return;
	b->rc = ms_err_set(&b->err, code, "cannot store %s: %s", what,
			   detail);
}

static size_t
stash(struct ms_batch *b, const void *p, size_t n)
{
	size_t at = b->len;

	if (n > b->cap - b->len) {
		size_t nc = b->cap ? b->cap : 4096;

		while (nc - b->len < n)
			nc *= 2;
		b->data = ms_xrealloc(b->data, nc);
		b->cap = nc;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return at;
}

static void
record(struct ms_batch *b, enum op_kind kind, enum store_table t,
       uint32_t gen, const void *key, size_t klen, const void *val,
       size_t vlen)
{
	struct op *o;

	MS_GROW(b->ops, b->n + 1, b->alloc);
	o = &b->ops[b->n++];
	o->kind = (unsigned char)kind;
	o->table = (unsigned char)t;
	o->gen = gen;
	o->klen = klen;
	o->key = stash(b, key, klen);
	o->vlen = vlen;
	o->val = stash(b, val, vlen);
}

/* Record an op whose value is the record just encoded into b->enc. */
static void
record_enc(struct ms_batch *b, enum op_kind kind, enum store_table t,
	   uint32_t gen, const void *key, size_t klen, int enc_rc,
	   const char *what)
{
	if (enc_rc) {
		fail(b, MS_ETOOBIG, what, "record larger than 16 MiB");
		return;
	}
	record(b, kind, t, gen, key, klen, b->enc.data, b->enc.len);
}

static int
string_key_ok(struct ms_batch *b, const char *s, const char *what)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0) {
		fail(b, MS_ECORRUPT, what, "empty key");
		return 0;
	}
	if (n > STORE_KEY_MAX) {
		fail(b, MS_ETOOBIG, what, "key longer than 511 bytes");
		return 0;
	}
	return 1;
}

/* A feed record under its URL's key, as put, add or merge. */
static void
feed_op(struct ms_batch *b, enum op_kind kind, const struct ms_feed_rec *r)
{
	struct ms_hash key;

	if (b->rc)
		return;
	if (!r->url) {
		fail(b, MS_ECORRUPT, "feed", "no url");
		return;
	}
	ms_key_feed(r->url, &key);
	record_enc(b, kind, T_FEEDS, 0, key.b, MS_HASH_LEN,
		   ms_feed_encode(r, &b->enc), "feed");
}

void
ms_batch_put_feed(struct ms_batch *b, const struct ms_feed_rec *r)
{
	feed_op(b, OP_PUT, r);
}

void
ms_batch_del_feed(struct ms_batch *b, const char *url)
{
	struct ms_hash key;

	if (b->rc)
		return;
	ms_key_feed(url, &key);
	record(b, OP_DEL, T_FEEDS, 0, key.b, MS_HASH_LEN, NULL, 0);
}

void
ms_batch_add_feed(struct ms_batch *b, const struct ms_feed_rec *r)
{
	feed_op(b, OP_ADD, r);
}

void
ms_batch_merge_feed(struct ms_batch *b, const struct ms_feed_rec *r)
{
	feed_op(b, OP_FEED, r);
}

/* Outbox keys: the virtual shard, then the feed key of the URL. */
static void
outbox_key(unsigned v, const char *url, unsigned char *key)
{
	struct ms_hash h;

	ms_key_feed(url, &h);
	key[0] = (unsigned char)v;
	memcpy(key + 1, h.b, MS_HASH_LEN);
}

void
ms_batch_put_outbox(struct ms_batch *b, unsigned v,
		    const struct ms_feed_rec *r)
{
	unsigned char key[1 + MS_HASH_LEN];

	if (b->rc)
		return;
	if (!r->url || v > 255) {
		fail(b, MS_ECORRUPT, "outbox entry", r->url ? "shard over 255"
							    : "no url");
		return;
	}
	outbox_key(v, r->url, key);
	record_enc(b, OP_PUT, T_OUTBOX, 0, key, sizeof(key),
		   ms_feed_encode(r, &b->enc), "outbox entry");
}

void
ms_batch_del_outbox(struct ms_batch *b, unsigned v, const char *url)
{
	unsigned char key[1 + MS_HASH_LEN];

	if (b->rc)
		return;
	outbox_key(v & 0xff, url, key);
	record(b, OP_DEL, T_OUTBOX, 0, key, sizeof(key), NULL, 0);
}

void
ms_batch_put_post(struct ms_batch *b, const struct ms_post_rec *r)
{
	const char *ident = r->url ? r->url : r->id;
	struct ms_hash key;

	if (b->rc)
		return;
	if (!ident) {
		fail(b, MS_ECORRUPT, "post", "neither url nor id");
		return;
	}
	ms_key_post(ident, &key);
	record_enc(b, OP_POST, T_POSTS, 0, key.b, MS_HASH_LEN,
		   ms_post_encode(r, &b->enc), "post");
}

void
ms_batch_put_comment(struct ms_batch *b, const struct ms_comment_rec *r)
{
	struct ms_hash key;

	if (b->rc)
		return;
	if (!r->id) {
		fail(b, MS_ECORRUPT, "comment", "no id");
		return;
	}
	ms_key_comment(r->id, &key);
	record_enc(b, OP_PUT, T_COMMENTS, 0, key.b, MS_HASH_LEN,
		   ms_comment_encode(r, &b->enc), "comment");
}

void
ms_batch_merge_person(struct ms_batch *b, const struct ms_person_rec *r)
{
	struct ms_hash key;

	if (b->rc)
		return;
	if (!r->ident) {
		fail(b, MS_ECORRUPT, "person", "no ident");
		return;
	}
	ms_key_person(r->ident, &key);
	record_enc(b, OP_PERSON, T_PEOPLE, 0, key.b, MS_HASH_LEN,
		   ms_person_encode(r, &b->enc), "person");
}

void
ms_batch_put_link(struct ms_batch *b, const struct ms_hash *from,
		  const struct ms_hash *to, const struct ms_link_rec *r)
{
	unsigned char key[2 * MS_HASH_LEN];

	if (b->rc)
		return;
	memcpy(key, from->b, MS_HASH_LEN);
	memcpy(key + MS_HASH_LEN, to->b, MS_HASH_LEN);
	record_enc(b, OP_LINK, T_LINKS, 0, key, sizeof(key),
		   ms_link_encode(r, &b->enc), "link");
}

void
ms_batch_clear_links(struct ms_batch *b)
{
	if (b->rc)
		return;
	record(b, OP_CLEAR, T_LINKS, 0, NULL, 0, NULL, 0);
}

void
ms_batch_put_host(struct ms_batch *b, const char *host,
		  const struct ms_host_rec *r)
{
	if (b->rc || !string_key_ok(b, host, "host"))
		return;
	record_enc(b, OP_PUT, T_HOSTS, 0, host, strlen(host),
		   ms_host_encode(r, &b->enc), "host");
}

void
ms_batch_put_crawl(struct ms_batch *b, const struct ms_crawl_rec *r)
{
	unsigned char key[8];
	uint64_t s = (uint64_t)r->started;

	if (b->rc)
		return;
	for (int i = 0; i < 8; i++)
		key[i] = (unsigned char)(s >> (56 - 8 * i));
	record_enc(b, OP_PUT, T_CRAWLS, 0, key, sizeof(key),
		   ms_crawl_encode(r, &b->enc), "crawl");
}

void
ms_batch_put_meta(struct ms_batch *b, const char *name, const void *p,
		  size_t len)
{
	if (b->rc || !string_key_ok(b, name, "meta value"))
		return;
	if (len > STORE_RECORD_MAX) {
		fail(b, MS_ETOOBIG, "meta value", "larger than 16 MiB");
		return;
	}
	record(b, OP_PUT, T_META, 0, name, strlen(name), p, len);
}

void
ms_batch_put_score(struct ms_batch *b, uint32_t gen,
		   const struct ms_score_rec *r)
{
	unsigned char key[STORE_KEY_MAX];

	if (b->rc)
		return;
	if (!r->topic) {
		fail(b, MS_ECORRUPT, "score", "no topic");
		return;
	}
	if (!store_score_key(key, gen, r->topic, r->score, &r->person)) {
		fail(b, MS_ETOOBIG, "score", "topic too long for a key");
		return;
	}
	/* The keys are made at apply time: a rewrite must find the old. */
	record_enc(b, OP_SCORE, T_SCORES, gen, NULL, 0,
		   ms_score_encode(r, &b->enc), "score");
}

void
ms_batch_switch_rank(struct ms_batch *b, uint32_t gen)
{
	if (b->rc)
		return;
	record(b, OP_SWITCH, T_SCORES, gen, NULL, 0, NULL, 0);
}

/* ------------------------------------------------------------- applying */

/* The fault hook of internal.h: a fake MDB_TXN_FULL past the limit. */
static int
count_write(struct store_apply *a)
{
	if (a->st->txn_limit && ++a->writes > a->st->txn_limit)
		return MDB_TXN_FULL;
	return MDB_SUCCESS;
}

int
store_put(struct store_apply *a, enum store_table t, MDB_val *k, MDB_val *v,
	  unsigned flags)
{
	int rc = count_write(a);

	return rc ? rc : mdb_put(a->txn, a->st->dbi[t], k, v, flags);
}

int
store_del(struct store_apply *a, enum store_table t, MDB_val *k)
{
	int rc = count_write(a);

	if (!rc)
		rc = mdb_del(a->txn, a->st->dbi[t], k, NULL);
	return rc == MDB_NOTFOUND ? MDB_SUCCESS : rc;
}

/* Put the record encoded in a->scratch, or fail with its encoder's code. */
static int
put_scratch(struct store_apply *a, enum store_table t, MDB_val *k,
	    int enc_rc, const char *what)
{
	MDB_val v;

	if (enc_rc) {
		a->fail = ms_err_set(a->err, MS_ETOOBIG, "cannot store %s: "
				     "merged record larger than 16 MiB",
				     what);
		return STORE_APPLY_FAIL;
	}
	v.mv_data = a->scratch->data;
	v.mv_size = a->scratch->len;
	return store_put(a, t, k, &v, 0);
}

/*
 * The stored value under k, decoded with dec into out; 0 when there is
 * none or it does not decode.  A stored record that no longer decodes is
 * replaced by the new one: refusing would fail every later batch that
 * touches it.
 */
static int
get_old(struct store_apply *a, enum store_table t, MDB_val *k,
	int (*dec)(const void *, size_t, void *, struct ms_err *), void *out,
	int *rc)
{
	MDB_val v;

	*rc = mdb_get(a->txn, a->st->dbi[t], k, &v);
	if (*rc == MDB_NOTFOUND) {
		*rc = MDB_SUCCESS;
		return 0;
	}
	return *rc == MDB_SUCCESS && dec(v.mv_data, v.mv_size, out, NULL) ==
					     MS_OK;
}

static int
dec_feed(const void *p, size_t n, void *r, struct ms_err *e)
{
	return ms_feed_decode(p, n, r, e);
}

static int
dec_post(const void *p, size_t n, void *r, struct ms_err *e)
{
	return ms_post_decode(p, n, r, e);
}

static int
dec_person(const void *p, size_t n, void *r, struct ms_err *e)
{
	return ms_person_decode(p, n, r, e);
}

static int
dec_link(const void *p, size_t n, void *r, struct ms_err *e)
{
	return ms_link_decode(p, n, r, e);
}

static int64_t
min_time(int64_t a, int64_t b)
{
	if (a == MS_TIME_NONE)
		return b;
	if (b == MS_TIME_NONE)
		return a;
	return a < b ? a : b;
}

static int64_t
max_time(int64_t a, int64_t b)
{
	if (a == MS_TIME_NONE)
		return b;
	if (b == MS_TIME_NONE)
		return a;
	return a > b ? a : b;
}

static const char *
fill(const char *old, const char *new)
{
	return old && *old ? old : new;
}

/* Is item (n bytes) in the '\n' list? */
static int
in_list(const char *list, const char *item, size_t n)
{
	const char *cur = list, *s;
	size_t m;

	while ((s = ms_strlist_next(&cur, &m)))
		if (m == n && memcmp(s, item, n) == 0)
			return 1;
	return 0;
}

/* old's items, then new's that old lacks, into u. */
static int
unite(const char *old, const char *new, struct ms_buf *u)
{
	const char *cur = old, *s;
	size_t n;
	int rc = MS_OK;

	while (!rc && (s = ms_strlist_next(&cur, &n)))
		if (!in_list(ms_buf_str(u), s, n))
			rc = (u->len ? ms_buf_addc(u, '\n') : 0) ||
			     ms_buf_add(u, s, n);
	cur = new;
	while (!rc && (s = ms_strlist_next(&cur, &n)))
		if (!in_list(ms_buf_str(u), s, n))
			rc = (u->len ? ms_buf_addc(u, '\n') : 0) ||
			     ms_buf_add(u, s, n);
	return rc ? MS_ETOOBIG : MS_OK;
}

static int
apply_post(struct store_apply *a, MDB_val *k, MDB_val *v)
{
	struct ms_post_rec old, r;
	int rc;

	if (!get_old(a, T_POSTS, k, dec_post, &old, &rc) ||
	    old.seen == MS_TIME_NONE)
		return rc ? rc : store_put(a, T_POSTS, k, v, 0);
	if ((a->fail = ms_post_decode(v->mv_data, v->mv_size, &r, a->err)))
		return STORE_APPLY_FAIL;
	/* The same post read from its feed and from its page: what one
	 * source lacks, the other fills (a page has no comment feed link, a
	 * feed rarely says whether comments are open). */
	r.seen = old.seen;
	r.id = fill(r.id, old.id);
	r.title = fill(r.title, old.title);
	r.author_name = fill(r.author_name, old.author_name);
	r.categories = fill(r.categories, old.categories);
	r.links = fill(r.links, old.links);
	r.comment_feed = fill(r.comment_feed, old.comment_feed);
	r.comments_url = fill(r.comments_url, old.comments_url);
	r.lang = fill(r.lang, old.lang);
	r.topics = fill(r.topics, old.topics);
	r.summary = fill(r.summary, old.summary);
	if (ms_hash_is_zero(&r.author))
		r.author = old.author;
	if (ms_hash_is_zero(&r.feed))
		r.feed = old.feed;
	if (r.published == MS_TIME_NONE)
		r.published = old.published;
	if (r.updated == MS_TIME_NONE)
		r.updated = old.updated;
	if (r.comment_count < 0)
		r.comment_count = old.comment_count;
	if (r.comments_open < 0)
		r.comments_open = old.comments_open;
	return put_scratch(a, T_POSTS, k, ms_post_encode(&r, a->scratch),
			   "post");
}

/* The fresher state of a feed: the one fetched last. */
static int
apply_feed(struct store_apply *a, MDB_val *k, MDB_val *v)
{
	struct ms_feed_rec old, r;
	int rc;

	if (!get_old(a, T_FEEDS, k, dec_feed, &old, &rc))
		return rc ? rc : store_put(a, T_FEEDS, k, v, 0);
	if ((a->fail = ms_feed_decode(v->mv_data, v->mv_size, &r, a->err)))
		return STORE_APPLY_FAIL;
	if (r.last_fetch == MS_TIME_NONE ||
	    (old.last_fetch != MS_TIME_NONE && old.last_fetch >= r.last_fetch))
		return MDB_SUCCESS;
	return store_put(a, T_FEEDS, k, v, 0);
}

static int
apply_person(struct store_apply *a, MDB_val *k, MDB_val *v)
{
	struct ms_person_rec old, r;
	struct ms_buf u = MS_BUF_INIT(STORE_RECORD_MAX);
	int rc;

	if (!get_old(a, T_PEOPLE, k, dec_person, &old, &rc))
		return rc ? rc : store_put(a, T_PEOPLE, k, v, 0);
	if ((a->fail = ms_person_decode(v->mv_data, v->mv_size, &r, a->err)))
		return STORE_APPLY_FAIL;
	r.name = fill(old.name, r.name);
	r.site = fill(old.site, r.site);
	r.feed = fill(old.feed, r.feed);
	r.flags |= old.flags;
	r.first_seen = min_time(old.first_seen, r.first_seen);
	r.last_seen = max_time(old.last_seen, r.last_seen);
	if (unite(old.profiles, r.profiles, &u) != MS_OK) {
		rc = put_scratch(a, T_PEOPLE, k, MS_ETOOBIG, "person");
	} else {
		r.profiles = u.len ? u.data : NULL;
		rc = put_scratch(a, T_PEOPLE, k,
				 ms_person_encode(&r, a->scratch), "person");
	}
	ms_buf_release(&u);
	return rc;
}

static int
apply_link(struct store_apply *a, MDB_val *k, MDB_val *v)
{
	struct ms_link_rec old, r;
	int rc;

	if (!get_old(a, T_LINKS, k, dec_link, &old, &rc))
		return rc ? rc : store_put(a, T_LINKS, k, v, 0);
	if ((a->fail = ms_link_decode(v->mv_data, v->mv_size, &r, a->err)))
		return STORE_APPLY_FAIL;
	r.count = r.count > UINT32_MAX - old.count ? UINT32_MAX
						   : r.count + old.count;
	r.kinds |= old.kinds;
	r.first = min_time(old.first, r.first);
	r.last = max_time(old.last, r.last);
	return put_scratch(a, T_LINKS, k, ms_link_encode(&r, a->scratch),
			   "link");
}

static int
apply_op(struct store_apply *a, const struct ms_batch *b, const struct op *o)
{
	unsigned char *base = b->data ? b->data : (unsigned char *)"";
	MDB_val k = { o->klen, base + o->key };
	MDB_val v = { o->vlen, base + o->val };
	int rc;

	switch ((enum op_kind)o->kind) {
	case OP_PUT:
		return store_put(a, o->table, &k, &v, 0);
	case OP_DEL:
		return store_del(a, o->table, &k);
	case OP_ADD:
		rc = store_put(a, o->table, &k, &v, MDB_NOOVERWRITE);
		return rc == MDB_KEYEXIST ? MDB_SUCCESS : rc;
	case OP_FEED:
		return apply_feed(a, &k, &v);
	case OP_POST:
		return apply_post(a, &k, &v);
	case OP_PERSON:
		return apply_person(a, &k, &v);
	case OP_LINK:
		return apply_link(a, &k, &v);
	case OP_CLEAR:
		if ((rc = count_write(a)))
			return rc;
		return mdb_drop(a->txn, a->st->dbi[o->table], 0);
	case OP_SCORE:
		return store_apply_score(a, o->gen, v.mv_data, v.mv_size);
	case OP_SWITCH:
		return store_apply_switch(a, o->gen);
	}
	return MDB_SUCCESS;
}

/* One commit in progress. */
struct commit {
	struct ms_batch *b;
	struct ms_buf scratch;	/* merged records */
	struct ms_err *err;
	int fail;		/* the MS_E* code behind STORE_APPLY_FAIL */
};

/*
 * Apply ops [lo, hi) in one write transaction.  Returns an LMDB code, or
 * STORE_APPLY_FAIL with c->fail and c->err set.  *more is set when a
 * budgeted range delete stopped early.
 */
static int
run_txn(struct commit *c, size_t lo, size_t hi, size_t budget, int *more)
{
	struct store_apply a = { 0 };
	int rc;

	a.st = c->b->st;
	a.scratch = &c->scratch;
	a.budget = budget;
	a.err = c->err;
	*more = 0;
	rc = store_txn_begin(a.st, 0, &a.txn);
	if (rc)
		return rc;
	for (size_t i = lo; i < hi && !rc; i++)
		rc = apply_op(&a, c->b, &c->b->ops[i]);
	if (rc) {
		mdb_txn_abort(a.txn);
		c->fail = a.fail;
		return rc;
	}
	*more = a.more;
	return mdb_txn_commit(a.txn);
}

static int
finish(struct commit *c, int rc)
{
	if (rc == STORE_APPLY_FAIL)
		return c->fail;
	return store_mdb_error(c->b->st, rc, "committing a batch", c->err);
}

/* One op too big for a transaction: a range delete goes in chunks. */
static int
apply_chunked(struct commit *c, size_t i)
{
	size_t budget = CHUNK_START;
	int more = 1, grows = 0, rc;

	if (c->b->ops[i].kind != OP_SWITCH)
		return ms_err_set(c->err, MS_ESTORE, "store '%s': one record "
				  "is too large for a transaction",
				  c->b->st->dir);
	while (more) {
		rc = run_txn(c, i, i + 1, budget, &more);
		if (rc == MDB_MAP_FULL && grows++ < MAX_GROWS) {
			if ((rc = store_grow(c->b->st, 0, c->err)))
				return rc;
			more = 1;
		} else if (rc == MDB_TXN_FULL && budget > 1) {
			budget /= 2;
			more = 1;
		} else if (rc) {
			return finish(c, rc);
		}
	}
	return MS_OK;
}

static int
apply_range(struct commit *c, size_t lo, size_t hi)
{
	int more, rc;

	for (int grows = 0;; grows++) {
		rc = run_txn(c, lo, hi, 0, &more);
		if (rc != MDB_MAP_FULL || grows >= MAX_GROWS)
			break;
		if ((rc = store_grow(c->b->st, c->b->len, c->err)))
			return rc;
		c->b->st->replays++;
	}
	if (rc == MDB_TXN_FULL) {
		size_t mid = lo + (hi - lo) / 2;

		if (hi - lo == 1)
			return apply_chunked(c, lo);
		if ((rc = apply_range(c, lo, mid)))
			return rc;
		return apply_range(c, mid, hi);
	}
	return rc ? finish(c, rc) : MS_OK;
}

int
ms_store_batch_commit(struct ms_batch *b, struct ms_err *err)
{
	struct commit c = { b, MS_BUF_INIT(STORE_RECORD_MAX), err, 0 };
	int rc = MS_OK;

	if (b->rc) {
		rc = b->rc;
		if (err)
			*err = b->err;
	} else if (b->st->flags & MS_STORE_RDONLY) {
		rc = ms_err_set(err, MS_ESTORE, "store '%s' is open read-only",
				b->st->dir);
	} else if (b->n) {
		rc = store_grow_if_needed(b->st, b->len, err);
		if (!rc)
			rc = apply_range(&c, 0, b->n);
	}
	ms_buf_release(&c.scratch);
	ms_store_batch_free(b);
	return rc;
}
