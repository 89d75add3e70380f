#!/usr/bin/python3
"""Derive the expected outputs of the golden cases the way dbt-core 1.10 + dbt-glue would.

dbt cannot be installed here, so this script is a small, reviewable model of the
parts of `dbt compile` and `dbt ls` that the golden projects exercise. Model SQL is
rendered by the real Jinja2 library (Debian's python3-jinja2, the engine dbt uses),
with dbt's environment (extensions `do` and `loopcontrols`, sandboxed, default
Undefined, no autoescape, trailing newline of the template dropped) and with stubs for
dbt's context that return exactly what dbt-glue renders. Everything else (config
precedence, test names, ephemeral CTE injection, selection) follows the dbt-core
source, cited inline (dbt-core 1.10.latest @ c23db31c0d14, dbt-adapters global_project
@ 802d40f0f0eb, aws-samples/dbt-glue @ 8160886ca950). Use the Debian interpreter:

    /usr/bin/python3 tests/golden/render_expected.py            # rewrite every expected/
    /usr/bin/python3 tests/golden/render_expected.py shop       # one case
    /usr/bin/python3 tests/golden/render_expected.py --check    # compare, write nothing

Needs python3-jinja2, python3-yaml and python3-sqlparse (the ephemeral CTE injection
is done with sqlparse exactly as dbt-core's `inject_ctes_into_sql`).

Scope (what the golden projects use, nothing more): models (sql), seeds, sources,
singular tests, analyses, generic tests not_null / unique / accepted_values /
relationships, macros with adapter.dispatch, packages in dbt_packages/, vars
(project, package-scoped, --vars), env_var, target, this, is_incremental() (False:
the expected files describe a first run, nothing exists in the catalog),
adapter.get_columns_in_relation (the columns declared in YAML, in order).
"""

import datetime
import fnmatch
import hashlib
import os
import pathlib
import re
import shlex
import sys
from collections import OrderedDict

import jinja2
import jinja2.sandbox
import sqlparse
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ADAPTER_PREFIXES = ["glue", "spark", "default"]  # get_adapter_type_names('glue') + default


# aws-samples/dbt-glue 8160886ca950 dbt/adapters/glue/credentials.py: _connection_keys()
# in order, each with the GlueCredentials field default.
GLUE_CONNECTION_KEYS = [
    ("role_arn", None), ("region", None), ("workers", None), ("worker_type", None),
    ("session_provisioning_timeout_in_seconds", 120), ("schema", None), ("temp_schema", None),
    ("location", None), ("extra_jars", None), ("idle_timeout", 10), ("query_timeout_in_minutes", 300),
    ("glue_version", "5.0"), ("security_configuration", None), ("connections", None), ("conf", None),
    ("extra_py_files", None), ("delta_athena_prefix", None), ("tags", None), ("seed_format", "parquet"),
    ("seed_mode", "overwrite"), ("default_arguments", None), ("iceberg_glue_commit_lock_table", "myGlueLockTable"),
    ("use_interactive_session_role_for_api_calls", False), ("lf_tags", None), ("glue_session_id", None),
    ("glue_session_reuse", False), ("datalake_formats", None), ("enable_session_per_model", False),
    ("group_session_id", None), ("use_arrow", False), ("enable_spark_seed_casting", False),
    ("statement_poll_interval", 1.0), ("boto_retry_mode", "adaptive"), ("boto_retry_max_attempts", 10),
    ("packages", None),
]


class DbtError(Exception):
    pass


class MacroReturn(Exception):
    def __init__(self, value):
        self.value = value


# ----------------------------------------------------------------------------- relations


class Relation:
    """SparkRelation: schema + identifier, never database, quoted nowhere."""

    def __init__(self, schema, identifier, ephemeral=False):
        self.schema = schema
        self.identifier = identifier
        self.name = identifier
        self.database = schema  # glue__generate_database_name: target.schema
        self.ephemeral = ephemeral

    quote_schema = quote_identifier = False
    show_schema = show_identifier = True

    def __str__(self):
        if self.ephemeral:
            return "__dbt__cte__" + self.identifier
        # BaseRelation.render: the included parts, each quoted by the policy, joined by "."
        parts = []
        if self.show_schema and self.schema:
            parts.append("`%s`" % self.schema if self.quote_schema else self.schema)
        if self.show_identifier and self.identifier:
            parts.append("`%s`" % self.identifier if self.quote_identifier else self.identifier)
        return ".".join(parts)

    def render(self):
        return str(self)

    def _copy(self):
        r = Relation(self.schema, self.identifier, self.ephemeral)
        r.__dict__.update(self.__dict__)
        return r

    def quote(self, database=None, schema=None, identifier=None):
        r = self._copy()
        if schema is not None:
            r.quote_schema = bool(schema)
        if identifier is not None:
            r.quote_identifier = bool(identifier)
        return r

    def include(self, database=None, schema=None, identifier=None):
        r = self._copy()
        if schema is not None:
            r.show_schema = bool(schema)
        if identifier is not None:
            r.show_identifier = bool(identifier)
        return r

    def without_identifier(self):
        return self.include(identifier=False)

    def __html__(self):
        return str(self)


class Column:
    def __init__(self, name, dtype=None):
        self.name = name
        self.column = name
        self.dtype = dtype
        self.data_type = dtype
        self.quoted = "`%s`" % name


class ApiRelation:
    """api.Relation: dbt-glue's SparkRelation (no database check: its __post_init__ returns)."""

    @staticmethod
    def create(database=None, schema=None, identifier=None, type=None):
        r = Relation(schema, identifier)
        r.database = database
        r.type = type
        r.is_view = type == "view"
        r.is_table = type == "table"
        return r


class ApiColumn:
    """api.Column: dbt-glue's GlueColumn, a SparkColumn (dbt-spark column.py)."""

    @staticmethod
    def create(name, label_or_dtype):
        return Column(name, label_or_dtype)

    @staticmethod
    def translate_type(dtype):
        return dtype

    @staticmethod
    def numeric_type(dtype, precision, scale):
        return "decimal" if precision is None or scale is None else "decimal(%s,%s)" % (precision, scale)

    @staticmethod
    def string_type(size):
        return "character varying(%s)" % size  # dbt-adapters base Column, not overridden


class Api:
    Relation = ApiRelation
    Column = ApiColumn


# ----------------------------------------------------------------------------- projects


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def read_stripped(path):
    # dbt_common.clients.system.load_file_contents(path, strip=True)
    with open(path, "rb") as f:
        return f.read().decode("utf-8").strip()


