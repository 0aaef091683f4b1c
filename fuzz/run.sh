#!/bin/sh
# run.sh — `make fuzz`: run every fuzz target (or those named in
# FUZZ_TARGETS, comma-separated) for FUZZ_SECONDS each, one after the other
# (the machine is shared), from the seed corpus plus what earlier runs
# found, and print one line per target: seconds, executions, executions per
# second, corpus size.  Any crash, leak, timeout or out-of-memory is a
# finding: its input is kept in build-fuzz/findings/<target>/ and the run
# fails.
set -u
build=${FUZZ_BUILD:-build-fuzz}
secs=${FUZZ_SECONDS:-60}
targets=$(echo "${FUZZ_TARGETS:-}" | tr ',' ' ')
[ -n "$targets" ] ||
	targets=$(ls "$build"/fuzz/fuzz_* | grep -v '\.[od]$' |
		  sed 's|.*/fuzz_||')

# The longest input each target is given: enough for its format, small
# enough that an execution stays fast.
max_len() {
	case $1 in
	dates) echo 256 ;;
	url) echo 4096 ;;
	records) echo 4096 ;;
	robots|config) echo 16384 ;;
	*) echo 65536 ;;
	esac
}

sh fuzz/seeds.sh "$build/seeds" || exit 1
fail=0
printf '%-8s %8s %12s %9s %8s  %s\n' target seconds execs execs/s corpus \
	result
for t in $targets; do
	bin=$build/fuzz/fuzz_$t
	corpus=$build/corpus/$t
	found=$build/findings/$t
	log=$build/logs/$t.log
	mkdir -p "$corpus" "$found" "$build/logs"
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-max_len="$(max_len "$t")" -print_final_stats=1 \
		-artifact_prefix="$found/" "$corpus" "$build/seeds/$t" \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	size=$(ls "$corpus" | wc -l)
	result=ok
	if [ $rc -ne 0 ]; then
		result="FINDING (exit $rc, see $log, $found)"
		fail=1
	fi
	printf '%-8s %8s %12s %9s %8s  %s\n' "$t" "$secs" "${execs:-?}" \
		"${rate:-?}" "$size" "$result"
	if [ $rc -ne 0 ]; then
		grep -a -E 'ERROR|runtime error|fuzz check failed|SUMMARY' \
			"$log" | head -n 10
	fi
done
exit $fail
