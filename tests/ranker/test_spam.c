/* Tests for ranker/spam.c (through rk_compute): outbound-only blogs, link
 * concentration, reciprocal-only rings, comment spammers and engagement
 * pods are damped or neutralised, and the record's notes say so. */
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

/* r0..r3 link each other and nobody else reads them. */
Test(ranker_spam, reciprocal_only_ring_is_cut_out_of_pagerank)
{
	struct world *w = w_new();
	char links[4][3][64];
	const char *lp[4][4];
	uint32_t ids[4];

	town(w);
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
	/* two honest friends who link each other once */
	w->posts[0].r.links = "https://t1.example/p0";
	w->posts[4].r.links = "https://t0.example/p0";
	w_rank(w);
	for (int i = 0; i < 4; i++) {
		char ident[32];
		const struct w_rec *r;
		struct ms_hash k;

		snprintf(ident, sizeof(ident), "site:r%d.example", i);
		r = w_get(w, ident, "hr");
		cr_expect(r->flags & RK_F_RING, "%s not flagged", ident);
		cr_expect(has_note(r, "reciprocal-only link ring of 4 blogs"),
			  "notes: %s", r->notes);
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

Test(ranker_spam, drive_by_commenter_is_not_audience)
{
	struct world *w = w_new();
	const struct w_rec *r;

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
	cr_expect(w->m.comments[0].author != RK_NONE);
	cr_expect(w->run.st[w->m.comments[0].author].spam & RK_S_COMMENTS);
	cr_expect(!(w->run.st[w->m.comments[1].author].spam & RK_S_COMMENTS),
		  "the reader is not a spammer");
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
