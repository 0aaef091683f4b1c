/*
 * arena.h — a bump allocator for everything belonging to one parsed
 * document (git's mem-pool).  One call frees it all.
 */
#ifndef MS_UTIL_ARENA_H
#define MS_UTIL_ARENA_H

#include <stddef.h>

struct ms_arena_block;

struct ms_arena {
	struct ms_arena_block *head;
	size_t used_total;	/* bytes handed out, for caps and stats */
};

void ms_arena_init(struct ms_arena *a);
/* Free every block; the arena is empty and usable again. */
void ms_arena_release(struct ms_arena *a);
/* Memory aligned for any type; never NULL (out of memory is fatal). */
void *ms_arena_alloc(struct ms_arena *a, size_t n);
void *ms_arena_zalloc(struct ms_arena *a, size_t n);
char *ms_arena_strdup(struct ms_arena *a, const char *s);
char *ms_arena_strndup(struct ms_arena *a, const char *s, size_t n);
char *ms_arena_printf(struct ms_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
