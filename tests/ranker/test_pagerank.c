/* Tests for ranker/pagerank.c: ms_pagerank on small graphs whose ranks are
 * solved by hand (the linear system r = (1-d)v + d(Mr + dangling·v)),
 * dangling nodes, personalization, weights and convergence. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ranker/internal.h"
#include "ranker/ranker.h"

#define D 0.85
#define TIGHT 1e-13

static void
expect_ranks(const double *got, const double *want, size_t n, double tol)
{
	for (size_t i = 0; i < n; i++)
		cr_expect(fabs(got[i] - want[i]) < tol,
			  "node %zu: got %.9f, want %.9f", i, got[i], want[i]);
}

static double
sum(const double *r, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += r[i];
	return s;
}

Test(ranker_pagerank, two_node_cycle_is_uniform)
{
	uint32_t src[] = { 0, 1 }, dst[] = { 1, 0 };
	double r[2], want[] = { 0.5, 0.5 };

	ms_pagerank(2, 2, src, dst, NULL, NULL, D, TIGHT, 1000, r);
	expect_ranks(r, want, 2, 1e-12);
}

/* A→B, B→A, C→A.  rC = 0.15/3 = 0.05; rA = 0.05 + 0.85(rB + rC);
 * rB = 0.05 + 0.85 rA  ⇒  rA = 0.135/0.2775. */
Test(ranker_pagerank, hand_solved_three_nodes)
{
	uint32_t src[] = { 0, 1, 2 }, dst[] = { 1, 0, 0 };
	double r[3], ra = 0.135 / 0.2775;
	double want[] = { ra, 0.05 + 0.85 * ra, 0.05 };
	unsigned it;

	it = ms_pagerank(3, 3, src, dst, NULL, NULL, D, TIGHT, 1000, r);
	expect_ranks(r, want, 3, 1e-10);
	cr_expect(it > 1 && it < 1000, "iterations %u", it);
	cr_expect(fabs(sum(r, 3) - 1) < 1e-12, "sum %.15f", sum(r, 3));
}

/* A→B and B has no out-links: its mass is spread over both.
 * rA = 0.075 + 0.425 rB, rA + rB = 1  ⇒  rA = 0.5/1.425. */
Test(ranker_pagerank, dangling_mass_is_spread_uniformly)
{
	uint32_t src[] = { 0 }, dst[] = { 1 };
	double r[2], ra = 0.5 / 1.425, want[] = { ra, 1 - ra };

	ms_pagerank(2, 1, src, dst, NULL, NULL, D, TIGHT, 1000, r);
	expect_ranks(r, want, 2, 1e-10);
}

/* Same graph, personalized to A: teleport and dangling mass go to A.
 * rA = 0.15 + 0.85 rB, rB = 0.85 rA  ⇒  rA = 0.15/0.2775. */
Test(ranker_pagerank, personalization_takes_teleport_and_dangling_mass)
{
	uint32_t src[] = { 0 }, dst[] = { 1 };
	double pers[] = { 1, 0 }, r[2], ra = 0.15 / 0.2775;
	double want[] = { ra, 0.85 * ra };

	ms_pagerank(2, 1, src, dst, NULL, pers, D, TIGHT, 1000, r);
	expect_ranks(r, want, 2, 1e-10);
}

/* A→B (w 3), A→C (w 1), B→A, C→A: rB = 0.05 + 0.85·¾ rA,
 * rC = 0.05 + 0.85·¼ rA, rA = 0.05 + 0.85(rB + rC). */
Test(ranker_pagerank, weights_split_the_rank)
{
	uint32_t src[] = { 0, 0, 1, 2 }, dst[] = { 1, 2, 0, 0 };
	double w[] = { 3, 1, 1, 1 }, r[3], ra = 0.135 / 0.2775;
	double want[] = { ra, 0.05 + 0.6375 * ra, 0.05 + 0.2125 * ra };

	ms_pagerank(3, 4, src, dst, w, NULL, D, TIGHT, 1000, r);
	expect_ranks(r, want, 3, 1e-10);
}

