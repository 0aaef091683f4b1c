/*
 * fuzz_dates.c — ms_date_parse() on arbitrary text and ms_date_format() on
 * arbitrary times, with the round trip that ties them: whatever format
 * writes, parse reads back to the same second.
 *
 * Input: the whole input is the date text (up to its first NUL); its first
 * 8 bytes are also read as an int64 time for the formatting side.
 */
#include "fuzz/fuzz.h"
#include "analyzer/analyzer.h"

#include <ctype.h>
#include <inttypes.h>

/* "YYYY-MM-DDTHH:MM:SSZ" and nothing else. */
static void
check_rfc3339(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	FUZZ_CHECK(strlen(s) == sizeof(shape) - 1, "'%s'", s);
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'd')
			FUZZ_CHECK(isdigit((unsigned char)s[i]), "'%s'", s);
		else
			FUZZ_CHECK(s[i] == shape[i], "'%s'", s);
	}
}

/* format(t), when it writes anything, parses back to t. */
static void
round_trip(int64_t t)
{
	char out[32];
	int64_t back;

	ms_date_format(t, out);
	if (!out[0])
		return;
	check_rfc3339(out);
	back = ms_date_parse(out);
	FUZZ_CHECK(back == t, "%" PRId64 " -> '%s' -> %" PRId64, t, out,
		   back);
}

int
ms_fuzz_dates(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	int64_t t = ms_date_parse(s);

	if (t != MS_TIME_NONE)
		round_trip(t);
	if (size >= 8) {
		int64_t raw;

		memcpy(&raw, data, sizeof(raw));
		round_trip(raw);
	}
	free(s);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_dates)
