/* R-PO-3, R-PO-6: robots.txt matching per RFC 9309, table-driven with the
 * RFC's own examples and Google robotstxt-style cases. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/crawler.h"

struct rcase {
	const char *robots;
	const char *path;
	bool allowed;
};

static const struct rcase cases[] = {
	/* empty / no group for us */
	{ "", "/x", true },
	{ "User-agent: other\nDisallow: /\n", "/x", true },
	/* star group */
	{ "User-agent: *\nDisallow: /\n", "/x", false },
	{ "User-agent: *\nDisallow: /\n", "/robots.txt", true },
	{ "User-agent: *\nDisallow:\n", "/x", true },
	/* our group wins over star; UA case-insensitive, version ignored */
	{ "User-agent: *\nDisallow: /\n\nUser-agent: MentorScout/2.0\n"
	  "Allow: /\n", "/x", true },
	{ "User-agent: *\nAllow: /\n\nuser-agent: mentorscout\n"
	  "disallow: /private\n", "/private/a", false },
	{ "User-agent: *\nAllow: /\n\nuser-agent: mentorscout\n"
	  "disallow: /private\n", "/public", true },
	/* longest match; allow wins a tie (RFC 9309 §2.2.2) */
	{ "User-agent: *\nDisallow: /a\nAllow: /a/b\n", "/a/b/c", true },
	{ "User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/b/c", false },
	{ "User-agent: *\nAllow: /page\nDisallow: /page\n", "/page", true },
	{ "User-agent: *\nDisallow: /*.php$\n", "/index.php", false },
	{ "User-agent: *\nDisallow: /*.php$\n", "/index.php?x=1", true },
	{ "User-agent: *\nDisallow: /*.php\n", "/index.php?x=1", false },
	{ "User-agent: *\nDisallow: /fish*\n", "/fishheads", false },
	{ "User-agent: *\nDisallow: /fish\n", "/Fish", true },
	{ "User-agent: *\nDisallow: /*?replytocom\n", "/p/?replytocom=3",
	  false },
	{ "User-agent: *\nDisallow: /$\n", "/", false },
	{ "User-agent: *\nDisallow: /$\n", "/a", true },
	/* several user-agent lines share a group; groups combine */
	{ "User-agent: a\nUser-agent: mentorscout\nDisallow: /x\n", "/x/1",
	  false },
	{ "User-agent: mentorscout\nDisallow: /x\n\nUser-agent: "
	  "mentorscout\nDisallow: /y\n", "/y", false },
	/* percent-encoding compared in one form */
	{ "User-agent: *\nDisallow: /%7Ejoe/\n", "/~joe/index", false },
	{ "User-agent: *\nDisallow: /a%3cb\n", "/a%3Cb", false },
	/* comments, CRLF, BOM, junk lines */
	{ "\xEF\xBB\xBFUser-agent: * # all\r\nDisallow: /tmp # no\r\n",
	  "/tmp/x", false },
	{ "garbage\nUser-agent: *\nnonsense here\nDisallow: /z\n", "/z",
	  false },
};

Test(crawler_robots, r_po_3_decision_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct rcase *c = &cases[i];
		struct ms_robots *r = ms_robots_parse(
			c->robots, strlen(c->robots), 0, "mentorscout");

		cr_expect_eq(ms_robots_allowed(r, c->path), c->allowed,
			     "case %zu: %s on %s", i, c->path,
			     c->allowed ? "allowed" : "disallowed");
		ms_robots_free(r);
	}
}

Test(crawler_robots, crawl_delay_of_the_chosen_group)
{
	const char *txt = "User-agent: *\nCrawl-delay: 3\n\nUser-agent: "
			  "mentorscout\nCrawl-delay: 0.5\nDisallow: /x\n";
	struct ms_robots *r = ms_robots_parse(txt, strlen(txt), 0,
					      "mentorscout");

	cr_expect_float_eq(ms_robots_crawl_delay(r), 0.5, 1e-9);
	ms_robots_free(r);
	r = ms_robots_parse(txt, strlen(txt), 0, "otherbot");
	cr_expect_float_eq(ms_robots_crawl_delay(r), 3, 1e-9);
	ms_robots_free(r);
	r = ms_robots_parse("", 0, 0, "mentorscout");
	cr_expect_lt(ms_robots_crawl_delay(r), 0);
	ms_robots_free(r);
}

/* R-PO-6: a 600 KiB file with "Disallow: /late" after 550 KiB: only the
 * first 500 KiB are read, so /late is allowed. */
Test(crawler_robots, r_po_6_only_the_first_500_kib_count)
{
	size_t n = 600 * 1024, off = 0;
	char *big = malloc(n + 1);
	const char *head = "User-agent: *\nDisallow: /early\n";
	struct ms_robots *r;

	memcpy(big, head, strlen(head));
	off = strlen(head);
	while (off < 550 * 1024) {
		big[off] = (off % 64) ? '#' : '\n';
		off++;
	}
	off += (size_t)sprintf(big + off, "\nDisallow: /late\n");
	while (off < n)
		big[off++] = '\n';
	big[n] = '\0';
	r = ms_robots_parse(big, n, 500 * 1024, "mentorscout");
	cr_expect_eq(ms_robots_allowed(r, "/early/x"), false);
	cr_expect_eq(ms_robots_allowed(r, "/late"), true);
	ms_robots_free(r);
	r = ms_robots_parse(big, n, 0, "mentorscout");
	cr_expect_eq(ms_robots_allowed(r, "/late"), false);
	ms_robots_free(r);
	free(big);
}
