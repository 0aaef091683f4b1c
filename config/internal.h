/*
 * internal.h — what the files of config/ share with each other: the
 * built-in defaults (defaults.c) and the taxonomy's building blocks
 * (taxonomy.c) that the JSON loader (json.c) calls.  Other modules use
 * config/config.h only.
 */
#ifndef MS_CONFIG_INTERNAL_H
#define MS_CONFIG_INTERNAL_H

#include "config/config.h"

#include <stdbool.h>
#include <stddef.h>

struct ms_err;

/* The contact defaults to the project (RELIABILITY.md §1.9). */
#define MS_CONFIG_DEFAULT_UA                                                 \
	"mentorscout/" MS_VERSION                                            \
	" (+https://github.com/mentorscout/mentorscout)"

/* Longest topic id and pattern accepted (bytes). */
#define MS_TOPIC_ID_MAX 64
#define MS_PATTERN_MAX 1024

/* defaults.c: every built-in value except the taxonomy, into a zeroed c. */
void ms_config_set_defaults(struct ms_config *c);

/* taxonomy.c */

/* [a-z0-9-]+, at most MS_TOPIC_ID_MAX bytes. */
bool ms_topic_id_valid(const char *id);
/* A two-letter lower-case language code ("en", "de"). */
bool ms_lang_valid(const char *lang);

/*
 * Compile p->source into p->code with the taxonomy's options (UTF, UCP,
 * caseless, invalid UTF never matches, no \C), JIT where available.  On
 * error returns MS_ECONFIG with "bad pattern '<source>' at offset N: <PCRE2's
 * message>" (also for a pattern that can match the empty string).
 */
int ms_pattern_compile(struct ms_pattern *p, struct ms_err *err);

/* The utf8_ok check of s: when it passes, the match data it used (the
 * caller's to keep and free), else NULL. */
struct pcre2_real_match_data_8 *ms_taxonomy_utf8_md(
	const struct ms_taxonomy *t, const char *s, size_t len);

/* prefilter.c: p->literals from p->source (none when unsure). */
void ms_pattern_literals(struct ms_pattern *p);
/* Index the literals of t's patterns (sets their lit_ids) into t->lits. */
void ms_prefilter_build(struct ms_taxonomy *t);
void ms_prefilter_free(struct ms_litindex *x);
/* ms_subject_init, scanning for the index's literals only if scan (one
 * topic's few literals are looked for on their own). */
void ms_subject_prepare(const struct ms_taxonomy *t, struct ms_subject *sub,
			const char *s, size_t len, bool scan);
/* May p (of topic) match sub?  false only when none of its literals
 * occur. */
bool ms_subject_may_match(const struct ms_taxonomy *t,
			  const struct ms_topic *topic,
			  const struct ms_pattern *p,
			  const struct ms_subject *sub);

/* Free a topic's contents (strings, patterns and their compiled code). */
void ms_topic_release(struct ms_topic *t);

/*
 * Build the taxonomy in force into an empty t: the built-in topics unless
 * replace_defaults, each one with the id of a user topic replaced by it in
 * place, then the other user topics in their order; the built-in patterns
 * are compiled here (the user's are compiled already, by json.c, which
 * knows where in the file they are).  Sets up the match context.  Takes the
 * user topics (and the array) in every case.  On error t is released.
 */
int ms_taxonomy_build(struct ms_taxonomy *t, struct ms_topic *user,
		      size_t nuser, bool replace_defaults, struct ms_err *err);

/* Free everything t holds; t is empty afterwards. */
void ms_taxonomy_release(struct ms_taxonomy *t);

#endif
