/*
 * fixture.c — the loopback fixture web server (see fixture.h): routes
 * scripted by tests, a generated web served from a directory, and the
 * request log politeness and conditional-GET tests read.
 *
 * libmicrohttpd runs one thread per connection, so an answer may sleep
 * (delay, trickle) without holding up others; every sleep waits on the
 * fixture's condition variable so ms_fixture_stop() ends it at once.
 */
#include "tests/server/fixture.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/xmalloc.h"

#define MAX_LISTENERS 16
#define MAX_GZIP_LAYERS 16
#define MAX_DIR_FILE (64u << 20) /* a served file larger than this: 500 */
#define STREAM_BLOCK (64u << 10)

static const char filler[] = "<!-- filler: the body goes on -->\n";

struct route {
	char *host;		     /* lower case, or "*" */
	char *path;		     /* "*", a decoded path, or path?query */
	struct ms_fixture_resp spec; /* pointers below are our copies */
	char *body;
	size_t body_len;
	char *gz; /* body gzip'd spec.gzip times */
	size_t gz_len;
	char *gz_header;	   /* "gzip, gzip, ..." */
	const unsigned char *bomb; /* shared, never freed */
	size_t bomb_len;
	char **headers;
	int *statuses;
	unsigned long hits;
	struct route *next;
};

struct ms_fixture {
	pthread_mutex_t mu;
	pthread_cond_t cond; /* broadcast on stop and when idle */
	struct MHD_Daemon *daemons[MAX_LISTENERS];
	int ndaemons;
	unsigned short port;
	struct timespec t0;
	bool stopping;

	struct route *routes;  /* newest first */
	struct route *retired; /* replaced routes: in-flight answers may
				* still read them, freed at stop */
	char *dir;
	unsigned dir_flags;
	unsigned latency_ms;

	struct ms_fixture_req **log;
	size_t nlog, alog;
	bool keep_log;
	FILE *access_log;
	unsigned long seq;
	int in_flight;

	char **strings; /* returned by ms_fixture_url() & co */
	size_t nstrings, astrings;
};

/* Per-request state, carried in MHD's con_cls. */
struct request {
	struct ms_fixture *fx;
	struct ms_fixture_req *req; /* in fx->log, or owned when !keep_log */
	bool headers_seen;
	bool answered;
};

/* ------------------------------------------------------------- helpers */

static double
since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Sleep ms milliseconds unless the fixture stops first; true when the
 * whole time passed.  The condition variable runs on CLOCK_MONOTONIC.
 */
static bool
nap(struct ms_fixture *fx, unsigned ms)
{
	struct timespec until;
	bool ok;

	if (ms == 0)
		return !fx->stopping;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&fx->mu);
	while (!fx->stopping &&
	       pthread_cond_timedwait(&fx->cond, &fx->mu, &until) != ETIMEDOUT)
		;
	ok = !fx->stopping;
	pthread_mutex_unlock(&fx->mu);
	return ok;
}

