/*
 * topics.c — which topics of the taxonomy each entry is about, and how
 * strongly: the topic's patterns (config/taxonomy.c) counted over the
 * entry's categories, title and text in the entry's language.
 *
 * The author's own filing is the strongest evidence: a category equal to
 * a topic's id or label counts most, a category the patterns match next;
 * then the title; words in the text count least and are capped, so a
 * long post that mentions a term often does not outweigh a short post
 * filed under the topic.  Weights and caps are one table.
 */
#include "analyzer/internal.h"
#include "config/config.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	double category_named;	/* per category equal to the id or label */
	double category_match;	/* per category the patterns match */
	double title;		/* per match in the title ... */
	int title_cap;		/* ... counting at most this many */
	double text;		/* per match in the text ... */
	int text_cap;		/* ... counting at most this many */
} W = { 3.0, 1.5, 1.0, 3, 0.5, 10 };

/* a equals b ignoring ASCII case and surrounding blanks in a. */
static bool
same_name(const char *a, const char *b)
{
	size_t n, bn;

	if (!a || !b)
		return false;
	while (*a == ' ' || *a == '\t' || *a == '\n')
		a++;
	n = strlen(a);
	while (n && (a[n - 1] == ' ' || a[n - 1] == '\t' || a[n - 1] == '\n'))
		n--;
	bn = strlen(b);
	return n == bn && n && !strncasecmp(a, b, n);
}

static int
count(const struct ms_taxonomy *tax, const struct ms_topic *t,
      const char *lang, const char *s)
{
	int c;

	if (!s || !*s)
		return 0;
	c = ms_topic_count(tax, t, lang, s, strlen(s));
	/* A match limit hit: no evidence either way. */
	return c > 0 ? c : 0;
}

static double
score(const struct ms_taxonomy *tax, const struct ms_topic *t,
      const struct ms_entry *e)
{
	const char *lang = e->language;
	double w = 0;
	int c;

	for (size_t i = 0; i < e->ncategories; i++) {
		if (same_name(e->categories[i], t->id) ||
		    same_name(e->categories[i], t->label))
			w += W.category_named;
		else if (count(tax, t, lang, e->categories[i]))
			w += W.category_match;
	}
	c = count(tax, t, lang, e->title);
	w += W.title * (c < W.title_cap ? c : W.title_cap);
	c = count(tax, t, lang, e->text);
	w += W.text * (c < W.text_cap ? c : W.text_cap);
	return w;
}

void
ms_doc_topics(struct ms_doc *doc, const struct ms_taxonomy *tax)
{
	struct ms_topic_hit *hits;

	if (!doc || !tax || !tax->ntopics)
		return;
	hits = ms_xreallocarray(NULL, tax->ntopics, sizeof(*hits));
	for (size_t i = 0; i < doc->nentries; i++) {
		struct ms_entry *e = &doc->entries[i];
		size_t n = 0;

		for (size_t k = 0; k < tax->ntopics; k++) {
			double w = score(tax, &tax->topics[k], e);
			size_t j = n++;

			if (w <= 0) {
				n--;
				continue;
			}
			/* Insertion keeps the best first and, among equals,
			 * the taxonomy's order. */
			for (; j > 0 && hits[j - 1].weight < w; j--)
				hits[j] = hits[j - 1];
			hits[j] = (struct ms_topic_hit){ tax->topics[k].id, w };
		}
		e->topics = NULL;
		e->ntopics = n;
		if (!n)
			continue;
		e->topics = ms_arena_alloc(&doc->arena, n * sizeof(*hits));
		for (size_t k = 0; k < n; k++) {
			e->topics[k].topic = ms_arena_strdup(&doc->arena,
							     hits[k].topic);
			e->topics[k].weight = hits[k].weight;
		}
	}
	free(hits);
}
