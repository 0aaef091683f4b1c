/*
 * genweb.c — the sample-web generator (see genweb.h): decides who blogs
 * what (the plan: blogs with roles, posts, links, comments and replies),
 * then has genweb_render.c write each blog in its engine's markup, and
 * writes feeds.txt, feeds.opml and truth.json.
 *
 * The roles are what the ranker is tested against:
 *   mentor   one per topic (plus German ones for four topics): focused,
 *            answers most commenters within hours, comments open, linked
 *            by others, posting every week or two, profiles and contact
 *   decoy    popular generalists: many links and comments, every topic a
 *            little, never answer, comments often closed
 *   dormant  focused experts who stopped posting over a year ago
 *   spam     rings of 5 splogs stuffed with "HR" that link only each
 *            other, whose "authors" leave spam comments elsewhere
 *   regular  ordinary bloggers, some answering, some not
 *   lurker   small blogs whose authors mostly comment elsewhere
 * A third of the mentors are not in feeds.txt: discovery must find them
 * through links and comment authors.
 */
#include "tests/server/genweb_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#define DAY 86400
#define HOUR 3600

/* Stream tags: one independent random stream per purpose and index. */
enum {
	T_ROLES = 1,
	T_BLOG,
	T_POSTS,
	T_LINKS,
	T_COMMENTS,
	T_SUBS,
	T_FIX,
	T_IDS
};

/* The four topics that also get a German mentor: hr, recruiting,
 * leadership, career. */
static const int de_mentor_topics[] = {0, 1, 2, 5};
/* How often each topic is a regular blogger's main topic (HR-heavy, as the
 * field is). */
static const unsigned topic_weight[GW_NTOPICS] = {5, 3, 4, 2, 2, 3, 2, 1,
						  1, 1, 1, 2, 1, 1, 1};

/* ------------------------------------------------------------ writer */

void
gw_doc_begin(struct gw_web *w)
{
	ms_buf_reset(&w->doc);
}

void
gw_put(struct gw_web *w, const char *s)
{
	if (ms_buf_adds(&w->doc, s) != MS_OK)
		abort(); /* a 64 MiB document: a generator bug */
}

void
gw_putf(struct gw_web *w, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n < sizeof(small)) {
		gw_put(w, small);
	} else {
		char *big = ms_xmalloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		gw_put(w, big);
		free(big);
	}
}

void
gw_esc(struct gw_web *w, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "&<>\"'");
		const char *e;

		if (ms_buf_add(&w->doc, s, n) != MS_OK)
			abort();
		s += n;
		switch (*s) {
		case '&':
			e = "&amp;";
			break;
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '"':
			e = "&quot;";
			break;
		case '\'':
			e = "&#39;";
			break;
		default:
			return;
		}
		gw_put(w, e);
		s++;
	}
}

/* mkdir -p, cheap in the common case: the parent usually exists, so try
 * the directory itself first and walk up only on ENOENT. */
static int
mkdir_p(char *dir)
{
	char *slash;
	int rc;

	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return -1;
	*slash = '\0';
	rc = mkdir_p(dir);
	*slash = '/';
	if (rc != 0)
		return -1;
	return mkdir(dir, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int
mkdirs(struct gw_web *w, const char *dir, struct ms_err *err)
{
	char *tmp;

	if (w->lastdir && strcmp(w->lastdir, dir) == 0)
		return MS_OK;
	tmp = ms_xstrdup(dir);
	if (mkdir_p(tmp) != 0) {
		int rc =
		    ms_err_set(err, MS_EIO, "cannot create directory '%s': %s",
			       dir, strerror(errno));

		free(tmp);
		return rc;
	}
	free(w->lastdir);
	w->lastdir = tmp;
	return MS_OK;
}

int
gw_file_write(struct gw_web *w, const char *rel, int64_t mtime,
	      struct ms_err *err)
{
	char *path = ms_xasprintf("%s/%s", w->o.out, rel);
	char *slash = strrchr(path, '/');
	struct timespec ts[2];
	size_t off = 0;
	int fd, rc;

	*slash = '\0';
	rc = mkdirs(w, path, err);
	*slash = '/';
	if (rc != MS_OK)
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = ms_err_set(err, MS_EIO, "cannot write '%s': %s", path,
				strerror(errno));
		goto out;
	}
	while (off < w->doc.len) {
		ssize_t n = write(fd, w->doc.data + off, w->doc.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = ms_err_set(err, MS_EIO, "cannot write '%s': %s",
					path, strerror(errno));
			close(fd);
			goto out;
		}
		off += (size_t)n;
	}
	ts[0].tv_sec = ts[1].tv_sec = (time_t)mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	futimens(fd, ts);
	if (close(fd) != 0) {
		rc = ms_err_set(err, MS_EIO, "cannot write '%s': %s", path,
				strerror(errno));
		goto out;
	}
	w->st.files++;
	w->st.bytes += w->doc.len;
out:
	free(path);
	return rc;
}

int
gw_doc_write(struct gw_web *w, const char *url, bool xml, int64_t mtime,
	     struct ms_err *err)
{
	const char *host = strstr(url, "://"), *path, *last;
	const char *index = xml ? "index.xml" : "index.html";
	char *rel;
	size_t hl;
	int rc;

	host = host ? host + 3 : url;
	path = strchr(host, '/');
	if (!path)
		path = "/";
	hl = strcspn(host, ":/");
	last = strrchr(path, '/');
	if (path[strlen(path) - 1] == '/')
		rel = ms_xasprintf("%.*s%s%s", (int)hl, host, path, index);
	else if (!strchr(last, '.'))
		rel = ms_xasprintf("%.*s%s/%s", (int)hl, host, path, index);
	else
		rel = ms_xasprintf("%.*s%s", (int)hl, host, path);
	rc = gw_file_write(w, rel, mtime, err);
	free(rel);
	return rc;
}

/* -------------------------------------------------------------- plan */

static int64_t
day_time(int64_t t, uint64_t *s)
{
	/* People post between 06:00 and 22:00 UTC-ish. */
	return t - (t % DAY) + gw_range(s, 6 * HOUR, 22 * HOUR - 1);
}

/* A string set for unique slugs (open addressing, FNV-1a). */
struct strset {
	char **v;
	size_t cap;
};

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Add s; false when it is already there. */
static bool
strset_add(struct strset *set, const char *s)
{
	size_t i = (size_t)fnv(s) & (set->cap - 1);

	while (set->v[i]) {
		if (strcmp(set->v[i], s) == 0)
			return false;
		i = (i + 1) & (set->cap - 1);
	}
	set->v[i] = ms_xstrdup(s);
	return true;
}

static void
strset_free(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->v[i]);
	free(set->v);
}

static char *
unique_slug(struct strset *set, const char *base)
{
	char *s = ms_xstrdup(base);
	int n = 2;

	while (!strset_add(set, s)) {
		free(s);
		s = ms_xasprintf("%s%d", base, n++);
	}
	return s;
}

struct slot {
	enum gw_role role;
	int topic;
	int lang; /* -1: choose */
	int eng;  /* -1: choose */
	int ring, member;
};

static enum gw_engine
pick_engine(uint64_t *s)
{
	/* WordPress dominates blogging; Blogger next; the rest small. */
	static const unsigned w[GW_NENGINES] = {40, 25, 12, 12, 11};
	unsigned r = gw_below(s, 100), i;

	for (i = 0; i < GW_NENGINES; i++) {
		if (r < w[i])
			return (enum gw_engine)i;
		r -= w[i];
	}
	return GW_WORDPRESS;
}

static int
pick_topic(uint64_t *s, int not )
{
	unsigned total = 0, r, i;

	for (i = 0; i < GW_NTOPICS; i++)
		total += (int)i == not ? 0 : topic_weight[i];
	r = gw_below(s, total);
	for (i = 0; i < GW_NTOPICS; i++) {
		unsigned wt = (int)i == not ? 0 : topic_weight[i];

		if (r < wt)
			return (int)i;
		r -= wt;
	}
	return 0;
}

