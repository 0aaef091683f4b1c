/* Tests for ranker/steps.c (through rk_compute on small in-memory worlds):
 * the comment step names a recent open on-topic post and says why with
 * the reply evidence, no step ever points at a closed post, and with `me`
 * configured the relationship stage and its next step. */
#include "tests/ranker/world.h"

/* Ann: ten posts on HR, one commenter each; she answers eight, five hours
 * later, threaded. */
static void
ann(struct world *w)
{
	w_person(w, "site:ann.example", "Ann", "https://ann.example/",
		 "https://ann.example/feed/",
		 "https://www.linkedin.com/in/ann\nhttps://github.com/ann");
	for (int i = 0; i < 10; i++) {
		char ident[64];

		snprintf(ident, sizeof(ident), "site:reader%d.example", i);
		w_person(w, ident, "Reader", NULL, NULL, NULL);
	}
	for (int i = 0; i < 10; i++) {
		char url[64], id[32], rid[32], title[64], ident[64];

		snprintf(url, sizeof(url), "https://ann.example/2023/p%d", i);
		snprintf(title, sizeof(title), "Hiring note %d", i);
		w_post(w, url, "site:ann.example", title, "hr=2", NULL,
		       3 + 7 * i, 1);
		snprintf(id, sizeof(id), "ann-c%d", i);
		snprintf(ident, sizeof(ident), "site:reader%d.example", i);
		w_comment(w, id, url, ident, NULL, 60);
		if (i < 2)
			continue;	/* the two newest wait for an answer */
		snprintf(rid, sizeof(rid), "ann-r%d", i);
		w_comment(w, rid, url, "site:ann.example", id, 60 + 5 * 60);
	}
}

Test(ranker_steps, comment_step_names_a_post_and_says_why)
{
	struct world *w = w_new();
	const struct w_rec *r;
	char a[32], u[256], t[128], why[256];
	double want;

	ann(w);
	w_rank(w);
	r = w_get(w, "site:ann.example", "hr");
	cr_expect_eq(r->evidence[MS_EV_POSTS_WITH_COMMENTS], 10);
	cr_expect_eq(r->evidence[MS_EV_POSTS_ANSWERED], 8);
	cr_expect_eq(r->evidence[MS_EV_REPLIES], 8);
	cr_expect_eq(r->evidence[MS_EV_COMMENTERS], 10);
	cr_expect_eq(r->evidence[MS_EV_MEDIAN_REPLY_S], 5 * 3600);
	/* Ann is the only one with threads: the prior p0 is her rate 0.8,
	 * shrunk towards 0.3 as one author of five: (0.8 + 5·0.3)/6 */
	want = rk_responsiveness(8, 10, (0.8 + 1.5) / 6, 5, 1);
	cr_expect(fabs(r->signals[MS_SIG_RESPONSIVENESS] - want) < 1e-9,
		  "responsiveness %.6f, want %.6f",
		  r->signals[MS_SIG_RESPONSIVENESS], want);
	/* follow: feed, then each profile */
	cr_assert(w_step(r, 0, 0, a, sizeof(a)));
	w_step(r, 0, 1, u, sizeof(u));
	cr_expect_str_eq(a, "follow");
	cr_expect_str_eq(u, "https://ann.example/feed/");
	cr_expect(w_has_step(r, "follow", "https://www.linkedin.com/in/ann"));
	cr_expect(w_has_step(r, "follow", "https://github.com/ann"));
	/* comment: the newest post where she answered (p2), not p0 */
	for (size_t i = 0; w_step(r, i, 0, a, sizeof(a)); i++) {
		if (strcmp(a, "comment"))
			continue;
		w_step(r, i, 1, u, sizeof(u));
		w_step(r, i, 2, t, sizeof(t));
		w_step(r, i, 3, why, sizeof(why));
		cr_expect_str_eq(u, "https://ann.example/2023/p2");
		cr_expect_str_eq(t, "Hiring note 2");
		cr_expect(strstr(why, "answered 8 of 10 commenters, median "
				 "5 h") != NULL, "why: %s", why);
	}
	cr_expect(w_has_step(r, "comment", NULL), "steps: %s", r->steps);
	cr_expect(w_has_step(r, "link", NULL));
	cr_expect(w_has_step(r, "share", "https://ann.example/2023/p0"),
		  "share the latest: %s", r->steps);
	w_free(w);
}

/* Cal's newest posts have comments closed: the step goes to the newest
 * open one.  Dee closed everything: no comment step at all. */
