/*
 * Tests for analyzer/dates.c: the date forms feeds really carry, broken
 * ones included, to UTC; and the RFC 3339 form we write.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <time.h>

#include "analyzer/analyzer.h"

static const struct {
	const char *in;
	const char *want;	/* RFC 3339 UTC; NULL: unreadable */
} table[] = {
	/* RFC 822 / RFC 1123 as RSS 2.0 says */
	{ "Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },
	{ "Sun, 06 Jun 2010 10:00:00 +0000", "2010-06-06T10:00:00Z" },
	{ "Mon, 07 Jun 2010 10:00:00 +0200", "2010-06-07T08:00:00Z" },
	{ "Mon, 07 Jun 2010 10:00:00 -0430", "2010-06-07T14:30:00Z" },
	{ "Sat, 07 Sep 2002 00:00:01 UT", "2002-09-07T00:00:01Z" },
	/* broken RFC 822 */
	{ "01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },	/* no day */
	{ "Thu, 1 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },
	{ "Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z" },	/* yy */
	{ "Thu, 01 Jan 99 19:48:21 GMT", "1999-01-01T19:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48 GMT", "2004-01-01T19:48:00Z" },	/* hh:mm */
	{ "Thu, 01 Jan 2004 9:48:21 GMT", "2004-01-01T09:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21", "2004-01-01T19:48:21Z" },	/* no zone */
	{ "Mon, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },	/* wrong day */
	{ "Thu,01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },
	{ "Thu, 01 January 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },
	{ "Thursday, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21.512 GMT", "2004-01-01T19:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 +01:00", "2004-01-01T18:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 -0800 (PST)", "2004-01-02T03:48:21Z" },
	{ "Thu Jan 01 2004 19:48:21 GMT+0100", "2004-01-01T18:48:21Z" },
	/* named zones (our table) */
	{ "Fri, 15 Sep 2006 08:19:53 EDT", "2006-09-15T12:19:53Z" },
	{ "Thu, 01 Jan 2004 19:48:21 EST", "2004-01-02T00:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 PDT", "2004-01-02T02:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 PST", "2004-01-02T03:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 CEST", "2004-01-01T17:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 MEZ", "2004-01-01T18:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 JST", "2004-01-01T10:48:21Z" },
	/* military zones, RFC 822 signs */
	{ "Thu, 01 Jan 2004 19:48:21 Z", "2004-01-01T19:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 A", "2004-01-01T20:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 N", "2004-01-01T18:48:21Z" },
	{ "Thu, 01 Jan 2004 19:48:21 Y", "2004-01-01T07:48:21Z" },
	/* other languages */
	{ "Do, 04 M\xc3\xa4rz 2010 10:00:00 +0100", "2010-03-04T09:00:00Z" },
	{ "mar, 04 mars 2008 10:00:00 +0100", "2008-03-04T09:00:00Z" },
	{ "Mi, 02 Dez 2009 08:00:00 GMT", "2009-12-02T08:00:00Z" },
	/* asctime, RFC 850 */
	{ "Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z" },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z" },
	/* RFC 3339 / ISO 8601 / W3CDTF */
	{ "2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z" },
	{ "2003-12-31T10:14:55+01:00", "2003-12-31T09:14:55Z" },
	{ "2003-12-31T10:14:55.123-05:00", "2003-12-31T15:14:55Z" },
	{ "2010-06-07T18:30:00.000+02:00", "2010-06-07T16:30:00Z" },
	{ "2003-12-31T10:14Z", "2003-12-31T10:14:00Z" },
	{ "2003-12-31t10:14:55z", "2003-12-31T10:14:55Z" },
	{ "2003-12-31 10:14:55", "2003-12-31T10:14:55Z" },
	{ "2003-12-31 10:14:55 +0100", "2003-12-31T09:14:55Z" },
	{ "2003-12-31T10:14:55+01", "2003-12-31T09:14:55Z" },
	{ "2003-12-31T10:14:55 EST", "2003-12-31T15:14:55Z" },
	{ "2003-12-31", "2003-12-31T00:00:00Z" },
	{ "2003-12", "2003-12-01T00:00:00Z" },
	{ "2003", "2003-01-01T00:00:00Z" },
	{ "20031231T101455Z", "2003-12-31T10:14:55Z" },
	{ "20031231", "2003-12-31T00:00:00Z" },
	{ "2003-365", "2003-12-31T00:00:00Z" },
	{ "2004-02-29T23:59:60Z", "2004-02-29T23:59:59Z" },	/* leap s */
	{ "2003-12-31T24:00:00Z", "2004-01-01T00:00:00Z" },
	{ "  2003-12-31T10:14:55Z  ", "2003-12-31T10:14:55Z" },
	{ "Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z" },
	{ "1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z" },
	/* unreadable */
	{ "", NULL },
	{ "garbage", NULL },
	{ "2003-13-01", NULL },
	{ "2004-02-30", NULL },
	{ "2003-12-31T25:00:00Z", NULL },
	{ "2003-12-31T10:14:55+25:00", NULL },
	{ "12/31/2003", NULL },
	{ "Thu, 01 Foo 2004 19:48:21 GMT", NULL },
	{ "\xce\xa4\xce\xb5\xcf\x84, 29 \xce\x9d\xce\xbf\xce\xad 2004", NULL },
};

Test(analyzer_dates, reads_the_forms_feeds_use)
{
	size_t n = sizeof(table) / sizeof(*table);

	cr_assert_geq(n, 30);
	for (size_t i = 0; i < n; i++) {
		int64_t t = ms_date_parse(table[i].in);
		char got[32];

		if (!table[i].want) {
			cr_expect_eq(t, MS_TIME_NONE, "'%s' should not read",
				     table[i].in);
			continue;
		}
		cr_expect_neq(t, MS_TIME_NONE, "'%s' should read as %s",
			      table[i].in, table[i].want);
		ms_date_format(t, got);
		cr_expect_str_eq(got, table[i].want, "'%s'", table[i].in);
	}
}

Test(analyzer_dates, null_is_no_date)
{
	cr_expect_eq(ms_date_parse(NULL), MS_TIME_NONE);
}

Test(analyzer_dates, formats_rfc3339_utc)
{
	char b[32];

	ms_date_format(0, b);
	cr_expect_str_eq(b, "1970-01-01T00:00:00Z");
	ms_date_format(1275818400, b);
	cr_expect_str_eq(b, "2010-06-06T10:00:00Z");
	ms_date_format(-1, b);
	cr_expect_str_eq(b, "1969-12-31T23:59:59Z");
	ms_date_format(951782400, b);
	cr_expect_str_eq(b, "2000-02-29T00:00:00Z");
	ms_date_format(MS_TIME_NONE, b);
	cr_expect_str_eq(b, "", "no time: empty");
	ms_date_format(INT64_MAX / 2, b);
	cr_expect_str_eq(b, "", "past year 9999: RFC 3339 cannot say it");
}

/* The formatter against the C library's calendar (gmtime_r), from year
 * 0 to 9999, every field at its widths: a stride of 7,777,777 s moves
 * through every hour, minute and second value in turn. */
Test(analyzer_dates, formats_as_gmtime_does_from_year_0_to_9999)
{
	const int64_t first = -62167219200;	/* 0000-01-01T00:00:00Z */
	const int64_t last = 253402300799;	/* 9999-12-31T23:59:59Z */
	char got[32], want[64];
	size_t n = 0;

	for (int64_t t = first; t <= last; t += 7777777, n++) {
		time_t tt = (time_t)t;
		struct tm tm;

		cr_assert(gmtime_r(&tt, &tm), "gmtime_r(%lld)", (long long)t);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		ms_date_format(t, got);
		cr_assert_str_eq(got, want, "t = %lld", (long long)t);
	}
	ms_date_format(last, got);
	cr_expect_str_eq(got, "9999-12-31T23:59:59Z");
	ms_date_format(first, got);
	cr_expect_str_eq(got, "0000-01-01T00:00:00Z");
	ms_date_format(first - 1, got);
	cr_expect_str_eq(got, "", "year -1: RFC 3339 cannot say it");
	cr_expect_gt(n, 40000, "%zu times checked", n);
}

Test(analyzer_dates, parse_and_format_round_trip)
{
	for (int64_t t = -86400 * 400; t < 86400LL * 365 * 200;
	     t += 86400 * 37 + 3661) {
		char b[32];

		ms_date_format(t, b);
		cr_assert_eq(ms_date_parse(b), t, "%s", b);
	}
}
