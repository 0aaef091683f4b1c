/*
 * ranker.h — scores every person per topic from what the store holds and
 * keeps a topic-sorted index, so `discover` reads the top k without a scan
 * (RANKING.md is the design; DESIGN.md the contract).
 *
 *   model.c     the store read once into flat arrays with dense ids
 *               (map.c: the hash maps behind it)
 *   identity.c  people merged by site, profiles; the config's `me`; links
 *               resolved to the person owning the longest site prefix
 *   signals.c   focus, responsiveness, audience, activity, reachability
 *   pagerank.c  authority: PageRank over the people graph (global and
 *               personalized per topic)
 *   spam.c      link rings excluded, splogs and comment spam damped
 *   steps.c     engagement steps and the relationship stage with `me`
 *   network.c   the 5–6 person developmental network across roles
 *   compute.c   one ranking over the model: the passes, gates, records
 *   rank.c      ms_rank_run: store → model → compute → a new generation
 *   view.c      ms_rank_view: candidates for discover/report/explain
 *   match.c     discover --match: an ad-hoc pattern over stored posts
 *   evidence.c  ms_rank_evidence: the posts, comments, replies and the
 *               people graph (derived, not stored) behind a person, for
 *               explain
 *
 * The internals (and the formulas' tests) are in ranker/internal.h.
 */
#ifndef MS_RANKER_RANKER_H
#define MS_RANKER_RANKER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct ms_err;
struct ms_config;
struct ms_topic;

/* ------------------------------------------------------------ ranking */

/*
 * The topic of the records that score a person over all their posts
 * (global PageRank, every post): `explain` shows it as "overall" and
 * `discover --match` combines it with the focus on the ad-hoc pattern.
 * Taxonomy ids are [a-z0-9-]+, so it never collides with one.
 */
#define MS_RANK_OVERALL "*"

struct ms_rank_stats {
	size_t people;		/* after identity merges */
	size_t topics;		/* taxonomy topics with candidates */
	size_t scores;		/* records written */
	size_t edges;		/* people-graph edges */
	unsigned pagerank_iterations;	/* global run */
	double seconds;
	/* where the time went: reading the store, ranking, writing */
	double load_seconds, score_seconds, write_seconds;
	unsigned topic_iterations;	/* all personalized runs */
};

/*
 * Re-rank the whole store for every topic of cfg's taxonomy (and the
 * overall "*" records) into a new generation, then switch to it in one
 * commit (a killed run leaves the previous ranking in force), and update
 * the people merged by identity (their profiles united, `me` flagged).
 * The people graph is not stored (the links table is emptied in the
 * switching commit): ms_rank_evidence derives it when explain asks.  now
 * is "today" for recency.  Below the evidence gate (fewer than 3 on-topic
 * posts) a person scores 0 and is written only while the topic has fewer
 * than 30 real candidates; a person excluded as spam (a link ring) is in
 * no topic's list, only their overall record says why.
 * Errors: MS_ESTORE, MS_ECORRUPT, MS_EFULL (from the store).
 */
int ms_rank_run(struct ms_store *st, const struct ms_config *cfg,
		int64_t now, struct ms_rank_stats *stats, struct ms_err *err);

/*
 * PageRank (damping d, iterate until the L1 change < eps or maxiter,
 * dangling mass spread by the personalization vector, or uniformly when
 * pers is NULL) over n nodes and m weighted edges src[i] → dst[i].
 * Writes n ranks summing to 1 into rank.  Returns the iterations used.
 * Exposed for tests on hand-computed graphs.
 */
unsigned ms_pagerank(size_t n, size_t m, const uint32_t *src,
		     const uint32_t *dst, const double *w, const double *pers,
		     double d, double eps, unsigned maxiter, double *rank);

/* ------------------------------------------------------ candidate view */

enum ms_step_action {
	MS_STEP_FOLLOW, MS_STEP_COMMENT, MS_STEP_LINK, MS_STEP_SHARE,
	MS_STEP_REPLY,	/* answer their reply to you */
	MS_STEP_CONNECT,	/* reach out on a profile */
};
/* "follow", "comment", ... in enum order. */
extern const char *const ms_step_names[];

struct ms_step {
	enum ms_step_action action;
	const char *url;	/* http(s) only */
	const char *title;	/* the post's title for comment/link steps */
	const char *why;	/* "answered 8 of 10 commenters, median 5 h" */
};

enum ms_stage {
	MS_STAGE_NONE = 0,	/* no `me` configured */
	MS_STAGE_NOT_CONTACTED,
	MS_STAGE_ENGAGED,	/* you commented on their posts */
	MS_STAGE_NOTICED,	/* they replied to you */
	MS_STAGE_CONNECTED,	/* they linked to your blog */
};
extern const char *const ms_stage_names[];

enum ms_role {
	MS_ROLE_NONE = 0, MS_ROLE_ADVISER, MS_ROLE_CONNECTOR, MS_ROLE_IDEAS,
	MS_ROLE_PEER,
};
extern const char *const ms_role_names[];

