#!/bin/sh
# scripts/install-deps.sh - install the Debian/Ubuntu packages that build and test gluec.
# Fast when everything is there: apt-get runs (with its `update`) only for missing packages.
# Uses sudo when not root. Usage: scripts/install-deps.sh [--print]
#   --print   list the packages and exit
set -eu

# build: compiler and autotools; re2c and bison generate the lexers and parsers;
# libraries: libyaml, utf8proc, json-c, libmd, PCRE2 (modules.re).
# test: python3-jinja2 (the Jinja differential suite), valgrind, time (/usr/bin/time
# in bench/render.sh), nodejs and npm (the Spark SQL grammar check, tests/sql: its npm
# packages, pinned by tests/sql/package-lock.json, go to $GLUEC_TEST_TOOLS, default
# ~/.cache/gluec-test-tools); fuzz: clang with its sanitizer and libFuzzer runtimes
# (./configure --enable-fuzz).
packages="build-essential autoconf automake pkg-config re2c bison
libyaml-dev libutf8proc-dev libjson-c-dev libmd-dev libpcre2-dev
python3 python3-jinja2 valgrind time nodejs
clang libclang-rt-dev"

if [ "${1:-}" = "--print" ]; then
    echo $packages
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: this script needs apt (Debian 12 / Ubuntu 22.04 or later)." >&2
    echo "install-deps.sh: install these packages by hand: $(echo $packages)" >&2
    exit 1
fi

missing=
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case $status in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done

# npm ships with some nodejs builds (NodeSource) and is a package of its own in Debian
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-deps.sh: run as root or install sudo; missing:$missing" >&2
        exit 1
    fi
    echo "install-deps.sh: installing:$missing"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
    echo "install-deps.sh: all packages are installed"
fi

# the npm test tools: installed again only when the lock file changed
here=$(cd "$(dirname "$0")/.." && pwd)
tools=${GLUEC_TEST_TOOLS:-${HOME:-/root}/.cache/gluec-test-tools}
if ! cmp -s "$here/tests/sql/package-lock.json" "$tools/package-lock.json" || [ ! -d "$tools/node_modules" ]; then
    echo "install-deps.sh: npm ci in $tools"
    mkdir -p "$tools"
    cp "$here/tests/sql/package.json" "$here/tests/sql/package-lock.json" "$tools/"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
