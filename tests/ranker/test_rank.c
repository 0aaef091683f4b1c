/* Tests for ranker/rank.c and ranker/view.c on constructed stores: the
 * ranking written into a new generation and read back top-k, identity
 * merges through the store, the relationship stages, no step on a closed
 * post, re-ranking, an empty store. */
#include "tests/ranker/storeworld.h"

/* Twelve HR bloggers of graded quality: the more posts, the more regular
 * and the more answers, the better. */
static void
graded(struct sworld *w)
{
	s_person(w, "site:reader.example", "Reader",
		 "https://reader.example/", NULL, NULL);
	for (int i = 0; i < 12; i++) {
		char name[16];

		snprintf(name, sizeof(name), "b%02d", i);
		s_blog(w, name, 3 + i, 2 + i, 20, "site:reader.example",
		       i % 2);
	}
}

Test(ranker_rank, top_k_is_read_best_first)
{
	struct sworld *w = s_new();
	struct ms_view *all, *top;

	graded(w);
	s_rank(w);
	cr_expect_eq(w->stats.people, 13);
	cr_expect_gt(w->stats.scores, 12);
	cr_expect_gt(w->stats.pagerank_iterations, 0);
	all = s_view(w, "hr", 100);
	top = s_view(w, "hr", 5);
	cr_assert_eq(all->ncands, 12, "every HR blogger: %zu", all->ncands);
	cr_assert_eq(top->ncands, 5);
	cr_expect_str_eq(top->topic, "hr");
	cr_expect_str_eq(top->topic_label, "Human resources");
	cr_expect_eq(top->generated, S_NOW);
	for (size_t i = 0; i < all->ncands; i++) {
		cr_expect_eq(all->cands[i].rank, i + 1);
		if (i)
			cr_expect_geq(all->cands[i - 1].score,
				      all->cands[i].score, "order at %zu", i);
		if (i < 5)
			cr_expect_str_eq(top->cands[i].person,
					 all->cands[i].person);
	}
	/* the best is one of the big, answering blogs */
	cr_expect_str_eq(all->cands[0].name, "b11");
	cr_expect_str_eq(all->cands[0].feed, "https://b11.example/feed/");
	cr_expect_eq(all->cands[0].evidence[MS_EV_POSTS], 14);
	cr_expect_str_eq(all->cands[0].lang, "en");
	ms_view_free(all);
	ms_view_free(top);
	s_free(w);
}

Test(ranker_rank, empty_store_ranks_to_nothing)
{
	struct sworld *w = s_new();
	struct ms_view *v;

	s_rank(w);
	cr_expect_eq(w->stats.scores, 0);
	v = s_view(w, "hr", 10);
	cr_expect_eq(v->ncands, 0);
	ms_view_free(v);
	s_free(w);
}

