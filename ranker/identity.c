/*
 * identity.c — who is who.  The store keys a person by their site, else a
 * profile URL, else name@host (DESIGN.md "Identity"); the same person can
 * still arrive under several keys (a commenter who gave only a profile
 * that the blog's author lists, the author commenting under their name on
 * their own blog).  Here those are merged with a union-find, the config's
 * `me` becomes a node, and the site map is built that turns an outbound
 * link into the person who owns the linked site (longest site prefix).
 *
 * Two different sites are never merged by a shared profile: a splog that
 * lists a famous person's profile must not take over their identity.
 */
#include "ranker/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum rk_ident_kind
rk_ident_kind(const char *ident)
{
	if (!strncmp(ident, "site:", 5))
		return RK_ID_SITE;
	if (!strncmp(ident, "profile:", 8))
		return RK_ID_PROFILE;
	if (!strncmp(ident, "name:", 5))
		return RK_ID_NAME;
	return RK_ID_OTHER;
}

static uint32_t
find(struct rk_person *p, uint32_t i)
{
	uint32_t r = i;

	while (p[r].canon != r)
		r = p[r].canon;
	while (p[i].canon != r) {
		uint32_t next = p[i].canon;

		p[i].canon = r;
		i = next;
	}
	return r;
}

/* Join a's and b's people; the better identity kind (then the lower id)
 * stays the root.  Refuses to join two site owners. */
static void
unite(struct rk_person *p, uint32_t a, uint32_t b)
{
	uint32_t ra = find(p, a), rb = find(p, b);

	if (ra == rb)
		return;
	if (p[ra].kind == RK_ID_SITE && p[rb].kind == RK_ID_SITE)
		return;
	if (p[rb].kind < p[ra].kind ||
	    (p[rb].kind == p[ra].kind && rb < ra)) {
		uint32_t t = ra;

		ra = rb;
		rb = t;
	}
	p[rb].canon = ra;
}

