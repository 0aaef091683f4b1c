/*
 * test_text.c — the terminal table and the explain detail (report/text.c)
 * on the fixture view: fits any width (columns counted by glibc's wcwidth,
 * not by the code under test), never passes a control character or bidi
 * override from a feed to the terminal, keeps names whole when there is
 * room and cuts them on character boundaries when there is not.
 */
#include "report/report.h"
#include "tests/report/fixture.h"
#include "util/err.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static struct ms_view *view;

static void
setup(void)
{
	cr_assert_not_null(setlocale(LC_CTYPE, "C.UTF-8"),
			   "the C.UTF-8 locale is needed to count columns");
	view = fixture_view("hr", "Human resources");
}

static void
teardown(void)
{
	fixture_view_free(view);
}

TestSuite(report_text, .init = setup, .fini = teardown);

static char *
render(int width, int detail, int color)
{
	struct ms_report_opts o = { .width = width, .detail = detail,
				    .color = color };
	int rc;
	char *out = fixture_write(MS_FMT_TEXT, &view, 1, &o, &rc);

	cr_assert_eq(rc, MS_OK, "ms_report_write: %d", rc);
	cr_assert_not_null(out);
	return out;
}

/* Display columns of one line by glibc; -1 when it holds a character
 * that has no width (a control) or is not UTF-8. */
static int
line_cols(const char *s, size_t n)
{
	mbstate_t st;
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			return -1;
		w = wcwidth(wc);
		if (w < 0)
			return -1;
		cols += w;
		s += k;
		n -= k;
	}
	return cols;
}

/* The n-th line (0-based) as a malloc'd string, NULL past the end. */
static char *
nth_line(const char *out, int n)
{
	const char *p = out, *e;

	for (; n > 0 && p; n--) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || !*p)
		return NULL;
	e = strchr(p, '\n');
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static const char *
bad_byte(const char *out)
{
	const unsigned char *s = (const unsigned char *)out;

	for (; *s; s++) {
		if ((*s < 0x20 && *s != '\n') || *s == 0x7F)
			return (const char *)s;
		/* C1 controls as UTF-8 */
		if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
			return (const char *)s;
		/* U+202A-202E and U+2066-2069 */
		if (s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0xAA &&
		    s[2] <= 0xAE)
			return (const char *)s;
		if (s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 &&
		    s[2] <= 0xA9)
			return (const char *)s;
	}
	return NULL;
}

Test(report_text, every_line_fits_the_terminal_width)
{
	static const int widths[] = { 20, 24, 33, 40, 51, 60, 72, 80, 100,
				      132, 200 };

	for (size_t i = 0; i < sizeof(widths) / sizeof(*widths); i++) {
		for (int detail = 0; detail <= 1; detail++) {
			char *out = render(widths[i], detail, 0);
			const char *p = out;
			int lines = 0;

			while (*p) {
				const char *e = strchr(p, '\n');
				int cols;

				cr_assert_not_null(e, "output ends in a "
						   "newline");
				cols = line_cols(p, (size_t)(e - p));
				cr_assert(cols >= 0 && cols <= widths[i],
					  "width %d detail %d: line of %d "
					  "columns: '%.*s'", widths[i], detail,
					  cols, (int)(e - p), p);
				p = e + 1;
				lines++;
			}
			cr_assert_geq(lines, 5, "heading, header, 3 rows");
			free(out);
		}
	}
}

Test(report_text, no_control_bytes_or_bidi_overrides_reach_the_terminal)
{
	for (int detail = 0; detail <= 1; detail++) {
		char *out = render(200, detail, 0);
		const char *bad = bad_byte(out);

		cr_assert_null(bad, "detail %d: control byte 0x%02x at '%.20s'",
			       detail, bad ? (unsigned char)*bad : 0,
			       bad ? bad : "");
		/* The escape sequences are gone whole, not just their ESC. */
		cr_assert_null(strstr(out, "[31m"), "%s", out);
		cr_assert_null(strstr(out, "]0;pwned"), "%s", out);
		cr_assert_null(strstr(out, "2J"), "%s", out);
		cr_assert_not_null(strstr(out, "Mallory <script>"), "%s", out);
		free(out);
	}
}

