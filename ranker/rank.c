/*
 * rank.c — ms_rank_run: the thin layer between the store and the model.
 * One read snapshot walks people, feeds (to know the user's
 * subscriptions), posts and comments once into the model; rk_score ranks
 * while the snapshot is still open (it fetches the titles of the posts
 * steps will name); the snapshot is closed before anything is written,
 * because this process cannot grow the map while it holds one.  Then the
 * scores go into a new generation in bounded batches, the people graph
 * and the merged people after them, and the last batch switches the
 * ranking over (a killed run leaves the previous ranking in force).
 */
#include "config/config.h"
#include "ranker/internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_OPS 10000		/* records per write transaction */

struct load {
	struct rk_model *m;
	struct ms_rtxn *t;
	struct rk_hmap user_feeds;
	struct ms_err *err;
};

static int
load_person(const struct ms_hash *key, const struct ms_person_rec *r,
	    void *ctx)
{
	struct load *l = ctx;

	rk_model_add_person(l->m, key, r);
	return 0;
}

static int
load_feed(const struct ms_hash *key, const struct ms_feed_rec *r, void *ctx)
{
	struct load *l = ctx;

	if (r->kind == MS_FEED_USER)
		rk_hmap_put(&l->user_feeds, key, 1);
	return 0;
}

static int
load_post(const struct ms_hash *key, const struct ms_post_rec *r, void *ctx)
{
	struct load *l = ctx;

	rk_model_add_post(l->m, key, r,
			  rk_hmap_get(&l->user_feeds, &r->feed) != RK_NONE);
	return 0;
}

static int
load_comment(const struct ms_hash *key, const struct ms_comment_rec *r,
	     void *ctx)
{
	struct load *l = ctx;

	rk_model_add_comment(l->m, key, r);
	return 0;
}

/* The title and URL of a post a step names, from the open snapshot. */
static int
post_text(void *ctx, const struct ms_hash *key, const char **url,
	  const char **title)
{
	struct load *l = ctx;
	struct ms_post_rec r;

	if (ms_store_get_post(l->t, key, &r, NULL))
		return -1;
	*url = r.url;
	*title = r.title;
	return 0;
}

struct writer {
	struct ms_store *st;
	struct ms_batch *b;
	uint32_t gen;
	size_t scores;
	int rc;
	struct ms_err *err;
};

/* Commit when the batch is full; keep the first error. */
static int
flush(struct writer *w, int force)
{
	if (w->rc)
		return w->rc;
	if (!force && ms_batch_ops(w->b) < BATCH_OPS)
		return 0;
	w->rc = ms_store_batch_commit(w->b, w->err);
	w->b = w->rc ? NULL : ms_store_batch_new(w->st);
	return w->rc;
}

static int
put_score(void *ctx, const struct ms_score_rec *r)
{
	struct writer *w = ctx;

	ms_batch_put_score(w->b, w->gen, r);
	w->scores++;
	return flush(w, 0);
}

