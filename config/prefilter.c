/*
 * prefilter.c — skip topic patterns that cannot match a subject, before
 * PCRE2 runs.
 *
 * Running every pattern of the taxonomy over every post is the crawl's
 * biggest cost, and most posts lack most of the words the patterns look
 * for.  So each pattern gets a set of strings one of which every match
 * must contain (its literals), read conservatively from the source; a
 * subject is folded once and scanned once for all literals of the
 * taxonomy; a pattern none of whose literals occur counts 0 without a
 * match.  A pattern whose source uses anything the reader does not know
 * gets no literals and always runs: the prefilter may skip less, never a
 * subject the pattern matches (tests/config/test_taxonomy.c checks the
 * counts against PCRE2 alone).
 *
 * The fold: the patterns are caseless with Unicode properties, where an
 * ASCII letter matches its other case and nothing else, except 'k' and
 * 's', which also match U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER
 * LONG S (a test checks every code point).  So literals keep ASCII only,
 * lower-cased, and the subject's fold lower-cases ASCII and turns those
 * two into 'k' and 's'.  Non-ASCII characters in a pattern end a literal.
 */
#include "config/internal.h"
#include "util/xmalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SET_MAX 16	/* strings per set: more means "nothing known" */
#define LIT_MAX 32	/* a longer exact string is cut to a required part */
#define DEPTH_MAX 32	/* group nesting read; deeper: nothing known */
#define BUCKETS 4096	/* literal index by first three bytes, hashed */

/* ------------------------------------------------ reading the pattern */

/*
 * What a piece of a pattern tells: EXACT, it matches exactly one of the
 * strings (folded); ANY, every match contains one of them; NONE, nothing
 * is known.  The empty string in an EXACT set means it may match nothing.
 */
enum lit_kind { NONE, EXACT, ANY };

struct litset {
	enum lit_kind kind;
	size_t n;
	unsigned char len[SET_MAX];
	char s[SET_MAX][LIT_MAX];
};

struct reader {
	const char *p;
	bool fail;	/* something not understood: no literals at all */
};

static void
set_none(struct litset *x)
{
	x->kind = NONE;
	x->n = 0;
}

static void
set_exact(struct litset *x, const char *s, size_t n)
{
	x->kind = EXACT;
	x->n = 1;
	x->len[0] = (unsigned char)n;
	memcpy(x->s[0], s, n);
}

static bool
has(const struct litset *x, const char *s, size_t n)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->len[i] == n && !memcmp(x->s[i], s, n))
			return true;
	return false;
}

/* Add a string (no duplicates); false when the set is full. */
static bool
add(struct litset *x, const char *s, size_t n)
{
	if (has(x, s, n))
		return true;
	if (x->n == SET_MAX)
		return false;
	x->len[x->n] = (unsigned char)n;
	memcpy(x->s[x->n], s, n);
	x->n++;
	return true;
}

/* An EXACT set read as a requirement: it holds unless it has "". */
static void
to_any(struct litset *x)
{
	if (x->kind != EXACT)
		return;
	x->kind = ANY;
	if (has(x, "", 0))
		set_none(x);
}

/* How much a requirement narrows: its shortest string (0: nothing). */
static size_t
strength(const struct litset *x)
{
	size_t m = LIT_MAX;

	if (x->kind == NONE || !x->n)
		return 0;
	for (size_t i = 0; i < x->n; i++)
		if (x->len[i] < m)
			m = x->len[i];
	return m;
}

/* The stronger of two requirements, into a. */
static void
keep_better(struct litset *a, const struct litset *b)
{
	if (strength(b) > strength(a) ||
	    (strength(b) == strength(a) && b->n < a->n))
		*a = *b;
}

