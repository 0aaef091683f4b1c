/* Tests for cli/cmd_discover.c and cli/cmd_explain.c: the commands run as
 * the binary on a ranked store built in a temporary directory — output
 * formats, exit statuses, usage errors, and the usage texts. */
#include <jansson.h>

#include "tests/ranker/storeworld.h"

struct cli {
	struct sworld *w;
	char *config;
	char *cfgflag, *dbflag;
};

/* Four HR bloggers ranked, a config file, and `me`. */
static void
setup(struct cli *c)
{
	char *path;

	c->w = s_new();
	s_person(c->w, "site:reader.example", "Reader",
		 "https://reader.example/", NULL, NULL);
	s_blog(c->w, "alpha", 12, 2, 20, "site:reader.example", 1);
	s_blog(c->w, "bravo", 8, 3, 30, "site:reader.example", 0);
	s_blog(c->w, "charlie", 5, 5, 40, "site:reader.example", 1);
	s_blog(c->w, "delta", 4, 100, 60, NULL, 0);
	s_rank(c->w);
	path = ms_xasprintf("%s/config.json", c->w->dir);
	cr_assert_eq(ms_test_write_file(path, "{}\n", 3), 0);
	c->config = path;
	c->cfgflag = c->config;
	c->dbflag = c->w->dir;
}

static void
teardown(struct cli *c)
{
	free(c->config);
	s_free(c->w);
}

/* Run `mentorscout --config C --db D args...`. */
static void
run(struct cli *c, struct ms_test_run *r, const char *const *env,
    const char *const *args)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = "--config";
	argv[n++] = c->cfgflag;
	argv[n++] = "--db";
	argv[n++] = c->dbflag;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cr_assert_eq(ms_test_run(r, env, argv), 0, "cannot run the binary");
}

Test(ranker_cli, discover_prints_a_table_that_fits)
{
	struct cli c;
	struct ms_test_run r;
	const char *env[] = { "COLUMNS=72", NULL };
	const char *args[] = { "discover", "--topic", "hr", NULL };
	const char *line;

	setup(&c);
	run(&c, &r, env, args);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.out, "alpha") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "follow") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "alpha") < strstr(r.out, "delta"),
		  "best first: %s", r.out);
	for (line = r.out; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		size_t cols = 0;

		/* display columns: UTF-8 continuation bytes take none */
		for (size_t i = 0; i < len; i++)
			cols += ((unsigned char)line[i] & 0xc0) != 0x80;
		cr_expect_leq(cols, 72, "line too wide: %.*s", (int)len,
			      line);
		line += len + (end != NULL);
	}
	ms_test_run_free(&r);
	teardown(&c);
}

Test(ranker_cli, discover_json_has_the_designed_shape)
{
	struct cli c;
	struct ms_test_run r;
	const char *args[] = { "discover", "--topic", "hr", "--limit", "2",
			       "--format", "json", NULL };
	json_error_t je;
	json_t *root, *cands, *first;

	setup(&c);
	run(&c, &r, NULL, args);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	root = json_loads(r.out, 0, &je);
	cr_assert_not_null(root, "not JSON: %s: %s", je.text, r.out);
	cr_expect_str_eq(json_string_value(json_object_get(root, "topic")),
			 "hr");
	cr_expect_not_null(json_object_get(root, "generated"));
	cands = json_object_get(root, "candidates");
	cr_assert(json_is_array(cands));
	cr_assert_eq(json_array_size(cands), 2);
	first = json_array_get(cands, 0);
	cr_expect_eq(json_integer_value(json_object_get(first, "rank")), 1);
	cr_expect_eq(strlen(json_string_value(json_object_get(first,
							      "person"))),
		     32);
	cr_expect_str_eq(json_string_value(json_object_get(first, "name")),
			 "alpha");
	cr_expect(json_is_number(json_object_get(first, "score")));
	cr_expect(json_is_number(json_object_get(
		json_object_get(first, "signals"), "responsiveness")));
	cr_expect_eq(json_integer_value(json_object_get(
		json_object_get(first, "evidence"), "posts_on_topic")), 12);
	cr_expect_str_eq(json_string_value(json_object_get(
		json_array_get(json_object_get(first, "steps"), 0),
		"action")), "follow");
	json_decref(root);
	ms_test_run_free(&r);
	teardown(&c);
}

Test(ranker_cli, usage_errors_exit_2_and_say_why)
{
	struct cli c;
	static const struct {
		const char *args[8];
		const char *says;
	} cases[] = {
		{ { "discover", "--topic", "hrr", NULL },
		  "unknown topic 'hrr'; did you mean: hr" },
		{ { "discover", NULL }, "give either --topic T or --match" },
		{ { "discover", "--topic", "hr", "--match", "x", NULL },
		  "give either --topic T or --match" },
		{ { "discover", "--topic", "hr", "--limit", "0", NULL },
		  "--limit '0'" },
		{ { "discover", "--topic", "hr", "--format", "xml", NULL },
		  "unknown format 'xml'" },
		{ { "discover", "--topic", "hr", "--lang", "e n", NULL },
		  "--lang 'e n'" },
		{ { "discover", "--match", "(", NULL },
		  "missing closing parenthesis" },
		{ { "discover", "--topic", "hr", "extra", NULL },
		  "unexpected argument 'extra'" },
		{ { "explain", NULL }, "which person?" },
		{ { "explain", "nobody-known", NULL },
		  "no person 'nobody-known'" },
		{ { "explain", "alpha", "--limit", "x", NULL },
		  "--limit 'x'" },
	};

	setup(&c);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ms_test_run r;

		run(&c, &r, NULL, cases[i].args);
		cr_expect_eq(r.status, 2, "%s %s: exit %d", cases[i].args[0],
			     cases[i].args[1] ? cases[i].args[1] : "",
			     r.status);
		cr_expect(strstr(r.err, cases[i].says) != NULL,
			  "case %zu: stderr: %s", i, r.err);
		cr_expect(strstr(r.err, "--help") != NULL, "case %zu", i);
		ms_test_run_free(&r);
	}
	teardown(&c);
}

