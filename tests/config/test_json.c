/*
 * Tests for config/json.c and config/defaults.c: where the config file is
 * looked for, the defaults, every kind of error with its exact message
 * (file, line, column, key), and values that load.  Each config is written
 * to a fresh temporary directory; positions in the expected messages are
 * 1-based lines and columns counted in characters in the text beside them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

static char *tmp;

static void
setup(void)
{
	tmp = ms_test_tmpdir("config");
	cr_assert(tmp, "cannot make a temporary directory");
}

static void
teardown(void)
{
	ms_test_rmrf(tmp);
	free(tmp);
}

TestSuite(config_json, .init = setup, .fini = teardown);

/* Write text to <tmp>/config.json (mode 0600); the path is malloc'd. */
static char *
put(const char *text)
{
	char *path;

	cr_assert(asprintf(&path, "%s/config.json", tmp) > 0);
	cr_assert_eq(ms_test_write_file(path, text, strlen(text)), 0,
		     "cannot write %s", path);
	return path;
}

/* want with every "{f}" replaced by path. */
static char *
expand(const char *want, const char *path)
{
	size_t cap = strlen(want) + 4 * strlen(path) + 1, n = 0;
	char *out = malloc(cap);

	cr_assert(out);
	while (*want) {
		if (!strncmp(want, "{f}", 3)) {
			n += (size_t)snprintf(out + n, cap - n, "%s", path);
			want += 3;
		} else {
			out[n++] = *want++;
		}
	}
	out[n] = '\0';
	return out;
}

/* Loading text fails with code and exactly the message want. */
static void
expect_error(const char *text, int code, const char *want)
{
	struct ms_config *c = (struct ms_config *)1;
	struct ms_err err = { 0 };
	char *path = put(text), *msg = expand(want, path);
	int rc = ms_config_load(path, true, &c, &err);

	cr_expect_eq(rc, code, "rc %d, want %d (%s)", rc, code, err.msg);
	cr_expect_null(c, "no config on error");
	cr_expect_str_eq(err.msg, msg);
	free(msg);
	free(path);
}

static struct ms_config *
load_ok(const char *text)
{
	struct ms_config *c = NULL;
	struct ms_err err = { 0 };
	char *path = put(text);
	int rc = ms_config_load(path, true, &c, &err);

	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	cr_assert_not_null(c);
	cr_expect_str_eq(c->path, path);
	free(path);
	return c;
}

/* ------------------------------------------------------------ finding */

Test(config_json, flag_path_wins_over_environment)
{
	char *p;

	setenv("MENTORSCOUT_CONFIG", "/env/config.json", 1);
	p = ms_config_default_path("/flag/config.json");
	cr_expect_str_eq(p, "/flag/config.json");
	free(p);
	p = ms_config_default_path(NULL);
	cr_expect_str_eq(p, "/env/config.json");
	free(p);
}

