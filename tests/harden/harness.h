/*
 * harness.h — what the hardening tests share (header-only, static): the
 * sample web (genweb) served by the loopback fixture, a config for it,
 * running the mentorscout binary to completion or in the background (to
 * be killed), and reading a store through ms_store_verify().
 */
#ifndef MS_TESTS_HARDEN_HARNESS_H
#define MS_TESTS_HARDEN_HARNESS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/server/fixture.h"
#include "tests/server/genweb.h"
#include "util/err.h"
#include "util/hash.h"

struct hx {
	char *tmp;
	struct ms_fixture *fx;
	char web[4200], cfg[4200], opml[4300];
};

static inline double
hx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A fixture serving a sample web of `blogs` blogs (0: none, routes only)
 * and a config with conf_json as its text. */
static inline void
hx_start(struct hx *h, const char *tag, unsigned blogs, const char *conf_json)
{
	struct ms_genweb_opts go = { 0 };
	struct ms_err err = { 0 };

	memset(h, 0, sizeof(*h));
	h->tmp = ms_test_tmpdir(tag);
	cr_assert_not_null(h->tmp);
	cr_assert_eq(ms_fixture_start(NULL, &h->fx, &err), MS_OK, "%s",
		     err.msg);
	snprintf(h->cfg, sizeof(h->cfg), "%s/config.json", h->tmp);
	cr_assert_eq(ms_test_write_file(h->cfg, conf_json, strlen(conf_json)),
		     0);
	if (!blogs)
		return;
	snprintf(h->web, sizeof(h->web), "%s/web", h->tmp);
	snprintf(h->opml, sizeof(h->opml), "%s/feeds.opml", h->web);
	go.out = h->web;
	go.port = ms_fixture_port(h->fx);
	go.blogs = blogs;
	go.seed = 7;
	cr_assert_eq(ms_genweb_run(&go, NULL, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_fixture_serve_dir(h->fx, h->web, MS_FIXTURE_GZIP,
					  &err), MS_OK, "%s", err.msg);
}

static inline void
hx_stop(struct hx *h)
{
	ms_fixture_stop(h->fx);
	ms_test_rmrf(h->tmp);
	free(h->tmp);
}

/* mentorscout --config CFG --db DB ARGS... (NULL-terminated, ≤ 8). */
static inline struct ms_test_run
hx_run(struct hx *h, const char *db, const char *const *args)
{
	const char *argv[16] = { "--config", h->cfg, "--db", db };
	struct ms_test_run r;
	size_t n = 4;

	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cr_assert_eq(ms_test_run(&r, NULL, argv), 0, "cannot run mentorscout");
	return r;
}

/* Run and expect exit status 0. */
static inline void
hx_ok(struct hx *h, const char *db, const char *const *args)
{
	struct ms_test_run r = hx_run(h, db, args);

	cr_assert_eq(r.status, 0, "%s %s: exit %d: %s", args[0],
		     args[1] ? args[1] : "", r.status, r.err);
	ms_test_run_free(&r);
}

/* init and import the sample web's subscriptions into a new store. */
static inline void
hx_new_store(struct hx *h, const char *db)
{
	ms_test_rmrf(db);
	hx_ok(h, db, (const char *[]){ "init", NULL });
	hx_ok(h, db, (const char *[]){ "feeds", "import", h->opml, NULL });
}

/*
 * mentorscout in the background, stdout and stderr to errpath (may be
 * NULL: /dev/null); returns the pid.  exec'd directly so that a signal
 * reaches the crawl itself.
 */
static inline pid_t
hx_spawn(struct hx *h, const char *db, const char *const *args,
	 const char *errpath)
{
	const char *bin = getenv("MS_BIN");
	const char *argv[20] = { "mentorscout", "--config", h->cfg, "--db",
				 db };
	size_t n = 5;
	pid_t pid;

	for (size_t i = 0; args[i] && n < 19; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = errpath ? open(errpath, O_WRONLY | O_CREAT |
					 O_TRUNC, 0600)
				  : open("/dev/null", O_WRONLY);

		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		execv(bin && *bin ? bin : "build/mentorscout",
		      (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* waitpid, then the exit status, or 128 + the signal. */
static inline int
hx_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Verify a store from this process (read-only open). */
static inline struct ms_verify_report
hx_verify(const char *db)
{
	struct ms_verify_report r;
	struct ms_store *st;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_open(db, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "the store does not open: %s", err.msg);
	cr_assert_eq(ms_store_verify(st, &r, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);
	return r;
}

/* Assert a report has no problem, printing the first ones. */
static inline void
hx_expect_healthy(const struct ms_verify_report *r, const char *when)
{
	for (size_t i = 0; i < r->nmsgs; i++)
		cr_log_error("%s: %s", when, r->msgs[i]);
	cr_expect_eq(r->problems, 0, "%s: %zu problems in the store", when,
		     r->problems);
}

/* Do two stores hold the same entries (posts and titles, comments)? */
static inline int
hx_same_entries(const struct ms_verify_report *a,
		const struct ms_verify_report *b)
{
	return a->posts == b->posts && a->comments == b->comments &&
	       !memcmp(&a->fingerprint, &b->fingerprint,
		       sizeof(a->fingerprint));
}

#endif
