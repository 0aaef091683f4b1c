/* hash.c — MurmurHash3 x64_128, endian-independent (see hash.h). */
#include "util/hash.h"

#include <string.h>

static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static uint64_t
load64le(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void
ms_hash128(const void *data, size_t len, uint32_t seed, struct ms_hash *out)
{
	const unsigned char *p = data;
	const size_t nblocks = len / 16;
	const uint64_t c1 = 0x87c37b91114253d5ULL;
	const uint64_t c2 = 0x4cf5ad432745937fULL;
	uint64_t h1 = seed, h2 = seed, k1, k2;
	const unsigned char *tail;

	for (size_t i = 0; i < nblocks; i++) {
		k1 = load64le(p + i * 16);
		k2 = load64le(p + i * 16 + 8);
		k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
		h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
		k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
		h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
	}
	tail = p + nblocks * 16;
	k1 = k2 = 0;
	switch (len & 15) {
	case 15: k2 ^= (uint64_t)tail[14] << 48; /* fall through */
	case 14: k2 ^= (uint64_t)tail[13] << 40; /* fall through */
	case 13: k2 ^= (uint64_t)tail[12] << 32; /* fall through */
	case 12: k2 ^= (uint64_t)tail[11] << 24; /* fall through */
	case 11: k2 ^= (uint64_t)tail[10] << 16; /* fall through */
	case 10: k2 ^= (uint64_t)tail[9] << 8;   /* fall through */
	case 9:
		k2 ^= (uint64_t)tail[8];
		k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
		/* fall through */
	case 8: k1 ^= (uint64_t)tail[7] << 56; /* fall through */
	case 7: k1 ^= (uint64_t)tail[6] << 48; /* fall through */
	case 6: k1 ^= (uint64_t)tail[5] << 40; /* fall through */
	case 5: k1 ^= (uint64_t)tail[4] << 32; /* fall through */
	case 4: k1 ^= (uint64_t)tail[3] << 24; /* fall through */
	case 3: k1 ^= (uint64_t)tail[2] << 16; /* fall through */
	case 2: k1 ^= (uint64_t)tail[1] << 8;  /* fall through */
	case 1:
		k1 ^= (uint64_t)tail[0];
		k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
	}
	h1 ^= (uint64_t)len;
	h2 ^= (uint64_t)len;
	h1 += h2;
	h2 += h1;
	h1 = fmix64(h1);
	h2 = fmix64(h2);
	h1 += h2;
	h2 += h1;
	for (int i = 0; i < 8; i++) {
		out->b[i] = (unsigned char)(h1 >> (56 - 8 * i));
		out->b[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
	}
}

void
ms_hash_str(const char *s, struct ms_hash *out)
{
	ms_hash128(s, strlen(s), 0, out);
}

uint64_t
ms_hash_u64(const struct ms_hash *h)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | h->b[i];
	return v;
}

int
ms_hash_is_zero(const struct ms_hash *h)
{
	for (int i = 0; i < MS_HASH_LEN; i++)
		if (h->b[i])
			return 0;
	return 1;
}

void
ms_hash_hex(const struct ms_hash *h, char out[33])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < MS_HASH_LEN; i++) {
		out[2 * i] = hex[h->b[i] >> 4];
		out[2 * i + 1] = hex[h->b[i] & 15];
	}
	out[32] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
ms_hash_from_hex(const char *s, struct ms_hash *out)
{
	for (int i = 0; i < MS_HASH_LEN; i++) {
		int hi = hexval(s[2 * i]), lo;

		if (hi < 0)
			return -1;
		lo = hexval(s[2 * i + 1]);
		if (lo < 0)
			return -1;
		out->b[i] = (unsigned char)(hi << 4 | lo);
	}
	return s[32] == '\0' ? 0 : -1;
}
