/* Tests for ranker/compute.c: a whole ranking run on small in-memory
 * worlds — the focus smoothing and the evidence gate, authority from the
 * link graph, the gates and the weighted sum, the overall "*" records,
 * languages, the people graph handed to the store, determinism. */
#include "tests/ranker/world.h"

static double
weighted(const struct w_rec *r)
{
	return 0.25 * r->signals[MS_SIG_FOCUS] +
	       0.15 * r->signals[MS_SIG_AUTHORITY] +
	       0.25 * r->signals[MS_SIG_RESPONSIVENESS] +
	       0.10 * r->signals[MS_SIG_AUDIENCE] +
	       0.15 * r->signals[MS_SIG_ACTIVITY] +
	       0.10 * r->signals[MS_SIG_REACHABILITY];
}

/* Big writes 40 of 50 posts on HR over a year; Small 2 of 2, this week. */
static void
focus_world(struct world *w)
{
	w_person(w, "site:big.example", "Big", "https://big.example/", NULL,
		 NULL);
	w_person(w, "site:small.example", "Small", "https://small.example/",
		 NULL, NULL);
	for (int i = 0; i < 50; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://big.example/p%d", i);
		w_post(w, url, "site:big.example", "Post",
		       i < 40 ? "hr=2" : "cooking=1", NULL, 1 + 7 * i, 1);
	}
	w_post(w, "https://small.example/a", "site:small.example", "A",
	       "hr=1", NULL, 1, 1);
	w_post(w, "https://small.example/b", "site:small.example", "B",
	       "hr=1", NULL, 2, 1);
}

Test(ranker_compute, focus_is_smoothed_and_thin_evidence_is_gated)
{
	struct world *w = w_new();
	const struct w_rec *big, *small;
	double prior = 42.0 / 52;	/* HR credit over all posts */

	focus_world(w);
	w_rank(w);
	big = w_get(w, "site:big.example", "hr");
	small = w_get(w, "site:small.example", "hr");
	cr_expect_eq(big->evidence[MS_EV_POSTS], 50);
	cr_expect_eq(big->evidence[MS_EV_POSTS_ON_TOPIC], 40);
	cr_expect_gt(big->signals[MS_SIG_FOCUS], small->signals[MS_SIG_FOCUS]);
	/* both of Small's posts fall in one calendar month bucket */
	cr_expect(fabs(small->signals[MS_SIG_FOCUS] -
		       rk_focus(2, 2, prior, 1)) < 1e-9,
		  "small focus %.6f", small->signals[MS_SIG_FOCUS]);
	cr_expect(small->flags & RK_F_THIN);
	cr_expect_eq(small->score, 0, "below min_on_topic: gated");
	cr_expect(strstr(small->notes, "insufficient evidence: 2.0 on-topic "
			 "posts, 3 needed") != NULL, "notes: %s", small->notes);
	cr_expect_gt(big->score, 0);
	cr_expect(!(big->flags & RK_F_THIN));
	/* a topic Small never wrote on gives no record */
	cr_expect_null(w_find(w, "site:small.example", "cooking"));
	w_free(w);
}

/* A post counts for its main topic fully (a title or category hit 1, a
 * body-only hit 0.5) and for a secondary one in proportion: six HR posts
 * that touch leadership are not six leadership posts. */
Test(ranker_compute, secondary_topics_count_by_their_share_of_the_post)
{
	struct world *w = w_new();
	const struct w_rec *r;

	w_person(w, "site:hr.example", "H", "https://hr.example/", NULL,
		 NULL);
	w_person(w, "site:lead.example", "L", "https://lead.example/", NULL,
		 NULL);
	w_person(w, "site:cook.example", "C", "https://cook.example/", NULL,
		 NULL);
	for (int i = 0; i < 6; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://hr.example/p%d", i);
		w_post(w, url, "site:hr.example", "P", "hr=5\nleadership=2",
		       NULL, 1 + 20 * i, 1);
		snprintf(url, sizeof(url), "https://lead.example/p%d", i);
		w_post(w, url, "site:lead.example", "P", "leadership=2\nhr=1",
		       NULL, 1 + 20 * i, 1);
		snprintf(url, sizeof(url), "https://cook.example/p%d", i);
		w_post(w, url, "site:cook.example", "P", "cooking=0.5", NULL,
		       1 + 20 * i, 1);
	}
	w_rank(w);
	r = w_get(w, "site:hr.example", "leadership");
	cr_expect_eq(r->evidence[MS_EV_POSTS_ON_TOPIC], 6);
	cr_expect(r->flags & RK_F_THIN, "6 x 2/5 = 2.4 is below the gate");
	cr_expect(r->notes && strstr(r->notes, "insufficient evidence: 2.4 "
				     "on-topic"), "notes: %s", r->notes);
	cr_expect(!(w_get(w, "site:hr.example", "hr")->flags & RK_F_THIN));
	cr_expect(!(w_get(w, "site:lead.example", "leadership")->flags &
		    RK_F_THIN));
	r = w_get(w, "site:lead.example", "hr");
	cr_expect(!(r->flags & RK_F_THIN), "6 x 1 x 1/2 = 3.0");
	/* body-only mentions, the post's only topic: half each */
	r = w_get(w, "site:cook.example", "cooking");
	cr_expect(!(r->flags & RK_F_THIN), "6 x 0.5 = 3.0");
	w_free(w);
}

