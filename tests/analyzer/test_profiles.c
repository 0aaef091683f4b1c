/*
 * Tests for analyzer/profiles.c: which links are profiles on which network
 * and the one canonical URL each reduces to; share and site pages that
 * are not profiles; bounded work on hostile URLs.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "util/buf.h"

struct profile_case {
	const char *url;
	const char *want;	/* NULL: not a profile */
};

static void
check(const struct profile_case *c, size_t n)
{
	struct ms_arena a;

	ms_arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		const char *got = ms_profile_canonical(&a, c[i].url);

		if (!c[i].want)
			cr_expect_null(got, "'%s' is no profile, got '%s'",
				       c[i].url, got ? got : "");
		else if (!got)
			cr_expect(0, "'%s': expected '%s', got none",
				  c[i].url, c[i].want);
		else
			cr_expect_str_eq(got, c[i].want, "'%s'", c[i].url);
	}
	ms_arena_release(&a);
}

#define CHECK(...)                                                   \
	do {                                                         \
		const struct profile_case c_[] = { __VA_ARGS__ };    \
		check(c_, sizeof(c_) / sizeof(*c_));                 \
	} while (0)

Test(analyzer_profiles, linkedin_in_urls)
{
	CHECK({ "https://www.linkedin.com/in/Anna-Berg/",
		"https://www.linkedin.com/in/anna-berg" },
	      { "http://de.linkedin.com/in/jonasweber?trk=profile",
		"https://www.linkedin.com/in/jonasweber" },
	      { "https://linkedin.com/in/erinokafor/details/experience/",
		"https://www.linkedin.com/in/erinokafor" },
	      { "https://www.linkedin.com/in/j%C3%BCrgen-m",
		"https://www.linkedin.com/in/j%c3%bcrgen-m" },
	      { "https://www.linkedin.com/company/acme/", NULL },
	      { "https://www.linkedin.com/shareArticle?mini=true&url=x",
		NULL },
	      { "https://www.linkedin.com/feed/", NULL });
}

Test(analyzer_profiles, x_and_twitter_users)
{
	CHECK({ "https://twitter.com/Anna_Berg", "https://x.com/anna_berg" },
	      { "http://mobile.twitter.com/carl_c/", "https://x.com/carl_c" },
	      { "https://x.com/DevNotes", "https://x.com/devnotes" },
	      { "https://twitter.com/#!/oldstyle", "https://x.com/oldstyle" },
	      { "https://twitter.com/lara_leads/status/572043617",
		"https://x.com/lara_leads" },
	      { "https://twitter.com/@handle?ref_src=twsrc",
		"https://x.com/handle" },
	      { "https://twitter.com/intent/tweet?text=hi", NULL },
	      { "https://twitter.com/share?url=https%3A%2F%2Fa.example",
		NULL },
	      { "https://twitter.com/home", NULL },
	      { "https://twitter.com/hashtag/hr", NULL },
	      { "https://twitter.com/i/web/status/1", NULL },
	      { "https://x.com/search?q=mentoring", NULL },
	      { "https://twitter.com/", NULL },
	      { "https://twitter.com/this_name_is_far_too_long", NULL },
	      { "https://twitter.com.evil.example/anna", NULL });
}

Test(analyzer_profiles, mastodon_accounts_on_any_instance)
{
	CHECK({ "https://mastodon.social/@DevNotes",
		"https://mastodon.social/@devnotes" },
	      { "https://Hachyderm.io/@carla/", "https://hachyderm.io/@carla" },
	      { "https://fosstodon.org/users/erin",
		"https://fosstodon.org/@erin" },
	      { "https://mastodon.social/@erin@hachyderm.io",
		"https://hachyderm.io/@erin" },
	      { "https://chaos.social/@jonas/109876543210",
		"https://chaos.social/@jonas" },
	      /* The same path on sites that are not Mastodon. */
	      { "https://medium.com/@writer", NULL },
	      { "https://www.youtube.com/@channel", NULL },
	      { "https://stackoverflow.com/users/12345", NULL },
	      { "https://mastodon.social/about", NULL });
}

Test(analyzer_profiles, github_users_and_repository_owners)
{
	CHECK({ "https://github.com/Carla-M", "https://github.com/carla-m" },
	      { "http://www.github.com/devnotes/",
		"https://github.com/devnotes" },
	      { "https://github.com/erin-okafor/decision-journal",
		"https://github.com/erin-okafor" },
	      { "https://github.com/torvalds/linux/blob/master/README",
		"https://github.com/torvalds" },
	      { "https://github.com/features", NULL },
	      { "https://github.com/features/actions", NULL },
	      { "https://github.com/orgs/acme/people", NULL },
	      { "https://github.com/about", NULL },
	      { "https://github.com/", NULL },
	      { "https://github.com/-bad-", NULL },
	      { "https://gist.github.com/anna/123", NULL });
}

