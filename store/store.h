/*
 * store.h — mentorscout's store: one LMDB environment in one directory,
 * named sub-databases, small versioned binary records behind one codec.
 *
 * Tables (LMDB named databases) and their keys:
 *
 *   meta      C string name        → raw bytes ("schema": u32 BE version,
 *                                     "rank_gen": u32 BE, "last_crawl": a
 *                                     crawl record)
 *   feeds     hash(normalized URL) → struct ms_feed_rec
 *   posts     hash(post URL or id) → struct ms_post_rec
 *   comments  hash(comment id)     → struct ms_comment_rec
 *   people    hash(identity)       → struct ms_person_rec
 *   links     from(16) ‖ to(16)    → struct ms_link_rec (people graph; the
 *                                     ranker derives it)
 *   hosts     host name (C string) → struct ms_host_rec (robots, budget)
 *   scores    gen(4) ‖ topic ‖ NUL ‖ ~score(4) ‖ person(16)
 *                                  → struct ms_score_rec (sorted index:
 *                                     the best first within a topic)
 *   pscores   gen(4) ‖ person(16) ‖ topic ‖ NUL → struct ms_score_rec
 *   crawls    started (u64 BE)     → struct ms_crawl_rec (the crawl log)
 *   outbox    v(1) ‖ hash(URL)     → struct ms_feed_rec: URLs a sharded
 *                                     crawl found on hosts of virtual
 *                                     shard v, which another worker owns
 *                                     (util/shard.h); `merge` hands them
 *                                     to that worker's store
 *
 * Keys are 128-bit hashes (util/hash.h) because LMDB keys are limited to 511
 * bytes; records keep the full URL so collisions can be detected.
 *
 * Records: every value starts with a version byte; strings are stored with
 * their length and a terminating NUL, so a decoded record's strings point
 * straight into the value (no copy).  A decoded record read through a read
 * transaction stays valid until that transaction ends (LMDB's rule); one
 * decoded from a caller's buffer, as long as that buffer.  String lists
 * (categories, links, profiles, topics) are one string with '\n' between
 * items; use ms_strlist_next() to walk them.  Absent strings are NULL,
 * absent times MS_TIME_NONE.
 *
 * Concurrency: one writer at a time across processes (LMDB's lock), readers
 * never block and see the snapshot their transaction began with.  The store
 * is used from one thread per process.
 */
#ifndef MS_STORE_STORE_H
#define MS_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"

struct ms_err;
struct ms_buf;

#define MS_STORE_SCHEMA 1
#define MS_TIME_NONE INT64_MIN

/* ---------------------------------------------------------------- records */

enum ms_feed_state {
	MS_FEED_ACTIVE = 0,
	MS_FEED_DEAD = 1,	/* failed max_failures crawls in a row */
	MS_FEED_RETIRED = 2,	/* 410 Gone, or removed by a redirect */
};

enum ms_feed_kind {
	MS_FEED_USER = 0,	/* added by the user (feeds add/import/config) */
	MS_FEED_COMMENTS = 1,	/* a post's comment feed */
	MS_FEED_PAGE = 2,	/* a post's comment page (HTML) */
	MS_FEED_SITE = 3,	/* a discovered person's site or feed */
};

struct ms_feed_rec {
	const char *url;	/* normalized; never NULL in a stored record */
	const char *title;
	const char *site;	/* the feed's html link */
	const char *etag;
	const char *last_modified;
	const char *last_error;	/* the last failure, for `feeds list` */
	const char *topics;	/* per-feed topics from the config, '\n' list */
	const char *parent;	/* for comment feeds/pages: the post URL */
	const char *redirect_to;	/* a pending permanent redirect target */
	struct ms_hash digest;	/* of the last analysed body; zero = none */
	struct ms_hash sample;	/* a record that body stored: the posts key
				   of its first post, else the comments key
				   of its first comment; zero = none (or a
				   record from before version 2).  Written
				   with the digest, so ms_store_verify()
				   can tell validators without their
				   entries (RELIABILITY.md §4.6) */
	int64_t added;
	int64_t last_fetch;
	int64_t last_ok;
	int64_t next_fetch;	/* not before (back-off, Retry-After) */
	uint32_t failures;	/* consecutive failed crawls */
	uint32_t redirect_count;	/* times redirect_to was seen in a row */
	uint16_t last_status;	/* HTTP status of the last fetch, 0 none */
	uint8_t state;		/* enum ms_feed_state */
	uint8_t kind;		/* enum ms_feed_kind */
	uint8_t depth;		/* discovery depth: 0 for user feeds */
};

