/*
 * doc.c — ms_doc_parse: from fetched bytes to a struct ms_doc.
 *
 * In order: the size cap; compressed bytes refused (R-SE-7: we never
 * decompress); feed or HTML page, from the content type and the root
 * element; the source encoding, by feedparser's rules (BOM and UTF-16/32
 * signatures, the HTTP charset against the XML declaration per RFC 3023,
 * then the fallbacks utf-8, windows-1252, iso-8859-2, with the document
 * marked recovered when the declared encoding had to be overridden); a
 * budget on DTD entities (billion laughs, quadratic blowup); then the
 * feed parser and the enrichment.
 *
 * libxml2 2.9.14 predates XML_PARSE_NO_XXE and the amplification limits,
 * so (RELIABILITY.md §3.3): parsing works on memory only, a deny-all
 * external entity loader and no catalogs are installed once per process,
 * XML_PARSE_NONET is always set and NOENT, DTDLOAD, HUGE and XINCLUDE
 * never are, and entity declarations are measured before libxml2 sees
 * them.
 *
 * HTML pages are handed to ms_html_parse as fetched: the HTML parser has
 * its own charset rules (<meta charset>), so html.c sets doc->encoding.
 */
#include "analyzer/internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

#define DEFAULT_MAX (8u << 20)
#define HEAD_MAX 4096		/* bytes looked at to sniff the root */
#define ENTITY_DECL_MAX 1000	/* internal entity declarations */
#define ENTITY_SIZE_MAX (1u << 20)	/* one entity, fully expanded */
#define ENTITY_TOTAL_MAX (4u << 20)	/* all references, expanded */
#define ENTITY_DEPTH_MAX 16
#define VALIDATE_STEP (1u << 20)

/* ------------------------------------------------------- libxml2 setup */

static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;	/* no external entity, DTD or XInclude, ever */
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_setup(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
	xmlCatalogSetDefaults(XML_CATA_ALLOW_NONE);
}

/* ------------------------------------------------------------ the doc */

static struct ms_doc *
doc_new(void)
{
	struct ms_doc *doc = ms_xcalloc(1, sizeof(*doc));

	ms_arena_init(&doc->arena);
	doc->kind = MS_DOC_UNKNOWN;
	doc->comments_open = -1;
	return doc;
}

void
ms_doc_free(struct ms_doc *doc)
{
	if (!doc)
		return;
	ms_arena_release(&doc->arena);
	free(doc);
}

/* ------------------------------------------------- compressed bytes */