/* Duplicated edges weigh like one edge of the summed weight. */
Test(ranker_pagerank, parallel_edges_add_up)
{
	uint32_t src1[] = { 0, 0, 0, 1, 2 }, dst1[] = { 1, 1, 2, 0, 0 };
	uint32_t src2[] = { 0, 0, 1, 2 }, dst2[] = { 1, 2, 0, 0 };
	double w2[] = { 2, 1, 1, 1 }, a[3], b[3];

	ms_pagerank(3, 5, src1, dst1, NULL, NULL, D, TIGHT, 1000, a);
	ms_pagerank(3, 4, src2, dst2, w2, NULL, D, TIGHT, 1000, b);
	expect_ranks(a, b, 3, 1e-12);
}

Test(ranker_pagerank, stops_at_the_l1_threshold)
{
	uint32_t src[] = { 0, 1, 2 }, dst[] = { 1, 0, 0 };
	double r[3], ra = 0.135 / 0.2775, err = 0;
	double want[] = { ra, 0.05 + 0.85 * ra, 0.05 };
	unsigned loose, tight, one;

	loose = ms_pagerank(3, 3, src, dst, NULL, NULL, D, 1e-3, 1000, r);
	tight = ms_pagerank(3, 3, src, dst, NULL, NULL, D, 1e-6, 1000, r);
	for (int i = 0; i < 3; i++)
		err += fabs(r[i] - want[i]);
	/* the error left after a step of change c is at most c·d/(1-d) */
	cr_expect(err < 1e-6 * D / (1 - D), "L1 error %g", err);
	cr_expect(loose < tight, "1e-3 took %u, 1e-6 took %u", loose, tight);
	one = ms_pagerank(3, 3, src, dst, NULL, NULL, D, 0, 1, r);
	cr_expect_eq(one, 1, "maxiter 1 ran %u", one);
}

/* A pseudo-random graph with dangling nodes: a distribution comes out. */
Test(ranker_pagerank, random_graph_gives_a_distribution)
{
	enum { N = 200, M = 900 };
	uint32_t src[M], dst[M], s = 12345;
	double r[N], pers[N];

	for (int e = 0; e < M; e++) {
		s = s * 1103515245u + 12345u;
		src[e] = (s >> 8) % (N / 2);	/* half the nodes dangle */
		s = s * 1103515245u + 12345u;
		dst[e] = (s >> 8) % N;
	}
	for (int i = 0; i < N; i++)
		pers[i] = i % 3 == 0;
	ms_pagerank(N, M, src, dst, NULL, NULL, D, 1e-9, 500, r);
	cr_expect(fabs(sum(r, N) - 1) < 1e-9, "sum %.12f", sum(r, N));
	for (int i = 0; i < N; i++)
		cr_expect(r[i] >= 0.15 / N - 1e-12, "node %d: %g", i, r[i]);
	ms_pagerank(N, M, src, dst, NULL, pers, D, 1e-9, 500, r);
	cr_expect(fabs(sum(r, N) - 1) < 1e-9, "sum %.12f", sum(r, N));
}

Test(ranker_pagerank, bad_edges_and_weights_are_not_walked)
{
	uint32_t src[] = { 0, 1, 2, 7, 0 }, dst[] = { 1, 0, 0, 0, 9 };
	double w[] = { 1, 1, 1, 1, 1 }, r[3], ra = 0.135 / 0.2775;
	double want[] = { ra, 0.05 + 0.85 * ra, 0.05 };
	double w2[] = { 1, 1, 1, -4, NAN };

	ms_pagerank(3, 5, src, dst, w, NULL, D, TIGHT, 1000, r);
	expect_ranks(r, want, 3, 1e-10);
	ms_pagerank(3, 5, src, dst, w2, NULL, D, TIGHT, 1000, r);
	expect_ranks(r, want, 3, 1e-10);
	cr_expect_eq(ms_pagerank(0, 0, NULL, NULL, NULL, NULL, D, 1e-6, 10,
				 r), 0);
}

