/*
 * feed.c — RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 into a struct
 * ms_doc, streaming, with libxml2's SAX2 push parser.
 *
 * libxml2's own SAX2 handlers build the tree; we watch the top levels:
 * each item or entry (and each channel field) is read when it ends and is
 * then freed, so a feed of any length never becomes one tree.  Elements
 * are looked up in one table by namespace and name, as feedparser does: the
 * RSS and Atom namespaces (and an unknown default namespace) are "core",
 * an element's shape says which flavour it is (<link>text</link> or
 * <link href=.../>, <author>text</author> or <author><name>...).
 *
 * Why not xmlTextReader, as planned: in libxml2 2.9.14 it stops at the
 * first error even with XML_PARSE_RECOVER, and its 512-byte pushes make a
 * large CDATA section quadratic (4 MB took 3 s).  SAX2 has neither trap
 * and is faster.
 *
 * Broken documents are read in the same single pass in recover mode; the
 * errors are counted as they come, so a well-formed document is exactly a
 * strict parse, and a broken one ends with doc->recovered and doc->error
 * (the first error).  Two repairs on top of libxml2's recovery: entity
 * references keep their meaning after an error (libxml2 drops them, even
 * &amp;), and a bare '&' (which libxml2 drops with the name after it:
 * "?a=1&b=2" reads "?a=1=2") makes us read a copy with it escaped.  HTML
 * entities such as &nbsp; are read as HTML would, and still count as the
 * error they are in XML.
 *
 * Items whose markup says they are comments go to doc->comments too:
 * items of a WordPress comment feed ("Comments on: X", links to
 * #comment-N) and entries with thr:in-reply-to (Blogger comment feeds,
 * RFC 4685).  After the walk, replies are tied to their parent comments
 * (Blogger's rel="related" link, WordPress's "In reply to" link, a
 * thr:in-reply-to that names another comment).
 */
#include "analyzer/internal.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

#define TEXT_CAP 4096		/* entry and comment text */
#define TITLE_CAP 1024		/* titles and names: plain text */
#define CHUNK (256u << 10)	/* bytes per push (see sax_parse) */
#define NS_SEEN 8		/* namespaces remembered by ns_of */

/* ------------------------------------------------------------ namespaces */

enum ns {
	NS_CORE,	/* RSS, RDF core, Atom, an unknown default namespace */
	NS_CONTENT,
	NS_DC,
	NS_DCTERMS,
	NS_ITUNES,
	NS_MEDIA,
	NS_RDF,
	NS_SLASH,
	NS_THR,
	NS_WFW,
	NS_XHTML,
	NS_OTHER,	/* an extension we do not read */
};

/* Namespace URIs, compared case-insensitively; a trailing '*' matches any
 * rest (UserLand's rss2, rss2.1 ...).  Unsorted: few, and cached. */
static const struct {
	const char *uri;
	enum ns ns;
} namespaces[] = {
	{ "http://www.w3.org/2005/Atom", NS_CORE },
	{ "http://purl.org/atom/ns#", NS_CORE },
	{ "http://purl.org/rss/1.0/", NS_CORE },
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_CORE },
	{ "http://backend.userland.com/rss*", NS_CORE },
	{ "http://blogs.law.harvard.edu/tech/rss", NS_CORE },
	{ "http://purl.org/net/rss1.1#", NS_CORE },
	{ "http://purl.org/echo/", NS_CORE },
	{ "http://purl.org/pie/", NS_CORE },
	{ "http://example.com/necho", NS_CORE },
	{ "http://example.com/newformat#", NS_CORE },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "http://wellformedweb.org/CommentAPI/", NS_WFW },
	{ "http://purl.org/rss/1.0/modules/slash/", NS_SLASH },
	{ "http://purl.org/syndication/thread/1.0", NS_THR },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "https://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://example.com/DTDs/PodCast-1.0.dtd", NS_ITUNES },
	{ "http://search.yahoo.com/mrss/", NS_MEDIA },
	{ "http://search.yahoo.com/mrss", NS_MEDIA },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML },
};

#define ATOM10_NS "http://www.w3.org/2005/Atom"
#define ATOM03_NS "http://purl.org/atom/ns#"
#define RSS10_NS "http://purl.org/rss/1.0/"
#define RSS090_NS "http://my.netscape.com/rdf/simple/0.9/"
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define THR_NS "http://purl.org/syndication/thread/1.0"
#define BLOGGER_KIND "http://schemas.google.com/g/2005#kind"

/* ---------------------------------------------------------------- fields */

enum field {
	F_NONE,
	F_AUTHOR,	/* RSS "email (Name)" text, or an Atom person */
	F_CATEGORY,	/* RSS text, or Atom term= */
	F_CHANNEL,
	F_COMMENTS,	/* RSS <comments>: the comment page */
	F_COMMENT_FEED,	/* wfw:commentRss */
	F_CONTENT,	/* full content: Atom content, content:encoded ... */
	F_COUNT,	/* slash:comments, thr:total */
	F_CREATED,
	F_CREATOR,	/* a name (perhaps with an email): dc:creator ... */
	F_DCDATE,
	F_EDITOR,	/* managingEditor: the feed's author */
	F_GUID,
	F_ID,
	F_ITEM,
	F_ITUNES_CATEGORY,
	F_KEYWORDS,
	F_LANGUAGE,
	F_LINK,
	F_PUBLISHED,
	F_REPLY,	/* thr:in-reply-to */
	F_SUBJECT,	/* dc:subject, media:category: a category as text */
	F_SUMMARY,	/* RSS description, Atom summary */
	F_TITLE,
	F_UPDATED,
};

/* Sorted by namespace, then name (strcasecmp): feed element names are
 * matched without regard to case, as feedparser does. */
static const struct element {
	enum ns ns;
	const char *name;
	enum field field;
} elements[] = {
	{ NS_CORE, "author", F_AUTHOR },
	{ NS_CORE, "body", F_CONTENT },
	{ NS_CORE, "category", F_CATEGORY },
	{ NS_CORE, "channel", F_CHANNEL },
	{ NS_CORE, "comments", F_COMMENTS },
	{ NS_CORE, "content", F_CONTENT },
	{ NS_CORE, "created", F_CREATED },
	{ NS_CORE, "description", F_SUMMARY },
	{ NS_CORE, "entry", F_ITEM },
	{ NS_CORE, "fullitem", F_CONTENT },
	{ NS_CORE, "guid", F_GUID },
	{ NS_CORE, "id", F_ID },
	{ NS_CORE, "issued", F_PUBLISHED },
	{ NS_CORE, "item", F_ITEM },
	{ NS_CORE, "language", F_LANGUAGE },
	{ NS_CORE, "link", F_LINK },
	{ NS_CORE, "managingEditor", F_EDITOR },
	{ NS_CORE, "modified", F_UPDATED },
	{ NS_CORE, "pubDate", F_PUBLISHED },
	{ NS_CORE, "published", F_PUBLISHED },
	{ NS_CORE, "summary", F_SUMMARY },
	{ NS_CORE, "title", F_TITLE },
	{ NS_CORE, "updated", F_UPDATED },
	{ NS_CONTENT, "encoded", F_CONTENT },
	{ NS_DC, "author", F_CREATOR },
	{ NS_DC, "creator", F_CREATOR },
	{ NS_DC, "date", F_DCDATE },
	{ NS_DC, "description", F_SUMMARY },
	{ NS_DC, "language", F_LANGUAGE },
	{ NS_DC, "subject", F_SUBJECT },
	{ NS_DC, "title", F_TITLE },
	{ NS_DCTERMS, "created", F_CREATED },
	{ NS_DCTERMS, "issued", F_PUBLISHED },
	{ NS_DCTERMS, "modified", F_UPDATED },
	{ NS_ITUNES, "author", F_CREATOR },
	{ NS_ITUNES, "category", F_ITUNES_CATEGORY },
	{ NS_ITUNES, "keywords", F_KEYWORDS },
	{ NS_MEDIA, "category", F_SUBJECT },
	{ NS_SLASH, "comments", F_COUNT },
	{ NS_THR, "in-reply-to", F_REPLY },
	{ NS_THR, "total", F_COUNT },
	{ NS_WFW, "commentRss", F_COMMENT_FEED },
	{ NS_XHTML, "body", F_CONTENT },
	{ NS_XHTML, "div", F_CONTENT },
};

/* How comment feeds title themselves (WordPress in several languages). */
static const char *const comment_feed_titles[] = {
	"Comments on:", "Comments for ", "Kommentare zu:",
	"Kommentare f\xc3\xbcr ",
	"Commentaires sur\xc2\xa0:", "Commentaires sur :", "Commentaires pour ",
	"Comentarios en:", "Comentarios para ", "Coment\xc3\xa1rios sobre:",
	"Commenti a:", "Commenti per ", "Reacties op:",
};

/* ----------------------------------------------------------------- state */

