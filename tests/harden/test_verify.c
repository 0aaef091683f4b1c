/*
 * Tests for store/verify.c (ms_store_verify, `stats --verify`): a healthy
 * store passes with the right counts, and each kind of damage the checker
 * knows — a record that does not decode, a key that is not its record's
 * hash, a post stored twice, the ranking's two indexes out of step, an old
 * generation left behind, validators without their entries (RELIABILITY
 * §4.6) — is found, counted and described.  Damage the store API cannot
 * make is written with LMDB directly while the store is closed.
 */
#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/hash.h"

/* Small maps: also under valgrind, which cannot reserve 64 GiB. */
#define MAP (8u << 20)

static char *dir;
static struct ms_store *st;

static void
setup(void)
{
	struct ms_err err = { 0 };

	dir = ms_test_tmpdir("verify");
	cr_assert_not_null(dir);
	cr_assert_eq(ms_store_open(dir, MS_STORE_CREATE, MAP, &st, &err),
		     MS_OK, "%s", err.msg);
}

static void
teardown(void)
{
	ms_store_close(st);
	ms_test_rmrf(dir);
	free(dir);
}

TestSuite(harden_verify, .init = setup, .fini = teardown);

/* ------------------------------------------------------------ helpers */

static void
commit(struct ms_batch *b)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
}

static struct ms_verify_report
verify(void)
{
	struct ms_verify_report r;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_verify(st, &r, &err), MS_OK, "%s", err.msg);
	return r;
}

/* Some message of the report contains s. */
static int
said(const struct ms_verify_report *r, const char *s)
{
	for (size_t i = 0; i < r->nmsgs; i++)
		if (strstr(r->msgs[i], s))
			return 1;
	return 0;
}

static void
print_msgs(const struct ms_verify_report *r)
{
	for (size_t i = 0; i < r->nmsgs; i++)
		fprintf(stderr, "  %s\n", r->msgs[i]);
}

/*
 * A small healthy store as a crawl leaves it: a feed whose digest and
 * sample come with its two posts, a comment feed whose sample is its
 * comment, a person, a link, a host, a crawl, and a ranking (gen 1).
 */
static void
fill(void)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 }, cf = { 0 };
	struct ms_post_rec p = { 0 };
	struct ms_comment_rec c = { 0 };
	struct ms_person_rec who = { 0 };
	struct ms_link_rec l = { 1, MS_LINK_COMMENT, 100, 100 };
	struct ms_host_rec h = { 0 };
	struct ms_crawl_rec cr = { 0 };
	struct ms_score_rec s = { 0 };

	who.ident = "site:jane.example";
	who.name = "Jane";
	ms_key_person(who.ident, &p.author);
	ms_batch_merge_person(b, &who);

	f.url = "https://jane.example/feed";
	f.etag = "\"v1\"";
	ms_hash_str("body", &f.digest);
	ms_key_post("https://jane.example/a", &f.sample);
	f.kind = MS_FEED_USER;
	ms_key_feed(f.url, &p.feed);
	p.url = "https://jane.example/a";
	p.id = "tag:jane.example,2024:a";
	p.title = "A";
	p.published = p.updated = p.seen = 1;
	p.comment_count = -1;
	p.comments_open = -1;
	ms_batch_put_post(b, &p);
	p.url = "https://jane.example/b";
	p.id = "tag:jane.example,2024:b";
	ms_batch_put_post(b, &p);
	ms_batch_put_feed(b, &f);

	c.id = "https://jane.example/a#comment-1";
	c.post_url = "https://jane.example/a";
	ms_key_post(c.post_url, &c.post);
	c.published = 2;
	ms_batch_put_comment(b, &c);
	cf.url = "https://jane.example/a/feed";
	cf.kind = MS_FEED_COMMENTS;
	cf.parent = "https://jane.example/a";
	ms_hash_str("comment body", &cf.digest);
	ms_key_comment(c.id, &cf.sample);
	ms_batch_put_feed(b, &cf);

	ms_batch_put_link(b, &p.author, &p.author, &l);
	h.robots_fetched = h.robots_last_ok = 1;
	ms_batch_put_host(b, "jane.example", &h);
	cr.started = 1000;
	cr.finished = 1001;
	cr.summary = "crawl done";
	ms_batch_put_crawl(b, &cr);

	s.person = p.author;
	s.topic = "hr";
	s.score = 0.5;
	ms_batch_put_score(b, 1, &s);
	s.topic = "leadership";
	s.score = 0.25;
	ms_batch_put_score(b, 1, &s);
	ms_batch_switch_rank(b, 1);
	commit(b);
}

