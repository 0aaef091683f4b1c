/*
 * json.c — finding, reading and validating the config file: jansson
 * decodes it, and this file checks every key against tables of what is
 * allowed, with types and ranges, so that a mistake is reported with the
 * file, line, column and key rather than silently ignored.
 *
 * jansson 2.14 records positions only for syntax errors, not for values it
 * decoded.  To name the line and column of a key that decoded fine but is
 * wrong, find_pos() walks the text jansson already accepted along the
 * key's path.  It is not a parser: it only skips over tokens to count
 * positions, and hands member names to jansson to decode.
 */
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A config is a few kB; a bigger file is a mistake, not a config. */
#define CONFIG_MAX (1u << 20)
/* Longest user agent accepted; it goes into every request. */
#define UA_MAX 256

char *
ms_config_default_path(const char *path)
{
	const char *env;

	if (path)
		return ms_xstrdup(path);
	env = getenv("MENTORSCOUT_CONFIG");
	if (env && *env)
		return ms_xstrdup(env);
	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	env = getenv("XDG_CONFIG_HOME");
	if (env && *env == '/')
		return ms_xasprintf("%s/mentorscout/config.json", env);
	env = getenv("HOME");
	if (env && *env)
		return ms_xasprintf("%s/.config/mentorscout/config.json", env);
	return NULL;
}

/* ------------------------------------------------------------ reading */

static int
read_config(const char *path, char **text, size_t *len, struct ms_err *err)
{
	struct ms_buf b = MS_BUF_INIT(CONFIG_MAX);
	struct stat sb;
	char chunk[8192];
	ssize_t n;
	int fd, rc = MS_OK;

	/* O_NONBLOCK: a FIFO must not hang us before the S_ISREG check. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ms_err_set(err, errno == ENOENT ? MS_ENOTFOUND : MS_EIO,
				  "cannot open config '%s': %s", path,
				  strerror(errno));
	if (fstat(fd, &sb)) {
		rc = ms_err_set(err, MS_EIO, "cannot read config '%s': %s",
				path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = ms_err_set(err, MS_ECONFIG, "%s: not a regular file",
				path);
		goto out;
	}
	/* Anyone could point the crawler anywhere or change its contact. */
	if (sb.st_mode & S_IWOTH) {
		rc = ms_err_set(err, MS_ECONFIG, "%s: refusing a "
				"world-writable config file (run 'chmod o-w "
				"%s')", path, path);
		goto out;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ms_err_set(err, MS_EIO, "cannot read config '%s': "
					"%s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (ms_buf_add(&b, chunk, (size_t)n)) {
			rc = ms_err_set(err, MS_ECONFIG, "%s: larger than %u "
					"bytes; not a config file", path,
					CONFIG_MAX);
			goto out;
		}
	}
	*text = ms_buf_detach(&b, len);
	if (!*text)
		*text = ms_xstrdup("");
out:
	ms_buf_release(&b);
	close(fd);
	return rc;
}

/* ---------------------------------------------------------- positions */

/* Where a value sits: its parent and the member name or array index. */
struct jpath {
	const struct jpath *up;	/* NULL for a member of the top object */
	const char *key;	/* member name, or NULL for an array element */
	size_t index;
};

#define PATH_DEPTH 16

static bool
is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static size_t
skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && is_ws(s[i]))
		i++;
	return i;
}

/* Past the string token that starts with the quote at s[i]. */
static size_t
skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/* Past the value that starts at s[i]. */
static size_t
skip_value(const char *s, size_t len, size_t i)
{
	size_t depth = 0;

	if (i >= len)
		return len;
	if (s[i] == '"')
		return skip_string(s, len, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < len && !is_ws(s[i]) && s[i] != ',' && s[i] != ']' &&
		       s[i] != '}')
			i++;
		return i;
	}
	while (i < len) {
		if (s[i] == '"') {
			i = skip_string(s, len, i);
			continue;
		}
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
			return i + 1;
		i++;
	}
	return len;
}

/* Is the string token s[0..n) the member name key?  jansson decodes it. */
static bool
token_is(const char *s, size_t n, const char *key)
{
	json_t *j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
	bool eq = json_is_string(j) && json_string_length(j) == strlen(key) &&
		  !memcmp(json_string_value(j), key, strlen(key));

	json_decref(j);
	return eq;
}

/*
 * The byte offset of the value at path p (p NULL: the whole document), or
 * of its member name when at_key.  false if not found, which only happens
 * if the text is not what jansson decoded.
 */
