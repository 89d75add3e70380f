#!/usr/bin/env bash
# scripts/test.sh - the whole test suite: builds what is out of date, runs `make check`
# (unit tests through the TAP driver, then every suite in the makefile's TESTS), prints
# one line per suite and, alone on the last line, "N passed, N failed" where N counts
# test cases (TAP test points, the cases of each suite). Exit status 0 only when nothing
# failed.
#
# Usage: scripts/test.sh [--sanitize]
#   --sanitize   build in build-san/ with --enable-sanitizers (ASan+UBSan, leak
#                checking) and run the same suites against that build
# Environment: JOBS (default: nproc), CONFIGURE_FLAGS (extra ./configure arguments when
# this script configures a build tree).
set -uo pipefail

# ---- the suites -------------------------------------------------------------------------
# One line per suite: NAME KIND RESULTS, RESULTS being .trs files (globs, relative to the
# build directory) written by `make check`. KIND says how to count cases:
#   tap      every TAP result ("ok"/"not ok") of the matching tests is a case
#   summary  the test's log (same name, .log) ends with "N passed, N failed"
# A new suite: add its tests/<suite>/check.sh to suite_checks in Makefile.am and a line
# here. Tests that no line claims are still run and counted, under "other".
SUITES=(
    "unit   tap      tests/unit/*.trs"
    "jinja  summary  tests/jinja/check.trs"
    "errors summary  tests/errors/check.trs"
    "golden summary  tests/golden/check.trs"
    "sql    summary  tests/sql/check.trs"
)

sanitize=0
while [ $# -gt 0 ]; do
    case $1 in
        --sanitize) sanitize=1 ;;
        -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "test.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# finish PASSED FAILED: the closing line and the exit status.
finish() {
    echo "$1 passed, $2 failed"
    [ "$2" -eq 0 ]
    exit
}
fail_setup() {
    echo "test.sh: $*" >&2
    finish 0 1
}

# ---- the build tree ----------------------------------------------------------------------
# ensure_autoreconf DIR: generate DIR/configure unless it is there (afterwards the
# makefile's rules regenerate it when configure.ac or Makefile.am change).
ensure_autoreconf() {
    if [ ! -x "$1/configure" ] || [ ! -f "$1/Makefile.in" ] || [ ! -f "$1/build-aux/tap-driver.sh" ]; then
        echo "==> autoreconf -fi ($1)"
        (cd "$1" && autoreconf -fi) || return 1
    fi
}

