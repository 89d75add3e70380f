{#- Glue override of myutils.generate_surrogate_key: sha2 instead of md5, and a
    separator that cannot appear in our keys. -#}
{% macro glue__generate_surrogate_key(field_list) -%}
    sha2(concat_ws('||', {% for field in field_list -%}
        coalesce(cast({{ field }} as string), '~')
        {%- if not loop.last %}, {% endif -%}
    {%- endfor %}), 256)
{%- endmacro %}
