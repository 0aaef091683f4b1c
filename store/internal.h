/*
 * internal.h — what the files of store/ share and nothing outside uses
 * (except the store's own tests, for the fault hook at the end): the
 * handle, the table list, LMDB error mapping, transactions that survive
 * MDB_MAP_RESIZED and MDB_READERS_FULL, map growth and the score keys.
 */
#ifndef MS_STORE_INTERNAL_H
#define MS_STORE_INTERNAL_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct ms_err;

/* The named databases, in the order of store.h's table list. */
enum store_table {
	T_META, T_FEEDS, T_POSTS, T_COMMENTS, T_PEOPLE, T_LINKS, T_HOSTS,
	T_SCORES, T_PSCORES, T_CRAWLS, T_OUTBOX,
	T_COUNT
};
/* Tables from here on came after schema 1's first release: a store
 * written before them gets them on its first read-write open, and a
 * read-only open of such a store sees them empty (st->absent). */
#define T_FIRST_LATE T_OUTBOX
extern const char *const store_table_names[T_COUNT];

struct ms_store {
	MDB_env *env;
	MDB_dbi dbi[T_COUNT];
	unsigned char absent[T_COUNT];	/* a late table not in this store */
	char *dir;
	unsigned flags;		/* enum ms_store_flags */
	unsigned grows;		/* map growths since open */
	unsigned replays;	/* batches applied again after MDB_MAP_FULL */
	unsigned readers_cleared;	/* stale slots mdb_reader_check freed */
	unsigned live_readers;	/* ms_rtxn open in this process */
	size_t psize;		/* LMDB page size */
	size_t txn_limit;	/* fault hook, see store_test_txn_limit() */
};

struct ms_rtxn {
	struct ms_store *st;
	MDB_txn *txn;
};

/* Keys longer than this are refused (LMDB's default MDB_MAXKEYSIZE). */
#define STORE_KEY_MAX 511
/* A record larger than this is refused (MS_ETOOBIG at commit). */
#define STORE_RECORD_MAX (16u << 20)

/*
 * Map an LMDB or errno code to MS_ESTORE (LMDB's text), MS_EFULL (map or
 * disk full) or MS_EIO, naming the store and what was being done.
 */
int store_mdb_error(struct ms_store *st, int rc, const char *what,
		    struct ms_err *err);

/*
 * Begin a transaction (flags 0 or MDB_RDONLY).  Adopts a map grown by
 * another process (MDB_MAP_RESIZED) and clears stale readers when the
 * reader table is full, then retries.  Returns an LMDB code.
 */
int store_txn_begin(struct ms_store *st, unsigned flags, MDB_txn **out);

/*
 * Grow the map for a batch of batch_bytes: double a small map (< 1 GiB),
 * else add max(1 GiB, 2 × batch_bytes).  MS_EFULL when it cannot grow (a
 * read snapshot is open in this process, or mmap refuses).
 */
int store_grow(struct ms_store *st, size_t batch_bytes, struct ms_err *err);
/* Grow before a batch when more than 90 % of the map is in use. */
int store_grow_if_needed(struct ms_store *st, size_t batch_bytes,
			 struct ms_err *err);

/* Read a u32 BE meta value in txn; 0 when absent or malformed. */
uint32_t store_meta_u32(struct ms_store *st, MDB_txn *txn, const char *name);

/*
 * Score keys (see store.h).  The sort key of a score is its float32 bits
 * made order-preserving and inverted, so the best score sorts first.
 * Return the key length, or 0 when the topic makes the key too long.
 */
size_t store_score_key(unsigned char *out, uint32_t gen, const char *topic,
		       double score, const struct ms_hash *person);
size_t store_pscore_key(unsigned char *out, uint32_t gen,
			const struct ms_hash *person, const char *topic);

/*
 * Apply-time context of a batch: one write transaction, a scratch buffer
 * for merged records, and a write count for the fault hook.
 */
struct store_apply {
	struct ms_store *st;
	MDB_txn *txn;
	struct ms_buf *scratch;
	size_t writes;		/* puts and deletes in this transaction */
	size_t budget;		/* range deletes per transaction; 0: all */
	int more;		/* a budgeted range delete stopped early */
	int fail;		/* an MS_E* code set with a message in err */
	struct ms_err *err;
};

/* Returned by the apply functions for failures of our own (a->fail). */
#define STORE_APPLY_FAIL (-1)

/* Counted put and delete (LMDB codes; MDB_NOTFOUND is success for del). */
int store_put(struct store_apply *a, enum store_table t, MDB_val *k,
	      MDB_val *v, unsigned flags);
int store_del(struct store_apply *a, enum store_table t, MDB_val *k);

/* Score operations of a batch (scores.c). */
int store_apply_score(struct store_apply *a, uint32_t gen, const void *val,
		      size_t len);
int store_apply_switch(struct store_apply *a, uint32_t gen);

/*
 * Fault hook for tests: make a write transaction fail with MDB_TXN_FULL
 * after this many writes (0: off), so the batch split and the chunked
 * range deletes can be tested without half a gigabyte of dirty pages.
 */
void store_test_txn_limit(struct ms_store *st, size_t writes);

#endif
