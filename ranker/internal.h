/*
 * internal.h — the ranker's in-memory model and the pure functions behind
 * ms_rank_run, shared by the ranker's files and its tests (no other
 * module includes it).
 *
 * rank.c reads the store once into a struct rk_model: people with dense
 * ids (a hash map from the 128-bit people key), posts and comments in
 * flat arrays, topic weights and resolved link targets in side arrays.
 * Everything after that (identity, signals, PageRank, spam, steps, roles)
 * works on the model only, so tests build models by hand and check the
 * arithmetic without a store.
 */
#ifndef MS_RANKER_INTERNAL_H
#define MS_RANKER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "config/config.h"
#include "ranker/ranker.h"
#include "store/store.h"
#include "util/arena.h"

struct ms_buf;

#define RK_NONE UINT32_MAX

/* Defaults of RANKING.md; the ones users may want live in the config. */
#define RK_MIN_ON_TOPIC 3	/* G_evidence: on-topic posts needed */
#define RK_PRIOR_A 5.0		/* shrinkage strength (focus, replies) */
#define RK_DAMPING 0.85
#define RK_EPS 1e-4		/* PageRank: stop at this L1 change */
#define RK_MAXITER 200
#define RK_EDGE_CAP 3.0		/* one source adds at most this to a target */
#define RK_SMALL_N 30		/* fewer candidates: saturate, not percentile */
#define RK_HALF_COUNT 5.0	/* saturation x_half for people counts */
#define RK_HALF_COMMENTS 3.0	/* ... for median comments per post */
#define RK_HALF_AUTH 1.0	/* ... for PageRank over the topic median */
#define RK_COMMENT_DAYS 90	/* a "recent" post to comment on */
#define RK_DORMANT_DAYS 365
#define RK_DORMANT_GATE 0.2
#define RK_DEFAULT_P0 0.3	/* reply-rate prior with no data at all */

/* Score record flags (ms_score_rec.flags, "ranker-defined"): four role
 * affinities quantized to 6 bits each, then reason bits. */
#define RK_ROLE_BITS 6
#define RK_ROLE_MAX ((1u << RK_ROLE_BITS) - 1)
#define RK_FLAG_ROLE(f, r) (((f) >> (((r) - 1) * RK_ROLE_BITS)) & RK_ROLE_MAX)
enum rk_flag {
	RK_F_SPAM = 1u << 24,		/* damped by a spam guard */
	RK_F_POD = 1u << 25,		/* engagement pod: no roles */
	RK_F_THIN = 1u << 26,		/* below min_on_topic */
	RK_F_DORMANT = 1u << 27,	/* no post in a year */
	RK_F_RING = 1u << 28,		/* reciprocal-only link ring */
	RK_F_EXCLUDED = 1u << 29,	/* G_spam = 0: in no topic's list */
};

/* Spam reasons per person (rk_state.spam). */
enum rk_spam {
	RK_S_COMMENTS = 1 << 0,	/* comment spam pattern */
	RK_S_OUTBOUND = 1 << 1,	/* only outbound links */
	RK_S_CONCENTRATED = 1 << 2,	/* links pile onto very few sites */
	RK_S_RING = 1 << 3,	/* reciprocal-only link ring */
	RK_S_POD = 1 << 4,	/* engagement pod */
};

/* Identity kinds, in order of preference for the merged identity. */
enum rk_ident_kind { RK_ID_SITE, RK_ID_PROFILE, RK_ID_NAME, RK_ID_OTHER };

/* ------------------------------------------------------------ hash maps */

/* 128-bit key → u32 (open addressing, linear probing). */
struct rk_hslot {
	struct ms_hash k;
	uint32_t v;		/* RK_NONE: empty */
};
struct rk_hmap {
	struct rk_hslot *slots;
	size_t cap, n;		/* cap is a power of two */
};
void rk_hmap_init(struct rk_hmap *m, size_t expect);
void rk_hmap_release(struct rk_hmap *m);
uint32_t rk_hmap_get(const struct rk_hmap *m, const struct ms_hash *k);
/* Insert k → v unless k is there; returns the value now stored. */
uint32_t rk_hmap_put(struct rk_hmap *m, const struct ms_hash *k, uint32_t v);