class Project:
    def __init__(self, root, is_root):
        self.root = root
        self.is_root = is_root
        self.cfg = load_yaml(os.path.join(root, "dbt_project.yml"))
        self.name = self.cfg["name"]
        self.vars = self.cfg.get("vars") or {}
        self.model_paths = self.cfg.get("model-paths", ["models"])
        self.seed_paths = self.cfg.get("seed-paths", ["seeds"])
        self.test_paths = self.cfg.get("test-paths", ["tests"])
        self.macro_paths = self.cfg.get("macro-paths", ["macros"])
        self.analysis_paths = self.cfg.get("analysis-paths", ["analyses"])

    def files(self, paths, exts):
        out = []
        for p in paths:
            base = os.path.join(self.root, p)
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames.sort()
                for fn in sorted(filenames):
                    if fn.endswith(exts):
                        full = os.path.join(dirpath, fn)
                        out.append((p, os.path.relpath(full, base), os.path.relpath(full, self.root)))
        return out

    def vars_for(self, package_name):
        # Project.vars_for: globals, then the block keyed by the node's package
        merged = dict(self.vars)
        scoped = self.vars.get(package_name)
        if isinstance(scoped, dict):
            merged.update(scoped)
        return merged


class Node:
    def __init__(self, resource_type, project, name, original_file_path, fqn):
        self.resource_type = resource_type
        self.project = project
        self.package = project.name
        self.name = name
        self.original_file_path = original_file_path
        self.path = None  # only for generic tests (pseudo path)
        self.fqn = fqn
        self.raw_code = ""
        self.config_call = {}
        self.config = {}
        self.refs = []  # (package or None, name)
        self.sources = []  # (source, table)
        self.depends_on = []
        self.columns = OrderedDict()
        self.test = None  # generic test metadata
        self.compiled = None
        self.pre_injected = None
        self.extra_ctes = []
        self.injected = False
        self.schema = None
        self.alias = None

    @property
    def unique_id(self):
        if self.resource_type == "source":
            return "source.%s.%s.%s" % (self.package, self.source_name, self.name)
        return "%s.%s.%s" % (self.resource_type, self.package, self.name)

    @property
    def sort_key(self):
        # generic tests' unique_ids end with ".<10 hex digits>": '.' sorts before any
        # character of a name, so the name followed by '.' sorts the same way
        if self.resource_type == "test" and self.test is not None:
            return self.unique_id + "."
        return self.unique_id

    def relation(self):
        return Relation(self.schema, self.alias, ephemeral=self.config.get("materialized") == "ephemeral")


# ----------------------------------------------------------------------------- jinja


def make_env(native=False):
    env = jinja2.sandbox.SandboxedEnvironment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    return env


ENV = make_env()


def render_string(text, ctx):
    return ENV.from_string(text).render(ctx)


class MacroFile:
    def __init__(self, project, path):
        self.project = project
        self.path = path
        self.source = read_stripped(path)
        self.template = ENV.from_string(self.source)
        self.names = list(self.template.module.__dict__.keys())  # defines only macros
        self.names = [n for n in self.names if not n.startswith("_")]


class MacroCall:
    """MacroGenerator: calls the macro with the node's context and turns
    `return(x)` into the call's value."""

    def __init__(self, renderer, mfile, name):
        self.renderer = renderer
        self.mfile = mfile
        self.name = name

    def __call__(self, *args, **kwargs):
        module = self.renderer.module_for(self.mfile)
        macro = getattr(module, self.name)
        try:
            return macro(*args, **kwargs)
        except MacroReturn as r:
            return r.value


class PackageNamespace:
    def __init__(self, calls):
        self._calls = calls

    def __getattr__(self, name):
        try:
            return self._calls[name]
        except KeyError:
            raise AttributeError(name)


class ConfigObj:
    def __init__(self, node, capture):
        self.node = node
        self.capture = capture

    def __call__(self, *args, **kwargs):
        if self.capture:
            if args and isinstance(args[0], dict):
                self.node.config_call.update(args[0])
            self.node.config_call.update(kwargs)
        return ""

    def get(self, key, default=None):
        if self.capture:
            return default
        return self.node.config.get(key, default)

    def require(self, key):
        return self.node.config[key]


# ----------------------------------------------------------------------------- the dbt model


