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
