/*
 * test_json.c — report/json.c against DESIGN.md's `discover --format json`
 * schema: the output is parsed back with jansson and every key and value
 * is checked; absent values are omitted; several topics are wrapped in
 * {"generated", "topics"}.
 */
#include "report/report.h"
#include "tests/report/fixture.h"
#include "util/err.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static struct ms_view *view;

static void
setup(void)
{
	view = fixture_view("hr", "Human resources");
}

static void
teardown(void)
{
	fixture_view_free(view);
}

TestSuite(report_json, .init = setup, .fini = teardown);

static json_t *
load(struct ms_view *const *views, size_t n, const struct ms_report_opts *o)
{
	json_error_t jerr;
	int rc;
	char *out = fixture_write(MS_FMT_JSON, views, n, o, &rc);
	json_t *root;

	cr_assert_eq(rc, MS_OK, "ms_report_write: %d", rc);
	cr_assert(strlen(out) > 0 && out[strlen(out) - 1] == '\n',
		  "one object and a newline");
	root = json_loads(out, JSON_REJECT_DUPLICATES, &jerr);
	cr_assert_not_null(root, "not JSON: %s at %d:%d\n%s", jerr.text,
			   jerr.line, jerr.column, out);
	free(out);
	return root;
}

/* Every key of o is one of allowed (NULL-terminated). */
static void
keys_within(json_t *o, const char *const *allowed, const char *what)
{
	const char *key;
	json_t *val;

	cr_assert(json_is_object(o), "%s is an object", what);
	json_object_foreach(o, key, val) {
		size_t i;

		(void)val;
		for (i = 0; allowed[i]; i++)
			if (!strcmp(key, allowed[i]))
				break;
		cr_assert_not_null(allowed[i], "%s: unexpected key '%s'", what,
				   key);
	}
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_string(v), "'%s' is a string", key);
	return json_string_value(v);
}

static void
real_eq(json_t *o, const char *key, double want)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_number(v), "'%s' is a number", key);
	cr_assert(fabs(json_number_value(v) - want) < 1e-9,
		  "'%s': %g, want %g", key, json_number_value(v), want);
}

static void
int_eq(json_t *o, const char *key, json_int_t want)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "'%s' is an integer", key);
	cr_assert_eq(json_integer_value(v), want, "'%s': %lld, want %lld",
		     key, (long long)json_integer_value(v), (long long)want);
}

/* The schema every candidate follows, whatever its values. */
static void
candidate_schema(json_t *c)
{
	static const char *const cand_keys[] = {
		"rank", "person", "name", "site", "feed", "profiles", "score",
		"signals", "evidence", "steps", "stage", "role", "role_why",
		"notes", NULL,
	};
	static const char *const step_keys[] = { "action", "url", "title",
						 "why", NULL };
	const char *sig_keys[MS_SIGNALS + 1], *ev_keys[MS_EVIDENCE + 1];
	const char *key;
	json_t *val, *s;
	size_t i;

	keys_within(c, cand_keys, "candidate");
	cr_assert(json_is_integer(json_object_get(c, "rank")));
	cr_assert_eq(strlen(str(c, "person")), 32);
	cr_assert(json_is_array(json_object_get(c, "profiles")));
	cr_assert(json_is_array(json_object_get(c, "steps")));
	for (i = 0; i < MS_SIGNALS; i++)
		sig_keys[i] = ms_signal_names[i];
	sig_keys[i] = NULL;
	for (i = 0; i < MS_EVIDENCE; i++)
		ev_keys[i] = ms_evidence_names[i];
	ev_keys[i] = NULL;
	keys_within(json_object_get(c, "signals"), sig_keys, "signals");
	json_object_foreach(json_object_get(c, "signals"), key, val)
		cr_assert(json_is_real(val) && json_real_value(val) >= 0 &&
			  json_real_value(val) <= 1, "signal %s", key);
	keys_within(json_object_get(c, "evidence"), ev_keys, "evidence");
	json_object_foreach(json_object_get(c, "evidence"), key, val)
		cr_assert(json_is_integer(val) && json_integer_value(val) >= 0,
			  "evidence %s", key);
	json_array_foreach(json_object_get(c, "steps"), i, s) {
		keys_within(s, step_keys, "step");
		cr_assert(json_is_string(json_object_get(s, "action")));
	}
	if (json_object_get(c, "role_why"))
		cr_assert_not_null(json_object_get(c, "role"));
	if (json_object_get(c, "notes"))
		cr_assert_gt(json_array_size(json_object_get(c, "notes")), 0,
			     "notes only when there are some");
}

