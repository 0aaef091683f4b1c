/*
 * html.c — what one HTML page of a blog tells: the feeds it advertises
 * (autodiscovery), its title, canonical link and language, the post it
 * shows and the comment thread under it, whether comments are open, and
 * the profile links of the site's owner.
 *
 * The markup read is that of the common engines:
 *   WordPress  article.hentry (.entry-title, time.published, .author.vcard,
 *              .entry-content, rel=bookmark, rel=tag); comments in
 *              ol.commentlist / ol.comment-list as li.comment#comment-N with
 *              .comment-author .fn (a link = the author's site), a
 *              time[datetime] in .comment-metadata, .comment-content,
 *              replies in a nested ol.children, .bypostauthor on the post
 *              author's; form#commentform when open, p.nocomments /
 *              p.no-comments "Comments are closed." when not; block themes'
 *              .wp-block-post-* classes.
 *   Blogger    div.post.hentry (.post-title, abbr/time.published,
 *              .post-author .fn, .post-body); comments in div.comment-thread
 *              as li.comment#cN with .comment-block, cite.user (a link = the
 *              Blogger profile), .datetime (its link's showComment= is the
 *              time in milliseconds), .comment-content, replies in
 *              .comment-replies, .blog-author on the author's; .comment-form
 *              or the comment editor iframe when open.
 *   mf2/mf1    h-entry / hentry with p-name, u-url, u-uid, dt-published,
 *              p-author h-card (p-name, u-url; implied from an <a>),
 *              p-category, e-content; comments as p-comment h-cite or
 *              h-entry, nested comments as replies, u-in-reply-to.
 * A page with one post and its comment section is a single-post page: one
 * entry, and the comments point to it (entry_link).  A page with several
 * posts (a home page) gives one entry per post and no comments_open.
 *
 * Comment ids are the post's link with the comment's fragment
 * ("https://blog/post/#comment-12"), which is also what WordPress uses as
 * the guid of the comment in its comment feed, so a comment read from the
 * page and from the feed is one record; an explicit u-url wins.
 *
 * The page is parsed with libxml2's HTML parser, in memory, without network
 * access (RELIABILITY.md §3.3); libxml2 limits the tree depth to 256.  The
 * bytes are decoded with doc->encoding when the caller detected one (BOM,
 * HTTP charset); otherwise libxml2 decides (<meta charset>, else UTF-8
 * falling back to Latin-1) and doc->encoding is set to what it found.
 * Every walk here is iterative and every list capped, so hostile markup
 * costs time in proportion to its size and never the stack.
 */
#include "analyzer/internal.h"
#include "store/store.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/tree.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Caps: far above any real page, low enough to bound a hostile one. */
#define MAX_ENTRIES 500
#define MAX_COMMENTS 5000
#define MAX_FEEDS 32
#define MAX_ENTRY_LINKS 500
#define MAX_CATEGORIES 64
#define MAX_PAGE_LINKS 5000	/* page-level hrefs looked at for profiles */
#define MAX_PROFILES 64
#define MAX_HREF 4096
#define MAX_CLASS 4096		/* longer class attributes are ignored */
#define MAX_TOKEN 64
#define ENTRY_TEXT_CAP (32 * 1024)
#define COMMENT_TEXT_CAP (8 * 1024)
#define SHORT_TEXT_CAP 512	/* names, titles */

/* ------------------------------------------------------- class tokens */

/* The class tokens the readers test; one bit each. */
enum cls {
	C_AUTHOR, C_BLOG_AUTHOR, C_BYPOSTAUTHOR, C_COMMENT, C_COMMENT_AUTHOR,
	C_COMMENT_BODY, C_COMMENT_CONTENT, C_COMMENT_FORM, C_COMMENT_META,
	C_COMMENT_METADATA, C_COMMENTMETADATA, C_COMMENTS_CLOSED, C_DATETIME,
	C_DT_PUBLISHED, C_DT_UPDATED, C_E_CONTENT, C_ENTRY_CONTENT,
	C_ENTRY_SUMMARY, C_ENTRY_TITLE, C_FN, C_H_CARD, C_H_CITE, C_H_ENTRY,
	C_HENTRY, C_NO_COMMENTS, C_NOCOMMENTS, C_P_AUTHOR, C_P_CATEGORY,
	C_P_COMMENT, C_P_CONTENT, C_P_NAME, C_P_SUMMARY, C_POST_AUTHOR,
	C_POST_BODY, C_POST_TITLE, C_PUBLISHED, C_U_COMMENT, C_U_IN_REPLY_TO,
	C_U_UID, C_U_URL, C_UPDATED, C_URL, C_USER, C_VCARD,
	C_WP_POST_AUTHOR, C_WP_POST_CONTENT, C_WP_POST_DATE, C_WP_POST_TITLE,
	NCLS
};

/* Any order: sorted once at start for bsearch. */
static const struct cls_name {
	const char *name;
	enum cls bit;
} cls_table[] = {
	{ "author", C_AUTHOR }, { "blog-author", C_BLOG_AUTHOR },
	{ "bypostauthor", C_BYPOSTAUTHOR }, { "comment", C_COMMENT },
	{ "comment-author", C_COMMENT_AUTHOR },
	{ "comment-body", C_COMMENT_BODY },
	{ "comment-content", C_COMMENT_CONTENT },
	{ "comment-form", C_COMMENT_FORM }, { "comment-meta", C_COMMENT_META },
	{ "comment-metadata", C_COMMENT_METADATA },
	{ "commentmetadata", C_COMMENTMETADATA },
	{ "comments-closed", C_COMMENTS_CLOSED }, { "datetime", C_DATETIME },
	{ "dt-published", C_DT_PUBLISHED }, { "dt-updated", C_DT_UPDATED },
	{ "e-content", C_E_CONTENT }, { "entry-content", C_ENTRY_CONTENT },
	{ "entry-summary", C_ENTRY_SUMMARY }, { "entry-title", C_ENTRY_TITLE },
	{ "fn", C_FN }, { "h-card", C_H_CARD }, { "h-cite", C_H_CITE },
	{ "h-entry", C_H_ENTRY }, { "hentry", C_HENTRY },
	{ "no-comments", C_NO_COMMENTS }, { "nocomments", C_NOCOMMENTS },
	{ "p-author", C_P_AUTHOR }, { "p-category", C_P_CATEGORY },
	{ "p-comment", C_P_COMMENT }, { "p-content", C_P_CONTENT },
	{ "p-name", C_P_NAME }, { "p-summary", C_P_SUMMARY },
	{ "post-author", C_POST_AUTHOR }, { "post-body", C_POST_BODY },
	{ "post-title", C_POST_TITLE }, { "published", C_PUBLISHED },
	{ "u-comment", C_U_COMMENT }, { "u-in-reply-to", C_U_IN_REPLY_TO },
	{ "u-uid", C_U_UID }, { "u-url", C_U_URL }, { "updated", C_UPDATED },
	{ "url", C_URL }, { "user", C_USER }, { "vcard", C_VCARD },
	{ "wp-block-post-author-name", C_WP_POST_AUTHOR },
	{ "wp-block-post-content", C_WP_POST_CONTENT },
	{ "wp-block-post-date", C_WP_POST_DATE },
	{ "wp-block-post-title", C_WP_POST_TITLE },
};

