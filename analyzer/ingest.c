/*
 * ingest.c — record what one parsed document yields into a store batch:
 * its posts, its comments and the people who wrote them.  The feed record
 * itself (title, site, validators) is the crawler's.
 *
 * Every key comes from what the document says (normalized links, ids,
 * identities), never from the crawl's time or order, so ingesting the same
 * document twice writes the same records and merges the same people: no
 * duplicates.
 *
 * Identity (DESIGN.md): a person is their own site, else a profile, else
 * a name on a host:
 *   - an author URI that is a profile on a known network →
 *     "profile:" + canonical profile URL;
 *   - an author URI elsewhere → "site:" + ms_url_site(uri), except a page
 *     inside the blog being read (WordPress's /author/anna/ archive, on
 *     the blog's host but not the blog itself): that is not the person's
 *     site, and the blog's feed names the same person by name only, so the
 *     name identity is used and page and feed agree;
 *   - a name → "name:" + name + "@" + host of the feed (without "www.").
 * An entry without its own author is by the feed's author, the blog's
 * owner: identified by the feed author's URI, else by the blog's site
 * ("site:" + ms_url_site(doc link)).  A comment the engine marks as the
 * post author's is recorded under the post author's key, whatever name
 * the comment form was filled with, so answers to commenters are seen.
 *
 * Profiles attached to people: the canonical form of their author URI;
 * the page's own profiles (rel=me, sidebar) go to the blog's owner, or to
 * the only author of the document.  Profiles found inside post content
 * are not attributed to the author: posts link other people's profiles
 * as often as their own.
 */
#include "analyzer/internal.h"
#include "store/store.h"
#include "util/err.h"
#include "util/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SUMMARY_MAX 500		/* bytes of text kept as the summary */
#define MAX_LIST_ITEMS 200	/* links or categories kept per post */
#define MAX_PROFILES 32		/* per person */

struct person {
	struct ms_hash key;
	const char *ident, *name, *site, *feed;
	const char **profiles;
	size_t nprofiles, cap;
	uint32_t flags;
	int64_t first, last;
};

/* The author key of each post in this document, for comments by it. */
struct post_author {
	const char *url;	/* normalized */
	int person;		/* index into people, -1 */
};

struct ingest {
	const struct ms_doc *doc;
	struct ms_arena a;	/* scratch strings; records are copied by the
				   batch when put */
	const char *host;	/* of the feed, for name identities */
	const char *feed;	/* the feed a person here can be followed by */
	int64_t now;
	struct person *people;
	size_t npeople, people_cap;
	struct post_author *posts;
	size_t nposts;
	int owner;		/* the blog owner's person, -1 until used */
};

struct ident {
	const char *ident;
	const char *site;	/* their site's URL, for site identities */
	const char *profile;	/* canonical, for profile identities */
};

/* ---------------------------------------------------------------- URLs */

static const char *
normalized(struct ingest *in, const char *url)
{
	char *n = NULL;
	const char *out = NULL;

	if (url && ms_url_normalize(url, &n, NULL) == MS_OK)
		out = ms_arena_strdup(&in->a, n);
	free(n);
	return out;
}

static const char *
site_of(struct ingest *in, const char *url)
{
	char *s = NULL;
	const char *out = NULL;

	if (url && ms_url_is_http(url) && ms_url_site(url, &s, NULL) == MS_OK)
		out = ms_arena_strdup(&in->a, s);
	free(s);
	return out;
}

static const char *
host_of(struct ingest *in, const char *url)
{
	char h[256];

	if (!url || ms_url_host(url, h, sizeof(h)) != MS_OK || !*h)
		return NULL;
	return ms_arena_strdup(&in->a, strncmp(h, "www.", 4) ? h : h + 4);
}

/* A page inside the blog at blog_site, not the blog itself: same host,
 * a longer path. */
static bool
inside_blog(const char *site, const char *blog_site)
{
	size_t h = strcspn(site, "/");

	return blog_site && h == strcspn(blog_site, "/") &&
	       !strncmp(site, blog_site, h) && site[h] == '/' &&
	       strcmp(site, blog_site) != 0;
}