Test(report_text, table_lists_candidates_in_rank_order_with_strongest_signals)
{
	char *out = render(200, 0, 0);
	char *head = nth_line(out, 0), *cols = nth_line(out, 1);
	char *r1 = nth_line(out, 2), *r2 = nth_line(out, 3);
	char *r3 = nth_line(out, 4), *r4 = nth_line(out, 5);

	cr_assert_str_eq(head, "Human resources (hr): 3 candidates, ranked "
			       "2024-05-01 10:00 UTC");
	cr_assert_not_null(strstr(cols, "NAME"), "%s", cols);
	cr_assert_not_null(strstr(cols, "STRONGEST SIGNALS"), "%s", cols);
	cr_assert_not_null(strstr(cols, "FIRST STEP"), "%s", cols);
	cr_assert(strncmp(r1, "1  " FULL_NAME, 3 + strlen(FULL_NAME)) == 0,
		  "%s", r1);
	cr_assert_not_null(strstr(r1, "0.83"), "%s", r1);
	/* reachability 1.00, activity 0.95, focus 0.90, strongest first */
	cr_assert_not_null(strstr(r1, "reach 1.00 activ 0.95 focus 0.90"),
			   "%s", r1);
	cr_assert_not_null(strstr(r1, "yamada.example/blog/"), "%s", r1);
	cr_assert_not_null(strstr(r1, "follow: yamada.example/blog/feed/"),
			   "%s", r1);
	/* No name: the feed stands in; unknown signals are not "strongest". */
	cr_assert(!strncmp(r2, "2  minimal.example/rss.xml", 26) ||
		  !strncmp(r2, "2  " MIN_FEED, 3 + strlen(MIN_FEED)), "%s", r2);
	cr_assert_null(strstr(r2, "auth"), "%s", r2);
	cr_assert_null(strstr(r2, "nan"), "%s", r2);
	cr_assert(!strncmp(r3, "3  Mallory", 10), "%s", r3);
	cr_assert_null(r4, "three rows only: %s", r4);
	free(head);
	free(cols);
	free(r1);
	free(r2);
	free(r3);
	free(out);
}

Test(report_text, narrow_terminal_drops_columns_and_cuts_names_on_characters)
{
	char *out = render(50, 0, 0);
	char *cols = nth_line(out, 1), *r1 = nth_line(out, 2);
	char *r3 = nth_line(out, 4);
	mbstate_t st;
	const char *p = out;

	cr_assert_not_null(strstr(cols, "NAME"), "%s", cols);
	cr_assert_not_null(strstr(cols, "FIRST STEP"), "%s", cols);
	cr_assert_null(strstr(cols, "SITE"), "%s", cols);
	cr_assert_null(strstr(cols, "STRONGEST"), "%s", cols);
	/* The CJK name starts whole characters and ends in "…". */
	cr_assert(!strncmp(r1, "1  山田", strlen("1  山田")), "%s", r1);
	cr_assert_not_null(strstr(r1, "…"), "%s", r1);
	cr_assert_not_null(strstr(r3, "…"), "the long name is cut: %s", r3);
	/* Valid UTF-8 throughout: nothing was cut inside a character. */
	memset(&st, 0, sizeof(st));
	while (*p) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, p, strlen(p), &st);

		cr_assert(k != (size_t)-1 && k != (size_t)-2,
			  "invalid UTF-8 at '%.10s'", p);
		p += k;
	}
	free(cols);
	free(r1);
	free(r3);
	free(out);
}

Test(report_text, eighty_columns_give_up_the_site_before_the_signals)
{
	char *out = render(80, 0, 0);
	char *cols = nth_line(out, 1), *r1 = nth_line(out, 2);

	cr_assert_null(strstr(cols, "SITE"), "%s", cols);
	cr_assert_not_null(strstr(cols, "STRONGEST SIGNALS"), "%s", cols);
	/* Signals are shown whole or not at all. */
	cr_assert_not_null(strstr(r1, "reach 1.00 activ 0.95 focus 0.90"),
			   "%s", r1);
	free(cols);
	free(r1);
	free(out);
}

