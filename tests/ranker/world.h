/*
 * world.h — a small blogosphere built in memory for the ranker's tests:
 * people, posts and comments as the analyzer stores them (store.h
 * records), loaded into a struct rk_model, ranked with rk_compute, and
 * the score records captured for assertions.
 */
#ifndef MS_TESTS_RANKER_WORLD_H
#define MS_TESTS_RANKER_WORLD_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ranker/internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* Not every test file uses every helper. */
#define W_FN static __attribute__((unused))

#define W_NOW 1700000000LL	/* 2023-11-14 */
#define W_DAY 86400LL

static const char *const w_topic_ids[] = { "hr", "leadership", "cooking" };
static const char *const w_topic_labels[] = { "Human resources",
					      "Leadership", "Cooking" };

struct w_rec {
	struct ms_hash person;
	char topic[32];
	double score;
	double signals[MS_SIGNALS];
	int64_t evidence[MS_EVIDENCE];
	uint32_t flags;
	char *notes, *steps, *lang;
	int stage;
};

struct world {
	struct rk_model m;
	struct rk_run run;
	struct ms_me me;
	char *me_profiles[2];
	struct w_rec *recs;
	size_t nrecs, cap;
	size_t npeople_out;
	/* input, added in the order the model wants */
	struct ms_person_rec people[64];
	size_t npeople;
	struct {
		struct ms_post_rec r;
		int seed;
	} posts[1024];
	size_t nposts;
	struct {
		struct ms_comment_rec r;
		char id[64];
	} comments[4096];
	size_t ncomments;
	char strs[1 << 20];
	size_t nstrs;
};

W_FN const char *
w_str(struct world *w, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	cr_assert(w->nstrs + n <= sizeof(w->strs), "world strings full");
	p = w->strs + w->nstrs;
	memcpy(p, s, n);
	w->nstrs += n;
	return p;
}

W_FN struct world *
w_new(void)
{
	struct world *w = ms_xcalloc(1, sizeof(*w));

	return w;
}

W_FN void
w_free(struct world *w)
{
	for (size_t i = 0; i < w->nrecs; i++) {
		free(w->recs[i].notes);
		free(w->recs[i].steps);
		free(w->recs[i].lang);
	}
	free(w->recs);
	rk_run_release(&w->run);
	rk_model_release(&w->m);
	free(w);
}

W_FN struct ms_hash
w_key(const char *ident)
{
	struct ms_hash k;

	ms_key_person(ident, &k);
	return k;
}

/* A person as the analyzer records them. */
W_FN void
w_person(struct world *w, const char *ident, const char *name,
	 const char *site, const char *feed, const char *profiles)
{
	struct ms_person_rec *p = &w->people[w->npeople++];

	memset(p, 0, sizeof(*p));
	p->ident = w_str(w, ident);
	p->name = w_str(w, name);
	p->site = w_str(w, site);
	p->feed = w_str(w, feed);
	p->profiles = w_str(w, profiles);
	p->flags = MS_PERSON_AUTHOR;
	p->first_seen = p->last_seen = MS_TIME_NONE;
}

/* A post days_ago days before W_NOW; topics "hr=1\n..." ; links '\n'. */
W_FN struct ms_post_rec *
w_post(struct world *w, const char *url, const char *author,
       const char *title, const char *topics, const char *links,
       double days_ago, int open)
{
	struct ms_post_rec *p = &w->posts[w->nposts++].r;

	memset(p, 0, sizeof(*p));
	p->author = w_key(author);
	p->url = w_str(w, url);
	p->title = w_str(w, title);
	p->topics = w_str(w, topics);
	p->links = w_str(w, links);
	p->lang = "en";
	p->published = W_NOW - (int64_t)(days_ago * W_DAY);
	p->updated = p->seen = MS_TIME_NONE;
	p->comment_count = -1;
	p->comments_open = (int8_t)open;
	return p;
}

/* A comment minutes after its post; parent "" = top level. */
W_FN struct ms_comment_rec *
w_comment(struct world *w, const char *id, const char *post_url,
	  const char *author, const char *parent, double minutes)
{
	struct ms_comment_rec *c = &w->comments[w->ncomments].r;
	int64_t published = MS_TIME_NONE;

	snprintf(w->comments[w->ncomments].id, 64, "%s", id);
	w->ncomments++;
	memset(c, 0, sizeof(*c));
	ms_key_post(post_url, &c->post);
	if (author)
		c->author = w_key(author);
	if (parent && *parent)
		ms_key_comment(parent, &c->parent);
	c->id = w_str(w, id);
	c->post_url = w_str(w, post_url);
	for (size_t i = 0; i < w->nposts; i++)
		if (!strcmp(w->posts[i].r.url, post_url))
			published = w->posts[i].r.published;
	c->published = published + (int64_t)(minutes * 60);
	return c;
}

