/*
 * spam.c — the guards of RANKING.md §3.7, every one a ratio so it behaves
 * the same at 50 feeds and at a million:
 *
 *   comment spam   a commenter on at least 5 unrelated blogs (whose
 *                  owners never comment back) and at least 3 of them per
 *                  active day (drive-by comments), who is not the user:
 *                  their comments are dropped everywhere and, if they
 *                  blog, their score is damped;
 *   outbound only  at least 1.5 outbound links per post (and 5 in all)
 *                  while nobody links to them or comments on them;
 *   concentrated   at least 1.5 resolved links per post with more than
 *                  half going to two people (splog feeding a site);
 *   link ring      every in-link comes from someone they link back, most
 *                  of their out-links are returned and the linkers link
 *                  each other densely: G_spam = 0, they are in no topic's
 *                  list, and the ring's links to each other are taken out
 *                  of PageRank;
 *
 * these three only for blogs trust does not reach: TrustRank (PageRank
 * teleporting to the user's subscriptions) under 0.3 of their PageRank,
 * i.e. nobody the user reads links to or comments on them, directly or
 * through others (the design's link-farm rule; without subscriptions the
 * structure alone decides).  A trusted blogger who cites two favourite
 * sites in most posts is no splog: every designed mentor of the sample
 * web does that, and was damped by half for it;
 *   pod            ten or more comments from six or more people, half of
 *                  whom they comment on in turn, the top five writing 80 %
 *                  of all: audience and responsiveness count 0, no roles.
 *
 * The ring is the one rule that excludes rather than damps: it needs the
 * structure and the missing trust together, and a ring damped by half
 * still fills the top 10 of a topic with few real candidates (its splogs
 * are stuffed with every topic's words).  Outside comments do not clear a
 * ring by themselves: a name-only commenter (a WordPress comment feed
 * gives no URL, so the ring's own spam comments arrive as such) proves
 * no reader, while a trusted one lifts the ring's trust.
 *
 * The design's pod threshold is looser (reciprocity 0.4, top five 60 %);
 * it flags small honest circles of peers, who are exactly the peer role,
 * so it is tightened here.  Generic comment text and commercial hosts are
 * not checked: the store keeps no comment text.
 */
#include "ranker/internal.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define DAMP_COMMENTS 0.3
#define DAMP_OUTBOUND 0.5
#define DAMP_CONCENTRATED 0.5
#define UNTRUSTED 0.3		/* TrustRank / PageRank below this */
#define RING_MAX 64		/* larger mutual sets are communities */

struct bd {
	uint32_t blog;
	int64_t day;
};

static int
cmp_bd_blog(const void *a, const void *b)
{
	const struct bd *x = a, *y = b;

	return (x->blog > y->blog) - (x->blog < y->blog);
}

