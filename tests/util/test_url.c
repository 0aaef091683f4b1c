/* Tests for util/url.c and util/hash.c: RFC 3986 resolution through CURLU,
 * the crawler's normal form, site identity, and the hash's golden values. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "util/err.h"
#include "util/hash.h"
#include "util/url.h"

static void
check_resolve(const char *base, const char *ref, const char *want)
{
	struct ms_err err = { 0 };
	char *out = NULL;
	int rc = ms_url_resolve(base, ref, &out, &err);

	cr_assert_eq(rc, MS_OK, "%s + %s: %s", base, ref, err.msg);
	cr_expect_str_eq(out, want, "%s + %s", base, ref);
	free(out);
}

/* RFC 3986 §5.4.1 normal examples. */
Test(util_url, resolves_rfc3986_examples)
{
	const char *b = "http://a/b/c/d;p?q";

	check_resolve(b, "g", "http://a/b/c/g");
	check_resolve(b, "./g", "http://a/b/c/g");
	check_resolve(b, "g/", "http://a/b/c/g/");
	check_resolve(b, "/g", "http://a/g");
	check_resolve(b, "?y", "http://a/b/c/d;p?y");
	check_resolve(b, "g?y", "http://a/b/c/g?y");
	check_resolve(b, "../g", "http://a/b/g");
	check_resolve(b, "../../g", "http://a/g");
	check_resolve(b, "https://other.example/x", "https://other.example/x");
}

static void
check_norm(const char *in, const char *want)
{
	struct ms_err err = { 0 };
	char *out = NULL;
	int rc = ms_url_normalize(in, &out, &err);

	cr_assert_eq(rc, MS_OK, "%s: %s", in, err.msg);
	cr_expect_str_eq(out, want, "%s", in);
	free(out);
}

Test(util_url, normalize_lowercases_drops_port_fragment_and_traps)
{
	check_norm("HTTP://Blog.Example.COM:80/a/./b/../c#frag",
		   "http://blog.example.com/a/c");
	check_norm("https://example.com", "https://example.com/");
	check_norm("https://example.com:8443/x", "https://example.com:8443/x");
	check_norm("http://e.com/p?replytocom=12#respond", "http://e.com/p");
	check_norm("http://e.com/p?a=1&utm_source=x&b=2&fbclid=z",
		   "http://e.com/p?a=1&b=2");
}

Test(util_url, normalize_refuses_other_schemes)
{
	const char *bad[] = { "file:///etc/passwd", "ftp://e.com/x",
			      "gopher://e.com/", "javascript:alert(1)" };
	struct ms_err err = { 0 };
	char *out;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int rc = ms_url_normalize(bad[i], &out, &err);

		cr_expect(rc == MS_EPOLICY || rc == MS_EPARSE, "%s gave %d",
			  bad[i], rc);
		cr_expect_null(out);
	}
	cr_expect_eq(ms_url_is_http("file:///x"), 0);
	cr_expect_eq(ms_url_is_http("HTTPS://x/"), 1);
}

static void
check_site(const char *in, const char *want)
{
	struct ms_err err = { 0 };
	char *out = NULL;
	int rc = ms_url_site(in, &out, &err);

	cr_assert_eq(rc, MS_OK, "%s: %s", in, err.msg);
	cr_expect_str_eq(out, want, "%s", in);
	free(out);
}

Test(util_url, site_identity_ignores_scheme_www_slash_and_feed_paths)
{
	check_site("https://www.Example.com/blog/feed/", "example.com/blog");
	check_site("http://example.com/blog", "example.com/blog");
	check_site("http://example.com/", "example.com");
	check_site("https://x.blogspot.com/feeds/posts/default",
		   "x.blogspot.com");
	check_site("https://e.org/atom.xml", "e.org");
	check_site("https://e.org/comments/feed/", "e.org");
	check_site("https://e.org:8080/rss", "e.org");
}

Test(util_url, host_is_lowercase)
{
	char host[64];

	cr_assert_eq(ms_url_host("http://Blog.EXAMPLE.com:81/x", host,
				 sizeof(host)), MS_OK);
	cr_expect_str_eq(host, "blog.example.com");
	cr_expect_eq(ms_url_host("not a url", host, sizeof(host)), MS_EPARSE);
}

/* Golden values: MurmurHash3_x64_128 of the reference implementation. */
Test(util_hash, murmur3_golden_vectors)
{
	struct ms_hash h;
	char hex[33];

	ms_hash_str("", &h);
	ms_hash_hex(&h, hex);
	cr_expect_str_eq(hex, "00000000000000000000000000000000");
	ms_hash_str("The quick brown fox jumps over the lazy dog", &h);
	ms_hash_hex(&h, hex);
	cr_expect_str_eq(hex, "e34bbc7bbc071b6c7a433ca9c49a9347");
}

Test(util_hash, hex_round_trip)
{
	struct ms_hash h, back;
	char hex[33];

	ms_hash_str("https://example.com/feed", &h);
	ms_hash_hex(&h, hex);
	cr_assert_eq(ms_hash_from_hex(hex, &back), 0);
	cr_expect_arr_eq(h.b, back.b, MS_HASH_LEN);
	cr_expect_eq(ms_hash_from_hex("zz", &back), -1);
}