#define NCLS_TABLE (sizeof(cls_table) / sizeof(*cls_table))
#define B(c) ((uint64_t)1 << (c))

/* Microformat roots: properties inside belong to them, not to us. */
#define M_ROOT (B(C_H_ENTRY) | B(C_HENTRY) | B(C_H_CITE) | B(C_H_CARD) | \
		B(C_VCARD))
#define M_CONTENT (B(C_E_CONTENT) | B(C_ENTRY_CONTENT) | B(C_POST_BODY) | \
		   B(C_WP_POST_CONTENT))
#define M_SUMMARY (B(C_P_SUMMARY) | B(C_ENTRY_SUMMARY))
#define M_CLOSED (B(C_COMMENTS_CLOSED) | B(C_NOCOMMENTS) | \
		  B(C_NO_COMMENTS))

static struct cls_name cls_sorted[NCLS_TABLE];
static pthread_once_t cls_once = PTHREAD_ONCE_INIT;

static int
cls_sort_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cls_name *)a)->name,
		      ((const struct cls_name *)b)->name);
}

static void
cls_init(void)
{
	memcpy(cls_sorted, cls_table, sizeof(cls_table));
	qsort(cls_sorted, NCLS_TABLE, sizeof(*cls_sorted), cls_sort_cmp);
}

struct token {
	const char *s;
	size_t n;
};

/* Class names match ASCII-case-insensitively (quirks mode does so). */
static int
cls_find_cmp(const void *k, const void *e)
{
	const struct token *t = k;
	const char *name = ((const struct cls_name *)e)->name;
	int c = strncasecmp(t->s, name, t->n);

	if (c)
		return c;
	return name[t->n] ? -1 : 0;
}

/* Per element: the class bits, and what the first pass found it to be. */
enum {
	F_COMMENT = 1 << 0,	/* a comment of the thread */
	F_ENTRY = 1 << 1,	/* a top-level post */
	F_CONTENT = 1 << 2,	/* a post's content */
};

struct mark {
	uint64_t cls;
	unsigned flags;
};

static const struct mark no_mark;

static const struct mark *
mark_of(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && n->_private ? n->_private :
							    &no_mark;
}

#define HAS(n, mask) ((mark_of(n)->cls & (mask)) != 0)

/* -------------------------------------------------------- the page */

struct cand_entry {
	xmlNode *node;
	xmlNode *content;	/* e-content, else p-summary */
	struct ms_entry *e;
};

struct cand_comment {
	xmlNode *node;
	int parent;	/* index of the enclosing comment, -1 */
	int entry;	/* index of the enclosing entry, -1 */
	struct ms_comment *c;
};

struct page {
	struct ms_doc *doc;
	struct ms_arena tmp;	/* marks and scratch; freed after the parse */
	const char *url;	/* where the page came from */
	const char *base;	/* what relative references resolve against */
	xmlNode *html, *body, *title, *hcard, *loose_content;
	const char *base_href, *canonical, *og_url, *og_title;
	const char *meta_author, *meta_published;
	struct cand_entry *entries;
	size_t nentries, entries_cap;
	struct cand_comment *comments;
	size_t ncomments, comments_cap;
	xmlNode **feeds;
	size_t nfeeds, feeds_cap;
	xmlNode **plinks;	/* page-level links: profile candidates */
	size_t nplinks, plinks_cap;
	bool form;		/* a way to comment: form, editor, endpoint */
	bool closed;		/* "comments are closed" */
	/* first pass state */
	int cur_entry, cur_comment;
	xmlNode *cur_content;
	/* scratch for text */
	char *scratch;
};

/* ------------------------------------------------------ small helpers */

static bool
is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       !strcmp((const char *)n->name, name);
}

/* An attribute's value, NULL when absent.  libxml2's HTML parser keeps a
 * value as one text node; anything else is treated as absent. */
static const char *
attr(const xmlNode *n, const char *name)
{
	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (!a->name || strcasecmp((const char *)a->name, name))
			continue;
		if (!a->children)
			return "";
		if (a->children->type == XML_TEXT_NODE && !a->children->next)
			return (const char *)a->children->content;
		return NULL;
	}
	return NULL;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Whether a space-separated attribute (rel) holds tok. */
static bool
has_token(const char *list, const char *tok)
{
	size_t tl = strlen(tok);

	if (!list)
		return false;
	for (const char *p = list; *p;) {
		const char *s;

		while (*p && is_space((unsigned char)*p))
			p++;
		s = p;
		while (*p && !is_space((unsigned char)*p))
			p++;
		if ((size_t)(p - s) == tl && !strncasecmp(s, tok, tl))
			return true;
	}
	return false;
}

static bool
rel_has(const xmlNode *n, const char *tok)
{
	return has_token(attr(n, "rel"), tok);
}

/* Copy s without surrounding blanks into a, NULL when nothing is left. */
static const char *
trimmed(struct ms_arena *a, const char *s, size_t max)
{
	size_t n;

	if (!s)
		return NULL;
	while (is_space((unsigned char)*s))
		s++;
	n = strnlen(s, max + 1);
	if (n > max)
		return NULL;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	return n ? ms_arena_strndup(a, s, n) : NULL;
}

/* An href made absolute (http or https only), in the document's arena. */
static const char *
resolve(struct page *pg, const char *href)
{
	const char *ref = trimmed(&pg->tmp, href, MAX_HREF);
	const char *out = NULL;
	char *abs = NULL;

	if (!ref)
		return NULL;
	if (ms_url_resolve(pg->base, ref, &abs, NULL) == MS_OK &&
	    ms_url_is_http(abs))
		out = ms_arena_strdup(&pg->doc->arena, abs);
	free(abs);
	return out;
}

