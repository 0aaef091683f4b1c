/*
 * genweb_int.h — what the generator's files share: the plan of the web
 * (blogs, posts, comments), the seeded random streams, the word banks and
 * the document writer.  Nothing outside tests/server/genweb*.c includes it.
 *
 *   genweb.c         options, the plan, feeds.txt, feeds.opml, truth.json
 *   genweb_text.c    names, topics, titles, post and comment text (tables)
 *   genweb_render.c  one renderer per blog engine: feeds and pages
 */
#ifndef MS_TESTS_SERVER_GENWEB_INT_H
#define MS_TESTS_SERVER_GENWEB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/server/genweb.h"
#include "util/buf.h"

/* ------------------------------------------------------------- random */

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state per stream. */
static inline uint64_t
gw_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A stream for (seed, tag, index): independent of the order of use. */
static inline uint64_t
gw_stream(uint64_t seed, uint64_t tag, uint64_t index)
{
	uint64_t s = seed ^ (tag * 0xd1b54a32d192ed03ULL);

	gw_next(&s);
	s ^= index * 0xa0761d6478bd642fULL;
	return gw_next(&s);
}

/* Uniform in [0, n), n > 0 (modulo bias is irrelevant here). */
static inline unsigned
gw_below(uint64_t *s, unsigned n)
{
	return (unsigned)(gw_next(s) % n);
}

/* Uniform in [lo, hi]. */
static inline int
gw_range(uint64_t *s, int lo, int hi)
{
	return lo + (int)gw_below(s, (unsigned)(hi - lo + 1));
}