static void
set_urls(struct gw_web *w, struct gw_blog *b, size_t hostidx, bool shared)
{
	char port[16] = "";

	if (w->o.port != 80)
		snprintf(port, sizeof(port), ":%u", w->o.port);
	b->host = ms_xstrdup(w->hosts[hostidx]);
	if (shared)
		b->home =
		    ms_xasprintf("http://%s%s/%s/", b->host, port, b->slug);
	else
		b->home = ms_xasprintf("http://%s%s/", b->host, port);
	switch (b->eng) {
	case GW_WORDPRESS:
		b->feed = ms_xasprintf("%sfeed/", b->home);
		break;
	case GW_BLOGGER:
		b->feed = ms_xasprintf("%sfeeds/posts/default", b->home);
		break;
	case GW_ATOM:
		b->feed = ms_xasprintf("%satom.xml", b->home);
		break;
	case GW_RSS:
		b->feed = ms_xasprintf("%srss.xml", b->home);
		break;
	default:
		b->feed = ms_xasprintf("%sfeed.xml", b->home);
		break;
	}
}

static void
plan_blogs(struct gw_web *w)
{
	size_t n = w->nblogs, i, k = 0, legit, covered, nde, ndecoy, ndormant,
	       rest, nregular;
	struct slot *slots = ms_xcalloc(n, sizeof(*slots));
	struct strset slugs, names;
	bool shared = w->o.hosts && w->o.hosts < n;
	uint64_t s = gw_stream(w->o.seed, T_ROLES, 0);
	unsigned r, m;

	w->nrings = (unsigned)(n / 500 ? n / 500 : 1);
	legit = n - 5 * w->nrings;
	covered = legit / 3 < GW_NTOPICS ? legit / 3 : GW_NTOPICS;
	nde = n >= 60 ? 4 : 0;
	ndecoy = n / 20 ? n / 20 : 1;
	ndormant = n / 30 ? n / 30 : 1;
	rest = legit - covered - nde - ndecoy - ndormant;
	nregular = rest * 6 / 10;

	for (r = 0; r < w->nrings; r++)
		for (m = 0; m < 5; m++)
			slots[k++] = (struct slot){
			    GW_SPAM, 0, GW_EN, GW_WORDPRESS, (int)r, (int)m};
	for (i = 0; i < covered; i++)
		slots[k++] = (struct slot){
		    GW_MENTOR, (int)i, GW_EN, (int)(i % GW_NENGINES), -1, 0};
	for (i = 0; i < nde; i++) {
		static const int eng[] = {GW_WORDPRESS, GW_BLOGGER,
					  GW_WORDPRESS, GW_ATOM};

		slots[k++] = (struct slot){
		    GW_MENTOR, de_mentor_topics[i], GW_DE, eng[i], -1, 0};
	}
	for (i = 0; i < ndecoy; i++)
		slots[k++] = (struct slot){
		    GW_DECOY, -1, -1, i % 2 ? GW_BLOGGER : GW_WORDPRESS, -1, 0};
	for (i = 0; i < ndormant; i++)
		slots[k++] = (struct slot){GW_DORMANT, -1, -1, -1, -1, 0};
	for (i = 0; i < rest; i++)
		slots[k++] = (struct slot){
		    i < nregular ? GW_REGULAR : GW_LURKER, -1, -1, -1, -1, 0};
	/* Fisher-Yates: roles land on blog ids in a seeded order. */
	for (i = n - 1; i > 0; i--) {
		size_t j = gw_below(&s, (unsigned)(i + 1));
		struct slot t = slots[i];

		slots[i] = slots[j];
		slots[j] = t;
	}

	w->hosts = ms_xcalloc(shared ? w->o.hosts : n, sizeof(char *));
	w->nhosts = shared ? w->o.hosts : n;
	if (shared)
		for (i = 0; i < w->o.hosts; i++)
			w->hosts[i] =
			    ms_xasprintf("blogs-%zu.%s", i, w->o.domain);
	slugs.cap = 1;
	while (slugs.cap < 2 * n + 16)
		slugs.cap *= 2;
	slugs.v = ms_xcalloc(slugs.cap, sizeof(char *));
	names.cap = slugs.cap * 2;
	names.v = ms_xcalloc(names.cap, sizeof(char *));

	w->blogs = ms_xcalloc(n, sizeof(*w->blogs));
	for (i = 0; i < n; i++) {
		struct gw_blog *b = &w->blogs[i];
		struct slot *sl = &slots[i];
		uint64_t bs = gw_stream(w->o.seed, T_BLOG, i);
		char base[128];

		b->id = (unsigned)i;
		b->role = sl->role;
		b->ring = sl->ring;
		b->member = sl->member;
		b->lang = sl->lang >= 0		? (enum gw_lang)sl->lang
			  : gw_chance(&bs, 0.3) ? GW_DE
						: GW_EN;
		b->eng =
		    sl->eng >= 0 ? (enum gw_engine)sl->eng : pick_engine(&bs);
		/* Distinct people get distinct names while the name tables
		 * last (1,600 English and 900 German pairs). */
		for (m = 0; m < 20; m++) {
			char full[128];

			b->first = gw_first_name(b->lang, &bs);
			b->last = gw_last_name(b->lang, &bs);
			snprintf(full, sizeof(full), "%s %s", b->first,
				 b->last);
			if (sl->role == GW_SPAM || strset_add(&names, full))
				break;
		}
		b->topic = sl->topic >= 0 ? sl->topic : pick_topic(&bs, -1);
		b->topic2 =
		    gw_chance(&bs, 0.8) ? pick_topic(&bs, b->topic) : -1;
		b->old_theme = b->eng == GW_WORDPRESS && gw_chance(&bs, 0.4);
		b->num_id = 1000000000000000000ULL +
			    gw_next(&bs) % 8000000000000000000ULL;
		b->profile_id = 10000000000000000000ULL +
				gw_next(&bs) % 8000000000000000000ULL;
		switch (b->role) {
		case GW_MENTOR:
			b->focus = 0.85 + 0.1 * gw_unit(&bs);
			b->answer_rate = 0.85 + 0.1 * gw_unit(&bs);
			b->latency_h = 1 + 5 * gw_unit(&bs);
			b->profiles = GW_LINKEDIN |
				      (1u << gw_range(&bs, 1, 3)) |
				      (gw_chance(&bs, 0.5) ? GW_X : 0);
			b->contact = true;
			break;
		case GW_DECOY:
			b->focus = 0.15;
			b->profiles = GW_LINKEDIN | GW_X;
			b->contact = gw_chance(&bs, 0.5);
			b->closed_share = 0.7;
			break;
		case GW_DORMANT:
			b->focus = 0.85;
			b->answer_rate = 0.6;
			b->latency_h = 24;
			b->profiles = gw_chance(&bs, 0.7) ? GW_LINKEDIN : 0;
			break;
		case GW_SPAM:
			b->focus = 1;
			b->topic = 0;
			b->topic2 = gw_chance(&bs, 0.5) ? 1 : 5;
			break;
		case GW_REGULAR: {
			double r2 = gw_unit(&bs);

			b->focus = 0.45 + 0.35 * gw_unit(&bs);
			b->answer_rate = r2 < 0.3   ? 0
					 : r2 < 0.7 ? 0.15 + 0.3 * gw_unit(&bs)
						    : 0.5 + 0.3 * gw_unit(&bs);
			b->latency_h = 12 + 60 * gw_unit(&bs);
			for (m = 0; m < 4; m++)
				if (gw_chance(&bs, 0.35))
					b->profiles |= 1u << m;
			b->contact = gw_chance(&bs, 0.3);
			if (b->eng == GW_WORDPRESS && gw_chance(&bs, 0.25))
				b->close_after_days = 30;
			if (b->eng == GW_BLOGGER && gw_chance(&bs, 0.1))
				b->comments_off = true;
			break;
		}
		case GW_LURKER:
			b->focus = 0.5 + 0.2 * gw_unit(&bs);
			b->answer_rate = 0.5 * gw_unit(&bs);
			b->latency_h = 24 + 72 * gw_unit(&bs);
			b->profiles = gw_chance(&bs, 0.5) ? GW_LINKEDIN : 0;
			break;
		}
		if (b->role == GW_SPAM) {
			uint64_t ts = 0;

			b->name = ms_xstrdup("admin");
			b->login = ms_xstrdup("admin");
			gw_blog_title(b, &ts, &b->title, &b->tagline);
			gw_slugify(b->title, base, sizeof(base), 60);
		} else {
			char full[128];

			b->name = ms_xasprintf("%s %s", b->first, b->last);
			snprintf(full, sizeof(full), "%s%s%s", b->first,
				 b->eng == GW_BLOGGER ? "" : " ", b->last);
			gw_slugify(full, base, sizeof(base), 60);
			gw_blog_title(b, &bs, &b->title, &b->tagline);
		}
		b->slug = unique_slug(&slugs, base);
		b->login = b->login
			       ? b->login
			       : ms_xstrndup(b->slug, strcspn(b->slug, "-"));
		if (!shared)
			w->hosts[i] = ms_xasprintf(
			    "%s.%s%s", b->slug,
			    b->eng == GW_BLOGGER ? "blogspot." : "",
			    w->o.domain);
		set_urls(w, b, shared ? i % w->o.hosts : i, shared);
		if (!shared)
			b->robots = b->eng == GW_BLOGGER ? 1
				    : b->eng == GW_WORDPRESS
					? gw_chance(&bs, 0.6)
					: gw_chance(&bs, 0.3);
	}
	w->spam = ms_xcalloc(w->nrings * 5, sizeof(unsigned));
	for (i = 0; i < n; i++)
		if (w->blogs[i].role == GW_SPAM)
			w->spam[w->blogs[i].ring * 5 + w->blogs[i].member] =
			    (unsigned)i;
	strset_free(&slugs);
	strset_free(&names);
	free(slots);
}