/* a followed by b into a, if the result is still an exact set. */
static bool
concat_exact(struct litset *a, const struct litset *b)
{
	struct litset r = { .kind = EXACT };

	if (a->kind != EXACT || b->kind != EXACT || a->n * b->n > SET_MAX)
		return false;
	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < b->n; k++) {
			if (a->len[i] + b->len[k] > LIT_MAX)
				return false;
			memcpy(r.s[r.n], a->s[i], a->len[i]);
			memcpy(r.s[r.n] + a->len[i], b->s[k], b->len[k]);
			r.len[r.n] = (unsigned char)(a->len[i] + b->len[k]);
			if (has(&r, r.s[r.n], r.len[r.n]))
				continue;
			r.n++;
		}
	*a = r;
	return true;
}

/* a or b, into a. */
static void
alternate(struct litset *a, const struct litset *b)
{
	struct litset y = *b;

	if (a->kind != EXACT || b->kind != EXACT) {
		to_any(a);
		to_any(&y);
		if (a->kind == NONE || y.kind == NONE) {
			set_none(a);
			return;
		}
	}
	for (size_t i = 0; i < y.n; i++)
		if (!add(a, y.s[i], y.len[i])) {
			set_none(a);
			return;
		}
}

/* Apply a quantifier {min,max} (max < 0: unbounded) to x. */
static void
quantify(struct litset *x, long min, long max)
{
	if (min == 0) {
		if (max == 1 && x->kind == EXACT && add(x, "", 0))
			return;	/* x? : x or nothing */
		set_none(x);
	} else if (!(min == 1 && max == 1)) {
		to_any(x);	/* x repeated: x occurs at least once */
	}
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static long
read_num(struct reader *r)
{
	long n = 0;

	while (is_digit(*r->p) && n < 100000)
		n = n * 10 + (*r->p++ - '0');
	return n;
}

/* A quantifier after an atom, if any; false when there is none. */
static bool
read_quant(struct reader *r, long *min, long *max)
{
	const char *p = r->p;

	switch (*p) {
	case '?':
		*min = 0;
		*max = 1;
		r->p++;
		break;
	case '*':
		*min = 0;
		*max = -1;
		r->p++;
		break;
	case '+':
		*min = 1;
		*max = -1;
		r->p++;
		break;
	case '{':
		/* {n}, {n,}, {n,m}; anything else after '{' (a literal
		 * brace in PCRE2 10.42, a quantifier in later versions) is
		 * not read. */
		r->p++;
		if (!is_digit(*r->p)) {
			r->fail = true;
			return false;
		}
		*min = *max = read_num(r);
		if (*r->p == ',') {
			r->p++;
			*max = is_digit(*r->p) ? read_num(r) : -1;
		}
		if (*r->p != '}') {
			r->fail = true;
			return false;
		}
		r->p++;
		break;
	default:
		return false;
	}
	if (*r->p == '?' || *r->p == '+')
		r->p++;	/* lazy or possessive: the same strings */
	return true;
}

/* Skip a character class after its '['. */
static void
skip_class(struct reader *r)
{
	if (*r->p == '^')
		r->p++;
	if (*r->p == ']')
		r->p++;	/* a leading ']' is a member */
	while (*r->p && *r->p != ']') {
		if (*r->p == '\\') {
			if (r->p[1] == 'Q' || !r->p[1]) {
				r->fail = true;
				return;
			}
			r->p += 2;
		} else if (r->p[0] == '[' && r->p[1] == ':') {
			const char *e = strstr(r->p + 2, ":]");

			if (!e) {
				r->fail = true;
				return;
			}
			r->p = e + 2;
		} else {
			r->p++;
		}
	}
	if (*r->p != ']') {
		r->fail = true;
		return;
	}
	r->p++;
}

/* One UTF-8 character's length from its lead byte (1 for a bad one). */
static size_t
utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static void read_alt(struct reader *r, struct litset *out, int depth);

/* An escape after its '\\'. */
static void
read_escape(struct reader *r, struct litset *x)
{
	unsigned char c = (unsigned char)*r->p;

	if (!c) {
		r->fail = true;
		return;
	}
	if (c >= 0x80) {
		/* An escaped non-ASCII character: itself, not folded. */
		size_t n = utf8_len(c);

		for (size_t i = 0; i < n && *r->p; i++)
			r->p++;
		set_none(x);
		return;
	}
	r->p++;
	if (strchr("bBAzZGKE", c)) {
		set_exact(x, "", 0);	/* assertions, match-start reset */
	} else if (strchr("wWdDsShHvVRX", c)) {
		set_none(x);		/* a character (or a few) unknown */
	} else if (c == 'p' || c == 'P') {
		if (*r->p == '{') {
			const char *e = strchr(r->p, '}');

			if (!e) {
				r->fail = true;
				return;
			}
			r->p = e + 1;
		} else if (*r->p) {
			r->p++;
		}
		set_none(x);
	} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		   is_digit((char)c)) {
		/* Back references, \x{..}, \Q..\E, \N, \g, \k ...: not read
		 * here; the pattern always runs. */
		r->fail = true;
	} else {
		char ch = (char)c;	/* an escaped punctuation character */

		set_exact(x, &ch, 1);
	}
}

