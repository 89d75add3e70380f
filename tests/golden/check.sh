#!/bin/sh
# tests/golden/check.sh - golden projects: every tests/golden/<case>/ with a `cmd` file
# is compiled with `gluec <cmd> --out TMP` from inside the case folder (with the
# variables of its `env` file exported), and every file under expected/ must equal the
# plan file gluec wrote, modulo trailing whitespace (as design.md's contract allows for
# compiled/). Each expected file is one test case.
# errors/<case>/ are broken projects whose first diagnostic line is pinned (see below).
# A case with selections.txt also runs each listed `gluec ls ...` and compares its
# stdout with the named file exactly (expected/ls/ is not part of the plan). The
# compile's warning lines must be exactly the case's warnings.txt (none when absent).
# Known gaps: tests/golden/known-gaps.txt lists expected files that gluec does not yet
# produce (one path per line, relative to tests/golden, with a reason after a space);
# they are reported and not counted, and one that starts to pass is a failure (remove
# it from the list).
# Environment: GLUEC (default: ./gluec of the build tree, then the source tree).
here=$(cd "$(dirname "$0")" && pwd)
gluec=${GLUEC:-$(pwd)/gluec}
[ -x "$gluec" ] || gluec=$here/../../gluec
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 gaps=0
# The content with trailing whitespace removed from every line and from the end.
norm() { sed -e 's/[[:space:]]*$//' "$1" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'; }
for case_dir in "$here"/*/; do
    case_name=$(basename "$case_dir")
    [ -f "$case_dir/cmd" ] && [ -d "$case_dir/expected" ] || continue
    out=$tmp/$case_name
    (
        cd "$case_dir" || exit 99
        if [ -f env ]; then set -a; . ./env; set +a; fi
        # cmd holds shell words (quotes allowed, as in a README)
        eval "set -- $(cat cmd)"
        "$gluec" "$@" --out "$out" > "$tmp/$case_name.stdout" 2> "$tmp/$case_name.stderr"
    )
    status=$?
    if [ $status -ne 0 ]; then   # a crash, a sanitizer report or an error: one failed case
        failed=$((failed + 1))
        echo "FAIL $case_name: gluec exited $status"
        sed 's/^/    /' "$tmp/$case_name.stderr" | head -20
    else
        passed=$((passed + 1))
    fi
    # the warning lines gluec printed must be exactly warnings.txt (none when absent)
    grep -F ': warning: ' "$tmp/$case_name.stderr" > "$tmp/warnings.got" || true
    if [ -f "$case_dir/warnings.txt" ]; then cp "$case_dir/warnings.txt" "$tmp/warnings.want"
    else : > "$tmp/warnings.want"; fi
    if cmp -s "$tmp/warnings.want" "$tmp/warnings.got"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $case_name: warnings differ from warnings.txt"
        diff "$tmp/warnings.want" "$tmp/warnings.got" | head -10 | sed 's/^/    /'
    fi
    for want in $(cd "$case_dir/expected" && find . -type f ! -path './ls/*' | LC_ALL=C sort); do
        rel=${want#./}
        key="$case_name/expected/$rel"
        gap=$(grep -F "$key " "$here/known-gaps.txt" 2>/dev/null | head -1)
        got=$out/$rel
        if [ -f "$got" ] && [ "$(norm "$case_dir/expected/$rel")" = "$(norm "$got")" ]; then
            if [ -n "$gap" ]; then
                failed=$((failed + 1))
                echo "XPASS $key: listed in known-gaps.txt but now matches; remove it from the list"
            else
                passed=$((passed + 1))
            fi
        elif [ -n "$gap" ]; then
            gaps=$((gaps + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $key"
            if [ -f "$got" ]; then
                norm "$case_dir/expected/$rel" > "$tmp/want"
                norm "$got" > "$tmp/got"
                diff "$tmp/want" "$tmp/got" | head -20 | sed 's/^/    /'
            else
                echo "    gluec wrote no such file"
            fi
        fi
    done
done
# selections.txt: "<gluec arguments>\t<expected stdout file>" per line; each is a case.
for sel in "$here"/*/selections.txt; do
    [ -f "$sel" ] || continue
    case_dir=$(dirname "$sel")
    case_name=$(basename "$case_dir")
    tab=$(printf '\t')
    while IFS="$tab" read -r args file; do
        case $args in "#"*|"") continue ;; esac
        if (cd "$case_dir" && eval "set -- $args" && "$gluec" "$@" > "$tmp/ls.out" 2> "$tmp/ls.err") &&
           cmp -s "$tmp/ls.out" "$case_dir/$file"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $case_name/$file: gluec $args"
            diff "$case_dir/$file" "$tmp/ls.out" | head -10 | sed 's/^/    /'
            sed 's/^/    /' "$tmp/ls.err" | head -5
        fi
    done < "$sel"