Test(ranker_rank, rerank_replaces_the_ranking)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	struct ms_rtxn *t;
	struct ms_err err = { 0 };
	struct ms_store_stats ss;

	graded(w);
	/* a people graph an older version stored */
	ms_batch_put_link(w->b, &(struct ms_hash){ { 1 } },
			  &(struct ms_hash){ { 2 } },
			  &(struct ms_link_rec){ .count = 1,
						 .kinds = MS_LINK_POST });
	s_rank(w);
	/* a new, strong blogger appears (a post every 12 days for a year,
	 * every comment answered); the next run must show them first */
	s_blog(w, "newcomer", 30, 1, 12, "site:reader.example", 1);
	s_rank(w);
	cr_assert_eq(ms_store_read_begin(w->st, &t, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(ms_store_rank_gen(t), 2);
	ms_store_read_end(t);
	v = s_view(w, "hr", 3);
	cr_expect_str_eq(v->cands[0].name, "newcomer");
	cr_assert_eq(ms_store_stats(w->st, &ss, &err), MS_OK, "%s", err.msg);
	cr_expect_gt(w->stats.edges, 0);
	cr_expect_eq(ss.links, 0, "the graph is derived by explain, not "
		     "stored (an old table goes with the switch)");
	cr_expect_eq(ss.scores, w->stats.scores, "one generation left");
	ms_view_free(v);
	s_free(w);
}

/* A run killed while writing leaves part of the next generation behind;
 * the run after it writes that generation again, and what it does not
 * rewrite must not survive into its ranking. */
Test(ranker_rank, a_killed_runs_leftovers_do_not_leak)
{
	struct sworld *w = s_new();
	struct ms_score_rec stale = { 0 };
	struct ms_store_stats ss;
	struct ms_err err = { 0 };
	struct ms_view *v;

	graded(w);
	s_rank(w);
	/* generation 2, half written: a ghost at the top of hr */
	stale.person = s_key("site:ghost.example");
	stale.topic = "hr";
	stale.score = 0.99;
	ms_batch_put_score(w->b, 2, &stale);
	s_rank(w);
	v = s_view(w, "hr", 100);
	cr_expect_eq(v->ncands, 12, "%zu candidates", v->ncands);
	cr_expect_null(s_cand(v, "site:ghost.example"), "the ghost leaked");
	cr_assert_eq(ms_store_stats(w->st, &ss, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(ss.scores, w->stats.scores, "one generation, nothing "
		     "else");
	ms_view_free(v);
	s_free(w);
}

/* Jane is one person under her site, a profile she lists, and a name on
 * her own host. */
Test(ranker_rank, identity_merges_reach_the_view)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	const struct ms_candidate *c;

	s_person(w, "site:jane.example", "Jane Doe", "https://jane.example/",
		 "https://jane.example/feed/", "https://x.com/janedoe");
	s_person(w, "profile:https://github.com/jane", "jd",
		 "https://www.jane.example/", NULL, NULL);
	s_person(w, "name:Jane Doe@jane.example", "Jane Doe", NULL, NULL,
		 NULL);
	s_person(w, "site:bob.example", "Bob", "https://bob.example/", NULL,
		 NULL);
	for (int i = 0; i < 4; i++) {
		char url[64], id[16], rid[16];

		snprintf(url, sizeof(url), "https://jane.example/%d", i);
		s_post(w, url, "site:jane.example", "Hiring", "hr=1", NULL,
		       3 + i, 1, "en");
		snprintf(id, sizeof(id), "c%d", i);
		snprintf(rid, sizeof(rid), "r%d", i);
		s_comment(w, id, url, 3 + i, "site:bob.example", NULL, 10);
		/* she answers under her other identities */
		s_comment(w, rid, url, 3 + i,
			  i % 2 ? "profile:https://github.com/jane" :
				  "name:Jane Doe@jane.example",
			  id, 70);
	}
	s_rank(w);
	v = s_view(w, "hr", 10);
	cr_assert_eq(v->ncands, 1, "only Jane writes: %zu", v->ncands);
	c = s_cand(v, "site:jane.example");
	cr_assert_not_null(c);
	cr_expect_eq(c->evidence[MS_EV_COMMENTERS], 1, "Bob only");
	cr_expect_eq(c->evidence[MS_EV_POSTS_ANSWERED], 4);
	cr_expect_eq(c->evidence[MS_EV_MEDIAN_REPLY_S], 3600);
	cr_expect_eq(c->nprofiles, 2, "profiles united in the store");
	cr_expect(s_has_step(c, MS_STEP_FOLLOW, "https://github.com/jane"));
	ms_view_free(v);
	s_free(w);
}

/* A WordPress feed names its author only: Lena has no site record, but
 * she is the host's only author and her feed says where the blog is, so
 * discover shows it (scheme and port of the feed).  Ann writes on a
 * platform whose feed lives elsewhere: no site is made up for her. */
Test(ranker_rank, a_sole_named_author_is_shown_with_the_blog)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	const struct ms_candidate *c;

	s_person(w, "name:Lena Fischer@lenafischer.example", "Lena Fischer",
		 NULL, "http://lenafischer.example:8080/feed/", NULL);
	s_person(w, "name:Ann@group.example", "Ann", NULL,
		 "https://feeds.example/group", NULL);
	for (int i = 0; i < 4; i++) {
		char url[64];

		snprintf(url, sizeof(url),
			 "http://lenafischer.example:8080/%d/", i);
		s_post(w, url, "name:Lena Fischer@lenafischer.example",
		       "Hiring", "hr=1", NULL, 3 + i, 1, "en");
		snprintf(url, sizeof(url), "https://group.example/%d", i);
		s_post(w, url, "name:Ann@group.example", "Hiring", "hr=1",
		       NULL, 3 + i, 1, "en");
	}
	s_rank(w);
	v = s_view(w, "hr", 10);
	c = s_cand(v, "name:Lena Fischer@lenafischer.example");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->site, "http://lenafischer.example:8080/");
	c = s_cand(v, "name:Ann@group.example");
	cr_assert_not_null(c);
	cr_expect_null(c->site, "site %s", c->site);
	ms_view_free(v);
	s_free(w);
}

