/*
 * evidence.c — ms_rank_evidence: what `explain PERSON` lists behind the
 * numbers of a score: the person's posts, the comments they left on other
 * blogs, their replies on their own, and the people graph the last
 * ranking wrote around them (links in and out, with the kind of contact).
 * One pass over posts, two over comments (the second names the people
 * their replies answered), one over links; explain is not on the fast
 * path, discover is.
 */
#include "config/config.h"
#include "ranker/internal.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

struct item {
	struct ms_evidence_item e;
	struct ms_hash post;		/* comments: the post, for its title */
	struct ms_hash other;		/* the other person's key */
	struct ms_hash parent;		/* replies: the comment answered */
};

struct list {
	struct item *v;
	size_t n, cap;
};

struct ev {
	struct ms_person_evidence *out;
	struct ms_rtxn *t;
	const struct rk_model *m;
	const struct ms_hash *keys;	/* the person and their aliases */
	size_t nkeys;
	struct rk_hmap own_posts;	/* their posts' keys */
	struct rk_hmap parents;		/* comments their replies answer */
	struct list posts, comments, replies, in, out_links;
};

static int
is_them(const struct ev *e, const struct ms_hash *k)
{
	for (size_t i = 0; i < e->nkeys; i++)
		if (!memcmp(&e->keys[i], k, sizeof(*k)))
			return 1;
	return 0;
}

static struct item *
push(struct list *l)
{
	MS_GROW(l->v, l->n + 1, l->cap);
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	return &l->v[l->n++];
}

static const char *
keep(struct ev *e, const char *s)
{
	return s ? ms_arena_strdup(&e->out->arena, s) : NULL;
}

static int
on_post(const struct ms_hash *key, const struct ms_post_rec *r, void *ctx)
{
	struct ev *e = ctx;
	struct item *it;

	if (!is_them(e, &r->author))
		return 0;
	rk_hmap_put(&e->own_posts, key, 1);
	it = push(&e->posts);
	it->e.url = ms_url_is_http(r->url) ? keep(e, r->url) : NULL;
	it->e.title = keep(e, r->title);
	it->e.topics = keep(e, r->topics);
	it->e.when = r->published;
	it->e.count = r->comment_count;
	it->e.open = r->comments_open;
	return 0;
}

static int
on_comment(const struct ms_hash *key, const struct ms_comment_rec *r,
	   void *ctx)
{
	struct ev *e = ctx;
	struct item *it;

	(void)key;
	if (!is_them(e, &r->author))
		return 0;
	if (rk_hmap_get(&e->own_posts, &r->post) != RK_NONE) {
		it = push(&e->replies);
		it->parent = r->parent;
		rk_hmap_put(&e->parents, &r->parent, 1);
	} else {
		it = push(&e->comments);
	}
	it->post = r->post;
	it->e.url = r->post_url && ms_url_is_http(r->post_url) ?
			    keep(e, r->post_url) : NULL;
	it->e.when = r->published;
	return 0;
}

/* Second pass: who wrote the comments their replies answer. */
static int
on_parent(const struct ms_hash *key, const struct ms_comment_rec *r,
	  void *ctx)
{
	struct ev *e = ctx;

	if (rk_hmap_get(&e->parents, key) == RK_NONE)
		return 0;
	for (size_t i = 0; i < e->replies.n; i++)
		if (!memcmp(&e->replies.v[i].parent, key, sizeof(*key))) {
			e->replies.v[i].other = r->author;
			if (!e->replies.v[i].e.who && r->author_name)
				e->replies.v[i].e.who = keep(e,
							     r->author_name);
		}
	return 0;
}

static const char *
kinds(uint32_t k)
{
	static const char *const names[] = {
		"", "post links", "comments", "post links, comments",
		"replies", "post links, replies", "comments, replies",
		"post links, comments, replies",
	};

	return names[k & 7];
}

static int
on_link(const struct ms_hash *from, const struct ms_hash *to,
	const struct ms_link_rec *r, void *ctx)
{
	struct ev *e = ctx;
	struct item *it;

	if (is_them(e, from))
		(it = push(&e->out_links))->other = *to;
	else if (is_them(e, to))
		(it = push(&e->in))->other = *from;
	else
		return 0;
	it->e.kind = kinds(r->kinds);
	it->e.count = r->count;
	it->e.when = r->last;
	return 0;
}

/* Name the other person of each item (name, else site, else ident). */
static void
name_others(struct ev *e, struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct ms_person_rec p;
		static const struct ms_hash zero;

		if (l->v[i].e.who || !memcmp(&l->v[i].other, &zero,
					     sizeof(zero)))
			continue;
		if (ms_store_get_person(e->t, &l->v[i].other, &p, NULL))
			continue;
		l->v[i].e.who = keep(e, p.name ? p.name :
					 p.site ? p.site : p.ident);
	}
}

