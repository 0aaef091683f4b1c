/*
 * fuzz_url.c — util/url.c on hostile URLs: normalize, site identity, host,
 * resolution against a base.  Properties (RELIABILITY.md §5.1): a
 * normalized URL normalizes to itself, is http(s) and stays within a
 * bounded length of its input; a resolved URL normalizes the same way.
 *
 * Input: "BASE\nREF" (no newline: REF alone, no base), up to the first NUL.
 */
#include "fuzz/fuzz.h"
#include "util/err.h"
#include "util/url.h"

#include <ctype.h>
#include <strings.h>

/* URLENCODE writes at most 3 bytes per input byte; add room for the "/"
 * of an empty path and a scheme curl adds. */
#define GROWTH(n) (3 * (n) + 16)

static void
check_normal(const char *in)
{
	struct ms_err err = { 0 };
	char *a = NULL, *b = NULL;

	if (ms_url_normalize(in, &a, &err))
		return;
	FUZZ_CHECK(ms_url_is_http(a), "'%s' -> '%s'", in, a);
	FUZZ_CHECK(strlen(a) <= GROWTH(strlen(in)), "'%s' -> '%s'", in, a);
	FUZZ_CHECK(!strchr(a, '#'), "fragment kept: '%s' -> '%s'", in, a);
	FUZZ_CHECK(ms_url_normalize(a, &b, &err) == MS_OK,
		   "'%s' -> '%s' -> %s", in, a, err.msg);
	FUZZ_CHECK(!strcmp(a, b), "not idempotent: '%s' -> '%s' -> '%s'", in,
		   a, b);
	free(a);
	free(b);
}

static void
check_site(const char *in)
{
	struct ms_err err = { 0 };
	char host[256];
	char *site = NULL;

	if (ms_url_site(in, &site, &err) == MS_OK) {
		FUZZ_CHECK(*site, "empty site for '%s'", in);
		free(site);
	}
	if (ms_url_host(in, host, sizeof(host)) == MS_OK) {
		for (const char *h = host; *h; h++)
			FUZZ_CHECK(!isupper((unsigned char)*h), "'%s' -> '%s'",
				   in, host);
	}
}

int
ms_fuzz_url(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *nl = strchr(s, '\n');
	const char *base = NULL, *ref = s;
	struct ms_err err = { 0 };
	char *abs = NULL;

	if (nl) {
		*nl = '\0';
		base = s;
		ref = nl + 1;
	}
	ms_url_is_http(ref);
	check_normal(ref);
	check_site(ref);
	if (base) {
		check_normal(base);
		if (ms_url_resolve(base, ref, &abs, &err) == MS_OK) {
			check_normal(abs);
			check_site(abs);
			free(abs);
		}
		if (ms_url_absolute(base, ref, &abs, &err) == MS_OK) {
			FUZZ_CHECK(ms_url_is_http(abs), "'%s' + '%s' -> '%s'",
				   base, ref, abs);
			free(abs);
		}
	}
	free(s);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_url)