Test(config_json, xdg_config_home_then_home)
{
	char *p;

	unsetenv("MENTORSCOUT_CONFIG");
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("HOME", "/home/u", 1);
	p = ms_config_default_path(NULL);
	cr_expect_str_eq(p, "/x/conf/mentorscout/config.json");
	free(p);
	/* The XDG spec: a relative value is ignored. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = ms_config_default_path(NULL);
	cr_expect_str_eq(p, "/home/u/.config/mentorscout/config.json");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	cr_expect_null(ms_config_default_path(NULL));
}

/* ----------------------------------------------------------- defaults */

static void
check_defaults(const struct ms_config *c)
{
	cr_expect_eq(c->crawl.jobs, 32);
	cr_expect_eq(c->crawl.per_host, 1);
	cr_expect_eq(c->crawl.host_delay, 1.0);
	cr_expect_eq(c->crawl.connect_timeout, 10);
	cr_expect_eq(c->crawl.total_timeout, 60);
	cr_expect_eq(c->crawl.low_speed_limit, 100);
	cr_expect_eq(c->crawl.low_speed_time, 30);
	cr_expect_eq(c->crawl.max_body, (size_t)8 << 20);
	cr_expect_eq(c->crawl.max_robots, (size_t)500 << 10);
	cr_expect_str_eq(c->crawl.user_agent, "mentorscout/" MS_VERSION
			 " (+https://github.com/mentorscout/mentorscout)");
	cr_expect_not(c->crawl.allow_private);
	cr_expect_eq(c->crawl.host_budget, 200);
	cr_expect_eq(c->crawl.max_failures, 10);
	cr_expect_eq(c->crawl.depth, 1);
	cr_expect_eq(c->crawl.max_discovered, 500);
	cr_expect_eq(c->crawl.comment_pages, 20);
	cr_expect_eq(c->crawl.max_redirects, 5);
	cr_expect_eq(c->crawl.max_crawl_delay, 30.0);
	cr_expect_eq(c->weights.focus, 0.25);
	cr_expect_eq(c->weights.authority, 0.20);
	cr_expect_eq(c->weights.responsiveness, 0.20);
	cr_expect_eq(c->weights.audience, 0.10);
	cr_expect_eq(c->weights.activity, 0.15);
	cr_expect_eq(c->weights.reachability, 0.10);
	cr_expect_eq(c->weights.half_life_days, 90.0);
	cr_expect_eq(c->weights.recent_days, 365);
	cr_expect_null(c->me.name);
	cr_expect_null(c->me.blog);
	cr_expect_eq(c->me.nprofiles, 0);
	cr_expect_eq(c->nfeeds, 0);
	cr_expect_not(c->meta_async);
	cr_expect_geq(c->taxonomy.ntopics, 15);
	cr_expect_not_null(ms_taxonomy_find(&c->taxonomy, "hr"));
}

Test(config_json, missing_file_gives_defaults_unless_it_must_exist)
{
	struct ms_config *c = NULL;
	struct ms_err err = { 0 };
	char *path, *want;
	int rc;

	cr_assert(asprintf(&path, "%s/nothing-here.json", tmp) > 0);
	rc = ms_config_load(path, false, &c, &err);
	cr_assert_eq(rc, MS_OK, "%s", err.msg);
	cr_expect_null(c->path, "defaults only: no file was read");
	check_defaults(c);
	ms_config_free(c);

	c = (struct ms_config *)1;
	rc = ms_config_load(path, true, &c, &err);
	cr_expect_eq(rc, MS_ENOTFOUND, "%s", err.msg);
	cr_expect_null(c);
	want = expand("cannot open config '{f}': No such file or directory",
		      path);
	cr_expect_str_eq(err.msg, want);
	free(want);
	free(path);
}

Test(config_json, empty_object_gives_defaults)
{
	struct ms_config *c = load_ok("{}\n");

	check_defaults(c);
	ms_config_free(c);
}

Test(config_json, template_loads_as_the_defaults)
{
	struct ms_config *c = load_ok(ms_config_template());
	struct ms_config *d = NULL;
	struct ms_err err = { 0 };

	check_defaults(c);
	cr_assert_eq(ms_config_defaults(&d, &err), MS_OK, "%s", err.msg);
	cr_expect_eq(c->taxonomy.ntopics, d->taxonomy.ntopics);
	for (size_t i = 0; i < d->taxonomy.ntopics; i++)
		cr_expect_str_eq(c->taxonomy.topics[i].id,
				 d->taxonomy.topics[i].id);
	/* Every main key is in the template, so a user sees what exists. */
	for (const char *const *k = (const char *const[]){
		     "\"feeds\"", "\"crawl\"", "\"weights\"", "\"me\"",
		     "\"store\"", "\"user_agent\"", "\"half_life_days\"",
		     "\"allow_private\"", NULL };
	     *k; k++)
		cr_expect(strstr(ms_config_template(), *k), "%s missing", *k);
	ms_config_free(d);
	ms_config_free(c);
}

/* ------------------------------------------------------------- values */

Test(config_json, values_override_defaults)
{
	struct ms_config *c = load_ok(
		"{\n"
		"  \"feeds\": [\"https://a.example/feed\",\n"
		"            {\"url\": \"http://b.example/atom.xml\",\n"
		"             \"topics\": [\"hr\", \"leadership\"]}],\n"
		"  \"crawl\": {\"jobs\": 4, \"host_delay\": 0,"
		" \"max_body\": 1000,\n"
		"            \"allow_private\": true,\n"
		"            \"user_agent\":"
		" \"hrbot/2 (mailto:ops@hr.example.org)\"},\n"
		"  \"weights\": {\"focus\": 1, \"authority\": 0.5,\n"
		"              \"half_life_days\": 30.5,"
		" \"recent_days\": 90},\n"
		"  \"me\": {\"name\": \"Jürgen Müller\",\n"
		"         \"blog\": \"https://juergen.example.net/\",\n"
		"         \"profiles\":"
		" [\"https://www.linkedin.com/in/jm\"]},\n"
		"  \"store\": {\"sync\": \"meta-async\"}\n"
		"}\n");

	cr_assert_eq(c->nfeeds, 2);
	cr_expect_str_eq(c->feeds[0].url, "https://a.example/feed");
	cr_expect_eq(c->feeds[0].ntopics, 0);
	cr_expect_str_eq(c->feeds[1].url, "http://b.example/atom.xml");
	cr_assert_eq(c->feeds[1].ntopics, 2);
	cr_expect_str_eq(c->feeds[1].topics[1], "leadership");
	cr_expect_eq(c->crawl.jobs, 4);
	cr_expect_eq(c->crawl.host_delay, 0.0);
	cr_expect_eq(c->crawl.max_body, 1000);
	cr_expect(c->crawl.allow_private);
	cr_expect_str_eq(c->crawl.user_agent,
			 "hrbot/2 (mailto:ops@hr.example.org)");
	cr_expect_eq(c->crawl.total_timeout, 60, "untouched keys keep "
		     "their defaults");
	cr_expect_eq(c->weights.focus, 1.0);
	cr_expect_eq(c->weights.authority, 0.5);
	cr_expect_eq(c->weights.half_life_days, 30.5);
	cr_expect_eq(c->weights.recent_days, 90);
	cr_expect_eq(c->weights.activity, 0.15);
	cr_expect_str_eq(c->me.name, "Jürgen Müller");
	cr_expect_str_eq(c->me.blog, "https://juergen.example.net/");
	cr_assert_eq(c->me.nprofiles, 1);
	cr_expect_str_eq(c->me.profiles[0], "https://www.linkedin.com/in/jm");
	cr_expect(c->meta_async);
	ms_config_free(c);
}

Test(config_json, user_topic_replaces_default_in_place_others_append)
{
	struct ms_config *d = NULL, *c;
	struct ms_err err = { 0 };
	const struct ms_topic *hr;
	size_t hr_at = 0;

	cr_assert_eq(ms_config_defaults(&d, &err), MS_OK, "%s", err.msg);
	c = load_ok(
		"{\"topics\": [\n"
		"  {\"id\": \"hr\", \"label\": \"People\",\n"
		"   \"patterns\": {\"en\": [\"\\\\bpeople team\\\\b\"]}},\n"
		"  {\"id\": \"onboarding\", \"languages\": [\"en\", \"de\"],\n"
		"   \"patterns\": {\"en\": [\"\\\\bonboarding\\\\b\"],\n"
		"                \"de\": [\"Einarbeitung\"],"
		" \"*\": [\"\\\\bpreboarding\\\\b\"]}}\n"
		"]}\n");

	cr_assert_eq(c->taxonomy.ntopics, d->taxonomy.ntopics + 1);
	for (size_t i = 0; i < d->taxonomy.ntopics; i++) {
		cr_expect_str_eq(c->taxonomy.topics[i].id,
				 d->taxonomy.topics[i].id, "order kept");
		if (!strcmp(d->taxonomy.topics[i].id, "hr"))
			hr_at = i;
	}
	hr = &c->taxonomy.topics[hr_at];
	cr_expect_str_eq(hr->label, "People");
	cr_assert_eq(hr->npatterns, 1);
	cr_expect_str_eq(hr->patterns[0].source, "\\bpeople team\\b");
	cr_assert_eq(hr->nlangs, 1, "languages come from the patterns");
	cr_expect_str_eq(hr->langs[0], "en");
	cr_expect_eq(ms_topic_count(&c->taxonomy, hr, "en",
				    "Our HR people team", 18), 1,
		     "the default patterns are gone");

	cr_expect_str_eq(c->taxonomy.topics[d->taxonomy.ntopics].id,
			 "onboarding");
	cr_expect_str_eq(c->taxonomy.topics[d->taxonomy.ntopics].label,
			 "onboarding", "the label defaults to the id");
	cr_expect_eq(c->taxonomy.topics[d->taxonomy.ntopics].npatterns, 3);
	ms_config_free(d);
	ms_config_free(c);
}

Test(config_json, replace_default_topics_keeps_only_the_users)
{
	struct ms_config *c = load_ok(
		"{\"replace_default_topics\": true,\n"
		" \"topics\": [{\"id\": \"payroll\",\n"
		"              \"patterns\":"
		" {\"*\": [\"\\\\bpayroll\\\\b\"]}}]}\n");

	cr_assert_eq(c->taxonomy.ntopics, 1);
	cr_expect_str_eq(c->taxonomy.topics[0].id, "payroll");
	cr_expect_null(ms_taxonomy_find(&c->taxonomy, "hr"));
	ms_config_free(c);
}

Test(config_json, utf8_bom_is_skipped)
{
	struct ms_config *c = load_ok("\xef\xbb\xbf{\"crawl\": {\"jobs\": 2}}");

	cr_expect_eq(c->crawl.jobs, 2);
	ms_config_free(c);
}

/* ------------------------------------------------------ syntax errors */

Test(config_json, invalid_json_gives_janssons_position_and_text)
{
	expect_error("{\n"
		     "  \"crawl\": {\n"
		     "    \"jobs\": 4,\n"
		     "  }\n"
		     "}\n",
		     MS_ECONFIG, "{f}:4:3: string or '}' expected near '}'");
	expect_error("{\"crawl\": {\"jobs\": 1, \"jobs\": 2}}", MS_ECONFIG,
		     "{f}:1:28: duplicate object key near '\"jobs\"'");
	expect_error("", MS_ECONFIG,
		     "{f}:1:0: '[' or '{' expected near end of file");
}

Test(config_json, top_level_must_be_an_object)
{
	expect_error("\n  [\"https://a.example/feed\"]\n", MS_ECONFIG,
		     "{f}:2:3: expected a JSON object at the top level");
}

/* --------------------------------------------------------- key errors */

Test(config_json, wrong_type_names_line_column_and_key)
{
	expect_error("{\n"
		     "  \"crawl\": {\n"
		     "    \"jobs\": \"many\"\n"
		     "  }\n"
		     "}\n",
		     MS_ECONFIG, "{f}:3:13: key 'crawl.jobs': expected an "
		     "integer");
	expect_error("{\"crawl\": {\"jobs\": 2.5}}", MS_ECONFIG,
		     "{f}:1:20: key 'crawl.jobs': expected an integer");
	expect_error("{\"crawl\": {\"allow_private\": 1}}", MS_ECONFIG,
		     "{f}:1:29: key 'crawl.allow_private': expected true or "
		     "false");
	expect_error("{\"weights\": {\"focus\": \"high\"}}", MS_ECONFIG,
		     "{f}:1:23: key 'weights.focus': expected a number");
	expect_error("{\"crawl\": [1]}", MS_ECONFIG,
		     "{f}:1:11: key 'crawl': expected an object");
	expect_error("{\"feeds\": \"https://a.example/feed\"}", MS_ECONFIG,
		     "{f}:1:11: key 'feeds': expected an array");
}

Test(config_json, unknown_key_at_top_level)
{
	expect_error("{\n"
		     "  \"feeds\": [],\n"
		     "  \"crawls\": {}\n"
		     "}\n",
		     MS_ECONFIG, "{f}:3:3: unknown key 'crawls'");
}

Test(config_json, unknown_key_nested)
{
	expect_error("{\n"
		     "  \"crawl\": {\n"
		     "    \"jobs\": 8,\n"
		     "    \"job\": 4\n"
		     "  }\n"
		     "}\n",
		     MS_ECONFIG, "{f}:4:5: unknown key 'crawl.job'");
	expect_error("{\n"
		     "  \"feeds\": [\n"
		     "    \"https://a.example/feed\",\n"
		     "    {\"url\": \"https://b.example/feed\","
		     " \"topic\": [\"hr\"]}\n"
		     "  ]\n"
		     "}\n",
		     MS_ECONFIG, "{f}:4:39: unknown key 'feeds[1].topic'");
	expect_error("{\"store\": {\"sync\": \"full\", \"mode\": 1}}",
		     MS_ECONFIG, "{f}:1:28: unknown key 'store.mode'");
}

Test(config_json, position_found_through_escaped_names)
{
	/* "cr\u0061wl" is "crawl": the locator lets jansson decode names. */
	expect_error("{\"feeds\": [], \"cr\\u0061wl\": {\"jobs\": 1, "
		     "\"jobz\": 2}}",
		     MS_ECONFIG, "{f}:1:41: unknown key 'crawl.jobz'");
}

Test(config_json, unknown_key_is_shown_safely)
{
	char text[512], want[256];
	size_t n = 0, w = 0;

	/* "a" then 100 × "ü": the name is cut before a character. */
	n += (size_t)snprintf(text, sizeof(text), "{\"a");
	w += (size_t)snprintf(want, sizeof(want), "{f}:1:2: unknown key 'a");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "ü");
	for (int i = 0; i < 33; i++)
		w += (size_t)snprintf(want + w, sizeof(want) - w, "ü");
	snprintf(text + n, sizeof(text) - n, "\": 1}");
	snprintf(want + w, sizeof(want) - w, "...'");
	expect_error(text, MS_ECONFIG, want);
	/* A control character in a name is not printed as is. */
	expect_error("{\"x\\u001b[31m\": 1}", MS_ECONFIG,
		     "{f}:1:2: unknown key 'x?[31m'");
}

