/*
 * codec.c — the store's record encodings, their keys and the signal and
 * evidence names.
 *
 * Every record is described by a table of its fields (type, offset in the
 * struct, name); one encoder and one decoder walk those tables, so adding
 * a field is one row and a version bump.  Encoding:
 *
 *   version   one byte, first (the record's version: 2 for feeds, 1 for
 *             the others)
 *   string    varint (length + 1), 0 for NULL; then length bytes and a NUL,
 *             so a decoded string points into the value (zero-copy)
 *   unsigned  varint: LEB128, 7 bits a byte, least significant first,
 *             canonical (no trailing zero byte), at most 10 bytes
 *   signed    zigzag, then varint (MS_TIME_NONE costs 10 bytes, -1 one)
 *   hash      16 raw bytes
 *   double    8 bytes, the IEEE 754 bits little-endian
 *
 * Fields follow in table order and are all present; nothing may follow
 * the last one.  A record type's later versions only append fields (each
 * row says since which version it exists): a value of an older version
 * decodes with the newer fields zero, and is written back in the newest.
 * Feed version 2 added `sample` (for the store's verifier).
 *
 * The decoder checks every length against the bytes left before reading,
 * the range of each integer against its C type, and that a string's NUL
 * is where its length says and nowhere before, so a truncated, flipped or
 * padded value gives MS_ECORRUPT, never a read outside the value.
 */
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/hash.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

const char *const ms_signal_names[MS_SIGNALS] = {
	"focus", "authority", "responsiveness", "audience", "activity",
	"reachability",
};

const char *const ms_evidence_names[MS_EVIDENCE] = {
	"posts", "posts_on_topic", "comments_received", "commenters",
	"posts_with_comments", "posts_answered", "replies", "median_reply_s",
	"links_in", "links_out", "profiles", "days_since_post",
};

enum ftype {
	F_STR,		/* const char *, may be NULL */
	F_REQSTR,	/* const char *, never NULL */
	F_HASH,		/* struct ms_hash */
	F_I64, F_I32, F_I8,
	F_U64, F_U32, F_U16, F_U8,
	F_F64,
};

struct field {
	unsigned char type;	/* enum ftype */
	unsigned char count;	/* array length; 1 for a plain field */
	unsigned short off;	/* offsetof in the record struct */
	const char *name;
	unsigned char since;	/* the record version that added it */
};

struct recdesc {
	const char *name;	/* "feed": used in error messages */
	unsigned char version;	/* the newest, which encode writes */
	size_t size;		/* sizeof the record struct */
	const struct field *fields;
	size_t nfields;
};

#define FLD(st, t, m) { t, 1, offsetof(st, m), #m, 1 }
#define FLDV(st, t, m, v) { t, 1, offsetof(st, m), #m, v }
#define ARR(st, t, m, n) { t, n, offsetof(st, m), #m, 1 }
#define DESC(nm, st, tab) DESCV(nm, st, tab, 1)
#define DESCV(nm, st, tab, v)                                                 \
	{ nm, v, sizeof(st), tab, sizeof(tab) / sizeof(tab[0]) }

/* Layouts: append new fields at the end, since a new version (FLDV). */
static const struct field feed_fields[] = {
	FLD(struct ms_feed_rec, F_REQSTR, url),
	FLD(struct ms_feed_rec, F_STR, title),
	FLD(struct ms_feed_rec, F_STR, site),
	FLD(struct ms_feed_rec, F_STR, etag),
	FLD(struct ms_feed_rec, F_STR, last_modified),
	FLD(struct ms_feed_rec, F_STR, last_error),
	FLD(struct ms_feed_rec, F_STR, topics),
	FLD(struct ms_feed_rec, F_STR, parent),
	FLD(struct ms_feed_rec, F_STR, redirect_to),
	FLD(struct ms_feed_rec, F_HASH, digest),
	FLD(struct ms_feed_rec, F_I64, added),
	FLD(struct ms_feed_rec, F_I64, last_fetch),
	FLD(struct ms_feed_rec, F_I64, last_ok),
	FLD(struct ms_feed_rec, F_I64, next_fetch),
	FLD(struct ms_feed_rec, F_U32, failures),
	FLD(struct ms_feed_rec, F_U32, redirect_count),
	FLD(struct ms_feed_rec, F_U16, last_status),
	FLD(struct ms_feed_rec, F_U8, state),
	FLD(struct ms_feed_rec, F_U8, kind),
	FLD(struct ms_feed_rec, F_U8, depth),
	FLDV(struct ms_feed_rec, F_HASH, sample, 2),
};

