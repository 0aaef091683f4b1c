/*
 * fuzz_opml.c — ms_opml_parse() (feeds import) on arbitrary bytes, and
 * the export/import round trip: what was read, written with
 * ms_opml_write() and read again, gives the same feeds, sites and titles
 * in the same order (and the same categories, when none holds the
 * characters the OPML category syntax gives a meaning to).
 *
 * Input: the OPML file's bytes.
 */
#include "fuzz/fuzz.h"
#include "analyzer/analyzer.h"
#include "util/err.h"

#include <stdbool.h>
#include <strings.h>

#define NAME "fuzz.opml"

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* '/' and ',' separate categories when written back; spaces around them
 * are trimmed.  Categories with them cannot come back as they were. */
static bool
plain_categories(const struct ms_opml_item *it)
{
	for (size_t i = 0; i < it->ncategories; i++) {
		const char *c = it->categories[i];
		size_t n = strlen(c);

		if (strpbrk(c, "/,\t\r\n") || !n || c[n - 1] == ' ')
			return false;
	}
	return true;
}

static void
same_items(const struct ms_opml *a, const struct ms_opml *b)
{
	FUZZ_CHECK(a->nitems == b->nitems, "%zu items, %zu after the round "
		   "trip", a->nitems, b->nitems);
	for (size_t i = 0; i < a->nitems; i++) {
		const struct ms_opml_item *x = &a->items[i], *y = &b->items[i];

		FUZZ_CHECK(str_eq(x->xml_url, y->xml_url), "item %zu xmlUrl",
			   i);
		FUZZ_CHECK(str_eq(x->html_url, y->html_url), "item %zu htmlUrl",
			   i);
		FUZZ_CHECK(!x->title || str_eq(x->title, y->title),
			   "item %zu title '%s' came back as '%s'", i,
			   x->title, y->title ? y->title : "(null)");
		if (!plain_categories(x))
			continue;
		FUZZ_CHECK(x->ncategories == y->ncategories,
			   "item %zu: %zu categories, then %zu", i,
			   x->ncategories, y->ncategories);
		for (size_t c = 0; c < x->ncategories; c++)
			FUZZ_CHECK(!strcasecmp(x->categories[c],
					       y->categories[c]),
				   "item %zu category '%s' came back as '%s'",
				   i, x->categories[c], y->categories[c]);
	}
}

int
ms_fuzz_opml(const uint8_t *data, size_t size)
{
	struct ms_opml *o = NULL, *back = NULL;
	struct ms_err err = { 0 };
	char *text;
	int rc;

	rc = ms_opml_parse(data, size, NAME, &o, &err);
	if (rc) {
		FUZZ_CHECK(rc == MS_EPARSE || rc == MS_ETOOBIG, "code %d", rc);
		FUZZ_CHECK(strstr(err.msg, NAME), "message does not name the "
			   "file: '%s'", err.msg);
		return 0;
	}
	for (size_t i = 0; i < o->nitems; i++)
		FUZZ_CHECK(o->items[i].xml_url || o->items[i].html_url,
			   "item %zu has no URL", i);
	text = ms_opml_write(o->title, o->items, o->nitems);
	rc = ms_opml_parse(text, strlen(text), "written", &back, &err);
	FUZZ_CHECK(rc == MS_OK, "the written OPML does not read back: %s\n%s",
		   err.msg, text);
	same_items(o, back);
	ms_opml_free(back);
	free(text);
	ms_opml_free(o);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_opml)
