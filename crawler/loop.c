/*
 * loop.c — ms_crawl_run: one libcurl multi loop (no thread per request)
 * driving the frontier.  Politeness is ours, not curl's: a host has at most
 * one request in flight, then waits its delay (config, or robots.txt's
 * Crawl-delay) before the next, whatever HTTP/2 could multiplex.
 *
 * Every finished transfer is turned into store writes in the open batch:
 * the feed's new state and validators together with the records analysed
 * from its body (RELIABILITY.md §4.6), so a crash never leaves validators
 * without their records.  Bodies are parsed and matched on analysis
 * threads (pool.c) while the loop goes on fetching; the store is written
 * from this thread only, when a body's analysis comes back.  The batch is
 * committed every few thousand operations or every second.
 */
#include "analyzer/analyzer.h"
#include "config/config.h"
#include "crawler/internal.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/shard.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define AGENT_TOKEN "mentorscout"
#define ROBOTS_FRESH (24 * 3600)	/* cache robots.txt a day (R-PO-5) */
#define ROBOTS_KEEP (30 * 24 * 3600)	/* use a last good copy a month */
#define MAX_TRIES 2			/* retries per run (R-HT-3) */
#define BREAKER 5			/* 5xx/timeouts before a host is cut */
/* A commit every second, or sooner at this many operations: some 150
 * documents of a dozen records.  Each commit syncs the disk twice and
 * rewrites every page it touches, so fewer, larger ones cost less; but a
 * batch is all or nothing, and on a nearly full disk (R-CR-4) the first
 * ones must still fit. */
#define COMMIT_OPS 2048
#define COMMIT_MS 1000
#define RETRY_AFTER_MAX 120		/* longer: defer to the next crawl */
#define STEAL_AT 2	/* bodies waiting for a thread: the loop takes one */
#define THREADS_MAX 4	/* analysis threads */

struct xfer {
	struct xfer *prev, *next;	/* the list of transfers in flight */
	CURL *easy;
	struct item *it;	/* NULL for robots.txt */
	uint32_t host;
	struct ms_buf body;
	char *etag, *last_modified, *location, *retry_after;
	struct curl_slist *hdrs;
	int64_t started_ms;
	bool too_large;
	bool blocked;
	bool guard;
};

struct crawl {
	struct ms_store *st;
	const struct ms_crawl_opts *o;
	const struct ms_crawl_conf *cc;
	struct ms_crawl_stats *s;
	struct ms_err *err;
	struct frontier f;
	CURLM *multi;
	CURLSH *share;
	struct curl_slist *resolve;
	struct ms_batch *batch;
	struct pool *pool;	/* the analysis threads (pool.c) */
	int64_t last_commit_ms;
	int64_t start_ms, deadline_ms;
	int64_t now;		/* wall clock of the crawl (records) */
	int running;
	struct xfer *live;	/* in flight (curl 7.88 cannot list them) */
	int jobs;
	unsigned total, done;	/* for progress */
	int64_t last_progress_ms;
	unsigned discovered_sites;
	int rc;			/* first fatal error (store) */
	/* site hosts already known, so discovery does not refetch them */
	char **known;
	size_t nknown, knowncap;
	/* their index + 1, hashed (open addressing, a power of two):
	 * every link of every post asks */
	uint32_t *knownset;
	size_t knownsetsz;
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double
jitter(void)
{
	return 0.5 + (double)rand() / RAND_MAX;	/* 0.5 .. 1.5 */
}

/* ------------------------------------------------------------ curl glue */

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n;

	/* The cap counts decoded bytes, here, because CURLOPT_MAXFILESIZE on
	 * 7.88 neither stops a running transfer nor sees decoded sizes. */
	if (ms_buf_add(&x->body, p, len)) {
		x->too_large = true;
		return 0;	/* abort: CURLE_WRITE_ERROR */
	}
	return len;
}

static void
take_header(char **dst, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
		     v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	free(*dst);
	*dst = ms_xstrndup(v, n);
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n;
	static const struct {
		const char *name;
		size_t off;
	} keep[] = {
		{ "etag:", offsetof(struct xfer, etag) },
		{ "last-modified:", offsetof(struct xfer, last_modified) },
		{ "location:", offsetof(struct xfer, location) },
		{ "retry-after:", offsetof(struct xfer, retry_after) },
	};

	if (len >= 5 && !strncasecmp(p, "HTTP/", 5)) {
		/* A new response (after 100 Continue): forget the last. */
		free(x->etag);
		free(x->last_modified);
		free(x->location);
		free(x->retry_after);
		x->etag = x->last_modified = x->location = x->retry_after =
			NULL;
		return len;
	}
	for (size_t i = 0; i < sizeof(keep) / sizeof(*keep); i++) {
		size_t kl = strlen(keep[i].name);

		if (len > kl && !strncasecmp(p, keep[i].name, kl)) {
			take_header((char **)((char *)x + keep[i].off),
				    p + kl, len - kl);
			break;
		}
	}
	return len;
}

/* The SSRF guard on the address actually connected (R-SE-2, R-SE-3). */
static curl_socket_t
on_opensocket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer *x = ud;

	(void)purpose;
	if (x->guard && ms_addr_is_special(&a->addr)) {
		x->blocked = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* ... and on a reused connection, which opens no socket (R-SE-4). */
static int
on_prereq(void *ud, char *conn_primary_ip, char *conn_local_ip,
	  int conn_primary_port, int conn_local_port)
{
	struct xfer *x = ud;

	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	if (x->guard && ms_addr_text_is_special(conn_primary_ip)) {
		x->blocked = true;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

static void
xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	ms_buf_release(&x->body);
	free(x->etag);
	free(x->last_modified);
	free(x->location);
	free(x->retry_after);
	fr_item_free(x->it);
	free(x);
}

static struct xfer *
xfer_new(struct crawl *c, const char *url, uint32_t host, size_t cap,
	 bool guard)
{
	struct xfer *x = ms_xcalloc(1, sizeof(*x));
	CURL *e = curl_easy_init();

	if (!e)
		abort();
	x->easy = e;
	x->host = host;
	x->guard = guard;
	ms_buf_init(&x->body, cap);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_SHARE, c->share);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->cc->user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
			 (long)c->cc->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)c->cc->total_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT,
			 (long)c->cc->low_speed_limit);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
			 (long)c->cc->low_speed_time);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_opensocket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, x);
	if (c->resolve)
		curl_easy_setopt(e, CURLOPT_RESOLVE, c->resolve);
	return x;
}

static void
go(struct crawl *c, struct xfer *x)
{
	x->next = c->live;
	if (c->live)
		c->live->prev = x;
	c->live = x;
	x->started_ms = mono_ms();
	curl_multi_add_handle(c->multi, x->easy);
	c->running++;
}

