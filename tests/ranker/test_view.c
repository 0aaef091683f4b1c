/* Tests for ranker/view.c, match.c and evidence.c on constructed stores:
 * unknown topics name the nearest ids, the language filter, the network
 * view across roles, --match over stored posts, explain's person view
 * and its evidence. */
#include "config/config.h"
#include "tests/ranker/storeworld.h"

Test(ranker_view, unknown_topic_names_the_nearest_ids)
{
	struct sworld *w = s_new();
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };

	s_rank(w);
	o.topic = "hrr";
	cr_expect_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_ENOTFOUND);
	cr_expect_null(v);
	cr_expect(strstr(err.msg, "unknown topic 'hrr'") != NULL, "%s",
		  err.msg);
	cr_expect(strstr(err.msg, "did you mean: hr") != NULL, "%s", err.msg);
	o.topic = "zzzzzzzzzzzzzzzz";
	cr_expect_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_ENOTFOUND);
	cr_expect(strstr(err.msg, "mentorscout topics") != NULL, "%s",
		  err.msg);
	s_free(w);
}

Test(ranker_view, language_filter_keeps_the_order)
{
	struct sworld *w = s_new();
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };

	for (int i = 0; i < 6; i++) {
		char ident[64], site[64], url[64];

		snprintf(ident, sizeof(ident), "site:l%d.example", i);
		snprintf(site, sizeof(site), "https://l%d.example/", i);
		s_person(w, ident, "L", site, NULL, NULL);
		for (int k = 0; k < 3 + i; k++) {
			snprintf(url, sizeof(url), "https://l%d.example/%d", i,
				 k);
			s_post(w, url, ident, "Personal", "hr=1", NULL,
			       2 + 25 * k, 1, i % 2 ? "de-DE" : "en");
		}
	}
	s_rank(w);
	o.topic = "hr";
	o.lang = "DE";
	o.limit = 2;
	cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(v->ncands, 2);
	for (size_t i = 0; i < v->ncands; i++)
		cr_expect_str_eq(v->cands[i].lang, "de");
	cr_expect_eq(s_cand(v, "site:l5.example"), &v->cands[0],
		     "the biggest German blog first");
	ms_view_free(v);
	s_free(w);
}

/* Three communities (HR, leadership, mentoring bloggers), a connector who
 * links across them and whom they read, a peer who talks with the user
 * and a weak tail: the network proposes people across roles, each with a
 * reason, rather than the five strongest HR bloggers. */
Test(ranker_view, network_picks_across_roles)
{
	struct sworld *w = s_new();
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };
	int seen[5] = { 0 };
	static const char *const groups[] = { "hr", "leadership",
					      "mentoring" };

	s_me(w, "https://me.example/");
	s_person(w, "site:me.example", "Me", "https://me.example/", NULL, NULL);
	s_person(w, "site:reader.example", "Reader",
		 "https://reader.example/", NULL, NULL);
	for (int i = 0; i < 8; i++) {
		char name[16];

		snprintf(name, sizeof(name), "adv%d", i);
		s_blog(w, name, 12 + 2 * i, 3 + i, 16 + 2 * i,
		       "site:reader.example", i % 3 != 0);
	}
	for (int g = 1; g < 3; g++)
		for (int i = 0; i < 3; i++) {
			char ident[64], site[64], url[64], topics[32];

			snprintf(ident, sizeof(ident), "site:%s%d.example",
				 groups[g], i);
			snprintf(site, sizeof(site), "https://%s%d.example/",
				 groups[g], i);
			snprintf(topics, sizeof(topics), "%s=1", groups[g]);
			s_person(w, ident, groups[g], site, NULL, NULL);
			for (int k = 0; k < 5; k++) {
				snprintf(url, sizeof(url),
					 "https://%s%d.example/%d", groups[g],
					 i, k);
				s_post(w, url, ident, "Post", topics, NULL,
				       3 + 30 * k, 1, "en");
			}
		}
	/* the connector links across the three and is read by them */
	s_person(w, "site:conn.example", "Conn", "https://conn.example/",
		 NULL, NULL);
	for (int k = 0; k < 8; k++) {
		char url[64], links[256], id[16], reader[64];

		snprintf(url, sizeof(url), "https://conn.example/%d", k);
		snprintf(links, sizeof(links),
			 "https://adv%d.example/0\nhttps://leadership%d."
			 "example/1\nhttps://mentoring%d.example/2", k % 8,
			 k % 3, (k + 1) % 3);
		s_post(w, url, "site:conn.example", "Roundup", "hr=1", links,
		       2 + 20 * k, 1, "en");
		snprintf(id, sizeof(id), "cc%d", k);
		snprintf(reader, sizeof(reader), "site:adv%d.example", k);
		s_comment(w, id, url, 2 + 20 * k, reader, NULL, 30);
	}
	/* the peer: the user comments there, they answer */
	s_blog(w, "peer", 6, 2, 30, "site:me.example", 1);
	/* the weak tail of the pool */
	for (int i = 0; i < 10; i++) {
		char name[16];

		snprintf(name, sizeof(name), "weak%d", i);
		s_blog(w, name, 3, 200 + 10 * i, 40, NULL, 0);
	}
	s_rank(w);
	o.topic = "hr";
	o.network = 1;
	cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK, "%s",
		     err.msg);
	cr_assert(v->ncands >= 5 && v->ncands <= 6, "%zu picks", v->ncands);
	for (size_t i = 0; i < v->ncands; i++) {
		cr_expect_eq(v->cands[i].rank, i + 1);
		cr_expect_neq(v->cands[i].role, MS_ROLE_NONE, "pick %zu", i);
		cr_expect_not_null(v->cands[i].role_why, "pick %zu", i);
		seen[v->cands[i].role]++;
		cr_expect(strncmp(v->cands[i].name, "weak", 4),
			  "a weak blog in the network");
		for (size_t n = 0; n < v->cands[i].nnotes; n++)
			cr_expect(strncmp(v->cands[i].notes[n], "role:", 5),
				  "role lines are not notes");
	}
	cr_expect_gt(seen[MS_ROLE_ADVISER], 0);
	cr_expect_eq(s_cand(v, "site:conn.example") ?
			     s_cand(v, "site:conn.example")->role :
			     MS_ROLE_NONE,
		     MS_ROLE_CONNECTOR, "the connector is in, as connector");
	cr_expect_eq(s_cand(v, "site:peer.example") ?
			     s_cand(v, "site:peer.example")->role :
			     MS_ROLE_NONE,
		     MS_ROLE_PEER, "the peer is in, as peer");
	ms_view_free(v);
	s_free(w);
}