class Manifest:
    def __init__(self, case_dir, project_dir, profiles_dir, target_name, cli_vars, env):
        self.case_dir = case_dir
        self.env = dict(env)
        self.cli_vars = cli_vars
        self.root = Project(project_dir, True)
        self.projects = OrderedDict([(self.root.name, self.root)])
        pkg_dir = os.path.join(project_dir, self.root.cfg.get("packages-install-path", "dbt_packages"))
        if os.path.isdir(pkg_dir):
            for d in sorted(os.listdir(pkg_dir)):
                if os.path.isfile(os.path.join(pkg_dir, d, "dbt_project.yml")):
                    p = Project(os.path.join(pkg_dir, d), False)
                    self.projects[p.name] = p
        self.target = self.load_profile(profiles_dir, target_name)
        self.nodes = OrderedDict()
        self.sources = OrderedDict()
        self.macro_files = []
        self.load_macros()
        self.parse()

    # --- profile
    def env_var(self, name, default=None):
        if name in self.env:
            return self.env[name]
        if default is not None:
            return default
        raise DbtError("Env var required but not provided: '%s'" % name)

    def load_profile(self, profiles_dir, target_name):
        profiles = load_yaml(os.path.join(profiles_dir, "profiles.yml"))
        prof_name = self.root.cfg["profile"]
        prof = profiles[prof_name]
        target_name = target_name or prof.get("target", "default")
        out = prof["outputs"][target_name]
        ctx = {"env_var": self.env_var}
        given = {}
        for k, v in out.items():
            given[k] = render_string(v, ctx) if isinstance(v, str) else v
        # Profile.to_target_dict: GlueCredentials.connection_info() (its _connection_keys,
        # defaults from the dataclass, None kept), then type/threads/name/target_name/profile_name
        t = {k: given.get(k, default) for k, default in GLUE_CONNECTION_KEYS}
        if isinstance(t["packages"], str):
            t["packages"] = [x.strip() for x in t["packages"].split(",")]
        t["type"] = given.get("type", "glue")
        t["threads"] = given.get("threads", 1)
        t["name"] = target_name
        t["target_name"] = target_name
        t["profile_name"] = prof_name
        return t

    # --- vars
    def var_lookup(self, package_name):
        merged = {}
        if package_name != self.root.name and package_name in self.projects:
            merged.update(self.projects[package_name].vars_for(package_name))
        merged.update(self.root.vars_for(package_name))
        merged.update(self.cli_vars)
        return merged

    def make_var(self, package_name, ctx):
        merged = self.var_lookup(package_name)
        sentinel = object()

        def var(name, default=sentinel):
            if name in merged:
                raw = merged[name]
                if isinstance(raw, str):  # get_rendered_var
                    return render_string(raw, dict(ctx))
                return raw
            if default is not sentinel:
                return default
            raise DbtError("Required var '%s' not found in config" % name)

        return var

    # --- loading
    def load_macros(self):
        for p in self.projects.values():
            for _, _, rel in p.files(p.macro_paths, (".sql",)):
                self.macro_files.append(MacroFile(p, os.path.join(p.root, rel)))

    def fqn_for(self, project, rel_in_resource_path, name):
        parts = os.path.splitext(rel_in_resource_path)[0].split(os.sep)[:-1]
        return [project.name] + parts + [name]

    def parse(self):
        for p in self.projects.values():
            for _, rel, ofp in p.files(p.model_paths, (".sql",)):
                n = Node("model", p, os.path.splitext(os.path.basename(rel))[0], ofp, None)
                n.fqn = self.fqn_for(p, rel, n.name)
                n.raw_code = read_stripped(os.path.join(p.root, ofp))
                self.add(n)
            for _, rel, ofp in p.files(p.seed_paths, (".csv",)):
                n = Node("seed", p, os.path.splitext(os.path.basename(rel))[0], ofp, None)
                n.fqn = self.fqn_for(p, rel, n.name)
                self.add(n)
            for _, rel, ofp in p.files(p.analysis_paths, (".sql",)):
                n = Node("analysis", p, os.path.splitext(os.path.basename(rel))[0], ofp, None)
                n.fqn = self.fqn_for(p, rel, n.name)
                n.raw_code = read_stripped(os.path.join(p.root, ofp))
                self.add(n)
            for tp, rel, ofp in p.files(p.test_paths, (".sql",)):
                if rel.split(os.sep)[0] == "generic":
                    continue
                n = Node("test", p, os.path.splitext(os.path.basename(rel))[0], ofp, None)
                n.fqn = self.fqn_for(p, rel, n.name)
                n.raw_code = read_stripped(os.path.join(p.root, ofp))
                self.add(n)
        # properties YAML (models, seeds, sources) in model-paths and seed-paths
        self.yml_files = []
        for p in self.projects.values():
            for _, rel, ofp in p.files(p.model_paths + p.seed_paths, (".yml", ".yaml")):
                self.yml_files.append((p, ofp, load_yaml(os.path.join(p.root, ofp))))
        for p, ofp, doc in self.yml_files:
            for src in doc.get("sources") or []:
                self.add_source(p, ofp, src)
        # properties `config:` (rendered like every YAML value) sits between
        # dbt_project.yml and config() in the precedence
        for p, ofp, doc in self.yml_files:
            for key, rtype in (("models", "model"), ("seeds", "seed")):
                for entry in doc.get(key) or []:
                    n = self.nodes.get("%s.%s.%s" % (rtype, p.name, entry["name"]))
                    if n is not None:
                        n.patch_config = {k: self.yml_render(v, p.name) for k, v in (entry.get("config") or {}).items()}
        # configs need the parse-time render of every SQL node (config() calls)
        for n in list(self.nodes.values()):
            self.configure(n)
        for p, ofp, doc in self.yml_files:
            for key in ("models", "seeds"):
                for entry in doc.get(key) or []:
                    self.patch(p, ofp, key, entry)
        for p, ofp, doc in self.yml_files:
            for src in doc.get("sources") or []:
                for t in src.get("tables") or []:
                    s = self.sources["source.%s.%s.%s" % (p.name, src["name"], t["name"])]
                    self.add_tests(p, ofp, s, t, source=src)
        for n in self.nodes.values():
            self.resolve_deps(n)

    def add(self, n):
        if n.unique_id in self.nodes:
            raise DbtError("duplicate node %s" % n.unique_id)
        self.nodes[n.unique_id] = n

    def yml_render(self, value, package_name):
        if isinstance(value, str) and "{{" in value:
            ctx = {"env_var": self.env_var, "target": self.target}
            ctx["var"] = self.make_var(package_name, ctx)
            return render_string(value, ctx)
        return value

    def add_source(self, p, ofp, src):
        for t in src.get("tables") or []:
            n = Node("source", p, t["name"], ofp, None)
            n.source_name = src["name"]
            rel_in = os.path.relpath(os.path.join(p.root, ofp), os.path.join(p.root, ofp.split(os.sep)[0]))
            n.fqn = self.fqn_for(p, rel_in, src["name"]) [:-1] + [src["name"], t["name"]]
            n.schema = self.yml_render(src.get("schema", src["name"]), p.name)
            n.alias = self.yml_render(t.get("identifier", t["name"]), p.name)
            for c in t.get("columns") or []:
                n.columns[c["name"]] = c
            n.config = {"enabled": True, "tags": []}
            self.sources[n.unique_id] = n

    # --- config
    def project_configs(self, project, resource_key, fqn):
        root = project.cfg.get(resource_key) or {}
        levels = [root]
        cur = root
        for level in fqn:
            nxt = cur.get(level)
            if not isinstance(nxt, dict):
                break
            levels.append(nxt)
            cur = nxt
        for lv in levels:
            out = {}
            for k, v in lv.items():
                if k.startswith("+"):
                    out[k[1:].strip()] = v
                elif not isinstance(v, dict):
                    out[k] = v
            yield out

    @staticmethod
    def update_config(result, partial):
        for k, v in partial.items():
            if k == "tags":  # MergeBehavior.Append
                v = [v] if isinstance(v, str) else list(v)
                result["tags"] = result.get("tags", []) + [t for t in v]
            elif k == "meta" and isinstance(v, dict):
                result.setdefault("meta", {}).update(v)
            else:
                result[k] = v

    def configure(self, n):
        key = {"model": "models", "seed": "seeds", "test": "data_tests", "analysis": "analyses"}[n.resource_type]
        if n.resource_type in ("model", "test", "analysis"):
            self.parse_render(n)
        result = {"enabled": True, "tags": []}
        result["materialized"] = {"model": "view", "seed": "seed", "test": "test", "analysis": "view"}[n.resource_type]
        if n.resource_type == "test":
            result["severity"] = "ERROR"
        for part in self.project_configs(n.project, key, n.fqn):
            self.update_config(result, part)
        if n.resource_type == "test":
            for part in self.project_configs(n.project, "tests", n.fqn):
                self.update_config(result, part)
        self.update_config(result, getattr(n, "patch_config", {}))
        self.update_config(result, n.config_call)
        if not n.project.is_root:  # the root project's dbt_project.yml wins over config()
            for part in self.project_configs(self.root, key, n.fqn):
                self.update_config(result, part)
        # tags are de-duplicated and sorted by BaseConfig's finalize (tags: list, unique)
        n.config = result
        self.name_relation(n)

    def name_relation(self, n):
        # generate_schema_name / generate_alias_name: dbt's defaults, except that
        # parser/base.py RelationUpdate gives an installed package's node the package's
        # own generate_schema_name when it defines one (find_generate_macro_by_name)
        custom = n.config.get("schema")
        own = None
        if n.package != self.root.name:
            for mf in self.macro_files:
                if mf.project.name == n.package and "generate_schema_name" in mf.names:
                    own = mf
        if own is not None:
            ctx = self.context(n, capture=False)
            out = MacroCall(ctx["adapter"].renderer, own, "generate_schema_name")(custom, ctx["model"])
            n.schema = str(out).strip()
        else:
            default_schema = self.target["schema"]
            n.schema = default_schema if custom is None else "%s_%s" % (default_schema, str(custom).strip())
        n.alias = n.config.get("alias") or n.name

    def patch(self, p, ofp, key, entry):
        rtype = {"models": "model", "seeds": "seed"}[key]
        uid = "%s.%s.%s" % (rtype, p.name, entry["name"])
        n = self.nodes.get(uid)
        if n is None:
            raise DbtError("%s: patch for unknown %s %s" % (ofp, rtype, entry["name"]))
        n.patch_path = ofp
        for c in entry.get("columns") or []:
            n.columns[c["name"]] = c
        self.add_tests(p, ofp, n, entry)

    # --- generic tests (dbt/parser/generic_test_builders.py)
    def add_tests(self, p, ofp, target, entry, source=None):
        specs = []
        for t in (entry.get("data_tests") or []) + (entry.get("tests") or []):
            specs.append((None, t))
        for c in entry.get("columns") or []:
            for t in (c.get("data_tests") or []) + (c.get("tests") or []):
                specs.append((c["name"], t))
        for column_name, t in specs:
            self.add_generic_test(p, ofp, target, column_name, t, source)

    def add_generic_test(self, p, ofp, target, column_name, t, source):
        if isinstance(t, str):
            t = {t: {}}
        (test_name, args), = t.items()
        args = dict(args or {})
        if column_name is not None:
            args["column_name"] = column_name
        config = {}
        for k in ("severity", "tags", "enabled", "where", "limit", "warn_if", "error_if", "fail_calc",
                  "store_failures", "store_failures_as", "meta", "database", "schema", "alias"):
            v = args.pop(k, None)
            if v is None and "config" in args:
                v = args["config"].pop(k, None)
            if v is not None:
                config[k] = v
        if "config" in args:
            config.update(args.pop("config"))
        if source is not None:
            tname = "source_" + test_name
            target_name = "%s_%s" % (source["name"], target.name)
            model_str = "source('%s', '%s')" % (source["name"], target.name)
        else:
            tname = test_name
            target_name = target.name
            model_str = "ref('%s')" % target.name
        flat = []
        for a in sorted(args):
            v = args[a]
            parts = list(v.values()) if isinstance(v, dict) else list(v) if isinstance(v, (list, tuple)) else [v]
            flat.extend(str(x) for x in parts)
        unique = "__".join(re.sub("[^0-9a-zA-Z_]+", "_", a) for a in flat)
        ident = "%s_%s" % (tname, target_name)
        full = "%s_%s" % (ident, unique)
        short = "%s_%s" % (ident[:30], hashlib.md5(full.encode("utf-8")).hexdigest()) if len(full) >= 64 else full
        yml_rel = os.sep.join(ofp.split(os.sep)[1:])
        n = Node("test", p, full, ofp, self.fqn_for(p, yml_rel, full))
        n.path = short + ".sql"
        n.test = {"name": test_name, "kwargs": args, "model": model_str, "target": target,
                  "source": source, "short": short}
        n.config_call = dict(config)
        n.refs = [(None, target.name)] if source is None else []
        n.sources = [(source["name"], target.name)] if source is not None else []
        if test_name == "relationships":
            m = re.match(r"^\s*ref\(\s*['\"](\w+)['\"]\s*\)\s*$", args["to"])
            n.refs.append((None, m.group(1)))
        self.add(n)
        self.configure(n)

    # --- graph
    def find_ref(self, from_node, package, name):
        cands = []
        for n in self.nodes.values():
            if n.resource_type in ("model", "seed", "snapshot") and n.name == name:
                if package is None or n.package == package:
                    cands.append(n)
        if not cands:
            raise DbtError("%s: ref %r not found" % (from_node.unique_id, name))
        # a ref without package: the node's own package first, then the root project
        for pref in (from_node.package, self.root.name):
            for c in cands:
                if c.package == pref:
                    return c
        return cands[0]

    def find_source(self, source_name, table):
        for s in self.sources.values():
            if s.source_name == source_name and s.name == table:
                return s
        raise DbtError("source %s.%s not found" % (source_name, table))

    def resolve_deps(self, n):
        deps = []
        for pkg, name in n.refs:
            d = self.find_ref(n, pkg, name).unique_id
            if d not in deps:
                deps.append(d)
        for s, t in n.sources:
            d = self.find_source(s, t).unique_id
            if d not in deps:
                deps.append(d)
        n.depends_on = deps

    # --- rendering
    def macros_visible(self, package_name):
        # MacroNamespace search order: local package, root project, then packages by name
        glob = {}
        locals_ = {}
        packages = {}
        for mf in self.macro_files:
            packages.setdefault(mf.project.name, {})
            for name in mf.names:
                packages[mf.project.name][name] = mf
                if mf.project.name == self.root.name:
                    glob[name] = mf
                if mf.project.name == package_name:
                    locals_[name] = mf
        return locals_, glob, packages

    def context(self, n, capture):
        renderer = Renderer(self)
        ctx = {}
        ctx["target"] = dict(self.target)
        ctx["env_var"] = self.env_var
        ctx["var"] = self.make_var(n.package, ctx)
        ctx["execute"] = not capture
        ctx["config"] = ConfigObj(n, capture)
        ctx["is_incremental"] = lambda: False
        ctx["return"] = _return
        ctx["project_name"] = self.root.name
        ctx["log"] = lambda msg, info=False: ""
        ctx["exceptions"] = Exceptions()
        ctx["api"] = Api()
        ctx["local_md5"] = lambda value: hashlib.md5(str(value).encode("utf-8")).hexdigest()  # context/base.py
        ctx["model"] = {"name": n.name, "unique_id": n.unique_id, "package_name": n.package}
        if capture:
            ctx["this"] = Relation("__this_schema__", n.name)
        else:
            ctx["this"] = Relation(n.schema, n.alias)

        def ref(*args, **kwargs):
            if len(args) == 2:
                pkg, name = args
            else:
                pkg, name = None, args[0]
            if capture:
                n.refs.append((pkg, name))
                return Relation("__ref_schema__", name)
            t = self.find_ref(n, pkg, name)
            if t.config.get("materialized") == "ephemeral":
                if t.unique_id not in n.extra_ctes:
                    n.extra_ctes.append(t.unique_id)
                return Relation(t.schema, t.alias, ephemeral=True)
            return Relation(t.schema, t.alias)

        def source(source_name, table_name):
            if capture:
                n.sources.append((source_name, table_name))
                return Relation("__src__", table_name)
            s = self.find_source(source_name, table_name)
            return Relation(s.schema, s.alias)

        ctx["ref"] = ref
        ctx["source"] = source
        ctx["adapter"] = Adapter(self, renderer, n)
        locals_, glob, packages = self.macros_visible(n.package)
        renderer.packages = packages
        dbt_calls = cross_db_calls(renderer, self.root.name)
        ctx.update(dbt_calls)
        ctx["dbt"] = PackageNamespace(dbt_calls)
        for pkg, names in packages.items():
            ctx[pkg] = PackageNamespace({k: MacroCall(renderer, mf, k) for k, mf in names.items()})
        for name, mf in glob.items():
            ctx[name] = MacroCall(renderer, mf, name)
        for name, mf in locals_.items():
            ctx[name] = MacroCall(renderer, mf, name)
        renderer.ctx = ctx
        renderer.packages = packages
        return ctx

    def parse_render(self, n):
        if n.test is not None:
            return
        ctx = self.context(n, capture=True)
        render_string(n.raw_code, ctx)

    def compile_node(self, n):
        if n.compiled is not None:
            return n
        if n.test is not None:
            n.compiled = self.generic_test_sql(n)
        else:
            n.extra_ctes = []
            ctx = self.context(n, capture=False)
            n.compiled = render_string(n.raw_code, ctx)
        self.prepend_ctes(n)
        return n

    def prepend_ctes(self, n):
        # Compiler._recursively_prepend_ctes
        if n.injected:
            return n.extra_cte_sql
        if not n.extra_ctes:
            n.injected = True
            n.extra_cte_sql = []
            return []
        prepended = []  # list of [id, sql]
        for cid in n.extra_ctes:
            c = self.nodes[cid]
            self.compile_node(c)
            for item in self.prepend_ctes(c):
                add_cte(prepended, item)
            rendered = c.pre_injected if c.pre_injected is not None else c.compiled
            add_cte(prepended, [cid, " %s as (\n%s\n)" % ("__dbt__cte__" + c.alias, rendered)])
        n.pre_injected = n.compiled
        n.compiled = inject_ctes_into_sql(n.compiled, [sql for _, sql in prepended])
        n.injected = True
        n.extra_cte_sql = prepended
        return prepended

    # --- generic test SQL, as the test macros of dbt-adapters' global_project and
    # dbt-glue (dbt/include/glue/tests/generic/builtin.sql) render it: the `{% test %}`
    # block's own whitespace around the dispatched macro's output.
    def generic_test_sql(self, n):
        t = n.test
        target = t["target"]
        rel = str(Relation(target.schema, target.alias)) if t["source"] is None else str(Relation(target.schema, target.alias))
        where = n.config.get("where")
        model = "(select * from %s where %s) dbt_subquery" % (rel, where) if where else rel
        col = t["kwargs"].get("column_name")
        name = t["name"]
        if name == "not_null":
            # builtin test_not_null -> default__test_not_null (column_list = column_name)
            body = "\n\n\n\nselect %s\nfrom %s\nwhere %s is null\n\n" % (col, model, col)
            return "\n    \n    " + body + "\n"
        if name == "unique":
            body = ("\n\nselect\n    %s as unique_field,\n    count(*) as n_records\n\nfrom %s\n"
                    "where %s is not null\ngroup by %s\nhaving count(*) > 1\n\n") % (col, model, col, col)
            return "\n    \n    " + body + "\n"
        if name == "accepted_values":
            # dbt-glue: test_accepted_values -> glue__test_accepted_values
            quote = t["kwargs"].get("quote", True)
            vals = ",".join(("'%s'" % v) if quote else str(v) for v in t["kwargs"]["values"])
            body = ("\n\nselect *\nfrom (\n    select\n        %s as value_field,\n        count(*) as n_records\n\n"
                    "    from %s\n    group by %s\n) all_values\nwhere value_field not in (\n    %s\n)\n\n") % (
                        col, model, col, vals)
            return "\n    " + body + "\n"
        if name == "relationships":
            m = re.match(r"^\s*ref\(\s*['\"](\w+)['\"]\s*\)\s*$", t["kwargs"]["to"])
            to = self.find_ref(n, None, m.group(1))
            to_rel = str(Relation(to.schema, to.alias))
            field = t["kwargs"]["field"]
            body = ("\n\nselect\n    from_field\n\nfrom (\n    select %s as from_field\n    from %s\n"
                    "    where %s is not null\n) child\nleft join (\n    select %s as to_field\n    from %s\n"
                    ") parent\non child.from_field = parent.to_field\n\nwhere parent.to_field is null\n\n") % (
                        col, model, col, field, to_rel)
            return "\n    " + body + "\n"
        raise DbtError("unsupported generic test %s" % name)

    def compiled_path(self, n):
        # ParsedNode.get_target_write_path
        if n.path is not None and os.path.basename(n.path) != os.path.basename(n.original_file_path):
            return os.path.join(n.package, n.original_file_path, n.path)
        return os.path.join(n.package, n.original_file_path)

    def compile_all(self):
        out = OrderedDict()
        for n in self.nodes.values():
            if n.resource_type in ("seed", "snapshot") or not n.config.get("enabled", True):
                continue
            self.compile_node(n)
            out[self.compiled_path(n)] = n.compiled
        return out


