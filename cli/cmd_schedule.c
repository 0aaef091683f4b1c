/*
 * cmd_schedule.c — `mentorscout schedule`: a nightly crawl as a crontab
 * line or a systemd user timer + service.  Prints by default; --install
 * writes it, --remove takes it out, both idempotent and saying what they
 * changed.  Every path is absolute and quoted for its format (crontab
 * needs '%' escaped; systemd needs '%' and '$' doubled), and a random delay
 * keeps all installs from hitting servers at the same minute.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARKER "# mentorscout-nightly"
#define UNIT "mentorscout-crawl"
#define SPREAD 1800	/* seconds of random delay */

struct sched {
	int hour, minute;
	char *bin, *config, *db, *log;
	unsigned delay;	/* cron: fixed at install time, random */
};

/* 'it'\''s' quoting for /bin/sh; then crontab's '%' → '\%'. */
static void
sh_quote(struct ms_buf *b, const char *s, int cron)
{
	ms_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			ms_buf_adds(b, "'\\''");
		else if (*s == '%' && cron)
			ms_buf_adds(b, "\\%");
		else
			ms_buf_addc(b, *s);
	}
	ms_buf_addc(b, '\'');
}

/* systemd: double quotes, backslash escapes, '%' → "%%", '$' → "$$". */
static void
sd_quote(struct ms_buf *b, const char *s)
{
	ms_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			ms_buf_addc(b, '\\');
		if (*s == '%')
			ms_buf_addc(b, '%');
		if (*s == '$')
			ms_buf_addc(b, '$');
		ms_buf_addc(b, *s);
	}
	ms_buf_addc(b, '"');
}

/* For paths in [Service] settings that take no quotes (StandardOutput). */
static void
sd_escape(struct ms_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			ms_buf_addc(b, '%');
		ms_buf_addc(b, *s);
	}
}

static char *
cron_line(const struct sched *s)
{
	struct ms_buf b = MS_BUF_INIT(16384);

	ms_buf_addf(&b, "%d %d * * * sleep %u && ", s->minute, s->hour,
		    s->delay);
	sh_quote(&b, s->bin, 1);
	ms_buf_adds(&b, " --config ");
	sh_quote(&b, s->config, 1);
	ms_buf_adds(&b, " --db ");
	sh_quote(&b, s->db, 1);
	ms_buf_adds(&b, " crawl >> ");
	sh_quote(&b, s->log, 1);
	ms_buf_adds(&b, " 2>&1 " MARKER);
	return ms_buf_detach(&b, NULL);
}

static char *
sd_service(const struct sched *s)
{
	struct ms_buf b = MS_BUF_INIT(16384);

	ms_buf_adds(&b, "# Written by 'mentorscout schedule --systemd "
			"--install'.\n[Unit]\nDescription=mentorscout nightly "
			"crawl\nAfter=network-online.target\n"
			"Wants=network-online.target\n\n[Service]\n"
			"Type=oneshot\nExecStart=");
	sd_quote(&b, s->bin);
	ms_buf_adds(&b, " --config ");
	sd_quote(&b, s->config);
	ms_buf_adds(&b, " --db ");
	sd_quote(&b, s->db);
	ms_buf_adds(&b, " crawl\nStandardOutput=append:");
	sd_escape(&b, s->log);
	ms_buf_adds(&b, "\nStandardError=append:");
	sd_escape(&b, s->log);
	ms_buf_adds(&b, "\nNice=10\n");
	return ms_buf_detach(&b, NULL);
}

static char *
sd_timer(const struct sched *s)
{
	struct ms_buf b = MS_BUF_INIT(4096);

	ms_buf_addf(&b, "# Written by 'mentorscout schedule --systemd "
			"--install'.\n[Unit]\nDescription=mentorscout nightly "
			"crawl\n\n[Timer]\nOnCalendar=*-*-* %02d:%02d:00\n"
			"RandomizedDelaySec=%d\nPersistent=true\n\n"
			"[Install]\nWantedBy=timers.target\n",
		    s->hour, s->minute, SPREAD);
	return ms_buf_detach(&b, NULL);
}

