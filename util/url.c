/* url.c — URL helpers on libcurl's CURLU (see url.h). */
#include "util/url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
curlu_err(struct ms_err *err, CURLUcode uc, const char *url)
{
	return ms_err_set(err, MS_EPARSE, "bad URL '%.200s': %s", url,
			  curl_url_strerror(uc));
}

int
ms_url_resolve(const char *base, const char *ref, char **out,
	       struct ms_err *err)
{
	CURLU *u = curl_url();
	CURLUcode uc;
	char *s = NULL;

	*out = NULL;
	if (!u)
		return ms_err_set(err, MS_EIO, "out of memory");
	if (base) {
		uc = curl_url_set(u, CURLUPART_URL, base,
				  CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
		if (uc) {
			curl_url_cleanup(u);
			return curlu_err(err, uc, base);
		}
	}
	uc = curl_url_set(u, CURLUPART_URL, ref,
			  CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
	if (!uc)
		uc = curl_url_get(u, CURLUPART_URL, &s, 0);
	curl_url_cleanup(u);
	if (uc)
		return curlu_err(err, uc, ref);
	*out = ms_xstrdup(s);
	curl_free(s);
	return MS_OK;
}

int
ms_url_is_http(const char *url)
{
	return !strncasecmp(url, "http://", 7) ||
	       !strncasecmp(url, "https://", 8);
}

/* Query parameters that only track or trap a crawler (RFC 3986 keeps them;
 * we drop them so one page has one URL).  Sorted, for bsearch. */
static const char *const drop_params[] = {
	"fbclid", "gclid", "mc_cid", "mc_eid", "replytocom",
};

static int
drop_param(const char *kv, size_t n)
{
	size_t klen = strcspn(kv, "=");

	if (klen > n)
		klen = n;
	if (klen > 4 && !strncasecmp(kv, "utm_", 4))
		return 1;
	for (size_t i = 0; i < sizeof(drop_params) / sizeof(*drop_params);
	     i++)
		if (strlen(drop_params[i]) == klen &&
		    !strncasecmp(kv, drop_params[i], klen))
			return 1;
	return 0;
}

static int
clean_query(CURLU *u)
{
	char *q = NULL;
	struct ms_buf nq = MS_BUF_INIT(1 << 20);
	const char *p;
	int rc = 0;

	if (curl_url_get(u, CURLUPART_QUERY, &q, 0) || !q)
		return 0;
	for (p = q; *p;) {
		size_t n = strcspn(p, "&");

		if (n && !drop_param(p, n)) {
			if (nq.len)
				ms_buf_addc(&nq, '&');
			ms_buf_add(&nq, p, n);
		}
		p += n;
		if (*p == '&')
			p++;
	}
	if (curl_url_set(u, CURLUPART_QUERY, nq.len ? nq.data : NULL, 0))
		rc = -1;
	ms_buf_release(&nq);
	curl_free(q);
	return rc;
}

int
ms_url_normalize(const char *url, char **out, struct ms_err *err)
{
	CURLU *u = curl_url();
	CURLUcode uc;
	char *s = NULL, *host = NULL, *scheme = NULL;
	int rc = MS_OK;

	*out = NULL;
	if (!u)
		return ms_err_set(err, MS_EIO, "out of memory");
	uc = curl_url_set(u, CURLUPART_URL, url,
			  CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE);
	if (uc) {
		rc = curlu_err(err, uc, url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		rc = ms_err_set(err, MS_EPOLICY,
				"unsupported scheme in '%.200s' (only http "
				"and https)", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) || !*host) {
		rc = ms_err_set(err, MS_EPARSE, "no host in '%.200s'", url);
		goto out;
	}
	for (char *h = host; *h; h++)
		*h = (char)tolower((unsigned char)*h);
	curl_url_set(u, CURLUPART_HOST, host, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (clean_query(u)) {
		rc = ms_err_set(err, MS_EPARSE, "bad query in '%.200s'", url);
		goto out;
	}
	uc = curl_url_get(u, CURLUPART_URL, &s, CURLU_NO_DEFAULT_PORT);
	if (uc) {
		rc = curlu_err(err, uc, url);
		goto out;
	}
	*out = ms_xstrdup(s);
out:
	curl_free(s);
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	return rc;
}

int
ms_url_absolute(const char *base, const char *ref, char **out,
		struct ms_err *err)
{
	char *abs;
	int rc = ms_url_resolve(base, ref, &abs, err);

	if (rc)
		return rc;
	rc = ms_url_normalize(abs, out, err);
	free(abs);
	return rc;
}

int
ms_url_host(const char *url, char *out, size_t outsz)
{
	CURLU *u = curl_url();
	char *host = NULL;
	int rc = MS_OK;
	size_t n;

	if (!u)
		return MS_EIO;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) || !host) {
		rc = MS_EPARSE;
		goto out;
	}
	n = strlen(host);
	if (n + 1 > outsz) {
		rc = MS_ETOOBIG;
		goto out;
	}
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)host[i]);
out:
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* Path endings that name a blog's feed rather than the blog itself; the
 * longest are tried first so "/comments/feed" wins over "/feed". */
static const char *const feed_suffixes[] = {
	"/feeds/posts/default", "/comments/feed", "/feed/atom", "/feed/rss2",
	"/feed/rss", "/atom.xml", "/index.xml", "/index.rdf", "/rss.xml",
	"/feed.xml", "/feed", "/rss", "/atom", "/index.html", "/index.php",
};

int
ms_url_site(const char *url, char **out, struct ms_err *err)
{
	CURLU *u = curl_url();
	char *host = NULL, *path = NULL;
	struct ms_buf b = MS_BUF_INIT(8192);
	const char *h;
	size_t plen;
	int rc = MS_OK, again;

	*out = NULL;
	if (!u)
		return ms_err_set(err, MS_EIO, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) || !host || !*host) {
		rc = ms_err_set(err, MS_EPARSE, "bad URL '%.200s'", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PATH, &path, 0))
		path = NULL;
	h = host;
	/* A host of "www." alone keeps it: an identity is never empty. */
	if (!strncasecmp(h, "www.", 4) && h[4])
		h += 4;
	for (; *h; h++)
		ms_buf_addc(&b, (char)tolower((unsigned char)*h));
	plen = path ? strlen(path) : 0;
	do {
		again = 0;
		while (plen && path[plen - 1] == '/')
			plen--;
		for (size_t i = 0;
		     i < sizeof(feed_suffixes) / sizeof(*feed_suffixes); i++) {
			size_t sl = strlen(feed_suffixes[i]);

			if (plen >= sl && !strncasecmp(path + plen - sl,
						       feed_suffixes[i], sl)) {
				plen -= sl;
				again = 1;
				break;
			}
		}
	} while (again && plen);
	if (ms_buf_add(&b, path ? path : "", plen)) {
		rc = ms_err_set(err, MS_ETOOBIG, "URL too long '%.200s'", url);
		goto out;
	}
	*out = ms_buf_detach(&b, NULL);
out:
	ms_buf_release(&b);
	curl_free(host);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}
