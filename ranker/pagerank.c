/*
 * pagerank.c — authority: PageRank over the people graph (RANKING.md
 * §3.3.3).  The graph is CSR by source with float weights; one iteration
 * pushes each node's rank along its out-edges in proportion to their
 * weights, gives the teleport share (1 − d) and the dangling mass (rank of
 * nodes with no walked out-edge) to the personalization vector, and stops
 * when the L1 change drops below eps.  The per-topic runs start from the
 * global vector (warm start), which saves most of the iterations.
 */
#include "ranker/internal.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
rk_graph_release(struct rk_graph *g)
{
	free(g->off);
	free(g->dst);
	free(g->w);
	memset(g, 0, sizeof(*g));
}

unsigned
rk_pagerank(const struct rk_graph *g, const double *pers, double d,
	    double eps, unsigned maxiter, double *rank)
{
	size_t n = g->n;
	double *next, *cur = rank, *scale, uni, dangling = 0;
	unsigned char *dang;
	unsigned it = 0;

	if (!n)
		return 0;
	uni = 1.0 / (double)n;
	next = ms_xmalloc(n * sizeof(*next));
	scale = ms_xcalloc(n, sizeof(*scale));
	dang = ms_xcalloc(n, 1);
	/* d / (a node's out-weight), once: the inner loop only multiplies */
	for (size_t i = 0; i < n; i++) {
		double outw = 0;

		for (uint32_t e = g->off[i]; e < g->off[i + 1]; e++)
			outw += g->w[e];
		if (outw > 0)
			scale[i] = d / outw;
		else
			dang[i] = 1;
	}
	for (size_t i = 0; i < n; i++)
		if (dang[i])
			dangling += cur[i];
	while (it < maxiter) {
		double diff = 0, base = (1.0 - d) + d * dangling, *t;

		it++;
		for (size_t i = 0; i < n; i++)
			next[i] = base * (pers ? pers[i] : uni);
		for (size_t i = 0; i < n; i++) {
			double share = cur[i] * scale[i];

			if (share == 0)
				continue;
			for (uint32_t e = g->off[i]; e < g->off[i + 1]; e++)
				next[g->dst[e]] += share * g->w[e];
		}
		/* the change and the next round's dangling mass: one pass */
		dangling = 0;
		for (size_t i = 0; i < n; i++) {
			diff += fabs(next[i] - cur[i]);
			if (dang[i])
				dangling += next[i];
		}
		t = cur;
		cur = next;
		next = t;
		if (diff < eps)
			break;
	}
	if (cur != rank) {
		memcpy(rank, cur, n * sizeof(*rank));
		next = cur;
	}
	free(next);
	free(scale);
	free(dang);
	return it;
}

/* One group of RK_PR_LANES columns, n × RK_PR_LANES, to convergence. */
static unsigned
lanes(size_t n, const uint32_t *in_off, const uint32_t *in_src,
      const float *nw, const unsigned char *dang, const float *pers,
      double d, double eps, unsigned maxiter, float *rank)
{
	enum { L = RK_PR_LANES };
	float *next = ms_xmalloc(n * L * sizeof(*next)), *cur = rank, *t;
	double dangling[L] = { 0 }, diff[L], base[L];
	unsigned it = 0;

	for (size_t i = 0; i < n; i++)
		if (dang[i])
			for (size_t l = 0; l < L; l++)
				dangling[l] += cur[i * L + l];
	while (it < maxiter) {
		double worst = 0;

		it++;
		for (size_t l = 0; l < L; l++) {
			base[l] = (1.0 - d) + d * dangling[l];
			diff[l] = dangling[l] = 0;
		}
		for (size_t i = 0; i < n; i++) {
			float acc[L];

			for (size_t l = 0; l < L; l++)
				acc[l] = (float)base[l] * pers[i * L + l];
			for (uint32_t e = in_off[i]; e < in_off[i + 1]; e++) {
				const float *c = cur + (size_t)in_src[e] * L;

				for (size_t l = 0; l < L; l++)
					acc[l] += nw[e] * c[l];
			}
			for (size_t l = 0; l < L; l++) {
				diff[l] += fabsf(acc[l] - cur[i * L + l]);
				if (dang[i])
					dangling[l] += acc[l];
				next[i * L + l] = acc[l];
			}
		}
		for (size_t l = 0; l < L; l++)
			if (diff[l] > worst)
				worst = diff[l];
		t = cur;
		cur = next;
		next = t;
		if (worst < eps)
			break;
	}
	if (cur != rank) {
		memcpy(rank, cur, n * L * sizeof(*rank));
		next = cur;
	}
	free(next);
	return it;
}

