/*
 * fragment.c — what an entry's content says: its plain text (capped) and
 * its outbound links (absolute, http/https, each once).
 *
 * Escaped HTML (RSS description, content:encoded, Atom type="html") goes
 * through libxml2's HTML parser with HTML_PARSE_NONET, NOERROR, NOWARNING
 * and RECOVER.  We use its SAX interface rather than htmlReadMemory: the
 * tree would only be walked once and freed, building it costs more than
 * the parse, and with no tree there is no depth to overflow.  Inline XHTML
 * (Atom type="xhtml", markup inside an RSS element) is already a node tree
 * from the feed parser; it is walked without recursion.  Both feed the
 * same collector, which honours xml:base on the way down.
 */
#include "analyzer/internal.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

/* As deep as the XML parser goes (xmlParserMaxDepth).  libxml2's HTML
 * parser has no such limit and slows down quadratically with depth: a
 * fragment nested deeper is read up to there. */
#define DEPTH_MAX 256

/* Elements whose text is not content.  Sorted (strcmp). */
static const char *const skip_tags[] = { "script", "style", "template" };

/* Elements that separate words: a space goes between their text and the
 * text around them.  Sorted (strcmp). */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "caption", "dd",
	"details", "div", "dl", "dt", "figcaption", "figure", "footer",
	"form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img",
	"li", "main", "nav", "ol", "p", "pre", "section", "summary",
	"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
};

struct base_frame {
	int depth;
	char *base;	/* malloc'd */
};

struct coll {
	struct ms_arena *a;
	char *text;		/* malloc'd, grows up to cap */
	size_t tlen, talloc, cap;
	int space, full;
	const char **links;
	size_t nlinks, lcap;
	uint32_t *set;		/* index + 1 into links, hashed */
	size_t setsz;
	struct base_frame *bases;
	size_t nbases, bcap;
	const char *base0;
	int depth, skip;	/* skip: depth of a script/style, else 0 */
};

static int
tag_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

static int
in_table(const char *const *t, size_t n, const char *name)
{
	char low[16];
	size_t i;

	for (i = 0; name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z')
					? name[i] + 32 : name[i]);
	if (name[i])
		return 0;
	low[i] = '\0';
	return bsearch(low, t, n, sizeof(*t), tag_cmp) != NULL;
}

/* "xhtml:a" → "a": prefixed XHTML reaches the HTML parser as one name. */
static const char *
local_name(const char *name)
{
	const char *c = strchr(name, ':');

	return c ? c + 1 : name;
}

static const char *
cur_base(const struct coll *c)
{
	return c->nbases ? c->bases[c->nbases - 1].base : c->base0;
}

/* ------------------------------------------------------------------ text */

static int
is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* Room for want bytes of text (at most the cap) and the NUL. */
static void
text_reserve(struct coll *c, size_t want)
{
	size_t n = c->talloc ? c->talloc : 256;

	if (want > c->cap)
		want = c->cap;
	if (want <= c->talloc)
		return;
	while (n < want)
		n *= 2;
	if (n > c->cap)
		n = c->cap;
	c->text = ms_xrealloc(c->text, n + 1);
	c->talloc = n;
}

/* Bytes that may start a blank (is_space, or C2 of U+00A0): text_add
 * copies the runs between them whole, a table look-up per byte. */
static const unsigned char blank_starts[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
	[0xc2] = 1,
};

static int
blank_start(unsigned char ch)
{
	return blank_starts[ch];
}