struct ms_post_rec {
	struct ms_hash feed;	/* feeds key of the feed it came from */
	struct ms_hash author;	/* people key; zero = unknown */
	const char *url;	/* the post's link (normalized) */
	const char *id;		/* guid / atom:id */
	const char *title;
	const char *author_name;
	const char *categories;	/* '\n' list */
	const char *links;	/* outbound absolute links, '\n' list */
	const char *comment_feed;
	const char *comments_url;
	const char *lang;	/* "en", "de", ... */
	const char *topics;	/* "hr=3.5\nleadership=1" topic=weight list */
	const char *summary;	/* plain text excerpt for --match, capped */
	int64_t published;
	int64_t updated;
	int64_t seen;		/* first stored */
	int32_t comment_count;	/* -1 unknown */
	int8_t comments_open;	/* -1 unknown, 0 closed, 1 open */
};

struct ms_comment_rec {
	struct ms_hash post;	/* posts key */
	struct ms_hash author;	/* people key; zero = unknown */
	struct ms_hash parent;	/* comments key replied to; zero = top */
	const char *id;
	const char *post_url;
	const char *author_name;
	const char *author_uri;
	const char *in_reply_to;	/* id or URL of the parent comment */
	int64_t published;
	uint8_t by_post_author;	/* marked as the post author's (engine) */
};

enum ms_person_flags {
	MS_PERSON_ME = 1 << 0,		/* the user from the config */
	MS_PERSON_AUTHOR = 1 << 1,	/* has written posts */
	MS_PERSON_COMMENTER = 1 << 2,	/* has written comments */
};

struct ms_person_rec {
	const char *ident;	/* "site:example.com/blog", "profile:...",
				   "name:Jane Doe@host" */
	const char *name;
	const char *site;	/* URL of their site */
	const char *feed;	/* URL of their feed */
	const char *profiles;	/* canonical profile URLs, '\n' list */
	int64_t first_seen;
	int64_t last_seen;
	uint32_t flags;		/* enum ms_person_flags */
};

enum ms_link_kind {
	MS_LINK_POST = 1 << 0,		/* a post links a post of theirs */
	MS_LINK_COMMENT = 1 << 1,	/* commented on their post */
	MS_LINK_REPLY = 1 << 2,		/* answered their comment */
};

struct ms_link_rec {
	uint32_t count;
	uint32_t kinds;		/* enum ms_link_kind bits */
	int64_t first;
	int64_t last;
};

struct ms_host_rec {
	const char *robots;	/* robots.txt body (capped), NULL = none */
	const char *cursor;	/* budget carry-over: last URL served */
	int64_t robots_fetched;
	int64_t robots_last_ok;	/* last good copy (kept ≤ 30 days) */
	int64_t next_allowed;	/* back-off / Retry-After */
	uint32_t crawl_delay_ms;
	uint32_t failures;
	uint16_t robots_status;
};

#define MS_SIGNALS 6
enum ms_signal {
	MS_SIG_FOCUS, MS_SIG_AUTHORITY, MS_SIG_RESPONSIVENESS,
	MS_SIG_AUDIENCE, MS_SIG_ACTIVITY, MS_SIG_REACHABILITY,
};
/* Names in enum order: "focus", "authority", ... */
extern const char *const ms_signal_names[MS_SIGNALS];

