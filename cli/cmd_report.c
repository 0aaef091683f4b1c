/*
 * cmd_report.c — `mentorscout report`: the ranking of one topic, or of
 * every topic that has candidates, as one self-contained document (HTML by
 * default, Markdown or JSON) on standard output or in a file.
 *
 * A file is written next to its final name and renamed over it only when
 * complete, so a full disk or a killed run never leaves half a report
 * where the last good one was.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "ranker/ranker.h"
#include "report/report.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LIMIT 1000

static void
free_views(struct ms_view **views, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ms_view_free(views[i]);
	free(views);
}

/* "unknown topic 'x'", with the nearest ids as a hint. */
static int
unknown_topic(const struct ms_taxonomy *tax, const char *id)
{
	const char *near[3];
	size_t n = ms_taxonomy_nearest(tax, id, near, 3);

	if (!n)
		return ms_cli_usage("report", "report: unknown topic '%s' "
				    "(see 'mentorscout topics')", id);
	return ms_cli_usage("report", "report: unknown topic '%s'; did you "
			    "mean %s%s%s%s%s?", id, near[0],
			    n > 1 ? ", " : "", n > 1 ? near[1] : "",
			    n > 2 ? ", " : "", n > 2 ? near[2] : "");
}

/*
 * The views to report: the one topic asked for, or every topic of the
 * taxonomy that has candidates, in taxonomy order.
 */
static int
build_views(struct ms_ctx *ctx, const char *topic, size_t limit,
	    struct ms_view ***out, size_t *nout)
{
	const struct ms_taxonomy *tax = &ctx->cfg->taxonomy;
	struct ms_view **views = ms_xcalloc(tax->ntopics + 1, sizeof(*views));
	size_t n = 0;
	struct ms_err err = { 0 };

	for (size_t i = 0; i < tax->ntopics; i++) {
		struct ms_view_opts vo = { 0 };
		struct ms_view *v = NULL;
		int rc;

		if (topic && strcmp(tax->topics[i].id, topic))
			continue;
		vo.topic = tax->topics[i].id;
		vo.limit = limit;
		rc = ms_rank_view(ctx->st, ctx->cfg, &vo, &v, &err);
		if (rc != MS_OK) {
			free_views(views, n);
			return ms_cli_error("report: %s", err.msg);
		}
		if (!topic && !v->ncands) {
			ms_view_free(v);
			continue;
		}
		views[n++] = v;
	}
	*out = views;
	*nout = n;
	return EXIT_OK;
}

/* Write the report to an open f, sync it and close it; errno on failure. */
static int
write_stream(FILE *f, enum ms_report_format fmt,
	     struct ms_view *const *views, size_t n,
	     const struct ms_report_opts *o, int sync, int *saved)
{
	int rc;

	errno = 0;
	rc = ms_report_write(f, fmt, views, n, o);
	*saved = errno;
	if (rc == MS_OK && sync && fsync(fileno(f)) != 0) {
		rc = MS_EIO;
		*saved = errno;
	}
	if (fclose(f) == EOF && rc == MS_OK) {
		rc = MS_EIO;
		*saved = errno;
	}
	return rc;
}

/*
 * Write to path through path.tmp and a rename, so the old report stays
 * whole until the new one is; every error names path.  What is not a
 * regular file (a device, a FIFO, a symbolic link someone set up on
 * purpose) is written in place: renaming over it would replace it.
 */
static int
write_file(const char *path, enum ms_report_format fmt,
	   struct ms_view *const *views, size_t n,
	   const struct ms_report_opts *o)
{
	struct stat sb;
	char *tmp = NULL;
	FILE *f;
	int rc, saved = 0;

	if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		f = fopen(path, "w");
		if (!f)
			return ms_cli_error("cannot write report '%s': %s",
					    path, strerror(errno));
		rc = write_stream(f, fmt, views, n, o, 0, &saved);
		if (rc != MS_OK)
			return ms_cli_error("cannot write report '%s': %s",
					    path, strerror(saved ? saved
								 : EIO));
		return EXIT_OK;
	}
	tmp = ms_xasprintf("%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		saved = errno;
		free(tmp);
		return ms_cli_error("cannot write report '%s': %s", path,
				    strerror(saved));
	}
	rc = write_stream(f, fmt, views, n, o, 1, &saved);
	if (rc == MS_OK && rename(tmp, path) != 0) {
		rc = MS_EIO;
		saved = errno;
	}
	if (rc != MS_OK) {
		unlink(tmp);
		free(tmp);
		return ms_cli_error("cannot write report '%s': %s", path,
				    strerror(saved ? saved : EIO));
	}
	free(tmp);
	return EXIT_OK;
}

