/*
 * genweb_render.c — writes one blog of the plan in its engine's real
 * markup: WordPress (RSS 2.0 + wfw/slash/dc/content, per-post comment
 * feeds, threaded ol.comment-list or the older ol.commentlist), Blogger
 * (Atom feeds with thr: and the Blogger comment blocks), a Jekyll-style
 * Atom blog (RFC 4685 comment feeds), a Movable Type-style RSS blog, and an
 * IndieWeb h-entry site.  Only the structure that engines really emit is
 * written: the analyzer is tested against it.
 *
 * Links in page chrome stay on the fixture web; the only other hosts named
 * are profile networks (rel="me") and Blogger's profile pages, as on the
 * real web.
 */
#include "tests/server/genweb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

/* Blogger shows times in the blog's zone: US Eastern or CET (no DST). */
#define BLOGGER_OFFSET(b) ((b)->lang == GW_DE ? 60 : -300)

static const struct {
	unsigned bit;
	const char *fmt; /* %s: the person's handle */
	const char *label;
} profile_sites[] = {
    {GW_LINKEDIN, "https://www.linkedin.com/in/%s/", "LinkedIn"},
    {GW_X, "https://x.com/%s", "X"},
    {GW_MASTODON, "https://mastodon.social/@%s", "Mastodon"},
    {GW_GITHUB, "https://github.com/%s", "GitHub"},
};

size_t
gw_children(const struct gw_web *w, const struct gw_post *p, long parent,
	    size_t *idx)
{
	size_t i, n = 0, k;

	for (i = p->c0; i < p->c0 + p->nc; i++) {
		if (w->comments[i].parent != parent)
			continue;
		/* insertion by (date, index) */
		for (k = n; k > 0 &&
			    w->comments[idx[k - 1]].date > w->comments[i].date;
		     k--)
			idx[k] = idx[k - 1];
		idx[k] = i;
		n++;
	}
	return n;
}

static int64_t
post_mtime(const struct gw_web *w, const struct gw_post *p)
{
	int64_t t = p->date;
	size_t i;

	for (i = p->c0; i < p->c0 + p->nc; i++)
		if (w->comments[i].date > t)
			t = w->comments[i].date;
	return t;
}

static int64_t
blog_mtime(const struct gw_web *w, const struct gw_blog *b)
{
	int64_t t = 0, m;
	size_t j;

	for (j = 0; j < b->nposts; j++) {
		m = post_mtime(w, &w->posts[b->post0 + j]);
		if (m > t)
			t = m;
	}
	return t;
}

static const struct gw_post *
post_of(const struct gw_web *w, const struct gw_blog *b, size_t newest_k)
{
	return &w->posts[b->post0 + b->nposts - 1 - newest_k];
}

/* The body of p as HTML, into a fresh buffer (caller releases). */
static void
body_of(const struct gw_web *w, const struct gw_post *p, struct ms_buf *out)
{
	ms_buf_init(out, 1u << 20);
	gw_post_html(w, p, out);
}

/* The first paragraph without tags (entities kept), about 40 words, with
 * the engine's ellipsis. */
static void
excerpt(const char *html, const char *more, struct ms_buf *out)
{
	const char *end = strstr(html, "</p>");
	int words = 0;
	bool tag = false;

	ms_buf_init(out, 4096);
	if (!end)
		end = html + strlen(html);
	for (; html < end; html++) {
		if (*html == '<') {
			tag = true;
			continue;
		}
		if (tag) {
			tag = *html != '>';
			continue;
		}
		if (*html == ' ' && ++words >= 40) {
			ms_buf_adds(out, more);
			return;
		}
		ms_buf_addc(out, *html);
	}
}

static void
put_profiles(struct gw_web *w, const struct gw_blog *b, const char *cls)
{
	size_t i;

	for (i = 0; i < sizeof(profile_sites) / sizeof(profile_sites[0]); i++) {
		char url[256];

		if (!(b->profiles & profile_sites[i].bit))
			continue;
		snprintf(url, sizeof(url), profile_sites[i].fmt,
			 profile_sites[i].bit == GW_LINKEDIN ? b->slug
							     : b->login);
		gw_putf(w, "<li><a href=\"%s\" rel=\"me\"%s%s%s>%s</a></li>\n",
			url, cls ? " class=\"" : "", cls ? cls : "",
			cls ? "\"" : "", profile_sites[i].label);
	}
}

static const char *
contact_url(const struct gw_blog *b, char *buf, size_t sz)
{
	switch (b->eng) {
	case GW_WORDPRESS:
		snprintf(buf, sz, "%scontact/", b->home);
		break;
	case GW_BLOGGER:
		snprintf(buf, sz, "%sp/contact.html", b->home);
		break;
	case GW_HENTRY:
		snprintf(buf, sz, "%scontact/", b->home);
		break;
	default:
		snprintf(buf, sz, "%scontact.html", b->home);
		break;
	}
	return buf;
}

/* The sidebar: about, profiles, blogroll, contact. */
static void
put_sidebar(struct gw_web *w, const struct gw_blog *b)
{
	int de = b->lang == GW_DE;
	char buf[512];
	size_t i;

	gw_put(w, "<aside id=\"secondary\" class=\"widget-area sidebar\">\n");
	gw_putf(w,
		"<section class=\"widget widget_about\"><h2 "
		"class=\"widget-title\">%s</h2>\n<p>",
		de ? "Über mich" : "About me");
	gw_esc(w, b->name);
	gw_put(w, ": ");
	gw_esc(w, b->tagline);
	gw_put(w, "</p>\n");
	if (b->profiles) {
		gw_put(w, "<ul class=\"social-links\">\n");
		put_profiles(w, b, NULL);
		gw_put(w, "</ul>\n");
	}
	gw_put(w, "</section>\n");
	if (b->nroll) {
		gw_putf(w,
			"<section class=\"widget widget_links\"><h2 "
			"class=\"widget-title\">%s</h2>\n<ul "
			"class=\"blogroll\">\n",
			de ? "Lesenswert" : "Blogroll");
		for (i = 0; i < b->nroll; i++) {
			const struct gw_blog *o = &w->blogs[b->roll[i]];

			gw_putf(w, "<li><a href=\"%s\">", o->home);
			gw_esc(w, o->title);
			gw_put(w, "</a></li>\n");
		}
		gw_put(w, "</ul></section>\n");
	}
	if (b->contact) {
		gw_putf(w,
			"<section class=\"widget widget_contact\"><p><a "
			"href=\"%s\">%s</a></p></section>\n",
			contact_url(b, buf, sizeof(buf)),
			de ? "Kontakt" : "Contact");
	}
	gw_put(w, "</aside>\n");
}

static void
put_head(struct gw_web *w, const struct gw_blog *b, const char *title,
	 const char *canonical)
{
	gw_putf(w,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		"<meta charset=\"UTF-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, "
		"initial-scale=1\">\n<title>",
		b->lang == GW_DE ? "de-DE" : "en-US");
	gw_esc(w, title);
	gw_put(w, "</title>\n");
	if (canonical)
		gw_putf(w, "<link rel=\"canonical\" href=\"%s\">\n", canonical);
}

static int
write_contact(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	char url[512];

	if (!b->contact)
		return MS_OK;
	contact_url(b, url, sizeof(url));
	gw_doc_begin(w);
	put_head(w, b, de ? "Kontakt" : "Contact", url);
	gw_put(w, "</head>\n<body class=\"page\">\n<main>\n<h1>");
	gw_put(w, de ? "Kontakt" : "Contact");
	gw_putf(w,
		"</h1>\n<p>%s <a href=\"mailto:hello@%s\">hello@%s</a>"
		".</p>\n</main>\n",
		de ? "Schreib mir gern eine E-Mail:"
		   : "I read every message. Write to",
		b->host, b->host);
	put_sidebar(w, b);
	gw_put(w, "</body>\n</html>\n");
	return gw_doc_write(w, url, false, w->posts[b->post0].date, err);
}

/* ------------------------------------------------------------ WordPress */

static void
wp_comment(struct gw_web *w, const struct gw_blog *b, const struct gw_post *p,
	   size_t ci, int depth, size_t *scratch)
{
	const struct gw_comment *c = &w->comments[ci];
	int de = b->lang == GW_DE;
	struct ms_buf text;
	char name[128], when[64], iso[40];
	const char *url;
	size_t *kids = scratch + p->nc, n, k;
	unsigned long long id = (unsigned long long)c->num_id;

	gw_comment_author(w, c, name, sizeof(name), &url);
	gw_human_date(b->lang, c->date, true, when);
	gw_rfc3339(c->date, 0, false, iso);
	ms_buf_init(&text, 1u << 16);
	gw_comment_text(w, c, &text);
	if (b->old_theme)
		gw_putf(w,
			"<li class=\"comment %s depth-%d%s\" "
			"id=\"li-comment-%llu\">\n<div id=\"comment-%llu\">\n"
			"<div class=\"comment-author vcard\"><cite "
			"class=\"fn\">",
			depth % 2 ? "even" : "odd", depth,
			c->by_author ? " byuser bypostauthor" : "", id, id);
	else if (c->by_author)
		gw_putf(w,
			"<li id=\"comment-%llu\" class=\"comment byuser "
			"comment-author-%s bypostauthor %s depth-%d\">\n"
			"<article id=\"div-comment-%llu\" "
			"class=\"comment-body\">\n<footer "
			"class=\"comment-meta\">\n<div class=\"comment-author "
			"vcard\"><b class=\"fn\">",
			id, b->login, depth % 2 ? "even" : "odd alt", depth,
			id);
	else
		gw_putf(w,
			"<li id=\"comment-%llu\" class=\"comment %s "
			"thread-%s depth-%d\">\n<article "
			"id=\"div-comment-%llu\" class=\"comment-body\">\n"
			"<footer class=\"comment-meta\">\n<div "
			"class=\"comment-author vcard\"><b class=\"fn\">",
			id, depth % 2 ? "even" : "odd alt",
			depth % 2 ? "odd" : "even", depth, id);
	if (url) {
		gw_putf(w,
			"<a href=\"%s\" class=\"url\" rel=\"ugc external "
			"nofollow\">",
			url);
		gw_esc(w, name);
		gw_put(w, "</a>");
	} else {
		gw_esc(w, name);
	}
	if (b->old_theme) {
		gw_putf(w,
			"</cite> <span class=\"says\">%s</span></div>\n"
			"<div class=\"comment-meta commentmetadata\"><a "
			"href=\"%s#comment-%llu\">%s</a></div>\n"
			"<div class=\"comment-body\"><p>",
			de ? "sagt:" : "says:", p->url, id, when);
	} else {
		gw_putf(w,
			"</b> <span class=\"says\">%s</span></div>\n"
			"<div class=\"comment-metadata\"><a "
			"href=\"%s#comment-%llu\"><time datetime=\"%s\">%s"
			"</time></a></div>\n</footer>\n"
			"<div class=\"comment-content\"><p>",
			de ? "sagt:" : "says:", p->url, id, iso, when);
	}
	gw_esc(w, ms_buf_str(&text));
	gw_put(w, "</p></div>\n");
	if (!p->closed)
		gw_putf(w,
			"<div class=\"reply\"><a rel=\"nofollow\" "
			"class=\"comment-reply-link\" "
			"href=\"%s?replytocom=%llu#respond\" "
			"data-commentid=\"%llu\" data-postid=\"%llu\" "
			"aria-label=\"%s\">%s</a></div>\n",
			p->url, id, id, (unsigned long long)p->num_id,
			de ? "Antworten" : "Reply", de ? "Antworten" : "Reply");
	gw_put(w, b->old_theme ? "</div>\n" : "</article>\n");
	n = gw_children(w, p, (long)ci, kids);
	if (n) {
		gw_put(w, b->old_theme ? "<ul class=\"children\">\n"
				       : "<ol class=\"children\">\n");
		for (k = 0; k < n; k++)
			wp_comment(w, b, p, kids[k], depth + 1, kids);
		gw_put(w, b->old_theme ? "</ul>\n" : "</ol>\n");
	}
	gw_put(w, "</li>\n");
	ms_buf_release(&text);
}

