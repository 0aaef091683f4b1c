#!/bin/sh
# Crawl benchmark (crawler issue): a loopback web of 1,000 feeds (~16 KB,
# 10 items each, 100 host names) served by nginx, crawled by mentorscout
# (politeness delay 0, as the peers have none), by newsboat (-x reload)
# and fetched by curl --parallel (the fetch-only limit), in the same run.
# Prints the figures and writes bench/results/crawl.json.
set -eu
BIN=${MS_BIN:-build/mentorscout}
BUILD=${MS_BUILD:-build}
FEEDS=${FEEDS:-1000}
HOSTS=${HOSTS:-100}
PORT=${PORT:-18480}
OUT=bench/results/crawl.json

need() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "crawl_bench: needs$missing (run as root or install them)" >&2
		exit 1
	fi
	echo "crawl_bench: installing$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}
need nginx-light newsboat curl time

T=$(mktemp -d /tmp/ms-crawlbench-XXXXXX)
chmod 755 "$T"	# nginx workers run as www-data
cleanup() {
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$BUILD/bench/gen_feeds" --out "$T/web" --port "$PORT" --feeds "$FEEDS" --hosts "$HOSTS"
mkdir -p "$T/nginx/logs"
cat > "$T/nginx.conf" <<NGX
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 100000;
	types { application/rss+xml xml; text/plain txt; }
	server {
		listen 127.0.0.1:$PORT;
		server_name ~^(?<h>.+)\$;
		root $T/web/\$host;
	}
}
NGX
nginx -p "$T/nginx" -c "$T/nginx.conf"
sleep 0.5
curl -sf "http://host000.localhost:$PORT/feed-0.xml" -o /dev/null || {
	echo "crawl_bench: nginx does not answer" >&2; exit 1; }

now() { date +%s.%N; }
# max RSS in KiB of a command (GNU time), its wall seconds to $T/wall
timed() {
	s=$(now)
	/usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/cmd.out" 2>"$T/cmd.err" || {
		echo "crawl_bench: failed: $*" >&2; cat "$T/cmd.err" >&2; exit 1; }
	e=$(now)
	echo "$s $e" | awk '{printf "%.3f", $2 - $1}' > "$T/wall"
}

# mentorscout
cat > "$T/config.json" <<CFG
{"crawl": {"host_delay": 0, "allow_private": true, "jobs": 64,
           "host_budget": 100000}}
CFG
M="$BIN --config $T/config.json --db $T/db -q"
$M init >/dev/null
$M feeds import "$T/web/urls.opml" 2>/dev/null
timed $M crawl --no-rank
ms_first=$(cat "$T/wall"); ms_first_rss=$(cat "$T/rss")
timed $M crawl --no-rank
ms_again=$(cat "$T/wall"); ms_again_rss=$(cat "$T/rss")
posts=$($BIN --config "$T/config.json" --db "$T/db" stats --json | sed -n 's/.*"posts": \([0-9]*\).*/\1/p' | head -n 1)

# curl --parallel: the same URLs, fetch only
awk '{print "url = " $0 "\noutput = /dev/null"}' "$T/web/urls.txt" > "$T/curl.cfg"
timed curl -s --parallel --parallel-max 64 -K "$T/curl.cfg"
curl_s=$(cat "$T/wall")

# newsboat 2.21
mkdir -p "$T/nb"
timed env HOME="$T/nb" newsboat -u "$T/web/urls.txt" -c "$T/nb/cache.db" -C /dev/null -x reload
nb_s=$(cat "$T/wall"); nb_rss=$(cat "$T/rss")

awk -v n="$FEEDS" -v f="$ms_first" -v a="$ms_again" -v c="$curl_s" \
    -v nb="$nb_s" -v fr="$ms_first_rss" -v ar="$ms_again_rss" \
    -v nr="$nb_rss" -v posts="$posts" -v out="$OUT" 'BEGIN {
	printf "crawl bench: %d feeds on loopback nginx (%s posts stored)\n", n, posts
	printf "  mentorscout first crawl  %7.3f s  %8.0f feeds/s  peak RSS %6.1f MiB\n", f, n / f, fr / 1024
	printf "  mentorscout re-crawl 304 %7.3f s  %8.0f feeds/s  peak RSS %6.1f MiB\n", a, n / a, ar / 1024
	printf "  curl --parallel (fetch)  %7.3f s  %8.0f feeds/s\n", c, n / c
	printf "  newsboat -x reload       %7.3f s  %8.0f feeds/s  peak RSS %6.1f MiB\n", nb, n / nb, nr / 1024
	printf "  ratios: mentorscout/newsboat %.1fx, mentorscout/curl %.2f\n", nb / f, c / f
	printf "{\n  \"feeds\": %d,\n  \"posts\": %d,\n  \"first_s\": %.3f,\n  \"first_feeds_per_s\": %.1f,\n  \"first_peak_rss_kib\": %d,\n  \"recrawl_s\": %.3f,\n  \"recrawl_feeds_per_s\": %.1f,\n  \"recrawl_peak_rss_kib\": %d,\n  \"curl_parallel_s\": %.3f,\n  \"newsboat_s\": %.3f,\n  \"newsboat_peak_rss_kib\": %d,\n  \"ratio_vs_newsboat\": %.2f,\n  \"ratio_of_curl\": %.3f\n}\n", n, posts, f, n / f, fr, a, n / a, ar, c, nb, nr, nb / f, c / f > out
}'
echo "  wrote $OUT"