/* Raw LMDB access to the store's files, with our handle closed (LMDB
 * forbids one environment open twice in a process). */
static void
raw(const char *table, const void *key, size_t klen, const void *val,
    size_t vlen)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };
	struct ms_err err = { 0 };
	int rc;

	ms_store_close(st);
	st = NULL;
	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 16), 0);
	cr_assert_eq(mdb_env_set_mapsize(env, MAP), 0);
	cr_assert_eq(mdb_env_open(env, dir, MDB_NOTLS, 0600), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, table, 0, &dbi), 0);
	if (val)
		rc = mdb_put(txn, dbi, &k, &v, 0);
	else
		rc = mdb_del(txn, dbi, &k, NULL);
	cr_assert_eq(rc, 0, "%s", mdb_strerror(rc));
	cr_assert_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	cr_assert_eq(ms_store_open(dir, 0, MAP, &st, &err), MS_OK, "%s",
		     err.msg);
}

/* ------------------------------------------------------------- tests */

Test(harden_verify, empty_store_is_healthy)
{
	struct ms_verify_report r = verify();

	cr_expect_eq(r.problems, 0);
	cr_expect_eq(r.meta, 1, "only the schema");
	cr_expect_eq(r.feeds + r.posts + r.comments + r.scores, 0);
	cr_expect_eq(r.rank_gen, 0);
}

Test(harden_verify, healthy_store_passes_with_its_counts)
{
	struct ms_verify_report r;

	fill();
	r = verify();
	print_msgs(&r);
	cr_expect_eq(r.problems, 0, "%zu problems", r.problems);
	cr_expect_eq(r.feeds, 2);
	cr_expect_eq(r.posts, 2);
	cr_expect_eq(r.comments, 1);
	cr_expect_eq(r.people, 1);
	cr_expect_eq(r.links, 1);
	cr_expect_eq(r.hosts, 1);
	cr_expect_eq(r.crawls, 1);
	cr_expect_eq(r.scores, 2);
	cr_expect_eq(r.pscores, 2);
	cr_expect_eq(r.meta, 2, "schema, rank_gen, and nothing else");
	cr_expect_eq(r.rank_gen, 1);
	cr_expect_eq(r.pending_scores, 0);
	cr_expect_eq(r.nmsgs, 0);
}

Test(harden_verify, record_that_does_not_decode_is_counted_and_named)
{
	struct ms_hash k;
	struct ms_verify_report r;

	fill();
	ms_key_post("https://jane.example/a", &k);
	/* Version 1 post, then garbage: a torn or foreign value. */
	raw("posts", k.b, sizeof(k.b), "\x01\xff\xff", 3);
	r = verify();
	cr_expect_eq(r.undecodable, 1);
	cr_expect_eq(r.problems, 1);
	cr_expect_eq(r.posts, 2, "the walk goes on past it");
	cr_expect(said(&r, "posts: record"), "%s", r.msgs[0]);
	cr_expect(said(&r, "corrupt post record"), "%s", r.msgs[0]);
}

Test(harden_verify, key_that_is_not_the_hash_of_its_record_is_found)
{
	struct ms_buf b = MS_BUF_INIT(1 << 20);
	struct ms_person_rec p = { 0 };
	struct ms_hash k;
	struct ms_verify_report r;

	fill();
	p.ident = "site:someone.example";
	cr_assert_eq(ms_person_encode(&p, &b), MS_OK);
	ms_key_person("site:someone-else.example", &k);
	raw("people", k.b, sizeof(k.b), b.data, b.len);
	ms_buf_release(&b);
	r = verify();
	cr_expect_eq(r.bad_keys, 1);
	cr_expect_eq(r.problems, 1);
	cr_expect(said(&r, "people: key"), "%s", r.msgs[0]);
	cr_expect(said(&r, "site:someone.example"), "%s", r.msgs[0]);
}

Test(harden_verify, key_of_the_wrong_size_is_found)
{
	struct ms_verify_report r;

	fill();
	raw("comments", "short", 5, "\x01", 1);
	r = verify();
	cr_expect_eq(r.undecodable, 1);
	cr_expect(said(&r, "comments: key"), "%s", r.msgs[0]);
	cr_expect(said(&r, "of 5 bytes"), "%s", r.msgs[0]);
}

