/*
 * fs.h — small file-system helpers shared by the commands.
 */
#ifndef MS_UTIL_FS_H
#define MS_UTIL_FS_H

#include <sys/types.h>

/*
 * mkdir -p: create path and its missing parents with mode (existing
 * directories are left as they are).  Returns 0, or -1 with errno set.
 */
int ms_mkdirs(const char *path, mode_t mode);

#endif
