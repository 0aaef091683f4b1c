/*
 * report.h — one file per output format (sfeed): text.c (a terminal table),
 * json.c (DESIGN.md's `discover --format json`), md.c, html.c (one
 * self-contained file: inline CSS, no scripts or external assets).
 *
 * Every feed-derived string is escaped for its format; only http and https
 * links are emitted; terminal output has control characters stripped (no
 * escape-sequence injection from titles).
 */
#ifndef MS_REPORT_REPORT_H
#define MS_REPORT_REPORT_H

#include <stdio.h>

struct ms_view;

enum ms_report_format {
	MS_FMT_TEXT, MS_FMT_JSON, MS_FMT_MD, MS_FMT_HTML,
};

/* "text", "json", "md", "html" → format; -1 when unknown. */
int ms_report_format(const char *name);

struct ms_report_opts {
	int width;		/* terminal columns for text (0: 80;
				   fewer than 20 count as 20) */
	int color;		/* text: may use colour (a TTY) */
	int detail;		/* explain: every step, evidence and note */
	int topics;		/* json: the {"generated", "topics": [...]}
				   form even for one view (report without
				   --topic); always used for 0 or 2+ views */
};

/*
 * Write the views (one per topic) to f, then flush it.  Returns MS_OK,
 * MS_EIO when writing failed (the caller names the file; a full disk is a
 * failure), or MS_EUSAGE for an unknown fmt.  o may be NULL (80 columns,
 * no colour, no detail).
 *
 * json: one view is DESIGN.md's `discover --format json` object
 *   {"topic", "generated", "candidates": [{"rank", "person", "name",
 *   "site", "feed", "profiles", "score", "signals", "evidence", "steps",
 *   "stage", "role", "role_why", "notes"}]}; several views (or o->topics)
 *   are {"generated": the latest view's, "topics": [one such object per
 *   view]}.  Absent values are omitted: a NULL string, a non-finite
 *   signal or score, a negative evidence count (unknown), stage/role NONE,
 *   no notes.  "profiles" and "steps" are always arrays.  Step objects are
 *   {"action", "url", "title" (when present), "why"}.
 *
 * Every format shows feed-derived strings cleaned (no control characters,
 * escape sequences or bidi overrides; valid UTF-8); md and html link only
 * absolute http(s) URLs and show any other URL as text.
 */
int ms_report_write(FILE *f, enum ms_report_format fmt,
		    struct ms_view *const *views, size_t nviews,
		    const struct ms_report_opts *o);

#endif
