/*
 * frontier.c — hosts, their queues, the ready heap and the set of URLs
 * already taken this crawl (see internal.h).
 */
#include "crawler/internal.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

void
fr_init(struct frontier *f)
{
	memset(f, 0, sizeof(*f));
}

void
fr_item_free(struct item *it)
{
	if (!it)
		return;
	free(it->url);
	free(it->orig);
	free(it);
}

void
fr_release(struct frontier *f)
{
	for (size_t i = 0; i < f->nhosts; i++) {
		struct host *h = &f->hosts[i];
		struct item *it, *next;

		for (it = h->head; it; it = next) {
			next = it->next;
			fr_item_free(it);
		}
		ms_robots_free(h->robots);
		free(h->robots_error);
		free(h->name);
		free(h->origin);
	}
	free(f->hosts);
	free(f->slots);
	free(f->heap);
	free(f->seen);
	memset(f, 0, sizeof(*f));
}

static uint64_t
strhash(const char *s)
{
	struct ms_hash h;

	ms_hash_str(s, &h);
	return ms_hash_u64(&h);
}

static void
rehash(struct frontier *f)
{
	size_t n = f->nslots ? f->nslots * 2 : 64;

	free(f->slots);
	f->slots = ms_xcalloc(n, sizeof(*f->slots));
	f->nslots = n;
	for (size_t i = 0; i < f->nhosts; i++) {
		size_t s = strhash(f->hosts[i].name) & (n - 1);

		while (f->slots[s])
			s = (s + 1) & (n - 1);
		f->slots[s] = (uint32_t)i + 1;
	}
}

long
fr_host(struct frontier *f, const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *scheme = NULL, name[512];
	struct host *h;
	size_t s;
	long idx = -1;

	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
		goto out;
	if ((size_t)snprintf(name, sizeof(name), "%s:%s", host, port) >=
	    sizeof(name))
		goto out;
	if (f->nhosts * 2 >= f->nslots)
		rehash(f);
	s = strhash(name) & (f->nslots - 1);
	while (f->slots[s]) {
		if (!strcmp(f->hosts[f->slots[s] - 1].name, name)) {
			idx = (long)f->slots[s] - 1;
			goto out;
		}
		s = (s + 1) & (f->nslots - 1);
	}
	MS_GROW(f->hosts, f->nhosts + 1, f->cap);
	h = &f->hosts[f->nhosts];
	memset(h, 0, sizeof(*h));
	h->name = ms_xstrdup(name);
	h->origin = ms_xasprintf("%s://%s:%s", scheme, host, port);
	h->heap_pos = (size_t)-1;
	f->slots[s] = (uint32_t)f->nhosts + 1;
	idx = (long)f->nhosts++;
out:
	curl_free(host);
	curl_free(port);
	curl_free(scheme);
	curl_url_cleanup(u);
	return idx;
}

static int
hash_cmp(const struct ms_hash *a, const struct ms_hash *b)
{
	return memcmp(a->b, b->b, MS_HASH_LEN);
}

/* The seen-set is an open-addressing table of hashes (zero = empty). */
bool
fr_claim(struct frontier *f, const char *url)
{
	static const struct ms_hash zero;
	struct ms_hash h;
	size_t s;

	ms_hash_str(url, &h);
	if (!hash_cmp(&h, &zero))
		h.b[0] = 1;
	if ((f->nseen + 1) * 2 > f->seencap) {
		size_t n = f->seencap ? f->seencap * 2 : 1024;
		struct ms_hash *t = ms_xcalloc(n, sizeof(*t));

		for (size_t i = 0; i < f->seencap; i++) {
			if (!hash_cmp(&f->seen[i], &zero))
				continue;
			s = ms_hash_u64(&f->seen[i]) & (n - 1);
			while (hash_cmp(&t[s], &zero))
				s = (s + 1) & (n - 1);
			t[s] = f->seen[i];
		}
		free(f->seen);
		f->seen = t;
		f->seencap = n;
	}
	s = ms_hash_u64(&h) & (f->seencap - 1);
	while (hash_cmp(&f->seen[s], &zero)) {
		if (!hash_cmp(&f->seen[s], &h))
			return false;
		s = (s + 1) & (f->seencap - 1);
	}
	f->seen[s] = h;
	f->nseen++;
	return true;
}