Test(config_json, wrong_type_in_array_element)
{
	expect_error("{\n"
		     "  \"feeds\": [\n"
		     "    \"https://a.example/feed\",\n"
		     "    {\"url\": \"https://b.example/feed\"},\n"
		     "    {\"url\": 42, \"topics\": [\"hr\"]}\n"
		     "  ]\n"
		     "}\n",
		     MS_ECONFIG, "{f}:5:13: key 'feeds[2].url': expected a "
		     "string");
	expect_error("{\"feeds\": [\"https://a.example/\", 7]}", MS_ECONFIG,
		     "{f}:1:34: key 'feeds[1]': expected a URL or an object "
		     "with 'url' and 'topics'");
	expect_error("{\"feeds\": [{\"topics\": [\"hr\"]}]}", MS_ECONFIG,
		     "{f}:1:12: key 'feeds[0]': missing 'url'");
}

Test(config_json, columns_count_characters_not_bytes)
{
	expect_error("{\n"
		     "  \"me\": {\"name\": \"Jürgen Müller\", \"blog\": 7}\n"
		     "}\n",
		     MS_ECONFIG, "{f}:2:43: key 'me.blog': expected a string");
}

Test(config_json, ranges_are_checked)
{
	expect_error("{\"crawl\": {\"jobs\": 0}}", MS_ECONFIG,
		     "{f}:1:20: key 'crawl.jobs': must be between 1 and 1024");
	expect_error("{\"crawl\": {\"jobs\": 1025}}", MS_ECONFIG,
		     "{f}:1:20: key 'crawl.jobs': must be between 1 and 1024");
	expect_error("{\"crawl\": {\"host_delay\": -0.5}}", MS_ECONFIG,
		     "{f}:1:26: key 'crawl.host_delay': must be between 0 "
		     "and 3600");
	expect_error("{\"crawl\": {\"total_timeout\": 0}}", MS_ECONFIG,
		     "{f}:1:29: key 'crawl.total_timeout': must be between "
		     "1 and 86400");
	expect_error("{\"weights\": {\"audience\": -1}}", MS_ECONFIG,
		     "{f}:1:26: key 'weights.audience': must be at least 0");
	expect_error("{\"weights\": {\"half_life_days\": 0}}", MS_ECONFIG,
		     "{f}:1:32: key 'weights.half_life_days': must be above "
		     "0 and at most 36500");
}

