/*
 * json.c — the `parse --json` object of DESIGN.md, with jansson.
 *
 * Absent values are left out, never invented: no empty strings, no empty
 * lists inside entries, no times for MS_TIME_NONE, no counts of -1.
 * "entries" and "comments" are always there.  "error" (the first parse
 * problem) accompanies "recovered": true, as R-PA-1 asks.
 *
 * Two ways out: ms_doc_to_json builds the whole object; the stream writes
 * one entry at a time (json_dumpf per entry inside a hand-assembled
 * object), so a feed of 20,000 entries is never one tree in memory.
 */
#include "analyzer/internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER)

/* Valid UTF-8 as it is; anything else with U+FFFD for each bad byte
 * (jansson refuses invalid UTF-8, and a string from a broken page must
 * not cost the whole document). */
static json_t *
jstr(const char *s)
{
	json_t *j;
	char *fixed, *o;
	size_t n;

	if (!s || !*s)
		return NULL;
	if ((j = json_string(s)))
		return j;
	n = strlen(s);
	fixed = o = ms_xmalloc(n * 3 + 1);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2
				 : (*p & 0xf0) == 0xe0 ? 3
				 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		int ok = len > 0;

		for (int i = 1; ok && i < len; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok) {
			json_t *t;
			char one[5];

			memcpy(one, p, (size_t)len);
			one[len] = '\0';
			/* jansson knows overlongs and surrogates. */
			if ((t = json_string(one))) {
				json_decref(t);
				memcpy(o, p, (size_t)len);
				o += len;
				p += len;
				continue;
			}
		}
		memcpy(o, "\xef\xbf\xbd", 3);
		o += 3;
		p++;
	}
	*o = '\0';
	j = json_string(fixed);
	free(fixed);
	return j;
}

static void
set(json_t *o, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(o, k, v);
}

static json_t *
jtime(int64_t t)
{
	char buf[32];

	if (t == MS_TIME_NONE)
		return NULL;
	ms_date_format(t, buf);
	return buf[0] ? json_string(buf) : NULL;
}