static void
gone(struct crawl *c, struct xfer *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else
		c->live = x->next;
	if (x->next)
		x->next->prev = x->prev;
	curl_multi_remove_handle(c->multi, x->easy);
	c->running--;
}

/* ------------------------------------------------------------- batches */

static void
maybe_commit(struct crawl *c, bool force)
{
	int64_t now = mono_ms();
	int rc;

	if (!c->batch || c->rc)
		return;
	if (!force && ms_batch_ops(c->batch) < COMMIT_OPS &&
	    now - c->last_commit_ms < COMMIT_MS)
		return;
	if (ms_batch_ops(c->batch)) {
		rc = ms_store_batch_commit(c->batch, c->err);
		c->batch = NULL;
		if (rc) {
			/* The loop stops at its next turn; what finishes
			 * until then goes to a batch that is never
			 * committed (the run ends with c->rc). */
			c->rc = rc;
			c->batch = ms_store_batch_new(c->st);
			return;
		}
		c->s->commits++;
	}
	if (!c->batch)
		c->batch = ms_store_batch_new(c->st);
	c->last_commit_ms = now;
}

/* The stored record of an item's feed (copied into r with strings in a),
 * or a fresh one. */
static void
load_record(struct crawl *c, const char *url, struct ms_feed_rec *r,
	    struct ms_arena *a)
{
	struct ms_rtxn *t;
	struct ms_feed_rec s;
	const char **strs[] = { &r->url, &r->title, &r->site, &r->etag,
				&r->last_modified, &r->last_error,
				&r->topics, &r->parent, &r->redirect_to };

	memset(r, 0, sizeof(*r));
	if (!ms_store_read_begin(c->st, &t, NULL)) {
		if (!ms_store_get_feed(t, url, &s, NULL)) {
			*r = s;
			for (size_t i = 0; i < sizeof(strs) / sizeof(*strs);
			     i++)
				if (*strs[i])
					*strs[i] = ms_arena_strdup(a,
								   *strs[i]);
			ms_store_read_end(t);
			return;
		}
		ms_store_read_end(t);
	}
	r->url = ms_arena_strdup(a, url);
	r->added = c->now;
	r->last_fetch = r->last_ok = MS_TIME_NONE;
	r->next_fetch = 0;
}

/* ----------------------------------------------------------- discovery */

static uint32_t
host_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
knownset_insert(struct crawl *c, size_t idx)
{
	size_t m = c->knownsetsz - 1, i = host_hash(c->known[idx]) & m;

	while (c->knownset[i])
		i = (i + 1) & m;
	c->knownset[i] = (uint32_t)idx + 1;
}

static bool
known_site(struct crawl *c, const char *host)
{
	size_t m, i;

	if (!c->knownsetsz)
		return false;
	m = c->knownsetsz - 1;
	for (i = host_hash(host) & m; c->knownset[i]; i = (i + 1) & m)
		if (!strcmp(c->known[c->knownset[i] - 1], host))
			return true;
	return false;
}

static void
remember_site(struct crawl *c, const char *host)
{
	if (known_site(c, host))
		return;
	MS_GROW(c->known, c->nknown + 1, c->knowncap);
	c->known[c->nknown++] = ms_xstrdup(host);
	/* At most half full: rebuilt twice the size when it would be. */
	if (c->nknown * 2 > c->knownsetsz) {
		c->knownsetsz = c->knownsetsz ? c->knownsetsz * 2 : 64;
		free(c->knownset);
		c->knownset = ms_xcalloc(c->knownsetsz, sizeof(*c->knownset));
		for (size_t i = 0; i < c->nknown; i++)
			knownset_insert(c, i);
	} else {
		knownset_insert(c, c->nknown - 1);
	}
}

/*
 * A sharded crawl files a URL on another worker's host in the outbox of
 * that host's virtual shard (`merge` hands it on) instead of fetching it:
 * one host, one worker.  Returns true when r was filed so.
 */
static bool
hand_on(struct crawl *c, const struct ms_feed_rec *r)
{
	int v;

	if (!c->o->shard || c->o->shard->n <= 1)
		return false;
	v = ms_shard_virtual_url(r->url);
	if (v < 0 || ms_shard_owns(c->o->shard, (unsigned)v))
		return false;
	ms_batch_put_outbox(c->batch, (unsigned)v, r);
	c->s->handed_on++;
	return true;
}

/*
 * Queue url (normalized here) for this crawl and record it in the feeds
 * table (insert-only), unless already taken.  Returns true when queued
 * (or, sharded, handed on to the worker of its host).
 */
static bool
discover(struct crawl *c, const char *raw, const char *base, uint8_t kind,
	 uint8_t depth, const char *parent, bool guard)
{
	struct ms_feed_rec r = { 0 };
	struct item *it;
	char *url = NULL;
	long h;

	if (ms_url_absolute(base, raw, &url, NULL)) {
		c->s->blocked += !!strchr(raw, ':') && !ms_url_is_http(raw);
		return false;
	}
	if (!fr_claim(&c->f, url)) {
		free(url);
		return false;
	}
	r.url = url;
	r.kind = kind;
	r.depth = depth;
	r.parent = parent;
	r.added = c->now;
	r.last_fetch = r.last_ok = MS_TIME_NONE;
	if (hand_on(c, &r)) {
		free(url);
		return true;
	}
	if ((h = fr_host(&c->f, url)) < 0) {
		free(url);
		return false;
	}
	ms_batch_add_feed(c->batch, &r);
	it = ms_xcalloc(1, sizeof(*it));
	it->url = url;
	it->orig = ms_xstrdup(url);
	it->host = (uint32_t)h;
	it->kind = kind;
	it->depth = depth;
	it->last_fetch = MS_TIME_NONE;
	it->guard = guard;
	fr_push(&c->f, it);
	c->s->discovered++;
	c->total++;
	return true;
}

static int
entry_newer(const void *a, const void *b)
{
	const struct ms_entry *x = *(const struct ms_entry *const *)a;
	const struct ms_entry *y = *(const struct ms_entry *const *)b;

	return (x->published < y->published) - (x->published > y->published);
}

/* The root page of a URL's site, for autodiscovery. */
static char *
site_root(const char *url, char *host, size_t hostsz)
{
	CURLU *u = curl_url();
	char *out = NULL, *s = NULL;

	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_set(u, CURLUPART_PATH, "/", 0) &&
	    !curl_url_set(u, CURLUPART_QUERY, NULL, 0) &&
	    !curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) &&
	    !curl_url_get(u, CURLUPART_URL, &s, CURLU_NO_DEFAULT_PORT) &&
	    !ms_url_host(s, host, hostsz))
		out = ms_xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