/* String (borrowed: it must outlive the map) → u32. */
struct rk_sslot {
	uint64_t h;
	const char *s;		/* NULL: empty */
	uint32_t len;
	uint32_t v;
};
struct rk_smap {
	struct rk_sslot *slots;
	size_t cap, n;
};
void rk_smap_init(struct rk_smap *m, size_t expect);
void rk_smap_release(struct rk_smap *m);
uint32_t rk_smap_get(const struct rk_smap *m, const char *s, size_t len);
uint32_t rk_smap_put(struct rk_smap *m, const char *s, size_t len,
		     uint32_t v);

/* ---------------------------------------------------------------- model */

struct rk_person {
	struct ms_hash key;	/* the people key of this record */
	const char *ident, *name, *site, *feed, *profiles;
	const char *site_id;	/* ms_url_site form "host/path", or NULL */
	uint32_t flags;		/* enum ms_person_flags */
	uint32_t canon;		/* the merged person this one belongs to */
	uint8_t kind;		/* enum rk_ident_kind */
	uint8_t changed;	/* merged fields differ from the store's */
};

struct rk_topic_w {
	uint16_t topic;
	float w;		/* the analyzer's weight (> 0) */
	float credit;		/* what the post counts for the topic */
};

struct rk_post {
	struct ms_hash key;
	const char *url, *title;	/* NULL unless the model keeps text */
	uint32_t author;	/* canonical person, RK_NONE unknown */
	uint32_t topic_off, link_off;	/* into m->tw, m->links */
	uint16_t ntopic, nlink;
	uint16_t nraw_links;	/* before resolution to people */
	uint16_t cited;		/* links to it from other people's posts */
	int64_t published;
	int32_t comment_count;	/* -1 unknown */
	int8_t comments_open;	/* -1 unknown, 0 closed, 1 open */
	uint8_t lang;		/* index into m->langs; 0 unknown */
	uint8_t seed;		/* from a feed the user subscribed */
};

struct rk_comment {
	uint64_t id, parent;	/* first 64 key bits; parent 0 = top level */
	uint32_t post;		/* index into m->posts */
	uint32_t author;	/* canonical person, RK_NONE unknown */
	int64_t published;
	uint8_t by_author;	/* the engine marked it the post author's */
};

/* What the post text callback returns must stay valid until the next
 * call. */
typedef int (*rk_post_text_fn)(void *ctx, const struct ms_hash *key,
			       const char **url, const char **title);

struct rk_model_conf {
	int64_t now;
	struct ms_weights weights;	/* half_life_days, recent_days too */
	unsigned min_on_topic;		/* 0: RK_MIN_ON_TOPIC */
	size_t ntopics;
	const char *const *topic_ids;
	const char *const *topic_labels;	/* may be NULL */
	int keep_text;			/* copy post url/title (tests) */
	rk_post_text_fn post_text;	/* else fetch them lazily */
	void *post_text_ctx;
};

struct rk_model {
	struct ms_arena arena;
	struct rk_model_conf c;
	struct rk_smap topic_map;

	struct rk_person *people;
	size_t npeople, people_cap;
	struct rk_hmap pmap;		/* people key → dense id */
	uint32_t me;			/* canonical id of the user, or NONE */
	uint32_t *alias_off, *alias_idx;	/* people merged into each */
	struct rk_smap sites;		/* site id → canonical person */
	struct rk_smap hosts;		/* site host → deepest site depth */

	struct rk_post *posts;
	size_t nposts, posts_cap;
	struct rk_hmap postmap;
	struct rk_topic_w *tw;
	size_t ntw, tw_cap;
	uint32_t *links;
	size_t nlinks, links_cap;
	struct ms_hash *cites;		/* post keys of resolved links */
	size_t ncites, cites_cap;

	struct rk_comment *comments;
	size_t ncomments, comments_cap;

	const char *langs[256];
	size_t nlangs;

