/* Tests for analyzer/opml.c: OPML import structure and export round trip. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "tests/lib/testutil.h"
#include "util/err.h"

static struct ms_opml *
load(const char *rel)
{
	struct ms_err err = { 0 };
	struct ms_opml *o = NULL;
	char *path = ms_test_fixture(rel), *data;
	size_t len;

	data = ms_test_read_file(path, &len);
	cr_assert_not_null(data, "cannot read %s", path);
	cr_assert_eq(ms_opml_parse(data, len, path, &o, &err), MS_OK, "%s",
		     err.msg);
	free(data);
	free(path);
	return o;
}

static int
has_cat(const struct ms_opml_item *it, const char *c)
{
	for (size_t i = 0; i < it->ncategories; i++)
		if (!strcmp(it->categories[i], c))
			return 1;
	return 0;
}

Test(analyzer_opml, nested_folders_become_categories)
{
	struct ms_opml *o = load("opml/subscriptions.opml");

	cr_assert_str_eq(o->title, "Jane's subscriptions");
	cr_assert_eq(o->nitems, 9, "got %zu items", o->nitems);
	cr_expect_str_eq(o->items[0].xml_url,
			 "https://peopleops.example.com/feed/");
	cr_expect_str_eq(o->items[0].html_url,
			 "https://peopleops.example.com/");
	cr_expect(has_cat(&o->items[0], "HR"));
	cr_expect_str_eq(o->items[1].title, "Talent & Culture");
	cr_expect(has_cat(&o->items[1], "HR"));
	cr_expect(has_cat(&o->items[1], "recruiting"));
	cr_expect(has_cat(&o->items[1], "Culture"));
	cr_expect(has_cat(&o->items[1], "Teams"));
	cr_expect(has_cat(&o->items[2], "HR"));
	cr_expect(has_cat(&o->items[2], "German"));
	cr_expect(has_cat(&o->items[3], "Leadership"));
	/* the site-only outline keeps its htmlUrl for autodiscovery */
	cr_expect_null(o->items[5].xml_url);
	cr_expect_str_eq(o->items[5].html_url,
			 "https://coach.example.com/blog/");
	ms_opml_free(o);
}

Test(analyzer_opml, export_then_reimport_is_the_same_set)
{
	struct ms_opml *o = load("opml/subscriptions.opml"), *back = NULL;
	struct ms_err err = { 0 };
	char *doc = ms_opml_write("x", o->items, o->nitems);

	cr_assert_eq(ms_opml_parse(doc, strlen(doc), "export", &back, &err),
		     MS_OK, "%s", err.msg);
	cr_assert_eq(back->nitems, o->nitems);
	for (size_t i = 0; i < o->nitems; i++) {
		const struct ms_opml_item *a = &o->items[i], *b =
							     &back->items[i];

		if (a->xml_url)
			cr_expect_str_eq(b->xml_url, a->xml_url);
		else
			cr_expect_null(b->xml_url);
		cr_expect_eq(b->ncategories, a->ncategories, "item %zu", i);
		for (size_t c = 0; c < a->ncategories; c++)
			cr_expect(has_cat(b, a->categories[c]), "item %zu %s",
				  i, a->categories[c]);
	}
	free(doc);
	ms_opml_free(back);
	ms_opml_free(o);
}

Test(analyzer_opml, not_opml_is_an_error_naming_the_file)
{
	struct ms_err err = { 0 };
	struct ms_opml *o = NULL;
	const char *rss = "<rss version=\"2.0\"><channel/></rss>";
	const char *broken = "<opml><body><outline xmlUrl='x'></body>";

	cr_expect_eq(ms_opml_parse(rss, strlen(rss), "a.opml", &o, &err),
		     MS_EPARSE);
	cr_expect(strstr(err.msg, "'a.opml'") != NULL, "%s", err.msg);
	cr_expect_eq(ms_opml_parse(broken, strlen(broken), "b.opml", &o,
				   &err), MS_EPARSE);
	cr_expect(strstr(err.msg, "'b.opml'") && strstr(err.msg, "line 1"),
		  "%s", err.msg);
	cr_expect_null(o);
}

Test(analyzer_opml, external_entities_are_not_loaded)
{
	struct ms_err err = { 0 };
	struct ms_opml *o = NULL;
	const char *xxe =
		"<?xml version='1.0'?><!DOCTYPE opml [<!ENTITY x SYSTEM "
		"'file:///etc/passwd'>]><opml><body><outline text='&x;' "
		"xmlUrl='http://e.com/f'/></body></opml>";
	int rc = ms_opml_parse(xxe, strlen(xxe), "xxe.opml", &o, &err);

	if (rc == MS_OK) {
		cr_assert_eq(o->nitems, 1);
		cr_expect(!o->items[0].title ||
			  !strstr(o->items[0].title, "root:"),
			  "entity expanded: %s", o->items[0].title);
		ms_opml_free(o);
	}
}