def add_cte(prepended, item):
    # _add_prepended_cte
    for c in prepended:
        if c[0] == item[0]:
            c[1] = item[1]
            return
    prepended.append(list(item))


def inject_ctes_into_sql(sql, ctes):
    """dbt-core's inject_ctes_into_sql, with sqlparse."""
    if not ctes:
        return sql
    parsed = sqlparse.parse(sql)[0]
    with_stmt = None
    for token in parsed.tokens:
        if token.is_keyword and token.normalized == "WITH":
            with_stmt = token
        elif token.is_keyword and token.normalized == "RECURSIVE" and with_stmt is not None:
            with_stmt = token
            break
        elif not token.is_whitespace and with_stmt is not None:
            break
    if with_stmt is None:
        first = parsed.token_first()
        with_token = sqlparse.sql.Token(sqlparse.tokens.Keyword, "with")
        parsed.insert_before(first, with_token)
        injected = sqlparse.sql.Token(sqlparse.tokens.Keyword, ", ".join(ctes) + " ")
        parsed.insert_after(with_token, injected)
    else:
        injected = sqlparse.sql.Token(sqlparse.tokens.Keyword, ", ".join(ctes))
        parsed.insert_after(with_stmt, injected)
        comma = sqlparse.sql.Token(sqlparse.tokens.Punctuation, ", ")
        parsed.insert_after(injected, comma)
    return str(parsed)


