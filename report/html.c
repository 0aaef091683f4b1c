/*
 * html.c — the report as one self-contained HTML5 file: inline CSS, no
 * scripts, no external assets (a strict Content-Security-Policy says so
 * to the browser), so it can be mailed or opened from disk tonight.
 *
 * Per topic: the ranking table, then a card per candidate with signal
 * bars, facts, evidence, steps as links and notes.  Every feed-derived
 * string is cleaned and then escaped (& < > " ' in text and attributes);
 * only absolute http(s) URLs become href values, with
 * rel="noopener noreferrer nofollow"; anything else (javascript:, data:,
 * relative, malformed) is shown as text.  In-page anchors are not used,
 * so every href in the file is an http(s) URL.
 */
#include "report/internal.h"
#include "util/err.h"

#include <math.h>
#include <string.h>

#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#define REL "noopener noreferrer nofollow"

static const char css[] =
	":root{--fg:#1f2328;--muted:#59636e;--bg:#f6f7f9;--card:#fff;"
	"--line:#dde1e6;--accent:#0b63c5;--bar:#2f9e6e;--track:#e6e9ee;"
	"--badge:#eef3fb}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;"
	"--muted:#9aa4af;--bg:#14171a;--card:#1c2024;--line:#30363d;"
	"--accent:#79b4f2;--bar:#4cc08e;--track:#2b3137;--badge:#22303f}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font:16px/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Noto Sans\",\"Noto Sans CJK JP\",sans-serif}\n"
	"main{max-width:1120px;margin:0 auto;padding:2rem 1.25rem 4rem}\n"
	"h1{font-size:1.9rem;margin:0 0 .2rem;letter-spacing:-.01em}\n"
	"h2{font-size:1.45rem;margin:2.5rem 0 .2rem;padding-top:1rem;"
	"border-top:2px solid var(--line)}\n"
	"h3{font-size:1.15rem;margin:0 0 .4rem;overflow-wrap:anywhere}\n"
	"h4{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;"
	"color:var(--muted);margin:1rem 0 .4rem}\n"
	"a{color:var(--accent);overflow-wrap:anywhere}\n"
	"code,.nolink{font-family:ui-monospace,\"DejaVu Sans Mono\","
	"monospace;font-size:.88em;overflow-wrap:anywhere}\n"
	".nolink{color:var(--muted)}\n"
	".meta{color:var(--muted);margin:.2rem 0 1rem}\n"
	".legend{background:var(--card);border:1px solid var(--line);"
	"border-radius:10px;padding:.8rem 1.1rem;margin:1.2rem 0}\n"
	".legend dl{display:grid;grid-template-columns:max-content 1fr;"
	"gap:.15rem 1rem;margin:.4rem 0 0}\n"
	".legend dt{font-weight:600}.legend dd{margin:0;color:var(--muted)}\n"
	".legend p{margin:0;color:var(--muted)}\n"
	"table{border-collapse:collapse}\n"
	".rank{width:100%;background:var(--card);border:1px solid "
	"var(--line);border-radius:10px;overflow:hidden;"
	"margin:.5rem 0 1.5rem}\n"
	".rank th,.rank td{text-align:left;padding:.5rem .7rem;"
	"border-bottom:1px solid var(--line);vertical-align:top}\n"
	".rank th{font-size:.8rem;text-transform:uppercase;"
	"letter-spacing:.05em;color:var(--muted);font-weight:600}\n"
	".rank tr:last-child td{border-bottom:0}\n"
	".rank td.name{font-weight:600;max-width:16rem}\n"
	".rank td{overflow-wrap:break-word}\n"
	".rank td a{overflow-wrap:break-word}\n"
	".rank td.site,.rank td.step{max-width:18rem}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n"
	".small{font-size:.88rem;color:var(--muted)}\n"
	".bar{display:inline-block;width:5.5rem;height:.5rem;"
	"background:var(--track);border-radius:.25rem;overflow:hidden;"
	"vertical-align:middle;margin-left:.4rem}\n"
	".bar>span{display:block;height:100%;background:var(--bar)}\n"
	".card{background:var(--card);border:1px solid var(--line);"
	"border-radius:12px;padding:1.1rem 1.3rem;margin:1rem 0}\n"
	".card .pos{color:var(--muted);margin-right:.4rem}\n"
	".card .score{float:right;font-variant-numeric:tabular-nums}\n"
	".badge{display:inline-block;background:var(--badge);"
	"border-radius:1rem;padding:.05rem .6rem;font-size:.82rem;"
	"margin:0 .3rem .3rem 0}\n"
	".facts{display:grid;grid-template-columns:max-content 1fr;"
	"gap:.1rem 1rem;margin:.3rem 0}\n"
	".facts dt{color:var(--muted)}.facts dd{margin:0;"
	"overflow-wrap:anywhere}\n"
	".cols{display:grid;grid-template-columns:1fr 1fr;gap:0 2rem}\n"
	"@media (max-width:720px){.cols{grid-template-columns:1fr}"
	".rank td.site,.rank th.site,.rank td.sig,.rank th.sig{display:none}}\n"
	".signals{display:grid;grid-template-columns:8.5rem 1fr 2.8rem;"
	"gap:.2rem .6rem;align-items:center}\n"
	".signals .bar{width:100%;margin:0}\n"
	".evidence td,.evidence th{padding:.1rem .4rem .1rem 0;"
	"font-weight:normal;text-align:left}\n"
	".evidence td{text-align:right;font-variant-numeric:tabular-nums}\n"
	".steps{margin:.2rem 0;padding-left:1.4rem}\n"
	".steps li{margin:.25rem 0}\n"
	".why{display:block;color:var(--muted);font-size:.9rem}\n"
	".notes{margin:.2rem 0;padding-left:1.2rem;color:var(--muted)}\n"
	"footer{margin-top:3rem;color:var(--muted);font-size:.85rem}\n";

