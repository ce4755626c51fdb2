-- The institutions of lab_upload_institution add up to lab_upload_rate: per fee quarter,
-- region and contract type (category ALL, the quarter's months summed), the same claimed,
-- uploaded, timely, late and not-uploaded order lines and the same points.

with institutions as (

    select * from {{ ref('lab_upload_institution') }}

),

rates as (

    select * from {{ ref('lab_upload_rate') }}

),

by_institutions as (

    select
        fee_quarter,
        area_no_h,
        hosp_cont_type,
        sum(claimed_orders) as claimed_orders,
        sum(uploaded_orders) as uploaded_orders,
        sum(timely_24h_orders) as timely_24h_orders,
        sum(late_uploaded_orders) as late_uploaded_orders,
        sum(not_uploaded_orders) as not_uploaded_orders,
        sum(claimed_points) as claimed_points,
        sum(unverified_points) as unverified_points,
        sum(reward_points) as reward_points
    from institutions
    group by fee_quarter, area_no_h, hosp_cont_type

),

by_cells as (

    select
        fee_quarter,
        area_no_h,
        hosp_cont_type,
        sum(claimed_orders) as claimed_orders,
        sum(uploaded_orders) as uploaded_orders,
        sum(timely_24h_orders) as timely_24h_orders,
        sum(late_uploaded_orders) as late_uploaded_orders,
        sum(not_uploaded_orders) as not_uploaded_orders,
        sum(claimed_points) as claimed_points,
        sum(unverified_points) as unverified_points,
        sum(reward_points) as reward_points
    from rates
    where area_no_h <> 'ALL'
        and hosp_cont_type <> 'ALL'
        and category_code = 'ALL'
        and claimed_orders > 0
    group by fee_quarter, area_no_h, hosp_cont_type

)

select
    coalesce(by_institutions.fee_quarter, by_cells.fee_quarter) as fee_quarter,
    coalesce(by_institutions.area_no_h, by_cells.area_no_h) as area_no_h,
    coalesce(by_institutions.hosp_cont_type, by_cells.hosp_cont_type) as hosp_cont_type,
    by_institutions.claimed_orders as institution_claimed_orders,
    by_cells.claimed_orders as rate_claimed_orders
from by_institutions
full outer join by_cells
    on by_institutions.fee_quarter = by_cells.fee_quarter
        and by_institutions.area_no_h = by_cells.area_no_h
        and by_institutions.hosp_cont_type = by_cells.hosp_cont_type
where by_institutions.fee_quarter is null
    or by_cells.fee_quarter is null
    or by_institutions.claimed_orders <> by_cells.claimed_orders
    or by_institutions.uploaded_orders <> by_cells.uploaded_orders
    or by_institutions.timely_24h_orders <> by_cells.timely_24h_orders
    or by_institutions.late_uploaded_orders <> by_cells.late_uploaded_orders
    or by_institutions.not_uploaded_orders <> by_cells.not_uploaded_orders
    or by_institutions.claimed_points <> by_cells.claimed_points
    or by_institutions.unverified_points <> by_cells.unverified_points
    or by_institutions.reward_points <> by_cells.reward_points