#define MS_EVIDENCE 12
enum ms_evidence {
	MS_EV_POSTS, MS_EV_POSTS_ON_TOPIC, MS_EV_COMMENTS_RECEIVED,
	MS_EV_COMMENTERS, MS_EV_POSTS_WITH_COMMENTS, MS_EV_POSTS_ANSWERED,
	MS_EV_REPLIES, MS_EV_MEDIAN_REPLY_S, MS_EV_LINKS_IN, MS_EV_LINKS_OUT,
	MS_EV_PROFILES, MS_EV_DAYS_SINCE_POST,
};
extern const char *const ms_evidence_names[MS_EVIDENCE];

struct ms_score_rec {
	struct ms_hash person;
	const char *topic;
	double score;
	double signals[MS_SIGNALS];
	int64_t evidence[MS_EVIDENCE];
	uint32_t flags;		/* ranker-defined (spam damping, roles) */
	const char *notes;	/* '\n' list of reasons ("damped: ...") */
	const char *steps;	/* engagement steps, '\n' list of
				   "action\turl\ttitle\twhy" */
	const char *lang;	/* the person's main language */
	uint8_t stage;		/* relationship stage with `me` */
};

struct ms_crawl_rec {
	int64_t started;
	int64_t finished;
	uint32_t fetched;
	uint32_t not_modified;
	uint32_t unchanged;	/* 200 with an unchanged digest */
	uint32_t errors;
	uint32_t new_posts;
	uint32_t new_comments;
	uint64_t bytes;
	const char *summary;	/* the one-line summary */
};

/* ------------------------------------------------------------------ codec */

/*
 * Encode a record into b (which is reset first).  Returns MS_OK or
 * MS_ETOOBIG when the buffer's cap is hit.
 */
int ms_feed_encode(const struct ms_feed_rec *r, struct ms_buf *b);
int ms_post_encode(const struct ms_post_rec *r, struct ms_buf *b);
int ms_comment_encode(const struct ms_comment_rec *r, struct ms_buf *b);
int ms_person_encode(const struct ms_person_rec *r, struct ms_buf *b);
int ms_link_encode(const struct ms_link_rec *r, struct ms_buf *b);
int ms_host_encode(const struct ms_host_rec *r, struct ms_buf *b);
int ms_score_encode(const struct ms_score_rec *r, struct ms_buf *b);
int ms_crawl_encode(const struct ms_crawl_rec *r, struct ms_buf *b);

/*
 * Decode len bytes at p.  Returns MS_OK, or MS_ECORRUPT with a message
 * naming the record type and the problem (truncated, unknown version N,
 * unterminated string, trailing bytes).  Never reads outside [p, p+len).
 * Strings in the result point into p.
 */
int ms_feed_decode(const void *p, size_t len, struct ms_feed_rec *r,
		   struct ms_err *err);
int ms_post_decode(const void *p, size_t len, struct ms_post_rec *r,
		   struct ms_err *err);
int ms_comment_decode(const void *p, size_t len, struct ms_comment_rec *r,
		      struct ms_err *err);
int ms_person_decode(const void *p, size_t len, struct ms_person_rec *r,
		     struct ms_err *err);
int ms_link_decode(const void *p, size_t len, struct ms_link_rec *r,
		   struct ms_err *err);
int ms_host_decode(const void *p, size_t len, struct ms_host_rec *r,
		   struct ms_err *err);
int ms_score_decode(const void *p, size_t len, struct ms_score_rec *r,
		    struct ms_err *err);
int ms_crawl_decode(const void *p, size_t len, struct ms_crawl_rec *r,
		    struct ms_err *err);

/*
 * Walk a '\n' list: returns a pointer to the next item and its length in
 * *n, advancing *cursor; NULL at the end.  Start with *cursor = list (NULL
 * lists are empty).
 */
const char *ms_strlist_next(const char **cursor, size_t *n);

