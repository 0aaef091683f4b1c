/*
 * network.c — the developmental network (RANKING.md §3.6): five or six
 * people across roles rather than six copies of one profile.
 *
 * At ranking time every result gets a role affinity P(r|i) in [0,1] from
 * observables, with a one-line reason kept in its notes:
 *
 *   adviser    focus × authority × a long record (blog age, 3 years full);
 *   connector  communities (main topics) among their link and comment
 *              neighbours, three for full marks, × how many people they
 *              link or comment on;
 *   idea       breadth (entropy of their topic mix) × presence on this
 *              topic × diverse outlinks;
 *   peer       they comment on other blogs, their commenters hear back,
 *              they answer, and their rhythm is like the user's; already
 *              talking with the user counts most.
 *
 * At view time rk_network_pick runs the greedy of §3.6 over the top 50:
 * (1 − λ)·score + λ·role coverage (xQuAD) − μ·similarity to the picks so
 * far (same host; near-identical signal profiles).
 */
#include "ranker/internal.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400.0
#define YEAR (365.25 * DAY)
#define LAMBDA 0.55
#define MU 0.3
#define POOL 50
#define NOTE_MIN 0.1	/* weaker affinities get no reason line */

const char *const ms_role_names[] = {
	"", "adviser", "connector", "idea person", "peer",
};

/* Names used in notes ("role:adviser\t..."): one word each. */
static const char *const role_keys[] = {
	"", "adviser", "connector", "ideas", "peer",
};

enum ms_role
rk_role_of_key(const char *key, size_t n)
{
	for (int r = MS_ROLE_ADVISER; r <= MS_ROLE_PEER; r++)
		if (strlen(role_keys[r]) == n && !strncmp(role_keys[r], key, n))
			return (enum ms_role)r;
	return MS_ROLE_NONE;
}

static double
age_years(const struct rk_model *m, const struct rk_state *st)
{
	if (st->first_post == MS_TIME_NONE || st->first_post > m->c.now)
		return 0;
	return (double)(m->c.now - st->first_post) / YEAR;
}

static double
rate_per_month(const struct rk_model *m, const struct rk_state *st)
{
	double months = age_years(m, st) * 12;

	return st->nposts / (months < 1 ? 1 : months);
}

static double
ratio(double a, double b)
{
	if (a <= 0 || b <= 0)
		return 0;
	return a < b ? a / b : b / a;
}

void
rk_roles(const struct rk_run *r, struct rk_pt *pt)
{
	const struct rk_model *m = r->m;
	const struct rk_state *st = &r->st[pt->person];
	double *a = pt->affinity, reply, sim = 0.5;

	memset(pt->affinity, 0, sizeof(pt->affinity));
	if (st->spam & RK_S_POD)
		return;
	a[MS_ROLE_ADVISER] = pt->signals[MS_SIG_FOCUS] *
			     pt->signals[MS_SIG_AUTHORITY] *
			     fmin(1.0, age_years(m, st) / 3.0);
	a[MS_ROLE_CONNECTOR] = fmin(1.0, st->topics_nb / 3.0) *
			       rk_saturate(st->links_out + st->commented_on,
					   RK_HALF_COUNT);
	a[MS_ROLE_IDEAS] = st->entropy * fmin(1.0, pt->credit / 3.0) *
			   (0.5 + 0.5 * rk_saturate(st->links_out,
						    RK_HALF_COUNT));
	reply = pt->pwc ? (double)pt->answered / pt->pwc : 0;
	if (m->me != RK_NONE && r->st[m->me].nposts) {
		const struct rk_state *me = &r->st[m->me];

		sim = ratio(rate_per_month(m, st), rate_per_month(m, me)) *
		      ratio(age_years(m, st), age_years(m, me));
	}
	a[MS_ROLE_PEER] = (rk_saturate(st->commented_on, 3) + st->recip +
			   reply + sim) / 4;
	if (st->stage >= MS_STAGE_ENGAGED)
		a[MS_ROLE_PEER] = fmax(a[MS_ROLE_PEER], 0.75);
	for (int k = 1; k <= MS_ROLE_PEER; k++)
		a[k] = fmin(1.0, fmax(0.0, a[k]));
}

void
rk_role_notes(const struct rk_run *r, const struct rk_pt *pt,
	      struct ms_buf *b)
{
	const struct rk_model *m = r->m;
	const struct rk_state *st = &r->st[pt->person];
	const char *label = rk_topic_label(m, pt->topic);

