/* Usage errors come first (DESIGN.md: exit 2 on a usage error, 1 on a
 * runtime failure): every command checks its options, arguments and the
 * environment variables it reads before the config is read and the store
 * opened (cli/cli.h).  Each bad command line below runs with a --db
 * directory and a --config file that do not exist: it must exit 2, name
 * the bad input on stderr and create nothing.  The positive control runs
 * good command lines against the same missing store: they still fail
 * with exit 1 and "no store", so the first table does not pass merely
 * because everything exits 2. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lib/testutil.h"

/* "@" at the start of an argument or env value is the test's directory. */
struct row {
	const char *argv[8];	/* after --config CFG --db DB */
	const char *env[4];	/* "K=V" added to the base environment */
	const char *names;	/* stderr must contain this */
};

static const struct row bad[] = {
	{ { "crawl", "--shard", "9/8" }, { 0 }, "'9/8'" },
	{ { "crawl", "--shard", "x" }, { 0 }, "'x'" },
	{ { "crawl", "--jobs", "0" }, { 0 }, "--jobs" },
	{ { "crawl", "--max-time", "-1" }, { 0 }, "'-1'" },
	{ { "crawl", "--bogus" }, { 0 }, "'--bogus'" },
	{ { "crawl", "extra" }, { 0 }, "'extra'" },
	{ { "crawl" }, { "JOB_COMPLETION_INDEX=9", "MENTORSCOUT_SHARDS=8" },
	  "JOB_COMPLETION_INDEX='9'" },
	{ { "crawl" }, { "JOB_COMPLETION_INDEX=2" },
	  "JOB_COMPLETION_INDEX is set but MENTORSCOUT_SHARDS" },
	{ { "crawl" }, { "SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_COUNT=4" },
	  "SLURM_ARRAY_TASK_ID='5'" },
	{ { "crawl" }, { "MENTORSCOUT_SHARD=3/two" },
	  "MENTORSCOUT_SHARD='3/two'" },
	{ { "discover", "--limit", "x" }, { 0 }, "'x'" },
	{ { "discover", "--topic", "go", "--format", "xml" }, { 0 },
	  "'xml'" },
	{ { "discover", "--topic", "go", "--lang", "e n" }, { 0 }, "'e n'" },
	{ { "discover", "--match", "(" }, { 0 }, "'('" },
	{ { "discover" }, { 0 }, "--topic" },
	{ { "discover", "--topic", "go", "--match", "go" }, { 0 },
	  "either" },
	{ { "discover", "--topic" }, { 0 }, "'--topic'" },
	{ { "report", "--format", "xml" }, { 0 }, "'xml'" },
	{ { "report", "--format", "text" }, { 0 }, "'text'" },
	{ { "report", "--limit", "0" }, { 0 }, "'0'" },
	{ { "report", "--out", "" }, { 0 }, "--out" },
	{ { "report", "stray" }, { 0 }, "'stray'" },
	{ { "explain" }, { 0 }, "which person" },
	{ { "explain", "ann", "bob" }, { 0 }, "'bob'" },
	{ { "explain", "ann", "--limit", "1001" }, { 0 }, "'1001'" },
	{ { "feeds" }, { 0 }, "give a verb" },
	{ { "feeds", "frob" }, { 0 }, "'frob'" },
	{ { "feeds", "add" }, { 0 }, "feeds add" },
	{ { "feeds", "remove" }, { 0 }, "feeds remove" },
	{ { "feeds", "list", "--bogus" }, { 0 }, "'--bogus'" },
	{ { "feeds", "list", "stray" }, { 0 }, "'stray'" },
	{ { "feeds", "import" }, { 0 }, "feeds import" },
	{ { "feeds", "import", "a.opml", "b.opml" }, { 0 }, "feeds import" },
	{ { "feeds", "export", "stray" }, { 0 }, "feeds export" },
	{ { "stats", "--bogus" }, { 0 }, "'--bogus'" },
	{ { "stats", "stray" }, { 0 }, "'stray'" },
	{ { "topics", "--bogus" }, { 0 }, "'--bogus'" },
	{ { "topics", "stray" }, { 0 }, "'stray'" },
	{ { "merge" }, { 0 }, "which shard stores" },
	{ { "merge", "--bogus", "@/s0" }, { 0 }, "'--bogus'" },
	{ { "merge", "@/s0", "@/s0", "--into", "@/all" }, { 0 },
	  "given twice" },
	{ { "merge", "@/s0", "--into", "@/s0" }, { 0 }, "is both" },
	{ { "init", "stray" }, { 0 }, "'stray'" },
	{ { "schedule", "--at", "25:00" }, { 0 }, "'25:00'" },
	{ { "schedule", "--cron", "--systemd" }, { 0 }, "--systemd" },
	{ { "schedule", "stray" }, { 0 }, "'stray'" },
	{ { "parse" }, { 0 }, "FILE or URL" },
	{ { "parse", "ftp://example.com/feed" }, { 0 },
	  "'ftp://example.com/feed'" },
	{ { "parse", "--max-size", "lots", "f.xml" }, { 0 }, "'lots'" },
};