/*
 * The host of an http(s) URL whose host is a plain name (letters, digits,
 * '-' and '.', the last label starting with a letter), lower-cased: what
 * ms_url_host gives for it, without a CURLU parse per link.  Anything
 * else (user info, IP literals and numbers curl would normalise,
 * percent-encoding, IDN, a trailing dot) returns false and goes to CURLU.
 */
static bool
plain_host(const char *url, char *out, size_t outsz)
{
	const char *h, *p;
	size_t n = 0;
	bool label_start = true, letter_last = false;

	if (!strncasecmp(url, "http://", 7))
		h = url + 7;
	else if (!strncasecmp(url, "https://", 8))
		h = url + 8;
	else
		return false;
	for (p = h; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#';
	     p++) {
		char ch = *p;

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		if (ch == '.') {
			if (label_start)
				return false;	/* empty label */
			label_start = true;
		} else if ((ch >= 'a' && ch <= 'z') ||
			   (ch >= '0' && ch <= '9') || ch == '-') {
			if (label_start)
				letter_last = ch >= 'a' && ch <= 'z';
			label_start = false;
		} else {
			return false;
		}
		if (n + 1 >= outsz)
			return false;
		out[n++] = ch;
	}
	if (!n || label_start || !letter_last)
		return false;
	out[n] = '\0';
	return true;
}

static void
discover_site(struct crawl *c, const char *url, const struct item *from)
{
	char host[256], *root;

	if (from->depth >= c->cc->depth ||
	    c->discovered_sites >= (unsigned)c->cc->max_discovered ||
	    !ms_url_is_http(url))
		return;
	/* Most links lead to sites already known: the host (the root's
	 * host too) says so without building the root. */
	if (plain_host(url, host, sizeof(host)) && known_site(c, host))
		return;
	if (!ms_url_host(url, host, sizeof(host)) && known_site(c, host))
		return;
	/* A commenter's GitHub or Blogger profile is not their blog: the
	 * platform's home page is nobody's site. */
	if (ms_url_is_platform_page(url))
		return;
	root = site_root(url, host, sizeof(host));
	if (!root)
		return;
	if (!known_site(c, host)) {
		remember_site(c, host);
		if (discover(c, root, NULL, MS_FEED_SITE, from->depth + 1,
			     NULL, !c->cc->allow_private))
			c->discovered_sites++;
	}
	free(root);
}

/* What a document leads to: comment feeds and pages of its newest posts,
 * the feeds a page announces, and the sites of the people in it. */
static void
discover_from(struct crawl *c, const struct item *it,
	      const struct ms_doc *doc, struct ms_feed_rec *rec)
{
	bool guard = it->guard || !c->cc->allow_private;

	if (doc->kind == MS_DOC_HTML && doc->nfeed_links &&
	    (it->kind == MS_FEED_USER || it->kind == MS_FEED_SITE)) {
		/* A site page: its first announced feed takes its place. */
		discover(c, doc->feed_links[0], it->url, it->kind, it->depth,
			 NULL, it->kind == MS_FEED_USER ? it->guard : guard);
		rec->state = MS_FEED_RETIRED;
		rec->redirect_to = doc->feed_links[0];
		return;
	}
	if (it->kind == MS_FEED_USER || it->kind == MS_FEED_SITE) {
		const struct ms_entry **v;
		size_t n = doc->nentries, took = 0;

		v = ms_xreallocarray(NULL, n ? n : 1, sizeof(*v));
		for (size_t i = 0; i < n; i++)
			v[i] = &doc->entries[i];
		qsort(v, n, sizeof(*v), entry_newer);
		for (size_t i = 0; i < n &&
				   took < (size_t)c->cc->comment_pages; i++) {
			const struct ms_entry *e = v[i];

			if (e->comment_feed)
				took += discover(c, e->comment_feed, it->url,
						 MS_FEED_COMMENTS, it->depth,
						 e->link, guard);
			else if (e->comments_url && e->comments_open != 0 &&
				 (e->comment_count != 0))
				took += discover(c, e->comments_url, it->url,
						 MS_FEED_PAGE, it->depth,
						 e->link, guard);
		}
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < v[i]->nlinks; k++)
				discover_site(c, v[i]->links[k], it);
		free(v);
	}
	for (size_t i = 0; i < doc->ncomments; i++)
		if (doc->comments[i].author.uri)
			discover_site(c, doc->comments[i].author.uri, it);
}

/* ------------------------------------------------------------- results */

static void
note_failure(struct crawl *c, struct item *it, struct ms_feed_rec *r,
	     long status, const char *why, bool dead_now)
{
	double backoff;

	r->failures++;
	r->last_status = (uint16_t)status;
	r->last_error = why;
	r->last_fetch = c->now;
	/* Exponential back-off across crawls, with jitter: 1 h, 2 h, 4 h ...
	 * up to a week; a nightly crawl skips a feed once it is far out. */
	backoff = 3600.0 * pow(2, r->failures > 8 ? 8 : r->failures - 1);
	if (backoff > 7 * 86400)
		backoff = 7 * 86400;
	r->next_fetch = c->now + (int64_t)(backoff * jitter());
	if (dead_now) {
		r->state = MS_FEED_RETIRED;
	} else if (r->failures >= (uint32_t)c->cc->max_failures) {
		r->state = MS_FEED_DEAD;
	}
	c->s->errors++;
	if (c->o->verbose > 0)
		fprintf(stderr, "mentorscout: %s: %s\n", it->url, why);
}

/* Requeue a transient failure if tries are left; true when requeued. */
static bool
retry(struct crawl *c, struct xfer *x, int64_t wait_ms)
{
	struct host *h = &c->f.hosts[x->host];
	struct item *it = x->it;

	if (it->tries >= MAX_TRIES || h->dropped)
		return false;
	it->tries++;
	c->s->retries++;
	if (wait_ms < 0) {
		double base = c->cc->host_delay > 0.25 ? c->cc->host_delay
						       : 0.25;

		wait_ms = (int64_t)(base * 1000 * (1 << it->tries) *
				    jitter());
	}
	if (h->next_ms < mono_ms() + wait_ms)
		h->next_ms = mono_ms() + wait_ms;
	x->it = NULL;
	/* To the front: it keeps its place in the carry-over order. */
	it->next = h->head;
	h->head = it;
	if (!h->tail)
		h->tail = it;
	h->queued++;
	return true;
}

/* Seconds from a Retry-After value (delta or HTTP date), -1 if none. */
static long
retry_after(const char *v, int64_t now)
{
	char *e;
	long n;
	time_t t;

	if (!v || !*v)
		return -1;
	n = strtol(v, &e, 10);
	if (e != v && !*e)
		return n < 0 ? 0 : n;
	t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	return t > now ? (long)(t - now) : 0;
}

static void
handle_redirect(struct crawl *c, struct xfer *x, long status,
		struct ms_feed_rec *r, struct ms_arena *a)
{
	struct item *it = x->it;
	struct host *h;
	char *next = NULL;
	struct ms_err e = { 0 };
	long hi;

