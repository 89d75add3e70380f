{# the root project's spark__hash wins over dbt's: sha2 instead of md5 #}
{% macro spark__hash(field) -%}
    sha2(cast({{ field }} as {{ dbt.type_string() }}), 256)
{%- endmacro %}

{# dbt.dateadd resolves to the project's own spark__dateadd #}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}