def _return(value):
    raise MacroReturn(value)


# ----------------------------------------------------------------------------- dbt's cross-db macros

# What dbt's global project (dbt-adapters 802d40f0f0eb, macros/utils/) and dbt-spark
# (dbt/include/spark/macros/utils/) render on Glue, where a GlueColumn is a SparkColumn
# (translate_type is the identity; numeric_type("numeric", 28, 6) is decimal(28,6)).
# Each public name dispatches in the 'dbt' namespace: a root-project glue__/spark__/
# default__ macro of that name wins over dbt's own.


def _spark_split_part(string_text, delimiter_text, part_number):
    # split() takes a regex: a delimiter starting with a non-alphanumeric is escaped
    pattern = ("case when regexp_extract(%s, '([^A-Za-z0-9])(.*)', 1) != '_' "
               "then concat('\\\\', %s) else %s end" % (delimiter_text, delimiter_text, delimiter_text))
    if part_number >= 0:
        index = str(part_number - 1 if part_number > 0 else part_number)
    else:
        index = "length(%s) - length(replace(%s, %s, '')) + 1 + %s" % (
            string_text, string_text, delimiter_text, part_number)
    return "split(%s, %s)[(%s)]" % (string_text, pattern, index)


def _spark_safe_cast(field, type):
    complex_type = type.lower().startswith(("struct", "array", "map"))
    if complex_type and isinstance(field, str):
        field = field.strip('"').strip("'")
    return "cast(%s as %s)" % (field, type)


