/*
 * dates.c — the dates feeds carry, to UTC seconds and back to RFC 3339.
 *
 * Two readers: our own for ISO 8601 / RFC 3339 / W3CDTF (curl_getdate does
 * not read those), and curl_getdate for RFC 822 / RFC 850 / asctime after a
 * pass that repairs what feeds break: localized or full month names,
 * weekdays in any language, named and military zones (from our table, so
 * every zone means the same in both readers), "+01:00" offsets, fractional
 * seconds and "(PST)" comments.
 */
#include "analyzer/analyzer.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

/* Zone names and their offsets east of UTC in minutes.  Sorted by name
 * (strcasecmp order, upper case), for bsearch.  Military letters follow
 * RFC 822 (A = -1 h ... M = -12 h, N = +1 h ... Y = +12 h); they are only
 * taken as zones at the very end of a date.  Ambiguous names (IST, BST
 * outside Britain) take their most common meaning in feeds. */
static const struct zone {
	const char *name;
	int east;
} zones[] = {
	{ "A", -60 }, { "ACDT", 630 }, { "ACST", 570 }, { "ADT", -180 },
	{ "AEDT", 660 }, { "AEST", 600 }, { "AKDT", -480 }, { "AKST", -540 },
	{ "AST", -240 }, { "AT", -240 }, { "AWST", 480 }, { "B", -120 },
	{ "BST", 60 }, { "C", -180 }, { "CAT", 120 }, { "CDT", -300 },
	{ "CEST", 120 }, { "CET", 60 }, { "CST", -360 }, { "CT", -360 },
	{ "D", -240 }, { "E", -300 }, { "EAT", 180 }, { "EDT", -240 },
	{ "EEST", 180 }, { "EET", 120 }, { "EST", -300 }, { "ET", -300 },
	{ "F", -360 }, { "G", -420 }, { "GMT", 0 }, { "H", -480 },
	{ "HKT", 480 }, { "HST", -600 }, { "I", -540 }, { "IDT", 180 },
	{ "JST", 540 }, { "K", -600 }, { "KST", 540 }, { "L", -660 },
	{ "M", -720 }, { "MDT", -360 }, { "MESZ", 120 }, { "MEST", 120 },
	{ "MET", 60 }, { "MEZ", 60 }, { "MSK", 180 }, { "MST", -420 },
	{ "MT", -420 }, { "N", 60 }, { "NZDT", 780 }, { "NZST", 720 },
	{ "O", 120 }, { "P", 180 }, { "PDT", -420 }, { "PST", -480 },
	{ "PT", -480 }, { "Q", 240 }, { "R", 300 }, { "S", 360 },
	{ "SAST", 120 }, { "SGT", 480 }, { "T", 420 }, { "U", 480 },
	{ "UT", 0 }, { "UTC", 0 }, { "V", 540 }, { "W", 600 }, { "WAT", 60 },
	{ "WEST", 60 }, { "WET", 0 }, { "X", 660 }, { "Y", 720 }, { "Z", 0 },
};

/* Month names as feeds write them: English, German, French, Spanish,
 * Italian, Dutch; full and abbreviated, lower case (ASCII letters are
 * folded before the lookup).  Sorted by name in strcmp order. */