/* Subscriptions: two thirds of the legit blogs, but a third of the mentors
 * left out so that discovery has to find them. */
static void
plan_subscriptions(struct gw_web *w)
{
	size_t n = w->nblogs, i, want, have = 0, nmentor = 0;
	size_t *order = ms_xcalloc(n, sizeof(size_t));
	uint64_t s = gw_stream(w->o.seed, T_SUBS, 0);
	bool shared = w->o.hosts && w->o.hosts < n;
	size_t legit = 0;

	for (i = 0; i < n; i++)
		legit += w->blogs[i].role != GW_SPAM;
	want = w->o.subscribed ? w->o.subscribed : (2 * n + 1) / 3;
	if (want > legit)
		want = legit;
	for (i = 0; i < n; i++) {
		struct gw_blog *b = &w->blogs[i];

		if (b->role != GW_MENTOR)
			continue;
		if (nmentor++ % 3 != 2 && have < want) {
			b->subscribed = true;
			have++;
		}
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j = gw_below(&s, (unsigned)(i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n && have < want; i++) {
		struct gw_blog *b = &w->blogs[order[i]];

		if (b->role == GW_SPAM || b->role == GW_MENTOR || b->subscribed)
			continue;
		b->subscribed = true;
		have++;
	}
	/* One subscribed regular blog forbids crawling in robots.txt. */
	for (i = 0; i < n && !shared; i++) {
		struct gw_blog *b = &w->blogs[order[i]];

		if (b->subscribed && b->role == GW_REGULAR) {
			b->robots = 2;
			break;
		}
	}
	w->st.subscribed = have;
	free(order);
}

static struct gw_post *
new_post(struct gw_web *w)
{
	MS_GROW(w->posts, w->nposts + 1, w->aposts);
	memset(&w->posts[w->nposts], 0, sizeof(w->posts[0]));
	return &w->posts[w->nposts++];
}

static void
plan_posts(struct gw_web *w)
{
	size_t i, j;

	for (i = 0; i < w->nblogs; i++) {
		struct gw_blog *b = &w->blogs[i];
		uint64_t s = gw_stream(w->o.seed, T_POSTS, i);
		int cap = b->eng == GW_BLOGGER ? 25 : 20;
		int np, last_days, lo, hi;
		int64_t t;
		uint64_t wpid = 100 + gw_below(&s, 2000);
		struct strset titles, slugs;

		switch (b->role) {
		case GW_MENTOR:
			np = gw_range(&s, 18, cap);
			last_days = gw_range(&s, 0, 5);
			lo = 6;
			hi = 14;
			break;
		case GW_DECOY:
			np = cap;
			last_days = gw_range(&s, 0, 3);
			lo = 3;
			hi = 7;
			break;
		case GW_DORMANT:
			np = gw_range(&s, 10, 15);
			last_days = gw_range(&s, 420, 700);
			lo = 10;
			hi = 25;
			break;
		case GW_SPAM:
			np = gw_range(&s, 12, 20);
			last_days = gw_range(&s, 0, 2);
			lo = 1;
			hi = 3;
			break;
		case GW_REGULAR:
			np = gw_range(&s, 6, 16);
			last_days = gw_range(&s, 1, 120);
			lo = 7;
			hi = 40;
			break;
		default:
			np = gw_range(&s, 2, 5);
			last_days = gw_range(&s, 5, 200);
			lo = 20;
			hi = 90;
			break;
		}
		titles.cap = slugs.cap = 64;
		titles.v = ms_xcalloc(64, sizeof(char *));
		slugs.v = ms_xcalloc(64, sizeof(char *));
		b->post0 = w->nposts;
		b->nposts = (size_t)np;
		/* Dates newest first, then stored oldest first. */
		t = w->o.now - (int64_t)last_days * DAY - DAY;
		for (j = 0; j < (size_t)np; j++)
			new_post(w);
		for (j = 0; j < (size_t)np; j++) {
			struct gw_post *p = &w->posts[b->post0 + np - 1 - j];

			p->date = day_time(t, &s);
			if (p->date > w->o.now - 2 * HOUR)
				p->date = w->o.now - 2 * HOUR;
			t -= (int64_t)gw_range(&s, lo, hi) * DAY;
		}
		for (j = 0; j < (size_t)np; j++) {
			struct gw_post *p = &w->posts[b->post0 + j];
			double u = gw_unit(&s);
			char slug[128], tmp[160];
			struct tm tm;
			time_t tt;
			int tries;

			p->blog = (unsigned)i;
			p->seed = gw_next(&s);
			if (b->role == GW_DECOY)
				p->topic = u < 0.75 ? pick_topic(&s, -1) : -1;
			else if (u < b->focus)
				p->topic = b->topic;
			else if (b->topic2 >= 0 &&
				 u < b->focus + (1 - b->focus) * 0.6)
				p->topic = b->topic2;
			else
				p->topic = GW_OFFTOPIC;
			p->topic2 = -1;
			if (p->topic >= 0 && b->role != GW_SPAM &&
			    gw_chance(&s, 0.25))
				p->topic2 =
				    b->topic2 >= 0 && b->topic2 != p->topic
					? b->topic2
					: pick_topic(&s, p->topic);
			for (tries = 0;; tries++) {
				p->title = gw_post_title(b->lang, p->topic,
							 b->role == GW_SPAM,
							 p->seed, &s);
				if (strset_add(&titles, p->title))
					break;
				if (tries >= 6) {
					char *t2 = ms_xasprintf(
					    "%s, %s %zu", p->title,
					    b->lang == GW_DE ? "Teil" : "part",
					    j + 2);

					free(p->title);
					p->title = t2;
					strset_add(&titles, p->title);
					break;
				}
				free(p->title);
			}
			gw_slugify(p->title, slug, sizeof(slug),
				   b->eng == GW_BLOGGER ? 39 : 60);
			{
				char *u2 = unique_slug(&slugs, slug);

				snprintf(slug, sizeof(slug), "%s", u2);
				free(u2);
			}
			p->slug = ms_xstrdup(slug);
			tt = (time_t)p->date;
			gmtime_r(&tt, &tm);
			wpid += (uint64_t)gw_range(&s, 2, 9);
			switch (b->eng) {
			case GW_WORDPRESS:
				p->num_id = wpid;
				p->url = ms_xasprintf(
				    "%s%04d/%02d/%s/", b->home,
				    tm.tm_year + 1900, tm.tm_mon + 1, slug);
				p->cfeed = ms_xasprintf("%sfeed/", p->url);
				break;
			case GW_BLOGGER:
				p->num_id =
				    1000000000000000000ULL +
				    gw_next(&s) % 8000000000000000000ULL;
				p->url = ms_xasprintf(
				    "%s%04d/%02d/%s.html", b->home,
				    tm.tm_year + 1900, tm.tm_mon + 1, slug);
				p->cfeed = ms_xasprintf(
				    "%sfeeds/%llu/comments/default", b->home,
				    (unsigned long long)p->num_id);
				break;
			case GW_ATOM:
				p->num_id = j + 1;
				p->url = ms_xasprintf(
				    "%s%04d/%02d/%02d/%s.html", b->home,
				    tm.tm_year + 1900, tm.tm_mon + 1,
				    tm.tm_mday, slug);
				p->cfeed = ms_xasprintf("%scomments/%s.xml",
							b->home, slug);
				break;
			case GW_RSS:
				p->num_id = 100 + j * 3;
				snprintf(tmp, sizeof(tmp), "%06llu",
					 (unsigned long long)p->num_id);
				p->url = ms_xasprintf("%sarchives/%s.html",
						      b->home, tmp);
				p->cfeed = ms_xasprintf(
				    "%sarchives/%s-comments.xml", b->home, tmp);
				break;
			default:
				p->num_id = j + 1;
				p->url = ms_xasprintf(
				    "%s%04d/%02d/%s/", b->home,
				    tm.tm_year + 1900, tm.tm_mon + 1, slug);
				break;
			}
			if (b->comments_off) {
				p->closed = true;
				p->closes = p->date;
			} else if (b->close_after_days) {
				p->closes = p->date +
					    (int64_t)b->close_after_days * DAY;
				p->closed = p->closes <= w->o.now;
			} else if (b->closed_share > 0 &&
				   gw_chance(&s, b->closed_share)) {
				p->closes =
				    p->date + (int64_t)gw_range(&s, 1, 5) * DAY;
				p->closed = p->closes <= w->o.now;
			}
		}
		strset_free(&titles);
		strset_free(&slugs);
	}
	w->st.posts = w->nposts;
}

/* A weighted table of blogs to draw from (cumulative weights). */
struct table {
	unsigned *ids;
	double *cum;
	size_t n;
};

static void
table_add(struct table *t, size_t *cap, unsigned id, double wt)
{
	if (wt <= 0)
		return;
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		t->ids = ms_xreallocarray(t->ids, *cap, sizeof(*t->ids));
		t->cum = ms_xreallocarray(t->cum, *cap, sizeof(*t->cum));
	}
	t->ids[t->n] = id;
	t->cum[t->n] = (t->n ? t->cum[t->n - 1] : 0) + wt;
	t->n++;
}

static long
table_pick(const struct table *t, uint64_t *s)
{
	double r;
	size_t lo = 0, hi;

	if (t->n == 0)
		return -1;
	r = gw_unit(s) * t->cum[t->n - 1];
	hi = t->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (long)t->ids[lo];
}

static void
table_free(struct table *t)
{
	free(t->ids);
	free(t->cum);
}

/* Who gets linked for a topic: mentors of it most, popular decoys next. */
static double
link_weight(const struct gw_blog *b, int topic)
{
	bool main = b->topic == topic, side = b->topic2 == topic;

	switch (b->role) {
	case GW_MENTOR:
		return main ? 30 : side ? 2 : 0;
	case GW_DECOY:
		return 10;
	case GW_DORMANT:
		return main ? 6 : 0;
	case GW_REGULAR:
		return main ? 2 : side ? 1 : 0;
	case GW_LURKER:
		return main || side ? 0.5 : 0;
	default:
		return 0;
	}
}

/* Who comments: small bloggers most, mentors too (they are connectors),
 * dormant and spam never in this table. */
static double
comment_weight(const struct gw_blog *b, int topic)
{
	bool match = topic < 0 || b->topic == topic || b->topic2 == topic;
	double base;

	switch (b->role) {
	case GW_LURKER:
		base = 4;
		break;
	case GW_REGULAR:
		base = 3;
		break;
	case GW_MENTOR:
		base = 1.5;
		break;
	case GW_DECOY:
		base = 0.3;
		break;
	default:
		return 0;
	}
	return match ? base : 0;
}

/* tables[topic * 2 + lang], topic GW_NTOPICS meaning "any". */
static struct table *
build_tables(const struct gw_web *w,
	     double (*weight)(const struct gw_blog *, int))
{
	struct table *t = ms_xcalloc((GW_NTOPICS + 1) * 2, sizeof(*t));
	size_t caps[(GW_NTOPICS + 1) * 2] = {0};
	size_t i;
	int tp, l;

	for (tp = 0; tp <= GW_NTOPICS; tp++)
		for (l = 0; l < 2; l++)
			for (i = 0; i < w->nblogs; i++) {
				const struct gw_blog *b = &w->blogs[i];
				double wt =
				    weight(b, tp == GW_NTOPICS ? -1 : tp);

				/* Same-language blogs are read more. */
				if ((int)b->lang == l)
					wt *= 3;
				table_add(&t[tp * 2 + l], &caps[tp * 2 + l],
					  b->id, wt);
			}
	return t;
}

static void
free_tables(struct table *t)
{
	size_t i;

	for (i = 0; i < (GW_NTOPICS + 1) * 2; i++)
		table_free(&t[i]);
	free(t);
}

/* A post of blog b from before `before`, on topic if possible; else the
 * home page marker. */
static unsigned
pick_target_post(const struct gw_web *w, const struct gw_blog *b, int topic,
		 int64_t before, uint64_t *s)
{
	size_t j, on = 0, any = 0;

	for (j = 0; j < b->nposts; j++) {
		const struct gw_post *q = &w->posts[b->post0 + j];

		if (q->date < before - DAY) {
			any++;
			on += q->topic == topic;
		}
	}
	if (any == 0)
		return UINT32_MAX - b->id;
	if (on) {
		size_t k = gw_below(s, (unsigned)on);

		for (j = 0; j < b->nposts; j++) {
			const struct gw_post *q = &w->posts[b->post0 + j];

			if (q->date < before - DAY && q->topic == topic &&
			    k-- == 0)
				return (unsigned)(b->post0 + j);
		}
	}
	return (unsigned)(b->post0 + gw_below(s, (unsigned)any));
}

static bool
has_link(const struct gw_post *p, unsigned l)
{
	size_t i;

	for (i = 0; i < p->nlinks; i++)
		if (p->links[i] == l)
			return true;
	return false;
}

/* Distinct blogs (not spam) linking to blog t. */
static unsigned
linkers(const struct gw_web *w, unsigned t, bool *from)
{
	size_t i, j, k;
	unsigned n = 0;

	memset(from, 0, w->nblogs * sizeof(bool));
	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];

		if (b->role == GW_SPAM || i == t)
			continue;
		for (j = 0; j < b->nposts && !from[i]; j++) {
			const struct gw_post *p = &w->posts[b->post0 + j];

			for (k = 0; k < p->nlinks; k++) {
				unsigned l = p->links[k];

				if ((l >= UINT32_MAX - w->nblogs
					 ? UINT32_MAX - l
					 : w->posts[l].blog) == t) {
					from[i] = true;
					n++;
					break;
				}
			}
		}
	}
	return n;
}

