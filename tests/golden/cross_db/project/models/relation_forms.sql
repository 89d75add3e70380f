{{ config(materialized='view') }}
-- quoted: {{ this.quote(identifier=true) }}, {{ ref('customers_clean').quote(schema=true, identifier=true) }}
-- parts: {{ this.include(schema=false) }}, {{ this.without_identifier() }}, {{ this.quote(true, true, true).quote(identifier=false) }}
select * from {{ ref('customers_clean').include(database=false) }}
-- api: {{ api.Relation.create(database='analytics', schema='raw', identifier='events') }}, view: {{ api.Relation.create(schema='raw', identifier='events', type='view').is_view }}
-- columns: {{ api.Column.create('event_id', 'bigint').quoted }} {{ api.Column.create('event_id', 'bigint').dtype }}, {{ api.Column.translate_type('string') }}, {{ api.Column.numeric_type('numeric', 38, 2) }}, {{ api.Column.numeric_type('numeric', none, none) }}, {{ api.Column.string_type(255) }}
