#!/usr/bin/python3
"""Reference renderer for the gluec Jinja conformance corpus.

Renders templates with Python's Jinja2 (3.1, as shipped by Debian's
python3-jinja2) configured exactly the way dbt configures it:

    jinja2.sandbox.SandboxedEnvironment(
        extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])

with the default Undefined, no autoescape and the default newline handling
(keep_trailing_newline=False, newline_sequence="\\n").

Use it as a module (run.py does):

    import jinja_ref
    res = jinja_ref.render_case(template_text, context_dict)
    res.ok          # True when Jinja2 rendered, False when it raised
    res.output      # bytes (UTF-8) written to stdout on success, else None
    res.error_class # exception class name on failure, e.g. "UndefinedError"
    res.error_msg   # exception message on failure
    res.lineno      # line reported by TemplateSyntaxError, else None

    jinja_ref.render_cases(cases)   # batch: list of (template, context)

or from the command line (one python start-up for a whole batch):

    /usr/bin/python3 jinja_ref.py [CASEFILE...]   # default: all of cases/
    /usr/bin/python3 jinja_ref.py --json < batch.json

--json reads a JSON list of {"name", "template", "context"} objects from
stdin; both forms write a JSON list of
{"name", "ok", "output", "error_class", "error_message", "lineno"}
to stdout (output is the rendered text, a JSON string).
"""

import json
import os
import sys

import jinja2
import jinja2.sandbox

__all__ = ["make_env", "render_case", "render_cases", "Result", "dbt_modules",
           "dbt_context"]


def make_env():
    """A fresh environment set up as dbt sets up its Jinja environment."""
    return jinja2.sandbox.SandboxedEnvironment(
        extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"],
    )


def dbt_modules():
    """The `modules` object of dbt's context (dbt-core 1.10, context/base.py):
    a dict per module holding the names dbt exports from it."""
    import datetime
    import itertools
    import re
    import pytz
    exports = {
        "pytz": (pytz, pytz.__all__),
        "datetime": (datetime, ["date", "datetime", "time", "timedelta",
                                "tzinfo"]),
        "re": (re, re.__all__),
        "itertools": (itertools, [
            "count", "cycle", "repeat", "accumulate", "chain", "compress",
            "islice", "starmap", "tee", "zip_longest", "product",
            "permutations", "combinations",
            "combinations_with_replacement"]),
    }
    return {name: {k: getattr(mod, k) for k in names}
            for name, (mod, names) in exports.items()}


def dbt_context():
    """What the modules corpus sees of dbt's context (dbt-core 1.10,
    context/base.py): `modules`, and `toyaml`/`fromyaml` as dbt defines them
    (yaml.safe_dump, and yaml.load with the C SafeLoader when there is one,
    both giving `default` back when PyYAML raises)."""
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def toyaml(value, default=None, sort_keys=False):
        try:
            return yaml.safe_dump(data=value, sort_keys=sort_keys)
        except (ValueError, yaml.YAMLError):
            return default

    def fromyaml(value, default=None):
        try:
            return yaml.load(value, Loader=loader)
        except (AttributeError, ValueError, yaml.YAMLError):
            return default

    return {"modules": dbt_modules(), "toyaml": toyaml, "fromyaml": fromyaml}


class Result:
    __slots__ = ("ok", "output", "error_class", "error_msg", "lineno")

    def __init__(self, ok, output=None, error_class=None, error_msg=None,
                 lineno=None):
        self.ok = ok
        self.output = output
        self.error_class = error_class
        self.error_msg = error_msg
        self.lineno = lineno

    def describe_error(self):
        if self.ok:
            return ""
        where = " (line %d)" % self.lineno if self.lineno else ""
        return "%s%s: %s" % (self.error_class, where, self.error_msg)

    def as_json(self):
        return {
            "ok": self.ok,
            "output": None if self.output is None
            else self.output.decode("utf-8"),
            "error_class": self.error_class,
            "error_message": self.error_msg,
            "lineno": self.lineno,
        }


_ENV = None


def render_case(template, context=None, env=None):
    """Render one template (str) with a context (dict).  Never raises."""
    global _ENV
    if env is None:
        if _ENV is None:
            _ENV = make_env()
        env = _ENV
    if context is None:
        context = {}
    try:
        out = env.from_string(template).render(**context)
        return Result(True, output=out.encode("utf-8"))
    except RecursionError as exc:  # pragma: no cover - keep going
        return Result(False, error_class=type(exc).__name__,
                      error_msg=str(exc))
    except Exception as exc:  # anything Jinja2 (or Python below it) raises
        lineno = getattr(exc, "lineno", None)
        if not isinstance(exc, jinja2.TemplateSyntaxError):
            lineno = None
        try:
            msg = str(exc)
        except Exception:  # pragma: no cover
            msg = repr(exc)
        return Result(False, error_class=type(exc).__name__,
                      error_msg=msg.split("\n")[0], lineno=lineno)


def render_cases(cases):
    """Batch render: cases is an iterable of (template, context) pairs."""
    env = make_env()
    return [render_case(t, c, env) for t, c in cases]


def _main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if argv[:1] == ["--json"]:
        items = json.load(sys.stdin)
        batch = [(it.get("name"), it["template"], it.get("context") or {})
                 for it in items]
    else:
        sys.path.insert(0, here)
        sys.dont_write_bytecode = True
        import run  # the harness owns the case-file parser
        files = argv or None
        cases, problems = run.load_cases(files)
        for p in problems:
            print(p, file=sys.stderr)
        batch = [(c.name, c.template, c.context or {}) for c in cases
                 if c.context is not None]
    results = render_cases((t, c) for _, t, c in batch)
    out = []
    for (name, _, _), res in zip(batch, results):
        d = res.as_json()
        d["name"] = name
        out.append(d)
    json.dump(out, sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
