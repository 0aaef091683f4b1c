/* arena.c — bump allocator (see arena.h). */
#include "util/arena.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN (16 * 1024)

struct ms_arena_block {
	struct ms_arena_block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char mem[];
};

void
ms_arena_init(struct ms_arena *a)
{
	a->head = NULL;
	a->used_total = 0;
}

void
ms_arena_release(struct ms_arena *a)
{
	struct ms_arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	ms_arena_init(a);
}

void *
ms_arena_alloc(struct ms_arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	struct ms_arena_block *b = a->head;
	size_t need = (n + al - 1) & ~(al - 1);
	void *p;

	if (!need)
		need = al;
	if (!b || b->size - b->used < need) {
		size_t size = need > BLOCK_MIN ? need : BLOCK_MIN;

		if (b && b->size * 2 > size && b->size < 1024 * 1024)
			size = b->size * 2;
		b = ms_xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = b->mem + b->used;
	b->used += need;
	a->used_total += need;
	return p;
}

void *
ms_arena_zalloc(struct ms_arena *a, size_t n)
{
	void *p = ms_arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

char *
ms_arena_strndup(struct ms_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = ms_arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
ms_arena_strdup(struct ms_arena *a, const char *s)
{
	return ms_arena_strndup(a, s, strlen(s));
}

char *
ms_arena_printf(struct ms_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = ms_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