static json_t *
author_json(const struct ms_author *a, int with_email)
{
	json_t *o = json_object();

	set(o, "name", jstr(a->name));
	set(o, "uri", jstr(a->uri));
	if (with_email)
		set(o, "email", jstr(a->email));
	if (!json_object_size(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
strv_json(const char *const *v, size_t n)
{
	json_t *a;

	if (!n)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *s = jstr(v[i]);

		if (s)
			json_array_append_new(a, s);
	}
	return a;
}

static json_t *
entry_json(const struct ms_entry *e)
{
	json_t *o = json_object();

	set(o, "id", jstr(e->id));
	set(o, "title", jstr(e->title));
	set(o, "link", jstr(e->link));
	set(o, "published", jtime(e->published));
	set(o, "updated", jtime(e->updated));
	set(o, "author", author_json(&e->author, 1));
	if (e->nauthors) {
		json_t *a = json_array();

		for (size_t i = 0; i < e->nauthors; i++) {
			json_t *p = author_json(&e->authors[i], 1);

			if (p)
				json_array_append_new(a, p);
		}
		set(o, "authors", a);
	}
	set(o, "categories", strv_json(e->categories, e->ncategories));
	set(o, "comments_url", jstr(e->comments_url));
	set(o, "comment_feed", jstr(e->comment_feed));
	if (e->comment_count >= 0)
		set(o, "comment_count", json_integer(e->comment_count));
	if (e->comments_open >= 0)
		set(o, "comments_open", json_boolean(e->comments_open));
	set(o, "links", strv_json(e->links, e->nlinks));
	return o;
}

static json_t *
comment_json(const struct ms_comment *c)
{
	json_t *o = json_object();

	set(o, "id", jstr(c->id));
	set(o, "entry_link", jstr(c->entry_link));
	set(o, "in_reply_to", jstr(c->in_reply_to));
	set(o, "published", jtime(c->published));
	set(o, "author", author_json(&c->author, 0));
	return o;
}

static const char *
kind_name(enum ms_doc_kind k)
{
	switch (k) {
	case MS_DOC_RSS: return "rss";
	case MS_DOC_ATOM: return "atom";
	case MS_DOC_RDF: return "rdf";
	case MS_DOC_HTML: return "html";
	default: return NULL;
	}
}

/* The feed-level members other than entries, comments and recovered, in
 * the order DESIGN.md lists them. */
enum head {
	H_KIND, H_VERSION, H_ENCODING, H_TITLE, H_LINK, H_LANGUAGE, H_AUTHOR,
	H_FEED_LINKS, H_COUNT
};

static const char *const head_keys[H_COUNT] = {
	"kind", "version", "encoding", "title", "link", "language",
	"author", "feed_links",
};

static json_t *
head_value(const struct ms_doc *doc, enum head h)
{
	switch (h) {
	case H_KIND: return jstr(kind_name(doc->kind));
	case H_VERSION: return jstr(doc->version);
	case H_ENCODING: return jstr(doc->encoding);
	case H_TITLE: return jstr(doc->title);
	case H_LINK: return jstr(doc->link);
	case H_LANGUAGE: return jstr(doc->language);
	case H_AUTHOR: return author_json(&doc->author, 1);
	case H_FEED_LINKS: return strv_json(doc->feed_links,
					    doc->nfeed_links);
	default: return NULL;
	}
}

char *
ms_doc_to_json(const struct ms_doc *doc)
{
	json_t *o = json_object(), *a;
	char *s;

	for (int h = 0; h < H_COUNT; h++) {
		set(o, head_keys[h], head_value(doc, (enum head)h));
		if (h == H_ENCODING) {
			set(o, "recovered", json_boolean(doc->recovered));
			if (doc->recovered)
				set(o, "error", jstr(doc->error));
		}
	}
	a = json_array();
	for (size_t i = 0; i < doc->nentries; i++)
		json_array_append_new(a, entry_json(&doc->entries[i]));
	set(o, "entries", a);
	a = json_array();
	for (size_t i = 0; i < doc->ncomments; i++)
		json_array_append_new(a, comment_json(&doc->comments[i]));
	set(o, "comments", a);
	s = json_dumps(o, DUMP_FLAGS);
	json_decref(o);
	return s;
}

/* ---------------------------------------------------------- streaming */

/* A growing buffer one streamed entry is assembled in (see jw_entry). */
struct jw {
	char *b;
	size_t len, alloc;
	int first;	/* no comma before the next member */
};

struct ms_json_stream {
	FILE *f;
	int started;		/* "{", the head and "entries":[ written */
	size_t nentries;
	unsigned written;	/* head members written, by bit */
	int err;
	char buf[16384];	/* one member, dumped */
	struct jw w;		/* one entry, assembled */
};

struct ms_json_stream *
ms_json_stream_new(FILE *f)
{
	struct ms_json_stream *s = ms_xcalloc(1, sizeof(*s));

	s->f = f;
	return s;
}

void
ms_json_stream_free(struct ms_json_stream *s)
{
	if (s)
		free(s->w.b);
	free(s);
}

/*
 * The streamed entries are assembled by hand into one buffer per entry:
 * keys are constants, numbers are printed, and a string goes through
 * jansson only when it has something to escape or is not valid UTF-8
 * (plain_len): most strings, titles with accents or typographic quotes
 * too, are written as they are.  Building a json_t per entry and dumping
 * it cost more than the rest of the parse.
 */
static void
jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->alloc) {
		w->alloc = (w->len + n + 1) * 2;
		w->b = ms_xrealloc(w->b, w->alloc);
	}
	memcpy(w->b + w->len, s, n);
	w->len += n;
}