static void
text_add(struct coll *c, const char *s, size_t n)
{
	if (c->skip || c->full)
		return;
	/* A byte in gives at most a byte out, and a run of blanks one
	 * space: room for all of it at once, not a check per byte. */
	text_reserve(c, c->tlen + n + 1);
	for (size_t i = 0; i < n;) {
		unsigned char ch = (unsigned char)s[i];
		size_t j, room;

		/* U+00A0 no-break space counts as a space too. */
		if (is_space(ch) || (ch == 0xc2 && i + 1 < n &&
				     (unsigned char)s[i + 1] == 0xa0)) {
			i += ch == 0xc2 ? 2 : 1;
			if (c->tlen)
				c->space = 1;
			continue;
		}
		/* A run of other bytes (a C2 not before A0 is one of them),
		 * after the one space a blank run before it leaves. */
		for (j = i + 1; j < n && !blank_start((unsigned char)s[j]); j++)
			;
		if (c->space) {
			c->space = 0;
			if (c->tlen + 1 >= c->cap) {
				c->full = 1;
				break;
			}
			c->text[c->tlen++] = ' ';
		}
		room = c->cap - c->tlen;
		if (j - i > room) {
			/* Cut at the cap, as a byte at a time would. */
			memcpy(c->text + c->tlen, s + i, room);
			c->tlen += room;
			c->full = 1;
			break;
		}
		memcpy(c->text + c->tlen, s + i, j - i);
		c->tlen += j - i;
		i = j;
	}
}

static void
text_break(struct coll *c)
{
	if (c->tlen)
		c->space = 1;
}

/* The text as an arena string, cut back to a whole UTF-8 character. */
static const char *
text_finish(struct coll *c)
{
	size_t n = c->tlen, lead;
	unsigned char b;
	size_t need;

	if (!n)
		return NULL;
	lead = n;
	/* n - lead, not lead > n - 4: that wraps for texts under 4 bytes. */
	while (lead > 0 && n - lead < 4 &&
	       ((unsigned char)c->text[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead > 0) {
		b = (unsigned char)c->text[lead - 1];
		need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
		if (b >= 0x80 && n - (lead - 1) < need)
			n = lead - 1;
	}
	while (n && c->text[n - 1] == ' ')
		n--;
	return n ? ms_arena_strndup(c->a, c->text, n) : NULL;
}

/* ----------------------------------------------------------------- links */

static uint32_t
str_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
set_insert(struct coll *c, size_t idx)
{
	size_t m = c->setsz - 1, i = str_hash(c->links[idx]) & m;

	while (c->set[i])
		i = (i + 1) & m;
	c->set[i] = (uint32_t)idx + 1;
}

static int
set_has(const struct coll *c, const char *s)
{
	size_t m, i;

	if (!c->setsz)
		return 0;
	m = c->setsz - 1;
	for (i = str_hash(s) & m; c->set[i]; i = (i + 1) & m)
		if (!strcmp(c->links[c->set[i] - 1], s))
			return 1;
	return 0;
}

static void
link_add(struct coll *c, const char *url)
{
	size_t i;

	/* A few links: a scan is cheaper than hashing. */
	if (c->nlinks < 16) {
		for (i = 0; i < c->nlinks; i++)
			if (!strcmp(c->links[i], url))
				return;
	} else if (set_has(c, url)) {
		return;
	}
	ms_strv_push(c->a, &c->links, &c->nlinks, &c->lcap,
		     ms_arena_strdup(c->a, url));
	if (c->nlinks < 16)
		return;
	if (c->nlinks * 2 > c->setsz) {
		c->setsz = c->setsz ? c->setsz * 2 : 64;
		free(c->set);
		c->set = ms_xcalloc(c->setsz, sizeof(*c->set));
		for (i = 0; i < c->nlinks; i++)
			set_insert(c, i);
	} else {
		set_insert(c, c->nlinks - 1);
	}
}

static int
has_scheme(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	return *p == ':';
}

/* Printable ASCII without spaces: CURLU would hand it back unchanged. */
static int
plain_url(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '\\')
			return 0;
	return 1;
}

static void
href(struct coll *c, const char *v)
{
	char *abs = NULL, *tmp = NULL;
	size_t n;

	if (!v)
		return;
	while (is_space((unsigned char)*v))
		v++;
	n = strlen(v);
	while (n && is_space((unsigned char)v[n - 1]))
		n--;
	if (!n || *v == '#')
		return;
	if (v[n]) {
		tmp = ms_xstrndup(v, n);
		v = tmp;
	}
	if (has_scheme(v)) {
		if (!ms_url_is_http(v))
			goto out;
		if (plain_url(v))
			link_add(c, v);
		else if (!ms_url_resolve(NULL, v, &abs, NULL))
			link_add(c, abs);
		goto out;
	}
	/* Relative: only with an http(s) base to resolve it against. */
	if (!cur_base(c) || !ms_url_is_http(cur_base(c)))
		goto out;
	if (!ms_url_resolve(cur_base(c), v, &abs, NULL) && ms_url_is_http(abs))
		link_add(c, abs);
out:
	free(abs);
	free(tmp);
}

/* ------------------------------------------------------------- elements */

static void
base_push(struct coll *c, const char *v)
{
	char *abs = NULL;

	if (ms_url_resolve(cur_base(c), v, &abs, NULL))
		return;
	MS_GROW(c->bases, c->nbases + 1, c->bcap);
	c->bases[c->nbases].depth = c->depth;
	c->bases[c->nbases].base = abs;
	c->nbases++;
}

/* An element starts, with its href and xml:base values (or NULL). */
static void
elem_start(struct coll *c, const char *name, const char *href_v,
	   const char *base_v)
{
	const char *ln = local_name(name);

	c->depth++;
	if (base_v && *base_v)
		base_push(c, base_v);
	if (c->skip)
		return;
	if (in_table(skip_tags, NELEM(skip_tags), ln)) {
		c->skip = c->depth;
		return;
	}
	/* Full (or no text wanted, as for `parse`): no space to place. */
	if (!c->full && in_table(block_tags, NELEM(block_tags), ln))
		text_break(c);
	if (href_v && (!strcasecmp(ln, "a") || !strcasecmp(ln, "area")))
		href(c, href_v);
}

static void
elem_end(struct coll *c, const char *name)
{
	if (c->skip == c->depth)
		c->skip = 0;
	else if (!c->skip && !c->full &&
		 in_table(block_tags, NELEM(block_tags), local_name(name)))
		text_break(c);
	while (c->nbases && c->bases[c->nbases - 1].depth == c->depth) {
		free(c->bases[--c->nbases].base);
	}
	c->depth--;
}

/* ------------------------------------------------------------- HTML SAX */

static void
sax_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct coll *c = ((htmlParserCtxtPtr)ctx)->_private;
	const char *hv = NULL, *bv = NULL;

	if (c->depth >= DEPTH_MAX) {
		xmlStopParser(ctx);
		return;
	}

	for (size_t i = 0; atts && atts[i]; i += 2) {
		if (!strcasecmp((const char *)atts[i], "href"))
			hv = (const char *)atts[i + 1];
		else if (!strcasecmp((const char *)atts[i], "xml:base"))
			bv = (const char *)atts[i + 1];
	}
	elem_start(c, (const char *)name, hv, bv);
}

