/*
 * fuzz_html.c — HTML comment pages and fragments: ms_doc_parse() told the
 * bytes are text/html (autodiscovery, comment threads, comments_open) and
 * ms_fragment_parse() on the same bytes as entry content (text and links).
 * A fragment's text stays within its cap and is valid UTF-8 when its input
 * is; its links are absolute http(s) URLs, each once.
 *
 * Input: the page's bytes; a hash of them picks the charset, the base URL
 * and the text cap.
 */
#include "fuzz/fuzz.h"
#include "analyzer/analyzer.h"
#include "analyzer/internal.h"
#include "util/err.h"
#include "util/url.h"

#include <jansson.h>
#include <stdbool.h>

static const char *const content_types[] = {
	"text/html",
	"text/html; charset=utf-8",
	"text/html; charset=windows-1252",
	"text/html; charset=shift_jis",
	"text/html; charset=utf-16le",
	"application/xhtml+xml",
	"text/html; charset=no-such-encoding",
	"TEXT/HTML;CHARSET=\"ISO-8859-1\"",
};

static const char *const bases[] = {
	"https://blog.example/2024/01/post.html",
	"http://www.example.org/a/b/?p=1#c",
	NULL,
	"https://user.blogspot.com/",
};

static const size_t caps[] = { 0, 1, 7, 64, 4096, 1 << 20 };

static uint32_t
hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Well-formed UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
static bool
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], need, cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return false;
		if (n - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

static void
fragment(const uint8_t *data, size_t size, const char *base, size_t cap)
{
	struct ms_fragment f;
	struct ms_arena a;

	ms_arena_init(&a);
	ms_fragment_parse(&a, (const char *)data, size, base, cap, &f);
	if (f.text) {
		size_t n = strlen(f.text);

		FUZZ_CHECK(n <= cap, "text of %zu bytes over its cap %zu", n,
			   cap);
		if (utf8_ok(data, size))
			FUZZ_CHECK(utf8_ok((const unsigned char *)f.text, n),
				   "text is not UTF-8");
	}
	for (size_t i = 0; i < f.nlinks; i++) {
		FUZZ_CHECK(ms_url_is_http(f.links[i]), "link '%s'",
			   f.links[i]);
		/* Quadratic, but fragments that fit max_len have few links. */
		for (size_t j = 0; j < i && i < 512; j++)
			FUZZ_CHECK(strcmp(f.links[i], f.links[j]),
				   "link '%s' twice", f.links[i]);
	}
	ms_arena_release(&a);
}

int
ms_fuzz_html(const uint8_t *data, size_t size)
{
	uint32_t h = hash(data, size);
	struct ms_parse_opts o = { 0 };
	struct ms_doc *doc = NULL;
	struct ms_err err = { 0 };
	int rc;

	o.content_type = content_types[h % 8];
	o.url = bases[h >> 3 & 3];
	o.no_text = h >> 5 & 1;
	rc = ms_doc_parse(data, size, &o, &doc, &err);
	if (rc) {
		FUZZ_CHECK(rc == MS_EPARSE || rc == MS_ETOOBIG, "code %d: %s",
			   rc, err.msg);
	} else {
		char *json = ms_doc_to_json(doc);
		json_error_t jerr;
		json_t *j = json_loads(json, 0, &jerr);

		FUZZ_CHECK(j, "ms_doc_to_json: %s", jerr.text);
		json_decref(j);
		free(json);
		FUZZ_CHECK(doc->comments_open >= -1 && doc->comments_open <= 1,
			   "comments_open %d", doc->comments_open);
		for (size_t i = 0; i < doc->nfeed_links; i++)
			FUZZ_CHECK(doc->feed_links[i], "NULL feed link");
		ms_doc_free(doc);
	}
	fragment(data, size, o.url, caps[(h >> 6) % 6]);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_html)
