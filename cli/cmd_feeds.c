/*
 * cmd_feeds.c — `mentorscout feeds add|remove|list|import|export`: the feed
 * list lives in the store (so a crawl's discoveries and the user's list
 * share one table); the config's "feeds" are merged into it by init and
 * crawl.  The verbs are a table of their own, as in git.
 */
#include "analyzer/analyzer.h"
#include "cli/cli.h"
#include "config/config.h"
#include "store/store.h"
#include "util/err.h"
#include "util/url.h"
#include "util/xmalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv, struct ms_ctx *ctx);
};

static const char *const state_names[] = { "active", "dead", "retired" };
static const char *const kind_names[] = { "user", "comments", "page",
					  "site" };

static const char *
state_name(unsigned s)
{
	return s < 3 ? state_names[s] : "unknown";
}

static const char *
kind_name(unsigned k)
{
	return k < 4 ? kind_names[k] : "unknown";
}

/* Topic ids among cats: a category equal to a topic's id or label. */
static char *
topics_from_categories(const struct ms_taxonomy *tax, const char **cats,
		       size_t ncats)
{
	size_t cap = 1, len = 0;
	char *out = NULL;

	for (size_t i = 0; i < ncats; i++) {
		for (size_t t = 0; t < tax->ntopics; t++) {
			const struct ms_topic *tp = &tax->topics[t];
			size_t n;

			if (strcasecmp(cats[i], tp->id) &&
			    (!tp->label || strcasecmp(cats[i], tp->label)))
				continue;
			if (out && strstr(out, tp->id))
				continue;
			n = strlen(tp->id);
			cap = len + n + 2;
			out = ms_xrealloc(out, cap);
			if (len)
				out[len++] = '\n';
			memcpy(out + len, tp->id, n + 1);
			len += n;
		}
	}
	return out;
}

/*
 * Add one user feed in batch b unless present.  Returns 1 when added or
 * promoted, 0 when already a user feed, -1 on a bad URL (reported).
 */
static int
add_one(struct ms_ctx *ctx, struct ms_rtxn *t, struct ms_batch *b,
	const char *raw, const char *title, const char *site,
	const char *topics, const char *origin)
{
	struct ms_feed_rec r = { 0 }, old;
	struct ms_err err = { 0 };
	char *url = NULL;
	int rc;

	(void)ctx;
	if (ms_url_normalize(raw, &url, &err)) {
		if (origin)
			ms_cli_error("skipping '%s' in '%s': %s", raw, origin,
				     err.msg);
		else
			ms_cli_error("cannot add feed: %s", err.msg);
		return -1;
	}
	rc = ms_store_get_feed(t, url, &old, &err);
	if (rc == MS_OK && old.kind == MS_FEED_USER &&
	    old.state == MS_FEED_ACTIVE) {
		free(url);
		return 0;
	}
	if (rc == MS_OK) {
		/* Discovered before, or dead/retired: the user wants it. */
		r = old;
		r.kind = MS_FEED_USER;
		r.depth = 0;
		r.state = MS_FEED_ACTIVE;
		r.failures = 0;
		r.next_fetch = 0;
	} else {
		r.added = time(NULL);
		r.last_fetch = r.last_ok = r.next_fetch = MS_TIME_NONE;
		r.next_fetch = 0;
	}
	r.url = url;
	if (title && !r.title)
		r.title = title;
	if (site && !r.site)
		r.site = site;
	if (topics)
		r.topics = topics;
	ms_batch_put_feed(b, &r);
	free(url);
	return 1;
}

static int
commit(struct ms_batch *b)
{
	struct ms_err err = { 0 };

	if (ms_store_batch_commit(b, &err))
		return ms_cli_error("%s", err.msg);
	return EXIT_OK;
}

static int
feeds_add(int argc, char **argv, struct ms_ctx *ctx)
{
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	struct ms_batch *b;
	int bad = 0, added = 0, status;

	if (argc < 2)
		return ms_cli_usage("feeds", "feeds add: give at least one "
				    "URL");
	if (ctx->parse_only)
		return EXIT_OK;
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	b = ms_store_batch_new(ctx->st);
	for (int i = 1; i < argc; i++) {
		int rc = add_one(ctx, t, b, argv[i], NULL, NULL, NULL, NULL);

		if (rc < 0)
			bad++;
		else if (rc == 0)
			ms_cli_error("feed '%s' is already in the list",
				     argv[i]);
		else
			added++;
	}
	ms_store_read_end(t);
	status = commit(b);
	if (status == EXIT_OK && ctx->verbose >= 0 && added)
		fprintf(stderr, "added %d feed%s\n", added,
			added == 1 ? "" : "s");
	return status ? status : bad ? EXIT_FAIL : EXIT_OK;
}

