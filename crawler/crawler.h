/*
 * crawler.h — `mentorscout crawl`: one libcurl multi loop over a frontier of
 * feeds, comment feeds, comment pages and discovered sites, polite per host
 * (one request in flight, then a delay; robots.txt; a budget per crawl), 
 * incremental (conditional GET, body digests), bounded (time, size,
 * redirects through the frontier), and safe (http/https only; discovered
 * URLs kept off private addresses).  Every document streams through the
 * analyzer into the store; its records and the feed's new validators are
 * committed in one transaction.
 *
 *   loop.c     ms_crawl_run: the multi loop, transfers, results, batches
 *   frontier.c hosts, per-host queues, the ready heap, budgets
 *   robots.c   RFC 9309 robots.txt parsing and matching
 *   addr.c     the SSRF guard: which addresses are special
 *   lock.c     the crawl lock (flock on DIR/crawl.lock)
 */
#ifndef MS_CRAWLER_CRAWLER_H
#define MS_CRAWLER_CRAWLER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ms_err;
struct ms_store;
struct ms_config;
struct ms_shard;
struct sockaddr;

/* ------------------------------------------------------------- the run */

struct ms_crawl_opts {
	const struct ms_config *cfg;
	int jobs;		/* 0: cfg->crawl.jobs */
	double max_time;	/* seconds; 0: no deadline */
	int verbose;		/* 1: a line per fetch on stderr */
	bool progress;		/* a live status line on stderr (a TTY) */
	/* "host:port:address" entries for CURLOPT_RESOLVE (tests map names to
	 * 127.0.0.1), NULL-terminated, may be NULL. */
	const char *const *resolve;
	/* Set (by a signal handler) to stop cleanly; may be NULL. */
	volatile sig_atomic_t *stop;
	int64_t now;		/* crawl time; 0: time(NULL) */
	/* This worker's shard (util/shard.h); NULL or n = 0: not sharded.
	 * A sharded crawl fetches only hosts of its own shards and files
	 * what it finds on other hosts in the store's outbox. */
	const struct ms_shard *shard;
};

struct ms_crawl_stats {
	unsigned fetched;	/* transfers that got an HTTP answer */
	unsigned ok;		/* 200s analysed */
	unsigned not_modified;	/* 304s */
	unsigned unchanged;	/* 200s with an unchanged digest */
	unsigned errors;	/* feeds that failed this crawl */
	unsigned retries;
	unsigned redirects;
	unsigned robots_denied;
	unsigned blocked;	/* SSRF guard or scheme */
	unsigned too_large;
	unsigned deferred;	/* left for the next crawl (budget, 429) */
	unsigned discovered;	/* new URLs added to the frontier */
	unsigned other_shard;	/* stored feeds another shard fetches */
	unsigned handed_on;	/* URLs filed in the outbox for others */
	unsigned posts, comments;	/* records written */
	unsigned commits;
	uint64_t bytes;		/* decoded body bytes */
	unsigned max_host_inflight;	/* politeness check: must stay 1 */
	double seconds;
	bool stopped;		/* by the deadline or a signal */
};

/*
 * Crawl everything due in the store.  Returns MS_OK (also when some feeds
 * failed: their failures are recorded against them), MS_EINTR (stopped by
 * a signal; what was done is committed), MS_EFULL (the disk is full),
 * MS_ESTORE, MS_ECONFIG (no contact in the user agent), MS_EUSAGE (the
 * store belongs to another shard than o->shard, or to a shard while the
 * crawl is not sharded: a store's meta "shard" records "K/N" at its first
 * sharded crawl).
 */
int ms_crawl_run(struct ms_store *st, const struct ms_crawl_opts *o,
		 struct ms_crawl_stats *stats, struct ms_err *err);

/* The one-line summary of a crawl, for logs and `stats`, into buf. */
void ms_crawl_summary(const struct ms_crawl_stats *s, char *buf, size_t n);

/* ----------------------------------------------------------------- lock */

/*
 * Take the crawl lock of the store in dir (flock on DIR/crawl.lock, our pid
 * written in it).  MS_ELOCKED with "another crawl is running (pid N)" when
 * held.  Release by closing *fd (or exiting).
 */
int ms_crawl_lock(const char *dir, int *fd, struct ms_err *err);

/* -------------------------------------------------------------- robots */

struct ms_robots;

/*
 * Parse a robots.txt body (at most max bytes are read; the rest ignored)
 * for the product token agent ("mentorscout"): the group naming it
 * (case-insensitive), else the "*" group.  Never fails; garbage gives no
 * rules.  Free with ms_robots_free().
 */
struct ms_robots *ms_robots_parse(const char *body, size_t len, size_t max,
				  const char *agent);
void ms_robots_free(struct ms_robots *r);
/* RFC 9309: the longest matching rule decides, Allow on a tie; "*" and
 * "$" patterns; percent-encoding normalized.  path includes the query. */
bool ms_robots_allowed(const struct ms_robots *r, const char *path);
/* The group's Crawl-delay in seconds, or -1 when none. */
double ms_robots_crawl_delay(const struct ms_robots *r);

/* ------------------------------------------------------------ SSRF guard */

/* true when the address is private, loopback, link-local, multicast,
 * reserved or otherwise not the public internet (IPv4, IPv6 and the
 * IPv4-mapped, NAT64, 6to4 and compatible forms). */
bool ms_addr_is_special(const struct sockaddr *sa);
/* The same for an address in text ("127.0.0.1", "::ffff:10.0.0.1"); true
 * for text that is not an address. */
bool ms_addr_text_is_special(const char *ip);

#endif
