/* `mentorscout schedule`: cron and systemd output with content asserted,
 * install/remove idempotence against a temporary HOME/XDG tree and
 * stand-in crontab and systemctl programs on PATH (issue 6). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lib/testutil.h"

static char *home, *bindir;
static char env_home[4200], env_path[8400], env_xdg[4200], env_state[4200];
static const char *envv[5];

static void
setup(void)
{
	char p[4200];
	const char *crontab =
		"#!/bin/sh\nf=\"$HOME/crontab.txt\"\n"
		"case \"$1\" in\n"
		"-l) if [ -f \"$f\" ]; then cat \"$f\"; else echo 'no crontab "
		"for you' >&2; exit 1; fi ;;\n"
		"-) cat > \"$f\"; echo write >> \"$HOME/crontab.log\" ;;\n"
		"*) exit 2 ;;\nesac\n";
	const char *systemctl =
		"#!/bin/sh\necho \"$*\" >> \"$HOME/systemctl.log\"\n";

	home = ms_test_tmpdir("sched");
	cr_assert_not_null(home);
	bindir = malloc(4200);
	snprintf(bindir, 4200, "%s/bin", home);
	mkdir(bindir, 0700);
	snprintf(p, sizeof(p), "%s/crontab", bindir);
	ms_test_write_file(p, crontab, strlen(crontab));
	chmod(p, 0700);
	snprintf(p, sizeof(p), "%s/systemctl", bindir);
	ms_test_write_file(p, systemctl, strlen(systemctl));
	chmod(p, 0700);
	snprintf(env_home, sizeof(env_home), "HOME=%s", home);
	snprintf(env_path, sizeof(env_path), "PATH=%s:/usr/bin:/bin", bindir);
	snprintf(env_xdg, sizeof(env_xdg), "XDG_CONFIG_HOME=%s/cfg", home);
	snprintf(env_state, sizeof(env_state), "XDG_STATE_HOME=%s/state",
		 home);
	envv[0] = env_home;
	envv[1] = env_path;
	envv[2] = env_xdg;
	envv[3] = env_state;
	envv[4] = NULL;
}

static void
teardown(void)
{
	ms_test_rmrf(home);
	free(home);
	free(bindir);
}

static struct ms_test_run
sched(const char *a1, const char *a2, const char *a3)
{
	char cfg[4300], db[4300];
	const char *argv[12];
	struct ms_test_run r;
	int n = 0;

	/* A config path with a space, a quote and '%' to test quoting. */
	snprintf(cfg, sizeof(cfg), "%s/my conf's 100%%.json", home);
	snprintf(db, sizeof(db), "%s/db", home);
	argv[n++] = "--config";
	argv[n++] = cfg;
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n++] = "schedule";
	if (a1)
		argv[n++] = a1;
	if (a2)
		argv[n++] = a2;
	if (a3)
		argv[n++] = a3;
	argv[n] = NULL;
	cr_assert_eq(ms_test_run(&r, envv, argv), 0);
	return r;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

TestSuite(cli_schedule, .init = setup, .fini = teardown);

Test(cli_schedule, cron_line_has_absolute_quoted_paths_and_a_delay)
{
	struct ms_test_run r = sched("--at", "02:05", NULL);
	unsigned delay = 9999;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.out, "5 2 * * * sleep ", 16), "%s", r.out);
	cr_assert_eq(sscanf(r.out, "5 2 * * * sleep %u", &delay), 1);
	cr_expect_lt(delay, 1800);
	/* the single quote is closed, escaped and reopened; % is \% */
	cr_expect(strstr(r.out, "/my conf'\\''s 100\\%.json'") != NULL, "%s",
		  r.out);
	cr_expect(strstr(r.out, " crawl >> '") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "/state/mentorscout/crawl.log' 2>&1 "
				"# mentorscout-nightly") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "sleep") && r.out[strlen(r.out) - 1] == '\n');
	ms_test_run_free(&r);
}

