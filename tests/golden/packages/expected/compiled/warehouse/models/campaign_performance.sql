with campaigns as (

    select * from analytics_mkt.mkt_campaigns

),

events as (

    select * from analytics.all_events

)

select
    campaigns.campaign_key,
    campaigns.campaign_name,
    sum(case when events.event_type = 'view' then 1 else 0 end) as n_view,
    sum(case when events.event_type = 'click' then 1 else 0 end) as n_click,
    sum(case when events.event_type = 'purchase' then 1 else 0 end) as n_purchase
from campaigns
left join events
    on events.campaign_id = campaigns.campaign_id
group by campaigns.campaign_key, campaigns.campaign_name