static const struct field post_fields[] = {
	FLD(struct ms_post_rec, F_HASH, feed),
	FLD(struct ms_post_rec, F_HASH, author),
	FLD(struct ms_post_rec, F_STR, url),
	FLD(struct ms_post_rec, F_STR, id),
	FLD(struct ms_post_rec, F_STR, title),
	FLD(struct ms_post_rec, F_STR, author_name),
	FLD(struct ms_post_rec, F_STR, categories),
	FLD(struct ms_post_rec, F_STR, links),
	FLD(struct ms_post_rec, F_STR, comment_feed),
	FLD(struct ms_post_rec, F_STR, comments_url),
	FLD(struct ms_post_rec, F_STR, lang),
	FLD(struct ms_post_rec, F_STR, topics),
	FLD(struct ms_post_rec, F_STR, summary),
	FLD(struct ms_post_rec, F_I64, published),
	FLD(struct ms_post_rec, F_I64, updated),
	FLD(struct ms_post_rec, F_I64, seen),
	FLD(struct ms_post_rec, F_I32, comment_count),
	FLD(struct ms_post_rec, F_I8, comments_open),
};

static const struct field comment_fields[] = {
	FLD(struct ms_comment_rec, F_HASH, post),
	FLD(struct ms_comment_rec, F_HASH, author),
	FLD(struct ms_comment_rec, F_HASH, parent),
	FLD(struct ms_comment_rec, F_STR, id),
	FLD(struct ms_comment_rec, F_STR, post_url),
	FLD(struct ms_comment_rec, F_STR, author_name),
	FLD(struct ms_comment_rec, F_STR, author_uri),
	FLD(struct ms_comment_rec, F_STR, in_reply_to),
	FLD(struct ms_comment_rec, F_I64, published),
	FLD(struct ms_comment_rec, F_U8, by_post_author),
};

static const struct field person_fields[] = {
	FLD(struct ms_person_rec, F_REQSTR, ident),
	FLD(struct ms_person_rec, F_STR, name),
	FLD(struct ms_person_rec, F_STR, site),
	FLD(struct ms_person_rec, F_STR, feed),
	FLD(struct ms_person_rec, F_STR, profiles),
	FLD(struct ms_person_rec, F_I64, first_seen),
	FLD(struct ms_person_rec, F_I64, last_seen),
	FLD(struct ms_person_rec, F_U32, flags),
};

static const struct field link_fields[] = {
	FLD(struct ms_link_rec, F_U32, count),
	FLD(struct ms_link_rec, F_U32, kinds),
	FLD(struct ms_link_rec, F_I64, first),
	FLD(struct ms_link_rec, F_I64, last),
};

static const struct field host_fields[] = {
	FLD(struct ms_host_rec, F_STR, robots),
	FLD(struct ms_host_rec, F_STR, cursor),
	FLD(struct ms_host_rec, F_I64, robots_fetched),
	FLD(struct ms_host_rec, F_I64, robots_last_ok),
	FLD(struct ms_host_rec, F_I64, next_allowed),
	FLD(struct ms_host_rec, F_U32, crawl_delay_ms),
	FLD(struct ms_host_rec, F_U32, failures),
	FLD(struct ms_host_rec, F_U16, robots_status),
};

static const struct field score_fields[] = {
	FLD(struct ms_score_rec, F_HASH, person),
	FLD(struct ms_score_rec, F_REQSTR, topic),
	FLD(struct ms_score_rec, F_F64, score),
	ARR(struct ms_score_rec, F_F64, signals, MS_SIGNALS),
	ARR(struct ms_score_rec, F_I64, evidence, MS_EVIDENCE),
	FLD(struct ms_score_rec, F_U32, flags),
	FLD(struct ms_score_rec, F_STR, notes),
	FLD(struct ms_score_rec, F_STR, steps),
	FLD(struct ms_score_rec, F_STR, lang),
	FLD(struct ms_score_rec, F_U8, stage),
};

static const struct field crawl_fields[] = {
	FLD(struct ms_crawl_rec, F_I64, started),
	FLD(struct ms_crawl_rec, F_I64, finished),
	FLD(struct ms_crawl_rec, F_U32, fetched),
	FLD(struct ms_crawl_rec, F_U32, not_modified),
	FLD(struct ms_crawl_rec, F_U32, unchanged),
	FLD(struct ms_crawl_rec, F_U32, errors),
	FLD(struct ms_crawl_rec, F_U32, new_posts),
	FLD(struct ms_crawl_rec, F_U32, new_comments),
	FLD(struct ms_crawl_rec, F_U64, bytes),
	FLD(struct ms_crawl_rec, F_STR, summary),
};