/* What a comment needs for the threading pass, besides struct ms_comment. */
struct cmeta {
	const char *alt, *self;		/* its own links */
	const char *thr_ref, *thr_href;	/* what it says it answers */
	const char *parent;		/* related link / "In reply to" */
};

struct base_frame {
	int depth;
	const char *base;	/* in the doc arena */
};

struct fp {
	struct ms_doc *doc;
	const struct ms_parse_opts *o;
	struct ms_arena scratch;	/* one streamed entry at a time */
	struct base_frame *bases;
	size_t nbases, bcap;
	const char *xmllang;	/* xml:lang of the root or channel */
	int link_rank;		/* of doc->link */
	int comment_feed;
	int atom;		/* Atom family: text constructs have type= */
	struct ms_entry *entries;
	size_t nentries, ecap;
	struct ms_comment *comments;
	struct cmeta *cmeta;
	size_t ncomments, ccap, mcap;
	int stop;		/* on_entry asked to stop: its code */
	xmlNodePtr channel;	/* the RSS/RDF channel, once entered */
	xmlNodePtr open;	/* the item or field being built, if any */
	size_t produced, emitted;	/* streamed entries, across passes */
	int amp;		/* a bare '&' seen: read a repaired copy */
	int repaired;		/* reading the repaired copy */
	struct pool *pool;	/* streaming a large feed: see struct pool */
	int netscape;		/* a Netscape RSS 0.91 DOCTYPE */
	/* errors */
	char first[256], hard_msg[64];
	int nerrors, hard;
	/* The namespaces last looked up (ns_of): an item's elements come
	 * from several (RSS, content:, dc:, wfw:, slash:), in turn. */
	struct ns_seen {
		char uri[128];
		enum ns ns;
	} ns_seen[NS_SEEN];
	size_t nns_seen, ns_next;	/* filled; the next to replace */
};

/* ----------------------------------------------------------- small tools */

static int
elem_cmp(const void *k, const void *e)
{
	const struct element *a = k, *b = e;

	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	return strcasecmp(a->name, b->name);
}

static enum ns
ns_of(struct fp *p, const xmlNode *n)
{
	const char *uri;
	enum ns ns;
	size_t i;

	if (!n->ns || !n->ns->href)
		return NS_CORE;
	uri = (const char *)n->ns->href;
	for (i = 0; i < p->nns_seen; i++)
		if (!strcmp(uri, p->ns_seen[i].uri)) {
			ns = p->ns_seen[i].ns;
			goto out;
		}
	ns = NS_OTHER;
	for (i = 0; i < NELEM(namespaces); i++) {
		const char *u = namespaces[i].uri;
		size_t ul = strlen(u);

		if (u[ul - 1] == '*' ? !strncasecmp(uri, u, ul - 1)
				     : !strcasecmp(uri, u)) {
			ns = namespaces[i].ns;
			break;
		}
	}
	if (strlen(uri) < sizeof(p->ns_seen[0].uri)) {
		struct ns_seen *c = &p->ns_seen[p->ns_next];

		strcpy(c->uri, uri);
		c->ns = ns;
		p->ns_next = (p->ns_next + 1) % NS_SEEN;
		if (p->nns_seen < NS_SEEN)
			p->nns_seen++;
	}
out:
	/* An unknown namespace without a prefix is the document's own. */
	if (ns == NS_OTHER && !n->ns->prefix)
		return NS_CORE;
	return ns;
}

static enum field
field_of(struct fp *p, const xmlNode *n)
{
	struct element key = { ns_of(p, n), (const char *)n->name, F_NONE };
	const struct element *e;

	if (key.ns == NS_OTHER)
		return F_NONE;
	e = bsearch(&key, elements, NELEM(elements), sizeof(*elements),
		    elem_cmp);
	return e ? e->field : F_NONE;
}

static char *
attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, BAD_CAST name);
}

static int
attr_is(const xmlNode *n, const char *name, const char *value)
{
	char *v = attr(n, name);
	int r = v && !strcasecmp(v, value);

	xmlFree(v);
	return r;
}

static int
has_elements(const xmlNode *n)
{
	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return 1;
	return 0;
}

static void
buf_add(char **b, size_t *len, size_t *alloc, const char *s, size_t n)
{
	if (*len + n + 1 > *alloc) {
		*alloc = (*len + n + 1) * 2;
		*b = ms_xrealloc(*b, *alloc);
	}
	memcpy(*b + *len, s, n);
	*len += n;
	(*b)[*len] = '\0';
}

/* All text under n (text, CDATA, small internal entities), untrimmed;
 * malloc'd, NULL if there is none.  No recursion. */
