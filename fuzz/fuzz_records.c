/*
 * fuzz_records.c — the store's record decoders (store/codec.c) on
 * arbitrary bytes.  A decoder must reject or decode, never read outside
 * the value (RELIABILITY.md §5.1); what it decodes must encode again to
 * the same bytes (the encoding is canonical) and decode again to equal
 * fields.
 *
 * Input: the first byte picks the record type (modulo 8), the rest is the
 * value as LMDB would hand it over.  The value is copied to a buffer of
 * exactly its size so ASan sees any read past its end.
 */
#include "fuzz/fuzz.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#include <inttypes.h>
#include <stdbool.h>

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

#define SAME_STR(f) FUZZ_CHECK(str_eq(a->f, b->f), "%s", #f)
#define SAME_NUM(f) FUZZ_CHECK(a->f == b->f, "%s", #f)
/* Hashes and doubles bit for bit (a NaN is not equal to itself). */
#define SAME_BITS(f)                                                          \
	FUZZ_CHECK(!memcmp(&a->f, &b->f, sizeof(a->f)), "%s", #f)

static void
same_feed(const struct ms_feed_rec *a, const struct ms_feed_rec *b)
{
	SAME_STR(url); SAME_STR(title); SAME_STR(site); SAME_STR(etag);
	SAME_STR(last_modified); SAME_STR(last_error); SAME_STR(topics);
	SAME_STR(parent); SAME_STR(redirect_to); SAME_BITS(digest);
	SAME_NUM(added); SAME_NUM(last_fetch); SAME_NUM(last_ok);
	SAME_NUM(next_fetch); SAME_NUM(failures); SAME_NUM(redirect_count);
	SAME_NUM(last_status); SAME_NUM(state); SAME_NUM(kind);
	SAME_NUM(depth);
	FUZZ_CHECK(a->url, "a decoded feed has no url");
}

static void
same_post(const struct ms_post_rec *a, const struct ms_post_rec *b)
{
	SAME_BITS(feed); SAME_BITS(author); SAME_STR(url); SAME_STR(id);
	SAME_STR(title); SAME_STR(author_name); SAME_STR(categories);
	SAME_STR(links); SAME_STR(comment_feed); SAME_STR(comments_url);
	SAME_STR(lang); SAME_STR(topics); SAME_STR(summary);
	SAME_NUM(published); SAME_NUM(updated); SAME_NUM(seen);
	SAME_NUM(comment_count); SAME_NUM(comments_open);
}

static void
same_comment(const struct ms_comment_rec *a, const struct ms_comment_rec *b)
{
	SAME_BITS(post); SAME_BITS(author); SAME_BITS(parent); SAME_STR(id);
	SAME_STR(post_url); SAME_STR(author_name); SAME_STR(author_uri);
	SAME_STR(in_reply_to); SAME_NUM(published); SAME_NUM(by_post_author);
}

static void
same_person(const struct ms_person_rec *a, const struct ms_person_rec *b)
{
	SAME_STR(ident); SAME_STR(name); SAME_STR(site); SAME_STR(feed);
	SAME_STR(profiles); SAME_NUM(first_seen); SAME_NUM(last_seen);
	SAME_NUM(flags);
	FUZZ_CHECK(a->ident, "a decoded person has no ident");
}

static void
same_link(const struct ms_link_rec *a, const struct ms_link_rec *b)
{
	SAME_NUM(count); SAME_NUM(kinds); SAME_NUM(first); SAME_NUM(last);
}

static void
same_host(const struct ms_host_rec *a, const struct ms_host_rec *b)
{
	SAME_STR(robots); SAME_STR(cursor); SAME_NUM(robots_fetched);
	SAME_NUM(robots_last_ok); SAME_NUM(next_allowed);
	SAME_NUM(crawl_delay_ms); SAME_NUM(failures); SAME_NUM(robots_status);
}

static void
same_score(const struct ms_score_rec *a, const struct ms_score_rec *b)
{
	SAME_BITS(person); SAME_STR(topic); SAME_BITS(score);
	SAME_BITS(signals); SAME_BITS(evidence); SAME_NUM(flags);
	SAME_STR(notes); SAME_STR(steps); SAME_STR(lang); SAME_NUM(stage);
	FUZZ_CHECK(a->topic, "a decoded score has no topic");
}

static void
same_crawl(const struct ms_crawl_rec *a, const struct ms_crawl_rec *b)
{
	SAME_NUM(started); SAME_NUM(finished); SAME_NUM(fetched);
	SAME_NUM(not_modified); SAME_NUM(unchanged); SAME_NUM(errors);
	SAME_NUM(new_posts); SAME_NUM(new_comments); SAME_NUM(bytes);
	SAME_STR(summary);
}

/*
 * decode(p) → a; encode(a) must give p again; decode(encode(a)) → b must
 * equal a.  One function per type, written out: the codec's own tables are
 * what is being checked, so they are not reused here.
 */
#define ROUND_TRIP(type, name)                                                \
	static void rt_##name(const void *p, size_t len, struct ms_buf *enc)  \
	{                                                                     \
		struct ms_##type a, b;                                        \
		struct ms_err err = { 0 };                                    \
		int rc;                                                       \
                                                                              \
		memset(&a, 0x5a, sizeof(a));                                  \
		if (ms_##name##_decode(p, len, &a, &err) != MS_OK) {          \
			FUZZ_CHECK(err.code == MS_ECORRUPT && err.msg[0],     \
				   "rejected with code %d '%s'", err.code,    \
				   err.msg);                                  \
			return;                                               \
		}                                                             \
		rc = ms_##name##_encode(&a, enc);                             \
		FUZZ_CHECK(rc == MS_OK, "re-encode: %d", rc);                 \
		FUZZ_CHECK(enc->len == len && !memcmp(enc->data, p, len),     \
			   "%s: %zu bytes re-encode to %zu different bytes",  \
			   #name, len, enc->len);                             \
		rc = ms_##name##_decode(enc->data, enc->len, &b, &err);       \
		FUZZ_CHECK(rc == MS_OK, "decode again: %s", err.msg);         \
		same_##name(&a, &b);                                          \
	}

ROUND_TRIP(feed_rec, feed)
ROUND_TRIP(post_rec, post)
ROUND_TRIP(comment_rec, comment)
ROUND_TRIP(person_rec, person)
ROUND_TRIP(link_rec, link)
ROUND_TRIP(host_rec, host)
ROUND_TRIP(score_rec, score)
ROUND_TRIP(crawl_rec, crawl)

static void (*const round_trips[8])(const void *, size_t, struct ms_buf *) = {
	rt_feed, rt_post, rt_comment, rt_person,
	rt_link, rt_host, rt_score, rt_crawl,
};

int
ms_fuzz_records(const uint8_t *data, size_t size)
{
	struct ms_buf enc = MS_BUF_INIT(1u << 24);
	void *p;

	if (!size)
		return 0;
	/* Exactly the value's bytes: ASan catches any read past them. */
	p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		abort();
	memcpy(p, data + 1, size - 1);
	round_trips[data[0] % 8](p, size - 1, &enc);
	ms_buf_release(&enc);
	free(p);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_records)