static int
feeds_remove(int argc, char **argv, struct ms_ctx *ctx)
{
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	struct ms_batch *b;
	int missing = 0, status;

	if (argc < 2)
		return ms_cli_usage("feeds", "feeds remove: give at least "
				    "one URL");
	if (ctx->parse_only)
		return EXIT_OK;
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	b = ms_store_batch_new(ctx->st);
	for (int i = 1; i < argc; i++) {
		struct ms_feed_rec r;
		char *url = NULL;

		if (ms_url_normalize(argv[i], &url, &err) ||
		    ms_store_get_feed(t, url, &r, &err)) {
			ms_cli_error("feed '%s' is not in the list", argv[i]);
			missing++;
		} else {
			ms_batch_del_feed(b, url);
		}
		free(url);
	}
	ms_store_read_end(t);
	status = commit(b);
	return status ? status : missing ? EXIT_FAIL : EXIT_OK;
}

struct list_ctx {
	int json, all;
	json_t *arr;
	size_t n;
};

static void
json_set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static void
json_set_time(json_t *o, const char *k, int64_t v)
{
	char buf[32];
	struct tm tm;
	time_t tt = (time_t)v;

	if (v == MS_TIME_NONE || v <= 0 || !gmtime_r(&tt, &tm))
		return;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(o, k, json_string(buf));
}

static int
list_one(const struct ms_hash *key, const struct ms_feed_rec *r, void *vctx)
{
	struct list_ctx *lc = vctx;

	(void)key;
	if (!lc->all && r->kind != MS_FEED_USER)
		return 0;
	lc->n++;
	if (lc->json) {
		json_t *o = json_object();
		json_t *topics = json_array();
		const char *cur = r->topics, *it;
		size_t n;

		json_set_str(o, "url", r->url);
		json_set_str(o, "title", r->title);
		json_set_str(o, "site", r->site);
		json_object_set_new(o, "state",
				    json_string(state_name(r->state)));
		json_object_set_new(o, "kind",
				    json_string(kind_name(r->kind)));
		while ((it = ms_strlist_next(&cur, &n)))
			json_array_append_new(topics,
					      json_stringn(it, n));
		json_object_set_new(o, "topics", topics);
		json_object_set_new(o, "failures",
				    json_integer(r->failures));
		if (r->last_status)
			json_object_set_new(o, "last_status",
					    json_integer(r->last_status));
		json_set_str(o, "last_error", r->last_error);
		json_set_time(o, "added", r->added);
		json_set_time(o, "last_fetch", r->last_fetch);
		json_set_time(o, "last_ok", r->last_ok);
		json_set_time(o, "next_fetch", r->next_fetch);
		json_array_append_new(lc->arr, o);
		return 0;
	}
	printf("%-7s %s", state_name(r->state), r->url);
	if (r->title)
		printf("  %s", r->title);
	if (lc->all && r->kind != MS_FEED_USER)
		printf("  [%s]", kind_name(r->kind));
	if (r->state != MS_FEED_ACTIVE || r->failures) {
		printf("  (");
		if (r->failures)
			printf("%u failure%s", r->failures,
			       r->failures == 1 ? "" : "s");
		if (r->last_error)
			printf("%s%s", r->failures ? ": " : "",
			       r->last_error);
		printf(")");
	}
	putchar('\n');
	return 0;
}