static void
sax_end(void *ctx, const xmlChar *name)
{
	struct coll *c = ((htmlParserCtxtPtr)ctx)->_private;

	if (c->depth > 0)
		elem_end(c, (const char *)name);
}

static void
sax_text(void *ctx, const xmlChar *s, int len)
{
	text_add(((htmlParserCtxtPtr)ctx)->_private, (const char *)s,
		 (size_t)len);
}

/* script and style bodies: never text. */
static void
sax_cdata(void *ctx, const xmlChar *s, int len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

static void
coll_init(struct coll *c, struct ms_arena *a, const char *base,
	  size_t text_cap)
{
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->cap = text_cap;
	c->base0 = base;
	if (!c->cap)
		c->full = 1;
}

static void
coll_finish(struct coll *c, struct ms_fragment *out)
{
	out->text = text_finish(c);
	out->links = c->links;
	out->nlinks = c->nlinks;
	while (c->nbases)
		free(c->bases[--c->nbases].base);
	free(c->bases);
	free(c->text);
	free(c->set);
}

/* Does it need a parser at all?  Text without '<' or '&' is the text;
 * without text wanted, markup without an href has nothing for us. */
static int
needs_markup(const char *s, size_t len, int text)
{
	if (!memchr(s, '<', len))
		return text && memchr(s, '&', len);
	if (text)
		return 1;
	for (const char *p = s; (p = memchr(p, '=', len - (size_t)(p - s)));
	     p++) {
		const char *q = p;

		while (q > s && (q[-1] == ' ' || q[-1] == '\t' ||
				 q[-1] == '\n' || q[-1] == '\r'))
			q--;
		if (q - s >= 4 && !strncasecmp(q - 4, "href", 4))
			return 1;
	}
	return 0;
}

void
ms_fragment_parse(struct ms_arena *a, const char *html, size_t len,
		  const char *base, size_t text_cap, struct ms_fragment *out)
{
	struct coll c;
	htmlParserCtxtPtr ctxt;
	xmlSAXHandlerPtr sax;

	memset(out, 0, sizeof(*out));
	if (!html || !len || len > INT32_MAX)
		return;
	coll_init(&c, a, base, text_cap);
	if (!needs_markup(html, len, text_cap > 0)) {
		text_add(&c, html, len);
		coll_finish(&c, out);
		return;
	}
	ctxt = htmlCreateMemoryParserCtxt(html, (int)len);
	if (!ctxt) {
		coll_finish(&c, out);
		return;
	}
	sax = ctxt->sax;
	memset(sax, 0, sizeof(*sax));
	sax->startElement = sax_start;
	sax->endElement = sax_end;
	sax->characters = sax_text;
	sax->ignorableWhitespace = sax_text;
	sax->cdataBlock = sax_cdata;
	sax->initialized = 1;
	ctxt->_private = &c;
	/* The bytes are UTF-8 (the feed parser produced them); a <meta
	 * charset> inside must not switch the decoder. */
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				 HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
				 HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC);
	htmlParseDocument(ctxt);
	ctxt->_private = NULL;
	htmlFreeParserCtxt(ctxt);
	coll_finish(&c, out);
}

