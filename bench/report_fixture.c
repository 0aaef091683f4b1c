/*
 * report_fixture.c — writes the report of the test fixture view (three
 * candidates: full, missing fields, hostile strings; tests/report/
 * fixture.h) so a real browser can be pointed at it:
 * tests/report/render_check.sh renders it with headless Chromium and checks
 * that the hostile title stays text.
 *
 * usage: report_fixture [html|md|json|text] OUT
 */
#include "report/report.h"
#include "tests/report/fixture.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct ms_view *views[2];
	struct ms_report_opts o = { .width = 100, .detail = 1 };
	const char *out = argc == 3 ? argv[2] : argv[1];
	int fmt = argc == 3 ? ms_report_format(argv[1]) : MS_FMT_HTML;
	int rc;
	FILE *f;

	if (argc < 2 || argc > 3 || fmt < 0) {
		fputs("usage: report_fixture [html|md|json|text] OUT\n",
		      stderr);
		return 2;
	}
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "report_fixture: cannot write '%s': %s\n", out,
			strerror(errno));
		return 1;
	}
	views[0] = fixture_view("hr", "Human resources");
	views[1] = fixture_empty_view("leadership");
	rc = ms_report_write(f, (enum ms_report_format)fmt, views, 2, &o);
	if (fclose(f) == EOF)
		rc = MS_EIO;
	fixture_view_free(views[0]);
	fixture_view_free(views[1]);
	if (rc != MS_OK) {
		fprintf(stderr, "report_fixture: cannot write '%s'\n", out);
		return 1;
	}
	return 0;
}