/* ------------------------------------------------------------- people */

/* Author URIs that are a hosting platform's page about the user, not a
 * site of theirs (Blogger puts one in every feed and comment).  Sorted. */
static const char *const platform_pages[] = {
	"//gravatar.com/", "//www.blogger.com/profile/",
	"//www.gravatar.com/",
};

static bool
platform_page(const char *uri)
{
	const char *p = strstr(uri, "//");

	for (size_t i = 0; p && i < sizeof(platform_pages) /
					sizeof(*platform_pages); i++)
		if (!strncasecmp(p, platform_pages[i],
				 strlen(platform_pages[i])))
			return true;
	return false;
}

bool
ms_url_is_platform_page(const char *url)
{
	struct ms_arena a;
	bool profile;

	if (!url)
		return false;
	if (platform_page(url))
		return true;
	ms_arena_init(&a);
	profile = ms_profile_canonical(&a, url) != NULL;
	ms_arena_release(&a);
	return profile;
}

/* The blog's own site, from the root of the document's link: a Blogger
 * blog is its host, whichever of its feeds or pages is being read. */
static bool
blog_root(struct ingest *in, struct ident *out)
{
	const char *link = in->doc->link;
	const char *p = link ? strstr(link, "://") : NULL;
	const char *root, *s;

	if (!p)
		return false;
	p += 3;
	root = ms_arena_printf(&in->a, "%.*s/", (int)(p - link +
						      strcspn(p, "/?#")),
			       link);
	s = site_of(in, root);
	if (!s)
		return false;
	out->ident = ms_arena_printf(&in->a, "site:%s", s);
	out->site = normalized(in, root);
	return true;
}

/* Who au is; blog is the URL of the post the name appears on. */
static bool
identify(struct ingest *in, const struct ms_author *au, const char *blog,
	 struct ident *out)
{
	const char *name = au->name;
	const struct ms_author *da = &in->doc->author;

	memset(out, 0, sizeof(*out));
	/* The blog's owner signing with their platform page: they are the
	 * blog, so that their comments elsewhere (which link the blog) and
	 * their posts here are one person. */
	if (au->uri && platform_page(au->uri) && da->uri &&
	    !strcmp(au->uri, da->uri) && blog_root(in, out))
		return true;
	if (au->uri && ms_url_is_http(au->uri)) {
		const char *p = ms_profile_canonical(&in->a, au->uri);
		const char *s;

		if (p) {
			out->ident = ms_arena_printf(&in->a, "profile:%s", p);
			out->profile = p;
			return true;
		}
		s = site_of(in, au->uri);
		if (s && !(name && *name && blog &&
			   inside_blog(s, site_of(in, blog)))) {
			const char *n = normalized(in, au->uri);

			out->ident = ms_arena_printf(&in->a, "site:%s", s);
			out->site = n ? n : au->uri;
			return true;
		}
	}
	if (name && *name) {
		out->ident = ms_arena_printf(&in->a, "name:%s@%s", name,
					     in->host ? in->host : "");
		return true;
	}
	return false;
}

static void
add_profile(struct ingest *in, struct person *p, const char *url)
{
	const char *c = url ? ms_profile_canonical(&in->a, url) : NULL;

	if (!c || p->nprofiles >= MAX_PROFILES)
		return;
	for (size_t i = 0; i < p->nprofiles; i++)
		if (!strcmp(p->profiles[i], c))
			return;
	ms_strv_push(&in->a, &p->profiles, &p->nprofiles, &p->cap, c);
}

