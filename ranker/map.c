/*
 * map.c — the two hash maps the ranker's model needs: 128-bit store keys
 * to dense ids (people, posts) and strings to ids (sites, hosts, topics).
 * Open addressing with linear probing at a load of at most one half keeps
 * a lookup to one or two cache lines, which is what a million-post load
 * spends its time on.
 */
#include "ranker/internal.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

static size_t
pow2_for(size_t expect)
{
	size_t cap = 16;

	while (cap < expect * 2)
		cap *= 2;
	return cap;
}

static uint64_t
key_bits(const struct ms_hash *k)
{
	uint64_t h;

	/* The keys are murmur3 output already: any 8 bytes are uniform. */
	memcpy(&h, k->b, sizeof(h));
	return h;
}

void
rk_hmap_init(struct rk_hmap *m, size_t expect)
{
	m->cap = pow2_for(expect);
	m->n = 0;
	m->slots = ms_xmalloc(m->cap * sizeof(*m->slots));
	for (size_t i = 0; i < m->cap; i++)
		m->slots[i].v = RK_NONE;
}

void
rk_hmap_release(struct rk_hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* Two 8-byte compares instead of a memcmp call: this is the load's
 * innermost loop (every post and comment looks up its people). */
static int
same_key(const struct ms_hash *a, const struct ms_hash *b)
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, a->b, 8);
	memcpy(&a1, a->b + 8, 8);
	memcpy(&b0, b->b, 8);
	memcpy(&b1, b->b + 8, 8);
	return a0 == b0 && a1 == b1;
}

uint32_t
rk_hmap_get(const struct rk_hmap *m, const struct ms_hash *k)
{
	size_t mask = m->cap - 1, i;

	if (!m->cap)
		return RK_NONE;
	for (i = key_bits(k) & mask; m->slots[i].v != RK_NONE;
	     i = (i + 1) & mask)
		if (same_key(&m->slots[i].k, k))
			return m->slots[i].v;
	return RK_NONE;
}

static void
hmap_grow(struct rk_hmap *m)
{
	struct rk_hmap bigger;

	rk_hmap_init(&bigger, m->cap);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].v != RK_NONE)
			rk_hmap_put(&bigger, &m->slots[i].k, m->slots[i].v);
	free(m->slots);
	*m = bigger;
}

uint32_t
rk_hmap_put(struct rk_hmap *m, const struct ms_hash *k, uint32_t v)
{
	size_t mask, i;

	if (!m->cap)
		rk_hmap_init(m, 8);
	if ((m->n + 1) * 2 > m->cap)
		hmap_grow(m);
	mask = m->cap - 1;
	for (i = key_bits(k) & mask; m->slots[i].v != RK_NONE;
	     i = (i + 1) & mask)
		if (same_key(&m->slots[i].k, k))
			return m->slots[i].v;
	m->slots[i].k = *k;
	m->slots[i].v = v;
	m->n++;
	return v;
}

/* FNV-1a with a final avalanche: short keys, no need for murmur's 128 bits. */
static uint64_t
str_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void
rk_smap_init(struct rk_smap *m, size_t expect)
{
	m->cap = pow2_for(expect);
	m->n = 0;
	m->slots = ms_xcalloc(m->cap, sizeof(*m->slots));
}

void
rk_smap_release(struct rk_smap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static struct rk_sslot *
smap_find(const struct rk_smap *m, const char *s, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1, i;

	for (i = h & mask; m->slots[i].s; i = (i + 1) & mask) {
		struct rk_sslot *sl = &m->slots[i];

		if (sl->h == h && sl->len == len && !memcmp(sl->s, s, len))
			return sl;
	}
	return &m->slots[i];
}

uint32_t
rk_smap_get(const struct rk_smap *m, const char *s, size_t len)
{
	struct rk_sslot *sl;

	if (!m->cap)
		return RK_NONE;
	sl = smap_find(m, s, len, str_hash(s, len));
	return sl->s ? sl->v : RK_NONE;
}

uint32_t
rk_smap_put(struct rk_smap *m, const char *s, size_t len, uint32_t v)
{
	uint64_t h = str_hash(s, len);
	struct rk_sslot *sl;

	if (!m->cap)
		rk_smap_init(m, 8);
	if ((m->n + 1) * 2 > m->cap) {
		struct rk_smap bigger;

		rk_smap_init(&bigger, m->cap);
		for (size_t i = 0; i < m->cap; i++) {
			struct rk_sslot *o = &m->slots[i];

			if (o->s)
				*smap_find(&bigger, o->s, o->len, o->h) = *o;
		}
		bigger.n = m->n;
		free(m->slots);
		*m = bigger;
	}
	sl = smap_find(m, s, len, h);
	if (sl->s)
		return sl->v;
	sl->h = h;
	sl->s = s;
	sl->len = (uint32_t)len;
	sl->v = v;
	m->n++;
	return v;
}
