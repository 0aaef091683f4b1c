/* Tests for store/scores.c: top-k comes out of the sorted index best
 * first, topics do not bleed into each other, a rewritten score moves,
 * switching generations shows the new ranking and deletes the old (in
 * chunks when one transaction cannot hold the delete), and a person's
 * scores are found for `explain`. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/store/storetest.h"
#include "util/err.h"

struct seen {
	size_t n;
	double score[64];
	char topic[64][32];
	struct ms_hash person[64];
	int64_t posts[64];
};

static int
grab(const struct ms_score_rec *r, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		s->score[s->n] = r->score;
		snprintf(s->topic[s->n], sizeof(s->topic[0]), "%s", r->topic);
		s->person[s->n] = r->person;
		s->posts[s->n] = r->evidence[MS_EV_POSTS];
	}
	s->n++;
	return 0;
}

static struct ms_score_rec
score_of(const char *ident, const char *topic, double score)
{
	struct ms_score_rec r = { 0 };

	ms_key_person(ident, &r.person);
	r.topic = topic;
	r.score = score;
	r.signals[MS_SIG_FOCUS] = score / 2;
	r.evidence[MS_EV_POSTS] = (int64_t)(score * 100);
	r.notes = "role: peer";
	return r;
}

static void
put_scores(struct ms_store *st, uint32_t gen, const char *topic,
	   const double *scores, size_t n, int do_switch)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_err err = { 0 };
	char ident[64];

	for (size_t i = 0; i < n; i++) {
		struct ms_score_rec r;

		snprintf(ident, sizeof(ident), "site:p%zu.example", i);
		r = score_of(ident, topic, scores[i]);
		ms_batch_put_score(b, gen, &r);
	}
	if (do_switch)
		ms_batch_switch_rank(b, gen);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
}

static struct seen
top(struct ms_store *st, const char *topic, size_t limit)
{
	struct ms_err err = { 0 };
	struct seen s = { 0 };
	struct ms_rtxn *t;

	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_top(t, topic, limit, grab, &s, &err), MS_OK,
		     "%s", err.msg);
	ms_store_read_end(t);
	return s;
}

static uint32_t
rank_gen(struct ms_store *st)
{
	struct ms_rtxn *t;
	uint32_t g;

	cr_assert_eq(ms_store_read_begin(st, &t, NULL), MS_OK);
	g = ms_store_rank_gen(t);
	ms_store_read_end(t);
	return g;
}

Test(store_scores, no_ranking_yet_lists_nothing)
{
	char *dir;
	struct ms_store *st = st_open_tmp("s-none", 0, &dir);
	static const double sc[] = { 0.5 };
	struct seen s;

	cr_expect_eq(rank_gen(st), 0);
	s = top(st, "hr", 0);
	cr_expect_eq(s.n, 0);
	/* Written but not switched to: still nothing (a killed ranker). */
	put_scores(st, 1, "hr", sc, 1, 0);
	s = top(st, "hr", 0);
	cr_expect_eq(s.n, 0);
	cr_expect_eq(rank_gen(st), 0);
	st_close_tmp(st, dir);
}

Test(store_scores, top_k_comes_best_first_from_the_index)
{
	static const double sc[] = { 0.5, 0.9, 0.1, -1.0, 3.5, 0.0, 0.90001,
				     NAN, 1e300, -0.0, 0.25 };
	char *dir;
	struct ms_store *st = st_open_tmp("s-order", 0, &dir);
	struct seen s;

	put_scores(st, 1, "hr", sc, sizeof(sc) / sizeof(sc[0]), 1);
	s = top(st, "hr", 0);
	cr_assert_eq(s.n, sizeof(sc) / sizeof(sc[0]));
	cr_expect_eq(s.score[0], 1e300);
	cr_expect_eq(s.score[1], 3.5);
	cr_expect_eq(s.score[2], 0.90001);
	cr_expect_eq(s.score[3], 0.9);
	cr_expect_eq(s.score[4], 0.5);
	cr_expect_eq(s.score[5], 0.25);
	cr_expect_eq(s.score[6], 0.1);
	cr_expect_eq(s.score[7], 0.0);	/* +0 and -0 in either order */
	cr_expect_eq(s.score[8], 0.0);
	cr_expect_eq(s.score[9], -1.0);
	for (size_t i = 1; i + 1 < s.n; i++)
		cr_expect(s.score[i - 1] >= s.score[i], "order at %zu: %g < "
			  "%g", i, s.score[i - 1], s.score[i]);
	cr_expect(isnan(s.score[s.n - 1]), "NaN ranks last");
	cr_expect_eq(s.posts[1], 350, "the record comes with the key");

	s = top(st, "hr", 3);
	cr_expect_eq(s.n, 3);
	cr_expect_eq(s.score[2], 0.90001);
	st_close_tmp(st, dir);
}

