#!/bin/sh
# submit.sh — submit a sharded mentorscout crawl to Slurm: the job array
# of crawl.sbatch (one task per shard, at most MAX at once) and
# merge.sbatch, which starts only when every task of the array succeeded
# (afterok on the array's job id).  N given once here sets both the
# array (0..N-1, overriding the #SBATCH --array line) and the merge's
# MENTORSCOUT_SHARDS, so they cannot disagree.
#
#   sh deploy/slurm/submit.sh [N [MAX]]      (default 8 shards, 8 at once)
#
# Environment passed on to the jobs (sbatch exports it by default):
# MENTORSCOUT_SHARED (default ~/mentorscout, on the shared filesystem,
# holding config.json), MENTORSCOUT_CONFIG.  Prints the two job ids.
set -eu

n=${1:-8}
max=${2:-$n}
case $n$max in
*[!0-9]*)
	echo "submit.sh: N and MAX are numbers (N from 1 to 64)" >&2
	exit 2
	;;
esac
if [ "$n" -lt 1 ] || [ "$n" -gt 64 ] || [ "$max" -lt 1 ]; then
	echo "submit.sh: N must be 1 to 64, MAX at least 1" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)

# --parsable prints "jobid" or "jobid;cluster".
crawl=$(sbatch --parsable --array="0-$((n - 1))%$max" "$here/crawl.sbatch")
crawl=${crawl%%;*}
merge=$(sbatch --parsable --dependency="afterok:$crawl" \
	--export="ALL,MENTORSCOUT_SHARDS=$n" "$here/merge.sbatch")
merge=${merge%%;*}
echo "crawl array $crawl (shards 0-$((n - 1)), $max at once), merge $merge"