/* A group after its '('. */
static void
read_group(struct reader *r, struct litset *x, int depth)
{
	bool look = false;

	if (*r->p == '*') {
		r->fail = true;	/* verbs, (*UTF) and the like */
		return;
	}
	if (*r->p == '?') {
		const char *p = r->p + 1;

		if (*p == ':' || *p == '>' || *p == '|') {
			r->p = p + 1;
		} else if (*p == '=' || *p == '!') {
			r->p = p + 1;
			look = true;
		} else if (p[0] == '<' && (p[1] == '=' || p[1] == '!')) {
			r->p = p + 2;
			look = true;
		} else if (*p == '#') {
			const char *e = strchr(p, ')');

			if (!e) {
				r->fail = true;
				return;
			}
			r->p = e + 1;
			set_exact(x, "", 0);
			return;
		} else if (*p == '<' || *p == '\'' ||
			   (p[0] == 'P' && p[1] == '<')) {
			/* A named group: skip the name. */
			char end = *p == '\'' ? '\'' : '>';
			const char *e = strchr(p, end);

			if (!e) {
				r->fail = true;
				return;
			}
			r->p = e + 1;
		} else {
			/* Options: (?i) (?-i) (?i:...); extended mode would
			 * make spaces in the source mean nothing.  Other
			 * letters are recursion, callouts ...: not read. */
			size_t n = strspn(p, "imnsxJU-^");

			if (memchr(p, 'x', n) || (p[n] != ')' && p[n] != ':')) {
				r->fail = true;
				return;
			}
			r->p = p + n + 1;
			if (p[n] == ')') {
				set_exact(x, "", 0);
				return;
			}
		}
	}
	read_alt(r, x, depth + 1);
	if (r->fail)
		return;
	if (*r->p != ')') {
		r->fail = true;
		return;
	}
	r->p++;
	if (look)
		set_exact(x, "", 0);	/* matches no text of its own */
}

/*
 * A sequence of atoms up to '|', ')' or the end.  Atoms that are exact
 * sets are joined while they stay exact ("hrung" from five letters); where
 * the run breaks (a class, a quantifier that allows nothing, a set that
 * grows too large) what the run requires is kept if it beats the best
 * requirement so far.  A sequence that never broke is itself exact.
 */
