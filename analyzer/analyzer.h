/*
 * analyzer.h — turn one fetched document (feed or HTML page) into structured
 * facts: entries, comments, people, links, profiles, topics.
 *
 * Parsing never touches the network or the file system, never expands
 * external entities and works on memory only (RELIABILITY.md §3).  Feeds are
 * read with libxml2's SAX2 parser one item at a time; pages with its HTML
 * parser.
 *
 * Ownership: everything in a struct ms_doc lives in the document's arena
 * and is freed by ms_doc_free().  Absent strings are NULL, absent times
 * MS_TIME_NONE (INT64_MIN), unknown counts -1, unknown comments_open -1.
 * Times are UTC seconds since the epoch.
 */
#ifndef MS_ANALYZER_ANALYZER_H
#define MS_ANALYZER_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/arena.h"
#include "util/hash.h"

/* The same value as store.h's: "no time". */
#ifndef MS_TIME_NONE
#define MS_TIME_NONE INT64_MIN
#endif

struct ms_err;
struct ms_batch;
struct ms_taxonomy;

enum ms_doc_kind {
	MS_DOC_UNKNOWN = 0,
	MS_DOC_RSS,
	MS_DOC_ATOM,
	MS_DOC_RDF,
	MS_DOC_HTML,
};

struct ms_author {
	const char *name;
	const char *uri;
	const char *email;
};

struct ms_topic_hit {
	const char *topic;	/* topic id (from the taxonomy) */
	double weight;		/* > 0 */
};

struct ms_entry {
	const char *id;
	const char *title;	/* plain text */
	const char *link;	/* absolute */
	int64_t published;
	int64_t updated;
	struct ms_author author;	/* first author, else the feed's */
	struct ms_author *authors;	/* all of the entry's own */
	size_t nauthors;
	const char **categories;
	size_t ncategories;
	const char *comments_url;	/* the comment page (RSS <comments>) */
	const char *comment_feed;	/* wfw:commentRss, atom replies link */
	long comment_count;		/* slash:comments, thr:total; -1 */
	int comments_open;		/* -1 unknown, 0, 1 */
	const char **links;		/* outbound links in the content */
	size_t nlinks;
	const char **profiles;		/* canonical profile URLs found */
	size_t nprofiles;
	const char *text;	/* plain text of content/summary (capped) */
	const char *language;	/* declared or detected */
	struct ms_topic_hit *topics;	/* filled by ms_doc_topics() */
	size_t ntopics;
	/* The item is a comment (an item of a comment feed, or an Atom entry
	 * with thr:in-reply-to): it is also in doc->comments and is not a
	 * post. */
	bool is_comment;
};

struct ms_comment {
	const char *id;
	const char *entry_link;	/* the post it belongs to */
	const char *in_reply_to;	/* parent comment id/URL, else NULL */
	int64_t published;
	struct ms_author author;
	bool by_post_author;	/* .bypostauthor, Blogger blog-author... */
	const char *text;	/* plain text (capped) */
};

struct ms_doc {
	struct ms_arena arena;
	enum ms_doc_kind kind;
	const char *version;	/* feedparser's names: "rss20", "atom10" */
	const char *encoding;	/* detected source encoding, lower case */
	bool recovered;		/* not read cleanly (feedparser's bozo) */
	const char *error;	/* the first parse problem, when recovered */
	const char *title;
	const char *link;
	const char *language;
	struct ms_author author;	/* the feed's own */
	const char **feed_links;	/* html: autodiscovered feeds */
	size_t nfeed_links;
	const char **profiles;		/* page/feed level profile links */
	size_t nprofiles;
	struct ms_entry *entries;
	size_t nentries;
	struct ms_comment *comments;
	size_t ncomments;
	/* html comment pages: whether comments are open on this page's post */
	int comments_open;	/* -1 unknown */
};

struct ms_parse_opts {
	const char *url;	/* where the document came from (base URL) */
	/* HTTP Content-Type; NULL when not fetched over HTTP, "" when the
	 * server sent none (the encoding defaults differ, RFC 3023) */
	const char *content_type;
	size_t max_size;	/* refuse larger input; 0 = 8 MiB */
	/* Leave entry and comment text NULL and skip the work it takes (for
	 * callers that do not use it, like `parse`). */
	bool no_text;
	/*
	 * Streaming (optional).  With on_entry set, each feed entry goes to
	 * it as soon as it has been read and is then dropped: doc->entries
	 * stays empty and memory stays flat however long the feed is.  The
	 * entry and its strings are valid during the call only; doc holds
	 * what is known of the feed so far (kind, version, encoding, the
	 * channel fields read until then).  Streamed entries are
	 * not enriched (no profiles; language only as declared).  When a
	 * broken document has to be read twice (a bare '&' repaired),
	 * entries already handed over are not handed over again.  A non-zero
	 * return (an MS_E* code) stops the parse with that code.  Comments
	 * are never streamed.  Large streamed feeds have their content read
	 * by a second thread; on_entry is still called from the caller's.
	 */
	int (*on_entry)(void *arg, const struct ms_doc *doc,
			const struct ms_entry *e);
	void *on_entry_arg;
	/*
	 * Optional: the pass in progress is done with data[0, off).  The
	 * bytes are read in passes that each start from 0 (the UTF-8 check,
	 * then the parse), so off grows within a pass and starts again
	 * with the next.  A caller that mapped a large file can release
	 * those pages (madvise): a later pass reads them in again.
	 */
	void (*on_consumed)(void *arg, size_t off);
	void *on_consumed_arg;
};