/* Comments: the post's title and whose blog it is. */
static void
name_posts(struct ev *e, struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct ms_post_rec p;

		if (ms_store_get_post(e->t, &l->v[i].post, &p, NULL))
			continue;
		l->v[i].e.title = keep(e, p.title);
		if (!l->v[i].e.url && ms_url_is_http(p.url))
			l->v[i].e.url = keep(e, p.url);
		if (memcmp(&l->v[i].other, &(struct ms_hash){ 0 },
			   sizeof(struct ms_hash)) == 0)
			l->v[i].other = p.author;
	}
}

static int
newest_first(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->e.when != y->e.when)
		return x->e.when > y->e.when ? -1 : 1;
	return 0;
}

static struct ms_evidence_item *
finish(struct ev *e, struct list *l, size_t max, size_t *n, size_t *total)
{
	struct ms_evidence_item *v;

	rk_sort(l->v, l->n, sizeof(*l->v), newest_first);
	*total = l->n;
	*n = l->n < max ? l->n : max;
	if (!*n)
		return NULL;
	v = ms_arena_alloc(&e->out->arena, *n * sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		v[i] = l->v[i].e;
	return v;
}

void
ms_person_evidence_free(struct ms_person_evidence *e)
{
	if (!e)
		return;
	ms_arena_release(&e->arena);
	free(e);
}

int
ms_rank_evidence(struct ms_store *st, const struct ms_config *cfg,
		 const char *person, size_t max,
		 struct ms_person_evidence **out, struct ms_err *err)
{
	struct rk_model m;
	struct rk_model_conf mc;
	const char **ids, **labels;
	struct ev e = { 0 };
	struct ms_hash *keys = NULL;
	struct ms_person_evidence *o;
	uint32_t who;
	int rc;

	*out = NULL;
	o = ms_xcalloc(1, sizeof(*o));
	ms_arena_init(&o->arena);
	e.out = o;
	rk_model_conf_from(&mc, cfg, 0, &ids, &labels);
	rk_model_init(&m, &mc);
	rk_hmap_init(&e.own_posts, 256);
	rk_hmap_init(&e.parents, 64);
	if ((rc = ms_store_read_begin(st, &e.t, err)) ||
	    (rc = rk_load_people(e.t, cfg, &m, err)) ||
	    (rc = rk_find_person(&m, person, &who, err)))
		goto out;
	e.m = &m;
	/* the person and every alias merged into them */
	keys = ms_xmalloc((m.npeople ? m.npeople : 1) * sizeof(*keys));
	keys[e.nkeys++] = m.people[who].key;
	o->aliases = ms_arena_alloc(&o->arena,
				    (m.npeople ? m.npeople : 1) *
					    sizeof(*o->aliases));
	for (size_t i = 0; i < m.npeople; i++)
		if (m.people[i].canon == who && i != who) {
			keys[e.nkeys++] = m.people[i].key;
			o->aliases[o->naliases++] = keep(&e,
							 m.people[i].ident);
		}
	e.keys = keys;
	ms_hash_hex(&m.people[who].key, o->person);
	o->ident = keep(&e, m.people[who].ident);
	o->name = keep(&e, m.people[who].name);
	o->site = keep(&e, m.people[who].site);
	o->feed = keep(&e, m.people[who].feed);
	if ((rc = ms_store_each_post(e.t, on_post, &e, err)) ||
	    (rc = ms_store_each_comment(e.t, on_comment, &e, err)) ||
	    (e.replies.n &&
	     (rc = ms_store_each_comment(e.t, on_parent, &e, err))) ||
	    (rc = ms_store_each_link(e.t, on_link, &e, err)))
		goto out;
	name_posts(&e, &e.comments);
	name_others(&e, &e.comments);
	name_others(&e, &e.replies);
	name_others(&e, &e.in);
	name_others(&e, &e.out_links);
	if (!max)
		max = 20;
	o->posts = finish(&e, &e.posts, max, &o->nposts, &o->total_posts);
	o->comments = finish(&e, &e.comments, max, &o->ncomments,
			     &o->total_comments);
	o->replies = finish(&e, &e.replies, max, &o->nreplies,
			    &o->total_replies);
	o->links_in = finish(&e, &e.in, max, &o->nlinks_in,
			     &o->total_links_in);
	o->links_out = finish(&e, &e.out_links, max, &o->nlinks_out,
			      &o->total_links_out);
	*out = o;
	o = NULL;
out:
	if (e.t)
		ms_store_read_end(e.t);
	free(e.posts.v);
	free(e.comments.v);
	free(e.replies.v);
	free(e.in.v);
	free(e.out_links.v);
	free(keys);
	rk_hmap_release(&e.own_posts);
	rk_hmap_release(&e.parents);
	rk_model_release(&m);
	free(ids);
	free(labels);
	ms_person_evidence_free(o);
	return rc;
}