static char *
dup_or_null(const char *s)
{
	return s ? ms_xstrdup(s) : NULL;
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The Host header without its port, lower case; "" when absent. */
static char *
host_of(const char *h)
{
	const char *end;
	char *out;

	if (!h)
		return ms_xstrdup("");
	if (*h == '[') {
		end = strchr(h, ']');
		end = end ? end + 1 : h + strlen(h);
	} else {
		end = strrchr(h, ':');
		if (!end)
			end = h + strlen(h);
	}
	out = ms_xstrndup(h, (size_t)(end - h));
	lower(out);
	return out;
}

static bool
accepts_gzip(const char *ae)
{
	const char *p;

	if (!ae)
		return false;
	/* Enough for tests: "gzip" named and not refused with q=0. */
	p = strcasestr(ae, "gzip");
	if (!p)
		return false;
	p += 4;
	while (*p == ' ')
		p++;
	return strncmp(p, ";q=0", 4) != 0 || p[4] == '.';
}

static void
http_date(int64_t t, char out[64])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The opaque part of an entity tag, without W/ and quotes. */
static void
etag_opaque(const char *s, size_t n, const char **o, size_t *on)
{
	if (n >= 2 && s[0] == 'W' && s[1] == '/') {
		s += 2;
		n -= 2;
	}
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	*o = s;
	*on = n;
}

/* If-None-Match against etag with the weak comparison (RFC 9110 §8.8.3). */
static bool
etag_matches(const char *inm, const char *etag)
{
	const char *e, *p = inm;
	size_t en;

	etag_opaque(etag, strlen(etag), &e, &en);
	while (*p) {
		const char *q, *t;
		size_t tn;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		q = p;
		/* Tags are quoted; commas inside quotes are not separators. */
		if (q[0] == 'W' && q[1] == '/')
			q += 2;
		if (*q == '"') {
			q = strchr(q + 1, '"');
			q = q ? q + 1 : p + strlen(p);
		} else {
			while (*q && *q != ',')
				q++;
		}
		if (q - p == 1 && *p == '*')
			return true;
		etag_opaque(p, (size_t)(q - p), &t, &tn);
		if (tn == en && memcmp(t, e, en) == 0)
			return true;
		p = q;
	}
	return false;
}

/* RFC 9110 §13.2.2: If-None-Match decides when present, else
 * If-Modified-Since. */
static bool
not_modified(const struct ms_fixture_req *rq, const char *etag,
	     int64_t last_modified)
{
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
		return false;
	if (rq->if_none_match)
		return etag && etag_matches(rq->if_none_match, etag);
	if (rq->if_modified_since && last_modified > 0) {
		time_t ims = curl_getdate(rq->if_modified_since, NULL);

		return ims != -1 && (int64_t)ims >= last_modified;
	}
	return false;
}

/* Gzip in memory (gzip wrapper, one member). */
static void
gzip_encode(const void *in, size_t len, int level, char **out, size_t *outlen)
{
	z_stream z;
	size_t cap;
	char *buf;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	cap = deflateBound(&z, (uLong)len) + 32;
	buf = ms_xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*outlen = z.total_out;
	*out = buf;
	deflateEnd(&z);
}

/*
 * The bomb: mib MiB of zeros as one gzip member, built once per size.
 * Deflating 1 GiB takes seconds, so only the first three MiB are run
 * through zlib with a sync flush after each: from the second MiB on, every
 * MiB of zeros deflates to the same bytes (the window holds only zeros and
 * the block restarts at each flush), so that piece is repeated and the
 * gzip header and trailer (CRC-32 via crc32_combine, length) are written
 * here.  If zlib ever produced different pieces, the whole input is
 * deflated instead.
 */
struct bomb {
	unsigned mib;
	unsigned char *data;
	size_t len;
	struct bomb *next;
};
static struct bomb *bombs;
static pthread_mutex_t bomb_mu = PTHREAD_MUTEX_INITIALIZER;

static void
deflate_mib(z_stream *z, const unsigned char *zeros, int flush,
	    struct ms_buf *out)
{
	unsigned char tmp[16384];

	z->next_in = (Bytef *)(uintptr_t)zeros;
	z->avail_in = 1u << 20;
	do {
		z->next_out = tmp;
		z->avail_out = sizeof(tmp);
		deflate(z, flush);
		if (ms_buf_add(out, tmp, sizeof(tmp) - z->avail_out) != MS_OK)
			abort();
	} while (z->avail_in || z->avail_out == 0);
}

static const struct bomb *
bomb_get(unsigned mib)
{
	static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0,
					       0,    0,	   0, 0, 3};
	unsigned char *zeros = NULL, tail[8];
	struct ms_buf out = MS_BUF_INIT(SIZE_MAX / 2);
	struct ms_buf p[3];
	struct bomb *b;
	z_stream z;
	uLong crc1, crc;
	unsigned i;
	uint32_t isize;

	pthread_mutex_lock(&bomb_mu);
	for (b = bombs; b; b = b->next)
		if (b->mib == mib)
			goto out;
	zeros = ms_xcalloc(1, 1u << 20);
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_RLE) != Z_OK)
		abort();
	ms_buf_add(&out, head, sizeof(head));
	for (i = 0; i < 3; i++)
		ms_buf_init(&p[i], SIZE_MAX / 2);
	for (i = 0; i < 3 && i < mib; i++)
		deflate_mib(&z, zeros, Z_SYNC_FLUSH, &p[i]);
	for (i = 0; i < 3 && i < mib; i++)
		ms_buf_add(&out, p[i].data, p[i].len);
	if (mib > 3 && p[1].len == p[2].len &&
	    memcmp(p[1].data, p[2].data, p[1].len) == 0) {
		for (i = 3; i < mib; i++)
			ms_buf_add(&out, p[2].data, p[2].len);
	} else {
		for (i = 3; i < mib; i++)
			deflate_mib(&z, zeros, Z_NO_FLUSH, &out);
	}
	z.next_in = NULL;
	z.avail_in = 0;
	for (;;) {
		unsigned char tmp[256];
		int rc;

		z.next_out = tmp;
		z.avail_out = sizeof(tmp);
		rc = deflate(&z, Z_FINISH);
		ms_buf_add(&out, tmp, sizeof(tmp) - z.avail_out);
		if (rc == Z_STREAM_END)
			break;
	}
	deflateEnd(&z);
	crc1 = crc32(crc32(0L, Z_NULL, 0), zeros, 1u << 20);
	crc = mib ? crc1 : crc32(0L, Z_NULL, 0);
	for (i = 1; i < mib; i++)
		crc = crc32_combine(crc, crc1, 1L << 20);
	isize = (uint32_t)((uint64_t)mib << 20);
	for (i = 0; i < 4; i++) {
		tail[i] = (unsigned char)(crc >> (8 * i));
		tail[4 + i] = (unsigned char)(isize >> (8 * i));
	}
	ms_buf_add(&out, tail, sizeof(tail));
	for (i = 0; i < 3; i++)
		ms_buf_release(&p[i]);
	b = ms_xcalloc(1, sizeof(*b));
	b->mib = mib;
	b->data = (unsigned char *)ms_buf_detach(&out, &b->len);
	b->next = bombs;
	bombs = b;
out:
	pthread_mutex_unlock(&bomb_mu);
	free(zeros);
	return b;
}

