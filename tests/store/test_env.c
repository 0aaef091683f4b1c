/* Tests for store/env.c: where the store lives, creating it private,
 * refusing what is not ours (no store, a newer schema), stale reader
 * slots of killed processes, snapshots that hold while another process
 * writes, and a tiny map that grows to take 100,000 records. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/store/storetest.h"
#include "util/err.h"
#include "util/valgrind.h"

static mode_t
mode_of(const char *dir, const char *name)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s%s", dir, name ? "/" : "",
		 name ? name : "");
	cr_assert_eq(stat(path, &sb), 0, "stat '%s': %s", path,
		     strerror(errno));
	return sb.st_mode & 07777;
}

static int
wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* ------------------------------------------------------------- where */

Test(store_env, default_dir_follows_flag_then_env_then_xdg_then_home)
{
	char *d;

	setenv("HOME", "/home/jane", 1);
	setenv("XDG_DATA_HOME", "/xdg/data", 1);
	setenv("MENTORSCOUT_DB", "/srv/scout", 1);
	d = ms_store_default_dir("/flag/db");
	cr_expect_str_eq(d, "/flag/db");
	free(d);
	d = ms_store_default_dir(NULL);
	cr_expect_str_eq(d, "/srv/scout");
	free(d);
	unsetenv("MENTORSCOUT_DB");
	d = ms_store_default_dir(NULL);
	cr_expect_str_eq(d, "/xdg/data/mentorscout");
	free(d);
	/* The XDG spec: a relative value is invalid and ignored. */
	setenv("XDG_DATA_HOME", "relative/data", 1);
	d = ms_store_default_dir(NULL);
	cr_expect_str_eq(d, "/home/jane/.local/share/mentorscout");
	free(d);
	unsetenv("XDG_DATA_HOME");
	d = ms_store_default_dir("");
	cr_expect_str_eq(d, "/home/jane/.local/share/mentorscout");
	free(d);
}

/* ------------------------------------------------------------ create */

Test(store_env, create_makes_private_dir_and_files_whatever_the_umask)
{
	static const mode_t masks[] = { 0, 0222, 0277 };
	char *base = ms_test_tmpdir("env-modes");
	char dir[4096];

	cr_assert_not_null(base);
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		struct ms_err err = { 0 };
		struct ms_store *st;
		mode_t old = umask(masks[i]);
		int rc;

		snprintf(dir, sizeof(dir), "%s/%zu/share/mentorscout", base, i);
		rc = ms_store_open(dir, MS_STORE_CREATE, 1 << 20, &st, &err);
		umask(old);
		cr_assert_eq(rc, MS_OK, "umask %o: %s", masks[i], err.msg);
		cr_expect_eq(mode_of(dir, NULL), 0700, "umask %o: dir %o",
			     masks[i], mode_of(dir, NULL));
		cr_expect_eq(mode_of(dir, "data.mdb"), 0600, "umask %o: %o",
			     masks[i], mode_of(dir, "data.mdb"));
		cr_expect_eq(mode_of(dir, "lock.mdb"), 0600, "umask %o: %o",
			     masks[i], mode_of(dir, "lock.mdb"));
		/* Created parents are private too (XDG base directories). */
		snprintf(dir, sizeof(dir), "%s/%zu/share", base, i);
		cr_expect_eq(mode_of(dir, NULL), 0700);
		ms_store_close(st);
	}
	ms_test_rmrf(base);
	free(base);
}

Test(store_env, missing_dir_without_create_is_not_found_and_not_made)
{
	char *base = ms_test_tmpdir("env-missing");
	struct ms_err err = { 0 };
	struct ms_store *st = (struct ms_store *)1;
	char dir[4096];
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s/nothing-here", base);
	cr_assert_eq(ms_store_open(dir, 0, 0, &st, &err), MS_ENOTFOUND, "%s",
		     err.msg);
	cr_expect_null(st);
	cr_expect(strstr(err.msg, dir), "message names the dir: %s", err.msg);
	cr_assert_eq(ms_store_open(dir, MS_STORE_RDONLY, 0, &st, &err),
		     MS_ENOTFOUND, "%s", err.msg);
	/* Read-only never creates, whatever the other flags say. */
	cr_assert_eq(ms_store_open(dir, MS_STORE_RDONLY | MS_STORE_CREATE, 0,
				   &st, &err), MS_ENOTFOUND, "%s", err.msg);
	cr_expect_neq(stat(dir, &sb), 0, "the directory was created");
	ms_test_rmrf(base);
	free(base);
}

