/*
 * steps.c — engagement steps built from the same evidence as the score
 * (RANKING.md §3.8): follow the feed and each profile; comment on a named
 * recent on-topic post whose comments are open, saying why ("answered 8
 * of 10 commenters, median 5 h"); link to their most cited or most
 * discussed post from your own blog; share.  With `me` configured, the
 * relationship's stage puts its own next step first: engaged → wait or
 * comment on a newer post, noticed → answer their reply and write the
 * linking post, connected → consider direct contact.
 *
 * A step never points at a post whose comments are closed: the comment
 * post is chosen among open ones (or unknown ones people did comment on)
 * and a reply step is dropped when its post has closed.
 *
 * The overall ("*") record gets the stage's step and the follow steps
 * only: the posts to comment on, link and share belong to a topic.
 *
 * The result is the score record's "steps": lines of
 * "action\turl\ttitle\twhy", tabs and line breaks in titles replaced.
 */
#include "ranker/internal.h"
#include "util/buf.h"
#include "util/url.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

const char *const ms_step_names[] = {
	"follow", "comment", "link", "share", "reply", "connect",
};

const char *const ms_stage_names[] = {
	"", "not contacted", "engaged", "noticed", "connected",
};

/* Profile hosts and what to call them; sorted by host, matched as the
 * host itself or a subdomain of it. */
static const struct {
	const char *host, *name;
} networks[] = {
	{ "facebook.com", "Facebook" },
	{ "github.com", "GitHub" },
	{ "instagram.com", "Instagram" },
	{ "linkedin.com", "LinkedIn" },
	{ "mastodon.social", "Mastodon" },
	{ "twitter.com", "X" },
	{ "x.com", "X" },
	{ "youtube.com", "YouTube" },
};

const char *
rk_profile_network(const char *url, char *buf, size_t n)
{
	char host[256];
	const char *path;
	size_t hl;

	if (ms_url_host(url, host, sizeof(host)))
		return NULL;
	hl = strlen(host);
	for (size_t i = 0; i < sizeof(networks) / sizeof(*networks); i++) {
		size_t nl = strlen(networks[i].host);

		if (hl >= nl && !strcmp(host + hl - nl, networks[i].host) &&
		    (hl == nl || host[hl - nl - 1] == '.'))
			return networks[i].name;
	}
	/* any other Mastodon-style instance: https://host/@user */
	path = strstr(url, "://");
	if (path && (path = strchr(path + 3, '/')) && path[1] == '@')
		return "Mastodon";
	snprintf(buf, n, "%s", host);
	return buf;
}

/* A field of a step line: tabs, line breaks and other control
 * characters become spaces (they would break the line's format). */
static void
add_field(struct ms_buf *b, const char *s)
{
	while (s && *s) {
		size_t n = 0;

		while (s[n] && (unsigned char)s[n] >= 0x20 && s[n] != 0x7f)
			n++;
		ms_buf_add(b, s, n);
		s += n;
		if (*s) {
			ms_buf_addc(b, ' ');
			s++;
		}
	}
}

static void
add_step(struct ms_buf *b, enum ms_step_action a, const char *url,
	 const char *title, const char *why)
{
	if (!url || !ms_url_is_http(url))
		return;
	if (b->len)
		ms_buf_addc(b, '\n');
	ms_buf_adds(b, ms_step_names[a]);
	ms_buf_addc(b, '\t');
	add_field(b, url);
	ms_buf_addc(b, '\t');
	add_field(b, title);
	ms_buf_addc(b, '\t');
	add_field(b, why);
}

static void
fmt_ago(char *out, size_t n, const struct rk_model *m, int64_t t)
{
	int64_t d;

	if (t == MS_TIME_NONE) {
		snprintf(out, n, "date unknown");
		return;
	}
	d = (m->c.now - t) / DAY;
	if (d <= 0)
		snprintf(out, n, "today");
	else if (d == 1)
		snprintf(out, n, "yesterday");
	else
		snprintf(out, n, "%lld days ago", (long long)d);
}

static void
fmt_delay(char *out, size_t n, double s)
{
	if (s < 3600)
		snprintf(out, n, "%.0f min", s / 60);
	else if (s < 2 * DAY)
		snprintf(out, n, "%.0f h", s / 3600);
	else
		snprintf(out, n, "%.0f d", s / DAY);
}