static const char *
ext_type(const char *path, const char *body, size_t len)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    /* by extension; ".xml" is sniffed below */
	    {".css", "text/css"},
	    {".gz", "application/gzip"},
	    {".htm", "text/html; charset=utf-8"},
	    {".html", "text/html; charset=utf-8"},
	    {".jpg", "image/jpeg"},
	    {".js", "text/javascript"},
	    {".json", "application/json"},
	    {".opml", "text/x-opml; charset=utf-8"},
	    {".png", "image/png"},
	    {".rdf", "application/rdf+xml"},
	    {".rss", "application/rss+xml; charset=utf-8"},
	    {".atom", "application/atom+xml; charset=utf-8"},
	    {".txt", "text/plain; charset=utf-8"},
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	size_t i, n = len < 1024 ? len : 1024;

	if (dot && strcmp(dot, ".xml") == 0) {
		if (body && memmem(body, n, "<rss", 4))
			return "application/rss+xml; charset=utf-8";
		if (body && memmem(body, n, "<feed", 5))
			return "application/atom+xml; charset=utf-8";
		if (body && memmem(body, n, "<rdf:RDF", 8))
			return "application/rdf+xml; charset=utf-8";
		return "application/xml; charset=utf-8";
	}
	if (dot)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "text/html; charset=utf-8";
}

static char *
keep_string(struct ms_fixture *fx, char *s)
{
	pthread_mutex_lock(&fx->mu);
	MS_GROW(fx->strings, fx->nstrings + 1, fx->astrings);
	fx->strings[fx->nstrings++] = s;
	pthread_mutex_unlock(&fx->mu);
	return s;
}

/* ------------------------------------------------------------ answers */

/* A body sent piece by piece: data, then filler up to total (or forever),
 * optionally trickled. */
struct stream {
	struct ms_fixture *fx;
	const char *data;
	size_t len;
	uint64_t total; /* MHD_SIZE_UNKNOWN: endless */
	size_t trickle_bytes;
	unsigned trickle_ms;
};

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	size_t n = 0;

	if (s->total != MHD_SIZE_UNKNOWN && pos >= s->total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (s->trickle_bytes) {
		if (!nap(s->fx, s->trickle_ms))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (max > s->trickle_bytes)
			max = s->trickle_bytes;
	} else if (s->fx->stopping) {
		return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	if (s->total != MHD_SIZE_UNKNOWN && max > s->total - pos)
		max = (size_t)(s->total - pos);
	while (n < max) {
		uint64_t at = pos + n;
		size_t k;

		if (at < s->len) {
			k = s->len - (size_t)at;
			if (k > max - n)
				k = max - n;
			memcpy(buf + n, s->data + at, k);
		} else {
			size_t off =
			    (size_t)((at - s->len) % (sizeof(filler) - 1));

			k = sizeof(filler) - 1 - off;
			if (k > max - n)
				k = max - n;
			memcpy(buf + n, filler + off, k);
		}
		n += k;
	}
	return (ssize_t)n;
}

static void
add_header_line(struct MHD_Response *resp, const char *line)
{
	const char *colon = strchr(line, ':');
	char *name;
	const char *v;

	if (!colon)
		return;
	name = ms_xstrndup(line, (size_t)(colon - line));
	v = colon + 1;
	while (*v == ' ')
		v++;
	MHD_add_response_header(resp, name, v);
	free(name);
}

static enum MHD_Result
queue(struct MHD_Connection *conn, struct request *rq, int status,
      struct MHD_Response *resp)
{
	enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, resp);

	MHD_destroy_response(resp);
	pthread_mutex_lock(&rq->fx->mu);
	rq->req->status = status;
	pthread_mutex_unlock(&rq->fx->mu);
	rq->answered = true;
	return rc;
}

static enum MHD_Result
answer_text(struct MHD_Connection *conn, struct request *rq, int status,
	    const char *text)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_MUST_COPY);

	MHD_add_response_header(resp, "Content-Type",
				"text/plain; charset=utf-8");
	return queue(conn, rq, status, resp);
}

