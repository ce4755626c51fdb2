-- Period dimension: every fee month of the years vars fee_year_min..fee_year_max (the months a
-- claim may name) with the periods it belongs to, one row per month and period type: the
-- quarter ('2024Q1', ROC 民國 '113Q1') and the half ('2024H1' = months 1-6, ROC '113H1'; source
-- 000 slide 4-1 compares 1-6月). Models that report by period join it on the month instead of
-- deriving period labels themselves.

with months as (

    {{ dbt.date_spine(
        'month',
        "cast('" ~ '%04d' | format(var('fee_year_min') | int) ~ "-01-01' as date)",
        "cast('" ~ '%04d' | format(var('fee_year_max') | int + 1) ~ "-01-01' as date)"
    ) | indent(4) }}

),

labelled as (

    select
        cast(date_month as date) as month_start,
        {{ yyyymm_of_date('date_month') }} as fee_ym,
        year(date_month) as calendar_year,
        month(date_month) as month_number
    from months

),

quarters as (

    select
        fee_ym,
        month_start,
        'quarter' as period_type,
        {{ fee_quarter('fee_ym') }} as period,
        {{ roc_quarter('fee_ym') }} as roc_period
    from labelled

),

halves as (

    select
        fee_ym,
        month_start,
        'half' as period_type,
        concat(
            cast(calendar_year as {{ dbt.type_string() }}),
            case when month_number <= 6 then 'H1' else 'H2' end
        ) as period,
        concat(
            cast(calendar_year - 1911 as {{ dbt.type_string() }}),
            case when month_number <= 6 then 'H1' else 'H2' end
        ) as roc_period
    from labelled

),

periods as (

    select * from quarters
    union all
    select * from halves

),

final as (

    select
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(month_start as date) as month_start,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(roc_period as {{ dbt.type_string() }}) as roc_period
    from periods

)

select * from final
