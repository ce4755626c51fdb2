-- Re-execution rates per period, region and reporting group (int_reexam_groups_aggregated) with
-- the comparisons the meeting slides print (source 000 slides 4-1, 4-2):
--   * base period 基期 by name: the same quarter / half of var `reexam_base_year` (Gregorian or
--     ROC; slide 4-1 compares 111 with 108), else `reexam_base_years_back` years earlier (macro
--     reexam_base_period);
--   * 率差 rate difference and 率成長 relative change (rate / base rate − 1, slide 4-1's 成長率
--     of the rates: 4.77 % / 6.53 % − 1 = −27.0 %), and 醫令點數成長率 growth of the points;
--   * the whole country 全區 ('ALL') the same period and the region's difference from it
--     (slide 4-2's 率差).
-- A base period is compared only when it is in the data and every base execution's look-back
-- window lies within the extract: an incomplete look-back understates the base rate, so the
-- base rate, its difference and 率成長 are null and base_comparison_status says why (the base
-- executions and points, which the look-back does not affect, are still given). Sources over
-- spec: the spec's base is "N years back"; the slides name the base year.

with groups as (

    select * from {{ ref('int_reexam_groups_aggregated') }}

),

data_periods as (

    select distinct period from groups

),

rated as (

    select
        groups.*,
        {{ reexam_base_period('groups.period') }} as base_period,
        groups.reexecutions / cast(groups.executions as double) as reexec_rate
    from groups

),

joined as (

    select
        rated.*,
        base_periods.period is not null as is_base_in_data,
        base.executions as base_executions_found,
        base.order_points as base_order_points_found,
        base.reexecutions as base_reexecutions_found,
        base.executions_lookback_incomplete as base_lookback_incomplete_found,
        national.reexec_rate as national_reexec_rate
    from rated
    left join data_periods as base_periods
        on rated.base_period = base_periods.period
    left join rated as base
        on rated.base_period = base.period
            and rated.area_no_h = base.area_no_h
            and rated.group_type = base.group_type
            and rated.group_code = base.group_code
    left join rated as national
        on rated.period = national.period
            and national.area_no_h = 'ALL'
            and rated.group_type = national.group_type
            and rated.group_code = national.group_code

),

statused as (

    select
        joined.*,
        case
            when cast(substr(joined.period, 1, 4) as integer) <= cast(substr(joined.base_period, 1, 4) as integer)
                then 'not_after_base'
            when not joined.is_base_in_data then 'base_not_in_data'
            when coalesce(joined.base_lookback_incomplete_found, 0) > 0 then 'base_lookback_incomplete'
            else 'compared'
        end as base_comparison_status
    from joined

),

based as (

    select
        statused.*,
        case
            when statused.base_comparison_status in ('compared', 'base_lookback_incomplete')
                then coalesce(statused.base_executions_found, 0)
        end as base_executions,
        case
            when statused.base_comparison_status in ('compared', 'base_lookback_incomplete')
                then coalesce(statused.base_order_points_found, 0)
        end as base_order_points,
        case
            when statused.base_comparison_status = 'compared' then coalesce(statused.base_reexecutions_found, 0)
        end as base_reexecutions,
        case
            when statused.base_comparison_status = 'compared' and statused.base_executions_found > 0
                then statused.base_reexecutions_found / cast(statused.base_executions_found as double)
        end as base_reexec_rate
    from statused

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast({{ roc_quarter_of_quarter('period') }} as {{ dbt.type_string() }}) as roc_period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(group_type as {{ dbt.type_string() }}) as group_type,
        cast(group_code as {{ dbt.type_string() }}) as group_code,
        cast(merged_items as integer) as merged_items,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(order_points as {{ dbt.type_bigint() }}) as order_points,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(reexec_rate as double) as reexec_rate,
        cast(executions_lookback_incomplete as {{ dbt.type_bigint() }}) as executions_lookback_incomplete,
        cast(executions_lookback_incomplete = 0 as boolean) as is_lookback_complete,
        cast(base_period as {{ dbt.type_string() }}) as base_period,
        cast({{ roc_quarter_of_quarter('base_period') }} as {{ dbt.type_string() }}) as base_roc_period,
        cast(base_comparison_status as {{ dbt.type_string() }}) as base_comparison_status,
        cast(
            case when is_base_in_data then coalesce(base_lookback_incomplete_found, 0) = 0 end as boolean
        ) as is_base_lookback_complete,
        cast(base_executions as {{ dbt.type_bigint() }}) as base_executions,
        cast(base_order_points as {{ dbt.type_bigint() }}) as base_order_points,
        cast(
            case when base_order_points > 0 then order_points / cast(base_order_points as double) - 1 end as double
        ) as order_points_growth_base,
        cast(base_reexecutions as {{ dbt.type_bigint() }}) as base_reexecutions,
        cast(base_reexec_rate as double) as base_reexec_rate,
        cast(reexec_rate - base_reexec_rate as double) as reexec_rate_diff_base,
        cast(case when base_reexec_rate > 0 then reexec_rate / base_reexec_rate - 1 end as double)
            as reexec_rate_growth_base,
        cast(national_reexec_rate as double) as national_reexec_rate,
        cast(reexec_rate - national_reexec_rate as double) as reexec_rate_diff_national
    from based

)

select * from final