	/* rk_model_finish moves the posts into author order (each author's
	 * by time, unknown authors last) and the comments into post order
	 * (each thread by time), so both orders are the identity and kept
	 * for readers; the offsets say where each author's and thread's
	 * run starts.  Indexes taken before finish are void after it. */
	uint32_t *post_order, *person_post_off;	/* npeople + 1 */
	uint32_t *comment_order, *post_comment_off;	/* nposts + 1 */
	int finished;
};

void rk_model_init(struct rk_model *m, const struct rk_model_conf *c);
/* Size the maps and arrays for what is coming (before any add). */
void rk_model_reserve(struct rk_model *m, size_t people, size_t posts,
		      size_t comments);
void rk_model_release(struct rk_model *m);
/* Add a people record (strings copied); a key seen before returns the id
 * it got then.  Call every person, then rk_identity_resolve, then posts,
 * then comments, then rk_model_finish. */
uint32_t rk_model_add_person(struct rk_model *m, const struct ms_hash *key,
			     const struct ms_person_rec *r);
/* seed: the post came from a feed the user subscribed. */
uint32_t rk_model_add_post(struct rk_model *m, const struct ms_hash *key,
			   const struct ms_post_rec *r, int seed);
/* A comment on a post not in the model is dropped (returns RK_NONE). */
uint32_t rk_model_add_comment(struct rk_model *m, const struct ms_hash *key,
			      const struct ms_comment_rec *r);
void rk_model_finish(struct rk_model *m);
/* The post's URL and title (NULLs when unknown). */
void rk_post_text(const struct rk_model *m, uint32_t post, const char **url,
		  const char **title);
uint32_t rk_person_of(const struct rk_model *m, const struct ms_hash *key);
const char *rk_topic_label(const struct rk_model *m, size_t topic);

/* ------------------------------------------------------------- identity */

/* The ident kind of a people ident string. */
enum rk_ident_kind rk_ident_kind(const char *ident);
/*
 * Merge people who are one person (a shared site, a profile URL of a site
 * owner, a name written on their own host), add the config's `me` (a new
 * node when the store does not know them yet) and build the site map for
 * link resolution.  The merged person's fields unite its aliases'
 * (profiles, and name, site, feed where missing; `changed` set).  Sets
 * m->me and m->alias_off/alias_idx.
 */
void rk_identity_resolve(struct rk_model *m, const struct ms_me *me);
/* The canonical person whose site is the longest prefix of url's site
 * form (on path-segment boundaries), or RK_NONE. */
uint32_t rk_identity_site_owner(const struct rk_model *m, const char *url);
/* The site form of a URL already in the crawler's normal form, into out
 * (a string slice, no CURLU): "host/path" without scheme, "www.", query,
 * fragment or trailing slash.  Returns its length, or 0 when the URL is
 * not in normal form and needs ms_url_site. */
size_t rk_site_slice(const char *url, char *out, size_t outsz);

/*
 * The canonical person a user names on the command line: the 32-hex id
 * that discover prints, an ident ("site:...", "profile:...", "name:..."),
 * a site or profile URL (or a site without scheme), or a name
 * (case-insensitive; unique, or an error listing the matches).  Errors:
 * MS_ENOTFOUND, MS_EUSAGE (ambiguous name).
 */
int rk_find_person(const struct rk_model *m, const char *arg, uint32_t *who,
		   struct ms_err *err);

/* ------------------------------------------------------------- pagerank */

struct rk_graph {
	size_t n, m;
	uint32_t *off;		/* n + 1, CSR by source */
	uint32_t *dst;
	float *w;		/* walk weight; 0: not walked */
};
void rk_graph_release(struct rk_graph *g);
/*
 * PageRank on g; rank holds the start vector (sum 1) and receives the
 * result.  pers (sum 1, or NULL for uniform) is the teleport vector and
 * receives the dangling mass.  Returns the iterations run.
 */
unsigned rk_pagerank(const struct rk_graph *g, const double *pers, double d,
		     double eps, unsigned maxiter, double *rank);