struct out {
	FILE *f;
	struct ms_arena *a;
	struct ms_buf b;
};

/* s escaped for text and for quoted attribute values alike. */
static void
esc(struct ms_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': ms_buf_adds(b, "&amp;"); break;
		case '<': ms_buf_adds(b, "&lt;"); break;
		case '>': ms_buf_adds(b, "&gt;"); break;
		case '"': ms_buf_adds(b, "&quot;"); break;
		case '\'': ms_buf_adds(b, "&#39;"); break;
		default: ms_buf_addc(b, *s); break;
		}
	}
}

/* A feed-derived string, cleaned and escaped. */
static void
text(struct out *o, const char *s)
{
	esc(&o->b, ms_report_clean(o->a, s));
}

/* url as a link showing label (else the URL without its scheme); a URL
 * that is not http(s) is shown as text, never as an href. */
static void
link(struct out *o, const char *url, const char *label)
{
	const char *u = ms_report_clean(o->a, url);
	const char *l = ms_report_clean(o->a, label);

	if (!u || !*u) {
		esc(&o->b, l);
		return;
	}
	if (!ms_report_link_ok(u)) {
		if (l && *l) {
			esc(&o->b, l);
			ms_buf_addc(&o->b, ' ');
		}
		ms_buf_adds(&o->b, "<span class=\"nolink\" title=\"not a web "
				   "link, not made clickable\">");
		esc(&o->b, u);
		ms_buf_adds(&o->b, "</span>");
		return;
	}
	ms_buf_adds(&o->b, "<a href=\"");
	esc(&o->b, u);
	ms_buf_adds(&o->b, "\" rel=\"" REL "\">");
	esc(&o->b, l && *l ? l : ms_report_short_url(o->a, u));
	ms_buf_adds(&o->b, "</a>");
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

/* A bar as wide as v (0..1) of its track. */
static void
bar(struct ms_buf *b, double v)
{
	if (!isfinite(v))
		return;
	if (v < 0)
		v = 0;
	if (v > 1)
		v = 1;
	ms_buf_addf(b, "<span class=\"bar\" aria-hidden=\"true\"><span "
		       "style=\"width:%.0f%%\"></span></span>", v * 100);
}

static unsigned
rank_of(const struct ms_candidate *c, size_t r)
{
	return c->rank ? c->rank : (unsigned)r + 1;
}

static void
ranking(struct out *o, const struct ms_view *v)
{
	ms_buf_adds(&o->b, "<table class=\"rank\">\n<thead><tr><th class=\""
			   "num\">#</th><th>Name</th><th class=\"num\">Score"
			   "</th><th class=\"sig\">Strongest signals</th>"
			   "<th class=\"site\">Site</th><th>First step</th>"
			   "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < v->ncands; r++) {
		const struct ms_candidate *c = &v->cands[r];
		size_t idx[3], n = ms_report_top_signals(c, idx, 3);

		ms_buf_addf(&o->b, "<tr><td class=\"num\">%u</td>"
				   "<td class=\"name\">", rank_of(c, r));
		esc(&o->b, ms_report_cut(o->a, ms_report_clean(o->a,
					ms_report_display_name(c)), 80));
		ms_buf_adds(&o->b, "</td><td class=\"num\">");
		num(&o->b, c->score);
		bar(&o->b, c->score);
		ms_buf_adds(&o->b, "</td><td class=\"sig small\">");
		for (size_t i = 0; i < n; i++)
			ms_buf_addf(&o->b, "%s%s %.2f", i ? "<br>" : "",
				    ms_report_signals[idx[i]].label,
				    c->signals[idx[i]]);
		ms_buf_adds(&o->b, "</td><td class=\"site\">");
		link(o, c->site, NULL);
		ms_buf_adds(&o->b, "</td><td class=\"step\">");
		for (size_t i = 0; i < c->nsteps; i++) {
			const struct ms_step *s = &c->steps[i];
			const char *act = ms_report_step_name(s->action);

			if (!act)
				continue;
			ms_buf_adds(&o->b, "<strong>");
			esc(&o->b, act);
			ms_buf_adds(&o->b, "</strong> ");
			link(o, s->url, s->title);
			break;
		}
		ms_buf_adds(&o->b, "</td></tr>\n");
	}
	ms_buf_adds(&o->b, "</tbody>\n</table>\n");
}

static void
fact(struct out *o, const char *label, const char *url)
{
	if (!url || !*url)
		return;
	ms_buf_addf(&o->b, "<dt>%s</dt><dd>", label);
	link(o, url, NULL);
	ms_buf_adds(&o->b, "</dd>\n");
}

static void
card_facts(struct out *o, const struct ms_candidate *c)
{
	const char *lang = ms_report_clean(o->a, c->lang);
	const char *stage = ms_report_stage_name(c->stage);
	const char *role = ms_report_role_name(c->role);

	if (stage || role) {
		ms_buf_adds(&o->b, "<p>");
		/* The ranker's names are ours, but escaping costs nothing. */
		if (stage) {
			ms_buf_adds(&o->b, "<span class=\"badge\">stage: ");
			esc(&o->b, stage);
			ms_buf_adds(&o->b, "</span>");
		}
		if (role) {
			ms_buf_adds(&o->b, "<span class=\"badge\">role: ");
			esc(&o->b, role);
			ms_buf_adds(&o->b, "</span> ");
			text(o, c->role_why);
		}
		ms_buf_adds(&o->b, "</p>\n");
	}
	ms_buf_adds(&o->b, "<dl class=\"facts\">\n");
	fact(o, "Site", c->site);
	fact(o, "Feed", c->feed);
	if (c->nprofiles) {
		ms_buf_adds(&o->b, "<dt>Profiles</dt><dd>");
		for (size_t i = 0; i < c->nprofiles; i++) {
			if (i)
				ms_buf_adds(&o->b, " · ");
			link(o, c->profiles[i], NULL);
		}
		ms_buf_adds(&o->b, "</dd>\n");
	}
	if (lang && *lang) {
		ms_buf_adds(&o->b, "<dt>Writes in</dt><dd>");
		esc(&o->b, lang);
		ms_buf_adds(&o->b, "</dd>\n");
	}
	if (c->person[0]) {
		ms_buf_adds(&o->b, "<dt>ID</dt><dd><code>");
		text(o, c->person);
		ms_buf_adds(&o->b, "</code></dd>\n");
	}
	ms_buf_adds(&o->b, "</dl>\n");
}

static void
card_numbers(struct out *o, const struct ms_candidate *c)
{
	int any = 0;

	ms_buf_adds(&o->b, "<div class=\"cols\">\n<div><h4>Signals</h4>"
			   "<div class=\"signals\">\n");
	for (size_t i = 0; i < MS_SIGNALS; i++) {
		ms_buf_addf(&o->b, "<span title=\"%s\">%s</span>",
			    ms_report_signals[i].legend,
			    ms_report_signals[i].label);
		ms_buf_adds(&o->b, "<span>");
		bar(&o->b, c->signals[i]);
		ms_buf_adds(&o->b, "</span><span class=\"num\">");
		num(&o->b, c->signals[i]);
		ms_buf_adds(&o->b, "</span>\n");
	}
	ms_buf_adds(&o->b, "</div></div>\n<div>");
	for (size_t i = 0; i < MS_EVIDENCE; i++) {
		char d[32];

		if (c->evidence[i] < 0)
			continue;
		if (!any++)
			ms_buf_adds(&o->b, "<h4>Evidence</h4>"
					   "<table class=\"evidence\">\n");
		if (ms_report_evidence[i].seconds)
			ms_report_duration(c->evidence[i], d, sizeof(d));
		else
			snprintf(d, sizeof(d), "%lld",
				 (long long)c->evidence[i]);
		ms_buf_addf(&o->b, "<tr><th>%s</th><td>%s</td></tr>\n",
			    ms_report_evidence[i].label, d);
	}
	if (any)
		ms_buf_adds(&o->b, "</table>");
	ms_buf_adds(&o->b, "</div>\n</div>\n");
}

static void
card(struct out *o, const struct ms_candidate *c, size_t r)
{
	int any = 0;

	ms_buf_addf(&o->b, "<article class=\"card\">\n<h3><span class=\""
			   "pos\">%u.</span>", rank_of(c, r));
	text(o, ms_report_display_name(c));
	ms_buf_adds(&o->b, "<span class=\"score\">");
	num(&o->b, c->score);
	bar(&o->b, c->score);
	ms_buf_adds(&o->b, "</span></h3>\n");
	card_facts(o, c);
	card_numbers(o, c);
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct ms_step *s = &c->steps[i];
		const char *act = ms_report_step_name(s->action);
		const char *why = ms_report_clean(o->a, s->why);

		if (!act)
			continue;
		if (!any++)
			ms_buf_adds(&o->b, "<h4>Next steps</h4>\n"
					   "<ol class=\"steps\">\n");
		ms_buf_adds(&o->b, "<li><strong>");
		esc(&o->b, act);
		ms_buf_adds(&o->b, "</strong> ");
		link(o, s->url, s->title);
		if (why && *why) {
			ms_buf_adds(&o->b, "<span class=\"why\">");
			esc(&o->b, why);
			ms_buf_adds(&o->b, "</span>");
		}
		ms_buf_adds(&o->b, "</li>\n");
	}
	if (any)
		ms_buf_adds(&o->b, "</ol>\n");
	any = 0;
	for (size_t i = 0; i < c->nnotes; i++) {
		const char *note = ms_report_clean(o->a, c->notes[i]);

		if (!note || !*note)
			continue;
		if (!any++)
			ms_buf_adds(&o->b, "<h4>Notes</h4>\n"
					   "<ul class=\"notes\">\n");
		ms_buf_adds(&o->b, "<li>");
		esc(&o->b, note);
		ms_buf_adds(&o->b, "</li>\n");
	}
	if (any)
		ms_buf_adds(&o->b, "</ul>\n");
	ms_buf_adds(&o->b, "</article>\n");
}

