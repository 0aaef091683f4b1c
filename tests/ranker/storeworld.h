/*
 * storeworld.h — a store in a temporary directory filled the way the
 * analyzer's ingest fills it (people merged by ident, posts keyed by URL,
 * comments by id, the feeds they came from), for the tests of ms_rank_run
 * and ms_rank_view.
 */
#ifndef MS_TESTS_RANKER_STOREWORLD_H
#define MS_TESTS_RANKER_STOREWORLD_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "ranker/internal.h"
#include "ranker/ranker.h"
#include "store/store.h"
#include "tests/lib/testutil.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define S_NOW 1700000000LL
#define S_DAY 86400LL
#define S_FN static __attribute__((unused))

struct sworld {
	char *dir;
	struct ms_store *st;
	struct ms_config *cfg;
	struct ms_batch *b;
	struct ms_rank_stats stats;
};

S_FN struct sworld *
s_new(void)
{
	struct sworld *w = ms_xcalloc(1, sizeof(*w));
	struct ms_err err = { 0 };

	w->dir = ms_test_tmpdir("ranker");
	cr_assert_eq(ms_store_open(w->dir, MS_STORE_CREATE, 64u << 20, &w->st,
				   &err), MS_OK, "%s", err.msg);
	cr_assert_eq(ms_config_defaults(&w->cfg, &err), MS_OK, "%s", err.msg);
	w->b = ms_store_batch_new(w->st);
	return w;
}

S_FN void
s_free(struct sworld *w)
{
	if (w->b)
		ms_store_batch_free(w->b);
	ms_store_close(w->st);
	ms_config_free(w->cfg);
	ms_test_rmrf(w->dir);
	free(w->dir);
	free(w);
}

S_FN struct ms_hash
s_key(const char *ident)
{
	struct ms_hash k;

	ms_key_person(ident, &k);
	return k;
}

S_FN void
s_me(struct sworld *w, const char *blog)
{
	free(w->cfg->me.blog);
	w->cfg->me.blog = ms_xstrdup(blog);
}

/* A person; feed also becomes a user-subscribed feed record. */
S_FN void
s_person(struct sworld *w, const char *ident, const char *name,
	 const char *site, const char *feed, const char *profiles)
{
	struct ms_person_rec p = { 0 };

	p.ident = ident;
	p.name = name;
	p.site = site;
	p.feed = feed;
	p.profiles = profiles;
	p.flags = MS_PERSON_AUTHOR;
	p.first_seen = p.last_seen = S_NOW - 400 * S_DAY;
	ms_batch_merge_person(w->b, &p);
	if (feed) {
		struct ms_feed_rec f = { 0 };

		f.url = feed;
		f.kind = MS_FEED_USER;
		f.added = f.last_fetch = f.last_ok = f.next_fetch = S_NOW;
		ms_batch_put_feed(w->b, &f);
	}
}

S_FN void
s_post(struct sworld *w, const char *url, const char *author,
       const char *title, const char *topics, const char *links,
       double days_ago, int open, const char *lang)
{
	struct ms_post_rec p = { 0 };

	p.author = s_key(author);
	p.url = url;
	p.id = url;
	p.title = title;
	p.topics = topics;
	p.links = links;
	p.lang = lang ? lang : "en";
	p.summary = title;
	p.published = S_NOW - (int64_t)(days_ago * S_DAY);
	p.updated = p.seen = p.published;
	p.comment_count = -1;
	p.comments_open = (int8_t)open;
	ms_batch_put_post(w->b, &p);
}

/* A comment minutes after a post published days_ago days before now. */
S_FN void
s_comment(struct sworld *w, const char *id, const char *post_url,
	  double days_ago, const char *author, const char *parent,
	  double minutes)
{
	struct ms_comment_rec c = { 0 };

	ms_key_post(post_url, &c.post);
	c.author = s_key(author);
	if (parent)
		ms_key_comment(parent, &c.parent);
	c.id = id;
	c.post_url = post_url;
	c.in_reply_to = parent;
	c.published = S_NOW - (int64_t)(days_ago * S_DAY) +
		      (int64_t)(minutes * 60);
	ms_batch_put_comment(w->b, &c);
}

S_FN void
s_rank(struct sworld *w)
{
	struct ms_err err = { 0 };

	if (w->b) {
		cr_assert_eq(ms_store_batch_commit(w->b, &err), MS_OK, "%s",
			     err.msg);
		w->b = NULL;
	}
	cr_assert_eq(ms_rank_run(w->st, w->cfg, S_NOW, &w->stats, &err),
		     MS_OK, "%s", err.msg);
	w->b = ms_store_batch_new(w->st);
}

S_FN struct ms_view *
s_view(struct sworld *w, const char *topic, size_t limit)
{
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };

	o.topic = topic;
	o.limit = limit;
	cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK, "%s",
		     err.msg);
	return v;
}

S_FN const struct ms_candidate *
s_cand(const struct ms_view *v, const char *ident)
{
	struct ms_hash k = s_key(ident);
	char hex[33];

	ms_hash_hex(&k, hex);
	for (size_t i = 0; i < v->ncands; i++)
		if (!strcmp(v->cands[i].person, hex))
			return &v->cands[i];
	return NULL;
}

S_FN int
s_has_step(const struct ms_candidate *c, enum ms_step_action a,
	   const char *url)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->steps[i].action == a &&
		    (!url || !strcmp(c->steps[i].url, url)))
			return 1;
	return 0;
}

/* n HR posts by a blogger, one every `every` days from `first` days ago;
 * each gets a comment from reader and, when answer, the author's reply. */
S_FN void
s_blog(struct sworld *w, const char *name, int n, double first, double every,
       const char *reader, int answer)
{
	char ident[128], site[128], feed[128];

	snprintf(ident, sizeof(ident), "site:%s.example", name);
	snprintf(site, sizeof(site), "https://%s.example/", name);
	snprintf(feed, sizeof(feed), "https://%s.example/feed/", name);
	s_person(w, ident, name, site, feed, NULL);
	for (int i = 0; i < n; i++) {
		char url[160], id[160], rid[160], title[64];
		double d = first + every * i;

		snprintf(url, sizeof(url), "https://%s.example/%d", name, i);
		snprintf(title, sizeof(title), "%s on hiring %d", name, i);
		s_post(w, url, ident, title, "hr=2", NULL, d, 1, "en");
		if (!reader)
			continue;
		snprintf(id, sizeof(id), "%s-c%d", name, i);
		s_comment(w, id, url, d, reader, NULL, 30);
		if (answer) {
			snprintf(rid, sizeof(rid), "%s-r%d", name, i);
			s_comment(w, rid, url, d, ident, id, 90);
		}
	}
}

#endif
