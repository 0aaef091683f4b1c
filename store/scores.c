/*
 * scores.c — the ranking's sorted index.  A ranking is a generation: the
 * ranker writes every score into a new generation, then one commit points
 * meta "rank_gen" at it and deletes the others, so a killed ranker leaves
 * the previous ranking readable (RELIABILITY.md §4.6).
 *
 *   scores   gen(4 BE) ‖ topic ‖ NUL ‖ ~sortkey(4 BE) ‖ person(16)
 *   pscores  gen(4 BE) ‖ person(16) ‖ topic ‖ NUL
 *
 * sortkey is the score as a float32 with its bits made order-preserving,
 * inverted so that within a topic the best comes first and top-k is a
 * cursor walk of k steps; equal scores fall back to the person's key.
 */
#include "store/internal.h"
#include "store/store.h"
#include "util/err.h"

#include <float.h>
#include <lmdb.h>
#include <math.h>
#include <string.h>

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
sort_key(double score)
{
	float f;
	uint32_t u;

	/* NaN ranks last; out-of-range doubles clamp (the cast would be UB). */
	if (isnan(score))
		score = -HUGE_VAL;
	if (score > FLT_MAX)
		score = FLT_MAX;
	if (score < -FLT_MAX)
		score = -FLT_MAX;
	f = (float)score;
	if (f == 0.0f)
		f = 0.0f;	/* -0 and +0 are one score */
	memcpy(&u, &f, sizeof(u));
	/* IEEE bits → unsigned order: flip negatives, set positives' sign. */
	u = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
	return ~u;
}

size_t
store_score_key(unsigned char *out, uint32_t gen, const char *topic,
		double score, const struct ms_hash *person)
{
	size_t n = strlen(topic), len = 4 + n + 1 + 4 + MS_HASH_LEN;

	if (len > STORE_KEY_MAX)
		return 0;
	put_be32(out, gen);
	memcpy(out + 4, topic, n + 1);
	put_be32(out + 4 + n + 1, sort_key(score));
	memcpy(out + 4 + n + 1 + 4, person->b, MS_HASH_LEN);
	return len;
}

size_t
store_pscore_key(unsigned char *out, uint32_t gen,
		 const struct ms_hash *person, const char *topic)
{
	size_t n = strlen(topic), len = 4 + MS_HASH_LEN + n + 1;

	if (len > STORE_KEY_MAX)
		return 0;
	put_be32(out, gen);
	memcpy(out + 4, person->b, MS_HASH_LEN);
	memcpy(out + 4 + MS_HASH_LEN, topic, n + 1);
	return len;
}

/* ------------------------------------------------------------- writing */

int
store_apply_score(struct store_apply *a, uint32_t gen, const void *val,
		  size_t len)
{
	unsigned char skey[STORE_KEY_MAX], pkey[STORE_KEY_MAX];
	unsigned char oldkey[STORE_KEY_MAX];
	struct ms_score_rec r, old;
	MDB_val k, v, ov;
	size_t sn, pn, on;
	int rc;

	/* The batch encoded it and checked the topic's length. */
	if ((a->fail = ms_score_decode(val, len, &r, a->err)))
		return STORE_APPLY_FAIL;
	sn = store_score_key(skey, gen, r.topic, r.score, &r.person);
	pn = store_pscore_key(pkey, gen, &r.person, r.topic);
	if (!sn || !pn) {
		a->fail = ms_err_set(a->err, MS_ETOOBIG, "score topic '%.40s' "
				     "is too long for a key", r.topic);
		return STORE_APPLY_FAIL;
	}
	/* A rewritten score must not leave its old place in the order. */
	k.mv_data = pkey;
	k.mv_size = pn;
	rc = mdb_get(a->txn, a->st->dbi[T_PSCORES], &k, &ov);
	if (rc == MDB_SUCCESS &&
	    ms_score_decode(ov.mv_data, ov.mv_size, &old, NULL) == MS_OK &&
	    (on = store_score_key(oldkey, gen, old.topic, old.score,
				  &old.person)) &&
	    (on != sn || memcmp(oldkey, skey, sn) != 0)) {
		k.mv_data = oldkey;
		k.mv_size = on;
		if ((rc = store_del(a, T_SCORES, &k)))
			return rc;
	} else if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) {
		return rc;
	}
	v.mv_data = (void *)val;
	v.mv_size = len;
	k.mv_data = skey;
	k.mv_size = sn;
	if ((rc = store_put(a, T_SCORES, &k, &v, 0)))
		return rc;
	k.mv_data = pkey;
	k.mv_size = pn;
	return store_put(a, T_PSCORES, &k, &v, 0);
}

/*
 * Delete the keys of table tab in [lo, hi) (lo NULL: from the first, hi
 * NULL: to the last), at most a->budget of them when a budget is set.
 * The cursor seeks again after every delete: simple, and it steers clear
 * of the cursor-after-delete corners fixed in LMDB after 0.9.24.
 */
