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
	int width;		/* terminal columns for text (0: 80) */
	int color;		/* text: may use colour (a TTY) */
	int detail;		/* explain: every step, evidence and note */
};

/*
 * Write the views (one per topic) to f.  Returns MS_OK or MS_EIO when
 * writing failed (the caller names the file).
 */
int ms_report_write(FILE *f, enum ms_report_format fmt,
		    struct ms_view *const *views, size_t nviews,
		    const struct ms_report_opts *o);

#endif