/*
 * k PageRanks on g, one per teleport vector, RK_PR_LANES at a time: each
 * pass over the edges serves a group of columns, which is what makes a
 * run per topic cheap.  pers and rank are k × n floats in groups of
 * RK_PR_LANES columns: column j of node i at
 *   [(j / RK_PR_LANES) * n * RK_PR_LANES + i * RK_PR_LANES + j % LANES];
 * every column of pers sums to 1 (or is all 0: that column stays 0) and
 * rank holds the start vectors.  k is a multiple of RK_PR_LANES.  A
 * group iterates until each of its columns' L1 change is below eps;
 * returns the iterations of all groups.
 */
#define RK_PR_LANES 8
#define RK_PR_AT(n, i, j) (((j) / RK_PR_LANES) * (n) * RK_PR_LANES + \
			   (i) * RK_PR_LANES + (j) % RK_PR_LANES)
unsigned rk_pagerank_block(const struct rk_graph *g, size_t k,
			   const float *pers, double d, double eps,
			   unsigned maxiter, float *rank);

/* -------------------------------------------------------------- signals */

double rk_focus(double n_t, double n, double prior, unsigned months_on);
/* latency_h < 0: unknown. */
double rk_responsiveness(unsigned answered, unsigned with_comments, double p0,
			 double latency_h, int open);
double rk_activity(double days_since, unsigned months12, double half_life);
double rk_reachability(int open_recent, int has_feed, size_t nprofiles,
		       int has_contact);
double rk_saturate(double x, double half);
/* Mid-rank percentile of x in sorted[0..n). */
double rk_percentile(const double *sorted, size_t n, double x);
/* Median of v[0..n) (sorted in place); 0 for n = 0. */
double rk_median(double *v, size_t n);
/* Wilson lower bound of k successes in n at z (1.645: 90 %). */
double rk_wilson_lower(unsigned k, unsigned n, double z);

/*
 * Replies on one post: for each comment in cs[0..n) (time order) whether
 * it is by others (not the author, not spam) and which of those an
 * author comment answered.  A threaded reply answers its parent; an
 * unthreaded author comment answers every earlier unanswered one.
 * is_spam may be NULL.  Fills answered_by[i] (the answering comment index
 * or RK_NONE; for the author's own comments RK_NONE too) and the counts.
 */
struct rk_talk {
	uint32_t others;	/* comments by others */
	uint32_t commenters;	/* distinct people among them */
	uint32_t answered;	/* of the others' comments */
	uint32_t answered_commenters;
	uint32_t replies;	/* the author's comments that answered */
};
void rk_post_talk(const struct rk_comment *const *cs, size_t n,
		  uint32_t author, const unsigned char *is_spam_person,
		  uint32_t *answered_by, struct rk_talk *t);

/* qsort that accepts empty (NULL) arrays. */
static inline void
rk_sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

/* "s" unless n is 1, for the plurals of notes and reasons. */
#define RK_S(n) ((n) == 1 ? "" : "s")
/* "person" or "people". */
#define RK_PEOPLE(n) ((n) == 1 ? "person" : "people")

/* --------------------------------------------------------- computation */

/* Per canonical person, what the passes gather. */
struct rk_state {
	uint32_t pt_off, npt;		/* into rk_run.pts */
	uint32_t nposts;
	int64_t first_post, last_post;
	uint32_t months12;
	uint32_t raw_links;		/* outbound links before resolution */
	uint32_t links_in, links_out;	/* distinct people, post links */
	uint32_t commented_on;		/* distinct blogs they comment on */
	uint32_t commenters;		/* distinct, on their posts */
	uint32_t comments_in;		/* others' comments on their posts */
	uint32_t spam_comments;		/* dropped from their posts */
	uint32_t cspam_blogs, cspam_days;
	uint32_t ring;			/* ring size when RK_S_RING */
	uint32_t conc_top, conc_total;	/* links to the top two targets */
	uint32_t topics_nb;		/* main topics of their neighbours */
	uint32_t engaged_post, noticed_post, connected_post;
	float recip;			/* commenters whose blogs they answer */
	float top5;			/* share of comments by the top five */
	float entropy;			/* of their topic mix, 0..1 */
	float damp;			/* product of spam damping */
	float trust;			/* TrustRank / PageRank (0: none) */
	uint16_t spam;			/* enum rk_spam */
	uint8_t recent_open;		/* comments open on recent posts */
	uint8_t lang;
	uint8_t stage;			/* enum ms_stage */
};

