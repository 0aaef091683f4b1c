/* Tests for ranker/signals.c: each signal's formula on cases worked out by
 * hand from RANKING.md §3.3, and rk_post_talk on comment threads as the
 * engines deliver them (threaded replies, flat replies, spam). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "ranker/internal.h"

#define NEAR(got, want)                                                      \
	cr_expect(fabs((got) - (want)) < 1e-6, "%s: got %.9f, want %.9f",   \
		  #got, (double)(got), (double)(want))

/* share (n_t + 5π)/(n + 5) × volume (1 − e^(−n_t/5)) × persistence. */
Test(ranker_signals, focus_two_of_two_does_not_beat_forty_of_fifty)
{
	double small = rk_focus(2, 2, 0.1, 2), big = rk_focus(40, 50, 0.1, 12);

	NEAR(small, (2.5 / 7) * (1 - exp(-0.4)) * (0.5 + 0.5 * 2 / 6.0));
	NEAR(big, (40.5 / 55) * (1 - exp(-8)) * 1.0);
	cr_expect(big > 5 * small, "40/50 %.3f vs 2/2 %.3f", big, small);
}

Test(ranker_signals, focus_rewards_persistence_and_devotion)
{
	/* a one-month burst is discounted against the same posts over a
	 * year */
	cr_expect(rk_focus(10, 10, 0.1, 1) < rk_focus(10, 10, 0.1, 12));
	/* a devoted blog beats a general one that mentioned it as often */
	cr_expect(rk_focus(10, 12, 0.1, 6) > rk_focus(10, 200, 0.1, 6));
	NEAR(rk_focus(0, 10, 0.1, 0), 0);
	NEAR(rk_focus(3, 0, 0.1, 1), 0);
	/* more on-topic credit than posts is clamped, never above 1 */
	cr_expect(rk_focus(90, 10, 1, 12) <= 1.0);
}

/* p = (8 + 5·0.3)/(10 + 5), speed = 1/(1 + 5/48). */
Test(ranker_signals, responsiveness_share_speed_and_openness)
{
	double p = 9.5 / 15, speed = 1 / (1 + 5 / 48.0);

	NEAR(rk_responsiveness(8, 10, 0.3, 5, 1), p * speed);
	NEAR(rk_responsiveness(8, 10, 0.3, 5, 0), p * speed * 0.3);
	NEAR(rk_responsiveness(8, 10, 0.3, -1, 1), p);
	/* no evidence at all: the prior */
	NEAR(rk_responsiveness(0, 0, 0.3, -1, 1), 0.3);
	/* shrinkage: 2 of 2 is less sure than 40 of 40 */
	cr_expect(rk_responsiveness(2, 2, 0.3, -1, 1) <
		  rk_responsiveness(40, 40, 0.3, -1, 1));
	/* slow answers count less than fast ones */
	cr_expect(rk_responsiveness(8, 10, 0.3, 96, 1) <
		  rk_responsiveness(8, 10, 0.3, 2, 1));
}

Test(ranker_signals, activity_half_life_and_cadence)
{
	NEAR(rk_activity(0, 12, 90), 1);
	NEAR(rk_activity(90, 12, 90), 0.5);
	NEAR(rk_activity(180, 12, 90), 0.25);
	NEAR(rk_activity(45, 6, 90), pow(2, -0.5) * 0.5);
	/* one post ten days ago: cadence floored at a quarter */
	NEAR(rk_activity(10, 1, 90), pow(2, -10 / 90.0) * 0.25);
	/* the half-life comes from the config */
	NEAR(rk_activity(30, 12, 30), 0.5);
	NEAR(rk_activity(-5, 12, 90), 1);
}

Test(ranker_signals, reachability_is_a_weighted_checklist)
{
	NEAR(rk_reachability(0, 0, 0, 0), 0);
	NEAR(rk_reachability(1, 0, 0, 0), 0.4);
	NEAR(rk_reachability(1, 1, 0, 0), 0.6);
	NEAR(rk_reachability(1, 1, 3, 0), 0.8);
	NEAR(rk_reachability(1, 1, 1, 1), 1.0);
	NEAR(rk_reachability(0, 1, 2, 1), 0.6);
}

Test(ranker_signals, percentile_saturation_median)
{
	double v[] = { 1, 2, 2, 3 }, odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3,
								       2 };

	NEAR(rk_percentile(v, 4, 2), (1 + 0.5 * 2) / 4);
	NEAR(rk_percentile(v, 4, 3), 3.5 / 4);
	NEAR(rk_percentile(v, 4, 0), 0);
	NEAR(rk_percentile(v, 4, 9), 1);
	NEAR(rk_saturate(5, 5), 0.5);
	NEAR(rk_saturate(15, 5), 0.75);
	NEAR(rk_saturate(0, 5), 0);
	NEAR(rk_median(odd, 3), 3);
	NEAR(rk_median(even, 4), 2.5);
	NEAR(rk_median(NULL, 0), 0);
}

/* RANKING.md's example: "answered 9 of 12 (75%; ≥ 51% at 90%)". */
Test(ranker_signals, wilson_lower_bound_matches_the_design_example)
{
	double lb = rk_wilson_lower(9, 12, 1.645);

	cr_expect(lb > 0.51 && lb < 0.52, "lower bound %.4f", lb);
	NEAR(rk_wilson_lower(0, 0, 1.645), 0);
	cr_expect(rk_wilson_lower(90, 120, 1.645) > lb);
}