static const struct month {
	const char *name;
	int mon;
} months[] = {
	{ "abr", 4 }, { "abril", 4 }, { "ago", 8 }, { "agosto", 8 },
	{ "aout", 8 }, { "ao\xc3\xbbt", 8 }, { "apr", 4 }, { "april", 4 },
	{ "aprile", 4 }, { "aug", 8 }, { "august", 8 }, { "augustus", 8 },
	{ "avr", 4 }, { "avril", 4 }, { "dec", 12 }, { "december", 12 },
	{ "decembre", 12 }, { "dez", 12 }, { "dezember", 12 }, { "dic", 12 },
	{ "dicembre", 12 }, { "diciembre", 12 }, { "d\xc3\xa9" "c", 12 },
	{ "d\xc3\xa9" "cembre", 12 }, { "ene", 1 }, { "enero", 1 },
	{ "feb", 2 }, { "febbraio", 2 }, { "febr", 2 }, { "febrero", 2 },
	{ "februar", 2 }, { "februari", 2 }, { "february", 2 }, { "fev", 2 },
	{ "fevr", 2 }, { "fevrier", 2 }, { "f\xc3\xa9v", 2 },
	{ "f\xc3\xa9vr", 2 }, { "f\xc3\xa9vrier", 2 }, { "gen", 1 },
	{ "gennaio", 1 }, { "giu", 6 }, { "giugno", 6 }, { "jan", 1 },
	{ "januar", 1 }, { "januari", 1 }, { "january", 1 }, { "janv", 1 },
	{ "janvier", 1 }, { "juil", 7 }, { "juillet", 7 }, { "juin", 6 },
	{ "jul", 7 }, { "juli", 7 }, { "julio", 7 }, { "july", 7 },
	{ "jun", 6 }, { "june", 6 }, { "juni", 6 }, { "junio", 6 },
	{ "j\xc3\xa4n", 1 }, { "j\xc3\xa4nner", 1 }, { "lug", 7 },
	{ "luglio", 7 }, { "maart", 3 }, { "mag", 5 }, { "maggio", 5 },
	{ "mai", 5 }, { "mar", 3 }, { "march", 3 }, { "mars", 3 },
	{ "marzo", 3 }, { "may", 5 }, { "mayo", 5 }, { "mei", 5 },
	{ "mrt", 3 }, { "mrz", 3 }, { "m\xc3\xa4r", 3 }, { "m\xc3\xa4rz", 3 },
	{ "nov", 11 }, { "november", 11 }, { "novembre", 11 },
	{ "noviembre", 11 }, { "oct", 10 }, { "october", 10 },
	{ "octobre", 10 }, { "octubre", 10 }, { "okt", 10 },
	{ "oktober", 10 }, { "ott", 10 }, { "ottobre", 10 }, { "sep", 9 },
	{ "sept", 9 }, { "september", 9 }, { "septembre", 9 },
	{ "septiembre", 9 }, { "set", 9 }, { "setiembre", 9 },
	{ "settembre", 9 },
};

/* Weekday names in the same languages, lower case, sorted (strcmp). */
static const char *const weekdays[] = {
	"di", "dienstag", "dim", "dimanche", "do", "dom", "domingo",
	"donnerstag", "fr", "freitag", "fri", "friday", "jeu", "jeudi", "jue",
	"jueves", "lun", "lundi", "lunes", "mar", "mardi", "martes", "mer",
	"mercredi", "mi", "mie", "mittwoch", "mi\xc3\xa9", "mi\xc3\xa9rcoles",
	"mo", "mon", "monday", "montag", "sa", "sab", "sam", "samedi",
	"samstag", "sat", "saturday", "so", "sonnabend", "sonntag", "sun",
	"sunday", "s\xc3\xa1" "b", "s\xc3\xa1" "bado", "thu", "thur", "thurs",
	"thursday", "tue", "tues", "tuesday", "ven", "vendredi", "vie",
	"viernes", "wed", "wednesday",
};

static int
zone_cmp(const void *k, const void *e)
{
	return strcasecmp(k, ((const struct zone *)e)->name);
}

static const struct zone *
zone_find(const char *name)
{
	return bsearch(name, zones, NELEM(zones), sizeof(*zones), zone_cmp);
}

static int
month_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct month *)e)->name);
}

static int
str_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

