#!/usr/bin/python3
"""Jinja conformance harness for gluec.

Every case in tests/jinja/cases/*.txt is rendered by Python's Jinja2 (see
jinja_ref.py, set up as dbt sets it up) and by `gluec render`; the two must
agree byte for byte, or both must fail.

    run.py [--gluec PATH] [--jobs N] [--filter SUBSTR] [-v]
    run.py --list             cases per file
    run.py --expected-only    only run Jinja2: check the corpus itself
    run.py --show --filter X  print template, context and Jinja2's result
    run.py --lint             corpus check: cases that touch undefined values
                              without saying so in their name
    run.py --modules          the dbt `modules` corpus (modules/*.txt): Jinja2
                              gets dbt's `modules` object (datetime, re,
                              itertools, pytz as dbt exposes them) and its
                              toyaml/fromyaml (jinja_ref.dbt_context()), gluec renders
                              each case with `compile --inline` in the fixture
                              project modules/project; cases take no context

Case names starting with "err-" must make Jinja2 raise; all others must
render.  A case that breaks this rule is reported as a corpus problem and
counts as a failure.

The last line printed is always "N passed, N failed"; the exit status is 1
when anything failed (or on a corpus problem), 0 otherwise.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
CASES_DIR = os.path.join(HERE, "cases")
MODULES_DIR = os.path.join(HERE, "modules")
MODULES_PROJECT = os.path.join(MODULES_DIR, "project")
INLINE_NAME = "<inline>"
TIMEOUT = 10.0
TEMPLATE_NAME = "tpl.j2"
CONTEXT_NAME = "ctx.json"

sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

HEADER_RE = re.compile(r"^=== (\S*)\s*$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIAG_RE = re.compile(r"^%s:(\d+):(\d+): error: (.+)$" % re.escape(TEMPLATE_NAME))
INLINE_DIAG_RE = re.compile(r"^%s:(\d+):(\d+): error: (.+)$" % re.escape(INLINE_NAME))
NONDET_RE = re.compile(rb" at 0x[0-9a-fA-F]+>")
CARET_RE = re.compile(r"^[ \t|]*\^[\^~]*[ \t]*$")


class Case:
    __slots__ = ("file", "line", "name", "context_text", "context",
                 "template", "ref")

    def __init__(self, file, line, name, context_text, context, template):
        self.file = file
        self.line = line
        self.name = name
        self.context_text = context_text
        self.context = context
        self.template = template
        self.ref = None

    @property
    def where(self):
        return "%s:%d" % (self.file, self.line)

    @property
    def is_err(self):
        return self.name.startswith("err-")


# --------------------------------------------------------------------------
# case files

def _no_dup_keys(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key %r" % k)
        d[k] = v
    return d


def _no_constants(name):
    raise ValueError("%s is not JSON" % name)


def parse_file(path, rel):
    """Parse one case file.  Returns (cases, problems)."""
    cases, problems = [], []
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], ["%s: not UTF-8: %s" % (rel, exc)]
    # The newline before end of file is not part of the last template.
    if text.endswith("\n"):
        text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
    lines = text.split("\n")
    headers = []
    for i, line in enumerate(lines):
        m = HEADER_RE.match(line.rstrip("\r"))
        if m:
            headers.append((i, m.group(1)))
    first = headers[0][0] if headers else len(lines)
    for i in range(first):
        s = lines[i].strip()
        if s and not s.startswith("#"):
            problems.append("%s:%d: text before the first case (only blank "
                            "lines and # comments may stand there)"
                            % (rel, i + 1))
            break
    for k, (h, name) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        body = lines[h + 1:end]
        where = "%s:%d" % (rel, h + 1)
        if not NAME_RE.match(name):
            problems.append("%s: bad case name %r (lowercase, digits, dashes)"
                            % (where, name))
        sep = None
        for j, line in enumerate(body):
            if line.rstrip("\r") == "---":
                sep = j
                break
        if sep is None:
            problems.append("%s: case %r has no '---' line" % (where, name))
            continue
        ctx_text = "\n".join(l.rstrip("\r") for l in body[:sep]).strip()
        template = "\n".join(body[sep + 1:])
        # the line terminator before the next header may be CRLF
        if template.endswith("\r"):
            template = template[:-1]
        context = {}
        if ctx_text:
            try:
                context = json.loads(ctx_text, object_pairs_hook=_no_dup_keys,
                                     parse_constant=_no_constants)
            except ValueError as exc:
                problems.append("%s: case %r: bad JSON context: %s"
                                % (where, name, exc))
                context = None
            else:
                if not isinstance(context, dict):
                    problems.append("%s: case %r: context is not a JSON object"
                                    % (where, name))
                    context = None
        cases.append(Case(rel, h + 1, name, ctx_text, context, template))
    return cases, problems


def load_cases(files=None, cases_dir=CASES_DIR):
    """Parse the given case files (default: every cases_dir/*.txt)."""
    if not files:
        files = sorted(os.path.join(cases_dir, f) for f in os.listdir(cases_dir)
                       if f.endswith(".txt"))
    cases, problems = [], []
    seen = {}
    for path in files:
        rel = os.path.relpath(os.path.abspath(path), HERE)
        cs, ps = parse_file(path, rel)
        problems.extend(ps)
        for c in cs:
            if c.name in seen:
                problems.append("%s: duplicate case name %r (first at %s)"
                                % (c.where, c.name, seen[c.name]))
            else:
                seen[c.name] = c.where
            cases.append(c)
    return cases, problems


# --------------------------------------------------------------------------
# reporting helpers

def _text(b):
    if isinstance(b, bytes):
        return b.decode("utf-8", "backslashreplace")
    return b


def short(b, limit=160):
    s = repr(_text(b))
    if len(s) > limit:
        s = s[:limit - 5] + "...'"
    return s


def diff_excerpt(exp, got, width=70):
    """repr()s of both byte strings around their first difference."""
    n = 0
    m = min(len(exp), len(got))
    while n < m and exp[n] == got[n]:
        n += 1
    if len(exp) <= width and len(got) <= width:
        return "expected %s, got %s" % (repr(_text(exp)), repr(_text(got)))
    lo = max(0, n - 30)
    e = exp[lo:lo + width]
    g = got[lo:lo + width]
    pre = "..." if lo else ""
    return ("first difference at byte %d: expected %s%s%s, got %s%s%s"
            % (n, pre, repr(_text(e)), "..." if lo + width < len(exp) else "",
               pre, repr(_text(g)), "..." if lo + width < len(got) else ""))


# --------------------------------------------------------------------------
# running gluec

def _run(argv, cwd):
    """Run gluec; returns (completed process, None) or (None, what went wrong)."""
    try:
        return subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=TIMEOUT), None
    except subprocess.TimeoutExpired:
        return None, "timeout: gluec still running after %gs" % TIMEOUT
    except OSError as exc:
        return None, "cannot run %s: %s" % (argv[0], exc)


def run_gluec_inline(gluec, case):
    """Run one modules case through `gluec compile --inline` in the fixture
    project; returns (passed, message).  --inline prints the rendering and a
    newline: that newline is not part of the result."""
    argv = [gluec, "compile", "--project-dir", MODULES_PROJECT,
            "--profiles-dir", MODULES_PROJECT, "--inline", case.template]
    p, problem = _run(argv, None)
    if problem:
        return False, problem
    out = p.stdout
    if p.returncode == 0:
        if not out.endswith(b"\n"):
            return False, "compile --inline output does not end in a newline"
        out = out[:-1]
    return judge(case, p.returncode, out, p.stderr, INLINE_DIAG_RE, INLINE_NAME)


def run_gluec(gluec, case, base):
    """Run one case through gluec; returns (passed, message)."""
    d = tempfile.mkdtemp(prefix="case-", dir=base)
    try:
        with open(os.path.join(d, TEMPLATE_NAME), "wb") as f:
            f.write(case.template.encode("utf-8"))
        with open(os.path.join(d, CONTEXT_NAME), "wb") as f:
            f.write((case.context_text or "{}").encode("utf-8") + b"\n")
        p, problem = _run([gluec, "render", "--context", CONTEXT_NAME,
                           TEMPLATE_NAME], d)
        if problem:
            return False, problem
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return judge(case, p.returncode, p.stdout, p.stderr)


def _signame(rc):
    try:
        return signal.Signals(-rc).name
    except ValueError:
        return "signal %d" % -rc


def judge(case, rc, out, err, diag_re=DIAG_RE, tpl_name=TEMPLATE_NAME):
    ref = case.ref
    errtxt = _text(err).rstrip("\n")
    first_err = errtxt.split("\n")[0] if errtxt else ""
    if rc < 0:
        return False, "gluec crashed (%s); stderr %s" % (_signame(rc),
                                                         short(first_err))
    if ref.ok:
        if rc != 0:
            return False, ("expected output %s, got exit %d; stderr %s"
                           % (short(ref.output), rc, short(first_err)))
        if out != ref.output:
            return False, diff_excerpt(ref.output, out)
        return True, ""
    # Jinja2 raised: gluec must fail cleanly with a diagnostic.
    jerr = ref.describe_error()
    if rc != 1:
        return False, ("expected error (Jinja2: %s), got exit %d, stdout %s"
                       % (short(jerr, 100), rc, short(out)))
    if out:
        return False, ("expected error (Jinja2: %s): stdout must be empty, "
                       "got %s" % (short(jerr, 100), short(out)))
    lines = errtxt.split("\n")
    m = diag_re.match(lines[0].rstrip("\r")) if lines else None
    if not m:
        return False, ("stderr line 1 is not '%s:LINE:COL: error: MESSAGE': "
                       "%s" % (tpl_name, short(first_err)))
    lno, col = int(m.group(1)), int(m.group(2))
    src = case.template.split("\n")
    if lno < 1 or lno > len(src) + 1 or col < 1:
        return False, ("diagnostic position %d:%d is outside the template "
                       "(%d lines)" % (lno, col, len(src)))
    if len(lines) < 3:
        return False, ("diagnostic must be followed by the source line and a "
                       "caret line; stderr %s" % short(errtxt))
    want = src[lno - 1].rstrip("\r").strip() if lno <= len(src) else ""
    if want and want not in lines[1]:
        return False, ("stderr line 2 should show source line %d %s, got %s"
                       % (lno, short(want, 80), short(lines[1], 80)))
    if not CARET_RE.match(lines[2].rstrip("\r")):
        return False, "stderr line 3 is not a caret line: %s" % short(lines[2])
    return True, ""


# --------------------------------------------------------------------------
# main

def compute_reference(cases, modules=False):
    import jinja_ref
    env = jinja_ref.make_env()
    problems = []
    for c in cases:
        if c.context is None:
            continue
        if modules and c.context:
            problems.append("%s: %s: corpus problem: modules cases take no "
                            "context" % (c.where, c.name))
            continue
        ctx = jinja_ref.dbt_context() if modules else c.context
        c.ref = jinja_ref.render_case(c.template, ctx, env)
        if c.is_err and c.ref.ok:
            problems.append("%s: %s: corpus problem: named err- but Jinja2 "
                            "renders it: %s" % (c.where, c.name,
                                                short(c.ref.output)))
        elif c.ref.ok and NONDET_RE.search(c.ref.output):
            problems.append("%s: %s: corpus problem: output depends on object "
                            "addresses: %s" % (c.where, c.name,
                                               short(c.ref.output)))
        elif not c.is_err and not c.ref.ok:
            problems.append("%s: %s: corpus problem: Jinja2 raises %s "
                            "(name it err-... or fix the case)"
                            % (c.where, c.name, short(c.ref.describe_error(),
                                                      200)))
    return problems


def lint(cases):
    """Find cases that silently depend on undefined values."""
    import jinja2
    import jinja_ref
    env = jinja_ref.make_env()
    env.undefined = jinja2.StrictUndefined
    n = 0
    for c in cases:
        if c.ref is None or not c.ref.ok or "undef" in c.name:
            continue
        r = jinja_ref.render_case(c.template, c.context, env)
        if not r.ok and r.error_class == "UndefinedError":
            n += 1
            print("%s: %s: uses an undefined value: %s"
                  % (c.where, c.name, r.error_msg))
    print("lint: %d case(s) touch undefined values" % n)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Jinja conformance tests for gluec")
    ap.add_argument("--gluec", default=os.path.join(REPO_ROOT, "gluec"),
                    help="gluec binary (default: REPO/gluec)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--filter", "-k", default=None,
                    help="only cases whose name or file contains SUBSTR")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--list", action="store_true",
                    help="print the number of cases per file")
    ap.add_argument("--expected-only", action="store_true",
                    help="only run Jinja2 and check the corpus")
    ap.add_argument("--show", action="store_true",
                    help="print each selected case and Jinja2's result")
    ap.add_argument("--lint", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--modules", action="store_true",
                    help="the dbt modules corpus (modules/*.txt) through "
                         "`gluec compile --inline`")
    ap.add_argument("files", nargs="*", help="case files (default: all)")
    args = ap.parse_args(argv)

    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except AttributeError:  # pragma: no cover
        pass

    cases, problems = load_cases(args.files,
                                 MODULES_DIR if args.modules else CASES_DIR)
    if args.filter:
        cases = [c for c in cases
                 if args.filter in c.name or args.filter in c.file]

    if args.list:
        per = {}
        for c in cases:
            t = per.setdefault(c.file, [0, 0])
            t[0] += 1
            t[1] += c.is_err
        for f in sorted(per):
            print("%-36s %4d cases (%d err-)" % (f, per[f][0], per[f][1]))
        print("%-36s %4d cases (%d err-)" % (
            "total", sum(v[0] for v in per.values()),
            sum(v[1] for v in per.values())))
        for p in problems:
            print(p)
        return 1 if problems else 0

    problems += compute_reference(cases, args.modules)
    bad_where = set()
    for p in problems:
        print(p)
        bad_where.add(p.split(": ")[0])

    if args.show:
        for c in cases:
            print("=== %s  (%s)" % (c.name, c.where))
            print("context: %s" % (c.context_text or "{}"))
            print("template: %r" % c.template)
            if c.ref is None:
                print("(no reference)")
            elif c.ref.ok:
                print("output:   %r" % _text(c.ref.output))
            else:
                print("raises:   %s" % c.ref.describe_error())
        return 0

    if args.lint:
        lint(cases)
        return 0

    runnable = [c for c in cases if c.ref is not None
                and c.where not in bad_where]
    broken = len(cases) - len(runnable)
    # corpus problems not tied to a case (bad file, case without '---'...)
    case_where = {c.where for c in cases}
    extra = len([p for p in problems if p.split(": ")[0] not in case_where])

    if args.expected_only:
        ok = sum(1 for c in runnable if c.ref.ok)
        if args.verbose:
            for c in runnable:
                print("%s: %s: %s" % (c.where, c.name,
                                      short(c.ref.output) if c.ref.ok
                                      else "raises " + c.ref.describe_error()))
        print("Jinja2: %d cases render, %d raise (as named), "
              "%d corpus problem(s)" % (ok, len(runnable) - ok, len(problems)))
        failed = broken + extra
        print("%d passed, %d failed" % (len(runnable), failed))
        return 1 if failed else 0

    gluec = os.path.abspath(args.gluec)
    if not (os.path.isfile(gluec) and os.access(gluec, os.X_OK)):
        print("gluec binary not found or not executable: %s (run make first, "
              "or pass --gluec PATH)" % gluec)
        print("%d passed, %d failed" % (0, len(cases) + extra))
        return 1

    base = tempfile.mkdtemp(prefix="gluec-jinja-")
    try:
        jobs = max(1, args.jobs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            if args.modules:
                results = list(ex.map(lambda c: run_gluec_inline(gluec, c),
                                      runnable))
            else:
                results = list(ex.map(lambda c: run_gluec(gluec, c, base),
                                      runnable))
    finally:
        shutil.rmtree(base, ignore_errors=True)

    passed = failed = 0
    for c, (ok, msg) in zip(runnable, results):
        if ok:
            passed += 1
            if args.verbose:
                print("ok   %s: %s" % (c.where, c.name))
        else:
            failed += 1
            print("FAIL %s: %s: %s" % (c.where, c.name, msg))
            if args.verbose:
                print("     template: %s" % short(c.template, 300))
                if c.context_text:
                    print("     context:  %s" % short(c.context_text, 300))
                if not c.ref.ok:
                    print("     Jinja2:   %s" % c.ref.describe_error())
    failed += broken + extra
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