Test(report_json, one_topic_is_the_discover_object)
{
	static const char *const top_keys[] = { "topic", "generated",
						"candidates", NULL };
	json_t *root = load(&view, 1, NULL), *cands, *c;
	size_t i;

	keys_within(root, top_keys, "top level");
	cr_assert_str_eq(str(root, "topic"), "hr");
	cr_assert_str_eq(str(root, "generated"), "2024-05-01T10:00:00Z");
	cands = json_object_get(root, "candidates");
	cr_assert(json_is_array(cands));
	cr_assert_eq(json_array_size(cands), 3);
	json_array_foreach(cands, i, c) {
		candidate_schema(c);
		int_eq(c, "rank", (json_int_t)i + 1);
	}
	json_decref(root);
}

Test(report_json, full_candidate_carries_every_value)
{
	json_t *root = load(&view, 1, NULL);
	json_t *c = json_array_get(json_object_get(root, "candidates"), 0);
	json_t *p = json_object_get(c, "profiles"), *steps, *s, *n;
	const struct ms_candidate *want = &view->cands[0];

	cr_assert_str_eq(str(c, "person"), want->person);
	cr_assert_str_eq(str(c, "name"), FULL_NAME);
	cr_assert_str_eq(str(c, "site"), FULL_SITE);
	cr_assert_str_eq(str(c, "feed"), FULL_FEED);
	cr_assert_eq(json_array_size(p), 2);
	cr_assert_str_eq(json_string_value(json_array_get(p, 0)),
			 "https://mastodon.example/@yamada");
	cr_assert_str_eq(json_string_value(json_array_get(p, 1)),
			 "https://github.com/yamada");
	real_eq(c, "score", 0.83);
	cr_assert_eq(json_object_size(json_object_get(c, "signals")),
		     MS_SIGNALS);
	for (size_t i = 0; i < MS_SIGNALS; i++)
		real_eq(json_object_get(c, "signals"), ms_signal_names[i],
			want->signals[i]);
	cr_assert_eq(json_object_size(json_object_get(c, "evidence")),
		     MS_EVIDENCE);
	for (size_t i = 0; i < MS_EVIDENCE; i++)
		int_eq(json_object_get(c, "evidence"), ms_evidence_names[i],
		       want->evidence[i]);
	steps = json_object_get(c, "steps");
	cr_assert_eq(json_array_size(steps), 3);
	s = json_array_get(steps, 0);
	cr_assert_str_eq(str(s, "action"), ms_step_names[MS_STEP_FOLLOW]);
	cr_assert_str_eq(str(s, "url"), FULL_FEED);
	cr_assert_null(json_object_get(s, "title"), "no title: omitted");
	cr_assert_str_eq(str(s, "why"), "posts on the topic every month");
	s = json_array_get(steps, 1);
	cr_assert_str_eq(str(s, "action"), ms_step_names[MS_STEP_COMMENT]);
	cr_assert_str_eq(str(s, "url"), FULL_POST);
	cr_assert_str_eq(str(s, "title"), FULL_TITLE);
	cr_assert_str_eq(str(s, "why"), FULL_WHY);
	cr_assert_str_eq(str(json_array_get(steps, 2), "action"),
			 ms_step_names[MS_STEP_LINK]);
	cr_assert_str_eq(str(c, "stage"), ms_stage_names[MS_STAGE_ENGAGED]);
	cr_assert_str_eq(str(c, "role"), ms_role_names[MS_ROLE_ADVISER]);
	cr_assert_str_eq(str(c, "role_why"), "covers adviser: six years on HR");
	n = json_object_get(c, "notes");
	cr_assert_eq(json_array_size(n), 1);
	cr_assert_str_eq(json_string_value(json_array_get(n, 0)),
			 "two sites merged: yamada.example, tarou.example");
	json_decref(root);
}

