/* fs.c — file-system helpers (see fs.h). */
#include "util/fs.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

int
ms_mkdirs(const char *path, mode_t mode)
{
	char *p = ms_xstrdup(path);
	int rc = 0, e = 0;

	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) && errno != EEXIST) {
			rc = -1;
			e = errno;
		}
		*s = '/';
	}
	if (!rc && mkdir(p, mode) && errno != EEXIST) {
		rc = -1;
		e = errno;
	}
	free(p);
	if (rc)
		errno = e;
	return rc;
}