/* Comments of one post in time order; ids 1.., author 100 is the post's
 * author, 200.. commenters. */
struct thread {
	struct rk_comment c[64];
	const struct rk_comment *p[64];
	uint32_t ans[64];
	size_t n;
};

static void
say(struct thread *t, uint32_t author, uint64_t parent)
{
	struct rk_comment *c = &t->c[t->n];

	c->id = t->n + 1;
	c->parent = parent;
	c->author = author;
	c->published = 1000 + 600 * (int64_t)t->n;
	t->p[t->n] = c;
	t->n++;
}

/* WordPress-style threading: the author answers X's comment only. */
Test(ranker_signals, threaded_reply_answers_its_parent)
{
	struct thread t = { 0 };
	struct rk_talk k;

	say(&t, 200, 0);	/* 1: X */
	say(&t, 201, 0);	/* 2: Y */
	say(&t, 100, 1);	/* 3: author → X */
	rk_post_talk(t.p, t.n, 100, NULL, t.ans, &k);
	cr_expect_eq(k.others, 2);
	cr_expect_eq(k.commenters, 2);
	cr_expect_eq(k.answered, 1);
	cr_expect_eq(k.answered_commenters, 1);
	cr_expect_eq(k.replies, 1);
	cr_expect_eq(t.ans[0], 2, "X answered by comment index 2");
	cr_expect_eq(t.ans[1], RK_NONE, "Y not answered");
}

/* Blogger-style flat threads: an author comment answers those before. */
Test(ranker_signals, flat_author_comment_answers_everyone_before_it)
{
	struct thread t = { 0 };
	struct rk_talk k;

	say(&t, 200, 0);
	say(&t, 201, 0);
	say(&t, 200, 0);	/* X again */
	say(&t, 100, 0);	/* author, no parent */
	say(&t, 202, 0);	/* after the answer: waiting */
	rk_post_talk(t.p, t.n, 100, NULL, t.ans, &k);
	cr_expect_eq(k.others, 4);
	cr_expect_eq(k.commenters, 3);
	cr_expect_eq(k.answered, 3);
	cr_expect_eq(k.answered_commenters, 2);
	cr_expect_eq(t.ans[4], RK_NONE);
}

Test(ranker_signals, talking_to_oneself_is_not_an_answer)
{
	struct thread t = { 0 };
	struct rk_talk k;

	say(&t, 100, 0);	/* the author opens */
	say(&t, 100, 1);	/* and follows up on themselves */
	say(&t, 200, 0);
	rk_post_talk(t.p, t.n, 100, NULL, t.ans, &k);
	cr_expect_eq(k.replies, 0);
	cr_expect_eq(k.answered, 0);
	cr_expect_eq(k.others, 1);
}

Test(ranker_signals, spam_comments_are_neither_audience_nor_answers)
{
	struct thread t = { 0 };
	struct rk_talk k;
	unsigned char spam[300] = { 0 };

	spam[250] = 1;
	say(&t, 250, 0);	/* spam */
	say(&t, 100, 1);	/* the author answers the spammer */
	say(&t, 201, 0);
	rk_post_talk(t.p, t.n, 100, spam, t.ans, &k);
	cr_expect_eq(k.others, 1);
	cr_expect_eq(k.commenters, 1);
	cr_expect_eq(k.answered, 0);
	cr_expect_eq(k.replies, 0, "answering spam is not answering people");
}

/* The engine marks the author's comments (.bypostauthor) even when the
 * comment's author URL did not resolve to the blog's owner. */
Test(ranker_signals, engine_author_mark_counts_as_the_author)
{
	struct thread t = { 0 };
	struct rk_talk k;

	say(&t, 200, 0);
	say(&t, RK_NONE, 1);
	t.c[1].by_author = 1;
	say(&t, RK_NONE, 0);	/* an anonymous commenter */
	say(&t, RK_NONE, 0);	/* and another */
	rk_post_talk(t.p, t.n, 100, NULL, t.ans, &k);
	cr_expect_eq(k.replies, 1);
	cr_expect_eq(k.answered, 1);
	cr_expect_eq(k.others, 3);
	cr_expect_eq(k.commenters, 3, "anonymous commenters count apart");
}

/* A long thread goes through the sorted lookup. */
Test(ranker_signals, long_threads_resolve_parents)
{
	struct thread t = { 0 };
	struct rk_talk k;

	for (int i = 0; i < 30; i++)
		say(&t, 200 + (uint32_t)i, 0);
	for (int i = 0; i < 30; i += 2)
		say(&t, 100, (uint64_t)i + 1);	/* every other one */
	rk_post_talk(t.p, t.n, 100, NULL, t.ans, &k);
	cr_expect_eq(k.others, 30);
	cr_expect_eq(k.answered, 15);
	cr_expect_eq(k.answered_commenters, 15);
	cr_expect_eq(k.replies, 15);
	cr_expect_eq(t.ans[28], 44);
	cr_expect_eq(t.ans[29], RK_NONE);
}
