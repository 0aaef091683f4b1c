/*
 * rank_run.c — re-rank an existing store once, without crawling, and print
 * where the time went as one JSON line.  For the rank benchmark
 * (bench/rank_bench.sh) and for trying ranker changes on a crawled sample
 * web without serving it again.
 *
 *   rank_run --db DIR [--config FILE] [--now UNIX_TIME]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "ranker/ranker.h"
#include "store/store.h"
#include "util/err.h"

int
main(int argc, char **argv)
{
	const char *db = NULL, *conf = NULL;
	int64_t now = (int64_t)time(NULL);
	struct ms_config *cfg = NULL;
	struct ms_store *st = NULL;
	struct ms_rank_stats rs;
	struct ms_err err = { 0 };
	int status = 1;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--config"))
			conf = argv[i + 1];
		else if (!strcmp(argv[i], "--now"))
			now = strtoll(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (!db) {
		fprintf(stderr, "usage: rank_run --db DIR [--config FILE] "
			"[--now UNIX_TIME]\n");
		return 2;
	}
	if ((conf ? ms_config_load(conf, true, &cfg, &err)
		  : ms_config_defaults(&cfg, &err)) ||
	    ms_store_open(db, cfg->meta_async ? MS_STORE_METASYNC : 0, 0, &st,
			  &err) ||
	    ms_rank_run(st, cfg, now, &rs, &err)) {
		fprintf(stderr, "rank_run: %s\n", err.msg);
		goto out;
	}
	printf("{\"people\": %zu, \"topics\": %zu, \"scores\": %zu, "
	       "\"edges\": %zu, \"seconds\": %.3f, \"load_seconds\": %.3f, "
	       "\"score_seconds\": %.3f, \"write_seconds\": %.3f, "
	       "\"pagerank_iterations\": %u, \"topic_iterations\": %u}\n",
	       rs.people, rs.topics, rs.scores, rs.edges, rs.seconds,
	       rs.load_seconds, rs.score_seconds, rs.write_seconds,
	       rs.pagerank_iterations, rs.topic_iterations);
	status = 0;
out:
	if (st)
		ms_store_close(st);
	ms_config_free(cfg);
	return status;
}