static const struct recdesc feed_desc =
	DESCV("feed", struct ms_feed_rec, feed_fields, 2);
static const struct recdesc post_desc =
	DESC("post", struct ms_post_rec, post_fields);
static const struct recdesc comment_desc =
	DESC("comment", struct ms_comment_rec, comment_fields);
static const struct recdesc person_desc =
	DESC("person", struct ms_person_rec, person_fields);
static const struct recdesc link_desc =
	DESC("link", struct ms_link_rec, link_fields);
static const struct recdesc host_desc =
	DESC("host", struct ms_host_rec, host_fields);
static const struct recdesc score_desc =
	DESC("score", struct ms_score_rec, score_fields);
static const struct recdesc crawl_desc =
	DESC("crawl", struct ms_crawl_rec, crawl_fields);

/* Size in bytes of each field type in the C struct. */
static size_t
ctype_size(enum ftype t)
{
	switch (t) {
	case F_STR:
	case F_REQSTR:
		return sizeof(const char *);
	case F_HASH:
		return sizeof(struct ms_hash);
	case F_I64:
	case F_U64:
	case F_F64:
		return 8;
	case F_I32:
	case F_U32:
		return 4;
	case F_U16:
		return 2;
	case F_I8:
	case F_U8:
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- encode */

static int
put_uvar(struct ms_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	return ms_buf_add(b, tmp, n);
}

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int
put_field(struct ms_buf *b, enum ftype t, const void *p)
{
	const char *s;
	unsigned char d[8];
	uint64_t u;
	size_t n;
	int rc;

	switch (t) {
	case F_STR:
	case F_REQSTR:
		memcpy(&s, p, sizeof(s));
		if (!s)
			return put_uvar(b, 0);
		n = strlen(s);
		if ((rc = put_uvar(b, (uint64_t)n + 1)))
			return rc;
		return ms_buf_add(b, s, n + 1);
	case F_HASH:
		return ms_buf_add(b, p, sizeof(struct ms_hash));
	case F_I64: {
		int64_t v;
		memcpy(&v, p, 8);
		return put_uvar(b, zigzag(v));
	}
	case F_I32: {
		int32_t v;
		memcpy(&v, p, 4);
		return put_uvar(b, zigzag(v));
	}
	case F_I8: {
		int8_t v;
		memcpy(&v, p, 1);
		return put_uvar(b, zigzag(v));
	}
	case F_U64: {
		uint64_t v;
		memcpy(&v, p, 8);
		return put_uvar(b, v);
	}
	case F_U32: {
		uint32_t v;
		memcpy(&v, p, 4);
		return put_uvar(b, v);
	}
	case F_U16: {
		uint16_t v;
		memcpy(&v, p, 2);
		return put_uvar(b, v);
	}
	case F_U8:
		return put_uvar(b, *(const unsigned char *)p);
	case F_F64:
		memcpy(&u, p, 8);
		for (int i = 0; i < 8; i++)
			d[i] = (unsigned char)(u >> (8 * i));
		return ms_buf_add(b, d, 8);
	}
	return MS_ETOOBIG;
}

static int
encode(const struct recdesc *d, const void *rec, struct ms_buf *b)
{
	const char *base = rec;
	int rc;

	ms_buf_reset(b);
	if ((rc = ms_buf_addc(b, (char)d->version)))
		return rc;
	for (size_t i = 0; i < d->nfields; i++) {
		const struct field *f = &d->fields[i];
		size_t sz = ctype_size(f->type);

		for (size_t j = 0; j < f->count; j++) {
			rc = put_field(b, f->type, base + f->off + j * sz);
			if (rc)
				return rc;
		}
	}
	return MS_OK;
}

/* ---------------------------------------------------------------- decode */

struct reader {
	const unsigned char *p, *start, *end;
	const char *problem;	/* NULL while all is well */
};

static int
get_uvar(struct reader *r, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned shift = 0, n = 0;; shift += 7, n++) {
		unsigned char c;

		if (r->p >= r->end) {
			r->problem = "truncated";
			return -1;
		}
		c = *r->p++;
		/* The tenth byte may only carry the top bit of 64. */
		if (n == 9 && c > 1) {
			r->problem = "varint overflows 64 bits";
			return -1;
		}
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			if (c == 0 && n > 0) {
				r->problem = "non-canonical varint";
				return -1;
			}
			break;
		}
	}
	*out = v;
	return 0;
}

