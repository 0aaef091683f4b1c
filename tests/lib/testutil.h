/*
 * testutil.h — helpers shared by the Criterion tests: temporary
 * directories, fixture paths, files, and running the mentorscout binary
 * with its output captured.
 */
#ifndef MS_TESTS_TESTUTIL_H
#define MS_TESTS_TESTUTIL_H

#include <stddef.h>

/* A fresh directory under $TMPDIR (mode 0700); malloc'd path. */
char *ms_test_tmpdir(const char *tag);
/* A fresh directory in memory (/dev/shm) when it can be written, else
 * as ms_test_tmpdir: for tests that write many small files and commits
 * (a served web and its stores). */
char *ms_test_memdir(const char *tag);
/* rm -rf path (used on directories the test made). */
void ms_test_rmrf(const char *path);
/* The shared/ directory (MS_SHARED_DIR, else ../shared) if it exists, else
 * NULL: tests that need it skip with cr_skip_test and say why. */
const char *ms_test_shared(void);
/* "tests/fixtures/<rel>" relative to the repository root (tests run from
 * there); malloc'd. */
char *ms_test_fixture(const char *rel);
/* The whole file, NUL-terminated, malloc'd; NULL if it cannot be read. */
char *ms_test_read_file(const char *path, size_t *len);
/* Write len bytes to path (created 0600); 0 or -1. */
int ms_test_write_file(const char *path, const void *data, size_t len);

struct ms_test_run {
	int status;	/* exit status, or 128+signal */
	char *out;	/* stdout, NUL-terminated */
	char *err;	/* stderr, NUL-terminated */
};

/*
 * Run the mentorscout binary ($MS_BIN, else build/mentorscout) with argv
 * (NULL-terminated, without argv[0]) and env additions ("K=V" strings,
 * NULL-terminated, may be NULL), stdin from /dev/null.  Returns 0 or -1
 * if it could not be run.  Free with ms_test_run_free().
 */
int ms_test_run(struct ms_test_run *r, const char *const *env,
		const char *const *argv);
void ms_test_run_free(struct ms_test_run *r);

#endif