/* The same commands, well formed, on the missing store. */
static const struct row good[] = {
	{ { "crawl" }, { 0 }, "no store in '" },
	{ { "crawl", "--shard", "7/8", "--jobs", "4", "--max-time", "5",
	    "--no-rank" }, { 0 }, "no store in '" },
	{ { "crawl" }, { "JOB_COMPLETION_INDEX=7", "MENTORSCOUT_SHARDS=8" },
	  "no store in '" },
	{ { "crawl" }, { "SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_COUNT=4" },
	  "no store in '" },
	/* without an index nothing reads the count */
	{ { "crawl" }, { "MENTORSCOUT_SHARDS=65" }, "no store in '" },
	{ { "discover", "--match", "mentor", "--limit", "5", "--format",
	    "json" }, { 0 }, "no store in '" },
	{ { "report", "--format", "md", "--limit", "3", "--out", "@/r.md" },
	  { 0 }, "no store in '" },
	{ { "explain", "ann", "--json" }, { 0 }, "no store in '" },
	{ { "feeds", "add", "https://example.com/feed" }, { 0 },
	  "no store in '" },
	{ { "feeds", "remove", "https://example.com/feed" }, { 0 },
	  "no store in '" },
	{ { "feeds", "list", "--json", "--all" }, { 0 }, "no store in '" },
	{ { "feeds", "import", "@/missing.opml" }, { 0 }, "no store in '" },
	{ { "feeds", "export" }, { 0 }, "no store in '" },
	{ { "stats", "--json" }, { 0 }, "no store in '" },
	{ { "stats", "--verify" }, { 0 }, "no store in '" },
	{ { "merge", "@/s0", "@/s1", "--into", "@/all", "--no-rank" }, { 0 },
	  "no shard store in '" },
};

/* A config the loader rejects (itself a usage error, exit 2). */
static const char broken[] = "{ \"crawl\": { \"jobs\": \"many\" ";

static char *dir;
static char cfg[4200], db[4200];
static char env_home[4200], env_xc[4200], env_xd[4200], env_xs[4200];

static void
setup(void)
{
	dir = ms_test_tmpdir("usage");
	cr_assert_not_null(dir);
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	snprintf(db, sizeof(db), "%s/db", dir);
	/* whatever a run would create by default lands in dir too */
	snprintf(env_home, sizeof(env_home), "HOME=%s", dir);
	snprintf(env_xc, sizeof(env_xc), "XDG_CONFIG_HOME=%s/xc", dir);
	snprintf(env_xd, sizeof(env_xd), "XDG_DATA_HOME=%s/xd", dir);
	snprintf(env_xs, sizeof(env_xs), "XDG_STATE_HOME=%s/xs", dir);
}

static void
teardown(void)
{
	ms_test_rmrf(dir);
	free(dir);
}

TestSuite(cli_usage, .init = setup, .fini = teardown);

/* Entries in dir (but . and ..). */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static const char *
expand(const char *s, char *buf, size_t n)
{
	if (s[0] != '@')
		return s;
	snprintf(buf, n, "%s%s", dir, s + 1);
	return buf;
}

/* Run mentorscout --config CFG --db DB ROW... in the base environment
 * plus the row's; a description of the row into what. */
static struct ms_test_run
run_row(const struct row *row, char *what, size_t nwhat)
{
	/* Without '=', glibc's putenv removes the variable: none of the
	 * caller's own shard or path settings may leak into the runs. */
	const char *env[16] = {
		"MENTORSCOUT_CONFIG", "MENTORSCOUT_DB", "MENTORSCOUT_SHARD",
		"MENTORSCOUT_SHARDS", "JOB_COMPLETION_INDEX",
		"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
		env_home, env_xc, env_xd, env_xs,
	};
	static char bufs[8][4200];
	const char *argv[16] = { "--config", cfg, "--db", db };
	struct ms_test_run r;
	size_t n = 4, ne = 11, len = 0;

	what[0] = '\0';
	for (size_t i = 0; i < 4 && row->env[i]; i++) {
		env[ne++] = row->env[i];
		if (len < nwhat)
			len += (size_t)snprintf(what + len, nwhat - len,
						"%s ", row->env[i]);
	}
	for (size_t i = 0; i < 8 && row->argv[i]; i++) {
		argv[n++] = expand(row->argv[i], bufs[i], sizeof(bufs[i]));
		if (len < nwhat)
			len += (size_t)snprintf(what + len, nwhat - len,
						"%s'%s'", i ? " " : "",
						row->argv[i]);
	}
	env[ne] = NULL;
	argv[n] = NULL;
	cr_assert_eq(ms_test_run(&r, env, argv), 0, "cannot run %s", what);
	return r;
}

/* The bad rows with the config file in its state: exit 2, the bad input
 * named, the config not mentioned, nothing created but the files there
 * were (before). */
