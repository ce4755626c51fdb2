-- 電子轉診回復率 Electronic-referral reply rate per quarter of issue, region ('1'-'6' and 'ALL')
-- and direction (domain spec §5). Rates count included referrals (known institutions, receiver
-- not TCM/dental) issued by the as-of date; excluded referrals are counted beside them.
-- Region basis: var `referral_region_basis` ('issuer' default, or 'receiver').

{%- set region_basis = var('referral_region_basis', 'issuer') %}
{%- if region_basis not in ['issuer', 'receiver'] %}
    {{ exceptions.raise_compiler_error("var referral_region_basis must be 'issuer' or 'receiver', got '" ~ region_basis ~ "'") }}
{%- endif %}

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

referrals as (

    select * from {{ ref('int_referrals_classified') }}

),

regions as (

    select * from {{ ref('regions') }}

),

directions as (

    select * from {{ ref('referral_directions') }}

),

in_scope as (

    select
        fee_quarter,
        roc_quarter,
        {{ region_basis }}_area_no_h as area_no_h,
        direction,
        is_included,
        is_seen,
        is_replied,
        is_timely_reply,
        days_to_reply,
        days_seen_to_reply,
        as_of_date
    from referrals
    where is_issued_by_as_of

),

with_all_regions as (

    select * from in_scope
    where area_no_h is not null
    union all
    select
        fee_quarter,
        roc_quarter,
        'ALL' as area_no_h,
        direction,
        is_included,
        is_seen,
        is_replied,
        is_timely_reply,
        days_to_reply,
        days_seen_to_reply,
        as_of_date
    from in_scope

),

aggregated as (

    select
        fee_quarter,
        area_no_h,
        direction,
        sum(case when is_included then 1 else 0 end) as referrals,
        sum(case when is_included and is_replied then 1 else 0 end) as replied,
        sum(case when is_included and is_timely_reply then 1 else 0 end) as timely_replied,
        sum(case when is_included and is_seen then 1 else 0 end) as seen,
        {{ median_cont('case when is_included then days_to_reply end') }} as median_days_to_reply,
        {{ median_cont('case when is_included then days_seen_to_reply end') }} as median_days_seen_to_reply,
        sum(case when is_included then 0 else 1 end) as excluded_referrals
    from with_all_regions
    group by fee_quarter, area_no_h, direction

),

as_of as (

    select max(as_of_date) as as_of_date from referrals

),

quarters as (

    select distinct
        in_scope.fee_quarter,
        in_scope.roc_quarter,
        calendar_quarters.fee_quarter_start,
        calendar_quarters.fee_quarter_end
    from in_scope
    left join calendar_quarters
        on in_scope.fee_quarter = calendar_quarters.fee_quarter

),

areas as (

    select
        area_no_h,
        region_zh
    from regions
    union all
    select
        'ALL' as area_no_h,
        '全區' as region_zh

),

grid as (

    select
        quarters.fee_quarter,
        quarters.roc_quarter,
        quarters.fee_quarter_start,
        quarters.fee_quarter_end,
        areas.area_no_h,
        areas.region_zh,
        directions.direction,
        directions.direction_zh,
        directions.is_published_rate
    from quarters
    cross join areas
    cross join directions

),

filled as (

    select
        grid.*,
        coalesce(aggregated.referrals, 0) as referrals,
        coalesce(aggregated.replied, 0) as replied,
        coalesce(aggregated.timely_replied, 0) as timely_replied,
        coalesce(aggregated.seen, 0) as seen,
        aggregated.median_days_to_reply,
        aggregated.median_days_seen_to_reply,
        coalesce(aggregated.excluded_referrals, 0) as excluded_referrals,
        as_of.as_of_date
    from grid
    left join aggregated
        on grid.fee_quarter = aggregated.fee_quarter
            and grid.area_no_h = aggregated.area_no_h
            and grid.direction = aggregated.direction
    cross join as_of

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(fee_quarter_start as date) as fee_quarter_start,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast('{{ region_basis }}' as {{ dbt.type_string() }}) as region_basis,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(direction_zh as {{ dbt.type_string() }}) as direction_zh,
        cast(is_published_rate as boolean) as is_published_rate,
        cast(referrals as {{ dbt.type_bigint() }}) as referrals,
        cast(replied as {{ dbt.type_bigint() }}) as replied,
        cast(case when referrals > 0 then cast(replied as double) / referrals end as double) as reply_rate,
        cast(timely_replied as {{ dbt.type_bigint() }}) as timely_replied,
        cast(case when referrals > 0 then cast(timely_replied as double) / referrals end as double) as timely_reply_rate,
        cast(seen as {{ dbt.type_bigint() }}) as seen,
        cast(case when referrals > 0 then cast(seen as double) / referrals end as double) as seen_rate,
        cast(median_days_to_reply as double) as median_days_to_reply,
        cast(median_days_seen_to_reply as double) as median_days_seen_to_reply,
        cast(excluded_referrals as {{ dbt.type_bigint() }}) as excluded_referrals,
        cast(as_of_date as date) as as_of_date,
        cast(as_of_date >= fee_quarter_end as boolean) as is_quarter_complete
    from filled

)

select * from final