/* Keys: the hash of the string that identifies the record. */
void ms_key_feed(const char *normalized_url, struct ms_hash *key);
void ms_key_post(const char *url_or_id, struct ms_hash *key);
void ms_key_comment(const char *id, struct ms_hash *key);
void ms_key_person(const char *ident, struct ms_hash *key);

/* ---------------------------------------------------------- environment */

struct ms_store;

enum ms_store_flags {
	MS_STORE_RDONLY = 1 << 0,	/* open read-only (discover, report) */
	MS_STORE_CREATE = 1 << 1,	/* create the directory (mode 0700) */
	MS_STORE_METASYNC = 1 << 2,	/* MDB_NOMETASYNC: may lose the last
					   commit on power loss, never corrupt */
};

/*
 * The store directory in force: dir if non-NULL, else $MENTORSCOUT_DB,
 * else $XDG_DATA_HOME/mentorscout, else ~/.local/share/mentorscout.
 * Returns a malloc'd path, or NULL when no HOME can be found.
 */
char *ms_store_default_dir(const char *dir);

/*
 * Open (and with MS_STORE_CREATE create) the store in dir.  Clears stale
 * reader slots.  Errors: MS_ENOTFOUND (no store there; run init),
 * MS_EVERSION (written by a newer mentorscout: the message names both
 * schema versions), MS_ECORRUPT (data.mdb is not an LMDB file), MS_ESTORE
 * (LMDB's message), MS_EIO, MS_EFULL.  RDONLY never creates anything but
 * LMDB's lock file, and works while another process writes.
 * map_size 0 means the default (64 GiB on 64-bit; where the address
 * space is limited — ulimit -v, valgrind — the largest of 16 GiB, 4 GiB,
 * 1 GiB and 256 MiB that can be mapped, growing on demand as any map);
 * tests pass small sizes to exercise growth.  The directory and its files
 * are made private (0700, 0600) when open creates them.
 */
int ms_store_open(const char *dir, unsigned flags, size_t map_size,
		  struct ms_store **out, struct ms_err *err);
void ms_store_close(struct ms_store *st);
const char *ms_store_dir(const struct ms_store *st);
/* Current map size in bytes (grows as needed). */
size_t ms_store_map_size(struct ms_store *st);
/* Number of times the map has grown since open. */
unsigned ms_store_grow_count(const struct ms_store *st);
/* Stale reader slots (of killed processes) that open cleared. */
unsigned ms_store_readers_cleared(const struct ms_store *st);

/* Per-table record counts. */
struct ms_store_stats {
	size_t feeds, posts, comments, people, links, hosts, scores, crawls;
	size_t outbox;
	size_t map_size, used_bytes;
};
int ms_store_stats(struct ms_store *st, struct ms_store_stats *out,
		   struct ms_err *err);

/* -------------------------------------------------------------- reading */

struct ms_rtxn;

/*
 * A read-only snapshot.  Never blocks and is never blocked by a writer.
 * Keep it short: an open snapshot pins old pages, and while one is open
 * this process cannot grow the map (a commit that needs to gives
 * MS_EFULL).  Several may be open at once.
 */
int ms_store_read_begin(struct ms_store *st, struct ms_rtxn **out,
			struct ms_err *err);
void ms_store_read_end(struct ms_rtxn *t);

/* Lookups: MS_OK, MS_ENOTFOUND, or MS_ECORRUPT. */
int ms_store_get_feed(struct ms_rtxn *t, const char *url,
		      struct ms_feed_rec *r, struct ms_err *err);
int ms_store_get_post(struct ms_rtxn *t, const struct ms_hash *key,
		      struct ms_post_rec *r, struct ms_err *err);
int ms_store_get_person(struct ms_rtxn *t, const struct ms_hash *key,
			struct ms_person_rec *r, struct ms_err *err);
int ms_store_get_host(struct ms_rtxn *t, const char *host,
		      struct ms_host_rec *r, struct ms_err *err);