Test(store_env, empty_dir_without_create_is_not_found_and_stays_empty)
{
	char *dir = ms_test_tmpdir("env-empty");
	struct ms_err err = { 0 };
	struct ms_store *st;
	char path[4096];
	struct stat sb;

	cr_assert_eq(ms_store_open(dir, 0, 0, &st, &err), MS_ENOTFOUND, "%s",
		     err.msg);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	cr_expect_neq(stat(path, &sb), 0, "data.mdb was created");
	ms_test_rmrf(dir);
	free(dir);
}

Test(store_env, a_file_is_not_a_store_directory)
{
	char *dir = ms_test_tmpdir("env-file");
	struct ms_err err = { 0 };
	struct ms_store *st;
	char path[4096];

	snprintf(path, sizeof(path), "%s/plain", dir);
	cr_assert_eq(ms_test_write_file(path, "x", 1), 0);
	cr_expect_eq(ms_store_open(path, MS_STORE_CREATE, 0, &st, &err),
		     MS_EIO);
	cr_expect(strstr(err.msg, "Not a directory"), "%s", err.msg);
	ms_test_rmrf(dir);
	free(dir);
}

Test(store_env, a_file_that_is_not_lmdb_is_corrupt)
{
	char *dir = ms_test_tmpdir("env-notlmdb");
	struct ms_err err = { 0 };
	struct ms_store *st;
	char path[4096], junk[8192];

	memset(junk, 'j', sizeof(junk));
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	cr_assert_eq(ms_test_write_file(path, junk, sizeof(junk)), 0);
	cr_expect_eq(ms_store_open(dir, 0, 0, &st, &err), MS_ECORRUPT, "%s",
		     err.msg);
	cr_expect(strstr(err.msg, dir), "%s", err.msg);
	ms_test_rmrf(dir);
	free(dir);
}

Test(store_env, schema_is_written_and_store_reopens)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-reopen", 0, &dir);
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	const unsigned char *p;
	const void *v;
	size_t len;

	cr_assert_eq(st_put_posts(st, 0, 10, &err), MS_OK, "%s", err.msg);
	cr_expect_str_eq(ms_store_dir(st), dir);
	/* valgrind cannot reserve 64 GiB: the store falls back to less. */
	cr_expect_geq(ms_store_map_size(st), RUNNING_ON_VALGRIND ?
		      (size_t)256 << 20 : (size_t)64 << 30,
		      "default map is 64 GiB (under valgrind 256 MiB or more)");
	ms_store_close(st);

	cr_assert_eq(ms_store_open(dir, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_get_meta(t, "schema", &v, &len, &err), MS_OK,
		     "%s", err.msg);
	p = v;
	cr_assert_eq(len, 4);
	cr_expect_eq((uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3],
		     MS_STORE_SCHEMA);
	cr_expect_eq(st_count_posts_in(t), 10);
	cr_expect_eq(ms_store_get_meta(t, "nope", &v, &len, &err),
		     MS_ENOTFOUND);
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

Test(store_env, newer_schema_is_refused_naming_both_versions)
{
	static const unsigned char seven[4] = { 0, 0, 0, 7 };
	char *dir;
	struct ms_store *st = st_open_tmp("env-schema", 0, &dir);
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_err err = { 0 };
	char want[4200];

	ms_batch_put_meta(b, "schema", seven, sizeof(seven));
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);

	snprintf(want, sizeof(want), "store '%s' was written by a newer "
		 "mentorscout (schema 7, this one reads %d)", dir,
		 MS_STORE_SCHEMA);
	st = (struct ms_store *)1;
	cr_expect_eq(ms_store_open(dir, 0, 0, &st, &err), MS_EVERSION);
	cr_expect_str_eq(err.msg, want);
	cr_expect_null(st);
	cr_expect_eq(ms_store_open(dir, MS_STORE_RDONLY, 0, &st, &err),
		     MS_EVERSION);
	cr_expect_str_eq(err.msg, want);
	/* CREATE must not "repair" a newer store either. */
	cr_expect_eq(ms_store_open(dir, MS_STORE_CREATE, 0, &st, &err),
		     MS_EVERSION);
	cr_expect_str_eq(err.msg, want);
	ms_test_rmrf(dir);
	free(dir);
}

