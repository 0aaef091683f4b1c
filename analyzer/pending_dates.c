/*
 * pending_dates.c — crude stand-ins for ms_date_parse (dates.c) and
 * ms_strv_push (strv.c), which another branch delivers, so the HTML
 * analyzer and its tests link before that branch is merged.  Delete this
 * file when dates.c and strv.c land.
 */
#include "analyzer/internal.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/xmalloc.h"

/* RFC 3339 (with or without seconds, fraction, offset), else curl_getdate
 * for RFC 822 forms. */
int64_t
ms_date_parse(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, oh = 0, om = 0;
	struct tm tm;
	const char *p;
	int64_t t;
	time_t ct;

	if (!s)
		return MS_TIME_NONE;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
		p = s + n;
		if ((*p == 'T' || *p == 't' || *p == ' ') &&
		    sscanf(p + 1, "%2d:%2d%n", &h, &mi, &n) == 2) {
			p += 1 + n;
			if (*p == ':' && sscanf(p + 1, "%2d%n", &sec, &n) == 1)
				p += 1 + n;
			if (*p == '.' || *p == ',')
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
			if (*p == '+' || *p == '-') {
				int sign = *p == '-' ? -1 : 1;

				if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 &&
				    sscanf(p + 1, "%2d%2d", &oh, &om) < 1)
					return MS_TIME_NONE;
				oh *= sign;
				om *= sign;
			}
		}
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
		    mi > 59 || sec > 60)
			return MS_TIME_NONE;
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		t = (int64_t)timegm(&tm);
		return t - (int64_t)oh * 3600 - (int64_t)om * 60;
	}
	ct = curl_getdate(s, NULL);
	return ct == -1 ? MS_TIME_NONE : (int64_t)ct;
}

void
ms_strv_push(struct ms_arena *a, const char ***v, size_t *n, size_t *cap,
	     const char *s)
{
	if (*n + 1 >= *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		const char **nv = ms_arena_alloc(a, nc * sizeof(*nv));

		if (*n)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}
