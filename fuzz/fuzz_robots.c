/*
 * fuzz_robots.c — crawler/robots.c: ms_robots_parse() on arbitrary bodies,
 * and ms_robots_allowed() checked against a slow reference matcher
 * written from RFC 9309 §2.2.2 (RELIABILITY.md §5.1).
 *
 * Input, two shapes chosen by the first byte:
 *   0x01 PATH "\n" RULE...   differential: each RULE line is 'A' or 'D'
 *            and a pattern; the target writes them as one "*" group and
 *            compares the answer for PATH with the reference.  Patterns
 *            and path keep only printable ASCII without '%' and '#', the
 *            bytes whose meaning no normalization or comment changes.
 *   anything else           a robots.txt body; its last line is also the
 *            path asked about.
 */
#include "fuzz/fuzz.h"
#include "crawler/crawler.h"

#include <math.h>
#include <stdbool.h>

#define AGENT "mentorscout"
#define REF_MAX 256	/* pattern and path bytes the reference looks at */
#define REF_RULES 64

struct ref_rule {
	char pat[REF_MAX + 1];
	size_t n;
	bool allow;
};

static bool
plain_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '%' && c != '#';
}

/* Copy the plain bytes of [p, end) into out (at most REF_MAX). */
static size_t
plain(const char *p, const char *end, char *out)
{
	size_t n = 0;

	for (; p < end && n < REF_MAX; p++)
		if (plain_byte((unsigned char)*p))
			out[n++] = *p;
	out[n] = '\0';
	return n;
}

/*
 * RFC 9309 §2.2.2: a rule matches when its path (with '*' for any run of
 * characters, and '$' as its last character for the end of the path)
 * matches the start of the path.  Dynamic programming over (pattern
 * position, path position): no backtracking to get wrong.
 */
static bool
ref_match(const char *pat, size_t plen, const char *path, size_t n)
{
	static bool m[REF_MAX + 2][REF_MAX + 2];
	bool anchored = plen && pat[plen - 1] == '$';

	if (anchored)
		plen--;
	/* m[i][j]: pat[i..] matches what follows path[..j) as required. */
	for (size_t i = plen + 1; i-- > 0;) {
		for (size_t j = n + 1; j-- > 0;) {
			if (i == plen)
				m[i][j] = anchored ? j == n : true;
			else if (pat[i] == '*')
				m[i][j] = m[i + 1][j] || (j < n && m[i][j + 1]);
			else
				m[i][j] = j < n && pat[i] == path[j] &&
					  m[i + 1][j + 1];
		}
	}
	return m[0][0];
}

static bool
ref_allowed(const struct ref_rule *r, size_t nr, const char *path)
{
	size_t n = strlen(path), best = 0;
	bool allow = true, found = false;

	if (!strcmp(path, "/robots.txt"))
		return true;
	for (size_t i = 0; i < nr; i++) {
		if (!ref_match(r[i].pat, r[i].n, path, n))
			continue;
		/* The most octets wins; Allow on a tie. */
		if (!found || r[i].n > best ||
		    (r[i].n == best && r[i].allow && !allow)) {
			best = r[i].n;
			allow = r[i].allow;
			found = true;
		}
	}
	return allow;
}

static void
differential(const char *p, const char *end)
{
	static struct ref_rule rules[REF_RULES];
	char path[REF_MAX + 1], *body;
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	size_t nr = 0, blen = 0;
	struct ms_robots *r;

	if (!eol)
		eol = end;
	plain(p, eol, path);
	p = eol < end ? eol + 1 : end;
	body = malloc(32 + REF_RULES * (REF_MAX + 16));
	if (!body)
		abort();
	blen += (size_t)sprintf(body, "User-agent: *\n");
	while (p < end && nr < REF_RULES) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol > p && (*p == 'A' || *p == 'D')) {
			struct ref_rule *ru = &rules[nr];

			ru->allow = *p == 'A';
			ru->n = plain(p + 1, eol, ru->pat);
			/* "Disallow:" with no path is no rule at all. */
			if (ru->n) {
				blen += (size_t)sprintf(body + blen, "%s: %s\n",
							ru->allow ? "Allow"
								  : "Disallow",
							ru->pat);
				nr++;
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	r = ms_robots_parse(body, blen, 0, AGENT);
	FUZZ_CHECK(ms_robots_allowed(r, path) == ref_allowed(rules, nr, path),
		   "path '%s' in\n%s", path, body);
	ms_robots_free(r);
	free(body);
}

static void
raw(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *last = body + size;
	struct ms_robots *r;
	double d;
	char *path;

	while (last > body && last[-1] != '\n')
		last--;
	path = fuzz_cstr((const uint8_t *)last, size - (size_t)(last - body));
	for (int pass = 0; pass < 2; pass++) {
		r = ms_robots_parse(body, size, pass ? size / 2 : 0, AGENT);
		d = ms_robots_crawl_delay(r);
		FUZZ_CHECK(d == -1 || (d >= 0 && !isnan(d)), "delay %g", d);
		FUZZ_CHECK(ms_robots_allowed(r, "/robots.txt"),
			   "robots.txt denied");
		ms_robots_allowed(r, path);
		ms_robots_allowed(r, "/");
		ms_robots_free(r);
	}
	free(path);
}

int
ms_fuzz_robots(const uint8_t *data, size_t size)
{
	if (size && data[0] == 0x01)
		differential((const char *)data + 1, (const char *)data + size);
	else
		raw(data, size);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_robots)