static char *
node_text_raw(const xmlNode *root, size_t *lenp)
{
	const xmlNode *n;
	char *b = NULL;
	size_t len = 0, alloc = 0;

	for (n = root->children; n;) {
		if ((n->type == XML_TEXT_NODE ||
		     n->type == XML_CDATA_SECTION_NODE) && n->content) {
			buf_add(&b, &len, &alloc, (const char *)n->content,
				strlen((const char *)n->content));
		} else if (n->type == XML_ENTITY_REF_NODE) {
			xmlEntityPtr e = (xmlEntityPtr)n->children;

			if (e && e->type == XML_ENTITY_DECL &&
			    e->etype == XML_INTERNAL_GENERAL_ENTITY &&
			    e->content && !strpbrk((char *)e->content, "<&"))
				buf_add(&b, &len, &alloc,
					(const char *)e->content,
					strlen((const char *)e->content));
		} else if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			if (n == root)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	if (lenp)
		*lenp = len;
	return b;
}

/* Whitespace collapsed and trimmed, at most cap bytes (whole characters),
 * into the arena; NULL when empty. */
static const char *
collapse(struct ms_arena *a, const char *s, size_t cap)
{
	char *out, *o;
	int space = 0;

	if (!s)
		return NULL;
	out = o = ms_arena_alloc(a, strlen(s) + 1);
	for (; *s; s++) {
		/* U+00A0 no-break space too: titles are one line of text. */
		if (isspace((unsigned char)*s) ||
		    ((unsigned char)s[0] == 0xc2 &&
		     (unsigned char)s[1] == 0xa0)) {
			if ((unsigned char)*s == 0xc2)
				s++;
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *s;
	}
	*o = '\0';
	if ((size_t)(o - out) > cap) {
		o = out + cap;
		while (o > out && ((unsigned char)*o & 0xc0) == 0x80)
			o--;
		*o = '\0';
	}
	return *out ? out : NULL;
}

/* The trimmed text of n in the arena, NULL when empty. */
static const char *
node_text(struct ms_arena *a, const xmlNode *n)
{
	size_t len;
	char *raw = node_text_raw(n, &len);
	const char *s, *e;
	const char *r = NULL;

	if (!raw)
		return NULL;
	for (s = raw; *s && isspace((unsigned char)*s); s++)
		;
	for (e = raw + len; e > s && isspace((unsigned char)e[-1]); e--)
		;
	if (e > s)
		r = ms_arena_strndup(a, s, (size_t)(e - s));
	free(raw);
	return r;
}

static int
has_scheme(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	return *p == ':';
}

/* A URI from the feed, absolute against base when it is relative (an
 * absolute one is kept as written: ids must not be normalized). */
static const char *
uri(struct ms_arena *a, const char *base, const char *s)
{
	char *abs = NULL;
	const char *r;

	if (!s || !*s)
		return NULL;
	if (has_scheme(s) || !base)
		return s;
	if (ms_url_resolve(base, s, &abs, NULL))
		return s;
	r = ms_arena_strdup(a, abs);
	free(abs);
	return r;
}

static const char *
attr_uri(struct ms_arena *a, const xmlNode *n, const char *name,
	 const char *base)
{
	char *v = attr(n, name);
	const char *r = NULL, *s;

	if (v) {
		for (s = v; isspace((unsigned char)*s); s++)
			;
		if (*s) {
			size_t len = strlen(s);

			while (len && isspace((unsigned char)s[len - 1]))
				len--;
			r = uri(a, base, ms_arena_strndup(a, s, len));
		}
	}
	xmlFree(v);
	return r;
}

static const char *
text_uri(struct ms_arena *a, const xmlNode *n, const char *base)
{
	return uri(a, base, node_text(a, n));
}

/* The base of n: its xml:base against the parent's. */
static const char *
node_base(struct ms_arena *a, const xmlNode *n, const char *base)
{
	xmlChar *v = xmlGetNsProp(n, BAD_CAST "base", XML_XML_NAMESPACE);
	const char *r = base;
	char *abs = NULL;

	if (v) {
		if (!ms_url_resolve(base, (const char *)v, &abs, NULL)) {
			r = ms_arena_strdup(a, abs);
			free(abs);
		} else if (has_scheme((const char *)v)) {
			r = ms_arena_strdup(a, (const char *)v);
		}
		xmlFree(v);
	}
	return r;
}

/* RFC 4648 base64 (Atom 0.3 mode="base64"), whitespace ignored. */
static char *
base64_decode(const char *s, size_t *outlen)
{
	char *out = ms_xmalloc(strlen(s) / 4 * 3 + 4);
	unsigned acc = 0;
	int bits = 0;
	size_t n = 0;

	for (; *s; s++) {
		int v;

		if (*s >= 'A' && *s <= 'Z')
			v = *s - 'A';
		else if (*s >= 'a' && *s <= 'z')
			v = *s - 'a' + 26;
		else if (*s >= '0' && *s <= '9')
			v = *s - '0' + 52;
		else if (*s == '+' || *s == '-')
			v = 62;
		else if (*s == '/' || *s == '_')
			v = 63;
		else
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* Element names feedparser accepts as HTML in text (its sanitizer's
 * list, the common part).  Sorted (strcmp). */
static const char *const html_tags[] = {
	"a", "abbr", "acronym", "address", "area", "article", "aside", "audio",
	"b", "bdi", "bdo", "big", "blockquote", "br", "button", "caption",
	"center", "cite", "code", "col", "colgroup", "dd", "del", "details",
	"dfn", "dir", "div", "dl", "dt", "em", "fieldset", "figcaption",
	"figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
	"header", "hr", "i", "img", "input", "ins", "kbd", "label", "legend",
	"li", "map", "mark", "menu", "nav", "ol", "optgroup", "option", "p",
	"pre", "q", "s", "samp", "section", "select", "small", "span",
	"strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
	"textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
	"var", "video", "wbr",
};

static int
str_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

/*
 * feedparser's test for RSS text that is really HTML: an end tag or an
 * entity reference, and no tag that is not an HTML element ("a <b> c" is
 * HTML, "x < y" and "<tag>" are not).
 */
static int
looks_like_html(const char *s)
{
	int evidence = 0;

	for (; *s; s++) {
		int end_tag = s[1] == '/';

		if (*s == '<' &&
		    isalpha((unsigned char)s[1 + end_tag])) {
			const char *q = s + 1 + end_tag;
			char name[16];
			size_t n = 0;

			while (isalnum((unsigned char)*q) &&
			       n < sizeof(name) - 1)
				name[n++] = (char)tolower((unsigned char)*q++);
			name[n] = '\0';
			if (!bsearch(name, html_tags, NELEM(html_tags),
				     sizeof(*html_tags), str_cmp))
				return 0;
			if (end_tag)
				evidence = 1;
		} else if (*s == '&') {
			const char *q = s + 1;

			if (*q == '#')
				q++;
			while (isalnum((unsigned char)*q))
				q++;
			if (*q == ';' && q > s + 1)
				evidence = 1;
		}
	}
	return evidence;
}

/* -------------------------------------------------------- text constructs */

enum ctype { CT_TEXT, CT_HTML, CT_XHTML };

/* What an element's type= and mode= (Atom 0.3) say its content is;
 * *skip when there is nothing to read here (src=, a non-text type). */
static enum ctype
content_type(const xmlNode *n, enum ctype def, int *base64, int *skip,
	     int *typed)
{
	char *type = attr(n, "type"), *mode = attr(n, "mode"), *s;
	enum ctype ct = def;

	*base64 = mode && !strcasecmp(mode, "base64");
	s = attr(n, "src");
	*skip = s != NULL;
	*typed = type != NULL;
	xmlFree(s);
	if (type) {
		if (!strcasecmp(type, "text") ||
		    !strcasecmp(type, "text/plain"))
			ct = CT_TEXT;
		else if (!strcasecmp(type, "html") ||
			 !strcasecmp(type, "text/html"))
			ct = CT_HTML;
		else if (!strcasecmp(type, "xhtml") ||
			 !strcasecmp(type, "application/xhtml+xml"))
			ct = CT_XHTML;
		else if (strncasecmp(type, "text/", 5) && !strstr(type, "xml"))
			*skip = 1;	/* an image, a video ... */
	}
	if (mode && !strcasecmp(mode, "escaped"))
		ct = CT_HTML;
	xmlFree(type);
	xmlFree(mode);
	return ct;
}

/*
 * Read a text construct (title, summary, content, description) into text
 * and, for markup, links.  def: the type when nothing is said (Atom: text;
 * RSS description: html).  A title's markup is reduced to its text.
 */
static void
text_construct(struct ms_arena *a, const xmlNode *n, const char *base,
	       enum ctype def, int rss_title, size_t cap, int want_links,
	       struct ms_fragment *out, const char **later, size_t *laterlen)
{
	int b64 = 0, skip = 0, typed = 0;
	enum ctype ct = content_type(n, def, &b64, &skip, &typed);
	char *raw = NULL;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	if (skip)
		return;		/* out-of-line, or not text */
	if (!b64 && has_elements(n)) {
		/* Inline XHTML, whatever the type says. */
		ms_fragment_nodes(a, (xmlNode *)n, base, cap, out);
		goto out;
	}
	raw = node_text_raw(n, &len);
	if (!raw)
		return;
	if (b64) {
		char *dec = base64_decode(raw, &len);

		free(raw);
		raw = dec;
	}
	/* RSS titles carry HTML more often than they say so (feedparser). */
	if (ct == CT_TEXT && rss_title && !typed && looks_like_html(raw))
		ct = CT_HTML;
	if (ct == CT_TEXT) {
		out->text = collapse(a, raw, cap);
	} else if (later) {
		/* Escaped HTML, for a worker to read (see struct pool). */
		*later = ms_arena_strndup(a, raw, len);
		*laterlen = len;
	} else {
		ms_fragment_parse(a, raw, len, base, cap, out);
	}
out:
	if (!want_links) {
		out->links = NULL;
		out->nlinks = 0;
	}
	free(raw);
}

/* A plain-text title (markup reduced to its text). */
static const char *
title_of(struct fp *p, struct ms_arena *a, const xmlNode *n,
	 const char *base)
{
	struct ms_fragment f;

	text_construct(a, n, base, CT_TEXT, !p->atom, TITLE_CAP, 0, &f, NULL,
		       NULL);
	return f.text;
}

/* ---------------------------------------------------------------- people */

static int
email_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' ||
	       c == '+';
}

/*
 * "me@example.com (Me)", "Me <me@example.com>", "me@example.com" or
 * "Me" (RSS author, managingEditor, dc:creator) into name and email, the
 * way feedparser splits them.
 */
static void
split_person(struct ms_arena *a, const char *s, struct ms_author *out)
{
	const char *at, *b, *e;
	char *name, *o;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!s)
		return;
	at = strchr(s, '@');
	while (at) {
		for (b = at; b > s && email_char(b[-1]); b--)
			;
		for (e = at + 1; email_char(*e); e++)
			;
		/* A domain with a dot and a local part: an address. */
		if (b < at && memchr(at + 1, '.', (size_t)(e - at - 1)) &&
		    e[-1] != '.')
			break;
		at = strchr(at + 1, '@');
	}
	if (!at) {
		out->name = collapse(a, s, TITLE_CAP);
		return;
	}
	out->email = ms_arena_strndup(a, b, (size_t)(e - b));
	if (!strncasecmp(b >= s + 7 ? b - 7 : s, "mailto:", 7) && b >= s + 7)
		b -= 7;
	/* The name: what is left, without the brackets around the address. */
	n = strlen(s);
	name = o = ms_arena_alloc(a, n + 1);
	memcpy(o, s, (size_t)(b - s));
	o += b - s;
	strcpy(o, e);
	for (;;) {
		char *q;

		if ((q = strstr(name, "()")) || (q = strstr(name, "<>")) ||
		    (q = strstr(name, "[]")))
			memmove(q, q + 2, strlen(q + 2) + 1);
		else
			break;
	}
	out->name = collapse(a, name, TITLE_CAP);
	if (out->name) {
		char *nm = (char *)out->name;
		size_t l = strlen(nm);

		if (nm[0] == '(' && l > 1 && nm[l - 1] == ')') {
			nm[l - 1] = '\0';
			nm++;
		} else if (nm[0] == '(') {
			nm++;
		} else if (l && nm[l - 1] == ')' && !strchr(nm, '(')) {
			nm[l - 1] = '\0';
		}
		out->name = collapse(a, nm, TITLE_CAP);
	}
	/* A Blogger placeholder is not a way to reach anyone. */
	if (!strcasecmp(out->email, "noreply@blogger.com"))
		out->email = NULL;
}

/* An Atom person construct (name, email, uri; Atom 0.3 url, homepage). */
static void
atom_person(struct ms_arena *a, const xmlNode *n, const char *base,
	    struct ms_author *out)
{
	const xmlNode *c;

	memset(out, 0, sizeof(*out));
	for (c = n->children; c; c = c->next) {
		const char *name = (const char *)c->name, *cb;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		cb = node_base(a, c, base);
		if (!strcasecmp(name, "name")) {
			if (!out->name)
				out->name = collapse(a, node_text(a, c),
						     TITLE_CAP);
		} else if (!strcasecmp(name, "email")) {
			if (!out->email)
				out->email = node_text(a, c);
		} else if (!strcasecmp(name, "uri") ||
			   !strcasecmp(name, "url") ||
			   !strcasecmp(name, "homepage")) {
			if (!out->uri)
				out->uri = text_uri(a, c, cb);
		}
	}
	if (out->email && !strcasecmp(out->email, "noreply@blogger.com"))
		out->email = NULL;
}

static void
person(struct ms_arena *a, const xmlNode *n, const char *base,
       struct ms_author *out)
{
	if (has_elements(n))
		atom_person(a, n, base, out);
	else
		split_person(a, node_text(a, n), out);
}

static int
person_empty(const struct ms_author *p)
{
	return !p->name && !p->email && !p->uri;
}

/* ----------------------------------------------------------------- items */

struct item {
	struct ms_arena *a;
	const char *id, *guid, *about, *title, *link, *self, *related;
	int link_rank, guid_link;
	struct ms_author *authors;
	size_t nauthors, acap;
	const char **cats;
	size_t ncats, catcap;
	const char **links;
	size_t nlinks, lcap;
	const char *comments_url, *comment_feed;
	long count;
	int64_t published, updated, created, dcdate;
	/* Their texts (the last element of each kind wins), read with the
	 * pieces: in a streamed feed that is the pool's second thread, not
	 * the parsing one, which has the most to do. */
	const char *published_s, *updated_s, *created_s, *dcdate_s;
	const char *content_text, *summary_text;
	const char *thr_ref, *thr_href;
	const char *language;
	struct piece *pieces;	/* content and summaries, in order */
	size_t npieces, pcap;
	int defer;		/* leave escaped HTML to the pool */
	int is_comment;
	struct ms_author feed_author;	/* the feed's at the item's end */
	const char *feed_link;
};

/* One content or summary element of an item: its text and links, read
 * at once or, escaped HTML in a streamed feed, by the pool. */
struct piece {
	int content;		/* content, else a summary or description */
	const char *html;	/* still to read, else NULL */
	size_t len, cap;
	const char *base;
	struct ms_fragment f;
};

static void
add_author(struct item *it, const struct ms_author *au)
{
	if (person_empty(au))
		return;
	MS_GROW(it->authors, it->nauthors + 1, it->acap);
	it->authors[it->nauthors++] = *au;
}

static void
add_category(struct item *it, const char *c)
{
	if (!c || !*c)
		return;
	for (size_t i = 0; i < it->ncats; i++)
		if (!strcmp(it->cats[i], c))
			return;
	ms_strv_push(it->a, &it->cats, &it->ncats, &it->catcap, c);
}

static void
add_links(struct item *it, const struct ms_fragment *f)
{
	for (size_t i = 0; i < f->nlinks; i++) {
		size_t j;

		for (j = 0; j < it->nlinks; j++)
			if (!strcmp(it->links[j], f->links[i]))
				break;
		if (j == it->nlinks)
			ms_strv_push(it->a, &it->links, &it->nlinks,
				     &it->lcap, f->links[i]);
	}
}

/*
 * An Atom-style <link href=...>: the alternate one (ranked: an HTML type
 * first) into *linkp, replies, self and related links into it.  0 when n
 * has no href (an RSS <link> whose text is the URL).
 */
static int
link_elem(struct item *it, const xmlNode *n, const char *base,
	  const char **linkp, int *rankp)
{
	char *has = attr(n, "href"), *rel = attr(n, "rel"), *type, *cnt;
	const char *href;
	int rank = 0;

	if (!has) {
		/* No href: the text is the URL (RSS), unless the rel says it
		 * is not the alternate link (an Atom enclosure without href
		 * must not win). */
		int other = rel && strcasecmp(rel, "alternate");

		xmlFree(rel);
		return other;
	}
	xmlFree(has);
	type = attr(n, "type");
	if (!rel || !strcasecmp(rel, "alternate"))
		rank = !type || !strcasecmp(type, "text/html") ||
			       !strcasecmp(type, "application/xhtml+xml")
			       ? 2 : 1;
	href = attr_uri(it->a, n, "href", base);
	if (!href)
		goto out;
	if (rel && !strcasecmp(rel, "replies")) {
		if (type && !strcasecmp(type, "text/html")) {
			if (!it->comments_url)
				it->comments_url = href;
		} else if (!it->comment_feed) {
			it->comment_feed = href;
		}
		cnt = (char *)xmlGetNsProp(n, BAD_CAST "count",
					   BAD_CAST THR_NS);
		if (cnt) {
			char *end;
			long v = strtol(cnt, &end, 10);

			if (end != cnt && !*end && v >= 0)
				it->count = v;
			xmlFree(cnt);
		}
	} else if (rel && !strcasecmp(rel, "self")) {
		it->self = href;
	} else if (rel && !strcasecmp(rel, "edit")) {
		if (!it->self)
			it->self = href;
	} else if (rel && !strcasecmp(rel, "related")) {
		if (!it->related)
			it->related = href;
	}
	if (rank > *rankp) {
		*linkp = href;
		*rankp = rank;
	}
out:
	xmlFree(rel);
	xmlFree(type);
	return 1;
}

static void
item_field(struct fp *p, struct item *it, const xmlNode *c, const char *cb,
	   enum field f)
{
	struct ms_arena *a = it->a;
	struct ms_author au;
	const char *s;
	char *v;

	switch (f) {
	case F_TITLE:
		if (!it->title)
			it->title = title_of(p, a, c, cb);
		break;
	case F_LINK:
		if (!link_elem(it, c, cb, &it->link, &it->link_rank)) {
			s = text_uri(a, c, cb);
			if (s && it->link_rank < 3) {
				it->link = s;
				it->link_rank = 3;
			}
		}
		break;
	case F_GUID:
		it->guid = node_text(a, c);
		it->guid_link = !attr_is(c, "isPermaLink", "false");
		break;
	case F_ID:
		if (!it->id)
			it->id = text_uri(a, c, cb);
		break;
	case F_CONTENT:
	case F_SUMMARY: {
		struct piece *pc;

		MS_GROW(it->pieces, it->npieces + 1, it->pcap);
		pc = &it->pieces[it->npieces++];
		memset(pc, 0, sizeof(*pc));
		pc->content = f == F_CONTENT;
		pc->base = cb;
		pc->cap = p->o->no_text ? 0 : TEXT_CAP;
		/* RSS markup is HTML; Atom's is text unless it says not. */
		text_construct(a, c, cb,
			       p->atom && ns_of(p, c) == NS_CORE ? CT_TEXT
								 : CT_HTML,
			       0, pc->cap, 1, &pc->f,
			       it->defer ? &pc->html : NULL, &pc->len);
		break;
	}
	case F_AUTHOR:
		person(a, c, cb, &au);
		add_author(it, &au);
		break;
	case F_CREATOR:
		split_person(a, node_text(a, c), &au);
		add_author(it, &au);
		break;
	case F_CATEGORY:
		if ((v = attr(c, "term")) || (v = attr(c, "label"))) {
			char *scheme = attr(c, "scheme");

			if (!scheme || strcmp(scheme, BLOGGER_KIND))
				add_category(it, collapse(a, v, TITLE_CAP));
			xmlFree(scheme);
			xmlFree(v);
		} else {
			add_category(it, collapse(a, node_text(a, c),
						  TITLE_CAP));
		}
		break;
	case F_SUBJECT:
		add_category(it, collapse(a, node_text(a, c), TITLE_CAP));
		break;
	case F_ITUNES_CATEGORY:
		for (const xmlNode *k = c; k;) {
			if ((v = attr(k, "text"))) {
				add_category(it, collapse(a, v, TITLE_CAP));
				xmlFree(v);
			}
			/* Nested categories: the first child element. */
			for (k = k->children; k && k->type != XML_ELEMENT_NODE;
			     k = k->next)
				;
		}
		break;
	case F_KEYWORDS:
		if ((s = node_text(a, c))) {
			const char *q = s;

			while (*q) {
				size_t n = strcspn(q, ",");

				add_category(it, collapse(
					a, ms_arena_strndup(a, q, n),
					TITLE_CAP));
				q += n + (q[n] == ',');
			}
		}
		break;
	case F_COMMENTS:
		if (!it->comments_url)
			it->comments_url = text_uri(a, c, cb);
		break;
	case F_COMMENT_FEED:
		if (!it->comment_feed)
			it->comment_feed = text_uri(a, c, cb);
		break;
	case F_COUNT:
		if ((s = node_text(a, c))) {
			char *end;
			long cnt = strtol(s, &end, 10);

			if (end != s && !*end && cnt >= 0)
				it->count = cnt;
		}
		break;
	case F_REPLY:
		if ((v = attr(c, "ref"))) {
			it->thr_ref = uri(a, cb, ms_arena_strdup(a, v));
			xmlFree(v);
		}
		it->thr_href = attr_uri(a, c, "href", cb);
		if (!it->thr_ref && !it->thr_href)
			it->thr_ref = "";	/* still a reply */
		break;
	case F_PUBLISHED:
		it->published_s = node_text(a, c);
		break;
	case F_UPDATED:
		it->updated_s = node_text(a, c);
		break;
	case F_CREATED:
		it->created_s = node_text(a, c);
		break;
	case F_DCDATE:
		it->dcdate_s = node_text(a, c);
		break;
	case F_LANGUAGE:
		if (!it->language)
			it->language = node_text(a, c);
		break;
	default:
		break;
	}
}

static const char *
strip_fragment(struct ms_arena *a, const char *url)
{
	const char *h;

	if (!url || !(h = strchr(url, '#')))
		return url;
	return ms_arena_strndup(a, url, (size_t)(h - url));
}

static const char *
dup_to(struct ms_arena *a, const char *s)
{
	return s ? ms_arena_strdup(a, s) : NULL;
}

static void
add_comment(struct fp *p, struct item *it, int streamed)
{
	struct ms_arena *a = &p->doc->arena;
	struct ms_comment *cm;
	struct cmeta *m;
	const char *link = it->link;

	MS_GROW(p->comments, p->ncomments + 1, p->ccap);
	MS_GROW(p->cmeta, p->ncomments + 1, p->mcap);
	cm = &p->comments[p->ncomments];
	m = &p->cmeta[p->ncomments];
	p->ncomments++;
	memset(cm, 0, sizeof(*cm));
	memset(m, 0, sizeof(*m));
	/* Strings may live in the streaming scratch arena: copy them. */
#define KEEP(s) (streamed ? dup_to(a, (s)) : (s))
	cm->id = KEEP(it->id ? it->id : it->guid ? it->guid : link);
	cm->published = it->published != MS_TIME_NONE ? it->published
			: it->dcdate != MS_TIME_NONE  ? it->dcdate
			: it->updated != MS_TIME_NONE ? it->updated
						      : it->created;
	if (it->nauthors) {
		cm->author.name = KEEP(it->authors[0].name);
		cm->author.uri = KEEP(it->authors[0].uri);
		cm->author.email = KEEP(it->authors[0].email);
	}
	cm->text = KEEP(it->content_text ? it->content_text
					 : it->summary_text);
	m->alt = KEEP(link);
	m->self = KEEP(it->self);
	if (it->thr_ref || it->thr_href) {
		m->thr_ref = KEEP(it->thr_ref && *it->thr_ref ? it->thr_ref
							     : NULL);
		m->thr_href = KEEP(it->thr_href);
		cm->entry_link = m->thr_href ? m->thr_href : m->thr_ref;
		m->parent = KEEP(it->related);
	} else {
		/* WordPress: the post is the link without #comment-N; a
		 * reply's content starts "In reply to <a href=#comment-M>". */
		/* From the kept copy: with no '#' strip_fragment returns its
		 * argument, and link may be in the scratch arena. */
		cm->entry_link = strip_fragment(a, m->alt);
		if (!cm->entry_link)
			cm->entry_link = KEEP(it->feed_link);
		for (size_t i = 0; i < it->nlinks && cm->entry_link; i++) {
			const char *l = it->links[i], *h = strchr(l, '#');
			size_t n = strlen(cm->entry_link);

			if (h && !strncmp(h, "#comment-", 9) &&
			    (size_t)(h - l) == n &&
			    !strncmp(l, cm->entry_link, n) &&
			    (!link || strcmp(l, link))) {
				m->parent = KEEP(l);
				break;
			}
		}
	}
#undef KEEP
}

static int
emit(struct fp *p, struct ms_entry *e)
{
	int rc;

	/* Handed over before a first reading stopped: the same again. */
	if (++p->produced <= p->emitted)
		return 0;
	rc = p->o->on_entry(p->o->on_entry_arg, p->doc, e);
	p->emitted++;
	if (rc) {
		p->stop = rc;
		return -1;
	}
	return 0;
}

/* Read what is left of an item's pieces and its dates (in the pool or
 * inline). */
static void
read_pieces(struct item *it)
{
	it->published = ms_date_parse(it->published_s);
	it->updated = ms_date_parse(it->updated_s);
	it->created = ms_date_parse(it->created_s);
	it->dcdate = ms_date_parse(it->dcdate_s);
	for (size_t i = 0; i < it->npieces; i++) {
		struct piece *pc = &it->pieces[i];

		if (pc->html) {
			ms_fragment_parse(it->a, pc->html, pc->len, pc->base,
					  pc->cap, &pc->f);
			pc->html = NULL;
		}
	}
}

/* An item whose pieces have been read: to an entry (and a comment). */
static int
item_finish(struct fp *p, struct item *it)
{
	int streamed = p->o->on_entry != NULL;
	struct ms_entry e;
	int rc = 0;

	for (size_t i = 0; i < it->npieces; i++) {
		const struct ms_fragment *fr = &it->pieces[i].f;

		add_links(it, fr);
		if (it->pieces[i].content && fr->text && !it->content_text)
			it->content_text = fr->text;
		else if (!it->pieces[i].content && fr->text &&
			 !it->summary_text)
			it->summary_text = fr->text;
	}
	/* A comment stays an entry too (the feed's item), marked. */
	if (it->is_comment)
		add_comment(p, it, streamed);

	memset(&e, 0, sizeof(e));
	e.is_comment = it->is_comment;
	e.id = it->id;
	e.title = it->title;
	e.link = it->link;
	e.published = it->published != MS_TIME_NONE ? it->published
		      : it->dcdate != MS_TIME_NONE  ? it->dcdate
						    : it->created;
	e.updated = it->updated;
	if (it->nauthors) {
		e.authors = ms_arena_alloc(it->a, it->nauthors *
							sizeof(*e.authors));
		memcpy(e.authors, it->authors,
		       it->nauthors * sizeof(*e.authors));
		e.nauthors = it->nauthors;
		e.author = e.authors[0];
	} else {
		e.author = it->feed_author;
	}
	e.categories = it->cats;
	e.ncategories = it->ncats;
	e.comments_url = it->comments_url;
	e.comment_feed = it->comment_feed;
	e.comment_count = it->count;
	e.comments_open = -1;
	/* Outbound links: "Continue reading" to the post itself is not. */
	for (size_t i = 0; it->link && i < it->nlinks; i++)
		if (!strcmp(it->links[i], it->link)) {
			memmove(&it->links[i], &it->links[i + 1],
				(it->nlinks - i - 1) * sizeof(*it->links));
			it->nlinks--;
			i--;
		}
	e.links = it->links;
	e.nlinks = it->nlinks;
	e.text = it->content_text ? it->content_text : it->summary_text;
	e.language = it->language;
	if (streamed) {
		rc = emit(p, &e);
	} else {
		MS_GROW(p->entries, p->nentries + 1, p->ecap);
		p->entries[p->nentries++] = e;
	}
	return rc;
}

static void
item_free(struct item *it)
{
	free(it->authors);
	free(it->pieces);
	it->authors = NULL;
	it->pieces = NULL;
}

/* ------------------------------------------------------------- the pool */

/*
 * Streaming a large feed (`parse`), the content of each item is read by
 * libxml2's HTML parser, the largest cost of the whole parse.  A second
 * thread shares that work: items are queued with their escaped HTML, both
 * threads take pieces from the queue, and the parsing thread finishes and
 * hands over entries in document order as they complete.  Each queued
 * item has its own arena, touched by one thread at a time; the lock hands
 * it over.  libxml2 allows this: its parser is initialised once
 * (xml_setup) and each thread uses its own parser contexts.
 */
#define POOL_JOBS 64
#define POOL_MIN (256u << 10)	/* smaller feeds are read inline */

struct job {
	struct ms_arena arena;
	struct item it;
	int done;
};

struct pool {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int quit, idle;		/* idle: the worker waits for work */
	size_t head, next, tail;	/* finish, claim, fill */
	struct job jobs[POOL_JOBS];
};

static void *
pool_worker(void *arg)
{
	struct pool *pl = arg;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		struct job *j;

		while (!pl->quit && pl->next == pl->tail) {
			pl->idle = 1;
			pthread_cond_wait(&pl->work, &pl->mu);
			pl->idle = 0;
		}
		if (pl->next == pl->tail)
			break;
		j = &pl->jobs[pl->next++ % POOL_JOBS];
		pthread_mutex_unlock(&pl->mu);
		read_pieces(&j->it);
		pthread_mutex_lock(&pl->mu);
		j->done = 1;
		pthread_cond_broadcast(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

static struct pool *
pool_start(void)
{
	struct pool *pl = ms_xcalloc(1, sizeof(*pl));

	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->done, NULL);
	if (pthread_create(&pl->thread, NULL, pool_worker, pl)) {
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->work);
		pthread_cond_destroy(&pl->done);
		free(pl);
		return NULL;	/* read inline then */
	}
	return pl;
}

/* Finish the oldest queued item, helping with the queue while it is not
 * read yet.  emit: hand it over (else it is dropped: the parse stopped). */
static int
pool_finish_one(struct fp *p, int emit_it)
{
	struct pool *pl = p->pool;
	struct job *h = &pl->jobs[pl->head % POOL_JOBS];
	int rc = 0;

	pthread_mutex_lock(&pl->mu);
	if (pl->idle && pl->next < pl->tail)
		pthread_cond_signal(&pl->work);
	while (!h->done) {
		if (pl->next < pl->tail) {
			struct job *j = &pl->jobs[pl->next++ % POOL_JOBS];

			pthread_mutex_unlock(&pl->mu);
			read_pieces(&j->it);
			pthread_mutex_lock(&pl->mu);
			j->done = 1;
		} else {
			pthread_cond_wait(&pl->done, &pl->mu);
		}
	}
	pthread_mutex_unlock(&pl->mu);
	if (emit_it && !p->stop && !p->amp)
		rc = item_finish(p, &h->it);
	item_free(&h->it);
	ms_arena_release(&h->arena);
	h->done = 0;
	pl->head++;
	if (rc)
		p->stop = p->stop ? p->stop : rc;
	return rc;
}

/* Finish what is complete at the head of the queue, without waiting. */
static int
pool_reap(struct fp *p)
{
	struct pool *pl = p->pool;
	int rc = 0, ready;

	for (;;) {
		pthread_mutex_lock(&pl->mu);
		ready = pl->head < pl->tail &&
			pl->jobs[pl->head % POOL_JOBS].done;
		pthread_mutex_unlock(&pl->mu);
		if (!ready || (rc = pool_finish_one(p, 1)))
			return rc;
	}
}

/* Finish every queued item: at the end of a reading, or dropping them
 * when the reading stopped. */
static void
pool_drain(struct fp *p, int emit_it)
{
	while (p->pool && p->pool->head < p->pool->tail)
		pool_finish_one(p, emit_it && !p->stop);
}

static void
pool_stop(struct pool *pl)
{
	if (!pl)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->quit = 1;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
	pthread_join(pl->thread, NULL);
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->work);
	pthread_cond_destroy(&pl->done);
	free(pl);
}

/* One item or entry, expanded into a tree. */
static int
item(struct fp *p, xmlNodePtr node, const char *base)
{
	int streamed = p->o->on_entry != NULL;
	struct job *job = NULL;
	struct item local, *it = &local;
	const xmlNode *c;
	xmlChar *v;
	int rc;

	if (p->pool) {
		/* Make room, then fill the next slot. */
		if (p->pool->tail - p->pool->head == POOL_JOBS &&
		    (rc = pool_finish_one(p, 1)))
			return rc;
		job = &p->pool->jobs[p->pool->tail % POOL_JOBS];
		ms_arena_init(&job->arena);
		it = &job->it;
	}
	memset(it, 0, sizeof(*it));
	it->a = job ? &job->arena : streamed ? &p->scratch : &p->doc->arena;
	it->defer = job != NULL;
	it->count = -1;
	it->published = it->updated = it->created = it->dcdate = MS_TIME_NONE;
	if ((v = xmlGetNsProp(node, BAD_CAST "about", BAD_CAST RDF_NS))) {
		it->about = uri(it->a, base, ms_arena_strdup(it->a, (char *)v));
		xmlFree(v);
	}
	if ((v = xmlGetNsProp(node, BAD_CAST "lang", XML_XML_NAMESPACE))) {
		it->language = ms_arena_strdup(it->a, (char *)v);
		xmlFree(v);
	}
	for (c = node->children; c; c = c->next) {
		enum field f;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		f = field_of(p, c);
		if (f == F_NONE)
			continue;
		item_field(p, it, c, node_base(it->a, c, base), f);
	}

	/* guid: the id, and the link when it is a permalink and there is no
	 * other link (feedparser's guidislink). */
	if (!it->id)
		it->id = it->guid && it->guid_link ? uri(it->a, base, it->guid)
		       : it->guid			    ? it->guid
							    : it->about;
	if (!it->link && it->guid && it->guid_link && has_scheme(it->guid) &&
	    ms_url_is_http(it->guid))
		it->link = it->guid;
	it->is_comment = it->thr_ref || it->thr_href ||
			 (!p->atom &&
			  (p->comment_feed ||
			   (it->link && strstr(it->link, "#comment-"))));
	/* What the feed says now, not when the item is finished. */
	it->feed_author = p->doc->author;
	it->feed_link = p->doc->link;

	if (job) {
		struct pool *pl = p->pool;

		pthread_mutex_lock(&pl->mu);
		pl->tail++;
		/* Wake the worker for a batch, not for every item. */
		if (pl->idle && pl->tail - pl->next >= 8)
			pthread_cond_signal(&pl->work);
		pthread_mutex_unlock(&pl->mu);
		return pool_reap(p);
	}
	read_pieces(it);
	rc = item_finish(p, it);
	item_free(it);
	if (streamed)
		ms_arena_release(&p->scratch);
	return rc;
}

/* ------------------------------------------------------- the feed itself */

static void
feed_field(struct fp *p, const xmlNode *n, const char *base, enum field f)
{
	struct ms_doc *doc = p->doc;
	struct ms_arena *a = &doc->arena;
	struct ms_author au;
	const char *s;

	switch (f) {
	case F_TITLE:
		if (!doc->title) {
			doc->title = title_of(p, a, n, base);
			for (size_t i = 0; doc->title &&
					   i < NELEM(comment_feed_titles); i++)
				if (!strncmp(doc->title, comment_feed_titles[i],
					     strlen(comment_feed_titles[i])))
					p->comment_feed = 1;
		}
		break;
	case F_LINK: {
		struct item dummy;

		memset(&dummy, 0, sizeof(dummy));
		dummy.a = a;
		if (!link_elem(&dummy, n, base, &doc->link, &p->link_rank)) {
			s = text_uri(a, n, base);
			if (s && p->link_rank < 3) {
				doc->link = s;
				p->link_rank = 3;
			}
		}
		break;
	}
	case F_LANGUAGE:
		if (!doc->language)
			doc->language = node_text(a, n);
		break;
	case F_AUTHOR:
	case F_EDITOR:
	case F_CREATOR:
		if (!person_empty(&doc->author))
			break;
		if (f == F_AUTHOR)
			person(a, n, base, &au);
		else
			split_person(a, node_text(a, n), &au);
		doc->author = au;
		break;
	default:
		break;
	}
}

/* The root element: which family and version (feedparser's names). */
static void
root(struct fp *p, xmlNodePtr n)
{
	struct ms_doc *doc = p->doc;
	const char *name = (const char *)n->name;
	const char *nsuri = n->ns ? (const char *)n->ns->href : NULL;
	char *ver = attr(n, "version");
	xmlChar *lang;

	if (!strcasecmp(name, "rss")) {
		doc->kind = MS_DOC_RSS;
		if (!doc->version) {
			static const char *const map[][2] = {
				{ "0.91", "rss091u" }, { "0.92", "rss092" },
				{ "0.93", "rss093" },  { "0.94", "rss094" },
				{ "0.90", "rss090" },
			};

			doc->version = "rss";
			for (size_t i = 0; ver && i < NELEM(map); i++)
				if (!strcmp(ver, map[i][0]))
					doc->version = map[i][1];
			if (ver && !strncmp(ver, "2.", 2))
				doc->version = "rss20";
		}
	} else if (!strcmp(name, "RDF")) {
		doc->kind = MS_DOC_RDF;
		/* The version comes from the RSS namespace in scope. */
		/* In recovery an undeclared prefix gets a namespace with no
		 * URI (libxml2's SAX2): skip those. */
		for (xmlNsPtr d = n->nsDef; d; d = d->next) {
			if (!d->href)
				continue;
			if (!strcasecmp((char *)d->href, RSS10_NS))
				doc->version = "rss10";
			else if (!strcasecmp((char *)d->href, RSS090_NS) &&
				 !doc->version)
				doc->version = "rss090";
		}
	} else if (!strcasecmp(name, "feed")) {
		doc->kind = MS_DOC_ATOM;
		p->atom = 1;
		if (nsuri && !strcasecmp(nsuri, ATOM10_NS))
			doc->version = "atom10";
		else if (ver && !strcmp(ver, "0.3"))
			doc->version = "atom03";
		else if (ver && !strcmp(ver, "0.2"))
			doc->version = "atom02";
		else if (ver && !strcmp(ver, "0.1"))
			doc->version = "atom01";
		else
			doc->version = "atom";
	}
	xmlFree(ver);
	if ((lang = xmlGetNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE))) {
		p->xmllang = ms_arena_strdup(&doc->arena, (char *)lang);
		xmlFree(lang);
	}
}