# sync_sources DEST: make DEST a copy of the sources of $top: the files git tracks or
# would track (committed or not; ignored build products excluded). Modification times
# are kept, so make rebuilds only what changed. build-san/ needs its own copy because
# automake refuses an out-of-tree build of a source tree that is configured in place
# (make would also pick that tree's objects up through VPATH); the copy is never
# configured itself. Without git (a tarball), the copy is `make distdir`.
sync_sources() {
    local dest=$1 list cand ign
    if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
        mkdir -p "$dest"
        list=$(mktemp) cand=$(mktemp) ign=$(mktemp) || return 1
        (cd "$top" && git ls-files -z -c -o --exclude-standard | \
            while IFS= read -r -d '' f; do
                case $f in build-san/*) continue ;; esac
                [ -f "$f" ] && printf '%s\0' "$f"
            done | sort -z) > "$list"
        (cd "$top" && tar --null -T "$list" -cf -) | (cd "$dest" && tar -xf -) || return 1
        # drop the copies of files deleted since the last run (keeping generated files)
        (cd "$dest" && find . -type f ! -path './autom4te.cache/*' ! -path './build-aux/*' -print0 | \
            sed -z 's|^\./||' | sort -z | comm -z -23 - "$list") > "$cand"
        (cd "$top" && git check-ignore -z --no-index --stdin < "$cand" | sort -z) > "$ign"
        comm -z -23 "$cand" "$ign" | (cd "$dest" && xargs -0 -r rm -f --)
        rm -f "$list" "$cand" "$ign"
    else
        ensure_autoreconf "$top" || return 1
        if [ ! -f "$top/config.status" ]; then
            # shellcheck disable=SC2086
            (cd "$top" && ./configure ${CONFIGURE_FLAGS:-}) || return 1
        fi
        echo "==> make distdir (no git: the sources are the files of the tarball)"
        rm -rf "$dest"
        mkdir -p "$(dirname "$dest")"
        make -C "$top" distdir distdir="$dest" >/dev/null
    fi
}

if [ "$sanitize" -eq 1 ]; then
    build=$top/build-san
    label=build-san
    export ASAN_OPTIONS="detect_leaks=1:exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    echo "==> copy the sources to build-san/.src"
    sync_sources "$build/.src" || fail_setup "could not copy the sources to build-san/.src"
    ensure_autoreconf "$build/.src" || fail_setup "autoreconf failed"
    if [ ! -f "$build/config.status" ]; then
        echo "==> .src/configure --enable-sanitizers ${CONFIGURE_FLAGS:-}(in build-san/)"
        # shellcheck disable=SC2086
        (cd "$build" && .src/configure --enable-sanitizers ${CONFIGURE_FLAGS:-}) ||
            fail_setup "configure --enable-sanitizers failed (see build-san/config.log)"
    fi
else
    build=$top
    label=in-tree
    ensure_autoreconf "$top" || fail_setup "autoreconf failed"
    if [ ! -f "$top/config.status" ]; then
        echo "==> ./configure ${CONFIGURE_FLAGS:-}"
        # shellcheck disable=SC2086
        (cd "$top" && ./configure ${CONFIGURE_FLAGS:-}) || fail_setup "./configure failed (see config.log)"
    fi
fi

cd "$build" || fail_setup "no build directory $build"
echo "==> make -j$jobs ($label build)"
make -j"$jobs" || fail_setup "the build failed"

# results of an earlier run (maybe of tests that no longer exist) must not be counted
while IFS= read -r -d '' trs; do
    rm -f "$trs" "${trs%.trs}.log"
done < <(find tests -name '*.trs' -type f -print0 2>/dev/null)
rm -f test-suite.log

echo "==> make -j$jobs check"
make -j"$jobs" check
check_status=$?

# the logs of the failed tests, before the results so that those stay in view
if [ "$check_status" -ne 0 ] && [ -f test-suite.log ]; then
    echo
    echo "==> failed tests (test-suite.log of the $label build; each test's log is next to it)"
    sed -n '/^\.\. contents:: :depth: 2/,$p' test-suite.log | tail -n +2 > test-suite.failed
    head -n 300 test-suite.failed
    n=$(wc -l < test-suite.failed)
    [ "$n" -gt 300 ] && echo "... $((n - 300)) more lines in test-suite.log"
    rm -f test-suite.failed
fi

# ---- counting ------------------------------------------------------------------------------
total_pass=0 total_fail=0
declare -A claimed=()

# count_tap TRS: adds the TAP results of one test to pass/fail/skip. The driver adds an
# ERROR result when the program exits non-zero; after "not ok" lines an exit status of 1
# only repeats them, so it is not counted again (crashes, sanitizer reports are).
count_tap() {
    local p f e s
    p=$(grep -cE '^:test-result: (PASS|XFAIL)' "$1")
    f=$(grep -cE '^:test-result: (FAIL|XPASS)' "$1")
    e=$(grep -cE '^:test-result: ERROR' "$1")
    s=$(grep -cE '^:test-result: SKIP' "$1")
    if [ "$f" -gt 0 ] && [ "$e" -gt 0 ] && grep -q -- ' - exited with status 1$' "${1%.trs}.log"; then
        e=$((e - 1))
    fi
    pass=$((pass + p)) fail=$((fail + f + e)) skip=$((skip + s))
}

# count_summary TRS: adds the "N passed, N failed" of the test's log; a test that failed
# without saying how many cases failed counts as one failure.
count_summary() {
    local log=${1%.trs}.log line p=0 f=0
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n 1)
    if [ -n "$line" ]; then
        read -r p _ f _ <<< "${line//,/}"
    fi
    if grep -qE '^:test-result: SKIP' "$1"; then
        skip=$((skip + 1))
    elif grep -qE '^:test-result: (FAIL|XPASS|ERROR)' "$1" && [ "$f" -eq 0 ]; then
        f=1
    fi
    pass=$((pass + p)) fail=$((fail + f))
}

report() {  # NAME: one line per suite
    printf '%-8s %6d passed, %d failed%s\n' "$1" "$pass" "$fail" \
        "$( [ "$skip" -gt 0 ] && printf ', %d skipped' "$skip")"
    total_pass=$((total_pass + pass)) total_fail=$((total_fail + fail))
}

echo
echo "==> results ($label build)"
shopt -s nullglob
for line in "${SUITES[@]}"; do
    read -r name kind pattern <<< "$line"
    pass=0 fail=0 skip=0 found=0
    for trs in $pattern; do
        [ -f "$trs" ] || continue
        claimed[$trs]=1
        found=1
        case $kind in
            tap) count_tap "$trs" ;;
            summary) count_summary "$trs" ;;
            *) echo "test.sh: suite $name: unknown kind $kind" >&2; fail=$((fail + 1)) ;;
        esac
    done
    if [ "$found" -eq 0 ]; then
        echo "test.sh: suite $name: no results ($pattern): did its tests build and run?" >&2
        fail=$((fail + 1))
    fi
    report "$name"
done
pass=0 fail=0 skip=0 found=0
while IFS= read -r -d '' trs; do
    trs=${trs#./}
    [ -n "${claimed[$trs]:-}" ] && continue
    found=1
    count_tap "$trs"
done < <(find tests -name '*.trs' -type f -print0 2>/dev/null | sort -z)
[ "$found" -eq 1 ] && report other

if [ "$check_status" -ne 0 ] && [ "$total_fail" -eq 0 ]; then
    echo "test.sh: make check failed but no test reported a failure (see above)" >&2
    total_fail=1
fi
finish "$total_pass" "$total_fail"
