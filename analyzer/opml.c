/*
 * opml.c — OPML 1.0/2.0 subscription lists: read (feeds import) and write
 * (feeds export).  An OPML file is small and trusted no more than a feed:
 * it is parsed in memory with no network, no DTD loading and no entity
 * substitution, and its size is capped.
 */
#include "analyzer/analyzer.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <string.h>
#include <strings.h>

#define OPML_MAX (16u << 20)
#define OPML_DEPTH 64

struct walk {
	struct ms_opml *o;
	size_t cap;
	const char *folders[OPML_DEPTH];
	size_t nfolders;
};

static const char *
attr(struct ms_arena *a, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *s = NULL;
	size_t len;

	if (!v)
		return NULL;
	/* Trim: exported lists often pad attributes. */
	{
		const char *p = (const char *)v;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		len = strlen(p);
		while (len && strchr(" \t\r\n", p[len - 1]))
			len--;
		if (len)
			s = ms_arena_strndup(a, p, len);
	}
	xmlFree(v);
	return s;
}

static void
add_category(struct ms_arena *a, struct ms_opml_item *it, size_t *cap,
	     const char *c, size_t n)
{
	while (n && (*c == '/' || *c == ' ')) {
		c++;
		n--;
	}
	while (n && (c[n - 1] == '/' || c[n - 1] == ' '))
		n--;
	if (!n)
		return;
	for (size_t i = 0; i < it->ncategories; i++)
		if (strlen(it->categories[i]) == n &&
		    !strncasecmp(it->categories[i], c, n))
			return;
	if (it->ncategories == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		const char **v = ms_arena_alloc(a, nc * sizeof(*v));

		if (it->ncategories)
			memcpy(v, it->categories,
			       it->ncategories * sizeof(*v));
		it->categories = v;
		*cap = nc;
	}
	it->categories[it->ncategories++] = ms_arena_strndup(a, c, n);
}

static void
walk(struct walk *w, xmlNode *n)
{
	struct ms_arena *a = &w->o->arena;

	for (; n; n = n->next) {
		const char *xml_url, *html_url, *title, *cats;
		struct ms_opml_item *it;
		size_t ccap = 0;

		if (n->type != XML_ELEMENT_NODE ||
		    strcasecmp((const char *)n->name, "outline"))
			continue;
		xml_url = attr(a, n, "xmlUrl");
		if (!xml_url)
			xml_url = attr(a, n, "xmlurl");
		html_url = attr(a, n, "htmlUrl");
		title = attr(a, n, "title");
		if (!title)
			title = attr(a, n, "text");
		if (!xml_url && !html_url) {
			/* A folder: its name is a category of what it holds. */
			if (w->nfolders < OPML_DEPTH) {
				w->folders[w->nfolders++] = title;
				walk(w, n->children);
				w->nfolders--;
			}
			continue;
		}
		if (w->o->nitems == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			w->o->items = ms_xreallocarray(w->o->items, w->cap,
						       sizeof(*w->o->items));
		}
		it = &w->o->items[w->o->nitems++];
		memset(it, 0, sizeof(*it));
		it->xml_url = xml_url;
		it->html_url = html_url;
		it->title = title;
		for (size_t i = 0; i < w->nfolders; i++)
			if (w->folders[i])
				add_category(a, it, &ccap, w->folders[i],
					     strlen(w->folders[i]));
		cats = attr(a, n, "category");
		/* OPML 2.0: comma-separated, each a slash-delimited path. */
		while (cats && *cats) {
			size_t len = strcspn(cats, ",");
			const char *seg = cats;

			while (seg < cats + len) {
				size_t sl = strcspn(seg, "/,");

				if (seg + sl > cats + len)
					sl = (size_t)(cats + len - seg);
				add_category(a, it, &ccap, seg, sl);
				seg += sl + 1;
			}
			cats += len;
			if (*cats == ',')
				cats++;
		}
		/* Outlines may nest under a feed too (some readers do). */
		if (n->children && w->nfolders < OPML_DEPTH) {
			w->folders[w->nfolders++] = NULL;
			walk(w, n->children);
			w->nfolders--;
		}
	}
}

static xmlParserInputPtr
no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