static enum MHD_Result
answer_route(struct MHD_Connection *conn, struct request *rq,
	     const struct route *rt, unsigned long k)
{
	const struct ms_fixture_resp *s = &rt->spec;
	const struct ms_fixture_req *req = rq->req;
	struct MHD_Response *resp;
	int status = s->status;
	bool from_seq = k < s->nstatuses, typed = false;
	char date[64];
	size_t i;

	if (from_seq)
		status = rt->statuses[k];
	if (s->delay_ms && !nap(rq->fx, s->delay_ms))
		return MHD_NO;
	if (status == MS_FIXTURE_RESET)
		return MHD_NO;
	if (status == 0)
		status = s->location ? 302 : 200;

	if (from_seq && (status < 200 || status > 299)) {
		char text[64];

		snprintf(text, sizeof(text), "status %d from a sequence\n",
			 status);
		resp = MHD_create_response_from_buffer(strlen(text), text,
						       MHD_RESPMEM_MUST_COPY);
		MHD_add_response_header(resp, "Content-Type",
					"text/plain; charset=utf-8");
		typed = true;
	} else if (status >= 200 && status <= 299 &&
		   (s->etag || s->last_modified) &&
		   not_modified(req, s->etag, s->last_modified)) {
		status = 304;
		resp = MHD_create_response_from_buffer(0, NULL,
						       MHD_RESPMEM_PERSISTENT);
		typed = true; /* a 304 has no body to describe */
	} else if (s->bomb_mib) {
		resp = MHD_create_response_from_buffer(
		    rt->bomb_len, (void *)(uintptr_t)rt->bomb,
		    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	} else {
		const char *data = rt->body;
		size_t len = rt->body_len;
		bool gz = false;

		if (s->gzip &&
		    (s->force_encoding || accepts_gzip(req->accept_encoding))) {
			data = rt->gz;
			len = rt->gz_len;
			gz = true;
		}
		if (s->trickle_bytes || s->fill_size || s->endless) {
			struct stream *st = ms_xcalloc(1, sizeof(*st));

			st->fx = rq->fx;
			st->data = data;
			st->len = len;
			st->total = s->endless		 ? MHD_SIZE_UNKNOWN
				    : s->fill_size > len ? s->fill_size
							 : len;
			st->trickle_bytes = s->trickle_bytes;
			st->trickle_ms = s->trickle_ms;
			resp = MHD_create_response_from_callback(
			    st->total,
			    s->trickle_bytes ? s->trickle_bytes : STREAM_BLOCK,
			    stream_read, st, free);
		} else {
			resp = MHD_create_response_from_buffer(
			    len, (void *)(uintptr_t)data,
			    MHD_RESPMEM_MUST_COPY);
		}
		if (gz)
			MHD_add_response_header(resp, "Content-Encoding",
						rt->gz_header);
		if (s->gzip)
			MHD_add_response_header(resp, "Vary",
						"Accept-Encoding");
	}
	if (!typed)
		MHD_add_response_header(
		    resp, "Content-Type",
		    s->content_type
			? s->content_type
			: ext_type(rt->path, rt->body, rt->body_len));
	if ((status >= 200 && status <= 299) || status == 304) {
		if (s->etag)
			MHD_add_response_header(resp, "ETag", s->etag);
		if (s->last_modified) {
			http_date(s->last_modified, date);
			MHD_add_response_header(resp, "Last-Modified", date);
		}
	} else if (s->retry_after) {
		MHD_add_response_header(resp, "Retry-After", s->retry_after);
	}
	if (s->location)
		MHD_add_response_header(resp, "Location", s->location);
	for (i = 0; rt->headers && rt->headers[i]; i++)
		add_header_line(resp, rt->headers[i]);
	return queue(conn, rq, status, resp);
}

/* dir/HOST/PATH, or NULL when host or path would leave dir. */
static char *
dir_path(const char *dir, const char *host, const char *path)
{
	const char *p;

	if (!*host || host[0] == '.' || strchr(host, '/') || strchr(host, '\\'))
		return NULL;
	if (path[0] != '/')
		return NULL;
	for (p = path; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return NULL;
		p += n;
	}
	return ms_xasprintf("%s/%s%s", dir, host, path);
}

static int
read_whole(const char *path, char **data, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t got = 0;
	char *buf;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    (size_t)st->st_size > MAX_DIR_FILE) {
		close(fd);
		return -1;
	}
	buf = ms_xmalloc((size_t)st->st_size + 1);
	while (got < (size_t)st->st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st->st_size - got);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static enum MHD_Result
answer_dir(struct MHD_Connection *conn, struct request *rq, const char *dir,
	   unsigned flags, unsigned latency_ms)
{
	const struct ms_fixture_req *req = rq->req;
	char *fs, *file = NULL, *data = NULL, *gz = NULL;
	const char *type, *send;
	struct MHD_Response *resp;
	struct ms_hash h;
	struct stat st;
	char hex[33], etag[40], date[64];
	size_t len = 0, gz_len = 0, send_len;
	enum MHD_Result rc;
	int status = 200;

	if (latency_ms && !nap(rq->fx, latency_ms))
		return MHD_NO;
	fs = dir_path(dir, req->host, req->path);
	if (!fs)
		return answer_text(conn, rq, 404, "not found\n");
	if (stat(fs, &st) == 0 && S_ISDIR(st.st_mode)) {
		const char *slash = fs[strlen(fs) - 1] == '/' ? "" : "/";

		file = ms_xasprintf("%s%sindex.html", fs, slash);
		if (access(file, R_OK) != 0) {
			free(file);
			file = ms_xasprintf("%s%sindex.xml", fs, slash);
		}
	} else {
		file = ms_xstrdup(fs);
	}
	free(fs);
	if (read_whole(file, &data, &len, &st) != 0) {
		free(file);
		return answer_text(conn, rq, 404, "not found\n");
	}
	ms_hash128(data, len, 0, &h);
	ms_hash_hex(&h, hex);
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	http_date((int64_t)st.st_mtime, date);
	type = ext_type(file, data, len);
	free(file);

	send = data;
	send_len = len;
	if (not_modified(req, etag, (int64_t)st.st_mtime)) {
		status = 304;
		send_len = 0;
	} else if ((flags & MS_FIXTURE_GZIP) &&
		   accepts_gzip(req->accept_encoding) &&
		   (strncmp(type, "text/", 5) == 0 || strstr(type, "xml"))) {
		gzip_encode(data, len, 6, &gz, &gz_len);
		send = gz;
		send_len = gz_len;
		/* nginx's rule: the encoded variant has a weak validator. */
		memmove(etag + 2, etag, strlen(etag) + 1);
		etag[0] = 'W';
		etag[1] = '/';
	}
	resp = MHD_create_response_from_buffer(send_len, (void *)send,
					       MHD_RESPMEM_MUST_COPY);
	if (gz) {
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	}
	if (status != 304)
		MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Last-Modified", date);
	rc = queue(conn, rq, status, resp);
	free(data);
	free(gz);
	return rc;
}

/* ---------------------------------------------------- MHD callbacks */

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct ms_fixture *fx = cls;
	struct request *rq = ms_xcalloc(1, sizeof(*rq));
	struct ms_fixture_req *r = ms_xcalloc(1, sizeof(*r));
	const union MHD_ConnectionInfo *ci;

	rq->fx = fx;
	rq->req = r;
	r->uri = ms_xstrdup(uri ? uri : "");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		r->client_port = ntohs(
		    ((const struct sockaddr_in *)ci->client_addr)->sin_port);
	pthread_mutex_lock(&fx->mu);
	r->seq = fx->seq++;
	r->start = since(&fx->t0);
	fx->in_flight++;
	if (fx->keep_log) {
		MS_GROW(fx->log, fx->nlog + 1, fx->alog);
		fx->log[fx->nlog++] = r;
	}
	pthread_mutex_unlock(&fx->mu);
	return rq;
}

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
	       const char *value)
{
	struct ms_buf *b = cls;

	(void)kind;
	ms_buf_addf(b, "%s: %s\n", key, value ? value : "");
	return MHD_YES;
}

