/*
 * compute.c — one ranking run over a finished model (RANKING.md):
 *
 *   1. comment spammers are flagged, so nothing below counts them;
 *   2. one pass per person over their posts in time order, each post's
 *      thread read once (rk_post_talk): per (person, topic) evidence,
 *      the people-graph events, the relationship with `me`;
 *   3. the graph is built (CSR), the spam rules run on it, PageRank runs
 *      globally, then per topic with candidates, warm-started;
 *   4. per topic: priors, normalisation among the topic's candidates,
 *      gates, the weighted sum, roles (rk_score);
 *   5. steps and notes, one score record each, and the merged people,
 *      handed to a sink (rk_emit).
 *
 * Every pass is linear in posts + comments + edges, plus small sorts per
 * person and per thread.
 */
#include "ranker/internal.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define MONTH (DAY * 30.436875)

enum ev_kind { EV_LINK, EV_COMMENT, EV_REPLY };

struct ev {
	uint32_t src, dst;
	int64_t t;
	uint8_t kind;
};

struct pair {
	uint32_t topic;
	uint32_t who;
	double val;
};

/* Per-topic accumulator while one person's posts are read. */
struct agg {
	double credit;
	uint32_t posts_on, months_on;
	int64_t last_month;
	uint32_t pwc, answered, comments, unknown_commenters;
	uint32_t talk_commenters, talk_answered, replies;
	uint32_t comment_post, link_post, latest_post;
	int comment_tier, comment_ans, comment_open;
	int64_t comment_time, link_time;
	uint32_t link_cited, link_cc;
	int touched;
};

struct pass {
	struct rk_run *r;
	const unsigned char *cspam;
	struct agg *agg;		/* ntopics + 1 */
	uint32_t *touched;
	size_t ntouched;
	struct pair *commenters, *lat, *cc, *langs;
	size_t ncommenters, nlat, ncc, nlangs, pcap[4];
	uint32_t *all_commenters;
	size_t nall, all_cap;
	struct ev *ev;
	size_t nev, ev_cap;
	const struct rk_comment **thread;
	uint32_t *answered_by;
	size_t thread_cap;
};

static void
push_pair(struct pair **v, size_t *n, size_t *cap, uint32_t topic,
	  uint32_t who, double val)
{
	MS_GROW(*v, *n + 1, *cap);
	(*v)[*n].topic = topic;
	(*v)[*n].who = who;
	(*v)[*n].val = val;
	(*n)++;
}

static void
push_ev(struct pass *ps, uint32_t src, uint32_t dst, int kind, int64_t t)
{
	if (src == RK_NONE || dst == RK_NONE || src == dst)
		return;
	MS_GROW(ps->ev, ps->nev + 1, ps->ev_cap);
	ps->ev[ps->nev].src = src;
	ps->ev[ps->nev].dst = dst;
	ps->ev[ps->nev].t = t;
	ps->ev[ps->nev].kind = (uint8_t)kind;
	ps->nev++;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->topic != y->topic)
		return x->topic < y->topic ? -1 : 1;
	if (x->who != y->who)
		return x->who < y->who ? -1 : 1;
	return (x->val > y->val) - (x->val < y->val);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static struct agg *
touch(struct pass *ps, uint32_t topic)
{
	struct agg *a = &ps->agg[topic];

	if (!a->touched) {
		memset(a, 0, sizeof(*a));
		a->touched = 1;
		a->last_month = INT64_MIN;
		a->comment_post = a->link_post = a->latest_post = RK_NONE;
		ps->touched[ps->ntouched++] = topic;
	}
	return a;
}

/* The comment step wants a recent on-topic post with comments open, one
 * where the author answered people if possible. */
static void
consider_comment(const struct rk_model *m, struct agg *a, uint32_t pi,
		 const struct rk_talk *talk)
{
	const struct rk_post *p = &m->posts[pi];
	int64_t age;
	int tier, ans = talk->answered > 0, open = p->comments_open == 1;

	if (p->comments_open == 0 || p->published == MS_TIME_NONE)
		return;
	if (p->comments_open < 0 && !talk->others)
		return;	/* unknown, and nobody has commented: no door */
	age = m->c.now - p->published;
	if (age <= (int64_t)RK_COMMENT_DAYS * DAY)
		tier = 2;
	else if (age <= (int64_t)m->c.weights.recent_days * DAY)
		tier = 1;
	else
		return;
	if (a->comment_post != RK_NONE &&
	    (tier < a->comment_tier ||
	     (tier == a->comment_tier &&
	      (ans < a->comment_ans ||
	       (ans == a->comment_ans &&
		(open < a->comment_open ||
		 (open == a->comment_open &&
		  p->published < a->comment_time)))))))
		return;
	a->comment_post = pi;
	a->comment_tier = tier;
	a->comment_ans = ans;
	a->comment_open = open;
	a->comment_time = p->published;
}

static void
consider_link(const struct rk_model *m, struct agg *a, uint32_t pi,
	      uint32_t ncomments)
{
	const struct rk_post *p = &m->posts[pi];

	if (a->link_post != RK_NONE &&
	    (p->cited < a->link_cited ||
	     (p->cited == a->link_cited &&
	      (ncomments < a->link_cc ||
	       (ncomments == a->link_cc && p->published < a->link_time)))))
		return;
	a->link_post = pi;
	a->link_cited = p->cited;
	a->link_cc = ncomments;
	a->link_time = p->published;
}

/* Read one post's thread: the talk, graph events, `me`. */
static void
read_thread(struct pass *ps, uint32_t person, uint32_t pi,
	    struct rk_talk *talk)
{
	struct rk_model *m = ps->r->m;
	struct rk_state *st = ps->r->st;
	uint32_t lo = m->post_comment_off[pi], hi = m->post_comment_off[pi + 1];
	size_t n = hi - lo;

	if (n > ps->thread_cap) {
		ps->thread_cap = n;
		ps->thread = ms_xreallocarray(ps->thread, n,
					      sizeof(*ps->thread));
		ps->answered_by = ms_xreallocarray(ps->answered_by, n,
						   sizeof(*ps->answered_by));
	}
	for (size_t i = 0; i < n; i++)
		ps->thread[i] = &m->comments[m->comment_order[lo + i]];
	rk_post_talk(ps->thread, n, person, ps->cspam, ps->answered_by, talk);
	for (size_t i = 0; i < n; i++) {
		const struct rk_comment *c = ps->thread[i];

		if (c->author != RK_NONE && ps->cspam[c->author]) {
			st[person].spam_comments++;
			continue;
		}
		if (c->author == person || c->by_author)
			continue;
		push_ev(ps, c->author, person, EV_COMMENT, c->published);
		if (c->author != RK_NONE) {
			MS_GROW(ps->all_commenters, ps->nall + 1,
				ps->all_cap);
			ps->all_commenters[ps->nall++] = c->author;
		}
		st[person].comments_in++;
		if (m->me != RK_NONE && c->author == m->me)
			st[person].engaged_post = pi;
		if (m->me != RK_NONE && person == m->me &&
		    c->author != RK_NONE)
			st[c->author].noticed_post = pi;
		if (ps->answered_by[i] != RK_NONE) {
			push_ev(ps, person, c->author, EV_REPLY,
				ps->thread[ps->answered_by[i]]->published);
			if (m->me != RK_NONE && c->author == m->me)
				st[person].noticed_post = pi;
		}
	}
}

