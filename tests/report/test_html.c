/*
 * test_html.c — report/html.c: one self-contained page (a strict CSP,
 * inline CSS, nothing external, no script) in which every feed-derived
 * string is text, never markup: the output is parsed back with libxml2's
 * HTML parser and the tree is searched for script elements, event-handler
 * attributes and hrefs that are not http(s).
 */
#include "report/report.h"
#include "tests/report/fixture.h"
#include "util/buf.h"
#include "util/err.h"

#include <criterion/criterion.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

static struct ms_view *view;
static char *html;
static htmlDocPtr doc;

static void
setup(void)
{
	int rc;

	view = fixture_view("hr", "Human resources");
	html = fixture_write(MS_FMT_HTML, &view, 1, NULL, &rc);
	cr_assert_eq(rc, MS_OK);
	doc = htmlReadMemory(html, (int)strlen(html), "report.html", "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_not_null(doc, "libxml2 cannot read the report");
}

static void
teardown(void)
{
	xmlFreeDoc(doc);
	free(html);
	fixture_view_free(view);
}

TestSuite(report_html, .init = setup, .fini = teardown);

struct walk {
	int links;
	int bars;
	struct ms_buf text;	/* all text nodes, concatenated */
};

static int
name_is(xmlNodePtr n, const char *name)
{
	return !xmlStrcasecmp(n->name, (const xmlChar *)name);
}

static void
check_element(xmlNodePtr n, struct walk *w)
{
	static const char *const banned[] = {
		"script", "iframe", "object", "embed", "img", "link", "base",
		"form", "svg", "math", "frame", "applet", "audio", "video",
		"source", "input", "button",
	};

	for (size_t i = 0; i < sizeof(banned) / sizeof(*banned); i++)
		cr_assert(!name_is(n, banned[i]), "a <%s> element", n->name);
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		const char *val = v ? (const char *)v : "";

		cr_assert(strncasecmp((const char *)a->name, "on", 2),
			  "event handler %s=\"%s\" on <%s>", a->name, val,
			  n->name);
		cr_assert(xmlStrcasecmp(a->name, (const xmlChar *)"src") &&
			  xmlStrcasecmp(a->name, (const xmlChar *)"action") &&
			  xmlStrcasecmp(a->name, (const xmlChar *)"srcdoc"),
			  "%s on <%s>", a->name, n->name);
		if (!xmlStrcasecmp(a->name, (const xmlChar *)"href")) {
			xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");

			cr_assert(name_is(n, "a"), "href on <%s>", n->name);
			cr_assert(!strncmp(val, "https://", 8) ||
				  !strncmp(val, "http://", 7),
				  "href=\"%s\"", val);
			cr_assert_str_eq((const char *)rel,
					 "noopener noreferrer nofollow");
			xmlFree(rel);
			w->links++;
		}
		if (!xmlStrcasecmp(a->name, (const xmlChar *)"style")) {
			unsigned pct;
			char end;

			cr_assert(sscanf(val, "width:%u%%%c", &pct, &end) ==
				  1 && pct <= 100, "style=\"%s\"", val);
			w->bars++;
		}
		xmlFree(v);
	}
}

static void
walk(xmlNodePtr n, struct walk *w)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			check_element(n, w);
			if (name_is(n, "style"))
				continue;	/* CSS is ours, checked raw */
		} else if (n->type == XML_TEXT_NODE && n->content) {
			ms_buf_adds(&w->text, (const char *)n->content);
		}
		walk(n->children, w);
	}
}

Test(report_html, no_script_no_handlers_and_only_http_links_in_the_tree)
{
	struct walk w = { 0, 0, MS_BUF_INIT(1 << 22) };

	walk(xmlDocGetRootElement(doc), &w);
	/* full: table site + step, site, feed, 2 profiles, 3 steps;
	 * missing: feed; hostile: the follow step */
	cr_assert_eq(w.links, 11, "%d links", w.links);
	/* a score bar per candidate in the table and the card, and a bar
	 * per known signal: 6 + 4 + 6 */
	cr_assert_eq(w.bars, 3 * 2 + 16, "%d bars", w.bars);
	ms_buf_release(&w.text);
}

Test(report_html, hostile_strings_are_visible_as_text)
{
	struct walk w = { 0, 0, MS_BUF_INIT(1 << 22) };
	const char *t;

	walk(xmlDocGetRootElement(doc), &w);
	t = ms_buf_str(&w.text);
	cr_assert_not_null(strstr(t, "Mallory " HOSTILE_SCRIPT " "
				     HOSTILE_ATTR " gnp.exe [click]("
				     HOSTILE_JS ")"), "%s", t);
	cr_assert_not_null(strstr(t, HOSTILE_ATTR " <img src=x "
				     "onerror=alert(1)>"), "%s", t);
	cr_assert_not_null(strstr(t, "*bold* `tick` &amp; Very"), "the "
			   "feed's literal '&amp;' stays literal: %s", t);
	cr_assert_not_null(strstr(t, "<b>bold</b> & \"quoted\" 'single'"),
			   "%s", t);
	/* URLs that must not be links are shown, as text. */
	cr_assert_not_null(strstr(t, HOSTILE_JS), "%s", t);
	cr_assert_not_null(strstr(t, "vbscript:msgbox(1)"), "%s", t);
	cr_assert_not_null(strstr(t, "data:text/html," HOSTILE_SCRIPT), "%s",
			   t);
	cr_assert_null(strchr(t, '\x1b'), "ESC in the page");
	cr_assert_null(strstr(t, "\xe2\x80\xae"), "RLO in the page");
	ms_buf_release(&w.text);
}

