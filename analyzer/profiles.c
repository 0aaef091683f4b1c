/*
 * profiles.c — recognise links to a person's profile on a social network
 * and reduce them to one canonical URL, so that "http://twitter.com/Anna",
 * "https://mobile.twitter.com/anna/status/1" and "x.com/anna" are one
 * profile of one person.
 *
 * A table, one row per URL form: a PCRE2 pattern over the whole URL and the
 * canonical form as a pcre2_substitute() replacement (extended syntax: \L
 * lower-cases what follows, ${n:+a:b} picks by whether group n matched).
 * Adding a network is adding a row.  The rows are compiled once, caseless
 * and without UTF mode (a URL is bytes; non-ASCII simply does not match),
 * and matched under a match context whose limits bound the work an
 * untrusted URL can cause (RELIABILITY.md §3.4).
 *
 * Decisions: status, repository and sub-page URLs name their owner, so
 * they give the owner's profile ("github.com/anna/dotfiles" →
 * "https://github.com/anna"; a repository may belong to an organisation,
 * which we cannot tell from the URL).  Share, intent and site pages
 * (twitter.com/intent/tweet, facebook.com/sharer.php, github.com/features)
 * are not profiles.  Mastodon has no fixed host, so its row accepts any
 * host with /@user or /users/user except hosts known to use that path for
 * something else (Medium, YouTube, ...); user names are lower-cased
 * because Mastodon looks them up case-insensitively.
 */
#include "analyzer/analyzer.h"
#include "util/valgrind.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Longer URLs are not profile links; they are refused before matching. */
#define MAX_URL 2048
/* Canonical forms are short; a longer result is refused. */
#define MAX_OUT 512

/* What may follow the profile part of a URL: a slash, a query, a fragment. */
#define TAIL "/?(?:[?#][^\\s]*)?$"

struct profile_row {
	const char *network;
	const char *pattern;
	const char *canonical;	/* pcre2_substitute replacement */
};

/*
 * First match wins.  Rows for fixed hosts come before the Mastodon row,
 * which accepts any host; its exclusion list keeps those hosts out anyway.
 */
static const struct profile_row rows[] = {
	{ "linkedin",
	  "^https?://(?:[a-z]{2,3}\\.|www\\.)?linkedin\\.com/in/"
	  "([a-z0-9%_-]{2,100})(?:/[^?#]*)?(?:[?#][^\\s]*)?$",
	  "https://www.linkedin.com/in/\\L$1" },
	{ "x",
	  "^https?://(?:www\\.|mobile\\.)?(?:twitter|x)\\.com/(?:#!/)?@?"
	  "(?!(?:intent|share|home|hashtag|i|search|explore|settings|login|"
	  "logout|signup|messages|notifications|compose|privacy|tos|about|"
	  "download|account|widgets|oauth|jobs|help)(?:[/?#]|$))"
	  "([a-z0-9_]{1,15})"
	  "(?:/(?:status(?:es)?/[0-9]+|with_replies|media|likes|followers|"
	  "following|lists)[^?#\\s]*)?" TAIL,
	  "https://x.com/\\L$1" },
	{ "github",
	  "^https?://(?:www\\.)?github\\.com/"
	  "(?!(?:orgs|features|about|pricing|marketplace|explore|topics|"
	  "trending|collections|events|sponsors|settings|login|logout|join|"
	  "signup|site|security|enterprise|team|customer-stories|readme|apps|"
	  "notifications|issues|pulls|search|new|organizations|contact|"
	  "nonprofit|education|mobile|codespaces|copilot|solutions|resources|"
	  "home|dashboard|stars|watching|account|premium-support|git-guides|"
	  "open-source|partners|password_reset|sessions|users|why-github)"
	  "(?:[/?#]|$))"
	  "([a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38})"
	  "(?:/[^?#\\s]*)?(?:[?#][^\\s]*)?$",
	  "https://github.com/\\L$1" },
	{ "facebook",
	  "^https?://(?:www\\.|m\\.|mobile\\.)?facebook\\.com/profile\\.php"
	  "\\?(?:[^#\\s]*&)?id=([0-9]{5,20})(?:[&#][^\\s]*)?$",
	  "https://www.facebook.com/profile.php?id=$1" },
	{ "facebook",
	  "^https?://(?:www\\.|m\\.|mobile\\.|[a-z]{2}-[a-z]{2}\\.)?"
	  "facebook\\.com/"
	  "(?!(?:sharer|share|dialog|plugins|login|groups|events|pages|watch|"
	  "photo|photos|help|policies|privacy|permalink|story|hashtag|home|"
	  "marketplace|gaming|ads|business|l|tr|legal|settings|notes|media|"
	  "profile|people|public|search|video|videos|reel|stories|"
	  "fundraisers|bookmarks|friends|messages)(?:[./?#]|$))"
	  "([a-z0-9.]{5,50})" TAIL,
	  "https://www.facebook.com/\\L$1" },
	{ "mastodon",
	  "^https?://"
	  "(?!(?:www\\.)?(?:medium|youtube|tiktok|threads|instagram|twitter|x|"
	  "facebook|linkedin|github|flickr|pinterest|stackoverflow|reddit|"
	  "vimeo|soundcloud|behance|dribbble|substack)\\.(?:com|net)[/:?#])"
	  "([a-z0-9-]+(?:\\.[a-z0-9-]+)+)/(?:@|users/)([a-z0-9_]{1,30})"
	  "(?:@([a-z0-9-]+(?:\\.[a-z0-9-]+)+))?(?:/[0-9]+)?" TAIL,
	  "https://\\L${3:+$3:$1}/@$2" },
};

