/* The command line end to end (family 0xx): init, feeds add/list/remove/
 * import/export, topics, stats, help and exit codes, against a temporary
 * config and store. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lib/testutil.h"

static char *dir;
static char cfg[4200], db[4200], env_home[4200];
static const char *envv[2];

static void
setup(void)
{
	dir = ms_test_tmpdir("cli");
	cr_assert_not_null(dir);
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	snprintf(db, sizeof(db), "%s/db", dir);
	snprintf(env_home, sizeof(env_home), "HOME=%s", dir);
	envv[0] = env_home;
	envv[1] = NULL;
}

static void
teardown(void)
{
	ms_test_rmrf(dir);
	free(dir);
}

/* Run mentorscout --config CFG --db DB args... */
static struct ms_test_run
ms(const char *a, ...)
{
	const char *argv[32];
	struct ms_test_run r;
	va_list ap;
	int n = 0;

	argv[n++] = "--config";
	argv[n++] = cfg;
	argv[n++] = "--db";
	argv[n++] = db;
	va_start(ap, a);
	for (const char *s = a; s && n < 31; s = va_arg(ap, const char *))
		argv[n++] = s;
	va_end(ap);
	argv[n] = NULL;
	cr_assert_eq(ms_test_run(&r, envv, argv), 0);
	return r;
}

TestSuite(cli, .init = setup, .fini = teardown);

Test(cli, t001_init_is_idempotent_and_private)
{
	struct ms_test_run r = ms("init", NULL);
	struct stat sb;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "created config") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "created store") != NULL, "%s", r.out);
	ms_test_run_free(&r);
	cr_assert_eq(stat(db, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0700, "store mode %o",
		     sb.st_mode & 0777);
	cr_assert_eq(stat(cfg, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0600);
	r = ms("init", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "exists") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "created") == NULL, "%s", r.out);
	ms_test_run_free(&r);
}

Test(cli, t002_help_version_and_exit_codes)
{
	struct ms_test_run r = ms("--help", NULL);
	const char *cmds[] = { "init", "feeds", "crawl", "discover",
			       "report", "explain", "topics", "schedule",
			       "stats", "parse" };

	cr_expect_eq(r.status, 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++) {
		struct ms_test_run h = ms(cmds[i], "--help", NULL);

		cr_expect(strstr(r.out, cmds[i]) != NULL, "%s", cmds[i]);
		cr_expect_eq(h.status, 0, "%s --help", cmds[i]);
		cr_expect(!strncmp(h.out, "usage: mentorscout ", 19), "%s",
			  h.out);
		ms_test_run_free(&h);
	}
	ms_test_run_free(&r);
	r = ms("frobnicate", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "mentorscout: unknown command 'frobnicate'\n"
				"try 'mentorscout --help'\n");
	ms_test_run_free(&r);
	r = ms("topics", NULL);	/* a named config must exist */
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "cannot open config '") != NULL, "%s", r.err);
	ms_test_run_free(&r);
	ms_test_write_file(cfg, "{}\n", 3);
	r = ms("stats", NULL);	/* no store yet: runtime failure */
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "run 'mentorscout init' first") != NULL,
		  "%s", r.err);
	ms_test_run_free(&r);
}

Test(cli, t003_feeds_add_duplicate_is_a_noop_with_a_message)
{
	struct ms_test_run r = ms("init", NULL);

	ms_test_run_free(&r);
	r = ms("feeds", "add", "https://Blog.Example.com/feed/", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	r = ms("feeds", "add", "https://blog.example.com/feed/#x", NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "feed 'https://blog.example.com/feed/#x' is "
				"already in the list") != NULL, "%s", r.err);
	ms_test_run_free(&r);
	r = ms("feeds", "list", NULL);
	cr_expect_str_eq(r.out, "active  https://blog.example.com/feed/\n");
	ms_test_run_free(&r);
	r = ms("feeds", "add", "ftp://x.example/feed", NULL);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "unsupported scheme") != NULL, "%s", r.err);
	ms_test_run_free(&r);
	r = ms("feeds", "remove", "https://blog.example.com/feed/", NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	r = ms("feeds", "remove", "https://blog.example.com/feed/", NULL);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "is not in the list") != NULL, "%s", r.err);
	ms_test_run_free(&r);
}

static json_t *
list_json(void)
{
	struct ms_test_run r = ms("feeds", "list", "--json", NULL);
	json_error_t je;
	json_t *j;

	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, &je);
	cr_assert_not_null(j, "%s: %s", je.text, r.out);
	ms_test_run_free(&r);
	return j;
}

