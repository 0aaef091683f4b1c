/*
 * merge.c — adding one store's records to another: the `merge` step of a
 * sharded crawl (RELIABILITY.md §6.2).  People and the people graph are
 * keyed by normalized identity and URL, never by anything shard-local, so
 * the union of the shards' records is what one process crawling the whole
 * web would have stored, and ranking it gives the same scores.
 */
#include "store/store.h"
#include "util/err.h"

#include <string.h>

/* Commit after this many operations or bytes: bounded transactions. */
#define MERGE_OPS 20000
#define MERGE_BYTES ((size_t)32 << 20)

struct merge {
	struct ms_store *into;
	struct ms_batch *b;
	struct ms_merge_stats *s;
	struct ms_err *err;
	int rc;
};

static int
flush(struct merge *m, int force)
{
	if (!m->b || (!force && ms_batch_ops(m->b) < MERGE_OPS &&
		      ms_batch_bytes(m->b) < MERGE_BYTES))
		return MS_OK;
	if (ms_batch_ops(m->b)) {
		m->rc = ms_store_batch_commit(m->b, m->err);
		m->s->commits++;
	} else {
		ms_store_batch_free(m->b);
	}
	m->b = NULL;
	if (!m->rc && !force)
		m->b = ms_store_batch_new(m->into);
	return m->rc;
}

static int
on_feed(const struct ms_hash *key, const struct ms_feed_rec *r, void *ctx)
{
	struct merge *m = ctx;

	(void)key;
	ms_batch_merge_feed(m->b, r);
	m->s->feeds++;
	return flush(m, 0);
}

static int
on_post(const struct ms_hash *key, const struct ms_post_rec *r, void *ctx)
{
	struct merge *m = ctx;

	(void)key;
	ms_batch_put_post(m->b, r);
	m->s->posts++;
	return flush(m, 0);
}

static int
on_comment(const struct ms_hash *key, const struct ms_comment_rec *r,
	   void *ctx)
{
	struct merge *m = ctx;

	(void)key;
	ms_batch_put_comment(m->b, r);
	m->s->comments++;
	return flush(m, 0);
}

static int
on_person(const struct ms_hash *key, const struct ms_person_rec *r,
	  void *ctx)
{
	struct merge *m = ctx;

	(void)key;
	ms_batch_merge_person(m->b, r);
	m->s->people++;
	return flush(m, 0);
}

static int
on_host(const char *host, const struct ms_host_rec *r, void *ctx)
{
	struct merge *m = ctx;

	ms_batch_put_host(m->b, host, r);
	m->s->hosts++;
	return flush(m, 0);
}

int
ms_store_merge(struct ms_store *into, struct ms_store *from,
	       struct ms_merge_stats *s, struct ms_err *err)
{
	struct merge m = { into, NULL, s, err, MS_OK };
	struct ms_rtxn *t;
	int rc;

	if ((rc = ms_store_read_begin(from, &t, err)))
		return rc;
	m.b = ms_store_batch_new(into);
	if (!(rc = ms_store_each_feed(t, on_feed, &m, err)) &&
	    !(rc = ms_store_each_post(t, on_post, &m, err)) &&
	    !(rc = ms_store_each_comment(t, on_comment, &m, err)) &&
	    !(rc = ms_store_each_person(t, on_person, &m, err)))
		rc = ms_store_each_host(t, on_host, &m, err);
	if (!rc)
		rc = flush(&m, 1);
	ms_store_read_end(t);
	if (m.b)
		ms_store_batch_free(m.b);
	if (rc && !m.rc)
		ms_err_prefix(err, "merging '%s'", ms_store_dir(from));
	return rc;
}