static void
wp_comment_form(struct gw_web *w, const struct gw_blog *b,
		const struct gw_post *p)
{
	int de = b->lang == GW_DE;
	const char *host_root = strstr(b->home, "://");
	size_t hl = strcspn(host_root + 3, "/");

	gw_putf(w,
		"<div id=\"respond\" class=\"comment-respond\">\n"
		"<h3 id=\"reply-title\" class=\"comment-reply-title\">%s"
		"</h3>\n<form action=\"http://%.*s/wp-comments-post.php\" "
		"method=\"post\" id=\"commentform\" class=\"comment-form\" "
		"novalidate>\n"
		"<p class=\"comment-notes\"><span id=\"email-notes\">%s"
		"</span></p>\n"
		"<p class=\"comment-form-comment\"><label for=\"comment\">"
		"%s</label> <textarea id=\"comment\" name=\"comment\" "
		"cols=\"45\" rows=\"8\" maxlength=\"65525\" required>"
		"</textarea></p>\n"
		"<p class=\"comment-form-author\"><label for=\"author\">"
		"Name</label> <input id=\"author\" name=\"author\" "
		"type=\"text\" value=\"\" size=\"30\" maxlength=\"245\" "
		"required></p>\n"
		"<p class=\"comment-form-email\"><label for=\"email\">"
		"%s</label> <input id=\"email\" name=\"email\" "
		"type=\"email\" value=\"\" size=\"30\" maxlength=\"100\" "
		"required></p>\n"
		"<p class=\"comment-form-url\"><label for=\"url\">%s"
		"</label> <input id=\"url\" name=\"url\" type=\"url\" "
		"value=\"\" size=\"30\" maxlength=\"200\"></p>\n"
		"<p class=\"form-submit\"><input name=\"submit\" "
		"type=\"submit\" id=\"submit\" class=\"submit\" "
		"value=\"%s\"> <input type=\"hidden\" "
		"name=\"comment_post_ID\" value=\"%llu\" "
		"id=\"comment_post_ID\"> <input type=\"hidden\" "
		"name=\"comment_parent\" id=\"comment_parent\" "
		"value=\"0\"></p>\n</form>\n</div>\n",
		de ? "Schreibe einen Kommentar" : "Leave a Reply", (int)hl,
		host_root + 3,
		de ? "Deine E-Mail-Adresse wird nicht veröffentlicht."
		   : "Your email address will not be published.",
		de ? "Kommentar" : "Comment", de ? "E-Mail" : "Email",
		de ? "Website" : "Website",
		de ? "Kommentar abschicken" : "Post Comment",
		(unsigned long long)p->num_id);
}

static int
wp_post_page(struct gw_web *w, const struct gw_blog *b, const struct gw_post *p,
	     size_t *scratch, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	struct ms_buf body;
	char iso[40], when[64], *title;
	size_t n, k;

	body_of(w, p, &body);
	gw_rfc3339(p->date, 0, false, iso);
	gw_human_date(b->lang, p->date, false, when);
	title = ms_xasprintf("%s \xe2\x80\x93 %s", p->title, b->title);
	gw_doc_begin(w);
	put_head(w, b, title, p->url);
	free(title);
	gw_put(w, "<link rel=\"alternate\" type=\"application/rss+xml\" "
		  "title=\"");
	gw_esc(w, b->title);
	gw_putf(w, " &raquo; Feed\" href=\"%s\">\n", b->feed);
	gw_put(w, "<link rel=\"alternate\" type=\"application/rss+xml\" "
		  "title=\"");
	gw_esc(w, b->title);
	gw_putf(w, " &raquo; %s\" href=\"%scomments/feed/\">\n",
		de ? "Kommentar-Feed" : "Comments Feed", b->home);
	gw_put(w, "<link rel=\"alternate\" type=\"application/rss+xml\" "
		  "title=\"");
	gw_esc(w, b->title);
	gw_put(w, " &raquo; ");
	gw_esc(w, p->title);
	gw_putf(w, " %s\" href=\"%s\">\n",
		de ? "Kommentar-Feed" : "Comments Feed", p->cfeed);
	gw_putf(w,
		"<meta name=\"generator\" content=\"WordPress 6.6.2\">\n"
		"</head>\n<body class=\"post-template-default single "
		"single-post postid-%llu single-format-standard\">\n"
		"<div id=\"page\" class=\"site\">\n<header id=\"masthead\" "
		"class=\"site-header\"><p class=\"site-title\"><a "
		"href=\"%s\" rel=\"home\">",
		(unsigned long long)p->num_id, b->home);
	gw_esc(w, b->title);
	gw_put(w, "</a></p><p class=\"site-description\">");
	gw_esc(w, b->tagline);
	gw_putf(w,
		"</p></header>\n<div id=\"content\" class=\"site-content\">"
		"\n<div id=\"primary\" class=\"content-area\"><main "
		"id=\"main\" class=\"site-main\">\n<article "
		"id=\"post-%llu\" class=\"post-%llu post type-post "
		"status-publish format-standard hentry category-%s\">\n"
		"<header class=\"entry-header\"><h1 class=\"entry-title\">",
		(unsigned long long)p->num_id, (unsigned long long)p->num_id,
		p->topic >= 0 ? gw_topics[p->topic].id : "uncategorized");
	gw_esc(w, p->title);
	gw_put(w, "</h1></header>\n<div class=\"entry-content\">\n");
	gw_put(w, ms_buf_str(&body));
	gw_putf(w,
		"</div>\n<footer class=\"entry-footer\"><span "
		"class=\"byline\"><span class=\"author vcard\"><a "
		"class=\"url fn n\" href=\"%sauthor/%s/\">",
		b->home, b->login);
	gw_esc(w, b->name);
	gw_putf(w,
		"</a></span></span> <span class=\"posted-on\">%s <time "
		"class=\"entry-date published\" datetime=\"%s\">%s</time>"
		"</span>",
		de ? "Veröffentlicht am" : "Published", iso, when);
	if (p->topic >= 0)
		gw_putf(w,
			" <span class=\"cat-links\">%s <a "
			"href=\"%scategory/%s/\" rel=\"category tag\">%s"
			"</a></span>",
			de ? "Kategorisiert als" : "Categorized as", b->home,
			gw_topics[p->topic].id, gw_topics[p->topic].label[de]);
	gw_put(w, "</footer>\n</article>\n");

	gw_put(w, "<div id=\"comments\" class=\"comments-area\">\n");
	n = gw_children(w, p, -1, scratch);
	if (p->nc) {
		if (de)
			gw_putf(w,
				"<h2 class=\"comments-title\">%zu Gedanken "
				"zu \xe2\x80\x9e",
				p->nc);
		else
			gw_putf(w,
				"<h2 class=\"comments-title\">%zu %s on "
				"&ldquo;",
				p->nc, p->nc == 1 ? "thought" : "thoughts");
		gw_esc(w, p->title);
		gw_put(w, de ? "\xe2\x80\x9c</h2>\n" : "&rdquo;</h2>\n");
		gw_put(w, b->old_theme ? "<ol class=\"commentlist\">\n"
				       : "<ol class=\"comment-list\">\n");
		for (k = 0; k < n; k++)
			wp_comment(w, b, p, scratch[k], 1, scratch);
		gw_put(w, "</ol>\n");
	}
	if (p->closed)
		gw_putf(w, "<p class=\"no-comments\">%s</p>\n",
			de ? "Die Kommentare sind geschlossen."
			   : "Comments are closed.");
	else
		wp_comment_form(w, b, p);
	gw_put(w, "</div>\n</main></div>\n");
	put_sidebar(w, b);
	gw_put(w, "</div>\n<footer id=\"colophon\" class=\"site-footer\"><div "
		  "class=\"powered-by\">Proudly powered by WordPress</div>"
		  "</footer>\n</div>\n</body>\n</html>\n");
	ms_buf_release(&body);
	return gw_doc_write(w, p->url, false, post_mtime(w, p), err);
}