Test(report_text, detail_shows_every_step_with_its_reason)
{
	char *out = render(132, 1, 0);

	cr_assert_not_null(strstr(out, "1. follow " FULL_FEED), "%s", out);
	cr_assert_not_null(strstr(out, "2. comment \"" FULL_TITLE "\" "
					FULL_POST), "%s", out);
	cr_assert_not_null(strstr(out, FULL_WHY), "%s", out);
	cr_assert_not_null(strstr(out, "role        adviser: covers adviser"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "stage       engaged"), "%s", out);
	cr_assert_not_null(strstr(out, "median reply time"), "%s", out);
	cr_assert_not_null(strstr(strstr(out, "median reply time"), " 5 h\n"),
			   "18000 s is shown as 5 h: %s", out);
	cr_assert_not_null(strstr(out, "two sites merged"), "%s", out);
	/* The missing candidate: unknown evidence is left out, not 0/-1. */
	cr_assert_null(strstr(out, "-1"), "%s", out);
	cr_assert_null(strstr(out, "nan"), "%s", out);
	free(out);
}

Test(report_text, detail_wraps_long_urls_instead_of_cutting_them)
{
	char *out = render(30, 1, 0);
	char *flat = malloc(strlen(out) + 1), *q = flat;

	/* Join the wrapped lines back: every character must be there. */
	for (const char *p = out; *p; p++)
		if (*p != '\n' && *p != ' ')
			*q++ = *p;
	*q = '\0';
	cr_assert_not_null(strstr(flat, FULL_POST), "%s", out);
	cr_assert_not_null(strstr(flat, "answered8of10commenters"), "%s", out);
	free(flat);
	free(out);
}

Test(report_text, colour_adds_only_our_own_escapes)
{
	char *out = render(120, 1, 1);
	int n = 0;

	for (const char *p = strchr(out, '\x1b'); p;
	     p = strchr(p + 1, '\x1b')) {
		cr_assert(!strncmp(p, "\x1b[1m", 4) ||
			  !strncmp(p, "\x1b[2m", 4) ||
			  !strncmp(p, "\x1b[0m", 4), "foreign escape '%.8s'",
			  p);
		n++;
	}
	cr_assert_gt(n, 0, "colour was asked for");
	free(out);
}

Test(report_text, empty_topic_says_there_are_no_candidates_yet)
{
	struct ms_view *empty = fixture_empty_view("leadership");
	struct ms_view *views[] = { view, empty };
	int rc;
	char *out = fixture_write(MS_FMT_TEXT, views, 2, NULL, &rc);

	cr_assert_eq(rc, MS_OK);
	cr_assert_not_null(strstr(out, "\n\nleadership: 0 candidates\n"
					"no candidates yet"), "%s", out);
	free(out);
	fixture_view_free(empty);
}

Test(report_text, full_disk_is_a_write_error)
{
	FILE *f = fopen("/dev/full", "w");
	struct ms_report_opts o = { .width = 80, .detail = 1 };

	cr_assert_not_null(f, "/dev/full");
	cr_assert_eq(ms_report_write(f, MS_FMT_TEXT, &view, 1, &o), MS_EIO);
	fclose(f);
}

Test(report_text, format_names_map_to_formats)
{
	cr_assert_eq(ms_report_format("text"), MS_FMT_TEXT);
	cr_assert_eq(ms_report_format("json"), MS_FMT_JSON);
	cr_assert_eq(ms_report_format("md"), MS_FMT_MD);
	cr_assert_eq(ms_report_format("html"), MS_FMT_HTML);
	cr_assert_eq(ms_report_format("HTML"), -1);
	cr_assert_eq(ms_report_format("xml"), -1);
	cr_assert_eq(ms_report_format(""), -1);
	cr_assert_eq(ms_report_format(NULL), -1);
}
