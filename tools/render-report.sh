#!/bin/sh
# Render an HTML report as a real browser shows it: Debian's Chromium,
# headless, with a throw-away profile and no network chatter.
#
#   tools/render-report.sh [--size WxH] REPORT.html OUT.png
#   tools/render-report.sh --dump-dom REPORT.html OUT.html
#
# The first form writes a PNG screenshot (default 1200x1600); the second
# the DOM after parsing (to check that feed text stayed text).  Chromium is
# installed with apt-get when missing and we are root (non-interactive);
# otherwise the command to run is printed.
set -eu

usage() {
	echo "usage: render-report.sh [--size WxH] REPORT.html OUT.png" >&2
	echo "       render-report.sh --dump-dom REPORT.html OUT.html" >&2
	exit 2
}

mode=shot size=1200,1600
while [ $# -gt 0 ]; do
	case $1 in
	--dump-dom) mode=dom; shift ;;
	--size) [ $# -ge 2 ] || usage; size=$(echo "$2" | tr x ,); shift 2 ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
in=$1 out=$2
[ -r "$in" ] || { echo "render-report: cannot read '$in'" >&2; exit 1; }

find_chromium() {
	for c in chromium chromium-browser; do
		if command -v "$c" >/dev/null 2>&1; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

if ! chrome=$(find_chromium); then
	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "render-report: chromium is not installed; run:" >&2
		echo "  sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-noto-cjk'" >&2
		exit 1
	fi
	echo "render-report: installing chromium" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium \
		fonts-dejavu-core fonts-noto-cjk >/dev/null
	chrome=$(find_chromium)
fi

case $in in
/*) url="file://$in" ;;
*) url="file://$(pwd)/$in" ;;
esac

profile=$(mktemp -d "${TMPDIR:-/tmp}/render-report.XXXXXX")
trap 'rm -rf "$profile"' EXIT INT TERM

# --no-sandbox: containers and root have no user namespaces for it; the
# page is our own file and its CSP forbids scripts and every fetch.
set -- --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run \
	--disable-default-apps --disable-extensions --hide-scrollbars \
	--user-data-dir="$profile"

rm -f "$out"
if [ "$mode" = dom ]; then
	timeout 120 "$chrome" "$@" --dump-dom "$url" >"$out" \
		2>"$profile/stderr" || {
		cat "$profile/stderr" >&2
		echo "render-report: chromium failed on '$in'" >&2
		exit 1
	}
else
	timeout 120 "$chrome" "$@" --screenshot="$out" --window-size="$size" \
		"$url" >"$profile/stdout" 2>"$profile/stderr" || {
		cat "$profile/stderr" >&2
		echo "render-report: chromium failed on '$in'" >&2
		exit 1
	}
fi
if [ ! -s "$out" ]; then
	cat "$profile/stderr" >&2
	echo "render-report: chromium wrote nothing to '$out'" >&2
	exit 1
fi
