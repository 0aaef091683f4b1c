/*
 * enrich.c — the facts every parsed document gets after its parser is
 * done, whatever the format: canonical profile links (per entry from its
 * links and author URIs, per document from its page-level links and the
 * feed's author) and each entry's language.
 *
 * Profiles already set by a parser are canonicalized again (the mapping is
 * idempotent) and de-duplicated, so parsers may push raw candidates.
 * Languages: the declared one (the entry's, else the document's) reduced
 * to its primary subtag ("en-US" → "en"), so topic patterns and filters
 * compare like with like; else the one ms_lang_detect finds in the
 * entry's title and text; else NULL.
 */
#include "analyzer/internal.h"
#include "util/xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROFILES 64
/* ms_lang_detect reads no more than this. */
#define LANG_SAMPLE (16 * 1024)

struct strv {
	const char **v;
	size_t n, cap;
};

static void
add_profile(struct ms_arena *a, struct strv *sv, const char *url)
{
	const char *p;

	if (!url || sv->n >= MAX_PROFILES)
		return;
	p = ms_profile_canonical(a, url);
	if (!p)
		return;
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], p))
			return;
	ms_strv_push(a, &sv->v, &sv->n, &sv->cap, p);
}

/* The primary language subtag, lower case; NULL when tag is not one. */
static const char *
primary_subtag(struct ms_arena *a, const char *tag)
{
	char out[9];
	size_t n = 0;

	while (*tag == ' ' || *tag == '\t' || *tag == '\n' || *tag == '\r')
		tag++;
	for (; n < sizeof(out) - 1; n++, tag++) {
		char c = *tag;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c < 'a' || c > 'z')
			break;
		out[n] = c;
	}
	if (n < 2 || n > 3 || (*tag && *tag != '-' && *tag != '_' &&
			       *tag != ' ' && *tag != '\n'))
		return NULL;
	out[n] = '\0';
	return ms_arena_strdup(a, out);
}

static const char *
detect(char *buf, const struct ms_entry *e)
{
	size_t len = 0, n;

	if (e->title) {
		n = strnlen(e->title, LANG_SAMPLE - 1);
		memcpy(buf, e->title, n);
		len = n;
		buf[len++] = ' ';
	}
	if (e->text) {
		n = strnlen(e->text, LANG_SAMPLE - len);
		memcpy(buf + len, e->text, n);
		len += n;
	}
	return ms_lang_detect(buf, len);
}

void
ms_doc_enrich(struct ms_doc *doc)
{
	struct ms_arena *a = &doc->arena;
	struct strv sv = { 0 };
	char *buf = NULL;

	for (size_t i = 0; i < doc->nprofiles; i++)
		add_profile(a, &sv, doc->profiles[i]);
	add_profile(a, &sv, doc->author.uri);
	doc->profiles = sv.v;
	doc->nprofiles = sv.n;

	for (size_t i = 0; i < doc->nentries; i++) {
		struct ms_entry *e = &doc->entries[i];
		const char *lang;

		sv = (struct strv){ 0 };
		for (size_t k = 0; k < e->nprofiles; k++)
			add_profile(a, &sv, e->profiles[k]);
		add_profile(a, &sv, e->author.uri);
		for (size_t k = 0; k < e->nauthors; k++)
			add_profile(a, &sv, e->authors[k].uri);
		for (size_t k = 0; k < e->nlinks; k++)
			add_profile(a, &sv, e->links[k]);
		e->profiles = sv.v;
		e->nprofiles = sv.n;

		lang = e->language ? e->language : doc->language;
		e->language = lang ? primary_subtag(a, lang) : NULL;
		if (!e->language && (e->title || e->text)) {
			if (!buf)
				buf = ms_xmalloc(LANG_SAMPLE);
			e->language = detect(buf, e);
		}
	}
	free(buf);
}
