-- Time spine for the dbt semantic layer (MetricFlow): one row per calendar day from var
-- time_spine_start_date to var time_spine_end_date. Portable SQL (a cross join of digits, no
-- generate_series): up to 100,000 days are numbered, then the range is cut to the two vars.

with

digits as (
    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit
),

day_numbers as (
    select
        ten_thousands.digit * 10000
        + thousands.digit * 1000
        + hundreds.digit * 100
        + tens.digit * 10
        + ones.digit as day_number
    from digits as ten_thousands
    cross join digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones
),

days as (
    select
        cast(
            {{ add_days("cast('" ~ var('time_spine_start_date', '2015-01-01') ~ "' as date)", 'day_number') }}
            as date
        ) as date_day
    from day_numbers
),

in_range as (
    select date_day
    from days
    where date_day <= cast('{{ var("time_spine_end_date", "2035-12-31") }}' as date)
),

final as (
    select cast(date_day as date) as date_day
    from in_range
)

select * from final