def _spark_date(year, month, day):
    return "to_date('%s', 'yyyy-MM-dd')" % datetime.date(year, month, day).strftime("%Y-%m-%d")


def _spark_listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    collected = "collect_list(%s)" % measure
    if limit_num:
        collected = "slice(%s, 1, %s)" % (collected, limit_num)
    return "array_join(%s, %s)" % (collected, delimiter_text)


def _array_construct(inputs=(), data_type="integer"):
    return "array(%s)" % ", ".join(str(i) for i in inputs)


CROSS_DB = {
    "type_string": lambda: "string",
    "type_timestamp": lambda: "timestamp",
    "type_float": lambda: "float",
    "type_numeric": lambda: "decimal(28,6)",
    "type_bigint": lambda: "bigint",
    "type_int": lambda: "integer",
    "type_boolean": lambda: "boolean",
    "current_timestamp": lambda: "current_timestamp()",
    "date": _spark_date,
    "date_trunc": lambda datepart, date: "date_trunc('%s', %s)" % (datepart, date),
    "cast": lambda field, type: "cast(%s as %s)" % (field, type),
    "safe_cast": _spark_safe_cast,
    "cast_bool_to_text": lambda field: "cast(%s as string)" % field,
    "concat": lambda fields: "concat(%s)" % ", ".join(fields),
    "hash": lambda field: "md5(cast(%s as string))" % field,
    "string_literal": lambda value: "'%s'" % value,
    "escape_single_quotes": lambda e: e.replace("'", "\\'"),
    "replace": lambda f, o, n: "replace(%s, %s, %s)" % (f, o, n),
    "length": lambda e: "length(%s)" % e,
    "position": lambda sub, s: "position(%s in %s)" % (sub, s),
    "right": lambda s, n: "right(%s, %s)" % (s, n),
    "split_part": _spark_split_part,
    "except": lambda: "except",
    "intersect": lambda: "intersect",
    "any_value": lambda e: "first(%s)" % e,
    "bool_or": lambda e: "max(%s)" % e,
    "listagg": _spark_listagg,
    "array_construct": _array_construct,
    "array_concat": lambda a, b: "concat(%s, %s)" % (a, b),
    "equals": lambda a, b: "(%s = %s)" % (a, b),
}
def _spark_assert_not_null(function, arg):
    call = "%s(%s)" % (function, arg)
    return "coalesce(%s, nvl2(%s, assert_true(%s is not null), null))" % (call, call, call)


def _spark_dateadd(datepart, interval, from_date_or_timestamp):
    # dbt-spark dateadd.sql: calendar parts move the date (date_add / add_months) and add
    # back the seconds since midnight; clock parts add seconds to the unix time
    x = from_date_or_timestamp
    day = _spark_assert_not_null("date", x)
    clock = "to_unix_timestamp(%s) - to_unix_timestamp(%s)" % (_spark_assert_not_null("to_timestamp", x), day)
    calendar = {"day": ("date_add", 1), "week": ("date_add", 7), "month": ("add_months", 1),
                "quarter": ("add_months", 3), "year": ("add_months", 12)}
    seconds = {"hour": "3600", "minute": "60", "second": "1", "millisecond": "(1/1000000)",
               "microsecond": "(1/1000000)"}
    if datepart in calendar:
        fn, factor = calendar[datepart]
        return "to_timestamp(to_unix_timestamp(%s(%s, cast(%s * %s as int))) + %s)" % (fn, day, interval, factor, clock)
    if datepart in seconds:
        return "to_timestamp(%s + cast(%s * %s as int))" % (
            _spark_assert_not_null("to_unix_timestamp", x), interval, seconds[datepart])
    raise DbtError("macro dateadd not implemented for datepart %s on Spark" % datepart)


def _spark_datediff(first_date, second_date, datepart):
    # dbt-spark datediff.sql: whole periods rounded toward zero, plus a boundary crossed
    # mid-period; calendar parts on asserted dates, clock parts on unix times
    nn = _spark_assert_not_null
    calendar = ("day", "week", "month", "quarter", "year")
    f = nn("date", first_date) if datepart in calendar else first_date
    s = nn("date", second_date) if datepart in calendar else second_date
    if datepart == "day":
        return "datediff(%s, %s)" % (s, f)
    if datepart == "year":
        return "year(%s) - year(%s)" % (s, f)
    if datepart in ("week", "month", "quarter"):
        if datepart == "week":
            whole = "datediff(%s, %s)/7" % (s, f)
            ps, pf = "dayofweek(%s)" % s, "dayofweek(%s)" % f
        else:
            whole = "months_between(date(%s), date(%s))%s" % (s, f, "/3" if datepart == "quarter" else "")
            if datepart == "month":
                ps, pf = "dayofmonth(%s)" % s, "dayofmonth(%s)" % f
            else:
                ps = "(dayofyear(%s) - (quarter(%s) * 365/4))" % (s, s)
                pf = "(dayofyear(%s) - (quarter(%s) * 365/4))" % (f, f)
        return ("case when %s < %s then floor(%s) else ceil(%s) end\n        + case when %s < %s and %s < %s then 1 "
                "when %s > %s and %s > %s then -1 else 0 end" % (f, s, whole, whole, f, s, ps, pf, f, s, ps, pf))
    divisors = {"hour": "3600", "minute": "60", "second": "1", "millisecond": "(1/1000)", "microsecond": "(1/1000000)"}
    if datepart not in divisors:
        raise DbtError("macro datediff not implemented for datepart %s on Spark" % datepart)
    us = nn("to_unix_timestamp", nn("to_timestamp", s))
    uf = nn("to_unix_timestamp", nn("to_timestamp", f))
    d = divisors[datepart]
    out = "case when %s < %s then ceil((%s - %s) / %s) else floor((%s - %s) / %s) end" % (f, s, us, uf, d, us, uf, d)
    if datepart == "millisecond":
        out += "\n        + cast(date_format(%s, 'SSS') as int) - cast(date_format(%s, 'SSS') as int)" % (s, f)
    if datepart == "microsecond":
        six = "'[0-9]{4}-[0-9]{2}-[0-9]{2}.[0-9]{2}:[0-9]{2}:[0-9]{2}.([0-9]{6})'"
        out += "\n        + cast(regexp_extract(%s, %s, 1) as int) - cast(regexp_extract(%s, %s, 1) as int)" % (s, six, f, six)
    return out


def _not_in_gluec(name):
    def missing(*args, **kwargs):
        raise DbtError("dbt.%s: gluec does not implement it; the golden cases use it only overridden" % name)
    return missing


CROSS_DB["dateadd"] = _spark_dateadd
# dbt-adapters last_day.sql (dbt-spark has no override): the next period's start, a day back
CROSS_DB["last_day"] = lambda date, datepart: "cast(%s as date)" % _spark_dateadd(
    "day", "-1", _spark_dateadd(datepart, "1", CROSS_DB["date_trunc"](datepart, date)))
