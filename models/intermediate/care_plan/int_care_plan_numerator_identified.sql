-- Care-plan numerator 分子 (domain spec §6): persons with a plan P-code (order code starting
-- with care_plan_definitions.order_code_prefix) claimed at an institution in measurement
-- year Y, one row per plan, year, person and institution, with the first claim month. The
-- year and month are the claim's 費用年月 (FEE_YM); a person is in the numerator "through
-- month M" when first_claim_month <= M. The numerator is defined by the prefix (source 000:
-- 「申報醫令代碼前3碼為P43 / P14 / P16」), not by a code list: int_outpatient_orders_joined keeps
-- every order line whose code starts with a care_plan_definitions prefix, so a prefixed code
-- missing from the fee seed fee_schedule_items (a new or regional P-code) still counts.
-- Institutions outside var care_plan_sectors are kept with exclusion_reason OUT_OF_SCOPE_SECTOR.

with orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

definitions as (

    select * from {{ ref('care_plan_definitions') }}

),

plan_orders as (

    select
        definitions.plan,
        orders.fee_year,
        cast(substr(orders.fee_ym, 5, 2) as integer) as fee_month,
        orders.patient_key,
        orders.hosp_id,
        orders.area_no_h,
        orders.hosp_cont_type,
        orders.sector,
        orders.visit_date,
        orders.order_code,
        orders.order_dot
    from orders
    inner join definitions
        on substr(orders.order_code, 1, length(definitions.order_code_prefix)) = definitions.order_code_prefix

),

enrolments as (

    select
        plan,
        fee_year,
        patient_key,
        hosp_id,
        max(area_no_h) as area_no_h,
        max(hosp_cont_type) as hosp_cont_type,
        max(sector) as sector,
        min(fee_month) as first_claim_month,
        min(visit_date) as first_claim_visit_date,
        count(*) as claimed_order_lines,
        sum(order_dot) as claimed_points
    from plan_orders
    group by plan, fee_year, patient_key, hosp_id

),

flagged as (

    select
        *,
        case
            when sector is null or sector not in {{ care_plan_sector_list() }} then 'OUT_OF_SCOPE_SECTOR'
        end as exclusion_reason
    from enrolments

),

final as (

    select
        cast(plan as {{ dbt.type_string() }}) as plan,
        cast(fee_year as integer) as year,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(first_claim_month as integer) as first_claim_month,
        cast(first_claim_visit_date as date) as first_claim_visit_date,
        cast(claimed_order_lines as integer) as claimed_order_lines,
        cast(claimed_points as {{ dbt.type_bigint() }}) as claimed_points,
        cast(exclusion_reason as {{ dbt.type_string() }}) as exclusion_reason
    from flagged

)

select * from final