static int
get_svar(struct reader *r, int64_t min, int64_t max, int64_t *out)
{
	uint64_t u;
	int64_t v;

	if (get_uvar(r, &u))
		return -1;
	v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	if (v < min || v > max) {
		r->problem = "integer out of range";
		return -1;
	}
	*out = v;
	return 0;
}

static int
get_field(struct reader *r, enum ftype t, void *p)
{
	uint64_t u;
	int64_t v;

	switch (t) {
	case F_STR:
	case F_REQSTR: {
		const char *s = NULL;
		size_t left;

		if (get_uvar(r, &u))
			return -1;
		if (u == 0) {
			if (t == F_REQSTR) {
				r->problem = "missing required string";
				return -1;
			}
			memcpy(p, &s, sizeof(s));
			return 0;
		}
		left = (size_t)(r->end - r->p);
		if (u > left) {
			r->problem = "truncated";
			return -1;
		}
		u--;
		s = (const char *)r->p;
		if (s[u] != '\0') {
			r->problem = "unterminated string";
			return -1;
		}
		if (memchr(s, '\0', (size_t)u)) {
			r->problem = "string shorter than its length";
			return -1;
		}
		r->p += u + 1;
		memcpy(p, &s, sizeof(s));
		return 0;
	}
	case F_HASH:
		if ((size_t)(r->end - r->p) < sizeof(struct ms_hash)) {
			r->problem = "truncated";
			return -1;
		}
		memcpy(p, r->p, sizeof(struct ms_hash));
		r->p += sizeof(struct ms_hash);
		return 0;
	case F_I64:
		if (get_svar(r, INT64_MIN, INT64_MAX, &v))
			return -1;
		memcpy(p, &v, 8);
		return 0;
	case F_I32: {
		int32_t x;
		if (get_svar(r, INT32_MIN, INT32_MAX, &v))
			return -1;
		x = (int32_t)v;
		memcpy(p, &x, 4);
		return 0;
	}
	case F_I8: {
		int8_t x;
		if (get_svar(r, INT8_MIN, INT8_MAX, &v))
			return -1;
		x = (int8_t)v;
		memcpy(p, &x, 1);
		return 0;
	}
	case F_U64:
	case F_U32:
	case F_U16:
	case F_U8: {
		/* In enum ftype order: F_U64, F_U32, F_U16, F_U8. */
		static const uint64_t max[] = { UINT64_MAX, UINT32_MAX,
						UINT16_MAX, UINT8_MAX };
		size_t sz = ctype_size(t);

		if (get_uvar(r, &u))
			return -1;
		if (u > max[t - F_U64]) {
			r->problem = "integer out of range";
			return -1;
		}
		if (sz == 8) {
			memcpy(p, &u, 8);
		} else if (sz == 4) {
			uint32_t x = (uint32_t)u;
			memcpy(p, &x, 4);
		} else if (sz == 2) {
			uint16_t x = (uint16_t)u;
			memcpy(p, &x, 2);
		} else {
			*(unsigned char *)p = (unsigned char)u;
		}
		return 0;
	}
	case F_F64:
		if (r->end - r->p < 8) {
			r->problem = "truncated";
			return -1;
		}
		u = 0;
		for (int i = 0; i < 8; i++)
			u |= (uint64_t)r->p[i] << (8 * i);
		memcpy(p, &u, 8);
		r->p += 8;
		return 0;
	}
	r->problem = "bad field type";
	return -1;
}

static int
decode(const struct recdesc *d, const void *data, size_t len, void *rec,
       struct ms_err *err)
{
	struct reader r = { data, data, (const unsigned char *)data + len,
			    NULL };
	char *base = rec;
	unsigned version;