Test(harden_verify, post_under_its_id_and_under_its_url_is_a_duplicate)
{
	struct ms_batch *b;
	struct ms_post_rec p = { 0 };
	struct ms_verify_report r;

	fill();
	/* The post "b" seen once without its link: keyed by its id. */
	b = ms_store_batch_new(st);
	p.id = "tag:jane.example,2024:b";
	p.title = "B";
	p.comment_count = -1;
	p.comments_open = -1;
	ms_batch_put_post(b, &p);
	commit(b);
	r = verify();
	cr_expect_eq(r.duplicates, 1);
	cr_expect_eq(r.bad_keys, 0, "both keys are right for their record");
	cr_expect(said(&r, "under its id and under its URL"), "%s",
		  r.msgs[0]);
}

Test(harden_verify, score_without_its_pscores_twin_is_a_mismatch)
{
	unsigned char key[64];
	size_t n = 0;
	struct ms_hash who;
	struct ms_verify_report r;

	fill();
	/* pscores key: gen 1 ‖ person ‖ "hr" ‖ NUL */
	ms_key_person("site:jane.example", &who);
	key[n++] = 0, key[n++] = 0, key[n++] = 0, key[n++] = 1;
	memcpy(key + n, who.b, 16);
	n += 16;
	memcpy(key + n, "hr", 3);
	n += 3;
	raw("pscores", key, n, NULL, 0);
	r = verify();
	cr_expect_eq(r.score_mismatches, 1, "%zu", r.score_mismatches);
	cr_expect_eq(r.pscores, 1);
	cr_expect(said(&r, "pscores: no entry for the score of"), "%s",
		  r.msgs[0]);
	cr_expect(said(&r, "on 'hr'"), "%s", r.msgs[0]);
}

Test(harden_verify, generation_below_the_current_is_a_problem)
{
	struct ms_batch *b;
	struct ms_score_rec s = { 0 };
	struct ms_verify_report r;

	fill();
	b = ms_store_batch_new(st);
	ms_key_person("site:jane.example", &s.person);
	s.topic = "hr";
	s.score = 0.5;
	ms_batch_put_score(b, 2, &s);
	ms_batch_switch_rank(b, 2);
	/* ... and after the switch, a write into the old generation. */
	s.score = 0.75;
	ms_batch_put_score(b, 1, &s);
	commit(b);
	r = verify();
	cr_expect_eq(r.rank_gen, 2);
	cr_expect_eq(r.old_generations, 2, "one entry in each index");
	cr_expect_eq(r.score_mismatches, 0);
	cr_expect(said(&r, "generation 1, below the current 2"), "%s",
		  r.msgs[0]);
}

Test(harden_verify, generation_above_the_current_is_a_pending_rank_only)
{
	struct ms_batch *b;
	struct ms_score_rec s = { 0 };
	struct ms_verify_report r;

	fill();
	/* A rank killed after writing part of generation 2. */
	b = ms_store_batch_new(st);
	ms_key_person("site:jane.example", &s.person);
	s.topic = "hr";
	s.score = 0.9;
	ms_batch_put_score(b, 2, &s);
	commit(b);
	r = verify();
	cr_expect_eq(r.problems, 0);
	cr_expect_eq(r.pending_scores, 1);
	cr_expect_eq(r.rank_gen, 1);
}

Test(harden_verify, digest_whose_entries_are_missing_is_r_cr_1_loss)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 };
	struct ms_verify_report r;

	fill();
	/* Validators and a digest committed without the body's posts:
	 * what §4.6 forbids (the next crawl gets 304 and never sees them). */
	f.url = "https://lost.example/feed";
	f.etag = "\"v7\"";
	f.kind = MS_FEED_USER;
	ms_hash_str("a body", &f.digest);
	ms_key_post("https://lost.example/first-post", &f.sample);
	ms_batch_put_feed(b, &f);
	commit(b);
	r = verify();
	cr_expect_eq(r.orphan_validators, 1);
	cr_expect_eq(r.problems, 1);
	cr_expect(said(&r, "'https://lost.example/feed' has validators and "
		       "a digest but the entries of that body are missing"),
		  "%s", r.msgs[0]);
}

Test(harden_verify, validators_without_a_digest_are_a_problem)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 };
	struct ms_verify_report r;

	f.url = "https://half.example/feed";
	f.last_modified = "Tue, 02 Jan 2024 10:00:00 GMT";
	ms_batch_put_feed(b, &f);
	commit(b);
	r = verify();
	cr_expect_eq(r.orphan_validators, 1);
	cr_expect(said(&r, "has validators but no digest"), "%s", r.msgs[0]);
}