/* The designed mentors are "linked by others": where chance left one with
 * fewer than five linking blogs, bloggers of its topic (else anyone
 * legit) link one of its posts from a later post of theirs. */
static void
link_mentors(struct gw_web *w)
{
	bool *from = ms_xcalloc(w->nblogs, sizeof(bool));
	size_t i;

	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *m = &w->blogs[i];
		uint64_t s = gw_stream(w->o.seed, T_LINKS, 2 * w->nblogs + i);
		unsigned have;
		int tries;

		if (m->role != GW_MENTOR)
			continue;
		have = linkers(w, (unsigned)i, from);
		for (tries = 0; have < 5 && tries < 400; tries++) {
			unsigned o = gw_below(&s, (unsigned)w->nblogs);
			const struct gw_blog *b = &w->blogs[o];
			struct gw_post *p;
			unsigned l;

			if (o == i || from[o] || b->role == GW_SPAM ||
			    b->role == GW_DORMANT || !b->nposts)
				continue;
			if (tries < 200 && b->topic != m->topic &&
			    b->topic2 != m->topic)
				continue;
			p = &w->posts[b->post0 + b->nposts - 1];
			l = pick_target_post(w, m, m->topic, p->date, &s);
			if (has_link(p, l))
				continue;
			p->links = ms_xreallocarray(p->links, p->nlinks + 1,
						    sizeof(unsigned));
			p->links[p->nlinks++] = l;
			from[o] = true;
			have++;
		}
	}
	free(from);
}

