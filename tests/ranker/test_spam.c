/* Tests for ranker/spam.c (through rk_compute): outbound-only blogs and
 * link concentration are damped unless trust reaches them, reciprocal-only
 * rings trust does not reach are excluded from every topic, comment
 * spammers and engagement pods are damped or neutralised, and the
 * record's notes say so. */
#include "tests/ranker/world.h"

/* Six ordinary bloggers, t0..t5, four HR posts each. */
static void
town(struct world *w)
{
	for (int i = 0; i < 6; i++) {
		char ident[64], site[64];

		snprintf(ident, sizeof(ident), "site:t%d.example", i);
		snprintf(site, sizeof(site), "https://t%d.example/", i);
		w_person(w, ident, "T", site, NULL, NULL);
		for (int k = 0; k < 4; k++) {
			char url[64];

			snprintf(url, sizeof(url), "https://t%d.example/p%d",
				 i, k);
			w_post(w, url, ident, "Post", "hr=1", NULL,
			       3 + 20 * k, 1);
		}
	}
}

static void
blog(struct world *w, const char *name, int nposts, const char *const *links)
{
	char ident[64], site[64];

	snprintf(ident, sizeof(ident), "site:%s.example", name);
	snprintf(site, sizeof(site), "https://%s.example/", name);
	w_person(w, ident, name, site, NULL, NULL);
	for (int k = 0; k < nposts; k++) {
		char url[64];

		snprintf(url, sizeof(url), "https://%s.example/p%d", name, k);
		w_post(w, url, ident, "Post", "hr=1", links ? links[k] : NULL,
		       2 + 9 * k, 1);
	}
}

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

static int
has_note(const struct w_rec *r, const char *s)
{
	return r->notes && strstr(r->notes, s);
}

Test(ranker_spam, only_outbound_links_are_damped)
{
	struct world *w = w_new();
	char links[10][160];
	const char *lp[10];
	const struct w_rec *r;

	town(w);
	for (int i = 0; i < 10; i++) {
		snprintf(links[i], sizeof(links[i]),
			 "https://t%d.example/p0\nhttps://t%d.example/p1\n"
			 "https://t%d.example/p2", i % 6, (i + 1) % 6,
			 (i + 2) % 6);
		lp[i] = links[i];
	}
	blog(w, "olly", 10, lp);
	w_rank(w);
	r = w_get(w, "site:olly.example", "hr");
	cr_expect(r->flags & RK_F_SPAM);
	cr_expect(has_note(r, "only outbound links (30 links in 10 posts"),
		  "notes: %s", r->notes);
	cr_expect(!has_note(r, "pile onto"), "notes: %s", r->notes);
	cr_expect(fabs(r->score - 0.5 * weighted(r)) < 1e-9,
		  "score %.6f, want half of %.6f", r->score, weighted(r));
	/* the people Olly links are not outbound-only: they are linked */
	cr_expect(!(w_get(w, "site:t0.example", "hr")->flags & RK_F_SPAM));
	w_free(w);
}

Test(ranker_spam, links_piling_onto_two_sites_are_damped)
{
	struct world *w = w_new();
	const char *lp[10];
	const struct w_rec *r;

	town(w);
	for (int i = 0; i < 10; i++)
		lp[i] = "https://t0.example/p1\nhttps://t1.example/p2";
	blog(w, "splog", 10, lp);
	w_rank(w);
	r = w_get(w, "site:splog.example", "hr");
	cr_expect(has_note(r, "links pile onto few sites (20 of 20 links"),
		  "notes: %s", r->notes);
	cr_expect(has_note(r, "only outbound links"), "notes: %s", r->notes);
	cr_expect(fabs(r->score - 0.25 * weighted(r)) < 1e-9,
		  "two guards: x0.25");
	w_free(w);
}

/* r0..r3 link each other and nobody else links them. */
static void
ring(struct world *w)
{
	char links[4][3][64];
	const char *lp[4][4];

	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 3; k++) {
			snprintf(links[i][k], sizeof(links[i][k]),
				 "https://r%d.example/p%d", (i + 1 + k) % 4, k);
			lp[i][k] = links[i][k];
		}
	for (int i = 0; i < 4; i++) {
		char name[8];

		snprintf(name, sizeof(name), "r%d", i);
		lp[i][3] = NULL;
		blog(w, name, 4, lp[i]);
	}
}

/* The user subscribed to the town (t0..t5), not to anything else. */
static void
subscribe_town(struct world *w)
{
	for (size_t i = 0; i < w->nposts; i++)
		if (!strncmp(w->posts[i].r.url, "https://t", 9))
			w->posts[i].seed = 1;
}

