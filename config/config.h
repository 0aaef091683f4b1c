/*
 * config.h — mentorscout's configuration: one JSON file read with jansson,
 * every key optional with built-in defaults (defaults.c), and the topic
 * taxonomy with its PCRE2 patterns compiled once (taxonomy.c).
 *
 * The file (all keys optional):
 *
 *   {
 *     "feeds":   ["https://a.example/feed", {"url": "...", "topics": ["hr"]}],
 *     "topics":  [{"id": "hr", "label": "Human resources",
 *                  "languages": ["en", "de"],
 *                  "patterns": {"en": ["\\bHR\\b", ...], "de": [...]}}],
 *     "replace_default_topics": false,
 *     "crawl":   {"jobs": 32, "per_host": 1, "host_delay": 1.0, ...},
 *     "weights": {"focus": 0.25, ..., "half_life_days": 90},
 *     "me":      {"name": "...", "blog": "...", "profiles": ["..."]},
 *     "store":   {"sync": "full" | "meta-async"}
 *   }
 *
 * User topics with the id of a default topic replace it; others are added.
 */
#ifndef MS_CONFIG_CONFIG_H
#define MS_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ms_err;
struct pcre2_real_code_8;
struct pcre2_real_match_data_8;
struct pcre2_real_match_context_8;
struct ms_litindex;

struct ms_feed_conf {
	char *url;
	char **topics;
	size_t ntopics;
};

struct ms_pattern {
	char *lang;		/* "en", "de", or "*" for every language */
	char *source;		/* the PCRE2 pattern as written */
	struct pcre2_real_code_8 *code;	/* compiled (JIT where available) */
	/*
	 * The prefilter (prefilter.c): every match contains one of these
	 * strings (lower-case ASCII, in the prefilter's fold), so a subject
	 * with none of them is skipped before PCRE2 runs; none: the pattern
	 * always runs.  lit_ids: their indexes in the taxonomy's literal
	 * index (NULL for an ad-hoc pattern).
	 */
	char **literals;
	size_t nliterals;
	unsigned *lit_ids;
	/* Its place among all patterns of the taxonomy, in topic order: its
	 * bit in ms_subject.may. */
	unsigned idx;
};

struct ms_topic {
	char *id;		/* [a-z0-9-]+ */
	char *label;
	char **langs;
	size_t nlangs;
	struct ms_pattern *patterns;
	size_t npatterns;
};

struct ms_taxonomy {
	struct ms_topic *topics;
	size_t ntopics;
	/* match limits for untrusted subjects (RELIABILITY.md §3.4) */
	struct pcre2_real_match_context_8 *mctx;
	/*
	 * An empty pattern compiled with PCRE2_UTF only, matched once per
	 * subject so that PCRE2 itself checks the UTF-8 (the topic patterns
	 * carry PCRE2_MATCH_INVALID_UTF, which skips that check).
	 */
	struct pcre2_real_code_8 *utf8_check;
	/* every pattern literal, found in a subject in one pass */
	struct ms_litindex *lits;
};

/*
 * One subject prepared for matching many topics against it: checked for
 * UTF-8 once, folded and scanned once for the taxonomy's literals.
 */
struct ms_subject {
	const char *s;
	size_t len;
	bool ok;		/* not empty and valid UTF-8 */
	char *folded;		/* the prefilter's case fold of s */
	size_t flen;
	uint64_t *found;	/* bit i: literal i of tax occurs */
	/* bit j: pattern idx j of tax has no literals or one that occurs;
	 * a clear bit means it cannot match */
	uint64_t *may;
	const struct ms_taxonomy *tax;
	/* PCRE2's match data for every count on this subject: one
	 * allocation per subject, not one per topic (NULL when !ok). */
	struct pcre2_real_match_data_8 *md;
};

struct ms_crawl_conf {
	int jobs;		/* transfers at once (32) */
	int per_host;		/* requests in flight per host (1) */
	double host_delay;	/* seconds between requests to a host (1.0) */
	int connect_timeout;	/* seconds (10) */
	int total_timeout;	/* seconds (60) */
	int low_speed_limit;	/* bytes/s ... (100) */
	int low_speed_time;	/* ... for this many seconds (30) */
	size_t max_body;	/* decoded bytes per document (8 MiB) */
	size_t max_robots;	/* robots.txt bytes read (500 KiB) */
	char *user_agent;	/* must carry a contact (URL or e-mail) */
	bool allow_private;	/* let discovered URLs reach private addresses */
	int host_budget;	/* requests per host per crawl (200) */
	int max_failures;	/* crawls failed in a row before dead (10) */
	int depth;		/* discovery depth (1) */
	int max_discovered;	/* new sites per crawl (500) */
	int comment_pages;	/* comment feeds/pages per feed per crawl (20) */
	int max_redirects;	/* (5) */
	double max_crawl_delay;	/* robots Crawl-delay above this: skip (30) */
};

struct ms_weights {
	double focus, authority, responsiveness, audience, activity,
		reachability;
	double half_life_days;	/* activity recency half-life (90) */
	int recent_days;	/* window for responsiveness (365) */
};

struct ms_me {
	char *name;
	char *blog;
	char **profiles;
	size_t nprofiles;
};

