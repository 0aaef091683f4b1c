/*
 * match.c — `discover --match REGEX`: rank for an ad-hoc PCRE2 pattern
 * instead of a taxonomy topic.  Nothing was precomputed for it, so this
 * one mode scans: every post's title, categories and summary are matched
 * (a title or category hit counts 1, a summary-only hit 0.5, as the
 * taxonomy's matching does), focus is computed from those counts with the
 * pattern's share of all posts as the prior, and the other five signals,
 * the gates and the stage come from the person's overall ("*") record of
 * the last ranking.  Steps name matching posts.
 */
#include "config/config.h"
#include "ranker/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define MONTH (DAY * 30.436875)

struct pick {
	char *url, *title;
	int64_t when;
	int32_t comments;
	int tier, open;
};

struct acc {
	double credit;
	uint32_t posts, posts_on;
	struct pick comment, link, latest;
};

struct scan {
	const struct ms_config *cfg;
	const struct ms_topic *topic;
	struct rk_model *m;
	struct acc *acc;
	uint64_t *months;	/* person << 32 | month, one per hit */
	size_t nmonths, mcap;
	size_t total, hits;
	double credit;
	int64_t now;
	int recent_days;
};

static int
hit(const struct scan *s, const char *lang, const char *text)
{
	return text && *text &&
	       ms_topic_count(&s->cfg->taxonomy, s->topic, lang, text,
			      strlen(text)) > 0;
}

static int
hit_list(const struct scan *s, const char *lang, const char *list)
{
	const char *cur = list, *it;
	char buf[1024];
	size_t n;

	while ((it = ms_strlist_next(&cur, &n))) {
		if (!n || n >= sizeof(buf))
			continue;
		memcpy(buf, it, n);
		buf[n] = '\0';
		if (hit(s, lang, buf))
			return 1;
	}
	return 0;
}

static void
take(struct pick *p, const struct ms_post_rec *r, int tier, int open)
{
	free(p->url);
	free(p->title);
	p->url = ms_xstrdup(r->url);
	p->title = r->title ? ms_xstrdup(r->title) : NULL;
	p->when = r->published;
	p->comments = r->comment_count;
	p->tier = tier;
	p->open = open;
}