/* discover --match: ranked on stored titles, categories and summaries. */
Test(ranker_view, match_ranks_an_ad_hoc_pattern)
{
	struct sworld *w = s_new();
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_topic *tp = NULL;
	struct ms_err err = { 0 };
	const struct ms_candidate *c;

	s_person(w, "site:onb.example", "Onboarder", "https://onb.example/",
		 "https://onb.example/feed", NULL);
	s_person(w, "site:gen.example", "Generalist", "https://gen.example/",
		 NULL, NULL);
	for (int k = 0; k < 8; k++) {
		char url[64];

		snprintf(url, sizeof(url), "https://onb.example/%d", k);
		s_post(w, url, "site:onb.example",
		       k < 6 ? "Onboarding week one" : "Other things", "hr=1",
		       NULL, 2 + 10 * k, k == 0 ? 0 : 1, "en");
		snprintf(url, sizeof(url), "https://gen.example/%d", k);
		s_post(w, url, "site:gen.example",
		       k == 0 ? "A note on onboarding" : "Cooking", "hr=1",
		       NULL, 2 + 10 * k, 1, "en");
	}
	s_rank(w);
	cr_assert_eq(ms_topic_adhoc("(?i)\\bonboarding\\b", &tp, &err), MS_OK,
		     "%s", err.msg);
	o.match = tp;
	cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_str_eq(v->topic, "match");
	cr_assert_eq(v->ncands, 2);
	c = &v->cands[0];
	cr_expect_str_eq(c->name, "Onboarder");
	cr_expect_eq(c->evidence[MS_EV_POSTS_ON_TOPIC], 6);
	cr_expect_gt(c->signals[MS_SIG_FOCUS],
		     v->cands[1].signals[MS_SIG_FOCUS]);
	cr_expect_eq(v->cands[1].score, 0, "one matching post: gated");
	/* the comment step: the newest matching post that is open (post 0
	 * is closed) */
	cr_expect(s_has_step(c, MS_STEP_COMMENT, "https://onb.example/1"),
		  "steps[%zu]", c->nsteps);
	cr_expect(!s_has_step(c, MS_STEP_COMMENT, "https://onb.example/0"));
	cr_expect(s_has_step(c, MS_STEP_FOLLOW, "https://onb.example/feed"));
	cr_expect(s_has_step(c, MS_STEP_SHARE, "https://onb.example/0"),
		  "sharing a closed post is fine");
	ms_view_free(v);
	ms_topic_free_adhoc(tp);
	s_free(w);
}

