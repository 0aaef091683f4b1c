/*
 * verify.c — ms_store_verify: the store's integrity checker, behind
 * `mentorscout stats --verify` and the crash tests (R-CR-1).
 *
 * It walks every table with raw cursors in one read snapshot, so a record
 * that does not decode is counted and the walk goes on (the table walks
 * of tables.c stop at the first), and checks what the rest of the program
 * takes for granted: keys that are the hashes of their records, one index
 * in two tables for the ranking, and RELIABILITY.md §4.6 — a feed's
 * validators are committed with the posts of the body they validate, so
 * a feed whose digest names a record of its body that is not there lost
 * its entries.
 *
 * Memory: sorted arrays of 16-byte hashes, up to two per post (its URL,
 * its id), so a million posts cost about 32 MB; verification is a
 * maintenance command, not part of the crawl.
 */
#include "store/internal.h"
#include "store/store.h"
#include "util/err.h"
#include "util/shard.h"
#include "util/xmalloc.h"

#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable array of hashes, sorted once filled. */
struct hset {
	struct ms_hash *v;
	size_t n, cap;
};

static void
hset_add(struct hset *s, const struct ms_hash *h)
{
	MS_GROW(s->v, s->n + 1, s->cap);
	s->v[s->n++] = *h;
}

static int
hcmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct ms_hash));
}

static void
hset_sort(struct hset *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), hcmp);
}

static int
hset_has(const struct hset *s, const struct ms_hash *h)
{
	return s->n && bsearch(h, s->v, s->n, sizeof(*s->v), hcmp) != NULL;
}

static void
hset_free(struct hset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct verify {
	struct ms_store *st;
	MDB_txn *txn;
	struct ms_verify_report *out;
	struct hset post_urls;	/* hash(url) of posts with a URL */
	struct hset url_ids;	/* hash(id) of posts with a URL and an id */
	struct hset bare_ids;	/* hash(id) of posts without a URL */
	uint64_t fp[2];		/* the fingerprint, as two sums */
};

/* Add the hash of a and b (b may be NULL) to the fingerprint. */
static void
fingerprint(struct verify *v, const char *a, const char *b)
{
	struct ms_hash h;
	uint64_t hi = 0, lo = 0;
	size_t na = strlen(a), nb = b ? strlen(b) : 0;
	char *s = ms_xmalloc(na + nb + 2);

	memcpy(s, a, na);
	s[na] = '\n';
	if (nb)
		memcpy(s + na + 1, b, nb);
	ms_hash128(s, na + 1 + nb, 0, &h);
	free(s);
	for (int i = 0; i < 8; i++) {
		hi = hi << 8 | h.b[i];
		lo = lo << 8 | h.b[8 + i];
	}
	/* Two sums mod 2^64: order-independent, unlike a running hash. */
	v->fp[0] += hi;
	v->fp[1] += lo;
}

/* Count a problem in *kind and keep its description while there is room. */
static void
problem(struct verify *v, size_t *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct verify *v, size_t *kind, const char *fmt, ...)
{
	struct ms_verify_report *o = v->out;
	va_list ap;

	(*kind)++;
	o->problems++;
	if (o->nmsgs >= MS_VERIFY_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(o->msgs[o->nmsgs++], sizeof(o->msgs[0]), fmt, ap);
	va_end(ap);
}

static void
hex(const void *key, size_t len, char out[33])
{
	struct ms_hash h = { { 0 } };

	memcpy(h.b, key, len < MS_HASH_LEN ? len : MS_HASH_LEN);
	ms_hash_hex(&h, out);
}

/* A key of the wrong size for a hash-keyed table. */
static int
hash_key_ok(struct verify *v, const char *table, const MDB_val *k)
{
	char h[33];

	if (k->mv_size == MS_HASH_LEN)
		return 1;
	hex(k->mv_data, k->mv_size, h);
	problem(v, &v->out->undecodable, "%s: key %s… of %zu bytes (a hash "
		"key has %d)", table, h, k->mv_size, MS_HASH_LEN);
	return 0;
}

static void
undecodable(struct verify *v, const char *table, const MDB_val *k,
	    const struct ms_err *e)
{
	char h[33];

	hex(k->mv_data, k->mv_size, h);
	problem(v, &v->out->undecodable, "%s: record %s: %s", table, h,
		e->msg);
}

/* The key k holds and the one its record's identity hashes to. */
static void
check_key(struct verify *v, const char *table, const MDB_val *k,
	  const struct ms_hash *want, const char *ident)
{
	char h[33];

	if (!memcmp(k->mv_data, want->b, MS_HASH_LEN))
		return;
	hex(k->mv_data, k->mv_size, h);
	problem(v, &v->out->bad_keys, "%s: key %s is not the hash of "
		"'%.120s'", table, h, ident);
}

/*
 * Walk one table with a raw cursor, handing each pair to fn; *count
 * gets the number of records.  Only an LMDB failure stops the walk.
 */
static int
walk(struct verify *v, enum store_table t, size_t *count,
     void (*fn)(struct verify *, const MDB_val *, const MDB_val *),
     struct ms_err *err)
{
	MDB_cursor *cur;
	MDB_val k, d;
	int rc;

	rc = mdb_cursor_open(v->txn, v->st->dbi[t], &cur);
	if (rc)
		return store_mdb_error(v->st, rc, "verify: cannot open a "
				       "cursor", err);
	for (rc = mdb_cursor_get(cur, &k, &d, MDB_FIRST); rc == MDB_SUCCESS;
	     rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT)) {
		(*count)++;
		fn(v, &k, &d);
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return store_mdb_error(v->st, rc, store_table_names[t], err);
	return MS_OK;
}

/* ------------------------------------------------------------- tables */

static void
v_meta(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	static const struct {
		const char *name;
		size_t len;
	} known[] = {
		{ "rank_gen", 4 }, { "rank_time", 8 }, { "rank_edges", 8 },
		{ "schema", 4 },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i].name);

		if (k->mv_size != n || memcmp(k->mv_data, known[i].name, n))
			continue;
		if (d->mv_size != known[i].len)
			problem(v, &v->out->undecodable, "meta: '%s' has %zu "
				"bytes (expected %zu)", known[i].name,
				d->mv_size, known[i].len);
		return;
	}
}

