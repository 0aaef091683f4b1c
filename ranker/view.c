/*
 * view.c — ms_rank_view: the candidates discover, report and explain
 * show, read from the ranking the last ms_rank_run wrote.
 *
 *   topic    the top k of the topic's sorted index (ms_store_top) and
 *            one person record each: no scan, whatever the store's size;
 *   network  the top 50 the same way, then rk_network_pick across roles;
 *   person   (explain) every score of one person with its rank;
 *   match    (--match) see match.c.
 *
 * A score record carries all the view needs (signals, evidence, steps,
 * notes, stage, language, role affinities in its flags), so building a
 * candidate is decoding, plus the person's name and URLs.
 */
#include "config/config.h"
#include "ranker/internal.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *
dup(struct ms_arena *a, const char *s)
{
	return s ? ms_arena_strdup(a, s) : NULL;
}

/* Same language: the primary subtags, case-insensitively. */
int
rk_lang_match(const char *have, const char *want)
{
	size_t n = 0;

	if (!want || !*want)
		return 1;
	if (!have)
		return 0;
	while (want[n] && want[n] != '-' && want[n] != '_')
		n++;
	return !strncasecmp(have, want, n) &&
	       (!have[n] || have[n] == '-' || have[n] == '_');
}

int
rk_hold(const struct ms_score_rec *r, void *ctx)
{
	struct rk_collect *c = ctx;
	struct rk_held *h;

	if (c->only && memcmp(&r->person, c->only, sizeof(*c->only)))
		return 0;
	if (c->topic && strcmp(r->topic, c->topic))
		return 0;
	if (!rk_lang_match(r->lang, c->lang))
		return 0;
	MS_GROW(c->h, c->n + 1, c->cap);
	h = &c->h[c->n++];
	h->person = r->person;
	h->topic = dup(c->a, r->topic);
	h->notes = dup(c->a, r->notes);
	h->steps = dup(c->a, r->steps);
	h->lang = dup(c->a, r->lang);
	h->score = r->score;
	memcpy(h->signals, r->signals, sizeof(h->signals));
	memcpy(h->evidence, r->evidence, sizeof(h->evidence));
	h->flags = r->flags;
	h->stage = r->stage;
	return c->want && c->n >= c->want ? RK_STOP : 0;
}

/* Split a '\n' list into an arena array. */
static const char **
split(struct ms_arena *a, const char *list, size_t *count)
{
	const char *cur = list, *it;
	const char **out;
	size_t n, k = 0;

	*count = 0;
	while (ms_strlist_next(&cur, &n))
		k++;
	if (!k)
		return NULL;
	out = ms_arena_alloc(a, k * sizeof(*out));
	cur = list;
	while ((it = ms_strlist_next(&cur, &n)))
		if (n)
			out[(*count)++] = ms_arena_strndup(a, it, n);
	return out;
}

static enum ms_step_action
step_action(const char *s, size_t n)
{
	for (int i = MS_STEP_FOLLOW; i <= MS_STEP_CONNECT; i++)
		if (strlen(ms_step_names[i]) == n &&
		    !strncmp(ms_step_names[i], s, n))
			return (enum ms_step_action)i;
	return (enum ms_step_action)-1;
}

/* "action\turl\ttitle\twhy" lines into steps; unknown actions and
 * non-http URLs are dropped (the record is trusted, but not blindly). */
static void
parse_steps(struct ms_arena *a, const char *list, struct ms_candidate *c)
{
	const char *cur = list, *it;
	size_t n, k = 0;

	while (ms_strlist_next(&cur, &n))
		k++;
	c->steps = k ? ms_arena_zalloc(a, k * sizeof(*c->steps)) : NULL;
	c->nsteps = 0;
	cur = list;
	while ((it = ms_strlist_next(&cur, &n))) {
		const char *f[4], *end = it + n;
		size_t len[4];
		struct ms_step *s;
		int nf = 0;
		const char *p = it;

		while (nf < 4) {
			const char *tab = memchr(p, '\t', (size_t)(end - p));

			f[nf] = p;
			len[nf] = tab && nf < 3 ? (size_t)(tab - p) :
						  (size_t)(end - p);
			nf++;
			if (!tab || nf == 4)
				break;
			p = tab + 1;
		}
		if (nf < 2 || (int)step_action(f[0], len[0]) < 0)
			continue;
		s = &c->steps[c->nsteps];
		s->action = step_action(f[0], len[0]);
		s->url = ms_arena_strndup(a, f[1], len[1]);
		if (!ms_url_is_http(s->url))
			continue;
		s->title = nf > 2 && len[2] ?
				   ms_arena_strndup(a, f[2], len[2]) : NULL;
		s->why = nf > 3 && len[3] ? ms_arena_strndup(a, f[3], len[3]) :
					    NULL;
		c->nsteps++;
	}
}