static bool
find_pos(const char *s, size_t len, const struct jpath *p, bool at_key,
	 size_t *pos)
{
	const struct jpath *seg[PATH_DEPTH];
	size_t nseg = 0, i = skip_ws(s, len, 0);

	for (const struct jpath *q = p; q; q = q->up)
		if (nseg++ == PATH_DEPTH)
			return false;
	for (const struct jpath *q = p, **w = seg + nseg; q; q = q->up)
		*--w = q;
	for (size_t k = 0; k < nseg; k++) {
		bool found = false;

		if (seg[k]->key) {
			if (i >= len || s[i] != '{')
				return false;
			i = skip_ws(s, len, i + 1);
			while (!found && i < len && s[i] == '"') {
				size_t kpos = i, kend = skip_string(s, len, i);

				found = token_is(s + kpos, kend - kpos,
						 seg[k]->key);
				i = skip_ws(s, len, kend);
				if (i < len && s[i] == ':')
					i = skip_ws(s, len, i + 1);
				if (found && at_key && k == nseg - 1) {
					*pos = kpos;
					return true;
				}
				if (found)
					break;
				i = skip_ws(s, len, skip_value(s, len, i));
				if (i < len && s[i] == ',')
					i = skip_ws(s, len, i + 1);
			}
		} else {
			if (i >= len || s[i] != '[')
				return false;
			i = skip_ws(s, len, i + 1);
			for (size_t n = 0; i < len && s[i] != ']'; n++) {
				if (n == seg[k]->index) {
					found = true;
					break;
				}
				i = skip_ws(s, len, skip_value(s, len, i));
				if (i < len && s[i] == ',')
					i = skip_ws(s, len, i + 1);
			}
		}
		if (!found)
			return false;
	}
	*pos = i;
	return true;
}