/* ------------------------------------------------------------ the parser */

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct fp *p = ((xmlParserCtxtPtr)ctx)->_private;
	size_t n;

	if (e->level < XML_ERR_ERROR)
		return;
	/* An '&' that starts no entity: libxml2's recovery drops it and the
	 * name after it ("?a=1&b=2" becomes "?a=1=2").  Stop; the document
	 * is read again with such ampersands escaped. */
	if ((e->code == XML_ERR_ENTITYREF_SEMICOL_MISSING ||
	     e->code == XML_ERR_NAME_REQUIRED) && !p->repaired && !p->amp) {
		p->amp = 1;
		xmlStopParser(ctx);
	}
	if ((e->code == XML_ERR_INTERNAL_ERROR && e->message &&
	     strstr(e->message, "depth")) ||
	    e->code == XML_ERR_ENTITY_LOOP || e->code == XML_ERR_NO_MEMORY) {
		if (!p->hard)
			snprintf(p->hard_msg, sizeof(p->hard_msg), "%s",
				 e->code == XML_ERR_INTERNAL_ERROR
					 ? "document nested more than 256 "
					   "elements deep"
					 : e->code == XML_ERR_ENTITY_LOOP
					 ? "entity reference loop"
					 : "out of memory");
		p->hard = 1;
	}
	if (!p->nerrors++) {
		snprintf(p->first, sizeof(p->first), "line %d: %s", e->line,
			 e->message ? e->message : "error");
		n = strlen(p->first);
		while (n && isspace((unsigned char)p->first[n - 1]))
			p->first[--n] = '\0';
	}
}