static void
v_feed(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_feed_rec r;
	struct ms_err e = { 0 };
	struct ms_hash want;

	if (!hash_key_ok(v, "feeds", k))
		return;
	if (ms_feed_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "feeds", k, &e);
		return;
	}
	ms_key_feed(r.url, &want);
	check_key(v, "feeds", k, &want, r.url);
}

static void
v_post(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_post_rec r;
	struct ms_err e = { 0 };
	struct ms_hash want;

	if (!hash_key_ok(v, "posts", k))
		return;
	if (ms_post_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "posts", k, &e);
		return;
	}
	if (!r.url && !r.id) {
		char h[33];

		hex(k->mv_data, k->mv_size, h);
		problem(v, &v->out->bad_keys, "posts: record %s has neither "
			"url nor id", h);
		return;
	}
	ms_key_post(r.url ? r.url : r.id, &want);
	check_key(v, "posts", k, &want, r.url ? r.url : r.id);
	fingerprint(v, r.url ? r.url : r.id, r.title);
	if (r.url) {
		ms_key_post(r.url, &want);
		hset_add(&v->post_urls, &want);
		if (r.id) {
			ms_key_post(r.id, &want);
			hset_add(&v->url_ids, &want);
		}
	} else {
		ms_key_post(r.id, &want);
		hset_add(&v->bare_ids, &want);
	}
}

static void
v_comment(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_comment_rec r;
	struct ms_err e = { 0 };
	struct ms_hash want;

	if (!hash_key_ok(v, "comments", k))
		return;
	if (ms_comment_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "comments", k, &e);
		return;
	}
	if (!r.id) {
		char h[33];

		hex(k->mv_data, k->mv_size, h);
		problem(v, &v->out->bad_keys, "comments: record %s has no "
			"id", h);
		return;
	}
	ms_key_comment(r.id, &want);
	check_key(v, "comments", k, &want, r.id);
	fingerprint(v, r.id, NULL);
}

