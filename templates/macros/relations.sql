{#- gluec's library: looking up relations in the catalog. gluec's catalog is --state
    (adapter.get_relation); dbt's materializations call these two names. -#}

{%- macro load_cached_relation(relation) -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro -%}

{%- macro load_relation(relation) -%}
    {{ return(load_cached_relation(relation)) }}
{%- endmacro -%}