static void
add_post(struct pass *ps, uint32_t person, uint32_t pi, int64_t win)
{
	struct rk_model *m = ps->r->m;
	struct rk_state *st = &ps->r->st[person];
	const struct rk_post *p = &m->posts[pi];
	struct rk_talk talk;
	int in_win = win == INT64_MIN || p->published >= win;
	uint32_t ncomm, all = (uint32_t)m->c.ntopics;
	int64_t month = p->published == MS_TIME_NONE ? INT64_MIN :
			(int64_t)floor(p->published / MONTH);

	read_thread(ps, person, pi, &talk);
	ncomm = talk.others || m->post_comment_off[pi + 1] >
					       m->post_comment_off[pi] ?
			talk.others :
			(p->comment_count > 0 ? (uint32_t)p->comment_count : 0);
	for (uint16_t k = 0; k < p->nlink; k++) {
		uint32_t to = m->links[p->link_off + k];

		push_ev(ps, person, to, EV_LINK, p->published);
		if (m->me != RK_NONE && to == m->me && person != m->me)
			st->connected_post = pi;
	}
	for (uint32_t k = 0; k <= p->ntopic; k++) {
		uint32_t t = k < p->ntopic ? m->tw[p->topic_off + k].topic :
					     all;
		double cr = k < p->ntopic ?
				    m->tw[p->topic_off + k].credit : 1.0;
		struct agg *a = touch(ps, t);

		a->credit += cr;
		a->posts_on++;
		if (month != INT64_MIN && month != a->last_month) {
			a->months_on++;
			a->last_month = month;
		}
		a->latest_post = pi;
		consider_link(m, a, pi, ncomm);
		consider_comment(m, a, pi, &talk);
		if (p->lang)
			push_pair(&ps->langs, &ps->nlangs, &ps->pcap[3], t,
				  p->lang, 0);
		if (!in_win)
			continue;
		push_pair(&ps->cc, &ps->ncc, &ps->pcap[2], t, 0, ncomm);
		if (!talk.others)
			continue;
		a->pwc++;
		a->answered += talk.answered > 0;
		a->comments += talk.others;
		a->talk_commenters += talk.commenters;
		a->talk_answered += talk.answered_commenters;
		a->replies += talk.replies;
		for (size_t i = 0; i < m->post_comment_off[pi + 1] -
						m->post_comment_off[pi];
		     i++) {
			const struct rk_comment *c = ps->thread[i];
			uint32_t ans = ps->answered_by[i];

			if (c->author == person || c->by_author ||
			    (c->author != RK_NONE && ps->cspam[c->author]))
				continue;
			if (c->author == RK_NONE)
				a->unknown_commenters++;
			else
				push_pair(&ps->commenters, &ps->ncommenters,
					  &ps->pcap[0], t, c->author, 0);
			if (ans != RK_NONE && c->published != MS_TIME_NONE &&
			    ps->thread[ans]->published != MS_TIME_NONE &&
			    ps->thread[ans]->published >= c->published)
				push_pair(&ps->lat, &ps->nlat, &ps->pcap[1], t,
					  0,
					  (double)(ps->thread[ans]->published -
						   c->published));
		}
	}
}

/* Median of the values of topic t in a sorted pair list, from *i on. */
static double
take_median(const struct pair *v, size_t n, size_t *i, uint32_t t,
	    double *scratch, size_t *count)
{
	size_t k = 0;

	while (*i < n && v[*i].topic < t)
		(*i)++;
	while (*i < n && v[*i].topic == t)
		scratch[k++] = v[(*i)++].val;
	*count = k;
	return rk_median(scratch, k);
}

static int
cmp_touched(const void *a, const void *b)
{
	return cmp_u32(a, b);
}

static void
finish_person(struct pass *ps, uint32_t person)
{
	struct rk_run *r = ps->r;
	struct rk_model *m = r->m;
	struct rk_state *st = &r->st[person];
	size_t ic = 0, il = 0, icc = 0, ilang = 0, cnt;
	size_t most = ps->ncc > ps->nlat ? ps->ncc : ps->nlat;
	double *scratch = ms_xmalloc((most ? most : 1) * sizeof(*scratch));

	rk_sort(ps->touched, ps->ntouched, sizeof(*ps->touched), cmp_touched);
	rk_sort(ps->commenters, ps->ncommenters, sizeof(*ps->commenters),
	      cmp_pair);
	rk_sort(ps->lat, ps->nlat, sizeof(*ps->lat), cmp_pair);
	rk_sort(ps->cc, ps->ncc, sizeof(*ps->cc), cmp_pair);
	rk_sort(ps->langs, ps->nlangs, sizeof(*ps->langs), cmp_pair);
	st->pt_off = (uint32_t)r->npts;
	for (size_t k = 0; k < ps->ntouched; k++) {
		uint32_t t = ps->touched[k], best = 0, run = 0, bestrun = 0;
		struct agg *a = &ps->agg[t];
		struct rk_pt *pt;
		double lat;

		MS_GROW(r->pts, r->npts + 1, r->pts_cap);
		pt = &r->pts[r->npts++];
		memset(pt, 0, sizeof(*pt));
		pt->person = person;
		pt->topic = (uint16_t)t;
		pt->credit = (float)a->credit;
		pt->posts_on = a->posts_on;
		pt->months_on = a->months_on;
		pt->pwc = a->pwc;
		pt->answered = a->answered;
		pt->comments = a->comments;
		pt->talk_commenters = a->talk_commenters;
		pt->talk_answered = a->talk_answered;
		pt->replies = a->replies;
		pt->comment_post = a->comment_post;
		pt->comment_answered = (uint8_t)a->comment_ans;
		pt->link_post = a->link_post;
		pt->latest_post = a->latest_post;
		/* distinct commenters of this topic's posts */
		pt->commenters = a->unknown_commenters;
		while (ic < ps->ncommenters && ps->commenters[ic].topic < t)
			ic++;
		for (; ic < ps->ncommenters && ps->commenters[ic].topic == t;
		     ic++)
			if (ic == 0 || ps->commenters[ic - 1].topic != t ||
			    ps->commenters[ic - 1].who !=
				    ps->commenters[ic].who)
				pt->commenters++;
		lat = take_median(ps->lat, ps->nlat, &il, t, scratch, &cnt);
		pt->median_lat_s = cnt ? (float)lat : -1.0f;
		pt->median_comments = (float)take_median(ps->cc, ps->ncc, &icc,
							 t, scratch, &cnt);
		/* the topic's main language: the longest run of one id */
		while (ilang < ps->nlangs && ps->langs[ilang].topic < t)
			ilang++;
		for (; ilang < ps->nlangs && ps->langs[ilang].topic == t;
		     ilang++) {
			if (ilang && ps->langs[ilang - 1].topic == t &&
			    ps->langs[ilang - 1].who == ps->langs[ilang].who)
				run++;
			else
				run = 1;
			if (run > bestrun) {
				bestrun = run;
				best = ps->langs[ilang].who;
			}
		}
		pt->lang = (uint8_t)best;
		if (t == m->c.ntopics)
			st->lang = (uint8_t)best;
		a->touched = 0;
	}
	st->npt = (uint32_t)(r->npts - st->pt_off);
	free(scratch);

	/* who comments on them: distinct, and the top five's share */
	if (ps->nall) {
		uint32_t *cnts = ms_xmalloc(ps->nall * sizeof(*cnts));
		size_t nd = 0, top = 0;

		rk_sort(ps->all_commenters, ps->nall, sizeof(uint32_t),
		      cmp_u32);
		for (size_t i = 0; i < ps->nall; i++) {
			if (i && ps->all_commenters[i] ==
					 ps->all_commenters[i - 1])
				cnts[nd - 1]++;
			else
				cnts[nd++] = 1;
		}
		rk_sort(cnts, nd, sizeof(*cnts), cmp_u32);
		for (size_t i = 0; i < nd && i < 5; i++)
			top += cnts[nd - 1 - i];
		st->commenters = (uint32_t)nd;
		st->top5 = (float)((double)top / (double)ps->nall);
		free(cnts);
	}
	ps->ntouched = ps->ncommenters = ps->nlat = ps->ncc = ps->nlangs = 0;
	ps->nall = 0;
}

