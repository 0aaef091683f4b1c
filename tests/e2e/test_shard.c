/*
 * Sharded crawls end to end (issue 8, RELIABILITY.md R-SC-2..5) over the
 * sample web (genweb, seed 0) served on loopback:
 *   - one process crawling the web twice, against 8 shard processes
 *     (`crawl --shard K/8`, a store each) in two rounds with a `merge`
 *     after each (the first merge hands every shard the URLs the others
 *     found on its hosts; the second round fetches them): the merged
 *     store holds the same entries (verify's fingerprint) and ranks the
 *     same people with the same scores, topic by topic;
 *   - every host was requested by one shard process only, the one owning
 *     it (the fixture server's request log);
 *   - a shard killed with SIGKILL mid-crawl and run again gives the same
 *     merged store and ranking as the fault-free run;
 *   - the CLI contract: the index from JOB_COMPLETION_INDEX and Slurm's
 *     variables, logged; out-of-range indexes exit 2 naming the variable;
 *     a store keeps its shard; merge refuses a shard that is crawling.
 * Rankings are compared at the web's reference date so the comparison
 * does not depend on the calendar.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "crawler/crawler.h"
#include "ranker/ranker.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "tests/server/fixture.h"
#include "tests/server/genweb.h"
#include "util/err.h"
#include "util/shard.h"

#define SHARDS 8

struct web {
	struct ms_fixture *fx;
	char *tmp;
	char dir[4200], cfg[4300], opml[4300];
};

static struct web w;

static void
setup(void)
{
	struct ms_genweb_opts go = { 0 };
	struct ms_err err = { 0 };
	const char *conf = "{\"crawl\": {\"host_delay\": 0, "
			   "\"allow_private\": true}}\n";

	w.tmp = ms_test_memdir("shard");
	cr_assert_not_null(w.tmp);
	cr_assert_eq(ms_fixture_start(NULL, &w.fx, &err), MS_OK, "%s",
		     err.msg);
	snprintf(w.dir, sizeof(w.dir), "%s/web", w.tmp);
	go.out = w.dir;
	go.port = ms_fixture_port(w.fx);
	go.seed = 0;
	cr_assert_eq(ms_genweb_run(&go, NULL, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_fixture_serve_dir(w.fx, w.dir, MS_FIXTURE_GZIP,
					  &err), MS_OK, "%s", err.msg);
	snprintf(w.cfg, sizeof(w.cfg), "%s/config.json", w.tmp);
	snprintf(w.opml, sizeof(w.opml), "%s/feeds.opml", w.dir);
	ms_test_write_file(w.cfg, conf, strlen(conf));
}

static void
teardown(void)
{
	if (w.fx)
		ms_fixture_stop(w.fx);
	if (w.tmp) {
		ms_test_rmrf(w.tmp);
		free(w.tmp);
	}
	memset(&w, 0, sizeof(w));
}

TestSuite(e2e_shard, .init = setup, .fini = teardown, .timeout = 300);

static char *
path(const char *name)
{
	char *p = NULL;

	cr_assert_geq(asprintf(&p, "%s/%s", w.tmp, name), 0);
	return p;
}

/* Run mentorscout on store db with env additions; the result. */
static struct ms_test_run
run(const char *db, const char *const *env, const char *const *args)
{
	const char *argv[24] = { "--config", w.cfg, "--db", db };
	struct ms_test_run r;
	size_t n = 4;

	for (size_t i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cr_assert_eq(ms_test_run(&r, env, argv), 0);
	return r;
}

static void
run_ok(const char *db, const char *const *args)
{
	struct ms_test_run r = run(db, NULL, args);

	cr_assert_eq(r.status, 0, "%s %s: %s", args[0],
		     args[1] ? args[1] : "", r.err);
	ms_test_run_free(&r);
}

static void
new_store(const char *db)
{
	run_ok(db, (const char *[]){ "-q", "init", NULL });
	run_ok(db, (const char *[]){ "-q", "feeds", "import", w.opml, NULL });
}

/* Every host in the server's log since it was cleared must belong to
 * shard k of n: no host is fetched by two shard processes (R-SC-3). */
static size_t
check_hosts(unsigned k, unsigned n)
{
	struct ms_fixture_log log;
	struct ms_shard sh = { k, n, NULL };
	size_t hosts = 0;

	ms_fixture_wait_idle(w.fx, 2000);
	ms_fixture_log_get(w.fx, &log);
	for (size_t i = 0; i < log.n; i++) {
		const char *h = log.reqs[i].host;

		cr_expect(ms_shard_owns(&sh, ms_shard_virtual(h)),
			  "shard %u/%u fetched %s%s, a host of shard %u", k,
			  n, h, log.reqs[i].uri,
			  ms_shard_virtual(h) % n);
		hosts++;
	}
	ms_fixture_log_release(&log);
	ms_fixture_log_clear(w.fx);
	return hosts;
}

/* One round of N shard crawls, then a merge into merged. */
static void
shard_round(const char *prefix, const char *merged, bool first)
{
	const char *args[SHARDS + 8];
	char *dbs[SHARDS], spec[16];
	size_t na = 0, requests = 0;

	for (unsigned k = 0; k < SHARDS; k++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%u", prefix, k);
		dbs[k] = path(name);
		if (first)
			new_store(dbs[k]);
		snprintf(spec, sizeof(spec), "%u/%u", k, SHARDS);
		ms_fixture_log_clear(w.fx);
		run_ok(dbs[k], (const char *[]){ "crawl", "--no-rank",
						 "--shard", spec, NULL });
		requests += check_hosts(k, SHARDS);
	}
	if (first)
		cr_assert_gt(requests, 100, "the shards fetched %zu URLs",
			     requests);
	args[na++] = "-q";
	args[na++] = "merge";
	for (unsigned k = 0; k < SHARDS; k++)
		args[na++] = dbs[k];
	args[na++] = "--into";
	args[na++] = merged;
	args[na++] = "--no-rank";
	args[na] = NULL;
	run_ok(merged, args);
	for (unsigned k = 0; k < SHARDS; k++)
		free(dbs[k]);
}

/* ----------------------------------------------------------- comparing */

struct scored {
	struct ms_hash person;
	double score;
};

struct ranking {
	struct scored *v;
	size_t n, cap;
};

static int
on_score(const struct ms_score_rec *r, void *ctx)
{
	struct ranking *k = ctx;

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->v = realloc(k->v, k->cap * sizeof(*k->v));
		cr_assert_not_null(k->v);
	}
	k->v[k->n].person = r->person;
	k->v[k->n].score = r->score;
	k->n++;
	return 0;
}