/* 1-based line and column, the column in characters as jansson counts. */
static void
line_col(const char *s, size_t pos, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (s[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

/* A string from the file, safe to print: no control bytes, bounded. */
static void
printable(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *s && n + 4 < outsz; s++)
		out[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
	if (*s) {
		/* Cut before a character, not inside one. */
		if (((unsigned char)*s & 0xc0) == 0x80)
			while (n > 0 &&
			       ((unsigned char)out[--n] & 0xc0) == 0x80)
				;
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* "feeds[2].url" */
static void
path_str(const struct jpath *p, char *buf, size_t sz)
{
	char key[72];
	size_t n;

	if (!p) {
		buf[0] = '\0';
		return;
	}
	path_str(p->up, buf, sz);
	n = strlen(buf);
	if (p->key) {
		printable(p->key, key, sizeof(key));
		snprintf(buf + n, sz - n, "%s%s", p->up ? "." : "", key);
	} else {
		snprintf(buf + n, sz - n, "[%zu]", p->index);
	}
}

/* ------------------------------------------------------------- errors */

struct loader {
	const char *file;	/* the path, as given, for messages */
	const char *text;	/* what jansson decoded, for positions */
	size_t len;
	struct ms_err *err;
	struct ms_config *c;
	struct ms_topic *topics;	/* the user's, compiled */
	size_t ntopics, topics_cap;
	bool replace_defaults;
};

/* "<file>:<line>:<col>: <message>" at p's value (or its key). */
static int __attribute__((format(printf, 4, 5)))
fail(struct loader *ld, const struct jpath *p, bool at_key, const char *fmt,
     ...)
{
	char msg[MS_ERR_MAX];
	size_t pos;
	int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (find_pos(ld->text, ld->len, p, at_key, &pos)) {
		line_col(ld->text, pos, &line, &col);
		return ms_err_set(ld->err, MS_ECONFIG, "%s:%d:%d: %s",
				  ld->file, line, col, msg);
	}
	return ms_err_set(ld->err, MS_ECONFIG, "%s: %s", ld->file, msg);
}

static int
bad_keyv(struct loader *ld, const struct jpath *p, bool at_key,
	 const char *fmt, va_list ap)
{
	char msg[MS_ERR_MAX], path[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	path_str(p, path, sizeof(path));
	return fail(ld, p, at_key, "key '%s': %s", path, msg);
}

/* "<file>:<line>:<col>: key '<path>': <message>" at p's value. */
static int __attribute__((format(printf, 3, 4)))
bad_value(struct loader *ld, const struct jpath *p, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bad_keyv(ld, p, false, fmt, ap);
	va_end(ap);
	return rc;
}

/* The same at p's member name, for a name that is wrong. */
static int __attribute__((format(printf, 3, 4)))
bad_key(struct loader *ld, const struct jpath *p, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bad_keyv(ld, p, true, fmt, ap);
	va_end(ap);
	return rc;
}

static int
unknown_key(struct loader *ld, const struct jpath *p)
{
	char path[256];

	path_str(p, path, sizeof(path));
	return fail(ld, p, true, "unknown key '%s'", path);
}

/* ------------------------------------------------------ typed values */

static int
want_string(struct loader *ld, const struct jpath *p, json_t *v,
	    const char **out)
{
	*out = NULL;
	if (!json_is_string(v))
		return bad_value(ld, p, "expected a string");
	*out = json_string_value(v);
	return MS_OK;
}

static int
want_bool(struct loader *ld, const struct jpath *p, json_t *v, bool *out)
{
	if (!json_is_boolean(v))
		return bad_value(ld, p, "expected true or false");
	*out = json_is_true(v);
	return MS_OK;
}

static int
want_array(struct loader *ld, const struct jpath *p, json_t *v)
{
	return json_is_array(v) ? MS_OK : bad_value(ld, p, "expected an array");
}

/* An absolute http(s) URL that CURLU can read; "" gives NULL if may_empty. */
static int
want_url(struct loader *ld, const struct jpath *p, json_t *v, bool may_empty,
	 char **out)
{
	struct ms_err uerr = { 0 };
	const char *s;
	char shown[128], *norm = NULL;
	int rc = want_string(ld, p, v, &s);

	if (rc)
		return rc;
	if (may_empty && !*s)
		return MS_OK;
	printable(s, shown, sizeof(shown));
	if (!ms_url_is_http(s))
		return bad_value(ld, p, "'%s' is not an http or https URL",
				 shown);
	if (ms_url_normalize(s, &norm, &uerr))
		return bad_value(ld, p, "%s", uerr.msg);
	free(norm);
	*out = ms_xstrdup(s);
	return MS_OK;
}

/* ----------------------------------------------------- crawl, weights */

enum field_kind { F_INT, F_SIZE, F_NUM, F_BOOL, F_UA };

struct field {
	const char *name;
	enum field_kind kind;
	size_t off;		/* in struct ms_crawl_conf / ms_weights */
	double min, max;	/* inclusive; HUGE_VAL: no upper bound */
	bool above;		/* F_NUM: min itself is not allowed */
};

#define CRAWL(f) offsetof(struct ms_crawl_conf, f)
#define WEIGHT(f) offsetof(struct ms_weights, f)

/*
 * Sorted by name, for bsearch.  Bounds keep values sane rather than tune
 * them: delays >= 0, timeouts > 0, a size cap of at least one byte.
 */
static const struct field crawl_fields[] = {
	{ "allow_private", F_BOOL, CRAWL(allow_private), 0, 0, false },
	{ "comment_pages", F_INT, CRAWL(comment_pages), 0, 1000, false },
	{ "connect_timeout", F_INT, CRAWL(connect_timeout), 1, 3600, false },
	{ "depth", F_INT, CRAWL(depth), 0, 10, false },
	{ "host_budget", F_INT, CRAWL(host_budget), 1, 1000000, false },
	{ "host_delay", F_NUM, CRAWL(host_delay), 0, 3600, false },
	{ "jobs", F_INT, CRAWL(jobs), 1, 1024, false },
	{ "low_speed_limit", F_INT, CRAWL(low_speed_limit), 1, 1e9, false },
	{ "low_speed_time", F_INT, CRAWL(low_speed_time), 1, 3600, false },
	{ "max_body", F_SIZE, CRAWL(max_body), 1, 1 << 30, false },
	{ "max_crawl_delay", F_NUM, CRAWL(max_crawl_delay), 0, 86400, false },
	{ "max_discovered", F_INT, CRAWL(max_discovered), 0, 1000000, false },
	{ "max_failures", F_INT, CRAWL(max_failures), 1, 1000, false },
	{ "max_redirects", F_INT, CRAWL(max_redirects), 0, 20, false },
	{ "max_robots", F_SIZE, CRAWL(max_robots), 1, 1 << 24, false },
	{ "per_host", F_INT, CRAWL(per_host), 1, 16, false },
	{ "total_timeout", F_INT, CRAWL(total_timeout), 1, 86400, false },
	{ "user_agent", F_UA, CRAWL(user_agent), 0, 0, false },
};

/* Sorted by name, for bsearch. */
static const struct field weight_fields[] = {
	{ "activity", F_NUM, WEIGHT(activity), 0, HUGE_VAL, false },
	{ "audience", F_NUM, WEIGHT(audience), 0, HUGE_VAL, false },
	{ "authority", F_NUM, WEIGHT(authority), 0, HUGE_VAL, false },
	{ "focus", F_NUM, WEIGHT(focus), 0, HUGE_VAL, false },
	{ "half_life_days", F_NUM, WEIGHT(half_life_days), 0, 36500, true },
	{ "reachability", F_NUM, WEIGHT(reachability), 0, HUGE_VAL, false },
	{ "recent_days", F_INT, WEIGHT(recent_days), 1, 36500, false },
	{ "responsiveness", F_NUM, WEIGHT(responsiveness), 0, HUGE_VAL,
	  false },
};

static int
field_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct field *)elem)->name);
}

/*
 * A contact a webmaster can use (RELIABILITY.md §1.9, R-PO-7): a URL or an
 * e-mail address somewhere in the string.
 */
static bool
has_contact(const char *ua)
{
	static const char re[] =
		"https?://[a-z0-9]|"
		"[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}";
	pcre2_match_data *md;
	pcre2_code *code;
	PCRE2_SIZE off;
	int ec, rc;

	code = pcre2_compile((PCRE2_SPTR)re, sizeof(re) - 1, PCRE2_CASELESS,
			     &ec, &off, NULL);
	if (!code)
		return false;
	md = pcre2_match_data_create(1, NULL);
	rc = md ? pcre2_match(code, (PCRE2_SPTR)ua, strlen(ua), 0, 0, md,
			      NULL)
		: -1;
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return rc >= 0;
}

/* The user agent goes into an HTTP header of every request (R-SE-9). */
static int
check_user_agent(struct loader *ld, const struct jpath *p, const char *ua)
{
	const unsigned char *u = (const unsigned char *)ua;

	if (!*ua)
		return bad_value(ld, p, "must not be empty");
	for (size_t i = 0; u[i]; i++)
		if (u[i] < 0x20 || u[i] == 0x7f)
			return bad_value(ld, p, "contains a control character "
					 "(CR, LF or other); it is sent as an "
					 "HTTP header");
	for (size_t i = 0; u[i]; i++)
		if (u[i] >= 0x80)
			return bad_value(ld, p, "must be ASCII; it is sent as "
					 "an HTTP header");
	if (strlen(ua) > UA_MAX)
		return bad_value(ld, p, "longer than %d characters", UA_MAX);
	if (!has_contact(ua))
		return bad_value(ld, p, "must carry a contact URL or e-mail "
				 "address, e.g. 'mentorscout/1.0 "
				 "(+https://example.org/about-my-crawler)'");
	return MS_OK;
}

static int
range_error(struct loader *ld, const struct jpath *p, const struct field *f)
{
	if (f->kind != F_NUM)
		return bad_value(ld, p, "must be between %lld and %lld",
				 (long long)f->min, (long long)f->max);
	if (f->max == HUGE_VAL)
		return bad_value(ld, p, "must be %s %g",
				 f->above ? "above" : "at least", f->min);
	if (f->above)
		return bad_value(ld, p, "must be above %g and at most %g",
				 f->min, f->max);
	return bad_value(ld, p, "must be between %g and %g", f->min, f->max);
}

static int
set_field(struct loader *ld, const struct jpath *p, json_t *v,
	  const struct field *f, char *base)
{
	const char *s;
	double d;
	int rc;

	switch (f->kind) {
	case F_BOOL:
		return want_bool(ld, p, v, (bool *)(base + f->off));
	case F_UA:
		rc = want_string(ld, p, v, &s);
		if (!rc)
			rc = check_user_agent(ld, p, s);
		if (rc)
			return rc;
		free(*(char **)(base + f->off));
		*(char **)(base + f->off) = ms_xstrdup(s);
		return MS_OK;
	case F_INT:
	case F_SIZE:
		if (!json_is_integer(v))
			return bad_value(ld, p, "expected an integer");
		d = (double)json_integer_value(v);
		if (d < f->min || d > f->max)
			return range_error(ld, p, f);
		if (f->kind == F_INT)
			*(int *)(base + f->off) = (int)json_integer_value(v);
		else
			*(size_t *)(base + f->off) =
				(size_t)json_integer_value(v);
		return MS_OK;
	case F_NUM:
		if (!json_is_number(v))
			return bad_value(ld, p, "expected a number");
		d = json_number_value(v);
		if (d < f->min || (f->above && d == f->min) || d > f->max)
			return range_error(ld, p, f);
		*(double *)(base + f->off) = d;
		return MS_OK;
	}
	return MS_OK;
}

static int
load_fields(struct loader *ld, const struct jpath *p, json_t *obj,
	    const struct field *tab, size_t n, void *base)
{
	const char *k;
	json_t *v;
	int rc;

	if (!json_is_object(obj))
		return bad_value(ld, p, "expected an object");
	json_object_foreach(obj, k, v) {
		struct jpath kp = { p, k, 0 };
		const struct field *f = bsearch(k, tab, n, sizeof(*tab),
						field_cmp);

		if (!f)
			return unknown_key(ld, &kp);
		rc = set_field(ld, &kp, v, f, base);
		if (rc)
			return rc;
	}
	return MS_OK;
}

/* ------------------------------------------------ objects with members */

/* A handler for one member of an object; obj is what is being filled. */
struct member {
	const char *name;
	int (*fn)(struct loader *ld, const struct jpath *p, json_t *v,
		  void *obj);
};

static int
member_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct member *)elem)->name);
}

