/*
 * test_report.c — what every format relies on (report/report.c): cleaning
 * feed-derived strings of controls, escape sequences and bidi overrides;
 * display width and truncation on character boundaries; the http(s) link
 * rule; dates and durations; the strongest signals.
 */
#include "report/internal.h"
#include "tests/report/fixture.h"
#include "util/err.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static struct ms_arena arena;

static void
setup(void)
{
	ms_arena_init(&arena);
}

static void
teardown(void)
{
	ms_arena_release(&arena);
}

TestSuite(report_clean, .init = setup, .fini = teardown);
TestSuite(report_width, .init = setup, .fini = teardown);
TestSuite(report_helpers, .init = setup, .fini = teardown);

/* Feed text as it arrives → what a report shows. */
static const struct {
	const char *what, *in, *out;
} clean_cases[] = {
	{ "SGR colour", "\x1b[31mRed\x1b[0m", "Red" },
	{ "CSI with intermediates", "a\x1b[?25lb", "ab" },
	{ "OSC title ended by BEL", "a\x1b]0;title\x07" "b", "ab" },
	{ "OSC 8 hyperlink ended by ST",
	  "a\x1b]8;;http://x.example/\x1b\\link\x1b]8;;\x1b\\" "b", "alinkb" },
	{ "OSC never ended: only the introducer goes", "a\x1b]0;rest",
	  "a0;rest" },
	{ "two-byte escape (reset)", "a\x1b" "cb", "ab" },
	{ "C1 CSI", "x\xc2\x9b" "31my", "xy" },
	{ "C1 OSC ended by C1 ST", "x\xc2\x9d" "0;t\xc2\x9cy", "xy" },
	{ "other C1", "a\xc2\x85" "b\xc2\x80" "c", "a bc" },
	{ "RLO ... PDF", "\xe2\x80\xae" "exe.txt\xe2\x80\xac", "exe.txt" },
	{ "LRE RLE LRO", "\xe2\x80\xaa" "a\xe2\x80\xab" "b\xe2\x80\xad" "c",
	  "abc" },
	{ "isolates", "\xe2\x81\xa6" "a\xe2\x81\xa7" "b\xe2\x81\xa8" "c"
		      "\xe2\x81\xa9", "abc" },
	{ "BOM", "\xef\xbb\xbf" "name", "name" },
	{ "C0 and DEL", "a\x01\x7f\x08" "b", "ab" },
	{ "whitespace collapsed and trimmed", "  a\t\tb\r\n c  ", "a b c" },
	{ "line separator", "line\xe2\x80\xa8sep", "line sep" },
	{ "stray byte", "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "overlong slash", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "surrogate", "\xed\xa0\x80",
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "truncated sequence at the end", "ab\xe6\x97", "ab\xef\xbf\xbd"
							"\xef\xbf\xbd" },
	{ "CJK kept", "山田 太郎", "山田 太郎" },
	{ "combining mark kept", "e\xcc\x81", "e\xcc\x81" },
	{ "RLM kept (legitimate in Hebrew and Arabic)", "a\xe2\x80\x8f" "b",
	  "a\xe2\x80\x8f" "b" },
	{ "markup is text, not our business here", "<b>&amp;</b>",
	  "<b>&amp;</b>" },
	{ "empty", "", "" },
	{ "only controls", "\x1b[0m\x07", "" },
};

Test(report_clean, controls_escapes_and_bidi_overrides_are_removed)
{
	for (size_t i = 0; i < sizeof(clean_cases) / sizeof(*clean_cases);
	     i++) {
		const char *got = ms_report_clean(&arena, clean_cases[i].in);

		cr_assert_str_eq(got, clean_cases[i].out, "%s: got '%s'",
				 clean_cases[i].what, got);
	}
	cr_assert_null(ms_report_clean(&arena, NULL));
}

Test(report_clean, very_long_strings_are_cut_on_a_character_with_ellipsis)
{
	size_t n = 10000;
	char *in = malloc(n * 3 + 1), *p = in;
	const char *out;
	size_t len;

	for (size_t i = 0; i < n; i++, p += 3)
		memcpy(p, "語", 3);
	*p = '\0';
	out = ms_report_clean(&arena, in);
	len = strlen(out);
	cr_assert_leq(len, MS_REPORT_FIELD_MAX, "%zu bytes", len);
	cr_assert_gt(len, MS_REPORT_FIELD_MAX - 16, "%zu bytes", len);
	cr_assert_str_eq(out + len - 3, "…");
	/* Whole characters before the ellipsis. */
	cr_assert_eq((len - 3) % 3, 0, "%zu", len);
	cr_assert(!strncmp(out, in, len - 3));
	free(in);
}