static int
cmp_bd_day(const void *a, const void *b)
{
	const struct bd *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Who comments on c's own posts (sorted): blogs whose owners read c are
 * not "unrelated" when c comments there. */
static uint32_t *
readers_of(const struct rk_model *m, uint32_t c, size_t *n)
{
	uint32_t *r = NULL;
	size_t cap = 0;

	*n = 0;
	for (uint32_t i = m->person_post_off[c]; i < m->person_post_off[c + 1];
	     i++) {
		uint32_t p = m->post_order[i];

		for (uint32_t k = m->post_comment_off[p];
		     k < m->post_comment_off[p + 1]; k++) {
			uint32_t a = m->comments[m->comment_order[k]].author;

			if (a == RK_NONE || a == c)
				continue;
			MS_GROW(r, *n + 1, cap);
			r[(*n)++] = a;
		}
	}
	if (*n)
		rk_sort(r, *n, sizeof(*r), cmp_u32);
	return r;
}

/*
 * Could c be a drive-by commenter: at least 5 blogs (not their own) and
 * at least 3 of them per active day?  Counted without sorting, up to the
 * point where the answer is sure; the exact count (with the readers
 * exclusion) runs only for those this lets through.
 */
static int
burst(const struct rk_model *m, const uint32_t *ord, size_t n, uint32_t c)
{
	enum { MAXD = 32, MAXB = 3 * MAXD };
	uint32_t blogs[MAXB];
	int64_t days[MAXD];
	size_t nb = 0, nd = 0;

	if (n < 5)
		return 0;
	for (size_t k = 0; k < n; k++) {
		const struct rk_comment *cm = &m->comments[ord[k]];
		uint32_t blog = m->posts[cm->post].author;
		int64_t day = cm->published == MS_TIME_NONE ?
				      INT64_MIN : cm->published / 86400;
		size_t i;

		if (blog == c || blog == RK_NONE)
			continue;
		for (i = 0; i < nb && blogs[i] != blog; i++)
			;
		if (i == nb) {
			if (nb == MAXB)
				return 1;	/* many blogs: look closer */
			blogs[nb++] = blog;
		}
		if (day == INT64_MIN)
			continue;
		for (i = 0; i < nd && days[i] != day; i++)
			;
		if (i == nd) {
			/* more days than a burst allows for n comments */
			if (nd == MAXD)
				return n >= 3 * (MAXD + 1);
			days[nd++] = day;
		}
	}
	if (!nd)
		nd = 1;
	return nb >= 5 && nb >= 3 * nd;
}

void
rk_spam_commenters(struct rk_run *r, unsigned char *is_spam)
{
	const struct rk_model *m = r->m;
	size_t np = m->npeople;
	uint32_t *cnt = ms_xcalloc(np + 1, sizeof(*cnt));
	uint32_t *off, *ord;
	struct bd *v = NULL;
	size_t vcap = 0;

	for (size_t i = 0; i < m->ncomments; i++)
		if (m->comments[i].author != RK_NONE)
			cnt[m->comments[i].author]++;
	off = ms_xcalloc(np + 1, sizeof(*off));
	for (size_t i = 0; i < np; i++)
		off[i + 1] = off[i] + cnt[i];
	ord = ms_xmalloc((m->ncomments ? m->ncomments : 1) * sizeof(*ord));
	memcpy(cnt, off, np * sizeof(*cnt));
	for (size_t i = 0; i < m->ncomments; i++)
		if (m->comments[i].author != RK_NONE)
			ord[cnt[m->comments[i].author]++] = (uint32_t)i;
	for (size_t c = 0; c < np; c++) {
		size_t n = 0, blogs = 0, days = 0, nr;
		uint32_t *readers;

		if (off[c + 1] - off[c] < 5 || c == m->me)
			continue;
		/* the readers exclusion costs a walk of c's own threads: only
		 * for those the plain count already makes suspects */
		readers = NULL;
		nr = 0;
		if (!burst(m, ord + off[c], off[c + 1] - off[c], (uint32_t)c))
			continue;
		readers = readers_of(m, (uint32_t)c, &nr);
		MS_GROW(v, off[c + 1] - off[c], vcap);
		for (uint32_t k = off[c]; k < off[c + 1]; k++) {
			const struct rk_comment *cm = &m->comments[ord[k]];
			uint32_t blog = m->posts[cm->post].author;

			if (blog == c || blog == RK_NONE ||
			    (nr && bsearch(&blog, readers, nr,
					   sizeof(*readers), cmp_u32)))
				continue;
			v[n].blog = blog;
			v[n].day = cm->published == MS_TIME_NONE ?
					   INT64_MIN :
					   cm->published / DAY;
			n++;
		}
		rk_sort(v, n, sizeof(*v), cmp_bd_blog);
		for (size_t i = 0; i < n; i++)
			if (!i || v[i].blog != v[i - 1].blog)
				blogs++;
		rk_sort(v, n, sizeof(*v), cmp_bd_day);
		for (size_t i = 0; i < n; i++)
			if (v[i].day != INT64_MIN &&
			    (!i || v[i].day != v[i - 1].day))
				days++;
		if (!days)
			days = 1;
		free(readers);
		if (blogs >= 5 && blogs >= 3 * days) {
			is_spam[c] = 1;
			r->st[c].spam |= RK_S_COMMENTS;
			r->st[c].damp *= DAMP_COMMENTS;
			r->st[c].cspam_blogs = (uint32_t)blogs;
			r->st[c].cspam_days = (uint32_t)days;
		}
	}
	free(v);
	free(cnt);
	free(off);
	free(ord);
}

/* The edge s → d, or RK_NONE (out-edges are sorted by target). */
static uint32_t
edge_of(const struct rk_run *r, uint32_t s, uint32_t d)
{
	uint32_t lo = r->g.off[s], hi = r->g.off[s + 1];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (r->g.dst[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->g.off[s + 1] && r->g.dst[lo] == d ? lo : RK_NONE;
}

static int
links(const struct rk_run *r, uint32_t s, uint32_t d)
{
	uint32_t e = edge_of(r, s, d);

	return e != RK_NONE && r->edge[e].nlink > 0;
}

/* Is p in a reciprocal-only ring?  Returns the ring size or 0. */
static uint32_t
ring_of(const struct rk_run *r, uint32_t p, uint32_t *in, size_t cap)
{
	size_t nin = 0, mutual_pairs = 0, pairs;
	uint32_t nout = r->st[p].links_out;

	for (uint32_t k = r->in_off[p]; k < r->in_off[p + 1]; k++) {
		uint32_t e = r->in_e[k], s = r->esrc[e];

		if (!r->edge[e].nlink)
			continue;
		if (!links(r, p, s) || nin == cap)
			return 0;	/* an in-link not returned */
		in[nin++] = s;
	}
	if (nin < 2 || !nout || (double)nin / nout <= 0.5)
		return 0;
	for (size_t i = 0; i < nin; i++)
		for (size_t j = i + 1; j < nin; j++)
			if (links(r, in[i], in[j]) && links(r, in[j], in[i]))
				mutual_pairs++;
	pairs = nin * (nin - 1) / 2;
	return 2 * mutual_pairs >= pairs ? (uint32_t)nin + 1 : 0;
}

/* Trust does not reach p, or there are no seeds to measure it from. */
static int
untrusted(const struct rk_run *r, uint32_t p)
{
	return !r->trusted || r->st[p].trust < UNTRUSTED;
}

void
rk_spam_graph(struct rk_run *r)
{
	const struct rk_model *m = r->m;
	uint32_t in[RING_MAX];

	for (uint32_t p = 0; p < m->npeople; p++) {
		struct rk_state *st = &r->st[p];
		uint32_t total = 0, top[2] = { 0, 0 }, commenters = 0;
		uint32_t recip = 0;
		/* the link rules judge blogs the user's reading does not
		 * reach: a trusted blogger citing two favourites is no splog */
		int suspect = untrusted(r, p) && st->nposts;

		if (m->people[p].canon != p)
			continue;
		if (suspect && (st->ring = ring_of(r, p, in, RING_MAX))) {
			st->spam |= RK_S_RING;
			st->damp = 0;
		}
		if (suspect && st->raw_links >= 5 &&
		    st->raw_links >= 1.5 * st->nposts && !st->links_in &&
		    !st->comments_in) {
			st->spam |= RK_S_OUTBOUND;
			st->damp *= DAMP_OUTBOUND;
		}
		for (uint32_t e = r->g.off[p]; e < r->g.off[p + 1]; e++) {
			uint32_t c = r->edge[e].nlink;

			total += c;
			if (c > top[0]) {
				top[1] = top[0];
				top[0] = c;
			} else if (c > top[1]) {
				top[1] = c;
			}
		}
		st->conc_top = top[0] + top[1];
		st->conc_total = total;
		if (suspect && total >= 5 && total >= 1.5 * st->nposts &&
		    2 * st->conc_top > total) {
			st->spam |= RK_S_CONCENTRATED;
			st->damp *= DAMP_CONCENTRATED;
		}
		/* commenters whose blogs they comment on in turn */
		for (uint32_t k = r->in_off[p]; k < r->in_off[p + 1]; k++) {
			uint32_t e = r->in_e[k], s = r->esrc[e], back;

			if (!r->edge[e].ncomment)
				continue;
			commenters++;
			back = edge_of(r, p, s);
			if (back != RK_NONE && r->edge[back].ncomment)
				recip++;
		}
		st->recip = commenters ? (float)recip / commenters : 0;
		if (st->comments_in >= 10 && st->commenters >= 6 &&
		    st->recip >= 0.5 && st->top5 >= 0.8)
			st->spam |= RK_S_POD;
	}
	/* the ring's links among itself do not count as votes */
	for (uint32_t s = 0; s < m->npeople; s++) {
		if (!(r->st[s].spam & RK_S_RING))
			continue;
		for (uint32_t e = r->g.off[s]; e < r->g.off[s + 1]; e++) {
			uint32_t d = r->g.dst[e];

			if (r->edge[e].nlink && (r->st[d].spam & RK_S_RING))
				r->g.w[e] = (float)log1p(fmin(
					0.5 * r->edge[e].ncomment,
					RK_EDGE_CAP));
		}
	}
}

int
rk_spam_excluded(const struct rk_run *r, uint32_t person)
{
	return (r->st[person].spam & RK_S_RING) != 0;
}

void
rk_spam_notes(const struct rk_run *r, uint32_t person, struct ms_buf *b)
{
	const struct rk_state *st = &r->st[person];

	if (st->spam & RK_S_COMMENTS)
		ms_buf_addf(b, "damped x%.1f: comment spam pattern (comments "
			    "on %u blogs in %u day%s)\n", DAMP_COMMENTS,
			    st->cspam_blogs, st->cspam_days,
			    RK_S(st->cspam_days));
	if (st->spam & RK_S_OUTBOUND)
		ms_buf_addf(b, "damped x%.1f: only outbound links (%u links "
			    "in %u posts; nobody links to or comments on "
			    "them)\n", DAMP_OUTBOUND, st->raw_links,
			    st->nposts);
	if (st->spam & RK_S_CONCENTRATED)
		ms_buf_addf(b, "damped x%.1f: links pile onto few sites (%u "
			    "of %u links go to two people)\n",
			    DAMP_CONCENTRATED, st->conc_top, st->conc_total);
	if (st->spam & RK_S_RING)
		ms_buf_addf(b, "excluded: reciprocal-only link ring of %u "
			    "blogs%s; links inside it are ignored\n", st->ring,
			    r->trusted ? " that nobody you follow links to or "
					 "reads" : "");
	if (st->spam & RK_S_POD)
		ms_buf_addf(b, "engagement pod: they comment back on %.0f%% of "
			    "their commenters and the top five write %.0f%% "
			    "of the comments; audience and responsiveness "
			    "count 0\n", 100.0 * st->recip, 100.0 * st->top5);
}
