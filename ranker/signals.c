/*
 * signals.c — the arithmetic of each signal (RANKING.md §3.3, §3.4), kept
 * free of the model so each formula can be checked by hand:
 *
 *   focus          share × volume × persistence, the share shrunk towards
 *                  the topic's share of all posts so that 2 of 2 posts
 *                  does not beat 40 of 50;
 *   responsiveness the share of posts with comments where the author
 *                  answered, shrunk towards the topic's median, × speed
 *                  (median answer delay) × openness;
 *   activity       recency with a half-life × cadence (months with a post
 *                  in the last twelve);
 *   reachability   a weighted checklist of doors;
 *   audience       and authority use rk_percentile or rk_saturate.
 *
 * rk_post_talk reads one post's comment thread: who commented and which
 * of those the author answered.
 */
#include "ranker/internal.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double
clamp01(double x)
{
	if (!(x > 0))
		return 0;
	return x > 1 ? 1 : x;
}

double
rk_focus(double n_t, double n, double prior, unsigned months_on)
{
	double share, volume, persistence;

	if (!(n_t > 0) || !(n > 0))
		return 0;
	if (n_t > n)
		n_t = n;
	share = (n_t + RK_PRIOR_A * clamp01(prior)) / (n + RK_PRIOR_A);
	volume = 1.0 - exp(-n_t / 5.0);
	persistence = 0.5 + 0.5 * fmin(1.0, months_on / 6.0);
	return clamp01(share * volume * persistence);
}

double
rk_responsiveness(unsigned answered, unsigned with_comments, double p0,
		  double latency_h, int open)
{
	double p, speed;

	if (answered > with_comments)
		answered = with_comments;
	p = (answered + RK_PRIOR_A * clamp01(p0)) /
	    (with_comments + RK_PRIOR_A);
	speed = latency_h < 0 ? 1.0 : 1.0 / (1.0 + latency_h / 48.0);
	return clamp01(p * speed * (open ? 1.0 : 0.3));
}

double
rk_activity(double days_since, unsigned months12, double half_life)
{
	double recency, regularity;

	if (days_since < 0)
		days_since = 0;
	if (!(half_life > 0))
		half_life = 90;
	recency = exp2(-days_since / half_life);
	regularity = fmin(months12, 12) / 12.0;
	if (days_since <= 30 && regularity < 0.25)
		regularity = 0.25;
	return clamp01(recency * regularity);
}

double
rk_reachability(int open_recent, int has_feed, size_t nprofiles,
		int has_contact)
{
	return (open_recent ? 0.4 : 0) + (has_feed ? 0.2 : 0) +
	       (nprofiles ? 0.2 : 0) + (has_contact ? 0.2 : 0);
}

double
rk_saturate(double x, double half)
{
	if (!(x > 0))
		return 0;
	return x / (x + half);
}

double
rk_percentile(const double *sorted, size_t n, double x)
{
	size_t lo = 0, hi = n, less, eq;

	if (!n)
		return 0;
	while (lo < hi) {	/* first >= x */
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	less = lo;
	hi = n;
	while (lo < hi) {	/* first > x */
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	eq = lo - less;
	return (less + 0.5 * eq) / (double)n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
rk_median(double *v, size_t n)
{
	if (!n)
		return 0;
	rk_sort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
rk_wilson_lower(unsigned k, unsigned n, double z)
{
	double p, z2, c, r;

	if (!n)
		return 0;
	p = (double)k / n;
	z2 = z * z;
	c = p + z2 / (2.0 * n);
	r = z * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
	return clamp01((c - r) / (1 + z2 / n));
}

static int
is_by_author(const struct rk_comment *c, uint32_t author)
{
	return c->by_author || (author != RK_NONE && c->author == author);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Distinct commenters among others' comments; an unknown author is a
 * person of their own. */
static uint32_t
distinct(const struct rk_comment *const *cs, size_t n, uint32_t author,
	 const unsigned char *spam, const uint32_t *answered_by,
	 int only_answered)
{
	uint32_t *who = ms_xmalloc((n ? n : 1) * sizeof(*who)), k = 0, d = 0;
	uint32_t unknown = 0;

	for (size_t i = 0; i < n; i++) {
		const struct rk_comment *c = cs[i];

		if (is_by_author(c, author) ||
		    (spam && c->author != RK_NONE && spam[c->author]))
			continue;
		if (only_answered && answered_by[i] == RK_NONE)
			continue;
		if (c->author == RK_NONE)
			unknown++;
		else
			who[k++] = c->author;
	}
	rk_sort(who, k, sizeof(*who), cmp_u32);
	for (uint32_t i = 0; i < k; i++)
		if (!i || who[i] != who[i - 1])
			d++;
	free(who);
	return d + unknown;
}

struct idpos {
	uint64_t id;
	uint32_t pos;
};

static int
cmp_idpos(const void *a, const void *b)
{
	const struct idpos *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Index of the comment with this id, RK_NONE if absent: a scan for short
 * threads, a binary search for long ones (no quadratic work on a hostile
 * thread of thousands of comments). */
static uint32_t
find_id(const struct rk_comment *const *cs, size_t n,
	const struct idpos *sorted, uint64_t id)
{
	size_t lo = 0, hi = n;

	if (!sorted) {
		for (size_t j = 0; j < n; j++)
			if (cs[j]->id == id)
				return (uint32_t)j;
		return RK_NONE;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && sorted[lo].id == id ? sorted[lo].pos : RK_NONE;
}

void
rk_post_talk(const struct rk_comment *const *cs, size_t n, uint32_t author,
	     const unsigned char *spam, uint32_t *answered_by,
	     struct rk_talk *t)
{
	struct idpos *sorted = NULL;
	size_t waiting = 0;	/* every comment before it is settled */

#define SPAM(c) (spam && (c)->author != RK_NONE && spam[(c)->author])
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++)
		answered_by[i] = RK_NONE;
	if (n > 32) {
		sorted = ms_xmalloc(n * sizeof(*sorted));
		for (size_t i = 0; i < n; i++) {
			sorted[i].id = cs[i]->id;
			sorted[i].pos = (uint32_t)i;
		}
		rk_sort(sorted, n, sizeof(*sorted), cmp_idpos);
	}
	for (size_t i = 0; i < n; i++) {
		const struct rk_comment *c = cs[i];
		int hit = 0;

		if (SPAM(c))
			continue;
		if (!is_by_author(c, author)) {
			t->others++;
			continue;
		}
		/* A threaded answer names its parent... */
		if (c->parent) {
			uint32_t j = find_id(cs, n, sorted, c->parent);

			if (j != RK_NONE && j != i) {
				if (is_by_author(cs[j], author) || SPAM(cs[j]))
					hit = -1;	/* not an answer */
				else {
					if (answered_by[j] == RK_NONE)
						answered_by[j] = (uint32_t)i;
					hit = 1;
				}
			}
		}
		/* ...a flat one answers everyone waiting before it. */
		if (!hit) {
			for (size_t j = waiting; j < i; j++) {
				if (is_by_author(cs[j], author) ||
				    answered_by[j] != RK_NONE || SPAM(cs[j]))
					continue;
				answered_by[j] = (uint32_t)i;
				hit = 1;
			}
			waiting = i;
		}
		if (hit > 0)
			t->replies++;
	}
#undef SPAM
	free(sorted);
	for (size_t i = 0; i < n; i++)
		if (answered_by[i] != RK_NONE)
			t->answered++;
	t->commenters = distinct(cs, n, author, spam, answered_by, 0);
	t->answered_commenters = distinct(cs, n, author, spam, answered_by, 1);
}
