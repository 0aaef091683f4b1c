#!/bin/sh
# tools/crashloop.sh [N] — R-CR-1, kill -9 anywhere: N crawls killed with
# SIGKILL at a random moment, each followed by `stats --verify`, and
# every interrupted store finished by a crawl that must end with exactly
# the entries of an uninterrupted reference crawl.
#
#   1. Generate the sample web (build/bench/genweb, CRASHLOOP_BLOGS blogs)
#      and serve it on loopback (build/bench/serveweb).
#   2. Reference: init, import the feed list, one crawl to the end; its
#      run length T and its entry set (post URLs and titles, comment ids:
#      the counts and fingerprint of `stats --verify`).
#   3. N iterations.  Each starts `crawl` on the store of the current
#      round and kills it with SIGKILL after a random delay in [0.05 s, T];
#      then `stats --verify` must pass (every record decodes, keys match,
#      no validators without their entries, ...).  The store carries on
#      to the next iteration.  When a crawl finishes before its kill, the
#      store has caught up: the round ends, its entry set must equal the
#      reference's, and the next iteration starts a new round on a fresh
#      store (so that kills keep landing in crawls that have work to do,
#      not only in crawls that are all 304s).
#   4. After the last iteration the open round is finished by a crawl run
#      to the end and compared like the others.
#
# Prints one line per iteration and a summary; exit 0 when every verify
# passed and every round ended with the reference's entries (0 records
# lost), 1 otherwise.  Environment: MS_BIN, MS_BUILD (binaries),
# CRASHLOOP_BLOGS (default 120), CRASHLOOP_SEED (random delays; default
# the pid), CRASHLOOP_DIR (work directory, default a new one under
# ${TMPDIR:-/tmp}, removed at the end unless CRASHLOOP_KEEP=1).
set -u
N=${1:-100}
BIN=${MS_BIN:-build/mentorscout}
BUILD=${MS_BUILD:-build}
BLOGS=${CRASHLOOP_BLOGS:-120}
SEED=${CRASHLOOP_SEED:-$$}

case $N in
''|*[!0-9]*) echo "usage: tools/crashloop.sh [N]" >&2; exit 2 ;;
esac
for f in "$BIN" "$BUILD/bench/genweb" "$BUILD/bench/serveweb"; do
	[ -x "$f" ] || { echo "crashloop: '$f' is missing (make tools)" >&2; exit 2; }
done

