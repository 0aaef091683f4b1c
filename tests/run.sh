#!/bin/sh
# Run every Criterion test binary given; print each one's synthesis line and
# a total.  A failing binary fails the run, but every binary runs first so
# one report shows all that is wrong.  MS_VALGRIND=1 runs each test under
# valgrind (no forks: --no-early-exit, one job).
set -u
fail=0 tested=0 passing=0 failing=0 crashing=0 failed_bins=""
log=$(mktemp)
for t in "$@"; do
	name=${t#*/tests/}
	if [ "${MS_VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite --trace-children=yes \
			--child-silent-after-fork=no "$t" --jobs 1 >"$log" 2>&1
	else
		"$t" --jobs "${MS_TEST_JOBS:-2}" >"$log" 2>&1
	fi
	rc=$?
	# Criterion runs tests in child processes whose sanitizer reports do
	# not always reach the exit status: read them from the output.
	if grep -a -q -E 'LeakSanitizer|AddressSanitizer|runtime error:|==[0-9]+== (Invalid|Conditional|Use of|Mismatched)|definitely lost: [1-9]' "$log"; then
		[ $rc -eq 0 ] && rc=99
	fi
	syn=$(grep -a 'Synthesis:' "$log" | tail -n 1 | sed 's/.*Synthesis: //')
	printf '%-36s %s\n' "$name" "${syn:-no synthesis (exit $rc)}"
	if [ $rc -ne 0 ]; then
		fail=1
		failed_bins="$failed_bins $name"
		grep -a -E '\[(FAIL|----)\]|ERROR|runtime error|Sanitizer|==[0-9]+==' "$log" | head -n 40
	fi
	set -- $(echo "$syn" | sed -E 's/[^0-9]+/ /g')
	tested=$((tested + ${1:-0})); passing=$((passing + ${2:-0}))
	failing=$((failing + ${3:-0})); crashing=$((crashing + ${4:-0}))
done
rm -f "$log"
echo "[====] Synthesis: Tested: $tested | Passing: $passing | Failing: $failing | Crashing: $crashing"
if [ $fail -ne 0 ]; then
	echo "failed:$failed_bins" >&2
	exit 1
fi