static bool
before(struct frontier *f, uint32_t a, uint32_t b)
{
	return f->hosts[a].next_ms < f->hosts[b].next_ms;
}

static void
swap(struct frontier *f, size_t i, size_t j)
{
	uint32_t t = f->heap[i];

	f->heap[i] = f->heap[j];
	f->heap[j] = t;
	f->hosts[f->heap[i]].heap_pos = i;
	f->hosts[f->heap[j]].heap_pos = j;
}

static void
sift_up(struct frontier *f, size_t i)
{
	while (i && before(f, f->heap[i], f->heap[(i - 1) / 2])) {
		swap(f, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
sift_down(struct frontier *f, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < f->nheap && before(f, f->heap[l], f->heap[m]))
			m = l;
		if (r < f->nheap && before(f, f->heap[r], f->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(f, i, m);
		i = m;
	}
}

void
fr_ready(struct frontier *f, uint32_t hi)
{
	struct host *h = &f->hosts[hi];

	if (h->inflight || h->dropped || !h->head)
		return;
	if (h->heap_pos != (size_t)-1) {
		sift_up(f, h->heap_pos);
		sift_down(f, h->heap_pos);
		return;
	}
	MS_GROW(f->heap, f->nheap + 1, f->heapcap);
	f->heap[f->nheap] = hi;
	h->heap_pos = f->nheap++;
	sift_up(f, h->heap_pos);
}

long
fr_pop_ready(struct frontier *f, int64_t now_ms, int64_t *wait_ms)
{
	uint32_t top;

	*wait_ms = -1;
	if (!f->nheap)
		return -1;
	top = f->heap[0];
	if (f->hosts[top].next_ms > now_ms) {
		*wait_ms = f->hosts[top].next_ms - now_ms;
		return -1;
	}
	f->hosts[top].heap_pos = (size_t)-1;
	f->nheap--;
	if (f->nheap) {
		f->heap[0] = f->heap[f->nheap];
		f->hosts[f->heap[0]].heap_pos = 0;
		sift_down(f, 0);
	}
	return top;
}

void
fr_push(struct frontier *f, struct item *it)
{
	struct host *h = &f->hosts[it->host];

	it->next = NULL;
	if (h->tail)
		h->tail->next = it;
	else
		h->head = it;
	h->tail = it;
	h->queued++;
	f->items++;
	fr_ready(f, it->host);
}

struct item *
fr_take(struct frontier *f, uint32_t hi)
{
	struct host *h = &f->hosts[hi];
	struct item *it = h->head;

	(void)f;
	if (!it)
		return NULL;
	h->head = it->next;
	if (!h->head)
		h->tail = NULL;
	h->queued--;
	it->next = NULL;
	return it;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a;
	const struct item *y = *(struct item *const *)b;

	if (x->last_fetch != y->last_fetch)
		return x->last_fetch < y->last_fetch ? -1 : 1;
	return strcmp(x->url, y->url);
}

void
fr_sort_queues(struct frontier *f)
{
	for (size_t i = 0; i < f->nhosts; i++) {
		struct host *h = &f->hosts[i];
		struct item **v, *it;
		size_t n = 0;

		if (h->queued < 2)
			continue;
		v = ms_xreallocarray(NULL, h->queued, sizeof(*v));
		for (it = h->head; it; it = it->next)
			v[n++] = it;
		qsort(v, n, sizeof(*v), item_cmp);
		for (size_t k = 0; k + 1 < n; k++)
			v[k]->next = v[k + 1];
		v[n - 1]->next = NULL;
		h->head = v[0];
		h->tail = v[n - 1];
		free(v);
	}
}