static const struct {
	const char *magic;
	size_t len;
	const char *what;
} compressed[] = {
	{ "\x1f\x8b", 2, "gzip" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd" },
	{ "BZh", 3, "bzip2" },
	{ "\xfd" "7zXZ\x00", 6, "xz" },
	{ "PK\x03\x04", 4, "zip" },
};

static const char *
compression(const unsigned char *d, size_t len)
{
	for (size_t i = 0; i < NELEM(compressed); i++)
		if (len >= compressed[i].len &&
		    !memcmp(d, compressed[i].magic, compressed[i].len))
			return compressed[i].what;
	return NULL;
}

/* ------------------------------------------------------------ encoding */

struct enc {
	const char *bom;	/* from a BOM or a UTF-16/32 signature */
	size_t skip;		/* BOM bytes */
	char xml[48];		/* the XML declaration's, lower case */
	char http[48];		/* the Content-Type charset, lower case */
	char mime[96];
	char rfc3023[48];
	const char *error;	/* why the document is not clean */
};

static void
lower_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t i;

	if (n >= dstsz)
		n = dstsz - 1;
	for (i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	dst[i] = '\0';
}

static void
sniff_bom(const unsigned char *d, size_t len, struct enc *e)
{
	static const struct {
		const char *sig;
		size_t n, skip;
		const char *enc;
	} sigs[] = {
		/* Longest first: FF FE 00 00 is UTF-32LE, not UTF-16LE. */
		{ "\x00\x00\xfe\xff", 4, 4, "utf-32be" },
		{ "\xff\xfe\x00\x00", 4, 4, "utf-32le" },
		{ "\xfe\xff", 2, 2, "utf-16be" },
		{ "\xff\xfe", 2, 2, "utf-16le" },
		{ "\xef\xbb\xbf", 3, 3, "utf-8" },
		/* Signatures without a BOM: "<?" in UTF-16/32. */
		{ "\x00\x00\x00\x3c", 4, 0, "utf-32be" },
		{ "\x3c\x00\x00\x00", 4, 0, "utf-32le" },
		{ "\x00\x3c\x00\x3f", 4, 0, "utf-16be" },
		{ "\x3c\x00\x3f\x00", 4, 0, "utf-16le" },
	};

	for (size_t i = 0; i < NELEM(sigs); i++)
		if (len >= sigs[i].n && !memcmp(d, sigs[i].sig, sigs[i].n)) {
			e->bom = sigs[i].enc;
			e->skip = sigs[i].skip;
			return;
		}
}

/* iconv names for the names feeds and servers use (Python's aliases). */
static const char *
iconv_name(const char *name)
{
	static const char *const alias[][2] = {
		{ "latin-1", "ISO-8859-1" }, { "latin1", "ISO-8859-1" },
		{ "l1", "ISO-8859-1" },	     { "u16", "UTF-16" },
		{ "utf16", "UTF-16" },	     { "utf_16", "UTF-16" },
		{ "u32", "UTF-32" },	     { "utf32", "UTF-32" },
		{ "utf_32", "UTF-32" },
		{ "iso-10646-ucs-2", "UCS-2" },
		{ "iso-10646-ucs-4", "UCS-4" }, { "csucs4", "UCS-4" },
		{ "csunicode", "UCS-2" },    { "ucs-2", "UCS-2" },
		{ "ucs-4", "UCS-4" },	     { "cp1252", "WINDOWS-1252" },
		{ "x-mac-roman", "MACINTOSH" },
	};

	for (size_t i = 0; i < NELEM(alias); i++)
		if (!strcmp(name, alias[i][0]))
			return alias[i][1];
	return name;
}

static int
is_utf8_name(const char *n)
{
	return !strcmp(n, "utf-8") || !strcmp(n, "utf8") ||
	       !strcmp(n, "utf_8") || !strcmp(n, "u8");
}

/* The first line: <?xml ... encoding="X" ... ?> (feedparser's regex). */
static void
xml_decl(const char *h, size_t n, struct enc *e)
{
	const char *eol, *p, *q;

	if (n < 2 || h[0] != '<' || h[1] != '?')
		return;
	eol = memchr(h, '\n', n);
	if (!eol)
		eol = h + n;
	p = memmem(h, (size_t)(eol - h), "encoding=", 9);
	if (!p || p + 10 > eol || (p[9] != '"' && p[9] != '\''))
		return;
	p += 10;
	for (q = p; q < eol && *q != '"' && *q != '\''; q++)
		;
	if (q >= eol || !memmem(q, (size_t)(eol - q), "?>", 2))
		return;
	lower_copy(e->xml, sizeof(e->xml), p, (size_t)(q - p));
}

/* Content-Type: the media type and the charset parameter (feedparser's
 * parse_content_type: "charset = 'x'" is read, "charset:x" is not). */
static void
content_type(const char *ct, struct enc *e)
{
	const char *p = ct, *semi;
	size_t n;

	while (isspace((unsigned char)*p))
		p++;
	semi = strchr(p, ';');
	n = semi ? (size_t)(semi - p) : strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	lower_copy(e->mime, sizeof(e->mime), p, n);
	while (semi) {
		const char *k = semi + 1, *eq, *v, *end;

		semi = strchr(k, ';');
		end = semi ? semi : k + strlen(k);
		eq = memchr(k, '=', (size_t)(end - k));
		if (!eq)
			continue;
		while (isspace((unsigned char)*k))
			k++;
		n = (size_t)(eq - k);
		while (n && isspace((unsigned char)k[n - 1]))
			n--;
		if (n != 7 || strncasecmp(k, "charset", 7))
			continue;
		for (v = eq + 1; v < end && (isspace((unsigned char)*v) ||
					     *v == '"' || *v == '\'');
		     v++)
			;
		while (end > v && (isspace((unsigned char)end[-1]) ||
				   end[-1] == '"' || end[-1] == '\''))
			end--;
		lower_copy(e->http, sizeof(e->http), v, (size_t)(end - v));
		break;
	}
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* feedparser's convert_to_utf8, up to the choice of rfc3023_encoding. */
static void
rfc3023(const char *ct, struct enc *e)
{
	static const char *const utf16_32[] = {
		"u16", "utf-16", "utf16", "utf_16", "u32", "utf-32", "utf32",
		"utf_32", "iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4",
		"csunicode", "ucs-2", "ucs-4",
	};
	const char *m = e->mime, *r;
	int acceptable = 0;

	if (e->bom && *e->xml)
		for (size_t i = 0; i < NELEM(utf16_32); i++)
			if (!strcmp(e->xml, utf16_32[i]))
				snprintf(e->xml, sizeof(e->xml), "%s", e->bom);
	if (ct)
		content_type(ct, e);
	if (!strcmp(m, "application/xml") ||
	    !strcmp(m, "application/xml-dtd") ||
	    !strcmp(m, "application/xml-external-parsed-entity") ||
	    (!strncmp(m, "application/", 12) && ends_with(m, "+xml"))) {
		acceptable = 1;
		r = *e->http ? e->http : *e->xml ? e->xml : "utf-8";
	} else if (!strcmp(m, "text/xml") ||
		   !strcmp(m, "text/xml-external-parsed-entity") ||
		   (!strncmp(m, "text/", 5) && ends_with(m, "+xml"))) {
		acceptable = 1;
		r = *e->http ? e->http : "us-ascii";
	} else if (!strncmp(m, "text/", 5)) {
		r = *e->http ? e->http : "us-ascii";
	} else if (ct && !*ct) {
		r = *e->xml ? e->xml : "iso-8859-1";
	} else {
		r = *e->xml ? e->xml : "utf-8";
	}
	/* A byte order mark outranks the charset parameter and the XML
	 * declaration (RFC 7303 section 3); feedparser would believe the
	 * declaration and garble a UTF-8 file that says iso-8859-1. */
	if (e->skip)
		r = e->bom;
	snprintf(e->rfc3023, sizeof(e->rfc3023), "%s", r);
	/* gb18030 is a superset of gb2312: always read the larger. */
	if (!strcmp(e->rfc3023, "gb2312"))
		strcpy(e->rfc3023, "gb18030");
	if (!strcmp(e->xml, "gb2312"))
		strcpy(e->xml, "gb18030");
	if (ct && !acceptable)
		e->error = *ct ? "not an XML media type"
			       : "no Content-Type given";
}

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
 * reporting progress so a mapped file's pages can go. */
static int
utf8_valid(const unsigned char *s, size_t n, const struct ms_parse_opts *o,
	   size_t skip)
{
	size_t i = 0, next = VALIDATE_STEP;

	while (i < n) {
		unsigned char c = s[i];

		if (i >= next) {
			if (o->on_consumed)
				o->on_consumed(o->on_consumed_arg, skip + i);
			next += VALIDATE_STEP;
		}
		if (c < 0x80) {
			/* ASCII, 32 bytes at a time while it lasts. */
			while (i + 32 <= n && i < next) {
				uint64_t w[4];

				memcpy(w, s + i, 32);
				if ((w[0] | w[1] | w[2] | w[3]) &
				    0x8080808080808080ull)
					break;
				i += 32;
			}
			if (i < n && s[i] < 0x80)
				i++;
		} else if (c >= 0xc2 && c <= 0xdf) {
			if (i + 1 >= n || (s[i + 1] & 0xc0) != 0x80)
				return 0;
			i += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			unsigned char lo = c == 0xe0 ? 0xa0 : 0x80,
				      hi = c == 0xed ? 0x9f : 0xbf;

			if (i + 2 >= n || s[i + 1] < lo || s[i + 1] > hi ||
			    (s[i + 2] & 0xc0) != 0x80)
				return 0;
			i += 3;
		} else if (c >= 0xf0 && c <= 0xf4) {
			unsigned char lo = c == 0xf0 ? 0x90 : 0x80,
				      hi = c == 0xf4 ? 0x8f : 0xbf;

			if (i + 3 >= n || s[i + 1] < lo || s[i + 1] > hi ||
			    (s[i + 2] & 0xc0) != 0x80 ||
			    (s[i + 3] & 0xc0) != 0x80)
				return 0;
			i += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Convert all of in to UTF-8 with iconv, strictly; NULL when the name is
 * unknown or a byte does not decode. */
static char *
to_utf8(const char *name, const char *in, size_t inlen, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", iconv_name(name));
	size_t alloc, left, room;
	char *out, *ip = (char *)in, *op;

	if (cd == (iconv_t)-1)
		return NULL;
	alloc = inlen + inlen / 2 + 16;
	out = ms_xmalloc(alloc);
	op = out;
	left = inlen;
	room = alloc - 1;
	while (left) {
		if (iconv(cd, &ip, &left, &op, &room) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - out);

			alloc *= 2;
			out = ms_xrealloc(out, alloc);
			op = out + used;
			room = alloc - 1 - used;
			continue;
		}
		free(out);	/* EILSEQ, EINVAL: not this encoding */
		iconv_close(cd);
		return NULL;
	}
	if (iconv(cd, NULL, NULL, &op, &room) == (size_t)-1) {
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*op = '\0';
	*outlen = (size_t)(op - out);
	return out;
}

/* The start of the document as UTF-8 text, for sniffing: malloc'd. */
static char *
head_text(const char *data, size_t len, const struct enc *e, size_t *n)
{
	size_t take = len - e->skip;
	char *h;

	if (take > HEAD_MAX)
		take = HEAD_MAX;
	if (e->bom && strncmp(e->bom, "utf-8", 5)) {
		take &= ~(size_t)3;	/* whole UTF-16/32 units */
		h = to_utf8(e->bom, data + e->skip, take, n);
		if (h)
			return h;
		/* An odd tail: try a little less. */
		for (size_t t = take; t >= 4; t -= 4)
			if ((h = to_utf8(e->bom, data + e->skip, t - 4, n)))
				return h;
		*n = 0;
		return ms_xstrdup("");
	}
	/* Not strndup: a NUL in the head would cut the copy short of the
	 * *n bytes the sniffers then read. */
	h = ms_xmalloc(take + 1);
	memcpy(h, data + e->skip, take);
	h[take] = '\0';
	*n = take;
	return h;
}

/* ----------------------------------------------------------- sniffing */

/* Skip the prolog (declaration, PIs, comments, DOCTYPE) and name the root
 * element into out; 0 if there is none in the head. */
static int
root_name(const char *s, size_t n, char *out, size_t outsz)
{
	const char *p = s, *end = s + n, *q;
	size_t k;

	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '<')
			return 0;
		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
			if (!q)
				return 0;
			p = q + 3;
		} else if (end - p >= 2 && p[1] == '?') {
			q = memmem(p + 2, (size_t)(end - p - 2), "?>", 2);
			if (!q)
				return 0;
			p = q + 2;
		} else if (end - p >= 2 && p[1] == '!') {
			int depth = 0;
			char quote = 0;

			for (p += 2; p < end; p++) {
				if (quote) {
					if (*p == quote)
						quote = 0;
				} else if (*p == '"' || *p == '\'') {
					quote = *p;
				} else if (*p == '[') {
					depth++;
				} else if (*p == ']') {
					depth--;
				} else if (*p == '>' && depth <= 0) {
					break;
				}
			}
			if (p >= end)
				return 0;
			p++;
		} else {
			break;
		}
	}
	p++;
	for (k = 0; p < end && k + 1 < outsz &&
		    (isalnum((unsigned char)*p) || *p == ':' || *p == '_' ||
		     *p == '-' || *p == '.');
	     p++)
		out[k++] = *p;
	out[k] = '\0';
	return k > 0;
}

static int
is_feed_root(const char *name)
{
	const char *local = strchr(name, ':');

	local = local ? local + 1 : name;
	return !strcasecmp(local, "rss") || !strcmp(local, "RDF") ||
	       !strcasecmp(local, "feed") || !strcasecmp(local, "channel");
}

static int
html_type(const char *mime)
{
	return !strcmp(mime, "text/html") ||
	       !strcmp(mime, "application/xhtml+xml");
}

/* First non-space byte of the head is '<': markup of some kind. */
static int
starts_with_markup(const char *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)h[i]))
			return h[i] == '<';
	return 0;
}

