/*
 * serveweb — serve a generated web directory (bench/genweb) on loopback
 * with the fixture server, for `make demo` and benchmarks, until SIGTERM
 * or SIGINT.
 *
 *   serveweb DIR [--port P] [--pidfile F] [--latency MS] [--no-gzip]
 *                [--access-log F]
 *
 * DIR/HOST/PATH is served for http://HOST:P/PATH (Host header); names under
 * .localhost reach 127.0.0.1 without any resolver set-up.  When it is
 * listening it prints one line, "http://127.0.0.1:PORT/", and flushes, so
 * a script can read the port (with --port 0, the default, it is
 * ephemeral).  --latency adds a delay before every answer.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/server/fixture.h"
#include "util/err.h"

static const char usage[] =
    "usage: serveweb DIR [--port P] [--pidfile F] [--latency MS] "
    "[--no-gzip]\n"
    "                    [--access-log F]\n";

static int
number(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *out > max) {
		fprintf(stderr,
			"serveweb: %s '%s': expected a number up to "
			"%lu\n%s",
			opt, s, max, usage);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"port", required_argument, NULL, 'p'},
	    {"pidfile", required_argument, NULL, 'P'},
	    {"latency", required_argument, NULL, 'l'},
	    {"no-gzip", no_argument, NULL, 'z'},
	    {"access-log", required_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct ms_fixture_opts fo = {.no_log = true};
	const char *pidfile = NULL, *logpath = NULL;
	struct ms_fixture *fx = NULL;
	struct ms_err err = {0};
	unsigned long v, latency = 0;
	unsigned flags = MS_FIXTURE_GZIP;
	FILE *logf = NULL;
	sigset_t set;
	int c, sig, rc = 1;

	while ((c = getopt_long(argc, argv, "p:P:l:za:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'p':
			if (number("--port", optarg, 65535, &v))
				return 2;
			fo.port = (unsigned short)v;
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'l':
			if (number("--latency", optarg, 600000, &latency))
				return 2;
			break;
		case 'z':
			flags &= ~MS_FIXTURE_GZIP;
			break;
		case 'a':
			logpath = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "serveweb: %s\n%s",
			optind == argc ? "missing the directory to serve"
				       : "more than one directory",
			usage);
		return 2;
	}
	/* Block the stop signals before any thread starts, so every server
	 * thread inherits the mask and sigwait() below receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (logpath) {
		logf = fopen(logpath, "a");
		if (!logf) {
			fprintf(stderr,
				"serveweb: cannot open access log "
				"'%s': %s\n",
				logpath, strerror(errno));
			return 1;
		}
		fo.access_log = logf;
	}
	if (ms_fixture_start(&fo, &fx, &err) != MS_OK ||
	    ms_fixture_serve_dir(fx, argv[optind], flags, &err) != MS_OK) {
		fprintf(stderr, "serveweb: %s\n", err.msg);
		goto out;
	}
	ms_fixture_set_latency(fx, (unsigned)latency);
	if (pidfile) {
		FILE *pf = fopen(pidfile, "w");

		if (!pf || fprintf(pf, "%ld\n", (long)getpid()) < 0 ||
		    fclose(pf) != 0) {
			fprintf(stderr,
				"serveweb: cannot write pid file "
				"'%s': %s\n",
				pidfile, strerror(errno));
			goto out;
		}
	}
	printf("http://127.0.0.1:%u/\n", (unsigned)ms_fixture_port(fx));
	if (fflush(stdout) != 0) {
		fprintf(stderr, "serveweb: cannot write to stdout\n");
		goto out;
	}
	if (sigwait(&set, &sig) != 0)
		goto out;
	rc = 0;
out:
	ms_fixture_stop(fx);
	if (pidfile && rc == 0)
		unlink(pidfile);
	if (logf && fclose(logf) != 0)
		rc = 1;
	return rc;
}
