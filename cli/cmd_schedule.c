/*
 * cmd_schedule.c — `mentorscout schedule`.
 */
#include "cli/cli.h"

static int
cmd_schedule(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("schedule: not implemented yet");
}

const struct ms_cmd cmd_schedule_entry = {
	"schedule", cmd_schedule, 0, "print or install a nightly crawl (cron, systemd)",
	"usage: mentorscout schedule [--at HH:MM] [--cron|--systemd]\n"
	"                            [--install|--remove]\n"
	"\n"
	"Print a crontab line or a systemd user timer and service that run\n"
	"'mentorscout crawl' every night; with --install write them, with --remove\n"
	"take them out again.  Both are idempotent.\n"
};