Test(harden_verify, feed_whose_body_had_no_entries_is_only_noted)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_feed_rec f = { 0 };
	struct ms_verify_report r;

	/* An empty feed: a digest, validators, and nothing to lose. */
	f.url = "https://quiet.example/feed";
	f.etag = "\"e\"";
	f.kind = MS_FEED_USER;
	ms_hash_str("<rss><channel/></rss>", &f.digest);
	ms_batch_put_feed(b, &f);
	commit(b);
	r = verify();
	cr_expect_eq(r.problems, 0);
	cr_expect_eq(r.empty_feeds, 1);
}

Test(harden_verify, comment_feed_sample_is_found_among_comments)
{
	struct ms_verify_report r;
	struct ms_hash k;

	fill();
	cr_expect_eq(verify().problems, 0);
	/* Lose the comment the comment feed's digest vouches for. */
	ms_key_comment("https://jane.example/a#comment-1", &k);
	raw("comments", k.b, sizeof(k.b), NULL, 0);
	r = verify();
	cr_expect_eq(r.orphan_validators, 1);
	cr_expect(said(&r, "'https://jane.example/a/feed' has a digest"),
		  "%s", r.msgs[0]);
}

Test(harden_verify, only_the_first_problems_are_kept_in_words)
{
	struct ms_batch *b = ms_store_batch_new(st);
	struct ms_verify_report r;
	char url[64];

	for (int i = 0; i < 40; i++) {
		struct ms_feed_rec f = { 0 };

		snprintf(url, sizeof(url), "https://h%d.example/feed", i);
		f.url = url;
		f.etag = "\"x\"";
		ms_batch_put_feed(b, &f);
	}
	commit(b);
	r = verify();
	cr_expect_eq(r.orphan_validators, 40);
	cr_expect_eq(r.problems, 40);
	cr_expect_eq(r.nmsgs, MS_VERIFY_MSGS);
}

/* ------------------------------------------------------------ the CLI */

static const char cfg[] = "{}\n";

Test(harden_verify, stats_verify_exits_0_on_a_healthy_store)
{
	char cfgpath[4200];
	const char *argv[] = { "--config", cfgpath, "--db", dir, "stats",
			       "--verify", NULL };
	struct ms_test_run run;

	fill();
	snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", dir);
	ms_test_write_file(cfgpath, cfg, strlen(cfg));
	cr_assert_eq(ms_test_run(&run, NULL, argv), 0);
	cr_expect_eq(run.status, 0, "%s", run.err);
	cr_expect(strstr(run.out, "posts     2\n"), "%s", run.out);
	cr_expect(strstr(run.out, "verify    ok\n"), "%s", run.out);
	ms_test_run_free(&run);
}

Test(harden_verify, stats_verify_exits_1_naming_the_store_and_problem)
{
	char cfgpath[4200];
	const char *argv[] = { "--config", cfgpath, "--db", dir, "stats",
			       "--verify", "--json", NULL };
	struct ms_test_run run;
	struct ms_hash k;

	fill();
	ms_key_post("https://jane.example/a", &k);
	raw("posts", k.b, sizeof(k.b), NULL, 0);
	snprintf(cfgpath, sizeof(cfgpath), "%s/config.json", dir);
	ms_test_write_file(cfgpath, cfg, strlen(cfg));
	cr_assert_eq(ms_test_run(&run, NULL, argv), 0);
	cr_expect_eq(run.status, 1, "%s", run.err);
	cr_expect(strstr(run.err, "failed verification: 1 problem"), "%s",
		  run.err);
	cr_expect(strstr(run.err, dir), "names the store: %s", run.err);
	cr_expect(strstr(run.out, "\"ok\": false"), "%s", run.out);
	cr_expect(strstr(run.out, "\"orphan_validators\": 1"), "%s",
		  run.out);
	cr_expect(strstr(run.out, "jane.example/feed"), "%s", run.out);
	ms_test_run_free(&run);
}

Test(harden_verify, stats_verify_usage_is_documented)
{
	const char *argv[] = { "stats", "--help", NULL };
	struct ms_test_run run;

	cr_assert_eq(ms_test_run(&run, NULL, argv), 0);
	cr_expect_eq(run.status, 0);
	cr_expect(strstr(run.out, "[--verify]"), "%s", run.out);
	ms_test_run_free(&run);
}
