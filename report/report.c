/*
 * report.c — picks the writer for a format and holds what every writer
 * needs: making feed-derived strings safe to show (a blog's name is
 * whatever its owner, or an attacker, typed), display width for the
 * terminal table, the http(s)-only link rule, dates and the labels of the
 * signals and evidence counts.
 */
#include "report/internal.h"
#include "util/err.h"
#include "util/url.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Must match enum ms_report_format. */
static const char *const format_names[] = { "text", "json", "md", "html" };

int
ms_report_format(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names);
	     i++)
		if (!strcmp(name, format_names[i]))
			return (int)i;
	return -1;
}

int
ms_report_write(FILE *f, enum ms_report_format fmt,
		struct ms_view *const *views, size_t nviews,
		const struct ms_report_opts *o)
{
	static const struct ms_report_opts defaults = { .width = 80 };
	int rc;

	if (!o)
		o = &defaults;
	switch (fmt) {
	case MS_FMT_TEXT:
		rc = ms_report_text(f, views, nviews, o);
		break;
	case MS_FMT_JSON:
		rc = ms_report_json(f, views, nviews, o);
		break;
	case MS_FMT_MD:
		rc = ms_report_md(f, views, nviews, o);
		break;
	case MS_FMT_HTML:
		rc = ms_report_html(f, views, nviews, o);
		break;
	default:
		return MS_EUSAGE;
	}
	/* A report cut short by a full disk is a failure, not a short file. */
	if (fflush(f) == EOF || ferror(f))
		rc = MS_EIO;
	return rc;
}

/* ------------------------------------------------------------ UTF-8 */

/*
 * Decode one strictly valid UTF-8 sequence (no overlongs, surrogates or
 * code points past U+10FFFF) from s[0..n); returns its length, or 0 when
 * s does not start one.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

static void
utf8_add(struct ms_buf *b, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	ms_buf_add(b, u, n);
}

/* --------------------------------------------------------- cleaning */

/* Code points that reorder text (Trojan Source, CVE-2021-42574) or are
 * invisible formatting with no place in a name or title. */
static int
is_dropped_format(uint32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xFEFF;
}

static int
is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 ||
	       c == 0x2028 || c == 0x2029;
}

/*
 * Where a control string (OSC, DCS, SOS, PM, APC) that starts at s[i]
 * ends: just past its BEL, ESC \ or C1 ST; 0 when it is never terminated
 * (then only the introducer is dropped and the rest shows as text).
 */
static size_t
skip_control_string(const unsigned char *s, size_t n, size_t i)
{
	for (; i < n; i++) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == 0x1B && i + 1 < n && s[i + 1] == '\\')
			return i + 2;
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0x9C)
			return i + 2;
	}
	return 0;
}

/* Past a CSI's parameter and intermediate bytes and its final byte. */
static size_t
skip_csi(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && s[i] >= 0x20 && s[i] <= 0x3F)
		i++;
	if (i < n && s[i] >= 0x40 && s[i] <= 0x7E)
		i++;
	return i;
}

/*
 * Past the escape sequence whose introducer (ESC, or a C1 control given
 * as its code point c) ends at s[i]: ESC [ and CSI take parameters, ESC ],
 * ESC P ... and their C1 forms take a string, ESC + intermediates + final
 * is a short sequence.
 */
static size_t
skip_escape(const unsigned char *s, size_t n, size_t i, uint32_t c)
{
	size_t end;

	if (c == 0x1B && i < n) {
		switch (s[i]) {
		case '[':
			return skip_csi(s, n, i + 1);
		case ']': case 'P': case 'X': case '^': case '_':
			end = skip_control_string(s, n, i + 1);
			return end ? end : i + 1;
		default:
			while (i < n && s[i] >= 0x20 && s[i] <= 0x2F)
				i++;
			if (i < n && s[i] >= 0x30 && s[i] <= 0x7E)
				i++;
			return i;
		}
	}
	if (c == 0x9B)
		return skip_csi(s, n, i);
	if (c == 0x90 || c == 0x98 || c == 0x9D || c == 0x9E || c == 0x9F) {
		end = skip_control_string(s, n, i);
		return end ? end : i;
	}
	return i;
}