static void
read_seq(struct reader *r, struct litset *out, int depth)
{
	struct litset best, run;
	bool broke = false;

	set_none(&best);
	set_exact(&run, "", 0);
	while (*r->p && *r->p != '|' && *r->p != ')' && !r->fail) {
		struct litset x;
		unsigned char c = (unsigned char)*r->p;
		long min, max;

		if (c == '(') {
			r->p++;
			read_group(r, &x, depth);
		} else if (c == '[') {
			r->p++;
			skip_class(r);
			set_none(&x);
		} else if (c == '\\') {
			r->p++;
			read_escape(r, &x);
		} else if (c == '.') {
			r->p++;
			set_none(&x);
		} else if (c == '^' || c == '$') {
			r->p++;
			set_exact(&x, "", 0);
		} else if (c == '?' || c == '*' || c == '+' || c == '{') {
			r->fail = true;	/* a quantifier with nothing before */
		} else if (c >= 0x80 || c < 0x20) {
			for (size_t n = utf8_len(c); n && *r->p; n--)
				r->p++;
			set_none(&x);
		} else {
			char ch = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);

			r->p++;
			set_exact(&x, &ch, 1);
		}
		if (r->fail)
			return;
		while (read_quant(r, &min, &max))
			quantify(&x, min, max);
		if (concat_exact(&run, &x))
			continue;
		broke = true;
		to_any(&run);
		keep_better(&best, &run);
		if (x.kind == EXACT) {
			run = x;
		} else {
			keep_better(&best, &x);
			set_exact(&run, "", 0);
		}
	}
	if (!broke) {
		*out = run;
		return;
	}
	to_any(&run);
	keep_better(&best, &run);
	*out = best;
}

/* Alternatives up to ')' or the end. */
static void
read_alt(struct reader *r, struct litset *out, int depth)
{
	if (depth > DEPTH_MAX) {
		r->fail = true;
		return;
	}
	read_seq(r, out, depth);
	while (!r->fail && *r->p == '|') {
		struct litset b;

		r->p++;
		read_seq(r, &b, depth);
		alternate(out, &b);
	}
}

/* Does a contain b? */
static bool
contains(const char *a, size_t an, const char *b, size_t bn)
{
	return bn <= an && memmem(a, an, b, bn) != NULL;
}

void
ms_pattern_literals(struct ms_pattern *p)
{
	struct reader r = { p->source, false };
	struct litset x;

	p->literals = NULL;
	p->nliterals = 0;
	read_alt(&r, &x, 0);
	if (r.fail || *r.p)
		return;
	to_any(&x);
	if (x.kind == NONE || !x.n)
		return;
	p->literals = ms_xcalloc(x.n, sizeof(*p->literals));
	for (size_t i = 0; i < x.n; i++) {
		bool implied = false;

		/* "founder" does for "founders": it is in every one. */
		for (size_t k = 0; k < x.n && !implied; k++)
			implied = k != i && contains(x.s[i], x.len[i],
						     x.s[k], x.len[k]) &&
				  (x.len[k] < x.len[i] || k < i);
		if (!implied)
			p->literals[p->nliterals++] =
				ms_xstrndup(x.s[i], x.len[i]);
	}
}

/* ------------------------------------------------- the literal index */

struct ms_litindex {
	char **lits;		/* each literal of the taxonomy once */
	size_t *lens;
	uint32_t *head, *mask;	/* first (up to) four bytes, for a quick
				 * compare before memcmp */
	size_t nlits;
	uint32_t start[BUCKETS + 1];	/* bucket b: order[start[b]..] */
	uint32_t *order;
	uint64_t heads[65536 / 64];	/* a literal starts with these three
					 * bytes (hashed) */
	size_t norder;
	uint32_t *shorts;	/* literals of one byte */
	size_t nshorts;
	/* Literal i is one of the patterns pats[pstart[i]..pstart[i + 1]]
	 * (their idx); patterns without literals: always[0..nalways]. */
	uint32_t *pstart, *pats;
	uint32_t *always;
	size_t nalways, npatterns;
};

/* The first three bytes of a word w read (little-endian) from a subject,
 * hashed to 16 bits. */
static unsigned
head_of_word(uint32_t w)
{
	return ((w & 0xffffff) * 2654435761u) >> 16;
}

/* The first three bytes of s, hashed to 16 bits. */
static unsigned
head_of(const unsigned char *s)
{
	return head_of_word((uint32_t)s[0] | (uint32_t)s[1] << 8 |
			    (uint32_t)s[2] << 16);
}