	if (!x->location) {
		note_failure(c, it, r, status, "redirect without Location",
			     false);
		return;
	}
	if (ms_url_absolute(it->url, x->location, &next, &e)) {
		c->s->blocked++;
		note_failure(c, it, r, status, e.code == MS_EPOLICY
				     ? "bad_scheme: redirect to a non-http "
				       "URL"
				     : "bad redirect Location", false);
		return;
	}
	if (it->hops + 1 > c->cc->max_redirects) {
		free(next);
		note_failure(c, it, r, status, "too_many_redirects", false);
		return;
	}
	if (!strcmp(next, it->url) || !strcmp(next, it->orig) ||
	    !fr_claim(&c->f, next)) {
		free(next);
		note_failure(c, it, r, status, "redirect_loop", false);
		return;
	}
	if (!ms_shard_owns_url(c->o->shard, next)) {
		/* Another worker's host: hand the target on.  A user's feed
		 * may not send us anywhere, so its target goes as a guarded
		 * site feed at the same depth. */
		struct ms_feed_rec h2 = { 0 };

		h2.url = next;
		h2.kind = it->kind == MS_FEED_USER ? MS_FEED_SITE : it->kind;
		h2.depth = it->depth;
		h2.added = c->now;
		h2.last_fetch = h2.last_ok = MS_TIME_NONE;
		hand_on(c, &h2);
		r->last_fetch = c->now;
		r->last_status = (uint16_t)status;
		if (it->permanent && (status == 301 || status == 308)) {
			r->state = MS_FEED_RETIRED;
			r->last_error = "moved to a host of another shard";
		} else {
			r->last_error = "redirected to a host of another "
					"shard (handed on)";
		}
		r->redirect_to = ms_arena_strdup(a, next);
		free(next);
		return;
	}
	hi = fr_host(&c->f, next);
	if (hi < 0) {
		free(next);
		note_failure(c, it, r, status, "bad redirect Location",
			     false);
		return;
	}
	/* The hop goes through the frontier: robots, politeness and the
	 * address guard apply to it as to any URL.  A feed the user added
	 * may live anywhere, but not send us anywhere: a hop to another host
	 * is guarded like a discovered URL. */
	if ((uint32_t)hi != it->host && !c->cc->allow_private)
		it->guard = true;
	c->s->redirects++;
	free(it->url);
	it->url = next;
	it->hops++;
	it->permanent = it->permanent && (status == 301 || status == 308);
	it->host = (uint32_t)hi;
	x->it = NULL;
	fr_push(&c->f, it);
	h = &c->f.hosts[hi];
	(void)h;
	c->total++;
	r->url = NULL;	/* nothing to write yet */
}

/*
 * A body on its way through the analyzer, with what the fetch leaves for
 * the loop to do when it comes back: the item, and the feed's record (in
 * its arena) with the new validators, written in the same batch as the
 * records analysed from the body (§4.6).
 */
struct pending {
	struct job job;		/* first: a job is its pending */
	struct item *it;
	struct ms_feed_rec r;
	struct ms_arena a;
	struct ms_hash digest;
};

/*
 * A 2xx.  A body whose digest is unchanged ends here; any other goes to
 * the analysis threads and ok_analysed() finishes it.  Returns true when
 * handed over: the pending fetch then owns the item, r and a.
 */
static bool
handle_ok(struct crawl *c, struct xfer *x, struct ms_feed_rec *r,
	  struct ms_arena *a)
{
	struct pending *p;
	struct ms_hash digest;
	char *ctype = NULL;
	static const struct ms_hash zero;

	ms_hash128(x->body.data ? x->body.data : "", x->body.len, 0, &digest);
	c->s->bytes += x->body.len;
	r->last_fetch = r->last_ok = c->now;
	r->last_status = 200;
	r->failures = 0;
	r->last_error = NULL;
	r->next_fetch = 0;
	r->etag = x->etag ? ms_arena_strdup(a, x->etag) : NULL;
	r->last_modified = x->last_modified
				   ? ms_arena_strdup(a, x->last_modified)
				   : NULL;
	if (memcmp(&digest, &zero, sizeof(zero)) &&
	    !memcmp(&digest, &r->digest, sizeof(digest))) {
		c->s->unchanged++;	/* R-HT-2: no analysis */
		return false;
	}
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
	p = ms_xcalloc(1, sizeof(*p));
	p->job.body = ms_buf_detach(&x->body, &p->job.len);
	p->job.url = ms_xstrdup(x->it->url);
	p->job.ctype = ctype ? ms_xstrdup(ctype) : NULL;
	p->job.max_size = c->cc->max_body;
	p->job.tax = &c->o->cfg->taxonomy;
	p->it = x->it;
	x->it = NULL;
	p->r = *r;
	p->a = *a;	/* r's strings live there */
	p->digest = digest;
	pool_put(c->pool, &p->job);
	return true;
}

/* 301/308 all the way: the feed moved (R-HT-6), its record goes under
 * the new URL.  True when written so. */
static bool
put_moved(struct crawl *c, const struct item *it,
	  const struct ms_feed_rec *r)
{
	struct ms_feed_rec moved;

	if (!it->hops || !it->permanent || !strcmp(it->url, it->orig) ||
	    r->failures != 0)
		return false;
	moved = *r;
	moved.url = it->url;
	moved.redirect_to = NULL;
	ms_batch_put_feed(c->batch, &moved);
	ms_batch_del_feed(c->batch, it->orig);
	return true;
}

static void
pending_free(struct pending *p)
{
	job_release(&p->job);
	ms_arena_release(&p->a);
	fr_item_free(p->it);
	free(p);
}

/* The analysed body back from the threads: its records, what it leads
 * to, and the feed's record, all into the open batch. */
static void
ok_analysed(struct crawl *c, struct pending *p)
{
	struct item *it = p->it;
	struct ms_feed_rec *r = &p->r;
	struct ms_arena *a = &p->a;
	struct ms_doc *doc = p->job.doc;
	struct ms_ingest_stats is = { 0 };
	struct ms_err e = { 0 };

	if (p->job.rc) {
		/* Keep no validators: the next crawl reads it again. */
		r->etag = r->last_modified = NULL;
		r->failures = 0;
		note_failure(c, it, r, 200,
			     ms_arena_printf(a, "parse: %s", p->job.err.msg),
			     false);
		goto write;
	}
	if (doc->kind == MS_DOC_HTML && !doc->nfeed_links &&
	    it->kind == MS_FEED_USER && !doc->nentries) {
		r->etag = r->last_modified = NULL;
		note_failure(c, it, r, 200, "no feed found on this page",
			     false);
		goto write;
	}
	if (ms_doc_ingest(doc, it->url, c->now, c->batch, &is, &e)) {
		note_failure(c, it, r, 200,
			     ms_arena_printf(a, "store: %s", e.msg), false);
		goto write;
	}
	r->digest = p->digest;
	/* What the verifier checks the digest against (§4.6). */
	r->sample = is.sample;
	if (doc->title && !r->title)
		r->title = ms_arena_strdup(a, doc->title);
	if (doc->link && !r->site)
		r->site = ms_arena_strdup(a, doc->link);
	c->s->ok++;
	c->s->posts += (unsigned)is.posts;
	c->s->comments += (unsigned)is.comments;
	discover_from(c, it, doc, r);
	if (r->redirect_to)
		r->redirect_to = ms_arena_strdup(a, r->redirect_to);
write:
	if (!put_moved(c, it, r))
		ms_batch_put_feed(c->batch, r);
	pending_free(p);
	c->done++;
	maybe_commit(c, false);
}

