/*
 * text.c — the terminal output of discover and explain: a table that fits
 * the terminal's width (rank, name, score, the three strongest signals,
 * site, first step), then with detail every field, step, evidence count
 * and note of each candidate, wrapped to the same width.
 *
 * Every feed-derived string passes ms_report_clean first, so a title can
 * never carry an escape sequence to the terminal; the only escapes written
 * are our own bold/dim when o->color is set.
 */
#include "report/internal.h"
#include "util/err.h"

#include <math.h>
#include <string.h>

#define MIN_WIDTH 20	/* narrower terminals are treated as this wide */
#define GAP 2		/* spaces between columns */

enum col { COL_RANK, COL_NAME, COL_SCORE, COL_SIGNALS, COL_SITE, COL_STEP,
	   NCOLS };

/*
 * The table's columns in display order.  drop: the order in which columns
 * are given up when the terminal is too narrow (1 first, 0 never); the
 * site goes first because the first step usually names the site too.
 * min: the fewest columns a kept column is squeezed to (0: it is shown
 * whole or not at all: numbers are useless cut); enough: what a column
 * gets before any other grows past its own (0: all it needs), so one very
 * long name does not squeeze the signals.
 */
static const struct {
	const char *head;
	int right;
	int drop;
	size_t min;
	size_t enough;
} cols[NCOLS] = {
	[COL_RANK] = { "#", 1, 0, 0, 0 },
	[COL_NAME] = { "NAME", 0, 0, 14, 28 },
	[COL_SCORE] = { "SCORE", 1, 4, 0, 0 },
	[COL_SIGNALS] = { "STRONGEST SIGNALS", 0, 2, 0, 0 },
	[COL_SITE] = { "SITE", 0, 1, 20, 28 },
	[COL_STEP] = { "FIRST STEP", 0, 3, 16, 36 },
};

/* The order in which spare columns go to the flexible cells. */
static const enum col grow_order[] = { COL_NAME, COL_STEP, COL_SITE,
				       COL_SIGNALS };

struct out {
	FILE *f;
	size_t width;
	int color;
	struct ms_arena *a;
	struct ms_buf line;
};

static void
emit(struct out *o, const char *bold_or_null)
{
	size_t n = o->line.len;

	/* Trailing padding helps nobody and wraps some terminals. */
	while (n && o->line.data[n - 1] == ' ')
		n--;
	if (bold_or_null && o->color)
		fputs(bold_or_null, o->f);
	if (n)
		fwrite(o->line.data, 1, n, o->f);
	if (bold_or_null && o->color)
		fputs("\x1b[0m", o->f);
	fputc('\n', o->f);
	ms_buf_reset(&o->line);
}

/* A line cut to the width. */
static void
emit_fit(struct out *o, const char *s, const char *style)
{
	ms_report_fit(&o->line, s, o->width, 0);
	emit(o, style);
}

static const char *
first_step(struct ms_arena *a, const struct ms_candidate *c)
{
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct ms_step *s = &c->steps[i];
		const char *act = ms_report_step_name(s->action);
		const char *what;

		if (!act)
			continue;
		if (s->title && *s->title)
			what = ms_report_clean(a, s->title);
		else
			what = ms_report_short_url(a,
					ms_report_clean(a, s->url));
		return what && *what ? ms_arena_printf(a, "%s: %s", act, what)
				     : act;
	}
	return "";
}

static const char *
signals_cell(struct ms_arena *a, const struct ms_candidate *c)
{
	size_t idx[3], n = ms_report_top_signals(c, idx, 3);
	struct ms_buf b = MS_BUF_INIT(256);
	const char *res;

	for (size_t i = 0; i < n; i++)
		ms_buf_addf(&b, "%s%s %.2f", i ? " " : "",
			    ms_report_signals[idx[i]].abbr,
			    c->signals[idx[i]]);
	res = ms_arena_strdup(a, ms_buf_str(&b));
	ms_buf_release(&b);
	return res;
}

