/*
 * fuzz.h — what the libFuzzer targets in fuzz/ share: the check macro that
 * turns a broken invariant into a crash libFuzzer reports, and the entry
 * point of every target.
 *
 * Each fuzz/fuzz_<name>.c defines ms_fuzz_<name>(), the whole work on one
 * input, and LLVMFuzzerTestOneInput() calling it.  Built with
 * -DMS_FUZZ_REPLAY the same files go into tests/fuzz/test_regressions,
 * which replays the committed crash inputs through ms_fuzz_<name>() with
 * gcc and no libFuzzer: a regression crashes the Criterion test.
 */
#ifndef MS_FUZZ_FUZZ_H
#define MS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant the code promises: when broken, say which and abort so the
 * fuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                 \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: fuzz check failed: %s: ",     \
				__FILE__, __LINE__, #cond);                   \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			abort();                                              \
		}                                                             \
	} while (0)

/* The input as a C string (cut at its first NUL), malloc'd. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

int ms_fuzz_config(const uint8_t *data, size_t size);
int ms_fuzz_dates(const uint8_t *data, size_t size);
int ms_fuzz_feed(const uint8_t *data, size_t size);
int ms_fuzz_html(const uint8_t *data, size_t size);
int ms_fuzz_opml(const uint8_t *data, size_t size);
int ms_fuzz_records(const uint8_t *data, size_t size);
int ms_fuzz_robots(const uint8_t *data, size_t size);
int ms_fuzz_url(const uint8_t *data, size_t size);

#ifdef MS_FUZZ_REPLAY
#define MS_FUZZ_ENTRY(fn)
#else
#define MS_FUZZ_ENTRY(fn)                                                     \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);         \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)          \
	{                                                                     \
		return fn(data, size);                                        \
	}
#endif

#endif