/* Notes without the role lines; the role lines' reasons by role. */
static void
parse_notes(struct ms_arena *a, const char *list, struct ms_candidate *c,
	    const char *why[5])
{
	const char *cur = list, *it;
	size_t n, k = 0;

	for (int r = 0; r < 5; r++)
		why[r] = NULL;
	while (ms_strlist_next(&cur, &n))
		k++;
	c->notes = k ? ms_arena_alloc(a, k * sizeof(*c->notes)) : NULL;
	c->nnotes = 0;
	cur = list;
	while ((it = ms_strlist_next(&cur, &n))) {
		const char *tab;
		enum ms_role r;

		if (!n)
			continue;
		if (n > 5 && !strncmp(it, "role:", 5) &&
		    (tab = memchr(it, '\t', n))) {
			r = rk_role_of_key(it + 5, (size_t)(tab - it - 5));
			if (r != MS_ROLE_NONE)
				why[r] = ms_arena_strndup(
					a, tab + 1, n - (size_t)(tab + 1 - it));
			continue;
		}
		c->notes[c->nnotes++] = ms_arena_strndup(a, it, n);
	}
}

/*
 * A blog whose feed names its author only keys them "name:Ann@host" and
 * gives no site; the ranker makes the host theirs when they are its only
 * author (identity.c), and their feed says where the blog lives: its
 * site form ("host/path") on the feed's scheme and port.  NULL when the
 * feed is on another host.
 */
static const char *
blog_of_feed(struct ms_arena *a, const char *ident, const char *feed)
{
	const char *at = ident ? strrchr(ident, '@') : NULL, *p, *path;
	char *site = NULL;
	const char *r = NULL;
	size_t hl;

	if (!at || strncmp(ident, "name:", 5) || !feed ||
	    !ms_url_is_http(feed) || ms_url_site(feed, &site, NULL))
		return NULL;
	hl = strcspn(site, "/");
	path = site + hl;
	if (hl == strlen(at + 1) && !strncmp(site, at + 1, hl)) {
		p = strstr(feed, "://") + 3;
		r = ms_arena_printf(a, "%.*s%s/",
				    (int)(p - feed + strcspn(p, "/?#")), feed,
				    path);
	}
	free(site);
	return r;
}

int
rk_view_fill(struct ms_view *v, struct ms_rtxn *t, const struct rk_held *h,
     struct ms_candidate *c, const char *role_why[5], struct ms_err *err)
{
	struct ms_arena *a = &v->arena;
	struct ms_person_rec p;
	int rc;

	memset(c, 0, sizeof(*c));
	ms_hash_hex(&h->person, c->person);
	rc = ms_store_get_person(t, &h->person, &p, err);
	if (rc == MS_OK) {
		c->name = dup(a, p.name);
		c->site = p.site ? dup(a, p.site) :
				   blog_of_feed(a, p.ident, p.feed);
		c->feed = dup(a, p.feed);
		c->profiles = split(a, p.profiles, &c->nprofiles);
	} else if (rc != MS_ENOTFOUND) {
		return rc;
	}
	c->score = h->score;
	memcpy(c->signals, h->signals, sizeof(c->signals));
	memcpy(c->evidence, h->evidence, sizeof(c->evidence));
	parse_notes(a, h->notes, c, role_why);
	parse_steps(a, h->steps, c);
	c->stage = (enum ms_stage)(h->stage <= MS_STAGE_CONNECTED ? h->stage :
								    0);
	c->lang = h->lang;
	c->topic = h->topic;
	return MS_OK;
}

int64_t
rk_rank_time(struct ms_rtxn *t)
{
	const unsigned char *p;
	const void *vp;
	size_t len;
	uint64_t x = 0;

	if (ms_store_get_meta(t, "rank_time", &vp, &len, NULL) || len != 8)
		return MS_TIME_NONE;
	p = vp;
	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return (int64_t)x;
}

struct ms_view *
rk_view_new(const char *topic, const char *label)
{
	struct ms_view *v = ms_xcalloc(1, sizeof(*v));

	ms_arena_init(&v->arena);
	v->topic = topic ? ms_arena_strdup(&v->arena, topic) : NULL;
	v->topic_label = label ? ms_arena_strdup(&v->arena, label) : NULL;
	v->generated = MS_TIME_NONE;
	return v;
}

void
ms_view_free(struct ms_view *v)
{
	if (!v)
		return;
	ms_arena_release(&v->arena);
	free(v);
}