D=${CRASHLOOP_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ms-crashloop-XXXXXX")}
mkdir -p "$D/web"
SERVE_PID=
cleanup() {
	[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
	[ "${CRASHLOOP_KEEP:-0}" = 1 ] || rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }

# Serve the (still empty) directory first: its port goes into the URLs.
"$BUILD/bench/serveweb" "$D/web" --port 0 >"$D/serve.out" 2>"$D/serve.err" &
SERVE_PID=$!
i=0
while ! grep -q '^http://' "$D/serve.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && { echo "crashloop: serveweb did not start" >&2; cat "$D/serve.err" >&2; exit 1; }
	sleep 0.1
done
PORT=$(sed -n 's|^http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$D/serve.out")
rmdir "$D/web" && mkdir "$D/web"	# genweb wants it empty
"$BUILD/bench/genweb" --out "$D/web" --port "$PORT" --blogs "$BLOGS" \
	>"$D/genweb.out" || exit 1
cat >"$D/config.json" <<'CFG'
{"crawl": {"host_delay": 0, "allow_private": true}}
CFG
M() { "$BIN" --config "$D/config.json" --db "$@"; }

# The entry set of a store: "posts comments fingerprint", and the verify
# verdict in $D/verify.out.
entries() {
	M "$1" stats --verify >"$D/verify.out" 2>&1
	vrc=$?
	awk '/^posts / { p = $2 } /^comments / { c = $2 }
	     /^fingerprint / { f = $2 } END { print p, c, f }' "$D/verify.out"
	return $vrc
}

fresh_store() {
	rm -rf "$1"
	M "$1" init >/dev/null 2>&1 &&
	M "$1" feeds import "$D/web/feeds.opml" >/dev/null 2>&1 ||
		{ echo "crashloop: cannot set up store '$1'" >&2; exit 1; }
}

echo "crashloop: $(cat "$D/genweb.out")"
fresh_store "$D/ref"
t0=$(now)
M "$D/ref" crawl >"$D/ref.out" 2>&1 || { cat "$D/ref.out" >&2; exit 1; }
t1=$(now)
T=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
REF=$(entries "$D/ref") || { cat "$D/verify.out" >&2; exit 1; }
set -- $REF
REF_POSTS=$1 REF_COMMENTS=$2 REF_FP=$3
echo "crashloop: reference crawl ${T} s: $REF_POSTS posts, $REF_COMMENTS comments, fingerprint $REF_FP"

# The kill delays, uniform in [0.05 s, T], one a line (one srand: awk
# keeps only part of a large seed, so per-iteration seeds would repeat).
awk -v n="$N" -v hi="$T" -v s="$SEED" 'BEGIN { srand(s % 2147483647);
	for (i = 0; i < n; i++) printf "%.3f\n", 0.05 + rand() * (hi - 0.05) }' \
	>"$D/delays"

passed=0 killed=0 finished=0 rounds=0 rounds_ok=0 lost=0 bad=0
round=1
fresh_store "$D/db.$round"

# Compare a caught-up store with the reference; count what it lacks.
end_round() {
	rounds=$((rounds + 1))
	got=$(entries "$D/db.$round")
	vrc=$?
	set -- $got
	miss=$(( (REF_POSTS > $1 ? REF_POSTS - $1 : 0) +
		 (REF_COMMENTS > $2 ? REF_COMMENTS - $2 : 0) ))
	lost=$((lost + miss))
	if [ $vrc -eq 0 ] && [ "$1" = "$REF_POSTS" ] &&
	   [ "$2" = "$REF_COMMENTS" ] && [ "$3" = "$REF_FP" ]; then
		rounds_ok=$((rounds_ok + 1))
		echo "  round $round: same entries as the reference"
	else
		echo "  round $round: DIFFERS: $1 posts, $2 comments, fingerprint $3 (verify exit $vrc)"
		cp -r "$D/db.$round" "$D/failed.$round" 2>/dev/null
	fi
	rm -rf "$D/db.$round"
}

it=1
while [ $it -le "$N" ]; do
	wait_s=$(sed -n "${it}p" "$D/delays")
	# Not through M: a function in the background is a subshell, and
	# the kill would hit the subshell, not the crawl.
	"$BIN" --config "$D/config.json" --db "$D/db.$round" crawl \
		>"$D/crawl.out" 2>&1 &
	pid=$!
	sleep "$wait_s"
	# A crawl that already ended is a zombie until waited for: kill
	# succeeds on it, so the exit status tells which happened.
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	crc=$?
	if [ $crc -eq 137 ]; then
		how="killed after ${wait_s} s"
		killed=$((killed + 1))
		done_round=0
	else
		how="finished before ${wait_s} s (exit $crc)"
		finished=$((finished + 1))
		done_round=1
		if [ $crc -ne 0 ]; then
			bad=$((bad + 1))
			sed 's/^/    /' "$D/crawl.out"
		fi
	fi
	if entries "$D/db.$round" >/dev/null; then
		passed=$((passed + 1))
		verdict="verify ok"
	else
		bad=$((bad + 1))
		verdict="VERIFY FAILED"
		cp -r "$D/db.$round" "$D/failed.verify.$it" 2>/dev/null
		sed 's/^/    /' "$D/verify.out"
	fi
	echo "  $it/$N round $round: $how; $verdict"
	if [ $done_round = 1 ]; then
		end_round
		round=$((round + 1))
		fresh_store "$D/db.$round"
	fi
	it=$((it + 1))
done
# The open round: crawl to the end, then compare.
M "$D/db.$round" crawl >"$D/crawl.out" 2>&1 || { cat "$D/crawl.out" >&2; bad=$((bad + 1)); }
end_round

echo "crashloop: $passed/$N iterations passed verify ($killed killed mid-run," \
	"$finished finished first); $rounds_ok/$rounds rounds ended with the" \
	"reference's entries; records lost: $lost"
[ $passed -eq "$N" ] && [ $rounds_ok -eq $rounds ] && [ $lost -eq 0 ] && [ $bad -eq 0 ]