static void
v_person(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_person_rec r;
	struct ms_err e = { 0 };
	struct ms_hash want;

	if (!hash_key_ok(v, "people", k))
		return;
	if (ms_person_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "people", k, &e);
		return;
	}
	ms_key_person(r.ident, &want);
	check_key(v, "people", k, &want, r.ident);
}

static void
v_link(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_link_rec r;
	struct ms_err e = { 0 };

	if (k->mv_size != 2 * MS_HASH_LEN) {
		problem(v, &v->out->undecodable, "links: key of %zu bytes "
			"(expected %d)", k->mv_size, 2 * MS_HASH_LEN);
		return;
	}
	if (ms_link_decode(d->mv_data, d->mv_size, &r, &e))
		undecodable(v, "links", k, &e);
}

static void
v_host(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_host_rec r;
	struct ms_err e = { 0 };

	if (k->mv_size == 0 || k->mv_size > STORE_KEY_MAX ||
	    memchr(k->mv_data, '\0', k->mv_size)) {
		problem(v, &v->out->undecodable, "hosts: key of %zu bytes is "
			"not a host name", k->mv_size);
		return;
	}
	if (ms_host_decode(d->mv_data, d->mv_size, &r, &e))
		problem(v, &v->out->undecodable, "hosts: '%.*s': %s",
			(int)(k->mv_size > 120 ? 120 : k->mv_size),
			(const char *)k->mv_data, e.msg);
}

/* An outbox entry: shard byte and feed key of its URL, in that shard. */
static void
v_outbox(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	const unsigned char *p = k->mv_data;
	struct ms_feed_rec r;
	struct ms_err e = { 0 };
	struct ms_hash key;

	if (k->mv_size != 1 + MS_HASH_LEN) {
		problem(v, &v->out->undecodable, "outbox: key of %zu bytes "
			"(expected %d)", k->mv_size, 1 + MS_HASH_LEN);
		return;
	}
	if (ms_feed_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "outbox", k, &e);
		return;
	}
	ms_key_feed(r.url, &key);
	if (memcmp(p + 1, key.b, MS_HASH_LEN) ||
	    ms_shard_virtual_url(r.url) != (int)p[0])
		problem(v, &v->out->bad_keys, "outbox: '%.160s' filed under "
			"shard %u, its host is in shard %d", r.url, p[0],
			ms_shard_virtual_url(r.url));
}

static void
v_crawl(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	const unsigned char *p = k->mv_data;
	struct ms_crawl_rec r;
	struct ms_err e = { 0 };
	uint64_t started = 0;

	if (k->mv_size != 8) {
		problem(v, &v->out->undecodable, "crawls: key of %zu bytes "
			"(expected 8)", k->mv_size);
		return;
	}
	if (ms_crawl_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "crawls", k, &e);
		return;
	}
	for (int i = 0; i < 8; i++)
		started = started << 8 | p[i];
	if ((int64_t)started != r.started)
		problem(v, &v->out->bad_keys, "crawls: key %llu but the "
			"record started at %lld", (unsigned long long)started,
			(long long)r.started);
}

/* ------------------------------------------------------------- scores */

static uint32_t
be32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* A generation other than the current one: old (a problem) or pending. */
static void
check_gen(struct verify *v, const char *table, uint32_t gen)
{
	if (gen == v->out->rank_gen)
		return;
	if (gen > v->out->rank_gen) {
		/* Counted once, from the scores table. */
		v->out->pending_scores += !strcmp(table, "scores");
	} else {
		problem(v, &v->out->old_generations, "%s: an entry of "
			"generation %u, below the current %u", table, gen,
			v->out->rank_gen);
	}
}

/* Is the twin (key tk in table t) there, with the same value? */
static void
check_twin(struct verify *v, enum store_table t, const unsigned char *tk,
	   size_t tlen, const MDB_val *d, const struct ms_score_rec *r,
	   uint32_t gen)
{
	MDB_val k = { tlen, (void *)tk }, twin;
	char h[33];
	int rc = mdb_get(v->txn, v->st->dbi[t], &k, &twin);

	if (rc == MDB_SUCCESS && twin.mv_size == d->mv_size &&
	    !memcmp(twin.mv_data, d->mv_data, d->mv_size))
		return;
	ms_hash_hex(&r->person, h);
	problem(v, &v->out->score_mismatches, "%s: %s the score of %s on "
		"'%.60s' (generation %u)", store_table_names[t],
		rc == MDB_SUCCESS ? "a different value for" : "no entry for",
		h, r->topic, gen);
}

