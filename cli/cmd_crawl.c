/*
 * cmd_crawl.c — `mentorscout crawl`: take the crawl lock, merge the
 * config's feeds, crawl, store the one-line summary, re-rank.  Made to run
 * unattended: on a TTY a live status line, otherwise silent but for the
 * summary; SIGINT/SIGTERM and --max-time stop cleanly with what is done
 * committed.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "crawler/crawler.h"
#include "store/store.h"
#include "util/err.h"
#include "util/shard.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int
cmd_crawl(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "max-time", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "no-rank", no_argument, NULL, 'n' },
		{ "resolve", required_argument, NULL, 'r' },
		{ "shard", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_crawl_opts co = { 0 };
	struct ms_crawl_stats cs;
	struct ms_err err = { 0 };
	struct sigaction sa;
	const char **resolve = NULL, *shard_flag = NULL;
	struct ms_shard shard;
	size_t nresolve = 0;
	char summary[512], *end;
	int c, lockfd = -1, rc, no_rank = 0, status;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			co.max_time = strtod(optarg, &end);
			if (end == optarg || *end || co.max_time <= 0)
				return ms_cli_usage("crawl", "crawl: "
						    "--max-time wants seconds"
						    " > 0, not '%s'", optarg);
			break;
		case 'j':
			co.jobs = (int)strtol(optarg, &end, 10);
			if (end == optarg || *end || co.jobs < 1 ||
			    co.jobs > 1024)
				return ms_cli_usage("crawl", "crawl: --jobs "
						    "wants 1..1024, not '%s'",
						    optarg);
			break;
		case 'n':
			no_rank = 1;
			break;
		case 's':
			shard_flag = optarg;
			break;
		case 'r':
			resolve = realloc(resolve,
					  (nresolve + 2) * sizeof(*resolve));
			if (!resolve)
				abort();
			resolve[nresolve++] = optarg;
			resolve[nresolve] = NULL;
			break;
		default:
			free(resolve);
			return ms_cli_usage("crawl", "crawl: unknown option "
					    "'%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		free(resolve);
		return ms_cli_usage("crawl", "crawl: unexpected argument "
				    "'%s'", argv[optind]);
	}
	if (ms_shard_select(shard_flag, &shard, &err)) {
		free(resolve);
		return ms_cli_usage("crawl", "crawl: %s", err.msg);
	}
	if (ctx->parse_only) {
		free(resolve);
		return EXIT_OK;
	}
	if (shard.n && ctx->verbose >= 0)
		fprintf(stderr, "mentorscout: crawling shard %u/%u (from %s)"
			"\n", shard.k, shard.n, shard.source);
	if (ms_crawl_lock(ctx->db_dir, &lockfd, &err)) {
		free(resolve);
		return ms_cli_error("%s", err.msg);
	}
	status = ms_cli_seed_feeds(ctx);
	if (status)
		goto out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	co.cfg = ctx->cfg;
	co.verbose = ctx->verbose > 0;
	co.progress = ctx->verbose >= 0 && isatty(2);
	co.stop = &stop_flag;
	co.resolve = resolve;
	co.shard = shard.n ? &shard : NULL;
	rc = ms_crawl_run(ctx->st, &co, &cs, &err);
	if (rc == MS_EUSAGE) {
		status = ms_cli_usage("crawl", "crawl: %s", err.msg);
		goto out;
	}
	if (rc && rc != MS_EINTR) {
		status = ms_cli_error("crawl failed: %s", err.msg);
		goto out;
	}
	ms_crawl_summary(&cs, summary, sizeof(summary));
	if (ctx->verbose >= 0)
		printf("%s\n", summary);
	if (rc == MS_EINTR) {
		status = ms_cli_error("%s", err.msg);
		goto out;
	}
	if (!no_rank)
		status = ms_cli_rank(ctx, ctx->st);
out:
	free(resolve);
	if (lockfd >= 0)
		close(lockfd);
	return status;
}

const struct ms_cmd cmd_crawl_entry = {
	"crawl", cmd_crawl, NEED_CONFIG | NEED_STORE,
	"fetch, analyze, store, re-rank",
	"usage: mentorscout crawl [--max-time S] [--jobs N] [--no-rank]\n"
	"                         [--shard K/N] [--resolve HOST:PORT:ADDR]\n"
	"\n"
	"Fetch the feeds in the store, the comment feeds and pages they point\n"
	"to and (bounded) the sites of the people found there; analyze every\n"
	"document into the store, then update the ranking.  One request at a\n"
	"time per host with a delay between requests, robots.txt obeyed,\n"
	"conditional GET.  One crawl at a time per store.\n"
	"\n"
	"  --max-time S   stop cleanly after S seconds; the rest waits for\n"
	"                 the next crawl\n"
	"  --jobs N       documents in hand at once: transfers, and bodies\n"
	"                 waiting for analysis (default: crawl.jobs, 32)\n"
	"  --no-rank      do not re-rank after fetching\n"
	"  --shard K/N    crawl only the hosts of shard K of N (0 <= K < N\n"
	"                 <= 64), each shard into its own store (--db); URLs\n"
	"                 found on other shards' hosts wait in this store's\n"
	"                 outbox for 'merge'.  Without the flag: K/N from\n"
	"                 MENTORSCOUT_SHARD, else K from JOB_COMPLETION_INDEX\n"
	"                 (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm) with N\n"
	"                 from MENTORSCOUT_SHARDS (Slurm: or\n"
	"                 SLURM_ARRAY_TASK_COUNT); '--shard K' also takes N\n"
	"                 from MENTORSCOUT_SHARDS\n"
	"  --resolve H:P:A  connect to address A for host H, port P (as\n"
	"                 curl's --resolve; for test webs on loopback)\n"
	"\n"
	"On a terminal a status line shows progress; otherwise only the\n"
	"one-line summary is printed (for cron logs).  -v logs every fetch.\n"
	"Exit status 0 also when some feeds failed (see 'feeds list'); 1 when\n"
	"the crawl could not run or was interrupted.\n",
};
