/*
 * cmd_discover.c — `mentorscout discover`: the ranked mentor candidates of
 * one topic (or of an ad-hoc pattern), read from the ranking the last
 * crawl wrote, in the format asked for.  The ranking's sorted index makes
 * this a read of the top k: no scan, whatever the store's size (--match
 * is the exception: nothing was precomputed for a pattern).
 */
#include "cli/cli.h"
#include "config/config.h"
#include "ranker/ranker.h"
#include "report/report.h"
#include "store/store.h"
#include "util/err.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_LIMIT 1000

/* The terminal's width when stdout is one, else $COLUMNS, else 80. */
static int
term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	char *end;
	long n;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (c && *c) {
		errno = 0;
		n = strtol(c, &end, 10);
		if (!errno && !*end && n > 0 && n <= 10000)
			return (int)n;
	}
	return 80;
}

static int
use_color(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term &&
	       strcmp(term, "dumb") != 0;
}

/* A language tag: "en", "de-AT", "pt_BR". */
static int
lang_ok(const char *s)
{
	size_t n = 0, part = 0;

	for (; s[n]; n++) {
		if (s[n] == '-' || s[n] == '_') {
			if (!part)
				return 0;
			part = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[n]) || ++part > 8)
			return 0;
	}
	return n > 0 && n <= 35 && part > 0 && isalpha((unsigned char)s[0]);
}

static int
cmd_discover(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "match", required_argument, NULL, 'm' },
		{ "limit", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "network", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_view_opts vo = { 0 };
	struct ms_report_opts ro = { 0 };
	struct ms_topic *adhoc = NULL;
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };
	const char *match = NULL;
	int fmt = MS_FMT_TEXT, c, rc, status = EXIT_OK;
	unsigned long ul;
	char *end;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:m:n:f:l:w", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 't':
			vo.topic = optarg;
			break;
		case 'm':
			match = optarg;
			break;
		case 'n':
			errno = 0;
			ul = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' ||
			    ul < 1 || ul > MAX_LIMIT)
				return ms_cli_usage("discover", "discover: "
						    "--limit '%s': expected a "
						    "number from 1 to %d",
						    optarg, MAX_LIMIT);
			vo.limit = ul;
			break;
		case 'f':
			fmt = ms_report_format(optarg);
			if (fmt < 0)
				return ms_cli_usage("discover", "discover: "
						    "unknown format '%s' "
						    "(text, json, md or html)",
						    optarg);
			break;
		case 'l':
			if (!lang_ok(optarg))
				return ms_cli_usage("discover", "discover: "
						    "--lang '%s': expected a "
						    "language code such as "
						    "'en' or 'de'", optarg);
			vo.lang = optarg;
			break;
		case 'w':
			vo.network = 1;
			break;
		case ':':
			return ms_cli_usage("discover", "discover: option "
					    "'%s' needs an argument",
					    argv[optind - 1]);
		default:
			return ms_cli_usage("discover", "discover: unknown "
					    "option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ms_cli_usage("discover", "discover: unexpected "
				    "argument '%s'", argv[optind]);
	if (!vo.topic == !match)
		return ms_cli_usage("discover", "discover: give either --topic "
				    "T or --match REGEX");
	/* before the topic, which needs the config: a bad pattern is a
	 * usage error of the options pass */
	if (match) {
		rc = ms_topic_adhoc(match, &adhoc, &err);
		if (rc)
			return ms_cli_usage("discover", "discover: --match: %s",
					    err.msg);
		vo.match = adhoc;
	}
	if (ctx->parse_only) {
		/* the second options pass has the config: an unknown topic
		 * is a usage error before the store is opened */
		if (ctx->cfg && vo.topic &&
		    ms_rank_topic_check(ctx->cfg, vo.topic, &err))
			status = ms_cli_usage("discover", "discover: %s",
					      err.msg);
		goto out;
	}
	if (vo.topic && !ms_taxonomy_find(&ctx->cfg->taxonomy, vo.topic)) {
		/* the view's message names the nearest ids */
		rc = ms_rank_view(ctx->st, ctx->cfg, &vo, &v, &err);
		ms_view_free(v);
		return ms_cli_usage("discover", "discover: %s",
				    rc ? err.msg : "unknown topic");
	}

	rc = ms_rank_view(ctx->st, ctx->cfg, &vo, &v, &err);
	if (rc) {
		status = rc == MS_EUSAGE ?
				 ms_cli_usage("discover", "discover: %s",
					      err.msg) :
				 ms_cli_error("discover: %s", err.msg);
		goto out;
	}
	if (!v->ncands && ctx->verbose >= 0) {
		if (v->generated == MS_TIME_NONE)
			fprintf(stderr, "mentorscout: no ranking yet (run "
				"'mentorscout crawl' first)\n");
		else
			fprintf(stderr, "mentorscout: no candidates for "
				"'%s'%s%s\n", vo.topic ? vo.topic : match,
				vo.lang ? " in language " : "",
				vo.lang ? vo.lang : "");
	}
	ro.width = term_width();
	ro.color = fmt == MS_FMT_TEXT && use_color();
	/* the network's point is each pick's role and reason, which the
	 * table alone does not show */
	ro.detail = vo.network;
	errno = 0;
	if (ms_report_write(stdout, (enum ms_report_format)fmt, &v, 1, &ro))
		status = ms_cli_error("cannot write to standard output: %s",
				      strerror(errno ? errno : EIO));
out:
	ms_view_free(v);
	if (adhoc)
		ms_topic_free_adhoc(adhoc);
	return status;
}

const struct ms_cmd cmd_discover_entry = {
	"discover", cmd_discover, NEED_CONFIG | STORE_RDONLY,
	"ranked mentor candidates for a topic",
	"usage: mentorscout discover (--topic T | --match REGEX) [--limit N]\n"
	"                            [--format text|json|md|html] [--lang L]\n"
	"                            [--network]\n"
	"\n"
	"Print the people to approach as a mentor on a topic, best first, "
	"with the\n"
	"signals behind each score and the first steps to take.  The ranking "
	"is the\n"
	"one the last 'mentorscout crawl' computed.\n"
	"\n"
	"  --topic T        a topic id from 'mentorscout topics'; an unknown "
	"id is an\n"
	"                   error (exit 2) that names the nearest ids\n"
	"  --match REGEX    rank for an ad-hoc PCRE2 pattern instead of a "
	"topic: it is\n"
	"                   matched against the titles, categories and "
	"summaries of\n"
	"                   the stored posts (slower: the posts are read)\n"
	"  --limit N        at most N candidates, 1 to 1000 (default 10)\n"
	"  --format F       text (default: a table that fits the terminal), "
	"json,\n"
	"                   md or html\n"
	"  --lang L         only people who write mostly in language L (en, "
	"de, ...)\n"
	"  --network        propose 5-6 people across roles (adviser, "
	"connector,\n"
	"                   idea person, peer), each with the reason; "
	"--limit is\n"
	"                   ignored; text then details every pick\n"
	"\n"
	"text shows rank, name, score, the three strongest signals, site and "
	"the\n"
	"first step; json is one object {\"topic\", \"generated\", "
	"\"candidates\"}.\n",
};
