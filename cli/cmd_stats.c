/*
 * cmd_stats.c — `mentorscout stats`.
 */
#include "cli/cli.h"

static int
cmd_stats(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("stats: not implemented yet");
}

const struct ms_cmd cmd_stats_entry = {
	"stats", cmd_stats, NEED_CONFIG | STORE_RDONLY, "store counts and last crawl summary",
	"usage: mentorscout stats [--json]\n"
	"\n"
	"Print the store's record counts, its size and the last crawl's summary.\n"
};