done
# errors/<case>/: a broken project; gluec must exit 1 and print expected.txt as the
# first line of stderr, and hint.txt (when present) as one of the hint lines.
for case_dir in "$here"/errors/*/; do
    [ -f "$case_dir/expected.txt" ] || continue
    case_name=errors/$(basename "$case_dir")
    (cd "$case_dir" && eval "set -- $(cat cmd)" && "$gluec" "$@" --out "$tmp/errplan" > "$tmp/err.out" 2> "$tmp/err.txt")
    status=$?
    ok=1
    [ $status -eq 1 ] || ok=0
    [ "$(head -n 1 "$tmp/err.txt")" = "$(cat "$case_dir/expected.txt")" ] || ok=0
    if [ -f "$case_dir/hint.txt" ]; then
        sed 's/^ *//' "$tmp/err.txt" | grep -qxF "$(cat "$case_dir/hint.txt")" || ok=0
    fi
    [ -e "$tmp/errplan" ] && ok=0   # nothing may be written
    rm -rf "$tmp/errplan"             # (and a case that wrote one must not fail the next)
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $case_name (exit $status)"
        head -n 1 "$tmp/err.txt" | sed 's/^/    got:  /'
        sed 's/^/    want: /' "$case_dir/expected.txt"
    fi
done
# Determinism: the same project compiled again under another locale, time zone and
# thread count gives the same bytes, also over a previous plan (reuse). Atomicity: a compile that fails leaves the plan
# directory exactly as it was.
det=$here/shop
if [ -d "$det/project" ]; then
    (cd "$det" && eval "set -- $(cat cmd)" && "$gluec" "$@" --out "$tmp/det1" 2>/dev/null)
    (cd "$det" && eval "set -- $(cat cmd)" &&
        LC_ALL=C.UTF-8 TZ=Asia/Kolkata "$gluec" "$@" --threads 2 --out "$tmp/det2" 2>/dev/null)
    if diff -r "$tmp/det1" "$tmp/det2" > "$tmp/det.diff"; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAIL determinism: two compiles of shop differ"; head -20 "$tmp/det.diff"; fi
    # a compile over a previous plan reuses the files whose bytes did not change (hard
    # links): one changed by hand must come back as gluec writes it, the rest the same
    (cd "$det" && eval "set -- $(cat cmd)" && "$gluec" "$@" --out "$tmp/again" 2>/dev/null)
    victim=$(cd "$tmp/again" && find compiled -name '*.sql' | LC_ALL=C sort | head -n 1)
    echo "-- edited by hand" > "$tmp/again/$victim"
    (cd "$det" && eval "set -- $(cat cmd)" && "$gluec" "$@" --out "$tmp/again" 2>/dev/null)
    if diff -r "$tmp/det1" "$tmp/again" > "$tmp/again.diff"; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAIL reuse: a compile over a previous plan differs"; head -20 "$tmp/again.diff"; fi
    cp -r "$tmp/det1" "$tmp/det1.before"
    (cd "$here/errors/cycle" && eval "set -- $(cat cmd)" && "$gluec" "$@" --out "$tmp/det1" 2>/dev/null)
    if diff -r "$tmp/det1.before" "$tmp/det1" > /dev/null; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAIL atomicity: a failed compile changed the plan directory"; fi
fi
[ $gaps -gt 0 ] && echo "($gaps expected files are known gaps: see tests/golden/known-gaps.txt)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
