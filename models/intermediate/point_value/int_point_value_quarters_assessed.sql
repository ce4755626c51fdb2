-- Fee quarters with claims, their dates and whether they are complete (settled) as of the
-- point-value as-of date. The as-of date is var pv_as_of_date, by default the latest
-- APPL_DATE in the data (never the current date). A quarter is complete when the as-of date is
-- on or after its settle-due date: the last day of the pv_settle_lag_months-th month after the
-- quarter's last month (default 6: 2025Q2 is complete from 2025-12-31).

{%- set as_of_var = var('pv_as_of_date', none) %}
{%- set settle_lag_months = var('pv_settle_lag_months', 6) | int %}

with points as (

    select * from {{ ref('int_general_service_points_aggregated') }}

),

quarters as (

    select distinct
        fee_quarter,
        roc_quarter
    from points

),

as_of as (

    {%- if as_of_var %}
        select cast('{{ as_of_var }}' as date) as as_of_date
    {%- else %}
        select max(appl_date) as as_of_date
        from points
    {%- endif %}

),

dated as (

    select
        quarters.fee_quarter,
        quarters.roc_quarter,
        {{ quarter_start_date('quarters.fee_quarter') }} as quarter_start_date,
        as_of.as_of_date
    from quarters
    cross join as_of

),

assessed as (

    select
        fee_quarter,
        roc_quarter,
        quarter_start_date,
        {{ pv_month_end('quarter_start_date', 2) }} as quarter_end_date,
        {{ pv_month_end('quarter_start_date', 2 + settle_lag_months) }} as settle_due_date,
        as_of_date
    from dated

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(quarter_start_date as date) as quarter_start_date,
        cast(quarter_end_date as date) as quarter_end_date,
        cast(settle_due_date as date) as settle_due_date,
        cast(as_of_date as date) as as_of_date,
        cast(as_of_date >= settle_due_date as boolean) as is_complete
    from assessed

)

select * from final