static int
person(struct ingest *in, const struct ident *id, const char *name,
       uint32_t flag, int64_t when)
{
	struct ms_hash key;
	struct person *p = NULL;
	size_t i;

	ms_key_person(id->ident, &key);
	for (i = 0; i < in->npeople; i++)
		if (!memcmp(&in->people[i].key, &key, sizeof(key))) {
			p = &in->people[i];
			break;
		}
	if (!p) {
		if (in->npeople == in->people_cap) {
			size_t nc = in->people_cap ? in->people_cap * 2 : 16;
			struct person *np = ms_arena_alloc(&in->a,
							   nc * sizeof(*np));

			if (in->npeople)
				memcpy(np, in->people,
				       in->npeople * sizeof(*np));
			in->people = np;
			in->people_cap = nc;
		}
		p = &in->people[in->npeople++];
		memset(p, 0, sizeof(*p));
		p->key = key;
		p->ident = id->ident;
		p->first = p->last = MS_TIME_NONE;
	}
	if (!p->name && name && *name)
		p->name = name;
	if (!p->site && id->site)
		p->site = id->site;
	if (id->profile)
		add_profile(in, p, id->profile);
	p->flags |= flag;
	if (when == MS_TIME_NONE)
		when = in->now;
	if (p->first == MS_TIME_NONE || when < p->first)
		p->first = when;
	if (p->last == MS_TIME_NONE || when > p->last)
		p->last = when;
	return (int)(p - in->people);
}

/* The blog's owner: the feed author's URI, else the blog's site, else
 * the feed author's name. */
static int
owner(struct ingest *in, int64_t when)
{
	const struct ms_doc *doc = in->doc;
	const struct ms_author by_uri = { NULL, doc->author.uri, NULL };
	const char *s;
	struct ident id;
	struct person *p;

	if (in->owner >= 0)
		return person(in, &(struct ident){ in->people[in->owner].ident,
						   NULL, NULL },
			      NULL, MS_PERSON_AUTHOR, when);
	if (identify(in, &by_uri, NULL, &id)) {
		/* the feed author's own site or profile */
	} else if ((s = site_of(in, doc->link))) {
		const char *n = normalized(in, doc->link);

		id = (struct ident){ ms_arena_printf(&in->a, "site:%s", s),
				     n ? n : doc->link, NULL };
	} else if (!identify(in, &doc->author, NULL, &id)) {
		return -1;
	}
	in->owner = person(in, &id, doc->author.name, MS_PERSON_AUTHOR, when);
	p = &in->people[in->owner];
	for (size_t i = 0; i < doc->nprofiles; i++)
		add_profile(in, p, doc->profiles[i]);
	if (!p->feed)
		p->feed = in->feed;
	return in->owner;
}

/* '\n' between items, blanks for line breaks inside them. */
static const char *
join(struct ingest *in, const char *const *v, size_t n)
{
	size_t len = 0, k = 0;
	char *out;

	if (n > MAX_LIST_ITEMS)
		n = MAX_LIST_ITEMS;
	for (size_t i = 0; i < n; i++)
		len += v[i] ? strlen(v[i]) + 1 : 0;
	if (!len)
		return NULL;
	out = ms_arena_alloc(&in->a, len);
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || !*v[i])
			continue;
		if (k)
			out[k++] = '\n';
		for (const char *s = v[i]; *s; s++)
			out[k++] = *s == '\n' || *s == '\r' ? ' ' : *s;
	}
	out[k] = '\0';
	return k ? out : NULL;
}

/* v in decimal at out (NUL-terminated, as "%lu"); its length. */
static size_t
put_uint(char *out, unsigned long v)
{
	char tmp[24];
	size_t n = 0, k;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
	return n;
}

static const char *
topics_list(struct ingest *in, const struct ms_entry *e)
{
	size_t n = 0, k = 0;
	char *out;

	if (!e->ntopics)
		return NULL;
	for (size_t i = 0; i < e->ntopics; i++)
		n += strlen(e->topics[i].topic) + 40;
	out = ms_arena_alloc(&in->a, n);
	for (size_t i = 0; i < e->ntopics; i++) {
		double w = e->topics[i].weight;
		size_t tl = strlen(e->topics[i].topic);

		/* "topic=weight" lines by hand: snprintf's format parsing
		 * cost more than the rest of the record. */
		if (i)
			out[k++] = '\n';
		memcpy(out + k, e->topics[i].topic, tl);
		k += tl;
		out[k++] = '=';
		/* Weights are sums of halves (topics.c): as "%g" prints them,
		 * without its cost, while they have few digits. */
		if (w >= 0 && w < 10000 && w * 2 == (double)(long)(w * 2)) {
			k += put_uint(out + k, (unsigned long)w);
			if (w != (double)(long)w) {
				memcpy(out + k, ".5", 2);
				k += 2;
			}
			out[k] = '\0';
		} else {
			k += (size_t)snprintf(out + k, n - k, "%g", w);
		}
	}
	return out;
}

