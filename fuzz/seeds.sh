#!/bin/sh
# seeds.sh — build the seed corpus of every fuzz target under DIR (one
# directory per target) from what the repository already has: the test
# fixtures, the feedparser corpus in ../shared when present, and the small
# hand-written seeds in fuzz/seeds/<target>/ for inputs no fixture covers
# (dates, robots.txt, URLs, configs, binary records).
#
#   sh fuzz/seeds.sh DIR
set -eu
dir=${1:?usage: seeds.sh DIR}
shared=${MS_SHARED_DIR:-../shared}

# copy TARGET FILE...: flatten each path into one file name.
copy() {
	t=$1
	shift
	mkdir -p "$dir/$t"
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$dir/$t/$(echo "$f" | sed 's|^\.*/*||; s|/|_|g')"
	done
}

# Files are copied over, never removed first: a fuzzer already running
# re-reads these directories.
for t in config dates feed html opml records robots url; do
	mkdir -p "$dir/$t"
	[ -d "fuzz/seeds/$t" ] && copy "$t" fuzz/seeds/"$t"/*
done

copy feed tests/fixtures/feeds/*
if [ -d "$shared/corpus/feedparser" ]; then
	# The feed parser reads HTML pages too: give it the whole corpus.
	find "$shared/corpus/feedparser" -type f \
		\( -name '*.xml' -o -name '*.rdf' -o -name '*.html' \) |
	while read -r f; do
		d=$(basename "$(dirname "$f")")
		cp "$f" "$dir/feed/fp_${d}_$(basename "$f")"
	done
fi
copy html tests/fixtures/html/*
copy opml tests/fixtures/opml/*
