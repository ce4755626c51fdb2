-- As-of date of the lab-upload models (domain spec §7): var `lab_upload_as_of_date`, default the
-- latest upload date or claim APPL_DATE (of the listed order lines) in the data. Uploads after
-- it have not arrived; visits after it are not counted. One row.
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set as_of_var = var('lab_upload_as_of_date', none) %}

with uploads as (

    select max(cast(uploaded_at as date)) as latest_upload_date
    from {{ ref('stg_nhird__lab_upload') }}

),

claims as (

    select max(appl_date) as latest_appl_date
    from {{ ref('int_lab_orders_listed') }}

),

determined as (

    select
        {%- if as_of_var %}
        cast('{{ as_of_var }}' as date) as as_of_date
        {%- else %}
        greatest(
            coalesce(uploads.latest_upload_date, cast('1900-01-01' as date)),
            coalesce(claims.latest_appl_date, cast('1900-01-01' as date))
        ) as as_of_date
        {%- endif %}
    from uploads
    cross join claims

)

select cast(as_of_date as date) as as_of_date from determined