/*
 * Finish what the threads have analysed; when bodies queue up faster than
 * they take them (or nothing is in flight), run one here: this thread has
 * time between transfers.  True when it ran one: the loop then looks at
 * its transfers and comes back without sleeping.
 */
static bool
collect(struct crawl *c)
{
	struct job *j;

	while ((j = pool_done(c->pool)))
		ok_analysed(c, (struct pending *)j);
	if ((j = pool_steal(c->pool, c->running ? STEAL_AT : 1))) {
		job_run(j);
		ok_analysed(c, (struct pending *)j);
		return true;
	}
	return false;
}

static void
finish_robots(struct crawl *c, struct xfer *x, CURLcode cc, long status)
{
	struct host *h = &c->f.hosts[x->host];
	struct ms_host_rec hr = { 0 };
	const char *name = h->name;

	h->robots_state = ROBOTS_READY;
	hr.robots_fetched = c->now;
	hr.robots_status = (uint16_t)status;
	hr.robots_last_ok = MS_TIME_NONE;
	hr.next_allowed = 0;
	if ((cc == CURLE_OK || x->too_large) && status >= 200 &&
	    status < 300) {
		/* R-PO-6: a file past the cap is read up to the cap. */
		h->robots = ms_robots_parse(ms_buf_str(&x->body),
					    x->body.len, c->cc->max_robots,
					    AGENT_TOKEN);
		hr.robots = ms_buf_str(&x->body);
		hr.robots_last_ok = c->now;
	} else if (cc == CURLE_OK && status >= 400 && status < 500 &&
		   status != 429) {
		h->robots = NULL;	/* 4xx: allow all (RFC 9309 §2.3.1.3) */
	} else if (x->blocked) {
		/* The host's address is off limits: every URL of it is. */
		h->deny_all = true;
		h->blocked = true;
		return;
	} else {
		/* 5xx, 429, unreachable: disallow all for this crawl, unless
		 * a good copy younger than 30 days is at hand (R-PO-5). */
		struct ms_rtxn *t;
		struct ms_host_rec old;

		h->deny_all = true;
		free(h->robots_error);
		h->robots_error = cc != CURLE_OK
			? ms_xasprintf("robots.txt unavailable (%s): host "
				       "skipped this crawl",
				       curl_easy_strerror(cc))
			: ms_xasprintf("robots.txt unavailable (HTTP %ld): "
				       "host skipped this crawl", status);
		if (!ms_store_read_begin(c->st, &t, NULL)) {
			if (!ms_store_get_host(t, name, &old, NULL) &&
			    old.robots && old.robots_last_ok != MS_TIME_NONE &&
			    c->now - old.robots_last_ok < ROBOTS_KEEP) {
				h->robots = ms_robots_parse(
					old.robots, strlen(old.robots),
					c->cc->max_robots, AGENT_TOKEN);
				h->deny_all = false;
				free(h->robots_error);
				h->robots_error = NULL;
			}
			ms_store_read_end(t);
		}
		if (h->deny_all && c->o->verbose > 0)
			fprintf(stderr, "mentorscout: %s/robots.txt "
				"unavailable (%ld): skipping the host this "
				"crawl\n", h->origin, status);
		return;	/* keep the stored copy as it is */
	}
	{
		double d = ms_robots_crawl_delay(h->robots);

		if (d > c->cc->max_crawl_delay) {
			h->dropped = true;	/* R-PO-2 */
			c->s->deferred += (unsigned)h->queued;
			if (c->o->verbose > 0)
				fprintf(stderr, "mentorscout: %s: "
					"crawl_delay_too_large (%.0f s)\n",
					h->name, d);
		} else if (d > h->delay) {
			/* The delay counts from this answer too. */
			h->delay = d;
			h->next_ms = mono_ms() + (int64_t)(d * 1000);
		}
		hr.crawl_delay_ms = d > 0 ? (uint32_t)(d * 1000) : 0;
	}
	ms_batch_put_host(c->batch, name, &hr);
}

static bool
transient(CURLcode cc, long status)
{
	if (cc != CURLE_OK)
		return cc == CURLE_OPERATION_TIMEDOUT ||
		       cc == CURLE_COULDNT_CONNECT ||
		       cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR ||
		       cc == CURLE_GOT_NOTHING ||
		       cc == CURLE_PARTIAL_FILE ||
		       cc == CURLE_HTTP2 || cc == CURLE_HTTP2_STREAM ||
		       cc == CURLE_COULDNT_RESOLVE_HOST;
	return status == 429 || (status >= 500 && status != 501);
}

