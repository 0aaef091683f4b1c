/* Tests for ranker/identity.c: people merged across the keys the store
 * gives them, the user's own identity, and outbound links resolved to the
 * person owning the longest matching site. */
#include "tests/ranker/world.h"
#include "util/url.h"

static uint32_t
who(struct world *w, const char *ident)
{
	struct ms_hash k = w_key(ident);

	return rk_person_of(&w->m, &k);
}

Test(ranker_identity, aliases_of_one_person_merge_into_the_site_owner)
{
	struct world *w = w_new();
	uint32_t jane;

	w_person(w, "site:jane.example", "Jane Doe", "https://jane.example/",
		 "https://jane.example/feed/",
		 "https://www.linkedin.com/in/jane\nhttps://x.com/janedoe");
	/* a commenter known only by the profile Jane lists */
	w_person(w, "profile:https://x.com/janedoe", "jd", NULL, NULL, NULL);
	/* Jane commenting on her own blog without a URL */
	w_person(w, "name:Jane Doe@jane.example", "Jane Doe", NULL, NULL,
		 NULL);
	/* someone else commenting there without a URL */
	w_person(w, "name:Bob@jane.example", "Bob", NULL, NULL, NULL);
	/* a profile person whose site field is Jane's feed, unnormalized */
	w_person(w, "profile:https://github.com/jd", NULL,
		 "https://www.Jane.example/feed/", NULL, NULL);
	/* another site claiming Jane's profile: never merged */
	w_person(w, "site:other.example", "Other", "https://other.example/",
		 NULL, "https://x.com/janedoe");
	w_load(w);
	jane = who(w, "site:jane.example");
	cr_assert_neq(jane, RK_NONE);
	cr_expect_eq(who(w, "profile:https://x.com/janedoe"), jane);
	cr_expect_eq(who(w, "name:Jane Doe@jane.example"), jane);
	cr_expect_eq(who(w, "profile:https://github.com/jd"), jane);
	cr_expect_neq(who(w, "name:Bob@jane.example"), jane);
	cr_expect_neq(who(w, "site:other.example"), jane);
	/* the merged person carries the aliases' profiles */
	cr_expect(strstr(w->m.people[jane].profiles,
			 "https://github.com/jd") != NULL,
		  "profiles: %s", w->m.people[jane].profiles);
	cr_expect(w->m.people[jane].changed);
	w_free(w);
}

/* The merge counts in the ranking: Jane answering under her profile
 * is Jane answering, not a commenter. */
Test(ranker_identity, an_alias_comment_is_the_author_not_audience)
{
	struct world *w = w_new();
	const struct w_rec *r;

	w_person(w, "site:jane.example", "Jane Doe", "https://jane.example/",
		 "https://jane.example/feed/", NULL);
	/* her profile, known with her site from a comment form */
	w_person(w, "profile:https://x.com/janedoe", "jd",
		 "https://jane.example/", NULL, NULL);
	w_person(w, "site:reader.example", "Reader",
		 "https://reader.example/", NULL, NULL);
	for (int i = 0; i < 3; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://jane.example/p%d", i);
		w_post(w, url, "site:jane.example", "On hiring", "hr=2", NULL,
		       10 + i, 1);
	}
	w_comment(w, "c1", "https://jane.example/p0", "site:reader.example",
		  NULL, 30);
	w_comment(w, "c2", "https://jane.example/p0",
		  "profile:https://x.com/janedoe", "c1", 90);
	w_rank(w);
	r = w_get(w, "site:jane.example", "hr");
	cr_expect_eq(r->evidence[MS_EV_COMMENTERS], 1);
	cr_expect_eq(r->evidence[MS_EV_COMMENTS_RECEIVED], 1);
	cr_expect_eq(r->evidence[MS_EV_REPLIES], 1);
	cr_expect_eq(r->evidence[MS_EV_MEDIAN_REPLY_S], 3600);
	cr_expect(strstr(r->notes, "identity: also profile:https://x.com/"
			 "janedoe") != NULL, "notes: %s", r->notes);
	cr_expect_null(w_find(w, "profile:https://x.com/janedoe", "hr"));
	cr_expect_eq(w->npeople_out, 1, "Jane's merged record is written");
	cr_expect(w_has_step(r, "follow", "https://x.com/janedoe"),
		  "steps: %s", r->steps);
	w_free(w);
}

Test(ranker_identity, links_resolve_to_the_longest_site_prefix)
{
	struct world *w = w_new();
	uint32_t host, bob;

	w_person(w, "site:host.example", "Host", "https://host.example/", NULL,
		 NULL);
	w_person(w, "site:host.example/bob", "Bob",
		 "https://host.example/bob/", NULL, NULL);
	w_load(w);
	host = who(w, "site:host.example");
	bob = who(w, "site:host.example/bob");
	cr_assert_neq(host, bob);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://host.example/bob/2020/05/post.html"), bob);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://host.example/bob"), bob);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://host.example/bobby/x"), host,
		     "prefixes end on path segments");
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://www.host.example/alice?x=1#f"), host);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "HTTPS://Host.Example:443/bob/x"), bob,
		     "not in normal form: through CURLU");
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://unknown.example/bob"), RK_NONE);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "mailto:bob@host.example"), RK_NONE);
	w_free(w);
}

/* The fast slice agrees with ms_url_site on URLs in the crawler's normal
 * form (feed suffixes aside: prefix matching does not need them gone). */
