/*
 * cmd_parse.c — `mentorscout parse`: analyze one feed or page, from a file
 * or a URL, and print what the analyzer reads from it.
 *
 * Files are mapped, not read, and the pages the parser has gone past are
 * released (on_consumed), while entries are printed as they are read
 * (on_entry): a feed of any size parses in flat memory.  URLs are fetched
 * with one plain libcurl GET (http and https only, timeouts, a size cap,
 * no Accept-Encoding so nothing is decompressed); the Content-Type goes to
 * the analyzer for the charset rules and Content-Location, when it is an
 * http(s) URL, becomes the base for relative links.
 */
#include "analyzer/analyzer.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define URL_MAX_DEFAULT (8u << 20)	/* as the crawler */
#define FILE_MAX_DEFAULT (256u << 20)	/* streamed: memory stays flat */
#define OUT_BUF (256u << 10)

/*
 * stdout's buffer when it is not a terminal.  The default (a 4 KiB block)
 * costs one write(2) per 4 KiB: some 2,700 for a 30 MB feed's JSON.  It
 * is static because stdout keeps it until exit.
 */
static char out_buf[OUT_BUF];

/* ------------------------------------------------------------ fetching */

struct fetch {
	struct ms_buf body;
	char *content_location;
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;

	if (ms_buf_add(&f->body, p, size * n))
		return 0;	/* over the cap: curl stops with WRITE_ERROR */
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	size_t len = size * n;

	/* A new response (a redirect was followed): forget the last one's. */
	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
		free(f->content_location);
		f->content_location = NULL;
	} else if (len > 17 && !strncasecmp(p, "Content-Location:", 17)) {
		const char *v = p + 17, *e = p + len;

		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == '\r' || e[-1] == '\n' ||
				 e[-1] == ' ' || e[-1] == '\t'))
			e--;
		free(f->content_location);
		f->content_location = ms_xstrndup(v, (size_t)(e - v));
	}
	return len;
}

/*
 * GET url into f->body; *ctype and *base are malloc'd (ctype "" when the
 * server sent none).  Returns MS_OK or an error in err.
 */