W_FN int
w_sink_score(void *ctx, const struct ms_score_rec *r)
{
	struct world *w = ctx;
	struct w_rec *o;

	MS_GROW(w->recs, w->nrecs + 1, w->cap);
	o = &w->recs[w->nrecs++];
	memset(o, 0, sizeof(*o));
	o->person = r->person;
	snprintf(o->topic, sizeof(o->topic), "%s", r->topic);
	o->score = r->score;
	memcpy(o->signals, r->signals, sizeof(o->signals));
	memcpy(o->evidence, r->evidence, sizeof(o->evidence));
	o->flags = r->flags;
	o->notes = r->notes ? ms_xstrdup(r->notes) : NULL;
	o->steps = r->steps ? ms_xstrdup(r->steps) : NULL;
	o->lang = r->lang ? ms_xstrdup(r->lang) : NULL;
	o->stage = r->stage;
	return 0;
}

W_FN int
w_sink_person(void *ctx, const struct ms_hash *key,
	      const struct ms_person_rec *r)
{
	struct world *w = ctx;

	(void)key;
	(void)r;
	w->npeople_out++;
	return 0;
}

/* Load everything into the model (people, identity, posts, comments). */
W_FN void
w_load(struct world *w)
{
	struct rk_model_conf c = { 0 };

	c.now = W_NOW;
	c.weights.focus = 0.25;
	c.weights.authority = 0.15;
	c.weights.responsiveness = 0.25;
	c.weights.audience = 0.10;
	c.weights.activity = 0.15;
	c.weights.reachability = 0.10;
	c.weights.half_life_days = 90;
	c.weights.recent_days = 365;
	c.ntopics = 3;
	c.topic_ids = w_topic_ids;
	c.topic_labels = w_topic_labels;
	c.keep_text = 1;
	rk_model_init(&w->m, &c);
	for (size_t i = 0; i < w->npeople; i++) {
		struct ms_hash k = w_key(w->people[i].ident);

		rk_model_add_person(&w->m, &k, &w->people[i]);
	}
	rk_identity_resolve(&w->m, w->me.blog || w->me.nprofiles ? &w->me :
								   NULL);
	for (size_t i = 0; i < w->nposts; i++) {
		struct ms_hash k;

		ms_key_post(w->posts[i].r.url, &k);
		rk_model_add_post(&w->m, &k, &w->posts[i].r,
				  w->posts[i].seed);
	}
	for (size_t i = 0; i < w->ncomments; i++) {
		struct ms_hash k;

		ms_key_comment(w->comments[i].id, &k);
		rk_model_add_comment(&w->m, &k, &w->comments[i].r);
	}
}

W_FN void
w_rank(struct world *w)
{
	struct rk_sink s = { w, w_sink_score, w_sink_person };

	w_load(w);
	cr_assert_eq(rk_compute(&w->m, &s, &w->run), 0);
}

W_FN const struct w_rec *
w_find(const struct world *w, const char *ident, const char *topic)
{
	struct ms_hash k = w_key(ident);

	for (size_t i = 0; i < w->nrecs; i++)
		if (!memcmp(&w->recs[i].person, &k, sizeof(k)) &&
		    !strcmp(w->recs[i].topic, topic))
			return &w->recs[i];
	return NULL;
}

W_FN const struct w_rec *
w_get(const struct world *w, const char *ident, const char *topic)
{
	const struct w_rec *r = w_find(w, ident, topic);

	cr_assert_not_null(r, "no %s record for %s", topic, ident);
	return r;
}

/* The n-th step line's field f (0 action, 1 url, 2 title, 3 why) into
 * out; 0 when there is no such step. */
W_FN int
w_step(const struct w_rec *r, size_t n, int f, char *out, size_t outsz)
{
	const char *s = r->steps;

	for (size_t i = 0; s && i < n; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s || !*s)
		return 0;
	for (int i = 0; i < f; i++) {
		s = strchr(s, '\t');
		if (!s)
			return 0;
		s++;
	}
	snprintf(out, outsz, "%.*s", (int)strcspn(s, "\t\n"), s);
	return 1;
}

/* Does any step have this action and URL? */
W_FN int
w_has_step(const struct w_rec *r, const char *action, const char *url)
{
	char a[32], u[512];

	for (size_t i = 0; w_step(r, i, 0, a, sizeof(a)); i++) {
		w_step(r, i, 1, u, sizeof(u));
		if (!strcmp(a, action) && (!url || !strcmp(u, url)))
			return 1;
	}
	return 0;
}

#endif
