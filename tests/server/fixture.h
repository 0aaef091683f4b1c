/*
 * fixture.h — the loopback fixture web: an HTTP/1.1 server on 127.0.0.1
 * that tests script to behave like the web a crawler meets, good and bad
 * (RELIABILITY.md §7: delays, trickle writes, endless bodies, encoded
 * bombs, status sequences, redirect graphs, per-request logging with
 * timestamps).  Built on libmicrohttpd with one thread per connection, so
 * a slow or endless answer never holds up another connection.
 *
 * Virtual hosts.  One listener on 127.0.0.1 and an ephemeral port serves
 * every host name: routes are chosen by the Host header (port stripped,
 * lower case).  A test points a name at the fixture in one of three ways:
 *
 *   - names under ".localhost" (RFC 6761): libcurl 7.88 resolves
 *     "anything.localhost" to loopback itself, without DNS or /etc/hosts,
 *     so "http://blog-a.localhost:PORT/feed" just works — also for the
 *     mentorscout binary.  The sample web (genweb.h) uses such names.
 *   - any other name: CURLOPT_RESOLVE with ms_fixture_resolve_line()
 *     ("name:PORT:127.0.0.1"), or CURLOPT_CONNECT_TO "::127.0.0.1:PORT".
 *   - IP literals: ms_fixture_listen() adds listeners on other 127.0.0.x
 *     addresses (Linux routes all of 127/8 to lo) on the same port, for
 *     tests that need distinct addresses rather than distinct names.
 *
 * Lifetime and threads.  Every function may be called from any thread
 * while the server runs (one mutex inside).  Requests are answered from
 * libmicrohttpd's threads.  ms_fixture_stop() wakes every delayed or
 * trickling answer, closes all connections and frees everything.
 *
 * Compression uses zlib (a libcurl dependency, allowed for test code):
 * gzip bodies are encoded once when a route is added; the 1 GiB bomb is
 * built once per process (about 1 MiB, see bomb_mib below).
 */
#ifndef MS_TESTS_SERVER_FIXTURE_H
#define MS_TESTS_SERVER_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ms_err;
struct ms_fixture;

/* In a status sequence: close the connection without any answer (what a
 * crawler sees as "connection reset" / "empty reply"). */
#define MS_FIXTURE_RESET (-1)

/*
 * What one route answers.  Zero means "not set" for every field, so a
 * designated initializer names only what a test needs:
 *
 *   struct ms_fixture_resp r = { .body = "<rss/>", .etag = "\"v1\"" };
 *
 * Everything is copied by ms_fixture_add(); the caller keeps its memory.
 */
struct ms_fixture_resp {
	/* 0: 200, or 302 when location is set. */
	int status;
	/* NULL: guessed from the path (".xml" sniffed as RSS or Atom,
	 * ".html", ".txt", ...), else "text/html; charset=utf-8". */
	const char *content_type;
	/* The body; body_len 0 with a non-NULL body means strlen(body). */
	const void *body;
	size_t body_len;
	/* Read at add time instead of body (a missing file is an error). */
	const char *body_file;
	/* Extra header lines "Name: value", NULL-terminated. */
	const char *const *headers;

	/* Validators, sent on 2xx and 304 answers.  A GET or HEAD whose
	 * If-None-Match matches etag (weak comparison, "*" too), or, when
	 * the request has no If-None-Match, whose If-Modified-Since is not
	 * before last_modified, gets 304 Not Modified (RFC 9110 §13.2.2). */
	const char *etag;      /* sent as given, quotes included */
	int64_t last_modified; /* epoch seconds; 0: none */

	/* Location header, for redirects (301, 302, 307, 308). */
	const char *location;
	/* Retry-After value, sent on every non-2xx answer of the route. */
	const char *retry_after;

	/* Status sequence: the k-th request to this route (from 0, counted
	 * since the route was added) gets statuses[k]; later ones get
	 * status.  Non-2xx entries answer a short text/plain body;
	 * MS_FIXTURE_RESET drops the connection. */
	const int *statuses;
	size_t nstatuses;

	/* Content-Encoding: gzip applied this many times (1: plain gzip;
	 * 6: "gzip, gzip, gzip, gzip, gzip, gzip", for the chained-encoding
	 * cap).  Sent only to requests whose Accept-Encoding names gzip,
	 * unless force_encoding, which sends it to everyone (misbehaviour).
	 * Applies to body/body_file, not to fill_size or endless. */
	int gzip;
	bool force_encoding;

	/* A decompression bomb: this many MiB of zeros, gzip'd (1024 gives
	 * the 1 GiB bomb of R-HT-9, about 1 MiB on the wire), always sent
	 * with Content-Encoding: gzip.  Replaces the body. */
	unsigned bomb_mib;

	/* Wait this long before sending the status line and headers. */
	unsigned delay_ms;
	/* Send the body trickle_bytes at a time, sleeping trickle_ms
	 * before each piece (slow-loris). */
	size_t trickle_bytes;
	unsigned trickle_ms;
	/* Oversized body: the body, then filler, fill_size bytes in all,
	 * with Content-Length, generated as it is sent (never held). */
	size_t fill_size;
	/* Endless body: the body, then filler forever (chunked). */
	bool endless;
};

struct ms_fixture_opts {
	/* Listen address; NULL: "127.0.0.1".  Only 127.0.0.0/8 is taken. */
	const char *address;
	/* 0: an ephemeral port (read it with ms_fixture_port()). */
	unsigned short port;
	/* Keep no request log in memory (long-running servers). */
	bool no_log;
	/* If non-NULL, one tab-separated line per finished request:
	 * start end host method uri status (times as in the log). */
	FILE *access_log;
};

