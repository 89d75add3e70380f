{{ config(tags=['audit'], persist_docs={'relation': true}) }}
-- built by {{ model.unique_id }} ({{ model.config.materialized }}, {{ model.config.file_format }})
{%- set m = model %}
select '{{ m.name }}' as model_name,
       '{{ model["package_name"] }}' as package,
       {{ model.tags | length }} as n_tags,
       '{{ model.fqn | join(".") }}' as fqn,
       '{{ model.original_file_path }}' as path,
       '{{ model.depends_on.nodes | join(",") }}' as parents,
       '{{ model.description }}' as description,
       '{{ model.columns.model_name.description }}' as name_description
from {{ ref('balances') }}
{{ owner_comment() }}
-- unique_key: config.get {{ config.get('unique_key', 'dflt') }}, model.config.get {{ model.config.get('unique_key', 'dflt') }}, docs {{ model.config.docs }}
-- persist docs: relation {{ config.persist_relation_docs() }}, columns {{ config.persist_column_docs() }}