/* Uniform in [0, 1). */
static inline double
gw_unit(uint64_t *s)
{
	return (double)(gw_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static inline bool
gw_chance(uint64_t *s, double p)
{
	return gw_unit(s) < p;
}

/* -------------------------------------------------------------- plan */

enum gw_engine {
	GW_WORDPRESS,
	GW_BLOGGER,
	GW_ATOM,
	GW_RSS,
	GW_HENTRY,
	GW_NENGINES
};
enum gw_role {
	GW_MENTOR,
	GW_DECOY,
	GW_DORMANT,
	GW_SPAM,
	GW_REGULAR,
	GW_LURKER
};
enum gw_lang { GW_EN, GW_DE };

/* Profile networks, a bit each. */
enum { GW_LINKEDIN = 1, GW_X = 2, GW_MASTODON = 4, GW_GITHUB = 8 };

enum gw_who { GW_BLOGGER_PERSON, GW_ANON, GW_PROFILE, GW_SPAMMER };

struct gw_blog {
	unsigned id;
	enum gw_engine eng;
	enum gw_role role;
	enum gw_lang lang;
	const char *first, *last; /* static tables */
	char *name;		  /* "First Last", or the splog's "admin" */
	char *slug;		  /* unique: host label or path prefix */
	char *login;		  /* WordPress user name */
	char *host;
	char *home; /* "http://host:port/" or ".../slug/" */
	char *feed; /* the feed a user subscribes to */
	char *title, *tagline;
	int topic;	    /* primary topic, -1 none */
	int topic2;	    /* secondary topic, -1 none */
	double focus;	    /* share of posts on the primary topic */
	double answer_rate; /* share of commenters the author answers */
	double latency_h;   /* typical hours until the author answers */
	unsigned profiles;  /* GW_LINKEDIN ... */
	bool contact;	    /* a contact page */
	bool old_theme;	    /* WordPress: ol.commentlist (Twenty Ten) */
	bool subscribed;
	int close_after_days; /* comments close after N days; 0: never */
	double closed_share;  /* share of posts with comments closed */
	bool comments_off;    /* no comments at all (Blogger setting) */
	int robots;	      /* 0 none, 1 engine default, 2 disallow all,
			       * 3 crawl-delay */
	int ring;	      /* spam ring, -1 */
	int member;	      /* index within the spam ring */
	uint64_t num_id;      /* Blogger blog id / WordPress first post id */
	uint64_t profile_id;  /* Blogger profile id */
	size_t post0, nposts; /* posts[post0 .. post0+nposts), oldest
			       * first */
	unsigned *roll;	      /* blogroll: blog ids */
	size_t nroll;
	/* evidence for truth.json, filled while planning */
	unsigned others_comments, replies, linked_by;
	double reply_hours_median;
};

struct gw_post {
	unsigned blog;
	int64_t date;
	int topic;	 /* -1: off topic */
	int topic2;	 /* a second topic touched, -1 */
	uint64_t seed;	 /* for its text */
	uint64_t num_id; /* WordPress ?p=, Blogger post id, ... */
	char *title, *slug, *url, *cfeed; /* cfeed may be NULL */
	bool closed;			  /* comments closed */
	int64_t closes;			  /* when comments close (0: never) */
	size_t c0, nc;			  /* comments[c0 .. c0+nc) */
	unsigned *links; /* posts this one links (global index);
			  * UINT32_MAX - b: the home page of blog b */
	size_t nlinks;
};

struct gw_comment {
	unsigned post;
	long parent; /* comment index, -1: top level */
	int64_t date;
	enum gw_who who;
	unsigned person; /* blog id (person, spammer) or name seed */
	uint64_t num_id;
	uint64_t seed; /* for its text */
	bool by_author;
};

struct gw_web {
	struct ms_genweb_opts o;
	struct gw_blog *blogs;
	size_t nblogs;
	struct gw_post *posts;
	size_t nposts, aposts;
	struct gw_comment *comments;
	size_t ncomments, acomments;
	char **hosts; /* distinct host names, for robots.txt */
	size_t nhosts;
	unsigned nrings;
	unsigned *spam; /* spam blog ids by ring * 5 + member */
	/* the document writer */
	struct ms_buf doc;
	char *lastdir;
	struct ms_genweb_stats st;
};

/* ------------------------------------------------------------ text */

#define GW_NTOPICS 15
#define GW_OFFTOPIC (-1)

struct gw_topic {
	const char *id;
	const char *label[2];	      /* EN, DE: categories and blog titles */
	const char *const *kw[2];     /* phrases the taxonomy matches */
	const char *const *aspect[2]; /* subjects for titles and text */
};
extern const struct gw_topic gw_topics[GW_NTOPICS];

/* Names: first and last names per language. */
const char *gw_first_name(enum gw_lang l, uint64_t *s);
const char *gw_last_name(enum gw_lang l, uint64_t *s);

/* A blog's title and tagline, malloc'd. */
void gw_blog_title(const struct gw_blog *b, uint64_t *s, char **title,
		   char **tagline);
/* A post title (malloc'd); off-topic when topic < 0; spam titles when
 * spam.  seed is the post's (its subject), s picks the template. */
char *gw_post_title(enum gw_lang l, int topic, bool spam, uint64_t seed,
		    uint64_t *s);
/* Append the post's body as HTML paragraphs (links included). */
void gw_post_html(const struct gw_web *w, const struct gw_post *p,
		  struct ms_buf *out);
/* Append a comment's text (plain text, no markup). */
void gw_comment_text(const struct gw_web *w, const struct gw_comment *c,
		     struct ms_buf *out);
/* The display name and URL (may be NULL) of a comment's author; name is
 * written into buf. */
const char *gw_comment_author(const struct gw_web *w,
			      const struct gw_comment *c, char *buf,
			      size_t bufsz, const char **url);
/* Lower-case ASCII slug of s (umlauts transliterated) into out. */
void gw_slugify(const char *s, char *out, size_t outsz, size_t maxlen);

/* ---------------------------------------------------------- writing */

/* Start a document: the writer's buffer is emptied. */
void gw_doc_begin(struct gw_web *w);
void gw_put(struct gw_web *w, const char *s);
void gw_putf(struct gw_web *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* XML/HTML escaped text (attribute-safe). */
void gw_esc(struct gw_web *w, const char *s);
/* Write the document for url (index.html or index.xml inside directories,
 * by xml) with mtime; MS_OK or MS_EIO. */
int gw_doc_write(struct gw_web *w, const char *url, bool xml, int64_t mtime,
		 struct ms_err *err);
/* Write a file at a path relative to the output directory. */
int gw_file_write(struct gw_web *w, const char *rel, int64_t mtime,
		  struct ms_err *err);

/* Dates. */
void gw_rfc822(int64_t t, char out[40]);
void gw_rfc3339(int64_t t, int offset_min, bool millis, char out[40]);
void gw_human_date(enum gw_lang l, int64_t t, bool with_time, char out[64]);

/* ---------------------------------------------------------- render */

/* Write every document of blog b. */
int gw_render_blog(struct gw_web *w, const struct gw_blog *b,
		   struct ms_err *err);
/* robots.txt for host index h (engine defaults or the blog's variant). */
int gw_render_robots(struct gw_web *w, size_t h, struct ms_err *err);

/* The comments of post p whose parent is parent (-1: top level), in date
 * order, into idx (capacity p->nc); returns how many. */
size_t gw_children(const struct gw_web *w, const struct gw_post *p, long parent,
		   size_t *idx);

#endif
