/*
 * cmd_parse.c — `mentorscout parse`.
 */
#include "cli/cli.h"

static int
cmd_parse(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("parse: not implemented yet");
}

const struct ms_cmd cmd_parse_entry = {
	"parse", cmd_parse, 0, "analyze one document and print what it yields",
	"usage: mentorscout parse FILE|URL [--json] [--content-type TYPE]\n"
	"\n"
	"Analyze one feed or HTML page and print what mentorscout reads from it:\n"
	"entries, authors, dates, categories, comment links and counts, outbound\n"
	"links, comments.  With --json, one JSON object as documented in the manual.\n"
};