/* ---------------------------------------------- DTD entity budget */

struct ent {
	char *name;
	const char *val;	/* internal: the literal, else NULL */
	size_t len;
	int external, param;
	size_t size;		/* expanded; SIZE_MAX while computing */
	int done;
};

static int
ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name,
		      ((const struct ent *)b)->name);
}

static struct ent *
ent_find(struct ent *v, size_t n, const char *name, size_t len)
{
	char key[128];
	struct ent want;

	if (len >= sizeof(key))
		return NULL;
	memcpy(key, name, len);
	key[len] = '\0';
	want.name = key;
	return bsearch(&want, v, n, sizeof(*v), ent_cmp);
}

static int
name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' ||
	       c >= 0x80;
}

/* Expanded size of an internal general entity (saturating). */
static size_t
ent_size(struct ent *v, size_t n, struct ent *e, int depth)
{
	size_t total = 0;

	if (e->done)
		return e->size;
	if (e->size == SIZE_MAX || depth > ENTITY_DEPTH_MAX)
		return SIZE_MAX;	/* a loop, or too deep */
	if (e->external || !e->val)
		return 0;		/* never loaded */
	e->size = SIZE_MAX;
	for (size_t i = 0; i < e->len;) {
		if (e->val[i] == '&' && i + 1 < e->len &&
		    e->val[i + 1] != '#') {
			size_t j = i + 1, add = 1;
			struct ent *r;

			while (j < e->len &&
			       name_char((unsigned char)e->val[j]))
				j++;
			if (j < e->len && e->val[j] == ';' &&
			    (r = ent_find(v, n, e->val + i + 1, j - i - 1)) &&
			    !r->param)
				add = ent_size(v, n, r, depth + 1);
			total = add > SIZE_MAX - total ? SIZE_MAX : total + add;
			i = j + 1;
		} else {
			total++;
			i++;
		}
		if (total >= ENTITY_SIZE_MAX)
			break;
	}
	e->size = total;
	e->done = 1;
	return total;
}

