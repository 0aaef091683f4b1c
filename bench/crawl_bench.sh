#!/bin/sh
# Crawl benchmark (crawler issue): a loopback web of 1,000 feeds (~16 KB,
# 10 items each, 100 host names) served by nginx, crawled by mentorscout
# (politeness delay 0, as the peers have none), by newsboat (-x reload)
# and fetched by curl --parallel (the fetch-only limit), in the same run.
# RUNS rounds (default 5): the medians and the range are reported.
# Prints the figures and writes bench/results/crawl.json.
set -eu
BIN=${MS_BIN:-build/mentorscout}
BUILD=${MS_BUILD:-build}
FEEDS=${FEEDS:-1000}
HOSTS=${HOSTS:-100}
RUNS=${RUNS:-5}
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
awk '{print "url = " $0 "\noutput = /dev/null"}' "$T/web/urls.txt" > "$T/curl.cfg"
mkdir -p "$T/nb"

# RUNS rounds, each with a fresh store and a fresh newsboat cache, the
# tools in turn, so a busy moment of the machine hits all of them; the
# figures are the medians (and the range) over the rounds.
: > "$T/rows"
i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	M="$BIN --config $T/config.json --db $T/db$i -q"
	$M init >/dev/null
	$M feeds import "$T/web/urls.opml" 2>/dev/null
	timed $M crawl --no-rank
	first=$(cat "$T/wall"); first_rss=$(cat "$T/rss")
	timed $M crawl --no-rank
	again=$(cat "$T/wall"); again_rss=$(cat "$T/rss")
	timed curl -s --parallel --parallel-max 64 -K "$T/curl.cfg"
	curl_s=$(cat "$T/wall")
	rm -f "$T/nb/cache.db"
	timed env HOME="$T/nb" newsboat -u "$T/web/urls.txt" -c "$T/nb/cache.db" -C /dev/null -x reload
	nb_s=$(cat "$T/wall"); nb_rss=$(cat "$T/rss")
	echo "$first $first_rss $again $again_rss $curl_s $nb_s $nb_rss" >> "$T/rows"
done
posts=$($BIN --config "$T/config.json" --db "$T/db1" stats --json | sed -n 's/.*"posts": \([0-9]*\).*/\1/p' | head -n 1)

awk -v n="$FEEDS" -v posts="$posts" -v out="$OUT" -v runs="$RUNS" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
function sort(a, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
}
function med(a, k) {
	sort(a, k)
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function max(a, k,   i, m) {
	m = a[1]
	for (i = 2; i <= k; i++) if (a[i] > m) m = a[i]
	return m
}
{ k++; f[k] = $1; fr[k] = $2; a[k] = $3; ar[k] = $4; c[k] = $5; nb[k] = $6; nr[k] = $7 }
END {
	F = med(f, k); A = med(a, k); C = med(c, k); NB = med(nb, k)
	FR = max(fr, k); AR = max(ar, k); NR = max(nr, k)
	printf "crawl bench: %d feeds on loopback nginx (%s posts stored), median of %d rounds (load %s)\n", n, posts, k, load
	printf "  mentorscout first crawl  %7.3f s  %8.0f feeds/s (%.0f-%.0f)  peak RSS %6.1f MiB\n", F, n / F, n / f[k], n / f[1], FR / 1024
	printf "  mentorscout re-crawl 304 %7.3f s  %8.0f feeds/s (%.0f-%.0f)  peak RSS %6.1f MiB\n", A, n / A, n / a[k], n / a[1], AR / 1024
	printf "  curl --parallel (fetch)  %7.3f s  %8.0f feeds/s\n", C, n / C
	printf "  newsboat -x reload       %7.3f s  %8.0f feeds/s  peak RSS %6.1f MiB\n", NB, n / NB, NR / 1024
	printf "  ratios: mentorscout/newsboat %.1fx, mentorscout/curl %.2f\n", NB / F, C / F
	printf "{\n  \"feeds\": %d,\n  \"posts\": %d,\n  \"rounds\": %d,\n  \"load_average\": \"%s\",\n  \"first_s\": %.3f,\n  \"first_s_min\": %.3f,\n  \"first_s_max\": %.3f,\n  \"first_feeds_per_s\": %.1f,\n  \"first_peak_rss_kib\": %d,\n  \"recrawl_s\": %.3f,\n  \"recrawl_s_min\": %.3f,\n  \"recrawl_s_max\": %.3f,\n  \"recrawl_feeds_per_s\": %.1f,\n  \"recrawl_peak_rss_kib\": %d,\n  \"curl_parallel_s\": %.3f,\n  \"newsboat_s\": %.3f,\n  \"newsboat_peak_rss_kib\": %d,\n  \"ratio_vs_newsboat\": %.2f,\n  \"ratio_of_curl\": %.3f\n}\n", n, posts, k, load, F, f[1], f[k], n / F, FR, A, a[1], a[k], n / A, AR, C, NB, NR, NB / F, C / F > out
}' "$T/rows"
echo "  wrote $OUT"