int
rk_unknown_topic(const struct ms_config *cfg, const char *id,
	      struct ms_err *err)
{
	const char *near[5];
	size_t n = ms_taxonomy_nearest(&cfg->taxonomy, id, near, 5);
	char list[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
					"%s%s", i ? ", " : "", near[i]);
	if (n)
		return ms_err_set(err, MS_ENOTFOUND, "unknown topic '%.100s'; "
				  "did you mean: %s", id, list);
	return ms_err_set(err, MS_ENOTFOUND, "unknown topic '%.100s'; see "
			  "'mentorscout topics'", id);
}

int
ms_rank_topic_check(const struct ms_config *cfg, const char *id,
		    struct ms_err *err)
{
	if (ms_taxonomy_find(&cfg->taxonomy, id))
		return MS_OK;
	return rk_unknown_topic(cfg, id, err);
}

int
rk_view_network(struct ms_view *v, struct ms_rtxn *t, struct rk_collect *c,
	struct ms_err *err)
{
	struct rk_pick_in *in = ms_xcalloc(c->n ? c->n : 1, sizeof(*in));
	size_t out[6], n;
	enum ms_role roles[6];
	int rc = MS_OK;

	for (size_t i = 0; i < c->n; i++) {
		const struct rk_held *h = &c->h[i];
		struct ms_person_rec p;
		char host[256];

		in[i].score = h->score;
		for (int r = MS_ROLE_ADVISER; r <= MS_ROLE_PEER; r++)
			in[i].aff[r] = RK_FLAG_ROLE(h->flags, r) /
				       (double)RK_ROLE_MAX;
		memcpy(in[i].signals, h->signals, sizeof(in[i].signals));
		in[i].excluded = (h->flags & RK_F_POD) != 0;
		if (ms_store_get_person(t, &h->person, &p, NULL) == MS_OK &&
		    p.site && !ms_url_host(p.site, host, sizeof(host)))
			in[i].host = ms_arena_strdup(&v->arena, host);
	}
	n = rk_network_pick(in, c->n, 6, out, roles);
	v->cands = ms_arena_zalloc(&v->arena,
				   (n ? n : 1) * sizeof(*v->cands));
	for (size_t i = 0; i < n && !rc; i++) {
		const char *why[5];
		struct ms_candidate *cd = &v->cands[i];

		rc = rk_view_fill(v, t, &c->h[out[i]], cd, why, err);
		cd->rank = (unsigned)i + 1;
		cd->role = roles[i];
		cd->role_why = why[roles[i]];
		v->ncands++;
	}
	free(in);
	return rc;
}

/* Where the person stands in the topic (1-based), 0 when not listed. */
struct position {
	const struct ms_hash *person;
	unsigned n;
};

static int
count_to(const struct ms_score_rec *r, void *ctx)
{
	struct position *p = ctx;

	p->n++;
	return memcmp(&r->person, p->person, sizeof(*p->person)) ? 0 : RK_STOP;
}

static int
cmp_explain(const void *x, const void *y)
{
	const struct rk_held *a = x, *b = y;
	int ao = !strcmp(a->topic, MS_RANK_OVERALL);
	int bo = !strcmp(b->topic, MS_RANK_OVERALL);

	if (ao != bo)
		return ao - bo;	/* overall last */
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->topic, b->topic);
}

/*
 * explain without --topic: the topics they pass the evidence gate on,
 * best first, then the overall record; the others only named (returned
 * as "below the evidence gate on: a, b", or NULL).
 */
static const char *
keep_shown(struct ms_arena *a, struct rk_collect *c, int all)
{
	char *list = NULL;
	size_t k = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (all || !(c->h[i].flags & RK_F_THIN) ||
		    !strcmp(c->h[i].topic, MS_RANK_OVERALL)) {
			c->h[k++] = c->h[i];
			continue;
		}
		list = list ? ms_arena_printf(a, "%s, %s", list,
					      c->h[i].topic) :
			      ms_arena_printf(a, "below the evidence gate on: "
					      "%s", c->h[i].topic);
	}
	c->n = k;
	rk_sort(c->h, c->n, sizeof(*c->h), cmp_explain);
	return list;
}

static void
add_note(struct ms_arena *a, struct ms_candidate *c, const char *note)
{
	const char **n = ms_arena_alloc(a, (c->nnotes + 1) * sizeof(*n));

	if (c->nnotes)
		memcpy(n, c->notes, c->nnotes * sizeof(*n));
	n[c->nnotes++] = note;
	c->notes = n;
}

static int
person_view(struct ms_store *st, const struct ms_config *cfg,
	    const struct ms_view_opts *o, struct ms_view **out,
	    struct ms_err *err)
{
	struct ms_rtxn *t = NULL;
	struct rk_model m;
	struct rk_model_conf mc;
	const char **ids, **labels;
	struct ms_view *v = NULL;
	struct rk_collect c = { 0 };
	uint32_t who;
	struct ms_hash key;
	const char *thin;
	int rc;

