-- The fee months each forecast request (int_point_value_forecasts_requested) looks at, with the
-- claim lag they have reached at the request's as-of date: the quarter's three months (TARGET)
-- and the three months before it (RECENT, for the institutions' recent level in the prior).
-- Lag is counted in calendar months after the fee month plus the day of the month: as of date
-- A, fee month m has reached lag L = months(A) - months(m) up to day cutoff_day = day(A) (31 when
-- A is a month end). A claim has arrived by then when its appl_lag_months < L, or = L and its
-- appl_day_of_month <= cutoff_day - the same test replays history months at the same lag.

with requests as (

    select * from {{ ref('int_point_value_forecasts_requested') }}

),

month_offsets as (

    {%- for offset in range(-3, 3) %}
        select {{ offset }} as month_offset
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

months as (

    select
        requests.request_kind,
        requests.fee_quarter,
        requests.as_of_date,
        month_offsets.month_offset,
        {{ pv_add_months('requests.quarter_start_date', 'month_offsets.month_offset') }} as month_start
    from requests
    cross join month_offsets

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(month_offset as integer) as month_offset,
        cast(case when month_offset >= 0 then 'TARGET' else 'RECENT' end as {{ dbt.type_string() }}) as month_role,
        cast({{ yyyymm_of_date('month_start') }} as {{ dbt.type_string() }}) as fee_ym,
        cast(month_start as date) as fee_month_start,
        cast({{ pv_month_number('as_of_date') }} - {{ pv_month_number('month_start') }} as integer) as lag_months,
        cast(
            case
                when as_of_date = {{ pv_month_end('as_of_date') }} then 31
                else dayofmonth(as_of_date)
            end as integer
        ) as cutoff_day
    from months

)

select * from final