Test(config_json, all_weights_zero_is_an_error)
{
	expect_error("{\"weights\": {\"focus\": 0, \"authority\": 0,\n"
		     "  \"responsiveness\": 0, \"audience\": 0,\n"
		     "  \"activity\": 0, \"reachability\": 0}}\n",
		     MS_ECONFIG, "{f}:1:13: key 'weights': every signal weight "
		     "is 0; at least one must be above 0");
}

Test(config_json, store_sync_is_full_or_meta_async)
{
	expect_error("{\"store\": {\"sync\": \"async\"}}", MS_ECONFIG,
		     "{f}:1:20: key 'store.sync': expected 'full' or "
		     "'meta-async'");
}

/* ------------------------------------------------- URLs, user agent */

Test(config_json, feed_url_must_be_http_or_https)
{
	expect_error("{\"feeds\": [\"ftp://a.example/feed.xml\"]}",
		     MS_ECONFIG, "{f}:1:12: key 'feeds[0]': "
		     "'ftp://a.example/feed.xml' is not an http or https URL");
	expect_error("{\"feeds\": [\"https://a.example/\",\n"
		     "  {\"url\": \"file:///etc/passwd\"}]}",
		     MS_ECONFIG, "{f}:2:11: key 'feeds[1].url': "
		     "'file:///etc/passwd' is not an http or https URL");
	expect_error("{\"me\": {\"profiles\": [\"javascript:alert(1)\"]}}",
		     MS_ECONFIG, "{f}:1:22: key 'me.profiles[0]': "
		     "'javascript:alert(1)' is not an http or https URL");
}

