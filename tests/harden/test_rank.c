/*
 * R-CR-8: a `rank` killed while writing leaves the previous ranking in
 * use, and the next rank does not inherit what the killed one wrote.
 *
 * The ranker writes a new generation in batches, then switches to it; a
 * kill in between leaves part of generation N+1 beside the current N.
 * Here that part is written with the store API (a score for a person no
 * crawl ever saw, at the top of "hr"): `discover` must print exactly the
 * ranking it printed before, `stats --verify` must count the leftovers as
 * a pending rank and not as a problem, and after the next crawl's rank
 * the leftover person must be gone from the ranking and no generation but
 * the current one may remain.
 */
#include "tests/harden/harness.h"

static struct hx h;
static const char conf[] = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

static void
setup(void)
{
	hx_start(&h, "rank", 20, conf);
}

static void
teardown(void)
{
	hx_stop(&h);
}

TestSuite(harden_rank, .init = setup, .fini = teardown, .timeout = 60);

static char *
discover(const char *db)
{
	struct ms_test_run r = hx_run(&h, db, (const char *[]){
		"discover", "--topic", "hr", "--limit", "1000", "--format",
		"json", NULL });
	char *out;

	cr_assert_eq(r.status, 0, "%s", r.err);
	out = r.out;
	r.out = NULL;
	ms_test_run_free(&r);
	return out;
}

Test(harden_rank, r_cr_8_killed_rank_leaves_previous_ranking_and_no_trace)
{
	char db[4300], ghost_hex[33], *before, *after;
	const char *crawl[] = { "crawl", NULL };
	struct ms_verify_report r;
	struct ms_score_rec s = { 0 };
	struct ms_store *st;
	struct ms_batch *b;
	struct ms_rtxn *t;
	struct ms_err err = { 0 };
	uint32_t gen;

	snprintf(db, sizeof(db), "%s/db", h.tmp);
	hx_new_store(&h, db);
	hx_ok(&h, db, crawl);
	before = discover(db);
	cr_assert(strstr(before, "\"rank\": 1"), "no ranking: %s", before);

	/* What a rank killed between two of its batches leaves behind. */
	cr_assert_eq(ms_store_open(db, 0, 0, &st, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK);
	gen = ms_store_rank_gen(t);
	ms_store_read_end(t);
	cr_assert_gt(gen, 0);
	ms_key_person("site:ghost.example", &s.person);
	ms_hash_hex(&s.person, ghost_hex);
	s.topic = "hr";
	s.score = 0.999;
	s.steps = "follow\thttp://ghost.example/feed\tGhost\tno one";
	b = ms_store_batch_new(st);
	ms_batch_put_score(b, gen + 1, &s);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);

	r = hx_verify(db);
	hx_expect_healthy(&r, "with a rank's leftovers");
	cr_expect_eq(r.pending_scores, 1);
	after = discover(db);
	cr_expect_str_eq(after, before, "the ranking in use changed");
	free(after);

	/* The next rank starts from a clean generation. */
	hx_ok(&h, db, crawl);
	r = hx_verify(db);
	hx_expect_healthy(&r, "after the next rank");
	cr_expect_eq(r.pending_scores, 0);
	cr_expect_eq(r.rank_gen, gen + 1);
	cr_expect_eq(r.scores, r.pscores);
	after = discover(db);
	cr_expect_null(strstr(after, ghost_hex), "the killed rank's score "
		       "joined the new ranking: %s", after);
	free(after);
	free(before);
}