/* Run argv with input on stdin (may be NULL), output into out (may be
 * NULL).  Returns the exit status, or -1 if it could not run. */
static int
run(char *const argv[], const char *input, struct ms_buf *out)
{
	int in[2], op[2], st;
	pid_t pid;

	if (pipe(in) || pipe(op))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(op[1], 1);
		close(in[1]);
		close(op[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(op[1]);
	if (input) {
		size_t n = strlen(input);
		const char *p = input;

		while (n) {
			ssize_t w = write(in[1], p, n);

			if (w <= 0)
				break;
			p += w;
			n -= (size_t)w;
		}
	}
	close(in[1]);
	for (;;) {
		char buf[4096];
		ssize_t r = read(op[0], buf, sizeof(buf));

		if (r <= 0)
			break;
		if (out)
			ms_buf_add(out, buf, (size_t)r);
	}
	close(op[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Do two cron lines run the same job at the same time?  They are
 * "M H * * * sleep D && CMD"; D is random per install. */
static int
same_job(const char *a, size_t alen, const char *b)
{
	const char *sa = strstr(b, " sleep "), *ca, *cb = strstr(b, " && ");
	size_t pre = (size_t)(sa - b);

	if (!sa || !cb || alen < pre || strncmp(a, b, pre) ||
	    strncmp(a + pre, " sleep ", 7))
		return 0;
	ca = strstr(a + pre, " && ");
	if (!ca || ca >= a + alen)
		return 0;
	return (size_t)(a + alen - ca) == strlen(cb) &&
	       !strncmp(ca, cb, strlen(cb));
}

static int
cron_apply(const struct sched *s, int install, int quiet)
{
	char *crontab_l[] = { "crontab", "-l", NULL };
	char *crontab_in[] = { "crontab", "-", NULL };
	struct ms_buf cur = MS_BUF_INIT(1 << 20), next = MS_BUF_INIT(1 << 20);
	char *line = cron_line(s);
	const char *p;
	int found = 0, same = 0, status = EXIT_OK, rc;

	/* No crontab yet is not an error ("no crontab for user"). */
	run(crontab_l, NULL, &cur);
	for (p = ms_buf_str(&cur); *p;) {
		size_t n = strcspn(p, "\n");

		if (n >= strlen(MARKER) &&
		    !strncmp(p + n - strlen(MARKER), MARKER,
			     strlen(MARKER))) {
			found++;
			/* Same time and command; the delay was random. */
			if (same_job(p, n, line))
				same = 1;
		} else {
			ms_buf_add(&next, p, n);
			ms_buf_addc(&next, '\n');
		}
		p += n;
		if (*p)
			p++;
	}
	if (install && found == 1 && same) {
		if (!quiet)
			printf("crontab already has the nightly crawl; "
			       "nothing changed\n");
		goto out;
	}
	if (!install && !found) {
		if (!quiet)
			printf("no nightly crawl in the crontab; nothing "
			       "changed\n");
		goto out;
	}
	if (install) {
		ms_buf_adds(&next, line);
		ms_buf_addc(&next, '\n');
	}
	rc = run(crontab_in, ms_buf_str(&next), NULL);
	if (rc != 0) {
		status = ms_cli_error("'crontab -' failed (status %d); the "
				      "line was:\n%s", rc, line);
		goto out;
	}
	if (!quiet) {
		if (install)
			printf("%s the nightly crawl in the crontab:\n%s\n",
			       found ? "replaced" : "added", line);
		else
			printf("removed the nightly crawl from the crontab\n");
	}
out:
	free(line);
	ms_buf_release(&cur);
	ms_buf_release(&next);
	return status;
}

static char *
unit_dir(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (x && *x == '/')
		return ms_xasprintf("%s/systemd/user", x);
	if (home && *home)
		return ms_xasprintf("%s/.config/systemd/user", home);
	return NULL;
}

/* Write path atomically unless it holds content already: 1 written,
 * 0 unchanged, -1 error (reported). */
static int
put_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "r");
	char *tmp;
	int fd, changed = 1;

	if (f) {
		char buf[16384];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		buf[n] = '\0';
		fclose(f);
		if (!strcmp(buf, content))
			return 0;
	}
	tmp = ms_xasprintf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 ||
	    write(fd, content, strlen(content)) != (ssize_t)strlen(content) ||
	    close(fd) || rename(tmp, path)) {
		ms_cli_error("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		changed = -1;
	}
	free(tmp);
	return changed;
}

static void
systemctl(char *const *args, int quiet)
{
	int rc = run(args, NULL, NULL);

	if (rc != 0 && !quiet)
		fprintf(stderr, "mentorscout: 'systemctl --user %s' failed "
			"(status %d); run it yourself\n", args[2], rc);
}

static int
systemd_apply(const struct sched *s, int install, int quiet)
{
	char *dir = unit_dir(), *svc, *tim, *svc_text, *tim_text;
	char *reload[] = { "systemctl", "--user", "daemon-reload", NULL };
	char *enable[] = { "systemctl", "--user", "enable", "--now",
			   UNIT ".timer", NULL };
	char *disable[] = { "systemctl", "--user", "disable", "--now",
			    UNIT ".timer", NULL };
	int a, b, status = EXIT_OK;

	if (!dir)
		return ms_cli_error("cannot find the systemd user unit "
				    "directory: set HOME or XDG_CONFIG_HOME");
	svc = ms_xasprintf("%s/%s.service", dir, UNIT);
	tim = ms_xasprintf("%s/%s.timer", dir, UNIT);
	if (!install) {
		int had = access(tim, F_OK) == 0 || access(svc, F_OK) == 0;

		if (!had) {
			if (!quiet)
				printf("no mentorscout timer installed; "
				       "nothing changed\n");
			goto out;
		}
		systemctl(disable, quiet);
		unlink(tim);
		unlink(svc);
		systemctl(reload, quiet);
		if (!quiet)
			printf("removed '%s' and '%s'\n", tim, svc);
		goto out;
	}
	if (ms_mkdirs(dir, 0755)) {
		status = ms_cli_error("cannot create '%s': %s", dir,
				      strerror(errno));
		goto out;
	}
	svc_text = sd_service(s);
	tim_text = sd_timer(s);
	a = put_file(svc, svc_text);
	b = a < 0 ? -1 : put_file(tim, tim_text);
	free(svc_text);
	free(tim_text);
	if (a < 0 || b < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	if (!a && !b) {
		if (!quiet)
			printf("timer '%s' is installed already; nothing "
			       "changed\n", tim);
		goto out;
	}
	systemctl(reload, quiet);
	systemctl(enable, quiet);
	if (!quiet)
		printf("wrote '%s' and '%s'; the crawl runs daily at "
		       "%02d:%02d (plus up to %d min)\n", svc, tim, s->hour,
		       s->minute, SPREAD / 60);
out:
	free(svc);
	free(tim);
	free(dir);
	return status;
}

static char *
absolute(const char *p)
{
	char buf[PATH_MAX], *r;

	if (!p)
		return NULL;
	r = realpath(p, buf);
	if (r)
		return ms_xstrdup(r);
	if (p[0] == '/')
		return ms_xstrdup(p);
	if (!getcwd(buf, sizeof(buf)))
		return ms_xstrdup(p);
	return ms_xasprintf("%s/%s", buf, p);
}

static char *
log_path(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir, *p;

	if (x && *x == '/')
		dir = ms_xasprintf("%s/mentorscout", x);
	else if (home && *home)
		dir = ms_xasprintf("%s/.local/state/mentorscout", home);
	else
		return ms_xstrdup("/tmp/mentorscout-crawl.log");
	ms_mkdirs(dir, 0700);
	p = ms_xasprintf("%s/crawl.log", dir);
	free(dir);
	return p;
}

static int
cmd_schedule(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "cron", no_argument, NULL, 'c' },
		{ "systemd", no_argument, NULL, 's' },
		{ "install", no_argument, NULL, 'i' },
		{ "remove", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct sched s = { .hour = 3, .minute = 17 };
	int c, use_systemd = 0, use_cron = 0, install = 0, remove_ = 0;
	int status = EXIT_OK, quiet = ctx->verbose < 0;
	char *text, bin[PATH_MAX];
	ssize_t n;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'a': {
			char tail;

			if (sscanf(optarg, "%d:%d%c", &s.hour, &s.minute,
				   &tail) != 2 ||
			    s.hour < 0 || s.hour > 23 || s.minute < 0 ||
			    s.minute > 59)
				return ms_cli_usage("schedule", "schedule: "
						    "--at wants HH:MM, not "
						    "'%s'", optarg);
			break;
		}
		case 'c': use_cron = 1; break;
		case 's': use_systemd = 1; break;
		case 'i': install = 1; break;
		case 'r': remove_ = 1; break;
		default:
			return ms_cli_usage("schedule", "schedule: unknown "
					    "option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ms_cli_usage("schedule", "schedule: unexpected "
				    "argument '%s'", argv[optind]);
	if (use_cron && use_systemd)
		return ms_cli_usage("schedule", "schedule: --cron and "
				    "--systemd exclude each other");
	if (install && remove_)
		return ms_cli_usage("schedule", "schedule: --install and "
				    "--remove exclude each other");
	if (ctx->parse_only)
		return EXIT_OK;

	n = readlink("/proc/self/exe", bin, sizeof(bin) - 1);
	if (n <= 0)
		return ms_cli_error("cannot find the mentorscout binary: %s",
				    strerror(errno));
	bin[n] = '\0';
	s.bin = ms_xstrdup(bin);
	s.config = absolute(ctx->config_path);
	s.db = absolute(ctx->db_dir);
	s.log = log_path();
	srand((unsigned)(time(NULL) ^ getpid()));
	s.delay = (unsigned)(rand() % SPREAD);

	if (install || remove_) {
		status = use_systemd ? systemd_apply(&s, install, quiet)
				     : cron_apply(&s, install, quiet);
	} else if (use_systemd) {
		text = sd_service(&s);
		printf("# ~/.config/systemd/user/%s.service\n%s\n", UNIT,
		       text);
		free(text);
		text = sd_timer(&s);
		printf("# ~/.config/systemd/user/%s.timer\n%s", UNIT, text);
		free(text);
	} else {
		text = cron_line(&s);
		printf("%s\n", text);
		free(text);
	}
	free(s.bin);
	free(s.config);
	free(s.db);
	free(s.log);
	return status;
}

/* Needs the paths in force (config and store), not their contents. */
static int
cmd_schedule_paths(int argc, char **argv, struct ms_ctx *ctx)
{
	if (ctx->parse_only)
		return cmd_schedule(argc, argv, ctx);
	ctx->config_path = ms_config_default_path(ctx->config_flag);
	ctx->db_dir = ms_store_default_dir(ctx->db_flag);
	if (!ctx->config_path || !ctx->db_dir)
		return ms_cli_error("cannot find where files live: set HOME "
				    "or give --config and --db");
	return cmd_schedule(argc, argv, ctx);
}

const struct ms_cmd cmd_schedule_entry = {
	"schedule", cmd_schedule_paths, 0,
	"print or install a nightly crawl (cron, systemd)",
	"usage: mentorscout schedule [--at HH:MM] [--cron|--systemd]\n"
	"                            [--install|--remove]\n"
	"\n"
	"Print a crontab line (default) or a systemd user timer and service\n"
	"that run 'mentorscout crawl' every night, with absolute paths of the\n"
	"binary, config and store and a log file\n"
	"($XDG_STATE_HOME/mentorscout/crawl.log).  A random delay of up to 30\n"
	"minutes spreads installs so they do not all hit servers at once.\n"
	"\n"
	"  --at HH:MM   the time of day (default 03:17)\n"
	"  --cron       a crontab entry (default)\n"
	"  --systemd    a systemd user timer and service\n"
	"  --install    write it (crontab via 'crontab -'; units into\n"
	"               ~/.config/systemd/user and enable the timer)\n"
	"  --remove     take it out again\n"
	"\n"
	"Installing twice or removing what is not there changes nothing and\n"
	"says so.  The crawl itself is incremental, locked against overlap and\n"
	"appends a one-line summary to the log.\n",
};
