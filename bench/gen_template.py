#!/usr/bin/env python3
"""bench/gen_template.py - writes a large dbt-flavoured Jinja template and its JSON
context for the render benchmark: N models' worth of macros, loops over columns,
conditionals, filters and namespace counters (about 10 lines per model)."""
import json
import sys


def main():
    models = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    out_tpl, out_ctx = sys.argv[2], sys.argv[3]
    lines = [
        "{%- macro col_list(cols, prefix='') -%}",
        "{%- for c in cols %}{{ prefix }}{{ c.name }}{% if not loop.last %}, {% endif %}{% endfor -%}",
        "{%- endmacro -%}",
        "{%- macro cast_col(c) -%}cast({{ c.name }} as {{ c.type | default('string') }}) as {{ c.name | lower }}{%- endmacro -%}",
        "{%- set ns = namespace(total=0) -%}",
    ]
    for i in range(models):
        lines += [
            f"-- model {i}",
            f"{{%- set cols = tables[{i % 50}].columns %}}",
            f"create table if not exists {{{{ schema }}}}.model_{i} using parquet as",
            "select {% for c in cols %}{{ cast_col(c) }}{% if not loop.last %},{% endif %}",
            "{% endfor %}",
            f"from {{{{ schema }}}}.src_{i % 50} where {{{{ col_list(cols, 't.') | length }}}} > 0",
            "{%- if cols | length > 3 %} and {{ cols | map(attribute='name') | join(' is not null and ') }} is not null{% endif %};",
            "{%- set ns.total = ns.total + cols | length %}",
            f"{{{{ '%05d' % {i} }}}} {{{{ ns.total }}}} {{{{ [1, 2, 3] | sum * {i} }}}}",
            "",
        ]
    with open(out_tpl, "w") as f:
        f.write("\n".join(lines))
    tables = [{"columns": [{"name": f"Col_{t}_{k}", "type": ["bigint", "string", "double", "date"][k % 4]}
                           for k in range(3 + t % 8)]} for t in range(50)]
    with open(out_ctx, "w") as f:
        json.dump({"schema": "analytics", "tables": tables}, f)
    print(f"{len(lines)} lines, {models} models")


if __name__ == "__main__":
    main()