static void
jw_json(struct jw *w, json_t *j)
{
	size_t n;

	if (!j)
		return;
	n = json_dumpb(j, NULL, 0, DUMP_FLAGS);
	if (w->len + n + 1 > w->alloc) {
		w->alloc = (w->len + n + 1) * 2;
		w->b = ms_xrealloc(w->b, w->alloc);
	}
	w->len += json_dumpb(j, w->b + w->len, n, DUMP_FLAGS);
	json_decref(j);
}

/*
 * The length of s when jansson would write it as it is (DUMP_FLAGS: no
 * ENSURE_ASCII, no ESCAPE_SLASH): nothing to escape ('"', '\\', below
 * 0x20) and valid UTF-8 as jansson checks it (no overlong forms,
 * surrogates or code points past U+10FFFF).  Else (size_t)-1.
 */
static size_t
plain_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *p = s;

	for (;;) {
		unsigned c = *p, cp;
		int n;

		if (c < 0x80) {
			if (!c)
				return (size_t)(p - s);
			if (c < 0x20 || c == '"' || c == '\\')
				return (size_t)-1;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return (size_t)-1;
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (size_t)-1;	/* the NUL too */
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (size_t)-1;
		p += n + 1;
	}
}

static void
jw_string(struct jw *w, const char *s)
{
	size_t n = plain_len(s);

	if (n == (size_t)-1) {
		jw_json(w, jstr(s));
		return;
	}
	jw_raw(w, "\"", 1);
	jw_raw(w, s, n);
	jw_raw(w, "\"", 1);
}

static void
jw_key(struct jw *w, const char *k)
{
	if (!w->first)
		jw_raw(w, ",", 1);
	w->first = 0;
	jw_raw(w, "\"", 1);
	jw_raw(w, k, strlen(k));
	jw_raw(w, "\":", 2);
}

static void
jw_member(struct jw *w, const char *k, const char *v)
{
	if (v && *v) {
		jw_key(w, k);
		jw_string(w, v);
	}
}

static void
jw_time(struct jw *w, const char *k, int64_t t)
{
	char buf[32];

	if (t == MS_TIME_NONE)
		return;
	ms_date_format(t, buf);
	if (buf[0])
		jw_member(w, k, buf);
}

static int
author_empty(const struct ms_author *a, int with_email)
{
	return !(a->name && *a->name) && !(a->uri && *a->uri) &&
	       !(with_email && a->email && *a->email);
}

static void
jw_author(struct jw *w, const struct ms_author *a, int with_email)
{
	w->first = 1;
	jw_raw(w, "{", 1);
	jw_member(w, "name", a->name);
	jw_member(w, "uri", a->uri);
	if (with_email)
		jw_member(w, "email", a->email);
	jw_raw(w, "}", 1);
	w->first = 0;
}

static void
jw_strv(struct jw *w, const char *k, const char *const *v, size_t n)
{
	size_t written = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] && *v[i])
			written++;
	if (!written)
		return;
	jw_key(w, k);
	jw_raw(w, "[", 1);
	written = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || !*v[i])
			continue;
		if (written++)
			jw_raw(w, ",", 1);
		jw_string(w, v[i]);
	}
	jw_raw(w, "]", 1);
}

/* The object entry_json builds, member for member. */
static void
jw_entry(struct jw *w, const struct ms_entry *e)
{
	char num[32];

	w->first = 1;
	jw_raw(w, "{", 1);
	jw_member(w, "id", e->id);
	jw_member(w, "title", e->title);
	jw_member(w, "link", e->link);
	jw_time(w, "published", e->published);
	jw_time(w, "updated", e->updated);
	if (!author_empty(&e->author, 1)) {
		jw_key(w, "author");
		jw_author(w, &e->author, 1);
	}
	if (e->nauthors) {
		size_t written = 0;

		jw_key(w, "authors");
		jw_raw(w, "[", 1);
		for (size_t i = 0; i < e->nauthors; i++) {
			if (author_empty(&e->authors[i], 1))
				continue;
			if (written++)
				jw_raw(w, ",", 1);
			jw_author(w, &e->authors[i], 1);
		}
		jw_raw(w, "]", 1);
	}
	jw_strv(w, "categories", e->categories, e->ncategories);
	jw_member(w, "comments_url", e->comments_url);
	jw_member(w, "comment_feed", e->comment_feed);
	if (e->comment_count >= 0) {
		jw_key(w, "comment_count");
		jw_raw(w, num, (size_t)snprintf(num, sizeof(num), "%ld",
					       e->comment_count));
	}
	if (e->comments_open >= 0) {
		jw_key(w, "comments_open");
		jw_raw(w, e->comments_open ? "true" : "false",
		       e->comments_open ? 4 : 5);
	}
	jw_strv(w, "links", e->links, e->nlinks);
	jw_raw(w, "}", 1);
}