static void
plan_links(struct gw_web *w)
{
	struct table *tab = build_tables(w, link_weight);
	size_t i, j;

	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];
		uint64_t s = gw_stream(w->o.seed, T_LINKS, i);

		for (j = 0; j < b->nposts; j++) {
			struct gw_post *p = &w->posts[b->post0 + j];
			int nl, k;

			switch (b->role) {
			case GW_MENTOR:
			case GW_DECOY:
				nl = gw_range(&s, 1, 3);
				break;
			case GW_SPAM:
				nl = gw_range(&s, 2, 4);
				break;
			case GW_LURKER:
				nl = gw_range(&s, 0, 1);
				break;
			default:
				nl = gw_range(&s, 0, 2);
				break;
			}
			if (p->topic < 0)
				nl = gw_chance(&s, 0.2) ? 1 : 0;
			p->links = nl ? ms_xcalloc((size_t)nl, sizeof(unsigned))
				      : NULL;
			for (k = 0; k < nl; k++) {
				long tb = -1;
				int tries;
				unsigned l;

				if (b->role == GW_SPAM) {
					/* Only the other ring members. */
					unsigned m =
					    (unsigned)(b->member + 1 +
						       gw_below(&s, 4)) %
					    5;

					tb = w->spam[b->ring * 5 + m];
				}
				for (tries = 0; tries < 6 && tb < 0; tries++) {
					tb = table_pick(
					    &tab[(p->topic >= 0 ? p->topic
								: GW_NTOPICS) *
						     2 +
						 b->lang],
					    &s);
					if (tb == (long)i)
						tb = -1;
				}
				if (tb < 0)
					continue;
				l = pick_target_post(w, &w->blogs[tb], p->topic,
						     p->date, &s);
				if (!has_link(p, l))
					p->links[p->nlinks++] = l;
			}
		}
	}
	free_tables(tab);
	link_mentors(w);
}

static struct gw_comment *
new_comment(struct gw_web *w, unsigned post)
{
	struct gw_comment *c;

	MS_GROW(w->comments, w->ncomments + 1, w->acomments);
	c = &w->comments[w->ncomments++];
	memset(c, 0, sizeof(*c));
	c->post = post;
	c->parent = -1;
	return c;
}

/* Can a comment on p be made at time t? */
static bool
open_at(const struct gw_web *w, const struct gw_post *p, int64_t t)
{
	if (t > w->o.now - 600)
		return false;
	if (p->closes && t >= p->closes)
		return false;
	return true;
}

/* A random spam blog (the ring's "authors" sign spam comments). */
static unsigned
some_spammer(const struct gw_web *w, uint64_t *s)
{
	return w->spam[gw_below(s, w->nrings * 5)];
}

/* Fill c's author: a blogger from the table, else someone without a blog
 * (name only, or a LinkedIn profile), sometimes a spammer. */
static void
pick_commenter(const struct gw_web *w, const struct gw_blog *b,
	       const struct gw_post *p, const struct table *tab, uint64_t *s,
	       struct gw_comment *c)
{
	double r = gw_unit(s);
	long who = -1;
	int tries;

	if (b->role == GW_SPAM || r < 0.07) {
		c->who = GW_SPAMMER;
		c->person = some_spammer(w, s);
		if (b->role == GW_SPAM)
			while (c->person == b->id)
				c->person = some_spammer(w, s);
		return;
	}
	if (r >= 0.27) {
		for (tries = 0; tries < 5 && who < 0; tries++) {
			who = table_pick(
			    &tab[(p->topic >= 0 ? p->topic : GW_NTOPICS) * 2 +
				 b->lang],
			    s);
			if (who == (long)b->id)
				who = -1;
		}
	}
	if (who >= 0) {
		c->who = GW_BLOGGER_PERSON;
		c->person = (unsigned)who;
		return;
	}
	c->who = gw_chance(s, 0.5) ? GW_ANON : GW_PROFILE;
	/* The low bit says which language the name is from. */
	c->person = ((unsigned)gw_next(s) & ~1u) | (b->lang == GW_DE);
}

static int64_t
comment_delay(uint64_t *s)
{
	double r = gw_unit(s);

	if (r < 0.7)
		return gw_range(s, HOUR, 48 * HOUR);
	if (r < 0.95)
		return gw_range(s, 2 * DAY, 7 * DAY);
	return gw_range(s, 8 * DAY, 20 * DAY);
}