Test(config_json, user_agent_with_cr_lf_is_refused)
{
	/* R-SE-9: a header injection attempt through the contact string. */
	expect_error("{\"crawl\": {\n"
		     "  \"user_agent\":"
		     " \"bot/1 (+https://a.example)\\r\\nX: y\"\n"
		     "}}\n",
		     MS_ECONFIG, "{f}:2:17: key 'crawl.user_agent': contains "
		     "a control character (CR, LF or other); it is sent as "
		     "an HTTP header");
	expect_error("{\"crawl\": {\"user_agent\": \"bot/1 \\u0007 "
		     "(+https://a.example)\"}}",
		     MS_ECONFIG, "{f}:1:26: key 'crawl.user_agent': contains "
		     "a control character (CR, LF or other); it is sent as "
		     "an HTTP header");
}

Test(config_json, user_agent_needs_a_contact)
{
	/* R-PO-7 */
	expect_error("{\"crawl\": {\"user_agent\": \"mybot/1.0\"}}", MS_ECONFIG,
		     "{f}:1:26: key 'crawl.user_agent': must carry a contact "
		     "URL or e-mail address, e.g. 'mentorscout/1.0 "
		     "(+https://example.org/about-my-crawler)'");
	expect_error("{\"crawl\": {\"user_agent\": \"\"}}", MS_ECONFIG,
		     "{f}:1:26: key 'crawl.user_agent': must not be empty");
	expect_error("{\"crawl\": {\"user_agent\":"
		     " \"bot (+https://ä.example)\"}}",
		     MS_ECONFIG, "{f}:1:26: key 'crawl.user_agent': must be "
		     "ASCII; it is sent as an HTTP header");
}