/*
 * Parse one document held in memory.  Decides feed or HTML from the
 * content type and the bytes.  Returns MS_OK with *out set (also for broken
 * documents read in recover mode: doc->recovered), MS_ETOOBIG, or
 * MS_EPARSE when nothing could be read (entity bombs, not XML nor HTML);
 * the message says why.  Free *out with ms_doc_free().
 */
int ms_doc_parse(const void *data, size_t len,
		 const struct ms_parse_opts *opts, struct ms_doc **out,
		 struct ms_err *err);
void ms_doc_free(struct ms_doc *doc);

/*
 * Parse a date in any of the forms feeds use (RFC 822 and its broken
 * variants, RFC 3339 / ISO 8601, W3CDTF) to UTC seconds; MS_TIME_NONE when
 * it cannot be read.
 */
int64_t ms_date_parse(const char *s);
/* Format as RFC 3339 UTC ("2010-06-06T10:00:00Z") into out[32]. */
void ms_date_format(int64_t t, char out[32]);

/*
 * Guess the language of a text ("en", "de", ...), NULL when unsure.
 */
const char *ms_lang_detect(const char *text, size_t len);

/*
 * If url is a profile on a known network (LinkedIn, X/Twitter, Mastodon,
 * GitHub, Facebook), return its canonical form in the arena, else NULL.
 */
const char *ms_profile_canonical(struct ms_arena *a, const char *url);

/*
 * Is url a page about a person on a platform — a profile on a known
 * network (as above), a Blogger profile, a Gravatar page — rather than a
 * site of their own?  Discovery does not crawl such a host's root page as
 * someone's blog (it would fetch github.com's or blogger.com's home).
 */
bool ms_url_is_platform_page(const char *url);

/*
 * Match the taxonomy against every entry (title, categories, text, in the
 * entry's language) and fill entry->topics.  A category equal to a topic's
 * id or label counts strongly.
 */
void ms_doc_topics(struct ms_doc *doc, const struct ms_taxonomy *tax);

/*
 * Record what the document yields into a batch: posts, comments, people
 * (authors, commenters, profiles), the feed's title and site.  feed_url is
 * the normalized URL the document was fetched as (NULL for `parse`); now is
 * the crawl time.  Returns MS_OK or an error from URL handling.
 */
struct ms_ingest_stats {
	size_t posts, comments, people;
	/* The posts key of the first post recorded, else the comments key
	 * of the first comment; zero when neither (ms_feed_rec.sample). */
	struct ms_hash sample;
};
int ms_doc_ingest(const struct ms_doc *doc, const char *feed_url,
		  int64_t now, struct ms_batch *b,
		  struct ms_ingest_stats *stats, struct ms_err *err);

/* The DESIGN.md `parse --json` object, as a malloc'd string. */
char *ms_doc_to_json(const struct ms_doc *doc);

/*
 * The same object written to f as a document is streamed (on_entry): the
 * members known before the first entry, each entry as it comes, then the
 * rest (comments, recovered, and any feed field that came late).  Key
 * order aside it is what ms_doc_to_json gives.  Each call returns MS_OK or
 * MS_EIO when f fails.
 */
struct ms_json_stream;
struct ms_json_stream *ms_json_stream_new(FILE *f);
int ms_json_stream_entry(struct ms_json_stream *s, const struct ms_doc *doc,
			 const struct ms_entry *e);
/* Write what is left (doc->entries not streamed, comments, the rest of the
 * feed's members) and free s. */
int ms_json_stream_end(struct ms_json_stream *s, const struct ms_doc *doc);
/* Free s without writing (after an error). */
void ms_json_stream_free(struct ms_json_stream *s);

/* ------------------------------------------------------------------ OPML */

/*
 * An OPML 1.0/2.0 subscription list: every outline with an xmlUrl (a feed)
 * or only an htmlUrl (a site to autodiscover), in document order, with the
 * names of the folders it sits in and its own category attribute as
 * categories.  URLs are as written (the caller normalizes and reports bad
 * ones).  Everything lives in the arena; free with ms_opml_free().
 */
struct ms_opml_item {
	const char *xml_url;	/* NULL for a site-only outline */
	const char *html_url;
	const char *title;
	const char **categories;
	size_t ncategories;
};

struct ms_opml {
	struct ms_arena arena;
	const char *title;
	struct ms_opml_item *items;
	size_t nitems;
};

/* Parse an OPML document from memory (name is used in messages).  Errors:
 * MS_EPARSE naming the file, line and libxml2's message; MS_ETOOBIG. */
int ms_opml_parse(const void *data, size_t len, const char *name,
		  struct ms_opml **out, struct ms_err *err);
void ms_opml_free(struct ms_opml *o);

/* Write an OPML 2.0 document of the items to a malloc'd string. */
char *ms_opml_write(const char *title, const struct ms_opml_item *items,
		    size_t n);

#endif
