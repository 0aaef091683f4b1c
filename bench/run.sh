#!/bin/sh
# make bench: run every benchmark script; each prints its figures and
# writes bench/results/<name>.json.
set -u
status=0
for b in bench/*_bench.sh; do
	echo "== $b"
	sh "$b" || status=1
done
exit $status