struct state {
	struct ms_verify_report rep;
	struct ranking *topics;	/* one per taxonomy topic */
	size_t ntopics;
};

/* Rank db at the web's date and read every topic's whole ranking. */
static struct state
state_of(const char *db)
{
	struct ms_config *cfg = NULL;
	struct ms_store *st = NULL;
	struct ms_rank_stats rs;
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	struct state s = { 0 };

	cr_assert_eq(ms_config_load(w.cfg, true, &cfg, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(ms_store_open(db, 0, 0, &st, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(ms_rank_run(st, cfg, MS_GENWEB_NOW + 3600, &rs, &err),
		     MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_verify(st, &s.rep, &err), MS_OK, "%s", err.msg);
	s.ntopics = cfg->taxonomy.ntopics;
	s.topics = calloc(s.ntopics, sizeof(*s.topics));
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	for (size_t i = 0; i < s.ntopics; i++)
		cr_assert_eq(ms_store_top(t, cfg->taxonomy.topics[i].id, 0,
					  on_score, &s.topics[i], &err),
			     MS_OK, "%s", err.msg);
	ms_store_read_end(t);
	ms_store_close(st);
	ms_config_free(cfg);
	return s;
}

static void
state_free(struct state *s)
{
	for (size_t i = 0; i < s->ntopics; i++)
		free(s->topics[i].v);
	free(s->topics);
}

static const struct scored *
find(const struct ranking *k, const struct ms_hash *p)
{
	for (size_t i = 0; i < k->n; i++)
		if (!memcmp(&k->v[i].person, p, sizeof(*p)))
			return &k->v[i];
	return NULL;
}

#define EPS 1e-9

/* The same entries, and per topic the same people with the same scores;
 * the top 10 in the same order (people tied within EPS may swap). */
static void
same_state(const struct state *a, const struct state *b, const char *what)
{
	size_t ranked = 0;

	cr_assert_eq(b->rep.problems, 0, "%s: %s", what,
		     b->rep.nmsgs ? b->rep.msgs[0] : "");
	cr_expect_eq(b->rep.posts, a->rep.posts, "%s: posts %zu vs %zu",
		     what, b->rep.posts, a->rep.posts);
	cr_expect_eq(b->rep.comments, a->rep.comments, "%s: comments", what);
	cr_expect(!memcmp(&b->rep.fingerprint, &a->rep.fingerprint,
			  sizeof(a->rep.fingerprint)),
		  "%s: the entries differ", what);
	cr_assert_eq(a->ntopics, b->ntopics);
	for (size_t i = 0; i < a->ntopics; i++) {
		const struct ranking *x = &a->topics[i], *y = &b->topics[i];

		cr_expect_eq(y->n, x->n, "%s, topic %zu: %zu ranked vs %zu",
			     what, i, y->n, x->n);
		for (size_t j = 0; j < x->n; j++) {
			const struct scored *o = find(y, &x->v[j].person);

			cr_expect(o && fabs(o->score - x->v[j].score) <= EPS,
				  "%s, topic %zu: rank %zu score %.12f vs "
				  "%.12f", what, i, j + 1, x->v[j].score,
				  o ? o->score : NAN);
			if (j < 10 && j < y->n &&
			    memcmp(&y->v[j].person, &x->v[j].person,
				   sizeof(x->v[j].person)))
				cr_expect(fabs(y->v[j].score - x->v[j].score)
					  <= EPS, "%s, topic %zu: rank %zu "
					  "differs", what, i, j + 1);
		}
		ranked += x->n;
	}
	cr_assert_gt(ranked, 100, "%s: only %zu scores to compare", what,
		     ranked);
}

/* Kill shard k's first crawl once it has committed posts, with the
 * server slowed so it cannot finish first; then crawl it again. */
static size_t
posts_in(const char *db)
{
	struct ms_store *st;
	struct ms_store_stats ss = { 0 };
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_open(db, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_store_stats(st, &ss, &err), MS_OK, "%s", err.msg);
	ms_store_close(st);
	return ss.posts;
}

static void
killed_crawl(const char *db, unsigned k, const char *ref)
{
	const char *bin = getenv("MS_BIN");
	char spec[16];
	struct ms_store *st;
	size_t seen = 0;
	pid_t pid;
	int status;

	snprintf(spec, sizeof(spec), "%u/%u", k, SHARDS);
	ms_fixture_set_latency(w.fx, 150);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", 1);

		dup2(devnull, 1);
		dup2(devnull, 2);
		execl(bin ? bin : "build/mentorscout", "mentorscout",
		      "--config", w.cfg, "--db", db, "crawl", "--no-rank",
		      "--shard", spec, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 2000 && !seen; i++) {
		struct ms_store_stats ss;

		usleep(5000);
		if (ms_store_open(db, MS_STORE_RDONLY, 0, &st, NULL) == MS_OK) {
			if (ms_store_stats(st, &ss, NULL) == MS_OK)
				seen = ss.posts;
			ms_store_close(st);
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ms_fixture_set_latency(w.fx, 0);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		  "shard %u finished before it was killed", k);
	cr_assert_gt(seen, 0, "shard %u stored nothing before the kill", k);
	cr_assert_lt(posts_in(db), posts_in(ref), "shard %u had stored all "
		     "its posts when it was killed", k);
	/* The engine retries the index. */
	run_ok(db, (const char *[]){ "crawl", "--no-rank", "--shard", spec,
				     NULL });
	ms_fixture_log_clear(w.fx);
}

/* R-SC-3, R-SC-4, R-SC-5 in one web (generating and crawling it is most
 * of the time). */
Test(e2e_shard, eight_shards_merge_to_the_single_process_ranking)
{
	char *one = path("one"), *merged = path("merged"),
	     *again = path("again");
	struct state s1, s8, sk;

	/* One process, twice (the second crawl fetches nothing new: the
	 * web is static, so two rounds of shards are comparable). */
	new_store(one);
	run_ok(one, (const char *[]){ "crawl", "--no-rank", NULL });
	run_ok(one, (const char *[]){ "crawl", "--no-rank", NULL });
	ms_fixture_log_clear(w.fx);

	shard_round("s", merged, true);
	shard_round("s", merged, false);

	/* The same again with shard 2 killed mid-crawl in round one. */
	for (unsigned k = 0; k < SHARDS; k++) {
		char name[64], *db;

		snprintf(name, sizeof(name), "k%u", k);
		db = path(name);
		new_store(db);
		if (k == 2) {
			char *ref = path("s2");

			killed_crawl(db, k, ref);
			free(ref);
		}
		free(db);
	}
	/* Round one for the others (shard 2 crawls again: 304s). */
	shard_round("k", again, false);
	shard_round("k", again, false);

	s1 = state_of(one);
	s8 = state_of(merged);
	sk = state_of(again);
	cr_assert_gt(s1.rep.posts, 500, "%zu posts", s1.rep.posts);
	same_state(&s1, &s8, "8 shards merged");
	same_state(&s8, &sk, "8 shards, one killed and rerun");
	state_free(&s1);
	state_free(&s8);
	state_free(&sk);
	free(one);
	free(merged);
	free(again);
}

/* ------------------------------------------------------- CLI contract */

/* R-SC-2: the Kubernetes index with MENTORSCOUT_SHARDS, logged; Slurm's
 * index out of range exits 2 naming SLURM_ARRAY_TASK_ID; the flag wins
 * over the environment. */
Test(e2e_shard, index_from_the_engine_environment_R_SC_2)
{
	char *db = path("env");
	struct ms_test_run r;

	new_store(db);
	r = run(db, (const char *[]){ "JOB_COMPLETION_INDEX=3",
				      "MENTORSCOUT_SHARDS=8", NULL },
		(const char *[]){ "crawl", "--no-rank", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "shard 3/8 (from JOB_COMPLETION_INDEX)"),
		  "%s", r.err);
	ms_test_run_free(&r);
	check_hosts(3, 8);

	r = run(db, (const char *[]){ "SLURM_ARRAY_TASK_ID=9",
				      "SLURM_ARRAY_TASK_COUNT=8", NULL },
		(const char *[]){ "crawl", "--no-rank", NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "SLURM_ARRAY_TASK_ID"), "%s", r.err);
	ms_test_run_free(&r);

	/* The flag wins; the store, already shard 3/8, accepts it. */
	r = run(db, (const char *[]){ "SLURM_ARRAY_TASK_ID=9",
				      "SLURM_ARRAY_TASK_COUNT=8", NULL },
		(const char *[]){ "crawl", "--no-rank", "--shard", "3/8",
				  NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "shard 3/8 (from --shard)"), "%s", r.err);
	ms_test_run_free(&r);
	free(db);
}

/* A store keeps its shard: another index, or no index, is refused with
 * exit 2 naming the store, and nothing is fetched. */
Test(e2e_shard, a_store_keeps_its_shard)
{
	char *db = path("keep");
	struct ms_test_run r;

	new_store(db);
	run_ok(db, (const char *[]){ "crawl", "--no-rank", "--shard", "1/4",
				     NULL });
	ms_fixture_log_clear(w.fx);
	r = run(db, NULL, (const char *[]){ "crawl", "--no-rank", "--shard",
					    "2/4", NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "holds shard 1/4, not 2/4") &&
		  strstr(r.err, db), "%s", r.err);
	ms_test_run_free(&r);
	r = run(db, NULL, (const char *[]){ "crawl", "--no-rank", NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "--shard 1/4"), "%s", r.err);
	ms_test_run_free(&r);
	cr_assert_eq(ms_fixture_count(w.fx, NULL, NULL), 0);
	free(db);
}

/* merge refuses a shard that is being crawled (its crawl lock), a
 * missing shard store, and a shard given as the target; nothing is
 * written then. */
Test(e2e_shard, merge_refuses_what_it_cannot_merge)
{
	char *a = path("ma"), *into = path("minto"), *nope = path("nope");
	struct ms_test_run r;
	int fd = -1;
	struct ms_err err = { 0 };

	new_store(a);
	run_ok(a, (const char *[]){ "crawl", "--no-rank", "--shard", "0/2",
				    NULL });
	r = run(into, NULL, (const char *[]){ "merge", a, nope, "--into",
					      into, NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, nope), "%s", r.err);
	ms_test_run_free(&r);
	cr_assert_neq(access(into, F_OK), 0, "merge created %s", into);

	r = run(into, NULL, (const char *[]){ "merge", a, "--into", a,
					      NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	ms_test_run_free(&r);

	cr_assert_eq(ms_crawl_lock(a, &fd, &err), MS_OK, "%s", err.msg);
	r = run(into, NULL, (const char *[]){ "merge", a, "--into", into,
					      NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "another crawl is running"), "%s", r.err);
	ms_test_run_free(&r);
	close(fd);

	r = run(into, NULL, (const char *[]){ "merge", a, "--into", into,
					      NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "merge of 1 stores"), "%s", r.out);
	cr_assert(strstr(r.err, "cover 32 of 64 virtual shards"), "%s",
		  r.err);
	ms_test_run_free(&r);
	free(a);
	free(into);
	free(nope);
}
