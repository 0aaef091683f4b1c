/*
 * shard.h — which worker crawls which host when a crawl is split over
 * several processes or machines (RELIABILITY.md §6.2).
 *
 * Hosts fall into MS_SHARD_VIRTUAL = 64 virtual shards, fixed forever:
 *
 *   v(host) = first 64 bits of MurmurHash3 x64_128(seed 0) of the host,
 *             lower-cased (ASCII) and without a trailing dot, mod 64
 *
 * (util/hash.h: the bytes are read little-endian, so the value is the same
 * on every platform; the golden vectors in tests/util/test_shard.c pin
 * it).  Worker k of n (0 ≤ k < n ≤ 64) owns the virtual shards v with
 * v mod n == k, so every host belongs to exactly one worker and politeness
 * holds across machines.  The host is the URL's host as the normalizer
 * writes it (util/url.h), without the port: one name, one shard.
 */
#ifndef MS_UTIL_SHARD_H
#define MS_UTIL_SHARD_H

#include <stdbool.h>

struct ms_err;

#define MS_SHARD_VIRTUAL 64

/* A worker's place: index k of n workers; n == 0 means not sharded. */
struct ms_shard {
	unsigned k, n;
	/* Where k came from: "--shard", "MENTORSCOUT_SHARD",
	 * "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", or NULL. */
	const char *source;
};

/* The virtual shard of a host name (0..63). */
unsigned ms_shard_virtual(const char *host);
/* The virtual shard of an absolute URL's host; -1 when it has none. */
int ms_shard_virtual_url(const char *url);
/* Does worker s own virtual shard v?  (Unsharded owns everything.) */
bool ms_shard_owns(const struct ms_shard *s, unsigned v);
/* Does worker s own the host of url?  A URL without a host is owned by
 * nobody but an unsharded crawl. */
bool ms_shard_owns_url(const struct ms_shard *s, const char *url);

/*
 * Parse "K/N" (or "K" when nenv names a variable holding N, e.g.
 * MENTORSCOUT_SHARDS) into s.  what names the source in messages.
 * MS_EUSAGE with a message naming what when the text is not a number,
 * K ≥ N, N = 0 or N > 64.
 */
int ms_shard_parse(const char *text, const char *what, struct ms_shard *s,
		   struct ms_err *err);

/*
 * The shard of this run, by precedence (RELIABILITY.md §6.2):
 *   1. flag ("K/N", or "K" with MENTORSCOUT_SHARDS=N), from --shard;
 *   2. MENTORSCOUT_SHARD=K/N;
 *   3. JOB_COMPLETION_INDEX=K (a Kubernetes Indexed Job) with
 *      MENTORSCOUT_SHARDS=N (the Job does not export its count);
 *   4. SLURM_ARRAY_TASK_ID=K (a Slurm job array) with MENTORSCOUT_SHARDS=N,
 *      else SLURM_ARRAY_TASK_COUNT=N;
 *   5. not sharded (s->n = 0).
 * Each failure is MS_EUSAGE naming the variable (or --shard) and its
 * value: not a number, out of range (K ≥ N), or no count to go with it.
 */
int ms_shard_select(const char *flag, struct ms_shard *s, struct ms_err *err);

#endif
