/*
 * cmd_report.c — `mentorscout report`.
 */
#include "cli/cli.h"

static int
cmd_report(int argc, char **argv, struct ms_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return ms_cli_error("report: not implemented yet");
}

const struct ms_cmd cmd_report_entry = {
	"report", cmd_report, NEED_CONFIG | STORE_RDONLY, "write a ranked report (html, md, json)",
	"usage: mentorscout report [--topic T] [--format html|md|json] [--out FILE]\n"
	"                          [--limit N]\n"
	"\n"
	"Write a self-contained report of the ranking, with per-candidate signals,\n"
	"evidence and engagement steps.  Without --topic, every topic with\n"
	"candidates.  Without --out, to standard output.\n"
};
