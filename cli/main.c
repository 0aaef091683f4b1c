/*
 * main.c — mentorscout's entry point: global options, the config and store
 * the command needs, dispatch through the command table, exit status.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "store/store.h"
#include "util/err.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
print_help(FILE *f)
{
	const struct ms_cmd *c;

	fputs("usage: mentorscout [--config FILE] [--db DIR] [-v|-q] COMMAND "
	      "[ARGS]\n\n"
	      "Find people worth learning from on the open web: crawl blog "
	      "feeds and\ncomment pages, rank mentor candidates per topic, "
	      "and say how to reach them.\n\ncommands:\n", f);
	for (size_t i = 0; (c = ms_cli_command(i)); i++)
		fprintf(f, "  %-10s %s\n", c->name, c->synopsis);
	fputs("\noptions:\n"
	      "  --config FILE  config file (default $MENTORSCOUT_CONFIG, else\n"
	      "                 $XDG_CONFIG_HOME/mentorscout/config.json)\n"
	      "  --db DIR       store directory (default $MENTORSCOUT_DB, else\n"
	      "                 $XDG_DATA_HOME/mentorscout)\n"
	      "  -v, --verbose  say more (repeat for more)\n"
	      "  -q, --quiet    only errors\n"
	      "  -h, --help     this help; 'mentorscout COMMAND --help' for "
	      "one command\n"
	      "  --version      print the version\n\n"
	      "exit status: 0 success, 1 failure, 2 usage error\n", f);
}

static int
load_config(struct ms_ctx *ctx)
{
	struct ms_err err = { 0 };
	int rc;

	ctx->config_path = ms_config_default_path(ctx->config_flag);
	if (!ctx->config_path)
		return ms_cli_error("cannot find the config file: set HOME, "
				    "XDG_CONFIG_HOME or --config");
	/* A file named explicitly must exist; the default one may not. */
	rc = ms_config_load(ctx->config_path,
			    ctx->config_flag || getenv("MENTORSCOUT_CONFIG"),
			    &ctx->cfg, &err);
	if (rc == MS_ENOTFOUND)
		return ms_cli_error("cannot open config '%s': No such file "
				    "or directory", ctx->config_path);
	if (rc == MS_ECONFIG) {
		/* The user's own input is wrong: a usage error, like a bad
		 * flag (R-PO-7, R-SE-9). */
		ms_cli_error("%s", err.msg);
		return EXIT_USAGE;
	}
	if (rc)
		return ms_cli_error("%s", err.msg);
	return EXIT_OK;
}

static int
open_store(struct ms_ctx *ctx, unsigned flags)
{
	struct ms_err err = { 0 };
	unsigned sflags = 0;
	int rc;

	ctx->db_dir = ms_store_default_dir(ctx->db_flag);
	if (!ctx->db_dir)
		return ms_cli_error("cannot find the store: set HOME, "
				    "XDG_DATA_HOME or --db");
	if (flags & STORE_RDONLY)
		sflags |= MS_STORE_RDONLY;
	if (ctx->cfg && ctx->cfg->meta_async)
		sflags |= MS_STORE_METASYNC;
	rc = ms_store_open(ctx->db_dir, sflags, 0, &ctx->st, &err);
	if (rc == MS_ENOTFOUND)
		return ms_cli_error("no store in '%s'; run 'mentorscout init' "
				    "first", ctx->db_dir);
	if (rc)
		return ms_cli_error("%s", err.msg);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_ctx ctx = { 0 };
	const struct ms_cmd *cmd;
	int c, status;

	setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);
	ctx.argv0 = argv[0];
	opterr = 0;
	/* '+': stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+c:d:vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': ctx.config_flag = optarg; break;
		case 'd': ctx.db_flag = optarg; break;
		case 'v': if (ctx.verbose >= 0) ctx.verbose++; break;
		case 'q': ctx.verbose = -1; break;
		case 'h':
			print_help(stdout);
			return ms_cli_finish_stdout();
		case 'V':
			printf("mentorscout %s\n", MS_VERSION);
			return ms_cli_finish_stdout();
		default:
			if (optopt && optopt != '?' &&
			    strchr("cd", optopt))
				return ms_cli_usage(NULL, "option '-%c' needs "
						    "an argument", optopt);
			return ms_cli_usage(NULL, "unknown option '%s'",
					    argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	cmd = ms_cli_find(argv[optind]);
	if (!cmd)
		return ms_cli_usage(NULL, "unknown command '%s'",
				    argv[optind]);
	argc -= optind;
	argv += optind;
	if (ms_cli_wants_help(argc, argv)) {
		ms_cli_print_usage(cmd, stdout);
		return ms_cli_finish_stdout();
	}

	/* The options first, then the config, then the store (cli.h). */
	ctx.parse_only = 1;
	optind = 0;
	status = cmd->fn(argc, argv, &ctx);
	ctx.parse_only = 0;
	if (status == EXIT_OK &&
	    (cmd->flags & (NEED_CONFIG | NEED_STORE | STORE_RDONLY)))
		status = load_config(&ctx);
	if (status == EXIT_OK && (cmd->flags & (NEED_STORE | STORE_RDONLY))) {
		/* Options again, now with the config: what needs it (a
		 * topic name) is still a usage error before the store. */
		ctx.parse_only = 1;
		optind = 0;
		status = cmd->fn(argc, argv, &ctx);
		ctx.parse_only = 0;
	}
	if (status == EXIT_OK && (cmd->flags & (NEED_STORE | STORE_RDONLY)))
		status = open_store(&ctx, cmd->flags);
	if (status == EXIT_OK) {
		optind = 0;	/* let the command run getopt afresh */
		status = cmd->fn(argc, argv, &ctx);
	}
	if (status == EXIT_OK)
		status = ms_cli_finish_stdout();
	if (ctx.st)
		ms_store_close(ctx.st);
	ms_config_free(ctx.cfg);
	free(ctx.config_path);
	free(ctx.db_dir);
	return status;
}
