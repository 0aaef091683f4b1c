/*
 * internal.h — the crawler's frontier, shared by loop.c and frontier.c
 * only.
 *
 * An item is one URL to fetch in this crawl; a host holds a FIFO of items
 * (oldest-fetched first, so whatever a budget cuts off is first in line on
 * the next crawl: the carry-over) and the politeness state.  Hosts with
 * work that may start are kept in a min-heap by the time they may start.
 */
#ifndef MS_CRAWLER_INTERNAL_H
#define MS_CRAWLER_INTERNAL_H

#include "crawler/crawler.h"
#include "util/err.h"
#include "util/hash.h"

struct ms_robots;

struct item {
	struct item *next;
	char *url;		/* what to fetch now (a redirect hop moves it) */
	char *orig;		/* the stored record's URL */
	int64_t last_fetch;	/* for the carry-over order */
	uint32_t host;
	uint8_t kind;		/* enum ms_feed_kind */
	uint8_t depth;
	uint8_t hops;		/* redirects followed so far */
	uint8_t tries;		/* transient failures so far */
	bool permanent;		/* every hop so far was 301/308 */
	bool guard;		/* keep off special addresses */
};

enum robots_state { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_READY };

struct host {
	char *name;		/* "host:port" */
	char *origin;		/* "scheme://host:port" for robots.txt */
	struct item *head, *tail;
	size_t queued;
	int64_t next_ms;	/* not before (monotonic ms) */
	size_t heap_pos;	/* (size_t)-1 when not in the heap */
	bool inflight;
	bool dropped;		/* circuit breaker or deferral */
	bool guard;		/* robots fetch needs the SSRF guard */
	enum robots_state robots_state;
	struct ms_robots *robots;	/* NULL: allow all */
	bool deny_all;		/* robots unavailable: nothing this crawl */
	char *robots_error;	/* why robots.txt was unavailable */
	bool blocked;		/* its address is refused (SSRF guard) */
	double delay;		/* seconds between requests */
	unsigned used;		/* requests this crawl */
	unsigned failures;	/* 5xx and timeouts this crawl */
};

struct frontier {
	struct host *hosts;
	size_t nhosts, cap;
	/* host name → index + 1, open addressing */
	uint32_t *slots;
	size_t nslots;
	/* the ready heap of host indexes */
	uint32_t *heap;
	size_t nheap, heapcap;
	/* URLs already in this crawl's frontier (hash → taken) */
	struct ms_hash *seen;
	size_t nseen, seencap;
	size_t items;		/* total items ever queued */
};

void fr_init(struct frontier *f);
void fr_release(struct frontier *f);
/* The host for a URL (created on first use); -1 for a URL without one. */
long fr_host(struct frontier *f, const char *url);
/* Mark a URL as taken; false when it already was. */
bool fr_claim(struct frontier *f, const char *url);
/* Append an item to its host's queue (taking ownership) and make the host
 * ready if it is idle. */
void fr_push(struct frontier *f, struct item *it);
/* Put a host (idle, with work) into the heap / update its position. */
void fr_ready(struct frontier *f, uint32_t h);
/* The host at the top of the heap if it may start at now_ms, else -1;
 * *wait_ms gets the time until the top may start (or -1 if empty). */
long fr_pop_ready(struct frontier *f, int64_t now_ms, int64_t *wait_ms);
/* Take the first item of a host's queue. */
struct item *fr_take(struct frontier *f, uint32_t h);
void fr_item_free(struct item *it);
/* Sort every host's queue by last_fetch (never fetched first). */
void fr_sort_queues(struct frontier *f);

/*
 * pool.c: the analysis threads.  A job goes in with a fetched body and
 * comes back with the parsed document, its topics matched; the loop
 * embeds it in its own record of the fetch.
 */
struct ms_doc;
struct ms_taxonomy;

struct job {
	struct job *next;
	/* in (owned: freed by job_run or job_release) */
	char *body;
	size_t len;
	char *url;		/* the document's base URL */
	char *ctype;		/* Content-Type; NULL when none was sent */
	size_t max_size;
	const struct ms_taxonomy *tax;
	/* out */
	int rc;			/* of ms_doc_parse */
	struct ms_err err;
	struct ms_doc *doc;
};

struct pool;

/* Parse and match one job (on any thread); frees its body. */
void job_run(struct job *j);
/* Free what a job holds (not the job itself). */
void job_release(struct job *j);
/* Start threads that call wake(arg) whenever a job is done. */
struct pool *pool_new(int threads, void (*wake)(void *), void *arg);
void pool_put(struct pool *p, struct job *j);
/* A finished job, or NULL. */
struct job *pool_done(struct pool *p);
/* A job no thread has started, if at least min_queued wait; else NULL.
 * The caller runs it (job_run) or drops it. */
struct job *pool_steal(struct pool *p, size_t min_queued);
/* Jobs put and not yet taken back by pool_done or pool_steal. */
size_t pool_out(struct pool *p);
/* Let the threads finish the jobs they are on, and end them.  Jobs not
 * started stay queued (pool_steal), finished ones done (pool_done). */
void pool_stop(struct pool *p);
/* pool_stop, then free p; every job must have been taken back. */
void pool_free(struct pool *p);

#endif