struct ms_config {
	char *path;		/* the file read, NULL if defaults only */
	struct ms_feed_conf *feeds;
	size_t nfeeds;
	struct ms_taxonomy taxonomy;
	struct ms_crawl_conf crawl;
	struct ms_weights weights;
	struct ms_me me;
	bool meta_async;	/* store.sync == "meta-async" */
};

/*
 * The config file in force: path if non-NULL, else $MENTORSCOUT_CONFIG,
 * else $XDG_CONFIG_HOME/mentorscout/config.json, else
 * ~/.config/mentorscout/config.json.  Returns a malloc'd path or NULL.
 */
char *ms_config_default_path(const char *path);

/*
 * Load the config at path.  A missing file gives the defaults when
 * must_exist is false (path is then NULL in the result), else MS_ENOTFOUND.
 * Errors (MS_ECONFIG) name the file, line, column (1-based, in characters;
 * of the key for an unknown key, else of the value) and key, e.g.
 *   "config.json:3:14: key 'crawl.jobs': expected an integer"
 *   "config.json:7:5: unknown key 'crawl.job'"
 *   "config.json:9:20: topic 'hr': bad pattern '(' at offset 1: missing
 *    closing parenthesis"
 * and for invalid JSON jansson's own line, column and text.  A file that is
 * world-writable, not a regular file or over 1 MiB is refused (MS_ECONFIG);
 * other open and read failures give MS_EIO.  The result is freed with
 * ms_config_free().
 */
int ms_config_load(const char *path, bool must_exist, struct ms_config **out,
		   struct ms_err *err);
/*
 * The same for JSON text already in memory (len bytes at data, no NUL
 * needed): name stands for the file in messages and becomes c->path.
 * Errors as ms_config_load's, but never MS_EIO or MS_ENOTFOUND.
 */
int ms_config_load_buffer(const char *name, const void *data, size_t len,
			  struct ms_config **out, struct ms_err *err);
/* The built-in defaults (taxonomy compiled). */
int ms_config_defaults(struct ms_config **out, struct ms_err *err);
void ms_config_free(struct ms_config *c);

/*
 * A starting config for `init`, as a static string: valid JSON (which has no
 * comments) holding every main key with its default, which ms_config_load
 * accepts and reads as the defaults.
 */
const char *ms_config_template(void);

/* ------------------------------------------------------------- taxonomy */

/* The topic with this id, or NULL. */
const struct ms_topic *ms_taxonomy_find(const struct ms_taxonomy *t,
					const char *id);

/*
 * Up to n topic ids close to id, for "did you mean": ids within a small
 * edit distance (insertions, deletions, substitutions, swaps of two
 * neighbours) and ids that id is a prefix of (or that are a prefix of id),
 * nearest first, ties in taxonomy order.  The strings belong to t.
 * Returns how many were written to out.
 */
size_t ms_taxonomy_nearest(const struct ms_taxonomy *t, const char *id,
			   const char **out, size_t n);

/*
 * Count the matches of the topic's patterns for lang (patterns for "*" and
 * for lang; NULL lang: every pattern) in a UTF-8 subject.  Only the primary
 * subtag of lang is compared, case-insensitively ("de-AT" is "de").  t is
 * the taxonomy from ms_config_load() or ms_config_defaults() (it holds the
 * match limits); topic may also come from ms_topic_adhoc().  Invalid UTF-8
 * is not an error: the subject is checked and a bad one counts 0.  Returns
 * the number of matches (capped at 1000), or -1 when a match limit was hit
 * (the count so far is lost; callers treat it as 0 and may log it).
 */
int ms_topic_count(const struct ms_taxonomy *t, const struct ms_topic *topic,
		   const char *lang, const char *subject, size_t len);

/*
 * ms_topic_count for callers that match many topics against one subject:
 * the subject is prepared once with ms_subject_init(t, ...) (t the same
 * taxonomy; the subject must outlive sub) and released with
 * ms_subject_release(); counting stops at max matches (max > 0).
 * Topics from ms_topic_adhoc() work too.  Safe to call from several
 * threads at once on the same taxonomy.
 */
void ms_subject_init(const struct ms_taxonomy *t, struct ms_subject *sub,
		     const char *s, size_t len);
void ms_subject_release(struct ms_subject *sub);
int ms_topic_count_upto(const struct ms_taxonomy *t,
			const struct ms_topic *topic, const char *lang,
			const struct ms_subject *sub, int max);
/* Is subject valid UTF-8 (the check ms_topic_count makes)? */
bool ms_taxonomy_utf8_ok(const struct ms_taxonomy *t, const char *subject,
			 size_t len);

/*
 * Compile one ad-hoc pattern (discover --match) with the same options and
 * limits as the taxonomy: returns a topic with id "match" whose one pattern
 * applies to every language, which the caller frees with
 * ms_topic_free_adhoc().  A bad pattern gives MS_EUSAGE and a message with
 * PCRE2's text and offset.
 */
int ms_topic_adhoc(const char *pattern, struct ms_topic **out,
		   struct ms_err *err);
void ms_topic_free_adhoc(struct ms_topic *t);

#endif
