{% macro log_run_start() -%}
insert into {{ target.schema }}_audit.runs values ('{{ invocation_id }}', '{{ run_started_at.strftime("%Y-%m-%d") }}')
{%- endmacro %}
