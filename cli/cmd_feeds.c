/*
 * cmd_feeds.c — `mentorscout feeds`.
 */
#include "cli/cli.h"

static int
cmd_feeds(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("feeds: not implemented yet");
}

const struct ms_cmd cmd_feeds_entry = {
	"feeds", cmd_feeds, NEED_CONFIG | NEED_STORE, "add, remove, list, import and export feeds",
	"usage: mentorscout feeds add URL...\n"
	"       mentorscout feeds remove URL...\n"
	"       mentorscout feeds list [--json]\n"
	"       mentorscout feeds import FILE.opml\n"
	"       mentorscout feeds export\n"
};