Test(report_width, east_asian_wide_counts_two_combining_counts_none)
{
	cr_assert_eq(ms_report_cols("abc"), 3);
	cr_assert_eq(ms_report_cols("日本"), 4);
	cr_assert_eq(ms_report_cols("한국어"), 6);
	cr_assert_eq(ms_report_cols("ｆｕｌｌ"), 8);
	cr_assert_eq(ms_report_cols("e\xcc\x81"), 1);
	cr_assert_eq(ms_report_cols("…"), 1);
	cr_assert_eq(ms_report_cols("Tarō"), 4);
	cr_assert_eq(ms_report_cols(""), 0);
}

static const char *
fit(const char *s, size_t cols, int pad)
{
	struct ms_buf b = MS_BUF_INIT(1 << 16);
	const char *res;
	size_t used = ms_report_fit(&b, s, cols, pad);

	cr_assert_eq(used, ms_report_cols(ms_buf_str(&b)),
		     "fit reports the columns it wrote");
	res = ms_arena_strdup(&arena, ms_buf_str(&b));
	ms_buf_release(&b);
	return res;
}

Test(report_width, fit_cuts_with_ellipsis_on_character_boundaries)
{
	cr_assert_str_eq(fit("abc", 5, 1), "abc  ");
	cr_assert_str_eq(fit("abc", 5, 0), "abc");
	cr_assert_str_eq(fit("abc", 3, 1), "abc");
	cr_assert_str_eq(fit("abcdef", 3, 0), "ab…");
	cr_assert_str_eq(fit("日本語", 6, 0), "日本語");
	cr_assert_str_eq(fit("日本語", 5, 0), "日本…");
	/* A wide character that does not fit leaves a column to pad. */
	cr_assert_str_eq(fit("日本語", 4, 1), "日… ");
	cr_assert_str_eq(fit("日本語", 1, 0), "…");
	cr_assert_str_eq(fit("abc", 0, 1), "");
	cr_assert_str_eq(fit(NULL, 2, 1), "  ");
}