static void
expect_excluded_ring(struct world *w, int excluded)
{
	for (int i = 0; i < 4; i++) {
		char ident[32];
		const struct w_rec *all;

		snprintf(ident, sizeof(ident), "site:r%d.example", i);
		all = w_get(w, ident, MS_RANK_OVERALL);
		if (!excluded) {
			cr_expect(!(all->flags & RK_F_RING), "%s flagged: %s",
				  ident, all->notes);
			cr_expect_not_null(w_find(w, ident, "hr"), "%s", ident);
			continue;
		}
		cr_expect(all->flags & RK_F_RING, "%s not flagged", ident);
		cr_expect(all->flags & RK_F_EXCLUDED, "%s", ident);
		cr_expect_eq(all->score, 0);
		cr_expect(has_note(all, "excluded: reciprocal-only link ring "
				   "of 4 blogs"), "notes: %s", all->notes);
		/* G_spam = 0: in no topic's list, whatever its size */
		cr_expect_null(w_find(w, ident, "hr"), "%s listed on hr",
			       ident);
	}
}

Test(ranker_spam, reciprocal_only_ring_is_cut_out_of_pagerank)
{
	struct world *w = w_new();
	uint32_t ids[4];

	town(w);
	ring(w);
	/* two honest friends who link each other once */
	w->posts[0].r.links = "https://t1.example/p0";
	w->posts[4].r.links = "https://t0.example/p0";
	w_rank(w);
	/* no subscriptions: the structure alone decides */
	expect_excluded_ring(w, 1);
	for (int i = 0; i < 4; i++) {
		char ident[32];
		struct ms_hash k;

		snprintf(ident, sizeof(ident), "site:r%d.example", i);
		cr_expect(has_note(w_get(w, ident, MS_RANK_OVERALL),
				   "ring of 4 blogs; links inside"));
		k = w_key(ident);
		ids[i] = rk_person_of(&w->m, &k);
	}
	for (int i = 0; i < 4; i++)
		for (uint32_t e = w->run.g.off[ids[i]];
		     e < w->run.g.off[ids[i] + 1]; e++)
			cr_expect_eq(w->run.g.w[e], 0,
				     "a ring link still votes");
	cr_expect(!(w_get(w, "site:t0.example", "hr")->flags & RK_F_RING));
	cr_expect(!(w_get(w, "site:t1.example", "hr")->flags & RK_F_RING));
	w_free(w);
}

/* A comment feed gives commenters no URL: the ring's own spam comments
 * arrive as name-only visitors, who prove no readership. */
Test(ranker_spam, ring_commented_by_name_only_visitors_is_excluded)
{
	struct world *w = w_new();

	town(w);
	ring(w);
	subscribe_town(w);
	w_person(w, "name:Best HR Software@r0.example", "Best HR Software",
		 NULL, NULL, NULL);
	w->people[w->npeople - 1].flags = MS_PERSON_COMMENTER;
	w_comment(w, "v1", "https://r0.example/p1",
		  "name:Best HR Software@r0.example", NULL, 30);
	w_comment(w, "v2", "https://r0.example/p2",
		  "name:Best HR Software@r0.example", NULL, 30);
	w_rank(w);
	cr_expect(w->run.trusted);
	expect_excluded_ring(w, 1);
	cr_expect(has_note(w_get(w, "site:r0.example", MS_RANK_OVERALL),
			   "ring of 4 blogs that nobody you follow links to "
			   "or reads"));
	w_free(w);
}

/* The same ring, but a blog the user subscribed to reads r0 (comments
 * there with its URL): trust reaches the ring through r0's links. */
Test(ranker_spam, ring_read_by_a_subscription_is_not_excluded)
{
	struct world *w = w_new();

	town(w);
	ring(w);
	subscribe_town(w);
	for (int k = 0; k < 4; k++) {
		char url[64], id[16];

		snprintf(url, sizeof(url), "https://r0.example/p%d", k);
		snprintf(id, sizeof(id), "t%d", k);
		w_comment(w, id, url, "site:t0.example", NULL, 60);
	}
	w_rank(w);
	expect_excluded_ring(w, 0);
	w_free(w);
}

/* Link concentration marks a splog feeding a site; a blogger the user
 * reads who cites two favourites in every post is not one. */
Test(ranker_spam, trusted_blogger_citing_two_favourites_is_not_damped)
{
	struct world *w = w_new();
	const char *lp[10];
	const struct w_rec *fan, *splog;

	town(w);
	for (int i = 0; i < 10; i++)
		lp[i] = "https://t0.example/p1\nhttps://t1.example/p2";
	blog(w, "fan", 10, lp);
	blog(w, "splog", 10, lp);
	subscribe_town(w);
	for (size_t i = 0; i < w->nposts; i++)
		if (!strncmp(w->posts[i].r.url, "https://fan.", 12))
			w->posts[i].seed = 1;
	w_rank(w);
	fan = w_get(w, "site:fan.example", "hr");
	cr_expect(!(fan->flags & RK_F_SPAM), "notes: %s", fan->notes);
	cr_expect(fabs(fan->score - weighted(fan)) < 1e-9);
	splog = w_get(w, "site:splog.example", "hr");
	cr_expect(has_note(splog, "links pile onto few sites (20 of 20"),
		  "notes: %s", splog->notes);
	cr_expect(fabs(splog->score - 0.25 * weighted(splog)) < 1e-9,
		  "pile-up and outbound-only: x0.25");
	w_free(w);
}

