-- Period dimension, one row per period: each quarter and half of int_calendar_month_periods with
-- its ROC 民國 label and first and last day. Marts that report by quarter take the quarter's
-- first day from here (the time dimensions of the semantic models) rather than parse labels.

with month_periods as (

    select * from {{ ref('int_calendar_month_periods') }}

),

periods as (

    select
        period_type,
        period,
        roc_period,
        min(month_start) as period_start,
        max(month_start) as last_month_start
    from month_periods
    group by period_type, period, roc_period

),

final as (

    select
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(roc_period as {{ dbt.type_string() }}) as roc_period,
        cast(period_start as date) as period_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'last_month_start')) }} as date) as period_end
    from periods

)

select * from final