/*
 * Start a server.  opts may be NULL (127.0.0.1, ephemeral port, in-memory
 * log).  Returns MS_OK with *out set, MS_EPOLICY for a non-loopback
 * address, or MS_ENET when it cannot listen.  Stop with ms_fixture_stop().
 */
int ms_fixture_start(const struct ms_fixture_opts *opts,
		     struct ms_fixture **out, struct ms_err *err);
/* Stop answering, close every connection, free everything.  NULL is ok. */
void ms_fixture_stop(struct ms_fixture *fx);

/* The port every listener of this server uses. */
unsigned short ms_fixture_port(const struct ms_fixture *fx);

/*
 * "http://HOST:PORT/path": host NULL means "127.0.0.1"; path NULL or ""
 * means "/", and a missing leading slash is added.  The string belongs to
 * fx and stays valid until ms_fixture_stop().
 */
const char *ms_fixture_url(struct ms_fixture *fx, const char *host,
			   const char *path);

/* "HOST:PORT:127.0.0.1" for CURLOPT_RESOLVE; owned by fx like the above. */
const char *ms_fixture_resolve_line(struct ms_fixture *fx, const char *host);

/*
 * Answer requests for host and path with r.  host "*" matches any host,
 * path "*" any path of that host (a per-host default, e.g. 500 to
 * everything); otherwise path matches the decoded path exactly, or the
 * request target with its query when path contains '?'.  Lookup order:
 * host+path, host+"*", "*"+path, "*"+"*", then the served directory, then
 * 404.  Adding a route that exists replaces it (and restarts its status
 * sequence).  Returns MS_OK, MS_EIO (body_file unreadable) or MS_EUSAGE
 * (bad argument: the message says which).
 */
int ms_fixture_add(struct ms_fixture *fx, const char *host, const char *path,
		   const struct ms_fixture_resp *r, struct ms_err *err);

/* Flags for ms_fixture_serve_dir(). */
#define MS_FIXTURE_GZIP                                                        \
	1u /* gzip text answers when accepted (nginx                           \
	    * style: the ETag becomes weak) */

/*
 * Serve a generated web from dir, where the first path component is the
 * host name: a request for http://HOST:PORT/a/b reads dir/HOST/a/b, read
 * at request time (so the files may be written after the server started).
 * A directory (with or without a trailing slash) serves its index.html,
 * else its index.xml.  ETag is the file's content hash, Last-Modified its
 * mtime, and conditional requests get 304.  Content types come from the
 * extension (".xml" sniffed as RSS or Atom).  The query is ignored.
 * Host names or paths that would leave dir are answered 404.  Routes
 * added with ms_fixture_add() take precedence.  Returns MS_OK or MS_EIO
 * (dir is not a directory).
 */
int ms_fixture_serve_dir(struct ms_fixture *fx, const char *dir, unsigned flags,
			 struct ms_err *err);

/* Wait this long before answering anything from the served directory
 * (simulated server latency for benchmarks). */
void ms_fixture_set_latency(struct ms_fixture *fx, unsigned ms);

/*
 * Also listen on another loopback address (e.g. "127.0.0.2") with the same
 * port and the same routes.  Returns MS_OK, MS_EPOLICY (not in
 * 127.0.0.0/8) or MS_ENET (cannot bind there; the message says why).
 */
int ms_fixture_listen(struct ms_fixture *fx, const char *address,
		      struct ms_err *err);

/* Seconds since the server started, on the clock the log uses
 * (CLOCK_MONOTONIC). */
double ms_fixture_now(const struct ms_fixture *fx);

/* ---------------------------------------------------------- request log */

/* One request as the server saw it.  Strings are NULL when absent. */
struct ms_fixture_req {
	unsigned long seq; /* order of arrival, from 0 */
	char *host;	   /* Host header, port stripped, lower case;
			    * "" when the request had none */
	char *uri;	   /* the request target as sent (path?query) */
	char *path;	   /* the decoded path, without the query */
	char *method;
	char *if_none_match;
	char *if_modified_since;
	char *user_agent;
	char *accept_encoding;
	char *headers;		    /* every request header, "Name: value\n" */
	unsigned short client_port; /* tells connections apart */
	int status;		    /* the status sent; 0: none (dropped) */
	double start;		    /* request line received (ms_fixture_now) */
	double end;		    /* answer finished or connection closed;
				     * 0 while the request is in flight */
};

struct ms_fixture_log {
	struct ms_fixture_req *reqs; /* in order of arrival */
	size_t n;
};

/* A copy of the log so far; release with ms_fixture_log_release(). */
void ms_fixture_log_get(struct ms_fixture *fx, struct ms_fixture_log *out);
void ms_fixture_log_release(struct ms_fixture_log *log);
/* Forget every finished request (in-flight ones stay). */
void ms_fixture_log_clear(struct ms_fixture *fx);

/* Requests logged so far for host and path; NULL matches any. */
size_t ms_fixture_count(struct ms_fixture *fx, const char *host,
			const char *path);

/*
 * Wait until no request is in flight (the server may finish its side of a
 * request a moment after the client read the last byte), at most
 * timeout_ms.  Returns 0, or -1 on timeout.
 */
int ms_fixture_wait_idle(struct ms_fixture *fx, unsigned timeout_ms);

/* What politeness tests assert, for the requests to one host. */
struct ms_fixture_host_stats {
	size_t requests;
	int max_in_flight;   /* most requests open at the same moment */
	double min_gap;	     /* least time from the end of one request to
			      * the start of the next (negative: overlap);
			      * INFINITY with fewer than two requests */
	double min_interval; /* least start-to-start time; INFINITY ... */
};

void ms_fixture_host_stats(const struct ms_fixture_log *log, const char *host,
			   struct ms_fixture_host_stats *out);

#endif
