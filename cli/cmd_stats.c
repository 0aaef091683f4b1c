/*
 * cmd_stats.c — `mentorscout stats`: record counts, store size, and the
 * last crawl's summary from the crawl log.
 */
#include "cli/cli.h"
#include "store/store.h"
#include "util/err.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <time.h>

static int
last_crawl(const struct ms_crawl_rec *r, void *vctx)
{
	struct ms_crawl_rec *out = vctx;

	*out = *r;
	return 1;	/* newest first: the first one is all we want */
}

static void
fmt_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == MS_TIME_NONE || !gmtime_r(&tt, &tm))
		snprintf(buf, n, "-");
	else
		strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
cmd_stats(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_store_stats s;
	struct ms_crawl_rec cr = { 0 };
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	char started[32], finished[32];
	int c, json = 0, have_crawl, rc;

	while ((c = getopt_long(argc, argv, "+j", opts, NULL)) != -1) {
		if (c != 'j')
			return ms_cli_usage("stats", "stats: unknown option "
					    "'%s'", argv[optind - 1]);
		json = 1;
	}
	if (optind < argc)
		return ms_cli_usage("stats", "stats: unexpected argument "
				    "'%s'", argv[optind]);
	if (ms_store_stats(ctx->st, &s, &err))
		return ms_cli_error("%s", err.msg);
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	rc = ms_store_each_crawl(t, last_crawl, &cr, &err);
	have_crawl = rc == 1;
	if (rc != 0 && rc != 1) {
		ms_store_read_end(t);
		return ms_cli_error("%s", err.msg);
	}
	fmt_time(have_crawl ? cr.started : MS_TIME_NONE, started,
		 sizeof(started));
	fmt_time(have_crawl ? cr.finished : MS_TIME_NONE, finished,
		 sizeof(finished));
	if (json) {
		json_t *o = json_pack(
			"{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
			"s:I, s:I}",
			"store", ms_store_dir(ctx->st), "counts",
			"feeds", (json_int_t)s.feeds,
			"posts", (json_int_t)s.posts,
			"comments", (json_int_t)s.comments,
			"people", (json_int_t)s.people,
			"links", (json_int_t)s.links,
			"hosts", (json_int_t)s.hosts,
			"scores", (json_int_t)s.scores,
			"crawls", (json_int_t)s.crawls,
			"map_size", (json_int_t)s.map_size,
			"used_bytes", (json_int_t)s.used_bytes);

		if (have_crawl)
			json_object_set_new(o, "last_crawl", json_pack(
				"{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
				"s:I, s:s?}",
				"started", started, "finished", finished,
				"fetched", (json_int_t)cr.fetched,
				"not_modified", (json_int_t)cr.not_modified,
				"unchanged", (json_int_t)cr.unchanged,
				"errors", (json_int_t)cr.errors,
				"new_posts", (json_int_t)cr.new_posts,
				"new_comments", (json_int_t)cr.new_comments,
				"bytes", (json_int_t)cr.bytes,
				"summary", cr.summary));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("store     %s\n", ms_store_dir(ctx->st));
		printf("feeds     %zu\nposts     %zu\ncomments  %zu\n"
		       "people    %zu\nlinks     %zu\nhosts     %zu\n"
		       "scores    %zu\ncrawls    %zu\n",
		       s.feeds, s.posts, s.comments, s.people, s.links,
		       s.hosts, s.scores, s.crawls);
		printf("size      %.1f MiB used of a %.1f GiB map\n",
		       s.used_bytes / 1048576.0,
		       s.map_size / 1073741824.0);
		if (have_crawl)
			printf("last crawl %s .. %s: %s\n", started, finished,
			       cr.summary ? cr.summary : "");
		else
			printf("last crawl none yet\n");
	}
	ms_store_read_end(t);
	return EXIT_OK;
}

const struct ms_cmd cmd_stats_entry = {
	"stats", cmd_stats, NEED_CONFIG | STORE_RDONLY,
	"store counts and last crawl summary",
	"usage: mentorscout stats [--json]\n"
	"\n"
	"Print the store's record counts, its size and the last crawl's\n"
	"one-line summary; with --json as one JSON object.\n",
};