static void
view(struct out *o, const struct ms_view *v)
{
	const char *label = ms_report_clean(o->a, v->topic_label);
	char when[64];

	ms_buf_adds(&o->b, "<section>\n<h2>");
	if (label && *label) {
		esc(&o->b, label);
		ms_buf_adds(&o->b, " ");
	}
	ms_buf_adds(&o->b, "<code>");
	text(o, v->topic);
	ms_buf_adds(&o->b, "</code></h2>\n<p class=\"meta\">");
	ms_report_time(v->generated, 0, when, sizeof(when));
	ms_buf_addf(&o->b, "%zu candidate%s", v->ncands,
		    v->ncands == 1 ? "" : "s");
	if (*when)
		ms_buf_addf(&o->b, ", ranked %s", when);
	ms_buf_adds(&o->b, ".</p>\n");
	if (!v->ncands)
		ms_buf_adds(&o->b, "<p>No candidates yet: crawl first, or "
				   "try another topic.</p>\n");
	else
		ranking(o, v);
	flush(o);
	for (size_t r = 0; r < v->ncands; r++) {
		card(o, &v->cands[r], r);
		flush(o);
	}
	ms_buf_adds(&o->b, "</section>\n");
}

static void
head(struct out *o, struct ms_view *const *views, size_t nviews)
{
	int64_t latest = 0;
	char when[64];

	for (size_t i = 0; i < nviews; i++)
		if (views[i]->generated > latest)
			latest = views[i]->generated;
	ms_report_time(latest, 0, when, sizeof(when));
	ms_buf_adds(&o->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			   "<meta charset=\"utf-8\">\n"
			   "<meta http-equiv=\"Content-Security-Policy\" "
			   "content=\"" CSP "\">\n"
			   "<meta name=\"referrer\" content=\"no-referrer\">\n"
			   "<meta name=\"viewport\" content=\"width=device-"
			   "width, initial-scale=1\">\n"
			   "<meta name=\"generator\" content=\"mentorscout\">\n"
			   "<title>Mentor candidates");
	if (nviews == 1) {
		const char *l = ms_report_clean(o->a, views[0]->topic_label);

		ms_buf_adds(&o->b, ": ");
		esc(&o->b, l && *l ? l : ms_report_clean(o->a,
							 views[0]->topic));
	}
	ms_buf_adds(&o->b, "</title>\n<style>\n");
	ms_buf_adds(&o->b, css);
	ms_buf_adds(&o->b, "</style>\n</head>\n<body>\n<main>\n<header>\n"
			   "<h1>Mentor candidates</h1>\n<p class=\"meta\">");
	for (size_t i = 0; i < nviews; i++) {
		const char *l = ms_report_clean(o->a, views[i]->topic_label);

		if (i)
			ms_buf_adds(&o->b, " · ");
		esc(&o->b, l && *l ? l : ms_report_clean(o->a,
							 views[i]->topic));
	}
	if (nviews)
		ms_buf_adds(&o->b, " — ");
	if (*when)
		ms_buf_addf(&o->b, "ranked %s", when);
	else
		ms_buf_adds(&o->b, "not ranked yet");
	ms_buf_adds(&o->b, "</p>\n<div class=\"legend\"><p>Each candidate's "
			   "score weighs six signals, each between 0 and 1:"
			   "</p>\n<dl>\n");
	for (size_t i = 0; i < MS_SIGNALS; i++)
		ms_buf_addf(&o->b, "<dt>%s</dt><dd>%s</dd>\n",
			    ms_report_signals[i].label,
			    ms_report_signals[i].legend);
	ms_buf_adds(&o->b, "</dl>\n</div>\n</header>\n");
	flush(o);
}

int
ms_report_html(FILE *f, struct ms_view *const *views, size_t nviews,
	       const struct ms_report_opts *opts)
{
	struct ms_arena a;
	struct out o = { f, &a, MS_BUF_INIT((size_t)64 << 20) };

	(void)opts;
	ms_arena_init(&a);
	head(&o, views, nviews);
	for (size_t i = 0; i < nviews && !ferror(f); i++) {
		view(&o, views[i]);
		flush(&o);
	}
	ms_buf_adds(&o.b, "<footer>Made by mentorscout from public feeds and "
			  "comment threads. Links to web pages only; anything "
			  "else is shown as text.</footer>\n</main>\n</body>\n"
			  "</html>\n");
	flush(&o);
	ms_buf_release(&o.b);
	ms_arena_release(&a);
	return ferror(f) ? MS_EIO : MS_OK;
}
