-- "Declared means uploaded" 有申報應上傳 (domain spec §7): every claimed outpatient order line of
-- a listed lab/imaging code (seed upload_items, row valid on the visit date) with the upload of
-- its result, if any.
--
-- Match key: the ordering institution (the claim's hosp_id = the upload's ORDER_HOSP_ID, so a
-- laboratory uploading for a clinic counts for the clinic), patient, visit date and order code.
-- Uploads are first reduced to one row per result: per match key and report time, the earliest
-- upload (re-uploads of the same result count once). Results and order lines of one key are
-- then paired in order (1st order line with the earliest-reported result, 2nd with the next...),
-- so two order lines with a single upload count one uploaded order, and no join multiplies rows.
--
-- Timeliness: hours from the report time to the (earliest) upload. The reward band of seed
-- upload_reward_timeliness is the one with min < hours <= max (0 in the first band); an upload
-- before the report time counts as 0 hours (assumed default). An order is uploaded when a band
-- applies (at most 72 h: within 24 h 100 %, 24-72 h 50 % of the category's per-record reward).
-- A result without a report time cannot be timed: it is not counted as uploaded (assumed
-- default, status NO_REPORT_TIME).
--
-- As-of date: var `lab_upload_as_of_date`; default the latest upload date or claim APPL_DATE
-- in the data. Uploads after it count as not (yet) arrived.

{%- set as_of_var = var('lab_upload_as_of_date', none) %}
{%- set as_of_expression = "cast('" ~ as_of_var ~ "' as date)" if as_of_var else 'latest_data_date' %}

with orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

uploads as (

    select * from {{ ref('stg_nhird__lab_upload') }}

),

upload_items as (

    select * from {{ ref('upload_items') }}

),

categories as (

    select * from {{ ref('upload_reward_categories') }}

),

timeliness_bands as (

    select * from {{ ref('upload_reward_timeliness') }}

),

listed_orders as (

    select
        orders.hosp_id,
        orders.fee_ym,
        orders.appl_type,
        orders.case_type,
        orders.seq_no,
        orders.order_seq_no,
        orders.order_code,
        orders.order_dot,
        orders.appl_date,
        orders.fee_month_start,
        orders.fee_quarter,
        orders.roc_quarter,
        orders.patient_key,
        orders.visit_date,
        orders.area_no_h,
        orders.hosp_cont_type,
        orders.sector,
        upload_items.category_code,
        categories.reward_points_per_record
    from orders
    inner join upload_items
        on orders.order_code = upload_items.order_code
            and orders.visit_date >= upload_items.valid_from
            and (upload_items.valid_to is null or orders.visit_date <= upload_items.valid_to)
    left join categories
        on upload_items.category_code = categories.category_code

),

upload_dates as (

    select max(cast(uploaded_at as date)) as latest_upload_date
    from uploads

),

claim_dates as (

    select max(appl_date) as latest_appl_date
    from listed_orders

),

data_dates as (

    select
        greatest(
            coalesce(upload_dates.latest_upload_date, cast('1900-01-01' as date)),
            coalesce(claim_dates.latest_appl_date, cast('1900-01-01' as date))
        ) as latest_data_date
    from upload_dates
    cross join claim_dates

),

as_of as (

    select {{ as_of_expression }} as as_of_date
    from data_dates

),

arrived_uploads as (

    select uploads.*
    from uploads
    cross join as_of
    where cast(uploads.uploaded_at as date) <= as_of.as_of_date

),

-- one row per result: match key and report time; re-uploads of the result count once
results as (

    select
        order_hosp_id,
        patient_key,
        visit_date,
        order_code,
        reported_at,
        min(uploaded_at) as first_uploaded_at,
        count(*) as upload_count,
        max(case when hosp_id <> order_hosp_id then 1 else 0 end) as uploaded_by_other
    from arrived_uploads
    group by order_hosp_id, patient_key, visit_date, order_code, reported_at

),

ranked_results as (

    select
        *,
        row_number() over (
            partition by order_hosp_id, patient_key, visit_date, order_code
            order by case when reported_at is null then 1 else 0 end, reported_at, first_uploaded_at
        ) as match_rank
    from results

),

ranked_orders as (

    select
        *,
        row_number() over (
            partition by hosp_id, patient_key, visit_date, order_code
            order by fee_ym, appl_type, case_type, seq_no, order_seq_no
        ) as match_rank
    from listed_orders

),

matched as (

    select
        ranked_orders.*,
        ranked_results.reported_at,
        ranked_results.first_uploaded_at,
        coalesce(ranked_results.upload_count, 0) as upload_count,
        coalesce(ranked_results.uploaded_by_other, 0) = 1 as is_uploaded_by_other_institution,
        ranked_results.first_uploaded_at is not null as has_upload,
        {{ hours_between('ranked_results.reported_at', 'ranked_results.first_uploaded_at') }} as hours_to_upload
    from ranked_orders
    left join ranked_results
        on ranked_orders.hosp_id = ranked_results.order_hosp_id
            and ranked_orders.patient_key = ranked_results.patient_key
            and ranked_orders.visit_date = ranked_results.visit_date
            and ranked_orders.order_code = ranked_results.order_code
            and ranked_orders.match_rank = ranked_results.match_rank

),

delayed as (

    select
        *,
        case when hours_to_upload < 0 then cast(0 as double) else hours_to_upload end as delay_hours
    from matched

),

banded as (

    select
        delayed.hosp_id,
        delayed.fee_ym,
        delayed.appl_type,
        delayed.case_type,
        delayed.seq_no,
        delayed.order_seq_no,
        max(timeliness_bands.reward_share) as reward_share
    from delayed
    inner join timeliness_bands
        on delayed.delay_hours <= timeliness_bands.max_hours_after_report
            and (delayed.delay_hours > timeliness_bands.min_hours_after_report or timeliness_bands.min_hours_after_report = 0)
    group by
        delayed.hosp_id,
        delayed.fee_ym,
        delayed.appl_type,
        delayed.case_type,
        delayed.seq_no,
        delayed.order_seq_no

),

classified as (

    select
        delayed.*,
        banded.reward_share,
        as_of.as_of_date,
        banded.reward_share is not null as is_uploaded,
        case
            when not delayed.has_upload then 'NONE'
            when delayed.hours_to_upload is null then 'NO_REPORT_TIME'
            when banded.reward_share is null then 'LATE'
            when delayed.delay_hours <= 24 then 'WITHIN_24H'
            else 'WITHIN_72H'
        end as upload_status
    from delayed
    left join banded
        on delayed.hosp_id = banded.hosp_id
            and delayed.fee_ym = banded.fee_ym
            and delayed.appl_type = banded.appl_type
            and delayed.case_type = banded.case_type
            and delayed.seq_no = banded.seq_no
            and delayed.order_seq_no = banded.order_seq_no
    cross join as_of

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(order_seq_no as integer) as order_seq_no,
        cast(order_code as {{ dbt.type_string() }}) as order_code,
        cast(category_code as {{ dbt.type_string() }}) as category_code,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(visit_date as date) as visit_date,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(coalesce(order_dot, 0) as {{ dbt.type_bigint() }}) as order_points,
        cast(match_rank as integer) as match_rank,
        cast(reported_at as {{ dbt.type_timestamp() }}) as reported_at,
        cast(first_uploaded_at as {{ dbt.type_timestamp() }}) as first_uploaded_at,
        cast(upload_count as integer) as upload_count,
        cast(is_uploaded_by_other_institution as boolean) as is_uploaded_by_other_institution,
        cast(hours_to_upload as double) as hours_to_upload,
        cast(upload_status as {{ dbt.type_string() }}) as upload_status,
        cast(has_upload as boolean) as has_upload,
        cast(is_uploaded as boolean) as is_uploaded,
        cast(upload_status = 'WITHIN_24H' as boolean) as is_uploaded_within_24h,
        cast(coalesce(reward_share, 0) as decimal(18, 2)) as reward_share,
        cast(coalesce(reward_points_per_record, 0) as integer) as reward_points_per_record,
        cast(coalesce(reward_points_per_record, 0) * coalesce(reward_share, 0) as decimal(18, 2)) as reward_points,
        cast(as_of_date as date) as as_of_date,
        cast(visit_date <= as_of_date as boolean) as is_visit_by_as_of
    from classified

)

select * from final
