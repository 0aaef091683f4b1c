/*
 * R-CR-8: a ranking killed with SIGKILL leaves the previous one in force,
 * for discover and for explain alike.  A store from bench/gen_rankstore
 * (20,000 people, 60,000 posts: 18,000 score records, written in two
 * commits) is ranked once; then re-rankings "a month later" (so every
 * score would change) are killed before they write and in their write
 * (rank_run says when that is; the kills home in on it).  After each kill, discover
 * and explain must print byte for byte what they printed before; after a
 * run that completes they must not (the comparison can fail).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

#define NOW 1790000000LL
#define MONTH (30 * 86400LL)

static char *tmp, db[4200], cfg[4200];

static const char *
build_dir(void)
{
	const char *b = getenv("MS_BUILD");

	return b && *b ? b : "build";
}

/* Start a bench tool, its output to out (NULL: nowhere); returns its
 * pid. */
static pid_t
spawn(const char *tool, const char *const *args, const char *out)
{
	char path[4200];
	const char *argv[16];
	size_t n = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/bench/%s", build_dir(), tool);
	argv[n++] = path;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0, "fork");
	if (pid == 0) {
		if (!freopen(out ? out : "/dev/null", "w", stdout))
			_exit(126);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int
finish(pid_t pid)
{
	int status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* When a ranking writes: from start to end seconds after its start;
 * the records it wrote. */
struct span {
	double start, end;
	size_t scores;
};

/* A ranking at time `when`, to completion, and when it wrote (rank_run
 * prints its phases; the rest of the wall time is starting up). */
static struct span
rank_at(long long when)
{
	char w[32], out[4300], *json;
	double t0 = now_s(), wall, total = 0, write = 0;
	struct span sp;
	const char *p;
	int st;

	snprintf(w, sizeof(w), "%lld", when);
	snprintf(out, sizeof(out), "%s/rank.json", tmp);
	st = finish(spawn("rank_run", (const char *[]){ "--db", db,
							"--config", cfg,
							"--now", w, NULL },
			  out));
	wall = now_s() - t0;
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "rank_run failed");
	json = ms_test_read_file(out, NULL);
	cr_assert_not_null(json);
	if ((p = strstr(json, "\"seconds\": ")))
		total = atof(p + 11);
	if ((p = strstr(json, "\"write_seconds\": ")))
		write = atof(p + 17);
	sp.scores = (p = strstr(json, "\"scores\": ")) ?
			    (size_t)atol(p + 10) : 0;
	free(json);
	cr_assert(total > 0 && write > 0 && write <= total, "%s", out);
	sp.end = wall - 0.5 * (wall - total);	/* exit takes some too */
	sp.start = sp.end - write;
	return sp;
}

/* What discover (two topics) and explain (two people) print, joined. */
static char *
views(void)
{
	static const char *const cmds[][8] = {
		{ "discover", "--topic", "hr", "--format", "json", "--limit",
		  "50", NULL },
		{ "discover", "--topic", "leadership", "--format", "json",
		  NULL },
		{ "explain", "b000003.example", "--json", NULL },
		{ "explain", "b013000.example", "--json", NULL },
	};
	size_t len = 0;
	char *all = NULL;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++) {
		const char *argv[12] = { "--config", cfg, "--db", db };
		struct ms_test_run r;
		size_t n = 4, k;

		for (k = 0; cmds[i][k]; k++)
			argv[n++] = cmds[i][k];
		argv[n] = NULL;
		cr_assert_eq(ms_test_run(&r, NULL, argv), 0);
		cr_assert_eq(r.status, 0, "%s: %s", cmds[i][0], r.err);
		k = strlen(r.out);
		all = realloc(all, len + k + 1);
		cr_assert_not_null(all);
		memcpy(all + len, r.out, k + 1);
		len += k;
		ms_test_run_free(&r);
	}
	return all;
}

