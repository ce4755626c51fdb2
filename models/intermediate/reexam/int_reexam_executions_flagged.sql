-- Executions of the 20-category important examinations 20類重要檢查(驗) (domain spec §4), each
-- flagged as re-execution 再執行 or not.
--
-- One row per outpatient order line of a re-examination code (seed `reexam_item_map`, any
-- validity). `scope_status` says whether the line is an execution counted by the marts
-- ('in_scope') or why not; out-of-scope lines stay here so that nothing disappears silently
-- (their re-execution columns are null).
--
-- Scope: a mapping row valid on the execution date, and the claim's sector in scope
-- (WM_PRIMARY; HOSPITAL too when var `reexam_include_hospitals` is true).
--
-- Re-execution: the same patient had an earlier in-scope execution of the same merged item
-- 歸併醫令 at most `interval_days` 合理日數 before (date difference <= interval, so a second
-- execution on the same day counts), at any institution in scope. The earlier execution is
-- looked up among the in-scope executions only (the published rates are within the
-- primary-care scope). Computed in ONE windowed pass: lag() over the patient's executions
-- of the merged item, ordered by execution date and then the order line's natural key
-- (institution first, so same-day lines of one institution are adjacent). The interval is
-- the one of the later execution's mapping row. Same-institution 同院 / other-institution
-- 跨院 refers to where the most recent earlier execution was.

{%- set include_hospitals = var('reexam_include_hospitals', false) | string | lower in ['true', '1', 'yes'] %}
{%- set sectors_in_scope = ['WM_PRIMARY', 'HOSPITAL'] if include_hospitals else ['WM_PRIMARY'] %}

with orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

item_map as (

    select * from {{ ref('reexam_item_map') }}

),

reexam_codes as (

    select distinct order_code from item_map

),

reexam_orders as (

    select orders.*
    from orders
    inner join reexam_codes
        on orders.order_code = reexam_codes.order_code

),

-- First month of the extract: executions whose look-back window starts earlier cannot see
-- every earlier execution (left-censored), which the marts report.
extract_start as (

    select min(fee_month_start) as extract_start_date
    from orders

),

mapped as (

    select
        reexam_orders.*,
        item_map.merged_item,
        item_map.merged_item_zh,
        item_map.category_no,
        item_map.interval_days,
        item_map.is_control_10,
        item_map.is_focus_30
    from reexam_orders
    left join item_map
        on reexam_orders.order_code = item_map.order_code
            and reexam_orders.execution_date >= item_map.valid_from
            and (item_map.valid_to is null or reexam_orders.execution_date <= item_map.valid_to)

),

scoped as (

    select
        mapped.*,
        case
            when mapped.patient_key is null or mapped.execution_date is null
                then 'missing_patient_or_date'
            when mapped.merged_item is null
                then 'no_valid_mapping'
            when mapped.sector is null or mapped.sector not in (
                    {%- for sector in sectors_in_scope %}'{{ sector }}'{% if not loop.last %}, {% endif %}{% endfor -%}
                )
                then 'out_of_scope_sector'
            else 'in_scope'
        end as scope_status
    from mapped

),

in_scope as (

    select * from scoped
    where scope_status = 'in_scope'

),

with_previous as (

    select
        *,
        lag(execution_date) over (
            partition by patient_key, merged_item
            order by
                execution_date, hosp_id, fee_ym, appl_type, case_type, seq_no, order_seq_no
        ) as previous_execution_date,
        lag(hosp_id) over (
            partition by patient_key, merged_item
            order by
                execution_date, hosp_id, fee_ym, appl_type, case_type, seq_no, order_seq_no
        ) as previous_hosp_id
    from in_scope

),

flagged as (

    select
        with_previous.*,
        {{ days_between('previous_execution_date', 'execution_date') }} as days_since_previous,
        coalesce(
            {{ days_between('previous_execution_date', 'execution_date') }} <= with_previous.interval_days,
            false
        ) as is_reexecution
    from with_previous

),

