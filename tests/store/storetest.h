/*
 * storetest.h — helpers the store's tests share (header-only, static):
 * a fresh store in a temporary directory, bulk sample posts, counting
 * walks, and pipes to step a forked child and its parent in turn.
 */
#ifndef MS_TESTS_STORETEST_H
#define MS_TESTS_STORETEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

/* A store created in a fresh temporary directory; *dir is malloc'd. */
static inline struct ms_store *
st_open_tmp(const char *tag, size_t map_size, char **dir)
{
	struct ms_err err = { 0 };
	struct ms_store *st = NULL;
	int rc;

	*dir = ms_test_tmpdir(tag);
	cr_assert_not_null(*dir, "cannot make a temporary directory");
	rc = ms_store_open(*dir, MS_STORE_CREATE, map_size, &st, &err);
	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	return st;
}

static inline void
st_close_tmp(struct ms_store *st, char *dir)
{
	ms_store_close(st);
	ms_test_rmrf(dir);
	free(dir);
}

/* Post number i of a sample blog, its strings in buf (256 bytes). */
static inline struct ms_post_rec
st_post(size_t i, char *buf)
{
	struct ms_post_rec r = { 0 };

	snprintf(buf, 256, "https://blog%zu.example/2024/%06zu/a-post-on-"
		 "one-to-ones", i % 97, i);
	r.url = buf;
	r.title = "On one-to-ones and the questions that open them up";
	r.author_name = "Jane Doe";
	r.categories = "HR\nManagement";
	r.lang = "en";
	r.topics = "hr=2";
	r.summary = "Twenty minutes, every week, the agenda is theirs.";
	r.published = 1704067200 + (int64_t)i;
	r.updated = MS_TIME_NONE;
	r.seen = 1704200000;
	r.comment_count = (int32_t)(i % 7);
	r.comments_open = 1;
	return r;
}

/* Commit posts [from, from + n) in one batch. */
static inline int
st_put_posts(struct ms_store *st, size_t from, size_t n, struct ms_err *err)
{
	struct ms_batch *b = ms_store_batch_new(st);
	char buf[256];

	for (size_t i = from; i < from + n; i++) {
		struct ms_post_rec r = st_post(i, buf);

		ms_batch_put_post(b, &r);
	}
	return ms_store_batch_commit(b, err);
}

static inline int
st_count_post(const struct ms_hash *key, const struct ms_post_rec *r,
	      void *ctx)
{
	(void)key;
	(void)r;
	++*(size_t *)ctx;
	return 0;
}

/* Posts in a snapshot (asserts on failure). */
static inline size_t
st_count_posts_in(struct ms_rtxn *t)
{
	struct ms_err err = { 0 };
	size_t n = 0;
	int rc = ms_store_each_post(t, st_count_post, &n, &err);

	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	return n;
}

/* Posts in a snapshot, or (size_t)-1; usable in a forked child. */
static inline size_t
st_count_snap(struct ms_rtxn *t)
{
	size_t n = 0;

	if (ms_store_each_post(t, st_count_post, &n, NULL) != MS_OK)
		return (size_t)-1;
	return n;
}

/* Posts in a new snapshot, or (size_t)-1; usable in a forked child. */
static inline size_t
st_count_posts(struct ms_store *st)
{
	struct ms_rtxn *t;
	size_t n;

	if (ms_store_read_begin(st, &t, NULL) != MS_OK)
		return (size_t)-1;
	n = st_count_snap(t);
	ms_store_read_end(t);
	return n;
}

/* Pipes between a parent and a forked child: one byte = one step. */
struct st_sync {
	int to_child[2], to_parent[2];
};

static inline void
st_sync_init(struct st_sync *s)
{
	cr_assert_eq(pipe(s->to_child), 0);
	cr_assert_eq(pipe(s->to_parent), 0);
}

static inline int
st_signal(int fd)
{
	return write(fd, "x", 1) == 1 ? 0 : -1;
}

static inline int
st_wait(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

#endif
