-- 有申報應上傳 上傳率 Lab/imaging result upload rate (domain spec §7) per fee month, region
-- ('1'-'6' and 'ALL'), contract type ('1'-'4', any other type with claimed orders, and 'ALL')
-- and upload reward category ('ALL' too): claimed order lines of listed codes, those uploaded
-- within 72 h of the report time (within 24 h), the reward points earned and the claimed points
-- with no upload at all ("unverified"). Counts order lines whose visit is on or before the
-- as-of date (int_lab_orders_matched). Every month × region × contract type × category cell
-- exists (zero counts, null rates when empty).
-- A month is complete when the as-of date is at least var `lab_upload_complete_days` (default
-- 60, assumed) days after the month's last day: its claims have mostly been filed (送核 by the
-- 20th of the next month, 補報 later) and the upload window of its last visits has closed.

{%- set complete_days = var('lab_upload_complete_days', 60) | int %}

with matched_orders as (

    select * from {{ ref('int_lab_orders_matched') }}

),

regions as (

    select * from {{ ref('regions') }}

),

contract_types as (

    select * from {{ ref('contract_types') }}

),

categories as (

    select * from {{ ref('upload_reward_categories') }}

),

in_scope as (

    select * from matched_orders
    where is_visit_by_as_of

),

cells as (

    select
        fee_ym,
        area_no_h,
        hosp_cont_type,
        category_code,
        {{ lab_upload_counts() }}
    from in_scope
    group by fee_ym, area_no_h, hosp_cont_type, category_code

),

-- each cell counts in its own row and in the 'ALL' rows of every dimension: 2 x 2 x 2 copies
rollup_flags as (

    select false as is_all
    union all
    select true as is_all

),

expanded as (

    select
        cells.fee_ym,
        case when area_flags.is_all then 'ALL' else cells.area_no_h end as area_no_h,
        case when type_flags.is_all then 'ALL' else cells.hosp_cont_type end as hosp_cont_type,
        case when category_flags.is_all then 'ALL' else cells.category_code end as category_code,
        cells.claimed_orders,
        cells.uploaded_orders,
        cells.timely_24h_orders,
        cells.late_uploaded_orders,
        cells.not_uploaded_orders,
        cells.uploaded_by_other_orders,
        cells.claimed_points,
        cells.unverified_points,
        cells.reward_points
    from cells
    cross join rollup_flags as area_flags
    cross join rollup_flags as type_flags
    cross join rollup_flags as category_flags

),

aggregated as (

    select
        fee_ym,
        area_no_h,
        hosp_cont_type,
        category_code,
        sum(claimed_orders) as claimed_orders,
        sum(uploaded_orders) as uploaded_orders,
        sum(timely_24h_orders) as timely_24h_orders,
        sum(late_uploaded_orders) as late_uploaded_orders,
        sum(not_uploaded_orders) as not_uploaded_orders,
        sum(uploaded_by_other_orders) as uploaded_by_other_orders,
        sum(claimed_points) as claimed_points,
        sum(unverified_points) as unverified_points,
        sum(reward_points) as reward_points
    from expanded
    group by fee_ym, area_no_h, hosp_cont_type, category_code

),

as_of as (

    select max(as_of_date) as as_of_date from matched_orders

),

months as (

    select distinct
        fee_ym,
        fee_month_start,
        fee_quarter,
        roc_quarter
    from in_scope

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

-- contract types with an institution level (1-4) always; others (pharmacies, laboratories)
-- only when they claimed listed orders
claimed_types as (

    select distinct hosp_cont_type from in_scope

),

types as (

    select
        contract_types.hosp_cont_type,
        contract_types.contract_type_zh
    from contract_types
    left join claimed_types
        on contract_types.hosp_cont_type = claimed_types.hosp_cont_type
    where contract_types.institution_level is not null
        or claimed_types.hosp_cont_type is not null
    union all
    select
        'ALL' as hosp_cont_type,
        '全部' as contract_type_zh

),

category_list as (

    select
        category_code,
        category_zh,
        reward_points_per_record
    from categories
    union all
    select
        'ALL' as category_code,
        '全部類別' as category_zh,
        cast(null as integer) as reward_points_per_record

),

grid as (

    select
        months.fee_ym,
        months.fee_month_start,
        months.fee_quarter,
        months.roc_quarter,
        areas.area_no_h,
        areas.region_zh,
        types.hosp_cont_type,
        types.contract_type_zh,
        category_list.category_code,
        category_list.category_zh,
        category_list.reward_points_per_record
    from months
    cross join areas
    cross join types
    cross join category_list

),

filled as (

    select
        grid.*,
        coalesce(aggregated.claimed_orders, 0) as claimed_orders,
        coalesce(aggregated.uploaded_orders, 0) as uploaded_orders,
        coalesce(aggregated.timely_24h_orders, 0) as timely_24h_orders,
        coalesce(aggregated.late_uploaded_orders, 0) as late_uploaded_orders,
        coalesce(aggregated.not_uploaded_orders, 0) as not_uploaded_orders,
        coalesce(aggregated.uploaded_by_other_orders, 0) as uploaded_by_other_orders,
        coalesce(aggregated.claimed_points, 0) as claimed_points,
        coalesce(aggregated.unverified_points, 0) as unverified_points,
        coalesce(aggregated.reward_points, 0) as reward_points,
        as_of.as_of_date
    from grid
    left join aggregated
        on grid.fee_ym = aggregated.fee_ym
            and grid.area_no_h = aggregated.area_no_h
            and grid.hosp_cont_type = aggregated.hosp_cont_type
            and grid.category_code = aggregated.category_code
    cross join as_of

),

final as (

    select
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(contract_type_zh as {{ dbt.type_string() }}) as contract_type_zh,
        cast(category_code as {{ dbt.type_string() }}) as category_code,
        cast(category_zh as {{ dbt.type_string() }}) as category_zh,
        cast(reward_points_per_record as integer) as reward_points_per_record,
        cast(claimed_orders as {{ dbt.type_bigint() }}) as claimed_orders,
        cast(uploaded_orders as {{ dbt.type_bigint() }}) as uploaded_orders,
        cast(case when claimed_orders > 0 then cast(uploaded_orders as double) / claimed_orders end as double) as upload_rate,
        cast(timely_24h_orders as {{ dbt.type_bigint() }}) as timely_24h_orders,
        cast(
            case when claimed_orders > 0 then cast(timely_24h_orders as double) / claimed_orders end as double
        ) as timely_24h_rate,
        cast(late_uploaded_orders as {{ dbt.type_bigint() }}) as late_uploaded_orders,
        cast(not_uploaded_orders as {{ dbt.type_bigint() }}) as not_uploaded_orders,
        cast(uploaded_by_other_orders as {{ dbt.type_bigint() }}) as uploaded_by_other_orders,
        cast(claimed_points as {{ dbt.type_bigint() }}) as claimed_points,
        cast(unverified_points as {{ dbt.type_bigint() }}) as unverified_points,
        cast(reward_points as decimal(18, 2)) as reward_points,
        cast(as_of_date as date) as as_of_date,
        cast(
            coalesce(as_of_date >= cast({{ add_days(dbt.dateadd('month', 1, 'fee_month_start'), complete_days - 1) }} as date), false)
            as boolean
        ) as is_month_complete
    from filled

)

select * from final