static const char *
score_str(struct ms_arena *a, double v)
{
	return isfinite(v) ? ms_arena_printf(a, "%.2f", v) : "-";
}

/* Column widths for the cells; 0 for a dropped column. */
static void
layout(const char *const *cells, size_t nrows, size_t width,
       size_t *w)
{
	size_t nat[NCOLS], need, ncols, spare;
	int active[NCOLS];

	for (int c = 0; c < NCOLS; c++) {
		nat[c] = ms_report_cols(cols[c].head);
		for (size_t r = 0; r < nrows; r++) {
			size_t cw = ms_report_cols(cells[r * NCOLS + c]);

			if (cw > nat[c])
				nat[c] = cw;
		}
		w[c] = cols[c].min && cols[c].min < nat[c] ? cols[c].min
							   : nat[c];
		active[c] = 1;
	}
	for (;;) {
		int victim = -1;

		need = 0;
		ncols = 0;
		for (int c = 0; c < NCOLS; c++)
			if (active[c]) {
				need += w[c];
				ncols++;
			}
		need += GAP * (ncols - 1);
		if (need <= width)
			break;
		for (int c = 0; c < NCOLS; c++)
			if (active[c] && cols[c].drop &&
			    (victim < 0 || cols[c].drop < cols[victim].drop))
				victim = c;
		if (victim < 0) {
			/* Only rank and name are left: the name takes what
			 * remains (MIN_WIDTH leaves it at least a few). */
			w[COL_NAME] = width - w[COL_RANK] - GAP;
			need = width;
			break;
		}
		active[victim] = 0;
	}
	for (int c = 0; c < NCOLS; c++)
		if (!active[c])
			w[c] = 0;
	spare = width - need;
	for (int phase = 0; phase < 2 && spare; phase++) {
		for (;;) {
			int grew = 0;

			for (size_t i = 0; spare && i < sizeof(grow_order) /
						 sizeof(*grow_order); i++) {
				enum col c = grow_order[i];
				size_t cap = nat[c];

				if (!phase && cols[c].enough &&
				    cols[c].enough < cap)
					cap = cols[c].enough;
				if (active[c] && w[c] < cap) {
					w[c]++;
					spare--;
					grew = 1;
				}
			}
			if (!grew || !spare)
				break;
		}
	}
}

static void
row(struct out *o, const char *const *cell, const size_t *w,
    const char *style)
{
	int first = 1;

	for (int c = 0; c < NCOLS; c++) {
		size_t cw;

		if (!w[c])
			continue;
		if (!first)
			ms_buf_adds(&o->line, "  ");
		first = 0;
		cw = ms_report_cols(cell[c]);
		if (cols[c].right && cw < w[c]) {
			for (size_t i = cw; i < w[c]; i++)
				ms_buf_addc(&o->line, ' ');
			ms_buf_adds(&o->line, cell[c]);
		} else {
			ms_report_fit(&o->line, cell[c], w[c], 1);
		}
	}
	emit(o, style);
}

static void
heading(struct out *o, const struct ms_view *v)
{
	struct ms_arena *a = o->a;
	const char *topic = ms_report_clean(a, v->topic ? v->topic : "");
	const char *label = ms_report_clean(a, v->topic_label);
	char when[64];
	const char *s;

	ms_report_time(v->generated, 0, when, sizeof(when));
	if (label && *label && strcmp(label, topic))
		s = ms_arena_printf(a, "%s (%s)", label, topic);
	else
		s = topic;
	s = ms_arena_printf(a, "%s: %zu candidate%s%s%s", s, v->ncands,
			    v->ncands == 1 ? "" : "s", *when ? ", ranked " : "",
			    when);
	emit_fit(o, s, "\x1b[1m");
}

