/*
 * err.h — error codes and the error message carrier shared by all modules.
 *
 * Functions return MS_OK (0) or an MS_E* code and, when given a non-NULL
 * struct ms_err, fill it with a one-line message in git's style: lower case,
 * no full stop, the error first, the subject quoted.  Modules never print.
 */
#ifndef MS_UTIL_ERR_H
#define MS_UTIL_ERR_H

#include <stdarg.h>

enum {
	MS_OK = 0,
	MS_EUSAGE,	/* bad command line: exit 2 */
	MS_ECONFIG,	/* bad configuration file or value */
	MS_EIO,		/* file system or OS error */
	MS_ESTORE,	/* LMDB error */
	MS_EVERSION,	/* store written by a newer schema */
	MS_ECORRUPT,	/* a record that does not decode */
	MS_ENOTFOUND,	/* lookup found nothing */
	MS_EEXIST,	/* already present */
	MS_EPARSE,	/* a document that cannot be read */
	MS_ETOOBIG,	/* a size cap was hit */
	MS_ENET,	/* network failure */
	MS_EPOLICY,	/* refused by policy (scheme, address, robots) */
	MS_ELOCKED,	/* another process holds the lock */
	MS_EFULL,	/* disk or map full and cannot grow */
	MS_EINTR,	/* stopped by a signal or deadline */
	MS_EUNIMPL,	/* not implemented yet */
};

#define MS_ERR_MAX 512

struct ms_err {
	int code;
	char msg[MS_ERR_MAX];
};

/*
 * Set err (if non-NULL) to code and the formatted message; returns code so
 * callers can write `return ms_err_set(err, MS_EIO, "...")`.
 */
int ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ms_err_vset(struct ms_err *err, int code, const char *fmt, va_list ap);

/*
 * Prefix the existing message with "<fmt>: " (git's "while doing X: ...").
 * Returns err->code (or MS_OK when err is NULL).
 */
int ms_err_prefix(struct ms_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A short name for a code ("config", "store", ...). */
const char *ms_err_name(int code);

#endif