static unsigned
bucket_of(unsigned head)
{
	return head & (BUCKETS - 1);
}

static unsigned
lit_id(struct ms_litindex *x, const char *s)
{
	size_t i;

	for (i = 0; i < x->nlits; i++)
		if (!strcmp(x->lits[i], s))
			return (unsigned)i;
	x->lits = ms_xreallocarray(x->lits, x->nlits + 1, sizeof(*x->lits));
	x->lits[x->nlits] = ms_xstrdup(s);
	return (unsigned)x->nlits++;
}

/*
 * Number the patterns (idx) and list, per literal, the patterns it is a
 * literal of, so that a subject's found literals give the patterns that
 * may match at once, not by a test of every literal of every pattern per
 * topic count.
 */
static void
index_patterns(struct ms_taxonomy *t, struct ms_litindex *x)
{
	uint32_t *fill;
	size_t n = 0;

	x->pstart = ms_xcalloc(x->nlits + 2, sizeof(*x->pstart));
	for (size_t i = 0; i < t->ntopics; i++)
		for (size_t k = 0; k < t->topics[i].npatterns; k++) {
			struct ms_pattern *p = &t->topics[i].patterns[k];

			p->idx = (unsigned)x->npatterns++;
			if (!p->nliterals)
				x->nalways++;
			for (size_t l = 0; l < p->nliterals; l++, n++)
				x->pstart[p->lit_ids[l] + 1]++;
		}
	for (size_t i = 0; i < x->nlits; i++)
		x->pstart[i + 1] += x->pstart[i];
	x->pats = ms_xcalloc(n ? n : 1, sizeof(*x->pats));
	x->always = ms_xcalloc(x->nalways ? x->nalways : 1,
			       sizeof(*x->always));
	fill = ms_xcalloc(x->nlits ? x->nlits : 1, sizeof(*fill));
	x->nalways = 0;
	for (size_t i = 0; i < t->ntopics; i++)
		for (size_t k = 0; k < t->topics[i].npatterns; k++) {
			struct ms_pattern *p = &t->topics[i].patterns[k];

			if (!p->nliterals)
				x->always[x->nalways++] = p->idx;
			for (size_t l = 0; l < p->nliterals; l++) {
				unsigned id = p->lit_ids[l];

				x->pats[x->pstart[id] + fill[id]++] = p->idx;
			}
		}
	free(fill);
}