static const char *
cur_base(const struct fp *p)
{
	return p->nbases ? p->bases[p->nbases - 1].base : p->o->url;
}

/*
 * libxml2's recovery drops every entity reference once the document has
 * had an error, &amp; included ("AT&amp;T" reads "ATT").  We count errors
 * ourselves, so after each one the parser is told the document is still
 * well-formed, and references keep their meaning.
 */
static void
keep_references(xmlParserCtxtPtr ctxt)
{
	struct fp *p = ctxt->_private;

	if (p->nerrors)
		ctxt->wellFormed = 1;
}

static void
on_chars(void *ctx, const xmlChar *ch, int len)
{
	keep_references(ctx);
	xmlSAX2Characters(ctx, ch, len);
}

/*
 * An entity the document does not declare.  HTML ones (&nbsp; &eacute;)
 * are what the author meant, as feedparser's loose parser reads them: they
 * are declared into the document on first use, and still counted as the
 * error they are in XML.
 */
static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct fp *p = ctxt->_private;
	xmlEntityPtr e = xmlSAX2GetEntity(ctx, name);
	const htmlEntityDesc *h;
	xmlChar utf8[8];
	int n;

	keep_references(ctxt);
	if (e || ctxt->inSubset || !ctxt->myDoc ||
	    !(h = htmlEntityLookup(name)))
		return e;
	n = xmlCopyCharMultiByte(utf8, (int)h->value);
	if (n <= 0)
		return NULL;
	utf8[n] = '\0';
	if (!ctxt->myDoc->intSubset &&
	    !xmlCreateIntSubset(ctxt->myDoc, BAD_CAST "feed", NULL, NULL))
		return NULL;
	if (!p->nerrors++)
		snprintf(p->first, sizeof(p->first), "line %d: Entity '%s' "
			 "not defined", ctxt->input ? ctxt->input->line : 0,
			 (const char *)name);
	return xmlAddDocEntity(ctxt->myDoc, name, XML_INTERNAL_GENERAL_ENTITY,
			       NULL, NULL, utf8);
}

