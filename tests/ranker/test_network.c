/* Tests for ranker/network.c: the greedy pick of a 5–6 person network
 * across roles (RANKING.md §3.6) over ranked candidates. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ranker/internal.h"

static struct rk_pick_in
cand(double score, enum ms_role role, double aff, const char *host)
{
	struct rk_pick_in c;

	memset(&c, 0, sizeof(c));
	c.score = score;
	c.aff[role] = aff;
	c.host = host;
	/* distinct signal profiles so only the host can make a duplicate */
	for (int k = 0; k < MS_SIGNALS; k++)
		c.signals[k] = (k == (int)role) ? 0.9 : 0.1 * (k + 1);
	c.signals[(int)(score * 100) % MS_SIGNALS] += 0.5;
	return c;
}

static int
picked_role(const size_t *out, const enum ms_role *roles, size_t n,
	    enum ms_role r)
{
	for (size_t i = 0; i < n; i++)
		if (roles[i] == r)
			return (int)out[i];
	return -1;
}

/* The top of the list is all advisers; the network still brings in a
 * connector, an idea person and a peer from further down. */
Test(ranker_network, covers_roles_beyond_the_top_scores)
{
	struct rk_pick_in in[16];
	size_t out[6], n;
	enum ms_role roles[6];
	char hosts[16][32];

	for (int i = 0; i < 16; i++)
		snprintf(hosts[i], sizeof(hosts[i]), "h%d.example", i);
	for (int i = 0; i < 8; i++)
		in[i] = cand(0.90 - 0.01 * i, MS_ROLE_ADVISER, 0.9, hosts[i]);
	in[8] = cand(0.70, MS_ROLE_CONNECTOR, 0.9, hosts[8]);
	in[9] = cand(0.68, MS_ROLE_IDEAS, 0.9, hosts[9]);
	in[10] = cand(0.66, MS_ROLE_PEER, 0.9, hosts[10]);
	/* the weak tail: under the pool's 30th percentile, whatever role */
	for (int i = 11; i < 16; i++)
		in[i] = cand(0.10 + 0.01 * i, MS_ROLE_PEER, 0.9, hosts[i]);
	n = rk_network_pick(in, 16, 6, out, roles);
	cr_assert(n >= 5 && n <= 6, "picked %zu", n);
	cr_expect_eq(out[0], 0, "the best candidate comes first");
	cr_expect_eq(roles[0], MS_ROLE_ADVISER);
	cr_expect_eq(picked_role(out, roles, n, MS_ROLE_CONNECTOR), 8);
	cr_expect_eq(picked_role(out, roles, n, MS_ROLE_IDEAS), 9);
	cr_expect_eq(picked_role(out, roles, n, MS_ROLE_PEER), 10);
	for (size_t i = 0; i < n; i++)
		cr_expect_lt(out[i], 11, "pick %zu is from the weak tail", i);
}

/* Two people on one host are near-duplicates: the second one waits. */
Test(ranker_network, avoids_near_duplicates)
{
	struct rk_pick_in in[8];
	size_t out[6], n;
	enum ms_role roles[6];
	char hosts[8][32];

	for (int i = 0; i < 8; i++) {
		snprintf(hosts[i], sizeof(hosts[i]), "h%d.example", i);
		in[i] = cand(0.8 - 0.01 * i, MS_ROLE_ADVISER, 0.5, hosts[i]);
	}
	in[1].host = hosts[0];	/* same site as the best */
	n = rk_network_pick(in, 8, 5, out, roles);
	cr_assert_eq(n, 5);
	for (size_t i = 0; i < n; i++)
		cr_expect_neq(out[i], 1, "the same host was picked twice");
}

Test(ranker_network, pods_and_zero_scores_are_never_picked)
{
	struct rk_pick_in in[7];
	size_t out[6], n;
	enum ms_role roles[6];

	for (int i = 0; i < 7; i++)
		in[i] = cand(0.5, (enum ms_role)(1 + i % 4), 0.8, NULL);
	in[0].score = 0.99;
	in[0].excluded = 1;	/* an engagement pod */
	in[3].score = 0;	/* gated out */
	n = rk_network_pick(in, 7, 6, out, roles);
	cr_expect_eq(n, 5);
	for (size_t i = 0; i < n; i++) {
		cr_expect_neq(out[i], 0);
		cr_expect_neq(out[i], 3);
	}
}

/* Five always; a sixth only when it covers a role still open. */
Test(ranker_network, a_sixth_only_for_an_uncovered_role)
{
	struct rk_pick_in in[9];
	size_t out[6], n;
	enum ms_role roles[6];
	char hosts[9][32];

	for (int i = 0; i < 9; i++) {
		snprintf(hosts[i], sizeof(hosts[i]), "h%d.example", i);
		if (i < 5)
			in[i] = cand(0.90 - 0.01 * i, MS_ROLE_ADVISER, 0.9,
				     hosts[i]);
		else	/* fillers without a role */
			in[i] = cand(0.30, MS_ROLE_NONE, 0, hosts[i]);
	}
	n = rk_network_pick(in, 9, 6, out, roles);
	cr_expect_eq(n, 5, "nothing new to cover: five");
	/* a peer whose score keeps it out of the first five */
	in[5] = cand(0.55, MS_ROLE_PEER, 0.9, "peer.example");
	n = rk_network_pick(in, 9, 6, out, roles);
	cr_assert_eq(n, 6, "the peer role was open: six");
	cr_expect_eq(out[5], 5);
	cr_expect_eq(roles[5], MS_ROLE_PEER);
	cr_expect_eq(rk_network_pick(in, 3, 6, out, roles), 3,
		     "a small pool gives what it has");
}

Test(ranker_network, empty_input_picks_nobody)
{
	size_t out[6];
	enum ms_role roles[6];

	cr_expect_eq(rk_network_pick(NULL, 0, 6, out, roles), 0);
}
