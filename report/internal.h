/*
 * internal.h — what the report's files share among themselves; nothing
 * outside report/ includes it.
 *
 *   report.c  ms_report_format, ms_report_write (dispatch), cleaning of
 *             feed-derived strings, display width and truncation, the link
 *             check, dates, the signal and evidence tables
 *   text.c    the terminal table (discover) and the detail (explain)
 *   json.c    DESIGN.md's `discover --format json` (jansson)
 *   md.c      Markdown
 *   html.c    one self-contained HTML5 file
 */
#ifndef MS_REPORT_INTERNAL_H
#define MS_REPORT_INTERNAL_H

#include "ranker/ranker.h"
#include "report/report.h"
#include "util/arena.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most bytes of one feed-derived string a report carries; longer
 * strings are cut on a UTF-8 boundary and end in "…". */
#define MS_REPORT_FIELD_MAX 4096

/*
 * s made safe to show anywhere: valid UTF-8 (bad bytes become U+FFFD),
 * without C0/C1 controls, DEL, escape sequences (CSI, OSC, ...) or bidi
 * embeddings/overrides/isolates (U+202A-202E, U+2066-2069), whitespace runs
 * collapsed to one space and trimmed, at most MS_REPORT_FIELD_MAX bytes.
 * NULL for NULL; "" stays "".  The result lives in a.
 */
char *ms_report_clean(struct ms_arena *a, const char *s);

/* The first character of clean UTF-8 s (not at its end): its length in
 * bytes, and its display columns in *cols. */
size_t ms_report_char(const char *s, size_t *cols);

/* Display columns of clean UTF-8 (East Asian wide: 2, combining: 0). */
size_t ms_report_cols(const char *s);

/*
 * Append s (clean UTF-8) to b in at most cols display columns, cut on a
 * character boundary with "…" when it does not fit; pad with spaces to
 * exactly cols when pad is set.  Returns the columns appended.
 */
size_t ms_report_fit(struct ms_buf *b, const char *s, size_t cols, int pad);
/* s fitted into at most cols columns (ms_report_fit), copied into a: a
 * table cell stays readable while the card below shows the whole text. */
const char *ms_report_cut(struct ms_arena *a, const char *s, size_t cols);

/*
 * 1 when url may become a link: an absolute http or https URL with a host,
 * as libcurl's URL parser accepts it, and nothing a cleaner would change
 * (no controls, no spaces).  Everything else (javascript:, data:, relative,
 * malformed) is shown as text.
 */
int ms_report_link_ok(const char *url);

/* url for display: without "http://" or "https://" and without the "/"
 * of an empty path; NULL for NULL.  Lives in a. */
const char *ms_report_short_url(struct ms_arena *a, const char *url);

/* t (Unix seconds) as "2024-05-01T10:00:00Z" (rfc3339) or "2024-05-01
 * 10:00 UTC"; "" for t <= 0 or a time gmtime cannot represent. */
void ms_report_time(int64_t t, int rfc3339, char *out, size_t outsz);

/* A seconds count as "45 s", "12 min", "5 h", "3 d". */
void ms_report_duration(int64_t s, char *out, size_t outsz);

/* The best name to show: name, else site, else feed, else the person id
 * (not cleaned). */
const char *ms_report_display_name(const struct ms_candidate *c);

/* Indices of the up to n strongest finite signals, strongest first
 * (ties in enum order); returns how many. */
size_t ms_report_top_signals(const struct ms_candidate *c, size_t *idx,
			     size_t n);

/* Names of the ranker's enums, NULL when out of range or none. */
const char *ms_report_step_name(enum ms_step_action a);
const char *ms_report_stage_name(enum ms_stage s);
const char *ms_report_role_name(enum ms_role r);

/* Per signal, in enum ms_signal order: a short label for the terminal,
 * the label for documents and the one-line legend. */
struct ms_report_signal {
	const char *abbr;
	const char *label;
	const char *legend;
};
extern const struct ms_report_signal ms_report_signals[MS_SIGNALS];

/* Per evidence count, in enum ms_evidence order: how documents label it;
 * seconds counts are shown as durations. */
struct ms_report_evidence {
	const char *label;
	int seconds;
};
extern const struct ms_report_evidence ms_report_evidence[MS_EVIDENCE];

/* The writers; each returns MS_OK or MS_EIO. */
int ms_report_text(FILE *f, struct ms_view *const *views, size_t nviews,
		   const struct ms_report_opts *o);
int ms_report_json(FILE *f, struct ms_view *const *views, size_t nviews,
		   const struct ms_report_opts *o);
int ms_report_md(FILE *f, struct ms_view *const *views, size_t nviews,
		 const struct ms_report_opts *o);
int ms_report_html(FILE *f, struct ms_view *const *views, size_t nviews,
		   const struct ms_report_opts *o);

#endif
