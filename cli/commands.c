/*
 * commands.c — the subcommand table (git's builtin table) and the helpers
 * every subcommand uses to report errors and finish its output.
 */
#include "cli/cli.h"
#include "ranker/ranker.h"
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* In the order `mentorscout --help` lists them. */
static const struct ms_cmd *const commands[] = {
	&cmd_init_entry,     &cmd_feeds_entry,   &cmd_crawl_entry,
	&cmd_discover_entry, &cmd_report_entry,  &cmd_explain_entry,
	&cmd_merge_entry,    &cmd_topics_entry,  &cmd_schedule_entry,
	&cmd_stats_entry,    &cmd_parse_entry,
};

const struct ms_cmd *
ms_cli_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

const struct ms_cmd *
ms_cli_command(size_t i)
{
	return i < sizeof(commands) / sizeof(*commands) ? commands[i] : NULL;
}

int
ms_cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mentorscout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int
ms_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mentorscout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "try 'mentorscout %s --help'\n", cmd);
	else
		fputs("try 'mentorscout --help'\n", stderr);
	return EXIT_USAGE;
}

int
ms_cli_exit(int rc)
{
	if (rc == MS_OK)
		return EXIT_OK;
	return rc == MS_EUSAGE ? EXIT_USAGE : EXIT_FAIL;
}

void
ms_cli_print_usage(const struct ms_cmd *cmd, FILE *f)
{
	fputs(cmd->usage, f);
}

int
ms_cli_finish_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return ms_cli_error("cannot write output: %s",
				    strerror(errno ? errno : EIO));
	return EXIT_OK;
}

int
ms_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

int
ms_cli_rank(struct ms_ctx *ctx, struct ms_store *st)
{
	struct ms_rank_stats rs;
	struct ms_err err = { 0 };

	if (ms_rank_run(st, ctx->cfg, (int64_t)time(NULL), &rs, &err))
		return ms_cli_error("ranking failed: %s", err.msg);
	if (ctx->verbose > 0)
		fprintf(stderr, "ranked %zu people on %zu topics in %.2f s\n",
			rs.people, rs.topics, rs.seconds);
	return EXIT_OK;
}
