/*
 * cmd_init.c — `mentorscout init`: create the config file (from the
 * template) and the store, unless they exist; merge the config's feeds
 * into the store.  Running it twice changes nothing.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "store/store.h"
#include "util/err.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
write_template(const char *path, int quiet)
{
	const char *tmpl = ms_config_template();
	char *dir = strdup(path), *slash;
	size_t len = strlen(tmpl);
	int fd;

	if (!dir)
		return ms_cli_error("out of memory");
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (ms_mkdirs(dir, 0700)) {
			ms_cli_error("cannot create directory '%s': %s", dir,
				     strerror(errno));
			free(dir);
			return EXIT_FAIL;
		}
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return ms_cli_error("cannot create config '%s': %s", path,
				    strerror(errno));
	if (write(fd, tmpl, len) != (ssize_t)len || fsync(fd) || close(fd)) {
		int e = errno;

		unlink(path);
		return ms_cli_error("cannot write config '%s': %s", path,
				    strerror(e));
	}
	if (!quiet)
		printf("created config '%s'\n", path);
	return EXIT_OK;
}

static int
cmd_init(int argc, char **argv, struct ms_ctx *ctx)
{
	struct ms_err err = { 0 };
	struct stat sb;
	int status, existed, quiet = ctx->verbose < 0;
	unsigned flags = MS_STORE_CREATE;

	(void)argv;
	if (argc > 1)
		return ms_cli_usage("init", "init: unexpected argument '%s'",
				    argv[1]);
	if (ctx->parse_only)
		return EXIT_OK;
	ctx->config_path = ms_config_default_path(ctx->config_flag);
	ctx->db_dir = ms_store_default_dir(ctx->db_flag);
	if (!ctx->config_path || !ctx->db_dir)
		return ms_cli_error("cannot find where files live: set HOME "
				    "or give --config and --db");
	if (stat(ctx->config_path, &sb)) {
		if (errno != ENOENT)
			return ms_cli_error("cannot read config '%s': %s",
					    ctx->config_path,
					    strerror(errno));
		status = write_template(ctx->config_path, quiet);
		if (status)
			return status;
	} else if (!quiet) {
		printf("config '%s' exists\n", ctx->config_path);
	}
	if (ms_config_load(ctx->config_path, true, &ctx->cfg, &err)) {
		ms_cli_error("%s", err.msg);
		return err.code == MS_ECONFIG ? EXIT_USAGE : EXIT_FAIL;
	}

	existed = stat(ctx->db_dir, &sb) == 0;
	if (ctx->cfg->meta_async)
		flags |= MS_STORE_METASYNC;
	if (ms_store_open(ctx->db_dir, flags, 0, &ctx->st, &err))
		return ms_cli_error("%s", err.msg);
	if (!quiet)
		printf(existed ? "store '%s' exists\n"
			       : "created store '%s'\n", ctx->db_dir);
	return ms_cli_seed_feeds(ctx);
}

const struct ms_cmd cmd_init_entry = {
	"init", cmd_init, 0, "create config and store (idempotent)",
	"usage: mentorscout init\n"
	"\n"
	"Create the config file (a template with the defaults) and the store\n"
	"(mode 0700), unless they exist, and add the config's feeds to the\n"
	"store.  Running it again changes nothing.\n",
};