Test(config_json, user_agent_with_email_or_url_is_accepted)
{
	struct ms_config *c = load_ok("{\"crawl\": {\"user_agent\": "
				      "\"hrbot/1.0 (bot@hr.example.org)\"}}");

	cr_expect_str_eq(c->crawl.user_agent,
			 "hrbot/1.0 (bot@hr.example.org)");
	ms_config_free(c);
	c = load_ok("{\"crawl\": {\"user_agent\": "
		    "\"hrbot/1.0 (+http://hr.example.org/bot)\"}}");
	ms_config_free(c);
}

/* ------------------------------------------------------------- topics */

Test(config_json, bad_pattern_names_topic_offset_and_pcre2_message)
{
	expect_error("{\n"
		     "  \"topics\": [\n"
		     "    {\"id\": \"hr\", \"patterns\": {\n"
		     "      \"en\": [\"\\\\bHR\\\\b\","
		     " \"Personal(abteilung\"]}}\n"
		     "  ]\n"
		     "}\n",
		     MS_ECONFIG, "{f}:4:26: topic 'hr': bad pattern "
		     "'Personal(abteilung' at offset 18: missing closing "
		     "parenthesis");
	expect_error("{\"topics\": [{\"id\": \"x\", \"patterns\": "
		     "{\"*\": [\"(\"]}}]}",
		     MS_ECONFIG, "{f}:1:44: topic 'x': bad pattern '(' at "
		     "offset 1: missing closing parenthesis");
	expect_error("{\"topics\": [{\"id\": \"x\", \"patterns\": "
		     "{\"de\": [\"\\\\C\"]}}]}",
		     MS_ECONFIG, "{f}:1:45: topic 'x': bad pattern '\\C' at "
		     "offset 2: using \\C is disabled by the application");
}