static void
rss_channel_head(struct gw_web *w, const struct gw_blog *b, const char *title,
		 const char *self, const char *link, int64_t built,
		 bool wordpress)
{
	char date[40];

	gw_rfc822(built, date);
	gw_put(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	if (wordpress)
		gw_put(w,
		       "<rss version=\"2.0\"\n"
		       "\txmlns:content=\"http://purl.org/rss/1.0/modules/"
		       "content/\"\n"
		       "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
		       "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		       "\txmlns:atom=\"http://www.w3.org/2005/Atom\"\n"
		       "\txmlns:sy=\"http://purl.org/rss/1.0/modules/"
		       "syndication/\"\n"
		       "\txmlns:slash=\"http://purl.org/rss/1.0/modules/"
		       "slash/\"\n\t>\n");
	else
		gw_put(w, "\n<rss version=\"2.0\" "
			  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
			  "xmlns:wfw=\"http://wellformedweb.org/CommentAPI/\" "
			  "xmlns:slash=\"http://purl.org/rss/1.0/modules/"
			  "slash/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">"
			  "\n");
	gw_put(w, "<channel>\n\t<title>");
	gw_esc(w, title);
	gw_putf(w,
		"</title>\n\t<atom:link href=\"%s\" rel=\"self\" "
		"type=\"application/rss+xml\" />\n\t<link>",
		self);
	gw_esc(w, link);
	gw_put(w, "</link>\n\t<description>");
	gw_esc(w, b->tagline);
	gw_putf(w,
		"</description>\n\t<lastBuildDate>%s</lastBuildDate>\n"
		"\t<language>%s</language>\n",
		date,
		wordpress ? (b->lang == GW_DE ? "de-DE" : "en-US")
			  : (b->lang == GW_DE ? "de" : "en"));
	if (wordpress)
		gw_put(w, "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
			  "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
			  "\t<generator>https://wordpress.org/?v=6.6.2"
			  "</generator>\n");
}

/* CDATA content; the generated text never contains "]]>". */
static void
cdata(struct gw_web *w, const char *s)
{
	gw_put(w, "<![CDATA[");
	gw_put(w, s);
	gw_put(w, "]]>");
}

static int
wp_feed(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	char *link = ms_xstrndup(b->home, strlen(b->home) - 1);
	size_t k;

	gw_doc_begin(w);
	rss_channel_head(w, b, b->title, b->feed, link, blog_mtime(w, b), true);
	for (k = 0; k < b->nposts; k++) {
		const struct gw_post *p = post_of(w, b, k);
		struct ms_buf body, ex;
		char date[40];

		body_of(w, p, &body);
		excerpt(ms_buf_str(&body), " [&#8230;]", &ex);
		gw_rfc822(p->date, date);
		gw_put(w, "\t<item>\n\t\t<title>");
		gw_esc(w, p->title);
		gw_putf(w,
			"</title>\n\t\t<link>%s</link>\n"
			"\t\t<comments>%s#comments</comments>\n"
			"\t\t<dc:creator>",
			p->url, p->url);
		cdata(w, b->name);
		gw_putf(w, "</dc:creator>\n\t\t<pubDate>%s</pubDate>\n", date);
		if (p->topic >= 0) {
			gw_put(w, "\t\t<category>");
			cdata(w, gw_topics[p->topic].label[de]);
			gw_put(w, "</category>\n");
		}
		if (p->topic2 >= 0) {
			gw_put(w, "\t\t<category>");
			cdata(w, gw_topics[p->topic2].label[de]);
			gw_put(w, "</category>\n");
		}
		gw_putf(w,
			"\t\t<guid isPermaLink=\"false\">%s?p=%llu</guid>\n"
			"\t\t<description>",
			b->home, (unsigned long long)p->num_id);
		cdata(w, ms_buf_str(&ex));
		gw_put(w, "</description>\n\t\t<content:encoded>");
		cdata(w, ms_buf_str(&body));
		gw_putf(w,
			"</content:encoded>\n\t\t<wfw:commentRss>%s"
			"</wfw:commentRss>\n\t\t<slash:comments>%zu"
			"</slash:comments>\n\t</item>\n",
			p->cfeed, p->nc);
		ms_buf_release(&body);
		ms_buf_release(&ex);
	}
	gw_put(w, "</channel>\n</rss>\n");
	free(link);
	return gw_doc_write(w, b->feed, true, blog_mtime(w, b), err);
}

/* One comment as a WordPress comment-feed item. */
static void
wp_comment_item(struct gw_web *w, const struct gw_blog *b,
		const struct gw_post *p, size_t ci, bool sitewide)
{
	const struct gw_comment *c = &w->comments[ci];
	int de = b->lang == GW_DE;
	struct ms_buf text, html;
	char name[128], pname[128], date[40];
	const char *url;

	gw_comment_author(w, c, name, sizeof(name), &url);
	gw_rfc822(c->date, date);
	ms_buf_init(&text, 1u << 16);
	ms_buf_init(&html, 1u << 16);
	gw_comment_text(w, c, &text);
	gw_put(w, "\t<item>\n\t\t<title>");
	if (sitewide) {
		gw_put(w, de ? "Kommentar zu " : "Comment on ");
		gw_esc(w, p->title);
		gw_put(w, de ? " von " : " by ");
	} else {
		gw_put(w, de ? "Von: " : "By: ");
	}
	gw_esc(w, name);
	gw_putf(w,
		"</title>\n\t\t<link>%s#comment-%llu</link>\n"
		"\t\t<dc:creator>",
		p->url, (unsigned long long)c->num_id);
	cdata(w, name);
	gw_putf(w,
		"</dc:creator>\n\t\t<pubDate>%s</pubDate>\n"
		"\t\t<guid isPermaLink=\"false\">%s?p=%llu#comment-%llu"
		"</guid>\n\t\t<description>",
		date, b->home, (unsigned long long)p->num_id,
		(unsigned long long)c->num_id);
	/* WordPress says whom a threaded reply answers, in the text. */
	if (c->parent >= 0) {
		const struct gw_comment *pc = &w->comments[c->parent];
		const char *purl;

		gw_comment_author(w, pc, pname, sizeof(pname), &purl);
		ms_buf_addf(&html, "<p>%s <a href=\"%s#comment-%llu\">",
			    de ? "Als Antwort auf" : "In reply to", p->url,
			    (unsigned long long)pc->num_id);
		ms_buf_adds(&html, pname);
		ms_buf_adds(&html, "</a>.</p>\n");
		gw_put(w, de ? "Als Antwort auf " : "In reply to ");
		gw_put(w, pname);
		gw_put(w, ".\n\n");
	}
	{
		struct ms_buf esc = MS_BUF_INIT(1u << 16);
		const char *s;

		for (s = ms_buf_str(&text); *s; s++) {
			if (*s == '&')
				ms_buf_adds(&esc, "&amp;");
			else if (*s == '<')
				ms_buf_adds(&esc, "&lt;");
			else if (*s == '>')
				ms_buf_adds(&esc, "&gt;");
			else
				ms_buf_addc(&esc, *s);
		}
		cdata(w, ms_buf_str(&esc));
		ms_buf_addf(&html, "<p>%s</p>\n", ms_buf_str(&esc));
		ms_buf_release(&esc);
	}
	gw_put(w, "</description>\n\t\t<content:encoded>");
	cdata(w, ms_buf_str(&html));
	gw_put(w, "</content:encoded>\n\t</item>\n");
	ms_buf_release(&text);
	ms_buf_release(&html);
}

static int
cmp_comment_desc(const void *a, const void *b, void *ctx)
{
	const struct gw_web *w = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (w->comments[x].date != w->comments[y].date)
		return w->comments[x].date > w->comments[y].date ? -1 : 1;
	return x > y ? -1 : x < y;
}

static int
wp_comment_feeds(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	size_t *all = NULL, nall = 0, j, k;
	char *title, *self;
	int rc = MS_OK;

	for (j = 0; j < b->nposts && rc == MS_OK; j++) {
		const struct gw_post *p = &w->posts[b->post0 + j];
		size_t *idx = ms_xcalloc(p->nc + 1, sizeof(size_t));

		for (k = 0; k < p->nc; k++)
			idx[k] = p->c0 + k;
		qsort_r(idx, p->nc, sizeof(size_t), cmp_comment_desc, w);
		title = ms_xasprintf(
		    "%s %s", de ? "Kommentare zu:" : "Comments on:", p->title);
		gw_doc_begin(w);
		rss_channel_head(w, b, title, p->cfeed, p->url,
				 post_mtime(w, p), true);
		free(title);
		for (k = 0; k < p->nc; k++)
			wp_comment_item(w, b, p, idx[k], false);
		gw_put(w, "</channel>\n</rss>\n");
		rc = gw_doc_write(w, p->cfeed, true, post_mtime(w, p), err);
		free(idx);
	}
	/* The site-wide comments feed: the latest 10. */
	for (j = 0; j < b->nposts; j++) {
		const struct gw_post *p = &w->posts[b->post0 + j];

		all = ms_xreallocarray(all, nall + p->nc + 1, sizeof(size_t));
		for (k = 0; k < p->nc; k++)
			all[nall++] = p->c0 + k;
	}
	qsort_r(all, nall, sizeof(size_t), cmp_comment_desc, w);
	title = ms_xasprintf("%s %s", de ? "Kommentare zu" : "Comments for",
			     b->title);
	self = ms_xasprintf("%scomments/feed/", b->home);
	gw_doc_begin(w);
	rss_channel_head(w, b, title, self, b->home, blog_mtime(w, b), true);
	for (k = 0; k < nall && k < 10; k++)
		wp_comment_item(w, b, &w->posts[w->comments[all[k]].post],
				all[k], true);
	gw_put(w, "</channel>\n</rss>\n");
	if (rc == MS_OK)
		rc = gw_doc_write(w, self, true, blog_mtime(w, b), err);
	free(title);
	free(self);
	free(all);
	return rc;
}

/* A home page listing recent posts, shared by the engines with their own
 * head and classes. */
static int
home_page(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	size_t k;
	char buf[512];

	gw_doc_begin(w);
	put_head(w, b, b->title, b->home);
	switch (b->eng) {
	case GW_WORDPRESS:
		gw_put(w, "<link rel=\"alternate\" "
			  "type=\"application/rss+xml\" title=\"");
		gw_esc(w, b->title);
		gw_putf(w, " &raquo; Feed\" href=\"%s\">\n", b->feed);
		gw_put(w, "<link rel=\"alternate\" "
			  "type=\"application/rss+xml\" title=\"");
		gw_esc(w, b->title);
		gw_putf(w, " &raquo; %s\" href=\"%scomments/feed/\">\n",
			de ? "Kommentar-Feed" : "Comments Feed", b->home);
		gw_put(w, "<meta name=\"generator\" content=\"WordPress "
			  "6.6.2\">\n");
		break;
	case GW_BLOGGER:
		gw_put(w, "<link rel=\"alternate\" "
			  "type=\"application/atom+xml\" title=\"");
		gw_esc(w, b->title);
		gw_putf(w, " - Atom\" href=\"%s\" />\n", b->feed);
		gw_put(w, "<link rel=\"alternate\" "
			  "type=\"application/rss+xml\" title=\"");
		gw_esc(w, b->title);
		gw_putf(w,
			" - RSS\" href=\"%s?alt=rss\" />\n"
			"<link rel=\"service.post\" "
			"type=\"application/atom+xml\" title=\"",
			b->feed);
		gw_esc(w, b->title);
		gw_putf(w,
			" - Atom\" href=\"https://www.blogger.com/feeds/"
			"%llu/posts/default\" />\n"
			"<meta content=\"blogger\" name=\"generator\"/>\n",
			(unsigned long long)b->num_id);
		break;
	case GW_ATOM:
		gw_put(w, "<link type=\"application/atom+xml\" "
			  "rel=\"alternate\" title=\"");
		gw_esc(w, b->title);
		gw_putf(w,
			"\" href=\"%s\" />\n<meta name=\"generator\" "
			"content=\"Jekyll v4.3.3\" />\n",
			b->feed);
		break;
	case GW_RSS:
		gw_put(w, "<link rel=\"alternate\" "
			  "type=\"application/rss+xml\" title=\"RSS 2.0\" ");
		gw_putf(w,
			"href=\"%s\" />\n<meta name=\"generator\" "
			"content=\"Movable Type 7\" />\n",
			b->feed);
		break;
	default:
		gw_putf(w,
			"<link rel=\"alternate\" "
			"type=\"application/rss+xml\" href=\"%s\" />\n",
			b->feed);
		break;
	}
	gw_put(w, "</head>\n");
	if (b->eng == GW_HENTRY) {
		gw_putf(w,
			"<body>\n<header class=\"h-card\"><a class=\"u-url "
			"u-uid p-name\" href=\"%s\" rel=\"me\">",
			b->home);
		gw_esc(w, b->name);
		gw_put(w, "</a> <p class=\"p-note\">");
		gw_esc(w, b->tagline);
		gw_put(w, "</p>\n<ul class=\"rel-me\">\n");
		put_profiles(w, b, "u-url");
		gw_put(w, "</ul></header>\n<main class=\"h-feed\">\n<h1 "
			  "class=\"p-name\">");
		gw_esc(w, b->title);
		gw_put(w, "</h1>\n");
	} else {
		gw_putf(w,
			"<body class=\"home blog\">\n<div id=\"page\" "
			"class=\"site\">\n<header class=\"site-header\"><h1 "
			"class=\"site-title\"><a href=\"%s\" rel=\"home\">",
			b->home);
		gw_esc(w, b->title);
		gw_put(w, "</a></h1><p class=\"site-description\">");
		gw_esc(w, b->tagline);
		gw_put(w, "</p></header>\n<main id=\"main\" "
			  "class=\"site-main blog-posts hfeed\">\n");
	}
	for (k = 0; k < b->nposts && k < 10; k++) {
		const struct gw_post *p = post_of(w, b, k);
		struct ms_buf body, ex;
		char iso[40], when[64];

		body_of(w, p, &body);
		excerpt(ms_buf_str(&body), " &hellip;", &ex);
		gw_rfc3339(p->date, 0, false, iso);
		gw_human_date(b->lang, p->date, false, when);
		if (b->eng == GW_HENTRY)
			gw_putf(w,
				"<article class=\"h-entry\"><h2><a "
				"class=\"u-url p-name\" href=\"%s\">",
				p->url);
		else
			gw_putf(w,
				"<article class=\"post hentry\"><h2 "
				"class=\"entry-title\"><a href=\"%s\" "
				"rel=\"bookmark\">",
				p->url);
		gw_esc(w, p->title);
		gw_putf(w,
			"</a></h2>\n<time class=\"%s\" datetime=\"%s\">%s"
			"</time>\n<p class=\"%s\">%s</p>\n",
			b->eng == GW_HENTRY ? "dt-published" : "published", iso,
			when,
			b->eng == GW_HENTRY ? "p-summary" : "entry-summary",
			ms_buf_str(&ex));
		if (!b->comments_off)
			gw_putf(w, "<a href=\"%s#comments\">%zu %s</a>\n",
				p->url, p->nc, de ? "Kommentare" : "Comments");
		gw_put(w, "</article>\n");
		ms_buf_release(&body);
		ms_buf_release(&ex);
	}
	gw_put(w, "</main>\n");
	put_sidebar(w, b);
	if (b->eng != GW_HENTRY)
		gw_put(w, "</div>\n");
	gw_put(w, "</body>\n</html>\n");
	(void)buf;
	return gw_doc_write(w, b->home, false, blog_mtime(w, b), err);
}

/* -------------------------------------------------------------- Blogger */

static void
blogger_person(struct gw_web *w, const struct gw_blog *b,
	       const struct gw_comment *c, bool atom)
{
	char name[128];
	const char *url;

	if (c && c->who == GW_ANON) {
		/* Blogger shows name-only comments as Anonymous or the
		 * name typed in; keep the name. */
		gw_comment_author(w, c, name, sizeof(name), &url);
	} else if (c && !c->by_author) {
		gw_comment_author(w, c, name, sizeof(name), &url);
	} else {
		snprintf(name, sizeof(name), "%s", b->name);
		url = NULL;
	}
	if (!atom)
		return;
	gw_put(w, "<author><name>");
	gw_esc(w, name);
	gw_put(w, "</name>");
	if (!c || c->by_author)
		gw_putf(w, "<uri>https://www.blogger.com/profile/%llu</uri>",
			(unsigned long long)b->profile_id);
	else if (url)
		gw_putf(w, "<uri>%s</uri>", url);
	gw_put(w, "<email>noreply@blogger.com</email><gd:image "
		  "rel='http://schemas.google.com/g/2005#thumbnail' "
		  "width='16' height='16' "
		  "src='https://img1.blogblog.com/img/b16-rounded.gif'/>"
		  "</author>");
}

static int
blogger_feed(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	unsigned long long bid = (unsigned long long)b->num_id;
	char date[40];
	size_t k;
	int de = b->lang == GW_DE;

	gw_rfc3339(blog_mtime(w, b), BLOGGER_OFFSET(b), true, date);
	gw_doc_begin(w);
	gw_putf(w,
		"<?xml version='1.0' encoding='UTF-8'?><feed "
		"xmlns='http://www.w3.org/2005/Atom' "
		"xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
		"xmlns:blogger='http://schemas.google.com/blogger/2008' "
		"xmlns:georss='http://www.georss.org/georss' "
		"xmlns:gd=\"http://schemas.google.com/g/2005\" "
		"xmlns:thr='http://purl.org/syndication/thread/1.0'>"
		"<id>tag:blogger.com,1999:blog-%llu</id><updated>%s"
		"</updated>",
		bid, date);
	if (b->topic >= 0)
		gw_putf(w, "<category term=\"%s\"/>",
			gw_topics[b->topic].label[de]);
	gw_put(w, "<title type='text'>");
	gw_esc(w, b->title);
	gw_put(w, "</title><subtitle type='html'>");
	gw_esc(w, b->tagline);
	gw_putf(w,
		"</subtitle><link "
		"rel='http://schemas.google.com/g/2005#feed' "
		"type='application/atom+xml' href='%s'/><link rel='self' "
		"type='application/atom+xml' href='%s'/><link "
		"rel='alternate' type='text/html' href='%s'/>",
		b->feed, b->feed, b->home);
	blogger_person(w, b, NULL, true);
	gw_putf(w,
		"<generator version='7.00' "
		"uri='http://www.blogger.com'>Blogger</generator>"
		"<openSearch:totalResults>%zu</openSearch:totalResults>"
		"<openSearch:startIndex>1</openSearch:startIndex>"
		"<openSearch:itemsPerPage>25</openSearch:itemsPerPage>",
		b->nposts);
	for (k = 0; k < b->nposts; k++) {
		const struct gw_post *p = post_of(w, b, k);
		unsigned long long pid = (unsigned long long)p->num_id;
		struct ms_buf body;
		char pub[40], upd[40];

		body_of(w, p, &body);
		gw_rfc3339(p->date, BLOGGER_OFFSET(b), true, pub);
		gw_rfc3339(p->date + 600, BLOGGER_OFFSET(b), true, upd);
		gw_putf(w,
			"<entry><id>tag:blogger.com,1999:blog-%llu.post-%llu"
			"</id><published>%s</published><updated>%s"
			"</updated>",
			bid, pid, pub, upd);
		if (p->topic >= 0)
			gw_putf(w,
				"<category "
				"scheme=\"http://www.blogger.com/atom/ns#\" "
				"term=\"%s\"/>",
				gw_topics[p->topic].label[de]);
		if (p->topic2 >= 0)
			gw_putf(w,
				"<category "
				"scheme=\"http://www.blogger.com/atom/ns#\" "
				"term=\"%s\"/>",
				gw_topics[p->topic2].label[de]);
		gw_put(w, "<title type='text'>");
		gw_esc(w, p->title);
		gw_put(w, "</title><content type='html'>");
		gw_esc(w, ms_buf_str(&body));
		gw_put(w, "</content>");
		if (!b->comments_off)
			gw_putf(w,
				"<link rel='replies' "
				"type='application/atom+xml' href='%s' "
				"title='%s'/><link rel='replies' "
				"type='text/html' href='%s#comment-form' "
				"title='%zu %s'/>",
				p->cfeed,
				de ? "Kommentare zum Post" : "Post Comments",
				p->url, p->nc, de ? "Kommentare" : "Comments");
		gw_putf(w,
			"<link rel='edit' type='application/atom+xml' "
			"href='https://www.blogger.com/feeds/%llu/posts/"
			"default/%llu'/><link rel='self' "
			"type='application/atom+xml' "
			"href='%sfeeds/posts/default/%llu'/><link "
			"rel='alternate' type='text/html' href='%s' "
			"title='",
			bid, pid, b->home, pid, p->url);
		gw_esc(w, p->title);
		gw_put(w, "'/>");
		blogger_person(w, b, NULL, true);
		if (!b->comments_off)
			gw_putf(w, "<thr:total>%zu</thr:total>", p->nc);
		gw_put(w, "</entry>");
		ms_buf_release(&body);
	}
	gw_put(w, "</feed>");
	return gw_doc_write(w, b->feed, true, blog_mtime(w, b), err);
}

static int
blogger_comment_feed(struct gw_web *w, const struct gw_blog *b,
		     const struct gw_post *p, struct ms_err *err)
{
	unsigned long long bid = (unsigned long long)b->num_id;
	unsigned long long pid = (unsigned long long)p->num_id;
	size_t *idx = ms_xcalloc(p->nc + 1, sizeof(size_t)), k;
	char date[40];
	int rc;

	for (k = 0; k < p->nc; k++)
		idx[k] = p->c0 + k;
	qsort_r(idx, p->nc, sizeof(size_t), cmp_comment_desc, w);
	gw_rfc3339(post_mtime(w, p), BLOGGER_OFFSET(b), true, date);
	gw_doc_begin(w);
	gw_putf(w,
		"<?xml version='1.0' encoding='UTF-8'?><feed "
		"xmlns='http://www.w3.org/2005/Atom' "
		"xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
		"xmlns:gd=\"http://schemas.google.com/g/2005\" "
		"xmlns:thr='http://purl.org/syndication/thread/1.0'>"
		"<id>tag:blogger.com,1999:blog-%llu.post%llu..comments</id>"
		"<updated>%s</updated><title type='text'>",
		bid, pid, date);
	gw_esc(w, b->title);
	gw_put(w, " - ");
	gw_esc(w, p->title);
	gw_putf(w,
		"</title><link "
		"rel='http://schemas.google.com/g/2005#feed' "
		"type='application/atom+xml' href='%s'/><link rel='self' "
		"type='application/atom+xml' href='%s'/><link "
		"rel='alternate' type='text/html' href='%s'/>",
		p->cfeed, p->cfeed, p->url);
	blogger_person(w, b, NULL, true);
	gw_putf(w,
		"<generator version='7.00' "
		"uri='http://www.blogger.com'>Blogger</generator>"
		"<openSearch:totalResults>%zu</openSearch:totalResults>",
		p->nc);
	for (k = 0; k < p->nc; k++) {
		const struct gw_comment *c = &w->comments[idx[k]];
		unsigned long long cid = (unsigned long long)c->num_id;
		struct ms_buf text;
		char pub[40], when[64];

		ms_buf_init(&text, 1u << 16);
		gw_comment_text(w, c, &text);
		gw_rfc3339(c->date, BLOGGER_OFFSET(b), true, pub);
		gw_human_date(b->lang, c->date + BLOGGER_OFFSET(b) * 60, true,
			      when);
		gw_putf(w,
			"<entry><id>tag:blogger.com,1999:blog-%llu.post-%llu"
			"</id><published>%s</published><updated>%s"
			"</updated><title type='text'>",
			bid, cid, pub, pub);
		{
			char t[64];

			snprintf(t, sizeof(t), "%.40s", ms_buf_str(&text));
			/* Do not cut a UTF-8 sequence in two. */
			while (strlen(t) &&
			       ((unsigned char)t[strlen(t) - 1] & 0xc0) == 0x80)
				t[strlen(t) - 1] = '\0';
			while (strlen(t) &&
			       ((unsigned char)t[strlen(t) - 1] & 0xc0) == 0xc0)
				t[strlen(t) - 1] = '\0';
			gw_esc(w, t);
		}
		gw_put(w, "</title><content type='html'>");
		gw_esc(w, ms_buf_str(&text));
		gw_putf(w,
			"</content><link rel='edit' "
			"type='application/atom+xml' "
			"href='https://www.blogger.com/feeds/%llu/%llu/"
			"comments/default/%llu'/><link rel='self' "
			"type='application/atom+xml' href='%s/%llu'/><link "
			"rel='alternate' type='text/html' "
			"href='%s?showComment=%lld000#c%llu' title=''/>",
			bid, pid, cid, p->cfeed, cid, p->url,
			(long long)c->date, cid);
		if (c->parent >= 0)
			gw_putf(
			    w,
			    "<link rel='related' "
			    "type='application/atom+xml' "
			    "href='%s/%llu'/>",
			    p->cfeed,
			    (unsigned long long)w->comments[c->parent].num_id);
		blogger_person(w, b, c, true);
		gw_putf(
		    w,
		    "<thr:in-reply-to "
		    "xmlns:thr='http://purl.org/syndication/thread/1.0' "
		    "href='%s' "
		    "ref='tag:blogger.com,1999:blog-%llu.post-%llu' "
		    "source='https://www.blogger.com/feeds/%llu/posts/"
		    "default/%llu' type='text/html'/>"
		    "<gd:extendedProperty name='blogger.itemClass' "
		    "value='pid-%llu'/><gd:extendedProperty "
		    "name='blogger.displayTime' value='%s'/></entry>",
		    p->url, bid, pid, bid, pid,
		    c->by_author
			? (unsigned long long)(b->profile_id % 1000000000ULL)
			: (unsigned long long)(c->num_id % 1000000000ULL),
		    when);
		ms_buf_release(&text);
	}
	gw_put(w, "</feed>");
	rc = gw_doc_write(w, p->cfeed, true, post_mtime(w, p), err);
	free(idx);
	return rc;
}

static void
blogger_comment_li(struct gw_web *w, const struct gw_blog *b,
		   const struct gw_post *p, size_t ci)
{
	const struct gw_comment *c = &w->comments[ci];
	unsigned long long cid = (unsigned long long)c->num_id;
	struct ms_buf text;
	char name[128], when[64];
	const char *url;

	ms_buf_init(&text, 1u << 16);
	gw_comment_text(w, c, &text);
	gw_comment_author(w, c, name, sizeof(name), &url);
	if (c->by_author)
		url = NULL;
	gw_human_date(b->lang, c->date + BLOGGER_OFFSET(b) * 60, true, when);
	gw_putf(w,
		"<li class=\"comment\" id=\"c%llu\"><div "
		"class=\"avatar-image-container\"><img src=\"\" "
		"alt=\"\"/></div><div class=\"comment-block\"><div "
		"class=\"comment-header\"><cite class=\"user%s\">",
		cid, c->by_author ? " blog-author" : "");
	if (c->by_author)
		gw_putf(w,
			"<a href=\"https://www.blogger.com/profile/%llu\" "
			"rel=\"nofollow\">",
			(unsigned long long)b->profile_id);
	else if (url)
		gw_putf(w, "<a href=\"%s\" rel=\"nofollow\">", url);
	gw_esc(w, name);
	if (c->by_author || url)
		gw_put(w, "</a>");
	gw_putf(w,
		"</cite><span class=\"icon user%s\"></span><span "
		"class=\"datetime secondary-text\"><a rel=\"nofollow\" "
		"href=\"%s?showComment=%lld000#c%llu\">%s</a></span></div>"
		"<p class=\"comment-content\">",
		c->by_author ? " blog-author" : "", p->url, (long long)c->date,
		cid, when);
	gw_esc(w, ms_buf_str(&text));
	gw_put(w, "</p><span class=\"comment-actions secondary-text\">");
	if (!p->closed)
		gw_putf(w,
			"<a class=\"comment-reply\" target=\"_self\" "
			"data-comment-id=\"%llu\">%s</a>",
			cid, b->lang == GW_DE ? "Antworten" : "Reply");
	gw_put(w, "</span></div>");
	ms_buf_release(&text);
}

/* Blogger threads one level deep: every descendant of a top-level comment
 * shows in its inline thread, in date order. */
static void
blogger_descendants(const struct gw_web *w, const struct gw_post *p, size_t top,
		    size_t *out, size_t *n)
{
	size_t i;

	for (i = p->c0; i < p->c0 + p->nc; i++) {
		long a = w->comments[i].parent;

		while (a >= 0 && (size_t)a != top)
			a = w->comments[a].parent;
		if (a >= 0 && (size_t)a == top && i != top)
			out[(*n)++] = i;
	}
}

static int
blogger_post_page(struct gw_web *w, const struct gw_blog *b,
		  const struct gw_post *p, size_t *scratch, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	size_t *desc = ms_xcalloc(p->nc + 1, sizeof(size_t));
	struct ms_buf body;
	char when[64], iso[40];
	size_t n, k, d, nd;
	int rc;

	body_of(w, p, &body);
	gw_human_date(b->lang, p->date + BLOGGER_OFFSET(b) * 60, false, when);
	gw_rfc3339(p->date, BLOGGER_OFFSET(b), false, iso);
	gw_doc_begin(w);
	put_head(w, b, p->title, p->url);
	gw_put(w, "<link rel=\"alternate\" type=\"application/atom+xml\" "
		  "title=\"");
	gw_esc(w, b->title);
	gw_putf(w, " - Atom\" href=\"%s\" />\n", b->feed);
	gw_put(w, "<link rel=\"alternate\" type=\"application/atom+xml\" "
		  "title=\"");
	gw_esc(w, b->title);
	gw_put(w, " - Atom\" href=\"");
	gw_putf(w,
		"%s\" />\n<meta content=\"blogger\" name=\"generator\"/>\n"
		"</head>\n<body class=\"item-view\">\n<div "
		"class=\"content-outer\"><div class=\"main-inner\">\n"
		"<h1 class=\"title\"><a href=\"%s\">",
		p->cfeed, b->home);
	gw_esc(w, b->title);
	gw_putf(w,
		"</a></h1>\n<div class=\"date-outer\"><h2 "
		"class=\"date-header\"><span>%s</span></h2>\n"
		"<div class=\"post-outer\"><div class=\"post hentry "
		"uncustomized-post-template\" itemprop=\"blogPost\" "
		"itemscope=\"itemscope\" "
		"itemtype=\"http://schema.org/BlogPosting\">\n"
		"<a name=\"%llu\"></a><h3 class=\"post-title entry-title\" "
		"itemprop=\"name\">",
		when, (unsigned long long)p->num_id);
	gw_esc(w, p->title);
	gw_putf(w,
		"</h3>\n<div class=\"post-body entry-content\" "
		"id=\"post-body-%llu\" itemprop=\"description "
		"articleBody\">\n",
		(unsigned long long)p->num_id);
	gw_put(w, ms_buf_str(&body));
	gw_putf(w,
		"</div>\n<div class=\"post-footer\"><span "
		"class=\"post-author vcard\">%s <span class=\"fn\" "
		"itemprop=\"author\"><a class=\"g-profile\" "
		"href=\"https://www.blogger.com/profile/%llu\" "
		"rel=\"author\"><span itemprop=\"name\">",
		de ? "Eingestellt von" : "Posted by",
		(unsigned long long)b->profile_id);
	gw_esc(w, b->name);
	gw_putf(w,
		"</span></a></span></span> <span "
		"class=\"post-timestamp\"><a class=\"timestamp-link\" "
		"href=\"%s\" rel=\"bookmark\"><abbr class=\"published\" "
		"itemprop=\"datePublished\" title=\"%s\">%s</abbr></a>"
		"</span>",
		p->url, iso, when);
	if (p->topic >= 0)
		gw_putf(w,
			" <span class=\"post-labels\">Labels: <a "
			"href=\"%ssearch/label/%s\" rel=\"tag\">%s</a>"
			"</span>",
			b->home, gw_topics[p->topic].label[de],
			gw_topics[p->topic].label[de]);
	gw_put(w, "</div>\n</div></div></div>\n");
	if (!b->comments_off) {
		gw_putf(w,
			"<div class=\"comments threaded\" id=\"comments\">"
			"\n<a name=\"comments\"></a>\n<h4>%zu %s:</h4>\n"
			"<div class=\"comments-content\">\n<div "
			"id=\"comment-holder\"><div class=\"comment-thread "
			"toplevel-thread\"><ol id=\"top-ra\">\n",
			p->nc,
			de ? (p->nc == 1 ? "Kommentar" : "Kommentare")
			   : (p->nc == 1 ? "comment" : "comments"));
		n = gw_children(w, p, -1, scratch);
		for (k = 0; k < n; k++) {
			unsigned long long cid =
			    (unsigned long long)w->comments[scratch[k]].num_id;

			blogger_comment_li(w, b, p, scratch[k]);
			nd = 0;
			blogger_descendants(w, p, scratch[k], desc, &nd);
			gw_putf(w, "<div class=\"comment-replies\">");
			if (nd) {
				/* sort descendants by date */
				size_t a, c2;

				for (a = 1; a < nd; a++)
					for (c2 = a;
					     c2 > 0 &&
					     w->comments[desc[c2 - 1]].date >
						 w->comments[desc[c2]].date;
					     c2--) {
						size_t t = desc[c2];

						desc[c2] = desc[c2 - 1];
						desc[c2 - 1] = t;
					}
				gw_putf(w,
					"<div id=\"c%llu-rt\" "
					"class=\"comment-thread "
					"inline-thread\"><span "
					"class=\"thread-toggle "
					"thread-expanded\"><span "
					"class=\"thread-arrow\"></span><span "
					"class=\"thread-count\"><a "
					"target=\"_self\">%s</a></span></span>"
					"<ol id=\"c%llu-ra\" "
					"class=\"thread-chrome "
					"thread-expanded\"><div>",
					cid, de ? "Antworten" : "Replies", cid);
				for (d = 0; d < nd; d++) {
					blogger_comment_li(w, b, p, desc[d]);
					gw_put(w, "</li>");
				}
				gw_put(w, "</div></ol></div>");
			}
			gw_putf(w,
				"</div><div class=\"comment-replybox-single\" "
				"id=\"c%llu-ce\"></div></li>\n",
				cid);
		}
		gw_put(w, "</ol></div></div></div>\n");
		if (!p->closed)
			gw_putf(w,
				"<div class=\"comment-form\"><a "
				"name=\"comment-form\"></a><h4 "
				"id=\"comment-post-message\">%s</h4><iframe "
				"allowtransparency=\"true\" "
				"class=\"blogger-iframe-colorize "
				"blogger-comment-from-post\" "
				"frameborder=\"0\" height=\"410px\" "
				"id=\"comment-editor\" "
				"name=\"comment-editor\" src=\"\" "
				"width=\"100%%\"></iframe></div>\n",
				de ? "Kommentar veröffentlichen"
				   : "Post a Comment");
		gw_put(w, "</div>\n");
	}
	gw_put(w, "</div></div>\n");
	put_sidebar(w, b);
	gw_put(w, "</body>\n</html>\n");
	ms_buf_release(&body);
	rc = gw_doc_write(w, p->url, false, post_mtime(w, p), err);
	free(desc);
	return rc;
}

/* -------------------------------------------------------- plain Atom */

static int
atom_feed(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	char date[40];
	size_t k;

	gw_rfc3339(blog_mtime(w, b), 0, false, date);
	gw_doc_begin(w);
	gw_putf(w,
		"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed "
		"xmlns=\"http://www.w3.org/2005/Atom\" "
		"xmlns:thr=\"http://purl.org/syndication/thread/1.0\" "
		"xml:lang=\"%s\"><generator uri=\"https://jekyllrb.com/\" "
		"version=\"4.3.3\">Jekyll</generator><link href=\"%s\" "
		"rel=\"self\" type=\"application/atom+xml\" /><link "
		"href=\"%s\" rel=\"alternate\" type=\"text/html\" "
		"hreflang=\"%s\" /><updated>%s</updated><id>%s</id>"
		"<title type=\"html\">",
		de ? "de" : "en", b->feed, b->home, de ? "de" : "en", date,
		b->feed);
	gw_esc(w, b->title);
	gw_put(w, "</title><subtitle>");
	gw_esc(w, b->tagline);
	gw_put(w, "</subtitle><author><name>");
	gw_esc(w, b->name);
	gw_putf(w, "</name><uri>%s</uri></author>\n", b->home);
	for (k = 0; k < b->nposts; k++) {
		const struct gw_post *p = post_of(w, b, k);
		struct ms_buf body, ex;
		char pub[40], upd[40];

		body_of(w, p, &body);
		excerpt(ms_buf_str(&body), " &hellip;", &ex);
		gw_rfc3339(p->date, 0, false, pub);
		gw_rfc3339(post_mtime(w, p), 0, false, upd);
		gw_put(w, "<entry><title type=\"html\">");
		gw_esc(w, p->title);
		gw_putf(w,
			"</title><link href=\"%s\" rel=\"alternate\" "
			"type=\"text/html\" title=\"",
			p->url);
		gw_esc(w, p->title);
		gw_putf(w,
			"\" /><published>%s</published><updated>%s"
			"</updated><id>%s</id><content type=\"html\" "
			"xml:base=\"%s\">",
			pub, pub, p->url, p->url);
		gw_esc(w, ms_buf_str(&body));
		gw_put(w, "</content><author><name>");
		gw_esc(w, b->name);
		gw_putf(w, "</name><uri>%s</uri></author>", b->home);
		if (p->topic >= 0)
			gw_putf(w, "<category term=\"%s\" label=\"%s\" />",
				gw_topics[p->topic].id,
				gw_topics[p->topic].label[de]);
		gw_put(w, "<summary type=\"html\">");
		gw_esc(w, ms_buf_str(&ex));
		gw_putf(w,
			"</summary><link rel=\"replies\" "
			"type=\"application/atom+xml\" href=\"%s\" "
			"thr:count=\"%zu\" thr:updated=\"%s\" /><link "
			"rel=\"replies\" type=\"text/html\" "
			"href=\"%s#comments\" thr:count=\"%zu\" />"
			"<thr:total>%zu</thr:total></entry>\n",
			p->cfeed, p->nc, upd, p->url, p->nc, p->nc);
		ms_buf_release(&body);
		ms_buf_release(&ex);
	}
	gw_put(w, "</feed>\n");
	return gw_doc_write(w, b->feed, true, blog_mtime(w, b), err);
}

static int
atom_comment_feed(struct gw_web *w, const struct gw_blog *b,
		  const struct gw_post *p, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	char date[40];
	size_t k;

	gw_rfc3339(post_mtime(w, p), 0, false, date);
	gw_doc_begin(w);
	gw_put(w,
	       "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed "
	       "xmlns=\"http://www.w3.org/2005/Atom\" "
	       "xmlns:thr=\"http://purl.org/syndication/thread/1.0\"><title>");
	gw_put(w, de ? "Kommentare zu: " : "Comments on: ");
	gw_esc(w, p->title);
	gw_putf(w,
		"</title><id>%s#comments</id><updated>%s</updated><link "
		"rel=\"self\" href=\"%s\" /><link rel=\"alternate\" "
		"type=\"text/html\" href=\"%s\" />\n",
		p->url, date, p->cfeed, p->url);
	for (k = 0; k < p->nc; k++) {
		size_t ci = p->c0 + k;
		const struct gw_comment *c = &w->comments[ci];
		struct ms_buf text;
		char name[128], pub[40];
		const char *url;

		ms_buf_init(&text, 1u << 16);
		gw_comment_text(w, c, &text);
		gw_comment_author(w, c, name, sizeof(name), &url);
		gw_rfc3339(c->date, 0, false, pub);
		gw_putf(w, "<entry><id>%s#comment-%llu</id><title>%s ", p->url,
			(unsigned long long)c->num_id,
			de ? "Kommentar von" : "Comment by");
		gw_esc(w, name);
		gw_put(w, "</title><author><name>");
		gw_esc(w, name);
		gw_put(w, "</name>");
		if (url)
			gw_putf(w, "<uri>%s</uri>", url);
		gw_putf(w,
			"</author><published>%s</published><updated>%s"
			"</updated><link rel=\"alternate\" "
			"type=\"text/html\" href=\"%s#comment-%llu\" />",
			pub, pub, p->url, (unsigned long long)c->num_id);
		/* RFC 4685: a reply names its parent, others the post. */
		if (c->parent >= 0)
			gw_putf(
			    w,
			    "<thr:in-reply-to ref=\"%s#comment-%llu\" "
			    "href=\"%s#comment-%llu\" "
			    "type=\"text/html\" />",
			    p->url,
			    (unsigned long long)w->comments[c->parent].num_id,
			    p->url,
			    (unsigned long long)w->comments[c->parent].num_id);
		else
			gw_putf(w,
				"<thr:in-reply-to ref=\"%s\" href=\"%s\" "
				"type=\"text/html\" />",
				p->url, p->url);
		gw_put(w, "<content type=\"text\">");
		gw_esc(w, ms_buf_str(&text));
		gw_put(w, "</content></entry>\n");
		ms_buf_release(&text);
	}
	gw_put(w, "</feed>\n");
	return gw_doc_write(w, p->cfeed, true, post_mtime(w, p), err);
}

/* Plain pages (Jekyll, Movable Type, h-entry) share a frame. */
static void
plain_page_head(struct gw_web *w, const struct gw_blog *b,
		const struct gw_post *p)
{
	put_head(w, b, p->title, p->url);
	gw_putf(w,
		"<link rel=\"alternate\" type=\"%s\" href=\"%s\" />\n"
		"</head>\n<body>\n<header class=\"site-header\"><a "
		"class=\"site-title\" href=\"%s\">",
		b->eng == GW_ATOM ? "application/atom+xml"
				  : "application/rss+xml",
		b->feed, b->home);
	gw_esc(w, b->title);
	gw_put(w, "</a></header>\n");
}

static void
plain_comment(struct gw_web *w, const struct gw_blog *b,
	      const struct gw_post *p, size_t ci, size_t *scratch)
{
	const struct gw_comment *c = &w->comments[ci];
	int de = b->lang == GW_DE;
	size_t *kids = scratch + p->nc, n, k;
	struct ms_buf text;
	char name[128], iso[40], when[64];
	const char *url;

	ms_buf_init(&text, 1u << 16);
	gw_comment_text(w, c, &text);
	gw_comment_author(w, c, name, sizeof(name), &url);
	gw_rfc3339(c->date, 0, false, iso);
	gw_human_date(b->lang, c->date, true, when);
	gw_putf(w,
		"<div class=\"comment%s\" id=\"comment-%llu\">\n<p "
		"class=\"comment-meta\">",
		c->by_author ? " comment-by-author" : "",
		(unsigned long long)c->num_id);
	if (url)
		gw_putf(w, "<a href=\"%s\" rel=\"nofollow\">", url);
	gw_esc(w, name);
	if (url)
		gw_put(w, "</a>");
	gw_putf(w,
		" %s <a href=\"#comment-%llu\"><time datetime=\"%s\">%s"
		"</time></a></p>\n<div class=\"comment-body\"><p>",
		de ? "am" : "on", (unsigned long long)c->num_id, iso, when);
	gw_esc(w, ms_buf_str(&text));
	gw_put(w, "</p></div>\n");
	n = gw_children(w, p, (long)ci, kids);
	if (n) {
		gw_put(w, "<div class=\"comment-replies\">\n");
		for (k = 0; k < n; k++)
			plain_comment(w, b, p, kids[k], kids);
		gw_put(w, "</div>\n");
	}
	gw_put(w, "</div>\n");
	ms_buf_release(&text);
}

static void
plain_form_or_closed(struct gw_web *w, const struct gw_blog *b,
		     const struct gw_post *p)
{
	int de = b->lang == GW_DE;

	if (p->closed) {
		gw_putf(w, "<p class=\"comments-closed\">%s</p>\n",
			de ? "Die Kommentare sind geschlossen."
			   : "Comments are closed.");
		return;
	}
	gw_putf(w,
		"<form class=\"comment-form\" method=\"post\" "
		"action=\"%scomments/post\"><h3>%s</h3><input "
		"name=\"author\" placeholder=\"Name\"><input name=\"url\" "
		"placeholder=\"Website\"><textarea "
		"name=\"text\"></textarea><button>%s</button></form>\n",
		b->home, de ? "Kommentar schreiben" : "Leave a comment",
		de ? "Senden" : "Submit");
}

static int
atom_post_page(struct gw_web *w, const struct gw_blog *b,
	       const struct gw_post *p, size_t *scratch, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	struct ms_buf body;
	char iso[40], when[64];
	size_t n, k;

	body_of(w, p, &body);
	gw_rfc3339(p->date, 0, false, iso);
	gw_human_date(b->lang, p->date, false, when);
	gw_doc_begin(w);
	plain_page_head(w, b, p);
	gw_put(w, "<main class=\"page-content\"><article class=\"post\">"
		  "<header class=\"post-header\"><h1 class=\"post-title\">");
	gw_esc(w, p->title);
	gw_putf(w,
		"</h1><p class=\"post-meta\"><time datetime=\"%s\">%s"
		"</time> &bull; <span class=\"post-author\">",
		iso, when);
	gw_esc(w, b->name);
	gw_put(w, "</span></p></header>\n<div class=\"post-content\">\n");
	gw_put(w, ms_buf_str(&body));
	gw_putf(w,
		"</div>\n</article>\n<section id=\"comments\"><h2>%s (%zu)"
		"</h2>\n",
		de ? "Kommentare" : "Comments", p->nc);
	n = gw_children(w, p, -1, scratch);
	for (k = 0; k < n; k++)
		plain_comment(w, b, p, scratch[k], scratch);
	plain_form_or_closed(w, b, p);
	gw_put(w, "</section>\n</main>\n");
	put_sidebar(w, b);
	gw_put(w, "</body>\n</html>\n");
	ms_buf_release(&body);
	return gw_doc_write(w, p->url, false, post_mtime(w, p), err);
}

/* ------------------------------------------- Movable Type style RSS */

static int
rss_feed(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	size_t k;

	gw_doc_begin(w);
	rss_channel_head(w, b, b->title, b->feed, b->home, blog_mtime(w, b),
			 false);
	gw_put(w, b->eng == GW_RSS ? "\t<generator>Movable Type 7</generator>\n"
				   : "\t<generator>Known</generator>\n");
	for (k = 0; k < b->nposts; k++) {
		const struct gw_post *p = post_of(w, b, k);
		struct ms_buf body;
		char date[40];

		body_of(w, p, &body);
		gw_rfc822(p->date, date);
		gw_put(w, "\t<item>\n\t\t<title>");
		gw_esc(w, p->title);
		gw_putf(w,
			"</title>\n\t\t<link>%s</link>\n"
			"\t\t<description>",
			p->url);
		gw_esc(w, ms_buf_str(&body));
		gw_put(w, "</description>\n");
		if (b->eng == GW_RSS) {
			gw_put(w, "\t\t<dc:creator>");
			gw_esc(w, b->name);
			gw_put(w, "</dc:creator>\n");
		}
		if (p->topic >= 0)
			gw_putf(w, "\t\t<category>%s</category>\n",
				gw_topics[p->topic].label[de]);
		gw_putf(w,
			"\t\t<pubDate>%s</pubDate>\n\t\t<guid "
			"isPermaLink=\"true\">%s</guid>\n"
			"\t\t<comments>%s#comments</comments>\n",
			date, p->url, p->url);
		if (p->cfeed)
			gw_putf(w,
				"\t\t<wfw:commentRss>%s</wfw:commentRss>\n"
				"\t\t<slash:comments>%zu</slash:comments>\n",
				p->cfeed, p->nc);
		gw_put(w, "\t</item>\n");
		ms_buf_release(&body);
	}
	gw_put(w, "</channel>\n</rss>\n");
	return gw_doc_write(w, b->feed, true, blog_mtime(w, b), err);
}

static int
rss_comment_feed(struct gw_web *w, const struct gw_blog *b,
		 const struct gw_post *p, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	char *title;
	size_t k;

	title = ms_xasprintf("%s %s", de ? "Kommentare zu" : "Comments on",
			     p->title);
	gw_doc_begin(w);
	rss_channel_head(w, b, title, p->cfeed, p->url, post_mtime(w, p),
			 false);
	free(title);
	for (k = 0; k < p->nc; k++) {
		const struct gw_comment *c = &w->comments[p->c0 + k];
		struct ms_buf text;
		char name[128], date[40];
		const char *url;

		ms_buf_init(&text, 1u << 16);
		gw_comment_text(w, c, &text);
		gw_comment_author(w, c, name, sizeof(name), &url);
		gw_rfc822(c->date, date);
		gw_putf(w, "\t<item>\n\t\t<title>%s ",
			de ? "Kommentar von" : "Comment from");
		gw_esc(w, name);
		gw_putf(w,
			"</title>\n\t\t<link>%s#comment-%llu</link>\n"
			"\t\t<description>",
			p->url, (unsigned long long)c->num_id);
		gw_esc(w, ms_buf_str(&text));
		gw_put(w, "</description>\n\t\t<dc:creator>");
		gw_esc(w, name);
		gw_putf(w,
			"</dc:creator>\n\t\t<pubDate>%s</pubDate>\n"
			"\t\t<guid isPermaLink=\"false\">%s#comment-%llu"
			"</guid>\n\t</item>\n",
			date, p->url, (unsigned long long)c->num_id);
		ms_buf_release(&text);
	}
	gw_put(w, "</channel>\n</rss>\n");
	return gw_doc_write(w, p->cfeed, true, post_mtime(w, p), err);
}

/* Movable Type lists comments flat, in date order, saying whom a reply
 * answers. */
static int
rss_post_page(struct gw_web *w, const struct gw_blog *b,
	      const struct gw_post *p, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	struct ms_buf body;
	char iso[40], when[64];
	size_t *idx = ms_xcalloc(p->nc + 1, sizeof(size_t)), k;
	int rc;

	for (k = 0; k < p->nc; k++)
		idx[k] = p->c0 + k;
	qsort_r(idx, p->nc, sizeof(size_t), cmp_comment_desc, w);
	body_of(w, p, &body);
	gw_rfc3339(p->date, 0, false, iso);
	gw_human_date(b->lang, p->date, true, when);
	gw_doc_begin(w);
	plain_page_head(w, b, p);
	gw_put(w, "<div id=\"content\"><div class=\"entry-asset asset hentry\">"
		  "<div class=\"asset-header\"><h1 class=\"asset-name "
		  "entry-title\">");
	gw_esc(w, p->title);
	gw_putf(w,
		"</h1><div class=\"asset-meta\"><span class=\"byline\">%s "
		"<span class=\"vcard author\"><a class=\"fn url\" "
		"href=\"%s\">",
		de ? "Von" : "By", b->home);
	gw_esc(w, b->name);
	gw_putf(w,
		"</a></span> %s <abbr class=\"published\" title=\"%s\">%s"
		"</abbr></span></div></div>\n<div class=\"asset-content "
		"entry-content\">\n",
		de ? "am" : "on", iso, when);
	gw_put(w, ms_buf_str(&body));
	gw_putf(w,
		"</div></div>\n<div id=\"comments\" class=\"comments\"><h2 "
		"class=\"comments-header\">%zu %s</h2>\n<div "
		"class=\"comments-content\">\n",
		p->nc, de ? "Kommentare" : "Comments");
	for (k = p->nc; k-- > 0;) {
		const struct gw_comment *c = &w->comments[idx[k]];
		struct ms_buf text;
		char name[128], pname[128], cwhen[64], ciso[40];
		const char *url, *purl;

		ms_buf_init(&text, 1u << 16);
		gw_comment_text(w, c, &text);
		gw_comment_author(w, c, name, sizeof(name), &url);
		gw_rfc3339(c->date, 0, false, ciso);
		gw_human_date(b->lang, c->date, true, cwhen);
		gw_putf(w,
			"<div class=\"comment%s\" id=\"comment-%llu\"><div "
			"class=\"inner\"><div class=\"comment-header\"><div "
			"class=\"asset-meta\"><span class=\"byline\"><span "
			"class=\"vcard author\">",
			c->by_author ? " comment-by-author" : "",
			(unsigned long long)c->num_id);
		if (url)
			gw_putf(w,
				"<a class=\"fn url\" href=\"%s\" "
				"rel=\"nofollow\">",
				url);
		else
			gw_put(w, "<span class=\"fn\">");
		gw_esc(w, name);
		gw_put(w, url ? "</a>" : "</span>");
		gw_put(w, "</span>");
		if (c->parent >= 0) {
			const struct gw_comment *pc = &w->comments[c->parent];

			gw_comment_author(w, pc, pname, sizeof(pname), &purl);
			gw_putf(w, " %s <a href=\"#comment-%llu\">%s ",
				de ? "antwortete auf" : "replied to",
				(unsigned long long)pc->num_id,
				de ? "den Kommentar von" : "comment from");
			gw_esc(w, pname);
			gw_put(w, "</a>");
		}
		gw_putf(w,
			" | <a href=\"%s#comment-%llu\"><abbr "
			"class=\"published\" title=\"%s\">%s</abbr></a>"
			"</span></div></div><div class=\"comment-content\">"
			"<p>",
			p->url, (unsigned long long)c->num_id, ciso, cwhen);
		gw_esc(w, ms_buf_str(&text));
		gw_put(w, "</p></div></div></div>\n");
		ms_buf_release(&text);
	}
	gw_put(w, "</div>\n");
	plain_form_or_closed(w, b, p);
	gw_put(w, "</div>\n</div>\n");
	put_sidebar(w, b);
	gw_put(w, "</body>\n</html>\n");
	ms_buf_release(&body);
	rc = gw_doc_write(w, p->url, false, post_mtime(w, p), err);
	free(idx);
	return rc;
}

/* ------------------------------------------------------------ h-entry */

static void
hentry_comment(struct gw_web *w, const struct gw_blog *b,
	       const struct gw_post *p, size_t ci, size_t *scratch)
{
	const struct gw_comment *c = &w->comments[ci];
	size_t *kids = scratch + p->nc, n, k;
	struct ms_buf text;
	char name[128], iso[40], when[64];
	const char *url;

	ms_buf_init(&text, 1u << 16);
	gw_comment_text(w, c, &text);
	gw_comment_author(w, c, name, sizeof(name), &url);
	gw_rfc3339(c->date, b->lang == GW_DE ? 60 : 0, false, iso);
	gw_human_date(b->lang, c->date, true, when);
	gw_putf(w, "<div class=\"p-comment h-cite\" id=\"c-%llu\">",
		(unsigned long long)c->num_id);
	if (url)
		gw_putf(w, "<a class=\"p-author h-card\" href=\"%s\">", url);
	else
		gw_put(w, "<span class=\"p-author h-card\">");
	gw_esc(w, name);
	gw_put(w, url ? "</a>" : "</span>");
	gw_putf(w,
		" <a class=\"u-url\" href=\"%s#c-%llu\"><time "
		"class=\"dt-published\" datetime=\"%s\">%s</time></a>",
		p->url, (unsigned long long)c->num_id, iso, when);
	if (c->parent >= 0)
		gw_putf(w, "<a class=\"u-in-reply-to\" href=\"%s#c-%llu\"></a>",
			p->url,
			(unsigned long long)w->comments[c->parent].num_id);
	else
		gw_putf(w, "<a class=\"u-in-reply-to\" href=\"%s\"></a>",
			p->url);
	gw_put(w, "<div class=\"p-content p-name\">");
	gw_esc(w, ms_buf_str(&text));
	gw_put(w, "</div>\n");
	n = gw_children(w, p, (long)ci, kids);
	for (k = 0; k < n; k++)
		hentry_comment(w, b, p, kids[k], kids);
	gw_put(w, "</div>\n");
	ms_buf_release(&text);
}

static int
hentry_post_page(struct gw_web *w, const struct gw_blog *b,
		 const struct gw_post *p, size_t *scratch, struct ms_err *err)
{
	int de = b->lang == GW_DE;
	struct ms_buf body;
	char iso[40], when[64];
	size_t n, k;

	body_of(w, p, &body);
	gw_rfc3339(p->date, de ? 60 : 0, false, iso);
	gw_human_date(b->lang, p->date, false, when);
	gw_doc_begin(w);
	plain_page_head(w, b, p);
	gw_putf(w, "<main><article class=\"h-entry\">\n<h1 class=\"p-name\">");
	gw_esc(w, p->title);
	gw_putf(w, "</h1>\n<p><a class=\"p-author h-card\" href=\"%s\">",
		b->home);
	gw_esc(w, b->name);
	gw_putf(w,
		"</a> &middot; <a class=\"u-url\" href=\"%s\"><time "
		"class=\"dt-published\" datetime=\"%s\">%s</time></a></p>\n"
		"<div class=\"e-content\">\n",
		p->url, iso, when);
	gw_put(w, ms_buf_str(&body));
	gw_put(w, "</div>\n");
	if (p->topic >= 0)
		gw_putf(w,
			"<p>Tags: <a class=\"p-category\" href=\"%stag/%s/\">"
			"%s</a></p>\n",
			b->home, gw_topics[p->topic].id,
			gw_topics[p->topic].label[de]);
	gw_putf(w, "<section class=\"comments\" id=\"comments\"><h2>%s</h2>\n",
		de ? "Reaktionen" : "Responses");
	n = gw_children(w, p, -1, scratch);
	for (k = 0; k < n; k++)
		hentry_comment(w, b, p, scratch[k], scratch);
	plain_form_or_closed(w, b, p);
	gw_put(w, "</section>\n</article></main>\n");
	put_sidebar(w, b);
	gw_put(w, "</body>\n</html>\n");
	ms_buf_release(&body);
	return gw_doc_write(w, p->url, false, post_mtime(w, p), err);
}

/* ------------------------------------------------------------- blog */

int
gw_render_blog(struct gw_web *w, const struct gw_blog *b, struct ms_err *err)
{
	size_t maxc = 1, j;
	size_t *scratch;
	int rc = MS_OK;

	for (j = 0; j < b->nposts; j++)
		if (w->posts[b->post0 + j].nc + 1 > maxc)
			maxc = w->posts[b->post0 + j].nc + 1;
	/* Each nesting level uses nc slots after its parent's. */
	scratch = ms_xcalloc(maxc * (maxc + 1), sizeof(size_t));
	rc = home_page(w, b, err);
	for (j = 0; j < b->nposts && rc == MS_OK; j++) {
		const struct gw_post *p = &w->posts[b->post0 + j];

		switch (b->eng) {
		case GW_WORDPRESS:
			rc = wp_post_page(w, b, p, scratch, err);
			break;
		case GW_BLOGGER:
			rc = blogger_post_page(w, b, p, scratch, err);
			if (rc == MS_OK && !b->comments_off)
				rc = blogger_comment_feed(w, b, p, err);
			break;
		case GW_ATOM:
			rc = atom_post_page(w, b, p, scratch, err);
			if (rc == MS_OK)
				rc = atom_comment_feed(w, b, p, err);
			break;
		case GW_RSS:
			rc = rss_post_page(w, b, p, err);
			if (rc == MS_OK)
				rc = rss_comment_feed(w, b, p, err);
			break;
		default:
			rc = hentry_post_page(w, b, p, scratch, err);
			break;
		}
	}
	if (rc == MS_OK) {
		switch (b->eng) {
		case GW_WORDPRESS:
			rc = wp_feed(w, b, err);
			if (rc == MS_OK)
				rc = wp_comment_feeds(w, b, err);
			break;
		case GW_BLOGGER:
			rc = blogger_feed(w, b, err);
			break;
		case GW_ATOM:
			rc = atom_feed(w, b, err);
			break;
		default:
			rc = rss_feed(w, b, err);
			break;
		}
	}
	if (rc == MS_OK)
		rc = write_contact(w, b, err);
	free(scratch);
	return rc;
}

int
gw_render_robots(struct gw_web *w, size_t h, struct ms_err *err)
{
	const struct gw_blog *b = NULL;
	char *rel;
	int rc;

	if (w->nhosts == w->nblogs)
		b = &w->blogs[h];
	gw_doc_begin(w);
	if (!b) {
		/* Shared hosts: a multisite's robots.txt. */
		gw_put(w, "User-agent: *\nDisallow: /wp-admin/\n"
			  "Allow: /wp-admin/admin-ajax.php\n");
	} else if (b->robots == 0) {
		return MS_OK; /* no robots.txt: 404 */
	} else if (b->robots == 2) {
		gw_put(w, "# This site does not want to be crawled.\n"
			  "User-agent: *\nDisallow: /\n");
	} else if (b->eng == GW_BLOGGER) {
		gw_putf(w,
			"User-agent: Mediapartners-Google\nDisallow: \n\n"
			"User-agent: *\nDisallow: /search\nAllow: /\n\n"
			"Sitemap: %ssitemap.xml\n",
			b->home);
	} else if (b->eng == GW_WORDPRESS) {
		gw_putf(w,
			"User-agent: *\nDisallow: /wp-admin/\n"
			"Allow: /wp-admin/admin-ajax.php\n\n"
			"Sitemap: %swp-sitemap.xml\n",
			b->home);
	} else {
		gw_put(w, "User-agent: *\nDisallow: /drafts/\n");
	}
	rel = ms_xasprintf("%s/robots.txt", w->hosts[h]);
	rc = gw_file_write(w, rel, w->o.now - 400 * 86400LL, err);
	free(rel);
	return rc;
}
