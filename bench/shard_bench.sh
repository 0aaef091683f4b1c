#!/bin/sh
# Shard benchmark (issue 8): a loopback web of 10,000 feeds (~16 KB, 10
# items each; bench/gen_feeds) on 5,000 host names under .localhost
# (libcurl resolves them to 127.0.0.1), served by nginx, crawled by N = 1,
# 2 and 4 shard processes at once ('crawl --shard K/N --no-rank', each into
# its own store, politeness delay 0 as there is one server), then the N
# stores merged (--no-rank, and with the rank).  Per N: wall time of the
# slowest shard, feeds/s and requests/s (nginx's access log counts every
# request, robots.txt included), bytes sent per feed, CPU and peak RSS per
# process, store size per shard, merge times and merged records/s.
# Each N runs RUNS times (default 2) on fresh stores; the figures are
# means with the range.  The machine's cores and load average are printed
# and stored: with 2 cores, 4 processes share them.  Writes
# bench/results/shard.json.
set -eu
BIN=${MS_BIN:-build/mentorscout}
BUILD=${MS_BUILD:-build}
FEEDS=${FEEDS:-10000}
HOSTS=${HOSTS:-5000}
SHARDS=${SHARDS:-1 2 4}
RUNS=${RUNS:-2}
PORT=${PORT:-61490}
OUT=bench/results/shard.json

need() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "shard_bench: needs$missing (run as root or install them)" >&2
		exit 1
	fi
	echo "shard_bench: installing$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}
need nginx-light curl time

T=$(mktemp -d /tmp/ms-shardbench-XXXXXX)
chmod 755 "$T"	# nginx workers run as www-data
cleanup() {
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$BUILD/bench/gen_feeds" --out "$T/web" --port "$PORT" --feeds "$FEEDS" --hosts "$HOSTS"
mkdir -p "$T/nginx/logs"
# One access-log line per request: the bytes sent, for requests/s and
# bytes per feed.  worker_connections: 4 shards x 32 transfers.
cat > "$T/nginx.conf" <<NGX
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 4096; }
http {
	log_format bytes '\$bytes_sent';
	access_log $T/access.log bytes;
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
	echo "shard_bench: nginx does not answer" >&2; exit 1; }

cat > "$T/config.json" <<CFG
{"crawl": {"host_delay": 0, "allow_private": true, "jobs": 32,
           "user_agent": "mentorscout-bench (+mailto:bench@example.org)"}}
CFG
M="$BIN --config $T/config.json"
now() { date +%s.%N; }
cores=$(nproc)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "shard bench: $FEEDS feeds on $HOSTS hosts, loopback nginx;" \
     "$cores cores (N processes share them), load average $load0"

# The template store: init and the feed list, copied for every run so
# that each run starts from the same fresh store.
$M --db "$T/template" -q init
$M --db "$T/template" -q feeds import "$T/web/urls.opml"