Test(config_json, pattern_that_matches_empty_is_refused)
{
	expect_error("{\"topics\": [{\"id\": \"x\", \"patterns\": "
		     "{\"en\": [\"a*\"]}}]}",
		     MS_ECONFIG, "{f}:1:45: topic 'x': bad pattern 'a*': it "
		     "can match an empty string");
}

Test(config_json, topic_shape_errors)
{
	expect_error("{\"topics\": [{\"id\": \"HR\", \"patterns\": {}}]}",
		     MS_ECONFIG, "{f}:1:20: key 'topics[0].id': 'HR' is not a "
		     "topic id (a-z, 0-9 and '-', at most 64)");
	expect_error("{\"topics\": [{\"label\": \"x\"}]}", MS_ECONFIG,
		     "{f}:1:13: key 'topics[0]': missing 'id'");
	expect_error("{\"topics\": [{\"id\": \"x\"}]}", MS_ECONFIG,
		     "{f}:1:13: key 'topics[0]': topic 'x' has no 'patterns'");
	expect_error("{\"topics\": [{\"id\": \"x\","
		     " \"patterns\": {\"en\": []}}]}",
		     MS_ECONFIG, "{f}:1:37: key 'topics[0].patterns': topic "
		     "'x' has no patterns");
	expect_error("{\"topics\": [{\"id\": \"x\",\n"
		     "  \"patterns\": {\"english\": [\"x\"]}}]}",
		     MS_ECONFIG, "{f}:2:16: key 'topics[0].patterns.english': "
		     "not a two-letter language code or '*'");
	expect_error("{\"topics\": [{\"id\": \"x\", \"languages\": [\"de\", "
		     "\"deu\"], \"patterns\": {}}]}",
		     MS_ECONFIG, "{f}:1:45: key 'topics[0].languages[1]': "
		     "'deu' is not a two-letter language code");
	expect_error("{\"topics\": [{\"id\": \"x\", \"languages\": [\"de\"],\n"
		     "  \"patterns\": {\"fr\": [\"x\"]}}]}",
		     MS_ECONFIG, "{f}:2:16: key 'topics[0].patterns.fr': "
		     "language 'fr' is not in the topic's languages");
	expect_error("{\"topics\": [{\"id\": \"x\","
		     " \"patterns\": {\"en\": [\"x\"]}},\n"
		     "  {\"id\": \"x\", \"patterns\": {\"en\": [\"y\"]}}]}",
		     MS_ECONFIG, "{f}:2:10: key 'topics[1].id': topic 'x' is "
		     "defined twice");
	expect_error("{\"topics\": [{\"id\": \"x\", \"pattern\": {}}]}",
		     MS_ECONFIG, "{f}:1:25: unknown key 'topics[0].pattern'");
	expect_error("{\"replace_default_topics\": true}", MS_ECONFIG,
		     "{f}:1:28: key 'replace_default_topics': true, but no "
		     "topics are given: there would be none");
}