void
ms_prefilter_build(struct ms_taxonomy *t)
{
	struct ms_litindex *x = ms_xcalloc(1, sizeof(*x));
	uint32_t *fill = NULL;

	for (size_t i = 0; i < t->ntopics; i++)
		for (size_t k = 0; k < t->topics[i].npatterns; k++) {
			struct ms_pattern *p = &t->topics[i].patterns[k];

			free(p->lit_ids);
			p->lit_ids = NULL;
			if (!p->nliterals)
				continue;
			p->lit_ids = ms_xcalloc(p->nliterals,
						sizeof(*p->lit_ids));
			for (size_t l = 0; l < p->nliterals; l++)
				p->lit_ids[l] = lit_id(x, p->literals[l]);
		}
	index_patterns(t, x);
	x->lens = ms_xcalloc(x->nlits ? x->nlits : 1, sizeof(*x->lens));
	x->shorts = ms_xcalloc(x->nlits ? x->nlits : 1, sizeof(*x->shorts));
	x->head = ms_xcalloc(x->nlits ? x->nlits : 1, sizeof(*x->head));
	x->mask = ms_xcalloc(x->nlits ? x->nlits : 1, sizeof(*x->mask));
	/* Two passes over the three-byte heads: count per bucket, then
	 * fill.  A two-byte literal is filed under every third byte it may
	 * meet (0 too, the padding after a subject's end). */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < x->nlits; i++) {
			unsigned char h[3];
			unsigned nthird;

			if (!pass) {
				x->lens[i] = strlen(x->lits[i]);
				memcpy(&x->head[i], x->lits[i],
				       x->lens[i] < 4 ? x->lens[i] : 4);
				memset(&x->mask[i], 0xff,
				       x->lens[i] < 4 ? x->lens[i] : 4);
			}
			if (x->lens[i] < 2) {
				if (!pass)
					x->shorts[x->nshorts++] = (uint32_t)i;
				continue;
			}
			memcpy(h, x->lits[i], x->lens[i] < 3 ? 2 : 3);
			nthird = x->lens[i] < 3 ? 256 : 1;
			for (unsigned k = 0; k < nthird; k++) {
				unsigned hh, b;

				if (nthird > 1)
					h[2] = (unsigned char)k;
				hh = head_of(h);
				b = bucket_of(hh);
				if (!pass) {
					x->heads[hh / 64] |= 1ull << (hh % 64);
					x->start[b + 1]++;
					x->norder++;
				} else {
					x->order[x->start[b] + fill[b]++] =
						(uint32_t)i;
				}
			}
		}
		if (!pass) {
			for (size_t b = 0; b < BUCKETS; b++)
				x->start[b + 1] += x->start[b];
			x->order = ms_xcalloc(x->norder ? x->norder : 1,
					      sizeof(*x->order));
			fill = ms_xcalloc(BUCKETS, sizeof(*fill));
		}
	}
	free(fill);
	t->lits = x;
}

void
ms_prefilter_free(struct ms_litindex *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nlits; i++)
		free(x->lits[i]);
	free(x->lits);
	free(x->lens);
	free(x->head);
	free(x->mask);
	free(x->order);
	free(x->shorts);
	free(x->pstart);
	free(x->pats);
	free(x->always);
	free(x);
}

/* ------------------------------------------------------- the subjects */

/* Do the n bytes of literal lit start at s?  The first four matched
 * already (the head); the rest, mostly a few bytes, compared here rather
 * than by a call to memcmp. */
static bool
tail_equal(const unsigned char *s, const char *lit, size_t n)
{
	for (size_t j = 4; j < n; j++)
		if (s[j] != (unsigned char)lit[j])
			return false;
	return true;
}

/* The fold (see the top): out has room for len + 1 bytes. */
static size_t
fold(const unsigned char *s, size_t len, char *out)
{
	const uint64_t high = 0x8080808080808080ull;
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		uint64_t w, upper;

		/*
		 * Eight bytes of ASCII at once, the common case: a byte's
		 * top bit after adding 0x3f says >= 'A', after adding 0x25
		 * > 'Z' (no carry crosses bytes under 0x80); the upper-case
		 * ones get 0x20 added.
		 */
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if (!(w & high)) {
				upper = (w + 0x3f3f3f3f3f3f3f3full) &
					~(w + 0x2525252525252525ull) & high;
				w |= upper >> 2;
				memcpy(out + k, &w, 8);
				k += 8;
				i += 7;
				continue;
			}
		}
		if (c >= 'A' && c <= 'Z') {
			out[k++] = (char)(c + 32);
		} else if (c == 0xe2 && i + 2 < len && s[i + 1] == 0x84 &&
			   s[i + 2] == 0xaa) {
			out[k++] = 'k';	/* U+212A KELVIN SIGN */
			i += 2;
		} else if (c == 0xc5 && i + 1 < len && s[i + 1] == 0xbf) {
			out[k++] = 's';	/* U+017F LONG S */
			i += 1;
		} else {
			out[k++] = (char)c;
		}
	}
	out[k] = '\0';
	return k;
}

void
ms_subject_init(const struct ms_taxonomy *t, struct ms_subject *sub,
		const char *s, size_t len)
{
	ms_subject_prepare(t, sub, s, len, true);
}