static void
plan_comments(struct gw_web *w)
{
	struct table *tab = build_tables(w, comment_weight);
	size_t i, j;

	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];
		uint64_t s = gw_stream(w->o.seed, T_COMMENTS, i);

		if (b->comments_off)
			continue;
		for (j = 0; j < b->nposts; j++) {
			unsigned pi = (unsigned)(b->post0 + j);
			const struct gw_post *p = &w->posts[pi];
			size_t first = w->ncomments, ntop, k, m;
			int n;

			switch (b->role) {
			case GW_MENTOR:
				n = gw_range(&s, 2, 8);
				break;
			case GW_DECOY:
				n = gw_range(&s, 8, 18);
				break;
			case GW_DORMANT:
				n = gw_range(&s, 1, 5);
				break;
			case GW_SPAM:
			case GW_LURKER:
				n = gw_range(&s, 0, 2);
				break;
			default: {
				/* Most ordinary posts get few comments. */
				static const int dist[] = {0, 0, 0, 1, 1,
							   2, 2, 3, 4, 6};

				n = dist[gw_below(&s, 10)];
				break;
			}
			}
			for (k = 0; k < (size_t)n; k++) {
				int64_t t = p->date + comment_delay(&s);
				struct gw_comment *c;

				if (!open_at(w, p, t))
					continue;
				c = new_comment(w, pi);
				c->date = t;
				c->seed = gw_next(&s);
				/* A blogger comments once per post at the top
				 * level; a repeat becomes a one-time visitor.
				 */
				pick_commenter(w, b, p, tab, &s, c);
				for (m = first; m + 1 < w->ncomments; m++) {
					const struct gw_comment *o =
					    &w->comments[m];

					if (o->who == c->who &&
					    o->person == c->person &&
					    c->who != GW_ANON &&
					    c->who != GW_PROFILE) {
						c->who = GW_ANON;
						c->person =
						    ((unsigned)gw_next(&s) &
						     ~1u) |
						    (b->lang == GW_DE);
						break;
					}
				}
			}
			/* Top-level comments in date order. */
			ntop = w->ncomments - first;
			for (k = 1; k < ntop; k++) {
				struct gw_comment t = w->comments[first + k];

				m = k;
				while (m > 0 &&
				       w->comments[first + m - 1].date >
					   t.date) {
					w->comments[first + m] =
					    w->comments[first + m - 1];
					m--;
				}
				w->comments[first + m] = t;
			}
			for (k = 0; k < ntop; k++) {
				size_t ci = first + k;
				struct gw_comment top = w->comments[ci];

				if (top.who == GW_SPAMMER)
					continue; /* nobody answers spam */
				if (b->answer_rate > 0 &&
				    gw_chance(&s, b->answer_rate)) {
					double lat = b->latency_h *
						     (0.3 + 1.4 * gw_unit(&s));
					int64_t t = top.date +
						    (int64_t)(lat * HOUR) + 60;
					struct gw_comment *c;

					if (!open_at(w, p, t))
						continue;
					c = new_comment(w, pi);
					c->parent = (long)ci;
					c->date = t;
					c->who = GW_BLOGGER_PERSON;
					c->person = b->id;
					c->by_author = true;
					c->seed = gw_next(&s);
					/* Sometimes the commenter thanks. */
					if (gw_chance(&s, 0.2) &&
					    open_at(w, p, t + 2 * HOUR)) {
						struct gw_comment *f =
						    new_comment(w, pi);

						f->parent =
						    (long)(w->ncomments - 2);
						f->date =
						    t + gw_range(&s, HOUR,
								 30 * HOUR);
						if (!open_at(w, p, f->date))
							f->date = t + HOUR;
						f->who = top.who;
						f->person = top.person;
						f->seed = gw_next(&s);
					}
				}
				if (gw_chance(&s, 0.1)) {
					int64_t t =
					    top.date +
					    gw_range(&s, 2 * HOUR, 72 * HOUR);
					struct gw_comment *c;

					if (!open_at(w, p, t))
						continue;
					c = new_comment(w, pi);
					c->parent = (long)ci;
					c->date = t;
					c->seed = gw_next(&s);
					pick_commenter(w, b, p, tab, &s, c);
					if (c->who == GW_SPAMMER ||
					    (c->who == GW_BLOGGER_PERSON &&
					     c->person == b->id))
						c->who = GW_ANON;
				}
			}
		}
	}
	free_tables(tab);
}

/* Every blog left out of feeds.txt must be reachable from it: a link from
 * a subscribed blog or a comment signed with its home page.  Where the
 * random plan left one unreachable, its author comments on a subscribed
 * blog; the spam ring gets at least two spam comments there. */
static void
ensure_discoverable(struct gw_web *w)
{
	bool *reached = ms_xcalloc(w->nblogs, sizeof(bool));
	size_t i, j, k, nsub = 0, spam_seen = 0;
	unsigned *subs = ms_xcalloc(w->nblogs, sizeof(unsigned));
	uint64_t s = gw_stream(w->o.seed, T_FIX, 0);

	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];

		if (!b->subscribed)
			continue;
		subs[nsub++] = (unsigned)i;
		for (j = 0; j < b->nposts; j++) {
			const struct gw_post *p = &w->posts[b->post0 + j];

			for (k = 0; k < p->nlinks; k++) {
				unsigned l = p->links[k];

				reached[l >= UINT32_MAX - w->nblogs
					    ? UINT32_MAX - l
					    : w->posts[l].blog] = true;
			}
		}
	}
	for (i = 0; i < w->ncomments; i++) {
		const struct gw_comment *c = &w->comments[i];

		if (!w->blogs[w->posts[c->post].blog].subscribed)
			continue;
		if (c->who == GW_BLOGGER_PERSON)
			reached[c->person] = true;
		if (c->who == GW_SPAMMER)
			spam_seen++;
	}
	for (i = 0; i < w->nblogs && nsub; i++) {
		const struct gw_blog *b = &w->blogs[i];
		int tries;

		if (b->subscribed || reached[i] ||
		    (b->role == GW_SPAM && spam_seen >= 2))
			continue;
		for (tries = 0; tries < 50; tries++) {
			const struct gw_blog *h =
			    &w->blogs[subs[gw_below(&s, (unsigned)nsub)]];
			const struct gw_post *p;
			struct gw_comment *c;
			int64_t t;

			if (h->comments_off || !h->nposts)
				continue;
			/* Prefer a post on the commenter's topic. */
			p = &w->posts[h->post0 + h->nposts - 1 -
				      gw_below(&s, (unsigned)(h->nposts < 4
								  ? h->nposts
								  : 4))];
			if (tries < 25 && p->topic != b->topic)
				continue;
			t = p->date + gw_range(&s, 2 * HOUR, 30 * HOUR);
			if (!open_at(w, p, t))
				continue;
			c = new_comment(w, (unsigned)(p - w->posts));
			c->date = t;
			c->seed = gw_next(&s);
			c->who =
			    b->role == GW_SPAM ? GW_SPAMMER : GW_BLOGGER_PERSON;
			c->person = (unsigned)i;
			if (b->role == GW_SPAM)
				spam_seen++;
			break;
		}
	}
	free(reached);
	free(subs);
}

/* Comments grouped by post (they were appended out of order): a stable
 * counting sort, parents remapped, then ids in each blog's style. */
static void
compact_comments(struct gw_web *w)
{
	size_t n = w->ncomments, i;
	size_t *start = ms_xcalloc(w->nposts + 1, sizeof(size_t));
	size_t *map = ms_xcalloc(n ? n : 1, sizeof(size_t));
	struct gw_comment *out = ms_xcalloc(n ? n : 1, sizeof(*out));

	for (i = 0; i < n; i++)
		start[w->comments[i].post + 1]++;
	for (i = 0; i < w->nposts; i++)
		start[i + 1] += start[i];
	for (i = 0; i < w->nposts; i++) {
		w->posts[i].c0 = start[i];
		w->posts[i].nc = 0;
	}
	for (i = 0; i < n; i++) {
		struct gw_post *p = &w->posts[w->comments[i].post];

		map[i] = p->c0 + p->nc++;
		out[map[i]] = w->comments[i];
	}
	for (i = 0; i < n; i++)
		if (out[i].parent >= 0)
			out[i].parent = (long)map[out[i].parent];
	free(w->comments);
	w->comments = out;
	w->acomments = n;
	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];
		uint64_t s = gw_stream(w->o.seed, T_IDS, i);
		uint64_t next = 2 + gw_below(&s, 300);
		size_t j, k;

		for (j = 0; j < b->nposts; j++) {
			const struct gw_post *p = &w->posts[b->post0 + j];

			for (k = 0; k < p->nc; k++) {
				struct gw_comment *c = &w->comments[p->c0 + k];

				if (b->eng == GW_BLOGGER)
					c->num_id = 1000000000000000000ULL +
						    gw_next(&s) %
							8000000000000000000ULL;
				else
					c->num_id = next;
				next += b->eng == GW_WORDPRESS
					    ? (uint64_t)gw_range(&s, 1, 4)
					    : 1;
			}
		}
	}
	w->st.comments = n;
	free(start);
	free(map);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* What truth.json says about each blog. */