/* Without gates the score is the weighted sum of the signals (the
 * config's weights sum to 1 here). */
Test(ranker_compute, score_is_the_weighted_sum_under_the_gates)
{
	struct world *w = w_new();
	const struct w_rec *big;

	focus_world(w);
	w_rank(w);
	big = w_get(w, "site:big.example", "hr");
	cr_expect(fabs(big->score - weighted(big)) < 1e-12,
		  "score %.9f vs %.9f", big->score, weighted(big));
	for (int k = 0; k < MS_SIGNALS; k++)
		cr_expect(big->signals[k] >= 0 && big->signals[k] <= 1,
			  "signal %d = %f", k, big->signals[k]);
	w_free(w);
}

Test(ranker_compute, dormant_blogs_are_discounted)
{
	struct world *w = w_new();
	const struct w_rec *r;

	w_person(w, "site:old.example", "Old", "https://old.example/", NULL,
		 NULL);
	for (int i = 0; i < 5; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://old.example/p%d", i);
		w_post(w, url, "site:old.example", "Post", "hr=1", NULL,
		       400 + 30 * i, 1);
	}
	w_rank(w);
	r = w_get(w, "site:old.example", "hr");
	cr_expect(r->flags & RK_F_DORMANT);
	cr_expect(fabs(r->score - 0.2 * weighted(r)) < 1e-12);
	cr_expect_eq(r->evidence[MS_EV_DAYS_SINCE_POST], 400);
	cr_expect(r->signals[MS_SIG_ACTIVITY] < 0.05);
	cr_expect(!w_has_step(r, "comment", NULL),
		  "no comment step on a post older than a year");
	w_free(w);
}

/* Star is linked by five HR bloggers, Nobody by none: authority and the
 * "linked by" evidence follow the people graph. */
Test(ranker_compute, links_from_the_topic_make_authority)
{
	struct world *w = w_new();
	const struct w_rec *star, *nobody;
	struct ms_hash from, to;
	uint32_t star_id, fan_id;
	int seen = 0;

	w_person(w, "site:star.example", "Star", "https://star.example/", NULL,
		 NULL);
	w_person(w, "site:nobody.example", "Nobody",
		 "https://nobody.example/", NULL, NULL);
	for (int i = 0; i < 3; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://star.example/p%d", i);
		w_post(w, url, "site:star.example", "Post", "hr=1", NULL,
		       3 + i, 1);
		snprintf(url, sizeof(url), "https://nobody.example/p%d", i);
		w_post(w, url, "site:nobody.example", "Post", "hr=1", NULL,
		       3 + i, 1);
	}
	for (int i = 0; i < 5; i++) {
		char ident[64], site[64], url[64];

		snprintf(ident, sizeof(ident), "site:fan%d.example", i);
		snprintf(site, sizeof(site), "https://fan%d.example/", i);
		w_person(w, ident, "Fan", site, NULL, NULL);
		snprintf(url, sizeof(url), "https://fan%d.example/p", i);
		w_post(w, url, ident, "Post", "hr=1",
		       "https://star.example/p1\nhttps://elsewhere.example/",
		       10, 1);
	}
	w_rank(w);
	star = w_get(w, "site:star.example", "hr");
	nobody = w_get(w, "site:nobody.example", "hr");
	cr_expect_gt(star->signals[MS_SIG_AUTHORITY],
		     nobody->signals[MS_SIG_AUTHORITY]);
	cr_expect_eq(star->evidence[MS_EV_LINKS_IN], 5);
	cr_expect_eq(nobody->evidence[MS_EV_LINKS_IN], 0);
	cr_expect_gt(star->score, nobody->score);
	/* the cited post is the one to link to */
	cr_expect(w_has_step(star, "link", "https://star.example/p1"),
		  "steps: %s", star->steps);
	to = w_key("site:star.example");
	from = w_key("site:fan0.example");
	star_id = rk_person_of(&w->m, &to);
	fan_id = rk_person_of(&w->m, &from);
	for (uint32_t e = w->run.g.off[fan_id]; e < w->run.g.off[fan_id + 1];
	     e++)
		if (w->run.g.dst[e] == star_id) {
			cr_expect_eq(w->run.edge[e].nlink, 1);
			cr_expect_eq(w->run.edge[e].ncomment, 0);
			seen = 1;
		}
	cr_expect(seen, "fan0 → star is in the people graph");
	cr_expect_eq(w->run.edges, 5, "links to unknown sites are not edges");
	w_free(w);
}