size_t
rk_site_slice(const char *url, char *out, size_t outsz)
{
	const char *h, *e, *path, *pe;
	size_t n = 0;

	if (!strncmp(url, "https://", 8))
		h = url + 8;
	else if (!strncmp(url, "http://", 7))
		h = url + 7;
	else
		return 0;
	/* Only the crawler's normal form: a lower-case host without port,
	 * user info or escapes.  Anything else goes through CURLU. */
	for (e = h; *e && *e != '/' && *e != '?' && *e != '#'; e++)
		if (!((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') ||
		      *e == '.' || *e == '-'))
			return 0;
	if (e == h)
		return 0;
	if (e - h > 4 && !strncmp(h, "www.", 4))
		h += 4;
	path = e;
	for (pe = path; *pe && *pe != '?' && *pe != '#'; pe++)
		;
	while (pe > path && pe[-1] == '/')
		pe--;
	n = (size_t)(e - h) + (size_t)(pe - path);
	if (n + 1 > outsz)
		return 0;
	memcpy(out, h, (size_t)(e - h));
	memcpy(out + (e - h), path, (size_t)(pe - path));
	out[n] = '\0';
	return n;
}

static size_t
host_len(const char *site_id)
{
	const char *s = strchr(site_id, '/');

	return s ? (size_t)(s - site_id) : strlen(site_id);
}

static unsigned
path_depth(const char *site_id)
{
	unsigned d = 0;

	for (const char *s = site_id; *s; s++)
		if (*s == '/' && s[1] && s[1] != '/')
			d++;
	return d;
}

static void
map_site(struct rk_model *m, const char *site_id, uint32_t who)
{
	size_t hl = host_len(site_id);
	unsigned d = path_depth(site_id);
	uint32_t old;

	rk_smap_put(&m->sites, site_id, strlen(site_id), who);
	old = rk_smap_get(&m->hosts, site_id, hl);
	if (old == RK_NONE)
		rk_smap_put(&m->hosts, site_id, hl, d);
	else if (d > old) {
		/* raise the host's depth in place */
		for (size_t i = 0; i < m->hosts.cap; i++) {
			struct rk_sslot *sl = &m->hosts.slots[i];

			if (sl->s && sl->len == hl &&
			    !memcmp(sl->s, site_id, hl)) {
				sl->v = d;
				break;
			}
		}
	}
}

uint32_t
rk_identity_site_owner(const struct rk_model *m, const char *url)
{
	char buf[2048];
	char *slow = NULL;
	const char *s = buf;
	size_t n = rk_site_slice(url, buf, sizeof(buf)), hl;
	uint32_t depth, who = RK_NONE;
	size_t cut[64];
	unsigned ncut = 0;

	if (!n) {
		if (ms_url_site(url, &slow, NULL))
			return RK_NONE;
		s = slow;
		n = strlen(s);
	}
	hl = host_len(s);
	depth = rk_smap_get(&m->hosts, s, hl);
	if (depth == RK_NONE)
		goto out;
	/* prefix ends: the host, then each path segment, up to depth */
	cut[ncut++] = hl;
	for (size_t i = hl; i < n && ncut <= depth && ncut < 64; i++)
		if (s[i] == '/' && i + 1 < n && s[i + 1] != '/') {
			size_t j = i + 1;

			while (j < n && s[j] != '/')
				j++;
			cut[ncut++] = j;
		}
	while (ncut-- > 0) {
		who = rk_smap_get(&m->sites, s, cut[ncut]);
		if (who != RK_NONE)
			break;
	}
out:
	free(slow);
	return who;
}

static const char *
site_of(struct rk_model *m, const struct rk_person *p)
{
	char *s = NULL;
	const char *r;

	if (p->kind == RK_ID_SITE && p->ident[5])
		return p->ident + 5;
	if (!p->site || !ms_url_is_http(p->site) ||
	    ms_url_site(p->site, &s, NULL))
		return NULL;
	r = ms_arena_strdup(&m->arena, s);
	free(s);
	return r;
}

/* A new node for a person the store has not seen (the user, usually). */
static uint32_t
add_node(struct rk_model *m, const char *ident, const char *name,
	 const char *site, uint32_t flags)
{
	struct ms_person_rec r = { 0 };
	struct ms_hash k;
	uint32_t id;

	r.ident = ident;
	r.name = name;
	r.site = site;
	r.flags = flags;
	ms_key_person(ident, &k);
	id = rk_model_add_person(m, &k, &r);
	m->people[id].changed = 1;	/* not in the store yet */
	return id;
}

/*
 * A blog whose feed names its author only ("name:Lena Fischer@host") has
 * no site person; when that author is the only one the store knows on the
 * host, the host is theirs: a commenter who gave the blog's address as
 * their site ("site:host") is them, and links to the host reach them.
 * Hosts with several named authors (platforms, group blogs) are left
 * alone.
 */
static void
single_authors(struct rk_model *m)
{
	struct rk_smap hosts;
	uint32_t *count = ms_xcalloc(m->npeople + 1, sizeof(*count));

	rk_smap_init(&hosts, 64);
	for (size_t i = 0; i < m->npeople; i++) {
		const struct rk_person *p = &m->people[i];
		const char *at;
		uint32_t j;

		if (p->kind != RK_ID_NAME || !(p->flags & MS_PERSON_AUTHOR) ||
		    !(at = strrchr(p->ident, '@')) || !at[1])
			continue;
		j = rk_smap_put(&hosts, at + 1, strlen(at + 1), (uint32_t)i);
		if (find(m->people, j) != find(m->people, (uint32_t)i))
			count[j]++;	/* a second author on the host */
	}
	for (size_t k = 0; k < hosts.cap; k++) {
		const struct rk_sslot *sl = &hosts.slots[k];
		struct rk_person *a;
		uint32_t owner;

		if (!sl->s || count[sl->v])
			continue;
		a = &m->people[sl->v];
		owner = rk_smap_get(&m->sites, sl->s, sl->len);
		if (owner != RK_NONE)
			unite(m->people, sl->v, owner);
		else if (!a->site_id)
			a->site_id = ms_arena_strndup(&m->arena, sl->s,
						      sl->len);
	}
	rk_smap_release(&hosts);
	free(count);
}

static void
join_profiles(struct rk_model *m, struct rk_smap *prof, uint32_t i,
	      const char *list)
{
	const char *cur = list, *it;
	size_t n;

	while ((it = ms_strlist_next(&cur, &n))) {
		uint32_t j;

		if (!n)
			continue;
		j = rk_smap_put(prof, it, n, i);
		if (j != i)
			unite(m->people, i, j);
	}
}

static void
resolve_me(struct rk_model *m, const struct ms_me *me,
	   struct rk_smap *prof)
{
	uint32_t who = RK_NONE;
	char *site = NULL;

	if (me->blog && ms_url_is_http(me->blog) &&
	    !ms_url_site(me->blog, &site, NULL)) {
		who = rk_smap_get(&m->sites, site, strlen(site));
		if (who == RK_NONE) {
			char *ident = ms_xasprintf("site:%s", site);

			who = add_node(m, ident, me->name, me->blog,
				       MS_PERSON_ME);
			m->people[who].site_id =
				m->people[who].ident + 5;
			rk_smap_put(&m->sites, m->people[who].site_id,
				    strlen(m->people[who].site_id), who);
			free(ident);
		}
	}
	for (size_t i = 0; i < me->nprofiles; i++) {
		const char *u = me->profiles[i];
		uint32_t j;

		if (!u || !*u)
			continue;
		j = rk_smap_get(prof, u, strlen(u));
		if (who == RK_NONE && j == RK_NONE) {
			char *ident = ms_xasprintf("profile:%s", u);

			who = add_node(m, ident, me->name, NULL,
				       MS_PERSON_ME);
			free(ident);
		} else if (who == RK_NONE) {
			who = j;
		} else if (j != RK_NONE) {
			unite(m->people, who, j);
		}
	}
	free(site);
	if (who != RK_NONE) {
		who = find(m->people, who);
		if (!(m->people[who].flags & MS_PERSON_ME))
			m->people[who].changed = 1;
		m->people[who].flags |= MS_PERSON_ME;
		m->me = who;
	}
}

static int
has_item(const char *list, const char *item, size_t n)
{
	const char *cur = list, *it;
	size_t k;

	while ((it = ms_strlist_next(&cur, &k)))
		if (k == n && !memcmp(it, item, n))
			return 1;
	return 0;
}

static void
add_items(struct ms_buf *b, const char *list, int *changed)
{
	const char *cur = list, *it;
	size_t n;

	while ((it = ms_strlist_next(&cur, &n))) {
		if (!n || has_item(b->len ? b->data : NULL, it, n))
			continue;
		if (b->len)
			ms_buf_addc(b, '\n');
		ms_buf_add(b, it, n);
		*changed = 1;
	}
}

/* Aliases grouped under their person, and what they know added to the
 * person: profiles united, name, site and feed where the person has none. */
static void
unite_fields(struct rk_model *m)
{
	size_t n = m->npeople;
	uint32_t *off = ms_xcalloc(n + 2, sizeof(*off));
	uint32_t *idx = ms_xmalloc((n ? n : 1) * sizeof(*idx));
	struct ms_buf b = MS_BUF_INIT(1 << 20);

	for (size_t i = 0; i < n; i++)
		if (m->people[i].canon != i)
			off[m->people[i].canon + 2]++;
	for (size_t i = 2; i < n + 2; i++)
		off[i] += off[i - 1];
	for (size_t i = 0; i < n; i++)
		if (m->people[i].canon != i)
			idx[off[m->people[i].canon + 1]++] = (uint32_t)i;
	for (size_t c = 0; c < n; c++) {
		struct rk_person *p = &m->people[c];
		int changed = 0;

		if (off[c] == off[c + 1])
			continue;
		ms_buf_reset(&b);
		add_items(&b, p->profiles, &changed);
		changed = 0;
		for (uint32_t k = off[c]; k < off[c + 1]; k++) {
			const struct rk_person *a = &m->people[idx[k]];

			add_items(&b, a->profiles, &changed);
			if (a->kind == RK_ID_PROFILE)
				add_items(&b, a->ident + 8, &changed);
			if (!p->name && a->name)
				p->name = a->name, changed = 1;
			if (!p->site && a->site)
				p->site = a->site, changed = 1;
			if (!p->feed && a->feed)
				p->feed = a->feed, changed = 1;
		}
		if (changed && b.len)
			p->profiles = ms_arena_strdup(&m->arena,
						      ms_buf_str(&b));
		p->changed |= (uint8_t)changed;
	}
	ms_buf_release(&b);
	free(m->alias_off);
	free(m->alias_idx);
	m->alias_off = off;
	m->alias_idx = idx;
}

void
rk_identity_resolve(struct rk_model *m, const struct ms_me *me)
{
	struct rk_smap prof;
	size_t n = m->npeople;

	rk_smap_init(&prof, n + 8);
	rk_smap_release(&m->sites);
	rk_smap_release(&m->hosts);
	rk_smap_init(&m->sites, n + 8);
	rk_smap_init(&m->hosts, n + 8);
	for (size_t i = 0; i < n; i++) {
		struct rk_person *p = &m->people[i];
		const char *s;
		uint32_t j;

		p->canon = (uint32_t)i;
		p->site_id = s = site_of(m, p);
		if (!s || !*s)
			continue;
		j = rk_smap_put(&m->sites, s, strlen(s), (uint32_t)i);
		if (j != i)
			unite(m->people, (uint32_t)i, j);
	}
	for (size_t i = 0; i < n; i++) {
		struct rk_person *p = &m->people[i];

		if (p->kind == RK_ID_PROFILE && p->ident[8]) {
			const char *u = p->ident + 8;
			uint32_t j = rk_smap_put(&prof, u, strlen(u),
						 (uint32_t)i);

			if (j != i)
				unite(m->people, (uint32_t)i, j);
		}
		join_profiles(m, &prof, (uint32_t)i, p->profiles);
	}
	/* "name:Jane Doe@jane.example" is Jane commenting on her own blog
	 * without a URL: the same name on the host of a site owner.  One of
	 * the two must be the blog's author: a site known only from comments
	 * signed elsewhere carries whatever name those used (spam rotates
	 * keyword names), and a visitor signing with that name is nobody's
	 * owner. */
	for (size_t i = 0; i < n; i++) {
		struct rk_person *p = &m->people[i];
		const char *at;
		uint32_t j;

		if (p->kind != RK_ID_NAME || !(at = strrchr(p->ident, '@')))
			continue;
		j = rk_smap_get(&m->sites, at + 1, strlen(at + 1));
		if (j == RK_NONE)
			continue;
		j = find(m->people, j);	/* the site's owner, not an alias */
		if (!m->people[j].name ||
		    !((p->flags | m->people[j].flags) & MS_PERSON_AUTHOR))
			continue;
		if ((size_t)(at - (p->ident + 5)) ==
			    strlen(m->people[j].name) &&
		    !strncasecmp(p->ident + 5, m->people[j].name,
				 (size_t)(at - (p->ident + 5))))
			unite(m->people, (uint32_t)i, j);
	}
	single_authors(m);
	m->me = RK_NONE;
	if (me && (me->blog || me->nprofiles))
		resolve_me(m, me, &prof);
	rk_smap_release(&prof);

	/* Final ids, and the site map on them (aliases' sites included). */
	rk_smap_release(&m->sites);
	rk_smap_init(&m->sites, m->npeople + 8);
	for (size_t i = 0; i < m->npeople; i++)
		m->people[i].canon = find(m->people, (uint32_t)i);
	for (size_t i = 0; i < m->npeople; i++) {
		struct rk_person *p = &m->people[i];

		if (p->site_id && *p->site_id)
			map_site(m, p->site_id, p->canon);
	}
	if (m->me != RK_NONE)
		m->me = m->people[m->me].canon;
	unite_fields(m);
}

static int
has_profile(const char *list, const char *url)
{
	return list && has_item(list, url, strlen(url));
}

int
rk_find_person(const struct rk_model *m, const char *arg, uint32_t *who,
	       struct ms_err *err)
{
	struct ms_hash k;
	uint32_t id = RK_NONE, hits[5];
	size_t nhits = 0;
	char *url = NULL;

	*who = RK_NONE;
	if (!arg || !*arg)
		return ms_err_set(err, MS_EUSAGE, "no person given");
	if (strlen(arg) == 32 && !ms_hash_from_hex(arg, &k))
		id = rk_person_of(m, &k);
	if (id == RK_NONE && rk_ident_kind(arg) != RK_ID_OTHER) {
		ms_key_person(arg, &k);
		id = rk_person_of(m, &k);
	}
	if (id == RK_NONE && (strstr(arg, "://") || strchr(arg, '.'))) {
		/* a site (with or without scheme) or a profile URL */
		url = strstr(arg, "://") ? ms_xstrdup(arg) :
					   ms_xasprintf("https://%s", arg);
		id = rk_identity_site_owner(m, url);
		for (size_t i = 0; id == RK_NONE && i < m->npeople; i++)
			if (has_profile(m->people[i].profiles, url) ||
			    (m->people[i].kind == RK_ID_PROFILE &&
			     !strcmp(m->people[i].ident + 8, url)))
				id = m->people[i].canon;
		free(url);
	}
	for (size_t i = 0; id == RK_NONE && i < m->npeople; i++) {
		const struct rk_person *p = &m->people[i];
		int dup = 0;

		if (!p->name || strcasecmp(p->name, arg))
			continue;
		for (size_t j = 0; j < nhits; j++)
			dup |= hits[j] == p->canon;
		if (!dup && nhits < 5)
			hits[nhits++] = p->canon;
	}
	if (id == RK_NONE && nhits == 1)
		id = hits[0];
	if (id == RK_NONE && nhits > 1) {
		char list[1024] = "";
		size_t len = 0;

		for (size_t j = 0; j < nhits && len < sizeof(list); j++)
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%s", j ? ", " : "",
						m->people[hits[j]].ident);
		return ms_err_set(err, MS_EUSAGE, "several people are called "
				  "'%.100s': %s; give a site or an id", arg,
				  list);
	}
	if (id == RK_NONE)
		return ms_err_set(err, MS_ENOTFOUND, "no person '%.200s' in "
				  "the store; give an id from 'discover', a "
				  "site URL or a name", arg);
	*who = m->people[id].canon;
	return MS_OK;
}