static int
scan_post(const struct ms_hash *key, const struct ms_post_rec *r, void *ctx)
{
	struct scan *s = ctx;
	uint32_t who = rk_person_of(s->m, &r->author);
	double credit;
	struct acc *a;
	int64_t age;
	int tier = 0;

	(void)key;
	s->total++;
	if (who == RK_NONE || !r->url)
		return 0;
	a = &s->acc[who];
	a->posts++;
	credit = hit(s, r->lang, r->title) || hit_list(s, r->lang,
						       r->categories) ? 1.0 :
		 hit(s, r->lang, r->summary) ? 0.5 : 0;
	if (!(credit > 0))
		return 0;
	s->hits++;
	s->credit += credit;
	a->credit += credit;
	a->posts_on++;
	if (r->published != MS_TIME_NONE) {
		MS_GROW(s->months, s->nmonths + 1, s->mcap);
		s->months[s->nmonths++] =
			(uint64_t)who << 32 |
			(uint32_t)(int64_t)floor(r->published / MONTH);
	}
	if (!a->latest.url || r->published > a->latest.when)
		take(&a->latest, r, 0, 0);
	if (!a->link.url || r->comment_count > a->link.comments ||
	    (r->comment_count == a->link.comments &&
	     r->published > a->link.when))
		take(&a->link, r, 0, 0);
	/* a door: open (or unknown with comments seen), recent, never
	 * closed */
	if (r->comments_open == 0 || r->published == MS_TIME_NONE ||
	    (r->comments_open < 0 && r->comment_count <= 0))
		return 0;
	age = s->now - r->published;
	if (age <= (int64_t)RK_COMMENT_DAYS * DAY)
		tier = 2;
	else if (age <= (int64_t)s->recent_days * DAY)
		tier = 1;
	if (tier && (!a->comment.url || tier > a->comment.tier ||
		     (tier == a->comment.tier &&
		      (r->comments_open > a->comment.open ||
		       (r->comments_open == a->comment.open &&
			r->published > a->comment.when)))))
		take(&a->comment, r, tier, r->comments_open);
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void
add_step(struct ms_buf *b, const char *action, const char *url,
	 const char *title, const char *why)
{
	if (!url || !ms_url_is_http(url))
		return;
	if (b->len)
		ms_buf_addc(b, '\n');
	ms_buf_addf(b, "%s\t", action);
	for (const char *p = url; *p; p++)
		ms_buf_addc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
	ms_buf_addc(b, '\t');
	for (const char *p = title; p && *p; p++)
		ms_buf_addc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
	ms_buf_addf(b, "\t%s", why);
}

/* The overall record's steps of these actions, in order. */
static void
keep_steps(struct ms_buf *b, const char *list, const char *const *actions)
{
	const char *cur = list, *it;
	size_t n;

	while ((it = ms_strlist_next(&cur, &n)))
		for (const char *const *a = actions; *a; a++) {
			size_t al = strlen(*a);

			if (n > al && !strncmp(it, *a, al) && it[al] == '\t') {
				if (b->len)
					ms_buf_addc(b, '\n');
				ms_buf_add(b, it, n);
			}
		}
}

/* The product of the overall record's "damped xF: ..." notes. */
static double
damping(const char *notes)
{
	const char *cur = notes, *it;
	double g = 1;
	size_t n;

	while ((it = ms_strlist_next(&cur, &n))) {
		double f;

		if (n > 9 && !strncmp(it, "excluded:", 9))
			return 0;	/* G_spam = 0 */
		if (n > 8 && !strncmp(it, "damped x", 8) &&
		    sscanf(it + 8, "%lf", &f) == 1 && f >= 0 && f <= 1)
			g *= f;
	}
	return g;
}

static void
fmt_ago(char *out, size_t n, int64_t now, int64_t t)
{
	long long d = t == MS_TIME_NONE ? -1 : (long long)((now - t) / DAY);

	if (d < 0)
		snprintf(out, n, "date unknown");
	else if (d == 0)
		snprintf(out, n, "today");
	else
		snprintf(out, n, "%lld day%s ago", d, RK_S(d));
}

/* Turn the overall record into this pattern's result. */
static void
rescore(struct scan *s, uint32_t who, struct rk_held *h, struct ms_arena *ar,
	struct ms_buf *b)
{
	const struct ms_weights *w = &s->cfg->weights;
	struct acc *a = &s->acc[who];
	static const char *const stage_steps[] = { "reply", "connect", NULL };
	static const char *const follow[] = { "follow", NULL };
	double prior = s->total ? s->credit / s->total : 0, g, sum, wsum;
	unsigned months = 0;
	size_t lo = 0, hi = s->nmonths;
	char why[512], ago[32];
	const char *src = s->topic->npatterns ? s->topic->patterns[0].source :
						"";
	int64_t *ev = h->evidence;

	/* distinct months with a hit: this person's run of the sorted
	 * (person, month) list */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->months[mid] >> 32 < who)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->nmonths && s->months[i] >> 32 == who; i++)
		if (i == lo || s->months[i] != s->months[i - 1])
			months++;
	h->signals[MS_SIG_FOCUS] = rk_focus(a->credit, a->posts, prior,
					    months);
	wsum = w->focus + w->authority + w->responsiveness + w->audience +
	       w->activity + w->reachability;
	sum = w->focus * h->signals[MS_SIG_FOCUS] +
	      w->authority * h->signals[MS_SIG_AUTHORITY] +
	      w->responsiveness * h->signals[MS_SIG_RESPONSIVENESS] +
	      w->audience * h->signals[MS_SIG_AUDIENCE] +
	      w->activity * h->signals[MS_SIG_ACTIVITY] +
	      w->reachability * h->signals[MS_SIG_REACHABILITY];
	g = damping(h->notes);
	if (h->flags & RK_F_DORMANT)
		g *= RK_DORMANT_GATE;
	if (a->credit < RK_MIN_ON_TOPIC)
		g = 0;
	h->score = g * sum / (wsum > 0 ? wsum : 1);
	ev[MS_EV_POSTS_ON_TOPIC] = a->posts_on;
	h->topic = "match";

	/* notes: the match, then the overall record's own */
	ms_buf_reset(b);
	ms_buf_addf(b, "matched %u of %u posts by /%.200s/", a->posts_on,
		    a->posts, src);
	if (a->credit < RK_MIN_ON_TOPIC)
		ms_buf_addf(b, "\ninsufficient evidence: %.1f matching posts, "
			    "%d needed", a->credit, RK_MIN_ON_TOPIC);
	if (h->notes) {
		const char *cur = h->notes, *it;
		size_t n;

		while ((it = ms_strlist_next(&cur, &n)))
			if (n && strncmp(it, "insufficient", 12)) {
				ms_buf_addc(b, '\n');
				ms_buf_add(b, it, n);
			}
	}
	h->notes = ms_arena_strdup(ar, ms_buf_str(b));

	/* steps: the relationship's next step, follow, then this pattern's
	 * posts */
	ms_buf_reset(b);
	keep_steps(b, h->steps, stage_steps);
	keep_steps(b, h->steps, follow);
	if (a->comment.url) {
		fmt_ago(ago, sizeof(ago), s->now, a->comment.when);
		if (ev[MS_EV_POSTS_WITH_COMMENTS] > 0)
			snprintf(why, sizeof(why), "matches, posted %s, "
				 "comments open; they answered on %lld of %lld "
				 "discussed posts", ago,
				 (long long)ev[MS_EV_POSTS_ANSWERED],
				 (long long)ev[MS_EV_POSTS_WITH_COMMENTS]);
		else
			snprintf(why, sizeof(why), "matches, posted %s, "
				 "comments open", ago);
		add_step(b, "comment", a->comment.url, a->comment.title, why);
	}
	if (a->link.url) {
		if (a->link.comments > 0)
			snprintf(why, sizeof(why), "link to it from your own "
				 "blog: their most discussed matching post "
				 "(%d comment%s)", a->link.comments,
				 RK_S(a->link.comments));
		else
			snprintf(why, sizeof(why), "link to it from your own "
				 "blog: their latest matching post");
		add_step(b, "link", a->link.url, a->link.title, why);
	}
	if (a->latest.url)
		add_step(b, "share", a->latest.url, a->latest.title,
			 "share their latest matching post and mention them");
	h->steps = ms_arena_strdup(ar, ms_buf_str(b));
}