void
ms_subject_prepare(const struct ms_taxonomy *t, struct ms_subject *sub,
		   const char *s, size_t len, bool scan)
{
	const struct ms_litindex *x = t && scan ? t->lits : NULL;
	const unsigned char *f;

	memset(sub, 0, sizeof(*sub));
	sub->s = s;
	sub->len = s ? len : 0;
	sub->tax = t;
	/* The match data of the check is kept for the counts. */
	sub->md = sub->len ? ms_taxonomy_utf8_md(t, s, sub->len) : NULL;
	sub->ok = sub->md != NULL;
	if (!sub->ok)
		return;
	/* Zeros after the end: the scan reads four bytes at a time. */
	sub->folded = ms_xmalloc(sub->len + 4);
	sub->flen = fold((const unsigned char *)s, sub->len, sub->folded);
	memset(sub->folded + sub->flen, 0, 4);
	if (!x)
		return;
	sub->found = ms_xcalloc((x->nlits + 63) / 64 + 1,
				sizeof(*sub->found));
	f = (const unsigned char *)sub->folded;
	for (size_t i = 0; i + 1 < sub->flen; i++) {
		unsigned h, b;
		uint32_t w;

		/* One load for the head and the compares (as head_of). */
		memcpy(&w, f + i, 4);
		h = head_of_word(w);
		if (!(x->heads[h / 64] >> (h % 64) & 1))
			continue;
		b = bucket_of(h);
		for (uint32_t k = x->start[b]; k < x->start[b + 1]; k++) {
			uint32_t id = x->order[k];

			/* Found once is enough: posts repeat their words. */
			if (sub->found[id / 64] >> (id % 64) & 1 ||
			    (w & x->mask[id]) != x->head[id] ||
			    x->lens[id] > sub->flen - i)
				continue;
			if (tail_equal(f + i, x->lits[id], x->lens[id]))
				sub->found[id / 64] |= 1ull << (id % 64);
		}
	}
	for (size_t k = 0; k < x->nshorts; k++) {
		uint32_t id = x->shorts[k];

		if (memchr(f, x->lits[id][0], sub->flen))
			sub->found[id / 64] |= 1ull << (id % 64);
	}
	sub->may = ms_xcalloc(x->npatterns / 64 + 1, sizeof(*sub->may));
	for (size_t k = 0; k < x->nalways; k++)
		sub->may[x->always[k] / 64] |= 1ull << (x->always[k] % 64);
	for (size_t wi = 0; wi <= x->nlits / 64; wi++)
		for (uint64_t bits = sub->found[wi]; bits; bits &= bits - 1) {
			size_t id = wi * 64 + (size_t)__builtin_ctzll(bits);

			for (uint32_t k = x->pstart[id]; k < x->pstart[id + 1];
			     k++)
				sub->may[x->pats[k] / 64] |=
					1ull << (x->pats[k] % 64);
		}
}

void
ms_subject_release(struct ms_subject *sub)
{
	free(sub->folded);
	free(sub->found);
	free(sub->may);
	pcre2_match_data_free(sub->md);
	memset(sub, 0, sizeof(*sub));
}

bool
ms_subject_may_match(const struct ms_taxonomy *t,
		     const struct ms_topic *topic,
		     const struct ms_pattern *p, const struct ms_subject *sub)
{
	if (!p->nliterals || !sub->folded)
		return true;
	/* The index only knows the literals of t's own topics. */
	if (p->lit_ids && sub->found && sub->tax == t &&
	    topic >= t->topics && topic < t->topics + t->ntopics) {
		for (size_t i = 0; i < p->nliterals; i++)
			if (sub->found[p->lit_ids[i] / 64] >>
			    (p->lit_ids[i] % 64) & 1)
				return true;
		return false;
	}
	for (size_t i = 0; i < p->nliterals; i++)
		if (memmem(sub->folded, sub->flen, p->literals[i],
			   strlen(p->literals[i])))
			return true;
	return false;
}