struct ms_candidate {
	unsigned rank;
	char person[33];	/* stable id: hex of the people key */
	const char *name;
	const char *site;
	const char *feed;
	const char **profiles;
	size_t nprofiles;
	double score;
	double signals[MS_SIGNALS];
	int64_t evidence[MS_EVIDENCE];
	const char **notes;	/* spam damping and other reasons */
	size_t nnotes;
	struct ms_step *steps;
	size_t nsteps;
	enum ms_stage stage;
	enum ms_role role;	/* network view only */
	const char *role_why;
	const char *lang;	/* main language of their posts */
	const char *topic;	/* the topic this score is for (explain
				   lists one candidate per topic) */
};

/* A ranked list as discover/report/explain show it; strings live in the
 * arena. */
struct ms_view {
	struct ms_arena arena;
	const char *topic;	/* topic id, or "match" for --match */
	const char *topic_label;
	int64_t generated;	/* when the ranking was computed */
	struct ms_candidate *cands;
	size_t ncands;
};

struct ms_view_opts {
	const char *topic;		/* a taxonomy topic id ... */
	const struct ms_topic *match;	/* ... or an ad-hoc pattern */
	size_t limit;			/* 0 = 10 */
	const char *lang;		/* only people writing in it */
	int network;			/* pick 5-6 across roles */
	const char *person;		/* explain: one id/name/site */
};

/*
 * Build the view, in one of four modes:
 *
 *   topic    (o->topic) the top o->limit of the topic's index, best first,
 *            only people writing in o->lang when given: no scan;
 *   network  (o->topic, o->network) 5–6 picks from the top 50 across
 *            roles, each with role and role_why; o->limit is ignored;
 *   match    (o->match) discover --match: ranked on the ad-hoc pattern by
 *            reading every stored post (topic "match");
 *   person   (o->person, an id, ident, site or profile URL, or name) the
 *            person's scores for explain: one candidate per topic (its
 *            `topic` set, `rank` its place there), the topics past the
 *            evidence gate best first, then the overall ("*") record,
 *            which notes the topics below the gate; with o->topic only
 *            that topic.  topic_label is the person's name.
 *
 * Errors: MS_ENOTFOUND (an unknown topic: the message lists the nearest
 * ids; no such person), MS_EUSAGE (no topic given; a name several people
 * share: the message lists them), MS_ESTORE, MS_ECORRUPT.  An empty
 * ranking (no crawl yet) is not an error: ncands is 0 and generated is
 * MS_TIME_NONE.
 */
int ms_rank_view(struct ms_store *st, const struct ms_config *cfg,
		 const struct ms_view_opts *o, struct ms_view **out,
		 struct ms_err *err);
void ms_view_free(struct ms_view *v);
/* MS_OK when id is a topic of cfg's taxonomy, else MS_ENOTFOUND with the
 * message ms_rank_view gives ("unknown topic 'x'; did you mean: ..."):
 * for checking a command line before the store is opened. */
int ms_rank_topic_check(const struct ms_config *cfg, const char *id,
			struct ms_err *err);

/* ------------------------------------------------------------ evidence */

/* One piece of evidence behind a person's signals (explain). */
struct ms_evidence_item {
	const char *url;	/* the post it is about (http(s) only) */
	const char *title;	/* the post's title */
	const char *who;	/* the other person: name, else their site */
	const char *kind;	/* links: "post links", "comments",
				   "replies", joined with ", " */
	const char *topics;	/* posts: their "topic=weight" '\n' list */
	int64_t when;		/* published, or the link's last event */
	int64_t count;		/* posts: comments; links: events */
	int open;		/* posts: comments_open (-1, 0, 1) */
};

struct ms_person_evidence {
	struct ms_arena arena;
	char person[33];	/* the id discover shows */
	const char *ident, *name, *site, *feed;
	const char **aliases;	/* idents merged into this person */
	size_t naliases;
	/* newest first, at most `max` of each; the totals count them all */
	struct ms_evidence_item *posts;		/* they wrote */
	struct ms_evidence_item *comments;	/* they left on others' posts */
	struct ms_evidence_item *replies;	/* they left on their own */
	struct ms_evidence_item *links_in;	/* people graph, to them */
	struct ms_evidence_item *links_out;	/* from them */
	size_t nposts, ncomments, nreplies, nlinks_in, nlinks_out;
	size_t total_posts, total_comments, total_replies, total_links_in,
		total_links_out;
};

/*
 * The evidence behind one person (an id, an ident, a site or profile URL,
 * or a name; aliases merged): their posts, the comments they left, their
 * replies on their own posts, and the people graph around them (the
 * edges the ranking walks, derived from posts and comments).  Reads the
 * whole store into the ranker's model (explain is not on the fast
 * path).  Errors:
 * MS_ENOTFOUND (no such person), MS_EUSAGE (a name several people
 * have), MS_ESTORE, MS_ECORRUPT.  Free with ms_person_evidence_free().
 */
int ms_rank_evidence(struct ms_store *st, const struct ms_config *cfg,
		     const char *person, size_t max,
		     struct ms_person_evidence **out, struct ms_err *err);
void ms_person_evidence_free(struct ms_person_evidence *e);

#endif