static void
fill_request(struct MHD_Connection *conn, struct ms_fixture_req *r,
	     const char *url, const char *method)
{
	struct ms_buf hb = MS_BUF_INIT(1u << 20);

	r->method = ms_xstrdup(method);
	r->path = ms_xstrdup(url);
	r->host =
	    host_of(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"));
#define H(field, name)                                                         \
	r->field = dup_or_null(                                                \
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name))
	H(if_none_match, "If-None-Match");
	H(if_modified_since, "If-Modified-Since");
	H(user_agent, "User-Agent");
	H(accept_encoding, "Accept-Encoding");
#undef H
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &hb);
	r->headers = ms_buf_detach(&hb, NULL);
	if (!r->headers)
		r->headers = ms_xstrdup("");
}

static bool
route_matches(const struct route *rt, const char *hostpat,
	      const struct ms_fixture_req *r, bool any_path)
{
	if (strcmp(rt->host, hostpat) != 0)
		return false;
	if (any_path)
		return strcmp(rt->path, "*") == 0;
	if (strchr(rt->path, '?'))
		return strcmp(rt->path, r->uri) == 0;
	return strcmp(rt->path, r->path) == 0;
}

/* The route for a request (hits counted), or NULL.  Caller holds mu. */
static struct route *
find_route(struct ms_fixture *fx, const struct ms_fixture_req *r,
	   unsigned long *k)
{
	static const struct {
		bool any_host, any_path;
	} order[] = {
	    {false, false}, {false, true}, {true, false}, {true, true}};
	struct route *rt;
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *hp = order[i].any_host ? "*" : r->host;

		for (rt = fx->routes; rt; rt = rt->next) {
			if (route_matches(rt, hp, r, order[i].any_path)) {
				*k = rt->hits++;
				return rt;
			}
		}
	}
	return NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload,
	   size_t *upload_size, void **con_cls)
{
	struct ms_fixture *fx = cls;
	struct request *rq = *con_cls;
	struct route *rt;
	unsigned long k = 0;
	char *dir = NULL;
	unsigned flags, latency;
	enum MHD_Result rc;

	(void)version;
	(void)upload;
	if (!rq)
		return MHD_NO; /* cannot happen: on_uri sets it */
	if (!rq->headers_seen) {
		/* libmicrohttpd closes the connection after an answer queued
		 * in the first call (the body may be unread): wait for the
		 * call that ends the request, so keep-alive works. */
		rq->headers_seen = true;
		pthread_mutex_lock(&fx->mu);
		fill_request(conn, rq->req, url, method);
		pthread_mutex_unlock(&fx->mu);
		return MHD_YES;
	}
	if (rq->answered || *upload_size) {
		*upload_size = 0; /* request bodies are ignored */
		return MHD_YES;
	}
	pthread_mutex_lock(&fx->mu);
	rt = find_route(fx, rq->req, &k);
	if (!rt && fx->dir)
		dir = ms_xstrdup(fx->dir);
	flags = fx->dir_flags;
	latency = fx->latency_ms;
	pthread_mutex_unlock(&fx->mu);

	if (rt)
		rc = answer_route(conn, rq, rt, k);
	else if (dir)
		rc = answer_dir(conn, rq, dir, flags, latency);
	else
		rc = answer_text(conn, rq, 404, "not found\n");
	free(dir);
	*upload_size = 0;
	return rc;
}