static void
table(struct out *o, const struct ms_view *v)
{
	struct ms_arena *a = o->a;
	const char **cells;
	size_t w[NCOLS];
	const char *head[NCOLS];

	if (!v->ncands) {
		emit_fit(o, "no candidates yet (crawl first, or try another "
			    "topic)", NULL);
		return;
	}
	cells = ms_arena_alloc(a, v->ncands * NCOLS * sizeof(*cells));
	for (size_t r = 0; r < v->ncands; r++) {
		const struct ms_candidate *c = &v->cands[r];
		const char **cell = cells + r * NCOLS;

		cell[COL_RANK] = ms_arena_printf(a, "%u",
						 c->rank ? c->rank
							 : (unsigned)r + 1);
		cell[COL_NAME] = ms_report_clean(a, ms_report_display_name(c));
		cell[COL_SCORE] = score_str(a, c->score);
		cell[COL_SIGNALS] = signals_cell(a, c);
		cell[COL_SITE] = c->site ? ms_report_short_url(a,
						ms_report_clean(a, c->site))
					 : "";
		cell[COL_STEP] = first_step(a, c);
	}
	layout(cells, v->ncands, o->width, w);
	for (int c = 0; c < NCOLS; c++)
		head[c] = cols[c].head;
	row(o, head, w, "\x1b[2m");
	for (size_t r = 0; r < v->ncands; r++)
		row(o, cells + r * NCOLS, w, NULL);
}

/*
 * text as lines of at most o->width columns: the first line starts with
 * first, the others with rest (both the same width); words are kept whole
 * when they fit, longer ones (URLs) are split between characters.
 */
static void
wrap(struct out *o, const char *first, const char *rest, const char *text)
{
	size_t indent = ms_report_cols(first);
	size_t avail = o->width > indent ? o->width - indent : 1;
	size_t used = 0;
	const char *p = text;

	ms_buf_adds(&o->line, first);
	if (ms_report_cols(text) <= avail) {	/* keeps any alignment */
		ms_buf_adds(&o->line, text);
		emit(o, NULL);
		return;
	}
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t wl = end ? (size_t)(end - p) : strlen(p);
		char *word = ms_arena_strndup(o->a, p, wl);
		size_t ww = ms_report_cols(word);

		if (used && used + 1 + ww > avail) {
			emit(o, NULL);
			ms_buf_adds(&o->line, rest);
			used = 0;
		}
		if (used) {
			ms_buf_addc(&o->line, ' ');
			used++;
		}
		/* A word wider than a line (a URL): as many characters as
		 * fit on each line. */
		while (ww > avail - used) {
			const char *q = word;
			size_t cw = 0, wc, ch;

			while (*q) {
				ch = ms_report_char(q, &wc);
				if (cw + wc > avail - used)
					break;
				cw += wc;
				q += ch;
			}
			if (q == word)	/* never loop without progress */
				q += ms_report_char(q, &wc);
			ms_buf_add(&o->line, word, (size_t)(q - word));
			emit(o, NULL);
			ms_buf_adds(&o->line, rest);
			used = 0;
			word = (char *)q;
			ww = ms_report_cols(word);
		}
		ms_buf_adds(&o->line, word);
		used += ww;
		p += wl;
		while (*p == ' ')
			p++;
	}
	emit(o, NULL);
}

/* "   label       value", wrapped under the value. */
static void
field(struct out *o, const char *label, const char *value)
{
	char first[32];

	if (!value || !*value)
		return;
	snprintf(first, sizeof(first), "   %-12s", label);
	wrap(o, first, "               ", value);
}

