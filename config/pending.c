/*
 * pending.c — placeholders until config/ is written, so the program links.
 */
#include "config/config.h"
#include "util/err.h"

#include <stddef.h>

char *
ms_config_default_path(const char *path)
{
	(void)path;
	return NULL;
}

int
ms_config_load(const char *path, bool must_exist, struct ms_config **out,
	       struct ms_err *err)
{
	(void)path; (void)must_exist;
	*out = NULL;
	return ms_err_set(err, MS_EUNIMPL, "config: not implemented yet");
}

void
ms_config_free(struct ms_config *c)
{
	(void)c;
}