/* The DOCTYPE: feedparser reads a Netscape one as RSS 0.91n. */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
	   const xmlChar *sid)
{
	struct fp *p = ((xmlParserCtxtPtr)ctx)->_private;

	if (eid && strcasestr((const char *)eid, "netscape"))
		p->netscape = 1;
	xmlSAX2InternalSubset(ctx, name, eid, sid);
}

/*
 * How deep n sits: 0 for the root element, 3 for anything below the
 * levels we watch.  Counted on the tree, not on the events: in recovery
 * libxml2 2.9 drops an element whose start tag has no '>' after reporting
 * its start, and never reports its end ("Couldn't find end of Start
 * Tag"), so a count of events drifts from the nodes it names.
 */
static int
node_depth(const xmlNode *n)
{
	int d = -1;

	for (; n && n->type == XML_ELEMENT_NODE && d < 3; n = n->parent)
		d++;
	return d;
}

/*
 * Elements are built into a tree by libxml2's own SAX2 handlers; we watch
 * the top levels: the root and the channel are entered, and each of their
 * other children (an item, a channel field) is read when it ends and then
 * freed, so the tree never holds more than one item.
 */
static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	 const xmlChar *uri, int nns, const xmlChar **nss, int nattr,
	 int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct fp *p = ctxt->_private;
	xmlNodePtr n;
	const char *base;
	int depth;

	keep_references(ctxt);
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nns, nss, nattr,
			      ndef, attrs);
	n = ctxt->node;
	depth = node_depth(n);
	if (!n || depth > 2 || (depth == 2 && n->parent != p->channel) ||
	    p->stop)
		return;
	while (p->nbases && p->bases[p->nbases - 1].depth >= depth)
		p->nbases--;
	base = node_base(&p->doc->arena, n, cur_base(p));
	if (base != cur_base(p)) {
		MS_GROW(p->bases, p->nbases + 1, p->bcap);
		p->bases[p->nbases].depth = depth;
		p->bases[p->nbases].base = base;
		p->nbases++;
	}
	if (depth == 0) {
		root(p, n);
		if (p->netscape && p->doc->kind == MS_DOC_RSS)
			p->doc->version = "rss091n";
	} else if (depth == 1 && !p->channel && field_of(p, n) == F_CHANNEL) {
		p->open = NULL;
		xmlChar *lang = xmlGetNsProp(n, BAD_CAST "lang",
					     XML_XML_NAMESPACE);

		p->channel = n;
		if (lang && !p->xmllang)
			p->xmllang = ms_arena_strdup(&p->doc->arena,
						     (char *)lang);
		xmlFree(lang);
		if (!p->doc->version && n->ns && n->ns->href &&
		    !strcasecmp((char *)n->ns->href, RSS10_NS))
			p->doc->version = "rss10";
	} else if (depth > 0) {
		p->open = n;
	}
}