static int
load_members(struct loader *ld, const struct jpath *p, json_t *o,
	     const struct member *tab, size_t n, void *obj)
{
	const char *k;
	json_t *v;
	int rc;

	if (!json_is_object(o))
		return bad_value(ld, p, "expected an object");
	json_object_foreach(o, k, v) {
		struct jpath kp = { p, k, 0 };
		const struct member *m = bsearch(k, tab, n, sizeof(*tab),
						 member_cmp);

		if (!m)
			return unknown_key(ld, &kp);
		rc = m->fn(ld, &kp, v, obj);
		if (rc)
			return rc;
	}
	return MS_OK;
}

#define NMEMB(a) (sizeof(a) / sizeof((a)[0]))

/* -------------------------------------------------------------- feeds */

static int
feed_url(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_feed_conf *f = obj;

	return want_url(ld, p, v, false, &f->url);
}

static int
feed_topics(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_feed_conf *f = obj;
	size_t i;
	json_t *e;
	int rc = want_array(ld, p, v);

	if (rc)
		return rc;
	f->topics = ms_xcalloc(json_array_size(v) + 1, sizeof(*f->topics));
	json_array_foreach(v, i, e) {
		struct jpath ep = { p, NULL, i };
		const char *id;
		char shown[80];

		rc = want_string(ld, &ep, e, &id);
		if (rc)
			return rc;
		if (!ms_topic_id_valid(id)) {
			printable(id, shown, sizeof(shown));
			return bad_value(ld, &ep, "'%s' is not a topic id "
					 "(a-z, 0-9 and '-')", shown);
		}
		f->topics[f->ntopics++] = ms_xstrdup(id);
	}
	return MS_OK;
}

