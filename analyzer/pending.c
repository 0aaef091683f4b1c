/*
 * pending.c — placeholders for analyzer parts not written yet, so the
 * program links while they are built.  Each goes away with its real file.
 */
#include "analyzer/internal.h"
#include "util/err.h"

int
ms_html_parse(struct ms_doc *doc, const char *data, size_t len,
	      const struct ms_parse_opts *o, struct ms_err *err)
{
	(void)doc; (void)data; (void)len; (void)o;
	return ms_err_set(err, MS_EUNIMPL, "HTML pages: not implemented yet");
}

void
ms_doc_enrich(struct ms_doc *doc)
{
	(void)doc;
}
