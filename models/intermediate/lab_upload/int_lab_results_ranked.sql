-- Uploaded lab/imaging results 檢驗(查)結果上傳 (domain spec §7), one row per result and match
-- key, ranked for pairing with the claimed order lines (int_lab_orders_paired).
--
-- A result is an upload's (ORDER_HOSP_ID, patient, visit date, code, report time); re-uploads
-- of it count once: its earliest upload by the as-of date (ties: the lowest uploading
-- institution) gives the upload time and the uploader. Each result is offered under two keys:
--   ORDERER   the ordering institution ORDER_HOSP_ID: matches the claims of hospitals and
--             clinics, whether they uploaded themselves or a 交付機構 uploaded on their behalf;
--   UPLOADER  the uploading institution, only when it is a 交付機構 (laboratory, pharmacy):
--             matches that institution's own 交付 claims, whose ORDER_HOSP_ID in the upload is
--             the ordering clinic (raw-data contract: ORDER_HOSP_ID = HOSP_ID unless a lab
--             uploaded on another's behalf).
-- Within a key, results are ranked by report time (unknown last) then upload time. Uploads
-- after the as-of date (int_lab_upload_as_of_determined) have not arrived.

with uploads as (

    select * from {{ ref('stg_nhird__lab_upload') }}

),

as_of as (

    select * from {{ ref('int_lab_upload_as_of_determined') }}

),

institutions as (

    select * from {{ ref('int_institutions_grouped') }}

),

arrived_uploads as (

    select
        uploads.*,
        row_number() over (
            partition by
                uploads.order_hosp_id, uploads.patient_key, uploads.visit_date, uploads.order_code,
                uploads.reported_at
            order by uploads.uploaded_at, uploads.hosp_id
        ) as upload_order,
        count(*) over (
            partition by
                uploads.order_hosp_id, uploads.patient_key, uploads.visit_date, uploads.order_code,
                uploads.reported_at
        ) as upload_count
    from uploads
    cross join as_of
    where cast(uploads.uploaded_at as date) <= as_of.as_of_date

),

results as (

    select
        arrived_uploads.order_hosp_id,
        arrived_uploads.hosp_id as uploader_hosp_id,
        arrived_uploads.patient_key,
        arrived_uploads.visit_date,
        arrived_uploads.order_code,
        arrived_uploads.reported_at,
        arrived_uploads.uploaded_at as first_uploaded_at,
        arrived_uploads.upload_count,
        coalesce(institutions.is_delivery_institution, false) as is_uploader_delivery_institution,
        institutions.hosp_id is not null as is_uploader_known
    from arrived_uploads
    left join institutions
        on arrived_uploads.hosp_id = institutions.hosp_id
    where arrived_uploads.upload_order = 1

),

keyed as (

    select
        'ORDERER' as match_key_kind,
        results.order_hosp_id as match_hosp_id,
        results.*
    from results
    union all
    select
        'UPLOADER' as match_key_kind,
        uploader_hosp_id as match_hosp_id,
        results.*
    from results
    where is_uploader_delivery_institution

),

ranked as (

    select
        keyed.*,
        row_number() over (
            partition by keyed.match_key_kind, keyed.match_hosp_id, keyed.patient_key, keyed.visit_date, keyed.order_code
            order by case when keyed.reported_at is null then 1 else 0 end, keyed.reported_at, keyed.first_uploaded_at
        ) as match_rank
    from keyed

),

final as (

    select
        cast(ranked.match_key_kind as {{ dbt.type_string() }}) as match_key_kind,
        cast(ranked.match_hosp_id as {{ dbt.type_string() }}) as match_hosp_id,
        cast(ranked.patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(ranked.visit_date as date) as visit_date,
        cast(ranked.order_code as {{ dbt.type_string() }}) as order_code,
        cast(ranked.match_rank as integer) as match_rank,
        cast(ranked.order_hosp_id as {{ dbt.type_string() }}) as order_hosp_id,
        cast(ranked.uploader_hosp_id as {{ dbt.type_string() }}) as uploader_hosp_id,
        cast(ranked.is_uploader_known as boolean) as is_uploader_known,
        cast(ranked.reported_at as {{ dbt.type_timestamp() }}) as reported_at,
        cast(ranked.first_uploaded_at as {{ dbt.type_timestamp() }}) as first_uploaded_at,
        cast(ranked.upload_count as integer) as upload_count
    from ranked

)

select * from final
