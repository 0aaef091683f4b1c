/*
 * strv.c — arena-backed string vectors: the entries' categories, links and
 * profiles grow one string at a time while a document is read.
 */
#include "analyzer/internal.h"

#include <string.h>

void
ms_strv_push(struct ms_arena *a, const char ***v, size_t *n, size_t *cap,
	     const char *s)
{
	if (*n == *cap) {
		/* The old array stays in the arena until the document is
		 * freed: doubling keeps that waste below the final size. */
		size_t nc = *cap ? *cap * 2 : 4;
		const char **nv = ms_arena_alloc(a, nc * sizeof(*nv));

		if (*n)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = s;
}