/* ASCII lower case copy, a trailing '.' dropped ("Sept." → "sept"). */
static void
fold(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i;

	if (n && s[n - 1] == '.')
		n--;
	if (n >= outsz)
		n = outsz - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static int
month_find(const char *s, size_t n)
{
	char key[32];
	const struct month *m;

	fold(s, n, key, sizeof(key));
	m = bsearch(key, months, NELEM(months), sizeof(*months), month_cmp);
	return m ? m->mon : 0;
}

static int
weekday_find(const char *s, size_t n)
{
	char key[32];

	fold(s, n, key, sizeof(key));
	return bsearch(key, weekdays, NELEM(weekdays), sizeof(*weekdays),
		       str_cmp) != NULL;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int64_t y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
				 31 };

	return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* Read exactly n digits at *p; -1 if there are not n. */
static int
digits(const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

static int
ndigits(const char *p)
{
	int n = 0;

	while (isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* A zone after an ISO time: Z, +hh, +hhmm, +hh:mm or a name from the
 * table (not a military letter other than Z).  Minutes east into *east. */
static int
iso_zone(const char **pp, int *east)
{
	const char *p = *pp;
	int sign, hh, mm = 0;

	while (*p == ' ')
		p++;
	if (!*p) {
		*east = 0;	/* no zone: UTC, as feedparser assumes */
		*pp = p;
		return 0;
	}
	if ((*p == 'Z' || *p == 'z') && !isalpha((unsigned char)p[1])) {
		*east = 0;
		*pp = p + 1;
		return 0;
	}
	if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if ((hh = digits(&p, 2)) < 0 || hh > 23)
			return -1;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && (mm = digits(&p, 2)) < 0)
			return -1;
		if (mm > 59)
			return -1;
		*east = sign * (hh * 60 + mm);
		*pp = p;
		return 0;
	}
	if (isalpha((unsigned char)*p)) {
		char name[8];
		size_t n = 0;
		const struct zone *z;

		while (isalpha((unsigned char)p[n]) && n < sizeof(name) - 1) {
			name[n] = p[n];
			n++;
		}
		name[n] = '\0';
		if (n < 2 || isalpha((unsigned char)p[n]) ||
		    !(z = zone_find(name)))
			return -1;
		*east = z->east;
		*pp = p + n;
		return 0;
	}
	return -1;
}

/*
 * ISO 8601 as feeds use it: W3CDTF and RFC 3339 with partial dates
 * (YYYY, YYYY-MM), basic format (20031231T101455Z), ordinal dates
 * (2003-365), a space or 'T' before the time, optional seconds and
 * fractions, any zone form; also "YYYY/MM/DD hh:mm:ss" (Perforce).
 */
static int
parse_iso(const char *s, int64_t *out)
{
	const char *p = s;
	int64_t y;
	int mon = 1, day = 1, yday = 0, hh = 0, mi = 0, ss = 0, east = 0;
	char sep = 0;

	/* "Fri, 2006/09/15 ..." */
	if (isalpha((unsigned char)*p)) {
		while (isalpha((unsigned char)*p))
			p++;
		if (*p != ',')
			return -1;
		p++;
		while (*p == ' ')
			p++;
	}
	if (ndigits(p) < 4)
		return -1;
	if (ndigits(p) == 4) {
		y = digits(&p, 4);
		if (*p == '-' || *p == '/') {
			sep = *p++;
			if (ndigits(p) == 3 && sep == '-') {
				yday = digits(&p, 3);
			} else {
				int n = ndigits(p);

				if (n < 1 || n > 2)
					return -1;
				mon = digits(&p, n);
				if (*p == sep) {
					p++;
					n = ndigits(p);
					if (n < 1 || n > 2)
						return -1;
					day = digits(&p, n);
				}
			}
		}
	} else if (ndigits(p) == 8) {
		y = digits(&p, 4);
		mon = digits(&p, 2);
		day = digits(&p, 2);
	} else if (ndigits(p) == 7) {
		y = digits(&p, 4);
		yday = digits(&p, 3);
	} else {
		return -1;
	}
	if (yday) {
		if (yday > (leap(y) ? 366 : 365))
			return -1;
		mon = 1;
		day = yday;
	} else if (mon < 1 || mon > 12 || day < 1 || day > mdays(y, mon)) {
		return -1;
	}
	if (*p == 'T' || *p == 't' ||
	    (*p == ' ' && isdigit((unsigned char)p[1]) &&
	     isdigit((unsigned char)p[2]) &&
	     (p[3] == ':' || isdigit((unsigned char)p[3])))) {
		p++;
		if ((hh = digits(&p, 2)) < 0)
			return -1;
		if (*p == ':' || isdigit((unsigned char)*p)) {
			if (*p == ':')
				p++;
			if ((mi = digits(&p, 2)) < 0)
				return -1;
			if (*p == ':' || isdigit((unsigned char)*p)) {
				if (*p == ':')
					p++;
				if ((ss = digits(&p, 2)) < 0)
					return -1;
				if (*p == '.' || *p == ',') {
					p++;
					if (!isdigit((unsigned char)*p))
						return -1;
					while (isdigit((unsigned char)*p))
						p++;
				}
			}
		}
		if (hh > 24 || mi > 59 || ss > 60 ||
		    (hh == 24 && (mi || ss)))
			return -1;
		if (ss == 60)	/* a leap second: the instant before */
			ss = 59;
		if (iso_zone(&p, &east))
			return -1;
	} else if (sep == 0 && *p && *p != ' ') {
		return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -1;
	*out = days_from_civil(y, mon, 1) + (day - 1);
	*out = *out * 86400 + hh * 3600 + mi * 60 + ss - (int64_t)east * 60;
	return 0;
}

/* Append a token to the normalized date, space separated. */
static void
put(char *out, size_t outsz, size_t *len, const char *s, size_t n)
{
	if (*len && *len + 1 < outsz)
		out[(*len)++] = ' ';
	if (*len + n >= outsz)
		n = outsz - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

static void
put_offset(char *out, size_t outsz, size_t *len, int east)
{
	unsigned a = (unsigned)(east < 0 ? -east : east) % (24 * 60);
	char z[6] = { east < 0 ? '-' : '+',
		      (char)('0' + a / 600), (char)('0' + a / 60 % 10),
		      (char)('0' + a % 60 / 10), (char)('0' + a % 10), 0 };

	put(out, outsz, len, z, 5);
}

/* "GMT+1", "UTC+01:00", "+01:00", "+0100": the offset, else -1. */
static int
offset_token(const char *t, size_t n, int *east)
{
	size_t i = 0;
	int sign, hh = 0, mm = 0, nd;

	if (n >= 3 && (!strncasecmp(t, "GMT", 3) || !strncasecmp(t, "UTC", 3)))
		i = 3;
	if (i >= n || (t[i] != '+' && t[i] != '-'))
		return -1;
	sign = t[i++] == '-' ? -1 : 1;
	/* More than 4 digits are refused below; do not sum them into an
	 * int that a long run would overflow. */
	for (nd = 0; i < n && isdigit((unsigned char)t[i]); i++, nd++)
		if (nd < 4)
			hh = hh * 10 + (t[i] - '0');
	if (nd == 4) {
		mm = hh % 100;
		hh /= 100;
	} else if (nd < 1 || nd > 2) {
		return -1;
	} else if (i < n && t[i] == ':') {
		i++;
		for (nd = 0; i < n && isdigit((unsigned char)t[i]); i++, nd++)
			if (nd < 2)
				mm = mm * 10 + (t[i] - '0');
		if (nd != 2)
			return -1;
	}
	if (i != n || hh > 23 || mm > 59)
		return -1;
	*east = sign * (hh * 60 + mm);
	return 0;
}

static const char *const en_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* One word of an RFC 822 date (no digits in it): a month, a weekday, a
 * zone, or something we cannot read (-1).  first: it is the first word;
 * comma: a comma follows it; last: nothing follows it. */
static int
rfc822_word(const char *tok, size_t n, int first, int comma, int last,
	    char *norm, size_t normsz, size_t *len)
{
	int mon = month_find(tok, n), wd = weekday_find(tok, n);
	const struct zone *z;
	char name[8];

	/* "Mar," is the French Tuesday; "Mar 5" is March. */
	if (first && (comma || (wd && !mon)))
		return 0;
	if (mon) {
		put(norm, normsz, len, en_months[mon - 1], 3);
		return 0;
	}
	if (wd)
		return 0;	/* a weekday later on, e.g. after a comma */
	if (n < sizeof(name)) {
		memcpy(name, tok, n);
		name[n] = '\0';
		/* A lone letter is a (military) zone only at the end. */
		if ((z = zone_find(name)) && (n > 1 || last)) {
			put_offset(norm, normsz, len, z->east);
			return 0;
		}
	}
	return -1;
}

/*
 * RFC 822 and friends through curl_getdate, after repairing the tokens it
 * would refuse or read differently from our zone table.
 */
static int
parse_rfc822(const char *s, int64_t *out)
{
	char in[160], norm[160], *p;
	size_t len = 0;
	int depth = 0, first = 1;
	time_t t;

	if (strlen(s) >= sizeof(in))
		return -1;
	/* Drop "(comments)" such as "-0800 (PST)". */
	for (p = in; *s; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		else if (!depth)
			*p++ = *s;
	}
	*p = '\0';
	norm[0] = '\0';
	for (p = in; *p; first = 0) {
		const char *tok, *r;
		size_t n;
		int east, comma, word = 1;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (!*p)
			break;
		tok = p;
		while (*p && !isspace((unsigned char)*p) && *p != ',')
			p++;
		n = (size_t)(p - tok);
		comma = *p == ',';
		for (r = p; *r == ',' || isspace((unsigned char)*r); r++)
			;
		for (size_t i = 0; i < n; i++)
			if (isdigit((unsigned char)tok[i]) || tok[i] == '+' ||
			    tok[i] == '-' || tok[i] == ':' || tok[i] == '.')
				word = 0;
		if (word) {
			if (rfc822_word(tok, n, first, comma, !*r, norm,
					sizeof(norm), &len))
				return -1;
			continue;
		}
		if (!offset_token(tok, n, &east)) {
			put_offset(norm, sizeof(norm), &len, east);
			continue;
		}
		/* "06-Nov-94" (RFC 850): split so the month is mapped. */
		if (isdigit((unsigned char)tok[0]) && memchr(tok, '-', n)) {
			const char *a = tok, *end = tok + n;

			while (a < end) {
				const char *b = memchr(a, '-',
						       (size_t)(end - a));
				size_t m = b ? (size_t)(b - a)
					     : (size_t)(end - a);
				int mon = month_find(a, m);

				if (mon)
					put(norm, sizeof(norm), &len,
					    en_months[mon - 1], 3);
				else
					put(norm, sizeof(norm), &len, a, m);
				a += m + (b != NULL);
			}
			continue;
		}
		/* "19:48:21.123": curl does not read fractions. */
		if (memchr(tok, ':', n)) {
			const char *dot = memchr(tok, '.', n);

			if (dot)
				n = (size_t)(dot - tok);
		}
		put(norm, sizeof(norm), &len, tok, n);
	}
	if (!len)
		return -1;
	t = curl_getdate(norm, NULL);
	if (t == -1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int64_t
ms_date_parse(const char *s)
{
	int64_t t;

	if (!s)
		return MS_TIME_NONE;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return MS_TIME_NONE;
	if (!parse_iso(s, &t))
		return t;
	if (!parse_rfc822(s, &t))
		return t;
	return MS_TIME_NONE;
}

/* v as exactly n decimal digits, zero-padded (v < 10^n). */
static void
put_digits(char *out, unsigned v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
ms_date_format(int64_t t, char out[32])
{
	int64_t days, secs, y;
	int m, d;

	if (t == MS_TIME_NONE) {
		out[0] = '\0';
		return;
	}
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		out[0] = '\0';	/* RFC 3339 has four-digit years only */
		return;
	}
	/* "%04d-%02d-%02dT%02d:%02d:%02dZ" by hand: `parse --json` writes
	 * one or two per entry, and snprintf was a tenth of its writing. */
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d, 2);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(secs / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(secs % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
}
