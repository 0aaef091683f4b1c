/*
 * genweb.h — the sample-web generator: a deterministic, realistic small
 * blogosphere written to a directory that ms_fixture_serve_dir() (and
 * bench/serveweb) serves, for end-to-end tests, `make demo` and benchmarks.
 *
 * Layout: OUT/HOST/PATH for every document (a URL ending in '/' or whose
 * last segment has no '.' is a directory holding index.html or index.xml),
 * plus, at the top:
 *   OUT/feeds.txt    the feed URLs a user subscribes to, one a line: a
 *                    subset of the blogs, so discovery must find the rest
 *                    through comment authors and links
 *   OUT/feeds.opml   the same as an OPML 2.0 subscription list
 *   OUT/truth.json   what a good ranker must do on this web: per topic the
 *                    designed mentors (and why), the decoys and dormant
 *                    experts that must rank below them, the spam ring that
 *                    must stay out of the top 10, the robots-blocked hosts,
 *                    and every blog with its role
 *
 * Host names and ports.  URLs inside documents are absolute and name the
 * port the web will be served on (opts.port, baked in: generate after the
 * server picked its port, or pick the port first).  Hosts are
 * "SLUG.DOMAIN" ("SLUG.blogspot.DOMAIN" for Blogger blogs) with DOMAIN
 * "localhost" by default: libcurl resolves every *.localhost name to
 * loopback by itself (RFC 6761), so the crawler reaches the fixture with no
 * resolver set-up.  With opts.hosts < opts.blogs, blogs share that many
 * hosts ("blogs-N.DOMAIN") under a path prefix "/SLUG/" (WordPress
 * multisite style), for politeness tests with many feeds per host.
 *
 * Determinism.  Everything comes from splitmix64 streams derived from the
 * seed and from opts.now (the reference date; nothing reads the clock), so
 * the same options give byte-identical files.  File mtimes are set to each
 * document's last change, so Last-Modified is deterministic too.
 *
 * Engines, in their real markup: WordPress (RSS 2.0 with content:encoded,
 * dc:creator, wfw:commentRss, slash:comments; per-post comment feeds
 * /YYYY/MM/slug/feed/; threaded comment lists with .bypostauthor; the
 * comment form or "Comments are closed."), Blogger (Atom
 * /feeds/posts/default with labels, thr:total and replies links; comment
 * feeds /feeds/POSTID/comments/default with thr:in-reply-to; Blogger
 * comment blocks), a plain Atom blog (RFC 4685 threading), a plain RSS
 * blog (Movable Type style), and an IndieWeb h-entry site; in English and
 * German.
 */
#ifndef MS_TESTS_SERVER_GENWEB_H
#define MS_TESTS_SERVER_GENWEB_H

#include <stddef.h>
#include <stdint.h>

struct ms_err;

#define MS_GENWEB_MIN_BLOGS 20
#define MS_GENWEB_MAX_BLOGS 100000
/* 2026-11-01T00:00:00Z, the default reference date. */
#define MS_GENWEB_NOW 1793491200LL

struct ms_genweb_opts {
	const char *out;     /* created; must be absent or empty */
	unsigned blogs;	     /* 0: 60 */
	unsigned hosts;	     /* 0: one host per blog */
	uint64_t seed;	     /* any value (0 is a seed like others) */
	unsigned port;	     /* 0: 8080; 80 leaves the port out of URLs */
	const char *domain;  /* NULL: "localhost" */
	int64_t now;	     /* 0: MS_GENWEB_NOW */
	unsigned subscribed; /* feeds.txt size; 0: two thirds of the
			      * blogs that are not spam */
};

struct ms_genweb_stats {
	size_t blogs, hosts, posts, comments;
	size_t files;
	uint64_t bytes; /* written, all files */
	size_t subscribed;
};

/*
 * Generate the web into opts->out.  Returns MS_OK, MS_EUSAGE (bad
 * options: the message names the option), MS_EEXIST (out is not empty) or
 * MS_EIO (a file could not be written: the message names it).  stats may
 * be NULL.
 */
int ms_genweb_run(const struct ms_genweb_opts *opts,
		  struct ms_genweb_stats *stats, struct ms_err *err);

/*
 * Read "YYYY-MM-DDTHH:MM:SSZ" (or a plain number of epoch seconds) for
 * --now; returns 0 and sets *out, or -1.
 */
int ms_genweb_parse_time(const char *s, int64_t *out);

#endif