static void
finish(struct crawl *c, struct xfer *x, CURLcode cc)
{
	struct host *h = &c->f.hosts[x->host];
	struct item *it = x->it;
	struct ms_feed_rec r;
	struct ms_arena a;
	long status = 0;
	int64_t now = mono_ms();
	const char *why;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	h->inflight = false;
	if (it)
		h->used++;	/* robots.txt is not part of the budget */
	if (h->next_ms < now + (int64_t)(h->delay * 1000))
		h->next_ms = now + (int64_t)(h->delay * 1000);
	if (status)
		c->s->fetched++;
	if (c->o->verbose > 0)
		fprintf(stderr, "mentorscout: %3ld %6.2fs %8zu %s%s\n",
			status, (now - x->started_ms) / 1000.0, x->body.len,
			it ? it->url : h->origin,
			it ? "" : "/robots.txt");
	if (!it) {
		finish_robots(c, x, cc, status);
		goto out;
	}
	ms_arena_init(&a);
	load_record(c, it->orig, &r, &a);
	if (!r.kind && it->kind)
		r.kind = it->kind;
	if (x->blocked) {
		c->s->blocked++;
		note_failure(c, it, &r, 0, "blocked_address", false);
	} else if (x->too_large) {
		c->s->too_large++;
		note_failure(c, it, &r, status,
			     ms_arena_printf(&a, "too_large: over %zu bytes",
					     c->cc->max_body), false);
	} else if (transient(cc, status)) {
		long ra = retry_after(x->retry_after, c->now);

		h->failures++;
		if (status == 429 || status == 503) {
			if (ra > RETRY_AFTER_MAX ||
			    (c->deadline_ms && now + ra * 1000 >
						       c->deadline_ms)) {
				/* R-HT-4: too far off to sleep: next crawl. */
				h->dropped = true;
				r.next_fetch = c->now + ra;
				r.last_status = (uint16_t)status;
				r.last_error = "deferred: Retry-After";
				c->s->deferred += 1 + (unsigned)h->queued;
				goto write;
			}
			if (ra >= 0 && h->next_ms < now + ra * 1000)
				h->next_ms = now + ra * 1000;
		}
		if (h->failures >= BREAKER && !h->dropped) {
			/* R-HT-5: stop hammering a failing host. */
			h->dropped = true;
			c->s->deferred += (unsigned)h->queued;
		}
		if (retry(c, x, ra >= 0 ? ra * 1000 : -1))
			goto free_rec;
		why = cc != CURLE_OK
			      ? ms_arena_printf(&a, "%s", curl_easy_strerror(cc))
			      : ms_arena_printf(&a, "HTTP %ld", status);
		note_failure(c, it, &r, status, why, false);
	} else if (cc != CURLE_OK) {
		note_failure(c, it, &r, status,
			     ms_arena_printf(&a, "%s", curl_easy_strerror(cc)),
			     false);
	} else if (status == 304) {
		c->s->not_modified++;	/* R-HT-1: no parse */
		r.last_fetch = r.last_ok = c->now;
		r.last_status = 304;
		r.failures = 0;
		r.last_error = NULL;
		r.next_fetch = 0;
	} else if (status == 301 || status == 302 || status == 303 ||
		   status == 307 || status == 308) {
		if (!it->hops)
			it->permanent = true;
		handle_redirect(c, x, status, &r, &a);
		if (!r.url)
			goto free_rec;
	} else if (status == 410) {
		note_failure(c, it, &r, status, "gone (410)", true);
	} else if (status >= 200 && status < 300) {
		if (handle_ok(c, x, &r, &a))
			goto out;	/* the analyzer has it, r and a */
		if (put_moved(c, it, &r))
			goto free_rec;
	} else {
		note_failure(c, it, &r, status,
			     ms_arena_printf(&a, "HTTP %ld", status), false);
	}
write:
	ms_batch_put_feed(c->batch, &r);
free_rec:
	ms_arena_release(&a);
out:
	c->done += x->it ? 1 : 0;
	fr_ready(&c->f, x->host);
	xfer_free(x);
	maybe_commit(c, false);
}

/* ---------------------------------------------------------- scheduling */

/* robots.txt for a host, from the store when fresh, else a fetch. */
static bool
robots_ready(struct crawl *c, uint32_t hi)
{
	struct host *h = &c->f.hosts[hi];
	struct ms_rtxn *t;
	struct ms_host_rec hr;
	struct xfer *x;
	char *url;

	if (h->robots_state == ROBOTS_READY)
		return true;
	if (h->robots_state == ROBOTS_FETCHING)
		return false;
	if (!ms_store_read_begin(c->st, &t, NULL)) {
		if (!ms_store_get_host(t, h->name, &hr, NULL) &&
		    hr.robots_fetched != MS_TIME_NONE &&
		    c->now - hr.robots_fetched < ROBOTS_FRESH &&
		    c->now >= hr.robots_fetched) {
			double d;

			h->robots = hr.robots ? ms_robots_parse(
						hr.robots, strlen(hr.robots),
						c->cc->max_robots, AGENT_TOKEN)
					      : NULL;
			h->robots_state = ROBOTS_READY;
			d = ms_robots_crawl_delay(h->robots);
			if (d > c->cc->max_crawl_delay)
				h->dropped = true;
			else if (d > h->delay)
				h->delay = d;
			ms_store_read_end(t);
			return !h->dropped;
		}
		ms_store_read_end(t);
	}
	url = ms_xasprintf("%s/robots.txt", h->origin);
	x = xfer_new(c, url, hi, c->cc->max_robots, h->guard);
	free(url);
	/* robots.txt may redirect (5 hops, RFC 9309 §2.3.1.2). */
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x->easy, CURLOPT_MAXREDIRS, 5L);
	h->robots_state = ROBOTS_FETCHING;
	h->inflight = true;
	go(c, x);
	return false;
}

static void
start_item(struct crawl *c, uint32_t hi, struct item *it)
{
	struct host *h = &c->f.hosts[hi];
	struct xfer *x;
	struct ms_rtxn *t;
	struct ms_feed_rec r;

	x = xfer_new(c, it->url, hi, c->cc->max_body, it->guard);
	x->it = it;
	/* Conditional GET with the stored validators (not on a hop). */
	if (!it->hops && !ms_store_read_begin(c->st, &t, NULL)) {
		if (!ms_store_get_feed(t, it->orig, &r, NULL)) {
			char *hdr;

			if (r.etag) {
				hdr = ms_xasprintf("If-None-Match: %s",
						   r.etag);
				x->hdrs = curl_slist_append(x->hdrs, hdr);
				free(hdr);
			}
			if (r.last_modified) {
				hdr = ms_xasprintf("If-Modified-Since: %s",
						   r.last_modified);
				x->hdrs = curl_slist_append(x->hdrs, hdr);
				free(hdr);
			}
		}
		ms_store_read_end(t);
		if (x->hdrs)
			curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER,
					 x->hdrs);
	}
	h->inflight = true;
	go(c, x);
}

static const char *
url_path(const char *url)
{
	const char *p = strstr(url, "://");

	if (!p)
		return "/";
	p = strchr(p + 3, '/');
	return p ? p : "/";
}