static void
free_req(struct ms_fixture_req *r)
{
	if (!r)
		return;
	free(r->host);
	free(r->uri);
	free(r->path);
	free(r->method);
	free(r->if_none_match);
	free(r->if_modified_since);
	free(r->user_agent);
	free(r->accept_encoding);
	free(r->headers);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct ms_fixture *fx = cls;
	struct request *rq = *con_cls;
	struct ms_fixture_req *r;

	(void)conn;
	(void)toe;
	if (!rq)
		return;
	r = rq->req;
	pthread_mutex_lock(&fx->mu);
	r->end = since(&fx->t0);
	if (r->end <= r->start)
		r->end = r->start + 1e-9; /* end 0 means in flight */
	fx->in_flight--;
	if (fx->access_log) {
		fprintf(fx->access_log, "%.6f\t%.6f\t%s\t%s\t%s\t%d\n",
			r->start, r->end, r->host ? r->host : "",
			r->method ? r->method : "", r->uri, r->status);
		fflush(fx->access_log);
	}
	if (fx->in_flight == 0)
		pthread_cond_broadcast(&fx->cond);
	pthread_mutex_unlock(&fx->mu);
	if (!fx->keep_log) {
		free_req(r);
		free(r);
	}
	free(rq);
	*con_cls = NULL;
}

/* ------------------------------------------------------------ public */

static int
parse_loopback(const char *address, struct sockaddr_in *sa, struct ms_err *err)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (inet_pton(AF_INET, address, &sa->sin_addr) != 1)
		return ms_err_set(err, MS_EUSAGE,
				  "fixture: bad listen address '%s'", address);
	if ((ntohl(sa->sin_addr.s_addr) >> 24) != 127)
		return ms_err_set(err, MS_EPOLICY,
				  "fixture: refusing non-loopback address '%s'",
				  address);
	return MS_OK;
}

static struct MHD_Daemon *
start_daemon(struct ms_fixture *fx, struct sockaddr_in *sa)
{
	return MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_AUTO,
	    ntohs(sa->sin_port), NULL, NULL, on_request, fx,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, fx,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, fx,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000, MHD_OPTION_END);
}

int
ms_fixture_start(const struct ms_fixture_opts *opts, struct ms_fixture **out,
		 struct ms_err *err)
{
	struct ms_fixture_opts none = {0};
	struct ms_fixture *fx;
	struct sockaddr_in sa;
	pthread_condattr_t ca;
	const union MHD_DaemonInfo *di;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &none;
	rc = parse_loopback(opts->address ? opts->address : "127.0.0.1", &sa,
			    err);
	if (rc != MS_OK)
		return rc;
	sa.sin_port = htons(opts->port);
	fx = ms_xcalloc(1, sizeof(*fx));
	pthread_mutex_init(&fx->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&fx->cond, &ca);
	pthread_condattr_destroy(&ca);
	clock_gettime(CLOCK_MONOTONIC, &fx->t0);
	fx->keep_log = !opts->no_log;
	fx->access_log = opts->access_log;
	fx->daemons[0] = start_daemon(fx, &sa);
	if (!fx->daemons[0]) {
		rc = ms_err_set(err, MS_ENET,
				"fixture: cannot listen on %s:%u: %s",
				opts->address ? opts->address : "127.0.0.1",
				(unsigned)opts->port, strerror(errno));
		ms_fixture_stop(fx);
		return rc;
	}
	fx->ndaemons = 1;
	di = MHD_get_daemon_info(fx->daemons[0], MHD_DAEMON_INFO_BIND_PORT);
	fx->port = di ? di->port : opts->port;
	*out = fx;
	return MS_OK;
}

int
ms_fixture_listen(struct ms_fixture *fx, const char *address,
		  struct ms_err *err)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	int rc = parse_loopback(address, &sa, err);

	if (rc != MS_OK)
		return rc;
	if (fx->ndaemons >= MAX_LISTENERS)
		return ms_err_set(err, MS_EUSAGE,
				  "fixture: more than %d listeners",
				  MAX_LISTENERS);
	sa.sin_port = htons(fx->port);
	d = start_daemon(fx, &sa);
	if (!d)
		return ms_err_set(err, MS_ENET,
				  "fixture: cannot listen on %s:%u: %s",
				  address, (unsigned)fx->port, strerror(errno));
	pthread_mutex_lock(&fx->mu);
	fx->daemons[fx->ndaemons++] = d;
	pthread_mutex_unlock(&fx->mu);
	return MS_OK;
}

static void
free_route(struct route *rt)
{
	size_t i;

	free(rt->host);
	free(rt->path);
	free(rt->body);
	free(rt->gz);
	free(rt->gz_header);
	for (i = 0; rt->headers && rt->headers[i]; i++)
		free(rt->headers[i]);
	free(rt->headers);
	free(rt->statuses);
	free((char *)rt->spec.content_type);
	free((char *)rt->spec.etag);
	free((char *)rt->spec.location);
	free((char *)rt->spec.retry_after);
	free(rt);
}