/* The start of the text, at most SUMMARY_MAX bytes, ending at a word
 * when one ends near the cut and never inside a UTF-8 sequence. */
static const char *
summary(struct ingest *in, const char *text)
{
	size_t n, cut;

	if (!text)
		return NULL;
	n = strnlen(text, SUMMARY_MAX + 1);
	if (n <= SUMMARY_MAX)
		return text;
	cut = SUMMARY_MAX;
	while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
		cut--;
	for (size_t i = cut, k = 0; i > 0 && k < 60; i--, k++)
		if (text[i] == ' ') {
			cut = i;
			break;
		}
	return ms_arena_strndup(&in->a, text, cut);
}

/* --------------------------------------------------------------- posts */

static void
ingest_entry(struct ingest *in, const struct ms_entry *e,
	     const struct ms_hash *feed_key, struct ms_batch *b,
	     struct ms_ingest_stats *st)
{
	struct ms_post_rec r = { 0 };
	struct ms_hash key;
	struct ident id;
	int who = -1;

	r.url = normalized(in, e->link);
	if (!r.url && !e->id)
		return;
	ms_key_post(r.url ? r.url : e->id, &key);
	if (e->nauthors && identify(in, &e->authors[0], e->link, &id))
		who = person(in, &id, e->authors[0].name, MS_PERSON_AUTHOR,
			     e->published);
	else if (!e->nauthors)
		who = owner(in, e->published);
	if (who >= 0)
		r.author = in->people[who].key;
	if (r.url)
		in->posts[in->nposts++] = (struct post_author){ r.url, who };
	r.feed = *feed_key;
	r.id = e->id;
	r.title = e->title;
	r.author_name = e->author.name;
	r.categories = join(in, e->categories, e->ncategories);
	r.links = join(in, e->links, e->nlinks);
	r.comment_feed = e->comment_feed;
	r.comments_url = e->comments_url;
	r.lang = e->language;
	r.topics = topics_list(in, e);
	r.summary = summary(in, e->text);
	r.published = e->published;
	r.updated = e->updated;
	r.seen = in->now;
	r.comment_count = e->comment_count > INT32_MAX ? INT32_MAX :
			  e->comment_count < -1 ? -1 :
						  (int32_t)e->comment_count;
	r.comments_open = (int8_t)(e->comments_open < 0 ? -1 :
				   e->comments_open > 0);
	ms_batch_put_post(b, &r);
	if (!st->posts)
		st->sample = key;
	st->posts++;
}

/* ------------------------------------------------------------ comments */

static int
post_author_of(const struct ingest *in, const char *post_url)
{
	for (size_t i = 0; post_url && i < in->nposts; i++)
		if (!strcmp(in->posts[i].url, post_url))
			return in->posts[i].person;
	return -1;
}

static void
ingest_comment(struct ingest *in, const struct ms_comment *c,
	       struct ms_batch *b, struct ms_ingest_stats *st)
{
	struct ms_comment_rec r = { 0 };
	struct ms_hash key;
	struct ident id;
	int who = -1;