Test(store_scores, topics_do_not_bleed_into_each_other)
{
	static const double a[] = { 0.3, 0.2 }, b[] = { 0.9, 0.8, 0.7 };
	char *dir;
	struct ms_store *st = st_open_tmp("s-topics", 0, &dir);
	struct ms_batch *bt;
	struct ms_err err = { 0 };
	struct seen s;

	put_scores(st, 1, "hr", a, 2, 0);
	put_scores(st, 1, "hrm", b, 3, 0);
	bt = ms_store_batch_new(st);
	ms_batch_switch_rank(bt, 1);
	cr_assert_eq(ms_store_batch_commit(bt, &err), MS_OK, "%s", err.msg);
	s = top(st, "hr", 0);
	cr_expect_eq(s.n, 2);
	cr_expect_str_eq(s.topic[0], "hr");
	cr_expect_str_eq(s.topic[1], "hr");
	s = top(st, "hrm", 0);
	cr_expect_eq(s.n, 3);
	s = top(st, "h", 0);
	cr_expect_eq(s.n, 0);
	s = top(st, "leadership", 0);
	cr_expect_eq(s.n, 0);
	st_close_tmp(st, dir);
}

Test(store_scores, rewritten_score_moves_instead_of_doubling)
{
	char *dir;
	struct ms_store *st = st_open_tmp("s-rewrite", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_score_rec jane = score_of("site:jane.example", "hr", 0.2);
	struct ms_score_rec bob = score_of("site:bob.example", "hr", 0.5);
	struct ms_err err = { 0 };
	struct ms_store_stats stats;
	struct ms_hash jk;
	struct seen s;

	ms_batch_put_score(b, 1, &jane);
	ms_batch_put_score(b, 1, &bob);
	ms_batch_switch_rank(b, 1);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
	b = ms_store_batch_new(st);
	jane.score = 0.8;
	ms_batch_put_score(b, 1, &jane);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);

	s = top(st, "hr", 0);
	ms_key_person("site:jane.example", &jk);
	cr_assert_eq(s.n, 2, "%zu entries", s.n);
	cr_expect_arr_eq(s.person[0].b, jk.b, MS_HASH_LEN);
	cr_expect_eq(s.score[0], 0.8);
	cr_assert_eq(ms_store_stats(st, &stats, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(stats.scores, 2);
	st_close_tmp(st, dir);
}

Test(store_scores, switch_shows_new_ranking_and_deletes_other_generations)
{
	static const double g1[] = { 0.1, 0.2, 0.3, 0.4 };
	static const double g2[] = { 0.9, 0.7 };
	static const double g3[] = { 0.05 };
	char *dir;
	struct ms_store *st = st_open_tmp("s-switch", 0, &dir);
	struct ms_store_stats stats;
	struct ms_err err = { 0 };
	struct seen s;

	put_scores(st, 5, "hr", g1, 4, 1);
	cr_expect_eq(rank_gen(st), 5);
	/* The ranker writes generation 6 while 5 is live. */
	put_scores(st, 6, "hr", g2, 2, 0);
	/* A leftover of a killed ranker, older and newer generations. */
	put_scores(st, 2, "hr", g3, 1, 0);
	put_scores(st, 9, "hr", g3, 1, 0);
	s = top(st, "hr", 0);
	cr_expect_eq(s.n, 4);
	cr_expect_eq(s.score[0], 0.4);

	{
		struct ms_batch *b = ms_store_batch_new(st);

		ms_batch_switch_rank(b, 6);
		cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s",
			     err.msg);
	}
	cr_expect_eq(rank_gen(st), 6);
	s = top(st, "hr", 0);
	cr_expect_eq(s.n, 2);
	cr_expect_eq(s.score[0], 0.9);
	cr_expect_eq(s.score[1], 0.7);
	cr_assert_eq(ms_store_stats(st, &stats, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(stats.scores, 2, "%zu scores left: old generations "
		     "were not deleted", stats.scores);
	st_close_tmp(st, dir);
}

Test(store_scores, person_scores_are_found_in_the_current_ranking)
{
	char *dir;
	struct ms_store *st = st_open_tmp("s-person", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	static const char *topics[] = { "leadership", "hr", "career" };
	struct ms_err err = { 0 };
	struct ms_hash jane;
	struct ms_rtxn *t;
	struct seen s = { 0 };

	for (size_t i = 0; i < 3; i++) {
		struct ms_score_rec r = score_of("site:jane.example", topics[i],
						 (double)(i + 1) / 10);
		struct ms_score_rec o = score_of("site:bob.example", topics[i],
						 0.5);

		ms_batch_put_score(b, 1, &r);
		ms_batch_put_score(b, 1, &o);
		r.score = 0.99;
		ms_batch_put_score(b, 2, &r);	/* not switched to */
	}
	ms_batch_switch_rank(b, 1);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);

	ms_key_person("site:jane.example", &jane);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_person_scores(t, &jane, grab, &s, &err), MS_OK,
		     "%s", err.msg);
	ms_store_read_end(t);
	cr_assert_eq(s.n, 3);
	/* In topic order (the pscores key), each with jane's own score. */
	cr_expect_str_eq(s.topic[0], "career");
	cr_expect_eq(s.score[0], 0.3);
	cr_expect_str_eq(s.topic[1], "hr");
	cr_expect_eq(s.score[1], 0.2);
	cr_expect_str_eq(s.topic[2], "leadership");
	cr_expect_eq(s.score[2], 0.1);
	for (size_t i = 0; i < 3; i++)
		cr_expect_arr_eq(s.person[i].b, jane.b, MS_HASH_LEN);
	st_close_tmp(st, dir);
}

static int
stop_after_two(const struct ms_score_rec *r, void *ctx)
{
	(void)r;
	return ++*(int *)ctx == 2 ? 5 : 0;
}

Test(store_scores, callback_can_stop_a_listing)
{
	static const double sc[] = { 0.1, 0.2, 0.3, 0.4 };
	char *dir;
	struct ms_store *st = st_open_tmp("s-stop", 0, &dir);
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	int n = 0;

	put_scores(st, 1, "hr", sc, 4, 1);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(ms_store_top(t, "hr", 0, stop_after_two, &n, &err), 5);
	cr_expect_eq(n, 2);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

Test(store_scores, score_with_a_topic_too_long_for_a_key_is_refused)
{
	char *dir;
	struct ms_store *st = st_open_tmp("s-long", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_err err = { 0 };
	char topic[600];
	struct ms_score_rec r;

	memset(topic, 't', sizeof(topic) - 1);
	topic[sizeof(topic) - 1] = '\0';
	r = score_of("site:jane.example", topic, 0.5);
	ms_batch_put_score(b, 1, &r);
	cr_expect_eq(ms_store_batch_commit(b, &err), MS_ETOOBIG);
	cr_expect(strstr(err.msg, "score"), "%s", err.msg);
	st_close_tmp(st, dir);
}

/*
 * Deleting a big old generation can need more dirty pages than one LMDB
 * transaction holds.  The fault hook fakes MDB_TXN_FULL after 50 writes:
 * the switch then deletes in chunks, and the result is the same.
 */
Test(store_scores, switch_too_big_for_one_transaction_runs_in_chunks)
{
	char *dir;
	struct ms_store *st = st_open_tmp("s-chunk", 0, &dir);
	static double old[600], fresh[] = { 0.9, 0.8, 0.7 };
	struct ms_store_stats stats;
	struct ms_err err = { 0 };
	struct seen s;

	for (size_t i = 0; i < 600; i++)
		old[i] = (double)i / 600;
	put_scores(st, 1, "hr", old, 600, 1);
	put_scores(st, 2, "hr", fresh, 3, 0);
	store_test_txn_limit(st, 50);
	{
		struct ms_batch *b = ms_store_batch_new(st);

		ms_batch_switch_rank(b, 2);
		cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s",
			     err.msg);
	}
	store_test_txn_limit(st, 0);
	cr_expect_eq(rank_gen(st), 2);
	s = top(st, "hr", 0);
	cr_expect_eq(s.n, 3);
	cr_expect_eq(s.score[0], 0.9);
	cr_assert_eq(ms_store_stats(st, &stats, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(stats.scores, 3, "%zu left", stats.scores);
	st_close_tmp(st, dir);
}