/* Free what a container holds: everything in it has been read.  The
 * channel may be among it (RSS 1.0 items follow it): forget it then, or a
 * new node at the same address would be taken for it. */
static void
drop_children(struct fp *p, xmlNodePtr parent)
{
	xmlNodePtr c, next;

	for (c = parent->children; c; c = next) {
		next = c->next;
		if (c == p->channel)
			p->channel = NULL;
		/* Nor may the element being built stay pointed at. */
		for (xmlNodePtr a = p->open; a; a = a->parent)
			if (a == c) {
				p->open = NULL;
				break;
			}
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

/* A child of the root or the channel is complete: read it. */
static int
read_top(struct fp *p, xmlNodePtr n)
{
	/* The element's own base, if it pushed one, is on top. */
	const char *base = cur_base(p);
	enum field f;

	if (p->doc->kind == MS_DOC_UNKNOWN || p->stop || p->amp)
		return 0;
	f = field_of(p, n);
	if (f == F_ITEM)
		return item(p, n, base);
	if (f != F_NONE && f != F_CHANNEL)
		feed_field(p, n, base, f);
	return 0;
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
       const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct fp *p = ctxt->_private;
	xmlNodePtr n = ctxt->node, parent;
	int depth = node_depth(n);

	keep_references(ctxt);
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
	if (!n || depth < 1 || depth > 2 || !(parent = n->parent))
		return;
	if (n == p->channel) {
		drop_children(p, n);
		return;
	}
	if (depth == 2 && parent != p->channel)
		return;
	p->open = NULL;
	if (read_top(p, n))
		xmlStopParser(ctxt);
	drop_children(p, parent);
}

/*
 * One pass in recover mode, pushing the document in large chunks.  Errors
 * are counted as they come: a well-formed document never takes the
 * recovery paths, so this is the strict parse and, for a broken document,
 * the recovering one, without reading anything twice.
 *
 * Chunks are large on purpose: libxml2 2.9.14 hands over at most 300 bytes
 * of an unfinished CDATA section per push and rescans what it holds, so
 * xmlTextReader's 512-byte pushes make a multi-megabyte CDATA section
 * quadratic; with CHUNK-sized pushes the rescans are few.  (The pull
 * parser has no such trap but reads CDATA one character at a time.)
 */
static int
sax_parse(struct fp *p, const char *data, size_t len, int report)
{
	xmlParserCtxtPtr ctxt;
	size_t off = 0;

	ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, p->o->url);
	if (!ctxt)
		return -1;
	xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
					XML_PARSE_IGNORE_ENC |
					XML_PARSE_NOCDATA);
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	ctxt->_private = p;
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->characters = on_chars;
	ctxt->sax->getEntity = on_get_entity;
	ctxt->sax->serror = on_error;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->sax->fatalError = NULL;
	do {
		size_t n = len - off < CHUNK ? len - off : CHUNK;

		if (xmlParseChunk(ctxt, data + off, (int)n, off + n == len) &&
		    ctxt->instate == XML_PARSER_EOF)
			break;	/* halted: depth, entity loop, stopped */
		off += n;
		/* The parser has copied what it was given. */
		if (report && p->o->on_consumed && off < len)
			p->o->on_consumed(p->o->on_consumed_arg, off);
	} while (off < len && !p->hard && !p->stop && !p->amp);
	/* A document cut off inside an item: recovery never closes it, but
	 * what arrived of it is worth reading. */
	if (p->open && !p->hard && !p->amp)
		read_top(p, p->open);
	p->open = NULL;
	/* Queued items: handed over in order, or dropped if this reading
	 * failed or stops for the repaired one. */
	if (p->pool)
		pool_drain(p, !p->hard && !p->amp);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	return 0;
}