	r.post_url = normalized(in, c->entry_link);
	if (!r.post_url)
		return;
	ms_key_post(r.post_url, &r.post);
	r.id = c->id;
	if (!r.id)
		r.id = ms_arena_printf(&in->a, "%s\n%s\n%lld", c->entry_link,
				       c->author.uri ? c->author.uri :
				       c->author.name ? c->author.name : "",
				       (long long)c->published);
	ms_key_comment(r.id, &key);
	if (c->by_post_author &&
	    (who = post_author_of(in, r.post_url)) >= 0)
		who = person(in, &(struct ident){ in->people[who].ident, NULL,
						  NULL },
			     NULL, MS_PERSON_COMMENTER, c->published);
	else if (identify(in, &c->author, c->entry_link, &id))
		who = person(in, &id, c->author.name, MS_PERSON_COMMENTER,
			     c->published);
	if (who >= 0)
		r.author = in->people[who].key;
	if (c->in_reply_to)
		ms_key_comment(c->in_reply_to, &r.parent);
	r.author_name = c->author.name;
	r.author_uri = c->author.uri;
	r.in_reply_to = c->in_reply_to;
	r.published = c->published;
	r.by_post_author = c->by_post_author;
	ms_batch_put_comment(b, &r);
	if (!st->posts && !st->comments)
		st->sample = key;
	st->comments++;
}

/* ---------------------------------------------------------------- main */

int
ms_doc_ingest(const struct ms_doc *doc, const char *feed_url, int64_t now,
	      struct ms_batch *b, struct ms_ingest_stats *stats,
	      struct ms_err *err)
{
	struct ms_ingest_stats st = { 0 };
	struct ingest in = { 0 };
	struct ms_hash feed_key = { { 0 } };
	int sole = -1;

	if (!doc || !b)
		return ms_err_set(err, MS_EUSAGE, "ingest: no document");
	ms_arena_init(&in.a);
	in.doc = doc;
	in.now = now;
	in.owner = -1;
	in.host = host_of(&in, feed_url);
	if (!in.host)
		in.host = host_of(&in, doc->link);
	if (feed_url)
		ms_key_feed(feed_url, &feed_key);
	/* The feed to follow a person by: a page's first autodiscovered one
	 * (the site's), else the feed read, unless that is a comment feed. */
	in.feed = doc->kind == MS_DOC_HTML ?
			  (doc->nfeed_links ? doc->feed_links[0] : NULL) :
			  feed_url;
	if (in.feed && strstr(in.feed, "/comments"))
		in.feed = NULL;
	in.posts = ms_arena_alloc(&in.a, (doc->nentries + 1) *
						 sizeof(*in.posts));

	for (size_t i = 0; i < doc->nentries; i++)
		/* A comment feed's entries are its comments (parse --json
		 * lists them as entries, as feedparser does): not posts. */
		if (!doc->entries[i].is_comment)
			ingest_entry(&in, &doc->entries[i], &feed_key, b, &st);
	/* One author and no owner: a one-person blog, so the page's
	 * profiles and feed are theirs. */
	for (size_t i = 0; i < in.nposts && in.owner < 0; i++) {
		int p = in.posts[i].person;

		if (p >= 0 && sole >= 0 && p != sole) {
			sole = -2;
			break;
		}
		if (p >= 0 && sole == -1)
			sole = p;
	}
	if (in.owner < 0 && sole >= 0) {
		struct person *p = &in.people[sole];

		for (size_t i = 0; i < doc->nprofiles; i++)
			add_profile(&in, p, doc->profiles[i]);
		if (!p->feed)
			p->feed = in.feed;
	}
	for (size_t i = 0; i < doc->ncomments; i++)
		ingest_comment(&in, &doc->comments[i], b, &st);

	for (size_t i = 0; i < in.npeople; i++) {
		const struct person *p = &in.people[i];
		struct ms_person_rec r = { 0 };

		r.ident = p->ident;
		r.name = p->name;
		r.site = p->site;
		r.feed = p->feed;
		r.profiles = join(&in, p->profiles, p->nprofiles);
		r.first_seen = p->first;
		r.last_seen = p->last;
		r.flags = p->flags;
		ms_batch_merge_person(b, &r);
	}
	st.people = in.npeople;
	if (stats)
		*stats = st;
	ms_arena_release(&in.a);
	return MS_OK;
}
