#!/usr/bin/python3
"""Random cases for dbt's toyaml() (modules corpus format, on stdout).

Builds nested values (dicts with str/int/float/bool/None/tuple keys, lists,
tuples, shared lists that PyYAML writes as &id001 anchors, strings made of
fragments that stress PyYAML's scalar analysis: implicit types, indicators,
spaces, breaks, non-ASCII, long lines) and writes one case per value as a
Jinja literal passed to toyaml(), sometimes with sort_keys=True, sometimes as
a fromyaml(toyaml(x)) == x round trip.  Deterministic for a given --seed.

    /usr/bin/python3 tests/jinja/gen_toyaml_cases.py --seed 1 -n 500 > /tmp/g.txt
    /usr/bin/python3 tests/jinja/run.py --modules /tmp/g.txt

Used for wide one-off checks; modules/toyaml.txt keeps hand-picked cases.
"""

import argparse
import random

FRAGMENTS = [
    "a", "abc", "hello world", "true", "False", "null", "~", "yes", "No", "on",
    "OFF", "1", "-1", "+1", "0x1F", "0o7", "017", "0b101", "1_000", "1:30",
    "190:20:30", "1.5", "-.5", ".5", "1e5", "1.0e+5", "1.", ".inf", "-.Inf",
    ".NaN", "2024-01-01", "2024-1-1 10:00:00", "2024-01-01T10:00:00Z",
    "2001-12-14 21:59:43.10 -5", "<<", "=", "!", "&", "*", "", " ", "  ",
    " lead", "trail ", "a: b", "a:b", "a :b", "a #b", "a#b", "#x", "- x", "-x",
    "-", "? x", "?x", ":x", "x:", "---", "--- x", "...", "...x", "[a]", "{a}",
    "a, b", "a,b", "@x", "`x", "%x", "!x", "&x", "*x", "|x", ">x", "'q'",
    "it's", '"dq"', 'say "hi"', "back\\slash", "a\nb", "a\n\nb", "x\n",
    "\ny", "a \nb", "a\n b", "\ttab", "cr\r", "\x00", "\x07", "\x1b", "\x7f",
    "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "\xe9", "caf\xe9",
    "\u20ac", "\U0001F600", "\u4e2d\u6587", "select * from t",
    "{{ jinja }}", "{% if %}", "s3://bucket/path/", "key=value",
]

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
         "theta", "iota", "kappa", "lambda", "mu", "xxxxxxxxxxxxxxxxxxxx",
         "a", "bb", "ccc"]


def long_text(rnd):
    """Long strings: PyYAML folds plain and quoted scalars past column 80."""
    n = rnd.randint(10, 40)
    seps = [" "] * 8 + ["  ", "\n", "\xe9", " \u20ac ", "'", ": "]
    out = []
    for i in range(n):
        out.append(rnd.choice(WORDS))
        if i < n - 1:
            out.append(rnd.choice(seps))
    if rnd.random() < 0.2:
        return "y" * rnd.randint(70, 120)
    return "".join(out)


def text(rnd):
    r = rnd.random()
    if r < 0.5:
        return rnd.choice(FRAGMENTS)
    if r < 0.75:
        k = rnd.randint(2, 3)
        return rnd.choice(["", " ", "\n", ": "]).join(
            rnd.choice(FRAGMENTS) for _ in range(k))
    return long_text(rnd)


def scalar(rnd):
    r = rnd.random()
    if r < 0.5:
        return text(rnd)
    if r < 0.6:
        return rnd.choice([None, True, False])
    if r < 0.8:
        return rnd.choice([0, 1, -1, 42, 2**31, -2**63 + 1, 2**63 - 1, 10**18])
    return rnd.choice([0.0, -0.0, 1.5, -2.25, 0.1, 1e16, 1e17, 1.5e300,
                       1e-5, 3.14159, 123456789.125, float("inf"),
                       float("-inf"), 1e22, 5e-324])


SEEN_TUPLES = set()


def fresh_tuple(rnd):
    """A tuple of scalars unlike the others of the case, or None.  Python
    compiles equal constant tuples of one template to one object, which
    PyYAML then anchors; gluec makes one per literal."""
    t = tuple(scalar(rnd) for _ in range(rnd.randint(0, 3)))
    text = jinja(t)
    if t and text in SEEN_TUPLES:
        return None
    SEEN_TUPLES.add(text)
    return t


def key(rnd):
    r = rnd.random()
    if r < 0.75:
        return text(rnd)
    if r < 0.85:
        return rnd.choice([0, 1, -7, 3.5, None, True, False])
    t = fresh_tuple(rnd)
    return text(rnd) if t is None else t


def value(rnd, depth, shared):
    r = rnd.random()
    if depth > 3 or r < 0.4:
        return scalar(rnd)
    if r < 0.5 and shared:
        return rnd.choice(shared)
    if r < 0.7:
        return [value(rnd, depth + 1, shared)
                for _ in range(rnd.randint(0, 4))]
    if r < 0.75:
        t = fresh_tuple(rnd)
        return [] if t is None else t
    d = {}
    for _ in range(rnd.randint(0, 4)):
        d[key(rnd)] = value(rnd, depth + 1, shared)
    return d


class Shared:
    """A list bound with {% set %} and used by name (PyYAML anchors it)."""

    def __init__(self, name, val):
        self.name = name
        self.val = val


def jstr(s):
    out = ["'"]
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == "\n":
            out.append("\\n")
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o <= 0xFF:
            out.append("\\x%02x" % o)
        elif o <= 0xFFFF:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    out.append("'")
    return "".join(out)


def jinja(v):
    """v as a Jinja expression."""
    if isinstance(v, Shared):
        return v.name
    if v is None:
        return "none"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v in (float("inf"), float("-inf")):
            # not a constant: Jinja2 would fold 'inf'|float into `inf`, a NameError
            return "(big * %d)" % (10 if v > 0 else -10)
        return repr(v)
    if isinstance(v, str):
        return jstr(v)
    if isinstance(v, tuple):
        if len(v) == 1:
            return "(%s,)" % jinja(v[0])
        return "(%s)" % ", ".join(jinja(x) for x in v)
    if isinstance(v, list):
        return "[%s]" % ", ".join(jinja(x) for x in v)
    return "{%s}" % ", ".join("%s: %s" % (jinja(k), jinja(x))
                              for k, x in v.items())




def case(rnd, i):
    SEEN_TUPLES.clear()
    shared = []
    sets = []
    for j in range(rnd.randint(0, 2)):
        val = [scalar(rnd) for _ in range(rnd.randint(0, 2))]
        sets.append("{%% set s%d = %s %%}" % (j, jinja(val)))
        shared.append(Shared("s%d" % j, val))
    v = value(rnd, 0, shared)
    expr = jinja(v)
    r = rnd.random()
    if r < 0.2:
        call = "toyaml(%s, sort_keys=true)" % expr
    else:
        call = "toyaml(%s)" % expr
    if "(big " in expr + "".join(sets):
        sets.insert(0, "{% set big = 1e308 %}")
    body = "".join(sets) + "{{ %s }}" % call
    if rnd.random() < 0.15:
        body = "".join(sets) + "{%% set v = %s %%}{{ fromyaml(toyaml(v)) == v }}" % expr
    return "=== toyaml-gen-%d\n---\n%s\n" % (i, body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-n", type=int, default=200)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    print("# generated by gen_toyaml_cases.py --seed %d -n %d"
          % (args.seed, args.n))
    for i in range(args.n):
        print(case(rnd, i), end="")


if __name__ == "__main__":
    main()
