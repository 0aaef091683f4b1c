/*
 * genweb — write the sample web (a deterministic small blogosphere) to a
 * directory, for `make demo`, end-to-end tests and benchmarks.  The work
 * is done by tests/server/genweb.c; this is its command line.
 *
 *   genweb --out DIR [--blogs N] [--seed S] [--port P] [--hosts H]
 *          [--domain D] [--now YYYY-MM-DDTHH:MM:SSZ] [--subscribed K]
 *
 * URLs in the documents name --port (default 8080): serve the directory on
 * that port (bench/serveweb DIR --port P).  Prints one summary line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/server/genweb.h"
#include "util/err.h"

static const char usage[] =
    "usage: genweb --out DIR [--blogs N] [--seed S] [--port P] "
    "[--hosts H]\n"
    "              [--domain D] [--now YYYY-MM-DDTHH:MM:SSZ] "
    "[--subscribed K]\n";

static int
number(const char *opt, const char *s, unsigned long long max,
       unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *out > max) {
		fprintf(stderr,
			"genweb: %s '%s': expected a number up to "
			"%llu\n%s",
			opt, s, max, usage);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"out", required_argument, NULL, 'o'},
	    {"blogs", required_argument, NULL, 'b'},
	    {"seed", required_argument, NULL, 's'},
	    {"port", required_argument, NULL, 'p'},
	    {"hosts", required_argument, NULL, 'H'},
	    {"domain", required_argument, NULL, 'd'},
	    {"now", required_argument, NULL, 'n'},
	    {"subscribed", required_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct ms_genweb_opts o = {0};
	struct ms_genweb_stats st;
	struct ms_err err = {0};
	struct timespec t0, t1;
	unsigned long long v;
	int c, rc;

	o.seed = 1;
	while ((c = getopt_long(argc, argv, "o:b:s:p:H:d:n:k:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case 'b':
			if (number("--blogs", optarg, MS_GENWEB_MAX_BLOGS, &v))
				return 2;
			o.blogs = (unsigned)v;
			break;
		case 's':
			if (number("--seed", optarg, UINT64_MAX, &v))
				return 2;
			o.seed = v;
			break;
		case 'p':
			if (number("--port", optarg, 65535, &v) || v == 0) {
				if (v == 0)
					fprintf(stderr, "genweb: --port 0: "
							"URLs need a real port"
							"\n");
				return 2;
			}
			o.port = (unsigned)v;
			break;
		case 'H':
			if (number("--hosts", optarg, MS_GENWEB_MAX_BLOGS, &v))
				return 2;
			o.hosts = (unsigned)v;
			break;
		case 'd':
			o.domain = optarg;
			break;
		case 'n':
			if (ms_genweb_parse_time(optarg, &o.now) != 0) {
				fprintf(stderr,
					"genweb: --now '%s': expected "
					"YYYY-MM-DDTHH:MM:SSZ\n%s",
					optarg, usage);
				return 2;
			}
			break;
		case 'k':
			if (number("--subscribed", optarg, MS_GENWEB_MAX_BLOGS,
				   &v))
				return 2;
			o.subscribed = (unsigned)v;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc || !o.out) {
		fprintf(stderr, "genweb: %s\n%s",
			optind != argc ? "unexpected argument"
				       : "--out is "
					 "required",
			usage);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ms_genweb_run(&o, &st, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc != MS_OK) {
		fprintf(stderr, "genweb: %s\n", err.msg);
		return rc == MS_EUSAGE ? 2 : 1;
	}
	printf("genweb: %zu blogs on %zu hosts, %zu posts, %zu comments, "
	       "%zu subscribed; %zu files, %.1f MB in %.2f s -> %s\n",
	       st.blogs, st.hosts, st.posts, st.comments, st.subscribed,
	       st.files, (double)st.bytes / 1e6,
	       (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       o.out);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "genweb: cannot write to stdout\n");
		return 1;
	}
	return 0;
}
