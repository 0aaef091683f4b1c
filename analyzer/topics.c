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

static void
subject_init(const struct ms_taxonomy *tax, struct ms_subject *sub,
	     const char *s)
{
	ms_subject_init(tax, sub, s, s ? strlen(s) : 0);
}

static int
count(const struct ms_taxonomy *tax, const struct ms_topic *t,
      const char *lang, const struct ms_subject *sub, int cap)
{
	int c;

	if (!sub->ok)
		return 0;
	c = ms_topic_count_upto(tax, t, lang, sub, cap);
	/* A match limit hit: no evidence either way. */
	return c > 0 ? c : 0;
}

static double
score(const struct ms_taxonomy *tax, const struct ms_topic *t,
      const struct ms_entry *e, const struct ms_subject *title,
      const struct ms_subject *text, const struct ms_subject *cats)
{
	const char *lang = e->language;
	double w = 0;

	for (size_t i = 0; i < e->ncategories; i++) {
		if (same_name(e->categories[i], t->id) ||
		    same_name(e->categories[i], t->label))
			w += W.category_named;
		else if (count(tax, t, lang, &cats[i], 1))
			w += W.category_match;
	}
	/* The caps end the scan early: a long post stops at the cap. */
	w += W.title * count(tax, t, lang, title, W.title_cap);
	w += W.text * count(tax, t, lang, text, W.text_cap);
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
		struct ms_subject title, text, *cats;
		size_t n = 0;

		if (e->is_comment)
			continue;	/* comments are not posts */
		/* Each string checked and scanned for the literals once,
		 * not once per topic. */
		subject_init(tax, &title, e->title);
		subject_init(tax, &text, e->text);
		cats = ms_xreallocarray(NULL, e->ncategories + 1,
					sizeof(*cats));
		for (size_t c = 0; c < e->ncategories; c++)
			subject_init(tax, &cats[c], e->categories[c]);
		for (size_t k = 0; k < tax->ntopics; k++) {
			double w = score(tax, &tax->topics[k], e, &title,
					 &text, cats);
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
		ms_subject_release(&title);
		ms_subject_release(&text);
		for (size_t c = 0; c < e->ncategories; c++)
			ms_subject_release(&cats[c]);
		free(cats);
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