/* Sorted by name, for bsearch. */
static const struct member feed_members[] = {
	{ "topics", feed_topics },
	{ "url", feed_url },
};

static int
load_feeds(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_config *c = obj;
	size_t i;
	json_t *e;
	int rc = want_array(ld, p, v);

	if (rc)
		return rc;
	/* A later "feeds" cannot exist (duplicate keys are rejected). */
	c->feeds = ms_xcalloc(json_array_size(v) + 1, sizeof(*c->feeds));
	json_array_foreach(v, i, e) {
		struct jpath ep = { p, NULL, i };
		struct ms_feed_conf *f = &c->feeds[c->nfeeds++];

		if (json_is_string(e)) {
			rc = want_url(ld, &ep, e, false, &f->url);
		} else if (json_is_object(e)) {
			rc = load_members(ld, &ep, e, feed_members,
					  NMEMB(feed_members), f);
			if (!rc && !f->url)
				rc = bad_value(ld, &ep, "missing 'url'");
		} else {
			rc = bad_value(ld, &ep, "expected a URL or an object "
				       "with 'url' and 'topics'");
		}
		if (rc)
			return rc;
	}
	return MS_OK;
}

/* After the taxonomy is built: every topic a feed names must exist. */
static int
check_feed_topics(struct loader *ld)
{
	const struct ms_taxonomy *t = &ld->c->taxonomy;

	for (size_t i = 0; i < ld->c->nfeeds; i++) {
		const struct ms_feed_conf *f = &ld->c->feeds[i];

		for (size_t j = 0; j < f->ntopics; j++) {
			struct jpath fp = { NULL, "feeds", 0 };
			struct jpath ep = { &fp, NULL, i };
			struct jpath tp = { &ep, "topics", 0 };
			struct jpath xp = { &tp, NULL, j };
			const char *near[5];
			char list[256] = "";
			size_t n;

			if (ms_taxonomy_find(t, f->topics[j]))
				continue;
			n = ms_taxonomy_nearest(t, f->topics[j], near, 5);
			for (size_t k = 0; k < n; k++)
				snprintf(list + strlen(list),
					 sizeof(list) - strlen(list), "%s%s",
					 k ? ", " : "; did you mean: ",
					 near[k]);
			return bad_value(ld, &xp, "unknown topic '%s'%s",
					 f->topics[j], list);
		}
	}
	return MS_OK;
}

