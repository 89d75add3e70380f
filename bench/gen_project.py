#!/usr/bin/env python3
"""bench/gen_project.py - writes a dbt-glue project of N models for the compile
benchmark: sources, staging views over them, ephemeral intermediates, marts (tables and
incremental models) with refs, macros, config() blocks, vars, and schema.yml files with
not_null/unique/accepted_values/relationships tests (about one test per model).
Usage: gen_project.py N OUT_DIR"""
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    write(f"{out}/dbt_project.yml", """name: bench
version: '1.0'
config-version: 2
profile: bench
vars:
  start_date: '2020-01-01'
models:
  bench:
    +file_format: parquet
    staging:
      +materialized: view
    intermediate:
      +materialized: ephemeral
    marts:
      +materialized: table
      +schema: marts
""")
    write(f"{out}/profiles.yml", """bench:
  target: dev
  outputs:
    dev:
      type: glue
      role_arn: arn:aws:iam::123456789012:role/Glue
      region: us-east-1
      workers: 2
      worker_type: G.1X
      schema: analytics
      location: s3://bench-bucket/dbt/
""")
    write(f"{out}/macros/util.sql", """{% macro cents(col, scale=2) -%}
round(cast({{ col }} as double) / 100, {{ scale }})
{%- endmacro %}

{% macro select_cols(cols, prefix='') -%}
{%- for c in cols %}{{ prefix }}{{ c }}{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}
""")
    sources = max(1, n // 20)
    tables = "\n".join(f"      - name: t{i}\n        columns:\n          - name: id\n            tests: [not_null]"
                       for i in range(sources))
    write(f"{out}/models/staging/_sources.yml", f"version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n{tables}\n")
    staging = n // 4
    inter = n // 4
    marts = n - staging - inter
    for i in range(staging):
        write(f"{out}/models/staging/g{i % 50}/stg_{i}.sql", f"""select
    {{{{ select_cols(['id', 'customer_id', 'status', 'amount_cents', 'created_at']) }}}},
    {{{{ cents('amount_cents') }}}} as amount
from {{{{ source('raw', 't{i % sources}') }}}}
where created_at >= '{{{{ var("start_date") }}}}'
""")
    for i in range(inter):
        write(f"{out}/models/intermediate/g{i % 50}/int_{i}.sql", f"""select id, customer_id, sum(amount) as amount
from {{{{ ref('stg_{i % staging}') }}}}
{{% if var('start_date') %}}where status != 'cancelled'{{% endif %}}
group by id, customer_id
""")
    for i in range(marts):
        inc = i % 5 == 0
        cfg = ("{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by=['dt']) }}\n"
               if inc else "")
        body = f"""{cfg}with base as (
    select * from {{{{ ref('int_{i % inter}') }}}}
)
select b.*, s.status
from base b
join {{{{ ref('stg_{(i * 7) % staging}') }}}} s on s.id = b.id
{{% if is_incremental() %}}where b.id > (select max(id) from {{{{ this }}}}){{% endif %}}
"""
        write(f"{out}/models/marts/g{i % 50}/mart_{i}.sql", body)
    for g in range(50):
        entries = []
        for i in range(g, marts, 50):
            entries.append(f"""  - name: mart_{i}
    description: Mart {i}.
    columns:
      - name: id
        tests:
          - not_null
      - name: status
        tests:
          - accepted_values:
              values: ['placed', 'shipped', 'completed']""")
        if entries:
            write(f"{out}/models/marts/g{g}/schema.yml", "version: 2\nmodels:\n" + "\n".join(entries) + "\n")
    print(f"{n} models ({staging} staging, {inter} ephemeral, {marts} marts), {sources} sources")


if __name__ == "__main__":
    main()