/* ------------------------------------------------------------ XML nodes */

/* The code point of an HTML entity name as UTF-8 into out[5]. */
static size_t
html_entity(const xmlChar *name, char out[5])
{
	const htmlEntityDesc *e = htmlEntityLookup(name);
	unsigned v;
	int n;

	if (!e)
		return 0;
	v = e->value;
	n = xmlCopyCharMultiByte((xmlChar *)out, (int)v);
	return n > 0 ? (size_t)n : 0;
}

/* An entity reference left in place (we never substitute): the text of a
 * small internal entity, else an HTML entity of that name, else nothing. */
static void
entity_text(struct coll *c, xmlNodePtr n)
{
	xmlEntityPtr ent = (xmlEntityPtr)n->children;
	char buf[5];
	size_t k;

	if (ent && ent->type == XML_ENTITY_DECL &&
	    ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content) {
		const char *v = (const char *)ent->content;

		if (!strpbrk(v, "<&"))
			text_add(c, v, strlen(v));
		return;
	}
	if ((k = html_entity(n->name, buf)))
		text_add(c, buf, k);
}

static void
node_start(struct coll *c, xmlNodePtr n)
{
	xmlChar *hv = NULL, *bv;

	if (!strcasecmp((const char *)n->name, "a") ||
	    !strcasecmp((const char *)n->name, "area"))
		hv = xmlGetProp(n, BAD_CAST "href");
	bv = xmlGetNsProp(n, BAD_CAST "base", XML_XML_NAMESPACE);
	elem_start(c, (const char *)n->name, (const char *)hv,
		   (const char *)bv);
	xmlFree(hv);
	xmlFree(bv);
}

void
ms_fragment_nodes(struct ms_arena *a, struct _xmlNode *root,
		  const char *base, size_t text_cap, struct ms_fragment *out)
{
	struct coll c;
	xmlNodePtr n;

	memset(out, 0, sizeof(*out));
	if (!root)
		return;
	coll_init(&c, a, base, text_cap);
	for (n = root->children; n;) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			node_start(&c, n);
			if (n->children) {
				n = n->children;
				continue;
			}
			elem_end(&c, (const char *)n->name);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content)
				text_add(&c, (const char *)n->content,
					 strlen((const char *)n->content));
			break;
		case XML_ENTITY_REF_NODE:
			entity_text(&c, n);
			break;
		default:
			break;
		}
		while (n && !n->next) {
			n = n->parent;
			if (!n || n == root)
				goto done;
			elem_end(&c, (const char *)n->name);
		}
		if (n)
			n = n->next;
	}
done:
	coll_finish(&c, out);
}