static int
cmp_held(const void *x, const void *y)
{
	const struct rk_held *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->evidence[MS_EV_POSTS_ON_TOPIC] !=
	    b->evidence[MS_EV_POSTS_ON_TOPIC])
		return a->evidence[MS_EV_POSTS_ON_TOPIC] >
				       b->evidence[MS_EV_POSTS_ON_TOPIC] ?
			       -1 :
			       1;
	return memcmp(&a->person, &b->person, sizeof(a->person));
}

int
rk_match_view(struct ms_store *st, const struct ms_config *cfg,
	      const struct ms_view_opts *o, struct ms_view **out,
	      struct ms_err *err)
{
	struct rk_model m;
	struct rk_model_conf mc;
	const char **ids, **labels;
	struct ms_rtxn *t = NULL;
	struct ms_view *v = NULL;
	struct scan s = { 0 };
	struct rk_collect c = { 0 }, all = { 0 };
	struct ms_buf b = MS_BUF_INIT(1 << 20);
	size_t limit = o->limit ? o->limit : 10;
	char *label;
	int rc;

	rk_model_conf_from(&mc, cfg, 0, &ids, &labels);
	rk_model_init(&m, &mc);
	label = ms_xasprintf("posts matching /%.200s/",
			     o->match->npatterns ?
				     o->match->patterns[0].source : "");
	v = rk_view_new("match", label);
	free(label);
	if ((rc = ms_store_read_begin(st, &t, err)) ||
	    (rc = rk_load_people(t, cfg, &m, err)))
		goto out;
	v->generated = rk_rank_time(t);
	s.cfg = cfg;
	s.topic = o->match;
	s.m = &m;
	s.acc = ms_xcalloc(m.npeople ? m.npeople : 1, sizeof(*s.acc));
	s.now = v->generated != MS_TIME_NONE ? v->generated : 0;
	s.recent_days = cfg->weights.recent_days > 0 ?
				cfg->weights.recent_days : 365;
	if ((rc = ms_store_each_post(t, scan_post, &s, err)))
		goto out;
	rk_sort(s.months, s.nmonths, sizeof(*s.months), cmp_u64);
	/* every person with a hit and an overall record */
	all.a = &v->arena;
	for (uint32_t i = 0; i < m.npeople; i++) {
		size_t before = all.n;

		if (m.people[i].canon != i || i == m.me ||
		    !(s.acc[i].credit > 0))
			continue;
		c.a = &v->arena;
		c.only = &m.people[i].key;
		c.topic = MS_RANK_OVERALL;
		c.lang = o->lang;
		c.n = 0;
		rc = ms_store_person_scores(t, &m.people[i].key, rk_hold, &c,
					    err);
		if (rc && rc != RK_STOP)
			goto out;
		rc = MS_OK;
		if (!c.n || (c.h[0].flags & RK_F_EXCLUDED))
			continue;	/* G_spam = 0: in no list */
		MS_GROW(all.h, all.n + 1, all.cap);
		all.h[all.n++] = c.h[0];
		rescore(&s, i, &all.h[before], &v->arena, &b);
	}
	rk_sort(all.h, all.n, sizeof(*all.h), cmp_held);
	if (o->network) {
		if (all.n > 50)
			all.n = 50;
		rc = rk_view_network(v, t, &all, err);
		goto out;
	}
	if (all.n > limit)
		all.n = limit;
	v->cands = ms_arena_zalloc(&v->arena,
				   (all.n ? all.n : 1) * sizeof(*v->cands));
	for (size_t i = 0; i < all.n && !rc; i++) {
		const char *why[5];

		rc = rk_view_fill(v, t, &all.h[i], &v->cands[i], why, err);
		v->cands[i].rank = (unsigned)i + 1;
		v->ncands++;
	}
out:
	if (t)
		ms_store_read_end(t);
	if (s.acc)
		for (size_t i = 0; i < m.npeople; i++) {
			struct pick *p[3] = { &s.acc[i].comment, &s.acc[i].link,
					      &s.acc[i].latest };

			for (int k = 0; k < 3; k++) {
				free(p[k]->url);
				free(p[k]->title);
			}
		}
	free(s.acc);
	free(s.months);
	free(c.h);
	free(all.h);
	ms_buf_release(&b);
	rk_model_release(&m);
	free(ids);
	free(labels);
	if (rc) {
		ms_view_free(v);
		return rc;
	}
	*out = v;
	return MS_OK;
}
