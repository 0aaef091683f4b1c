/*
 * Tests for analyzer/topics.c against the built-in taxonomy
 * (config/taxonomy.c): categories named after a topic count most, text
 * counts least and is capped, entries match the patterns of their own
 * language, hits come best first.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/internal.h"
#include "config/config.h"
#include "tests/lib/testutil.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

static struct ms_config *cfg;

static void
load_defaults(void)
{
	struct ms_err err = { 0 };

	cr_assert_eq(ms_config_defaults(&cfg, &err), MS_OK, "%s", err.msg);
}

static void
free_defaults(void)
{
	ms_config_free(cfg);
}

TestSuite(analyzer_topics, .init = load_defaults, .fini = free_defaults);

static struct ms_doc *
page(const char *fixture, const char *url)
{
	char *path = ms_test_fixture(fixture);
	size_t len;
	char *data = ms_test_read_file(path, &len);
	struct ms_doc *doc = ms_xcalloc(1, sizeof(*doc));
	struct ms_parse_opts o = { .url = url };
	struct ms_err err = { 0 };

	cr_assert_not_null(data, "cannot read fixture '%s'", path);
	ms_arena_init(&doc->arena);
	cr_assert_eq(ms_html_parse(doc, data, len, &o, &err), MS_OK, "%s",
		     err.msg);
	ms_doc_enrich(doc);
	free(data);
	free(path);
	return doc;
}

/* A document with one hand-made entry. */
static struct ms_doc *
one_entry(const char *lang, const char *title, const char *text,
	  const char *const *cats, size_t ncats)
{
	struct ms_doc *doc = ms_xcalloc(1, sizeof(*doc));
	struct ms_entry *e;

	ms_arena_init(&doc->arena);
	e = ms_arena_zalloc(&doc->arena, sizeof(*e));
	e->language = lang;
	e->title = title;
	e->text = text;
	e->categories = (const char **)cats;
	e->ncategories = ncats;
	doc->entries = e;
	doc->nentries = 1;
	return doc;
}

static void
doc_free(struct ms_doc *doc)
{
	ms_arena_release(&doc->arena);
	free(doc);
}

static double
weight(const struct ms_entry *e, const char *topic)
{
	for (size_t i = 0; i < e->ntopics; i++)
		if (!strcmp(e->topics[i].topic, topic))
			return e->topics[i].weight;
	return 0;
}

static void
expect_sorted(const struct ms_entry *e)
{
	for (size_t i = 1; i < e->ntopics; i++)
		cr_expect_geq(e->topics[i - 1].weight, e->topics[i].weight,
			      "topics best first");
}

Test(analyzer_topics, category_named_after_topic_counts_most)
{
	struct ms_doc *doc = page("html/wordpress-post.html",
				  "https://anna.example/2010/06/06/"
				  "giving-feedback-that-lands/");
	const struct ms_entry *e;

	ms_doc_topics(doc, &cfg->taxonomy);
	e = &doc->entries[0];
	/* Filed under "HR" (the id): 3; "managing" once in the text: 0.5. */
	cr_assert_eq(e->ntopics, 2, "%zu topics", e->ntopics);
	cr_expect_str_eq(e->topics[0].topic, "hr");
	cr_expect_float_eq(e->topics[0].weight, 3.0, 1e-9);
	cr_expect_str_eq(e->topics[1].topic, "management");
	cr_expect_float_eq(e->topics[1].weight, 0.5, 1e-9);
	doc_free(doc);
}

Test(analyzer_topics, german_post_matches_german_patterns)
{
	struct ms_doc *doc = page("html/german-post.html",
				  "https://mara.example/2019/11/05/"
				  "feedback-im-team/");
	struct ms_entry *e = &doc->entries[0];

	cr_assert_str_eq(e->language, "de");
	ms_doc_topics(doc, &cfg->taxonomy);
	/* Category "Führung" matched by leadership's German patterns: 1.5;
	 * "Mitarbeitergespräch" in the text: management, 0.5. */
	cr_expect_float_eq(weight(e, "leadership"), 1.5, 1e-9);
	cr_expect_float_eq(weight(e, "management"), 0.5, 1e-9);
	expect_sorted(e);
	/* The same words read as English match neither. */
	e->language = "en";
	ms_doc_topics(doc, &cfg->taxonomy);
	cr_expect_float_eq(weight(e, "leadership"), 0, 1e-9);
	cr_expect_float_eq(weight(e, "management"), 0, 1e-9);
	doc_free(doc);
}

Test(analyzer_topics, category_equal_to_label_ignores_case)
{
	static const char *const cats[] = { " human RESOURCES " };
	struct ms_doc *doc = one_entry("en", NULL, NULL, cats, 1);

	ms_doc_topics(doc, &cfg->taxonomy);
	cr_expect_float_eq(weight(&doc->entries[0], "hr"), 3.0, 1e-9);
	doc_free(doc);
}

Test(analyzer_topics, title_and_text_hits_are_capped)
{
	struct ms_buf b = MS_BUF_INIT(1 << 20);
	struct ms_doc *doc;

	for (int i = 0; i < 200; i++)
		ms_buf_adds(&b, "Mentoring works. ");
	doc = one_entry("en", "Mentoring, mentoring, mentoring, mentoring",
			b.data, NULL, 0);
	ms_doc_topics(doc, &cfg->taxonomy);
	/* Title: 3 hits counted of 4 (×1); text: 10 of 200 (×0.5). */
	cr_expect_float_eq(weight(&doc->entries[0], "mentoring"), 8.0, 1e-9);
	doc_free(doc);
	ms_buf_release(&b);
}

Test(analyzer_topics, unrelated_and_empty_entries_get_none)
{
	static const char *const cats[] = { "Cooking" };
	struct ms_doc *doc = one_entry("en", "A lentil soup",
				       "Soak the lentils overnight.", cats, 1);

	ms_doc_topics(doc, &cfg->taxonomy);
	cr_expect_eq(doc->entries[0].ntopics, 0);
	cr_expect_null(doc->entries[0].topics);
	doc_free(doc);
	doc = one_entry(NULL, NULL, NULL, NULL, 0);
	ms_doc_topics(doc, &cfg->taxonomy);
	cr_expect_eq(doc->entries[0].ntopics, 0);
	doc_free(doc);
}

Test(analyzer_topics, invalid_utf8_counts_nothing)
{
	static const char *const cats[] = { "HR" };
	struct ms_doc *doc = one_entry("en", "mentoring \xff\xfe",
				       "leadership \xc3\x28 leadership", cats,
				       1);

	ms_doc_topics(doc, &cfg->taxonomy);
	/* Bad title and text count 0; the good category still counts. */
	cr_expect_float_eq(weight(&doc->entries[0], "hr"), 3.0, 1e-9);
	cr_expect_float_eq(weight(&doc->entries[0], "mentoring"), 0, 1e-9);
	cr_expect_float_eq(weight(&doc->entries[0], "leadership"), 0, 1e-9);
	doc_free(doc);
}
