/*
 * model.c — the ranker's in-memory model: one pass over people, posts and
 * comments into flat arrays with dense ids, so everything after the load
 * (signals, PageRank, steps) walks arrays instead of the store.  Strings
 * are kept only where the ranking needs them (people); post URLs and
 * titles are fetched again for the few posts that become steps.
 */
#include "ranker/internal.h"
#include "util/hash.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct ms_hash zero_key;

void
rk_model_init(struct rk_model *m, const struct rk_model_conf *c)
{
	memset(m, 0, sizeof(*m));
	ms_arena_init(&m->arena);
	m->c = *c;
	if (!m->c.min_on_topic)
		m->c.min_on_topic = RK_MIN_ON_TOPIC;
	if (m->c.weights.half_life_days <= 0)
		m->c.weights.half_life_days = 90;
	if (m->c.weights.recent_days <= 0)
		m->c.weights.recent_days = 365;
	m->me = RK_NONE;
	rk_smap_init(&m->topic_map, c->ntopics);
	for (size_t i = 0; i < c->ntopics; i++)
		rk_smap_put(&m->topic_map, c->topic_ids[i],
			    strlen(c->topic_ids[i]), (uint32_t)i);
	rk_hmap_init(&m->pmap, 1024);
	rk_hmap_init(&m->postmap, 1024);
	m->nlangs = 1;		/* 0 is "unknown" */
}

void
rk_model_reserve(struct rk_model *m, size_t people, size_t posts,
		 size_t comments)
{
	/* maps sized once: growing one rehashes everything in it */
	if (people > m->pmap.cap / 2) {
		rk_hmap_release(&m->pmap);
		rk_hmap_init(&m->pmap, people + 16);
	}
	if (posts > m->postmap.cap / 2) {
		rk_hmap_release(&m->postmap);
		rk_hmap_init(&m->postmap, posts);
	}
	MS_GROW(m->people, people + 16, m->people_cap);
	MS_GROW(m->posts, posts, m->posts_cap);
	MS_GROW(m->comments, comments, m->comments_cap);
}