/* What one edge of the people graph carries. */
struct rk_edge {
	uint32_t nlink;		/* posts linking the target */
	uint32_t ncomment;	/* comments on the target's posts */
	uint32_t nreply;	/* answers to the target's comments */
	int64_t first, last;
};

/* Per (person, topic): the evidence and, after scoring, the result. */
struct rk_pt {
	uint32_t person;
	uint16_t topic;			/* m->c.ntopics: every post ("*") */
	uint8_t lang;
	float credit;			/* Σ min(1, w): on-topic posts */
	uint32_t posts_on;
	uint32_t months_on;
	uint32_t pwc, answered;		/* window: posts with comments */
	uint32_t comments, commenters;	/* window: others' comments */
	uint32_t talk_commenters, talk_answered;	/* Σ per post */
	uint32_t replies;
	uint32_t links_in;		/* distinct on-topic linkers */
	float median_lat_s;		/* -1 unknown */
	float median_comments;
	uint32_t comment_post, link_post, latest_post;
	uint8_t comment_answered;	/* the author answered on it */
	uint8_t written;		/* goes to the store (see compute.c) */
	double signals[MS_SIGNALS];
	double score;
	double affinity[5];		/* by enum ms_role */
	uint32_t flags;
};

struct rk_run {
	struct rk_model *m;
	struct rk_state *st;		/* npeople */
	struct rk_pt *pts;
	size_t npts, pts_cap;
	struct rk_graph g;		/* people graph, CSR by source */
	struct rk_edge *edge;		/* per edge of g */
	uint32_t *esrc;			/* per edge: its source */
	uint32_t *in_off, *in_e;	/* the same edges by target */
	uint64_t *tmask;		/* per person: topics they write on */
	size_t tmask_words;
	double *pr;			/* global PageRank */
	double *prior;			/* π_T per topic */
	double *p0;			/* reply-rate prior per topic */
	uint32_t *toff, *tidx;		/* results by topic (not `me`) */
	size_t nresults;
	unsigned iterations;		/* global PageRank */
	unsigned topic_iterations;	/* all personalized runs */
	size_t topics;			/* taxonomy topics with candidates */
	size_t edges;
	int trusted;			/* seeds exist: rk_state.trust is set */
};

/* Sinks for the results; each returns non-zero to stop the run. */
struct rk_sink {
	void *ctx;
	int (*score)(void *ctx, const struct ms_score_rec *r);
	/* the merged view of a person with aliases (profiles united) */
	int (*person)(void *ctx, const struct ms_hash *key,
		      const struct ms_person_rec *r);
};

/*
 * Score everyone for every topic of the model (rk_score: the source of
 * post texts is needed until it returns), then hand the records to the
 * sink (rk_emit: returns MS_OK or the sink's non-zero value); rk_compute
 * does both.  r is released by rk_run_release.
 */
void rk_score(struct rk_model *m, struct rk_run *r);
int rk_emit(struct rk_run *r, const struct rk_sink *sink);
int rk_compute(struct rk_model *m, const struct rk_sink *sink,
	       struct rk_run *r);
void rk_run_release(struct rk_run *r);

/* rank.c: the model's settings from the config (ids and labels are
 * malloc'd arrays for the caller to free). */
void rk_model_conf_from(struct rk_model_conf *c, const struct ms_config *cfg,
			int64_t now, const char ***ids, const char ***labels);
/* rank.c: people and identity only (explain, --match). */
int rk_load_people(struct ms_rtxn *t, const struct ms_config *cfg,
		   struct rk_model *m, struct ms_err *err);
/* rank.c: the whole model as a ranking reads it (explain's evidence);
 * m from rk_model_init, finished on return. */
int rk_load_model(struct ms_rtxn *t, const struct ms_config *cfg,
		  struct rk_model *m, struct ms_err *err);

/* spam.c: flags comment spammers (before the post pass). */
void rk_spam_commenters(struct rk_run *r, unsigned char *is_spam);
/* spam.c: graph rules (rings, outbound-only, concentration, pods); ring
 * edges get walk weight 0.  Needs rk_state.trust (rk_run.trusted). */
