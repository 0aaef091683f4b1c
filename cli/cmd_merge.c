/*
 * cmd_merge.c — `mentorscout merge SHARD_DIR... --into DIR`: the step
 * after a sharded crawl (RELIABILITY.md §6.2).  Adds every shard store's
 * records to one store, hands each shard the URLs the others filed in
 * their outboxes for it (fetched on its next crawl), and ranks the merged
 * store once.  Every step is idempotent, so a merge that died is run
 * again as it was; the crawl locks keep it off shards that are crawling.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "crawler/crawler.h"
#include "store/store.h"
#include "util/err.h"
#include "util/shard.h"
#include "util/xmalloc.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct shard_store {
	const char *dir;
	struct ms_store *st;
	int lockfd;
	struct ms_shard sh;	/* n = 0: the store is not a shard's */
	struct ms_batch *inbox;	/* what others hand to it */
	size_t received;
};

struct deliver {
	struct shard_store *v;
	size_t n, from;
	struct ms_batch *done;	/* deletions from the source's outbox */
	size_t delivered, waiting;
};

/* The store of the worker that owns virtual shard v, or NULL. */
static struct shard_store *
owner(struct shard_store *v, size_t n, unsigned vs)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].sh.n && ms_shard_owns(&v[i].sh, vs))
			return &v[i];
	return NULL;
}

static int
on_outbox(unsigned vs, const struct ms_feed_rec *r, void *ctx)
{
	struct deliver *d = ctx;
	struct shard_store *to = owner(d->v, d->n, vs);

	if (!to || to == &d->v[d->from]) {
		d->waiting++;
		return 0;
	}
	if (!to->inbox)
		to->inbox = ms_store_batch_new(to->st);
	ms_batch_add_feed(to->inbox, r);
	ms_batch_del_outbox(d->done, vs, r->url);
	to->received++;
	d->delivered++;
	return 0;
}

/*
 * Hand every outbox entry to the store owning its host: the additions are
 * committed first, the deletions after, so a merge killed in between
 * hands the same URLs again (insert-only: nothing doubles).
 */
static int
deliver(struct shard_store *v, size_t n, size_t *delivered, size_t *waiting,
	struct ms_err *err)
{
	int rc = MS_OK;

	*delivered = *waiting = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct deliver d = { v, n, i, NULL, 0, 0 };
		struct ms_rtxn *t;

		d.done = ms_store_batch_new(v[i].st);
		if (!(rc = ms_store_read_begin(v[i].st, &t, err))) {
			rc = ms_store_each_outbox(t, -1, on_outbox, &d, err);
			ms_store_read_end(t);
		}
		for (size_t j = 0; j < n && !rc; j++) {
			if (!v[j].inbox)
				continue;
			rc = ms_store_batch_commit(v[j].inbox, err);
			v[j].inbox = NULL;
		}
		if (!rc)
			rc = ms_store_batch_commit(d.done, err);
		else
			ms_store_batch_free(d.done);
		*delivered += d.delivered;
		*waiting += d.waiting;
	}
	for (size_t j = 0; j < n; j++) {
		ms_store_batch_free(v[j].inbox);
		v[j].inbox = NULL;
	}
	return rc;
}

/* The store's meta "shard" ("K/N"), if it is a shard's. */
static void
read_shard(struct shard_store *s)
{
	struct ms_rtxn *t;
	const void *p;
	size_t len;
	char text[32];

	memset(&s->sh, 0, sizeof(s->sh));
	if (ms_store_read_begin(s->st, &t, NULL))
		return;
	if (ms_store_get_meta(t, "shard", &p, &len, NULL) == MS_OK &&
	    len < sizeof(text)) {
		memcpy(text, p, len);
		text[len] = '\0';
		if (ms_shard_parse(text, "shard", &s->sh, NULL))
			memset(&s->sh, 0, sizeof(s->sh));
	}
	ms_store_read_end(t);
}

/* Virtual shards no given store owns, as "v1 v2 ..." into buf; count. */
static size_t
uncovered(struct shard_store *v, size_t n, char *buf, size_t bufsz)
{
	size_t count = 0, len = 0;
	bool any_shard = false;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		any_shard |= v[i].sh.n > 0;
	if (!any_shard)
		return 0;
	for (unsigned vs = 0; vs < MS_SHARD_VIRTUAL; vs++) {
		if (owner(v, n, vs))
			continue;
		count++;
		if (len + 4 < bufsz)
			len += (size_t)snprintf(buf + len, bufsz - len, "%s%u",
						len ? " " : "", vs);
	}
	return count;
}

static bool
same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (!realpath(a, ra) || !realpath(b, rb))
		return !strcmp(a, b);
	return !strcmp(ra, rb);
}