void
ms_fixture_stop(struct ms_fixture *fx)
{
	struct route *rt, *next;
	size_t i;
	int d;

	if (!fx)
		return;
	pthread_mutex_lock(&fx->mu);
	fx->stopping = true;
	pthread_cond_broadcast(&fx->cond);
	pthread_mutex_unlock(&fx->mu);
	for (d = 0; d < fx->ndaemons; d++)
		MHD_stop_daemon(fx->daemons[d]);
	for (rt = fx->routes; rt; rt = next) {
		next = rt->next;
		free_route(rt);
	}
	for (rt = fx->retired; rt; rt = next) {
		next = rt->next;
		free_route(rt);
	}
	for (i = 0; i < fx->nlog; i++) {
		free_req(fx->log[i]);
		free(fx->log[i]);
	}
	free(fx->log);
	for (i = 0; i < fx->nstrings; i++)
		free(fx->strings[i]);
	free(fx->strings);
	free(fx->dir);
	if (fx->access_log)
		fflush(fx->access_log);
	pthread_cond_destroy(&fx->cond);
	pthread_mutex_destroy(&fx->mu);
	free(fx);
}

unsigned short
ms_fixture_port(const struct ms_fixture *fx)
{
	return fx->port;
}

const char *
ms_fixture_url(struct ms_fixture *fx, const char *host, const char *path)
{
	if (!path)
		path = "";
	return keep_string(fx, ms_xasprintf("http://%s:%u%s%s",
					    host ? host : "127.0.0.1",
					    (unsigned)fx->port,
					    path[0] == '/' ? "" : "/", path));
}

const char *
ms_fixture_resolve_line(struct ms_fixture *fx, const char *host)
{
	return keep_string(
	    fx, ms_xasprintf("%s:%u:127.0.0.1", host, (unsigned)fx->port));
}

int
ms_fixture_add(struct ms_fixture *fx, const char *host, const char *path,
	       const struct ms_fixture_resp *r, struct ms_err *err)
{
	struct route *rt, **pp;
	size_t i, n;

	if (!host || !*host || !path || (path[0] != '/' && strcmp(path, "*")))
		return ms_err_set(err, MS_EUSAGE,
				  "fixture: route needs a host and a path "
				  "starting with '/' (got '%s' '%s')",
				  host ? host : "(null)",
				  path ? path : "(null)");
	if (r->gzip < 0 || r->gzip > MAX_GZIP_LAYERS)
		return ms_err_set(err, MS_EUSAGE,
				  "fixture: gzip layers %d not in 0..%d",
				  r->gzip, MAX_GZIP_LAYERS);
	rt = ms_xcalloc(1, sizeof(*rt));
	rt->spec = *r;
	rt->host = ms_xstrdup(host);
	lower(rt->host);
	rt->path = ms_xstrdup(path);
	rt->spec.content_type = dup_or_null(r->content_type);
	rt->spec.etag = dup_or_null(r->etag);
	rt->spec.location = dup_or_null(r->location);
	rt->spec.retry_after = dup_or_null(r->retry_after);
	if (r->body_file) {
		struct stat st;

		if (read_whole(r->body_file, &rt->body, &rt->body_len, &st) !=
		    0) {
			free_route(rt);
			return ms_err_set(err, MS_EIO,
					  "fixture: cannot read body file "
					  "'%s'",
					  r->body_file);
		}
	} else if (r->body) {
		rt->body_len = r->body_len ? r->body_len : strlen(r->body);
		rt->body = ms_xmalloc(rt->body_len + 1);
		memcpy(rt->body, r->body, rt->body_len);
		rt->body[rt->body_len] = '\0';
	}
	for (n = 0; r->headers && r->headers[n]; n++)
		;
	if (n) {
		rt->headers = ms_xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++)
			rt->headers[i] = ms_xstrdup(r->headers[i]);
	}
	rt->spec.headers = NULL;
	if (r->nstatuses) {
		rt->statuses = ms_xcalloc(r->nstatuses, sizeof(int));
		memcpy(rt->statuses, r->statuses, r->nstatuses * sizeof(int));
	}
	rt->spec.statuses = NULL;
	rt->spec.body = NULL;
	rt->spec.body_file = NULL;
	if (r->gzip) {
		struct ms_buf hb = MS_BUF_INIT(1024);
		char *cur = rt->body ? rt->body : ms_xstrdup("");
		size_t curlen = rt->body_len;
		int l;

		for (l = 0; l < r->gzip; l++) {
			char *next;
			size_t nextlen;

			gzip_encode(cur, curlen, 6, &next, &nextlen);
			if (cur != rt->body)
				free(cur);
			cur = next;
			curlen = nextlen;
			ms_buf_adds(&hb, l ? ", gzip" : "gzip");
		}
		rt->gz = cur;
		rt->gz_len = curlen;
		rt->gz_header = ms_buf_detach(&hb, NULL);
	}
	if (r->bomb_mib) {
		const struct bomb *b = bomb_get(r->bomb_mib);

		rt->bomb = b->data;
		rt->bomb_len = b->len;
	}
	pthread_mutex_lock(&fx->mu);
	for (pp = &fx->routes; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->host, rt->host) == 0 &&
		    strcmp((*pp)->path, rt->path) == 0) {
			struct route *old = *pp;

			*pp = old->next;
			old->next = fx->retired;
			fx->retired = old;
			break;
		}
	}
	rt->next = fx->routes;
	fx->routes = rt;
	pthread_mutex_unlock(&fx->mu);
	return MS_OK;
}

