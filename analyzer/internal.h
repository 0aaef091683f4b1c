/*
 * internal.h — what the analyzer's files share among themselves; nothing
 * outside analyzer/ includes it.
 *
 *   doc.c      ms_doc_parse: size cap, feed or HTML, encoding, enrich
 *   feed.c     RSS 0.9x/2.0, RSS 1.0 (RDF), Atom: libxml2 SAX2, streaming
 *   dates.c    ms_date_parse / ms_date_format
 *   fragment.c HTML fragments (entry content) → text and links
 *   json.c     ms_doc_to_json
 *   html.c     HTML pages: autodiscovery, comment threads, comments_open
 *   enrich.c   after parsing: profiles and language per entry
 *   profiles.c ms_profile_canonical (PCRE2 table)
 *   lang.c     ms_lang_detect
 *   topics.c   ms_doc_topics
 *   ingest.c   ms_doc_ingest
 */
#ifndef MS_ANALYZER_INTERNAL_H
#define MS_ANALYZER_INTERNAL_H

#include "analyzer/analyzer.h"

/* Parse an RSS/RDF/Atom document (already known to be XML) into doc. */
int ms_feed_parse(struct ms_doc *doc, const char *data, size_t len,
		  const struct ms_parse_opts *o, struct ms_err *err);

/* Parse an HTML page into doc (kind MS_DOC_HTML). */
int ms_html_parse(struct ms_doc *doc, const char *data, size_t len,
		  const struct ms_parse_opts *o, struct ms_err *err);

/* The plain text (whitespace collapsed, at most text_cap bytes, cut on a
 * UTF-8 boundary) and the absolute, de-duplicated http(s) links of an HTML
 * fragment; base resolves relative hrefs.  Strings live in a. */
struct ms_fragment {
	const char *text;
	const char **links;
	size_t nlinks;
};
void ms_fragment_parse(struct ms_arena *a, const char *html, size_t len,
		       const char *base, size_t text_cap,
		       struct ms_fragment *out);
/* The same for markup the feed parser already holds as XML nodes (Atom
 * type="xhtml", XHTML inside an RSS element): the children of node, with
 * xml:base on them honoured. */
struct _xmlNode;
void ms_fragment_nodes(struct ms_arena *a, struct _xmlNode *node,
		       const char *base, size_t text_cap,
		       struct ms_fragment *out);

/* After a successful parse: canonical profiles from links and author URIs,
 * and each entry's language (declared, else detected). */
void ms_doc_enrich(struct ms_doc *doc);

/* Append s to an arena-backed string vector. */
void ms_strv_push(struct ms_arena *a, const char ***v, size_t *n,
		  size_t *cap, const char *s);

#endif