/* The warm start: starting from the answer, one iteration suffices. */
Test(ranker_pagerank, warm_start_converges_at_once)
{
	uint32_t src[] = { 0, 1, 2 }, dst[] = { 1, 0, 0 };
	double r[3];
	unsigned cold, warm;
	struct rk_graph g = { 0 };
	uint32_t off[] = { 0, 1, 2, 3 };
	float w[] = { 1, 1, 1 };

	cold = ms_pagerank(3, 3, src, dst, NULL, NULL, D, 1e-9, 1000, r);
	g.n = 3;
	g.m = 3;
	g.off = off;
	g.dst = dst;
	g.w = w;
	warm = rk_pagerank(&g, NULL, D, 1e-9, 1000, r);
	cr_expect(warm <= 2 && cold > 10, "cold %u, warm %u", cold, warm);
}

/* The topic block: sixteen teleport vectors over one random weighted graph
 * with dangling nodes, in two groups of RK_PR_LANES, each column what a
 * single run with that vector gives (floats: to 1e-5), a column whose
 * teleport is all 0 stays 0. */
Test(ranker_pagerank, block_columns_match_single_runs)
{
	enum { N = 300, M = 1500, K = 2 * RK_PR_LANES };
	struct rk_graph g = { 0 };
	uint32_t src[M], dst[M], s = 777;
	float w[M], *pers, *rank;
	double v[N], r[N];
	unsigned it;

	for (int e = 0; e < M; e++) {
		s = s * 1103515245u + 12345u;
		src[e] = (s >> 8) % (N - N / 4);	/* a quarter dangle */
		s = s * 1103515245u + 12345u;
		dst[e] = (s >> 8) % N;
		w[e] = 0.25f + (float)(e % 7);
	}
	/* CSR by source */
	g.n = N;
	g.m = M;
	g.off = calloc(N + 1, sizeof(*g.off));
	g.dst = malloc(M * sizeof(*g.dst));
	g.w = malloc(M * sizeof(*g.w));
	for (int e = 0; e < M; e++)
		g.off[src[e] + 1]++;
	for (int i = 0; i < N; i++)
		g.off[i + 1] += g.off[i];
	{
		uint32_t fill[N];

		memcpy(fill, g.off, sizeof(fill));
		for (int e = 0; e < M; e++) {
			g.dst[fill[src[e]]] = dst[e];
			g.w[fill[src[e]]++] = w[e];
		}
	}
	pers = calloc((size_t)N * K, sizeof(*pers));
	rank = calloc((size_t)N * K, sizeof(*rank));
	for (int j = 0; j < K - 1; j++) {	/* the last column stays 0 */
		double total = 0;

		for (int i = 0; i < N; i++)
			total += (i * 7 + j * 13) % 11 == 0 ? 1 + j : 0;
		for (int i = 0; i < N; i++) {
			float p = (i * 7 + j * 13) % 11 == 0 ?
					  (float)((1 + j) / total) : 0;

			pers[RK_PR_AT(N, i, j)] = p;
			rank[RK_PR_AT(N, i, j)] = 1.0f / N;
		}
	}
	it = rk_pagerank_block(&g, K, pers, D, 1e-7, 1000, rank);
	cr_expect_gt(it, 0);
	for (int j = 0; j < K; j++) {
		double got = 0;

		for (int i = 0; i < N; i++) {
			v[i] = pers[RK_PR_AT(N, i, j)];
			r[i] = 1.0 / N;
		}
		if (j < K - 1)
			rk_pagerank(&g, v, D, 1e-12, 1000, r);
		for (int i = 0; i < N; i++) {
			double x = rank[RK_PR_AT(N, i, j)];

			got += x;
			if (j == K - 1)
				cr_expect_eq(x, 0, "column %d node %d", j, i);
			else
				cr_expect(fabs(x - r[i]) < 1e-5,
					  "column %d node %d: %.7f, single "
					  "run %.7f", j, i, x, r[i]);
		}
		if (j < K - 1)
			cr_expect(fabs(got - 1) < 1e-4, "column %d sums to %f",
				  j, got);
	}
	cr_expect_eq(rk_pagerank_block(&g, RK_PR_LANES + 1, pers, D, 1e-7,
				       10, rank), 0, "k not a lane multiple");
	free(pers);
	free(rank);
	rk_graph_release(&g);
}