static int
cmd_report(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *topic = NULL, *out = NULL;
	int fmt = MS_FMT_HTML, c, status;
	size_t limit = 0, nviews = 0, ncands = 0;
	struct ms_view **views = NULL;
	struct ms_report_opts ro = { 0 };
	char *end;
	unsigned long ul;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:f:o:n:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			topic = optarg;
			break;
		case 'f':
			fmt = ms_report_format(optarg);
			/* text is for discover's terminal, not a report */
			if (fmt < 0 || fmt == MS_FMT_TEXT)
				return ms_cli_usage("report", "report: unknown "
						    "format '%s' (html, md or "
						    "json)", optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'n':
			errno = 0;
			ul = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' ||
			    ul < 1 || ul > MAX_LIMIT)
				return ms_cli_usage("report", "report: --limit "
						    "'%s': expected a number "
						    "from 1 to %d", optarg,
						    MAX_LIMIT);
			limit = ul;
			break;
		case ':':
			return ms_cli_usage("report", "report: option '%s' "
					    "needs an argument",
					    argv[optind - 1]);
		default:
			return ms_cli_usage("report", "report: unknown option "
					    "'%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ms_cli_usage("report", "report: unexpected argument "
				    "'%s'", argv[optind]);
	if (out && !*out)
		return ms_cli_usage("report", "report: --out needs a file "
				    "name");
	/* The second options pass has the config: an unknown topic is a
	 * usage error before the store is opened. */
	if (ctx->cfg && topic && !ms_taxonomy_find(&ctx->cfg->taxonomy, topic))
		return unknown_topic(&ctx->cfg->taxonomy, topic);
	if (ctx->parse_only)
		return EXIT_OK;

	status = build_views(ctx, topic, limit, &views, &nviews);
	if (status != EXIT_OK)
		return status;
	for (size_t i = 0; i < nviews; i++)
		ncands += views[i]->ncands;
	if (!ncands && ctx->verbose >= 0)
		fprintf(stderr, "mentorscout: no candidates yet%s%s%s (run "
			"'mentorscout crawl' first)\n", topic ? " for '" : "",
			topic ? topic : "", topic ? "'" : "");

	ro.detail = 1;
	ro.topics = !topic;
	if (out) {
		status = write_file(out, (enum ms_report_format)fmt, views,
				    nviews, &ro);
		if (status == EXIT_OK && ctx->verbose >= 0)
			fprintf(stderr, "mentorscout: wrote '%s' (%zu "
				"topic%s, %zu candidate%s)\n", out, nviews,
				nviews == 1 ? "" : "s", ncands,
				ncands == 1 ? "" : "s");
	} else if (ms_report_write(stdout, (enum ms_report_format)fmt, views,
				   nviews, &ro) != MS_OK) {
		status = ms_cli_error("cannot write report to standard "
				      "output: %s", strerror(errno ? errno
								   : EIO));
	}
	free_views(views, nviews);
	return status;
}

const struct ms_cmd cmd_report_entry = {
	"report", cmd_report, NEED_CONFIG | STORE_RDONLY,
	"write a ranked report (html, md, json)",
	"usage: mentorscout report [--topic T] [--format html|md|json] "
	"[--out FILE]\n"
	"                          [--limit N]\n"
	"\n"
	"Write a self-contained report of the ranking, with per-candidate "
	"signals,\n"
	"evidence and engagement steps.  Without --topic, every topic with\n"
	"candidates.  Without --out, to standard output.\n"
	"\n"
	"  --topic T     one topic id from 'mentorscout topics'\n"
	"  --format F    html (default: one file, no scripts, nothing "
	"external),\n"
	"                md, or json (without --topic: {\"generated\", "
	"\"topics\": [...]})\n"
	"  --out FILE    write FILE (replaced only once complete)\n"
	"  --limit N     at most N candidates per topic (default 10)\n",
};