static int
fetch(const char *url, size_t max, struct fetch *f, char **ctype,
      char **base, struct ms_err *err)
{
	CURL *c = curl_easy_init();
	CURLcode cc;
	long status = 0;
	char *ct = NULL, *eff = NULL, *cl = NULL;
	int rc = MS_OK;

	*ctype = *base = NULL;
	if (!c)
		return ms_err_set(err, MS_ENET, "cannot start libcurl");
	ms_buf_init(&f->body, max);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mentorscout/" MS_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	cc = curl_easy_perform(c);
	if (cc == CURLE_WRITE_ERROR) {
		rc = ms_err_set(err, MS_ETOOBIG, "response over the %zu-byte "
				"limit", max);
		goto out;
	}
	if (cc) {
		rc = ms_err_set(err, MS_ENET, "%s", curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status >= 300) {
		rc = ms_err_set(err, MS_ENET, "HTTP status %ld", status);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
	*ctype = ms_xstrdup(ct ? ct : "");
	*base = ms_xstrdup(eff ? eff : url);
	/* Content-Location is the document's own URL (RFC 9110 §8.7); a
	 * javascript: or other non-http value is ignored. */
	if (f->content_location &&
	    !ms_url_resolve(*base, f->content_location, &cl, NULL) &&
	    ms_url_is_http(cl)) {
		free(*base);
		*base = cl;
		cl = NULL;
	}
out:
	free(cl);
	curl_easy_cleanup(c);
	return rc;
}

/* ------------------------------------------------------------- files */

struct mapped {
	const char *data;
	size_t len;
	int mapped;
	long page;
	size_t dropped, last;	/* released [0, dropped); last offset */
};

static int
map_file(const char *path, size_t max, struct mapped *m, struct ms_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;

	memset(m, 0, sizeof(*m));
	if (fd < 0)
		return ms_err_set(err, MS_EIO, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ms_err_set(err, MS_EIO, "not a regular file");
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return ms_err_set(err, MS_ETOOBIG, "file is %jd bytes, over "
				  "the %zu-byte limit (--max-size)",
				  (intmax_t)st.st_size, max);
	}
	m->len = (size_t)st.st_size;
	m->page = sysconf(_SC_PAGESIZE);
	if (!m->len) {
		close(fd);
		m->data = "";
		return MS_OK;
	}
	p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return ms_err_set(err, MS_EIO, "cannot map: %s",
				  strerror(errno));
	madvise(p, m->len, MADV_SEQUENTIAL);
	m->data = p;
	m->mapped = 1;
	return MS_OK;
}

/* The pass in progress has gone past off: let those pages go (the next
 * pass reads them in again from the page cache). */
static void
release_pages(void *arg, size_t off)
{
	struct mapped *m = arg;
	size_t upto = off / (size_t)m->page * (size_t)m->page;

	if (off < m->last)
		m->dropped = 0;	/* a new pass read them in again */
	m->last = off;
	if (m->mapped && upto > m->dropped) {
		madvise((void *)(m->data + m->dropped), upto - m->dropped,
			MADV_DONTNEED);
		m->dropped = upto;
	}
}

static void
unmap_file(struct mapped *m)
{
	if (m->mapped)
		munmap((void *)m->data, m->len);
}

/* --------------------------------------------------------------- text */

struct out {
	int json;
	struct ms_json_stream *js;
	int head_done;
	size_t n;
};

static const char *
kind_name(enum ms_doc_kind k)
{
	static const char *const names[] = { "unknown", "rss", "atom", "rdf",
					     "html" };

	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k]
							  : "unknown";
}

static void
print_author(const char *label, const struct ms_author *a)
{
	if (!a->name && !a->email && !a->uri)
		return;
	printf("%s%s", label, a->name ? a->name : "");
	if (a->email)
		printf("%s<%s>", a->name ? " " : "", a->email);
	if (a->uri)
		printf("%s%s", a->name || a->email ? " " : "", a->uri);
	putchar('\n');
}

static void
print_time(const char *label, int64_t t)
{
	char b[32];

	if (t == MS_TIME_NONE)
		return;
	ms_date_format(t, b);
	printf("%s%s\n", label, b);
}

static void
print_head(const struct ms_doc *doc)
{
	printf("%s %s, %s\n", kind_name(doc->kind),
	       doc->version ? doc->version : "-",
	       doc->encoding ? doc->encoding : "encoding unknown");
	if (doc->title)
		printf("title:    %s\n", doc->title);
	if (doc->link)
		printf("link:     %s\n", doc->link);
	if (doc->language)
		printf("language: %s\n", doc->language);
	print_author("author:   ", &doc->author);
	for (size_t i = 0; i < doc->nfeed_links; i++)
		printf("feed:     %s\n", doc->feed_links[i]);
	for (size_t i = 0; i < doc->nprofiles; i++)
		printf("profile:  %s\n", doc->profiles[i]);
}

static void
print_entry(struct out *o, const struct ms_entry *e)
{
	printf("\n%zu. %s\n", ++o->n, e->title ? e->title : "(no title)");
	if (e->link)
		printf("   link:      %s\n", e->link);
	if (e->id && (!e->link || strcmp(e->id, e->link)))
		printf("   id:        %s\n", e->id);
	print_time("   published: ", e->published);
	print_time("   updated:   ", e->updated);
	print_author("   author:    ", &e->author);
	for (size_t i = 1; i < e->nauthors; i++)
		print_author("   also by:   ", &e->authors[i]);
	if (e->ncategories) {
		printf("   categories:");
		for (size_t i = 0; i < e->ncategories; i++)
			printf("%s %s", i ? "," : "", e->categories[i]);
		putchar('\n');
	}
	if (e->comments_url)
		printf("   comments:  %s\n", e->comments_url);
	if (e->comment_feed)
		printf("   comment feed: %s\n", e->comment_feed);
	if (e->comment_count >= 0)
		printf("   comment count: %ld\n", e->comment_count);
	if (e->comments_open >= 0)
		printf("   comments open: %s\n", e->comments_open ? "yes"
							     : "no");
	for (size_t i = 0; i < e->nlinks; i++)
		printf("   links to:  %s\n", e->links[i]);
	for (size_t i = 0; i < e->nprofiles; i++)
		printf("   profile:   %s\n", e->profiles[i]);
}

static int
on_entry(void *arg, const struct ms_doc *doc, const struct ms_entry *e)
{
	struct out *o = arg;

	if (o->json)
		return ms_json_stream_entry(o->js, doc, e);
	if (!o->head_done) {
		print_head(doc);
		o->head_done = 1;
	}
	print_entry(o, e);
	return ferror(stdout) ? MS_EIO : MS_OK;
}

static int
finish_text(struct out *o, const struct ms_doc *doc)
{
	if (!o->head_done)
		print_head(doc);
	for (size_t i = 0; i < doc->nentries; i++)
		print_entry(o, &doc->entries[i]);
	printf("\n%zu entr%s", o->n, o->n == 1 ? "y" : "ies");
	if (doc->ncomments)
		printf(", %zu comment%s", doc->ncomments,
		       doc->ncomments == 1 ? "" : "s");
	putchar('\n');
	for (size_t i = 0; i < doc->ncomments; i++) {
		const struct ms_comment *c = &doc->comments[i];

		printf("\n- %s\n", c->id ? c->id : "(no id)");
		print_author("  by:       ", &c->author);
		print_time("  at:       ", c->published);
		if (c->entry_link)
			printf("  on:       %s\n", c->entry_link);
		if (c->in_reply_to)
			printf("  reply to: %s\n", c->in_reply_to);
		if (c->by_post_author)
			printf("  by the post's author\n");
	}
	if (doc->recovered)
		printf("\nrecovered: %s\n", doc->error ? doc->error
						      : "not read cleanly");
	return MS_OK;
}

/* ---------------------------------------------------------- command */

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	else if (*end == 'g' || *end == 'G')
		v <<= 30, end++;
	if (*end || !v || v > SIZE_MAX / 2)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int
is_url(const char *s)
{
	const char *c = strstr(s, "://");

	if (!c || c == s)
		return 0;
	for (const char *p = s; p < c; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
		      *p == '.'))
			return 0;
	return 1;
}

