/*
 * test_md.c — report/md.c: the same content as the JSON in Markdown;
 * links only to http(s) URLs; feed text cannot open links, HTML, code,
 * emphasis or extra table cells; other URLs are code spans.  The checks
 * scan the Markdown the way CommonMark reads it: backslash escapes and
 * code spans first.
 */
#include "report/report.h"
#include "tests/report/fixture.h"
#include "util/err.h"

#include <criterion/criterion.h>
#include <string.h>

static struct ms_view *view;
static char *md;

static void
setup(void)
{
	int rc;

	view = fixture_view("hr", "Human resources");
	md = fixture_write(MS_FMT_MD, &view, 1, NULL, &rc);
	cr_assert_eq(rc, MS_OK);
}

static void
teardown(void)
{
	free(md);
	fixture_view_free(view);
}

TestSuite(report_md, .init = setup, .fini = teardown);

static int
escaped(const char *start, const char *p)
{
	int n = 0;

	while (p > start && p[-1] == '\\') {
		p--;
		n++;
	}
	return n % 2;
}

/* Past the code span that opens at p (a run of backticks), or p + run
 * when it is never closed (then the backticks are literal). */
static const char *
skip_code(const char *p)
{
	size_t run = strspn(p, "`");
	const char *q = p + run;

	while ((q = strchr(q, '`'))) {
		size_t r = strspn(q, "`");

		if (r == run)
			return q + r;
		q += r;
	}
	return p + run;
}

Test(report_md, links_go_only_to_http_urls)
{
	int links = 0;

	for (const char *p = md; *p; p++) {
		if (*p == '`' && !escaped(md, p)) {
			p = skip_code(p) - 1;
			continue;
		}
		if (p[0] == ']' && p[1] == '(' && !escaped(md, p)) {
			const char *d = p + 2, *e = d;

			while (*e && (*e != ')' || escaped(md, e)))
				e++;

			cr_assert(*e, "unclosed link at '%.40s'", p);
			cr_assert(!strncmp(d, "https://", 8) ||
				  !strncmp(d, "http://", 7),
				  "link to '%.*s'", (int)(e - d), d);
			cr_assert_null(memchr(d, ' ', (size_t)(e - d)));
			links++;
		}
	}
	/* full: table site + step, site, feed, 2 profiles, 3 steps;
	 * missing: feed; hostile: the follow step */
	cr_assert_eq(links, 11, "%d links\n%s", links, md);
}

Test(report_md, feed_text_cannot_open_html_links_or_cells)
{
	for (const char *p = md; *p; p++) {
		if (*p == '`' && !escaped(md, p)) {
			p = skip_code(p) - 1;
			continue;
		}
		cr_assert(*p != '<' || escaped(md, p),
			  "raw '<' (HTML or autolink) at '%.40s'", p);
		cr_assert(*p != '&' || escaped(md, p),
			  "raw '&' (an entity) at '%.40s'", p);
		cr_assert(*p != '\x1b', "escape byte");
	}
	cr_assert_not_null(strstr(md, "Mallory \\<script\\>alert\\(1\\)"
				      "\\</script\\>"), "%s", md);
	cr_assert_not_null(strstr(md, "\\[click\\]\\(javascript:alert\\(1\\)"
				      "\\)"), "%s", md);
	cr_assert_not_null(strstr(md, "\\*bold\\* \\`tick\\` \\&amp;"), "%s",
			   md);
	cr_assert_not_null(strstr(md, "- Role: peer — \\[x\\]\\(javascript:"
				      "alert\\(1\\)\\)\n"), "%s", md);
}