Test(config_json, feed_topic_must_exist_with_suggestions)
{
	expect_error("{\"feeds\": [{\"url\": \"https://a.example/feed\",\n"
		     "  \"topics\": [\"leadership\", \"hrr\"]}]}",
		     MS_ECONFIG, "{f}:2:28: key 'feeds[0].topics[1]': unknown "
		     "topic 'hrr'; did you mean: hr");
	expect_error("{\"feeds\": [{\"url\": \"https://a.example/feed\",\n"
		     "  \"topics\": [\"Human Resources\"]}]}",
		     MS_ECONFIG, "{f}:2:14: key 'feeds[0].topics[0]': 'Human "
		     "Resources' is not a topic id (a-z, 0-9 and '-')");
}

Test(config_json, feed_may_name_a_user_topic)
{
	struct ms_config *c = load_ok(
		"{\"feeds\": [{\"url\": \"https://a.example/feed\",\n"
		"             \"topics\": [\"payroll\"]}],\n"
		" \"topics\": [{\"id\": \"payroll\",\n"
		"             \"patterns\":"
		" {\"en\": [\"\\\\bpayroll\\\\b\"]}}]}\n");

	cr_expect_str_eq(c->feeds[0].topics[0], "payroll");
	ms_config_free(c);
}

/* ---------------------------------------------------------- the file */

Test(config_json, world_writable_file_is_refused)
{
	char *path = put("{}");

	free(path);
	cr_assert(asprintf(&path, "%s/config.json", tmp) > 0);
	cr_assert_eq(chmod(path, 0666), 0);
	free(path);
	/* expect_error rewrites the file; chmod survives O_TRUNC. */
	expect_error("{}", MS_ECONFIG, "{f}: refusing a world-writable config "
		     "file (run 'chmod o-w {f}')");
}

Test(config_json, directory_is_not_a_config)
{
	struct ms_config *c = NULL;
	struct ms_err err = { 0 };
	char *want = expand("{f}: not a regular file", tmp);

	cr_expect_eq(ms_config_load(tmp, false, &c, &err), MS_ECONFIG);
	cr_expect_str_eq(err.msg, want);
	cr_expect_null(c);
	free(want);
}

Test(config_json, oversized_file_is_refused)
{
	size_t n = (1u << 20) + 10;
	char *big = malloc(n + 1);

	cr_assert(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	expect_error(big, MS_ECONFIG, "{f}: larger than 1048576 bytes; not a "
		     "config file");
	free(big);
}
