#!/bin/sh
# Install the Debian packages mentorscout needs to build and test.
# As root: apt-get update, then a non-interactive install of what is missing,
# naming each package. Otherwise: print the exact command to run.
# python3-yaml and parallel serve tests/deploy/check.sh only.
# Usage: tools/deps.sh [extra packages...]
set -eu

PKGS="gcc make pkg-config libcurl4-openssl-dev libxml2-dev libjansson-dev
libpcre2-dev liblmdb-dev libcriterion-dev libmicrohttpd-dev zlib1g-dev
python3-yaml parallel"
PKGS="$PKGS $*"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing (no apt-get here; install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run: sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$missing'" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed:$missing"