Test(report_md, other_urls_are_code_not_links)
{
	cr_assert_not_null(strstr(md, "- Site: `javascript:alert(1)`\n"), "%s",
			   md);
	cr_assert_not_null(strstr(md, "- Profile: `vbscript:msgbox(1)`\n"),
			   "%s", md);
	cr_assert_not_null(strstr(md, "- Feed: `data:text/html,<script>"
				      "alert(1)</script>`\n"), "%s", md);
	/* A URL with a space is not a URL to link. */
	cr_assert_not_null(strstr(md, "`https://ok.example/\" onmouseover="
				      "\"x`"), "%s", md);
	/* An http URL keeps its meaning, with what could end the
	 * destination early percent-encoded. */
	cr_assert_not_null(strstr(md, "(https://mallory.example/feed?a=1\\&b="
				      "%3C2%3E\\&c=%223%22\\&d=%274%27\\&e="
				      "\\(5\\))"), "%s", md);
}

Test(report_md, table_rows_have_exactly_their_cells)
{
	int ranking_rows = 0;

	for (const char *line = md; *line;) {
		const char *e = strchr(line, '\n');
		int pipes = 0;

		if (!e)
			break;
		for (const char *p = line; p < e; p++) {
			if (*p == '`' && !escaped(md, p)) {
				const char *q = skip_code(p);

				/* a pipe in a table's code span is escaped */
				for (const char *r = p; r < q; r++)
					cr_assert(*r != '|' || r[-1] == '\\');
				p = q - 1;
				continue;
			}
			if (*p == '|' && !escaped(md, p))
				pipes++;
		}
		if (*line == '|') {
			cr_assert(pipes == 7 || pipes == 3,
				  "%d cells in '%.*s'", pipes - 1,
				  (int)(e - line), line);
			if (pipes == 7 && line[2] >= '1' && line[2] <= '9')
				ranking_rows++;
		}
		line = e + 1;
	}
	cr_assert_eq(ranking_rows, 3);
}

Test(report_md, same_content_as_the_json)
{
	static const char *const want[] = {
		"# Mentor candidates\n",
		"## Human resources `hr`\n\n3 candidates, ranked 2024-05-01 "
		"10:00 UTC.\n",
		"| 1 | 山田 太郎 \\(Yamada Tarō\\) | 0.83 | "
		"Reachability 1.00, Activity 0.95, Focus 0.90 | [yamada.example/blog/]"
		"(https://yamada.example/blog/) | follow: "
		"[yamada.example/blog/feed/]"
		"(https://yamada.example/blog/feed/) |",
		"### 1. 山田 太郎 \\(Yamada Tarō\\)\n",
		"- Score: **0.83**\n",
		"- Profile: [mastodon.example/@yamada]"
		"(https://mastodon.example/@yamada)\n",
		"- Stage: engaged\n",
		"- Role: adviser — covers adviser: six years on HR\n",
		"- ID: `0123456789abcdef0123456789abcdef`\n",
		"| Focus | 0.90 |\n",
		"| median reply time | 5 h |\n",
		"2. **comment**: [" FULL_TITLE "](" FULL_POST ") — " FULL_WHY,
		"- two sites merged: yamada.example, tarou.example\n",
		"### 2. https://minimal.example/rss.xml\n",
		"| Authority | – |\n",
		"- **Responsiveness**: how often and how fast they answer",
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		cr_assert_not_null(strstr(md, want[i]), "missing '%s'\n%s",
				   want[i], md);
	/* Unknown evidence of the second candidate is left out. */
	cr_assert_null(strstr(md, "| -1 |"), "%s", md);
}

Test(report_md, block_markers_at_the_start_of_feed_text_are_escaped)
{
	int rc;
	char *out;

	view->cands[1].name = "- not a list";
	view->cands[1].notes = (const char *[]){ "1. not a list either" };
	view->cands[1].nnotes = 1;
	out = fixture_write(MS_FMT_MD, &view, 1, NULL, &rc);
	cr_assert_eq(rc, MS_OK);
	cr_assert_not_null(strstr(out, "### 2. \\- not a list\n"), "%s", out);
	cr_assert_not_null(strstr(out, "- 1\\. not a list either\n"), "%s",
			   out);
	free(out);
}

Test(report_md, full_disk_is_a_write_error)
{
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f, "/dev/full");
	cr_assert_eq(ms_report_write(f, MS_FMT_MD, &view, 1, NULL), MS_EIO);
	fclose(f);
}