/* ------------------------------------------------------------- topics */

/* A topic object's members, kept until all are seen (id may come last). */
struct topic_src {
	json_t *id, *label, *languages, *patterns;
	struct jpath id_p, label_p, languages_p, patterns_p;
};

#define TOPIC_MEMBER(m)                                                      \
	static int topic_##m(struct loader *ld, const struct jpath *p,       \
			     json_t *v, void *obj)                           \
	{                                                                    \
		struct topic_src *ts = obj;                                  \
		(void)ld;                                                    \
		ts->m = v;                                                   \
		ts->m##_p = *p;                                              \
		return MS_OK;                                                \
	}
TOPIC_MEMBER(id)
TOPIC_MEMBER(label)
TOPIC_MEMBER(languages)
TOPIC_MEMBER(patterns)

/* Sorted by name, for bsearch. */
static const struct member topic_members[] = {
	{ "id", topic_id },
	{ "label", topic_label },
	{ "languages", topic_languages },
	{ "patterns", topic_patterns },
};

static bool
has_lang(const struct ms_topic *t, const char *lang)
{
	for (size_t i = 0; i < t->nlangs; i++)
		if (!strcmp(t->langs[i], lang))
			return true;
	return false;
}

static int
topic_langs(struct loader *ld, struct topic_src *ts, struct ms_topic *t)
{
	size_t i;
	json_t *e;
	int rc = want_array(ld, &ts->languages_p, ts->languages);

	if (rc)
		return rc;
	t->langs = ms_xcalloc(json_array_size(ts->languages) + 1,
			      sizeof(*t->langs));
	json_array_foreach(ts->languages, i, e) {
		struct jpath ep = { &ts->languages_p, NULL, i };
		const char *lang;
		char shown[40];

		rc = want_string(ld, &ep, e, &lang);
		if (rc)
			return rc;
		if (!ms_lang_valid(lang)) {
			printable(lang, shown, sizeof(shown));
			return bad_value(ld, &ep, "'%s' is not a two-letter "
					 "language code", shown);
		}
		if (!has_lang(t, lang))
			t->langs[t->nlangs++] = ms_xstrdup(lang);
	}
	return MS_OK;
}

static int
topic_pats(struct loader *ld, struct topic_src *ts, struct ms_topic *t)
{
	const struct jpath *pp = &ts->patterns_p;
	const char *lang;
	bool derive = !ts->languages;
	size_t total = 0;
	json_t *list;
	int rc;

	if (!json_is_object(ts->patterns))
		return bad_value(ld, pp, "expected an object of pattern lists "
				 "by language");
	json_object_foreach(ts->patterns, lang, list) {
		struct jpath lp = { pp, lang, 0 };

		if (strcmp(lang, "*") && !ms_lang_valid(lang))
			return bad_key(ld, &lp, "not a two-letter language "
				       "code or '*'");
		rc = want_array(ld, &lp, list);
		if (rc)
			return rc;
		total += json_array_size(list);
	}
	if (derive)
		t->langs = ms_xcalloc(json_object_size(ts->patterns) + 1,
				      sizeof(*t->langs));
	t->patterns = ms_xcalloc(total + 1, sizeof(*t->patterns));
	json_object_foreach(ts->patterns, lang, list) {
		struct jpath lp = { pp, lang, 0 };
		size_t i;
		json_t *e;

		if (strcmp(lang, "*") && !has_lang(t, lang)) {
			if (!derive)
				return bad_key(ld, &lp, "language '%s' is "
					       "not in the topic's "
					       "languages", lang);
			t->langs[t->nlangs++] = ms_xstrdup(lang);
		}
		json_array_foreach(list, i, e) {
			struct jpath ep = { &lp, NULL, i };
			struct ms_err perr = { 0 };
			struct ms_pattern *pat;
			const char *src;

			rc = want_string(ld, &ep, e, &src);
			if (rc)
				return rc;
			pat = &t->patterns[t->npatterns++];
			pat->lang = ms_xstrdup(lang);
			pat->source = ms_xstrdup(src);
			if (ms_pattern_compile(pat, &perr))
				return fail(ld, &ep, false, "topic '%s': %s",
					    t->id, perr.msg);
		}
	}
	return MS_OK;
}

