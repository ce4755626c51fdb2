-- The institutions of lab_upload_institution add up to lab_upload_rate: per fee quarter, region
-- and provider group (category ALL, the quarter's months summed), the same counts and points
-- (macro lab_upload_count_columns: claimed, delegated, assisted, responsible, uploaded, ...).
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set measures = lab_upload_count_columns() %}

with institutions as (

    select * from {{ ref('lab_upload_institution') }}

),

rates as (

    select * from {{ ref('lab_upload_rate') }}
    where area_no_h <> 'ALL'
        and provider_group <> 'ALL'
        and category_code = 'ALL'
        and (claimed_orders > 0 or responsible_orders > 0)

),

by_institutions as (

    select
        fee_quarter,
        area_no_h,
        provider_group,
        {{ lab_upload_sums() }}
    from institutions
    group by fee_quarter, area_no_h, provider_group

),

by_cells as (

    select
        fee_quarter,
        area_no_h,
        provider_group,
        {{ lab_upload_sums() }}
    from rates
    group by fee_quarter, area_no_h, provider_group

)

select
    coalesce(by_institutions.fee_quarter, by_cells.fee_quarter) as fee_quarter,
    coalesce(by_institutions.area_no_h, by_cells.area_no_h) as area_no_h,
    coalesce(by_institutions.provider_group, by_cells.provider_group) as provider_group,
    by_institutions.claimed_orders as institution_claimed_orders,
    by_cells.claimed_orders as rate_claimed_orders
from by_institutions
full outer join by_cells
    on by_institutions.fee_quarter = by_cells.fee_quarter
        and by_institutions.area_no_h = by_cells.area_no_h
        and by_institutions.provider_group = by_cells.provider_group
where by_institutions.fee_quarter is null
    or by_cells.fee_quarter is null
    {%- for measure in measures %}
    or by_institutions.{{ measure }} <> by_cells.{{ measure }}
    {%- endfor %}
