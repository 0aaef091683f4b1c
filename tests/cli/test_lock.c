/* The overlap lock at the command line (issue 6, R-CR-6): while a crawl
 * holds the store's lock, a second `mentorscout crawl` exits 1 at once
 * with "another crawl is running (pid N)" and changes nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crawler/crawler.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

Test(cli_lock, second_crawl_exits_with_a_clear_message)
{
	char *dir = ms_test_tmpdir("lock"), cfg[4200], db[4200], want[64];
	const char *init[] = { "--config", cfg, "--db", db, "init", NULL };
	const char *crawl[] = { "--config", cfg, "--db", db, "crawl", NULL };
	struct ms_test_run r;
	struct ms_err err = { 0 };
	time_t t0;
	int fd;

	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	snprintf(db, sizeof(db), "%s/db", dir);
	cr_assert_eq(ms_test_run(&r, NULL, init), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	/* this process plays the running crawl */
	cr_assert_eq(ms_crawl_lock(db, &fd, &err), MS_OK, "%s", err.msg);
	t0 = time(NULL);
	cr_assert_eq(ms_test_run(&r, NULL, crawl), 0);
	cr_expect_eq(r.status, 1);
	snprintf(want, sizeof(want), "another crawl is running (pid %ld)",
		 (long)getpid());
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	cr_expect_leq(time(NULL) - t0, 1, "it waited");
	ms_test_run_free(&r);
	close(fd);
	/* released: the next crawl runs (an empty store has nothing to do) */
	cr_assert_eq(ms_test_run(&r, NULL, crawl), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	ms_test_rmrf(dir);
	free(dir);
}
