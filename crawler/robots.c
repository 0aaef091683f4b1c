/*
 * robots.c — robots.txt per RFC 9309: groups by user-agent (our product
 * token, case-insensitive, else "*"; several matching groups combine),
 * Allow/Disallow with "*" and "$", the longest match decides and Allow wins
 * a tie, percent-encodings compared in one normal form.  Crawl-delay is
 * not in the RFC but widely used; we read it from the chosen group.
 */
#include "crawler/crawler.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RULES 10000
#define MAX_PATTERN 2048

struct rule {
	char *pat;	/* normalized, '*' appended unless '$'-anchored */
	size_t plen;	/* of pat */
	size_t len;	/* of the rule as written: "longest match" */
	bool allow;
};

struct group_rules {
	struct rule *v;
	size_t n, cap;
	double delay;
	bool seen;	/* a group for this agent exists */
};

struct ms_robots {
	struct group_rules ours, star;
};

static int
hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * One normal form for paths and patterns: %XX of an unreserved character
 * decoded, other %xx upper-cased, bytes outside printable ASCII encoded.
 */
static char *
normalize(const char *s, size_t n, size_t *outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = ms_xmalloc(n * 3 + 1), *p = o;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
			int v = hexv(s[i + 1]) * 16 + hexv(s[i + 2]);

			if (isalnum(v) || v == '-' || v == '.' || v == '_' ||
			    v == '~') {
				*p++ = (char)v;
			} else {
				*p++ = '%';
				*p++ = hex[v >> 4];
				*p++ = hex[v & 15];
			}
			i += 2;
		} else if (c <= 0x20 || c >= 0x7f) {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	*outlen = (size_t)(p - o);
	return o;
}

/*
 * Does the whole of path match pat, where '*' matches any run of bytes?
 * (Rules are stored with a trailing '*' unless anchored by '$', so this is
 * RFC 9309's prefix match.)  Linear backtracking on the last star only.
 */
static bool
match(const char *pat, size_t plen, const char *path, size_t n)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;

	while (si < n) {
		if (pi < plen && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < plen && pat[pi] == path[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

static void
add_rule(struct group_rules *g, const char *v, size_t n, bool allow)
{
	struct rule *r;

	if (g->n >= MAX_RULES || n > MAX_PATTERN)
		return;
	MS_GROW(g->v, g->n + 1, g->cap);
	r = &g->v[g->n++];
	r->len = n;
	if (v[n - 1] == '$') {
		r->pat = normalize(v, n - 1, &r->plen);
	} else {
		char *p = normalize(v, n, &r->plen);

		r->pat = ms_xrealloc(p, r->plen + 2);
		r->pat[r->plen++] = '*';
		r->pat[r->plen] = '\0';
	}
	r->allow = allow;
}

/* The product token at the start of a user-agent value. */
static bool
agent_is(const char *v, size_t n, const char *agent)
{
	size_t t = 0;

	while (t < n && (isalpha((unsigned char)v[t]) || v[t] == '-' ||
			 v[t] == '_'))
		t++;
	return t && t == strlen(agent) && !strncasecmp(v, agent, t);
}

struct ms_robots *
ms_robots_parse(const char *body, size_t len, size_t max, const char *agent)
{
	struct ms_robots *r = ms_xcalloc(1, sizeof(*r));
	bool g_ours = false, g_star = false, in_rules = true;
	const char *p = body, *end;

	r->ours.delay = r->star.delay = -1;
	if (!body)
		return r;
	if (max && len > max)
		len = max;
	end = body + len;
	/* A UTF-8 BOM is allowed (RFC 9309 §2.2). */
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end) {
		const char *eol = p, *colon, *k, *v, *ve;
		size_t kl;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		ve = memchr(p, '#', (size_t)(eol - p));
		if (!ve)
			ve = eol;
		colon = memchr(p, ':', (size_t)(ve - p));
		if (!colon)
			goto next;
		k = p;
		while (k < colon && isspace((unsigned char)*k))
			k++;
		kl = (size_t)(colon - k);
		while (kl && isspace((unsigned char)k[kl - 1]))
			kl--;
		v = colon + 1;
		while (v < ve && isspace((unsigned char)*v))
			v++;
		while (ve > v && isspace((unsigned char)ve[-1]))
			ve--;
		if (kl == 10 && !strncasecmp(k, "user-agent", 10)) {
			if (in_rules) {
				g_ours = g_star = false;
				in_rules = false;
			}
			if (ve - v == 1 && *v == '*')
				g_star = true;
			else if (agent_is(v, (size_t)(ve - v), agent))
				g_ours = true;
			if (g_ours)
				r->ours.seen = true;
			if (g_star)
				r->star.seen = true;
		} else if ((kl == 5 && !strncasecmp(k, "allow", 5)) ||
			   (kl == 8 && !strncasecmp(k, "disallow", 8))) {
			bool allow = kl == 5;

			in_rules = true;
			if (ve == v)	/* "Disallow:" with no path: no rule */
				goto next;
			if (g_ours)
				add_rule(&r->ours, v, (size_t)(ve - v), allow);
			if (g_star)
				add_rule(&r->star, v, (size_t)(ve - v), allow);
		} else if (kl == 11 && !strncasecmp(k, "crawl-delay", 11)) {
			char buf[32];
			size_t n = (size_t)(ve - v) < sizeof(buf) - 1
					   ? (size_t)(ve - v)
					   : sizeof(buf) - 1;
			char *e;
			double d;

			in_rules = true;
			memcpy(buf, v, n);
			buf[n] = '\0';
			d = strtod(buf, &e);
			if (e == buf || d < 0 || d != d)
				goto next;
			if (g_ours)
				r->ours.delay = d;
			if (g_star)
				r->star.delay = d;
		} else if (kl == 7 && !strncasecmp(k, "sitemap", 7)) {
			/* Not part of any group (RFC 9309 §2.2.4). */
		} else {
			in_rules = true;
		}
next:
		p = eol;
		while (p < end && (*p == '\n' || *p == '\r'))
			p++;
	}
	return r;
}

static const struct group_rules *
group(const struct ms_robots *r)
{
	return r->ours.seen ? &r->ours : &r->star;
}

bool
ms_robots_allowed(const struct ms_robots *r, const char *path)
{
	const struct group_rules *g;
	size_t n, best = 0;
	bool allow = true, found = false;
	char *np;

	if (!r)
		return true;
	if (!strcmp(path, "/robots.txt"))
		return true;
	g = group(r);
	if (!g->n)
		return true;
	np = normalize(path, strlen(path), &n);
	for (size_t i = 0; i < g->n; i++) {
		const struct rule *ru = &g->v[i];

		if (!match(ru->pat, ru->plen, np, n))
			continue;
		if (!found || ru->len > best ||
		    (ru->len == best && ru->allow && !allow)) {
			best = ru->len;
			allow = ru->allow;
			found = true;
		}
	}
	free(np);
	return allow;
}

double
ms_robots_crawl_delay(const struct ms_robots *r)
{
	return r ? group(r)->delay : -1;
}

static void
free_group(struct group_rules *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].pat);
	free(g->v);
}

void
ms_robots_free(struct ms_robots *r)
{
	if (!r)
		return;
	free_group(&r->ours);
	free_group(&r->star);
	free(r);
}
