/*
 * cmd_topics.c — `mentorscout topics`.
 */
#include "cli/cli.h"

static int
cmd_topics(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("topics: not implemented yet");
}

const struct ms_cmd cmd_topics_entry = {
	"topics", cmd_topics, NEED_CONFIG, "the taxonomy in force",
	"usage: mentorscout topics [--json]\n"
	"\n"
	"List the topics in force: id, label, languages and patterns.\n"
};