static void
v_score(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	const unsigned char *p = k->mv_data;
	unsigned char want[STORE_KEY_MAX], twin[STORE_KEY_MAX];
	struct ms_score_rec r;
	struct ms_err e = { 0 };
	size_t n, tn;
	uint32_t gen;

	/* gen(4) ‖ topic ‖ NUL ‖ sortkey(4) ‖ person(16) */
	if (k->mv_size < 4 + 1 + 4 + MS_HASH_LEN ||
	    p[k->mv_size - 4 - MS_HASH_LEN - 1] != '\0') {
		problem(v, &v->out->undecodable, "scores: a key of %zu bytes "
			"that is not gen, topic, score, person", k->mv_size);
		return;
	}
	gen = be32(p);
	check_gen(v, "scores", gen);
	if (ms_score_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "scores", k, &e);
		return;
	}
	n = store_score_key(want, gen, r.topic, r.score, &r.person);
	if (n != k->mv_size || memcmp(want, p, n)) {
		char h[33];

		ms_hash_hex(&r.person, h);
		problem(v, &v->out->score_mismatches, "scores: the key of %s "
			"on '%.60s' (generation %u) does not match its "
			"record", h, r.topic, gen);
		return;
	}
	tn = store_pscore_key(twin, gen, &r.person, r.topic);
	check_twin(v, T_PSCORES, twin, tn, d, &r, gen);
}

static void
v_pscore(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	const unsigned char *p = k->mv_data;
	unsigned char want[STORE_KEY_MAX], twin[STORE_KEY_MAX];
	struct ms_score_rec r;
	struct ms_err e = { 0 };
	size_t n, tn;
	uint32_t gen;

	/* gen(4) ‖ person(16) ‖ topic ‖ NUL */
	if (k->mv_size < 4 + MS_HASH_LEN + 1 || p[k->mv_size - 1] != '\0') {
		problem(v, &v->out->undecodable, "pscores: a key of %zu bytes "
			"that is not gen, person, topic", k->mv_size);
		return;
	}
	gen = be32(p);
	check_gen(v, "pscores", gen);
	if (ms_score_decode(d->mv_data, d->mv_size, &r, &e)) {
		undecodable(v, "pscores", k, &e);
		return;
	}
	n = store_pscore_key(want, gen, &r.person, r.topic);
	if (n != k->mv_size || memcmp(want, p, n)) {
		char h[33];

		ms_hash_hex(&r.person, h);
		problem(v, &v->out->score_mismatches, "pscores: the key of %s "
			"on '%.60s' (generation %u) does not match its "
			"record", h, r.topic, gen);
		return;
	}
	tn = store_score_key(twin, gen, r.topic, r.score, &r.person);
	check_twin(v, T_SCORES, twin, tn, d, &r, gen);
}

/* ---------------------------------------------------- cross-table rules */

/* Posts stored twice: one URL twice, or an id under a URL and bare. */
static void
check_duplicates(struct verify *v)
{
	for (size_t i = 1; i < v->post_urls.n; i++)
		if (!memcmp(&v->post_urls.v[i - 1], &v->post_urls.v[i],
			    sizeof(struct ms_hash))) {
			char h[33];

			ms_hash_hex(&v->post_urls.v[i], h);
			problem(v, &v->out->duplicates, "posts: two records "
				"with the URL hashed %s", h);
		}
	for (size_t i = 0; i < v->bare_ids.n; i++)
		if (hset_has(&v->url_ids, &v->bare_ids.v[i])) {
			char h[33];

			ms_hash_hex(&v->bare_ids.v[i], h);
			problem(v, &v->out->duplicates, "posts: the post with "
				"id hashed %s is stored under its id and "
				"under its URL", h);
		}
}