int
ms_opml_parse(const void *data, size_t len, const char *name,
	      struct ms_opml **out, struct ms_err *err)
{
	struct ms_opml *o;
	struct walk w = { 0 };
	xmlDoc *doc;
	xmlNode *root, *n;
	xmlError *xe;

	*out = NULL;
	if (len > OPML_MAX)
		return ms_err_set(err, MS_ETOOBIG, "'%s' is larger than %u "
				  "MiB", name, OPML_MAX >> 20);
	if (len > INT32_MAX)
		return MS_ETOOBIG;
	xmlSetExternalEntityLoader(no_entities);
	xmlResetLastError();
	doc = xmlReadMemory(data, (int)len, name, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (!doc) {
		xe = xmlGetLastError();
		return ms_err_set(err, MS_EPARSE, "cannot read OPML '%s': "
				  "line %d: %s", name, xe ? xe->line : 0,
				  xe && xe->message ? xe->message
						    : "not XML\n");
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcasecmp((const char *)root->name, "opml")) {
		xmlFreeDoc(doc);
		return ms_err_set(err, MS_EPARSE, "cannot read OPML '%s': the "
				  "root element is not <opml>", name);
	}
	o = ms_xcalloc(1, sizeof(*o));
	ms_arena_init(&o->arena);
	w.o = o;
	for (n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp((const char *)n->name, "head")) {
			for (xmlNode *h = n->children; h; h = h->next)
				if (h->type == XML_ELEMENT_NODE &&
				    !strcmp((const char *)h->name, "title")) {
					xmlChar *t = xmlNodeGetContent(h);

					if (t && *t)
						o->title = ms_arena_strdup(
							&o->arena,
							(const char *)t);
					xmlFree(t);
				}
		} else if (!strcasecmp((const char *)n->name, "body")) {
			walk(&w, n->children);
		}
	}
	xmlFreeDoc(doc);
	*out = o;
	return MS_OK;
}

void
ms_opml_free(struct ms_opml *o)
{
	if (!o)
		return;
	ms_arena_release(&o->arena);
	free(o->items);
	free(o);
}

char *
ms_opml_write(const char *title, const struct ms_opml_item *items, size_t n)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	char *out;

	if (!buf || !w)
		abort();
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, (const xmlChar *)"opml");
	xmlTextWriterWriteAttribute(w, (const xmlChar *)"version",
				    (const xmlChar *)"2.0");
	xmlTextWriterStartElement(w, (const xmlChar *)"head");
	xmlTextWriterWriteElement(w, (const xmlChar *)"title",
				  (const xmlChar *)(title ? title
							  : "mentorscout"));
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, (const xmlChar *)"body");
	for (size_t i = 0; i < n; i++) {
		const struct ms_opml_item *it = &items[i];
		const char *label = it->title ? it->title
				    : it->xml_url ? it->xml_url
						  : it->html_url;

		xmlTextWriterStartElement(w, (const xmlChar *)"outline");
		xmlTextWriterWriteAttribute(w, (const xmlChar *)"type",
					    (const xmlChar *)"rss");
		xmlTextWriterWriteAttribute(w, (const xmlChar *)"text",
					    (const xmlChar *)label);
		if (it->title)
			xmlTextWriterWriteAttribute(
				w, (const xmlChar *)"title",
				(const xmlChar *)it->title);
		if (it->xml_url)
			xmlTextWriterWriteAttribute(
				w, (const xmlChar *)"xmlUrl",
				(const xmlChar *)it->xml_url);
		if (it->html_url)
			xmlTextWriterWriteAttribute(
				w, (const xmlChar *)"htmlUrl",
				(const xmlChar *)it->html_url);
		if (it->ncategories) {
			size_t len = 0;
			char *cat, *p;

			for (size_t c = 0; c < it->ncategories; c++)
				len += strlen(it->categories[c]) + 2;
			p = cat = ms_xmalloc(len + 1);
			for (size_t c = 0; c < it->ncategories; c++)
				p += sprintf(p, "%s/%s", c ? "," : "",
					     it->categories[c]);
			xmlTextWriterWriteAttribute(
				w, (const xmlChar *)"category",
				(const xmlChar *)cat);
			free(cat);
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	out = ms_xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}