static int
put_person(void *ctx, const struct ms_hash *key, const struct ms_person_rec *r)
{
	struct writer *w = ctx;

	(void)key;	/* the store keys a person by ms_key_person(ident) */
	ms_batch_merge_person(w->b, r);
	return flush(w, 0);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
topic_arrays(const struct ms_config *cfg, const char ***ids,
	     const char ***labels)
{
	size_t n = cfg->taxonomy.ntopics;

	*ids = ms_xcalloc(n + 1, sizeof(**ids));
	*labels = ms_xcalloc(n + 1, sizeof(**labels));
	for (size_t i = 0; i < n; i++) {
		(*ids)[i] = cfg->taxonomy.topics[i].id;
		(*labels)[i] = cfg->taxonomy.topics[i].label;
	}
}

int
rk_load_people(struct ms_rtxn *t, const struct ms_config *cfg,
	       struct rk_model *m, struct ms_err *err)
{
	struct load l = { 0 };
	int rc;

	l.m = m;
	if ((rc = ms_store_each_person(t, load_person, &l, err)))
		return rc;
	rk_identity_resolve(m, &cfg->me);
	return MS_OK;
}

void
rk_model_conf_from(struct rk_model_conf *c, const struct ms_config *cfg,
		   int64_t now, const char ***ids, const char ***labels)
{
	topic_arrays(cfg, ids, labels);
	memset(c, 0, sizeof(*c));
	c->now = now;
	c->weights = cfg->weights;
	c->ntopics = cfg->taxonomy.ntopics;
	c->topic_ids = *ids;
	c->topic_labels = *labels;
}

/*
 * Load the store into m (people, identity, posts, comments) through the
 * snapshot t; the model keeps l for the lazy post texts.
 */
static int
rk_load(struct ms_rtxn *t, const struct ms_config *cfg, struct rk_model *m,
	struct load *l, struct ms_err *err)
{
	int rc;

	l->m = m;
	l->t = t;
	l->err = err;
	if ((rc = rk_load_people(t, cfg, m, err)))
		return rc;
	if ((rc = ms_store_each_feed(t, load_feed, l, err)) ||
	    (rc = ms_store_each_post(t, load_post, l, err)) ||
	    (rc = ms_store_each_comment(t, load_comment, l, err)))
		return rc;
	rk_model_finish(m);
	return MS_OK;
}

int
rk_load_model(struct ms_rtxn *t, const struct ms_config *cfg,
	      struct rk_model *m, struct ms_err *err)
{
	struct load l = { 0 };
	int rc;

	rk_hmap_init(&l.user_feeds, 64);
	rc = rk_load(t, cfg, m, &l, err);
	rk_hmap_release(&l.user_feeds);
	return rc;
}

int
ms_rank_run(struct ms_store *st, const struct ms_config *cfg, int64_t now,
	    struct ms_rank_stats *stats, struct ms_err *err)
{
	struct rk_model_conf c;
	struct rk_model m;
	struct rk_run run;
	struct load l = { 0 };
	struct writer w = { 0 };
	struct rk_sink sink = { &w, put_score, put_person };
	struct ms_rtxn *t = NULL;
	struct ms_store_stats ss;
	struct timespec t0;
	const char **ids, **labels;
	unsigned char when[8];
	double t_load = 0, t_score = 0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rk_model_conf_from(&c, cfg, now, &ids, &labels);
	c.post_text = post_text;
	c.post_text_ctx = &l;
	rk_model_init(&m, &c);
	rk_hmap_init(&l.user_feeds, 64);
	memset(&run, 0, sizeof(run));
	if ((rc = ms_store_stats(st, &ss, err)))
		goto out;
	rk_model_reserve(&m, ss.people, ss.posts, ss.comments);
	if ((rc = ms_store_read_begin(st, &t, err)))
		goto out;
	w.gen = ms_store_rank_gen(t) + 1;
	if ((rc = rk_load(t, cfg, &m, &l, err)))
		goto out;
	t_load = seconds_since(&t0);
	rk_score(&m, &run);
	ms_store_read_end(t);
	t = NULL;
	t_score = seconds_since(&t0);

	w.st = st;
	w.err = err;
	w.b = ms_store_batch_new(st);
	/* A rank killed while writing left scores in generation w.gen; the
	 * switch to the current generation deletes them first, or those of
	 * people not scored again would join the new ranking. */
	ms_batch_switch_rank(w.b, w.gen - 1);
	rc = rk_emit(&run, &sink);
	if (!rc) {
		/* the scores are in: switch over, with the time of it */
		for (int i = 0; i < 8; i++)
			when[i] = (unsigned char)((uint64_t)now >>
						  (56 - 8 * i));
		ms_batch_put_meta(w.b, "rank_time", when, sizeof(when));
		/* the size of the people graph it was ranked on, for stats */
		for (int i = 0; i < 8; i++)
			when[i] = (unsigned char)((uint64_t)run.edges >>
						  (56 - 8 * i));
		ms_batch_put_meta(w.b, "rank_edges", when, sizeof(when));
		ms_batch_switch_rank(w.b, w.gen);
		/* the people graph is derived by explain (evidence.c), not
		 * stored: a table an older version wrote goes with the
		 * ranking it belonged to */
		ms_batch_clear_links(w.b);
		rc = flush(&w, 1);
	}
	if (rc && !w.rc)
		rc = ms_err_set(err, MS_ESTORE, "ranking stopped while "
				"writing");
	if (stats) {
		memset(stats, 0, sizeof(*stats));
		for (size_t i = 0; i < m.npeople; i++)
			stats->people += m.people[i].canon == i;
		stats->topics = run.topics;
		stats->scores = w.scores;
		stats->edges = run.edges;
		stats->pagerank_iterations = run.iterations;
		stats->seconds = seconds_since(&t0);
		stats->load_seconds = t_load;
		stats->score_seconds = t_score - t_load;
		stats->write_seconds = stats->seconds - t_score;
		stats->topic_iterations = run.topic_iterations;
	}
out:
	if (w.b)
		ms_store_batch_free(w.b);
	if (t)
		ms_store_read_end(t);
	rk_hmap_release(&l.user_feeds);
	rk_run_release(&run);
	rk_model_release(&m);
	free(ids);
	free(labels);
	return rc;
}
