{{ config(materialized='view') }}
-- quoted: {{ this.quote(identifier=true) }}, {{ ref('customers_clean').quote(schema=true, identifier=true) }}
-- parts: {{ this.include(schema=false) }}, {{ this.without_identifier() }}, {{ this.quote(true, true, true).quote(identifier=false) }}
select * from {{ ref('customers_clean').include(database=false) }}
