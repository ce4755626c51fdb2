-- 開放表別預算執行 Open-list budget execution (source 004, section 3 and its table; domain spec §8):
-- per cohort (收載年度, the ROC year the items were opened) and fee year (費用年度), the points
-- western-medicine clinics (sector WM_PRIMARY) claimed for the cohort's items while they were on
-- the list; and on the 'ALL' rows (合計) all cohorts together against that fee year's open-list
-- budget (預算執行率 = executed points / budget, a point counted as NT$1 as in 004). A cohort
-- appears from its own year on; a fee year is any year the extract has clinic claims in, with the
-- months it covers (a partial year, like 004's "115年3月" column, is not a full year's execution).

with lines as (

    select * from {{ ref('int_open_list_orders_claimed') }}
    where sector = 'WM_PRIMARY'

),

budget as (

    select * from {{ ref('open_list_budget') }}

),

months as (

    select * from {{ ref('int_sector_months_observed') }}
    where sector = 'WM_PRIMARY'

),

fee_years as (

    select
        fee_year,
        fee_roc_year,
        count(*) as fee_months,
        max(fee_ym) as through_fee_ym
    from months
    group by fee_year, fee_roc_year

),

executed as (

    select
        roc_year_opened,
        fee_year,
        count(*) as order_lines,
        count(distinct order_code) as items_claimed,
        sum(order_dot) as executed_points
    from lines
    group by roc_year_opened, fee_year

),

cohort_years as (

    select
        cast(budget.roc_year as {{ dbt.type_string() }}) as cohort_roc_year,
        budget.year as cohort_year,
        fee_years.fee_year,
        fee_years.fee_roc_year,
        fee_years.fee_months,
        fee_years.through_fee_ym,
        budget.items_opened,
        coalesce(executed.items_claimed, 0) as items_claimed,
        coalesce(executed.order_lines, 0) as order_lines,
        coalesce(executed.executed_points, 0) as executed_points,
        budget.budget_million_ntd * 1000000 as cohort_budget_amt,
        cast(null as decimal(18, 2)) as budget_amt
    from budget
    inner join fee_years
        on budget.roc_year <= fee_years.fee_roc_year
    left join executed
        on budget.roc_year = executed.roc_year_opened
            and fee_years.fee_year = executed.fee_year
    where budget.items_opened is not null

),

all_cohorts as (

    select
        'ALL' as cohort_roc_year,
        cast(null as integer) as cohort_year,
        cohort_years.fee_year,
        cohort_years.fee_roc_year,
        cohort_years.fee_months,
        cohort_years.through_fee_ym,
        sum(cohort_years.items_opened) as items_opened,
        sum(cohort_years.items_claimed) as items_claimed,
        sum(cohort_years.order_lines) as order_lines,
        sum(cohort_years.executed_points) as executed_points,
        cast(null as decimal(18, 2)) as cohort_budget_amt,
        max(budget.budget_million_ntd) * 1000000 as budget_amt
    from cohort_years
    left join budget
        on cohort_years.fee_roc_year = budget.roc_year
    group by
        cohort_years.fee_year,
        cohort_years.fee_roc_year,
        cohort_years.fee_months,
        cohort_years.through_fee_ym

),

combined as (

    select * from cohort_years
    union all
    select * from all_cohorts

),

final as (

    select
        cast(cohort_roc_year as {{ dbt.type_string() }}) as cohort_roc_year,
        cast(cohort_year as integer) as cohort_year,
        cast(fee_year as integer) as fee_year,
        {{ fee_month_start('cast(fee_year * 100 + 1 as ' ~ dbt.type_string() ~ ')') }} as fee_year_start,
        cast(fee_roc_year as integer) as fee_roc_year,
        cast(fee_months as integer) as fee_months,
        cast(through_fee_ym as {{ dbt.type_string() }}) as through_fee_ym,
        cast(fee_months = 12 as boolean) as is_full_year,
        cast(items_opened as integer) as items_opened,
        cast(items_claimed as integer) as items_claimed,
        cast(order_lines as bigint) as order_lines,
        cast(executed_points as bigint) as executed_points,
        cast(cohort_budget_amt as decimal(18, 2)) as cohort_budget_amt,
        cast(budget_amt as decimal(18, 2)) as budget_amt,
        cast({{ safe_ratio('executed_points', 'budget_amt') }} as double) as execution_rate
    from combined

)

select * from final
