/* buf.c — capped growable buffer (see buf.h). */
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ms_buf_init(struct ms_buf *b, size_t cap)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->cap = cap;
}

void
ms_buf_release(struct ms_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

void
ms_buf_reset(struct ms_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int
ms_buf_add(struct ms_buf *b, const void *p, size_t n)
{
	if (n > b->cap || b->len > b->cap - n)
		return MS_ETOOBIG;
	if (b->len + n + 1 > b->alloc) {
		size_t na = b->alloc ? b->alloc : 64;

		while (na < b->len + n + 1)
			na *= 2;
		b->data = ms_xrealloc(b->data, na);
		b->alloc = na;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return MS_OK;
}

int
ms_buf_adds(struct ms_buf *b, const char *s)
{
	return ms_buf_add(b, s, strlen(s));
}

int
ms_buf_addc(struct ms_buf *b, char c)
{
	return ms_buf_add(b, &c, 1);
}

int
ms_buf_addf(struct ms_buf *b, const char *fmt, ...)
{
	char small[256], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return MS_EIO;
	if ((size_t)n < sizeof(small))
		return ms_buf_add(b, small, (size_t)n);
	big = ms_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = ms_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

const char *
ms_buf_str(const struct ms_buf *b)
{
	return b->data ? b->data : "";
}

char *
ms_buf_detach(struct ms_buf *b, size_t *len)
{
	char *p = b->data ? b->data : ms_xstrdup("");

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}