/* Score records stored (every generation), and the one in force. */
static size_t
scores_stored(uint32_t *gen)
{
	struct ms_store *st = NULL;
	struct ms_store_stats ss;
	struct ms_rtxn *t;
	struct ms_err err = { 0 };

	cr_assert_eq(ms_store_open(db, MS_STORE_RDONLY, 0, &st, &err), MS_OK,
		     "%s", err.msg);
	cr_assert_eq(ms_store_stats(st, &ss, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_store_read_begin(st, &t, &err), MS_OK, "%s", err.msg);
	if (gen)
		*gen = ms_store_rank_gen(t);
	ms_store_read_end(t);
	ms_store_close(st);
	return ss.scores;
}

static void
setup(void)
{
	char when[32];
	int st;

	tmp = ms_test_tmpdir("rankkill");
	cr_assert_not_null(tmp);
	snprintf(db, sizeof(db), "%s/db", tmp);
	snprintf(cfg, sizeof(cfg), "%s/config.json", tmp);
	ms_test_write_file(cfg, "{}\n", 3);
	snprintf(when, sizeof(when), "%lld", NOW);
	st = finish(spawn("gen_rankstore", (const char *[]){
		"--db", db, "--people", "20000", "--posts", "60000",
		"--subscribed", "200", "--now", when, NULL }, NULL));
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "gen_rankstore failed (make tools?)");
}

static void
teardown(void)
{
	ms_test_rmrf(tmp);
	free(tmp);
}

TestSuite(ranker_kill, .init = setup, .fini = teardown, .timeout = 300);

/* What the store shows: the views, the ranking in force, its size. */
struct state {
	char *views;
	uint32_t gen;
	size_t scores;
};

static void
look(struct state *s)
{
	free(s->views);
	s->scores = scores_stored(&s->gen);
	s->views = views();
}

enum outcome { DONE, KILLED, KILLED_WRITING };

/*
 * Kill a ranking at `at` seconds.  When it died before its switch, the
 * views must be what they were (and the store may hold part of the next
 * generation: KILLED_WRITING); when it switched first, s becomes the new
 * state (DONE).
 */
static enum outcome
kill_at(double at, long long when, struct state *s)
{
	struct timespec ts = { (time_t)at, (long)((at - (time_t)at) * 1e9) };
	char w[32], *after;
	uint32_t gen;
	size_t stored;
	pid_t pid;
	int st;

	snprintf(w, sizeof(w), "%lld", when);
	pid = spawn("rank_run", (const char *[]){ "--db", db, "--config", cfg,
						  "--now", w, NULL },
		    NULL);
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	st = finish(pid);
	stored = scores_stored(&gen);
	if (!WIFSIGNALED(st) || gen != s->gen) {
		look(s);
		return DONE;
	}
	after = views();
	cr_expect_str_eq(after, s->views, "killed at %.2f s: the views "
			 "changed", at);
	free(after);
	return stored > s->scores ? KILLED_WRITING : KILLED;
}

Test(ranker_kill, killed_ranking_leaves_the_previous_one_for_discover_and_explain)
{
	struct state s = { 0 };
	struct span sp;
	char *first;
	double at;
	size_t writing = 0, kills = 0;
	long long when = NOW + MONTH;
	uint32_t gen0;

	rank_at(NOW + 3600);
	sp = rank_at(NOW + 3600);	/* the same ranking, warm: timed */
	look(&s);
	gen0 = s.gen;
	first = strdup(s.views);
	/* before it writes, then into its write (where a kill finds part of
	 * the next generation stored): the timing of a loaded machine
	 * varies, so each kill moves the next one towards the write; a run
	 * that completes first becomes the ranking to keep, and the next
	 * run is another day later so that it would change it again */
	kills += kill_at(0.4 * sp.start, when, &s) != DONE;
	at = sp.start + 0.6 * (sp.end - sp.start);
	for (int i = 0; i < 30 && (!writing || kills < 3); i++) {
		enum outcome o = kill_at(at, when, &s);

		if (o == DONE) {
			at *= 0.85;	/* it completed first: earlier */
			when += 86400;
			continue;
		}
		kills++;
		if (o == KILLED_WRITING)
			writing++;
		else
			at *= 1.06;	/* it had not written yet: later */
	}
	cr_expect_geq(kills, 3, "only %zu runs were killed", kills);
	cr_expect_geq(writing, 1, "no kill caught a run writing (%zu kills, "
		      "write from %.2f to %.2f s)", kills, sp.start, sp.end);
	/* a run that completes changes what they print */
	sp = rank_at(when + 86400);
	free(s.views);
	s.views = NULL;
	look(&s);
	cr_expect(strcmp(s.views, first) != 0, "a new ranking shows no change");
	cr_expect_gt(s.gen, gen0);
	cr_expect_eq(s.scores, sp.scores, "one generation left, nothing of "
		     "the killed ones");
	free(s.views);
	free(first);
}