char *
ms_report_clean(struct ms_arena *a, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	struct ms_buf b = MS_BUF_INIT(MS_REPORT_FIELD_MAX + 8);
	size_t n, i = 0, len;
	int space = 0;
	uint32_t c;
	char *res;

	if (!str)
		return NULL;
	n = strlen(str);
	while (i < n) {
		len = utf8_decode(s + i, n - i, &c);
		if (!len) {
			c = 0xFFFD;
			len = 1;
		}
		i += len;
		if (is_space(c)) {
			space = 1;
			continue;
		}
		if (c == 0x1B || (c >= 0x80 && c <= 0x9F)) {
			i = skip_escape(s, n, i, c);
			continue;
		}
		if (c < 0x20 || c == 0x7F || is_dropped_format(c))
			continue;
		/* Keep room for a space, this character and "…". */
		if (b.len + 1 + 4 + 3 > MS_REPORT_FIELD_MAX) {
			utf8_add(&b, 0x2026);
			break;
		}
		if (space && b.len)
			ms_buf_addc(&b, ' ');
		space = 0;
		utf8_add(&b, c);
	}
	res = ms_arena_strndup(a, ms_buf_str(&b), b.len);
	ms_buf_release(&b);
	return res;
}

/* ------------------------------------------------------ display width */

/* Code points that take two columns (East Asian Wide and Fullwidth, and
 * emoji presentation), sorted by start for bsearch. */
static const uint32_t wide[][2] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A },
	{ 0x23E9, 0x23EC }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 },
	{ 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 },
	{ 0x274C, 0x274C }, { 0x2753, 0x2755 }, { 0x2795, 0x2797 },
	{ 0x2B1B, 0x2B1C }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
	{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
	{ 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 },
	{ 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 }, { 0x17000, 0x18CFF },
	{ 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF },
	{ 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F251 },
	{ 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF }, { 0x1F7E0, 0x1F7EB },
	{ 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF }, { 0x20000, 0x2FFFD },
	{ 0x30000, 0x3FFFD },
};

/* Code points that take no column: combining marks, zero-width
 * characters and variation selectors, sorted by start. */
static const uint32_t zero[][2] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
	{ 0x05BF, 0x05BF }, { 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 },
	{ 0x05C7, 0x05C7 }, { 0x0610, 0x061A }, { 0x064B, 0x065F },
	{ 0x0670, 0x0670 }, { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 },
	{ 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED }, { 0x0900, 0x0902 },
	{ 0x093A, 0x093A }, { 0x093C, 0x093C }, { 0x0941, 0x0948 },
	{ 0x094D, 0x094D }, { 0x0951, 0x0957 }, { 0x0E31, 0x0E31 },
	{ 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x20D0, 0x20FF },
	{ 0x302A, 0x302D }, { 0x3099, 0x309A }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0xE0100, 0xE01EF },
};

static int
range_cmp(const void *key, const void *elt)
{
	uint32_t c = *(const uint32_t *)key;
	const uint32_t *r = elt;

	return c < r[0] ? -1 : c > r[1] ? 1 : 0;
}

static size_t
char_cols(uint32_t c)
{
	if (bsearch(&c, zero, sizeof(zero) / sizeof(*zero), sizeof(*zero),
		    range_cmp))
		return 0;
	if (bsearch(&c, wide, sizeof(wide) / sizeof(*wide), sizeof(*wide),
		    range_cmp))
		return 2;
	return 1;
}

size_t
ms_report_char(const char *s, size_t *cols)
{
	uint32_t c;
	size_t len = utf8_decode((const unsigned char *)s, strlen(s), &c);

	if (!len) {	/* not clean: count the byte as one column */
		*cols = 1;
		return 1;
	}
	*cols = char_cols(c);
	return len;
}

size_t
ms_report_cols(const char *s)
{
	size_t total = 0, w;

	while (*s) {
		s += ms_report_char(s, &w);
		total += w;
	}
	return total;
}

size_t
ms_report_fit(struct ms_buf *b, const char *s, size_t cols, int pad)
{
	size_t used = 0, w, len;
	const char *p;

	if (!s)
		s = "";
	if (ms_report_cols(s) <= cols) {
		ms_buf_adds(b, s);
		used = ms_report_cols(s);
	} else if (cols > 0) {
		for (p = s; *p; p += len) {
			len = ms_report_char(p, &w);
			if (used + w > cols - 1)
				break;
			ms_buf_add(b, p, len);
			used += w;
		}
		ms_buf_adds(b, "\xE2\x80\xA6");	/* … */
		used++;
	}
	while (pad && used < cols) {
		ms_buf_addc(b, ' ');
		used++;
	}
	return used;
}

/* ------------------------------------------------------------- links */

int
ms_report_link_ok(const char *url)
{
	char host[256];

	if (!url || !ms_url_is_http(url))
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7F)
			return 0;
	if (ms_url_host(url, host, sizeof(host)) != MS_OK || !host[0])
		return 0;
	return 1;
}