CROSS_DB["assert_not_null"] = _spark_assert_not_null
CROSS_DB["datediff"] = _spark_datediff
for _name in ("date_spine",):
    CROSS_DB[_name] = _not_in_gluec(_name)
CROSS_DB["array_append"] = lambda a, e: CROSS_DB["array_concat"](a, _array_construct([e]))


def cross_db_calls(renderer, root_name):
    """name -> callable: a root override (glue__/spark__/default__name) or dbt's own."""
    root = renderer.packages.get(root_name, {})
    calls = {}
    for name, impl in CROSS_DB.items():
        calls[name] = impl
        for prefix in ADAPTER_PREFIXES:
            mf = root.get("%s__%s" % (prefix, name))
            if mf is not None:
                calls[name] = MacroCall(renderer, mf, "%s__%s" % (prefix, name))
                break
    return calls


class Exceptions:
    def raise_compiler_error(self, msg):
        raise DbtError(msg)

    def warn(self, msg):
        return ""


class Renderer:
    def __init__(self, manifest):
        self.manifest = manifest
        self.ctx = None
        self.modules = {}

    def module_for(self, mfile):
        key = id(mfile)
        if key not in self.modules:
            self.modules[key] = mfile.template.make_module(vars=self.ctx)
        return self.modules[key]


class Adapter:
    def __init__(self, manifest, renderer, node):
        self.manifest = manifest
        self.renderer = renderer
        self.node = node

    def dispatch(self, macro_name, macro_namespace=None):
        m = self.manifest
        search = [None]
        if macro_namespace is not None:
            order = None
            for d in m.root.cfg.get("dispatch") or []:
                if d.get("macro_namespace") == macro_namespace:
                    order = d.get("search_order")
            if order:
                search = order
            elif macro_namespace in m.projects:
                search = [m.root.name, macro_namespace]
        for pkg in search:
            for prefix in ADAPTER_PREFIXES:
                name = "%s__%s" % (prefix, macro_name)
                if pkg is None:
                    if name in self.renderer.ctx:
                        return self.renderer.ctx[name]
                    continue
                mf = self.renderer.packages.get(pkg, {}).get(name)
                if mf is not None:
                    return MacroCall(self.renderer, mf, name)
        raise DbtError("dispatch: no macro for %s in %s" % (macro_name, search))

    def get_columns_in_relation(self, relation):
        for n in list(self.manifest.nodes.values()) + list(self.manifest.sources.values()):
            if n.schema == relation.schema and n.alias == relation.identifier:
                return [Column(c, spec.get("data_type")) for c, spec in n.columns.items()]
        return []

    def quote(self, identifier):
        return "`%s`" % identifier


# ----------------------------------------------------------------------------- dbt ls


class Graph:
    def __init__(self, manifest):
        self.m = manifest
        self.nodes = {}
        for n in list(manifest.nodes.values()) + list(manifest.sources.values()):
            if n.config.get("enabled", True):
                self.nodes[n.unique_id] = n
        self.parents = {u: set() for u in self.nodes}
        self.children = {u: set() for u in self.nodes}
        for u, n in self.nodes.items():
            for d in n.depends_on:
                self.parents[u].add(d)
                self.children[d].add(u)

    def walk(self, start, edges, depth):
        seen = {}
        frontier = [start]
        dist = 0
        while frontier and (depth is None or dist < depth):
            dist += 1
            nxt = []
            for f in frontier:
                for e in edges[f]:
                    if e not in seen and e != start:
                        seen[e] = dist
                        nxt.append(e)
            frontier = nxt
        return set(seen)

    def select_parents(self, sel, depth=None):
        out = set()
        for s in sel:
            out |= self.walk(s, self.parents, depth)
        return out

    def select_children(self, sel, depth=None):
        out = set()
        for s in sel:
            out |= self.walk(s, self.children, depth)
        return out


SPEC_RE = re.compile(r"\A(?P<childrens_parents>(\@))?(?P<parents>((?P<parents_depth>(\d*))\+))?"
                     r"((?P<method>([\w.]+)):)?(?P<value>(.*?))(?P<children>(\+(?P<children_depth>(\d*))))?\Z")


def is_selected_node(fqn, selector):
    if fqn[-1] == selector:
        return True
    flat = [x for seg in fqn for x in seg.split(".")]
    parts = selector.split(".")
    if len(flat) < len(parts):
        return False
    slurp = None
    for i, part in enumerate(parts):
        if any(w in part for w in ("*", "?", "[", "]")):
            slurp = i
            break
        elif flat[i] == part:
            continue
        else:
            return False
    if slurp is not None:
        return fnmatch.fnmatch(".".join(flat[slurp:]), ".".join(parts[slurp:]))
    return True


