select
    {{ dbt.any_value('full_name') }} as any_name,
    {{ dbt.bool_or("is_active_text = 'true'") }} as any_active,
    {{ dbt.listagg('email_domain', "', '", limit_num=5) }} as domains,
    {{ dbt.array_append(dbt.array_construct(["'a'", "'b'"]), "'c'") }} as tags,
    {{ dbt.equals('channel', "'web'") }} as is_web,
    cast(count(*) as {{ dbt.type_int() }}) as n,
    cast(max(signup_score) > 0 as {{ type_boolean() }}) as scored
from {{ ref('customers_clean') }}
group by channel
{{ dbt.except() }}
select null, null, null, null, null, 0, false
{{ dbt.intersect() }}
select null, null, null, null, null, 0, false