static void
detail(struct out *o, const struct ms_candidate *c, size_t r)
{
	struct ms_arena *a = o->a;
	struct ms_buf b = MS_BUF_INIT(1 << 20);
	const char *stage = ms_report_stage_name(c->stage);
	const char *role = ms_report_role_name(c->role);
	size_t shown;

	emit(o, NULL);
	ms_buf_addf(&b, "%u. %s  score %s", c->rank ? c->rank
						     : (unsigned)r + 1,
		    ms_report_clean(a, ms_report_display_name(c)),
		    score_str(a, c->score));
	emit_fit(o, ms_buf_str(&b), "\x1b[1m");
	ms_buf_reset(&b);
	field(o, "site", ms_report_clean(a, c->site));
	field(o, "feed", ms_report_clean(a, c->feed));
	for (size_t i = 0; i < c->nprofiles; i++)
		ms_buf_addf(&b, "%s%s", i ? " " : "",
			    ms_report_clean(a, c->profiles[i]));
	field(o, "profiles", ms_buf_str(&b));
	ms_buf_reset(&b);
	field(o, "language", ms_report_clean(a, c->lang));
	field(o, "stage", stage);
	if (role) {
		const char *why = ms_report_clean(a, c->role_why);

		field(o, "role", why && *why ? ms_arena_printf(a, "%s: %s",
							       role, why)
					     : role);
	}
	for (size_t i = 0; i < MS_SIGNALS; i++)
		if (isfinite(c->signals[i]))
			ms_buf_addf(&b, "%s%s %.2f", b.len ? ", " : "",
				    ms_report_signals[i].label,
				    c->signals[i]);
	field(o, "signals", ms_buf_str(&b));
	ms_buf_reset(&b);
	/* One count a line, values aligned, when the width allows. */
	for (size_t i = 0; i < MS_EVIDENCE; i++) {
		char d[32], first[64];

		if (c->evidence[i] < 0)
			continue;
		if (ms_report_evidence[i].seconds)
			ms_report_duration(c->evidence[i], d, sizeof(d));
		else
			snprintf(d, sizeof(d), "%lld",
				 (long long)c->evidence[i]);
		snprintf(first, sizeof(first), "   %-12s",
			 b.len ? "" : "evidence");
		ms_buf_addc(&b, 'x');	/* only marks "not the first" */
		if (o->width >= 60)
			wrap(o, first, "               ", ms_arena_printf(a,
				"%-26s %8s", ms_report_evidence[i].label, d));
		else
			wrap(o, first, "               ", ms_arena_printf(a,
				"%s %s", ms_report_evidence[i].label, d));
	}
	ms_buf_reset(&b);
	if (c->nsteps)
		emit_fit(o, "   steps", NULL);
	shown = 0;
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct ms_step *s = &c->steps[i];
		const char *act = ms_report_step_name(s->action);
		const char *title = ms_report_clean(a, s->title);
		const char *url = ms_report_clean(a, s->url);
		const char *why = ms_report_clean(a, s->why);
		char first[32];

		if (!act)
			continue;
		ms_buf_adds(&b, act);
		if (title && *title)
			ms_buf_addf(&b, " \"%s\"", title);
		if (url && *url)
			ms_buf_addf(&b, " %s", url);
		snprintf(first, sizeof(first), "     %zu. ", ++shown);
		wrap(o, first, "        ", ms_buf_str(&b));
		ms_buf_reset(&b);
		if (why && *why)
			wrap(o, "        ", "        ", why);
	}
	if (c->nnotes)
		emit_fit(o, "   notes", NULL);
	for (size_t i = 0; i < c->nnotes; i++) {
		const char *note = ms_report_clean(a, c->notes[i]);

		if (note && *note)
			wrap(o, "     - ", "       ", note);
	}
	ms_buf_release(&b);
}

int
ms_report_text(FILE *f, struct ms_view *const *views, size_t nviews,
	       const struct ms_report_opts *opts)
{
	struct ms_arena a;
	struct out o = { f, 80, opts->color, &a, MS_BUF_INIT(1 << 20) };

	if (opts->width > 0)
		o.width = (size_t)opts->width;
	if (o.width < MIN_WIDTH)
		o.width = MIN_WIDTH;
	ms_arena_init(&a);
	for (size_t i = 0; i < nviews; i++) {
		const struct ms_view *v = views[i];

		if (i)
			emit(&o, NULL);
		heading(&o, v);
		table(&o, v);
		if (opts->detail)
			for (size_t r = 0; r < v->ncands; r++)
				detail(&o, &v->cands[r], r);
		if (ferror(f))
			break;
	}
	ms_buf_release(&o.line);
	ms_arena_release(&a);
	return ferror(f) ? MS_EIO : MS_OK;
}