const char *
ms_report_short_url(struct ms_arena *a, const char *url)
{
	size_t n;

	if (!url)
		return NULL;
	if (!strncmp(url, "https://", 8))
		url += 8;
	else if (!strncmp(url, "http://", 7))
		url += 7;
	n = strlen(url);
	if (n > 1 && url[n - 1] == '/' && !memchr(url, '/', n - 1))
		n--;
	return ms_arena_strndup(a, url, n);
}

/* ------------------------------------------------------ dates, times */

void
ms_report_time(int64_t t, int rfc3339, char *out, size_t outsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	out[0] = '\0';
	if (t <= 0 || (int64_t)tt != t || !gmtime_r(&tt, &tm))
		return;
	if (!strftime(out, outsz, rfc3339 ? "%Y-%m-%dT%H:%M:%SZ"
					  : "%Y-%m-%d %H:%M UTC", &tm))
		out[0] = '\0';
}

void
ms_report_duration(int64_t s, char *out, size_t outsz)
{
	if (s < 60)
		snprintf(out, outsz, "%lld s", (long long)s);
	else if (s < 3600)
		snprintf(out, outsz, "%lld min", (long long)(s + 30) / 60);
	else if (s < 2 * 86400)
		snprintf(out, outsz, "%lld h", (long long)(s + 1800) / 3600);
	else
		snprintf(out, outsz, "%lld d", (long long)(s + 43200) / 86400);
}

/* ------------------------------------------------------- candidates */

const char *
ms_report_display_name(const struct ms_candidate *c)
{
	if (c->name && *c->name)
		return c->name;
	if (c->site && *c->site)
		return c->site;
	if (c->feed && *c->feed)
		return c->feed;
	return c->person;
}

size_t
ms_report_top_signals(const struct ms_candidate *c, size_t *idx, size_t n)
{
	size_t k = 0;
	int used[MS_SIGNALS] = { 0 };

	while (k < n) {
		size_t best = MS_SIGNALS;

		for (size_t i = 0; i < MS_SIGNALS; i++) {
			if (used[i] || !isfinite(c->signals[i]))
				continue;
			if (best == MS_SIGNALS ||
			    c->signals[i] > c->signals[best])
				best = i;
		}
		if (best == MS_SIGNALS)
			break;
		used[best] = 1;
		idx[k++] = best;
	}
	return k;
}

const char *
ms_report_step_name(enum ms_step_action a)
{
	return (unsigned)a <= MS_STEP_CONNECT ? ms_step_names[a] : NULL;
}

const char *
ms_report_stage_name(enum ms_stage s)
{
	return s > MS_STAGE_NONE && s <= MS_STAGE_CONNECTED ? ms_stage_names[s]
							     : NULL;
}

const char *
ms_report_role_name(enum ms_role r)
{
	return r > MS_ROLE_NONE && r <= MS_ROLE_PEER ? ms_role_names[r] : NULL;
}

/* In enum ms_signal order; the legend is RANKING.md §3.3 in one line. */
const struct ms_report_signal ms_report_signals[MS_SIGNALS] = {
	{ "focus", "Focus",
	  "how much and how persistently they write on this topic" },
	{ "auth", "Authority",
	  "linked and commented on by other people in the topic" },
	{ "resp", "Responsiveness",
	  "how often and how fast they answer commenters" },
	{ "aud", "Audience",
	  "a community of distinct commenters around their posts" },
	{ "activ", "Activity", "posted recently and regularly" },
	{ "reach", "Reachability",
	  "a door exists: open comments, a feed, profiles, a contact" },
};

/* In enum ms_evidence order. */
const struct ms_report_evidence ms_report_evidence[MS_EVIDENCE] = {
	{ "posts", 0 },
	{ "posts on this topic", 0 },
	{ "comments received", 0 },
	{ "distinct commenters", 0 },
	{ "posts with comments", 0 },
	{ "posts where they answered", 0 },
	{ "replies to commenters", 0 },
	{ "median reply time", 1 },
	{ "links in", 0 },
	{ "links out", 0 },
	{ "profiles", 0 },
	{ "days since last post", 0 },
};

const char *
ms_report_cut(struct ms_arena *a, const char *s, size_t cols)
{
	struct ms_buf b = MS_BUF_INIT(MS_REPORT_FIELD_MAX + 8);
	const char *res;

	ms_report_fit(&b, s, cols, 0);
	res = ms_arena_strdup(a, ms_buf_str(&b));
	ms_buf_release(&b);
	return res;
}