void
rk_model_release(struct rk_model *m)
{
	rk_smap_release(&m->topic_map);
	rk_smap_release(&m->sites);
	rk_smap_release(&m->hosts);
	rk_hmap_release(&m->pmap);
	rk_hmap_release(&m->postmap);
	free(m->people);
	free(m->posts);
	free(m->tw);
	free(m->links);
	free(m->comments);
	free(m->cites);
	free(m->alias_off);
	free(m->alias_idx);
	free(m->post_order);
	free(m->person_post_off);
	free(m->comment_order);
	free(m->post_comment_off);
	ms_arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

static const char *
keep(struct rk_model *m, const char *s)
{
	return s ? ms_arena_strdup(&m->arena, s) : NULL;
}

uint32_t
rk_model_add_person(struct rk_model *m, const struct ms_hash *key,
		    const struct ms_person_rec *r)
{
	uint32_t id = rk_hmap_get(&m->pmap, key);
	struct rk_person *p;

	if (id != RK_NONE)
		return id;
	MS_GROW(m->people, m->npeople + 1, m->people_cap);
	id = (uint32_t)m->npeople++;
	p = &m->people[id];
	memset(p, 0, sizeof(*p));
	p->key = *key;
	p->ident = keep(m, r->ident ? r->ident : "");
	p->name = keep(m, r->name);
	p->site = keep(m, r->site);
	p->feed = keep(m, r->feed);
	p->profiles = keep(m, r->profiles);
	p->flags = r->flags;
	p->canon = id;
	p->kind = (uint8_t)rk_ident_kind(p->ident);
	rk_hmap_put(&m->pmap, key, id);
	return id;
}

uint32_t
rk_person_of(const struct rk_model *m, const struct ms_hash *key)
{
	uint64_t a, b;
	uint32_t id;

	memcpy(&a, key->b, 8);
	memcpy(&b, key->b + 8, 8);
	if (!(a | b))
		return RK_NONE;	/* the zero key: unknown */
	id = rk_hmap_get(&m->pmap, key);
	return id == RK_NONE ? RK_NONE : m->people[id].canon;
}

/* "en-US" and "EN" are both "en": --lang names a language, not a locale. */
static uint8_t
lang_id(struct rk_model *m, const char *lang)
{
	char tag[9];
	size_t n = 0;

	if (!lang)
		return 0;
	while (n < sizeof(tag) - 1 && isalpha((unsigned char)lang[n])) {
		tag[n] = (char)tolower((unsigned char)lang[n]);
		n++;
	}
	if (!n || (lang[n] && lang[n] != '-' && lang[n] != '_'))
		return 0;
	tag[n] = '\0';
	for (size_t i = 1; i < m->nlangs; i++)
		if (!strcmp(m->langs[i], tag))
			return (uint8_t)i;
	if (m->nlangs >= 256)
		return 0;
	m->langs[m->nlangs] = ms_arena_strdup(&m->arena, tag);
	return (uint8_t)m->nlangs++;
}

/*
 * What a post counts for each of its topics.  RANKING.md: a title or
 * category hit 1, a body-only hit 0.5, i.e. min(1, w).  Scaled here by
 * the topic's weight relative to the post's main topic, so a post about
 * performance reviews in HR terms counts fully for hr and a little for
 * management, not fully for both: neighbouring topics share vocabulary,
 * and without this every HR blog is a management blog too.
 */
static void
credit(struct rk_topic_w *tw, size_t n)
{
	double top = 0;

	for (size_t i = 0; i < n; i++)
		if (tw[i].w > top)
			top = tw[i].w;
	for (size_t i = 0; i < n; i++)
		tw[i].credit = (float)(fmin(1.0, tw[i].w) * tw[i].w / top);
}

static void
add_topics(struct rk_model *m, struct rk_post *p, const char *list)
{
	const char *cur = list, *it;
	size_t n;

	p->topic_off = (uint32_t)m->ntw;
	while ((it = ms_strlist_next(&cur, &n))) {
		const char *eq = memchr(it, '=', n);
		char num[32];
		size_t nl;
		uint32_t t;
		double w;

		if (!eq)
			continue;
		t = rk_smap_get(&m->topic_map, it, (size_t)(eq - it));
		nl = n - (size_t)(eq - it) - 1;
		if (t == RK_NONE || !nl || nl >= sizeof(num))
			continue;
		memcpy(num, eq + 1, nl);
		num[nl] = '\0';
		w = strtod(num, NULL);
		if (!(w > 0) || w > 1e6 || p->ntopic == UINT16_MAX)
			continue;
		/* one entry per topic even if the list repeats it */
		for (uint32_t i = p->topic_off; i < m->ntw; i++)
			if (m->tw[i].topic == t)
				goto next;
		MS_GROW(m->tw, m->ntw + 1, m->tw_cap);
		m->tw[m->ntw].topic = (uint16_t)t;
		m->tw[m->ntw].w = (float)w;
		m->ntw++;
		p->ntopic++;
next:;
	}
	credit(m->tw + p->topic_off, p->ntopic);
}

/*
 * Resolve outbound links to people once, at load: the target's canonical
 * id, not the URL, is what the graph and the spam rules need.  Self links
 * and repeats within the post are dropped.
 */
static void
add_links(struct rk_model *m, struct rk_post *p, const char *list)
{
	const char *cur = list, *it;
	char url[2048];
	size_t n;

	p->link_off = (uint32_t)m->nlinks;
	while ((it = ms_strlist_next(&cur, &n))) {
		uint32_t to;
		int dup = 0;

		if (p->nraw_links < UINT16_MAX)
			p->nraw_links++;
		if (n >= sizeof(url) || p->nlink == UINT16_MAX)
			continue;
		memcpy(url, it, n);
		url[n] = '\0';
		to = rk_identity_site_owner(m, url);
		if (to == RK_NONE || to == p->author)
			continue;
		/* It may name one of the target's posts: counted at finish,
		 * when every post is loaded. */
		MS_GROW(m->cites, m->ncites + 1, m->cites_cap);
		ms_key_post(url, &m->cites[m->ncites++]);
		for (uint32_t i = p->link_off; i < m->nlinks; i++)
			if (m->links[i] == to)
				dup = 1;
		if (dup)
			continue;
		MS_GROW(m->links, m->nlinks + 1, m->links_cap);
		m->links[m->nlinks++] = to;
		p->nlink++;
	}
}

uint32_t
rk_model_add_post(struct rk_model *m, const struct ms_hash *key,
		  const struct ms_post_rec *r, int seed)
{
	uint32_t id = rk_hmap_get(&m->postmap, key);
	struct rk_post *p;

	if (id != RK_NONE)
		return id;
	MS_GROW(m->posts, m->nposts + 1, m->posts_cap);
	id = (uint32_t)m->nposts++;
	p = &m->posts[id];
	memset(p, 0, sizeof(*p));
	p->key = *key;
	if (m->c.keep_text) {
		p->url = keep(m, r->url);
		p->title = keep(m, r->title);
	}
	p->author = rk_person_of(m, &r->author);
	p->published = r->published;
	p->comment_count = r->comment_count;
	p->comments_open = r->comments_open;
	p->lang = lang_id(m, r->lang);
	p->seed = seed ? 1 : 0;
	add_topics(m, p, r->topics);
	add_links(m, p, r->links);
	rk_hmap_put(&m->postmap, key, id);
	return id;
}

uint32_t
rk_model_add_comment(struct rk_model *m, const struct ms_hash *key,
		     const struct ms_comment_rec *r)
{
	uint32_t post = rk_hmap_get(&m->postmap, &r->post);
	struct rk_comment *c;

	if (post == RK_NONE)
		return RK_NONE;
	MS_GROW(m->comments, m->ncomments + 1, m->comments_cap);
	c = &m->comments[m->ncomments];
	c->id = ms_hash_u64(key);
	c->parent = memcmp(&r->parent, &zero_key, sizeof(zero_key)) ?
			    ms_hash_u64(&r->parent) : 0;
	c->post = post;
	c->author = rk_person_of(m, &r->author);
	c->published = r->published;
	c->by_author = r->by_post_author ? 1 : 0;
	return (uint32_t)m->ncomments++;
}

static const struct rk_model *sort_m;

static int
cmp_post_time(const void *a, const void *b)
{
	const struct rk_post *x = &sort_m->posts[*(const uint32_t *)a];
	const struct rk_post *y = &sort_m->posts[*(const uint32_t *)b];

	if (x->published != y->published)
		return x->published < y->published ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static int
cmp_comment_time(const void *a, const void *b)
{
	const struct rk_comment *x = &sort_m->comments[*(const uint32_t *)a];
	const struct rk_comment *y = &sort_m->comments[*(const uint32_t *)b];

	if (x->published != y->published)
		return x->published < y->published ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Counting sort of n items into groups[0..ngroups) by group(i), then each
 * group sorted by cmp: linear in n plus small sorts. */
static void
group_by(size_t n, size_t ngroups, const uint32_t *group, uint32_t **order,
	 uint32_t **off, int (*cmp)(const void *, const void *))
{
	uint32_t *o = ms_xcalloc(ngroups + 2, sizeof(*o));
	uint32_t *ord = ms_xmalloc((n ? n : 1) * sizeof(*ord));

	for (size_t i = 0; i < n; i++)
		if (group[i] != RK_NONE)
			o[group[i] + 2]++;
	for (size_t g = 2; g < ngroups + 2; g++)
		o[g] += o[g - 1];
	for (size_t i = 0; i < n; i++)
		if (group[i] != RK_NONE)
			ord[o[group[i] + 1]++] = (uint32_t)i;
	for (size_t g = 0; g < ngroups; g++) {
		uint32_t *a = ord + o[g];
		size_t k = o[g + 1] - o[g];

		if (k > 16) {
			rk_sort(a, k, sizeof(*ord), cmp);
			continue;
		}
		/* most groups are a handful: insertion sort, no qsort call */
		for (size_t i = 1; i < k; i++) {
			uint32_t x = a[i];
			size_t j = i;

			while (j && cmp(&a[j - 1], &x) > 0) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = x;
		}
	}
	*order = ord;
	*off = o;		/* o[g]..o[g+1] is group g */
}

/*
 * Posts in the order the passes read them: by author, each author's in
 * time order (unknown authors last), their topic weights and links
 * alongside; ord[k] is the post that goes to k.  The store gives posts
 * in key (hash) order, and a million-post ranking read that way spends
 * its time on cache misses.
 */
static void
reorder_posts(struct rk_model *m, const uint32_t *ord)
{
	size_t n = m->nposts;
	struct rk_post *posts = ms_xmalloc((n ? n : 1) * sizeof(*posts));
	struct rk_topic_w *tw = ms_xmalloc((m->ntw ? m->ntw : 1) *
					   sizeof(*tw));
	uint32_t *links = ms_xmalloc((m->nlinks ? m->nlinks : 1) *
				     sizeof(*links));
	uint32_t *where = ms_xmalloc((n ? n : 1) * sizeof(*where));
	size_t ntw = 0, nl = 0;

	for (size_t k = 0; k < n; k++) {
		struct rk_post *p = &posts[k];

		*p = m->posts[ord[k]];
		where[ord[k]] = (uint32_t)k;
		/* (memcpy from a NULL array is undefined even for 0 bytes) */
		if (p->ntopic)
			memcpy(tw + ntw, m->tw + p->topic_off,
			       p->ntopic * sizeof(*tw));
		p->topic_off = (uint32_t)ntw;
		ntw += p->ntopic;
		if (p->nlink)
			memcpy(links + nl, m->links + p->link_off,
			       p->nlink * sizeof(*links));
		p->link_off = (uint32_t)nl;
		nl += p->nlink;
	}
	for (size_t i = 0; i < m->postmap.cap; i++)
		if (m->postmap.slots[i].v != RK_NONE)
			m->postmap.slots[i].v = where[m->postmap.slots[i].v];
	for (size_t i = 0; i < m->ncomments; i++)
		m->comments[i].post = where[m->comments[i].post];
	free(m->posts);
	free(m->tw);
	free(m->links);
	m->posts = posts;
	m->posts_cap = n;
	m->tw = tw;
	m->tw_cap = m->ntw;
	m->links = links;
	m->links_cap = m->nlinks;
	free(where);
}

/* Comments by post, each thread in time order (ord as above). */
static void
reorder_comments(struct rk_model *m, const uint32_t *ord)
{
	size_t n = m->ncomments;
	struct rk_comment *c = ms_xmalloc((n ? n : 1) * sizeof(*c));

	for (size_t k = 0; k < n; k++)
		c[k] = m->comments[ord[k]];
	free(m->comments);
	m->comments = c;
	m->comments_cap = n;
}

void
rk_model_finish(struct rk_model *m)
{
	uint32_t *group, *ord;
	size_t n = m->nposts > m->ncomments ? m->nposts : m->ncomments, k;

	if (m->finished)
		return;
	group = ms_xmalloc((n ? n : 1) * sizeof(*group));
	sort_m = m;
	for (size_t i = 0; i < m->nposts; i++)
		group[i] = m->posts[i].author;
	group_by(m->nposts, m->npeople, group, &m->post_order,
		 &m->person_post_off, cmp_post_time);
	/* the grouped ones, then those of unknown authors */
	ord = ms_xmalloc((m->nposts ? m->nposts : 1) * sizeof(*ord));
	k = m->person_post_off[m->npeople];
	memcpy(ord, m->post_order, k * sizeof(*ord));
	for (size_t i = 0; i < m->nposts; i++)
		if (m->posts[i].author == RK_NONE)
			ord[k++] = (uint32_t)i;
	reorder_posts(m, ord);
	free(ord);
	for (size_t i = 0; i < m->nposts; i++)
		m->post_order[i] = (uint32_t)i;
	for (size_t i = 0; i < m->ncomments; i++)
		group[i] = m->comments[i].post;
	group_by(m->ncomments, m->nposts, group, &m->comment_order,
		 &m->post_comment_off, cmp_comment_time);
	reorder_comments(m, m->comment_order);
	for (size_t i = 0; i < m->ncomments; i++)
		m->comment_order[i] = (uint32_t)i;
	sort_m = NULL;
	free(group);
	for (size_t i = 0; i < m->ncites; i++) {
		uint32_t p = rk_hmap_get(&m->postmap, &m->cites[i]);

		if (p != RK_NONE && m->posts[p].cited < UINT16_MAX)
			m->posts[p].cited++;
	}
	free(m->cites);
	m->cites = NULL;
	m->ncites = m->cites_cap = 0;
	m->finished = 1;
}

void
rk_post_text(const struct rk_model *m, uint32_t post, const char **url,
	     const char **title)
{
	const struct rk_post *p = &m->posts[post];

	*url = p->url;
	*title = p->title;
	if (!*url && m->c.post_text &&
	    m->c.post_text(m->c.post_text_ctx, &p->key, url, title)) {
		*url = NULL;
		*title = NULL;
	}
}

const char *
rk_topic_label(const struct rk_model *m, size_t topic)
{
	if (topic >= m->c.ntopics)
		return "all topics";
	if (m->c.topic_labels && m->c.topic_labels[topic])
		return m->c.topic_labels[topic];
	return m->c.topic_ids[topic];
}