/* A meta value; *p points into the snapshot. */
int ms_store_get_meta(struct ms_rtxn *t, const char *name, const void **p,
		      size_t *len, struct ms_err *err);

/*
 * Iterate a table in key order, calling fn for each record; fn returns 0 to
 * go on, anything else to stop (returned as is).  A record that does not
 * decode stops the walk with MS_ECORRUPT naming the table.
 */
typedef int (*ms_feed_fn)(const struct ms_hash *key,
			  const struct ms_feed_rec *r, void *ctx);
typedef int (*ms_post_fn)(const struct ms_hash *key,
			  const struct ms_post_rec *r, void *ctx);
typedef int (*ms_comment_fn)(const struct ms_hash *key,
			     const struct ms_comment_rec *r, void *ctx);
typedef int (*ms_person_fn)(const struct ms_hash *key,
			    const struct ms_person_rec *r, void *ctx);
typedef int (*ms_link_fn)(const struct ms_hash *from,
			  const struct ms_hash *to,
			  const struct ms_link_rec *r, void *ctx);
typedef int (*ms_crawl_fn)(const struct ms_crawl_rec *r, void *ctx);
typedef int (*ms_host_fn)(const char *host, const struct ms_host_rec *r,
			  void *ctx);
typedef int (*ms_score_fn)(const struct ms_score_rec *r, void *ctx);

int ms_store_each_feed(struct ms_rtxn *t, ms_feed_fn fn, void *ctx,
		       struct ms_err *err);
int ms_store_each_post(struct ms_rtxn *t, ms_post_fn fn, void *ctx,
		       struct ms_err *err);
int ms_store_each_comment(struct ms_rtxn *t, ms_comment_fn fn, void *ctx,
			  struct ms_err *err);
int ms_store_each_person(struct ms_rtxn *t, ms_person_fn fn, void *ctx,
			 struct ms_err *err);
int ms_store_each_link(struct ms_rtxn *t, ms_link_fn fn, void *ctx,
		       struct ms_err *err);
int ms_store_each_host(struct ms_rtxn *t, ms_host_fn fn, void *ctx,
		       struct ms_err *err);
/* The crawl log, newest first. */
int ms_store_each_crawl(struct ms_rtxn *t, ms_crawl_fn fn, void *ctx,
			struct ms_err *err);
/* The outbox, in virtual shard order (v < 0: every shard, else only v).
 * A store written before the outbox existed has an empty one. */
typedef int (*ms_outbox_fn)(unsigned v, const struct ms_feed_rec *r,
			    void *ctx);
int ms_store_each_outbox(struct ms_rtxn *t, int v, ms_outbox_fn fn,
			 void *ctx, struct ms_err *err);

/*
 * The current ranking (meta "rank_gen"): the scores of one topic, best
 * first, at most limit (0 = all); read straight from the sorted index.
 */
int ms_store_top(struct ms_rtxn *t, const char *topic, size_t limit,
		 ms_score_fn fn, void *ctx, struct ms_err *err);
/* Every topic score of one person in the current ranking. */
int ms_store_person_scores(struct ms_rtxn *t, const struct ms_hash *person,
			   ms_score_fn fn, void *ctx, struct ms_err *err);
/* The generation the current ranking lives in (0: none yet). */
uint32_t ms_store_rank_gen(struct ms_rtxn *t);

/* -------------------------------------------------------------- writing */

/*
 * A batch: writes are recorded in memory and applied in one LMDB write
 * transaction by ms_store_batch_commit().  When the map is full the
 * transaction is aborted, the map grown and the batch applied again, so a
 * batch is all or nothing.  Keep batches bounded (≤ ~1,000 documents or
 * ~2 s): `feeds add` during a crawl waits for one.
 *
 * Only a batch too large for one LMDB transaction (MDB_TXN_FULL, about
 * 128K dirty pages) is applied in several, in order; so put a document's
 * records before its feed's validators and digest, and a ranking's scores
 * before its switch_rank, and a crash in between loses nothing.
 *
 * The put functions copy what they are given (the caller may free it at
 * once).  A record that cannot be stored (over 16 MiB encoded, a key over
 * 511 bytes, a missing url/id/ident/topic) makes the commit fail with
 * MS_ETOOBIG or MS_ECORRUPT naming it, applying nothing.
 */
