/*
 * R-CR-1 in `make check` (tools/crashloop.sh is the 100-iteration run):
 * the sample web is crawled once without interruption for a reference;
 * then ten crawls are killed with SIGKILL at spread-out moments in
 * [0.05 s, the reference's run length], each continuing the store the
 * last one left.  After every kill the store must verify (every record
 * decodes, keys match, validators only with their entries, the ranking's
 * indexes agree) and the crawl lock must be free; whenever a crawl gets to
 * the end before its kill, and after the last kill, the store must hold
 * exactly the reference's entries (posts with their titles, comments),
 * and the next iteration starts again from a fresh store.
 */
#include "tests/harden/harness.h"

#define ITERATIONS 10
#define BLOGS 60

static struct hx h;
static const char conf[] = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

static void
setup(void)
{
	hx_start(&h, "crashloop", BLOGS, conf);
}

static void
teardown(void)
{
	hx_stop(&h);
}

TestSuite(harden_crash, .init = setup, .fini = teardown, .timeout = 120);

struct tally {
	unsigned killed, finished, rounds;
	size_t lost;
};

/* A caught-up store against the reference. */
static void
end_round(const char *db, const struct ms_verify_report *ref,
	  struct tally *t)
{
	struct ms_verify_report r = hx_verify(db);

	t->rounds++;
	hx_expect_healthy(&r, "end of round");
	if (r.posts < ref->posts)
		t->lost += ref->posts - r.posts;
	if (r.comments < ref->comments)
		t->lost += ref->comments - r.comments;
	cr_expect(hx_same_entries(&r, ref), "round %u: %zu posts and %zu "
		  "comments, the reference %zu and %zu (or the fingerprints "
		  "differ)", t->rounds, r.posts, r.comments, ref->posts,
		  ref->comments);
	cr_expect_eq(r.pending_scores, 0, "a completed rank leaves only its "
		     "generation");
}

Test(harden_crash, r_cr_1_kill_9_anywhere_loses_nothing)
{
	char ref[4300], db[4300], log[4300];
	const char *crawl[] = { "crawl", NULL };
	struct ms_verify_report want;
	struct tally t = { 0 };
	double t0, len;
	int round = 1;

	snprintf(ref, sizeof(ref), "%s/ref", h.tmp);
	snprintf(log, sizeof(log), "%s/crawl.log", h.tmp);
	hx_new_store(&h, ref);
	t0 = hx_now();
	hx_ok(&h, ref, crawl);
	len = hx_now() - t0;
	want = hx_verify(ref);
	hx_expect_healthy(&want, "reference");
	cr_assert_gt(want.posts, 100, "the reference has %zu posts",
		     want.posts);
	cr_assert_gt(want.comments, 100);

	snprintf(db, sizeof(db), "%s/db.%d", h.tmp, round);
	hx_new_store(&h, db);
	for (int i = 0; i < ITERATIONS; i++) {
		/* Spread over the window, in a scrambled order. */
		double at = 0.05 + (len - 0.05) * ((i * 7) % ITERATIONS) /
					  (ITERATIONS - 1);
		struct ms_verify_report r;
		pid_t pid = hx_spawn(&h, db, crawl, log);
		int st;

		usleep((useconds_t)(at * 1e6));
		kill(pid, SIGKILL);
		st = hx_wait(pid);
		if (st != 128 + SIGKILL) {
			char *out = ms_test_read_file(log, NULL);

			/* Exit 1 with "another crawl is running" would be a
			 * lock left by the last kill. */
			cr_assert_eq(st, 0, "iteration %d: crawl exit %d: %s",
				     i, st, out ? out : "");
			free(out);
			t.finished++;
		} else {
			t.killed++;
		}
		r = hx_verify(db);
		hx_expect_healthy(&r, st ? "after kill -9" : "after a crawl");
		if (st == 0) {
			end_round(db, &want, &t);
			snprintf(db, sizeof(db), "%s/db.%d", h.tmp, ++round);
			hx_new_store(&h, db);
		}
	}
	hx_ok(&h, db, crawl);
	end_round(db, &want, &t);
	cr_log_info("R-CR-1: %d iterations, %u killed mid-crawl, %u finished "
		    "first, %u rounds, %zu records lost (reference %.2f s, "
		    "%zu posts, %zu comments)", ITERATIONS, t.killed,
		    t.finished, t.rounds, t.lost, len, want.posts,
		    want.comments);
	cr_expect_geq(t.killed, ITERATIONS / 2, "only %u of %d kills landed "
		      "in a running crawl", t.killed, ITERATIONS);
	cr_expect_eq(t.lost, 0);
}