void rk_spam_graph(struct rk_run *r);
/* spam.c: G_spam = 0 (a link ring): the person is in no topic's list,
 * only their overall record says why. */
int rk_spam_excluded(const struct rk_run *r, uint32_t person);
/* spam.c: the notes lines of a person's spam reasons, appended to b. */
void rk_spam_notes(const struct rk_run *r, uint32_t person,
		   struct ms_buf *b);

/* steps.c: the steps string of one result ("action\turl\ttitle\twhy"
 * lines). */
void rk_steps_build(const struct rk_run *r, const struct rk_pt *pt,
		    struct ms_buf *b);
/* steps.c: the profile's network name ("LinkedIn") or its host. */
const char *rk_profile_network(const char *url, char *buf, size_t n);

/* network.c: role affinities of a scored result, and their reasons. */
void rk_roles(const struct rk_run *r, struct rk_pt *pt);
void rk_role_notes(const struct rk_run *r, const struct rk_pt *pt,
		   struct ms_buf *b);

/* network.c: "adviser", "connector", "ideas", "peer" (the keys of the
 * notes' role lines) → role; MS_ROLE_NONE otherwise. */
enum ms_role rk_role_of_key(const char *key, size_t n);

/* network.c: the pick among ranked candidates (view time). */
struct rk_pick_in {
	double score;
	double aff[5];		/* by enum ms_role; 0 for NONE */
	double signals[MS_SIGNALS];
	const char *host;	/* site host, for near-duplicates */
	int excluded;		/* pods: never picked */
};
/*
 * Greedy role coverage over in[0..n) (best first): writes up to k picks
 * into out (indices) and each pick's role into roles; returns the count
 * (5, or 6 when the sixth covers a role not covered yet).
 */
size_t rk_network_pick(const struct rk_pick_in *in, size_t n, size_t k,
		       size_t *out, enum ms_role *roles);

/* view.c: a score record held for a view (strings in the view's arena). */
struct rk_held {
	struct ms_hash person;
	const char *topic, *notes, *steps, *lang;
	double score;
	double signals[MS_SIGNALS];
	int64_t evidence[MS_EVIDENCE];
	uint32_t flags;
	uint8_t stage;
};

/* view.c: what rk_hold collects from ms_store_top/person_scores. */
struct rk_collect {
	struct ms_arena *a;
	const char *lang;		/* only this language */
	size_t want;			/* stop after this many (0: all) */
	struct rk_held *h;		/* malloc'd */
	size_t n, cap;
	const struct ms_hash *only;	/* only this person */
	const char *topic;		/* only this topic */
};

/* A score callback's "enough": not an MS_E* code. */
#define RK_STOP 0x7fff

int rk_hold(const struct ms_score_rec *r, void *ctx);
/* The candidate of a held record: person looked up, notes, steps and the
 * reasons of the role lines (role_why[role]) parsed. */
int rk_view_fill(struct ms_view *v, struct ms_rtxn *t, const struct rk_held *h,
		 struct ms_candidate *c, const char *role_why[5],
		 struct ms_err *err);
/* The network pick over held records into v's candidates. */
int rk_view_network(struct ms_view *v, struct ms_rtxn *t,
		    struct rk_collect *c, struct ms_err *err);
/* meta "rank_time", MS_TIME_NONE before the first ranking. */
int64_t rk_rank_time(struct ms_rtxn *t);
/* MS_ENOTFOUND naming the nearest topic ids. */
int rk_unknown_topic(const struct ms_config *cfg, const char *id,
		     struct ms_err *err);
/* view.c: an empty view (strings copied). */
struct ms_view *rk_view_new(const char *topic, const char *label);
/* view.c: the same language (primary subtags, case-insensitive); any
 * language when want is NULL or empty. */
int rk_lang_match(const char *have, const char *want);
/* match.c: discover --match. */
int rk_match_view(struct ms_store *st, const struct ms_config *cfg,
		  const struct ms_view_opts *o, struct ms_view **out,
		  struct ms_err *err);

#endif
