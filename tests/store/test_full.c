/* Tests for a full disk (R-CR-4): the commit fails with MS_EFULL naming
 * the store directory, nothing of the batch is stored, and the store works
 * again once there is room.
 *
 * A real full file system needs root (a loop device or a small tmpfs), so
 * this binary stands in for one: it defines pwrite() and writev(), which
 * LMDB's page writes resolve to, and lets writes to the store's data.mdb
 * fail past a chosen end of "disk" the way the kernel does — ENOSPC, or a
 * short write (which LMDB reports as EIO) — and statvfs(), which the store
 * asks how much room is left. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/store/storetest.h"
#include "util/err.h"

enum { ROOMY, FULL_ENOSPC, FULL_SHORT };

static struct {
	int mode;
	dev_t dev;
	ino_t ino;
	off_t end;		/* the disk ends here */
	int statvfs_empty;	/* statvfs reports no free blocks */
} disk;

static int
is_store_file(int fd)
{
	struct stat sb;

	return disk.mode != ROOMY && fstat(fd, &sb) == 0 &&
	       sb.st_dev == disk.dev && sb.st_ino == disk.ino;
}

/* How much of a write of n bytes at off fits; -1 with errno if none. */
static ssize_t
room_for(off_t off, size_t n)
{
	if ((off_t)(off + n) <= disk.end)
		return (ssize_t)n;
	if (disk.mode == FULL_ENOSPC || off >= disk.end) {
		errno = ENOSPC;
		return -1;
	}
	return (ssize_t)(disk.end - off);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	ssize_t fit;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pwrite");
	if (is_store_file(fd)) {
		if ((fit = room_for(off, n)) < 0)
			return -1;
		n = (size_t)fit;
	}
	return real(fd, buf, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	static ssize_t (*real)(int, const struct iovec *, int);
	struct iovec cut[64];
	size_t total = 0;
	ssize_t fit;
	off_t off;
	int n = 0;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "writev");
	if (!is_store_file(fd) || cnt > 64)
		return real(fd, iov, cnt);
	for (int i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	off = lseek(fd, 0, SEEK_CUR);
	if ((fit = room_for(off, total)) < 0)
		return -1;
	for (size_t left = (size_t)fit; n < cnt && left; n++) {
		cut[n] = iov[n];
		if (cut[n].iov_len > left)
			cut[n].iov_len = left;
		left -= cut[n].iov_len;
	}
	return real(fd, cut, n);
}

int
statvfs(const char *path, struct statvfs *sv)
{
	static int (*real)(const char *, struct statvfs *);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "statvfs");
	if (real(path, sv) != 0)
		return -1;
	if (disk.statvfs_empty)
		sv->f_bfree = sv->f_bavail = 0;
	return 0;
}

/* The disk is full from (about) the current end of data.mdb on. */
static void
fill_disk(const char *dir, int mode, int statvfs_empty)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	cr_assert_eq(stat(path, &sb), 0);
	disk.dev = sb.st_dev;
	disk.ino = sb.st_ino;
	/* Half a page of room: the next append is cut short. */
	disk.end = sb.st_size + (mode == FULL_SHORT ? 2048 : 0);
	disk.statvfs_empty = statvfs_empty;
	disk.mode = mode;
}

static void
free_disk(void)
{
	disk.mode = ROOMY;
	disk.statvfs_empty = 0;
}

static void
check_full_then_recovers(int mode, int statvfs_empty, int want)
{
	char *dir;
	struct ms_store *st = st_open_tmp("full", 1 << 20, &dir);
	struct ms_err err = { 0 };
	int rc;

	cr_assert_eq(st_put_posts(st, 0, 10, &err), MS_OK, "%s", err.msg);
	fill_disk(dir, mode, statvfs_empty);
	rc = st_put_posts(st, 10, 2000, &err);
	free_disk();
	cr_assert_eq(rc, want, "rc %d: %s", rc, err.msg);
	cr_expect(strstr(err.msg, dir), "message does not name the store: "
		  "%s", err.msg);
	if (want == MS_EFULL)
		cr_expect(strstr(err.msg, "no space left"), "%s", err.msg);
	cr_expect_eq(st_count_posts(st), 10, "part of the batch was stored");

	/* Room again: the same store takes the batch. */
	cr_assert_eq(st_put_posts(st, 10, 2000, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(st_count_posts(st), 2010);
	ms_store_close(st);
	cr_assert_eq(ms_store_open(dir, 0, 0, &st, &err), MS_OK, "%s",
		     err.msg);
	cr_expect_eq(st_count_posts(st), 2010);
	st_close_tmp(st, dir);
}

Test(store_full, enospc_fails_the_batch_naming_the_store_and_stores_nothing)
{
	check_full_then_recovers(FULL_ENOSPC, 0, MS_EFULL);
}

/* A full disk usually shows as a short write, which LMDB turns into EIO;
 * with no free space left that is a full disk too. */
Test(store_full, short_write_on_a_full_file_system_is_full)
{
	check_full_then_recovers(FULL_SHORT, 1, MS_EFULL);
}

/* The same short write with room on the file system is an I/O error. */
Test(store_full, short_write_with_room_left_is_an_io_error)
{
	check_full_then_recovers(FULL_SHORT, 0, MS_EIO);
}
