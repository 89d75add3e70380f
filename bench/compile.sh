#!/usr/bin/env bash
# bench/compile.sh - compile benchmark: generates a project of N models
# (bench/gen_project.py) and reports wall time and peak memory of `gluec compile` over
# it, best of RUNS runs (the first compiles into an empty plan directory, the others over
# the previous plan), and the phase times of the best run (GLUEC_STATS).
# Usage: bench/compile.sh [N] [RUNS] [GLUEC]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=${1:-1000}
runs=${2:-3}
gluec=${3:-$here/../gluec}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/gen_project.py" "$n" "$tmp/project"
best=""
for _ in $(seq "$runs"); do
    GLUEC_STATS=1 /usr/bin/time -f "%e %M" -o "$tmp/time" "$gluec" compile --project-dir "$tmp/project" \
        --profiles-dir "$tmp/project" --out "$tmp/plan" 2> "$tmp/stats"
    read -r secs kb < "$tmp/time"
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
        best=$secs mem=$kb
        phases=$(grep '^gluec times' "$tmp/stats")
    fi
done
files=$(find "$tmp/plan" -type f | wc -l)
awk -v n="$n" -v s="$best" -v k="$mem" -v f="$files" \
    'BEGIN { printf "%d models: %.3f s, %.1f MiB peak, %d plan files\n", n, s, k / 1024, f }'
echo "best run: $phases"
