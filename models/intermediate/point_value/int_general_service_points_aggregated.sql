-- General-service points (一般服務點數) per sector, region, claiming institution, fee month and
-- application date (申報日期): the one aggregate that settlement, forecast (completion by claim
-- lag, institution by institution), backtest and price-volume all read. Every sector is kept
-- (DIALYSIS and OTHER only carry special-budget or non-budget points) so that no claim disappears
-- between the claims and the marts. Sector and region are the attributed ones (a 交付 claim's
-- prescriber's); `claims` counts general-service claims except 交付 ones (件數不計, source 000),
-- counted in `delivered_claims`, whose points are in `points` and also in `delivered_points`. appl_lag_months = months from the
-- fee month to the application month (0 = applied within the fee month); appl_day_of_month
-- places the application inside that month.

with claims as (

    select * from {{ ref('int_general_service_claims_split') }}

),

aggregated as (

    select
        sector,
        area_no_h,
        hosp_id,
        fee_ym,
        fee_month_start,
        fee_quarter,
        roc_quarter,
        appl_date,
        sum(case when is_general_service and not is_delivered then 1 else 0 end) as claims,
        sum(case when is_general_service and is_delivered then 1 else 0 end) as delivered_claims,
        sum(points) as points,
        sum(case when is_delivered then points else 0 end) as delivered_points,
        sum(nonfloat_points) as nonfloat_points,
        sum(float_points) as float_points,
        sum(case when is_reviewed then 1 else 0 end) as reviewed_claims,
        sum(case when is_reviewed then points else 0 end) as reviewed_points,
        sum(deducted_points) as deducted_points,
        sum(case when is_general_service then 0 else 1 end) as special_budget_claims,
        sum(special_budget_points) as special_budget_points
    from claims
    group by
        sector,
        area_no_h,
        hosp_id,
        fee_ym,
        fee_month_start,
        fee_quarter,
        roc_quarter,
        appl_date

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(appl_date as date) as appl_date,
        cast({{ pv_month_number('appl_date') }} - {{ pv_month_number('fee_month_start') }} as integer) as appl_lag_months,
        cast(dayofmonth(appl_date) as integer) as appl_day_of_month,
        cast(claims as bigint) as claims,
        cast(delivered_claims as bigint) as delivered_claims,
        cast(points as bigint) as points,
        cast(delivered_points as bigint) as delivered_points,
        cast(nonfloat_points as bigint) as nonfloat_points,
        cast(float_points as bigint) as float_points,
        cast(reviewed_claims as bigint) as reviewed_claims,
        cast(reviewed_points as bigint) as reviewed_points,
        cast(deducted_points as bigint) as deducted_points,
        cast(special_budget_claims as bigint) as special_budget_claims,
        cast(special_budget_points as bigint) as special_budget_points
    from aggregated

)

select * from final
