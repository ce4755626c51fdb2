-- The regions '1'-'6' add up to the ALL row for included referrals (an included referral's
-- basis institution is known to hosb and so has a region); excluded referrals may exceed the
-- regions' sum in ALL only (unknown basis institution).

with rates as (

    select * from {{ ref('referral_reply_rate') }}

),

by_region as (

    select
        fee_quarter,
        direction,
        sum(referrals) as referrals,
        sum(replied) as replied,
        sum(timely_replied) as timely_replied,
        sum(seen) as seen,
        sum(excluded_referrals) as excluded_referrals
    from rates
    where area_no_h <> 'ALL'
    group by fee_quarter, direction

),

all_regions as (

    select * from rates
    where area_no_h = 'ALL'

)

select
    all_regions.fee_quarter,
    all_regions.direction,
    all_regions.referrals,
    by_region.referrals as referrals_by_region
from all_regions
left join by_region
    on all_regions.fee_quarter = by_region.fee_quarter
        and all_regions.direction = by_region.direction
where by_region.fee_quarter is null
    or all_regions.referrals <> by_region.referrals
    or all_regions.replied <> by_region.replied
    or all_regions.timely_replied <> by_region.timely_replied
    or all_regions.seen <> by_region.seen
    or all_regions.excluded_referrals < by_region.excluded_referrals
