#!/bin/sh
# scripts/bootstrap.sh - from a fresh clone to a working ./gluec: installs the Debian
# packages, generates ./configure, configures and builds in the source tree, then renders
# the bundled example template. Safe to run again: each step is skipped when done
# (make rebuilds only what changed).
# Usage: scripts/bootstrap.sh [CONFIGURE-ARGS...]   (arguments force a new ./configure)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n==> %s\n' "$*"; }

step "scripts/install-deps.sh"
scripts/install-deps.sh

# autoreconf when ./configure or the files it installs are missing; after that, the
# makefile's own rules rerun autoconf/automake whenever configure.ac or Makefile.am change.
if [ ! -x configure ] || [ ! -f Makefile.in ] || [ ! -f build-aux/tap-driver.sh ]; then
    step "autoreconf -fi"
    autoreconf -fi
fi

if [ ! -f config.status ] || [ $# -gt 0 ]; then
    step "./configure $*"
    ./configure "$@"
fi

step "make -j$jobs"
make -j"$jobs"

step "./gluec compile --project-dir examples/taxi --profiles-dir examples/taxi"
./gluec compile --project-dir examples/taxi --profiles-dir examples/taxi
echo "plan written to examples/taxi/target/plan:"
(cd examples/taxi/target/plan && find . -type f | LC_ALL=C sort | sed 's|^\./|  |')
