#!/bin/sh
# tests/errors/check.sh - exact diagnostics: every cases/NAME.j2 is rendered (with
# cases/NAME.json as context when present) from inside cases/, and gluec's stderr must
# equal cases/NAME.err byte for byte, its exit status cases/NAME.code, its stdout empty.
# `check.sh --update` rewrites the expectations for review as a diff.
# Environment: GLUEC (default: ./gluec of the build tree, then of the source tree).
here=$(cd "$(dirname "$0")" && pwd)
gluec=${GLUEC:-$(pwd)/gluec}
[ -x "$gluec" ] || gluec=$here/../../gluec
update=0
[ "${1:-}" = "--update" ] && update=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for tpl in "$here"/cases/*.j2; do
    name=$(basename "$tpl" .j2)
    set -- render
    [ -f "$here/cases/$name.json" ] && set -- render --context "$name.json"
    (cd "$here/cases" && "$gluec" "$@" "$name.j2" > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/code")
    if [ $update = 1 ]; then
        cp "$tmp/err" "$here/cases/$name.err"
        cp "$tmp/code" "$here/cases/$name.code"
    fi
    if cmp -s "$tmp/err" "$here/cases/$name.err" && cmp -s "$tmp/code" "$here/cases/$name.code" && [ ! -s "$tmp/out" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name (exit $(cat "$tmp/code"), want $(cat "$here/cases/$name.code" 2>/dev/null))"
        diff "$here/cases/$name.err" "$tmp/err" | sed 's/^/    /'
        [ -s "$tmp/out" ] && echo "    stdout was not empty"
    fi
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