static int
cmd_parse(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "content-type", required_argument, NULL, 't' },
		{ "max-size", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_err err = { 0 };
	struct ms_parse_opts po;
	struct fetch f = { MS_BUF_INIT(0), NULL };
	struct mapped m = { NULL, 0, 0, 4096, 0, 0 };
	struct out o = { 0 };
	struct ms_doc *doc = NULL;
	const char *target, *ctype_flag = NULL;
	char *ctype = NULL, *base = NULL;
	size_t max = 0;
	int c, rc, status = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 't':
			ctype_flag = optarg;
			break;
		case 'm':
			if (parse_size(optarg, &max))
				return ms_cli_usage("parse", "bad --max-size "
						    "'%s'", optarg);
			break;
		default:
			return ms_cli_usage("parse", "unknown option '%s'",
					    argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return ms_cli_usage("parse", optind >= argc
				    ? "a FILE or URL to parse is needed"
				    : "one FILE or URL at a time");
	target = argv[optind];
	if (is_url(target) && !ms_url_is_http(target))
		return ms_cli_usage("parse", "cannot fetch '%s': only http "
				    "and https URLs", target);
	if (ctx->parse_only)
		return EXIT_OK;

	/* Before anything is written, as setvbuf requires; a terminal keeps
	 * its line buffering. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	memset(&po, 0, sizeof(po));
	po.no_text = true;	/* neither output prints entry text */
	if (is_url(target)) {
		po.max_size = max ? max : URL_MAX_DEFAULT;
		if (fetch(target, po.max_size, &f, &ctype, &base, &err)) {
			status = ms_cli_error("cannot fetch '%s': %s", target,
					      err.msg);
			goto out;
		}
		po.url = base;
		po.content_type = ctype_flag ? ctype_flag : ctype;
		rc = ms_doc_parse(ms_buf_str(&f.body), f.body.len, &po, &doc,
				  &err);
	} else {
		po.max_size = max ? max : FILE_MAX_DEFAULT;
		if (map_file(target, po.max_size, &m, &err)) {
			status = ms_cli_error("cannot read '%s': %s", target,
					      err.msg);
			goto out;
		}
		po.content_type = ctype_flag;
		po.on_consumed = release_pages;
		po.on_consumed_arg = &m;
		po.on_entry = on_entry;
		po.on_entry_arg = &o;
		if (o.json)
			o.js = ms_json_stream_new(stdout);
		rc = ms_doc_parse(m.data, m.len, &po, &doc, &err);
	}
	if (rc) {
		status = ms_cli_error("cannot parse '%s': %s", target,
				      err.msg);
		goto out;
	}
	if (o.json && !o.js) {
		char *s = ms_doc_to_json(doc);

		puts(s);
		free(s);
		rc = MS_OK;
	} else if (o.json) {
		rc = ms_json_stream_end(o.js, doc);
		o.js = NULL;
	} else {
		rc = finish_text(&o, doc);
	}
	if (rc) {
		status = ms_cli_error("cannot write output: %s",
				      strerror(errno ? errno : EIO));
		goto out;
	}
	status = EXIT_OK;
out:
	if (o.js)
		ms_json_stream_free(o.js);
	ms_doc_free(doc);
	ms_buf_release(&f.body);
	free(f.content_location);
	free(ctype);
	free(base);
	unmap_file(&m);
	return status;
}

const struct ms_cmd cmd_parse_entry = {
	"parse", cmd_parse, 0, "analyze one document and print what it yields",
	"usage: mentorscout parse FILE|URL [--json] [--content-type TYPE]\n"
	"                         [--max-size BYTES]\n"
	"\n"
	"Analyze one feed or HTML page and print what mentorscout reads from it:\n"
	"entries, authors, dates, categories, comment links and counts, outbound\n"
	"links, comments.  With --json, one JSON object as documented in the manual.\n"
	"\n"
	"FILE is read from disk; URL (http or https only) is fetched\n"
	"with one GET (redirects followed, 15 s to connect, 60 s in\n"
	"all), and its Content-Type and Content-Location headers give\n"
	"the character encoding and the base of relative links.\n"
	"Compressed data is refused, never decompressed.  A document\n"
	"that is not well-formed is read in recover mode and reported\n"
	"with \"recovered\": true and the first error.\n"
	"\n"
	"options:\n"
	"  --json               print one JSON object (see mentorscout(1))\n"
	"  --content-type TYPE  treat the document as served with this HTTP\n"
	"                       Content-Type (e.g. 'text/xml; charset=utf-8')\n"
	"  --max-size BYTES     refuse larger documents (suffixes K, M, G;\n"
	"                       default 8M for a URL, 256M for a file)\n"
	"\n"
	"exit status: 0 when the document was read (also in recover mode),\n"
	"1 when it could not be fetched or read, 2 on a usage error\n"
};