/* "answered 8 of 10 commenters, median 5 h" */
static void
fmt_answers(char *out, size_t n, const struct rk_pt *pt)
{
	char delay[32];

	if (!pt->talk_commenters) {
		snprintf(out, n, "no comments seen there yet: be the first");
		return;
	}
	if (!pt->talk_answered) {
		snprintf(out, n, "%u commenters, none answered yet",
			 pt->talk_commenters);
		return;
	}
	if (pt->median_lat_s < 0) {
		snprintf(out, n, "answered %u of %u commenters",
			 pt->talk_answered, pt->talk_commenters);
		return;
	}
	fmt_delay(delay, sizeof(delay), pt->median_lat_s);
	snprintf(out, n, "answered %u of %u commenters, median %s",
		 pt->talk_answered, pt->talk_commenters, delay);
}

static uint32_t
comments_on(const struct rk_model *m, uint32_t post)
{
	uint32_t stored = m->post_comment_off[post + 1] -
			  m->post_comment_off[post];
	int32_t cc = m->posts[post].comment_count;

	return cc > 0 && (uint32_t)cc > stored ? (uint32_t)cc : stored;
}

static void
step_post(struct ms_buf *b, const struct rk_model *m, enum ms_step_action a,
	  uint32_t post, const char *why)
{
	const char *url, *title;

	if (post == RK_NONE)
		return;
	/* the guard holds for every step that asks for a comment */
	if ((a == MS_STEP_COMMENT || a == MS_STEP_REPLY) &&
	    m->posts[post].comments_open == 0)
		return;
	rk_post_text(m, post, &url, &title);
	add_step(b, a, url, title, why);
}

static void
comment_why(char *out, size_t n, const struct rk_run *r,
	    const struct rk_pt *pt)
{
	const struct rk_model *m = r->m;
	char ago[32], ans[128];

	fmt_ago(ago, sizeof(ago), m, m->posts[pt->comment_post].published);
	fmt_answers(ans, sizeof(ans), pt);
	snprintf(out, n, "posted %s, comments open%s; %s", ago,
		 pt->comment_answered ? ", the author answers there" : "",
		 ans);
}

static void
link_why(char *out, size_t n, const struct rk_run *r, const struct rk_pt *pt)
{
	const struct rk_model *m = r->m;
	const struct rk_post *p = &m->posts[pt->link_post];
	uint32_t cc = comments_on(m, pt->link_post);
	const char *label = rk_topic_label(m, pt->topic);

	if (p->cited && cc)
		snprintf(out, n, "cited by %u post%s of other people, %u "
			 "comment%s", p->cited, RK_S(p->cited), cc, RK_S(cc));
	else if (p->cited)
		snprintf(out, n, "cited by %u post%s of other people",
			 p->cited, RK_S(p->cited));
	else if (cc)
		snprintf(out, n, "their most discussed post on %s (%u "
			 "comment%s)", label, cc, RK_S(cc));
	else
		snprintf(out, n, "their latest post on %s", label);
}

static void
follow_steps(struct ms_buf *b, const struct rk_run *r, const struct rk_pt *pt)
{
	const struct rk_model *m = r->m;
	const struct rk_person *p = &m->people[pt->person];
	const struct rk_state *st = &r->st[pt->person];
	const char *cur = p->profiles, *it;
	char why[256], ago[32], net[256], url[2048];
	size_t n;

	fmt_ago(ago, sizeof(ago), m, st->last_post);
	if (pt->topic < m->c.ntopics)
		snprintf(why, sizeof(why), "%u of %u posts on %s; last post "
			 "%s", pt->posts_on, st->nposts,
			 rk_topic_label(m, pt->topic), ago);
	else
		snprintf(why, sizeof(why), "%u post%s; last post %s",
			 st->nposts, RK_S(st->nposts), ago);
	if (p->feed && ms_url_is_http(p->feed))
		add_step(b, MS_STEP_FOLLOW, p->feed, NULL, why);
	else if (p->site && ms_url_is_http(p->site))
		add_step(b, MS_STEP_FOLLOW, p->site, NULL, why);
	while ((it = ms_strlist_next(&cur, &n))) {
		const char *name;

		if (!n || n >= sizeof(url))
			continue;
		memcpy(url, it, n);
		url[n] = '\0';
		if (!ms_url_is_http(url))
			continue;
		name = rk_profile_network(url, net, sizeof(net));
		snprintf(why, sizeof(why), "their %s profile",
			 name ? name : "web");
		add_step(b, MS_STEP_FOLLOW, url, NULL, why);
	}
}