/* Start what may start now; returns ms until the next host is ready. */
static int64_t
schedule(struct crawl *c)
{
	int64_t wait = -1;

	/* A body waiting for analysis holds a slot as a transfer does: the
	 * bodies in memory stay at most jobs, however far fetching runs
	 * ahead of the analysis. */
	while (c->running + (int)pool_out(c->pool) < c->jobs) {
		int64_t now = mono_ms(), w;
		long hi = fr_pop_ready(&c->f, now, &w);
		struct host *h;
		struct item *it;

		if (hi < 0) {
			wait = w;
			break;
		}
		h = &c->f.hosts[hi];
		if (h->used >= (unsigned)c->cc->host_budget) {
			/* R-PO-8: the rest waits for the next crawl, first
			 * in line (oldest last_fetch first). */
			c->s->deferred += (unsigned)h->queued;
			h->dropped = true;
			continue;
		}
		if (!h->head)
			continue;
		h->guard = h->head->guard;
		if (!robots_ready(c, (uint32_t)hi)) {
			if (h->dropped)
				c->s->deferred += (unsigned)h->queued;
			continue;	/* fetching robots: host in flight */
		}
		if (h->dropped) {
			c->s->deferred += (unsigned)h->queued;
			continue;
		}
		while (h->head && (h->deny_all ||
				   !ms_robots_allowed(h->robots,
						      url_path(h->head->url)))) {
			struct ms_feed_rec r;
			struct ms_arena a;

			it = fr_take(&c->f, (uint32_t)hi);
			c->done++;
			if (h->blocked) {
				/* R-SE-2: recorded against the URL. */
				c->s->blocked++;
				ms_arena_init(&a);
				load_record(c, it->orig, &r, &a);
				if (!r.kind)
					r.kind = it->kind;
				note_failure(c, it, &r, 0, "blocked_address",
					     false);
				ms_batch_put_feed(c->batch, &r);
				ms_arena_release(&a);
			} else if (h->robots_error) {
				/* Recorded, so that a host that is down
				 * shows in `feeds list` and, failing crawl
				 * after crawl, ends up dead. */
				ms_arena_init(&a);
				load_record(c, it->orig, &r, &a);
				if (!r.kind)
					r.kind = it->kind;
				note_failure(c, it, &r, 0, h->robots_error,
					     false);
				ms_batch_put_feed(c->batch, &r);
				ms_arena_release(&a);
			} else if (!h->deny_all) {
				c->s->robots_denied++;
				ms_arena_init(&a);
				load_record(c, it->orig, &r, &a);
				r.last_fetch = c->now;
				r.last_error = "disallowed by robots.txt";
				ms_batch_put_feed(c->batch, &r);
				ms_arena_release(&a);
			}
			fr_item_free(it);
		}
		if (!h->head)
			continue;
		it = fr_take(&c->f, (uint32_t)hi);
		start_item(c, (uint32_t)hi, it);
		if (c->s->max_host_inflight < 1)
			c->s->max_host_inflight = 1;
	}
	return wait;
}

static void
progress(struct crawl *c, bool final)
{
	int64_t now = mono_ms();
	double secs = (now - c->start_ms) / 1000.0, rate;

	if (!c->o->progress || (!final && now - c->last_progress_ms < 250))
		return;
	c->last_progress_ms = now;
	rate = secs > 0 ? c->done / secs : 0;
	fprintf(stderr, "\rcrawl: %u/%u done, %.1f/s, %u errors", c->done,
		c->total, rate, c->s->errors);
	if (!final && rate > 0 && c->total > c->done)
		fprintf(stderr, ", ETA %.0f s   ",
			(c->total - c->done) / rate);
	else
		fputs("            ", stderr);
	if (final)
		fputc('\n', stderr);
}

/* ---------------------------------------------------------------- load */

struct load_ctx {
	struct crawl *c;
};

static int
load_feed(const struct ms_hash *key, const struct ms_feed_rec *r,
	  void *vctx)
{
	struct crawl *c = ((struct load_ctx *)vctx)->c;
	struct item *it;
	char host[256];
	long h;

	(void)key;
	if (r->kind == MS_FEED_USER || r->kind == MS_FEED_SITE)
		if (!ms_url_host(r->url, host, sizeof(host)))
			remember_site(c, host);
	if (r->state != MS_FEED_ACTIVE)
		return 0;
	if (r->next_fetch != MS_TIME_NONE && r->next_fetch > c->now)
		return 0;
	if (!ms_shard_owns_url(c->o->shard, r->url)) {
		c->s->other_shard++;
		return 0;
	}
	if (!fr_claim(&c->f, r->url))
		return 0;
	h = fr_host(&c->f, r->url);
	if (h < 0)
		return 0;
	it = ms_xcalloc(1, sizeof(*it));
	it->url = ms_xstrdup(r->url);
	it->orig = ms_xstrdup(r->url);
	it->host = (uint32_t)h;
	it->kind = r->kind;
	it->depth = r->depth;
	it->last_fetch = r->last_fetch;
	/* Feeds the user added may be anywhere; what a crawl found may not
	 * reach private addresses unless the config allows it. */
	it->guard = r->kind != MS_FEED_USER && !c->cc->allow_private;
	fr_push(&c->f, it);
	c->total++;
	return 0;
}

/* ----------------------------------------------------------------- run */

/*
 * A store holds one shard's crawl: its meta "shard" ("K/N", written by the
 * first sharded crawl) must match this crawl's shard, so two workers never
 * share a store and a worker never crawls another's.  text gets "K/N" to
 * record (empty when not sharded).
 */
static int
check_shard(struct crawl *c, struct ms_rtxn *t, char *text, size_t n)
{
	const struct ms_shard *sh = c->o->shard;
	const void *p;
	size_t len;
	char have[32] = "";

	if (sh && sh->n)
		snprintf(text, n, "%u/%u", sh->k, sh->n);
	if (ms_store_get_meta(t, "shard", &p, &len, NULL) == MS_OK &&
	    len < sizeof(have)) {
		memcpy(have, p, len);
		have[len] = '\0';
	}
	if (!*have || !strcmp(have, text))
		return MS_OK;
	if (!*text)
		return ms_err_set(c->err, MS_EUSAGE, "store '%s' holds shard "
				  "%s of a sharded crawl: crawl it with "
				  "--shard %s", ms_store_dir(c->st), have,
				  have);
	return ms_err_set(c->err, MS_EUSAGE, "store '%s' holds shard %s, "
			  "not %s: give each shard its own store (--db); to "
			  "change the number of shards start new stores and "
			  "merge old and new", ms_store_dir(c->st), have,
			  text);
}

static bool
ua_has_contact(const char *ua)
{
	return ua && (strstr(ua, "http://") || strstr(ua, "https://") ||
		      strchr(ua, '@'));
}

void
ms_crawl_summary(const struct ms_crawl_stats *s, char *buf, size_t n)
{
	snprintf(buf, n,
		 "crawl %s in %.1f s: %u fetched (%u new or changed, %u not "
		 "modified, %u unchanged), %u errors, %u deferred, %u robots "
		 "denied, %u discovered, %u posts, %u comments, %.1f MiB",
		 s->stopped ? "stopped" : "done", s->seconds, s->fetched,
		 s->ok, s->not_modified, s->unchanged, s->errors,
		 s->deferred, s->robots_denied, s->discovered, s->posts,
		 s->comments, s->bytes / 1048576.0);
	if (s->other_shard || s->handed_on) {
		size_t len = strlen(buf);

		if (len < n)
			snprintf(buf + len, n - len, "; sharded: %u feeds "
				 "left to other shards, %u URLs handed on",
				 s->other_shard, s->handed_on);
	}
}

