select
    campaign_id,
    sha2(concat_ws('||', coalesce(cast(campaign_id as string), '~'), coalesce(cast(channel as string), '~')), 256) as campaign_key,
    trim(campaign_name) as campaign_name,
    channel,
    started_at,
    date_add(started_at, 14) as attribution_ends_at
from ads_platform.campaigns
where channel <> 'internal'