Test(ranker_compute, overall_records_and_languages)
{
	struct world *w = w_new();
	const struct w_rec *r;

	w_person(w, "site:de.example", "Deutsch", "https://de.example/", NULL,
		 NULL);
	w_person(w, "site:reader.example", "Reader", NULL, NULL, NULL);
	for (int i = 0; i < 5; i++) {
		char url[64];
		struct ms_post_rec *p;

		snprintf(url, sizeof(url), "https://de.example/p%d", i);
		p = w_post(w, url, "site:de.example", "Beitrag",
			   i < 3 ? "hr=1" : "leadership=1", NULL, 2 + i, 1);
		p->lang = i < 4 ? "de-DE" : "en";
	}
	w_comment(w, "c", "https://de.example/p0", "site:reader.example", NULL,
		  5);
	w_rank(w);
	r = w_get(w, "site:de.example", MS_RANK_OVERALL);
	cr_expect_eq(r->evidence[MS_EV_POSTS_ON_TOPIC], 5);
	cr_expect_str_eq(r->lang, "de");
	cr_expect_str_eq(w_get(w, "site:de.example", "hr")->lang, "de");
	cr_expect_null(w_find(w, "site:reader.example", MS_RANK_OVERALL),
		       "a commenter without posts is not ranked");
	w_free(w);
}

Test(ranker_compute, the_same_input_gives_the_same_ranking)
{
	struct world *a = w_new(), *b = w_new();

	focus_world(a);
	focus_world(b);
	w_rank(a);
	w_rank(b);
	cr_assert_eq(a->nrecs, b->nrecs);
	for (size_t i = 0; i < a->nrecs; i++) {
		cr_expect_eq(a->recs[i].score, b->recs[i].score);
		cr_expect_str_eq(a->recs[i].steps ? a->recs[i].steps : "",
				 b->recs[i].steps ? b->recs[i].steps : "");
	}
	w_free(a);
	w_free(b);
}

/* Hostile input: a thread of 3000 comments, topics and links that are
 * not what they should be. */
Test(ranker_compute, odd_input_is_survived)
{
	struct world *w = w_new();
	struct ms_post_rec *p;

	w_person(w, "site:odd.example", "Odd\tName\n", "https://odd.example/",
		 "javascript:alert(1)", "ftp://x\n\n\nhttps://x.com/odd");
	w_person(w, "site:c.example", "C", NULL, NULL, NULL);
	p = w_post(w, "https://odd.example/p", "site:odd.example",
		   "Tab\there\nnewline",
		   "hr=abc\n=3\nhr=-1\nnope=1\nhr=1\nhr=2",
		   "not a url\n\n\nhttps://\nhttps://odd.example/self", 1, 1);
	p->published = MS_TIME_NONE;
	w_post(w, "https://odd.example/q", "site:odd.example", NULL, "hr=1e308",
	       NULL, 1, 1);
	w_post(w, "https://odd.example/r", "site:odd.example", "R", "hr=1",
	       NULL, 2, 1);
	for (int i = 0; i < 3000 && w->ncomments < 4000; i++) {
		char id[32], parent[32];

		snprintf(id, sizeof(id), "x%d", i);
		snprintf(parent, sizeof(parent), "x%d", i - 1);
		w_comment(w, id, "https://odd.example/r",
			  i % 2 ? "site:odd.example" : "site:c.example",
			  i ? parent : NULL, i);
	}
	w_rank(w);
	for (size_t i = 0; i < w->nrecs; i++) {
		const char *s = w->recs[i].steps;

		for (; s && *s; s++)
			cr_assert(*s == '\n' || *s == '\t' ||
				  (unsigned char)*s >= 0x20,
				  "control character in steps");
		cr_expect(!w_has_step(&w->recs[i], "follow",
				      "javascript:alert(1)"));
	}
	cr_expect_eq(w_get(w, "site:odd.example", "hr")
			     ->evidence[MS_EV_REPLIES], 1500);
	w_free(w);
}
