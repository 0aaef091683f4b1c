/*
 * cmd_stats.c — `mentorscout stats`: record counts, store size, and the
 * last crawl's summary from the crawl log; with --verify, the store's
 * integrity check (ms_store_verify) instead, exit 1 when it finds a
 * problem.
 */
#include "cli/cli.h"
#include "store/store.h"
#include "util/err.h"
#include "util/hash.h"

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int
last_crawl(const struct ms_crawl_rec *r, void *vctx)
{
	struct ms_crawl_rec *out = vctx;

	*out = *r;
	return 1;	/* newest first: the first one is all we want */
}

static void
fmt_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == MS_TIME_NONE || !gmtime_r(&tt, &tm))
		snprintf(buf, n, "-");
	else
		strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* `stats --verify`: the report, as text or JSON; exit 1 on a problem. */
static int
verify(struct ms_ctx *ctx, int json)
{
	struct ms_verify_report r;
	struct ms_err err = { 0 };
	static const struct {
		const char *name;
		size_t off;
	} counts[] = {
#define C(f) { #f, offsetof(struct ms_verify_report, f) }
		C(meta), C(feeds), C(posts), C(comments), C(people), C(links),
		C(hosts), C(scores), C(pscores), C(crawls), C(outbox),
	}, problems[] = {
		C(undecodable), C(bad_keys), C(duplicates),
		C(score_mismatches), C(old_generations),
		C(orphan_validators),
	}, notes[] = {
		C(pending_scores), C(empty_feeds),
#undef C
	};
	const char *base;
	char fp[33];

	if (ms_store_verify(ctx->st, &r, &err))
		return ms_cli_error("cannot verify: %s", err.msg);
	ms_hash_hex(&r.fingerprint, fp);
	base = (const char *)&r;
#define N(tab, i) (*(const size_t *)(base + tab[i].off))
#define LEN(tab) (sizeof(tab) / sizeof(tab[0]))
	if (json) {
		json_t *o = json_object(), *c = json_object(),
		       *p = json_object(), *m = json_array();

		for (size_t i = 0; i < LEN(counts); i++)
			json_object_set_new(c, counts[i].name,
					    json_integer((json_int_t)
							 N(counts, i)));
		for (size_t i = 0; i < LEN(problems); i++)
			json_object_set_new(p, problems[i].name,
					    json_integer((json_int_t)
							 N(problems, i)));
		for (size_t i = 0; i < LEN(notes); i++)
			json_object_set_new(p, notes[i].name,
					    json_integer((json_int_t)
							 N(notes, i)));
		for (size_t i = 0; i < r.nmsgs; i++)
			json_array_append_new(m, json_string(r.msgs[i]));
		json_object_set_new(o, "store",
				    json_string(ms_store_dir(ctx->st)));
		json_object_set_new(o, "ok", json_boolean(r.problems == 0));
		json_object_set_new(o, "rank_gen", json_integer(r.rank_gen));
		json_object_set_new(o, "fingerprint", json_string(fp));
		json_object_set_new(o, "counts", c);
		json_object_set_new(o, "checks", p);
		json_object_set_new(o, "problems", json_integer(
					(json_int_t)r.problems));
		json_object_set_new(o, "first_problems", m);
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("store     %s\n", ms_store_dir(ctx->st));
		for (size_t i = 0; i < LEN(counts); i++)
			printf("%-9s %zu\n", counts[i].name, N(counts, i));
		printf("rank_gen  %u\n", r.rank_gen);
		printf("fingerprint %s\n", fp);
		for (size_t i = 0; i < LEN(problems); i++)
			printf("check %-18s %zu\n", problems[i].name,
			       N(problems, i));
		for (size_t i = 0; i < LEN(notes); i++)
			printf("note  %-18s %zu\n", notes[i].name,
			       N(notes, i));
		for (size_t i = 0; i < r.nmsgs; i++)
			printf("problem: %s\n", r.msgs[i]);
		if (r.problems > r.nmsgs)
			printf("problem: ... and %zu more\n",
			       r.problems - r.nmsgs);
		printf("verify    %s\n", r.problems ? "FAILED" : "ok");
	}
#undef N
#undef LEN
	if (ms_cli_finish_stdout())
		return EXIT_FAIL;
	if (r.problems)
		return ms_cli_error("store '%s' failed verification: %zu "
				    "problem%s", ms_store_dir(ctx->st),
				    r.problems, r.problems == 1 ? "" : "s");
	return EXIT_OK;
}