static void
person_pass(struct pass *ps)
{
	struct rk_run *r = ps->r;
	struct rk_model *m = r->m;
	size_t ntop = m->c.ntopics + 1;

	ps->agg = ms_xcalloc(ntop, sizeof(*ps->agg));
	ps->touched = ms_xmalloc(ntop * sizeof(*ps->touched));
	for (uint32_t a = 0; a < m->npeople; a++) {
		struct rk_state *st = &r->st[a];
		uint32_t lo = m->person_post_off[a];
		uint32_t hi = m->person_post_off[a + 1];
		uint32_t months = 0;
		int64_t win = INT64_MIN;
		double tcred = 0, h = 0;
		int open = 0, unknown = 1, talk = 0;

		if (lo == hi)
			continue;
		st->nposts = hi - lo;
		st->first_post = st->last_post = MS_TIME_NONE;
		for (uint32_t i = lo; i < hi; i++) {
			const struct rk_post *p =
				&m->posts[m->post_order[i]];

			if (p->published == MS_TIME_NONE)
				continue;
			if (st->first_post == MS_TIME_NONE)
				st->first_post = p->published;
			st->last_post = p->published;
			if (p->published <= m->c.now) {
				double b = (m->c.now - p->published) / MONTH;

				if (b < 12)
					months |= 1u << (unsigned)b;
			}
		}
		for (unsigned b = 0; b < 12; b++)
			st->months12 += (months >> b) & 1;
		/* responsiveness and audience: their most recent year of
		 * posting, wherever it lies (activity measures aliveness) */
		if (st->last_post != MS_TIME_NONE)
			win = st->last_post -
			      (int64_t)m->c.weights.recent_days * DAY;
		for (uint32_t i = lo; i < hi; i++) {
			uint32_t pi = m->post_order[i];

			st->raw_links += m->posts[pi].nraw_links;
			add_post(ps, a, pi, win);
		}
		/* the door: comments open on one of the last five posts */
		for (uint32_t i = hi; i > lo && i + 5 > hi; i--) {
			const struct rk_post *p =
				&m->posts[m->post_order[i - 1]];

			if (p->comments_open == 1)
				open = 1;
			if (p->comments_open >= 0)
				unknown = 0;
			if (m->post_comment_off[m->post_order[i - 1] + 1] >
			    m->post_comment_off[m->post_order[i - 1]])
				talk = 1;
		}
		st->recent_open = (uint8_t)(open || (unknown && talk));
		finish_person(ps, a);
		/* topic breadth: entropy of their on-topic credit */
		for (uint32_t k = 0; k < st->npt; k++)
			if (r->pts[st->pt_off + k].topic < m->c.ntopics)
				tcred += r->pts[st->pt_off + k].credit;
		for (uint32_t k = 0; k < st->npt && tcred > 0; k++) {
			const struct rk_pt *pt = &r->pts[st->pt_off + k];
			double q = pt->credit / tcred;

			if (pt->topic < m->c.ntopics && q > 0)
				h -= q * log(q);
		}
		st->entropy = m->c.ntopics > 1 ?
				      (float)(h / log((double)m->c.ntopics)) :
				      0;
	}
	free(ps->agg);
	free(ps->touched);
}