class Selector:
    def __init__(self, manifest, indirect="eager"):
        self.m = manifest
        self.g = Graph(manifest)
        self.indirect = indirect

    def search(self, method, args, value):
        g = self.g
        for u, n in sorted(g.nodes.items()):
            rt = n.resource_type
            if method == "fqn":
                if rt != "source" and (is_selected_node(n.fqn, value) or is_selected_node(n.fqn[1:], value)):
                    yield u
            elif method == "tag":
                if any(fnmatch.fnmatch(t, value) for t in n.config.get("tags", [])):
                    yield u
            elif method == "source":
                parts = value.split(".")
                if len(parts) == 1:
                    pkg, src, tbl = "*", parts[0], "*"
                elif len(parts) == 2:
                    pkg, src, tbl = "*", parts[0], parts[1]
                else:
                    pkg, src, tbl = parts
                if rt == "source" and fnmatch.fnmatch(n.package, pkg) and fnmatch.fnmatch(n.source_name, src) \
                        and fnmatch.fnmatch(n.name, tbl):
                    yield u
            elif method == "path":
                # globbed relative to the root project; original_file_path is relative to
                # the node's own package root (so package nodes can match too, as in dbt)
                root = pathlib.Path(self.m.root.root)
                paths = set(p.relative_to(root) for p in root.glob(value))
                ofp = pathlib.Path(n.original_file_path)
                hit = ofp in paths or any(par in paths for par in ofp.parents)
                pp = getattr(n, "patch_path", None)
                if pp and pathlib.Path(pp) in paths:
                    hit = True
                if hit:
                    yield u
            elif method == "file":
                base = os.path.basename(n.original_file_path)
                if fnmatch.fnmatch(base, value) or fnmatch.fnmatch(os.path.splitext(base)[0], value):
                    yield u
            elif method == "package":
                v = self.m.root.name if value == "this" else value
                if fnmatch.fnmatch(n.package, v):
                    yield u
            elif method == "config":
                cur = n.config
                ok = True
                for a in args:
                    if isinstance(cur, dict) and a in cur:
                        cur = cur[a]
                    else:
                        ok = False
                        break
                if ok and ((value in cur) if isinstance(cur, list) else (value == cur)):
                    yield u
            elif method == "resource_type":
                if rt == value:
                    yield u
            elif method == "test_name":
                if rt == "test" and n.test is not None and fnmatch.fnmatch(n.test["name"], value):
                    yield u
            elif method == "test_type":
                if rt == "test" and ((value in ("generic", "schema") and n.test is not None)
                                     or (value == "singular" and n.test is None) or value == "data"):
                    yield u
            else:
                raise DbtError("method %s not modelled" % method)

    def criteria(self, raw):
        mt = SPEC_RE.match(raw).groupdict()
        method = mt["method"]
        value = mt["value"]
        if method is None:
            if "/" in value:
                method, args = "path", []
            elif value.lower().endswith((".sql", ".py", ".csv")):
                method, args = "file", []
            else:
                method, args = "fqn", []
        else:
            parts = method.split(".")
            method, args = parts[0], parts[1:]
        collected = set(self.search(method, args, value))
        neighbors = set()
        if mt["childrens_parents"]:
            kids = self.g.select_children(collected) | collected
            neighbors |= self.g.select_parents(kids) | kids
        if mt["parents"]:
            d = int(mt["parents_depth"]) if mt["parents_depth"] else None
            neighbors |= self.g.select_parents(collected, d)
        if mt["children"]:
            d = int(mt["children_depth"]) if mt["children_depth"] else None
            neighbors |= self.g.select_children(collected, d)
        selected = collected | neighbors
        return self.expand(selected)

    def expand(self, selected):
        direct = set(selected)
        indirect = set()
        succ = set()
        for s in selected:
            succ |= self.g.children[s]
        for u in succ:
            n = self.g.nodes[u]
            if n.resource_type == "test":
                if self.indirect == "eager" or set(n.depends_on) <= selected:
                    direct.add(u)
                elif self.indirect == "empty":
                    pass
                else:
                    indirect.add(u)
        return direct, indirect

    def combine(self, op, bundles):
        directs = [d for d, _ in bundles]
        indirects = [d | i for d, i in bundles]

        def comb(sets):
            if not sets:
                return set()
            if op == "union":
                return set().union(*sets)
            if op == "intersection":
                return set.intersection(*sets)
            return sets[0].difference(*sets[1:])

        d = comb(directs)
        i = comb(indirects)
        if self.indirect == "cautious" and d != i:
            for u in i:
                n = self.g.nodes[u]
                if u in self.m.nodes and set(n.depends_on) <= d:
                    d = d | {u}
        return d, i

    def union(self, components):
        specs = [s for c in components for s in c.split(" ") if s]
        bundles = []
        for raw in specs:
            bundles.append(self.combine("intersection", [self.criteria(p) for p in raw.split(",")]))
        return self.combine("union", bundles)

    def select(self, include, exclude, resource_types):
        inc = self.union(include if include else ["fqn:*", "source:*"])
        exc = self.union(exclude) if exclude else (set(), set())
        direct, _ = self.combine("difference", [inc, exc])
        return sorted((u for u in direct if self.g.nodes[u].resource_type in resource_types),
                      key=lambda u: self.g.nodes[u].sort_key)


def ls_lines(manifest, argv):
    # task/list.py ListTask: -m/--models means models only; --exclude-resource-type is
    # subtracted from the types; --output selector (default) | name (search_name) | path
    include, exclude, rtypes, xtypes, indirect = [], [], [], [], "eager"
    models_only, output = False, "selector"
    cur = None
    it = iter(argv)
    for a in it:
        if a in ("-s", "--select", "-m", "--models"):
            cur = include
            models_only = models_only or a in ("-m", "--models")
        elif a == "--exclude":
            cur = exclude
        elif a == "--resource-type":
            cur = rtypes
        elif a == "--exclude-resource-type":
            cur = xtypes
        elif a == "--output":
            output = next(it)
            cur = None
        elif a.startswith("--indirect-selection="):
            indirect = a.split("=", 1)[1]
            cur = None
        elif a.startswith("-"):
            cur = None
        elif cur is not None:
            cur.append(a)
    default_types = {"model", "snapshot", "seed", "test", "source", "exposure", "metric", "saved_query",
                     "semantic_model", "unit_test"}
    if models_only:
        types = {"model"}
    elif rtypes:
        types = set()
        for t in rtypes:
            types |= default_types | {"analysis"} if t == "all" else {t}
    else:
        types = set(default_types)
    types -= set(xtypes)
    sel = Selector(manifest, indirect)
    out = []
    for u in sel.select(include, exclude, types):
        n = sel.g.nodes[u]
        if output == "path":
            out.append(n.original_file_path)
        elif output == "name":
            out.append("%s.%s" % (n.source_name, n.name) if n.resource_type == "source" else n.name)
        elif n.resource_type == "source":
            out.append("source:%s.%s.%s" % (n.package, n.source_name, n.name))
        else:
            out.append(".".join(n.fqn))
    return out


# ----------------------------------------------------------------------------- cases


def parse_cmd(case_dir):
    with open(os.path.join(case_dir, "cmd")) as f:
        argv = shlex.split(f.read())
    return argv


def manifest_for(case_dir, argv):
    opts = {"--project-dir": ".", "--profiles-dir": None, "--target": None, "--vars": None}
    i = 1
    while i < len(argv):
        if argv[i] in opts:
            opts[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i] == "-t":
            opts["--target"] = argv[i + 1]
            i += 2
        else:
            i += 1
    env = {}
    env_file = os.path.join(case_dir, "env")
    if os.path.exists(env_file):
        for line in open(env_file):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                k, v = line.split("=", 1)
                env[k] = v
    cli_vars = yaml.safe_load(opts["--vars"]) if opts["--vars"] else {}
    project_dir = os.path.normpath(os.path.join(case_dir, opts["--project-dir"]))
    profiles_dir = os.path.normpath(os.path.join(case_dir, opts["--profiles-dir"] or opts["--project-dir"]))
    return Manifest(case_dir, project_dir, profiles_dir, opts["--target"], cli_vars, env)


def expected_files(case_dir):
    argv = parse_cmd(case_dir)
    m = manifest_for(case_dir, argv)
    files = OrderedDict()
    for path, sql in m.compile_all().items():
        files[os.path.join("expected", "compiled", path)] = sql
    sel = os.path.join(case_dir, "selections.txt")
    if os.path.exists(sel):
        for line in open(sel):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            args, out = line.split("\t")
            lm = manifest_for(case_dir, shlex.split(args))
            files[out] = "".join(l + "\n" for l in ls_lines(lm, shlex.split(args)[1:]))
    return files


def main():
    check = "--check" in sys.argv
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    cases = names or sorted(d for d in os.listdir(HERE)
                            if os.path.isfile(os.path.join(HERE, d, "cmd")))
    bad = 0
    for case in cases:
        case_dir = os.path.join(HERE, case)
        files = expected_files(case_dir)
        for rel, text in files.items():
            path = os.path.join(case_dir, rel)
            if check:
                old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
                if old != text:
                    print("differs: %s/%s" % (case, rel))
                    bad += 1
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        print("%s: %d files" % (case, len(files)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
