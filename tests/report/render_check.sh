#!/bin/sh
# Render the fixture report (three candidates, one of them hostile: a
# <script> title, an attribute break-out, javascript:/data:/vbscript: URLs;
# bench/report_fixture.c) in headless Chromium and check what a reader gets:
#
#   - a PNG screenshot (PNG signature, 1200x1600, not trivially small);
#   - in the DOM Chromium built: no <script> element, no event-handler
#     attribute, every href http(s), and the hostile title present as
#     escaped text (&lt;script&gt;alert(1)&lt;/script&gt;).
#
# Skips (exit 0, says so) when Chromium is not installed, unless
# MS_RENDER_INSTALL=1 asks tools/render-report.sh to install it.
# MS_BUILD is the build directory (default build); MS_RENDER_KEEP=DIR keeps
# the report, the PNG and the DOM there.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MS_BUILD:-$root/build}
tool=$build/bench/report_fixture

if ! command -v chromium >/dev/null 2>&1 &&
   ! command -v chromium-browser >/dev/null 2>&1 &&
   [ "${MS_RENDER_INSTALL:-0}" != 1 ]; then
	echo "render_check: SKIP: chromium is not installed" \
	     "(MS_RENDER_INSTALL=1 installs it as root)"
	exit 0
fi
if [ ! -x "$tool" ]; then
	make -C "$root" -s build/bench/report_fixture >/dev/null
	tool=$root/build/bench/report_fixture
fi

dir=${MS_RENDER_KEEP:-}
if [ -z "$dir" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/render_check.XXXXXX")
	trap 'rm -rf "$dir"' EXIT INT TERM
fi
mkdir -p "$dir"

fail=0
check() {	# check MESSAGE COMMAND...
	msg=$1
	shift
	if "$@"; then
		echo "ok    $msg"
	else
		echo "FAIL  $msg"
		fail=1
	fi
}

"$tool" html "$dir/report.html"
sh "$root/tools/render-report.sh" "$dir/report.html" "$dir/report.png"
sh "$root/tools/render-report.sh" --dump-dom "$dir/report.html" "$dir/dom.html"

sig=$(head -c 8 "$dir/report.png" | od -An -tx1 | tr -d ' \n')
check "screenshot is a PNG" [ "$sig" = 89504e470d0a1a0a ]
# IHDR: width and height, big-endian, at bytes 16-23
dims=$(dd if="$dir/report.png" bs=1 skip=16 count=8 2>/dev/null | od -An -tu1 |
       awk '{ for (i = 1; i <= NF; i++) b[n++] = $i }
	    END { print b[0]*16777216 + b[1]*65536 + b[2]*256 + b[3] "x" \
			b[4]*16777216 + b[5]*65536 + b[6]*256 + b[7] }')
check "screenshot is 1200x1600 (got $dims)" [ "$dims" = 1200x1600 ]
size=$(wc -c <"$dir/report.png")
check "screenshot has content ($size bytes)" [ "$size" -gt 20000 ]

dom=$dir/dom.html
check "DOM was dumped" grep -q '<h1>Mentor candidates</h1>' "$dom"
check "no <script> element in the DOM" \
	sh -c '! grep -qi "<script" "$1"' - "$dom"
check "the hostile title is text: &lt;script&gt;alert(1)&lt;/script&gt;" \
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$dom"
check "no event-handler attribute (onmouseover, onerror) on any element" \
	sh -c '! grep -Eqi "<[^<>]*[[:space:]]on[a-z]+=" "$1"' - "$dom"
check "every href is http(s)" \
	sh -c '! grep -Eo "href=\"[^\"]*\"" "$1" | grep -Eqv "^href=\"https?://"' \
	- "$dom"
check "javascript: URLs are shown as text" \
	grep -qF '<span class="nolink" title="not a web link, not made clickable">javascript:alert(1)</span>' "$dom"
links=$(grep -Eo 'href="https?://[^"]*"' "$dom" | wc -l)
check "the 11 http(s) links of the fixture are links (got $links)" \
	[ "$links" -eq 11 ]

if [ $fail -ne 0 ]; then
	echo "render_check: FAILED (files in $dir)" >&2
	[ -n "${MS_RENDER_KEEP:-}" ] || trap - EXIT
	exit 1
fi
echo "render_check: passed"
