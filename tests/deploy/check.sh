#!/bin/sh
# Check the shipped examples of sharded crawls (issue 8) offline:
#
#   deploy/kubernetes/crawl-job.yaml  parsed and checked schema-shaped by
#       tests/deploy/k8s.py (python3 + yaml), linted by yamllint and
#       decoded into the API types by kubectl (--local, no cluster), each
#       when installed; then both Jobs' container commands run here as
#       written, with JOB_COMPLETION_INDEX and the pod spec's env, the
#       volumes as directories: two nights of 8 shard pods (one retried)
#       and the merge pod.
#   deploy/slurm/{crawl,merge}.sbatch, submit.sh  bash -n / sh -n, the
#       #SBATCH lines before the first command; then submit.sh run as
#       written with tests/deploy/sbatch standing in for sbatch (it sets
#       SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT as Slurm does): two
#       nights, and a night whose shards fail, after which the merge must
#       not run (afterok).
#   the GNU parallel one-liner of README.md ("Sharded crawls"), taken
#       from the README and run twice, when parallel is installed.
#
# All three crawl the sample web (bench/genweb, served by bench/serveweb
# on 127.0.0.1, a port >= 61000) and their merged stores must rank as a
# single-process crawl of the same web does (the same top 5 for hr,
# scores within 1e-3).  What cannot run here is skipped with the reason.
# MS_BUILD is the build directory (default build); MS_DEPLOY_KEEP=DIR
# keeps the work files there (emptied first).
#
# shellcheck disable=SC2016,SC2317 # sh -c scripts take $1 later; check runs the functions
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MS_BUILD:-$root/build}
bin=$build/mentorscout
yaml=$root/deploy/kubernetes/crawl-job.yaml
slurm=$root/deploy/slurm
cd "$root"

for t in "$bin" "$build/bench/genweb" "$build/bench/serveweb"; do
	if [ ! -x "$t" ]; then
		echo "deploy_check: $t is missing (make && make tools)" >&2
		exit 1
	fi
done

dir=${MS_DEPLOY_KEEP:-}
if [ -z "$dir" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/deploy_check.XXXXXX")
fi
rm -rf "${dir:?}"/*
mkdir -p "$dir"
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	[ -n "${MS_DEPLOY_KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail=0
passed=0
failed=0
skipped=0
skips=""
check() {	# check MESSAGE COMMAND...
	msg=$1
	shift
	if "$@"; then
		echo "ok    $msg"
		passed=$((passed + 1))
	else
		echo "FAIL  $msg"
		fail=1
		failed=$((failed + 1))
	fi
}
skip() {
	echo "SKIP  $*"
	skipped=$((skipped + 1))
	skips="$skips
  $*"
}
# py_checks LOG WHAT...: count the ok/FAIL lines of a k8s.py run.
py_checks() {
	log=$1
	shift
	ok=$(grep -c '^ok' "$log" || true)
	bad=$(grep -c '^FAIL' "$log" || true)
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -eq 0 ]; then
		echo "ok    $ok checks: $*"
	else
		grep '^FAIL' "$log"
		fail=1
	fi
}

# ------------------------------------------------------------ static
py=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	   "$p" -c 'import yaml' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -n "$py" ]; then
	"$py" tests/deploy/k8s.py validate "$yaml" >"$dir/validate.log" ||
		check "tests/deploy/k8s.py validate runs" false
	py_checks "$dir/validate.log" \
		"crawl-job.yaml is schema-shaped (tests/deploy/k8s.py validate)"
else
	skip "YAML schema checks and the Kubernetes run: no python3 with" \
	     "the yaml module (Debian: python3-yaml)"
fi
if command -v yamllint >/dev/null 2>&1; then
	check "yamllint crawl-job.yaml" yamllint -s -d "{extends: default,\
 rules: {line-length: {max: 100}, document-start: disable}}" "$yaml"
else
	skip "yamllint is not installed"
fi
if command -v kubectl >/dev/null 2>&1; then
	# --local: no cluster is asked.  'set env' decodes each object into
	# kubectl's compiled-in API types (a string where an int32 belongs
	# fails); it applies to pod templates only, so it gets the Jobs.
	awk -v d="$dir" '/^---$/ { n++; next } { print > (d "/doc" n ".yaml") }' \
		"$yaml"
	for f in "$dir"/doc*.yaml; do
		grep -q '^kind: Job$' "$f" || continue
		check "kubectl decodes $(sed -n 's/^  name: //p' "$f" | head -n 1)" \
		      sh -c 'KUBECONFIG=/dev/null timeout 60 kubectl set env \
			--local -f "$1" MS_CHECK=1 -o name >/dev/null' - "$f"
	done
	check "kubectl reads every object of crawl-job.yaml" \
	      sh -c 'KUBECONFIG=/dev/null timeout 60 kubectl label --local \
		-f "$1" ms-check=1 -o name | grep -c / | grep -qx 4' - "$yaml"
else
	skip "kubectl is not installed"
fi

for f in "$slurm/crawl.sbatch" "$slurm/merge.sbatch" tests/deploy/sbatch; do
	check "bash -n ${f#"$root"/}" bash -n "$f"
done
check "sh -n deploy/slurm/submit.sh" sh -n "$slurm/submit.sh"
for f in "$slurm/crawl.sbatch" "$slurm/merge.sbatch"; do
	# sbatch stops reading #SBATCH at the first command.
	check "${f#"$root"/}: every #SBATCH line comes before the first command" \
	      sh -c 'awk "/^#SBATCH/ { if (cmd) bad = 1; next }
		  /^[^#]/ && NF { cmd = 1 } END { exit bad }" "$1"' - "$f"
done
if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck deploy/slurm/*" shellcheck "$slurm/crawl.sbatch" \
		"$slurm/merge.sbatch" "$slurm/submit.sh"
fi

# ------------------------------------------------------------ the web
port=""
try=0
while [ $try -lt 5 ] && [ -z "$port" ]; do
	p=$((61000 + ($$ * 7 + try * 131) % 3000))
	rm -rf "$dir/web" "$dir/serve.pid"
	"$build/bench/genweb" --out "$dir/web" --port "$p" --seed 1 >/dev/null
	"$build/bench/serveweb" "$dir/web" --port "$p" \
		--pidfile "$dir/serve.pid" >/dev/null 2>"$dir/serve.err" &
	server=$!
	i=0
	while [ $i -lt 50 ] && [ ! -s "$dir/serve.pid" ] &&
	      kill -0 "$server" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -s "$dir/serve.pid" ]; then
		port=$p
	else
		kill "$server" 2>/dev/null || true
		server=""
	fi
	try=$((try + 1))
done
if [ -z "$port" ]; then
	echo "deploy_check: cannot serve the sample web:" \
	     "$(cat "$dir/serve.err")" >&2
	exit 1
fi

# The config of the local runs: the sample web's feeds, no politeness
# delay (one server), loopback allowed, a contact in the user agent.
feeds=$(sed -n 's/.*xmlUrl="\([^"]*\)".*/"\1"/p' "$dir/web/feeds.opml" |
	paste -sd, -)
