/*
 * cmd_init.c — `mentorscout init`.
 */
#include "cli/cli.h"

static int
cmd_init(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("init: not implemented yet");
}

const struct ms_cmd cmd_init_entry = {
	"init", cmd_init, NEED_CONFIG, "create config and store (idempotent)",
	"usage: mentorscout init\n"
	"\n"
	"Create the config file (with a commented template) and the store, unless\n"
	"they exist.  Running it again changes nothing.\n"
};
