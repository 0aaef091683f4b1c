/*
 * cmd_crawl.c — `mentorscout crawl`.
 */
#include "cli/cli.h"

static int
cmd_crawl(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("crawl: not implemented yet");
}

const struct ms_cmd cmd_crawl_entry = {
	"crawl", cmd_crawl, NEED_CONFIG | NEED_STORE, "fetch, analyze, store, re-rank",
	"usage: mentorscout crawl [--max-time S] [--jobs N] [--no-rank]\n"
	"\n"
	"Fetch the feeds in the store, the comment feeds and pages they point to and\n"
	"(bounded) the sites of the people found there; analyze every document into\n"
	"the store, then update the ranking.\n"
	"\n"
	"  --max-time S   stop cleanly after S seconds; the rest waits for next time\n"
	"  --jobs N       transfers at once (default: crawl.jobs, 32)\n"
	"  --no-rank      do not re-rank after fetching\n"
};