/*
 * Connections open at once: jobs transfers, and as many idle connections
 * kept for reuse.  The scheduler takes the hosts in turn, so with a cache
 * no larger than jobs every connection would be closed (the oldest idle
 * one goes first) just before its host came round again.  Idle
 * connections hold file descriptors too: where the limit is tight, fewer
 * are kept, never fewer than jobs.
 */
static long
connection_cap(int jobs)
{
	struct rlimit rl;
	long cap = (long)jobs * 2;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur - 64 < cap)
		cap = (long)rl.rlim_cur - 64 > jobs ? (long)rl.rlim_cur - 64
						     : jobs;
	return cap;
}

/* A finished analysis wakes the loop from curl_multi_poll(). */
static void
wake(void *multi)
{
	curl_multi_wakeup(multi);
}

/* One core runs the loop (and analyses when it has time); the others
 * analyse. */
static int
analysis_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n <= 2)
		return 1;
	return n - 1 > THREADS_MAX ? THREADS_MAX : (int)(n - 1);
}

int
ms_crawl_run(struct ms_store *st, const struct ms_crawl_opts *o,
	     struct ms_crawl_stats *stats, struct ms_err *err)
{
	struct crawl c = { 0 };
	struct load_ctx lc = { &c };
	struct ms_rtxn *t;
	struct ms_crawl_rec cr = { 0 };
	char summary[512], shard_text[32] = "";
	int rc;

	memset(stats, 0, sizeof(*stats));
	c.st = st;
	c.o = o;
	c.cc = &o->cfg->crawl;
	c.s = stats;
	c.err = err;
	c.now = o->now ? o->now : (int64_t)time(NULL);
	c.jobs = o->jobs > 0 ? o->jobs : c.cc->jobs;
	c.start_ms = c.last_commit_ms = mono_ms();
	if (o->max_time > 0)
		c.deadline_ms = c.start_ms + (int64_t)(o->max_time * 1000);
	if (!ua_has_contact(c.cc->user_agent))
		return ms_err_set(err, MS_ECONFIG, "key 'crawl.user_agent': "
				  "must carry a contact URL or e-mail "
				  "address");
	srand((unsigned)(c.now ^ getpid()));
	fr_init(&c.f);
	for (size_t i = 0; o->resolve && o->resolve[i]; i++)
		c.resolve = curl_slist_append(c.resolve, o->resolve[i]);

	if ((rc = ms_store_read_begin(st, &t, err)))
		goto out;
	if (!(rc = check_shard(&c, t, shard_text, sizeof(shard_text))))
		rc = ms_store_each_feed(t, load_feed, &lc, err);
	ms_store_read_end(t);
	if (rc)
		goto out;
	for (size_t i = 0; i < c.f.nhosts; i++)
		c.f.hosts[i].delay = c.cc->host_delay;
	fr_sort_queues(&c.f);

	c.multi = curl_multi_init();
	c.share = curl_share_init();
	curl_share_setopt(c.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(c.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(c.share, CURLSHOPT_SHARE,
			  CURL_LOCK_DATA_SSL_SESSION);
	curl_multi_setopt(c.multi, CURLMOPT_PIPELINING,
			  (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(c.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  connection_cap(c.jobs));
	curl_multi_setopt(c.multi, CURLMOPT_MAXCONNECTS,
			  connection_cap(c.jobs));
	c.batch = ms_store_batch_new(st);
	if (*shard_text)
		ms_batch_put_meta(c.batch, "shard", shard_text,
				  strlen(shard_text));
	c.pool = pool_new(analysis_threads(), wake, c.multi);

	for (;;) {
		int64_t wait, now;
		int still, numfds = 0, left;
		bool busy;
		CURLMsg *m;
		bool stopping = (o->stop && *o->stop) ||
				(c.deadline_ms && mono_ms() >= c.deadline_ms);

		if (c.rc)
			break;
		if (stopping) {
			stats->stopped = true;
			break;
		}
		wait = schedule(&c);
		if (!c.running && wait < 0 && !pool_out(c.pool))
			break;	/* nothing in flight, queued or analysed */
		curl_multi_perform(c.multi, &still);
		while ((m = curl_multi_info_read(c.multi, &left))) {
			struct xfer *x = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
					  (char **)&x);
			gone(&c, x);
			finish(&c, x, m->data.result);
		}
		busy = collect(&c);
		progress(&c, false);
		now = mono_ms();
		wait = schedule(&c);
		if (!c.running && wait < 0 && !pool_out(c.pool))
			continue;	/* done: no poll; the top ends it */
		if (wait < 0 || wait > 200)
			wait = 200;
		if (busy)
			wait = 0;
		if (c.deadline_ms && c.deadline_ms - now < wait)
			wait = c.deadline_ms > now ? c.deadline_ms - now : 0;
		curl_multi_poll(c.multi, NULL, 0, (int)wait, &numfds);
	}
	/* Stop: abort what is in flight (it is fetched again next time). */
	while (c.live) {
		struct xfer *x = c.live;

		gone(&c, x);
		xfer_free(x);
	}
	/* What was fetched is analysed and stored: at most jobs bodies,
	 * this thread helping.  After a store error it is dropped. */
	while (!c.rc && pool_out(c.pool))
		if (!collect(&c))
			curl_multi_poll(c.multi, NULL, 0, 100, NULL);
	pool_stop(c.pool);
	for (struct job *j; (j = pool_done(c.pool));)
		pending_free((struct pending *)j);
	for (struct job *j; (j = pool_steal(c.pool, 1));)
		pending_free((struct pending *)j);
	progress(&c, true);
	stats->seconds = (mono_ms() - c.start_ms) / 1000.0;
	ms_crawl_summary(stats, summary, sizeof(summary));
	if (!c.rc && c.batch) {
		cr.started = c.now;
		cr.finished = (int64_t)time(NULL);
		cr.fetched = stats->fetched;
		cr.not_modified = stats->not_modified;
		cr.unchanged = stats->unchanged;
		cr.errors = stats->errors;
		cr.new_posts = stats->posts;
		cr.new_comments = stats->comments;
		cr.bytes = stats->bytes;
		cr.summary = summary;
		ms_batch_put_crawl(c.batch, &cr);
		maybe_commit(&c, true);
	}
	rc = c.rc;
	if (!rc && o->stop && *o->stop)
		rc = ms_err_set(err, MS_EINTR, "crawl interrupted; what was "
				"fetched is stored");
out:
	pool_free(c.pool);
	if (c.batch)
		ms_store_batch_free(c.batch);
	if (c.multi)
		curl_multi_cleanup(c.multi);
	if (c.share)
		curl_share_cleanup(c.share);
	curl_slist_free_all(c.resolve);
	fr_release(&c.f);
	for (size_t i = 0; i < c.nknown; i++)
		free(c.known[i]);
	free(c.known);
	free(c.knownset);
	return rc;
}