/* One value, through a buffer: json_dumpf writes token by token. */
static void
dump(struct ms_json_stream *s, json_t *j)
{
	size_t n = json_dumpb(j, s->buf, sizeof(s->buf), DUMP_FLAGS);

	if (n && n <= sizeof(s->buf)) {
		if (fwrite(s->buf, 1, n, s->f) != n)
			s->err = 1;
	} else if (json_dumpf(j, s->f, DUMP_FLAGS)) {
		s->err = 1;
	}
}

static void
put_entry(struct ms_json_stream *s, const struct ms_entry *e)
{
	s->w.len = 0;
	if (s->nentries++)
		jw_raw(&s->w, ",", 1);
	jw_entry(&s->w, e);
	if (fwrite(s->w.b, 1, s->w.len, s->f) != s->w.len)
		s->err = 1;
}

/* ,"key":value — or without the comma for the first member. */
static void
member(struct ms_json_stream *s, const char *key, json_t *v, int *first)
{
	json_t *k;

	if (!v)
		return;
	if (!*first)
		fputc(',', s->f);
	*first = 0;
	k = json_string(key);
	dump(s, k);
	if (fputc(':', s->f) == EOF)
		s->err = 1;
	dump(s, v);
	json_decref(k);
	json_decref(v);
}

/* The head members not written yet that have a value now. */
static void
head(struct ms_json_stream *s, const struct ms_doc *doc, int *first)
{
	for (int h = 0; h < H_COUNT; h++) {
		json_t *v;

		if (s->written & (1u << h))
			continue;
		if ((v = head_value(doc, (enum head)h))) {
			s->written |= 1u << h;
			member(s, head_keys[h], v, first);
		}
	}
}

static void
start(struct ms_json_stream *s, const struct ms_doc *doc)
{
	int first = 1;

	fputc('{', s->f);
	head(s, doc, &first);
	if (!first)
		fputc(',', s->f);
	fputs("\"entries\":[", s->f);
	s->started = 1;
}


int
ms_json_stream_entry(struct ms_json_stream *s, const struct ms_doc *doc,
		     const struct ms_entry *e)
{
	if (!s->started)
		start(s, doc);
	put_entry(s, e);
	return s->err || ferror(s->f) ? MS_EIO : MS_OK;
}

int
ms_json_stream_end(struct ms_json_stream *s, const struct ms_doc *doc)
{
	int first = 0, rc;

	if (!s->started)
		start(s, doc);
	for (size_t i = 0; i < doc->nentries; i++)
		put_entry(s, &doc->entries[i]);
	fputs("],\"comments\":[", s->f);
	for (size_t i = 0; i < doc->ncomments; i++) {
		json_t *j = comment_json(&doc->comments[i]);

		if (i)
			fputc(',', s->f);
		dump(s, j);
		json_decref(j);
	}
	fputc(']', s->f);
	head(s, doc, &first);
	member(s, "recovered", json_boolean(doc->recovered), &first);
	if (doc->recovered)
		member(s, "error", jstr(doc->error), &first);
	fputs("}\n", s->f);
	rc = s->err || ferror(s->f) ? MS_EIO : MS_OK;
	ms_json_stream_free(s);
	return rc;
}