/* Events → CSR by source with the duplicates of a pair summed. */
static void
build_graph(struct rk_run *r, struct ev *ev, size_t nev)
{
	size_t n = r->m->npeople, m = 0;
	uint32_t *off = ms_xcalloc(n + 2, sizeof(*off));
	uint32_t *ord = ms_xmalloc((nev ? nev : 1) * sizeof(*ord));
	struct rk_graph *g = &r->g;

	for (size_t i = 0; i < nev; i++)
		off[ev[i].src + 2]++;
	for (size_t i = 2; i < n + 2; i++)
		off[i] += off[i - 1];
	for (size_t i = 0; i < nev; i++)
		ord[off[ev[i].src + 1]++] = (uint32_t)i;
	g->n = n;
	g->off = ms_xcalloc(n + 1, sizeof(*g->off));
	g->dst = ms_xmalloc((nev ? nev : 1) * sizeof(*g->dst));
	g->w = ms_xmalloc((nev ? nev : 1) * sizeof(*g->w));
	r->edge = ms_xcalloc(nev ? nev : 1, sizeof(*r->edge));
	for (size_t s = 0; s < n; s++) {
		uint32_t lo = off[s], hi = off[s + 1];

		g->off[s] = (uint32_t)m;
		/* sort this source's events by target (insertion sort for the
		 * usual handful, qsort beyond) */
		if (hi - lo > 1) {
			uint32_t *a = ord + lo;
			size_t k = hi - lo;

			for (size_t i = 1; i < k; i++) {
				uint32_t x = a[i];
				size_t j = i;

				if (k > 64)
					break;
				while (j && ev[a[j - 1]].dst > ev[x].dst) {
					a[j] = a[j - 1];
					j--;
				}
				a[j] = x;
			}
			if (k > 64) {
				uint32_t *d = ms_xmalloc(k * 2 *
							 sizeof(*d));

				for (size_t i = 0; i < k; i++) {
					d[2 * i] = ev[a[i]].dst;
					d[2 * i + 1] = a[i];
				}
				rk_sort(d, k, 2 * sizeof(*d), cmp_u32);
				for (size_t i = 0; i < k; i++)
					a[i] = d[2 * i + 1];
				free(d);
			}
		}
		for (uint32_t i = lo; i < hi; i++) {
			const struct ev *e = &ev[ord[i]];
			struct rk_edge *ed;

			if (m == g->off[s] || g->dst[m - 1] != e->dst) {
				g->dst[m] = e->dst;
				ed = &r->edge[m++];
				ed->first = ed->last = e->t;
			} else {
				ed = &r->edge[m - 1];
			}
			if (e->kind == EV_LINK)
				ed->nlink++;
			else if (e->kind == EV_COMMENT)
				ed->ncomment++;
			else
				ed->nreply++;
			if (e->t != MS_TIME_NONE) {
				if (ed->first == MS_TIME_NONE ||
				    e->t < ed->first)
					ed->first = e->t;
				if (ed->last == MS_TIME_NONE || e->t > ed->last)
					ed->last = e->t;
			}
		}
	}
	g->off[n] = (uint32_t)m;
	g->m = m;
	r->edges = m;
	for (size_t e = 0; e < m; e++) {
		double c = r->edge[e].nlink + 0.5 * r->edge[e].ncomment;

		g->w[e] = (float)log1p(fmin(c, RK_EDGE_CAP));
	}
	r->esrc = ms_xmalloc((m ? m : 1) * sizeof(*r->esrc));
	for (size_t s = 0; s < n; s++)
		for (uint32_t e = g->off[s]; e < g->off[s + 1]; e++)
			r->esrc[e] = (uint32_t)s;
	/* the same edges by target */
	r->in_off = ms_xcalloc(n + 2, sizeof(*r->in_off));
	r->in_e = ms_xmalloc((m ? m : 1) * sizeof(*r->in_e));
	for (size_t e = 0; e < m; e++)
		r->in_off[g->dst[e] + 2]++;
	for (size_t i = 2; i < n + 2; i++)
		r->in_off[i] += r->in_off[i - 1];
	for (size_t s = 0; s < n; s++)
		for (uint32_t e = g->off[s]; e < g->off[s + 1]; e++)
			r->in_e[r->in_off[g->dst[e] + 1]++] = e;
	free(off);
	free(ord);
}

