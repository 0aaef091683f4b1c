/*
 * fixture.h — the in-memory ranking views the report tests (and
 * bench/report_fixture.c) write: what ms_rank_view would hand to
 * discover/report, built by hand so report/ is tested on its own.
 *
 * fixture_view() holds three candidates:
 *   1. every field set, a CJK name (two columns per character);
 *   2. most fields missing: no name, site, profiles, steps; some signals
 *      unknown (NaN), some evidence unknown (-1);
 *   3. hostile strings as a crawled feed could carry them: <script>, an
 *      attribute break-out, javascript:/data:/vbscript: URLs, ANSI CSI and
 *      OSC sequences, C1 controls, bidi overrides, invalid UTF-8, Markdown
 *      link syntax and a very long name.
 *
 * Header-only (static functions) because each test is its own binary.
 */
#ifndef MS_TESTS_REPORT_FIXTURE_H
#define MS_TESTS_REPORT_FIXTURE_H

#include "ranker/ranker.h"
#include "report/report.h"
#include "util/arena.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The name tables belong to store/ and ranker/; until those land, weak
 * copies (names from the enums) let the report tests link.  A real
 * definition in the library wins over these whenever it is linked.
 */
__attribute__((weak)) const char *const ms_signal_names[MS_SIGNALS] = {
	"focus", "authority", "responsiveness", "audience", "activity",
	"reachability",
};
__attribute__((weak)) const char *const ms_evidence_names[MS_EVIDENCE] = {
	"posts", "posts_on_topic", "comments_received", "commenters",
	"posts_with_comments", "posts_answered", "replies", "median_reply_s",
	"links_in", "links_out", "profiles", "days_since_post",
};
__attribute__((weak)) const char *const ms_step_names[] = {
	"follow", "comment", "link", "share", "reply", "connect",
};
__attribute__((weak)) const char *const ms_stage_names[] = {
	"none", "not_contacted", "engaged", "noticed", "connected",
};
__attribute__((weak)) const char *const ms_role_names[] = {
	"none", "adviser", "connector", "ideas", "peer",
};

/* 2024-05-01T10:00:00Z */
#define FIXTURE_GENERATED 1714557600

#define HOSTILE_SCRIPT "<script>alert(1)</script>"
#define HOSTILE_ATTR "\" onmouseover=\"x"
#define HOSTILE_JS "javascript:alert(1)"
#define FULL_NAME "山田 太郎 (Yamada Tarō)"
#define FULL_SITE "https://yamada.example/blog/"
#define FULL_FEED "https://yamada.example/blog/feed/"
#define FULL_POST "https://yamada.example/blog/2024/04/remote-onboarding/"
#define FULL_TITLE "リモート採用の質問 — onboarding remote hires"
#define FULL_WHY "answered 8 of 10 commenters, median 5 h"
#define MIN_FEED "https://minimal.example/rss.xml"

