{% macro generate_surrogate_key(field_list) -%}
    {{ return(adapter.dispatch('generate_surrogate_key', 'myutils')(field_list)) }}
{%- endmacro %}

{% macro default__generate_surrogate_key(field_list) -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append("coalesce(cast(" ~ field ~ " as string), '_null_')") -%}
    {%- endfor -%}
    md5(concat_ws('-', {{ fields | join(', ') }}))
{%- endmacro %}
