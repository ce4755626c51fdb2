-- The quarters of the period dimension (int_calendar_periods) under the names the quarterly marts
-- use: fee_quarter ('2024Q1'), roc_quarter ('113Q1'), first and last day. The marts join it on
-- fee_quarter for their time-dimension date instead of parsing the label.

with periods as (

    select * from {{ ref('int_calendar_periods') }}

),

final as (

    select
        period as fee_quarter,
        roc_period as roc_quarter,
        period_start as fee_quarter_start,
        period_end as fee_quarter_end
    from periods
    where period_type = 'quarter'

)

select * from final