static int
load_topic(struct loader *ld, const struct jpath *p, json_t *v,
	   struct ms_topic *t)
{
	struct topic_src ts = { 0 };
	const char *s;
	char shown[80];
	int rc;

	if (!json_is_object(v))
		return bad_value(ld, p, "expected an object with 'id' and "
				 "'patterns'");
	rc = load_members(ld, p, v, topic_members, NMEMB(topic_members), &ts);
	if (rc)
		return rc;
	if (!ts.id)
		return bad_value(ld, p, "missing 'id'");
	rc = want_string(ld, &ts.id_p, ts.id, &s);
	if (rc)
		return rc;
	if (!ms_topic_id_valid(s)) {
		printable(s, shown, sizeof(shown));
		return bad_value(ld, &ts.id_p, "'%s' is not a topic id (a-z, "
				 "0-9 and '-', at most %d)", shown,
				 MS_TOPIC_ID_MAX);
	}
	for (size_t i = 0; i < ld->ntopics; i++)
		if (!strcmp(ld->topics[i].id, s))
			return bad_value(ld, &ts.id_p, "topic '%s' is defined "
					 "twice", s);
	t->id = ms_xstrdup(s);
	if (ts.label) {
		rc = want_string(ld, &ts.label_p, ts.label, &s);
		if (rc)
			return rc;
		t->label = ms_xstrdup(s);
	} else {
		t->label = ms_xstrdup(t->id);
	}
	if (ts.languages) {
		rc = topic_langs(ld, &ts, t);
		if (rc)
			return rc;
	}
	if (!ts.patterns)
		return bad_value(ld, p, "topic '%s' has no 'patterns'", t->id);
	rc = topic_pats(ld, &ts, t);
	if (rc)
		return rc;
	if (t->npatterns == 0)
		return bad_value(ld, &ts.patterns_p, "topic '%s' has no "
				 "patterns", t->id);
	return MS_OK;
}

static int
load_topics(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	size_t i;
	json_t *e;
	int rc = want_array(ld, p, v);

	(void)obj;
	if (rc)
		return rc;
	json_array_foreach(v, i, e) {
		struct jpath ep = { p, NULL, i };
		struct ms_topic t = { 0 };

		rc = load_topic(ld, &ep, e, &t);
		if (rc) {
			ms_topic_release(&t);
			return rc;
		}
		MS_GROW(ld->topics, ld->ntopics + 1, ld->topics_cap);
		ld->topics[ld->ntopics++] = t;
	}
	return MS_OK;
}

static int
load_replace(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	(void)obj;
	return want_bool(ld, p, v, &ld->replace_defaults);
}

/* ------------------------------------------------ crawl, weights, me */

static int
load_crawl(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_config *c = obj;

	return load_fields(ld, p, v, crawl_fields, NMEMB(crawl_fields),
			   &c->crawl);
}

static int
load_weights(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_config *c = obj;
	const struct ms_weights *w = &c->weights;
	int rc = load_fields(ld, p, v, weight_fields, NMEMB(weight_fields),
			     &c->weights);

	if (rc)
		return rc;
	if (w->focus + w->authority + w->responsiveness + w->audience +
		    w->activity + w->reachability <= 0)
		return bad_value(ld, p, "every signal weight is 0; at least "
				 "one must be above 0");
	return MS_OK;
}

static int
me_name(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_me *me = obj;
	const char *s;
	int rc = want_string(ld, p, v, &s);

	if (rc)
		return rc;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if (*u < 0x20 || *u == 0x7f)
			return bad_value(ld, p, "contains a control character");
	if (*s)
		me->name = ms_xstrdup(s);
	return MS_OK;
}

static int
me_blog(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_me *me = obj;

	return want_url(ld, p, v, true, &me->blog);
}