Test(ranker_steps, never_a_step_on_a_closed_post)
{
	struct world *w = w_new();
	const struct w_rec *cal, *dee;

	w_person(w, "site:cal.example", "Cal", "https://cal.example/",
		 "https://cal.example/feed", NULL);
	w_person(w, "site:dee.example", "Dee", "https://dee.example/",
		 "https://dee.example/feed", NULL);
	for (int i = 0; i < 5; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://cal.example/p%d", i);
		w_post(w, url, "site:cal.example", "Teams", "hr=1", NULL,
		       2 + i, i < 3 ? 0 : 1);
		snprintf(url, sizeof(url), "https://dee.example/p%d", i);
		w_post(w, url, "site:dee.example", "Teams", "hr=1", NULL,
		       2 + i, 0);
	}
	w_rank(w);
	cal = w_get(w, "site:cal.example", "hr");
	dee = w_get(w, "site:dee.example", "hr");
	cr_expect(w_has_step(cal, "comment", "https://cal.example/p3"),
		  "steps: %s", cal->steps);
	cr_expect(!w_has_step(dee, "comment", NULL), "steps: %s", dee->steps);
	cr_expect(w_has_step(dee, "follow", "https://dee.example/feed"));
	cr_expect(w_has_step(dee, "link", NULL), "linking needs no comments");
	/* and nowhere in the whole ranking */
	for (size_t i = 0; i < w->nrecs; i++) {
		char a[32], u[256];

		for (size_t s = 0; w_step(&w->recs[i], s, 0, a, sizeof(a));
		     s++) {
			w_step(&w->recs[i], s, 1, u, sizeof(u));
			if (strcmp(a, "comment") && strcmp(a, "reply"))
				continue;
			for (size_t p = 0; p < w->nposts; p++)
				if (!strcmp(w->posts[p].r.url, u))
					cr_expect_neq(
						w->posts[p].r.comments_open, 0,
						"%s step on closed %s", a, u);
		}
	}
	w_free(w);
}

/* Unknown comment state: only a post people did comment on is a door. */
Test(ranker_steps, unknown_comment_state_needs_comments_seen)
{
	struct world *w = w_new();
	const struct w_rec *r;

	w_person(w, "site:fin.example", "Fin", "https://fin.example/", NULL,
		 NULL);
	w_person(w, "site:r.example", "R", NULL, NULL, NULL);
	w_post(w, "https://fin.example/a", "site:fin.example", "A", "hr=1",
	       NULL, 1, -1);
	w_post(w, "https://fin.example/b", "site:fin.example", "B", "hr=1",
	       NULL, 2, -1);
	w_post(w, "https://fin.example/c", "site:fin.example", "C", "hr=1",
	       NULL, 3, -1);
	w_comment(w, "x", "https://fin.example/b", "site:r.example", NULL, 5);
	w_rank(w);
	r = w_get(w, "site:fin.example", "hr");
	cr_expect(w_has_step(r, "comment", "https://fin.example/b"),
		  "steps: %s", r->steps);
	cr_expect(w_has_step(r, "follow", "https://fin.example/"),
		  "no feed: follow the site");
	w_free(w);
}

/* The user and six bloggers at every stage of a relationship. */
static void
stages_world(struct world *w, int with_me)
{
	const char *names[] = { "eve", "fay", "gus", "hal", "ivy", "jon" };

	w_person(w, "site:me.example", "Me", "https://me.example/",
		 "https://me.example/feed", NULL);
	for (int i = 0; i < 6; i++) {
		char ident[64], site[64], prof[64];

		snprintf(ident, sizeof(ident), "site:%s.example", names[i]);
		snprintf(site, sizeof(site), "https://%s.example/", names[i]);
		snprintf(prof, sizeof(prof), "https://mastodon.social/@%s",
			 names[i]);
		w_person(w, ident, names[i], site, NULL, prof);
		for (int k = 0; k < 3; k++) {
			char url[64];

			snprintf(url, sizeof(url), "https://%s.example/p%d",
				 names[i], k);
			/* Jon closed comments on his older posts */
			w_post(w, url, ident, "Post", "hr=1",
			       !strcmp(names[i], "gus") && k == 0 ?
				       "https://me.example/2023/my-post" :
				       NULL,
			       5 + 10 * k,
			       !strcmp(names[i], "jon") && k > 0 ? 0 : 1);
		}
	}
	w_post(w, "https://me.example/2023/my-post", "site:me.example",
	       "My post", "hr=1", NULL, 20, 1);
	/* Eve: I commented, no answer */
	w_comment(w, "e1", "https://eve.example/p1", "site:me.example", NULL,
		  10);
	/* Fay: I commented, she answered */
	w_comment(w, "f1", "https://fay.example/p1", "site:me.example", NULL,
		  10);
	w_comment(w, "f2", "https://fay.example/p1", "site:fay.example", "f1",
		  70);
	/* Ivy commented on my post */
	w_comment(w, "i1", "https://me.example/2023/my-post",
		  "site:ivy.example", NULL, 30);
	/* Jon answered me on a post whose comments closed since */
	w_comment(w, "j1", "https://jon.example/p2", "site:me.example", NULL,
		  10);
	w_comment(w, "j2", "https://jon.example/p2", "site:jon.example", "j1",
		  40);
	if (with_me)
		w->me.blog = "https://me.example/";
}