Test(store_env, read_only_store_refuses_batches_and_metasync_writes)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-ro", 0, &dir);
	struct ms_err err = { 0 };

	ms_store_close(st);
	cr_assert_eq(ms_store_open(dir, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_eq(st_put_posts(st, 0, 3, &err), MS_ESTORE);
	cr_expect(strstr(err.msg, "read-only"), "%s", err.msg);
	ms_store_close(st);
	cr_assert_eq(ms_store_open(dir, MS_STORE_METASYNC, 0, &st, &err),
		     MS_OK, "%s", err.msg);
	cr_expect_eq(st_put_posts(st, 0, 3, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(st_count_posts(st), 3);
	st_close_tmp(st, dir);
}

Test(store_env, stats_count_each_table)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-stats", 1 << 20, &dir);
	struct ms_store_stats s;
	struct ms_err err = { 0 };
	struct ms_batch *b;
	struct ms_feed_rec f = { 0 };
	struct ms_host_rec h = { 0 };
	struct ms_crawl_rec c = { 0 };

	cr_assert_eq(st_put_posts(st, 0, 25, &err), MS_OK, "%s", err.msg);
	b = ms_store_batch_new(st);
	f.url = "https://jane.example/feed";
	ms_batch_put_feed(b, &f);
	ms_batch_put_host(b, "jane.example", &h);
	c.started = 100;
	ms_batch_put_crawl(b, &c);
	c.started = 200;
	ms_batch_put_crawl(b, &c);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_stats(st, &s, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(s.posts, 25);
	cr_expect_eq(s.feeds, 1);
	cr_expect_eq(s.hosts, 1);
	cr_expect_eq(s.crawls, 2);
	cr_expect_eq(s.comments + s.people + s.links + s.scores, 0);
	cr_expect_eq(s.map_size, ms_store_map_size(st));
	cr_expect(s.used_bytes > 0 && s.used_bytes <= s.map_size);
	st_close_tmp(st, dir);
}

/* ------------------------------------------------------ stale readers */

/*
 * A child that opens the store read-only, begins a snapshot, tells the
 * parent and waits to be killed: what `discover` leaves after kill -9.
 */
static pid_t
spawn_reader_to_kill(const char *dir)
{
	struct st_sync s;
	pid_t pid;

	st_sync_init(&s);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		struct ms_store *st;
		struct ms_rtxn *t;

		if (ms_store_open(dir, MS_STORE_RDONLY, 0, &st, NULL) ||
		    ms_store_read_begin(st, &t, NULL))
			_exit(1);
		st_signal(s.to_parent[1]);
		for (;;)
			pause();
	}
	close(s.to_parent[1]);
	cr_assert_eq(st_wait(s.to_parent[0]), 0, "reader %d did not start",
		     (int)pid);
	close(s.to_parent[0]);
	close(s.to_child[0]);
	close(s.to_child[1]);
	kill(pid, SIGKILL);
	cr_assert_eq(wait_child(pid), 128 + SIGKILL);
	return pid;
}

/*
 * A child holding the store open, so the lock file is not reset when the
 * next process opens it (LMDB reinitialises the reader table when nobody
 * has it open).  It leaves when the parent closes *release.
 */
static pid_t
spawn_holder(const char *dir, int *release)
{
	struct st_sync s;
	pid_t pid;

	st_sync_init(&s);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		struct ms_store *st;

		close(s.to_child[1]);
		if (ms_store_open(dir, 0, 0, &st, NULL))
			_exit(1);
		st_signal(s.to_parent[1]);
		st_wait(s.to_child[0]);	/* EOF when the parent lets go */
		ms_store_close(st);
		_exit(0);
	}
	close(s.to_parent[1]);
	close(s.to_child[0]);
	cr_assert_eq(st_wait(s.to_parent[0]), 0, "holder did not start");
	close(s.to_parent[0]);
	*release = s.to_child[1];
	return pid;
}

Test(store_env, stale_reader_slot_of_killed_process_is_cleared)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-stale", 1 << 20, &dir);
	struct ms_err err = { 0 };
	pid_t holder;
	int release;

	cr_assert_eq(st_put_posts(st, 0, 5, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);
	holder = spawn_holder(dir, &release);
	spawn_reader_to_kill(dir);

	cr_assert_eq(ms_store_open(dir, 0, 0, &st, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(ms_store_readers_cleared(st), 1,
		     "cleared %u stale slots", ms_store_readers_cleared(st));
	cr_expect_eq(st_count_posts(st), 5);
	ms_store_close(st);
	/* Cleared once, gone for good. */
	cr_assert_eq(ms_store_open(dir, 0, 0, &st, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(ms_store_readers_cleared(st), 0);
	ms_store_close(st);

	close(release);
	cr_expect_eq(wait_child(holder), 0);
	ms_test_rmrf(dir);
	free(dir);
}

Test(store_env, more_killed_readers_than_slots_do_not_lock_us_out,
     .timeout = 120)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-stale130", 1 << 20, &dir);
	struct ms_err err = { 0 };
	pid_t holder;
	int release;

	ms_store_close(st);
	holder = spawn_holder(dir, &release);
	/* LMDB has 126 reader slots: 130 kill -9'd readers would fill them
	 * if each open did not clear the dead ones. */
	for (int i = 0; i < 130; i++)
		spawn_reader_to_kill(dir);
	cr_assert_eq(ms_store_open(dir, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_geq(ms_store_readers_cleared(st), 1);
	cr_expect_eq(st_count_posts(st), 0);
	ms_store_close(st);
	close(release);
	cr_expect_eq(wait_child(holder), 0);
	ms_test_rmrf(dir);
	free(dir);
}

/* ----------------------------------------------------------- snapshots */

Test(store_env, snapshot_keeps_its_view_while_this_process_commits)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-snap", 0, &dir);
	struct ms_err err = { 0 };
	struct ms_rtxn *old, *other, *now;

	cr_assert_eq(st_put_posts(st, 0, 100, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_read_begin(st, &old, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(ms_store_read_begin(st, &other, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(st_put_posts(st, 100, 50, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(st_count_posts_in(old), 100);
	cr_assert_eq(ms_store_read_begin(st, &now, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(st_count_posts_in(now), 150);
	cr_expect_eq(st_count_posts_in(other), 100);
	ms_store_read_end(old);
	ms_store_read_end(other);
	ms_store_read_end(now);
	st_close_tmp(st, dir);
}

Test(store_env, reader_in_another_process_keeps_its_snapshot)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-xsnap", 1 << 20, &dir);
	struct ms_err err = { 0 };
	struct st_sync s;
	pid_t pid;

	cr_assert_eq(st_put_posts(st, 0, 10, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);
	st_sync_init(&s);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		/* `discover`: read-only, while `crawl` writes. */
		struct ms_rtxn *t;
		size_t n;

		if (ms_store_open(dir, MS_STORE_RDONLY, 0, &st, NULL) ||
		    ms_store_read_begin(st, &t, NULL))
			_exit(10);
		if (st_count_snap(t) != 10)
			_exit(11);
		st_signal(s.to_parent[1]);
		st_wait(s.to_child[0]);
		if (st_count_snap(t) != 10)
			_exit(12);	/* the snapshot moved */
		ms_store_read_end(t);
		n = st_count_posts(st);
		ms_store_close(st);
		_exit(n == 1010 ? 0 : 13);
	}
	cr_assert_eq(st_wait(s.to_parent[0]), 0, "reader did not start");
	cr_assert_eq(ms_store_open(dir, 0, 1 << 20, &st, &err), MS_OK, "%s",
		     err.msg);
	/* The reader never blocks us: this commit does not wait for it. */
	cr_assert_eq(st_put_posts(st, 10, 1000, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(st_signal(s.to_child[1]), 0);
	cr_expect_eq(wait_child(pid), 0, "reader saw the wrong snapshot");
	st_close_tmp(st, dir);
}

Test(store_env, map_grown_by_another_process_is_adopted)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-resized", 64 << 10, &dir);
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	struct st_sync s;
	size_t before;
	pid_t pid;

	ms_store_close(st);
	st_sync_init(&s);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		st_wait(s.to_child[0]);
		if (ms_store_open(dir, 0, 64 << 10, &st, NULL))
			_exit(10);
		for (size_t i = 0; i < 5; i++)
			if (st_put_posts(st, i * 1000, 1000, NULL))
				_exit(11);
		ms_store_close(st);
		_exit(0);
	}
	cr_assert_eq(ms_store_open(dir, 0, 64 << 10, &st, &err), MS_OK, "%s",
		     err.msg);
	before = ms_store_map_size(st);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(st_signal(s.to_child[1]), 0);
	cr_assert_eq(wait_child(pid), 0, "the writer failed");
	cr_expect_eq(st_count_posts_in(t), 0, "old snapshot moved");
	ms_store_read_end(t);
	/* The data is now past our map: LMDB says MDB_MAP_RESIZED. */
	cr_expect_eq(st_count_posts(st), 5000);
	cr_expect_gt(ms_store_map_size(st), before);
	cr_assert_eq(st_put_posts(st, 5000, 10, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(st_count_posts(st), 5010);
	st_close_tmp(st, dir);
}

/* --------------------------------------------------------------- growth */

static int
check_post(const struct ms_hash *key, const struct ms_post_rec *r, void *ctx)
{
	struct ms_hash want;

	ms_key_post(r->url, &want);
	if (memcmp(want.b, key->b, MS_HASH_LEN) != 0)
		return 99;
	++*(size_t *)ctx;
	return 0;
}

Test(store_env, tiny_map_grows_to_hold_100000_posts, .timeout = 300)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-grow", 64 << 10, &dir);
	struct ms_err err = { 0 };
	struct ms_post_rec r;
	struct ms_rtxn *t;
	struct ms_hash key;
	struct timespec a, b;
	size_t n = 0;
	char buf[256];
	double secs;

	cr_assert_eq(ms_store_map_size(st), 64 << 10);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (size_t i = 0; i < 100; i++)
		cr_assert_eq(st_put_posts(st, i * 1000, 1000, &err), MS_OK,
			     "batch %zu: %s", i, err.msg);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	{
		struct ms_store_stats s;

		cr_assert_eq(ms_store_stats(st, &s, &err), MS_OK, "%s",
			     err.msg);
		cr_log_info("100 batches of 1,000 posts: %.2f s; map %zu "
			    "bytes (%zu used) after %u growths from 64 KiB",
			    secs, s.map_size, s.used_bytes,
			    ms_store_grow_count(st));
	}
	cr_expect_gt(ms_store_grow_count(st), 3, "grew %u times",
		     ms_store_grow_count(st));

	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_each_post(t, check_post, &n, &err), MS_OK,
		     "%s", err.msg);
	cr_expect_eq(n, 100000);
	for (size_t i = 0; i < 100000; i += 9973) {
		struct ms_post_rec got;

		r = st_post(i, buf);
		ms_key_post(r.url, &key);
		cr_assert_eq(ms_store_get_post(t, &key, &got, &err), MS_OK,
			     "post %zu: %s", i, err.msg);
		cr_expect_str_eq(got.url, r.url);
		cr_expect_eq(got.published, r.published);
	}
	ms_store_read_end(t);
	st_close_tmp(st, dir);
}

Test(store_env, growth_while_this_process_has_a_snapshot_is_full)
{
	char *dir;
	struct ms_store *st = st_open_tmp("env-growsnap", 64 << 10, &dir);
	struct ms_err err = { 0 };
	struct ms_rtxn *t;

	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(st_put_posts(st, 0, 1000, &err), MS_EFULL);
	cr_expect(strstr(err.msg, "read snapshot") && strstr(err.msg, dir),
		  "%s", err.msg);
	cr_expect_eq(st_count_posts_in(t), 0);
	ms_store_read_end(t);
	cr_expect_eq(st_count_posts(st), 0, "a partial batch was stored");
	cr_assert_eq(st_put_posts(st, 0, 1000, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(st_count_posts(st), 1000);
	st_close_tmp(st, dir);
}