Test(report_html, raw_output_escapes_every_special_character)
{
	const char *p;

	for (p = html; (p = strcasestr(p, "<script")); p++)
		cr_assert_fail("unescaped '<script' at '%.40s'", p);
	cr_assert_null(strcasestr(html, "href=\"javascript"));
	cr_assert_null(strcasestr(html, "href=\"data"));
	cr_assert_null(strcasestr(html, "href=\"vbscript"));
	cr_assert_not_null(strstr(html, "Mallory &lt;script&gt;alert(1)"
					"&lt;/script&gt; &quot; "
					"onmouseover=&quot;x"));
	cr_assert_not_null(strstr(html, "&lt;b&gt;bold&lt;/b&gt; &amp; "
					"&quot;quoted&quot; &#39;single&#39;"));
	/* In an attribute too: the query's & < > " ' are all escaped. */
	cr_assert_not_null(strstr(html, "href=\"https://mallory.example/feed"
					"?a=1&amp;b=&lt;2&gt;&amp;c="
					"&quot;3&quot;"
					"&amp;d=&#39;4&#39;&amp;e=(5)\" rel=\""
					"noopener noreferrer nofollow\""), "%s",
			   html);
}

Test(report_html, page_is_self_contained_with_a_strict_csp)
{
	cr_assert(!strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 31));
	cr_assert_not_null(strstr(html, "<meta http-equiv=\"Content-"
					"Security-Policy\" content=\""
					"default-src 'none'; style-src "
					"'unsafe-inline'; img-src data:\">"));
	cr_assert_not_null(strstr(html, "<meta charset=\"utf-8\">"));
	/* The stylesheet loads nothing. */
	cr_assert_null(strstr(html, "@import"));
	cr_assert_null(strstr(html, "url("));
	cr_assert(strstr(html, "</style>") - strstr(html, "<style>") > 0);
	cr_assert_null(memmem(strstr(html, "<style>"),
			      (size_t)(strstr(html, "</style>") -
				       strstr(html, "<style>")), "http", 4));
	cr_assert(strstr(html, "</html>\n") &&
		  !strcmp(strstr(html, "</html>\n"), "</html>\n"));
}

Test(report_html, reader_sees_header_legend_ranking_and_cards)
{
	static const char *const want[] = {
		"<title>Mentor candidates: Human resources</title>",
		"<h1>Mentor candidates</h1>",
		"Human resources — ranked 2024-05-01 10:00 UTC",
		"<dt>Responsiveness</dt><dd>how often and how fast they answer "
		"commenters</dd>",
		"<h2>Human resources <code>hr</code></h2>",
		"<td class=\"name\">山田 太郎 (Yamada Tarō)</td>",
		"<span style=\"width:90%\"></span>",
		"<span style=\"width:95%\"></span>",
		"<strong>comment</strong> <a href=\"" FULL_POST "\" rel=\""
		"noopener noreferrer nofollow\">" FULL_TITLE "</a><span "
		"class=\"why\">" FULL_WHY "</span>",
		"<tr><th>median reply time</th><td>5 h</td></tr>",
		"<span class=\"badge\">stage: engaged</span>",
		"<li>two sites merged: yamada.example, tarou.example</li>",
		"<dd><span class=\"nolink\"",
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		cr_assert_not_null(strstr(html, want[i]), "missing '%s'",
				   want[i]);
	/* The long hostile name is cut in the table, whole in its card. */
	cr_assert_not_null(strstr(html, "<td class=\"name\">Mallory &lt;"));
	cr_assert_not_null(strstr(strstr(html, "<td class=\"name\">Mallory"),
				  "…</td>"));
	cr_assert_not_null(strstr(html, "And On And On<span class=\"score\">"));
}

Test(report_html, empty_topic_and_several_topics)
{
	struct ms_view *empty = fixture_empty_view("leadership");
	struct ms_view *views[] = { view, empty };
	int rc;
	char *out = fixture_write(MS_FMT_HTML, views, 2, NULL, &rc);

	cr_assert_eq(rc, MS_OK);
	cr_assert_not_null(strstr(out, "<h2><code>leadership</code></h2>\n"
				       "<p class=\"meta\">0 candidates.</p>\n"
				       "<p>No candidates yet"), "%s", out);
	cr_assert_not_null(strstr(out, "<title>Mentor candidates</title>"));
	cr_assert_not_null(strstr(out, "Human resources · leadership — "));
	free(out);
	fixture_view_free(empty);
}

Test(report_html, full_disk_is_a_write_error)
{
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f, "/dev/full");
	cr_assert_eq(ms_report_write(f, MS_FMT_HTML, &view, 1, NULL), MS_EIO);
	fclose(f);
}