static void
gather_evidence(struct gw_web *w)
{
	unsigned *seen = ms_xcalloc(w->nblogs, sizeof(unsigned));
	double *lat = NULL;
	size_t alat = 0, i, j, k;

	for (i = 0; i < w->nblogs; i++) {
		struct gw_blog *b = &w->blogs[i];
		size_t nlat = 0;

		for (j = 0; j < b->nposts; j++) {
			const struct gw_post *p = &w->posts[b->post0 + j];

			for (k = 0; k < p->nlinks; k++) {
				unsigned l = p->links[k];
				unsigned tb = l >= UINT32_MAX - w->nblogs
						  ? UINT32_MAX - l
						  : w->posts[l].blog;

				if (tb != i && b->role != GW_SPAM &&
				    seen[tb] != i + 1) {
					seen[tb] = (unsigned)i + 1;
					w->blogs[tb].linked_by++;
				}
			}
			for (k = 0; k < p->nc; k++) {
				const struct gw_comment *c =
				    &w->comments[p->c0 + k];

				if (c->by_author) {
					if (c->parent >= 0) {
						b->replies++;
						MS_GROW(lat, nlat + 1, alat);
						lat[nlat++] =
						    (double)(c->date -
							     w->comments
								 [c->parent]
								     .date) /
						    HOUR;
					}
				} else if (c->who != GW_SPAMMER) {
					b->others_comments++;
				}
			}
		}
		if (nlat) {
			qsort(lat, nlat, sizeof(double), cmp_double);
			b->reply_hours_median =
			    nlat % 2 ? lat[nlat / 2]
				     : (lat[nlat / 2 - 1] + lat[nlat / 2]) / 2;
		}
	}
	free(lat);
	free(seen);
}

/* ---------------------------------------------------------- outputs */

static int
write_feeds(struct gw_web *w, struct ms_err *err)
{
	char date[40];
	size_t i;
	int rc;

	gw_doc_begin(w);
	for (i = 0; i < w->nblogs; i++)
		if (w->blogs[i].subscribed)
			gw_putf(w, "%s\n", w->blogs[i].feed);
	rc = gw_file_write(w, "feeds.txt", w->o.now, err);
	if (rc != MS_OK)
		return rc;
	gw_rfc822(w->o.now, date);
	gw_doc_begin(w);
	gw_putf(w,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"2.0\">\n<head>\n"
		"<title>Subscriptions (sample web, seed %llu)</title>\n"
		"<dateCreated>%s</dateCreated>\n</head>\n<body>\n",
		(unsigned long long)w->o.seed, date);
	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];

		if (!b->subscribed)
			continue;
		gw_put(w, "<outline type=\"rss\" text=\"");
		gw_esc(w, b->title);
		gw_put(w, "\" title=\"");
		gw_esc(w, b->title);
		gw_putf(w,
			"\" xmlUrl=\"%s\" htmlUrl=\"%s\" language=\"%s\"/>\n",
			b->feed, b->home, b->lang == GW_DE ? "de" : "en");
	}
	gw_put(w, "</body>\n</opml>\n");
	return gw_file_write(w, "feeds.opml", w->o.now, err);
}

static const char *
role_name(enum gw_role r)
{
	static const char *const names[] = {"mentor", "decoy",	 "dormant",
					    "spam",   "regular", "lurker"};

	return names[r];
}

static const char *
engine_name(enum gw_engine e)
{
	static const char *const names[] = {"wordpress", "blogger", "atom",
					    "rss", "h-entry"};

	return names[e];
}

static size_t
posts_on(const struct gw_web *w, const struct gw_blog *b, int topic)
{
	size_t j, n = 0;

	for (j = 0; j < b->nposts; j++)
		n += w->posts[b->post0 + j].topic == topic;
	return n;
}

static json_t *
person_json(const struct gw_web *w, const struct gw_blog *b)
{
	json_t *o = json_object();
	char *site = NULL;

	json_object_set_new(o, "site", json_string(b->home));
	if (ms_url_site(b->home, &site, NULL) == MS_OK)
		json_object_set_new(o, "site_id", json_string(site));
	free(site);
	json_object_set_new(o, "feed", json_string(b->feed));
	json_object_set_new(o, "name", json_string(b->name));
	json_object_set_new(o, "lang",
			    json_string(b->lang == GW_DE ? "de" : "en"));
	json_object_set_new(o, "engine", json_string(engine_name(b->eng)));
	json_object_set_new(o, "subscribed", json_boolean(b->subscribed));
	(void)w;
	return o;
}

static json_t *
why_json(const struct gw_web *w, const struct gw_blog *b, int topic)
{
	json_t *o = json_object();
	const struct gw_post *last = &w->posts[b->post0 + b->nposts - 1];
	unsigned m, nprof = 0;

	for (m = 0; m < 4; m++)
		nprof += (b->profiles >> m) & 1;
	json_object_set_new(o, "posts", json_integer((json_int_t)b->nposts));
	json_object_set_new(o, "posts_on_topic",
			    json_integer((json_int_t)posts_on(w, b, topic)));
	json_object_set_new(o, "comments_by_others",
			    json_integer(b->others_comments));
	json_object_set_new(o, "replies_to_commenters",
			    json_integer(b->replies));
	json_object_set_new(
	    o, "median_reply_hours",
	    json_real((double)(int)(b->reply_hours_median * 10 + 0.5) / 10));
	json_object_set_new(o, "linked_by_blogs", json_integer(b->linked_by));
	json_object_set_new(o, "days_since_last_post",
			    json_integer((w->o.now - last->date) / DAY));
	json_object_set_new(o, "comments_open_on_last_post",
			    json_boolean(!last->closed));
	json_object_set_new(o, "profiles", json_integer(nprof));
	return o;
}

static int
write_truth(struct gw_web *w, struct ms_err *err)
{
	json_t *root = json_object(), *topics = json_object();
	json_t *spam = json_array(), *blocked = json_array();
	json_t *blogs = json_array(), *rules = json_array();
	char now[40];
	char *text;
	size_t i;
	int t, rc;

	gw_rfc3339(w->o.now, 0, false, now);
	json_object_set_new(root, "generator", json_string("genweb 1"));
	json_object_set_new(root, "seed", json_integer((json_int_t)w->o.seed));
	json_object_set_new(root, "now", json_string(now));
	json_object_set_new(root, "blogs", json_integer((json_int_t)w->nblogs));
	json_object_set_new(root, "port", json_integer(w->o.port));
	json_object_set_new(root, "domain", json_string(w->o.domain));
	json_array_append_new(
	    rules,
	    json_string(
		"topics.T.mentors: each is in the top 3 of 'discover --topic "
		"T'; with --lang L the mentor of language L ranks first"));
	json_array_append_new(
	    rules,
	    json_string(
		"topics.T.decoys and topics.T.dormant: each ranks below every "
		"mentor of T"));
	json_array_append_new(
	    rules,
	    json_string(
		"spam: none of these sites is in the top 10 of any topic"));
	json_array_append_new(
	    rules,
	    json_string(
		"robots_blocked: nothing but /robots.txt is fetched from these "
		"hosts"));
	json_array_append_new(
	    rules,
	    json_string(
		"unsubscribed mentors are reachable from feeds.txt through "
		"post links or comment author URLs: discovery finds them"));
	json_object_set_new(root, "rules", rules);

	for (t = 0; t < GW_NTOPICS; t++) {
		json_t *o = json_object(), *men = json_array(),
		       *dec = json_array(), *dor = json_array();

		for (i = 0; i < w->nblogs; i++) {
			const struct gw_blog *b = &w->blogs[i];
			json_t *p;

			if (b->role == GW_MENTOR && b->topic == t) {
				p = person_json(w, b);
				json_object_set_new(p, "why",
						    why_json(w, b, t));
				json_array_append_new(men, p);
			} else if (b->role == GW_DECOY && posts_on(w, b, t)) {
				p = person_json(w, b);
				json_object_set_new(p, "why",
						    why_json(w, b, t));
				json_array_append_new(dec, p);
			} else if (b->role == GW_DORMANT && b->topic == t) {
				p = person_json(w, b);
				json_object_set_new(p, "why",
						    why_json(w, b, t));
				json_array_append_new(dor, p);
			}
		}
		if (json_array_size(men) == 0) {
			/* A topic without a designed mentor (small webs). */
			json_decref(men);
			json_decref(dec);
			json_decref(dor);
			json_decref(o);
			continue;
		}
		json_object_set_new(o, "mentors", men);
		json_object_set_new(o, "decoys", dec);
		json_object_set_new(o, "dormant", dor);
		json_object_set_new(topics, gw_topics[t].id, o);
	}
	json_object_set_new(root, "topics", topics);
	for (i = 0; i < w->nblogs; i++) {
		const struct gw_blog *b = &w->blogs[i];
		json_t *p = person_json(w, b);

		json_object_set_new(p, "role", json_string(role_name(b->role)));
		json_object_set_new(p, "topic",
				    json_string(gw_topics[b->topic].id));
		json_object_set_new(p, "host", json_string(b->host));
		json_object_set_new(p, "posts",
				    json_integer((json_int_t)b->nposts));
		if (b->role == GW_SPAM) {
			json_t *q = person_json(w, b);

			json_object_set_new(q, "ring", json_integer(b->ring));
			json_array_append_new(spam, q);
		}
		if (b->robots == 2) {
			json_t *q = person_json(w, b);

			json_object_set_new(q, "host", json_string(b->host));
			json_array_append_new(blocked, q);
		}
		json_array_append_new(blogs, p);
	}
	json_object_set_new(root, "spam", spam);
	json_object_set_new(root, "robots_blocked", blocked);
	json_object_set_new(root, "all_blogs", blogs);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
				    JSON_ENSURE_ASCII);
	json_decref(root);
	if (!text)
		return ms_err_set(err, MS_EIO, "cannot encode truth.json");
	gw_doc_begin(w);
	gw_put(w, text);
	gw_put(w, "\n");
	free(text);
	rc = gw_file_write(w, "truth.json", w->o.now, err);
	return rc;
}

