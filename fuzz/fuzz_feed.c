/*
 * fuzz_feed.c — ms_doc_parse() on arbitrary bytes, the way a crawl meets
 * them: with or without an HTTP content type (and charset), with or
 * without a base URL, whole or streamed entry by entry (stopped early or
 * not), with or without text.  Then what the crawl and `parse --json` do
 * with a document: topics, ingest into a batch, JSON (which must be valid
 * JSON, streamed or not: RELIABILITY.md §5.1).
 *
 * Input: the document's bytes.  The options come from a hash of them, so
 * the fixtures and the feedparser corpus serve as seeds unchanged and each
 * input is run under one fixed choice.
 */
#include "fuzz/fuzz.h"
#include "analyzer/analyzer.h"
#include "config/config.h"
#include "store/store.h"
#include "util/err.h"

#include <jansson.h>
#include <stdbool.h>

/* What servers send, and what they get wrong (RFC 3023 / 7303 defaults). */
static const char *const content_types[] = {
	NULL,
	"",
	"application/rss+xml",
	"application/atom+xml",
	"application/rdf+xml",
	"application/xml",
	"text/xml",
	"text/xml; charset=iso-8859-1",
	"application/xml; charset=utf-16",
	"application/rss+xml; charset=\"windows-1252\"",
	"text/xml; charset=no-such-encoding",
	"text/html",
	"text/html; charset=utf-8",
	"text/plain",
	"application/octet-stream",
	"application/atom+xml;charset=UTF-8",
};

#define BASE "https://fuzz.example/blog/feed/"

struct run {
	struct ms_json_stream *js;
	size_t seen, stop_after;	/* stop_after 0: never */
};

/* FNV-1a: a stable choice of options per input. */
static uint32_t
hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static const struct ms_taxonomy *
taxonomy(void)
{
	static struct ms_config *c;
	struct ms_err err = { 0 };

	if (!c && ms_config_defaults(&c, &err))
		FUZZ_CHECK(0, "defaults: %s", err.msg);
	return &c->taxonomy;
}

static void
check_json(const char *text, size_t len, const char *what)
{
	json_error_t jerr;
	json_t *j = json_loadb(text, len, 0, &jerr);

	FUZZ_CHECK(j && json_is_object(j), "%s is not a JSON object: %d:%d: "
		   "%s", what, jerr.line, jerr.column, jerr.text);
	json_decref(j);
}

static int
on_entry(void *arg, const struct ms_doc *doc, const struct ms_entry *e)
{
	struct run *r = arg;

	FUZZ_CHECK(doc->kind != MS_DOC_HTML, "an HTML page streams entries");
	FUZZ_CHECK(ms_json_stream_entry(r->js, doc, e) == MS_OK, "stream");
	if (r->stop_after && ++r->seen >= r->stop_after)
		return MS_EINTR;
	return MS_OK;
}

static void
check_doc(struct ms_doc *doc, const char *url)
{
	struct ms_ingest_stats st = { 0 };
	struct ms_err err = { 0 };
	struct ms_batch *b;
	char *json;

	FUZZ_CHECK(doc->kind >= MS_DOC_UNKNOWN && doc->kind <= MS_DOC_HTML,
		   "kind %d", (int)doc->kind);
	FUZZ_CHECK(!doc->recovered || doc->error, "recovered without error");
	json = ms_doc_to_json(doc);
	check_json(json, strlen(json), "ms_doc_to_json");
	free(json);
	ms_doc_topics(doc, taxonomy());
	for (size_t i = 0; i < doc->nentries; i++)
		for (size_t k = 0; k < doc->entries[i].ntopics; k++)
			FUZZ_CHECK(doc->entries[i].topics[k].weight > 0,
				   "topic weight");
	b = ms_store_batch_new(NULL);
	ms_doc_ingest(doc, url, 1700000000, b, &st, &err);
	ms_store_batch_free(b);
}

int
ms_fuzz_feed(const uint8_t *data, size_t size)
{
	uint32_t h = hash(data, size);
	struct ms_parse_opts o = { 0 };
	struct ms_doc *doc = NULL;
	struct ms_err err = { 0 };
	struct run r = { 0 };
	char *sbuf = NULL;
	size_t slen = 0;
	FILE *sf = NULL;
	int rc;

	o.content_type = content_types[h % 16];
	o.url = h >> 4 & 1 ? BASE : NULL;
	o.no_text = h >> 5 & 1;
	if (h >> 6 & 1) {
		sf = open_memstream(&sbuf, &slen);
		FUZZ_CHECK(sf, "open_memstream");
		r.js = ms_json_stream_new(sf);
		r.stop_after = h >> 7 & 3;	/* 0: read to the end */
		o.on_entry = on_entry;
		o.on_entry_arg = &r;
	}
	rc = ms_doc_parse(data, size, &o, &doc, &err);
	if (rc) {
		FUZZ_CHECK(!doc, "a document on failure");
		FUZZ_CHECK(rc == MS_EPARSE || rc == MS_ETOOBIG ||
				   (rc == MS_EINTR && r.stop_after),
			   "code %d: %s", rc, err.msg);
		FUZZ_CHECK(err.msg[0], "no message for code %d", rc);
		ms_json_stream_free(r.js);
	} else {
		FUZZ_CHECK(doc, "no document");
		if (r.js) {
			FUZZ_CHECK(ms_json_stream_end(r.js, doc) == MS_OK,
				   "stream end");
			fflush(sf);
			check_json(sbuf, slen, "the streamed JSON");
		}
		check_doc(doc, o.url);
		ms_doc_free(doc);
	}
	if (sf)
		fclose(sf);
	free(sbuf);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_feed)
