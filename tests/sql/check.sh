#!/bin/sh
# tests/sql/check.sh - the compiled SQL must be Spark SQL: every expected compiled file of
# the golden projects (which gluec's output must equal, see tests/golden/check.sh) and
# the plan gluec writes for examples/taxi are parsed with Spark SQL's grammar
# (dt-sql-parser, an npm test tool that scripts/install-deps.sh installs into
# $GLUEC_TEST_TOOLS, default ~/.cache/gluec-test-tools). One case per file; the last
# line is "N passed, N failed". Exit: 0 all passed, 1 some failed, 99 cannot run.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
gluec=${GLUEC:-$(pwd)/gluec}
[ -x "$gluec" ] || gluec=$top/gluec
tools=${GLUEC_TEST_TOOLS:-${HOME:-/root}/.cache/gluec-test-tools}

if ! command -v node >/dev/null 2>&1; then
    echo "check.sh: node is missing: run scripts/install-deps.sh (apt-get install nodejs npm)" >&2
    exit 99
fi
if [ ! -d "$tools/node_modules/dt-sql-parser" ]; then
    echo "check.sh: no dt-sql-parser in $tools: run scripts/install-deps.sh" >&2
    exit 99
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gluec-sql.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

dirs=$(ls -d "$top"/tests/golden/*/expected/compiled 2>/dev/null)
if [ -x "$gluec" ] && "$gluec" compile --project-dir "$top/examples/taxi" --profiles-dir "$top/examples/taxi" \
       --out "$tmp/taxi" >/dev/null 2>"$tmp/taxi.err"; then
    dirs="$dirs $tmp/taxi"
else
    echo "FAIL examples/taxi: gluec compile failed"
    cat "$tmp/taxi.err"
    echo "0 passed, 1 failed"
    exit 1
fi
# the tools live outside the source tree: check.mjs and loader.mjs are copied next to
# node_modules so that Node resolves dt-sql-parser from there
cp "$here/check.mjs" "$here/loader.mjs" "$tmp/" || exit 99
ln -s "$tools/node_modules" "$tmp/node_modules" || exit 99
# shellcheck disable=SC2086
(cd "$tmp" && node --no-warnings --experimental-loader ./loader.mjs ./check.mjs $dirs)
