/*
 * lock.c — one crawl per store: an exclusive, non-blocking flock on
 * DIR/crawl.lock holding the owner's pid.  The kernel drops the lock when
 * the process dies, so a killed crawl never leaves a stale lock.
 */
#include "crawler/crawler.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int
ms_crawl_lock(const char *dir, int *fd, struct ms_err *err)
{
	char path[4096], buf[32];
	ssize_t n;
	int f;

	*fd = -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/crawl.lock", dir) >=
	    sizeof(path))
		return ms_err_set(err, MS_EIO, "store path too long '%s'",
				  dir);
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return ms_err_set(err, MS_EIO, "cannot open lock '%s': %s",
				  path, strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB)) {
		int e = errno;
		long pid = 0;

		n = pread(f, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			pid = strtol(buf, NULL, 10);
		}
		close(f);
		if (e == EWOULDBLOCK) {
			if (pid > 0)
				return ms_err_set(err, MS_ELOCKED,
						  "another crawl is running "
						  "(pid %ld)", pid);
			return ms_err_set(err, MS_ELOCKED,
					  "another crawl is running");
		}
		return ms_err_set(err, MS_EIO, "cannot lock '%s': %s", path,
				  strerror(e));
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(f, 0) || pwrite(f, buf, (size_t)n, 0) != n) {
		int e = errno;

		close(f);
		return ms_err_set(err, MS_EIO, "cannot write lock '%s': %s",
				  path, strerror(e));
	}
	*fd = f;
	return MS_OK;
}
