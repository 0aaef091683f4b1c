/*
 * Tests for analyzer/fragment.c: the text and the outbound links of entry
 * content, from escaped HTML (libxml2's HTML parser) and from XHTML nodes.
 */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/internal.h"

static struct ms_arena arena;

static void
setup(void)
{
	ms_arena_init(&arena);
}

static void
teardown(void)
{
	ms_arena_release(&arena);
}

TestSuite(analyzer_fragment, .init = setup, .fini = teardown);

static struct ms_fragment
frag(const char *html, const char *base, size_t cap)
{
	struct ms_fragment f;

	ms_fragment_parse(&arena, html, strlen(html), base, cap, &f);
	return f;
}

static void
links_are(const struct ms_fragment *f, const char *const *want, size_t n)
{
	cr_expect_eq(f->nlinks, n, "%zu links, expected %zu", f->nlinks, n);
	for (size_t i = 0; i < f->nlinks && i < n; i++)
		cr_expect_str_eq(f->links[i], want[i], "link %zu", i);
}

#define LINKS_ARE(f, ...)                                                 \
	do {                                                              \
		static const char *const w_[] = { __VA_ARGS__ };          \
		links_are((f), w_, sizeof(w_) / sizeof(*w_));             \
	} while (0)

Test(analyzer_fragment, text_is_collapsed_and_skips_scripts_and_styles)
{
	struct ms_fragment f = frag(
		"<h1>Title</h1><p>One   two\n\tthree</p><script>var x = 1;"
		"</script><style>p { color: red }</style><p>four&nbsp;"
		"five &amp; six</p><ul><li>a</li><li>b</li></ul>", NULL, 4096);

	cr_assert_not_null(f.text);
	cr_expect_str_eq(f.text, "Title One two three four five & six a b");
}

Test(analyzer_fragment, plain_text_needs_no_parser)
{
	struct ms_fragment f = frag("  just   words \n ", NULL, 4096);

	cr_expect_str_eq(f.text, "just words");
	cr_expect_eq(f.nlinks, 0);
}

Test(analyzer_fragment, links_are_absolute_http_and_each_once)
{
	struct ms_fragment f = frag(
		"<a href=\"https://a.example/x\">a</a>"
		"<a href=\" /rel/path?q=1 \">rel</a>"
		"<A HREF=\"https://a.example/x\">again</A>"
		"<a href=\"mailto:me@example.com\">mail</a>"
		"<a href=\"javascript:alert(1)\">js</a>"
		"<a href=\"ftp://files.example/f\">ftp</a>"
		"<a href=\"#top\">top</a>"
		"<a>no href</a>"
		"<a href=\"//cdn.example/lib\">scheme-relative</a>"
		"<area href=\"../up.html\">"
		"<img src=\"https://img.example/i.png\">"
		"<a href=\"http://b.example/caf%C3%A9?a=1&amp;b=2\">b</a>",
		"https://blog.example/2010/06/post.html", 4096);

	LINKS_ARE(&f, "https://a.example/x", "https://blog.example/rel/path?q=1",
		  "https://cdn.example/lib", "https://blog.example/2010/up.html",
		  "http://b.example/caf%C3%A9?a=1&b=2");
}

Test(analyzer_fragment, relative_links_need_a_base)
{
	struct ms_fragment f = frag("<a href=\"/x\">x</a><a href=\"http://y."
				    "example/\">y</a>", NULL, 4096);

	LINKS_ARE(&f, "http://y.example/");
}

Test(analyzer_fragment, many_links_are_deduplicated)
{
	char *html = malloc(200 * 64);
	char *p = html;
	struct ms_fragment f;

	for (int i = 0; i < 200; i++)
		p += sprintf(p, "<a href=\"https://x.example/%d\">%d</a>",
			     i % 50, i);
	f = frag(html, NULL, 0);
	cr_expect_eq(f.nlinks, 50);
	cr_expect_str_eq(f.links[49], "https://x.example/49");
	cr_expect_null(f.text, "no text wanted");
	free(html);
}

Test(analyzer_fragment, text_is_capped_on_a_character_boundary)
{
	/* "\xc3\xa9" is two bytes: a cap of 4 cannot keep the second one
	 * whole after "ab\xc3\xa9"... "c". */
	struct ms_fragment f = frag("<p>ab\xc3\xa9\xc3\xa9</p>", NULL, 5);

	cr_assert_not_null(f.text);
	cr_expect_str_eq(f.text, "ab\xc3\xa9");
	f = frag("<p>ab\xe2\x82\xac</p>", NULL, 4);
	cr_expect_str_eq(f.text, "ab", "a three-byte euro sign does not fit");
}

Test(analyzer_fragment, a_meta_charset_does_not_change_the_decoding)
{
	struct ms_fragment f = frag("<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9"
				    "</p>", NULL, 4096);

	cr_expect_str_eq(f.text, "caf\xc3\xa9");
}

Test(analyzer_fragment, deep_nesting_is_read_up_to_a_limit)
{
	size_t n = 100000;
	char *html = malloc(n * 11 + 64), *p = html;
	struct ms_fragment f;
	clock_t t0 = clock();

	for (size_t i = 0; i < n; i++, p += 5)
		memcpy(p, "<div>", 5);
	p += sprintf(p, "<a href=\"http://deep.example/\">deep</a>");
	for (size_t i = 0; i < n; i++, p += 6)
		memcpy(p, "</div>", 6);
	*p = '\0';
	ms_fragment_parse(&arena, html, (size_t)(p - html), NULL, 4096, &f);
	cr_expect_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 1.0);
	cr_expect_eq(f.nlinks, 0, "the link is past the depth limit");
	free(html);
}

Test(analyzer_fragment, xhtml_nodes_honour_xml_base_and_entities)
{
	static const char xml[] =
		"<!DOCTYPE x [<!ENTITY who \"Sam\">]>"
		"<content xmlns=\"http://www.w3.org/2005/Atom\" type=\"xhtml\">"
		"<div xmlns=\"http://www.w3.org/1999/xhtml\" "
		"xml:base=\"http://example.org/a/\">"
		"<p>Hi &who;, see <a href=\"b\">b</a> and "
		"<span xml:base=\"/c/\"><a href=\"d\">d</a></span> "
		"<a href=\"e\">e</a>.</p><script>not text</script></div>"
		"</content>";
	xmlDocPtr doc = xmlReadMemory(xml, sizeof(xml) - 1, NULL, "UTF-8",
				      XML_PARSE_NONET);
	struct ms_fragment f;

	cr_assert_not_null(doc);
	ms_fragment_nodes(&arena, xmlDocGetRootElement(doc),
			  "http://ignored.example/", 4096, &f);
	cr_expect_str_eq(f.text, "Hi Sam, see b and d e.");
	LINKS_ARE(&f, "http://example.org/a/b", "http://example.org/c/d",
		  "http://example.org/a/e");
	xmlFreeDoc(doc);
}