/* ---------------------------------------------------------- the run */

static int
prepare_out(const char *out, struct ms_err *err)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char *tmp, *p;

	if (stat(out, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return ms_err_set(err, MS_EEXIST,
					  "output '%s' exists and is not a "
					  "directory",
					  out);
		d = opendir(out);
		if (!d)
			return ms_err_set(err, MS_EIO, "cannot read '%s': %s",
					  out, strerror(errno));
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				closedir(d);
				return ms_err_set(err, MS_EEXIST,
						  "output directory '%s' is "
						  "not empty",
						  out);
			}
		}
		closedir(d);
		return MS_OK;
	}
	tmp = ms_xstrdup(out);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
	free(tmp);
	if (mkdir(out, 0755) != 0)
		return ms_err_set(err, MS_EIO, "cannot create '%s': %s", out,
				  strerror(errno));
	return MS_OK;
}

static void
free_web(struct gw_web *w)
{
	size_t i;

	for (i = 0; i < w->nblogs; i++) {
		struct gw_blog *b = &w->blogs[i];

		free(b->name);
		free(b->slug);
		free(b->login);
		free(b->host);
		free(b->home);
		free(b->feed);
		free(b->title);
		free(b->tagline);
		free(b->roll);
	}
	free(w->blogs);
	for (i = 0; i < w->nposts; i++) {
		struct gw_post *p = &w->posts[i];

		free(p->title);
		free(p->slug);
		free(p->url);
		free(p->cfeed);
		free(p->links);
	}
	free(w->posts);
	free(w->comments);
	free(w->spam);
	for (i = 0; i < w->nhosts; i++)
		free(w->hosts[i]);
	free(w->hosts);
	ms_buf_release(&w->doc);
	free(w->lastdir);
}

/* Blogrolls: a few blogs of the same topic in the sidebar (sitewide
 * links); the spam ring lists itself. */
static void
plan_blogrolls(struct gw_web *w)
{
	struct table *tab = build_tables(w, link_weight);
	size_t i;

	for (i = 0; i < w->nblogs; i++) {
		struct gw_blog *b = &w->blogs[i];
		uint64_t s = gw_stream(w->o.seed, T_LINKS, w->nblogs + i);
		int n = 0, k;

		if (b->role == GW_SPAM) {
			unsigned m;

			b->roll = ms_xcalloc(4, sizeof(unsigned));
			for (m = 0; m < 5; m++)
				if ((int)m != b->member)
					b->roll[b->nroll++] =
					    w->spam[b->ring * 5 + m];
			continue;
		}
		if (b->role == GW_MENTOR || b->role == GW_REGULAR)
			n = gw_range(&s, 2, 5);
		if (!n)
			continue;
		b->roll = ms_xcalloc((size_t)n, sizeof(unsigned));
		for (k = 0; k < n; k++) {
			long t = table_pick(&tab[b->topic * 2 + b->lang], &s);
			size_t m;
			bool dup = t < 0 || t == (long)i;

			for (m = 0; m < b->nroll && !dup; m++)
				dup = b->roll[m] == (unsigned)t;
			if (!dup)
				b->roll[b->nroll++] = (unsigned)t;
		}
	}
	free_tables(tab);
}

int
ms_genweb_run(const struct ms_genweb_opts *opts, struct ms_genweb_stats *stats,
	      struct ms_err *err)
{
	struct gw_web w;
	size_t i;
	int rc;

	memset(&w, 0, sizeof(w));
	w.o = *opts;
	if (!w.o.out || !*w.o.out)
		return ms_err_set(err, MS_EUSAGE, "genweb: --out is required");
	if (!w.o.blogs)
		w.o.blogs = 60;
	if (w.o.blogs < MS_GENWEB_MIN_BLOGS || w.o.blogs > MS_GENWEB_MAX_BLOGS)
		return ms_err_set(
		    err, MS_EUSAGE, "genweb: --blogs %u is not in %d..%d",
		    w.o.blogs, MS_GENWEB_MIN_BLOGS, MS_GENWEB_MAX_BLOGS);
	if (!w.o.port)
		w.o.port = 8080;
	if (w.o.port > 65535)
		return ms_err_set(err, MS_EUSAGE,
				  "genweb: --port %u is not a port", w.o.port);
	if (!w.o.domain)
		w.o.domain = "localhost";
	for (i = 0; w.o.domain[i]; i++) {
		char c = w.o.domain[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return ms_err_set(err, MS_EUSAGE,
					  "genweb: --domain '%s': lower-case "
					  "letters, digits, '-' and '.' only",
					  w.o.domain);
	}
	if (!w.o.now)
		w.o.now = MS_GENWEB_NOW;
	rc = prepare_out(w.o.out, err);
	if (rc != MS_OK)
		return rc;
	ms_buf_init(&w.doc, 64u << 20);
	w.nblogs = w.o.blogs;

	plan_blogs(&w);
	plan_subscriptions(&w);
	plan_posts(&w);
	plan_links(&w);
	plan_blogrolls(&w);
	plan_comments(&w);
	ensure_discoverable(&w);
	compact_comments(&w);
	gather_evidence(&w);

	for (i = 0; i < w.nblogs && rc == MS_OK; i++)
		rc = gw_render_blog(&w, &w.blogs[i], err);
	for (i = 0; i < w.nhosts && rc == MS_OK; i++)
		rc = gw_render_robots(&w, i, err);
	if (rc == MS_OK)
		rc = write_feeds(&w, err);
	if (rc == MS_OK)
		rc = write_truth(&w, err);
	w.st.blogs = w.nblogs;
	w.st.hosts = w.nhosts;
	if (stats)
		*stats = w.st;
	free_web(&w);
	return rc;
}

int
ms_genweb_parse_time(const char *s, int64_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, se, n = 0;
	char *end;
	long long v;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se,
		   &n) == 6 &&
	    s[n] == '\0') {
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
		    se > 60)
			return -1;
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = se;
		*out = (int64_t)timegm(&tm);
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	*out = (int64_t)v;
	return 0;
}