/*
 * RELIABILITY.md §4.6, as ms_store_verify() states it.  A feed's `sample`
 * is written in the same put as its digest and names a record of that
 * body, so it is there unless the body's records were lost.  (A post's
 * `feed` cannot serve: it names the last source that stored the post,
 * which may be its comment page or another feed carrying it.)
 */
static void
v_validators(struct verify *v, const MDB_val *k, const MDB_val *d)
{
	struct ms_feed_rec r;
	MDB_val sk, sv;
	int has_validators;

	if (k->mv_size != MS_HASH_LEN ||
	    ms_feed_decode(d->mv_data, d->mv_size, &r, NULL))
		return;	/* counted by v_feed */
	has_validators = r.etag || r.last_modified;
	if (ms_hash_is_zero(&r.digest)) {
		/* Validators come only with an analysed body (its digest). */
		if (has_validators)
			problem(v, &v->out->orphan_validators, "feeds: "
				"'%.160s' has validators but no digest",
				r.url);
		return;
	}
	if (ms_hash_is_zero(&r.sample)) {
		/* The last body stored no entry (or, for a record written
		 * before version 2, we cannot know): nothing to look for. */
		if ((r.kind == MS_FEED_USER || r.kind == MS_FEED_SITE) &&
		    r.state == MS_FEED_ACTIVE)
			v->out->empty_feeds++;
		return;
	}
	sk.mv_size = MS_HASH_LEN;
	sk.mv_data = r.sample.b;
	if (mdb_get(v->txn, v->st->dbi[T_POSTS], &sk, &sv) == MDB_SUCCESS ||
	    mdb_get(v->txn, v->st->dbi[T_COMMENTS], &sk, &sv) == MDB_SUCCESS)
		return;
	problem(v, &v->out->orphan_validators, "feeds: '%.160s' has %s "
		"digest but the entries of that body are missing", r.url,
		has_validators ? "validators and a" : "a");
}

int
ms_store_verify(struct ms_store *st, struct ms_verify_report *out,
		struct ms_err *err)
{
	struct verify v = { 0 };
	struct ms_verify_report *o = out;
	size_t again = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	v.st = st;
	v.out = out;
	rc = store_txn_begin(st, MDB_RDONLY, &v.txn);
	if (rc)
		return store_mdb_error(st, rc, "verify: cannot begin a "
				       "snapshot", err);
	st->live_readers++;
	o->rank_gen = store_meta_u32(st, v.txn, "rank_gen");
	if ((rc = walk(&v, T_META, &o->meta, v_meta, err)) ||
	    (rc = walk(&v, T_FEEDS, &o->feeds, v_feed, err)) ||
	    (rc = walk(&v, T_POSTS, &o->posts, v_post, err)) ||
	    (rc = walk(&v, T_COMMENTS, &o->comments, v_comment, err)) ||
	    (rc = walk(&v, T_PEOPLE, &o->people, v_person, err)) ||
	    (rc = walk(&v, T_LINKS, &o->links, v_link, err)) ||
	    (rc = walk(&v, T_HOSTS, &o->hosts, v_host, err)) ||
	    (rc = walk(&v, T_SCORES, &o->scores, v_score, err)) ||
	    (rc = walk(&v, T_PSCORES, &o->pscores, v_pscore, err)) ||
	    (rc = walk(&v, T_CRAWLS, &o->crawls, v_crawl, err)) ||
	    (!st->absent[T_OUTBOX] &&
	     (rc = walk(&v, T_OUTBOX, &o->outbox, v_outbox, err))))
		goto out;
	hset_sort(&v.post_urls);
	hset_sort(&v.url_ids);
	check_duplicates(&v);
	/* A second pass over the feeds, now that the posts are known. */
	rc = walk(&v, T_FEEDS, &again, v_validators, err);
	for (int i = 0; i < 8; i++) {
		int sh = 56 - 8 * i;

		o->fingerprint.b[i] = (unsigned char)(v.fp[0] >> sh);
		o->fingerprint.b[8 + i] = (unsigned char)(v.fp[1] >> sh);
	}
out:
	mdb_txn_abort(v.txn);
	st->live_readers--;
	hset_free(&v.post_urls);
	hset_free(&v.url_ids);
	hset_free(&v.bare_ids);
	return rc;
}
