/*
 * R-CR-4, a full disk: the store lives on a 2 MiB tmpfs, which the sample
 * web's crawl (about 7 MiB of store) fills.  The crawl must exit 1 with a
 * message that says the disk is full and names the store directory; the
 * store must still open and verify; a second crawl on the full disk fails
 * the same clean way; and once the file system has room again, a crawl
 * completes the store to exactly the entries of a crawl that never ran out
 * of space — so every batch that was committed kept its entries (a feed
 * whose validators were stored without its posts would answer 304 and
 * never give them back).
 *
 * Mounting needs root (CAP_SYS_ADMIN): without it the test skips and says
 * why.
 */
#include <sys/mount.h>

#include "tests/harden/harness.h"

static struct hx h;
static char mnt[4300];
static int mounted;
static const char conf[] = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

static void
setup(void)
{
	hx_start(&h, "fulldisk", 60, conf);
	snprintf(mnt, sizeof(mnt), "%s/small", h.tmp);
	cr_assert_eq(mkdir(mnt, 0700), 0);
}

static void
teardown(void)
{
	if (mounted)
		umount2(mnt, MNT_DETACH);
	mounted = 0;
	hx_stop(&h);
}

TestSuite(harden_fulldisk, .init = setup, .fini = teardown, .timeout = 120);

Test(harden_fulldisk, r_cr_4_full_disk_exits_1_naming_the_store_loses_nothing)
{
	char ref[4300], db[4400];
	const char *crawl[] = { "crawl", NULL };
	struct ms_verify_report want, r, full;
	struct ms_test_run run;

	if (geteuid() != 0)
		cr_skip_test("R-CR-4 needs root to mount a small tmpfs "
			     "(running as uid %u)", (unsigned)geteuid());
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=2m,mode=0700") != 0)
		cr_skip_test("R-CR-4: cannot mount a tmpfs on '%s': %s "
			     "(a container without CAP_SYS_ADMIN?)", mnt,
			     strerror(errno));
	mounted = 1;
	snprintf(ref, sizeof(ref), "%s/ref", h.tmp);
	snprintf(db, sizeof(db), "%s/db", mnt);
	hx_new_store(&h, ref);
	hx_ok(&h, ref, crawl);
	want = hx_verify(ref);

	hx_new_store(&h, db);
	run = hx_run(&h, db, crawl);
	cr_expect_eq(run.status, 1, "exit %d: %s", run.status, run.err);
	cr_expect(strstr(run.err, "no space left on device"), "%s", run.err);
	cr_expect(strstr(run.err, db), "does not name '%s': %s", db, run.err);
	cr_log_info("R-CR-4: %s", run.err);
	ms_test_run_free(&run);
	full = hx_verify(db);
	hx_expect_healthy(&full, "after the disk filled up");
	cr_expect_gt(full.posts, 0, "nothing was committed before the disk "
		     "filled up");
	cr_expect_lt(full.posts + full.comments, want.posts + want.comments,
		     "the store did not fill up");

	/* Still full: the same clean failure, and nothing committed lost. */
	run = hx_run(&h, db, crawl);
	cr_expect_eq(run.status, 1, "exit %d: %s", run.status, run.err);
	cr_expect(strstr(run.err, db), "%s", run.err);
	ms_test_run_free(&run);
	r = hx_verify(db);
	hx_expect_healthy(&r, "after a second crawl on a full disk");
	cr_expect_geq(r.posts, full.posts);
	cr_expect_geq(r.comments, full.comments);

	/* Room again: the store completes to the reference. */
	cr_assert_eq(mount("tmpfs", mnt, "tmpfs", MS_REMOUNT,
			   "size=64m,mode=0700"), 0, "remount: %s",
		     strerror(errno));
	hx_ok(&h, db, crawl);
	r = hx_verify(db);
	hx_expect_healthy(&r, "after a crawl with room");
	cr_expect(hx_same_entries(&r, &want), "%zu posts and %zu comments, "
		  "the reference %zu and %zu", r.posts, r.comments,
		  want.posts, want.comments);
}
