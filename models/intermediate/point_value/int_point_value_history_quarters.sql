-- The history quarters of each forecast request: the pv_cf_history_quarters (default 4) latest
-- fee quarters before the request's quarter that were complete at its as-of date (settle-due
-- date on or before it). Their months form the chain-ladder triangle and their review
-- deductions the expected deduction rate.

{%- set history_quarter_count = var('pv_cf_history_quarters', 4) | int %}

with requests as (

    select * from {{ ref('int_point_value_forecasts_requested') }}

),

quarters as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

candidates as (

    select
        requests.request_kind,
        requests.fee_quarter,
        requests.as_of_date,
        quarters.fee_quarter as history_fee_quarter,
        row_number() over (
            partition by requests.request_kind, requests.fee_quarter, requests.as_of_date
            order by quarters.fee_quarter desc
        ) as history_rank
    from requests
    inner join quarters
        on quarters.settle_due_date <= requests.as_of_date
            and quarters.fee_quarter < requests.fee_quarter

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(history_fee_quarter as {{ dbt.type_string() }}) as history_fee_quarter,
        cast(history_rank as integer) as history_rank
    from candidates
    where history_rank <= {{ history_quarter_count }}

)

select * from final