static const char *
first_door(const struct rk_person *p, char *buf, size_t n)
{
	const char *cur = p->profiles, *it;
	size_t k;

	while ((it = ms_strlist_next(&cur, &k)))
		if (k && k < n) {
			memcpy(buf, it, k);
			buf[k] = '\0';
			if (ms_url_is_http(buf))
				return buf;
		}
	if (p->site && ms_url_is_http(p->site))
		return p->site;
	return p->feed;
}

void
rk_steps_build(const struct rk_run *r, const struct rk_pt *pt,
	       struct ms_buf *b)
{
	const struct rk_model *m = r->m;
	const struct rk_person *p = &m->people[pt->person];
	const struct rk_state *st = &r->st[pt->person];
	char why[512], ans[256], door[2048];
	const char *url, *title, *who = p->name ? p->name : "them";
	int commented = 0, linked = 0;

	ms_buf_reset(b);
	switch (st->stage) {
	case MS_STAGE_CONNECTED:
		rk_post_text(m, st->connected_post, &url, &title);
		snprintf(why, sizeof(why), "they linked to your blog in "
			 "\"%s\": reciprocal, consider direct contact",
			 title ? title : "a post");
		add_step(b, MS_STEP_CONNECT,
			 first_door(p, door, sizeof(door)), NULL, why);
		break;
	case MS_STAGE_NOTICED:
		if (m->posts[st->noticed_post].author == m->me)
			snprintf(why, sizeof(why), "they commented on your "
				 "post: answer them");
		else
			snprintf(why, sizeof(why), "they answered your "
				 "comment: reply and keep the conversation "
				 "going");
		step_post(b, m, MS_STEP_REPLY, st->noticed_post, why);
		if (pt->link_post != RK_NONE) {
			link_why(ans, sizeof(ans), r, pt);
			snprintf(why, sizeof(why), "write the linking post "
				 "now that they know you: %s", ans);
			step_post(b, m, MS_STEP_LINK, pt->link_post, why);
			linked = 1;
		}
		break;
	case MS_STAGE_ENGAGED:
		if (pt->comment_post == st->engaged_post) {
			snprintf(why, sizeof(why), "you commented here and "
				 "have no answer yet: wait a few days, then "
				 "reply to their answer");
		} else {
			rk_post_text(m, st->engaged_post, &url, &title);
			snprintf(why, sizeof(why),
				 "you commented on \"%.200s\" "
				 "and have no answer yet: wait, or comment on "
				 "this newer post", title ? title : "a post");
		}
		if (pt->comment_post != RK_NONE) {
			step_post(b, m, MS_STEP_COMMENT, pt->comment_post, why);
			commented = 1;
		}
		break;
	default:
		break;
	}
	follow_steps(b, r, pt);
	/* the overall record: who to follow and the relationship; the posts
	 * to comment on, link and share belong to a topic */
	if (pt->topic >= m->c.ntopics)
		return;
	/* a reply step already brings them back to that thread */
	if (st->stage == MS_STAGE_NOTICED &&
	    pt->comment_post == st->noticed_post)
		commented = 1;
	if (!commented && pt->comment_post != RK_NONE) {
		comment_why(why, sizeof(why), r, pt);
		step_post(b, m, MS_STEP_COMMENT, pt->comment_post, why);
	}
	if (!linked && pt->link_post != RK_NONE) {
		link_why(ans, sizeof(ans), r, pt);
		snprintf(why, sizeof(why), "link to it from your own blog: %s",
			 ans);
		step_post(b, m, MS_STEP_LINK, pt->link_post, why);
	}
	if (pt->latest_post != RK_NONE) {
		snprintf(why, sizeof(why), "share their latest post on %s "
			 "and mention %s", rk_topic_label(m, pt->topic), who);
		step_post(b, m, MS_STEP_SHARE, pt->latest_post, why);
	}
}