int
ms_fixture_serve_dir(struct ms_fixture *fx, const char *dir, unsigned flags,
		     struct ms_err *err)
{
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return ms_err_set(err, MS_EIO, "fixture: cannot serve '%s': %s",
				  dir,
				  errno ? strerror(errno) : "not a directory");
	pthread_mutex_lock(&fx->mu);
	free(fx->dir);
	fx->dir = ms_xstrdup(dir);
	fx->dir_flags = flags;
	pthread_mutex_unlock(&fx->mu);
	return MS_OK;
}

void
ms_fixture_set_latency(struct ms_fixture *fx, unsigned ms)
{
	pthread_mutex_lock(&fx->mu);
	fx->latency_ms = ms;
	pthread_mutex_unlock(&fx->mu);
}

double
ms_fixture_now(const struct ms_fixture *fx)
{
	return since(&fx->t0);
}

static void
copy_req(struct ms_fixture_req *d, const struct ms_fixture_req *s)
{
	*d = *s;
	d->host = dup_or_null(s->host);
	d->uri = dup_or_null(s->uri);
	d->path = dup_or_null(s->path);
	d->method = dup_or_null(s->method);
	d->if_none_match = dup_or_null(s->if_none_match);
	d->if_modified_since = dup_or_null(s->if_modified_since);
	d->user_agent = dup_or_null(s->user_agent);
	d->accept_encoding = dup_or_null(s->accept_encoding);
	d->headers = dup_or_null(s->headers);
}

void
ms_fixture_log_get(struct ms_fixture *fx, struct ms_fixture_log *out)
{
	size_t i;

	pthread_mutex_lock(&fx->mu);
	out->n = fx->nlog;
	out->reqs = ms_xcalloc(fx->nlog ? fx->nlog : 1, sizeof(*out->reqs));
	for (i = 0; i < fx->nlog; i++)
		copy_req(&out->reqs[i], fx->log[i]);
	pthread_mutex_unlock(&fx->mu);
}

void
ms_fixture_log_release(struct ms_fixture_log *log)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		free_req(&log->reqs[i]);
	free(log->reqs);
	log->reqs = NULL;
	log->n = 0;
}

void
ms_fixture_log_clear(struct ms_fixture *fx)
{
	size_t i, kept = 0;

	pthread_mutex_lock(&fx->mu);
	for (i = 0; i < fx->nlog; i++) {
		if (fx->log[i]->end == 0) {
			fx->log[kept++] = fx->log[i];
		} else {
			free_req(fx->log[i]);
			free(fx->log[i]);
		}
	}
	fx->nlog = kept;
	pthread_mutex_unlock(&fx->mu);
}

size_t
ms_fixture_count(struct ms_fixture *fx, const char *host, const char *path)
{
	size_t i, n = 0;

	pthread_mutex_lock(&fx->mu);
	for (i = 0; i < fx->nlog; i++) {
		const struct ms_fixture_req *r = fx->log[i];

		if (host && (!r->host || strcasecmp(r->host, host) != 0))
			continue;
		if (path && (!r->path || strcmp(r->path, path) != 0))
			continue;
		n++;
	}
	pthread_mutex_unlock(&fx->mu);
	return n;
}

int
ms_fixture_wait_idle(struct ms_fixture *fx, unsigned timeout_ms)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&fx->mu);
	while (fx->in_flight > 0 && rc == 0)
		if (pthread_cond_timedwait(&fx->cond, &fx->mu, &until) ==
		    ETIMEDOUT)
			rc = fx->in_flight > 0 ? -1 : 0;
	pthread_mutex_unlock(&fx->mu);
	return rc;
}

static int
by_start(const void *a, const void *b)
{
	const struct ms_fixture_req *x =
	    *(const struct ms_fixture_req *const *)a;
	const struct ms_fixture_req *y =
	    *(const struct ms_fixture_req *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
ms_fixture_host_stats(const struct ms_fixture_log *log, const char *host,
		      struct ms_fixture_host_stats *out)
{
	const struct ms_fixture_req **v;
	size_t i, j, n = 0;
	double last_end = -INFINITY;

	memset(out, 0, sizeof(*out));
	out->min_gap = INFINITY;
	out->min_interval = INFINITY;
	v = ms_xcalloc(log->n ? log->n : 1, sizeof(*v));
	for (i = 0; i < log->n; i++)
		if (log->reqs[i].host &&
		    strcasecmp(log->reqs[i].host, host) == 0)
			v[n++] = &log->reqs[i];
	qsort(v, n, sizeof(*v), by_start);
	out->requests = n;
	for (i = 0; i < n; i++) {
		double end_i = v[i]->end ? v[i]->end : INFINITY;
		int open = 1;

		/* Requests open when v[i] starts: earlier starts not yet
		 * ended.  Quadratic, but logs are test-sized. */
		for (j = 0; j < i; j++) {
			double e = v[j]->end ? v[j]->end : INFINITY;

			if (e > v[i]->start)
				open++;
		}
		if (open > out->max_in_flight)
			out->max_in_flight = open;
		if (i > 0) {
			if (v[i]->start - last_end < out->min_gap)
				out->min_gap = v[i]->start - last_end;
			if (v[i]->start - v[i - 1]->start < out->min_interval)
				out->min_interval =
				    v[i]->start - v[i - 1]->start;
		}
		if (end_i > last_end)
			last_end = end_i;
	}
	free(v);
}
