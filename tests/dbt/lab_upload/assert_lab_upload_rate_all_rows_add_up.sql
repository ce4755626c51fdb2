-- The 'ALL' rows of lab_upload_rate add up the other rows of their dimension, for each of the
-- three dimensions (region, contract type, category) with the other two fixed: every claimed
-- order line has a region, a contract type and a category, so nothing is counted only in ALL.

with rates as (

    select * from {{ ref('lab_upload_rate') }}

),

parts_by_area_no_h as (

    select
        fee_ym,
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
    from rates
    where area_no_h <> 'ALL'
    group by fee_ym, hosp_cont_type, category_code

),

mismatched_area_no_h as (

    select
        'area_no_h' as rolled_up_dimension,
        all_rows.fee_ym,
        all_rows.hosp_cont_type,
        all_rows.category_code
    from rates as all_rows
    left join parts_by_area_no_h as parts
        on all_rows.fee_ym = parts.fee_ym
            and all_rows.hosp_cont_type = parts.hosp_cont_type
            and all_rows.category_code = parts.category_code
    where all_rows.area_no_h = 'ALL'
        and (
            parts.fee_ym is null
            or all_rows.claimed_orders <> parts.claimed_orders
            or all_rows.uploaded_orders <> parts.uploaded_orders
            or all_rows.timely_24h_orders <> parts.timely_24h_orders
            or all_rows.late_uploaded_orders <> parts.late_uploaded_orders
            or all_rows.not_uploaded_orders <> parts.not_uploaded_orders
            or all_rows.uploaded_by_other_orders <> parts.uploaded_by_other_orders
            or all_rows.claimed_points <> parts.claimed_points
            or all_rows.unverified_points <> parts.unverified_points
            or all_rows.reward_points <> parts.reward_points
        )

),

parts_by_hosp_cont_type as (

    select
        fee_ym,
        area_no_h,
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
    from rates
    where hosp_cont_type <> 'ALL'
    group by fee_ym, area_no_h, category_code

),

mismatched_hosp_cont_type as (

    select
        'hosp_cont_type' as rolled_up_dimension,
        all_rows.fee_ym,
        all_rows.area_no_h,
        all_rows.category_code
    from rates as all_rows
    left join parts_by_hosp_cont_type as parts
        on all_rows.fee_ym = parts.fee_ym
            and all_rows.area_no_h = parts.area_no_h
            and all_rows.category_code = parts.category_code
    where all_rows.hosp_cont_type = 'ALL'
        and (
            parts.fee_ym is null
            or all_rows.claimed_orders <> parts.claimed_orders
            or all_rows.uploaded_orders <> parts.uploaded_orders
            or all_rows.timely_24h_orders <> parts.timely_24h_orders
            or all_rows.late_uploaded_orders <> parts.late_uploaded_orders
            or all_rows.not_uploaded_orders <> parts.not_uploaded_orders
            or all_rows.uploaded_by_other_orders <> parts.uploaded_by_other_orders
            or all_rows.claimed_points <> parts.claimed_points
            or all_rows.unverified_points <> parts.unverified_points
            or all_rows.reward_points <> parts.reward_points
        )

),

parts_by_category_code as (

    select
        fee_ym,
        area_no_h,
        hosp_cont_type,
        sum(claimed_orders) as claimed_orders,
        sum(uploaded_orders) as uploaded_orders,
        sum(timely_24h_orders) as timely_24h_orders,
        sum(late_uploaded_orders) as late_uploaded_orders,
        sum(not_uploaded_orders) as not_uploaded_orders,
        sum(uploaded_by_other_orders) as uploaded_by_other_orders,
        sum(claimed_points) as claimed_points,
        sum(unverified_points) as unverified_points,
        sum(reward_points) as reward_points
    from rates
    where category_code <> 'ALL'
    group by fee_ym, area_no_h, hosp_cont_type

),

mismatched_category_code as (

    select
        'category_code' as rolled_up_dimension,
        all_rows.fee_ym,
        all_rows.area_no_h,
        all_rows.hosp_cont_type
    from rates as all_rows
    left join parts_by_category_code as parts
        on all_rows.fee_ym = parts.fee_ym
            and all_rows.area_no_h = parts.area_no_h
            and all_rows.hosp_cont_type = parts.hosp_cont_type
    where all_rows.category_code = 'ALL'
        and (
            parts.fee_ym is null
            or all_rows.claimed_orders <> parts.claimed_orders
            or all_rows.uploaded_orders <> parts.uploaded_orders
            or all_rows.timely_24h_orders <> parts.timely_24h_orders
            or all_rows.late_uploaded_orders <> parts.late_uploaded_orders
            or all_rows.not_uploaded_orders <> parts.not_uploaded_orders
            or all_rows.uploaded_by_other_orders <> parts.uploaded_by_other_orders
            or all_rows.claimed_points <> parts.claimed_points
            or all_rows.unverified_points <> parts.unverified_points
            or all_rows.reward_points <> parts.reward_points
        )

)

select
    rolled_up_dimension,
    fee_ym,
    hosp_cont_type as first_other_dimension,
    category_code as second_other_dimension
from mismatched_area_no_h
union all
select
    rolled_up_dimension,
    fee_ym,
    area_no_h as first_other_dimension,
    category_code as second_other_dimension
from mismatched_hosp_cont_type
union all
select
    rolled_up_dimension,
    fee_ym,
    area_no_h as first_other_dimension,
    hosp_cont_type as second_other_dimension
from mismatched_category_code
