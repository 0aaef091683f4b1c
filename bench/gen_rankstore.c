/*
 * gen_rankstore.c — a large deterministic store for the rank benchmark,
 * written straight through the store's batch API (no web, no crawl): the
 * records the analyzer would have stored after crawling a big
 * blogosphere.
 *
 *   gen_rankstore --db DIR [--people 100000] [--posts 1000000]
 *                 [--comments 2.0] [--subscribed 1000] [--seed 1]
 *                 [--now UNIX_TIME]
 *
 * People: 70 % bloggers (a site, a feed, one to a few hundred posts with
 * a heavy tail), the rest commenters with a site but no posts.  Every
 * blogger has a main topic of the default taxonomy and sometimes a second
 * one; a post names one or two topics with analyzer-like weights.  Posts
 * link 0-3 other blogs' posts, targets chosen by preferential attachment
 * within the topic (a few blogs get most links).  Comments: --comments per
 * post on average, by other people, a third of the bloggers answering
 * most of them in threads.  The first --subscribed bloggers' feeds are the
 * user's.  Dates fall in the two years before --now (default: the time of
 * the run).  Prints the counts written.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "store/store.h"
#include "util/err.h"
#include "util/hash.h"

#define DAY 86400
#define BATCH 40000

static uint64_t state;

static uint64_t
next(void)	/* splitmix64 */
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unit(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static uint32_t
below(uint32_t n)
{
	return n ? (uint32_t)(next() % n) : 0;
}

struct gen {
	struct ms_store *st;
	struct ms_batch *b;
	struct ms_err err;
	uint32_t people, bloggers, ntopics, subscribed;
	const char **topics;
	uint32_t *main_topic, *second_topic, *nposts;
	uint8_t *answers;
	uint32_t **by_topic;	/* bloggers per topic, popular first */
	uint32_t *ntopic;
	int64_t now;
	size_t written;
};

static void
flush(struct gen *g, int force)
{
	if (!force && ms_batch_ops(g->b) < BATCH)
		return;
	if (ms_store_batch_commit(g->b, &g->err)) {
		fprintf(stderr, "gen_rankstore: %s\n", g->err.msg);
		exit(1);
	}
	g->b = ms_store_batch_new(g->st);
}

static void
site_of(char *out, size_t n, uint32_t who)
{
	snprintf(out, n, "https://b%06u.example/", who);
}

/* A target for a link or a comment in topic t: the popular bloggers of
 * the topic far more often than the rest (rank r with weight ~ 1/r). */
static uint32_t
popular(struct gen *g, uint32_t t)
{
	uint32_t n = g->ntopic[t];
	double u = unit();

	if (!n)
		return below(g->bloggers);
	/* inverse of the continuous 1/r distribution over 1..n */
	return g->by_topic[t][(uint32_t)(expm1(u * log1p((double)n)))];
}

static void
people(struct gen *g)
{
	char ident[64], site[64], feed[80], name[32];

	for (uint32_t i = 0; i < g->people; i++) {
		struct ms_person_rec p = { 0 };
		struct ms_feed_rec f = { 0 };

		site_of(site, sizeof(site), i);
		snprintf(ident, sizeof(ident), "site:b%06u.example", i);
		snprintf(feed, sizeof(feed), "%sfeed/", site);
		snprintf(name, sizeof(name), "Person %u", i);
		p.ident = ident;
		p.name = name;
		p.site = site;
		p.first_seen = p.last_seen = g->now;
		p.flags = MS_PERSON_COMMENTER;
		if (i < g->bloggers) {
			p.feed = feed;
			p.flags |= MS_PERSON_AUTHOR;
			if (i % 5 == 0)
				p.profiles = "https://www.linkedin.com/in/x";
			f.url = feed;
			f.site = site;
			f.title = name;
			f.kind = i < g->subscribed ? MS_FEED_USER :
						     MS_FEED_SITE;
			f.depth = i < g->subscribed ? 0 : 1;
			f.added = f.last_fetch = f.last_ok = g->now;
			f.next_fetch = g->now + DAY;
			f.last_status = 200;
			ms_batch_put_feed(g->b, &f);
		}
		ms_batch_merge_person(g->b, &p);
		g->written++;
		flush(g, 0);
	}
}

/* Posts per blogger: a heavy tail around the mean, at least one. */
static void
plan(struct gen *g, uint64_t posts)
{
	double mean = (double)posts / g->bloggers, sum = 0;
	double *w = malloc(g->bloggers * sizeof(*w));
	uint64_t given = 0;

	for (uint32_t i = 0; i < g->bloggers; i++) {
		w[i] = -log(1 - unit() * 0.999) * mean;	/* exponential */
		sum += w[i];
	}
	for (uint32_t i = 0; i < g->bloggers; i++) {
		g->nposts[i] = 1 + (uint32_t)(w[i] / sum *
					      (double)(posts - g->bloggers));
		given += g->nposts[i];
	}
	/* what the rounding left, one each from the start */
	for (uint32_t i = 0; given < posts; i = (i + 1) % g->bloggers) {
		g->nposts[i]++;
		given++;
	}
	free(w);
	for (uint32_t i = 0; i < g->bloggers; i++) {
		uint32_t t = below(g->ntopics);

		g->main_topic[i] = t;
		g->second_topic[i] = unit() < 0.4 ? below(g->ntopics) : t;
		g->answers[i] = unit() < 0.33;
		g->by_topic[t][g->ntopic[t]++] = i;
	}
	/* popularity order within a topic: shuffled once, so the popular
	 * ones are not simply the low ids */
	for (uint32_t t = 0; t < g->ntopics; t++)
		for (uint32_t k = g->ntopic[t]; k > 1; k--) {
			uint32_t j = below(k), x = g->by_topic[t][k - 1];

			g->by_topic[t][k - 1] = g->by_topic[t][j];
			g->by_topic[t][j] = x;
		}
}

static void
post_url(char *out, size_t n, struct gen *g, uint32_t who, uint32_t k)
{
	(void)g;
	snprintf(out, n, "https://b%06u.example/%u/post-%u", who,
		 2024 + k % 3, k);
}

static void
posts_and_comments(struct gen *g, double comments_per_post,
		   size_t *nposts_out, size_t *ncomments_out)
{
	char url[96], links[4 * 96], topics[128], title[64], cid[128],
		pid[128], feed[80], ident[64];
	size_t nposts = 0, ncomments = 0;

	for (uint32_t i = 0; i < g->bloggers; i++) {
		struct ms_hash feedkey, author;

		snprintf(feed, sizeof(feed), "https://b%06u.example/feed/", i);
		snprintf(ident, sizeof(ident), "site:b%06u.example", i);
		ms_key_feed(feed, &feedkey);
		ms_key_person(ident, &author);
		for (uint32_t k = 0; k < g->nposts[i]; k++) {
			struct ms_post_rec p = { 0 };
			struct ms_hash postkey;
			uint32_t t = unit() < 0.8 ? g->main_topic[i] :
						    g->second_topic[i];
			uint32_t nl = below(4), nc;
			size_t ll = 0;
			int64_t when = g->now - (int64_t)(unit() * 730 * DAY);
			uint32_t top_c = 0;

			post_url(url, sizeof(url), g, i, k);
			ms_key_post(url, &postkey);
			snprintf(title, sizeof(title), "Post %u of %u", k, i);
			if (unit() < 0.3 && g->second_topic[i] != t)
				snprintf(topics, sizeof(topics), "%s=%.1f\n%s=%.1f",
					 g->topics[t], 1 + 4 * unit(),
					 g->topics[g->second_topic[i]],
					 0.5 + unit());
			else
				snprintf(topics, sizeof(topics), "%s=%.1f",
					 g->topics[t], 1 + 4 * unit());
			links[0] = '\0';
			for (uint32_t l = 0; l < nl; l++) {
				uint32_t to = popular(g, t);

				if (to == i)
					continue;
				ll += (size_t)snprintf(links + ll,
						       sizeof(links) - ll,
						       "%shttps://b%06u.example/"
						       "%u/post-%u", ll ? "\n" : "",
						       to, 2024 + l % 3,
						       below(g->nposts[to]));
			}
			p.feed = feedkey;
			p.author = author;
			p.url = url;
			p.id = url;
			p.title = title;
			p.lang = i % 7 == 0 ? "de" : "en";
			p.topics = topics;
			p.links = ll ? links : NULL;
			p.published = p.updated = when;
			p.seen = g->now;
			p.comments_open = unit() < 0.85;
			/* comments: geometric around the mean */
			nc = 0;
			while (unit() < comments_per_post /
						 (comments_per_post + 1) &&
			       nc < 200)
				nc++;
			p.comment_count = (int32_t)nc;
			ms_batch_put_post(g->b, &p);
			nposts++;
			for (uint32_t c = 0; c < nc; c++) {
				struct ms_comment_rec cr = { 0 };
				uint32_t by = unit() < 0.6 ? popular(g, t) :
					      below(g->people);
				char who[64];

				if (by == i)
					by = (by + 1) % g->people;
				snprintf(cid, sizeof(cid), "%s#c%u", url, c);
				snprintf(who, sizeof(who),
					 "site:b%06u.example", by);
				cr.post = postkey;
				ms_key_person(who, &cr.author);
				cr.id = cid;
				cr.post_url = url;
				cr.published = when + (int64_t)(unit() * 5 *
								 DAY);
				ms_batch_put_comment(g->b, &cr);
				ncomments++;
				top_c = c;
				/* the answering third replies to most */
				if (g->answers[i] && unit() < 0.7) {
					ms_key_comment(cid, &cr.parent);
					snprintf(pid, sizeof(pid), "%s#r%u",
						 url, top_c);
					cr.id = pid;
					cr.author = author;
					cr.by_post_author = 1;
					cr.published += (int64_t)(unit() * 2 *
								  DAY);
					ms_batch_put_comment(g->b, &cr);
					ncomments++;
				}
			}
			flush(g, 0);
		}
	}
	*nposts_out = nposts;
	*ncomments_out = ncomments;
}

int
main(int argc, char **argv)
{
	struct gen g = { 0 };
	struct ms_config *cfg = NULL;
	const char *db = NULL;
	uint64_t posts = 1000000;
	double cpp = 2.0;
	size_t np = 0, nc = 0;

	g.people = 100000;
	g.subscribed = 1000;
	g.now = (int64_t)time(NULL);
	state = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--people"))
			g.people = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--posts"))
			posts = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--comments"))
			cpp = strtod(argv[i + 1], NULL);
		else if (!strcmp(argv[i], "--subscribed"))
			g.subscribed = (uint32_t)strtoul(argv[i + 1], NULL,
							 10);
		else if (!strcmp(argv[i], "--seed"))
			state = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--now"))
			g.now = strtoll(argv[i + 1], NULL, 10);
	}
	g.bloggers = (uint32_t)(g.people * 0.7);
	if (!db || g.people < 10 || posts < g.bloggers || cpp < 0) {
		fprintf(stderr, "usage: gen_rankstore --db DIR [--people N "
			"(>= 10)] [--posts N (>= 0.7 x people)] [--comments "
			"PER_POST] [--subscribed N] [--seed S] [--now T]\n");
		return 2;
	}
	if (ms_config_defaults(&cfg, &g.err) ||
	    ms_store_open(db, MS_STORE_CREATE | MS_STORE_METASYNC, 0, &g.st,
			  &g.err)) {
		fprintf(stderr, "gen_rankstore: %s\n", g.err.msg);
		return 1;
	}
	g.ntopics = (uint32_t)cfg->taxonomy.ntopics;
	g.topics = calloc(g.ntopics, sizeof(*g.topics));
	g.by_topic = calloc(g.ntopics, sizeof(*g.by_topic));
	g.ntopic = calloc(g.ntopics, sizeof(*g.ntopic));
	for (uint32_t t = 0; t < g.ntopics; t++) {
		g.topics[t] = cfg->taxonomy.topics[t].id;
		g.by_topic[t] = malloc(g.bloggers * sizeof(uint32_t));
	}
	g.main_topic = calloc(g.bloggers, sizeof(uint32_t));
	g.second_topic = calloc(g.bloggers, sizeof(uint32_t));
	g.nposts = calloc(g.bloggers, sizeof(uint32_t));
	g.answers = calloc(g.bloggers, 1);
	g.b = ms_store_batch_new(g.st);
	plan(&g, posts);
	people(&g);
	posts_and_comments(&g, cpp, &np, &nc);
	flush(&g, 1);
	ms_store_batch_free(g.b);
	printf("{\"people\": %u, \"bloggers\": %u, \"posts\": %zu, "
	       "\"comments\": %zu, \"subscribed\": %u, \"now\": %lld}\n",
	       g.people, g.bloggers, np, nc, g.subscribed, (long long)g.now);
	ms_store_close(g.st);
	for (uint32_t t = 0; t < g.ntopics; t++)
		free(g.by_topic[t]);
	free(g.by_topic);
	free(g.ntopic);
	free(g.topics);
	free(g.main_topic);
	free(g.second_topic);
	free(g.nposts);
	free(g.answers);
	ms_config_free(cfg);
	return 0;
}