/* The URL an element carries, by element (mf2's u-* parsing rules). */
static const char *
url_of(struct page *pg, const xmlNode *n)
{
	const char *v = NULL;

	if (is_el(n, "a") || is_el(n, "area") || is_el(n, "link"))
		v = attr(n, "href");
	else if (is_el(n, "img") || is_el(n, "audio") || is_el(n, "video") ||
		 is_el(n, "source"))
		v = attr(n, "src");
	else if (is_el(n, "object"))
		v = attr(n, "data");
	if (!v)
		v = attr(n, "value");
	return v ? resolve(pg, v) : NULL;
}

/* Strip a fragment: the post a comment URL belongs to. */
static const char *
without_fragment(struct ms_arena *a, const char *url)
{
	const char *h = url ? strchr(url, '#') : NULL;

	return h ? ms_arena_strndup(a, url, (size_t)(h - url)) : url;
}

/* Two URLs naming the same page: scheme, case of the host, a trailing
 * slash and the fragment do not matter. */
static bool
same_url(const char *a, const char *b)
{
	size_t na, nb;

	if (!a || !b)
		return false;
	a += !strncasecmp(a, "https://", 8) ? 8 :
	     !strncasecmp(a, "http://", 7) ? 7 : 0;
	b += !strncasecmp(b, "https://", 8) ? 8 :
	     !strncasecmp(b, "http://", 7) ? 7 : 0;
	na = strcspn(a, "#");
	nb = strcspn(b, "#");
	while (na && a[na - 1] == '/')
		na--;
	while (nb && b[nb - 1] == '/')
		nb--;
	return na == nb && !strncasecmp(a, b, na);
}

static void
push_str(struct ms_arena *a, const char ***v, size_t *n, size_t *cap,
	 const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	ms_strv_push(a, v, n, cap, s);
}

/* ------------------------------------------------------------ walking */

/* Elements whose content is not page text. */
static bool
opaque(const xmlNode *n)
{
	return is_el(n, "script") || is_el(n, "style") ||
	       is_el(n, "template") || is_el(n, "noscript") ||
	       is_el(n, "svg") || is_el(n, "math");
}

enum {
	STOP_COMMENTS = 1 << 0,	/* do not enter nested comments */
	STOP_ROOTS = 1 << 1,	/* nor nested microformat roots */
};

static bool
enter(const xmlNode *scope, const xmlNode *n, unsigned stop,
      const xmlNode *skip)
{
	const struct mark *m;

	if (n == scope)
		return true;
	if (n->type != XML_ELEMENT_NODE || opaque(n) || n == skip)
		return false;
	m = mark_of(n);
	if ((stop & STOP_COMMENTS) && (m->flags & F_COMMENT))
		return false;
	if ((stop & STOP_ROOTS) && (m->cls & M_ROOT))
		return false;
	return true;
}

/* The next node after n in document order within scope; children are
 * skipped when descend is false.  No recursion: depth costs nothing. */
static xmlNode *
scope_next(const xmlNode *scope, xmlNode *n, bool descend)
{
	if (descend && n->children)
		return n->children;
	for (; n && n != scope; n = n->parent)
		if (n->next)
			return n->next;
	return NULL;
}

/* What find() looks for: any of the class bits (0: any element), an
 * element name, an attribute that must be present, a rel token. */
struct sel {
	uint64_t cls;
	const char *el;
	const char *attr;
	const char *rel;
};

static bool
matches(const xmlNode *n, const struct sel *s)
{
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (s->cls && !HAS(n, s->cls))
		return false;
	if (s->el && !is_el(n, s->el))
		return false;
	if (s->attr && !attr(n, s->attr))
		return false;
	if (s->rel && !rel_has(n, s->rel))
		return false;
	return true;
}

/* The first element of scope (scope included) matching s, not looking
 * inside what stop excludes nor inside skip. */
static xmlNode *
find_from(xmlNode *scope, xmlNode *from, const struct sel *s,
	  unsigned stop, const xmlNode *skip)
{
	for (xmlNode *n = from; n;
	     n = scope_next(scope, n, enter(scope, n, stop, skip)))
		if (matches(n, s) && (n == scope || n != skip))
			return n;
	return NULL;
}

static xmlNode *
find(xmlNode *scope, const struct sel *s, unsigned stop, const xmlNode *skip)
{
	return scope ? find_from(scope, scope, s, stop, skip) : NULL;
}

/* The next match after n (whose subtree is not searched again). */
static xmlNode *
find_next(xmlNode *scope, xmlNode *n, const struct sel *s, unsigned stop,
	  const xmlNode *skip)
{
	xmlNode *from = scope_next(scope, n, false);

	return from ? find_from(scope, from, s, stop, skip) : NULL;
}

#define SEL_CLS(mask) (&(const struct sel){ .cls = (mask) })

/* --------------------------------------------------------------- text */

/* Inline elements: no word break around them; every other element is a
 * block and separates words. */
static const char *const inline_els[] = {
	"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn",
	"em", "font", "i", "img", "ins", "kbd", "label", "mark", "q", "s",
	"samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u",
	"var",
};

static bool
is_inline(const xmlNode *n)
{
	for (size_t i = 0; i < sizeof(inline_els) / sizeof(*inline_els); i++)
		if (is_el(n, inline_els[i]))
			return true;
	return false;
}

struct text {
	char *buf;
	size_t len, cap;
	bool space, full;
};

static void
text_add(struct text *t, const char *s)
{
	for (; *s && !t->full; s++) {
		unsigned char c = (unsigned char)*s;

		if (is_space(c)) {
			t->space = t->len > 0;
			continue;
		}
		if (t->len + 1 + t->space > t->cap) {
			t->full = true;
			break;
		}
		if (t->space)
			t->buf[t->len++] = ' ';
		t->space = false;
		t->buf[t->len++] = (char)c;
	}
}

/* Drop a UTF-8 sequence the cap cut in two. */
static size_t
utf8_whole(const char *s, size_t len)
{
	size_t i = len, need;
	unsigned char c;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80 &&
	       len - i < 3)
		i--;
	if (i == 0)
		return len;
	c = (unsigned char)s[i - 1];
	if (c < 0x80)
		return len;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	return len - (i - 1) >= need ? len : i - 1;
}

/*
 * The text of scope, whitespace collapsed, at most cap bytes cut on a
 * UTF-8 boundary, in the document's arena; NULL when empty.  Nested
 * comments are left out when stop says so.
 */
