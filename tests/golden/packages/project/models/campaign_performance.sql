with campaigns as (

    select * from {{ ref('marketing', 'mkt_campaigns') }}

),

events as (

    select * from {{ ref('all_events') }}

)

select
    campaigns.campaign_key,
    campaigns.campaign_name,
    {{ myutils.pivot('events.event_type', ['view', 'click', 'purchase'], prefix='n_') }}
from campaigns
left join events
    on events.campaign_id = campaigns.campaign_id
group by campaigns.campaign_key, campaigns.campaign_name