static void
graph_counts(struct rk_run *r)
{
	struct rk_model *m = r->m;
	size_t words = (m->c.ntopics + 63) / 64;
	uint32_t *main_topic;
	double *best;
	uint64_t *u;

	if (!words)
		words = 1;
	r->tmask_words = words;
	r->tmask = ms_xcalloc(m->npeople * words, sizeof(*r->tmask));
	/* each person's topics, and the one they write on most: a
	 * neighbourhood's communities are its people's main topics */
	main_topic = ms_xmalloc((m->npeople ? m->npeople : 1) *
				sizeof(*main_topic));
	best = ms_xcalloc(m->npeople ? m->npeople : 1, sizeof(*best));
	for (size_t i = 0; i < m->npeople; i++)
		main_topic[i] = RK_NONE;
	for (size_t i = 0; i < r->npts; i++) {
		const struct rk_pt *pt = &r->pts[i];

		if (pt->topic >= m->c.ntopics)
			continue;
		r->tmask[pt->person * words + pt->topic / 64] |=
			1ULL << (pt->topic % 64);
		if (pt->credit > best[pt->person] ||
		    (pt->credit == best[pt->person] &&
		     pt->topic < main_topic[pt->person])) {
			best[pt->person] = pt->credit;
			main_topic[pt->person] = pt->topic;
		}
	}
	u = ms_xcalloc(words, sizeof(*u));
	for (uint32_t s = 0; s < m->npeople; s++) {
		struct rk_state *st = &r->st[s];
		uint32_t nb = 0, t;

		memset(u, 0, words * sizeof(*u));
		for (uint32_t e = r->g.off[s]; e < r->g.off[s + 1]; e++) {
			if (r->edge[e].nlink)
				st->links_out++;
			if (r->edge[e].ncomment)
				st->commented_on++;
			if ((t = main_topic[r->g.dst[e]]) != RK_NONE)
				u[t / 64] |= 1ULL << (t % 64);
		}
		for (uint32_t k = r->in_off[s]; k < r->in_off[s + 1]; k++) {
			uint32_t e = r->in_e[k];

			if (r->edge[e].nlink)
				st->links_in++;
			if ((t = main_topic[r->esrc[e]]) != RK_NONE)
				u[t / 64] |= 1ULL << (t % 64);
		}
		for (size_t w = 0; w < words; w++)
			nb += (uint32_t)__builtin_popcountll(u[w]);
		st->topics_nb = nb;
	}
	free(u);
	free(main_topic);
	free(best);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
weight_sum(const struct ms_weights *w)
{
	double s = w->focus + w->authority + w->responsiveness + w->audience +
		   w->activity + w->reachability;

	return s > 0 ? s : 1;
}

static size_t
count_list(const char *list)
{
	const char *cur = list;
	size_t n, k = 0;

	while (ms_strlist_next(&cur, &n))
		if (n)
			k++;
	return k;
}

static int
has_contact(const char *list)
{
	const char *cur = list, *it;
	size_t n;

	while ((it = ms_strlist_next(&cur, &n)))
		if ((n > 7 && !strncmp(it, "mailto:", 7)) ||
		    (n > 8 && memmem(it, n, "/contact", 8)))
			return 1;
	return 0;
}

/* Signals, gates and the score of every candidate of one topic. */
static void
score_topic(struct rk_run *r, uint32_t t, uint32_t *idx, size_t n,
	    double *pr)
{
	struct rk_model *m = r->m;
	const struct ms_weights *w = &m->c.weights;
	int all = t == m->c.ntopics;
	double *vals = ms_xmalloc((n ? n : 1) * sizeof(*vals));
	double *lc = ms_xmalloc((n ? n : 1) * sizeof(*lc));
	double *mc = ms_xmalloc((n ? n : 1) * sizeof(*mc));
	double med_pr, wsum = weight_sum(w);
	int small = n < RK_SMALL_N;

	for (size_t i = 0; i < n; i++) {
		const struct rk_pt *pt = &r->pts[idx[i]];

		vals[i] = pr[pt->person];
		lc[i] = log1p(pt->commenters);
		mc[i] = pt->median_comments;
	}
	rk_sort(lc, n, sizeof(*lc), cmp_double);
	rk_sort(mc, n, sizeof(*mc), cmp_double);
	/* sorted ranks, their median, then their logs (still sorted) */
	med_pr = rk_median(vals, n);
	for (size_t i = 0; i < n; i++)
		vals[i] = log(vals[i] > 0 ? vals[i] : 1e-300);
	for (size_t i = 0; i < n; i++) {
		struct rk_pt *pt = &r->pts[idx[i]];
		const struct rk_state *st = &r->st[pt->person];
		const struct rk_person *p = &m->people[pt->person];
		double *s = pt->signals, g = 1, days, sum = 0, prv;
		double lat_h = pt->median_lat_s < 0 ? -1 :
						      pt->median_lat_s / 3600.0;

		s[MS_SIG_FOCUS] = rk_focus(pt->credit, st->nposts,
					   all ? 1.0 : r->prior[t],
					   pt->months_on);
		prv = pr[pt->person];
		if (small)
			s[MS_SIG_AUTHORITY] = rk_saturate(
				med_pr > 0 ? prv / med_pr : 0, RK_HALF_AUTH);
		else
			s[MS_SIG_AUTHORITY] = rk_percentile(
				vals, n, log(prv > 0 ? prv : 1e-300));
		s[MS_SIG_RESPONSIVENESS] = rk_responsiveness(
			pt->answered, pt->pwc, r->p0[t], lat_h,
			st->recent_open);
		if (small)
			s[MS_SIG_AUDIENCE] =
				0.5 * rk_saturate(pt->commenters,
						  RK_HALF_COUNT) +
				0.5 * rk_saturate(pt->median_comments,
						  RK_HALF_COMMENTS);
		else
			s[MS_SIG_AUDIENCE] =
				0.5 * rk_percentile(lc, n,
						    log1p(pt->commenters)) +
				0.5 * rk_percentile(mc, n,
						    pt->median_comments);
		/* a tiny clique is not an audience (only meaningful once
		 * there are clearly more than five commenters) */
		if (st->commenters >= 10 && st->top5 > 0.6)
			s[MS_SIG_AUDIENCE] *= 0.5;
		if (st->spam & RK_S_POD) {
			s[MS_SIG_AUDIENCE] = 0;
			s[MS_SIG_RESPONSIVENESS] = 0;
		}
		days = st->last_post == MS_TIME_NONE ?
			       1e9 :
			       (double)(m->c.now - st->last_post) / DAY;
		s[MS_SIG_ACTIVITY] = rk_activity(days, st->months12,
						 w->half_life_days);
		s[MS_SIG_REACHABILITY] = rk_reachability(
			st->recent_open, p->feed && *p->feed,
			count_list(p->profiles), has_contact(p->profiles));

		pt->flags = 0;
		if (pt->credit < m->c.min_on_topic) {
			g = 0;
			pt->flags |= RK_F_THIN;
		}
		if (days > RK_DORMANT_DAYS) {
			g *= RK_DORMANT_GATE;
			pt->flags |= RK_F_DORMANT;
		}
		if (st->spam) {
			g *= st->damp;
			pt->flags |= RK_F_SPAM;
		}
		if (rk_spam_excluded(r, pt->person))
			pt->flags |= RK_F_EXCLUDED;
		if (st->spam & RK_S_POD)
			pt->flags |= RK_F_POD;
		if (st->spam & RK_S_RING)
			pt->flags |= RK_F_RING;
		sum = w->focus * s[MS_SIG_FOCUS] +
		      w->authority * s[MS_SIG_AUTHORITY] +
		      w->responsiveness * s[MS_SIG_RESPONSIVENESS] +
		      w->audience * s[MS_SIG_AUDIENCE] +
		      w->activity * s[MS_SIG_ACTIVITY] +
		      w->reachability * s[MS_SIG_REACHABILITY];
		pt->score = g * sum / wsum;
		rk_roles(r, pt);
	}
	free(vals);
	free(lc);
	free(mc);
}

static void
topic_links_in(struct rk_run *r, struct rk_pt *pt)
{
	size_t words = r->tmask_words;
	uint32_t p = pt->person;

	pt->links_in = 0;
	for (uint32_t k = r->in_off[p]; k < r->in_off[p + 1]; k++) {
		uint32_t e = r->in_e[k], s;

		if (!r->edge[e].nlink)
			continue;
		s = r->esrc[e];
		if (pt->topic >= r->m->c.ntopics ||
		    (r->tmask[s * words + pt->topic / 64] >>
		     (pt->topic % 64)) & 1)
			pt->links_in++;
	}
}

static void
priors(struct rk_run *r)
{
	struct rk_model *m = r->m;
	size_t nt = m->c.ntopics + 1;
	double **rates = ms_xcalloc(nt, sizeof(*rates));
	size_t *nr = ms_xcalloc(nt, sizeof(*nr)), *cap = ms_xcalloc(nt,
								  sizeof(*cap));

	r->prior = ms_xcalloc(nt, sizeof(*r->prior));
	r->p0 = ms_xcalloc(nt, sizeof(*r->p0));
	for (size_t i = 0; i < m->ntw; i++)
		r->prior[m->tw[i].topic] += m->tw[i].credit;
	for (size_t t = 0; t < m->c.ntopics; t++)
		r->prior[t] = m->nposts ? r->prior[t] / m->nposts : 0;
	r->prior[m->c.ntopics] = 1;
	for (size_t i = 0; i < r->npts; i++) {
		const struct rk_pt *pt = &r->pts[i];

		if (!pt->pwc)
			continue;
		MS_GROW(rates[pt->topic], nr[pt->topic] + 1, cap[pt->topic]);
		rates[pt->topic][nr[pt->topic]++] =
			(double)pt->answered / pt->pwc;
	}
	/* the topic's median reply rate, itself shrunk towards the default
	 * while few authors have comments to judge by */
	for (size_t t = 0; t < nt; t++) {
		r->p0[t] = (nr[t] * rk_median(rates[t], nr[t]) +
			    RK_PRIOR_A * RK_DEFAULT_P0) /
			   (nr[t] + RK_PRIOR_A);
		free(rates[t]);
	}
	free(rates);
	free(nr);
	free(cap);
}

/* Personalization for topic t: half focus-weighted candidates, half the
 * user's subscriptions (RANKING.md §3.3.3); focus only without seeds. */
static int
topic_pers(struct rk_run *r, const uint32_t *idx, size_t n,
	   const unsigned char *seed, size_t nseed, double *v)
{
	size_t np = r->m->npeople;
	double fs = 0;

	memset(v, 0, np * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		fs += r->pts[idx[i]].signals[MS_SIG_FOCUS];
	if (fs <= 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct rk_pt *pt = &r->pts[idx[i]];

		v[pt->person] += (nseed ? 0.5 : 1.0) *
				 pt->signals[MS_SIG_FOCUS] / fs;
	}
	if (nseed)
		for (size_t i = 0; i < np; i++)
			if (seed[i])
				v[i] += 0.5 / (double)nseed;
	return 1;
}

static void
notes_of(const struct rk_run *r, const struct rk_pt *pt, struct ms_buf *b)
{
	const struct rk_model *m = r->m;
	const struct rk_state *st = &r->st[pt->person];
	unsigned aliases = 0;

	ms_buf_reset(b);
	if (pt->flags & RK_F_THIN)
		ms_buf_addf(b, "insufficient evidence: %.1f on-topic posts, "
			    "%u needed\n", pt->credit, m->c.min_on_topic);
	if (pt->flags & RK_F_DORMANT)
		ms_buf_addf(b, "dormant: no post in %d days, score x%.1f\n",
			    RK_DORMANT_DAYS, RK_DORMANT_GATE);
	rk_spam_notes(r, pt->person, b);
	if (st->spam_comments)
		ms_buf_addf(b, "ignored %u spam comment%s on their posts\n",
			    st->spam_comments, RK_S(st->spam_comments));
	/* the merged identities (people keyed apart in the store) */
	if (m->alias_off)
		for (uint32_t k = m->alias_off[pt->person];
		     k < m->alias_off[pt->person + 1] && aliases < 3; k++) {
			ms_buf_addf(b, "identity: also %s\n",
				    m->people[m->alias_idx[k]].ident);
			aliases++;
		}
	rk_role_notes(r, pt, b);
	if (b->len && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
}

static int
emit(struct rk_run *r, const struct rk_sink *sink, struct rk_pt *pt,
     struct ms_buf *notes, struct ms_buf *steps)
{
	struct rk_model *m = r->m;
	const struct rk_state *st = &r->st[pt->person];
	const struct rk_person *p = &m->people[pt->person];
	struct ms_score_rec rec;
	int64_t *ev = rec.evidence;

	topic_links_in(r, pt);
	memset(&rec, 0, sizeof(rec));
	rec.person = p->key;
	rec.topic = pt->topic < m->c.ntopics ? m->c.topic_ids[pt->topic] :
					       MS_RANK_OVERALL;
	rec.score = pt->score;
	memcpy(rec.signals, pt->signals, sizeof(rec.signals));
	ev[MS_EV_POSTS] = st->nposts;
	ev[MS_EV_POSTS_ON_TOPIC] = pt->posts_on;
	ev[MS_EV_COMMENTS_RECEIVED] = pt->comments;
	ev[MS_EV_COMMENTERS] = pt->commenters;
	ev[MS_EV_POSTS_WITH_COMMENTS] = pt->pwc;
	ev[MS_EV_POSTS_ANSWERED] = pt->answered;
	ev[MS_EV_REPLIES] = pt->replies;
	ev[MS_EV_MEDIAN_REPLY_S] = pt->median_lat_s < 0 ?
					   -1 :
					   (int64_t)llround(pt->median_lat_s);
	ev[MS_EV_LINKS_IN] = pt->links_in;
	ev[MS_EV_LINKS_OUT] = st->links_out;
	ev[MS_EV_PROFILES] = (int64_t)count_list(p->profiles);
	ev[MS_EV_DAYS_SINCE_POST] =
		st->last_post == MS_TIME_NONE ?
			-1 :
			(m->c.now - st->last_post) / DAY;
	rec.flags = pt->flags;
	for (int k = MS_ROLE_ADVISER; k <= MS_ROLE_PEER; k++) {
		unsigned q = (unsigned)lround(pt->affinity[k] * RK_ROLE_MAX);

		rec.flags |= (q > RK_ROLE_MAX ? RK_ROLE_MAX : q)
			     << ((k - 1) * RK_ROLE_BITS);
	}
	notes_of(r, pt, notes);
	rec.notes = notes->len ? ms_buf_str(notes) : NULL;
	rk_steps_build(r, pt, steps);
	rec.steps = steps->len ? ms_buf_str(steps) : NULL;
	rec.lang = pt->lang ? m->langs[pt->lang] : NULL;
	rec.stage = st->stage;
	return sink->score ? sink->score(sink->ctx, &rec) : 0;
}

static void
stages(struct rk_run *r)
{
	struct rk_model *m = r->m;

	for (uint32_t i = 0; i < m->npeople; i++) {
		struct rk_state *st = &r->st[i];

		if (m->me == RK_NONE)
			st->stage = MS_STAGE_NONE;
		else if (st->connected_post != RK_NONE)
			st->stage = MS_STAGE_CONNECTED;
		else if (st->noticed_post != RK_NONE)
			st->stage = MS_STAGE_NOTICED;
		else if (st->engaged_post != RK_NONE)
			st->stage = MS_STAGE_ENGAGED;
		else
			st->stage = MS_STAGE_NOT_CONTACTED;
	}
}

/* People whose merged fields differ from the store's: the aliases'
 * profiles united into them, `me` flagged. */
static int
emit_people(struct rk_run *r, const struct rk_sink *sink)
{
	const struct rk_model *m = r->m;

	if (!sink->person)
		return 0;
	for (size_t i = 0; i < m->npeople; i++) {
		const struct rk_person *c = &m->people[i];
		struct ms_person_rec pr = { 0 };
		int rc;

		if (c->canon != i || !c->changed)
			continue;
		pr.ident = c->ident;
		pr.name = c->name;
		pr.site = c->site;
		pr.feed = c->feed;
		pr.profiles = c->profiles;
		pr.flags = c->flags;
		pr.first_seen = pr.last_seen = MS_TIME_NONE;
		rc = sink->person(sink->ctx, &c->key, &pr);
		if (rc)
			return rc;
	}
	return 0;
}

/* Is this result below the evidence gate? */
static int
thin(const struct rk_run *r, const struct rk_pt *pt)
{
	return pt->credit < r->m->c.min_on_topic;
}

/*
 * Below the evidence gate a person scores 0.  While a topic has few
 * candidates they are still listed ("insufficient evidence" beats an
 * empty list); once it has enough, they are not written at all, which is
 * most of a big crawl's (person, topic) pairs.  Decided before scoring,
 * so only what will be written gets steps, texts and evidence.
 */
static void
mark_written(struct rk_run *r)
{
	size_t nt = r->m->c.ntopics + 1;
	uint32_t *qualified = ms_xcalloc(nt, sizeof(*qualified));

	for (size_t i = 0; i < r->npts; i++)
		if (r->pts[i].person != r->m->me && !thin(r, &r->pts[i]) &&
		    !rk_spam_excluded(r, r->pts[i].person))
			qualified[r->pts[i].topic]++;
	for (size_t i = 0; i < r->npts; i++) {
		struct rk_pt *pt = &r->pts[i];

		/* the excluded keep their overall record: explain says why */
		if (pt->topic < r->m->c.ntopics &&
		    rk_spam_excluded(r, pt->person))
			pt->written = 0;
		else
			pt->written = pt->person != r->m->me &&
				      (!thin(r, pt) ||
				       qualified[pt->topic] < RK_SMALL_N);
	}
	free(qualified);
}

/* The texts of every post a step may name, while the source can still
 * give them (rank.c holds its read snapshot until rk_score returns). */
static void
prefetch(struct rk_run *r)
{
	struct rk_model *m = r->m;
	uint32_t want[6];

	for (size_t i = 0; i < r->npts + m->npeople; i++) {
		size_t n = 0;

		if (i < r->npts && !r->pts[i].written)
			continue;
		if (i < r->npts) {
			want[n++] = r->pts[i].comment_post;
			want[n++] = r->pts[i].link_post;
			want[n++] = r->pts[i].latest_post;
		} else {
			const struct rk_state *st = &r->st[i - r->npts];

			want[n++] = st->engaged_post;
			want[n++] = st->noticed_post;
			want[n++] = st->connected_post;
		}
		for (size_t k = 0; k < n; k++) {
			struct rk_post *p;
			const char *url, *title;

			if (want[k] == RK_NONE)
				continue;
			p = &m->posts[want[k]];
			if (p->url)
				continue;
			rk_post_text(m, want[k], &url, &title);
			p->url = ms_arena_strdup(&m->arena, url ? url : "");
			p->title = title ? ms_arena_strdup(&m->arena, title) :
					   NULL;
		}
	}
}

/* The edges PageRank walks (weight > 0: not reply-only, not a ring's),
 * packed, since every iteration of every topic reads them all. */
static void
walk_graph(const struct rk_run *r, struct rk_graph *w)
{
	const struct rk_graph *g = &r->g;
	size_t m = 0;

	w->n = g->n;
	w->off = ms_xmalloc((g->n + 1) * sizeof(*w->off));
	for (size_t e = 0; e < g->m; e++)
		m += g->w[e] > 0;
	w->dst = ms_xmalloc((m ? m : 1) * sizeof(*w->dst));
	w->w = ms_xmalloc((m ? m : 1) * sizeof(*w->w));
	m = 0;
	for (size_t s = 0; s < g->n; s++) {
		w->off[s] = (uint32_t)m;
		for (uint32_t e = g->off[s]; e < g->off[s + 1]; e++)
			if (g->w[e] > 0) {
				w->dst[m] = g->dst[e];
				w->w[m++] = g->w[e];
			}
	}
	w->off[g->n] = (uint32_t)m;
	w->m = m;
}

/*
 * TrustRank (RANKING.md §3.7): PageRank teleporting to the user's
 * subscriptions only, over the graph as read (links and comments), as a
 * share of plain PageRank.  A link ring that nobody trusted links to or
 * comments on, directly or through others, gets none.  Without seeds
 * there is no trust to measure and rk_run.trusted stays 0.
 */
static void
trust(struct rk_run *r, const unsigned char *seed, size_t nseed)
{
	struct rk_graph walk = { 0 };
	size_t np = r->m->npeople;
	double *pr, *tr, *v;

	if (!nseed || !np)
		return;
	walk_graph(r, &walk);
	pr = ms_xmalloc(np * sizeof(*pr));
	tr = ms_xmalloc(np * sizeof(*tr));
	v = ms_xmalloc(np * sizeof(*v));
	for (size_t i = 0; i < np; i++) {
		pr[i] = 1.0 / (double)np;
		v[i] = seed[i] ? 1.0 / (double)nseed : 0;
	}
	memcpy(tr, v, np * sizeof(*tr));
	rk_pagerank(&walk, NULL, RK_DAMPING, RK_EPS, RK_MAXITER, pr);
	rk_pagerank(&walk, v, RK_DAMPING, RK_EPS, RK_MAXITER, tr);
	for (size_t i = 0; i < np; i++)
		r->st[i].trust = pr[i] > 0 ? (float)(tr[i] / pr[i]) : 0;
	r->trusted = 1;
	free(pr);
	free(tr);
	free(v);
	rk_graph_release(&walk);
}

/*
 * The personalized PageRank of every taxonomy topic with candidates, in
 * one block run (rk_pagerank_block): col[t] is topic t's column in cols
 * (n × ncols, laid out as RK_PR_AT says), RK_NONE for a topic whose
 * candidates have no focus (the global vector serves).
 */
static void
topic_ranks(struct rk_run *r, const struct rk_graph *walk,
	    const unsigned char *seed, size_t nseed, uint32_t **colp,
	    float **colsp, size_t *ncolsp)
{
	size_t np = r->m->npeople, nt = r->m->c.ntopics, used = 0, k;
	uint32_t *col = ms_xmalloc((nt + 1) * sizeof(*col));
	double *v = ms_xmalloc((np ? np : 1) * sizeof(*v));
	float *pers, *cols;

	for (size_t t = 0; t < nt; t++)
		col[t] = r->toff[t + 1] > r->toff[t] ? (uint32_t)used++ :
						       RK_NONE;
	k = (used + RK_PR_LANES - 1) / RK_PR_LANES * RK_PR_LANES;
	if (!k)
		k = RK_PR_LANES;
	pers = ms_xcalloc((np ? np : 1) * k, sizeof(*pers));
	cols = ms_xmalloc((np ? np : 1) * k * sizeof(*cols));
	for (size_t t = 0; t < nt; t++) {
		if (col[t] == RK_NONE)
			continue;
		if (!topic_pers(r, r->tidx + r->toff[t],
				r->toff[t + 1] - r->toff[t], seed, nseed, v)) {
			col[t] = RK_NONE;	/* its column stays 0 */
			continue;
		}
		for (size_t i = 0; i < np; i++)
			pers[RK_PR_AT(np, i, col[t])] = (float)v[i];
	}
	/* the start: halfway between the global vector and the teleport,
	 * which is nearer the answer than either (a third fewer iterations
	 * on the benchmark store); a column without a topic stays 0 */
	memset(cols, 0, np * k * sizeof(*cols));
	for (size_t t = 0; t < nt; t++)
		for (size_t i = 0; i < np && col[t] != RK_NONE; i++) {
			size_t at = RK_PR_AT(np, i, col[t]);

			cols[at] = 0.5f * (float)r->pr[i] + 0.5f * pers[at];
		}
	if (np && used)
		r->topic_iterations = rk_pagerank_block(walk, k, pers,
							RK_DAMPING, RK_EPS,
							RK_MAXITER, cols);
	free(pers);
	free(v);
	*colp = col;
	*colsp = cols;
	*ncolsp = k;
}

void
rk_score(struct rk_model *m, struct rk_run *r)
{
	struct rk_graph walk = { 0 };
	struct pass ps = { 0 };
	unsigned char *cspam, *seed;
	size_t np, nt = m->c.ntopics + 1, nseed = 0;
	uint32_t *toff, *col;
	float *cols;
	size_t ncols;
	double *rank;

	memset(r, 0, sizeof(*r));
	r->m = m;
	rk_model_finish(m);
	np = m->npeople;
	r->st = ms_xcalloc(np ? np : 1, sizeof(*r->st));
	for (size_t i = 0; i < np; i++) {
		r->st[i].engaged_post = r->st[i].noticed_post =
			r->st[i].connected_post = RK_NONE;
		r->st[i].first_post = r->st[i].last_post = MS_TIME_NONE;
		r->st[i].damp = 1;
	}
	cspam = ms_xcalloc(np ? np : 1, 1);
	rk_spam_commenters(r, cspam);
	ps.r = r;
	ps.cspam = cspam;
	person_pass(&ps);
	build_graph(r, ps.ev, ps.nev);
	free(ps.ev);
	free(ps.commenters);
	free(ps.lat);
	free(ps.cc);
	free(ps.langs);
	free(ps.all_commenters);
	free(ps.thread);
	free(ps.answered_by);
	free(cspam);
	graph_counts(r);
	/* the user's subscriptions: trust and the teleport start there */
	seed = ms_xcalloc(np ? np : 1, 1);
	for (size_t i = 0; i < m->nposts; i++)
		if (m->posts[i].seed && m->posts[i].author != RK_NONE &&
		    !seed[m->posts[i].author]) {
			seed[m->posts[i].author] = 1;
			nseed++;
		}
	trust(r, seed, nseed);
	rk_spam_graph(r);
	stages(r);
	priors(r);
	mark_written(r);
	prefetch(r);

	/* global PageRank: uniform teleport, over the walked edges only */
	walk_graph(r, &walk);
	r->pr = ms_xmalloc((np ? np : 1) * sizeof(*r->pr));
	for (size_t i = 0; i < np; i++)
		r->pr[i] = 1.0 / (double)np;
	r->iterations = rk_pagerank(&walk, NULL, RK_DAMPING, RK_EPS,
				    RK_MAXITER, r->pr);

	/* the results of each topic together (counting sort by topic); the
	 * user is never their own candidate */
	toff = ms_xcalloc(nt + 2, sizeof(*toff));
	r->tidx = ms_xmalloc((r->npts ? r->npts : 1) * sizeof(*r->tidx));
	for (size_t i = 0; i < r->npts; i++)
		if (r->pts[i].person != m->me)
			toff[r->pts[i].topic + 2]++;
	for (size_t t = 2; t < nt + 2; t++)
		toff[t] += toff[t - 1];
	for (size_t i = 0; i < r->npts; i++)
		if (r->pts[i].person != m->me)
			r->tidx[toff[r->pts[i].topic + 1]++] = (uint32_t)i;
	r->nresults = toff[nt];
	r->toff = toff;
	/* focus first: it weights the teleport of the topic's PageRank */
	for (size_t t = 0; t < m->c.ntopics; t++)
		for (uint32_t i = toff[t]; i < toff[t + 1]; i++) {
			struct rk_pt *pt = &r->pts[r->tidx[i]];

			pt->signals[MS_SIG_FOCUS] = rk_focus(
				pt->credit, r->st[pt->person].nposts,
				r->prior[t], pt->months_on);
		}
	topic_ranks(r, &walk, seed, nseed, &col, &cols, &ncols);
	rank = ms_xmalloc((np ? np : 1) * sizeof(*rank));
	for (size_t t = 0; t < nt; t++) {
		uint32_t *idx = r->tidx + toff[t];
		size_t n = toff[t + 1] - toff[t], k;
		const double *pr = r->pr;

		if (!n)
			continue;
		r->topics += t < m->c.ntopics;
		if (t < m->c.ntopics && col[t] != RK_NONE) {
			for (size_t i = 0; i < np; i++)
				rank[i] = cols[RK_PR_AT(np, i, col[t])];
			pr = rank;
		}
		/* the written results to the front: they are the topic's
		 * candidates, the set the percentiles are taken in */
		k = 0;
		for (size_t i = 0; i < n; i++)
			if (r->pts[idx[i]].written) {
				uint32_t x = idx[k];

				idx[k++] = idx[i];
				idx[i] = x;
			}
		score_topic(r, (uint32_t)t, idx, k, (double *)pr);
	}
	free(seed);
	free(col);
	free(cols);
	free(rank);
	rk_graph_release(&walk);
}

static const struct rk_run *sort_run;

/* Best first, then by person key: the order of the store's score index,
 * so the records go in as appends rather than page splits. */
static int
cmp_result(const void *a, const void *b)
{
	const struct rk_pt *x = &sort_run->pts[*(const uint32_t *)a];
	const struct rk_pt *y = &sort_run->pts[*(const uint32_t *)b];

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return memcmp(&sort_run->m->people[x->person].key,
		      &sort_run->m->people[y->person].key,
		      sizeof(struct ms_hash));
}

int
rk_emit(struct rk_run *r, const struct rk_sink *sink)
{
	struct ms_buf notes = MS_BUF_INIT(1 << 16);
	struct ms_buf steps = MS_BUF_INIT(1 << 16);
	size_t nt = r->m->c.ntopics + 1;
	int rc = 0;

	for (size_t t = 0; t < nt && !rc; t++) {
		uint32_t *idx = r->tidx + r->toff[t];
		size_t n = r->toff[t + 1] - r->toff[t], k = 0;

		/* the written ones to the front, best first */
		for (size_t i = 0; i < n; i++)
			if (r->pts[idx[i]].written) {
				uint32_t x = idx[k];

				idx[k++] = idx[i];
				idx[i] = x;
			}
		sort_run = r;
		rk_sort(idx, k, sizeof(*idx), cmp_result);
		sort_run = NULL;
		for (size_t i = 0; i < k && !rc; i++)
			rc = emit(r, sink, &r->pts[idx[i]], &notes, &steps);
	}
	if (!rc)
		rc = emit_people(r, sink);
	ms_buf_release(&notes);
	ms_buf_release(&steps);
	return rc;
}

int
rk_compute(struct rk_model *m, const struct rk_sink *sink, struct rk_run *r)
{
	rk_score(m, r);
	return rk_emit(r, sink);
}

void
rk_run_release(struct rk_run *r)
{
	free(r->st);
	free(r->pts);
	rk_graph_release(&r->g);
	free(r->edge);
	free(r->esrc);
	free(r->in_off);
	free(r->in_e);
	free(r->tmask);
	free(r->pr);
	free(r->prior);
	free(r->p0);
	free(r->toff);
	free(r->tidx);
	memset(r, 0, sizeof(*r));
}
