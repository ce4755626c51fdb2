-- No listed order line is lost: every order line of int_outpatient_orders_joined whose code is
-- valid in seed upload_items on its visit date is one row of int_lab_orders_matched, and the
-- whole-country rows of lab_upload_rate (ALL region, provider group and category) count exactly
-- the lines visited by the as-of date and the uploaded ones, per fee month: claimed and
-- responsible lines are the same there (a delegated line is counted for its uploader), and every
-- line uploaded in time counts once, for the claimant or for the uploader.

with orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

upload_items as (

    select * from {{ ref('upload_items') }}

),

matched_orders as (

    select * from {{ ref('int_lab_orders_matched') }}

),

rates as (

    select * from {{ ref('lab_upload_rate') }}

),

listed_lines as (

    select count(*) as n
    from orders
    inner join upload_items
        on orders.order_code = upload_items.order_code
            and orders.visit_date >= upload_items.valid_from
            and (upload_items.valid_to is null or orders.visit_date <= upload_items.valid_to)

),

matched_lines as (

    select count(*) as n
    from matched_orders

),

line_check as (

    select
        'lines' as check_name,
        cast(null as {{ dbt.type_string() }}) as fee_ym,
        listed_lines.n as expected,
        matched_lines.n as actual
    from listed_lines
    cross join matched_lines
    where listed_lines.n <> matched_lines.n

),

by_month as (

    select
        fee_ym,
        count(*) as claimed_orders,
        sum(case when is_uploaded then 1 else 0 end) as uploaded_orders
    from matched_orders
    where is_visit_by_as_of
    group by fee_ym

),

national as (

    select
        fee_ym,
        claimed_orders,
        responsible_orders,
        uploaded_orders
    from rates
    where area_no_h = 'ALL'
        and provider_group = 'ALL'
        and category_code = 'ALL'

),

month_check as (

    select
        'claimed_or_uploaded' as check_name,
        coalesce(by_month.fee_ym, national.fee_ym) as fee_ym,
        by_month.claimed_orders as expected,
        national.claimed_orders as actual
    from by_month
    full outer join national
        on by_month.fee_ym = national.fee_ym
    where by_month.fee_ym is null
        or national.fee_ym is null
        or by_month.claimed_orders <> national.claimed_orders
        or by_month.claimed_orders <> national.responsible_orders
        or by_month.uploaded_orders <> national.uploaded_orders

)

select * from line_check
union all
select * from month_check