Test(analyzer_profiles, facebook_pages_and_numeric_profiles)
{
	CHECK({ "https://www.facebook.com/Anna.Berg.HR",
		"https://www.facebook.com/anna.berg.hr" },
	      { "https://m.facebook.com/carlamendes/",
		"https://www.facebook.com/carlamendes" },
	      { "https://www.facebook.com/profile.php?id=100004123456789",
		"https://www.facebook.com/profile.php?id=100004123456789" },
	      { "https://www.facebook.com/sharer.php?u=https://a.example/",
		NULL },
	      { "https://www.facebook.com/sharer/sharer.php?u=x", NULL },
	      { "https://www.facebook.com/dialog/share?app_id=1", NULL },
	      { "https://www.facebook.com/groups/hrpeople", NULL },
	      { "https://www.facebook.com/", NULL });
}

Test(analyzer_profiles, other_links_are_not_profiles)
{
	CHECK({ "https://anna.example/", NULL },
	      { "https://www.blogger.com/profile/01234567890123456789", NULL },
	      { "mailto:anna@anna.example", NULL },
	      { "javascript:alert(1)", NULL },
	      { "ftp://github.com/anna", NULL },
	      { "https://github.com/anna here", NULL },
	      { "", NULL },
	      { NULL, NULL });
}

Test(analyzer_profiles, canonical_forms_are_fixed_points)
{
	static const char *const urls[] = {
		"https://twitter.com/Anna_Berg/status/1",
		"https://fosstodon.org/users/Erin",
		"https://mastodon.social/@erin@hachyderm.io",
		"http://de.linkedin.com/in/JonasWeber/",
		"https://github.com/Torvalds/linux",
		"https://m.facebook.com/carlamendes/",
	};
	struct ms_arena a;

	ms_arena_init(&a);
	for (size_t i = 0; i < sizeof(urls) / sizeof(*urls); i++) {
		const char *once = ms_profile_canonical(&a, urls[i]);
		const char *twice = once ? ms_profile_canonical(&a, once) :
					   NULL;

		cr_assert_not_null(once, "%s", urls[i]);
		cr_expect(twice && !strcmp(once, twice), "%s → %s → %s",
			  urls[i], once, twice ? twice : "(none)");
	}
	ms_arena_release(&a);
}

/* Long and pathological URLs: refused or answered within the match
 * limits, never slow (RELIABILITY.md R-SE-8). */
Test(analyzer_profiles, hostile_urls_are_bounded)
{
	struct ms_buf b = MS_BUF_INIT(1 << 20);
	struct ms_arena a;

	ms_arena_init(&a);
	ms_buf_adds(&b, "https://github.com/a");
	for (int i = 0; i < 1000; i++)
		ms_buf_adds(&b, "-a");
	cr_expect_null(ms_profile_canonical(&a, b.data), "too long");
	ms_buf_reset(&b);
	ms_buf_adds(&b, "https://");
	for (int i = 0; i < 600; i++)
		ms_buf_adds(&b, "a.");
	ms_buf_adds(&b, "b/@");
	cr_expect_null(ms_profile_canonical(&a, b.data), "no user");
	ms_buf_reset(&b);
	ms_buf_adds(&b, "https://x.com/");
	for (int i = 0; i < 1990; i++)
		ms_buf_addc(&b, '_');
	cr_expect_null(ms_profile_canonical(&a, b.data), "name too long");
	ms_buf_release(&b);
	ms_arena_release(&a);
}

/* Discovery skips people's pages on platforms: a commenter's Blogger
 * profile (in every Blogger comment feed), Gravatar page or network
 * profile is not their blog, and the platform's home page is nobody's. */
Test(analyzer_profiles, platform_pages_are_not_sites)
{
	static const char *yes[] = {
		"https://www.blogger.com/profile/01234567890123456789",
		"http://www.blogger.com/profile/42",
		"https://WWW.Blogger.com/profile/42",
		"https://gravatar.com/janedoe",
		"https://www.gravatar.com/janedoe",
		"https://github.com/janedoe",
		"https://twitter.com/janedoe",
		"https://mastodon.social/@janedoe",
		"https://www.linkedin.com/in/jane-doe",
	};
	static const char *no[] = {
		"https://janedoe.blogspot.com/",
		"https://janedoe.example.org/blog/",
		"https://www.blogger.com/feeds/1074246463867509571/posts/default",
		"https://janedoe.github.io/",
		"https://example.com/profile/42",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		cr_expect(ms_url_is_platform_page(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		cr_expect(!ms_url_is_platform_page(no[i]), "%s", no[i]);
	cr_expect(!ms_url_is_platform_page(NULL));
}
