#!/bin/sh
# make demo: the main job end to end on the bundled sample web.
# Generates a small blogosphere (60 blogs, English and German, WordPress,
# Blogger, Atom/RSS and h-entry markup), serves it on 127.0.0.1, runs
# init, imports the feed list, crawls, prints `discover --topic hr`,
# writes an HTML report, and stops the server.  Everything lives under
# build/demo/ and is made afresh each time.
set -eu
BIN=${MS_BIN:-build/mentorscout}
BUILD=${MS_BUILD:-build}
D=$BUILD/demo
PORT=${DEMO_PORT:-18555}
start=$(date +%s.%N)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
stop_server() {
	[ -f "$D/serve.pid" ] && kill "$(cat "$D/serve.pid")" 2>/dev/null || true
	rm -f "$D/serve.pid"
}
trap stop_server EXIT INT TERM

rm -rf "$D"
mkdir -p "$D"
say "generating the sample web (60 blogs) into $D/web"
"$BUILD/bench/genweb" --out "$D/web" --port "$PORT"
say "serving it on 127.0.0.1:$PORT"
"$BUILD/bench/serveweb" "$D/web" --port "$PORT" --pidfile "$D/serve.pid" >"$D/serve.log" 2>&1 &
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$D/serve.pid" ] && break
	sleep 0.2
done

# The demo's own config: the sample web lives on 127.0.0.1, so private
# addresses are allowed, and no politeness delay is needed for a server
# that is our own.
cat >"$D/config.json" <<CFG
{
  "crawl": {"host_delay": 0, "allow_private": true},
  "me": {"name": "Demo User", "blog": "http://demo-user.localhost:$PORT/"}
}
CFG
M="$BIN --config $D/config.json --db $D/store"

say "mentorscout init"
$M init
say "mentorscout feeds import $D/web/feeds.opml"
$M feeds import "$D/web/feeds.opml"
say "mentorscout crawl"
$M crawl
say "mentorscout discover --topic hr"
$M discover --topic hr --limit 5
say "mentorscout report --topic hr --format html"
$M report --topic hr --format html --out "$D/report-hr.html"
stop_server
end=$(date +%s.%N)
printf '\nThe HTML report is %s/report-hr.html (open it in a browser).\n' "$(cd "$D" && pwd)"
printf 'Try: %s discover --topic leadership --network\n' "$M"
echo "$start $end" | awk '{printf "demo finished in %.1f s\n", $2 - $1}'
