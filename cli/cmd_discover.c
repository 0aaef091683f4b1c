/*
 * cmd_discover.c — `mentorscout discover`.
 */
#include "cli/cli.h"

static int
cmd_discover(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("discover: not implemented yet");
}

const struct ms_cmd cmd_discover_entry = {
	"discover", cmd_discover, NEED_CONFIG | STORE_RDONLY, "ranked mentor candidates for a topic",
	"usage: mentorscout discover (--topic T | --match REGEX) [--limit N]\n"
	"                            [--format text|json|md|html] [--lang L]\n"
	"                            [--network]\n"
	"\n"
	"Print the people to approach as a mentor on a topic, best first, with the\n"
	"signals behind each score and the first steps to take.\n"
	"\n"
	"  --topic T        a topic id from 'mentorscout topics'\n"
	"  --match REGEX    rank for an ad-hoc PCRE2 pattern instead of a topic\n"
	"  --limit N        at most N candidates (default 10)\n"
	"  --format F       text (default), json, md or html\n"
	"  --lang L         only people who write in language L (en, de, ...)\n"
	"  --network        propose 5-6 people across roles (adviser, connector,\n"
	"                   idea person, peer)\n"
};
