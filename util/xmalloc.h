/*
 * xmalloc.h — allocation that never returns NULL.  Out of memory is fatal
 * here, in one place (tmux's xmalloc), so no caller handles it.
 */
#ifndef MS_UTIL_XMALLOC_H
#define MS_UTIL_XMALLOC_H

#include <stddef.h>

void *ms_xmalloc(size_t n);
void *ms_xcalloc(size_t nmemb, size_t size);
void *ms_xrealloc(void *p, size_t n);
/* realloc to nmemb * size, dying on overflow. */
void *ms_xreallocarray(void *p, size_t nmemb, size_t size);
char *ms_xstrdup(const char *s);
char *ms_xstrndup(const char *s, size_t n);
/* Formatted allocation; the result is owned by the caller (free()). */
char *ms_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *cap elements of size sz) so that it holds at least need. */
#define MS_GROW(arr, need, cap)                                              \
	do {                                                                 \
		if ((size_t)(need) > (cap)) {                                \
			size_t ms_nc_ = (cap) ? (cap) * 2 : 8;               \
			while (ms_nc_ < (size_t)(need))                      \
				ms_nc_ *= 2;                                 \
			(arr) = ms_xreallocarray((arr), ms_nc_,              \
						 sizeof(*(arr)));            \
			(cap) = ms_nc_;                                      \
		}                                                            \
	} while (0)

#endif