static const char *
text_of(struct page *pg, xmlNode *scope, size_t cap, unsigned stop)
{
	struct text t = { pg->scratch, 0, cap, false, false };
	xmlNode *n = scope;

	if (!scope)
		return NULL;
	while (n && !t.full) {
		bool in = enter(scope, n, stop, NULL);

		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE)
			text_add(&t, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE && !is_inline(n))
			t.space = t.len > 0;
		if (in && n->children) {
			n = n->children;
			continue;
		}
		/* Leaving n and its ancestors: blocks end a word too. */
		for (; n && n != scope; n = n->parent) {
			if (n->type == XML_ELEMENT_NODE && !is_inline(n))
				t.space = t.len > 0;
			if (n->next)
				break;
		}
		n = n && n != scope ? n->next : NULL;
	}
	if (t.full)
		t.len = utf8_whole(t.buf, t.len);
	while (t.len && t.buf[t.len - 1] == ' ')
		t.len--;
	return t.len ? ms_arena_strndup(&pg->doc->arena, t.buf, t.len) : NULL;
}

static const char *
short_text(struct page *pg, xmlNode *n)
{
	return text_of(pg, n, SHORT_TEXT_CAP, STOP_COMMENTS);
}

/* ------------------------------------------------------ dates, people */

/* A date as mf2 reads it: datetime, then title (abbr), then value, then
 * the text. */
static int64_t
date_of(struct page *pg, xmlNode *n)
{
	const char *v = attr(n, "datetime");

	if (!v)
		v = attr(n, "title");
	if (!v)
		v = attr(n, "value");
	if (!v)
		v = short_text(pg, n);
	return v ? ms_date_parse(v) : MS_TIME_NONE;
}

/*
 * Blogger's comment permalink carries the comment's time:
 * "...post.html?showComment=1275818400000#c123" (milliseconds, UTC).
 */
static int64_t
show_comment_time(const char *href)
{
	const char *p = href ? strstr(href, "showComment=") : NULL;
	int64_t ms = 0;
	int digits = 0;

	if (!p)
		return MS_TIME_NONE;
	for (p += 12; *p >= '0' && *p <= '9' && digits < 16; p++, digits++)
		ms = ms * 10 + (*p - '0');
	return digits >= 10 ? ms / 1000 : MS_TIME_NONE;
}

/*
 * Name and URL of a person element: an h-card / vcard (p-name or fn, u-url
 * or url), or an element holding one, or a plain element whose link gives
 * both (mf2's implied properties).  Taking the link's text rather than
 * the element's skips what themes print around it ("Posted by", screen
 * reader labels).
 */
static void
card_of(struct page *pg, xmlNode *a, struct ms_author *out)
{
	const unsigned st = STOP_COMMENTS | STOP_ROOTS;
	const struct sel link = { .el = "a", .attr = "href" };
	xmlNode *card = a, *fn, *u, *l;

	if (!HAS(a, B(C_H_CARD) | B(C_VCARD))) {
		xmlNode *inner = find(a, SEL_CLS(B(C_H_CARD) | B(C_VCARD)),
				      STOP_COMMENTS, NULL);

		if (inner)
			card = inner;
	}
	fn = find(card, SEL_CLS(B(C_P_NAME) | B(C_FN)), st, NULL);
	u = find(card, SEL_CLS(B(C_U_URL) | B(C_URL)), st, NULL);
	l = find(fn ? fn : card, &link, st, NULL);
	if (fn)
		out->name = short_text(pg, fn);
	else if (is_el(card, "img"))
		out->name = trimmed(&pg->doc->arena, attr(card, "alt"),
				    SHORT_TEXT_CAP);
	else if (l)
		out->name = short_text(pg, l);
	if (!out->name)
		out->name = short_text(pg, card);
	if (u)
		out->uri = url_of(pg, u);
	if (!out->uri && l)
		out->uri = resolve(pg, attr(l, "href"));
}

/* ---------------------------------------------------------- first pass */

static void
mark_classes(struct page *pg, xmlNode *n)
{
	const char *cl = attr(n, "class");
	uint64_t bits = 0;
	struct mark *m;

	if (!cl || strnlen(cl, MAX_CLASS + 1) > MAX_CLASS)
		return;
	for (const char *p = cl; *p;) {
		struct token t;
		const struct cls_name *hit;

		while (*p && is_space((unsigned char)*p))
			p++;
		t.s = p;
		while (*p && !is_space((unsigned char)*p))
			p++;
		t.n = (size_t)(p - t.s);
		if (!t.n || t.n > MAX_TOKEN)
			continue;
		hit = bsearch(&t, cls_sorted, NCLS_TABLE, sizeof(*cls_sorted),
			      cls_find_cmp);
		if (hit)
			bits |= B(hit->bit);
	}
	if (!bits)
		return;
	m = ms_arena_zalloc(&pg->tmp, sizeof(*m));
	m->cls = bits;
	n->_private = m;
}

static bool
feed_type(const char *type)
{
	static const char *const types[] = {
		"application/rss+xml", "application/atom+xml",
		"application/rdf+xml",
	};
	size_t n;

	if (!type)
		return false;
	while (is_space((unsigned char)*type))
		type++;
	n = strcspn(type, "; \t\r\n");
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (n == strlen(types[i]) && !strncasecmp(type, types[i], n))
			return true;
	return false;
}

/* What pages print when comments are closed (WordPress core and themes,
 * in the languages we read). */
static const char *const closed_phrases[] = {
	"comments are closed",
	"commenting is closed",
	"kommentare sind geschlossen",
	"kommentarfunktion ist geschlossen",
	"les commentaires sont fermés",
	"los comentarios están cerrados",
	"reacties zijn gesloten",
};

static bool
says_closed(const char *s)
{
	for (size_t i = 0; i < sizeof(closed_phrases) / sizeof(*closed_phrases);
	     i++)
		if (strcasestr(s, closed_phrases[i]))
			return true;
	return false;
}

/* Links that lead to a comment form elsewhere (Blogger's comment page). */
static bool
comment_page_link(const char *href)
{
	return href && (strstr(href, "blogger.com/comment.g") ||
			strstr(href, "blogger.com/comment/fullpage/"));
}

static bool
is_comment_el(const xmlNode *n)
{
	const struct mark *m = mark_of(n);

	if ((m->cls & (B(C_P_COMMENT) | B(C_U_COMMENT))) &&
	    (m->cls & (B(C_H_CITE) | B(C_H_ENTRY))))
		return true;
	return (m->cls & B(C_COMMENT)) &&
	       (is_el(n, "li") || is_el(n, "div") || is_el(n, "article") ||
		is_el(n, "section"));
}