cat >"$dir/config.json" <<EOF
{"feeds": [$feeds],
 "crawl": {"host_delay": 0, "allow_private": true,
           "user_agent": "mentorscout-check (+mailto:check@example.org)"}}
EOF
chmod 444 "$dir/config.json"
export MENTORSCOUT_CONFIG="$dir/config.json"
unset MENTORSCOUT_DB MENTORSCOUT_SHARD MENTORSCOUT_SHARDS \
	JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT \
	2>/dev/null || true

# The reference: one process, two crawls (the second fetches what the
# first discovered, as the shards' second night does).
"$bin" --db "$dir/one" -q init
"$bin" --db "$dir/one" -q crawl --no-rank
"$bin" --db "$dir/one" -q crawl

# same_top DB: the merged store DB ranks hr as the single crawl does.
same_top() {
	[ -n "$py" ] || return 0
	"$bin" --db "$dir/one" discover --topic hr --limit 5 --format json \
		>"$dir/top-one.json" &&
	"$bin" --db "$1" discover --topic hr --limit 5 --format json \
		>"$dir/top-merged.json" &&
	"$py" - "$dir/top-one.json" "$dir/top-merged.json" <<'EOF'
import json, sys
a, b = (json.load(open(p))["candidates"] for p in sys.argv[1:3])
ok = len(a) == 5 and [c["name"] for c in a] == [c["name"] for c in b] and \
    all(abs(x["score"] - y["score"]) < 1e-3 for x, y in zip(a, b))
if not ok:
    print("  single:", [(c["name"], c["score"]) for c in a])
    print("  merged:", [(c["name"], c["score"]) for c in b])
sys.exit(0 if ok else 1)
EOF
}

# ------------------------------------------------------------ Kubernetes
if [ -n "$py" ]; then
	"$py" tests/deploy/k8s.py run "$yaml" --bin "$build" \
	     --web "$dir/web" --work "$dir/k8s" --nights 2 --retry 3 \
	     >"$dir/k8s.log" ||
		check "tests/deploy/k8s.py run runs" false
	py_checks "$dir/k8s.log" "the Kubernetes commands run locally (2" \
		"nights of 8 pods, index 3 retried, the merge pod)"
	check "Kubernetes: merged ranking = single-process crawl (top 5 hr)" \
	      same_top "$dir/k8s/pvc-mentorscout-data/merged"
fi

