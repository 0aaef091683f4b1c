/*
 * buf.h — a growable byte buffer with a hard cap given at creation (curl's
 * dynbuf "toobig").  The contents are always NUL-terminated so they can be
 * used as a C string; len does not count the terminator.
 */
#ifndef MS_UTIL_BUF_H
#define MS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ms_buf {
	char *data;	/* NULL until the first append */
	size_t len;
	size_t alloc;
	size_t cap;	/* the most len may ever reach */
};

#define MS_BUF_INIT(c) { NULL, 0, 0, (c) }

void ms_buf_init(struct ms_buf *b, size_t cap);
/* Free the contents; the buffer can be used again (empty, same cap). */
void ms_buf_release(struct ms_buf *b);
/* Empty the buffer, keeping its memory. */
void ms_buf_reset(struct ms_buf *b);
/*
 * Append; return MS_OK or MS_ETOOBIG (nothing appended) when the cap would
 * be passed.
 */
int ms_buf_add(struct ms_buf *b, const void *p, size_t n);
int ms_buf_adds(struct ms_buf *b, const char *s);
int ms_buf_addc(struct ms_buf *b, char c);
int ms_buf_addf(struct ms_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty); valid until the next change. */
const char *ms_buf_str(const struct ms_buf *b);
/* Hand the contents to the caller (free()); the buffer becomes empty. */
char *ms_buf_detach(struct ms_buf *b, size_t *len);

#endif