static void
head_element(struct page *pg, xmlNode *n)
{
	const char *v;

	if (is_el(n, "html")) {
		if (!pg->html)
			pg->html = n;
	} else if (is_el(n, "body")) {
		if (!pg->body)
			pg->body = n;
	} else if (is_el(n, "title")) {
		if (!pg->title)
			pg->title = n;
	} else if (is_el(n, "base")) {
		if (!pg->base_href)
			pg->base_href = attr(n, "href");
	} else if (is_el(n, "link")) {
		if (rel_has(n, "alternate") && feed_type(attr(n, "type")) &&
		    attr(n, "href") && pg->nfeeds < MAX_FEEDS) {
			MS_GROW(pg->feeds, pg->nfeeds + 1, pg->feeds_cap);
			pg->feeds[pg->nfeeds++] = n;
		}
		if (rel_has(n, "canonical") && !pg->canonical)
			pg->canonical = attr(n, "href");
		if (rel_has(n, "webmention"))
			pg->form = true;
	} else if (is_el(n, "meta")) {
		const char *prop = attr(n, "property");
		const char *name = attr(n, "name");

		v = attr(n, "content");
		if (!v)
			return;
		if (prop && !strcasecmp(prop, "og:url") && !pg->og_url)
			pg->og_url = v;
		else if (prop && !strcasecmp(prop, "og:title") && !pg->og_title)
			pg->og_title = v;
		else if (prop && !strcasecmp(prop, "article:published_time") &&
			 !pg->meta_published)
			pg->meta_published = v;
		else if (name && !strcasecmp(name, "author") &&
			 !pg->meta_author)
			pg->meta_author = v;
	}
}

/* Whether n offers a way to comment on this page. */
static bool
comment_form(const xmlNode *n)
{
	const char *v;

	if (HAS(n, B(C_COMMENT_FORM)))
		return true;
	if (is_el(n, "form")) {
		v = attr(n, "id");
		if (v && !strcasecmp(v, "commentform"))
			return true;
		v = attr(n, "action");
		return v && strstr(v, "wp-comments-post");
	}
	if (is_el(n, "textarea")) {
		v = attr(n, "name");
		return v && !strcasecmp(v, "comment");
	}
	v = attr(n, "id");
	return v && (!strcasecmp(v, "comment-editor") ||
		     !strcasecmp(v, "disqus_thread"));
}