static int
cmd_stats(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verify", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_store_stats s;
	struct ms_crawl_rec cr = { 0 };
	struct ms_err err = { 0 };
	struct ms_rtxn *t;
	char started[32], finished[32], shard[32] = "";
	const void *p;
	size_t len;
	int c, json = 0, check = 0, have_crawl, rc;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'V')
			check = 1;
		else
			return ms_cli_usage("stats", "stats: unknown option "
					    "'%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return ms_cli_usage("stats", "stats: unexpected argument "
				    "'%s'", argv[optind]);
	if (ctx->parse_only)
		return EXIT_OK;
	if (check)
		return verify(ctx, json);
	if (ms_store_stats(ctx->st, &s, &err))
		return ms_cli_error("%s", err.msg);
	if (ms_store_read_begin(ctx->st, &t, &err))
		return ms_cli_error("%s", err.msg);
	rc = ms_store_each_crawl(t, last_crawl, &cr, &err);
	have_crawl = rc == 1;
	if (rc != 0 && rc != 1) {
		ms_store_read_end(t);
		return ms_cli_error("%s", err.msg);
	}
	/* The people graph is derived at each rank, not kept in the links
	 * table: show the size of the one the ranking was computed on. */
	if (ms_store_get_meta(t, "rank_edges", &p, &len, NULL) == MS_OK &&
	    len == 8 && !s.links) {
		for (size_t i = 0; i < 8; i++)
			s.links = (s.links << 8) |
				  ((const unsigned char *)p)[i];
	}
	if (ms_store_get_meta(t, "shard", &p, &len, NULL) == MS_OK &&
	    len < sizeof(shard)) {
		memcpy(shard, p, len);
		shard[len] = '\0';
	}
	fmt_time(have_crawl ? cr.started : MS_TIME_NONE, started,
		 sizeof(started));
	fmt_time(have_crawl ? cr.finished : MS_TIME_NONE, finished,
		 sizeof(finished));
	if (json) {
		json_t *o = json_pack(
			"{s:s, s:s?, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			"s:I, s:I}, s:I, s:I}",
			"store", ms_store_dir(ctx->st),
			"shard", *shard ? shard : NULL, "counts",
			"feeds", (json_int_t)s.feeds,
			"posts", (json_int_t)s.posts,
			"comments", (json_int_t)s.comments,
			"people", (json_int_t)s.people,
			"links", (json_int_t)s.links,
			"hosts", (json_int_t)s.hosts,
			"scores", (json_int_t)s.scores,
			"crawls", (json_int_t)s.crawls,
			"outbox", (json_int_t)s.outbox,
			"map_size", (json_int_t)s.map_size,
			"used_bytes", (json_int_t)s.used_bytes);

		if (have_crawl)
			json_object_set_new(o, "last_crawl", json_pack(
				"{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
				"s:I, s:s?}",
				"started", started, "finished", finished,
				"fetched", (json_int_t)cr.fetched,
				"not_modified", (json_int_t)cr.not_modified,
				"unchanged", (json_int_t)cr.unchanged,
				"errors", (json_int_t)cr.errors,
				"new_posts", (json_int_t)cr.new_posts,
				"new_comments", (json_int_t)cr.new_comments,
				"bytes", (json_int_t)cr.bytes,
				"summary", cr.summary));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("store     %s\n", ms_store_dir(ctx->st));
		printf("feeds     %zu\nposts     %zu\ncomments  %zu\n"
		       "people    %zu\nlinks     %zu\nhosts     %zu\n"
		       "scores    %zu\ncrawls    %zu\n",
		       s.feeds, s.posts, s.comments, s.people, s.links,
		       s.hosts, s.scores, s.crawls);
		if (*shard || s.outbox)
			printf("shard     %s\noutbox    %zu\n",
			       *shard ? shard : "-", s.outbox);
		printf("size      %.1f MiB used of a %.1f GiB map\n",
		       s.used_bytes / 1048576.0,
		       s.map_size / 1073741824.0);
		if (have_crawl)
			printf("last crawl %s .. %s: %s\n", started, finished,
			       cr.summary ? cr.summary : "");
		else
			printf("last crawl none yet\n");
	}
	ms_store_read_end(t);
	return EXIT_OK;
}

const struct ms_cmd cmd_stats_entry = {
	"stats", cmd_stats, NEED_CONFIG | STORE_RDONLY,
	"store counts and last crawl summary",
	"usage: mentorscout stats [--json] [--verify]\n"
	"\n"
	"Print the store's record counts, its size and the last crawl's\n"
	"one-line summary; with --json as one JSON object.  'links' is the\n"
	"size of the people graph the current ranking was computed on.  A\n"
	"shard's store (crawl --shard) also shows its shard K/N and its\n"
	"outbox: the URLs found on other shards' hosts that 'merge' has not\n"
	"handed on yet.\n"
	"\n"
	"  --verify  check the store's integrity instead: every record\n"
	"            decodes, keys match their records, no post is stored\n"
	"            twice, the ranking's two indexes agree and hold only\n"
	"            the current generation, and no posts feed keeps\n"
	"            validators without the posts of its body.  Prints\n"
	"            the counts and the problems found; exit status 1 when\n"
	"            there is any.  Works while a crawl runs (it reads one\n"
	"            snapshot).\n",
};