Test(ranker_identity, site_slice_agrees_with_ms_url_site)
{
	static const char *const urls[] = {
		"https://example.com/",
		"https://www.example.com/blog/",
		"http://example.com/blog/2020/01/a-post.html?utm=1#x",
		"https://sub.example.co.uk/a/b/c",
		"https://example.com",
		"https://www.example.com/~user/",
	};
	static const char *const slow[] = {
		"HTTPS://EXAMPLE.com/", "https://example.com:8080/x",
		"https://user@example.com/", "https://[::1]/x",
		"ftp://example.com/",
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(urls) / sizeof(*urls); i++) {
		char *want = NULL;
		size_t n = rk_site_slice(urls[i], buf, sizeof(buf));

		cr_assert_eq(ms_url_site(urls[i], &want, NULL), MS_OK);
		cr_expect(n > 0, "%s: no slice", urls[i]);
		cr_expect_str_eq(buf, want, "%s", urls[i]);
		free(want);
	}
	for (size_t i = 0; i < sizeof(slow) / sizeof(*slow); i++)
		cr_expect_eq(rk_site_slice(slow[i], buf, sizeof(buf)), 0,
			     "%s should go through CURLU", slow[i]);
}

Test(ranker_identity, me_is_the_person_with_my_blog)
{
	struct world *w = w_new();

	w_person(w, "site:me.example", "Me", "https://me.example/", NULL,
		 NULL);
	w_person(w, "profile:https://x.com/itsme", "me", NULL, NULL, NULL);
	w->me.name = "Me";
	w->me.blog = "https://www.me.example/feed";
	w->me_profiles[0] = "https://x.com/itsme";
	w->me.profiles = w->me_profiles;
	w->me.nprofiles = 1;
	w_load(w);
	cr_assert_neq(w->m.me, RK_NONE);
	cr_expect_eq(w->m.me, who(w, "site:me.example"));
	cr_expect_eq(who(w, "profile:https://x.com/itsme"), w->m.me,
		     "my profile's comments are mine");
	cr_expect(w->m.people[w->m.me].flags & MS_PERSON_ME);
	w_free(w);
}

Test(ranker_identity, me_unknown_to_the_store_becomes_a_node)
{
	struct world *w = w_new();

	w_person(w, "site:a.example", "A", "https://a.example/", NULL, NULL);
	w->me.name = "Me";
	w->me.blog = "https://new.example/blog/";
	w_load(w);
	cr_assert_neq(w->m.me, RK_NONE);
	cr_expect_str_eq(w->m.people[w->m.me].ident, "site:new.example/blog");
	cr_expect(w->m.people[w->m.me].changed, "to be written to the store");
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://new.example/blog/2023/hello"), w->m.me,
		     "links to my blog reach me");
	w_free(w);
}

/* A WordPress feed names its author only (dc:creator): the blog's one
 * named author owns the host, so a commenter who gave the blog's address
 * is them and links to the blog reach them.  Two named authors on one
 * host (a group blog) own nothing. */
Test(ranker_identity, the_only_named_author_owns_the_host)
{
	struct world *w = w_new();
	uint32_t lena;

	w_person(w, "name:Lena Fischer@lenafischer.example", "Lena Fischer",
		 NULL, "https://lenafischer.example/feed/", NULL);
	w_person(w, "site:lenafischer.example", "Lena",
		 "https://lenafischer.example/", NULL, NULL);
	w_person(w, "name:Tom Baker@lenafischer.example", "Tom Baker", NULL,
		 NULL, NULL);
	w->people[2].flags = MS_PERSON_COMMENTER;	/* not an author */
	w_person(w, "name:Ann@group.example", "Ann", NULL, NULL, NULL);
	w_person(w, "name:Ben@group.example", "Ben", NULL, NULL, NULL);
	w_load(w);
	lena = who(w, "name:Lena Fischer@lenafischer.example");
	cr_expect_eq(who(w, "site:lenafischer.example"), lena,
		     "the commenter with Lena's address is Lena");
	cr_expect_neq(who(w, "name:Tom Baker@lenafischer.example"), lena);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://lenafischer.example/2010/06/06/one-on-ones/"),
		     lena);
	cr_expect_eq(rk_identity_site_owner(&w->m,
		     "https://group.example/2020/x"), RK_NONE,
		     "a group blog's host is nobody's");
	cr_expect_neq(who(w, "name:Ann@group.example"),
		      who(w, "name:Ben@group.example"));
	w_free(w);
}

/* A splog known as a site only from the spam comments it signed elsewhere
 * carries the keyword name those used; a visitor signing its own blog
 * with that name (the ring's next spam comment, arriving name-only from
 * the comment feed) is not its owner answering.  The blog's author, named
 * by the feed, is. */
Test(ranker_identity, a_commenter_named_like_a_commenting_site_is_not_it)
{
	struct world *w = w_new();
	uint32_t splog;

	w_person(w, "site:cheap-hr.example", "Best HR Software",
		 "https://cheap-hr.example/", NULL, NULL);
	w->people[0].flags = MS_PERSON_COMMENTER;	/* comments elsewhere */
	w_person(w, "name:Best HR Software@cheap-hr.example",
		 "Best HR Software", NULL, NULL, NULL);
	w->people[1].flags = MS_PERSON_COMMENTER;
	w_person(w, "name:admin@cheap-hr.example", "admin", NULL,
		 "https://cheap-hr.example/feed/", NULL);
	w_load(w);
	splog = who(w, "site:cheap-hr.example");
	cr_expect_neq(who(w, "name:Best HR Software@cheap-hr.example"),
		      splog, "a visitor became the owner");
	cr_expect_eq(who(w, "name:admin@cheap-hr.example"), splog,
		     "the feed's only author owns the blog");
	w_free(w);
}