Test(ranker_cli, network_match_and_lang_run)
{
	struct cli c;
	struct ms_test_run r;
	const char *net[] = { "discover", "--topic", "hr", "--network",
			      "--format", "json", NULL };
	const char *match[] = { "discover", "--match", "(?i)bravo on hiring",
				"--format", "json", NULL };
	const char *lang[] = { "discover", "--topic", "hr", "--lang", "de",
			       NULL };
	json_t *root;

	setup(&c);
	run(&c, &r, NULL, net);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	root = json_loads(r.out, 0, NULL);
	cr_assert_not_null(root, "%s", r.out);
	cr_expect_geq(json_array_size(json_object_get(root, "candidates")),
		      1);
	cr_expect_not_null(json_object_get(json_array_get(
		json_object_get(root, "candidates"), 0), "role"));
	json_decref(root);
	ms_test_run_free(&r);

	{
		const char *nt[] = { "discover", "--topic", "hr", "--network",
				     NULL };

		run(&c, &r, NULL, nt);
		cr_expect_eq(r.status, 0, "stderr: %s", r.err);
		cr_expect(strstr(r.out, "role") != NULL,
			  "the text network shows roles: %s", r.out);
		ms_test_run_free(&r);
	}
	run(&c, &r, NULL, match);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	root = json_loads(r.out, 0, NULL);
	cr_assert_not_null(root, "%s", r.out);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(root, "candidates"), 0), "name")), "bravo");
	json_decref(root);
	ms_test_run_free(&r);

	run(&c, &r, NULL, lang);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.err, "no candidates for 'hr' in language de"),
		  "stderr: %s", r.err);
	ms_test_run_free(&r);
	teardown(&c);
}

Test(ranker_cli, explain_prints_breakdown_and_evidence)
{
	struct cli c;
	struct ms_test_run r;
	const char *text[] = { "explain", "alpha.example", NULL };
	const char *json[] = { "explain", "--json", "https://alpha.example/",
			       NULL };
	json_t *root, *ev;

	setup(&c);
	run(&c, &r, NULL, text);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.out, "Human resources") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "evidence for alpha (site:alpha.example)") !=
			  NULL, "%s", r.out);
	cr_expect(strstr(r.out, "posts: 12 (newest 10 shown)") != NULL, "%s",
		  r.out);
	cr_expect(strstr(r.out, "replies on their own posts: 12") != NULL,
		  "%s", r.out);
	ms_test_run_free(&r);

	run(&c, &r, NULL, json);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	root = json_loads(r.out, 0, NULL);
	cr_assert_not_null(root, "%s", r.out);
	cr_expect_str_eq(json_string_value(json_object_get(root, "ident")),
			 "site:alpha.example");
	cr_expect_geq(json_array_size(json_object_get(root, "scores")), 2);
	ev = json_object_get(root, "evidence");
	cr_expect_eq(json_integer_value(json_object_get(
		json_object_get(ev, "posts"), "total")), 12);
	cr_expect_eq(json_integer_value(json_object_get(
		json_object_get(ev, "links_in"), "total")), 1, "the reader");
	json_decref(root);
	ms_test_run_free(&r);
	teardown(&c);
}

/* Every option is in the usage text (the contract users read). */
Test(ranker_cli, usage_texts_name_every_option)
{
	struct cli c;
	struct ms_test_run r;
	const char *d[] = { "discover", "--help", NULL };
	const char *e[] = { "explain", "--help", NULL };
	static const char *const dopts[] = { "--topic", "--match", "--limit",
					     "--format", "--lang", "--network",
					     "text", "json", "md", "html" };
	static const char *const eopts[] = { "PERSON", "--topic", "--json",
					     "--limit" };

	setup(&c);
	run(&c, &r, NULL, d);
	cr_expect_eq(r.status, 0);
	for (size_t i = 0; i < sizeof(dopts) / sizeof(*dopts); i++)
		cr_expect(strstr(r.out, dopts[i]) != NULL, "discover usage "
			  "lacks %s", dopts[i]);
	ms_test_run_free(&r);
	run(&c, &r, NULL, e);
	cr_expect_eq(r.status, 0);
	for (size_t i = 0; i < sizeof(eopts) / sizeof(*eopts); i++)
		cr_expect(strstr(r.out, eopts[i]) != NULL, "explain usage "
			  "lacks %s", eopts[i]);
	ms_test_run_free(&r);
	teardown(&c);
}