static void
explain_world(struct sworld *w)
{
	s_person(w, "site:ann.example", "Ann Example", "https://ann.example/",
		 "https://ann.example/feed", "https://x.com/ann");
	s_person(w, "profile:https://github.com/ann", "ann",
		 "https://ann.example/", NULL, NULL);
	s_person(w, "site:bob.example", "Bob", "https://bob.example/", NULL,
		 NULL);
	for (int k = 0; k < 4; k++) {
		char url[64];

		snprintf(url, sizeof(url), "https://ann.example/%d", k);
		s_post(w, url, "site:ann.example", "Ann on leading",
		       k < 3 ? "leadership=1" : "hr=1", NULL, 2 + 5 * k, 1,
		       "en");
		snprintf(url, sizeof(url), "https://bob.example/%d", k);
		s_post(w, url, "site:bob.example", "Bob on leading",
		       "leadership=1", k == 1 ? "https://ann.example/2" : NULL,
		       3 + 5 * k, 1, "en");
	}
	s_comment(w, "b1", "https://ann.example/0", 2, "site:bob.example",
		  NULL, 10);
	s_comment(w, "a1", "https://ann.example/0", 2,
		  "profile:https://github.com/ann", "b1", 55);
	s_comment(w, "a2", "https://bob.example/0", 3, "site:ann.example",
		  NULL, 20);
}

Test(ranker_view, explain_finds_a_person_by_id_name_or_site)
{
	struct sworld *w = s_new();
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };
	struct ms_hash k = s_key("site:ann.example");
	char id[33];
	const char *ways[4];

	explain_world(w);
	s_rank(w);
	ms_hash_hex(&k, id);
	ways[0] = id;
	ways[1] = "ann example";
	ways[2] = "https://www.ann.example/some/post";
	ways[3] = "https://github.com/ann";
	for (int i = 0; i < 4; i++) {
		o.person = ways[i];
		cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK,
			     "%s: %s", ways[i], err.msg);
		cr_expect_str_eq(v->topic_label, "Ann Example", "%s", ways[i]);
		/* leadership, then the overall record; one HR post is below
		 * the evidence gate and only named */
		cr_assert_eq(v->ncands, 2, "%s: %zu", ways[i], v->ncands);
		cr_expect_str_eq(v->cands[0].topic, "leadership");
		cr_expect_str_eq(v->cands[1].topic, MS_RANK_OVERALL);
		cr_expect_str_eq(v->cands[1].notes[v->cands[1].nnotes - 1],
				 "below the evidence gate on: hr");
		for (size_t c = 0; c < v->ncands; c++) {
			cr_expect_str_eq(v->cands[c].person, id);
			cr_expect_geq(v->cands[c].rank, 1);
		}
		ms_view_free(v);
		v = NULL;
	}
	o.person = "nobody at all";
	cr_expect_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_ENOTFOUND);
	cr_expect(strstr(err.msg, "no person 'nobody at all'") != NULL, "%s",
		  err.msg);
	o.person = id;
	o.topic = "hr";
	cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(v->ncands, 1, "asked for, so shown though thin");
	cr_expect_str_eq(v->cands[0].topic, "hr");
	cr_expect_eq(v->cands[0].score, 0);
	ms_view_free(v);
	s_free(w);
}

Test(ranker_view, evidence_lists_posts_comments_replies_and_links)
{
	struct sworld *w = s_new();
	struct ms_person_evidence *e = NULL;
	struct ms_err err = { 0 };

	explain_world(w);
	s_rank(w);
	cr_assert_eq(ms_rank_evidence(w->st, w->cfg, "ann.example", 2, &e,
				      &err), MS_OK, "%s", err.msg);
	cr_expect_str_eq(e->name, "Ann Example");
	cr_expect_eq(e->naliases, 1);
	cr_expect_str_eq(e->aliases[0], "profile:https://github.com/ann");
	cr_expect_eq(e->total_posts, 4);
	cr_expect_eq(e->nposts, 2, "capped at max");
	cr_expect_str_eq(e->posts[0].url, "https://ann.example/0",
			 "newest first");
	cr_expect_eq(e->total_comments, 1);
	cr_expect_str_eq(e->comments[0].url, "https://bob.example/0");
	cr_expect_str_eq(e->comments[0].title, "Bob on leading");
	cr_expect_str_eq(e->comments[0].who, "Bob");
	cr_expect_eq(e->total_replies, 1, "her answer under her profile");
	cr_expect_str_eq(e->replies[0].who, "Bob");
	cr_expect_eq(e->total_links_in, 1);
	cr_expect_str_eq(e->links_in[0].who, "Bob");
	cr_expect(strstr(e->links_in[0].kind, "post links") != NULL);
	cr_expect(strstr(e->links_in[0].kind, "comments") != NULL);
	cr_expect_eq(e->total_links_out, 1);
	cr_expect(strstr(e->links_out[0].kind, "comments") != NULL, "%s",
		  e->links_out[0].kind);
	cr_expect(strstr(e->links_out[0].kind, "replies") != NULL, "%s",
		  e->links_out[0].kind);
	ms_person_evidence_free(e);
	s_free(w);
}
