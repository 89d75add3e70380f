#!/usr/bin/env bash
# bench/render.sh - render benchmark: generates a template of N models (about 10 lines
# each), renders it with gluec and with Jinja2 (/usr/bin/python3), checks that both
# outputs are identical, and reports wall time and peak memory of each.
# Usage: bench/render.sh [N] [GLUEC]   (defaults: 500 models, ./gluec)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=${1:-500}
gluec=${2:-$here/../gluec}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/gen_template.py" "$n" "$tmp/t.j2" "$tmp/ctx.json"
measure() {  # label, output file, command...
    local label=$1 out=$2
    shift 2
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$out"
    read -r secs kb < "$tmp/time"
    awk -v l="$label" -v s="$secs" -v k="$kb" 'BEGIN { printf "%-8s %8.3f s  %8.1f MiB peak\n", l, s, k / 1024 }'
}
measure gluec "$tmp/out.gluec" "$gluec" render --context "$tmp/ctx.json" "$tmp/t.j2"
measure jinja2 "$tmp/out.jinja" /usr/bin/python3 -c '
import json, sys
from jinja2.sandbox import SandboxedEnvironment
env = SandboxedEnvironment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
src = open(sys.argv[1], encoding="utf-8").read()
ctx = json.load(open(sys.argv[2], encoding="utf-8"))
sys.stdout.write(env.from_string(src).render(**ctx))' "$tmp/t.j2" "$tmp/ctx.json"
if cmp -s "$tmp/out.gluec" "$tmp/out.jinja"; then
    echo "outputs identical ($(wc -c < "$tmp/out.gluec") bytes)"
else
    echo "OUTPUTS DIFFER"; diff "$tmp/out.jinja" "$tmp/out.gluec" | head -20; exit 1
fi