static int
has_url(json_t *arr, const char *url)
{
	size_t i;
	json_t *o;

	json_array_foreach(arr, i, o)
		if (!strcmp(json_string_value(json_object_get(o, "url")), url))
			return 1;
	return 0;
}

Test(cli, t004_opml_import_export_reimport_gives_the_same_set)
{
	char *opml = ms_test_fixture("opml/subscriptions.opml");
	char exp[4300];
	struct ms_test_run r = ms("init", NULL);
	json_t *first, *second;

	ms_test_run_free(&r);
	r = ms("feeds", "import", opml, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* 4 good feeds + 1 site-only outline; 1 duplicate; 3 bad URLs */
	cr_expect(strstr(r.err, "imported 5 feeds") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "1 already present, 3 skipped") != NULL,
		  "%s", r.err);
	cr_expect(strstr(r.err, "skipping 'file:///etc/passwd' in '") !=
			  NULL, "%s", r.err);
	ms_test_run_free(&r);
	first = list_json();
	cr_expect_eq(json_array_size(first), 5);
	cr_expect(has_url(first, "https://peopleops.example.com/feed/"));
	cr_expect(has_url(first, "https://coach.example.com/blog/"));
	cr_expect(!has_url(first, "file:///etc/passwd"));

	r = ms("feeds", "export", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(exp, sizeof(exp), "%s/export.opml", dir);
	ms_test_write_file(exp, r.out, strlen(r.out));
	ms_test_run_free(&r);
	ms_test_rmrf(db);
	r = ms("init", NULL);
	ms_test_run_free(&r);
	r = ms("feeds", "import", exp, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ms_test_run_free(&r);
	second = list_json();
	cr_assert_eq(json_array_size(second), json_array_size(first));
	for (size_t i = 0; i < json_array_size(first); i++) {
		json_t *a = json_array_get(first, i);
		const char *url = json_string_value(json_object_get(a, "url"));

		cr_expect(has_url(second, url), "%s lost", url);
	}
	json_decref(first);
	json_decref(second);
	free(opml);
}

Test(cli, t005_topics_lists_the_default_taxonomy)
{
	struct ms_test_run r;
	json_error_t je;
	json_t *j;

	ms_test_write_file(cfg, "{}\n", 3);
	r = ms("topics", "--json", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	cr_expect_geq(json_array_size(j), 15);
	json_decref(j);
	ms_test_run_free(&r);
}

Test(cli, t006_stats_counts_an_empty_store)
{
	struct ms_test_run r = ms("init", NULL);
	json_error_t je;
	json_t *j;

	ms_test_run_free(&r);
	r = ms("feeds", "add", "https://a.example/feed", "https://b.example/"
	       "rss", NULL);
	ms_test_run_free(&r);
	r = ms("stats", "--json", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	cr_expect_eq(json_integer_value(json_object_get(
			     json_object_get(j, "counts"), "feeds")), 2);
	cr_expect_null(json_object_get(j, "last_crawl"));
	json_decref(j);
	ms_test_run_free(&r);
}

/* R-PO-7, R-SE-9: a user agent without a contact or with a header break
 * is a config error naming the key, exit 2. */
Test(cli, t008_r_po_7_r_se_9_user_agent_errors_exit_2)
{
	const char *nocontact = "{\"crawl\": {\"user_agent\": \"bot/1\"}}";
	const char *crlf = "{\"crawl\": {\"user_agent\": "
			   "\"bot/1 (+https://e.com)\\r\\nX: y\"}}";
	struct ms_test_run r;

	ms_test_write_file(cfg, nocontact, strlen(nocontact));
	r = ms("topics", NULL);
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "'crawl.user_agent'") != NULL, "%s", r.err);
	ms_test_run_free(&r);
	ms_test_write_file(cfg, crlf, strlen(crlf));
	r = ms("topics", NULL);
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "'crawl.user_agent'") != NULL, "%s", r.err);
	ms_test_run_free(&r);
}

Test(cli, t007_bad_config_names_file_line_and_key)
{
	const char *bad = "{\n  \"crawl\": {\"jobs\": \"many\"}\n}\n";
	struct ms_test_run r;

	ms_test_write_file(cfg, bad, strlen(bad));
	r = ms("topics", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "config.json:2:") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "'crawl.jobs'") != NULL, "%s", r.err);
	ms_test_run_free(&r);
}