/* -------------------------------------------------------------- threads */

struct key {
	const char *k;
	size_t i;
};

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct key *)a)->k, ((const struct key *)b)->k);
}

static const struct key *
key_find(const struct key *keys, size_t n, const char *k)
{
	struct key want = { k, 0 };

	return k ? bsearch(&want, keys, n, sizeof(*keys), key_cmp) : NULL;
}

/* Tie replies to the comments they answer, where the feed says so. */
static void
thread(struct fp *p)
{
	struct key *keys;
	size_t nk = 0, i;

	if (!p->ncomments)
		return;
	keys = ms_xreallocarray(NULL, p->ncomments * 3, sizeof(*keys));
	for (i = 0; i < p->ncomments; i++) {
		const char *k[3] = { p->comments[i].id, p->cmeta[i].alt,
				     p->cmeta[i].self };

		for (int j = 0; j < 3; j++)
			if (k[j])
				keys[nk++] = (struct key){ k[j], i };
	}
	qsort(keys, nk, sizeof(*keys), key_cmp);
	for (i = 0; i < p->ncomments; i++) {
		struct ms_comment *c = &p->comments[i];
		const struct cmeta *m = &p->cmeta[i];
		const char *cand[3] = { m->parent, m->thr_ref, m->thr_href };
		const struct key *k;

		for (int j = 0; j < 3; j++) {
			k = key_find(keys, nk, cand[j]);
			if (!k || k->i == i)
				continue;
			c->in_reply_to = p->comments[k->i].id;
			/* Answering a comment: the post is the parent's. */
			if (j > 0 && p->comments[k->i].entry_link)
				c->entry_link = p->comments[k->i].entry_link;
			break;
		}
		if (!c->in_reply_to && m->parent)
			c->in_reply_to = m->parent;
	}
	free(keys);
}

/* ------------------------------------------------------------------ api */

static void
finish(struct fp *p)
{
	struct ms_doc *doc = p->doc;

	if (!doc->language && p->xmllang)
		doc->language = p->xmllang;
	thread(p);
	if (p->nentries) {
		doc->entries = ms_arena_alloc(&doc->arena,
					      p->nentries *
						      sizeof(*doc->entries));
		memcpy(doc->entries, p->entries,
		       p->nentries * sizeof(*doc->entries));
	}
	doc->nentries = p->nentries;
	if (p->ncomments) {
		doc->comments = ms_arena_alloc(&doc->arena,
					       p->ncomments *
						       sizeof(*doc->comments));
		memcpy(doc->comments, p->comments,
		       p->ncomments * sizeof(*doc->comments));
	}
	doc->ncomments = p->ncomments;
}

/* Back to an empty document for the second reading; the first error and
 * the count of entries already handed over stay. */
static void
reset(struct fp *p)
{
	struct ms_doc *doc = p->doc;

	doc->kind = MS_DOC_UNKNOWN;
	doc->version = NULL;
	doc->title = doc->link = doc->language = NULL;
	memset(&doc->author, 0, sizeof(doc->author));
	p->nentries = p->ncomments = 0;
	p->nbases = 0;
	p->xmllang = NULL;
	p->link_rank = 0;
	p->comment_feed = 0;
	p->atom = 0;
	p->netscape = 0;
	p->channel = p->open = NULL;
	p->produced = 0;
	p->amp = 0;
}

/* Is there an entity or character reference at s ("&amp;", "&#38;",
 * "&#x26;", "&nbsp;")?  Else the '&' is a bare one. */
static int
is_reference(const char *s, const char *end)
{
	const char *p = s + 1;

	if (p < end && *p == '#') {
		int hex = ++p < end && (*p == 'x' || *p == 'X');

		p += hex;
		const char *d = p;

		while (p < end && (hex ? isxdigit((unsigned char)*p)
				       : isdigit((unsigned char)*p)))
			p++;
		return p > d && p < end && *p == ';';
	}
	if (p >= end || !(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	while (p < end && p - s < 40 &&
	       (isalnum((unsigned char)*p) || *p == '_' || *p == '-' ||
		*p == '.'))
		p++;
	return p < end && *p == ';';
}

/* A copy with every bare '&' outside CDATA sections and comments written
 * as "&amp;": what the author meant. */
static char *
escape_amps(const char *d, size_t n, size_t *outn)
{
	const char *p = d, *end = d + n;
	size_t alloc = n + n / 8 + 64, len = 0;
	char *out = ms_xmalloc(alloc);

	while (p < end) {
		const char *skip = NULL;

		if (*p == '<' && end - p >= 9 && !memcmp(p, "<![CDATA[", 9))
			skip = memmem(p, (size_t)(end - p), "]]>", 3);
		else if (*p == '<' && end - p >= 4 && !memcmp(p, "<!--", 4))
			skip = memmem(p, (size_t)(end - p), "-->", 3);
		if (skip || (*p == '&' && !is_reference(p, end))) {
			size_t k = skip ? (size_t)(skip + 3 - p) : 5;

			if (len + k + 1 > alloc) {
				alloc = (len + k + 1) * 2;
				out = ms_xrealloc(out, alloc);
			}
			memcpy(out + len, skip ? p : "&amp;", k);
			len += k;
			p += skip ? k : 1;
			continue;
		}
		if (len + 2 > alloc) {
			alloc *= 2;
			out = ms_xrealloc(out, alloc);
		}
		out[len++] = *p++;
	}
	out[len] = '\0';
	*outn = len;
	return out;
}

static void
set_error(struct fp *p, const char *fallback)
{
	struct ms_doc *doc = p->doc;

	doc->recovered = true;
	if (!doc->error)
		doc->error = ms_arena_strdup(&doc->arena,
					     p->nerrors ? p->first : fallback);
}

int
ms_feed_parse(struct ms_doc *doc, const char *data, size_t len,
	      const struct ms_parse_opts *o, struct ms_err *err)
{
	struct fp p;
	int rc = MS_OK;

	if (len > INT32_MAX)
		return ms_err_set(err, MS_ETOOBIG, "document too large for "
				  "the XML parser (%zu bytes)", len);
	memset(&p, 0, sizeof(p));
	p.doc = doc;
	p.o = o;
	ms_arena_init(&p.scratch);
	if (o->on_entry && len >= POOL_MIN)
		p.pool = pool_start();
	if (sax_parse(&p, data, len, 1)) {
		rc = ms_err_set(err, MS_EPARSE, "cannot start the XML parser");
		goto out;
	}
	if (p.amp && !p.hard && !p.stop) {
		size_t rlen;
		char *fixed = escape_amps(data, len, &rlen);

		reset(&p);
		p.repaired = 1;
		rc = sax_parse(&p, fixed, rlen, 0);
		free(fixed);
		if (rc) {
			rc = ms_err_set(err, MS_EPARSE, "cannot start the XML "
					"parser");
			goto out;
		}
	}
	if (p.hard) {
		rc = ms_err_set(err, MS_EPARSE, "%s (%s)", p.hard_msg, p.first);
		goto out;
	}
	if (p.stop) {
		rc = ms_err_set(err, p.stop, "stopped while handing over "
				"entries");
		goto out;
	}
	if (p.nerrors)
		set_error(&p, "not well-formed");
	/* A well-formed document that is not a feed is not "recovered": it
	 * was read cleanly, it just yields nothing (kind unknown). */
	finish(&p);
out:
	pool_stop(p.pool);
	ms_arena_release(&p.scratch);
	free(p.entries);
	free(p.comments);
	free(p.cmeta);
	free(p.bases);
	return rc;
}