out_of_scope as (

    select
        scoped.*,
        cast(null as date) as previous_execution_date,
        cast(null as {{ dbt.type_string() }}) as previous_hosp_id,
        cast(null as integer) as days_since_previous,
        cast(null as boolean) as is_reexecution
    from scoped
    where scoped.scope_status <> 'in_scope'

),

unioned as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        order_seq_no,
        order_code,
        order_qty,
        order_dot,
        execution_date,
        fee_month_start,
        fee_quarter,
        patient_key,
        area_no_h,
        hosp_cont_type,
        sector,
        merged_item,
        merged_item_zh,
        category_no,
        interval_days,
        is_control_10,
        is_focus_30,
        scope_status,
        previous_execution_date,
        previous_hosp_id,
        days_since_previous,
        is_reexecution
    from flagged
    union all
    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no,
        order_seq_no,
        order_code,
        order_qty,
        order_dot,
        execution_date,
        fee_month_start,
        fee_quarter,
        patient_key,
        area_no_h,
        hosp_cont_type,
        sector,
        merged_item,
        merged_item_zh,
        category_no,
        interval_days,
        is_control_10,
        is_focus_30,
        scope_status,
        previous_execution_date,
        previous_hosp_id,
        days_since_previous,
        is_reexecution
    from out_of_scope

),

final as (

    select
        cast(unioned.hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(unioned.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(unioned.appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(unioned.case_type as {{ dbt.type_string() }}) as case_type,
        cast(unioned.seq_no as integer) as seq_no,
        cast(unioned.order_seq_no as integer) as order_seq_no,
        cast(unioned.order_code as {{ dbt.type_string() }}) as order_code,
        cast(unioned.order_qty as decimal(9, 2)) as order_qty,
        cast(unioned.order_dot as {{ dbt.type_bigint() }}) as order_dot,
        cast(unioned.execution_date as date) as execution_date,
        cast({{ fee_quarter(yyyymm_of_date('unioned.execution_date')) }} as {{ dbt.type_string() }})
            as execution_quarter,
        cast(
            concat(
                cast(year(unioned.execution_date) as {{ dbt.type_string() }}),
                case when month(unioned.execution_date) <= 6 then 'H1' else 'H2' end
            ) as {{ dbt.type_string() }}
        ) as execution_half,
        cast(unioned.fee_month_start as date) as fee_month_start,
        cast(unioned.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(unioned.patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(unioned.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(unioned.hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(unioned.sector as {{ dbt.type_string() }}) as sector,
        cast(unioned.merged_item as {{ dbt.type_string() }}) as merged_item,
        cast(unioned.merged_item_zh as {{ dbt.type_string() }}) as merged_item_zh,
        cast(unioned.category_no as {{ dbt.type_string() }}) as category_no,
        cast(unioned.interval_days as integer) as interval_days,
        cast(unioned.is_control_10 as boolean) as is_control_10,
        cast(unioned.is_focus_30 as boolean) as is_focus_30,
        cast(unioned.scope_status as {{ dbt.type_string() }}) as scope_status,
        cast(unioned.scope_status = 'in_scope' as boolean) as is_in_scope,
        cast(unioned.previous_execution_date as date) as previous_execution_date,
        cast(unioned.previous_hosp_id as {{ dbt.type_string() }}) as previous_hosp_id,
        cast(unioned.days_since_previous as integer) as days_since_previous,
        cast(unioned.is_reexecution as boolean) as is_reexecution,
        cast(
            case
                when unioned.is_reexecution is null then null
                else unioned.is_reexecution and unioned.previous_hosp_id = unioned.hosp_id
            end as boolean
        ) as is_same_inst_reexecution,
        cast(
            case
                when unioned.is_reexecution is null then null
                else unioned.is_reexecution and unioned.previous_hosp_id <> unioned.hosp_id
            end as boolean
        ) as is_cross_inst_reexecution,
        cast(
            case
                when unioned.scope_status <> 'in_scope' then null
                else {{ add_days('unioned.execution_date', '-unioned.interval_days') }}
                    >= extract_start.extract_start_date
            end as boolean
        ) as is_lookback_complete
    from unioned
    cross join extract_start

)

select * from final