	if (o->topic && strcmp(o->topic, MS_RANK_OVERALL) &&
	    !ms_taxonomy_find(&cfg->taxonomy, o->topic))
		return rk_unknown_topic(cfg, o->topic, err);
	rk_model_conf_from(&mc, cfg, 0, &ids, &labels);
	rk_model_init(&m, &mc);
	if ((rc = ms_store_read_begin(st, &t, err)))
		goto out;
	if ((rc = rk_load_people(t, cfg, &m, err)) ||
	    (rc = rk_find_person(&m, o->person, &who, err)))
		goto out;
	key = m.people[who].key;
	v = rk_view_new(o->topic, m.people[who].name ? m.people[who].name :
						       m.people[who].ident);
	v->generated = rk_rank_time(t);
	c.a = &v->arena;
	c.topic = o->topic;
	if ((rc = ms_store_person_scores(t, &key, rk_hold, &c, err)))
		goto out;
	thin = keep_shown(&v->arena, &c, o->topic != NULL);
	v->cands = ms_arena_zalloc(&v->arena,
				   (c.n ? c.n : 1) * sizeof(*v->cands));
	for (size_t i = 0; i < c.n; i++) {
		struct position pos = { &key, 0 };
		const char *why[5];
		struct ms_candidate *cd = &v->cands[v->ncands];

		if ((rc = rk_view_fill(v, t, &c.h[i], cd, why, err)))
			goto out;
		rc = ms_store_top(t, c.h[i].topic, 0, count_to, &pos, err);
		if (rc && rc != RK_STOP)
			goto out;
		rc = MS_OK;
		cd->rank = pos.n;
		if (thin && !strcmp(c.h[i].topic, MS_RANK_OVERALL))
			add_note(&v->arena, cd, thin);
		/* the strongest role, with its reason */
		for (int r = MS_ROLE_ADVISER; r <= MS_ROLE_PEER; r++)
			if (why[r] && (!cd->role ||
				       RK_FLAG_ROLE(c.h[i].flags, r) >
					       RK_FLAG_ROLE(c.h[i].flags,
							    cd->role))) {
				cd->role = (enum ms_role)r;
				cd->role_why = why[r];
			}
		v->ncands++;
	}
	*out = v;
	v = NULL;
out:
	if (t)
		ms_store_read_end(t);
	free(c.h);
	ms_view_free(v);
	rk_model_release(&m);
	free(ids);
	free(labels);
	return rc;
}

int
ms_rank_view(struct ms_store *st, const struct ms_config *cfg,
	     const struct ms_view_opts *o, struct ms_view **out,
	     struct ms_err *err)
{
	const struct ms_topic *tp;
	struct ms_rtxn *t = NULL;
	struct ms_view *v = NULL;
	struct rk_collect c = { 0 };
	size_t limit = o->limit ? o->limit : 10;
	int rc;

	*out = NULL;
	if (o->person)
		return person_view(st, cfg, o, out, err);
	if (o->match)
		return rk_match_view(st, cfg, o, out, err);
	if (!o->topic)
		return ms_err_set(err, MS_EUSAGE, "no topic given");
	tp = ms_taxonomy_find(&cfg->taxonomy, o->topic);
	if (!tp)
		return rk_unknown_topic(cfg, o->topic, err);
	v = rk_view_new(tp->id, tp->label ? tp->label : tp->id);
	if ((rc = ms_store_read_begin(st, &t, err)))
		goto out;
	v->generated = rk_rank_time(t);
	c.a = &v->arena;
	c.lang = o->lang;
	c.want = o->network ? 50 : limit;
	/* the language filter skips records, so no limit for the store */
	rc = ms_store_top(t, tp->id, o->lang ? 0 : c.want, rk_hold, &c, err);
	if (rc && rc != RK_STOP)
		goto out;
	rc = MS_OK;
	if (o->network) {
		rc = rk_view_network(v, t, &c, err);
		goto out;
	}
	v->cands = ms_arena_zalloc(&v->arena,
				   (c.n ? c.n : 1) * sizeof(*v->cands));
	for (size_t i = 0; i < c.n && !rc; i++) {
		const char *why[5];

		rc = rk_view_fill(v, t, &c.h[i], &v->cands[i], why, err);
		v->cands[i].rank = (unsigned)i + 1;
		v->ncands++;
	}
out:
	if (t)
		ms_store_read_end(t);
	free(c.h);
	if (rc) {
		ms_view_free(v);
		return rc;
	}
	*out = v;
	return MS_OK;
}
