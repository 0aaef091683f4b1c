/*
 * md.c — the report as Markdown (CommonMark with GitHub's tables): the
 * ranking table per topic, then per candidate the same fields, signals,
 * evidence, steps and notes as the JSON.
 *
 * Feed-derived text is cleaned, then every character Markdown or inline
 * HTML could act on is backslash-escaped, so a title reading
 * "<script>" or "[x](javascript:...)" is shown as written.  Only absolute
 * http(s) URLs become links (their destination percent-encodes what could
 * end it early); any other URL is shown as a code span.
 */
#include "report/internal.h"
#include "util/err.h"

#include <math.h>
#include <string.h>

struct out {
	FILE *f;
	struct ms_arena *a;
	struct ms_buf b;
};

/* ASCII punctuation that can start emphasis, code, links, HTML, entities,
 * tables, strikethrough or a heading's closing sequence anywhere in a
 * line. */
static const char md_special[] = "\\`*_[]<>&|~!()#";

/*
 * s with every Markdown metacharacter backslash-escaped.  Feed text always
 * follows our own prefix ("- ", "### 1. ", "| "), but it may still look
 * like a block marker there ("- 1. x" is a nested list), so a leading
 * "-", "+", "=" or "1." / "1)" is escaped too.
 */
static void
md_text(struct ms_buf *b, const char *s)
{
	size_t digits = 0;

	if (!s)
		return;
	while (s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (strchr("-+=", s[0]) && s[0])
		ms_buf_addc(b, '\\');
	for (size_t i = 0; s[i]; i++) {
		if (strchr(md_special, s[i]) ||
		    (digits && i == digits && (s[i] == '.' || s[i] == ')')))
			ms_buf_addc(b, '\\');
		ms_buf_addc(b, s[i]);
	}
}

/* A code span for text that must not become a link; in a table cell the
 * pipe still needs its backslash (GitHub splits cells first). */
static void
md_code(struct ms_buf *b, const char *s, int in_table)
{
	size_t run = 0, longest = 0, n = strlen(s);

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		ms_buf_addc(b, '`');
	if (n && (s[0] == '`' || s[n - 1] == '`'))
		ms_buf_addc(b, ' ');
	for (const char *p = s; *p; p++) {
		if (in_table && *p == '|')
			ms_buf_addc(b, '\\');
		ms_buf_addc(b, *p);
	}
	if (n && (s[0] == '`' || s[n - 1] == '`'))
		ms_buf_addc(b, ' ');
	for (size_t i = 0; i <= longest; i++)
		ms_buf_addc(b, '`');
}

/*
 * A link destination.  Characters RFC 3986 never allows raw are
 * percent-encoded (browsers would send them so anyway); the sub-delimiters
 * that mean something in a URL but also to Markdown, ( ) &, are
 * backslash-escaped, which CommonMark undoes in destinations, so the URL
 * keeps its exact bytes and no entity is decoded in it.
 */
static void
md_dest(struct ms_buf *b, const char *url)
{
	for (; *url; url++) {
		if (strchr("<>\"'`\\|[] ", *url))
			ms_buf_addf(b, "%%%02X", (unsigned char)*url);
		else if (strchr("()&", *url))
			ms_buf_addf(b, "\\%c", *url);
		else
			ms_buf_addc(b, *url);
	}
}

/* url as a link whose text is text (or the URL without its scheme), or
 * as a code span when it is not an http(s) URL. */
static void
md_link(struct out *o, const char *url, const char *text, int in_table)
{
	const char *u = ms_report_clean(o->a, url);
	const char *t = ms_report_clean(o->a, text);

	if (!u || !*u) {
		md_text(&o->b, t);
		return;
	}
	if (!ms_report_link_ok(u)) {
		if (t && *t) {
			md_text(&o->b, t);
			ms_buf_addc(&o->b, ' ');
		}
		md_code(&o->b, u, in_table);
		return;
	}
	ms_buf_addc(&o->b, '[');
	md_text(&o->b, t && *t ? t : ms_report_short_url(o->a, u));
	ms_buf_adds(&o->b, "](");
	md_dest(&o->b, u);
	ms_buf_addc(&o->b, ')');
}

static void
flush(struct out *o)
{
	fwrite(o->b.data ? o->b.data : "", 1, o->b.len, o->f);
	ms_buf_reset(&o->b);
}

static void
num(struct ms_buf *b, double v)
{
	if (isfinite(v))
		ms_buf_addf(b, "%.2f", v);
	else
		ms_buf_adds(b, "–");
}

static void
step_line(struct out *o, const struct ms_step *s)
{
	const char *why = ms_report_clean(o->a, s->why);

	ms_buf_adds(&o->b, "**");
	md_text(&o->b, ms_report_step_name(s->action));
	ms_buf_adds(&o->b, "**");
	if (s->url || s->title) {
		ms_buf_adds(&o->b, ": ");
		md_link(o, s->url, s->title, 0);
	}
	if (why && *why) {
		ms_buf_adds(&o->b, " — ");
		md_text(&o->b, why);
	}
}

static void
ranking(struct out *o, const struct ms_view *v)
{
	ms_buf_adds(&o->b, "| # | Name | Score | Strongest signals | Site "
			   "| First step |\n"
			   "|--:|------|------:|-------------------|------"
			   "|------------|\n");
	for (size_t r = 0; r < v->ncands; r++) {
		const struct ms_candidate *c = &v->cands[r];
		size_t idx[3], n = ms_report_top_signals(c, idx, 3);

		ms_buf_addf(&o->b, "| %u | ", c->rank ? c->rank
						       : (unsigned)r + 1);
		md_text(&o->b, ms_report_cut(o->a, ms_report_clean(o->a,
					ms_report_display_name(c)), 60));
		ms_buf_adds(&o->b, " | ");
		num(&o->b, c->score);
		ms_buf_adds(&o->b, " | ");
		for (size_t i = 0; i < n; i++)
			ms_buf_addf(&o->b, "%s%s %.2f", i ? ", " : "",
				    ms_report_signals[idx[i]].label,
				    c->signals[idx[i]]);
		ms_buf_adds(&o->b, " | ");
		md_link(o, c->site, NULL, 1);
		ms_buf_adds(&o->b, " | ");
		for (size_t i = 0; i < c->nsteps; i++) {
			const struct ms_step *s = &c->steps[i];

			if (!ms_report_step_name(s->action))
				continue;
			md_text(&o->b, ms_report_step_name(s->action));
			ms_buf_adds(&o->b, ": ");
			md_link(o, s->url, s->title, 1);
			break;
		}
		ms_buf_adds(&o->b, " |\n");
	}
	ms_buf_addc(&o->b, '\n');
}

static void
fact(struct out *o, const char *label, const char *url)
{
	if (!url || !*url)
		return;
	ms_buf_addf(&o->b, "- %s: ", label);
	md_link(o, url, NULL, 0);
	ms_buf_addc(&o->b, '\n');
}

static void
candidate(struct out *o, const struct ms_candidate *c, size_t r)
{
	const char *lang = ms_report_clean(o->a, c->lang);
	const char *stage = ms_report_stage_name(c->stage);
	const char *role = ms_report_role_name(c->role);
	const char *person = ms_report_clean(o->a, c->person);
	int any;

	ms_buf_addf(&o->b, "### %u. ", c->rank ? c->rank : (unsigned)r + 1);
	md_text(&o->b, ms_report_clean(o->a, ms_report_display_name(c)));
	ms_buf_adds(&o->b, "\n\n- Score: **");
	num(&o->b, c->score);
	ms_buf_adds(&o->b, "**\n");
	fact(o, "Site", c->site);
	fact(o, "Feed", c->feed);
	for (size_t i = 0; i < c->nprofiles; i++)
		fact(o, "Profile", c->profiles[i]);
	if (lang && *lang) {
		ms_buf_adds(&o->b, "- Writes in: ");
		md_text(&o->b, lang);
		ms_buf_addc(&o->b, '\n');
	}
	if (stage) {
		ms_buf_adds(&o->b, "- Stage: ");
		md_text(&o->b, stage);
		ms_buf_addc(&o->b, '\n');
	}
	if (role) {
		const char *why = ms_report_clean(o->a, c->role_why);

		ms_buf_adds(&o->b, "- Role: ");
		md_text(&o->b, role);
		if (why && *why) {
			ms_buf_adds(&o->b, " — ");
			md_text(&o->b, why);
		}
		ms_buf_addc(&o->b, '\n');
	}
	if (person && *person) {
		ms_buf_adds(&o->b, "- ID: ");
		md_code(&o->b, person, 0);
		ms_buf_addc(&o->b, '\n');
	}
	ms_buf_adds(&o->b, "\n| Signal | Value |\n|--------|------:|\n");
	for (size_t i = 0; i < MS_SIGNALS; i++) {
		ms_buf_addf(&o->b, "| %s | ", ms_report_signals[i].label);
		num(&o->b, c->signals[i]);
		ms_buf_adds(&o->b, " |\n");
	}
	any = 0;
	for (size_t i = 0; i < MS_EVIDENCE; i++) {
		char d[32];

		if (c->evidence[i] < 0)
			continue;
		if (!any++)
			ms_buf_adds(&o->b, "\n| Evidence | Count |\n"
					   "|----------|------:|\n");
		if (ms_report_evidence[i].seconds)
			ms_report_duration(c->evidence[i], d, sizeof(d));
		else
			snprintf(d, sizeof(d), "%lld",
				 (long long)c->evidence[i]);
		ms_buf_addf(&o->b, "| %s | %s |\n",
			    ms_report_evidence[i].label, d);
	}
	any = 0;
	for (size_t i = 0; i < c->nsteps; i++) {
		if (!ms_report_step_name(c->steps[i].action))
			continue;
		if (!any++)
			ms_buf_adds(&o->b, "\n**Steps**\n\n");
		ms_buf_addf(&o->b, "%d. ", any);
		step_line(o, &c->steps[i]);
		ms_buf_addc(&o->b, '\n');
	}
	any = 0;
	for (size_t i = 0; i < c->nnotes; i++) {
		const char *note = ms_report_clean(o->a, c->notes[i]);

		if (!note || !*note)
			continue;
		if (!any++)
			ms_buf_adds(&o->b, "\n**Notes**\n\n");
		ms_buf_adds(&o->b, "- ");
		md_text(&o->b, note);
		ms_buf_addc(&o->b, '\n');
	}
	ms_buf_addc(&o->b, '\n');
}

static void
view(struct out *o, const struct ms_view *v)
{
	const char *topic = ms_report_clean(o->a, v->topic ? v->topic : "");
	const char *label = ms_report_clean(o->a, v->topic_label);
	char when[64];

	ms_buf_adds(&o->b, "## ");
	if (label && *label) {
		md_text(&o->b, label);
		ms_buf_addc(&o->b, ' ');
	}
	md_code(&o->b, topic, 0);
	ms_buf_adds(&o->b, "\n\n");
	ms_report_time(v->generated, 0, when, sizeof(when));
	ms_buf_addf(&o->b, "%zu candidate%s", v->ncands,
		    v->ncands == 1 ? "" : "s");
	if (*when)
		ms_buf_addf(&o->b, ", ranked %s", when);
	ms_buf_adds(&o->b, ".\n\n");
	flush(o);
	if (!v->ncands)
		return;
	ranking(o, v);
	flush(o);
	for (size_t r = 0; r < v->ncands; r++) {
		candidate(o, &v->cands[r], r);
		flush(o);
	}
}

int
ms_report_md(FILE *f, struct ms_view *const *views, size_t nviews,
	     const struct ms_report_opts *opts)
{
	struct ms_arena a;
	struct out o = { f, &a, MS_BUF_INIT((size_t)64 << 20) };
	int64_t latest = 0;
	char when[64];

	(void)opts;
	ms_arena_init(&a);
	for (size_t i = 0; i < nviews; i++)
		if (views[i]->generated > latest)
			latest = views[i]->generated;
	ms_report_time(latest, 0, when, sizeof(when));
	ms_buf_adds(&o.b, "# Mentor candidates\n\n");
	if (*when)
		ms_buf_addf(&o.b, "Ranked %s by mentorscout from public feeds "
				  "and comment threads.\n\n", when);
	ms_buf_adds(&o.b, "Each signal is between 0 and 1; the score "
			  "weighs them together.\n\n");
	for (size_t i = 0; i < MS_SIGNALS; i++)
		ms_buf_addf(&o.b, "- **%s**: %s\n", ms_report_signals[i].label,
			    ms_report_signals[i].legend);
	ms_buf_addc(&o.b, '\n');
	flush(&o);
	for (size_t i = 0; i < nviews && !ferror(f); i++)
		view(&o, views[i]);
	ms_buf_release(&o.b);
	ms_arena_release(&a);
	return ferror(f) ? MS_EIO : MS_OK;
}