unsigned
rk_pagerank_block(const struct rk_graph *g, size_t k, const float *pers,
		  double d, double eps, unsigned maxiter, float *rank)
{
	size_t n = g->n, m = g->m;
	float *nw;
	double *outw;
	uint32_t *in_off, *in_src, *fill;
	unsigned char *dang;
	unsigned it = 0;

	if (!n || !k || k % RK_PR_LANES)
		return 0;
	/* the edges by target, each with d / (its source's out-weight)
	 * folded in: a node's new rank is a sum over its in-edges kept in
	 * registers, and only the reads are scattered */
	outw = ms_xcalloc(n, sizeof(*outw));
	dang = ms_xcalloc(n, 1);
	in_off = ms_xcalloc(n + 1, sizeof(*in_off));
	in_src = ms_xmalloc((m ? m : 1) * sizeof(*in_src));
	nw = ms_xmalloc((m ? m : 1) * sizeof(*nw));
	fill = ms_xmalloc(n * sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		for (uint32_t e = g->off[i]; e < g->off[i + 1]; e++) {
			outw[i] += g->w[e];
			in_off[g->dst[e] + 1]++;
		}
	for (size_t i = 0; i < n; i++) {
		in_off[i + 1] += in_off[i];
		dang[i] = !(outw[i] > 0);
	}
	memcpy(fill, in_off, n * sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		for (uint32_t e = g->off[i]; e < g->off[i + 1]; e++) {
			uint32_t at = fill[g->dst[e]]++;

			in_src[at] = (uint32_t)i;
			nw[at] = (float)(d * g->w[e] / outw[i]);
		}
	/* a group of columns at a time: its n × RK_PR_LANES floats stay in
	 * cache where all columns at once would not */
	for (size_t c = 0; c < k; c += RK_PR_LANES)
		it += lanes(n, in_off, in_src, nw, dang, pers + c * n,
			    d, eps, maxiter, rank + c * n);
	free(fill);
	free(outw);
	free(in_off);
	free(in_src);
	free(nw);
	free(dang);
	return it;
}

unsigned
ms_pagerank(size_t n, size_t m, const uint32_t *src, const uint32_t *dst,
	    const double *w, const double *pers, double d, double eps,
	    unsigned maxiter, double *rank)
{
	struct rk_graph g = { 0 };
	uint32_t *fill;
	double *v = NULL, sum = 0;
	unsigned it;

	if (!n)
		return 0;
	g.n = n;
	g.off = ms_xcalloc(n + 1, sizeof(*g.off));
	g.dst = ms_xmalloc((m ? m : 1) * sizeof(*g.dst));
	g.w = ms_xmalloc((m ? m : 1) * sizeof(*g.w));
	/* Edges naming a node out of range, or with a weight that is not a
	 * positive number, are not walked. */
	for (size_t e = 0; e < m; e++)
		if (src[e] < n && dst[e] < n)
			g.off[src[e] + 1]++;
	for (size_t i = 0; i < n; i++)
		g.off[i + 1] += g.off[i];
	fill = ms_xmalloc(n * sizeof(*fill));
	memcpy(fill, g.off, n * sizeof(*fill));
	for (size_t e = 0; e < m; e++) {
		double we = w ? w[e] : 1.0;

		if (src[e] >= n || dst[e] >= n)
			continue;
		g.dst[fill[src[e]]] = dst[e];
		g.w[fill[src[e]]++] = we > 0 && isfinite(we) ? (float)we : 0;
	}
	free(fill);
	g.m = g.off[n];
	if (pers) {
		for (size_t i = 0; i < n; i++)
			if (pers[i] > 0 && isfinite(pers[i]))
				sum += pers[i];
		if (sum > 0) {
			v = ms_xmalloc(n * sizeof(*v));
			for (size_t i = 0; i < n; i++)
				v[i] = pers[i] > 0 && isfinite(pers[i]) ?
					       pers[i] / sum : 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		rank[i] = v ? v[i] : 1.0 / (double)n;
	it = rk_pagerank(&g, v, d, eps, maxiter, rank);
	free(v);
	rk_graph_release(&g);
	return it;
}