static int
pass_enter(struct page *pg, xmlNode *n)
{
	struct mark *m;
	bool outside;

	if (n->type == XML_TEXT_NODE) {
		if (pg->cur_comment < 0 && !pg->cur_content && n->content &&
		    says_closed((const char *)n->content))
			pg->closed = true;
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return n->type == XML_HTML_DOCUMENT_NODE ||
		       n->type == XML_DOCUMENT_NODE;
	mark_classes(pg, n);
	head_element(pg, n);
	if (is_el(n, "script") || is_el(n, "style") || is_el(n, "template"))
		return 0;
	if (comment_form(n))
		pg->form = true;
	outside = pg->cur_comment < 0 && !pg->cur_content;
	if ((is_el(n, "a") || is_el(n, "area") || is_el(n, "link")) &&
	    attr(n, "href")) {
		bool me = rel_has(n, "me");

		if (comment_page_link(attr(n, "href")))
			pg->form = true;
		/* Profile candidates: rel=me anywhere but in comments, and
		 * any link of the page outside posts and comments. */
		if (pg->cur_comment < 0 &&
		    (me || (outside && !is_el(n, "link"))) &&
		    pg->nplinks < MAX_PAGE_LINKS) {
			MS_GROW(pg->plinks, pg->nplinks + 1, pg->plinks_cap);
			pg->plinks[pg->nplinks++] = n;
		}
	}
	m = n->_private;
	if (!m)
		return 1;
	if (outside && (m->cls & M_CLOSED))
		pg->closed = true;
	if (!pg->cur_content && is_comment_el(n) &&
	    pg->ncomments < MAX_COMMENTS) {
		MS_GROW(pg->comments, pg->ncomments + 1, pg->comments_cap);
		pg->comments[pg->ncomments] = (struct cand_comment){
			n, pg->cur_comment, pg->cur_entry, NULL };
		pg->cur_comment = (int)pg->ncomments++;
		m->flags |= F_COMMENT;
		return 1;
	}
	if (pg->cur_comment >= 0)
		return 1;
	if ((m->cls & (B(C_H_ENTRY) | B(C_HENTRY))) && pg->cur_entry < 0 &&
	    !pg->cur_content && pg->nentries < MAX_ENTRIES) {
		MS_GROW(pg->entries, pg->nentries + 1, pg->entries_cap);
		pg->entries[pg->nentries] = (struct cand_entry){ n, NULL,
								 NULL };
		pg->cur_entry = (int)pg->nentries++;
		m->flags |= F_ENTRY;
		return 1;
	}
	if ((m->cls & B(C_H_CARD)) && pg->cur_entry < 0 && !pg->hcard &&
	    !pg->cur_content)
		pg->hcard = n;
	/* A post's content or summary: its links are the post's, not the
	 * page's.  Content wins over a summary seen before it. */
	if ((m->cls & (M_CONTENT | M_SUMMARY)) && !pg->cur_content) {
		xmlNode **slot = pg->cur_entry >= 0 ?
					 &pg->entries[pg->cur_entry].content :
					 &pg->loose_content;

		pg->cur_content = n;
		m->flags |= F_CONTENT;
		if (!*slot || ((m->cls & M_CONTENT) && !HAS(*slot, M_CONTENT)))
			*slot = n;
	}
	return 1;
}

static void
pass_leave(struct page *pg, xmlNode *n)
{
	if (pg->cur_comment >= 0 && pg->comments[pg->cur_comment].node == n)
		pg->cur_comment = pg->comments[pg->cur_comment].parent;
	else if (pg->cur_content == n)
		pg->cur_content = NULL;
	else if (pg->cur_entry >= 0 && pg->entries[pg->cur_entry].node == n)
		pg->cur_entry = -1;
}

/* One walk over the whole tree, with enter and leave, no recursion. */
static void
first_pass(struct page *pg, xmlNode *root)
{
	xmlNode *n = root;

	while (n) {
		if (pass_enter(pg, n) && n->children) {
			n = n->children;
			continue;
		}
		for (;;) {
			pass_leave(pg, n);
			if (n == root) {
				n = NULL;
				break;
			}
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

/* ------------------------------------------------------------ results */

static bool
comment_feed(const char *title, const char *url)
{
	static const char *const words[] = {
		"comment", "kommentar", "comentario", "reactie",
	};

	for (size_t i = 0; title && i < sizeof(words) / sizeof(*words); i++)
		if (strcasestr(title, words[i]))
			return true;
	return strstr(url, "/comments/") || strstr(url, "/comments?") ||
	       (strlen(url) > 9 && !strcmp(url + strlen(url) - 9, "/comments"));
}

/* Autodiscovered feeds: the site's own first, then comment feeds, each in
 * document order. */
static void
collect_feeds(struct page *pg)
{
	struct ms_doc *doc = pg->doc;
	size_t cap = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < pg->nfeeds; i++) {
			const char *u = resolve(pg, attr(pg->feeds[i], "href"));
			const char *title = attr(pg->feeds[i], "title");

			if (!u || comment_feed(title, u) != (pass == 1))
				continue;
			push_str(&doc->arena, &doc->feed_links,
				 &doc->nfeed_links, &cap, u);
		}
	}
}

static void
collect_profiles(struct page *pg)
{
	struct ms_doc *doc = pg->doc;
	size_t cap = 0;

	for (size_t i = 0; i < pg->nplinks; i++) {
		const char *u = resolve(pg, attr(pg->plinks[i], "href"));
		const char *p = u ? ms_profile_canonical(&doc->arena, u) : NULL;

		if (p && doc->nprofiles < MAX_PROFILES)
			push_str(&doc->arena, &doc->profiles, &doc->nprofiles,
				 &cap, p);
	}
}

static void
collect_links(struct page *pg, xmlNode *content, struct ms_entry *e)
{
	const struct sel link = { .el = "a", .attr = "href" };
	size_t cap = 0;

	for (xmlNode *n = find(content, &link, STOP_COMMENTS, NULL);
	     n && e->nlinks < MAX_ENTRY_LINKS;
	     n = find_next(content, n, &link, STOP_COMMENTS, NULL)) {
		const char *u = resolve(pg, attr(n, "href"));

		if (u)
			push_str(&pg->doc->arena, &e->links, &e->nlinks, &cap,
				 u);
	}
}

static void
collect_categories(struct page *pg, xmlNode *scope, struct ms_entry *e)
{
	const struct sel cat = { .cls = B(C_P_CATEGORY) };
	const struct sel tag = { .el = "a", .rel = "tag" };
	const struct sel category = { .el = "a", .rel = "category" };
	const struct sel *sels[] = { &cat, &tag, &category };
	size_t cap = 0;

	for (size_t k = 0; k < sizeof(sels) / sizeof(*sels); k++) {
		for (xmlNode *n = find(scope, sels[k], STOP_COMMENTS, NULL);
		     n && e->ncategories < MAX_CATEGORIES;
		     n = find_next(scope, n, sels[k], STOP_COMMENTS, NULL)) {
			const char *t = short_text(pg, n);
			bool dup = false;

			for (size_t i = 0; t && i < e->ncategories; i++)
				dup = dup || !strcasecmp(e->categories[i], t);
			if (t && !dup)
				ms_strv_push(&pg->doc->arena, &e->categories,
					     &e->ncategories, &cap, t);
		}
	}
}

static void
entry_init(struct ms_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->published = e->updated = MS_TIME_NONE;
	e->comment_count = -1;
	e->comments_open = -1;
}

/* The post in scope (an h-entry / hentry, or the page's body). */
static void
fill_entry(struct page *pg, xmlNode *scope, xmlNode *content,
	   struct ms_entry *e)
{
	const unsigned st = STOP_COMMENTS | STOP_ROOTS;
	struct ms_arena *a = &pg->doc->arena;
	const struct sel bookmark = { .el = "a", .rel = "bookmark" };
	const struct sel rel_author = { .el = "a", .rel = "author" };
	const struct sel timed = { .el = "time", .attr = "datetime" };
	xmlNode *n;

	entry_init(e);
	if (!content)
		content = find(scope, SEL_CLS(M_CONTENT), st, NULL);
	if (!content)
		content = find(scope, SEL_CLS(M_SUMMARY), st, NULL);

	n = find(scope, SEL_CLS(B(C_P_NAME) | B(C_ENTRY_TITLE) |
				B(C_POST_TITLE) | B(C_WP_POST_TITLE)),
		 st, content);
	e->title = short_text(pg, n);
	n = find(scope, SEL_CLS(B(C_U_URL)), st, content);
	if (n)
		e->link = url_of(pg, n);
	if (!e->link && (n = find(scope, &bookmark, st, content)))
		e->link = resolve(pg, attr(n, "href"));
	if ((n = find(scope, SEL_CLS(B(C_U_UID)), st, content))) {
		e->id = url_of(pg, n);
		if (!e->id)
			e->id = short_text(pg, n);
	}

	n = find(scope, SEL_CLS(B(C_DT_PUBLISHED) | B(C_PUBLISHED)), st,
		 content);
	if (!n && (n = find(scope, SEL_CLS(B(C_WP_POST_DATE)), st, content))) {
		xmlNode *t = find(n, &timed, st, NULL);

		n = t ? t : n;
	}
	if (!n)
		n = find(scope, &timed, st, content);
	if (n)
		e->published = date_of(pg, n);
	n = find(scope, SEL_CLS(B(C_DT_UPDATED) | B(C_UPDATED)), st, content);
	if (n)
		e->updated = date_of(pg, n);

	/* The author property may itself be the h-card, so roots are not a
	 * stop for this one search. */
	n = find(scope, SEL_CLS(B(C_P_AUTHOR) | B(C_AUTHOR) |
				B(C_POST_AUTHOR) | B(C_WP_POST_AUTHOR)),
		 STOP_COMMENTS, content);
	if (n) {
		struct ms_author au = { 0 };

		card_of(pg, n, &au);
		if (au.name || au.uri) {
			e->authors = ms_arena_zalloc(a, sizeof(*e->authors));
			e->authors[0] = au;
			e->nauthors = 1;
		}
	} else if ((n = find(scope, &rel_author, STOP_COMMENTS, content))) {
		e->authors = ms_arena_zalloc(a, sizeof(*e->authors));
		e->authors[0].name = short_text(pg, n);
		e->authors[0].uri = resolve(pg, attr(n, "href"));
		e->nauthors = 1;
	}
	collect_categories(pg, scope, e);
	if (content) {
		e->text = text_of(pg, content, ENTRY_TEXT_CAP, STOP_COMMENTS);
		collect_links(pg, content, e);
	}
}

/* Fill what a single-post page says about its post outside the h-entry:
 * og and article meta, the title, the canonical link. */
static void
single_fallbacks(struct page *pg, struct ms_entry *e)
{
	struct ms_doc *doc = pg->doc;
	struct ms_arena *a = &doc->arena;

	if (!e->title)
		e->title = trimmed(a, pg->og_title, SHORT_TEXT_CAP);
	if (!e->title)
		e->title = doc->title;
	if (!e->link)
		e->link = doc->link;
	if (e->published == MS_TIME_NONE && pg->meta_published)
		e->published = ms_date_parse(pg->meta_published);
	if (!e->nauthors && pg->meta_author) {
		e->authors = ms_arena_zalloc(a, sizeof(*e->authors));
		e->authors[0].name = trimmed(a, pg->meta_author,
					     SHORT_TEXT_CAP);
		e->nauthors = e->authors[0].name ? 1 : 0;
	}
}

/*
 * The comment's fragment id: its own id attribute, else the first id
 * inside that looks like WordPress's ("div-comment-12"); "li-" and "div-"
 * prefixes are dropped so the id matches the permalink's "#comment-12".
 */
static const char *
comment_anchor(xmlNode *c)
{
	const struct sel with_id = { .attr = "id" };
	const char *id = attr(c, "id");

	if (!id || !*id) {
		for (xmlNode *n = find(c, &with_id, STOP_COMMENTS, NULL); n;
		     n = find_next(c, n, &with_id, STOP_COMMENTS, NULL)) {
			id = attr(n, "id");
			if (id && strstr(id, "comment-"))
				break;
			id = NULL;
		}
	}
	if (!id || !*id || strlen(id) > 200)
		return NULL;
	if (!strncmp(id, "li-", 3))
		id += 3;
	else if (!strncmp(id, "div-", 4))
		id += 4;
	return id;
}

static void
fill_comment(struct page *pg, struct cand_comment *cc, const char *post_link,
	     const struct ms_entry *post)
{
	const unsigned st = STOP_COMMENTS | STOP_ROOTS;
	struct ms_arena *a = &pg->doc->arena;
	struct ms_comment *c = cc->c;
	xmlNode *cn = cc->node, *n;
	const struct sel user = { .cls = B(C_USER), .el = "cite" };
	const struct sel timed = { .el = "time", .attr = "datetime" };
	const struct sel link = { .el = "a", .attr = "href" };
	const char *anchor;

	c->published = MS_TIME_NONE;
	c->entry_link = post_link;

	/* Who: mf2 p-author, WordPress .comment-author, Blogger cite.user. */
	n = find(cn, SEL_CLS(B(C_P_AUTHOR) | B(C_COMMENT_AUTHOR)),
		 STOP_COMMENTS, NULL);
	if (!n)
		n = find(cn, &user, st, NULL);
	if (n)
		card_of(pg, n, &c->author);
	else if ((n = find(cn, SEL_CLS(B(C_FN)), STOP_COMMENTS, NULL)))
		card_of(pg, n, &c->author);

	/* Which: u-url, else the post's link and the comment's anchor. */
	if ((n = find(cn, SEL_CLS(B(C_U_URL)), st, NULL)))
		c->id = url_of(pg, n);
	if (!c->id && (anchor = comment_anchor(cn)) && post_link)
		c->id = ms_arena_printf(a, "%s#%s",
					without_fragment(a, post_link),
					anchor);

	/* When: dt-published, a time element, Blogger's permalink. */
	n = find(cn, SEL_CLS(B(C_DT_PUBLISHED) | B(C_PUBLISHED)), st, NULL);
	if (!n)
		n = find(cn, &timed, st, NULL);
	if (n)
		c->published = date_of(pg, n);
	if (c->published == MS_TIME_NONE &&
	    (n = find(cn, SEL_CLS(B(C_DATETIME)), st, NULL))) {
		xmlNode *l = find(n, &link, st, NULL);

		if (l)
			c->published = show_comment_time(attr(l, "href"));
		if (c->published == MS_TIME_NONE)
			c->published = date_of(pg, l ? l : n);
	}
	if (c->published == MS_TIME_NONE &&
	    (n = find(cn, SEL_CLS(B(C_COMMENT_METADATA) |
				  B(C_COMMENTMETADATA) | B(C_COMMENT_META)),
		      st, NULL)))
		c->published = date_of(pg, n);

	n = find(cn, SEL_CLS(B(C_E_CONTENT) | B(C_P_CONTENT) |
			     B(C_COMMENT_CONTENT)), st, NULL);
	if (!n)
		n = find(cn, SEL_CLS(B(C_COMMENT_BODY)), st, NULL);
	if (!n && HAS(cn, M_ROOT))
		n = find(cn, SEL_CLS(B(C_P_NAME)), st, NULL);
	c->text = text_of(pg, n, COMMENT_TEXT_CAP, STOP_COMMENTS);

	/* The post author's: WordPress marks the comment, Blogger the name;
	 * an mf2 comment whose author URL is the post author's is too. */
	c->by_post_author = HAS(cn, B(C_BYPOSTAUTHOR) | B(C_BLOG_AUTHOR)) ||
			    find(cn, SEL_CLS(B(C_BLOG_AUTHOR)), STOP_COMMENTS,
				 NULL) != NULL ||
			    (post && post->nauthors && c->author.uri &&
			     same_url(c->author.uri, post->authors[0].uri));

	if (cc->parent >= 0) {
		c->in_reply_to = pg->comments[cc->parent].c->id;
	} else if ((n = find(cn, SEL_CLS(B(C_U_IN_REPLY_TO)), STOP_COMMENTS,
			     NULL))) {
		xmlNode *u = HAS(n, M_ROOT) ?
				     find(n, SEL_CLS(B(C_U_URL)), st, NULL) :
				     NULL;
		const char *to = url_of(pg, u ? u : n);

		/* A reply to the post itself is a top-level comment. */
		if (to && !same_url(to, post_link))
			c->in_reply_to = to;
	}
}

/* The post's own comment feed among the autodiscovered ones: WordPress's
 * lives under the post's link ("/2010/06/06/post/feed/"), Blogger's is
 * "/feeds/POSTID/comments/default". */
static bool
post_comment_feed(const char *f, const char *link)
{
	size_t n = strlen(link);
	const char *p;

	if (!strncmp(f, link, n) && f[n] &&
	    (f[n] == '/' || (n && link[n - 1] == '/')))
		return true;
	p = strstr(f, "/feeds/");
	if (!p)
		return false;
	for (p += 7; *p >= '0' && *p <= '9'; p++)
		;
	return p > strstr(f, "/feeds/") + 7 && !strncmp(p, "/comments/", 10);
}

static void
fill_doc(struct page *pg)
{
	struct ms_doc *doc = pg->doc;
	struct ms_arena *a = &doc->arena;
	const char *lang;
	struct ms_entry *single = NULL;
	int open;

	doc->title = short_text(pg, pg->title);
	doc->link = pg->canonical ? resolve(pg, pg->canonical) : NULL;
	if (!doc->link && pg->og_url)
		doc->link = resolve(pg, pg->og_url);
	if (!doc->link && pg->url && ms_url_is_http(pg->url))
		doc->link = ms_arena_strdup(a, pg->url);
	lang = pg->html ? attr(pg->html, "lang") : NULL;
	if (!lang && pg->html)
		lang = attr(pg->html, "xml:lang");
	doc->language = trimmed(a, lang, 35);
	if (pg->hcard)
		card_of(pg, pg->hcard, &doc->author);
	else if (pg->meta_author)
		doc->author.name = trimmed(a, pg->meta_author, SHORT_TEXT_CAP);

	collect_feeds(pg);
	collect_profiles(pg);

	/* A page with a comment section but no h-entry / hentry (block
	 * themes, plain templates): the page is the post. */
	if (!pg->nentries && (pg->ncomments || pg->form || pg->closed)) {
		MS_GROW(pg->entries, 1, pg->entries_cap);
		pg->entries[0] = (struct cand_entry){
			pg->body ? pg->body : pg->html, pg->loose_content,
			NULL };
		pg->nentries = pg->entries[0].node ? 1 : 0;
	}
	doc->entries = ms_arena_zalloc(a, (pg->nentries ? pg->nentries : 1) *
					       sizeof(*doc->entries));
	for (size_t i = 0; i < pg->nentries; i++) {
		struct ms_entry *e = &doc->entries[doc->nentries++];

		pg->entries[i].e = e;
		fill_entry(pg, pg->entries[i].node, pg->entries[i].content, e);
	}
	if (doc->nentries == 1) {
		struct ms_entry *e = &doc->entries[0];

		/* A lone post is the page's post when the page has a comment
		 * section or the post's link is the page (no link of its own
		 * says so too: lists link their posts). */
		if (pg->ncomments || pg->form || pg->closed || !e->link ||
		    same_url(e->link, doc->link) || same_url(e->link, pg->url))
			single = e;
	}
	if (single)
		single_fallbacks(pg, single);
	for (size_t i = 0; i < doc->nentries; i++) {
		struct ms_entry *e = &doc->entries[i];

		if (e->nauthors)
			e->author = e->authors[0];
		else
			e->author = doc->author;
	}

	/* Closed wins over a form: themes print the notice on purpose,
	 * while a form may be a leftover.  A single post without any way to
	 * comment is closed too. */
	open = pg->closed ? 0 : pg->form ? 1 : single ? 0 : -1;
	doc->comments_open = open;
	if (single) {
		single->comments_open = open;
		if (pg->ncomments || pg->form)
			single->comments_url = single->link;
		for (size_t i = 0; i < doc->nfeed_links && single->link; i++)
			if (post_comment_feed(doc->feed_links[i], single->link))
				single->comment_feed = doc->feed_links[i];
	}

	doc->comments = ms_arena_zalloc(a, (pg->ncomments ? pg->ncomments : 1) *
						sizeof(*doc->comments));
	for (size_t i = 0; i < pg->ncomments; i++) {
		struct cand_comment *cc = &pg->comments[i];
		const struct ms_entry *post = cc->entry >= 0 ?
						      pg->entries[cc->entry].e :
						      single;
		const char *link = post ? post->link : doc->link;

		cc->c = &doc->comments[doc->ncomments++];
		fill_comment(pg, cc, link, post);
	}
}

/*
 * libxml2 reports bytes that do not decode (and every tag HTML 4 does not
 * know, which is normal on today's pages) through its global error
 * handlers, which print.  Unless the caller installed a handler of its own
 * (doc.c records errors for the document), this one keeps them quiet and
 * keeps the first decoding error: the page was read, but not cleanly.
 */
static void
quiet_errors(void *ctx, xmlErrorPtr e)
{
	struct ms_doc *doc = ctx;

	if (!e || doc->error ||
	    (e->domain != XML_FROM_I18N && e->domain != XML_FROM_IO))
		return;
	doc->recovered = true;
	doc->error = e->message ? trimmed(&doc->arena, e->message, 200) :
				  NULL;
	if (!doc->error)
		doc->error = "cannot decode the page";
}

int
ms_html_parse(struct ms_doc *doc, const char *data, size_t len,
	      const struct ms_parse_opts *o, struct ms_err *err)
{
	const int opts = HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			 HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
			 HTML_PARSE_NOBLANKS;
	const char *url = o ? o->url : NULL;
	struct page pg;
	htmlDocPtr x;
	xmlNode *root;
	bool own_handler;

	if (len > INT_MAX)
		return ms_err_set(err, MS_ETOOBIG, "HTML page '%s' too large",
				  url ? url : "-");
	pthread_once(&cls_once, cls_init);
	doc->kind = MS_DOC_HTML;
	doc->comments_open = -1;
	own_handler = xmlStructuredError == NULL;
	if (own_handler)
		xmlSetStructuredErrorFunc(doc, quiet_errors);
	x = htmlReadMemory(data, (int)len, url, doc->encoding, opts);
	if (own_handler)
		xmlSetStructuredErrorFunc(NULL, NULL);
	root = x ? xmlDocGetRootElement(x) : NULL;
	if (!root) {
		xmlFreeDoc(x);
		return ms_err_set(err, MS_EPARSE,
				  "cannot read HTML page '%s': no elements",
				  url ? url : "-");
	}
	memset(&pg, 0, sizeof(pg));
	pg.doc = doc;
	pg.url = url;
	pg.base = url;
	pg.cur_entry = pg.cur_comment = -1;
	ms_arena_init(&pg.tmp);
	pg.scratch = ms_xmalloc(ENTRY_TEXT_CAP + 1);

	first_pass(&pg, (xmlNode *)x);
	if (pg.base_href) {
		const char *b = resolve(&pg, pg.base_href);

		if (b)
			pg.base = b;
	}
	if (!doc->encoding && x->encoding) {
		char *enc = ms_arena_strdup(&doc->arena,
					    (const char *)x->encoding);

		for (char *p = enc; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		doc->encoding = enc;
	}
	fill_doc(&pg);

	free(pg.scratch);
	free(pg.entries);
	free(pg.comments);
	free(pg.feeds);
	free(pg.plinks);
	ms_arena_release(&pg.tmp);
	xmlFreeDoc(x);
	return MS_OK;
}