static int
feeds_list(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct list_ctx lc = { 0 };
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+ja", opts, NULL)) != -1) {
		if (c == 'j')
			lc.json = 1;
		else if (c == 'a')
			lc.all = 1;
		else
			return ms_cli_usage("feeds", "feeds list: unknown "
					    "option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return ms_cli_usage("feeds", "feeds list: unexpected "
				    "argument '%s'", argv[optind]);
	if (ctx->parse_only)
		return EXIT_OK;
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	if (lc.json)
		lc.arr = json_array();
	rc = ms_store_each_feed(t, list_one, &lc, &err);
	ms_store_read_end(t);
	if (rc) {
		json_decref(lc.arr);
		return ms_cli_error("%s", err.msg);
	}
	if (lc.json) {
		json_dumpf(lc.arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(lc.arr);
	} else if (!lc.n && ctx->verbose >= 0) {
		fprintf(stderr, "no feeds yet; add some with 'mentorscout "
			"feeds add URL' or 'feeds import FILE.opml'\n");
	}
	return EXIT_OK;
}

static int
feeds_import(int argc, char **argv, struct ms_ctx *ctx)
{
	struct ms_err err = { 0 };
	struct ms_opml *o = NULL;
	struct ms_rtxn *t;
	struct ms_batch *b;
	char **seen = NULL;
	size_t nseen = 0, len;
	int added = 0, present = 0, skipped = 0, status;
	char *data;
	FILE *f;

	if (argc != 2)
		return ms_cli_usage("feeds", "feeds import: give one OPML "
				    "file");
	if (ctx->parse_only)
		return EXIT_OK;
	f = fopen(argv[1], "rb");
	if (!f)
		return ms_cli_error("cannot open OPML file '%s': %m", argv[1]);
	data = NULL;
	{
		size_t cap = 0, got;

		len = 0;
		do {
			if (cap - len < 65536) {
				cap = cap ? cap * 2 : 65536;
				data = ms_xrealloc(data, cap);
			}
			got = fread(data + len, 1, cap - len, f);
			len += got;
		} while (got && len < (32u << 20));
	}
	if (ferror(f)) {
		fclose(f);
		free(data);
		return ms_cli_error("cannot read OPML file '%s': %m",
				    argv[1]);
	}
	fclose(f);
	if (ms_opml_parse(data, len, argv[1], &o, &err)) {
		free(data);
		return ms_cli_error("%s", err.msg);
	}
	free(data);
	if (ms_store_read_begin(ctx->st, &t, &err)) {
		ms_opml_free(o);
		return ms_cli_error("%s", err.msg);
	}
	b = ms_store_batch_new(ctx->st);
	for (size_t i = 0; i < o->nitems; i++) {
		const struct ms_opml_item *it = &o->items[i];
		const char *raw = it->xml_url ? it->xml_url : it->html_url;
		char *norm = NULL, *topics;
		int dup = 0, rc;

		/* Duplicates inside the file: the first one wins. */
		if (!ms_url_normalize(raw, &norm, NULL)) {
			for (size_t s = 0; s < nseen && !dup; s++)
				dup = !strcmp(seen[s], norm);
			if (dup) {
				free(norm);
				present++;
				continue;
			}
			seen = ms_xreallocarray(seen, nseen + 1,
						sizeof(*seen));
			seen[nseen++] = norm;
		}
		topics = topics_from_categories(&ctx->cfg->taxonomy,
						it->categories,
						it->ncategories);
		rc = add_one(ctx, t, b, raw, it->title, it->html_url, topics,
			     argv[1]);
		free(topics);
		if (rc < 0)
			skipped++;
		else if (rc == 0)
			present++;
		else
			added++;
	}
	ms_store_read_end(t);
	status = commit(b);
	for (size_t s = 0; s < nseen; s++)
		free(seen[s]);
	free(seen);
	ms_opml_free(o);
	if (status == EXIT_OK && ctx->verbose >= 0)
		fprintf(stderr, "imported %d feed%s from '%s' (%d already "
			"present, %d skipped)\n", added,
			added == 1 ? "" : "s", argv[1], present, skipped);
	return status;
}

struct export_ctx {
	struct ms_opml_item *items;
	size_t n, cap;
	struct ms_arena arena;
};

static int
export_one(const struct ms_hash *key, const struct ms_feed_rec *r,
	   void *vctx)
{
	struct export_ctx *ec = vctx;
	struct ms_opml_item *it;
	const char *cur = r->topics, *s;
	size_t n, ncat = 0;

	(void)key;
	if (r->kind != MS_FEED_USER || r->state == MS_FEED_RETIRED)
		return 0;
	MS_GROW(ec->items, ec->n + 1, ec->cap);
	it = &ec->items[ec->n++];
	memset(it, 0, sizeof(*it));
	it->xml_url = ms_arena_strdup(&ec->arena, r->url);
	if (r->title)
		it->title = ms_arena_strdup(&ec->arena, r->title);
	if (r->site)
		it->html_url = ms_arena_strdup(&ec->arena, r->site);
	while (ms_strlist_next(&cur, &n))
		ncat++;
	if (ncat) {
		it->categories = ms_arena_alloc(&ec->arena,
						ncat * sizeof(char *));
		cur = r->topics;
		while ((s = ms_strlist_next(&cur, &n)))
			it->categories[it->ncategories++] =
				ms_arena_strndup(&ec->arena, s, n);
	}
	return 0;
}

static int
feeds_export(int argc, char **argv, struct ms_ctx *ctx)
{
	struct export_ctx ec = { 0 };
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	char *doc;
	int rc;

	(void)argv;
	if (argc != 1)
		return ms_cli_usage("feeds", "feeds export: no arguments "
				    "expected (it writes to standard "
				    "output)");
	if (ctx->parse_only)
		return EXIT_OK;
	ms_arena_init(&ec.arena);
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	rc = ms_store_each_feed(t, export_one, &ec, &err);
	ms_store_read_end(t);
	if (rc == MS_OK) {
		doc = ms_opml_write("mentorscout feeds", ec.items, ec.n);
		fputs(doc, stdout);
		free(doc);
	}
	free(ec.items);
	ms_arena_release(&ec.arena);
	return rc ? ms_cli_error("%s", err.msg) : EXIT_OK;
}

/* Alphabetical. */
static const struct verb verbs[] = {
	{ "add", feeds_add },	    { "export", feeds_export },
	{ "import", feeds_import }, { "list", feeds_list },
	{ "remove", feeds_remove },
};

static int
cmd_feeds(int argc, char **argv, struct ms_ctx *ctx)
{
	if (argc < 2)
		return ms_cli_usage("feeds", "feeds: give a verb (add, "
				    "remove, list, import, export)");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].fn(argc - 1, argv + 1, ctx);
	return ms_cli_usage("feeds", "feeds: unknown verb '%s'", argv[1]);
}