/* The user and four bloggers at each stage. */
Test(ranker_rank, relationship_stages_with_me)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	const char *names[] = { "eve", "fay", "gus", "hal" };

	s_me(w, "https://me.example/");
	s_person(w, "site:me.example", "Me", "https://me.example/", NULL, NULL);
	for (int i = 0; i < 4; i++) {
		char ident[64], site[64];

		snprintf(ident, sizeof(ident), "site:%s.example", names[i]);
		snprintf(site, sizeof(site), "https://%s.example/", names[i]);
		s_person(w, ident, names[i], site, NULL,
			 "https://www.linkedin.com/in/x");
		for (int k = 0; k < 3; k++) {
			char url[64];

			snprintf(url, sizeof(url), "https://%s.example/%d",
				 names[i], k);
			s_post(w, url, ident, "On teams", "hr=1",
			       i == 2 && k == 1 ?
				       "https://me.example/2023/teams" : NULL,
			       4 + k, 1, "en");
		}
	}
	s_comment(w, "e", "https://eve.example/0", 4, "site:me.example", NULL,
		  5);
	s_comment(w, "f", "https://fay.example/1", 5, "site:me.example", NULL,
		  5);
	s_comment(w, "f2", "https://fay.example/1", 5, "site:fay.example",
		  "f", 50);
	s_rank(w);
	v = s_view(w, "hr", 10);
	cr_assert_eq(v->ncands, 4, "me is not a candidate: %zu", v->ncands);
	cr_expect_eq(s_cand(v, "site:eve.example")->stage, MS_STAGE_ENGAGED);
	cr_expect_eq(s_cand(v, "site:fay.example")->stage, MS_STAGE_NOTICED);
	cr_expect_eq(s_cand(v, "site:gus.example")->stage,
		     MS_STAGE_CONNECTED);
	cr_expect_eq(s_cand(v, "site:hal.example")->stage,
		     MS_STAGE_NOT_CONTACTED);
	cr_expect_eq(s_cand(v, "site:fay.example")->steps[0].action,
		     MS_STEP_REPLY);
	cr_expect_eq(s_cand(v, "site:gus.example")->steps[0].action,
		     MS_STEP_CONNECT);
	cr_expect_str_eq(s_cand(v, "site:gus.example")->steps[0].url,
			 "https://www.linkedin.com/in/x");
	ms_view_free(v);
	s_free(w);
}

/* Whatever the mix of open, closed and unknown posts, no comment or
 * reply step in the view points at a post whose comments are closed. */
Test(ranker_rank, no_step_points_at_a_closed_post)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	struct ms_rtxn *t;
	struct ms_err err = { 0 };

	s_me(w, "https://me.example/");
	s_person(w, "site:me.example", "Me", "https://me.example/", NULL, NULL);
	for (int i = 0; i < 8; i++) {
		char ident[64], site[64];

		snprintf(ident, sizeof(ident), "site:p%d.example", i);
		snprintf(site, sizeof(site), "https://p%d.example/", i);
		s_person(w, ident, "P", site, NULL, NULL);
		for (int k = 0; k < 5; k++) {
			char url[64], id[32], rid[32];

			snprintf(url, sizeof(url), "https://p%d.example/%d", i,
				 k);
			/* closed on (i + k) % 3 == 0, unknown on 1 */
			s_post(w, url, ident, "Post", "hr=1", NULL, 3 + 2 * k,
			       (i + k) % 3 == 0 ? 0 :
			       (i + k) % 3 == 1 ? -1 : 1, "en");
			snprintf(id, sizeof(id), "c%d-%d", i, k);
			snprintf(rid, sizeof(rid), "r%d-%d", i, k);
			s_comment(w, id, url, 3 + 2 * k, "site:me.example",
				  NULL, 5);
			s_comment(w, rid, url, 3 + 2 * k, ident, id, 40);
		}
	}
	s_rank(w);
	v = s_view(w, "hr", 100);
	cr_assert_eq(v->ncands, 8);
	cr_assert_eq(ms_store_read_begin(w->st, &t, &err), MS_OK, "%s",
		     err.msg);
	for (size_t i = 0; i < v->ncands; i++) {
		int comments = 0;

		for (size_t s = 0; s < v->cands[i].nsteps; s++) {
			const struct ms_step *st = &v->cands[i].steps[s];
			struct ms_post_rec p;
			struct ms_hash k;

			if (st->action != MS_STEP_COMMENT &&
			    st->action != MS_STEP_REPLY)
				continue;
			comments++;
			ms_key_post(st->url, &k);
			cr_assert_eq(ms_store_get_post(t, &k, &p, &err), MS_OK,
				     "%s: %s", st->url, err.msg);
			cr_expect_neq(p.comments_open, 0, "%s step on closed "
				      "%s", ms_step_names[st->action],
				      st->url);
		}
		cr_expect_gt(comments, 0, "candidate %zu has a door", i);
	}
	ms_store_read_end(t);
	ms_view_free(v);
	s_free(w);
}
