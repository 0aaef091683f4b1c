/*
 * pending.c — placeholders until store/ is written, so the program links.
 */
#include "store/store.h"
#include "util/err.h"

#include <stddef.h>

char *
ms_store_default_dir(const char *dir)
{
	(void)dir;
	return NULL;
}

int
ms_store_open(const char *dir, unsigned flags, size_t map_size,
	      struct ms_store **out, struct ms_err *err)
{
	(void)dir; (void)flags; (void)map_size;
	*out = NULL;
	return ms_err_set(err, MS_EUNIMPL, "store: not implemented yet");
}

void
ms_store_close(struct ms_store *st)
{
	(void)st;
}