int
ms_cli_seed_feeds(struct ms_ctx *ctx)
{
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	struct ms_batch *b;
	int status;

	if (!ctx->cfg->nfeeds)
		return EXIT_OK;
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	b = ms_store_batch_new(ctx->st);
	for (size_t i = 0; i < ctx->cfg->nfeeds; i++) {
		const struct ms_feed_conf *fc = &ctx->cfg->feeds[i];
		char *topics = NULL;
		size_t len = 0;

		for (size_t k = 0; k < fc->ntopics; k++) {
			size_t n = strlen(fc->topics[k]);

			topics = ms_xrealloc(topics, len + n + 2);
			if (len)
				topics[len++] = '\n';
			memcpy(topics + len, fc->topics[k], n + 1);
			len += n;
		}
		add_one(ctx, t, b, fc->url, NULL, NULL, topics,
			ctx->config_path);
		free(topics);
	}
	ms_store_read_end(t);
	status = commit(b);
	return status;
}

const struct ms_cmd cmd_feeds_entry = {
	"feeds", cmd_feeds, NEED_CONFIG | NEED_STORE,
	"add, remove, list, import and export feeds",
	"usage: mentorscout feeds add URL...\n"
	"       mentorscout feeds remove URL...\n"
	"       mentorscout feeds list [--json] [--all]\n"
	"       mentorscout feeds import FILE.opml\n"
	"       mentorscout feeds export\n"
	"\n"
	"Keep the list of feeds to crawl.  URLs may be feeds or site pages\n"
	"(the crawl finds their feeds).\n"
	"\n"
	"  add URL...     add feeds; one already listed is left as it is\n"
	"  remove URL...  take feeds off the list\n"
	"  list           the list: state, URL, title, failures and why\n"
	"    --json       as a JSON array\n"
	"    --all        with what the crawl discovered (comment feeds,\n"
	"                 pages, people's sites)\n"
	"  import FILE    add the feeds of an OPML 1.0/2.0 file (folders and\n"
	"                 categories that name a topic become its topics;\n"
	"                 duplicates are merged, bad URLs reported and "
	"skipped)\n"
	"  export         the list as OPML 2.0 on standard output\n",
};