struct ms_batch;

struct ms_batch *ms_store_batch_new(struct ms_store *st);
/* Operations recorded so far, and their encoded size in bytes. */
size_t ms_batch_ops(const struct ms_batch *b);
size_t ms_batch_bytes(const struct ms_batch *b);

void ms_batch_put_feed(struct ms_batch *b, const struct ms_feed_rec *r);
void ms_batch_del_feed(struct ms_batch *b, const char *url);
/* Insert only when the URL is not stored yet (discovered URLs, `feeds
 * add`); an existing record is left as it is. */
void ms_batch_add_feed(struct ms_batch *b, const struct ms_feed_rec *r);
/* Put unless the stored record of that URL was fetched later (merging
 * shard stores: the freshest state of a feed wins; on a tie the stored
 * one stays). */
void ms_batch_merge_feed(struct ms_batch *b, const struct ms_feed_rec *r);
/* The outbox of virtual shard v (0..255): put a URL found for it, or
 * delete one that was handed on. */
void ms_batch_put_outbox(struct ms_batch *b, unsigned v,
			 const struct ms_feed_rec *r);
void ms_batch_del_outbox(struct ms_batch *b, unsigned v, const char *url);
/* Put a post, keyed by ms_key_post(url, else id); an existing one keeps
 * its `seen` time. */
void ms_batch_put_post(struct ms_batch *b, const struct ms_post_rec *r);
void ms_batch_put_comment(struct ms_batch *b, const struct ms_comment_rec *r);
/* Merge into the stored person: names and URLs fill gaps, profiles are
 * united, flags or'ed, first/last seen widened. */
void ms_batch_merge_person(struct ms_batch *b, const struct ms_person_rec *r);
/* Add to the stored link from → to (if any): counts summed, kinds or'ed,
 * first/last widened. */
void ms_batch_put_link(struct ms_batch *b, const struct ms_hash *from,
		       const struct ms_hash *to, const struct ms_link_rec *r);
/* Drop the whole people graph (before the ranker writes a new one). */
void ms_batch_clear_links(struct ms_batch *b);
void ms_batch_put_host(struct ms_batch *b, const char *host,
		       const struct ms_host_rec *r);
void ms_batch_put_crawl(struct ms_batch *b, const struct ms_crawl_rec *r);
void ms_batch_put_meta(struct ms_batch *b, const char *name, const void *p,
		       size_t len);
/* Put a score into generation gen (both indexes), replacing the
 * person's score for that topic in gen.  Generations start at 1. */
void ms_batch_put_score(struct ms_batch *b, uint32_t gen,
			const struct ms_score_rec *r);
/* Make gen the current ranking and delete every other generation. */
void ms_batch_switch_rank(struct ms_batch *b, uint32_t gen);

/*
 * Apply and free the batch.  Errors: MS_EFULL (the disk is full: nothing of
 * the batch was stored, the message names the store directory; or the map
 * had to grow while a read snapshot of this process was open, which LMDB
 * cannot do), MS_ESTORE (also: the store is open read-only), MS_EIO, and
 * the recording errors above.
 */
int ms_store_batch_commit(struct ms_batch *b, struct ms_err *err);
/* Drop the batch unapplied. */
void ms_store_batch_free(struct ms_batch *b);

/* -------------------------------------------------------------- merging */

struct ms_merge_stats {
	size_t feeds, posts, comments, people, hosts;	/* records read */
	size_t commits;
};

