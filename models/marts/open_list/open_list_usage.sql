-- 西基開放表別統計 Open-list usage by region (source 000, table "西基開放表別統計 -111Q1全區結算"):
-- per fee quarter and region (1-6, and 'ALL' 總計), the points western-medicine clinics (sector
-- WM_PRIMARY) claimed for open-list items while they were on the list (支用點數), the region's
-- share of the country (占率) and its rank by points (1 = largest, as the slide prints "(4)"), and
-- the same quarter a year earlier with the growth (成長率). Every region has a row in every quarter
-- the extract has clinic claims in (0 points when none); a quarter a year earlier that the extract
-- does not cover gives null, not 0.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

lines as (

    select * from {{ ref('int_open_list_orders_claimed') }}
    where sector = 'WM_PRIMARY'

),

spine as (

    select * from {{ ref('int_sector_quarter_regions') }}
    where sector = 'WM_PRIMARY'

),

used as (

    select
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        count(*) as order_lines,
        sum(order_dot) as points
    from lines
    group by fee_quarter, rollup(area_no_h)

),

cells as (

    select
        spine.fee_quarter,
        spine.roc_quarter,
        spine.area_no_h,
        spine.region_zh,
        spine.is_complete,
        coalesce(used.order_lines, 0) as order_lines,
        coalesce(used.points, 0) as points
    from spine
    left join used
        on spine.fee_quarter = used.fee_quarter
            and spine.area_no_h = used.area_no_h

),

country as (

    select
        fee_quarter,
        points as country_points
    from cells
    where area_no_h = 'ALL'

),

shared as (

    select
        cells.*,
        {{ safe_ratio('cells.points', 'country.country_points') }} as share
    from cells
    inner join country
        on cells.fee_quarter = country.fee_quarter

),

ranked as (

    select
        *,
        {{ pv_region_rank('points', ['fee_quarter']) }} as share_rank
    from shared

),

compared as (

    select
        current_year.*,
        previous_year.fee_quarter as previous_fee_quarter,
        previous_year.points as previous_year_points,
        previous_year.share as previous_year_share,
        previous_year.share_rank as previous_year_share_rank
    from ranked as current_year
    left join ranked as previous_year
        on current_year.area_no_h = previous_year.area_no_h
            and {{ previous_year_period('current_year.fee_quarter') }} = previous_year.fee_quarter

),


dated as (

    select
        compared.*,
        calendar_quarters.fee_quarter_start
    from compared
    left join calendar_quarters
        on compared.fee_quarter = calendar_quarters.fee_quarter

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(fee_quarter_start as date) as fee_quarter_start,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(is_complete as boolean) as is_complete,
        cast(order_lines as bigint) as order_lines,
        cast(points as bigint) as points,
        cast(share as double) as share,
        cast(share_rank as integer) as share_rank,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_year_points as bigint) as previous_year_points,
        cast(previous_year_share as double) as previous_year_share,
        cast(previous_year_share_rank as integer) as previous_year_share_rank,
        cast({{ growth_rate('points', 'previous_year_points') }} as double) as points_growth
    from dated

)

select * from final
