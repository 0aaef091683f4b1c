/*
 * cli.h — what the subcommands share: the context main() builds (global
 * options, the config, the store) and the handler signature.  Only cli/
 * includes this header.
 */
#ifndef MS_CLI_CLI_H
#define MS_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

struct ms_config;
struct ms_store;

struct ms_ctx {
	const char *argv0;
	const char *config_flag;	/* --config, NULL if not given */
	const char *db_flag;		/* --db, NULL if not given */
	char *config_path;		/* the config file in force */
	char *db_dir;			/* the store directory in force */
	int verbose;			/* -v count; -1 with -q */
	int parse_only;			/* the options pass (struct ms_cmd) */
	struct ms_config *cfg;		/* loaded when the command needs it */
	struct ms_store *st;		/* opened when the command needs it */
};

enum ms_cmd_flags {
	NEED_CONFIG = 1 << 0,
	NEED_STORE = 1 << 1,	/* read-write, must exist */
	STORE_RDONLY = 1 << 2,	/* read-only, must exist */
};

/*
 * main() calls a command's handler twice.  First with ctx->parse_only set,
 * before it reads the config or opens the store: the handler parses and
 * checks its options and arguments (and the environment variables it
 * reads), everything that needs neither the config nor the store, and
 * returns EXIT_USAGE on a usage error, else EXIT_OK, having freed what it
 * allocated and printed, written and opened nothing else.  Only then does
 * main() load the config and open the store as flags ask, and call it
 * again to run, with getopt reset (optind = 0) for both passes: GNU
 * getopt's permutation of argv in the first pass leaves an order the
 * second one parses the same way.  So the order of the checks is: the
 * options, then the config, then the store; a usage error is reported
 * (exit 2) before a missing or bad config or store could hide it.  For a
 * command with a store there is one more options pass between loading
 * the config and opening the store, with ctx->parse_only set and ctx->cfg
 * loaded: what needs the config (an unknown topic id) is checked there,
 * so it too is a usage error before a missing store could hide it.
 */
struct ms_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct ms_ctx *ctx);
	unsigned flags;
	const char *synopsis;	/* one line for `mentorscout --help` */
	const char *usage;	/* the full text for `COMMAND --help` */
};

/* Exit statuses (DESIGN.md). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* "mentorscout: <msg>" on stderr; returns EXIT_FAIL. */
int ms_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "try 'mentorscout CMD --help'"; returns
 * EXIT_USAGE. */
int ms_cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Map an MS_E* code to an exit status (MS_EUSAGE → 2, others → 1). */
int ms_cli_exit(int rc);
/* Print the command's usage text to f. */
void ms_cli_print_usage(const struct ms_cmd *cmd, FILE *f);
/* Flush stdout and fail if anything written to it was lost (a full disk):
 * returns EXIT_OK or EXIT_FAIL with a message. */
int ms_cli_finish_stdout(void);
/* Find the command table entry by name. */
const struct ms_cmd *ms_cli_find(const char *name);
/* The i-th command in table order, NULL past the end. */
const struct ms_cmd *ms_cli_command(size_t i);
/* Does argv hold -h/--help before any "--"? */
int ms_cli_wants_help(int argc, char **argv);

/* Rank st with ctx's config now (after crawl and merge), saying how long
 * it took with -v.  Returns an exit status. */
int ms_cli_rank(struct ms_ctx *ctx, struct ms_store *st);

/* Merge the config's "feeds" into the store (insert-only); for init and
 * crawl.  Returns an exit status. */
int ms_cli_seed_feeds(struct ms_ctx *ctx);

/* One entry per subcommand, defined beside its handler in cmd_<name>.c. */
extern const struct ms_cmd cmd_init_entry;
extern const struct ms_cmd cmd_feeds_entry;
extern const struct ms_cmd cmd_crawl_entry;
extern const struct ms_cmd cmd_discover_entry;
extern const struct ms_cmd cmd_report_entry;
extern const struct ms_cmd cmd_explain_entry;
extern const struct ms_cmd cmd_merge_entry;
extern const struct ms_cmd cmd_topics_entry;
extern const struct ms_cmd cmd_schedule_entry;
extern const struct ms_cmd cmd_stats_entry;
extern const struct ms_cmd cmd_parse_entry;

#endif
