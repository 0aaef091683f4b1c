/*
 * cmd_explain.c — `mentorscout explain`.
 */
#include "cli/cli.h"

static int
cmd_explain(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("explain: not implemented yet");
}

const struct ms_cmd cmd_explain_entry = {
	"explain", cmd_explain, NEED_CONFIG | STORE_RDONLY, "score breakdown and evidence for one person",
	"usage: mentorscout explain PERSON [--topic T] [--json]\n"
	"\n"
	"Print why PERSON (an id, a name or a site URL) ranks where they do: every\n"
	"signal, the evidence behind it (posts, comments, replies, links in and out)\n"
	"and the notes of the spam guards.\n"
};