static void
first_step(const struct w_rec *r, char *a, char *u)
{
	cr_assert(w_step(r, 0, 0, a, 32), "no steps");
	w_step(r, 0, 1, u, 256);
}

Test(ranker_steps, stage_and_next_step_with_me)
{
	struct world *w = w_new();
	char a[32], u[256];

	stages_world(w, 1);
	w_rank(w);
	cr_expect_eq(w_get(w, "site:eve.example", "hr")->stage,
		     MS_STAGE_ENGAGED);
	cr_expect_eq(w_get(w, "site:fay.example", "hr")->stage,
		     MS_STAGE_NOTICED);
	cr_expect_eq(w_get(w, "site:gus.example", "hr")->stage,
		     MS_STAGE_CONNECTED);
	cr_expect_eq(w_get(w, "site:hal.example", "hr")->stage,
		     MS_STAGE_NOT_CONTACTED);
	cr_expect_eq(w_get(w, "site:ivy.example", "hr")->stage,
		     MS_STAGE_NOTICED);
	cr_expect_eq(w_get(w, "site:jon.example", "hr")->stage,
		     MS_STAGE_NOTICED);
	cr_expect_null(w_find(w, "site:me.example", "hr"),
		       "the user is not their own candidate");

	first_step(w_get(w, "site:eve.example", "hr"), a, u);
	cr_expect_str_eq(a, "comment");
	first_step(w_get(w, "site:fay.example", "hr"), a, u);
	cr_expect_str_eq(a, "reply");
	cr_expect_str_eq(u, "https://fay.example/p1");
	cr_expect(w_step(w_get(w, "site:fay.example", "hr"), 1, 0, a, 32));
	cr_expect_str_eq(a, "link", "then the linking post");
	first_step(w_get(w, "site:gus.example", "hr"), a, u);
	cr_expect_str_eq(a, "connect");
	cr_expect_str_eq(u, "https://mastodon.social/@gus");
	first_step(w_get(w, "site:hal.example", "hr"), a, u);
	cr_expect_str_eq(a, "follow");
	first_step(w_get(w, "site:ivy.example", "hr"), a, u);
	cr_expect_str_eq(a, "reply");
	cr_expect_str_eq(u, "https://me.example/2023/my-post",
			 "answer them on your own post");
	/* Jon's thread is closed now: no reply step there */
	cr_expect(!w_has_step(w_get(w, "site:jon.example", "hr"), "reply",
			      NULL));
	w_free(w);
}

Test(ranker_steps, no_stage_without_me)
{
	struct world *w = w_new();

	stages_world(w, 0);
	w_rank(w);
	for (size_t i = 0; i < w->nrecs; i++)
		cr_expect_eq(w->recs[i].stage, MS_STAGE_NONE, "%s",
			     w->recs[i].topic);
	cr_expect_not_null(w_find(w, "site:me.example", "hr"),
			   "without `me` that blog is just a blog");
	w_free(w);
}

Test(ranker_steps, profile_networks_by_host)
{
	char buf[64];

	cr_expect_str_eq(rk_profile_network("https://www.linkedin.com/in/a",
					    buf, sizeof(buf)), "LinkedIn");
	cr_expect_str_eq(rk_profile_network("https://x.com/a", buf,
					    sizeof(buf)), "X");
	cr_expect_str_eq(rk_profile_network("https://fosstodon.org/@a", buf,
					    sizeof(buf)), "Mastodon");
	cr_expect_str_eq(rk_profile_network("https://notx.com/a", buf,
					    sizeof(buf)), "notx.com");
	cr_expect_null(rk_profile_network("not a url", buf, sizeof(buf)));
}