# crawl_shards DIR N TAG: the N shard crawls at once, each store DIR/sK;
# sets s, e (start, end), reqs and bytes (from nginx's log); DIR/TAG.K
# gets each process's GNU time line (max RSS KiB, user s, sys s, wall s).
crawl_shards() {
	: > "$T/access.log"	# nginx appends: counts start at 0
	s=$(now)
	k=0
	pids=""
	while [ $k -lt "$2" ]; do
		/usr/bin/time -f '%M %U %S %e' -o "$1/$3.$k" \
			$M --db "$1/s$k" -q crawl --shard "$k/$2" --no-rank \
			>"$1/out$k" 2>"$1/err$k" &
		pids="$pids $!"
		k=$((k + 1))
	done
	# Peak RSS counts the pages of the LMDB map the process touched
	# (file-backed, reclaimable); sample the anonymous part (heap,
	# stacks) every 0.2 s: the memory a process really needs.
	anon=0
	while :; do
		alive=0
		for p in $pids; do
			kill -0 "$p" 2>/dev/null || continue
			alive=1
			for c in $(pgrep -P "$p"); do
				a=$(awk '/^RssAnon:/ { print $2 }' "/proc/$c/status" 2>/dev/null || true)
				[ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
			done
		done
		[ $alive -eq 1 ] || break
		sleep 0.2
	done
	wait
	e=$(now)
	k=0
	while [ $k -lt "$2" ]; do
		if grep -v '^mentorscout: crawling shard' "$1/err$k" | grep -q .; then
			echo "shard_bench: shard $k/$2:" >&2; cat "$1/err$k" >&2; exit 1
		fi
		k=$((k + 1))
	done
	sleep 0.2
	reqs=$(wc -l < "$T/access.log")
	bytes=$(awk '{ b += $1 } END { printf "%d", b }' "$T/access.log")
}

: > "$T/rows"
for run in $(seq 1 "$RUNS"); do
	for n in $SHARDS; do
		R=$T/run-$run-$n
		mkdir -p "$R"
		k=0
		while [ $k -lt "$n" ]; do
			cp -R "$T/template" "$R/s$k"
			k=$((k + 1))
		done
		crawl_shards "$R" "$n" first
		first_s=$s first_e=$e first_reqs=$reqs first_bytes=$bytes
		first_anon=$anon
		# per process: max RSS (KiB), CPU s; store size (KiB on disk)
		rss=$(cat "$R"/first.* | awk '{ if ($1 > m) m = $1 } END { print m }')
		cpu=$(cat "$R"/first.* | awk '{ c += $2 + $3 } END { printf "%.2f", c }')
		size=$(for d in "$R"/s*; do du -sk "$d" | cut -f1; done |
			awk '{ s += $1; if ($1 > m) m = $1 } END { printf "%d %d", s / NR, m }')
		posts=0
		for d in "$R"/s*; do
			p=$($M --db "$d" stats --json | sed -n 's/.*"posts": \([0-9]*\).*/\1/p' | head -n 1)
			posts=$((posts + p))
		done
		# the same again: every feed answers 304 Not Modified
		crawl_shards "$R" "$n" again
		again_wall=$(echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }')
		again_reqs=$reqs again_bytes=$bytes
		# merge without and with rank, each into a fresh store from the
		# same shard stores (copies: a merge hands outbox URLs on)
		shards=""
		k=0
		while [ $k -lt "$n" ]; do
			cp -R "$R/s$k" "$R/c$k"
			shards="$shards $R/s$k"
			k=$((k + 1))
		done
		ms=$(now)
		$M merge $shards --into "$R/m1" --no-rank > "$R/merge1"
		me=$(now)
		shards=""
		k=0
		while [ $k -lt "$n" ]; do
			shards="$shards $R/c$k"
			k=$((k + 1))
		done
		rs=$(now)
		/usr/bin/time -f '%M' -o "$R/mtime" $M merge $shards --into "$R/m2" > "$R/merge2"
		re=$(now)
		records=$(sed -n 's/.*: \([0-9]*\) records read.*/\1/p' "$R/merge1")
		msize=$(du -sk "$R/m2" | cut -f1)
		echo "$run $n $first_s $first_e $first_reqs $first_bytes $rss $cpu" \
		     "$size $posts $ms $me $rs $re $records $msize" \
		     "$(cat "$R/mtime") $again_wall $again_reqs $again_bytes" \
		     "$first_anon" >> "$T/rows"
		rm -rf "$R"
	done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

awk -v feeds="$FEEDS" -v hosts="$HOSTS" -v cores="$cores" -v runs="$RUNS" \
    -v load0="$load0" -v load1="$load1" -v out="$OUT" '
# row: run n start end requests bytes rss_kib cpu_s kib_avg kib_max posts
#      merge_start merge_end rank_start rank_end records merged_kib rank_rss
#      again_wall again_requests again_bytes anon_kib
function lo(a, b, first) { return first || b < a ? b : a }
function hi(a, b) { return b > a ? b : a }
{
	n = $2; wall = $4 - $3; mrg = $13 - $12; rnk = $15 - $14
	c = ++cnt[n]
	if (c == 1)
		ns[++norder] = n
	W[n] += wall; Wlo[n] = lo(Wlo[n], wall, c == 1); Whi[n] = hi(Whi[n], wall)
	REQ[n] += $5; BYT[n] += $6; RSS[n] = hi(RSS[n], $7); CPU[n] += $8
	SZ[n] += $9; SZMAX[n] = hi(SZMAX[n], $10); POSTS[n] = $11
	M[n] += mrg; Mlo[n] = lo(Mlo[n], mrg, c == 1); Mhi[n] = hi(Mhi[n], mrg)
	R[n] += rnk; Rlo[n] = lo(Rlo[n], rnk, c == 1); Rhi[n] = hi(Rhi[n], rnk)
	REC[n] = $16; MSZ[n] = $17; MRSS[n] = hi(MRSS[n], $18)
	AW[n] += $19; AREQ[n] += $20; ABYT[n] += $21; ANON[n] = hi(ANON[n], $22)
}
END {
	printf "  %-2s %-18s %-7s %-7s %-7s %-6s %-7s %-5s %-7s %-18s %-18s %-11s %s\n",
		"N", "wall s (range)", "feeds/s", "req/s", "B/feed", "CPU s",
		"RSS MiB", "anon", "KiB/shd", "merge s (range)", "merge+rank s", "merge rec/s",
		"304 feeds/s"
	printf "{\n  \"feeds\": %d,\n  \"hosts\": %d,\n  \"cores\": %d,\n" \
		"  \"runs\": %d,\n  \"load_average_before\": \"%s\",\n" \
		"  \"load_average_after\": \"%s\",\n" \
		"  \"config\": {\"host_delay\": 0, \"jobs\": 32},\n" \
		"  \"shards\": [", feeds, hosts, cores, runs, load0, load1 > out
	for (i = 1; i <= norder; i++) {
		n = ns[i]; c = cnt[n]
		w = W[n] / c; m = M[n] / c; r = R[n] / c
		printf "  %-2d %5.1f (%5.1f-%5.1f) %-7.0f %-7.0f %-7.0f %-6.1f %-7.1f %-5.1f %-7.0f %5.2f (%5.2f-%5.2f) %5.2f (%5.2f-%5.2f) %-11.0f %.0f\n",
			n, w, Wlo[n], Whi[n], feeds / w, REQ[n] / c / w,
			BYT[n] / c / feeds, CPU[n] / c, RSS[n] / 1024, ANON[n] / 1024,
			SZ[n] / c,
			m, Mlo[n], Mhi[n], r, Rlo[n], Rhi[n], REC[n] / m,
			feeds * c / AW[n]
		printf "%s\n    {\"n\": %d, \"wall_s\": %.3f, \"wall_s_min\": %.3f, " \
			"\"wall_s_max\": %.3f, \"feeds_per_s\": %.1f, " \
			"\"requests\": %d, \"requests_per_s\": %.1f, " \
			"\"bytes_sent\": %d, \"bytes_per_feed\": %.0f, " \
			"\"cpu_s_all_processes\": %.2f, " \
			"\"peak_rss_kib_max_process\": %d, " \
			"\"store_kib_per_shard\": %.0f, " \
			"\"store_kib_largest_shard\": %d, \"posts\": %d, " \
			"\"merge_s\": %.3f, \"merge_s_min\": %.3f, " \
			"\"merge_s_max\": %.3f, \"merge_rank_s\": %.3f, " \
			"\"merge_rank_s_min\": %.3f, \"merge_rank_s_max\": %.3f, " \
			"\"merge_records\": %d, \"merge_records_per_s\": %.0f, " \
			"\"merged_store_kib\": %d, \"merge_rank_peak_rss_kib\": %d, " \
			"\"recrawl_s\": %.3f, \"recrawl_feeds_per_s\": %.1f, " \
			"\"recrawl_requests\": %d, \"recrawl_bytes_per_feed\": %.0f, " \
			"\"peak_anon_rss_kib_max_process\": %d}",
			(i > 1 ? "," : ""), n, w, Wlo[n], Whi[n], feeds / w,
			REQ[n] / c, REQ[n] / c / w, BYT[n] / c, BYT[n] / c / feeds,
			CPU[n] / c, RSS[n], SZ[n] / c, SZMAX[n], POSTS[n],
			m, Mlo[n], Mhi[n], r, Rlo[n], Rhi[n], REC[n], REC[n] / m,
			MSZ[n], MRSS[n], AW[n] / c, feeds * c / AW[n], AREQ[n] / c,
			ABYT[n] / c / feeds, ANON[n] > out
	}
	printf "\n  ]\n}\n" > out
	printf "  means of %d runs (range); %d cores shared by the N processes;" \
		" load average %s before, %s after\n", runs, cores, load0, load1
}' "$T/rows"
echo "  wrote $OUT"
