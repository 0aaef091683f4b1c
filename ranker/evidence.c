/*
 * evidence.c — ms_rank_evidence: what `explain PERSON` lists behind the
 * numbers of a score: the person's posts, the comments they left on other
 * blogs, their replies on their own, and the people graph around them
 * (links in and out, with the kind of contact).
 *
 * The store is read into the ranker's model (identity merged, links
 * resolved to people, comments by thread) and every thread is read the
 * way compute.c reads it (rk_post_talk, comment spammers dropped), so the
 * graph is the one the ranking walks.  It is derived here rather than
 * stored by the ranking: millions of edges rewritten every night were the
 * largest cost of a re-rank, and a rewrite cut short would have left
 * explain a graph half old, half new.  explain is not on the fast path,
 * discover is.
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
	uint32_t post_id;		/* comments, replies: the post */
	uint32_t other_id;		/* the other person, or RK_NONE */
	uint32_t kinds;			/* graph: enum ms_link_kind bits */
};

struct list {
	struct item *v;
	size_t n, cap;
};

struct ev {
	struct ms_person_evidence *out;
	struct ms_rtxn *t;
	const struct rk_model *m;
	uint32_t who;
	unsigned char *cspam;		/* comment spammers (compute.c's) */
	uint32_t *in_at, *out_at;	/* person → 1 + index in in/out */
	const struct rk_comment **th;	/* one thread */
	uint32_t *ans;
	struct list posts, comments, replies, in, out_links;
};

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

/* Their posts, newest first later: the stored record of each. */
static void
own_posts(struct ev *e, uint32_t who)
{
	const struct rk_model *m = e->m;

	for (uint32_t i = m->person_post_off[who];
	     i < m->person_post_off[who + 1]; i++) {
		struct ms_post_rec r;
		struct item *it = push(&e->posts);

		if (ms_store_get_post(e->t, &m->posts[m->post_order[i]].key,
				      &r, NULL))
			continue;
		it->e.url = ms_url_is_http(r.url) ? keep(e, r.url) : NULL;
		it->e.title = keep(e, r.title);
		it->e.topics = keep(e, r.topics);
		it->e.when = r.published;
		it->e.count = r.comment_count;
		it->e.open = r.comments_open;
	}
}

/* One contact of the person with someone else, into the graph lists. */
static void
contact(struct ev *e, uint32_t other, int out, uint32_t kind, int64_t when)
{
	struct list *l = out ? &e->out_links : &e->in;
	uint32_t *at = out ? e->out_at : e->in_at;
	struct item *it;

	if (other == RK_NONE || other == e->who)
		return;
	if (!at[other]) {
		it = push(l);
		it->other_id = other;
		it->e.when = MS_TIME_NONE;
		at[other] = (uint32_t)l->n;
	}
	it = &l->v[at[other] - 1];
	it->kinds |= kind;
	it->e.count++;
	if (when != MS_TIME_NONE && (it->e.when == MS_TIME_NONE ||
				     when > it->e.when))
		it->e.when = when;
}

/*
 * One post's thread as the ranking reads it (compute.c): comments by
 * others than the post's author, spammers' dropped, answered per
 * rk_post_talk.  Keeps the person's contacts (comments, replies, post
 * links) and their comments and replies.
 */
