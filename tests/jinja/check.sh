#!/bin/sh
# tests/jinja/check.sh - the Jinja differential suite as one `make check` test: runs
# tests/jinja/run.py (which renders every case with python3-jinja2 and with gluec and
# compares) against the gluec of this build, on the plain corpus (cases/) and on the
# dbt modules corpus (modules/, run.py --modules). run.py's last line is "N passed, N failed";
# scripts/test.sh reads it from this test's log. Exit: 0 all passed, 1 some failed,
# 99 the suite could not run.
here=$(cd "$(dirname "$0")" && pwd)
gluec=${GLUEC:-$(pwd)/gluec}
python=${PYTHON3:-/usr/bin/python3}

if [ ! -x "$gluec" ]; then
    echo "check.sh: no gluec at $gluec (build it first, or set GLUEC)" >&2
    exit 99
fi
if ! "$python" -c 'import jinja2' 2>/dev/null; then
    echo "check.sh: $python cannot import jinja2: apt-get install python3-jinja2" >&2
    exit 99
fi

# run.py imports jinja_ref.py: no __pycache__ in the source tree (read-only under distcheck)
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE

out=$(mktemp "${TMPDIR:-/tmp}/gluec-jinja.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT
passed=0 failed=0 bad=0
for mode in "" --modules; do
    "$python" "$here/run.py" --gluec "$gluec" $mode >"$out" 2>&1
    status=$?
    grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$out"
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "check.sh: run.py $mode exited with status $status without a 'N passed, N failed' line" >&2
        exit 99
    fi
    passed=$((passed + $(echo "$summary" | sed 's/ passed.*//')))
    failed=$((failed + $(echo "$summary" | sed 's/.*passed, \([0-9]*\) failed/\1/')))
    [ "$status" -ne 0 ] && bad=1
done
echo "$passed passed, $failed failed"
if [ "$bad" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
exit 0