# ------------------------------------------------------------ Slurm
mkdir -p "$dir/slurm/bin" "$dir/slurm/scratch"
cp tests/deploy/sbatch "$dir/slurm/bin/sbatch"
chmod 755 "$dir/slurm/bin/sbatch"
shared=$dir/slurm/shared
slurm_run() {	# slurm_run STATE [ENV...]: submit.sh 8 with the stand-in
	st=$1
	shift
	env "$@" PATH="$dir/slurm/bin:$build:$PATH" SBATCH_STATE="$st" \
		MENTORSCOUT_SHARED="$shared" TMPDIR="$dir/slurm/scratch" \
		sh "$slurm/submit.sh" 8 >"$st.submit" 2>&1
}
mkdir -p "$shared"
cp "$dir/config.json" "$shared/config.json"
for night in 1 2; do
	st=$dir/slurm/night$night
	slurm_run "$st" MENTORSCOUT_CONFIG="$shared/config.json"
	check "Slurm night $night: submit.sh 8 submits the array and the merge" \
	      grep -q '^crawl array 1000 (shards 0-7, 8 at once), merge 1001$' \
	      "$st.submit"
	check "Slurm night $night: all 8 array tasks and the merge exit 0" \
	      sh -c '[ "$(cat "$1"/1000.rc "$1"/1001.rc)" = "0
0" ]' - "$st"
	k=0
	logs=0
	while [ $k -lt 8 ]; do
		grep -q "crawling shard $k/8 (from SLURM_ARRAY_TASK_ID)" \
			"$st/1000_$k.out" && logs=$((logs + 1))
		k=$((k + 1))
	done
	check "Slurm night $night: task K logs 'crawling shard K/8 (from\
 SLURM_ARRAY_TASK_ID)' ($logs of 8)" [ "$logs" -eq 8 ]
	check "Slurm night $night: the merge merged 8 stores and ranked" \
	      sh -c 'grep -q "merge of 8 stores" "$1" &&
		     grep -Eq "^ *1 +[^ ]" "$1"' - "$st/1001.out"
done
links=$(find "$shared" -maxdepth 1 -type l | wc -l)
dirs=$(find "$shared" -mindepth 1 -maxdepth 1 -type d | wc -l)
check "Slurm: shared dir holds 9 current stores (8 shards, merged), no\
 leftovers ($links links, $dirs copies)" \
      test "$links" -eq 9 -a "$dirs" -eq 9
check "Slurm: the report was written" test -s "$shared/report-hr.html"
check "Slurm: node-local scratch was cleaned" \
      sh -c '[ -z "$(ls -A "$1")" ]' - "$dir/slurm/scratch"
check "Slurm: merged ranking = single-process crawl (top 5 hr)" \
      same_top "$shared/merged"
# A night whose shards all fail (a broken config): afterok keeps the
# merge from running, and the stores stay as they were.
before=$(find "$shared" -maxdepth 1 -printf "%f %l\n" | sort | md5sum)
st=$dir/slurm/fail
echo '{"crawl": ' >"$dir/broken.json"
slurm_run "$st" MENTORSCOUT_CONFIG="$dir/broken.json"
check "Slurm: failed shards -> the merge never runs, stores untouched" \
      sh -c '[ "$(cat "$1"/1000.rc "$1"/1001.rc)" = "1
never" ] && [ "$(find "$2" -maxdepth 1 -printf "%f %l\n" | sort |
	md5sum)" = "$3" ]' - "$st" "$shared" "$before"

# ------------------------------------------------------------ GNU parallel
if command -v parallel >/dev/null 2>&1; then
	line=$(grep '^parallel -j4 ' README.md | head -n 1)
	if [ -z "$line" ]; then
		check "README.md has the GNU parallel one-liner" false
	else
		mkdir -p "$dir/parallel"
		ok=1
		for night in 1 2; do
			(cd "$dir/parallel" && PATH="$build:$PATH" \
				sh -c "$line" </dev/null \
				>"night$night.log" 2>&1) || ok=0
		done
		check "the README's GNU parallel one-liner runs twice" \
		      [ $ok -eq 1 ]
		check "GNU parallel: 4 shards exit 0 in its joblog" \
		      sh -c '[ "$(awk "NR > 1 && \$7 == 0" "$1" | wc -l)" \
			-eq 4 ]' - "$dir/parallel/shards.log"
		check "GNU parallel: merged ranking = single-process crawl" \
		      same_top "$dir/parallel/merged"
	fi
else
	skip "GNU parallel is not installed (Debian: parallel)"
fi

if [ -n "$skips" ]; then
	echo "deploy_check: skipped:$skips"
fi
if [ $fail -ne 0 ]; then
	echo "deploy_check: FAILED (MS_DEPLOY_KEEP=DIR keeps the files)" >&2
fi
echo "deploy_check: $passed passed, $failed failed, $skipped skipped"
exit $fail
