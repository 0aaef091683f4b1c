/*
 * hash.h — the one stable 128-bit hash used for store keys, body digests and
 * shard assignment: MurmurHash3 x64_128 (Austin Appleby, public domain) with
 * seed 0, bytes read little-endian so the value is the same on every
 * platform and release.  Not a cryptographic hash: collisions on keys are
 * detected by comparing the stored URL (RELIABILITY.md §4.4).
 */
#ifndef MS_UTIL_HASH_H
#define MS_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define MS_HASH_LEN 16

struct ms_hash {
	unsigned char b[MS_HASH_LEN];	/* big-endian h1 then h2 */
};

void ms_hash128(const void *data, size_t len, uint32_t seed,
		struct ms_hash *out);
/* Hash a C string with seed 0. */
void ms_hash_str(const char *s, struct ms_hash *out);
/* The first 64 bits as an integer (for shard picks and hash tables). */
uint64_t ms_hash_u64(const struct ms_hash *h);
/* 1 when every byte is zero (the "none" value of key fields). */
int ms_hash_is_zero(const struct ms_hash *h);
/* 32 lower-case hex digits and a NUL into out[33]. */
void ms_hash_hex(const struct ms_hash *h, char out[33]);
/* Parse 32 hex digits; 0 on success, -1 otherwise. */
int ms_hash_from_hex(const char *s, struct ms_hash *out);

#endif