Test(ranker_spam, drive_by_commenter_is_not_audience)
{
	struct world *w = w_new();
	const struct w_rec *r;
	struct ms_hash spammer, reader;

	town(w);
	w_person(w, "site:spam.example", "Cheap Pills", NULL, NULL, NULL);
	w_person(w, "site:reader.example", "Reader", NULL, NULL, NULL);
	for (int i = 0; i < 6; i++) {
		char url[64], id[32];

		snprintf(url, sizeof(url), "https://t%d.example/p0", i);
		snprintf(id, sizeof(id), "spam%d", i);
		w_comment(w, id, url, "site:spam.example", NULL, 10 + i);
		/* a real reader on six blogs, on six different days */
		snprintf(url, sizeof(url), "https://t%d.example/p%d", i,
			 i % 4);
		snprintf(id, sizeof(id), "read%d", i);
		w_comment(w, id, url, "site:reader.example", NULL,
			  60 * 24 * i + 30);
	}
	w_rank(w);
	r = w_get(w, "site:t0.example", "hr");
	cr_expect_eq(r->evidence[MS_EV_COMMENTERS], 1, "only the reader");
	cr_expect_eq(r->evidence[MS_EV_COMMENTS_RECEIVED], 1);
	cr_expect(has_note(r, "ignored 1 spam comment on their posts"),
		  "notes: %s", r->notes);
	spammer = w_key("site:spam.example");
	reader = w_key("site:reader.example");
	cr_assert_neq(rk_person_of(&w->m, &spammer), RK_NONE);
	cr_expect(w->run.st[rk_person_of(&w->m, &spammer)].spam &
		  RK_S_COMMENTS);
	cr_expect(!(w->run.st[rk_person_of(&w->m, &reader)].spam &
		    RK_S_COMMENTS), "the reader is not a spammer");
	w_free(w);
}

/* p0 is commented on by p1..p6 twice each and comments back on them all:
 * a pod.  q0 has the same pattern with three friends: peers, not a pod. */
Test(ranker_spam, engagement_pod_loses_audience_and_roles)
{
	struct world *w = w_new();
	const struct w_rec *p0, *q0;
	int n = 0;

	blog(w, "p0", 4, NULL);
	blog(w, "q0", 4, NULL);
	for (int i = 1; i <= 6; i++) {
		char name[8], ident[32], url[64], back[64], id[32];

		snprintf(name, sizeof(name), "p%d", i);
		blog(w, name, 3, NULL);
		snprintf(ident, sizeof(ident), "site:p%d.example", i);
		for (int k = 0; k < 2; k++) {
			snprintf(url, sizeof(url), "https://p0.example/p%d",
				 (i + k) % 4);
			snprintf(id, sizeof(id), "c%d", n++);
			w_comment(w, id, url, ident, NULL, 5 + i);
		}
		snprintf(back, sizeof(back), "https://p%d.example/p0", i);
		snprintf(id, sizeof(id), "c%d", n++);
		w_comment(w, id, back, "site:p0.example", NULL, 30);
	}
	for (int i = 1; i <= 3; i++) {
		char ident[32], url[64], back[64], id[32];

		snprintf(ident, sizeof(ident), "site:p%d.example", i);
		for (int k = 0; k < 2; k++) {
			snprintf(url, sizeof(url), "https://q0.example/p%d",
				 k);
			snprintf(id, sizeof(id), "c%d", n++);
			w_comment(w, id, url, ident, NULL, 5 + i);
		}
		snprintf(back, sizeof(back), "https://p%d.example/p1", i);
		snprintf(id, sizeof(id), "c%d", n++);
		w_comment(w, id, back, "site:q0.example", NULL, 30);
	}
	w_rank(w);
	p0 = w_get(w, "site:p0.example", "hr");
	cr_expect(p0->flags & RK_F_POD);
	cr_expect(has_note(p0, "engagement pod"), "notes: %s", p0->notes);
	cr_expect_eq(p0->signals[MS_SIG_AUDIENCE], 0);
	cr_expect_eq(p0->signals[MS_SIG_RESPONSIVENESS], 0);
	for (int k = MS_ROLE_ADVISER; k <= MS_ROLE_PEER; k++)
		cr_expect_eq(RK_FLAG_ROLE(p0->flags, k), 0, "role %d", k);
	q0 = w_get(w, "site:q0.example", "hr");
	cr_expect(!(q0->flags & RK_F_POD), "a small circle is not a pod");
	cr_expect_gt(q0->signals[MS_SIG_AUDIENCE], 0);
	cr_expect_gt(RK_FLAG_ROLE(q0->flags, MS_ROLE_PEER), 0);
	w_free(w);
}