Test(report_helpers, only_absolute_http_urls_become_links)
{
	static const char *const yes[] = {
		"https://a.example/", "http://a.example/path?q=1&r=2#frag",
		"HTTPS://A.EXAMPLE/", "https://a.example:8443/x",
	};
	static const char *const no[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)",
		"vbscript:msgbox(1)",
		"data:text/html,<script>alert(1)</script>",
		"file:///etc/passwd", "mailto:a@example.org", "/relative/path",
		"//a.example/", "https://", "http:a.example",
		" https://a.example/", "https://a.example/ x",
		"https://a.example/\n", "https://a.example/\x1b[31m", "",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		cr_assert(ms_report_link_ok(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		cr_assert(!ms_report_link_ok(no[i]), "%s", no[i]);
	cr_assert(!ms_report_link_ok(NULL));
}

Test(report_helpers, dates_are_utc_and_durations_human)
{
	char s[64];

	ms_report_time(FIXTURE_GENERATED, 1, s, sizeof(s));
	cr_assert_str_eq(s, "2024-05-01T10:00:00Z");
	ms_report_time(FIXTURE_GENERATED, 0, s, sizeof(s));
	cr_assert_str_eq(s, "2024-05-01 10:00 UTC");
	ms_report_time(0, 1, s, sizeof(s));
	cr_assert_str_eq(s, "", "no ranking yet: no date");
	ms_report_duration(45, s, sizeof(s));
	cr_assert_str_eq(s, "45 s");
	ms_report_duration(720, s, sizeof(s));
	cr_assert_str_eq(s, "12 min");
	ms_report_duration(18000, s, sizeof(s));
	cr_assert_str_eq(s, "5 h");
	ms_report_duration(3 * 86400, s, sizeof(s));
	cr_assert_str_eq(s, "3 d");
}

Test(report_helpers, strongest_signals_skip_unknown_and_keep_enum_order_on_ties)
{
	struct ms_candidate c;
	size_t idx[3], n;

	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < MS_SIGNALS; i++)
		c.signals[i] = 0.5;
	c.signals[MS_SIG_FOCUS] = NAN;
	c.signals[MS_SIG_REACHABILITY] = 0.9;
	n = ms_report_top_signals(&c, idx, 3);
	cr_assert_eq(n, 3);
	cr_assert_eq(idx[0], MS_SIG_REACHABILITY);
	cr_assert_eq(idx[1], MS_SIG_AUTHORITY);
	cr_assert_eq(idx[2], MS_SIG_RESPONSIVENESS);
	for (size_t i = 0; i < MS_SIGNALS; i++)
		c.signals[i] = NAN;
	cr_assert_eq(ms_report_top_signals(&c, idx, 3), 0);
}

Test(report_helpers, display_name_falls_back_to_site_feed_then_id)
{
	struct ms_candidate c;

	memset(&c, 0, sizeof(c));
	strcpy(c.person, "abc");
	cr_assert_str_eq(ms_report_display_name(&c), "abc");
	c.feed = "https://f.example/feed";
	cr_assert_str_eq(ms_report_display_name(&c), c.feed);
	c.site = "https://f.example/";
	cr_assert_str_eq(ms_report_display_name(&c), c.site);
	c.name = "";
	cr_assert_str_eq(ms_report_display_name(&c), c.site);
	c.name = "F";
	cr_assert_str_eq(ms_report_display_name(&c), "F");
}

Test(report_helpers, unknown_format_is_a_usage_error)
{
	struct ms_view *v = fixture_view("hr", NULL);
	int rc;
	char *out = fixture_write((enum ms_report_format)42, &v, 1, NULL, &rc);

	cr_assert_eq(rc, MS_EUSAGE);
	cr_assert_str_eq(out, "", "nothing written");
	free(out);
	fixture_view_free(v);
}

/* xorshift64: a fixed seed so a failure can be replayed. */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Bytes a hostile feed would favour: controls, ESC, C1 and bidi lead
 * bytes, markup and Markdown punctuation, stray UTF-8 pieces. */
static char *
random_string(struct ms_arena *a, uint64_t *s)
{
	static const char alphabet[] =
		"\x1b\x07\x01\x7f\x9b\xc2\xe2\x80\xae\x81\xa6\xff\xe6\x97"
		"<>&\"'`*_[]()|#!\\-:/ \t\nab1.";
	size_t n = next_rand(s) % 40;
	char *p = ms_arena_alloc(a, n + 1);

	for (size_t i = 0; i < n; i++)
		p[i] = alphabet[next_rand(s) % (sizeof(alphabet) - 1)];
	p[n] = '\0';
	return p;
}

Test(report_helpers, random_hostile_bytes_never_break_any_format)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull;

	for (int round = 0; round < 200; round++) {
		struct ms_view *v = fixture_view("hr", NULL);
		struct ms_candidate *c = &v->cands[2];
		struct ms_report_opts o = { .width = 20 + round % 100,
					    .detail = 1 };
		int rc;
		char *out;
		json_t *root;
		json_error_t jerr;

		c->name = random_string(&v->arena, &seed);
		c->site = random_string(&v->arena, &seed);
		c->notes[0] = random_string(&v->arena, &seed);
		c->steps[0].title = random_string(&v->arena, &seed);
		c->steps[0].url = random_string(&v->arena, &seed);
		c->steps[0].why = random_string(&v->arena, &seed);
		c->role_why = random_string(&v->arena, &seed);

		out = fixture_write(MS_FMT_TEXT, &v, 1, &o, &rc);
		cr_assert_eq(rc, MS_OK);
		for (const unsigned char *p = (unsigned char *)out; *p; p++)
			cr_assert((*p >= 0x20 && *p != 0x7f) || *p == '\n',
				  "round %d: byte 0x%02x in text", round, *p);
		free(out);

		out = fixture_write(MS_FMT_JSON, &v, 1, &o, &rc);
		cr_assert_eq(rc, MS_OK);
		root = json_loads(out, 0, &jerr);
		cr_assert_not_null(root, "round %d: %s", round, jerr.text);
		cr_assert_eq(json_array_size(json_object_get(root,
							     "candidates")), 3);
		json_decref(root);
		free(out);

		out = fixture_write(MS_FMT_HTML, &v, 1, &o, &rc);
		cr_assert_eq(rc, MS_OK);
		cr_assert_null(strstr(out, "<script"), "round %d", round);
		for (const char *p = strstr(out, "href=\""); p;
		     p = strstr(p + 1, "href=\""))
			cr_assert(!strncmp(p, "href=\"http", 10), "round %d: "
				  "%.40s", round, p);
		free(out);

		out = fixture_write(MS_FMT_MD, &v, 1, &o, &rc);
		cr_assert_eq(rc, MS_OK);
		cr_assert_null(strchr(out, '\x1b'), "round %d", round);
		free(out);
		fixture_view_free(v);
	}
}