static const char *
skip_to(const char *p, const char *end, const char *what)
{
	const char *q = memmem(p, (size_t)(end - p), what, strlen(what));

	return q ? q + strlen(what) : end;
}

static const char *
skip_quoted(const char *p, const char *end)
{
	char q = *p++;

	while (p < end && *p != q)
		p++;
	return p < end ? p + 1 : end;
}

/* Skip a markup declaration up to its '>', quotes honoured. */
static const char *
skip_decl(const char *p, const char *end)
{
	while (p < end && *p != '>') {
		if (*p == '"' || *p == '\'')
			p = skip_quoted(p, end);
		else
			p++;
	}
	return p < end ? p + 1 : end;
}

/*
 * Refuse what would make libxml2 (or us) expand entities without bound:
 * internal parameter entities, more than ENTITY_DECL_MAX declarations, an
 * entity that expands past ENTITY_SIZE_MAX (billion laughs), or references
 * that together expand past ENTITY_TOTAL_MAX (quadratic blowup).  External
 * entities are allowed to be declared: they are never loaded.
 */
static int
entity_budget(const char *s, size_t len, struct ms_err *err)
{
	const char *p = s, *end = s + len, *body;
	struct ent *v = NULL;
	size_t n = 0, cap = 0, total = 0;
	int rc = MS_OK;

	/* The prolog, up to the DOCTYPE if there is one. */
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (end - p >= 4 && !memcmp(p, "<!--", 4))
			p = skip_to(p + 4, end, "-->");
		else if (end - p >= 2 && !memcmp(p, "<?", 2))
			p = skip_to(p + 2, end, "?>");
		else
			break;
	}
	if (end - p < 9 || memcmp(p, "<!DOCTYPE", 9))
		return MS_OK;
	for (p += 9; p < end && *p != '[' && *p != '>';) {
		if (*p == '"' || *p == '\'')
			p = skip_quoted(p, end);
		else
			p++;
	}
	if (p >= end || *p != '[')
		return MS_OK;	/* no internal subset */
	p++;
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p == ']')
			break;
		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			p = skip_to(p + 4, end, "-->");
		} else if (end - p >= 2 && !memcmp(p, "<?", 2)) {
			p = skip_to(p + 2, end, "?>");
		} else if (end - p >= 8 && !memcmp(p, "<!ENTITY", 8)) {
			struct ent e;
			const char *nm;

			memset(&e, 0, sizeof(e));
			p += 8;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p < end && *p == '%') {
				e.param = 1;
				p++;
				while (p < end && isspace((unsigned char)*p))
					p++;
			}
			for (nm = p; p < end && name_char((unsigned char)*p);
			     p++)
				;
			if (p == nm || p - nm > 100)
				break;	/* malformed: libxml2 will say */
			e.name = ms_xstrndup(nm, (size_t)(p - nm));
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				const char *q = skip_quoted(p, end);

				e.val = p + 1;
				e.len = (size_t)(q - p) >= 2
						? (size_t)(q - p) - 2 : 0;
				p = q;
			} else {
				e.external = 1;
			}
			p = skip_decl(p, end);
			if (e.param && !e.external) {
				free(e.name);
				rc = ms_err_set(err, MS_EPARSE,
						"refusing a DTD that declares "
						"internal parameter entities");
				goto out;
			}
			MS_GROW(v, n + 1, cap);
			v[n++] = e;
			if (n > ENTITY_DECL_MAX) {
				rc = ms_err_set(err, MS_EPARSE,
						"refusing a DTD with more "
						"than %d entity declarations",
						ENTITY_DECL_MAX);
				goto out;
			}
		} else if (end - p >= 2 && !memcmp(p, "<!", 2)) {
			p = skip_decl(p + 2, end);
		} else if (*p == '%') {
			/* A parameter entity reference: external ones are
			 * never loaded, internal ones were refused. */
			while (p < end && *p != ';')
				p++;
			p++;
		} else {
			break;
		}
	}
	if (!n)
		goto out;
	body = p;
	qsort(v, n, sizeof(*v), ent_cmp);
	for (size_t i = 0; i < n; i++) {
		if (v[i].param)
			continue;
		if (ent_size(v, n, &v[i], 0) >= ENTITY_SIZE_MAX) {
			rc = ms_err_set(err, MS_EPARSE,
					"refusing entity '%s': it expands to "
					"more than %u bytes (an entity bomb?)",
					v[i].name, ENTITY_SIZE_MAX);
			goto out;
		}
	}
	/* Every reference in the rest of the document, expanded. */
	for (p = body; (p = memchr(p, '&', (size_t)(end - p)));) {
		const char *q = ++p;
		struct ent *r;

		while (q < end && name_char((unsigned char)*q) && q - p < 100)
			q++;
		if (q >= end || *q != ';' || q == p)
			continue;
		r = ent_find(v, n, p, (size_t)(q - p));
		if (!r || r->param)
			continue;
		total += r->size;
		if (total > ENTITY_TOTAL_MAX) {
			rc = ms_err_set(err, MS_EPARSE,
					"refusing entity references that "
					"expand to more than %u bytes "
					"(quadratic blowup?)",
					ENTITY_TOTAL_MAX);
			goto out;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return rc;
}

/* ---------------------------------------------------------- the parse */

struct shift {
	const struct ms_parse_opts *o;
	size_t skip;
};

/* The feed parser counts from the first byte after the BOM. */
static void
consumed_shift(void *arg, size_t off)
{
	struct shift *s = arg;

	s->o->on_consumed(s->o->on_consumed_arg, off + s->skip);
}

static int
parse_feed(struct ms_doc *doc, const char *data, size_t len,
	   const struct ms_parse_opts *o, struct enc *e, struct ms_err *err)
{
	const char *cand[6] = { e->rfc3023, e->xml, e->bom, "utf-8",
				"windows-1252", "iso-8859-2" };
	const char *used = NULL;
	char *conv = NULL;
	const char *buf = NULL;
	size_t blen = 0;
	struct ms_parse_opts fo = *o;
	struct shift sh = { o, e->skip };
	int rc;

	for (size_t i = 0; i < NELEM(cand) && !used; i++) {
		const char *c = cand[i];
		int seen = 0;

		if (!c || !*c)
			continue;
		for (size_t j = 0; j < i; j++)
			if (cand[j] && !strcmp(cand[j], c))
				seen = 1;
		if (seen)
			continue;
		if (is_utf8_name(c)) {
			if (!utf8_valid((const unsigned char *)data + e->skip,
					len - e->skip, o, e->skip))
				continue;
			used = c;
			buf = data + e->skip;
			blen = len - e->skip;
		} else if ((conv = to_utf8(c, data + e->skip, len - e->skip,
					   &blen))) {
			buf = conv;
			used = c;
		}
	}
	if (!used)	/* iso-8859-2 decodes anything: not reached */
		return ms_err_set(err, MS_EPARSE, "unknown character encoding");
	doc->encoding = ms_arena_strdup(&doc->arena,
					is_utf8_name(used) ? "utf-8" : used);
	if (strcmp(used, e->rfc3023)) {
		doc->recovered = true;
		doc->error = ms_arena_printf(&doc->arena,
					     "document declared as %s, but "
					     "read as %s", e->rfc3023, used);
	} else if (e->error) {
		doc->recovered = true;
		doc->error = ms_arena_printf(&doc->arena, "%s: %s",
					     e->mime[0] ? e->mime
							: "(none)", e->error);
	}
	rc = entity_budget(buf, blen, err);
	if (rc)
		goto out;
	/* Page release only makes sense while reading the caller's bytes. */
	fo.on_consumed = conv || !o->on_consumed ? NULL : consumed_shift;
	fo.on_consumed_arg = &sh;
	rc = ms_feed_parse(doc, buf, blen, &fo, err);
out:
	free(conv);
	return rc;
}

int
ms_doc_parse(const void *data, size_t len, const struct ms_parse_opts *opts,
	     struct ms_doc **out, struct ms_err *err)
{
	static const struct ms_parse_opts none;
	const struct ms_parse_opts *o = opts ? opts : &none;
	size_t max = o->max_size ? o->max_size : DEFAULT_MAX;
	struct ms_doc *doc;
	struct enc e;
	const char *what;
	char *head, root[64] = "";
	size_t hlen;
	int rc, html;

	*out = NULL;
	if (len > max)
		return ms_err_set(err, MS_ETOOBIG, "document is %zu bytes, "
				  "over the %zu-byte limit", len, max);
	if (!len)
		return ms_err_set(err, MS_EPARSE, "empty document");
	if ((what = compression(data, len)))
		return ms_err_set(err, MS_EPARSE, "%s-compressed data, not a "
				  "document (it is not decompressed)", what);
	pthread_once(&xml_once, xml_setup);

	memset(&e, 0, sizeof(e));
	sniff_bom(data, len, &e);
	head = head_text(data, len, &e, &hlen);
	xml_decl(head, hlen, &e);
	rfc3023(o->content_type, &e);
	root_name(head, hlen, root, sizeof(root));
	html = *root ? !is_feed_root(root) &&
			       (!strcasecmp(root, "html") || html_type(e.mime))
		     : html_type(e.mime);
	if (!html && !starts_with_markup(head, hlen)) {
		free(head);
		return ms_err_set(err, MS_EPARSE, "not a feed or an HTML "
				  "page (no markup at the start)");
	}
	free(head);

	doc = doc_new();
	if (html)
		rc = ms_html_parse(doc, data, len, o, err);
	else
		rc = parse_feed(doc, data, len, o, &e, err);
	if (rc) {
		ms_doc_free(doc);
		return rc;
	}
	ms_doc_enrich(doc);
	*out = doc;
	return MS_OK;
}
