/*
 * gen_feeds.c — a deterministic web of plain RSS 2.0 feeds for the crawl
 * benchmark: N feeds of ~16 KB with 10 items each, spread over H host
 * names under .localhost (which libcurl resolves to loopback), laid out
 * as DIR/<host>/feed-K.xml for a web server whose root is DIR/$host.
 * Writes DIR/urls.txt (one URL per line) and DIR/urls.opml.
 *
 *   gen_feeds --out DIR --port P [--feeds 1000] [--hosts 100] [--items 10]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)	/* splitmix64 */
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *const words[] = {
	"people", "team", "hiring", "culture", "feedback", "leadership",
	"growth", "learning", "onboarding", "talent", "career", "mentor",
	"coaching", "remote", "strategy", "engagement", "review", "process",
	"manager", "interview", "skills", "network", "trust", "goals",
};
#define NWORDS (sizeof(words) / sizeof(*words))

static void
sentence(FILE *f, int n)
{
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", words[next() % NWORDS]);
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	int port = 0, feeds = 1000, hosts = 100, items = 10;
	char path[4096];
	FILE *urls, *opml;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--feeds"))
			feeds = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--hosts"))
			hosts = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--items"))
			items = atoi(argv[i + 1]);
	}
	if (!out || port <= 0 || feeds <= 0 || hosts <= 0) {
		fprintf(stderr, "usage: gen_feeds --out DIR --port P "
			"[--feeds N] [--hosts H] [--items I]\n");
		return 2;
	}
	mkdir(out, 0755);
	snprintf(path, sizeof(path), "%s/urls.txt", out);
	urls = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/urls.opml", out);
	opml = fopen(path, "w");
	if (!urls || !opml) {
		perror(path);
		return 1;
	}
	fprintf(opml, "<?xml version=\"1.0\"?>\n<opml version=\"2.0\">"
		"<head><title>bench</title></head><body>\n");
	for (int k = 0; k < feeds; k++) {
		int h = k % hosts;
		char host[64], url[256];
		FILE *f;

		snprintf(host, sizeof(host), "host%03d.localhost", h);
		snprintf(path, sizeof(path), "%s/%s", out, host);
		if (mkdir(path, 0755) && errno != EEXIST) {
			perror(path);
			return 1;
		}
		snprintf(url, sizeof(url), "http://%s:%d/feed-%d.xml", host,
			 port, k);
		fprintf(urls, "%s\n", url);
		fprintf(opml, "<outline type=\"rss\" text=\"feed %d\" "
			"xmlUrl=\"%s\"/>\n", k, url);
		snprintf(path, sizeof(path), "%s/%s/feed-%d.xml", out, host,
			 k);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return 1;
		}
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/"
			"elements/1.1/\">\n<channel><title>Feed %d</title>"
			"<link>http://%s:%d/</link><description>bench feed"
			"</description>\n", k, host, port);
		for (int i = 0; i < items; i++) {
			fprintf(f, "<item><title>");
			sentence(f, 6);
			fprintf(f, "</title><link>http://%s:%d/%d/post-%d/"
				"</link><guid>http://%s:%d/%d/post-%d/</guid>"
				"<dc:creator>Author %d</dc:creator><pubDate>"
				"Mon, %02d Nov 2026 10:%02d:00 GMT</pubDate>"
				"<category>HR</category><description>"
				"<![CDATA[<p>", host, port, k, i, host, port,
				k, i, k, i + 1, i);
			for (int p = 0; p < 3; p++) {
				sentence(f, 40);
				fprintf(f, " <a href=\"http://host%03d."
					"localhost:%d/%d/post-%d/\">link</a> ",
					(int)(next() % (uint64_t)hosts), port,
					(int)(next() % (uint64_t)feeds),
					(int)(next() % (uint64_t)items));
			}
			fprintf(f, "</p>]]></description></item>\n");
		}
		fprintf(f, "</channel></rss>\n");
		if (fclose(f)) {
			perror(path);
			return 1;
		}
	}
	fprintf(opml, "</body></opml>\n");
	if (fclose(urls) || fclose(opml)) {
		perror(out);
		return 1;
	}
	return 0;
}