static int
me_profiles(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_me *me = obj;
	size_t i;
	json_t *e;
	int rc = want_array(ld, p, v);

	if (rc)
		return rc;
	me->profiles = ms_xcalloc(json_array_size(v) + 1,
				  sizeof(*me->profiles));
	json_array_foreach(v, i, e) {
		struct jpath ep = { p, NULL, i };

		rc = want_url(ld, &ep, e, false, &me->profiles[me->nprofiles]);
		if (rc)
			return rc;
		me->nprofiles++;
	}
	return MS_OK;
}

/* Sorted by name, for bsearch. */
static const struct member me_members[] = {
	{ "blog", me_blog },
	{ "name", me_name },
	{ "profiles", me_profiles },
};

static int
load_me(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_config *c = obj;

	return load_members(ld, p, v, me_members, NMEMB(me_members), &c->me);
}

static int
store_sync(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	struct ms_config *c = obj;
	const char *s;
	int rc = want_string(ld, p, v, &s);

	if (rc)
		return rc;
	if (!strcmp(s, "full"))
		c->meta_async = false;
	else if (!strcmp(s, "meta-async"))
		c->meta_async = true;
	else
		return bad_value(ld, p, "expected 'full' or 'meta-async'");
	return MS_OK;
}

/* Sorted by name, for bsearch. */
static const struct member store_members[] = {
	{ "sync", store_sync },
};

static int
load_store(struct loader *ld, const struct jpath *p, json_t *v, void *obj)
{
	return load_members(ld, p, v, store_members, NMEMB(store_members),
			    obj);
}

/* The top-level keys.  Sorted by name, for bsearch. */
static const struct member top_members[] = {
	{ "crawl", load_crawl },
	{ "feeds", load_feeds },
	{ "me", load_me },
	{ "replace_default_topics", load_replace },
	{ "store", load_store },
	{ "topics", load_topics },
	{ "weights", load_weights },
};

/* --------------------------------------------------------------- load */

static int
load_root(struct loader *ld, json_t *root)
{
	struct jpath rp = { NULL, "replace_default_topics", 0 };
	int rc;

	if (!json_is_object(root))
		return fail(ld, NULL, false, "expected a JSON object at the "
			    "top level");
	rc = load_members(ld, NULL, root, top_members, NMEMB(top_members),
			  ld->c);
	if (rc)
		return rc;
	if (ld->replace_defaults && ld->ntopics == 0)
		return bad_value(ld, &rp, "true, but no topics are given: "
				 "there would be none");
	rc = ms_taxonomy_build(&ld->c->taxonomy, ld->topics, ld->ntopics,
			       ld->replace_defaults, ld->err);
	/* The taxonomy took the user topics, even on failure. */
	ld->topics = NULL;
	ld->ntopics = 0;
	if (rc)
		return rc;
	return check_feed_topics(ld);
}

int
ms_config_load(const char *path, bool must_exist, struct ms_config **out,
	       struct ms_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = read_config(path, &text, &len, err);
	if (rc == MS_ENOTFOUND && !must_exist)
		return ms_config_defaults(out, err);
	if (rc)
		return rc;
	rc = ms_config_load_buffer(path, text, len, out, err);
	free(text);
	return rc;
}

int
ms_config_load_buffer(const char *name, const void *data, size_t len,
		      struct ms_config **out, struct ms_err *err)
{
	struct loader ld = { 0 };
	struct ms_config *c = NULL;
	json_error_t jerr;
	json_t *root = NULL;
	const char *text = data;
	size_t bom = 0;
	int rc;

	*out = NULL;
	if (len > CONFIG_MAX)
		return ms_err_set(err, MS_ECONFIG, "%s: larger than %u bytes; "
				  "not a config file", name, CONFIG_MAX);
	/* Editors that write a BOM show none, so count columns without. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		bom = 3;
	root = json_loadb(text + bom, len - bom, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		rc = ms_err_set(err, MS_ECONFIG, "%s:%d:%d: %s", name,
				jerr.line, jerr.column, jerr.text);
		goto out;
	}
	c = ms_xcalloc(1, sizeof(*c));
	ms_config_set_defaults(c);
	c->path = ms_xstrdup(name);
	ld.file = name;
	ld.text = text + bom;
	ld.len = len - bom;
	ld.err = err;
	ld.c = c;
	rc = load_root(&ld, root);
out:
	for (size_t i = 0; i < ld.ntopics; i++)
		ms_topic_release(&ld.topics[i]);
	free(ld.topics);
	json_decref(root);
	if (rc) {
		ms_config_free(c);
		return rc;
	}
	*out = c;
	return MS_OK;
}