static void
check_bad_rows(int before)
{
	char what[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ms_test_run r;
		struct stat sb;

		r = run_row(&bad[i], what, sizeof(what));
		cr_expect_eq(r.status, 2, "%s: exit %d, not 2: %s", what,
			     r.status, r.err);
		cr_expect(strstr(r.err, bad[i].names) != NULL,
			  "%s: stderr does not name %s: %s", what,
			  bad[i].names, r.err);
		cr_expect(strstr(r.err, "try 'mentorscout ") != NULL,
			  "%s: no pointer to --help: %s", what, r.err);
		cr_expect(strstr(r.err, "config") == NULL,
			  "%s: the config was read first: %s", what, r.err);
		cr_expect(strstr(r.err, "no store") == NULL,
			  "%s: the store was opened first: %s", what, r.err);
		cr_expect_str_empty(r.out, "%s: printed %s", what, r.out);
		cr_expect_neq(stat(db, &sb), 0, "%s: created the store", what);
		cr_expect_eq(entries(), before, "%s: created files in %s",
			     what, dir);
		ms_test_run_free(&r);
	}
}

Test(cli_usage, bad_options_exit_2_before_config_and_store)
{
	check_bad_rows(0);
}

Test(cli_usage, a_bad_config_does_not_hide_a_bad_option)
{
	/* the message must be the option's, not the config's */
	struct stat sb;

	cr_assert_eq(ms_test_write_file(cfg, broken, sizeof(broken) - 1), 0);
	check_bad_rows(1);
	cr_assert_eq(stat(cfg, &sb), 0);
	cr_expect_eq((size_t)sb.st_size, sizeof(broken) - 1,
		     "the config was rewritten");
}

Test(cli_usage, the_broken_config_alone_is_reported)
{
	/* the control for the test above: with good options, that config
	 * is what fails */
	const struct row row = { { "stats" }, { 0 }, "" };
	struct ms_test_run r;
	char what[512];

	cr_assert_eq(ms_test_write_file(cfg, broken, sizeof(broken) - 1), 0);
	r = run_row(&row, what, sizeof(what));
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, cfg) != NULL, "config not named: %s", r.err);
	ms_test_run_free(&r);
}

Test(cli_usage, good_options_on_a_missing_store_still_exit_1)
{
	char what[512];

	cr_assert_eq(ms_test_write_file(cfg, "{}\n", 3), 0);
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		struct ms_test_run r = run_row(&good[i], what, sizeof(what));
		struct stat sb;

		cr_expect_eq(r.status, 1, "%s: exit %d, not 1: %s", what,
			     r.status, r.err);
		cr_expect(strstr(r.err, good[i].names) != NULL,
			  "%s: stderr lacks \"%s\": %s", what, good[i].names,
			  r.err);
		cr_expect_neq(stat(db, &sb), 0, "%s: created the store", what);
		cr_expect_eq(entries(), 1, "%s: created files in %s", what,
			     dir);
		ms_test_run_free(&r);
	}
}

Test(cli_usage, topics_needs_only_the_config)
{
	/* topics opens no store, so it is not in the table of good rows:
	 * with good options and a good config it runs */
	const struct row row = { { "topics", "--json" }, { 0 }, "" };
	struct ms_test_run r;
	char what[512];

	cr_assert_eq(ms_test_write_file(cfg, "{}\n", 3), 0);
	r = run_row(&row, what, sizeof(what));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(r.out[0] == '[', "%s", r.out);
	ms_test_run_free(&r);
}

/* What needs the config is checked before the store too: an unknown
 * topic with a good config and no store is a usage error naming the
 * topic (with the nearest ids), not "no store". */
Test(cli_usage, an_unknown_topic_is_reported_before_the_store)
{
	static const struct row rows[] = {
		{ { "discover", "--topic", "leadershp" }, { 0 }, "leadershp" },
		{ { "report", "--topic", "leadershp" }, { 0 }, "leadershp" },
		{ { "report", "--topic", "nosuch", "--format", "md" }, { 0 },
		  "nosuch" },
	};
	char what[512];
	struct stat sb;

	cr_assert_eq(ms_test_write_file(cfg, "{}\n", 3), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct ms_test_run r = run_row(&rows[i], what, sizeof(what));

		cr_expect_eq(r.status, 2, "%s: exit %d: %s", what, r.status,
			     r.err);
		cr_expect(strstr(r.err, rows[i].names) &&
			  strstr(r.err, "unknown topic"), "%s: %s", what,
			  r.err);
		cr_expect(strstr(r.err, "no store") == NULL, "%s: %s", what,
			  r.err);
		cr_expect_neq(stat(db, &sb), 0, "%s: created the store", what);
		ms_test_run_free(&r);
	}
	/* A known topic on the missing store is still "no store" (exit 1). */
	{
		const struct row ok = { { "discover", "--topic", "hr" }, { 0 },
					"" };
		struct ms_test_run r = run_row(&ok, what, sizeof(what));

		cr_expect_eq(r.status, 1, "%s", r.err);
		cr_expect(strstr(r.err, "no store") != NULL, "%s", r.err);
		ms_test_run_free(&r);
	}
}