static void
thread(struct ev *e, uint32_t pi)
{
	const struct rk_model *m = e->m;
	const struct rk_post *p = &m->posts[pi];
	uint32_t lo = m->post_comment_off[pi], hi = m->post_comment_off[pi + 1];
	uint32_t author = p->author;
	size_t n = hi - lo;
	int mine = author == e->who, there = 0;
	struct rk_talk talk;

	for (uint16_t k = 0; k < p->nlink && author != RK_NONE; k++) {
		uint32_t to = m->links[p->link_off + k];

		if (mine)
			contact(e, to, 1, MS_LINK_POST, p->published);
		else if (to == e->who)
			contact(e, author, 0, MS_LINK_POST, p->published);
	}
	for (size_t i = 0; i < n && !mine; i++)
		there |= m->comments[m->comment_order[lo + i]].author ==
			 e->who;
	if (!n || (!mine && !there))
		return;
	for (size_t i = 0; i < n; i++)
		e->th[i] = &m->comments[m->comment_order[lo + i]];
	rk_post_talk(e->th, n, author, e->cspam, e->ans, &talk);
	for (size_t i = 0; i < n; i++) {
		const struct rk_comment *c = e->th[i];
		int64_t at = e->ans[i] != RK_NONE ?
				     e->th[e->ans[i]]->published :
				     MS_TIME_NONE;

		if (c->author != RK_NONE && e->cspam[c->author])
			continue;
		if (c->author == author || c->by_author) {
			/* the author's own: their replies, if theirs */
			if (mine) {
				struct item *it = push(&e->replies);

				it->post_id = pi;
				it->e.when = c->published;
				it->other_id = RK_NONE;
				for (size_t k = 0; k < i; k++)
					if (e->ans[k] == i &&
					    e->th[k]->author != RK_NONE) {
						it->other_id =
							e->th[k]->author;
						break;
					}
			}
			continue;
		}
		if (mine) {
			contact(e, c->author, 0, MS_LINK_COMMENT,
				c->published);
			if (e->ans[i] != RK_NONE)
				contact(e, c->author, 1, MS_LINK_REPLY, at);
		} else if (c->author == e->who) {
			struct item *it = push(&e->comments);

			it->post_id = pi;
			it->other_id = author;
			it->e.when = c->published;
			contact(e, author, 1, MS_LINK_COMMENT, c->published);
			if (e->ans[i] != RK_NONE)
				contact(e, author, 0, MS_LINK_REPLY, at);
		}
	}
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

/* Name the other person of each item (name, else site, else ident). */
static void
name_others(struct ev *e, struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct rk_person *p;

		if (l->v[i].kinds)
			l->v[i].e.kind = kinds(l->v[i].kinds);
		if (l->v[i].other_id == RK_NONE)
			continue;
		p = &e->m->people[l->v[i].other_id];
		l->v[i].e.who = keep(e, p->name ? p->name :
					p->site ? p->site : p->ident);
	}
}

/* Comments and replies: the post's URL and title. */
static void
name_posts(struct ev *e, struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct ms_post_rec p;

		if (ms_store_get_post(e->t, &e->m->posts[l->v[i].post_id].key,
				      &p, NULL))
			continue;
		l->v[i].e.title = keep(e, p.title);
		if (ms_url_is_http(p.url))
			l->v[i].e.url = keep(e, p.url);
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
	struct rk_run run = { 0 };
	const char **ids, **labels;
	struct ev e = { 0 };
	struct ms_person_evidence *o;
	size_t most = 1;
	uint32_t who;
	int rc;

	*out = NULL;
	o = ms_xcalloc(1, sizeof(*o));
	ms_arena_init(&o->arena);
	e.out = o;
	rk_model_conf_from(&mc, cfg, 0, &ids, &labels);
	rk_model_init(&m, &mc);
	if ((rc = ms_store_read_begin(st, &e.t, err)) ||
	    (rc = rk_load_model(e.t, cfg, &m, err)) ||
	    (rc = rk_find_person(&m, person, &who, err)))
		goto out;
	e.m = &m;
	e.who = who;
	o->aliases = ms_arena_alloc(&o->arena,
				    (m.npeople ? m.npeople : 1) *
					    sizeof(*o->aliases));
	for (size_t i = 0; i < m.npeople; i++)
		if (m.people[i].canon == who && i != who)
			o->aliases[o->naliases++] = keep(&e,
							 m.people[i].ident);
	ms_hash_hex(&m.people[who].key, o->person);
	o->ident = keep(&e, m.people[who].ident);
	o->name = keep(&e, m.people[who].name);
	o->site = keep(&e, m.people[who].site);
	o->feed = keep(&e, m.people[who].feed);

	/* the comment spammers the ranking drops, then every thread once */
	run.m = &m;
	run.st = ms_xcalloc(m.npeople ? m.npeople : 1, sizeof(*run.st));
	e.cspam = ms_xcalloc(m.npeople ? m.npeople : 1, 1);
	rk_spam_commenters(&run, e.cspam);
	e.in_at = ms_xcalloc(m.npeople ? m.npeople : 1, sizeof(*e.in_at));
	e.out_at = ms_xcalloc(m.npeople ? m.npeople : 1, sizeof(*e.out_at));
	for (size_t i = 0; i < m.nposts; i++)
		if (m.post_comment_off[i + 1] - m.post_comment_off[i] > most)
			most = m.post_comment_off[i + 1] -
			       m.post_comment_off[i];
	e.th = ms_xmalloc(most * sizeof(*e.th));
	e.ans = ms_xmalloc(most * sizeof(*e.ans));
	own_posts(&e, who);
	for (uint32_t i = 0; i < m.nposts; i++)
		thread(&e, i);
	name_posts(&e, &e.comments);
	name_posts(&e, &e.replies);
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
	free(e.cspam);
	free(e.in_at);
	free(e.out_at);
	free(e.th);
	free(e.ans);
	free(run.st);
	rk_model_release(&m);
	free(ids);
	free(labels);
	ms_person_evidence_free(o);
	return rc;
}