#define NROWS (sizeof(rows) / sizeof(*rows))

static pcre2_code *codes[NROWS];
static pcre2_match_context *mctx;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* A row that does not compile is a bug caught by the tests (every row has
 * a positive case); at run time it is skipped, never fatal. */
static void
compile_rows(void)
{
	int errcode;
	PCRE2_SIZE erroff;

	mctx = pcre2_match_context_create(NULL);
	if (mctx) {
		pcre2_set_match_limit(mctx, 100000);
		pcre2_set_depth_limit(mctx, 1000);
		pcre2_set_heap_limit(mctx, 1024);
	}
	for (size_t i = 0; i < NROWS; i++) {
		codes[i] = pcre2_compile((PCRE2_SPTR)rows[i].pattern,
					 PCRE2_ZERO_TERMINATED,
					 PCRE2_CASELESS | PCRE2_NEVER_UTF |
					 PCRE2_NEVER_BACKSLASH_C,
					 &errcode, &erroff, NULL);
		/* Every link of every post is tried against every row:
		 * JIT where available (pcre2_substitute uses it), not under
		 * valgrind, as for the taxonomy (config/taxonomy.c). */
		if (codes[i] && !RUNNING_ON_VALGRIND)
			(void)pcre2_jit_compile(codes[i], PCRE2_JIT_COMPLETE);
	}
}

/* Profile links are plain ASCII without blanks or controls. */
static bool
plain_url(const char *url, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c <= 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

/*
 * Every row's pattern needs one of these in the URL (ignoring case, as
 * the rows do): ".com/" after the fixed hosts, "/@" or "/users/" for
 * Mastodon.  Most links of a post have none and are turned away without
 * a match per row; keep this in step with the rows.
 */
static bool
may_be_profile(const char *url)
{
	return strcasestr(url, ".com/") || strstr(url, "/@") ||
	       strcasestr(url, "/users/");
}

const char *
ms_profile_canonical(struct ms_arena *a, const char *url)
{
	PCRE2_UCHAR out[MAX_OUT];
	size_t len;

	if (!url)
		return NULL;
	len = strlen(url);
	if (len < 10 || len > MAX_URL || !plain_url(url, len))
		return NULL;
	if (!may_be_profile(url))
		return NULL;
	pthread_once(&once, compile_rows);
	if (!mctx)
		return NULL;
	for (size_t i = 0; i < NROWS; i++) {
		PCRE2_SIZE outlen = sizeof(out);
		int rc;

		if (!codes[i])
			continue;
		rc = pcre2_substitute(codes[i], (PCRE2_SPTR)url, len, 0,
				      PCRE2_SUBSTITUTE_EXTENDED |
				      PCRE2_SUBSTITUTE_REPLACEMENT_ONLY,
				      NULL, mctx,
				      (PCRE2_SPTR)rows[i].canonical,
				      PCRE2_ZERO_TERMINATED, out, &outlen);
		/* 1: matched and replaced; 0: no match; < 0: a limit or an
		 * overlong result, which counts as no match. */
		if (rc == 1)
			return ms_arena_strndup(a, (const char *)out, outlen);
	}
	return NULL;
}
