{%- set start_month = var('fiscal_year_start_month') -%}
-- fiscal years start in month {{ start_month }}; built in {{ target.schema }} for target {{ target.name }}
-- batch {{ var('batch_label') }}, stored as {{ config.get('file_format') }}
-- glue {{ target.glue_version }}, temp schema {{ target.temp_schema }}, idle {{ target.idle_timeout }} min, {{ target.workers }} x {{ target.worker_type }}, {{ target.keys() | list | length }} target keys
select
    posted_date,
    case
        when month(posted_date) >= {{ start_month }} then year(posted_date)
        else year(posted_date) - 1
    end as fiscal_year,
    mod(month(posted_date) - {{ start_month }} + 12, 12) + 1 as fiscal_month
from (select distinct posted_date from {{ ref('stg_gl_entries') }}) as dates
