select
    campaign_id,
    {{ myutils.generate_surrogate_key(['campaign_id', 'channel']) }} as campaign_key,
    trim(campaign_name) as campaign_name,
    channel,
    started_at,
    date_add(started_at, {{ var('attribution_window_days') }}) as attribution_ends_at
from {{ source('ads', 'campaigns') }}
where channel <> '{{ mkt_excluded_channel() }}'