	memset(rec, 0, d->size);
	if (len == 0 || !data)
		return ms_err_set(err, MS_ECORRUPT,
				  "corrupt %s record: empty value", d->name);
	version = r.p[0];
	if (version == 0 || version > d->version)
		return ms_err_set(err, MS_ECORRUPT,
				  "corrupt %s record: unknown version %u "
				  "(this mentorscout reads %s%u)",
				  d->name, version,
				  d->version > 1 ? "up to " : "", d->version);
	r.p++;
	for (size_t i = 0; i < d->nfields; i++) {
		const struct field *f = &d->fields[i];
		size_t sz = ctype_size(f->type);

		if (f->since > version)
			break;	/* newer fields stay zero */

		for (size_t j = 0; j < f->count; j++) {
			size_t at = (size_t)(r.p - r.start);

			if (get_field(&r, f->type, base + f->off + j * sz)) {
				memset(rec, 0, d->size);
				return ms_err_set(err, MS_ECORRUPT,
						  "corrupt %s record: %s in "
						  "field '%s' at byte %zu of "
						  "%zu", d->name, r.problem,
						  f->name, at, len);
			}
		}
	}
	if (r.p != r.end) {
		memset(rec, 0, d->size);
		return ms_err_set(err, MS_ECORRUPT,
				  "corrupt %s record: %zu trailing bytes",
				  d->name, (size_t)(r.end - r.p));
	}
	return MS_OK;
}

/* ----------------------------------------------------------- public API */

int
ms_feed_encode(const struct ms_feed_rec *r, struct ms_buf *b)
{
	return encode(&feed_desc, r, b);
}

int
ms_feed_decode(const void *p, size_t len, struct ms_feed_rec *r,
	       struct ms_err *err)
{
	return decode(&feed_desc, p, len, r, err);
}

int
ms_post_encode(const struct ms_post_rec *r, struct ms_buf *b)
{
	return encode(&post_desc, r, b);
}

int
ms_post_decode(const void *p, size_t len, struct ms_post_rec *r,
	       struct ms_err *err)
{
	return decode(&post_desc, p, len, r, err);
}

int
ms_comment_encode(const struct ms_comment_rec *r, struct ms_buf *b)
{
	return encode(&comment_desc, r, b);
}

int
ms_comment_decode(const void *p, size_t len, struct ms_comment_rec *r,
		  struct ms_err *err)
{
	return decode(&comment_desc, p, len, r, err);
}

int
ms_person_encode(const struct ms_person_rec *r, struct ms_buf *b)
{
	return encode(&person_desc, r, b);
}

int
ms_person_decode(const void *p, size_t len, struct ms_person_rec *r,
		 struct ms_err *err)
{
	return decode(&person_desc, p, len, r, err);
}

int
ms_link_encode(const struct ms_link_rec *r, struct ms_buf *b)
{
	return encode(&link_desc, r, b);
}

int
ms_link_decode(const void *p, size_t len, struct ms_link_rec *r,
	       struct ms_err *err)
{
	return decode(&link_desc, p, len, r, err);
}

int
ms_host_encode(const struct ms_host_rec *r, struct ms_buf *b)
{
	return encode(&host_desc, r, b);
}

int
ms_host_decode(const void *p, size_t len, struct ms_host_rec *r,
	       struct ms_err *err)
{
	return decode(&host_desc, p, len, r, err);
}

int
ms_score_encode(const struct ms_score_rec *r, struct ms_buf *b)
{
	return encode(&score_desc, r, b);
}

int
ms_score_decode(const void *p, size_t len, struct ms_score_rec *r,
		struct ms_err *err)
{
	return decode(&score_desc, p, len, r, err);
}

int
ms_crawl_encode(const struct ms_crawl_rec *r, struct ms_buf *b)
{
	return encode(&crawl_desc, r, b);
}

int
ms_crawl_decode(const void *p, size_t len, struct ms_crawl_rec *r,
		struct ms_err *err)
{
	return decode(&crawl_desc, p, len, r, err);
}

const char *
ms_strlist_next(const char **cursor, size_t *n)
{
	const char *s = *cursor, *e;

	if (!s)
		return NULL;
	/* Empty items ("a\n\nb", a trailing '\n') are skipped. */
	while (*s == '\n')
		s++;
	if (!*s) {
		*cursor = s;
		return NULL;
	}
	e = strchr(s, '\n');
	if (!e)
		e = s + strlen(s);
	*n = (size_t)(e - s);
	*cursor = e;
	return s;
}

void
ms_key_feed(const char *normalized_url, struct ms_hash *key)
{
	ms_hash_str(normalized_url, key);
}

void
ms_key_post(const char *url_or_id, struct ms_hash *key)
{
	ms_hash_str(url_or_id, key);
}

void
ms_key_comment(const char *id, struct ms_hash *key)
{
	ms_hash_str(id, key);
}

void
ms_key_person(const char *ident, struct ms_hash *key)
{
	ms_hash_str(ident, key);
}