Test(report_json, absent_values_are_omitted_not_invented)
{
	json_t *root = load(&view, 1, NULL);
	json_t *c = json_array_get(json_object_get(root, "candidates"), 1);
	json_t *sig = json_object_get(c, "signals");
	json_t *ev = json_object_get(c, "evidence");

	cr_assert_null(json_object_get(c, "name"));
	cr_assert_null(json_object_get(c, "site"));
	cr_assert_str_eq(str(c, "feed"), MIN_FEED);
	cr_assert_eq(json_array_size(json_object_get(c, "profiles")), 0);
	cr_assert_eq(json_array_size(json_object_get(c, "steps")), 0);
	cr_assert_null(json_object_get(sig, "authority"), "NaN is unknown");
	cr_assert_null(json_object_get(sig, "audience"), "NaN is unknown");
	cr_assert_eq(json_object_size(sig), MS_SIGNALS - 2);
	real_eq(sig, "focus", 0.3);
	cr_assert_null(json_object_get(
		ev, ms_evidence_names[MS_EV_MEDIAN_REPLY_S]));
	cr_assert_null(json_object_get(ev, ms_evidence_names[MS_EV_LINKS_IN]));
	cr_assert_eq(json_object_size(ev), MS_EVIDENCE - 2);
	int_eq(ev, ms_evidence_names[MS_EV_POSTS], 0);
	int_eq(ev, ms_evidence_names[MS_EV_DAYS_SINCE_POST], 11);
	cr_assert_null(json_object_get(c, "stage"), "stage NONE");
	cr_assert_null(json_object_get(c, "role"), "role NONE");
	cr_assert_null(json_object_get(c, "role_why"));
	cr_assert_null(json_object_get(c, "notes"));
	json_decref(root);
}

Test(report_json, hostile_strings_arrive_clean_and_valid)
{
	json_t *root = load(&view, 1, NULL);
	json_t *c = json_array_get(json_object_get(root, "candidates"), 2);
	const char *name = str(c, "name");
	json_t *s;

	/* Markup stays as data (JSON consumers escape for their medium);
	 * terminal and bidi controls are gone; bad bytes are U+FFFD. */
	cr_assert(!strncmp(name, "Mallory " HOSTILE_SCRIPT " " HOSTILE_ATTR
			   " gnp.exe [click](" HOSTILE_JS ") | pipe "
			   "\xef\xbf\xbd\xef\xbf\xbd *bold*", 80), "%s", name);
	cr_assert_null(strchr(name, '\x1b'), "%s", name);
	cr_assert_null(strstr(name, "\xe2\x80\xae"), "%s", name);
	cr_assert_null(strstr(name, "pwned"), "%s", name);
	cr_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(c, "notes"), 0)),
			 "damped: link ring with 4 sites");
	cr_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(c, "notes"), 1)),
			 "<b>bold</b> & \"quoted\" 'single' isolate");
	s = json_array_get(json_object_get(c, "steps"), 0);
	cr_assert_str_eq(str(s, "title"), HOSTILE_SCRIPT);
	cr_assert_str_eq(str(c, "role_why"), "[x](" HOSTILE_JS ")");
	cr_assert_null(json_object_get(c, "stage"));
	json_decref(root);
}

Test(report_json, several_topics_are_wrapped_with_the_latest_date)
{
	static const char *const wrap_keys[] = { "generated", "topics", NULL };
	static const char *const top_keys[] = { "topic", "generated",
						"candidates", NULL };
	struct ms_view *empty = fixture_empty_view("leadership");
	struct ms_view *views[] = { empty, view };
	json_t *root = load(views, 2, NULL), *topics, *t;

	keys_within(root, wrap_keys, "wrapper");
	cr_assert_str_eq(str(root, "generated"), "2024-05-01T10:00:00Z");
	topics = json_object_get(root, "topics");
	cr_assert_eq(json_array_size(topics), 2);
	t = json_array_get(topics, 0);
	keys_within(t, top_keys, "topic");
	cr_assert_str_eq(str(t, "topic"), "leadership");
	cr_assert_null(json_object_get(t, "generated"), "never ranked");
	cr_assert_eq(json_array_size(json_object_get(t, "candidates")), 0);
	t = json_array_get(topics, 1);
	cr_assert_str_eq(str(t, "topic"), "hr");
	cr_assert_eq(json_array_size(json_object_get(t, "candidates")), 3);
	candidate_schema(json_array_get(json_object_get(t, "candidates"), 0));
	json_decref(root);
	fixture_view_free(empty);
}

Test(report_json, report_form_wraps_even_one_topic_and_none)
{
	struct ms_report_opts o = { .topics = 1 };
	json_t *root = load(&view, 1, &o);

	cr_assert_eq(json_array_size(json_object_get(root, "topics")), 1);
	cr_assert_null(json_object_get(root, "candidates"));
	json_decref(root);
	root = load(NULL, 0, NULL);
	cr_assert_eq(json_object_size(root), 1, "no date without rankings");
	cr_assert_eq(json_array_size(json_object_get(root, "topics")), 0);
	json_decref(root);
}

Test(report_json, full_disk_is_a_write_error)
{
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f, "/dev/full");
	cr_assert_eq(ms_report_write(f, MS_FMT_JSON, &view, 1, NULL), MS_EIO);
	fclose(f);
}
