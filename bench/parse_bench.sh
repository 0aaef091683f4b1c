#!/bin/sh
# parse_bench.sh — how fast and in how much memory `mentorscout parse
# --json` reads a large feed, against sfeed and python3-feedparser on the
# same file in the same run.
#
# The feed comes from gen_bigfeed (deterministic: 20,000 WordPress-style
# items, about 30 MB).  mentorscout and sfeed run PARSE_BENCH_RUNS times
# (default 3; the fastest counts), feedparser once (it takes seconds).
# Times and peak RSS come from /usr/bin/time.  The figures go to stdout and
# to bench/results/parse.json.
#
#   sh bench/parse_bench.sh          (MS_BIN, MS_BUILD: as `make bench` sets)
#
# Needs: sfeed, python3-feedparser, time (Debian packages of those names).
set -eu

BIN=${MS_BIN:-build/mentorscout}
BUILD=${MS_BUILD:-build}
GEN=$BUILD/bench/gen_bigfeed
RUNS=${PARSE_BENCH_RUNS:-3}
ITEMS=${PARSE_BENCH_ITEMS:-20000}
OUT=${PARSE_BENCH_OUT:-bench/results/parse.json}
PY=/usr/bin/python3	# Debian's, where python3-feedparser lives

die() {
	echo "parse_bench: $*" >&2
	exit 1
}

[ -x "$BIN" ] || die "no binary '$BIN' (run make)"
[ -x "$GEN" ] || die "no generator '$GEN' (run make tools)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing: apt-get install -y time"
command -v sfeed >/dev/null 2>&1 || die "sfeed missing: apt-get install -y sfeed"
"$PY" -c 'import feedparser' 2>/dev/null ||
	die "python3-feedparser missing: apt-get install -y python3-feedparser"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
feed=$tmp/bigfeed.xml
"$GEN" -n "$ITEMS" -o "$feed"
bytes=$(wc -c < "$feed")

# run NAME CMD...: time CMD with stdout to $tmp/NAME.out; prints
# "wall user sys maxrss_kib".
run() {
	name=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/$name.time" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" ||
		die "$name failed: $(tail -n 3 "$tmp/$name.err")"
	cat "$tmp/$name.time"
}

# best NAME CMD...: the fastest of $RUNS runs.
best() {
	name=$1
	shift
	b=""
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		r=$(run "$name" "$@")
		if [ -z "$b" ] || awk -v a="$r" -v b="$b" \
			'BEGIN { split(a, x, " "); split(b, y, " ");
				 exit !(x[1] < y[1]) }'; then
			b=$r
		fi
		i=$((i + 1))
	done
	echo "$b"
}

ms=$(best mentorscout "$BIN" parse "$feed" --json)
ms_entries=$("$PY" -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["entries"]))' "$tmp/mentorscout.out")
sf=$(best sfeed sh -c 'exec sfeed < "$1"' sfeed "$feed")
sf_entries=$(wc -l < "$tmp/sfeed.out")
fp=$(run feedparser "$PY" -c 'import feedparser, sys
print(len(feedparser.parse(sys.argv[1]).entries))' "$feed")
fp_entries=$(cat "$tmp/feedparser.out")

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "? ? ?")
cpus=$(nproc 2>/dev/null || echo 1)
mkdir -p "$(dirname "$OUT")"

awk -v ms="$ms" -v sf="$sf" -v fp="$fp" -v bytes="$bytes" \
    -v items="$ITEMS" -v mse="$ms_entries" -v sfe="$sf_entries" \
    -v fpe="$fp_entries" -v load="$load" -v cpus="$cpus" -v runs="$RUNS" \
    -v out="$OUT" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
function tool(name, s, n,    f) {
	split(s, f, " ")
	W[name] = f[1]; U[name] = f[2]; S[name] = f[3]; R[name] = f[4]
	N[name] = n
}
function obj(name) {
	return sprintf("{\"wall_s\": %.3f, \"user_s\": %.3f, \"sys_s\": %.3f, " \
		       "\"cpu_s\": %.3f, \"max_rss_kib\": %d, \"entries\": %d}",
		       W[name], U[name], S[name], U[name] + S[name], R[name],
		       N[name])
}
function ratio(a, b) { return b > 0 ? a / b : 0 }
BEGIN {
	tool("mentorscout", ms, mse); tool("sfeed", sf, sfe)
	tool("feedparser", fp, fpe)
	cpu_ms = U["mentorscout"] + S["mentorscout"]
	cpu_sf = U["sfeed"] + S["sfeed"]
	cpu_fp = U["feedparser"] + S["feedparser"]
	r_sf = ratio(W["sfeed"], W["mentorscout"])
	r_fp = ratio(W["feedparser"], W["mentorscout"])
	c_sf = ratio(cpu_sf, cpu_ms)
	c_fp = ratio(cpu_fp, cpu_ms)
	rss_mib = R["mentorscout"] / 1024
	printf "feed: %d items, %.1f MB (gen_bigfeed); best of %d runs; " \
	       "%d CPUs, load %s\n\n", items, bytes / 1e6, runs, cpus, load
	printf "%-12s %8s %8s %8s %10s %8s\n", "tool", "wall s", "user s",
	       "sys s", "peak RSS", "entries"
	n = split("mentorscout sfeed feedparser", t, " ")
	for (i = 1; i <= n; i++)
		printf "%-12s %8.3f %8.3f %8.3f %7.1f MiB %8d\n", t[i], W[t[i]],
		       U[t[i]], S[t[i]], R[t[i]] / 1024, N[t[i]]
	printf "\nsfeed / mentorscout:      %.2fx wall, %.2fx CPU " \
	       "(target >= 1)\n", r_sf, c_sf
	printf "feedparser / mentorscout: %.1fx wall, %.1fx CPU " \
	       "(target >= 50)\n", r_fp, c_fp
	printf "mentorscout peak RSS:     %.1f MiB (target <= 32)\n", rss_mib
	printf "{\n  \"date\": \"%s\",\n  \"feed\": {\"generator\": " \
	       "\"gen_bigfeed -n %d -s 1\", \"bytes\": %d, \"items\": %d},\n" \
	       "  \"machine\": {\"cpus\": %d, \"loadavg\": \"%s\"},\n" \
	       "  \"runs\": %d,\n  \"mentorscout\": %s,\n  \"sfeed\": %s,\n" \
	       "  \"feedparser\": %s,\n  \"ratios\": {\"sfeed_over_" \
	       "mentorscout_wall\": %.3f, \"sfeed_over_mentorscout_cpu\": " \
	       "%.3f, \"feedparser_over_mentorscout_wall\": %.2f, " \
	       "\"feedparser_over_mentorscout_cpu\": %.2f},\n  \"targets\": " \
	       "{\"as_fast_as_sfeed\": %s, \"fifty_times_feedparser\": %s, " \
	       "\"peak_rss_le_32_mib\": %s}\n}\n", date, items, bytes, items,
	       cpus, load, runs, obj("mentorscout"), obj("sfeed"),
	       obj("feedparser"), r_sf, c_sf, r_fp, c_fp,
	       (r_sf >= 1 ? "true" : "false"), (r_fp >= 50 ? "true" : "false"),
	       (rss_mib <= 32 ? "true" : "false") > out
	printf "\nwritten: %s\n", out
}'
