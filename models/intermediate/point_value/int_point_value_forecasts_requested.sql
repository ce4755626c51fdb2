-- The (fee quarter, as-of date) pairs the point-value forecast is computed for, so the current
-- forecast and the backtest run the same code:
-- * FORECAST: every quarter that is not complete at the as-of date (var pv_as_of_date,
--   default the latest APPL_DATE), forecast as of that date;
-- * BACKTEST: every complete quarter replayed as of the last day of the 1st, 2nd, ... 5th
--   month after the quarter's end (var pv_backtest_lags, default 1-5), when that date is not after the as-of
--   date. A replay sees only claims that had arrived by its own as-of date.

{%- set backtest_lags = var('pv_backtest_lags', [1, 2, 3, 4, 5]) %}

with quarters as (

    select * from {{ ref('int_point_value_quarters_assessed') }}

),

forecast_requests as (

    select
        'FORECAST' as request_kind,
        fee_quarter,
        as_of_date
    from quarters
    where not is_complete
        and quarter_start_date <= as_of_date

),

backtest_lags as (

    {%- for lag in backtest_lags %}
        select {{ lag | int }} as months_after_quarter_end
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

backtest_requests as (

    select
        'BACKTEST' as request_kind,
        quarters.fee_quarter,
        {{ pv_month_end('quarters.quarter_start_date', '2 + backtest_lags.months_after_quarter_end') }} as as_of_date
    from quarters
    cross join backtest_lags
    where quarters.is_complete
        and {{ pv_month_end('quarters.quarter_start_date', '2 + backtest_lags.months_after_quarter_end') }}
        <= quarters.as_of_date

),

requests as (

    select * from forecast_requests
    union all
    select * from backtest_requests

),

final as (

    select
        cast(requests.request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(requests.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(quarters.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(requests.as_of_date as date) as as_of_date,
        cast(
            {{ pv_month_number('requests.as_of_date') }} - {{ pv_month_number('quarters.quarter_end_date') }}
            as integer
        ) as months_after_quarter_end,
        cast(quarters.quarter_start_date as date) as quarter_start_date,
        cast(quarters.quarter_end_date as date) as quarter_end_date
    from requests
    inner join quarters
        on requests.fee_quarter = quarters.fee_quarter

)

select * from final
