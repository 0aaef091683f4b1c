/* err.c — the error carrier (see err.h). */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

int
ms_err_vset(struct ms_err *err, int code, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return code;
}

int
ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ms_err_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int
ms_err_prefix(struct ms_err *err, const char *fmt, ...)
{
	char pre[MS_ERR_MAX], old[MS_ERR_MAX];
	va_list ap;

	if (!err)
		return MS_OK;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is fine: the message is for people and stays bounded. */
	size_t n = strnlen(pre, sizeof(err->msg) - 1);
	memcpy(err->msg, pre, n);
	snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", old);
	return err->code;
}

const char *
ms_err_name(int code)
{
	/* Indexed by code; keep in the order of the enum in err.h. */
	static const char *const names[] = {
		"ok", "usage", "config", "io", "store", "version", "corrupt",
		"not found", "exists", "parse", "too big", "network",
		"policy", "locked", "full", "interrupted", "unimplemented",
	};
	if (code < 0 || (size_t)code >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[code];
}