	if (pt->affinity[MS_ROLE_ADVISER] >= NOTE_MIN)
		ms_buf_addf(b, "role:%s\t%u of %u posts on %s over %.1f "
			    "years; linked by %u %s on it\n",
			    role_keys[MS_ROLE_ADVISER], pt->posts_on,
			    st->nposts, label, age_years(m, st),
			    pt->links_in, RK_PEOPLE(pt->links_in));
	if (pt->affinity[MS_ROLE_CONNECTOR] >= NOTE_MIN)
		ms_buf_addf(b, "role:%s\tlinks to %u %s and comments on "
			    "%u blog%s, reaching %u topic communit%s\n",
			    role_keys[MS_ROLE_CONNECTOR], st->links_out,
			    RK_PEOPLE(st->links_out), st->commented_on,
			    RK_S(st->commented_on), st->topics_nb,
			    st->topics_nb == 1 ? "y" : "ies");
	if (pt->affinity[MS_ROLE_IDEAS] >= NOTE_MIN)
		ms_buf_addf(b, "role:%s\twrites across %u topic%s (breadth "
			    "%.2f) and links %u different %s\n",
			    role_keys[MS_ROLE_IDEAS],
			    st->npt ? st->npt - 1 : 0,
			    RK_S(st->npt ? st->npt - 1 : 0), st->entropy,
			    st->links_out, RK_PEOPLE(st->links_out));
	if (pt->affinity[MS_ROLE_PEER] >= NOTE_MIN)
		ms_buf_addf(b, "role:%s\tcomments on %u blog%s, hears back "
			    "from %.0f%% of their commenters, answers on %u "
			    "of %u discussed posts%s\n",
			    role_keys[MS_ROLE_PEER], st->commented_on,
			    RK_S(st->commented_on), 100.0 * st->recip,
			    pt->answered, pt->pwc,
			    st->stage >= MS_STAGE_ENGAGED ?
				    "; you already talk" : "");
}

/* Similarity for the redundancy penalty: the same site host (1), or
 * signal profiles so alike (RMS difference under 0.1) that one would do
 * (up to 0.5: alike numbers are weaker evidence than one site).  Not a
 * cosine: the top candidates' signal vectors all point the same way. */
static double
similarity(const struct rk_pick_in *a, const struct rk_pick_in *b)
{
	double ss = 0, rms;

	if (a->host && b->host && *a->host && !strcmp(a->host, b->host))
		return 1;
	for (int k = 0; k < MS_SIGNALS; k++)
		ss += (a->signals[k] - b->signals[k]) *
		      (a->signals[k] - b->signals[k]);
	rms = sqrt(ss / MS_SIGNALS);
	return rms < 0.1 ? 0.5 * (1 - rms / 0.1) : 0;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

size_t
rk_network_pick(const struct rk_pick_in *in, size_t n, size_t k,
		size_t *out, enum ms_role *roles)
{
	double uncovered[5] = { 0, 1, 1, 1, 1 }, floor_score = 0;
	double *sc;
	unsigned char *used;
	size_t pool = n < POOL ? n : POOL, npool = 0, got = 0;

	if (!k || !pool)
		return 0;
	/* the quality gate: passes the gates, at least the pool's 30th
	 * percentile score */
	sc = ms_xmalloc(pool * sizeof(*sc));
	for (size_t i = 0; i < pool; i++)
		if (!in[i].excluded && in[i].score > 0)
			sc[npool++] = in[i].score;
	if (npool) {
		rk_sort(sc, npool, sizeof(*sc), cmp_double);
		floor_score = sc[(size_t)floor(0.3 * (npool - 1))];
	}
	free(sc);
	used = ms_xcalloc(pool, 1);
	while (got < k) {
		size_t best = pool;
		double bestf = -INFINITY;
		int bestrole = MS_ROLE_NONE;

		for (size_t i = 0; i < pool; i++) {
			double cover = 0, pen = 0, f, top = 0;
			int role = MS_ROLE_NONE;

			if (used[i] || in[i].excluded || in[i].score <= 0 ||
			    in[i].score < floor_score)
				continue;
			for (int r = 1; r <= MS_ROLE_PEER; r++) {
				double g = uncovered[r] * in[i].aff[r];

				cover += 0.25 * g;
				if (g > top) {
					top = g;
					role = r;
				}
			}
			for (size_t j = 0; j < got; j++)
				pen += similarity(&in[i], &in[out[j]]);
			f = (1 - LAMBDA) * in[i].score + LAMBDA * cover -
			    MU * pen;
			if (f > bestf) {
				bestf = f;
				best = i;
				bestrole = role;
			}
		}
		if (best == pool)
			break;
		/* five always; a sixth only for a role nobody covers yet */
		if (got == 5 && !(bestrole != MS_ROLE_NONE &&
				  uncovered[bestrole] > 0.5 &&
				  in[best].aff[bestrole] >= 0.5))
			break;
		if (bestrole == MS_ROLE_NONE) {
			/* covers nothing new: its strongest role */
			double top = 0;

			for (int r = 1; r <= MS_ROLE_PEER; r++)
				if (in[best].aff[r] > top) {
					top = in[best].aff[r];
					bestrole = r;
				}
		}
		used[best] = 1;
		out[got] = best;
		roles[got] = (enum ms_role)bestrole;
		got++;
		for (int r = 1; r <= MS_ROLE_PEER; r++)
			uncovered[r] *= 1 - in[best].aff[r];
	}
	free(used);
	return got;
}