Test(cli_schedule, systemd_units_have_calendar_delay_and_quoting)
{
	struct ms_test_run r = sched("--systemd", "--at", "23:59");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "OnCalendar=*-*-* 23:59:00") != NULL, "%s",
		  r.out);
	cr_expect(strstr(r.out, "RandomizedDelaySec=1800") != NULL);
	cr_expect(strstr(r.out, "Persistent=true") != NULL);
	cr_expect(strstr(r.out, "Type=oneshot") != NULL);
	/* systemd: % doubled inside the double-quoted path */
	cr_expect(strstr(r.out, "/my conf's 100%%.json\"") != NULL, "%s",
		  r.out);
	cr_expect(strstr(r.out, "ExecStart=\"/") != NULL, "%s", r.out);
	ms_test_run_free(&r);
}

Test(cli_schedule, cron_install_and_remove_are_idempotent)
{
	char path[4300], *tab, *log;
	struct ms_test_run r;

	/* an unrelated line the user had must survive */
	snprintf(path, sizeof(path), "%s/crontab.txt", home);
	ms_test_write_file(path, "0 1 * * * backup\n", 17);

	r = sched("--install", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "added") != NULL, "%s", r.out);
	ms_test_run_free(&r);
	r = sched("--install", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "nothing changed") != NULL, "%s", r.out);
	ms_test_run_free(&r);

	tab = ms_test_read_file(path, NULL);
	cr_expect_eq(count(tab, "# mentorscout-nightly"), 1, "%s", tab);
	cr_expect(strstr(tab, "0 1 * * * backup\n") != NULL);
	free(tab);
	snprintf(path, sizeof(path), "%s/crontab.log", home);
	log = ms_test_read_file(path, NULL);
	cr_expect_eq(count(log, "write"), 1, "crontab rewritten: %s", log);
	free(log);

	r = sched("--remove", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "removed") != NULL, "%s", r.out);
	ms_test_run_free(&r);
	r = sched("--remove", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "nothing changed") != NULL, "%s", r.out);
	ms_test_run_free(&r);
	snprintf(path, sizeof(path), "%s/crontab.txt", home);
	tab = ms_test_read_file(path, NULL);
	cr_expect_eq(count(tab, "mentorscout"), 0, "%s", tab);
	cr_expect(strstr(tab, "0 1 * * * backup\n") != NULL);
	free(tab);
}

Test(cli_schedule, systemd_install_and_remove_are_idempotent)
{
	char svc[4300], tim[4300], path[4300], *log;
	struct ms_test_run r;
	struct stat sb;

	snprintf(svc, sizeof(svc), "%s/cfg/systemd/user/"
		 "mentorscout-crawl.service", home);
	snprintf(tim, sizeof(tim), "%s/cfg/systemd/user/"
		 "mentorscout-crawl.timer", home);
	r = sched("--systemd", "--install", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	cr_expect_eq(stat(svc, &sb), 0);
	cr_expect_eq(stat(tim, &sb), 0);
	r = sched("--systemd", "--install", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "nothing changed") != NULL, "%s", r.out);
	ms_test_run_free(&r);
	snprintf(path, sizeof(path), "%s/systemctl.log", home);
	log = ms_test_read_file(path, NULL);
	cr_expect_eq(count(log, "enable --now mentorscout-crawl.timer"), 1,
		     "%s", log);
	free(log);

	r = sched("--systemd", "--remove", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	cr_expect_neq(stat(svc, &sb), 0);
	cr_expect_neq(stat(tim, &sb), 0);
	r = sched("--systemd", "--remove", NULL);
	cr_expect(strstr(r.out, "nothing changed") != NULL, "%s", r.out);
	ms_test_run_free(&r);
}

Test(cli_schedule, bad_time_is_a_usage_error)
{
	struct ms_test_run r = sched("--at", "25:00", NULL);

	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--at wants HH:MM, not '25:00'") != NULL,
		  "%s", r.err);
	ms_test_run_free(&r);
}
