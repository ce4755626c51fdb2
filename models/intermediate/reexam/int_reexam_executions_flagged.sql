-- Executions of the 20-category important examinations 20類重要檢查(驗) (domain spec §4), each
-- flagged as re-execution 再執行 or not. One row per order line of int_reexam_executions_scoped
-- (every scope status, so nothing disappears silently); the re-execution columns are null out
-- of scope.
--
-- Re-execution: the same patient had an earlier in-scope execution of the same merged item
-- 歸併醫令 at most `interval_days` 合理日數 before (date difference <= interval, so a second
-- execution on the same day counts), at any institution in scope (source 000 note 3:
-- 「再執行率不分同跨院」). Out-of-scope lines (hospitals, 代辦, 急診, 交付) are never the earlier
-- execution. ONE windowed pass over all lines: lag() partitioned by scope (in / out), patient
-- and merged item, ordered by execution date and then the order line's natural key (institution
-- first, so same-day lines of one institution are adjacent); the out-of-scope partitions are
-- computed and discarded. The interval is the later execution's mapping row's. Same-institution
-- 同院 / other-institution 跨院 refers to where the most recent earlier execution was.
-- Look-back: an execution whose window (execution date - interval days) starts before the
-- extract's first fee month may miss its earlier execution (left-censored).

with scoped as (

    select * from {{ ref('int_reexam_executions_scoped') }}

),

extract_start as (

    select min(fee_month_start) as extract_start_date
    from {{ ref('int_outpatient_orders_joined') }}

),

windowed as (

    select
        scoped.*,
        lag(scoped.execution_date) over (
            partition by scoped.is_in_scope, scoped.patient_key, scoped.merged_item
            order by
                scoped.execution_date, scoped.hosp_id, scoped.fee_ym, scoped.appl_type, scoped.case_type,
                scoped.seq_no, scoped.order_seq_no
        ) as lagged_execution_date,
        lag(scoped.hosp_id) over (
            partition by scoped.is_in_scope, scoped.patient_key, scoped.merged_item
            order by
                scoped.execution_date, scoped.hosp_id, scoped.fee_ym, scoped.appl_type, scoped.case_type,
                scoped.seq_no, scoped.order_seq_no
        ) as lagged_hosp_id
    from scoped

),

in_scope_only as (

    select
        windowed.*,
        case when windowed.is_in_scope then windowed.lagged_execution_date end as previous_execution_date,
        case when windowed.is_in_scope then windowed.lagged_hosp_id end as previous_hosp_id
    from windowed

),

measured as (

    select
        in_scope_only.*,
        {{ days_between('in_scope_only.previous_execution_date', 'in_scope_only.execution_date') }} as days_since_previous
    from in_scope_only

),

flagged as (

    select
        measured.*,
        case
            when measured.is_in_scope
                then coalesce(measured.days_since_previous <= measured.interval_days, false)
        end as is_reexecution
    from measured

),

final as (

    select
        cast(flagged.hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(flagged.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(flagged.appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(flagged.case_type as {{ dbt.type_string() }}) as case_type,
        cast(flagged.seq_no as integer) as seq_no,
        cast(flagged.order_seq_no as integer) as order_seq_no,
        cast(flagged.order_code as {{ dbt.type_string() }}) as order_code,
        cast(flagged.order_qty as decimal(9, 2)) as order_qty,
        cast(flagged.order_dot as {{ dbt.type_bigint() }}) as order_dot,
        cast(flagged.execution_date as date) as execution_date,
        cast({{ yyyymm_of_date('flagged.execution_date') }} as {{ dbt.type_string() }}) as execution_ym,
        cast(flagged.fee_month_start as date) as fee_month_start,
        cast(flagged.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(flagged.patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(flagged.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(flagged.hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(flagged.sector as {{ dbt.type_string() }}) as sector,
        cast(flagged.merged_item as {{ dbt.type_string() }}) as merged_item,
        cast(flagged.merged_item_zh as {{ dbt.type_string() }}) as merged_item_zh,
        cast(flagged.category_no as {{ dbt.type_string() }}) as category_no,
        cast(flagged.interval_days as integer) as interval_days,
        cast(flagged.is_control_10 as boolean) as is_control_10,
        cast(flagged.is_focus_30 as boolean) as is_focus_30,
        cast(flagged.scope_status as {{ dbt.type_string() }}) as scope_status,
        cast(flagged.is_in_scope as boolean) as is_in_scope,
        cast(flagged.previous_execution_date as date) as previous_execution_date,
        cast(flagged.previous_hosp_id as {{ dbt.type_string() }}) as previous_hosp_id,
        cast(flagged.days_since_previous as integer) as days_since_previous,
        cast(flagged.is_reexecution as boolean) as is_reexecution,
        cast(flagged.is_reexecution and flagged.previous_hosp_id = flagged.hosp_id as boolean)
            as is_same_inst_reexecution,
        cast(flagged.is_reexecution and flagged.previous_hosp_id <> flagged.hosp_id as boolean)
            as is_cross_inst_reexecution,
        cast(
            case
                when flagged.is_in_scope
                    then {{ add_days('flagged.execution_date', '-flagged.interval_days') }}
                        >= extract_start.extract_start_date
            end as boolean
        ) as is_lookback_complete
    from flagged
    cross join extract_start

)

select * from final