static inline const char **
fixture_strv(struct ms_arena *a, size_t n, const char *const *src)
{
	const char **v = ms_arena_alloc(a, (n ? n : 1) * sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = ms_arena_strdup(a, src[i]);
	return v;
}

static inline void
fixture_full(struct ms_arena *a, struct ms_candidate *c)
{
	static const char *const profiles[] = {
		"https://mastodon.example/@yamada", "https://github.com/yamada",
	};
	static const char *const notes[] = {
		"two sites merged: yamada.example, tarou.example",
	};
	static const double sig[MS_SIGNALS] = { 0.90, 0.70, 0.80, 0.50, 0.95,
						1.00 };
	static const int64_t ev[MS_EVIDENCE] = { 20, 14, 57, 31, 12, 10, 9,
						 18000, 6, 40, 2, 3 };

	c->rank = 1;
	strcpy(c->person, "0123456789abcdef0123456789abcdef");
	c->name = ms_arena_strdup(a, FULL_NAME);
	c->site = ms_arena_strdup(a, FULL_SITE);
	c->feed = ms_arena_strdup(a, FULL_FEED);
	c->nprofiles = 2;
	c->profiles = fixture_strv(a, 2, profiles);
	c->score = 0.83;
	memcpy(c->signals, sig, sizeof(sig));
	memcpy(c->evidence, ev, sizeof(ev));
	c->nnotes = 1;
	c->notes = fixture_strv(a, 1, notes);
	c->nsteps = 3;
	c->steps = ms_arena_zalloc(a, 3 * sizeof(*c->steps));
	c->steps[0] = (struct ms_step){ MS_STEP_FOLLOW,
		ms_arena_strdup(a, FULL_FEED), NULL,
		ms_arena_strdup(a, "posts on the topic every month") };
	c->steps[1] = (struct ms_step){ MS_STEP_COMMENT,
		ms_arena_strdup(a, FULL_POST), ms_arena_strdup(a, FULL_TITLE),
		ms_arena_strdup(a, FULL_WHY) };
	c->steps[2] = (struct ms_step){ MS_STEP_LINK,
		ms_arena_strdup(a, FULL_POST), NULL,
		ms_arena_strdup(a, "their most-commented post on the topic") };
	c->stage = MS_STAGE_ENGAGED;
	c->role = MS_ROLE_ADVISER;
	c->role_why = ms_arena_strdup(a, "covers adviser: six years on HR");
	c->lang = ms_arena_strdup(a, "ja");
}

static inline void
fixture_missing(struct ms_arena *a, struct ms_candidate *c)
{
	c->rank = 2;
	strcpy(c->person, "fedcba9876543210fedcba9876543210");
	c->feed = ms_arena_strdup(a, MIN_FEED);
	c->score = 0.41;
	for (size_t i = 0; i < MS_SIGNALS; i++)
		c->signals[i] = 0.3;
	c->signals[MS_SIG_AUTHORITY] = NAN;
	c->signals[MS_SIG_AUDIENCE] = NAN;
	for (size_t i = 0; i < MS_EVIDENCE; i++)
		c->evidence[i] = (int64_t)i;
	c->evidence[MS_EV_MEDIAN_REPLY_S] = -1;
	c->evidence[MS_EV_LINKS_IN] = -1;
}

/* A name a terminal would obey and a browser would run. */
#define HOSTILE_NAME \
	"\x1b[31mMallory\x1b[0m \x1b]0;pwned\x07" HOSTILE_SCRIPT " " \
	HOSTILE_ATTR " \xE2\x80\xAEgnp.exe\xE2\x80\xAC \xC2\x9B" "2J" \
	" [click](" HOSTILE_JS ") | pipe \xff\xfe *bold* `tick` &amp; " \
	"Very Long Name That Goes On And On And On And On And On And On " \
	"And On And On And On And On And On And On And On And On And On " \
	"And On And On And On And On And On And On And On And On And On"

static inline void
fixture_hostile(struct ms_arena *a, struct ms_candidate *c)
{
	static const char *const profiles[] = {
		"vbscript:msgbox(1)",
		"https://ok.example/" HOSTILE_ATTR,
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
	};
	static const char *const notes[] = {
		"damped: link ring \x1b[2J\x1b[H with 4 sites",
		"<b>bold</b> & \"quoted\" 'single' \xE2\x81\xA6isolate",
	};

	c->rank = 3;
	strcpy(c->person, "00000000000000000000000000000bad");
	c->name = ms_arena_strdup(a, HOSTILE_NAME);
	c->site = ms_arena_strdup(a, HOSTILE_JS);
	c->feed = ms_arena_strdup(a, "data:text/html," HOSTILE_SCRIPT);
	c->nprofiles = 3;
	c->profiles = fixture_strv(a, 3, profiles);
	c->score = 0.12;
	for (size_t i = 0; i < MS_SIGNALS; i++)
		c->signals[i] = 0.1 * (double)i;
	for (size_t i = 0; i < MS_EVIDENCE; i++)
		c->evidence[i] = 1;
	c->nnotes = 2;
	c->notes = fixture_strv(a, 2, notes);
	c->nsteps = 2;
	c->steps = ms_arena_zalloc(a, 2 * sizeof(*c->steps));
	c->steps[0] = (struct ms_step){ MS_STEP_COMMENT,
		ms_arena_strdup(a, HOSTILE_JS),
		ms_arena_strdup(a, HOSTILE_SCRIPT),
		ms_arena_strdup(a, HOSTILE_ATTR
				   " <img src=x onerror=alert(1)>") };
	c->steps[1] = (struct ms_step){ MS_STEP_FOLLOW,
		ms_arena_strdup(a, "https://mallory.example/feed?a=1&b=<2>"
				   "&c=\"3\"&d='4'&e=(5)"),
		NULL, NULL };
	c->role = MS_ROLE_PEER;
	c->role_why = ms_arena_strdup(a, "[x](" HOSTILE_JS ") \x1b[5m");
	c->lang = ms_arena_strdup(a, "en\x1b[0m");
}

/* The three candidates above for topic (label may be NULL). */
static inline struct ms_view *
fixture_view(const char *topic, const char *label)
{
	struct ms_view *v = ms_xcalloc(1, sizeof(*v));

	ms_arena_init(&v->arena);
	v->topic = ms_arena_strdup(&v->arena, topic);
	v->topic_label = label ? ms_arena_strdup(&v->arena, label) : NULL;
	v->generated = FIXTURE_GENERATED;
	v->ncands = 3;
	v->cands = ms_arena_zalloc(&v->arena, 3 * sizeof(*v->cands));
	fixture_full(&v->arena, &v->cands[0]);
	fixture_missing(&v->arena, &v->cands[1]);
	fixture_hostile(&v->arena, &v->cands[2]);
	return v;
}

/* A topic with no ranking yet. */
static inline struct ms_view *
fixture_empty_view(const char *topic)
{
	struct ms_view *v = ms_xcalloc(1, sizeof(*v));

	ms_arena_init(&v->arena);
	v->topic = ms_arena_strdup(&v->arena, topic);
	return v;
}

static inline void
fixture_view_free(struct ms_view *v)
{
	if (!v)
		return;
	ms_arena_release(&v->arena);
	free(v);
}

/* The report of views in fmt as a string (malloc'd, NUL-terminated);
 * *rc gets what ms_report_write returned.  Not inlined: GCC 12 then
 * mistakes the returned buffer for the address of the local it came
 * through (-Wdangling-pointer). */
__attribute__((noinline, unused)) static char *
fixture_write(enum ms_report_format fmt, struct ms_view *const *views,
	      size_t nviews, const struct ms_report_opts *o, int *rc)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	*rc = ms_report_write(f, fmt, views, nviews, o);
	fclose(f);
	return out;
}

#endif
