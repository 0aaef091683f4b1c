/*
 * url.h — URL work on libcurl's URL API (CURLU): RFC 3986 resolution, the
 * crawler's normal form, host extraction and the site identity used to tell
 * people apart.  Every function that returns a string returns it malloc'd
 * (the caller frees) and returns MS_OK, MS_EPARSE (not a URL), or
 * MS_EPOLICY (a scheme other than http/https where one was required).
 */
#ifndef MS_UTIL_URL_H
#define MS_UTIL_URL_H

#include <stddef.h>

struct ms_err;

/*
 * Resolve ref against base per RFC 3986 §5 (base may be NULL when ref is
 * absolute).  Any scheme is accepted; the result is not normalized.
 */
int ms_url_resolve(const char *base, const char *ref, char **out,
		   struct ms_err *err);

/*
 * The crawler's normal form of an http(s) URL (RFC 3986 §6): scheme and host
 * lower case, default port dropped, dot segments removed, empty path "/",
 * fragment dropped, trap and tracking query parameters (replytocom, utm_*,
 * fbclid, gclid) removed.  Other schemes give MS_EPOLICY.
 */
int ms_url_normalize(const char *url, char **out, struct ms_err *err);

/* Resolve then normalize: the usual way to turn an href into a fetchable URL. */
int ms_url_absolute(const char *base, const char *ref, char **out,
		    struct ms_err *err);

/* 1 when url is an absolute http or https URL, else 0. */
int ms_url_is_http(const char *url);

/*
 * The host of an absolute URL, lower case, into out (size outsz).
 * Returns MS_OK, MS_EPARSE, or MS_ETOOBIG.
 */
int ms_url_host(const char *url, char *out, size_t outsz);

/*
 * The site identity of a URL: host without "www." and the port, then the
 * path without a trailing slash and without feed suffixes (/feed/, /rss,
 * /atom.xml, /feeds/posts/default, /comments/feed/, index.xml ...), no
 * scheme, query or fragment: "https://www.Example.com/blog/feed/" →
 * "example.com/blog".  Two URLs of the same blog give the same string.
 */
int ms_url_site(const char *url, char **out, struct ms_err *err);

#endif