static int
cmd_merge(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "into", required_argument, NULL, 'i' },
		{ "no-rank", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct shard_store *v = NULL;
	struct ms_store *into = NULL;
	struct ms_merge_stats ms = { 0 };
	struct ms_store_stats ss;
	struct timespec t0, t1;
	struct ms_crawl_rec cr = { 0 };
	struct ms_batch *b;
	struct ms_err err = { 0 };
	const char *into_flag = NULL;
	char *into_dir = NULL, summary[512], missing[300];
	size_t n, delivered = 0, waiting = 0, nmissing;
	int c, no_rank = 0, status = EXIT_OK, lockfd = -1, rc;
	time_t started = time(NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			into_flag = optarg;
			break;
		case 'n':
			no_rank = 1;
			break;
		default:
			return ms_cli_usage("merge", "merge: unknown option "
					    "'%s'", argv[optind - 1]);
		}
	}
	n = (size_t)(argc - optind);
	if (!n)
		return ms_cli_usage("merge", "merge: which shard stores? "
				    "(merge SHARD_DIR... --into DIR)");
	into_dir = ms_store_default_dir(into_flag ? into_flag : ctx->db_flag);
	if (!into_dir)
		return ms_cli_error("cannot find the store: set HOME, "
				    "XDG_DATA_HOME, --db or --into");
	for (size_t i = 0; i < n; i++) {
		if (same_dir(argv[optind + i], into_dir)) {
			status = ms_cli_usage("merge", "merge: '%s' is both a "
					      "shard and the store merged "
					      "into", into_dir);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (same_dir(argv[optind + i], argv[optind + j])) {
				status = ms_cli_usage("merge", "merge: shard "
						      "store '%s' given twice",
						      argv[optind + i]);
				goto out;
			}
	}
	if (ctx->parse_only)
		goto out;

	/* Open (and lock) everything before writing anything. */
	v = ms_xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i].lockfd = -1;
	for (size_t i = 0; i < n; i++) {
		v[i].dir = argv[optind + i];
		rc = ms_store_open(v[i].dir, 0, 0, &v[i].st, &err);
		if (rc == MS_ENOTFOUND) {
			status = ms_cli_error("no shard store in '%s'",
					      v[i].dir);
			goto out;
		}
		if (rc) {
			status = ms_cli_error("%s", err.msg);
			goto out;
		}
		if (ms_crawl_lock(v[i].dir, &v[i].lockfd, &err)) {
			status = ms_cli_error("shard store '%s': %s", v[i].dir,
					      err.msg);
			goto out;
		}
		read_shard(&v[i]);
	}
	if ((rc = ms_store_open(into_dir, MS_STORE_CREATE, 0, &into, &err))) {
		status = ms_cli_error("%s", err.msg);
		goto out;
	}
	if (ms_crawl_lock(into_dir, &lockfd, &err)) {
		status = ms_cli_error("store '%s': %s", into_dir, err.msg);
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		if ((rc = ms_store_merge(into, v[i].st, &ms, &err))) {
			status = ms_cli_error("merge failed: %s", err.msg);
			goto out;
		}
	}
	if ((rc = deliver(v, n, &delivered, &waiting, &err))) {
		status = ms_cli_error("handing on the outboxes failed: %s",
				      err.msg);
		goto out;
	}
	nmissing = uncovered(v, n, missing, sizeof(missing));
	if ((rc = ms_store_stats(into, &ss, &err))) {
		status = ms_cli_error("%s", err.msg);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(summary, sizeof(summary),
		 "merge of %zu stores in %.1f s: %zu records read; the merged "
		 "store holds %zu feeds, %zu posts, %zu comments, %zu people; "
		 "%zu URLs handed on to their shards, %zu waiting%s%s", n,
		 (double)(t1.tv_sec - t0.tv_sec) +
			 (t1.tv_nsec - t0.tv_nsec) / 1e9,
		 ms.feeds + ms.posts + ms.comments + ms.people + ms.hosts,
		 ss.feeds, ss.posts, ss.comments, ss.people, delivered,
		 waiting, nmissing ? "; no store for virtual shards " : "",
		 nmissing ? missing : "");
	cr.started = (int64_t)started;
	cr.finished = (int64_t)time(NULL);
	cr.summary = summary;
	b = ms_store_batch_new(into);
	ms_batch_put_crawl(b, &cr);
	if ((rc = ms_store_batch_commit(b, &err))) {
		status = ms_cli_error("%s", err.msg);
		goto out;
	}
	if (nmissing)
		fprintf(stderr, "mentorscout: merge: the stores given cover "
			"%zu of %d virtual shards; missing: %s\n",
			MS_SHARD_VIRTUAL - nmissing, MS_SHARD_VIRTUAL,
			missing);
	if (ctx->verbose >= 0)
		printf("%s\n", summary);
	if (!no_rank)
		status = ms_cli_rank(ctx, into);
out:
	for (size_t i = 0; v && i < n; i++) {
		if (v[i].st)
			ms_store_close(v[i].st);
		if (v[i].lockfd >= 0)
			close(v[i].lockfd);
	}
	free(v);
	if (into)
		ms_store_close(into);
	if (lockfd >= 0)
		close(lockfd);
	free(into_dir);
	return status;
}

const struct ms_cmd cmd_merge_entry = {
	"merge", cmd_merge, NEED_CONFIG,
	"combine shard stores into one and rank it",
	"usage: mentorscout merge SHARD_DIR... [--into DIR] [--no-rank]\n"
	"\n"
	"After a sharded crawl ('crawl --shard K/N', one store per shard):\n"
	"add the records of every shard store to the store DIR (created if\n"
	"needed; default: the store in force, --db), hand each shard the\n"
	"URLs the other shards found on its hosts (its next crawl fetches\n"
	"them), and rank DIR once, so 'discover' and 'report --db DIR' see\n"
	"the whole crawl.  People and links are joined across shards.\n"
	"\n"
	"  --into DIR     the store to merge into (not one of the shards)\n"
	"  --no-rank      do not rank after merging\n"
	"\n"
	"Run it when every shard has finished: it takes each shard's crawl\n"
	"lock and fails naming a shard that is still crawling.  Running it\n"
	"again is harmless (nothing is counted twice).  A warning names the\n"
	"virtual shards no given store covers.  Exit status 0 on success, 1\n"
	"when a store cannot be read or written, 2 on a usage error.\n",
};