static int
del_range(struct store_apply *a, enum store_table tab, const void *lo,
	  size_t lolen, const void *hi, size_t hilen, size_t *deleted)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	rc = mdb_cursor_open(a->txn, a->st->dbi[tab], &cur);
	if (rc)
		return rc;
	for (;;) {
		if (lo) {
			k.mv_data = (void *)lo;
			k.mv_size = lolen;
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		} else {
			rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		}
		if (rc == MDB_NOTFOUND) {
			rc = MDB_SUCCESS;
			break;
		}
		if (rc)
			break;
		if (hi) {
			size_t n = k.mv_size < hilen ? k.mv_size : hilen;
			int c = memcmp(k.mv_data, hi, n);

			if (c > 0 || (c == 0 && k.mv_size >= hilen))
				break;
		}
		if (a->budget && *deleted >= a->budget) {
			a->more = 1;
			break;
		}
		if (a->st->txn_limit && ++a->writes > a->st->txn_limit) {
			rc = MDB_TXN_FULL;
			break;
		}
		if ((rc = mdb_cursor_del(cur, 0)))
			break;
		(*deleted)++;
	}
	mdb_cursor_close(cur);
	return rc;
}

int
store_apply_switch(struct store_apply *a, uint32_t gen)
{
	static const enum store_table tabs[] = { T_SCORES, T_PSCORES };
	unsigned char cur[4], next[4];
	MDB_val k = { 8, "rank_gen" }, v = { 4, cur };
	size_t deleted = 0;
	int rc;

	put_be32(cur, gen);
	put_be32(next, gen + 1);
	/* Idempotent, so a chunked switch can repeat it in every chunk. */
	if ((rc = store_put(a, T_META, &k, &v, 0)))
		return rc;
	for (size_t i = 0; i < 2; i++) {
		rc = del_range(a, tabs[i], NULL, 0, cur, 4, &deleted);
		if (rc || a->more)
			return rc;
		if (gen == UINT32_MAX)
			continue;
		rc = del_range(a, tabs[i], next, 4, NULL, 0, &deleted);
		if (rc || a->more)
			return rc;
	}
	return MDB_SUCCESS;
}

/* ------------------------------------------------------------- reading */

/*
 * Walk the keys of tab that start with prefix and are keylen long (0: any
 * length), decoding each value, up to limit (0: all).
 */
static int
walk_prefix(struct ms_rtxn *t, enum store_table tab, const unsigned char *pre,
	    size_t plen, size_t keylen, size_t limit, ms_score_fn fn,
	    void *ctx, struct ms_err *err)
{
	struct ms_score_rec r;
	MDB_cursor *cur;
	MDB_val k = { plen, (void *)pre }, v;
	size_t n = 0;
	int rc;

	rc = mdb_cursor_open(t->txn, t->st->dbi[tab], &cur);
	if (rc)
		return store_mdb_error(t->st, rc, "cannot open a cursor", err);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == MDB_SUCCESS && (!limit || n < limit);
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), n++) {
		int r2;

		if (k.mv_size < plen || memcmp(k.mv_data, pre, plen) != 0)
			break;
		if (keylen && k.mv_size != keylen) {
			rc = ms_err_set(err, MS_ECORRUPT, "table '%s': key of "
					"%zu bytes (expected %zu)",
					store_table_names[tab], k.mv_size,
					keylen);
			goto out;
		}
		if ((r2 = ms_score_decode(v.mv_data, v.mv_size, &r, err))) {
			ms_err_prefix(err, "table '%s'",
				      store_table_names[tab]);
			rc = r2;
			goto out;
		}
		if ((r2 = fn(&r, ctx))) {
			rc = r2;
			goto out;
		}
	}
	if (rc == MDB_SUCCESS || rc == MDB_NOTFOUND)
		rc = MS_OK;
	else
		rc = store_mdb_error(t->st, rc, "reading scores", err);
out:
	mdb_cursor_close(cur);
	return rc;
}

int
ms_store_top(struct ms_rtxn *t, const char *topic, size_t limit,
	     ms_score_fn fn, void *ctx, struct ms_err *err)
{
	unsigned char pre[STORE_KEY_MAX];
	uint32_t gen = ms_store_rank_gen(t);
	size_t n = strlen(topic);

	/* No ranking yet, or a topic no key can hold: nothing to list. */
	if (!gen || 4 + n + 1 + 4 + MS_HASH_LEN > STORE_KEY_MAX)
		return MS_OK;
	put_be32(pre, gen);
	memcpy(pre + 4, topic, n + 1);
	return walk_prefix(t, T_SCORES, pre, 4 + n + 1,
			   4 + n + 1 + 4 + MS_HASH_LEN, limit, fn, ctx, err);
}

int
ms_store_person_scores(struct ms_rtxn *t, const struct ms_hash *person,
		       ms_score_fn fn, void *ctx, struct ms_err *err)
{
	unsigned char pre[4 + MS_HASH_LEN];
	uint32_t gen = ms_store_rank_gen(t);

	if (!gen)
		return MS_OK;
	put_be32(pre, gen);
	memcpy(pre + 4, person->b, MS_HASH_LEN);
	return walk_prefix(t, T_PSCORES, pre, sizeof(pre), 0, 0, fn, ctx,
			   err);
}
