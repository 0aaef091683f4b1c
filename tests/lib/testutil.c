/* testutil.c — test helpers (see testutil.h). */
#include "tests/lib/testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *
ms_test_tmpdir(const char *tag)
{
	const char *base = getenv("TMPDIR");
	char *p;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&p, "%s/ms-%s-XXXXXX", base, tag ? tag : "test") < 0)
		return NULL;
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

char *
ms_test_memdir(const char *tag)
{
	char *p;

	if (access("/dev/shm", W_OK) != 0)
		return ms_test_tmpdir(tag);
	if (asprintf(&p, "/dev/shm/ms-%s-XXXXXX", tag ? tag : "test") < 0)
		return NULL;
	if (!mkdtemp(p)) {
		free(p);
		return ms_test_tmpdir(tag);
	}
	return p;
}

static int
rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

void
ms_test_rmrf(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
ms_test_shared(void)
{
	static char buf[4096];
	const char *d = getenv("MS_SHARED_DIR");
	struct stat sb;

	if (!d || !*d)
		d = "../shared";
	snprintf(buf, sizeof(buf), "%s", d);
	if (stat(buf, &sb) || !S_ISDIR(sb.st_mode))
		return NULL;
	return buf;
}

char *
ms_test_fixture(const char *rel)
{
	char *p;

	if (asprintf(&p, "tests/fixtures/%s", rel) < 0)
		return NULL;
	return p;
}

char *
ms_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int
ms_test_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return close(fd);
}

struct sink {
	char *buf;
	size_t len, cap;
};

static void
sink_add(struct sink *s, const char *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			abort();
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

int
ms_test_run(struct ms_test_run *r, const char *const *env,
	    const char *const *argv)
{
	const char *bin = getenv("MS_BIN");
	int out[2], err[2], st;
	struct sink so = { 0 }, se = { 0 };
	pid_t pid;
	size_t argc = 0;

	memset(r, 0, sizeof(*r));
	if (!bin || !*bin)
		bin = "build/mentorscout";
	if (pipe(out) || pipe(err))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char **av;
		int devnull = open("/dev/null", O_RDONLY);

		while (argv[argc])
			argc++;
		av = calloc(argc + 2, sizeof(*av));
		av[0] = bin;
		for (size_t i = 0; i < argc; i++)
			av[i + 1] = argv[i];
		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		execv(bin, (char *const *)av);
		fprintf(stderr, "cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	sink_add(&so, "", 0);
	sink_add(&se, "", 0);
	{
		struct pollfd pf[2] = { { out[0], POLLIN, 0 },
					{ err[0], POLLIN, 0 } };
		int open_fds = 2;
		char buf[65536];

		while (open_fds) {
			if (poll(pf, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int i = 0; i < 2; i++) {
				ssize_t n;

				if (pf[i].fd < 0 || !pf[i].revents)
					continue;
				n = read(pf[i].fd, buf, sizeof(buf));
				if (n <= 0) {
					close(pf[i].fd);
					pf[i].fd = -1;
					open_fds--;
					continue;
				}
				sink_add(i ? &se : &so, buf, (size_t)n);
			}
		}
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = so.buf;
	r->err = se.buf;
	return 0;
}

void
ms_test_run_free(struct ms_test_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