/*
 * Add the records of store `from` (a shard's) to store `into`, as a crawl
 * would have written them: feeds by freshest fetch (ms_batch_merge_feed),
 * posts merged (ms_batch_put_post: gaps filled, first `seen` kept),
 * comments, people merged (ms_batch_merge_person: profiles united, flags
 * or'ed), hosts.  Not copied: links and scores (the ranker derives them:
 * rank `into` afterwards), the crawl log, meta and the outbox.  Reads
 * one snapshot of `from`; writes bounded batches, so a merge stopped
 * half-way is completed by running it again (every operation is
 * idempotent).  Adds to the counts in *s.
 */
int ms_store_merge(struct ms_store *into, struct ms_store *from,
		   struct ms_merge_stats *s, struct ms_err *err);

/* ------------------------------------------------------------ verifying */

/* Problems kept in words (the first ones found). */
#define MS_VERIFY_MSGS 16

/*
 * What ms_store_verify() found.  Counts are of records walked; problems
 * are counted by kind and the first MS_VERIFY_MSGS described in msgs.
 */
struct ms_verify_report {
	size_t meta, feeds, posts, comments, people, links, hosts, scores,
	       pscores, crawls, outbox;
	uint32_t rank_gen;	/* the current ranking (0: none) */

	/* Problems: a healthy store has none of these. */
	size_t undecodable;	/* a value that does not decode, or a key
				   of the wrong shape for its table */
	size_t bad_keys;	/* a key that is not the hash of what
				   identifies its record */
	size_t duplicates;	/* one post stored under two keys */
	size_t score_mismatches;	/* scores and pscores disagree */
	size_t old_generations;	/* scores of a generation below the
				   current one (the switch deletes them) */
	size_t orphan_validators;	/* validators or a digest without
					   the entries of that body
					   (RELIABILITY.md §4.6) */
	size_t problems;	/* the sum of the six above */

	/* Notes, not problems. */
	size_t pending_scores;	/* scores of a generation above the
				   current one: a rank was interrupted
				   (the next rank deletes them) */
	size_t empty_feeds;	/* posts feeds whose last body stored no
				   entry (nothing for §4.6 to miss) */

	/* The entry set, order-independent: the sum of the hashes of each
	 * post's URL (else id) and title and each comment's id, so two
	 * stores hold the same entries when counts and fingerprints agree
	 * (the crash tests compare a resumed crawl with a reference). */
	struct ms_hash fingerprint;

	size_t nmsgs;
	char msgs[MS_VERIFY_MSGS][256];
};

/*
 * Check the store's integrity in one read snapshot:
 *   - every record of every table decodes, and every key has its table's
 *     shape (meta: schema, rank_gen and rank_time of the right size);
 *   - keys agree with records: feeds = ms_key_feed(url), posts =
 *     ms_key_post(url, else id), comments = ms_key_comment(id), people =
 *     ms_key_person(ident), crawls = started (u64 BE);
 *   - no post is stored twice: two records with one URL, or a record
 *     without URL keyed by an id that a record with a URL also carries;
 *   - scores and pscores are one index: each entry of one has its twin in
 *     the other with the same value, its key matches its record (topic,
 *     person, score order), and no generation below rank_gen remains;
 *   - §4.6, validators only with their entries: a feed with validators
 *     (etag, last_modified) has a digest (they come only with an analysed
 *     body), and a feed with a digest has its `sample` — a post or
 *     comment of that body, written in the same commit — in the posts or
 *     comments table.  A zero sample means the body stored no entry (an
 *     empty feed, or entries without link or id) or the record predates
 *     feed version 2: nothing to look for; posts feeds (USER, SITE,
 *     ACTIVE) like that are counted in empty_feeds.  A post's `feed` is
 *     not used: it names the last source that stored the post (its
 *     comment page, or another feed carrying it), so a posts feed may
 *     rightly have no post naming it.
 * Returns MS_OK when the walk completed, whatever it found (see
 * out->problems), or MS_ESTORE / MS_EIO when the store cannot be read.
 */
int ms_store_verify(struct ms_store *st, struct ms_verify_report *out,
		    struct ms_err *err);

#endif
