-- 有申報應上傳 上傳比對 (domain spec §7; source 003): every claimed order line of a listed code
-- (int_lab_orders_listed) paired with the upload of its result (int_lab_results_ranked), and the
-- time from the report to the upload in hours and in calendar days.
--
-- Match: the claim's institution, patient, visit date and code, under the key of the claim's
-- kind (a 交付機構's 交付 claim by its uploads as uploader, any other claim by the uploads'
-- ORDER_HOSP_ID); a key's order lines and results are paired in order (match_rank), so two
-- lines with one upload give one uploaded line and no join multiplies rows. Whether the upload
-- was in time, its reward and who is responsible for the line: int_lab_orders_matched.

with listed_orders as (

    select * from {{ ref('int_lab_orders_listed') }}

),

results as (

    select * from {{ ref('int_lab_results_ranked') }}

),

ranked_orders as (

    select
        listed_orders.*,
        case when listed_orders.is_delivery_claim then 'UPLOADER' else 'ORDERER' end as match_key_kind,
        row_number() over (
            partition by listed_orders.hosp_id, listed_orders.patient_key, listed_orders.visit_date, listed_orders.order_code
            order by
                listed_orders.fee_ym, listed_orders.appl_type, listed_orders.case_type, listed_orders.seq_no,
                listed_orders.order_seq_no
        ) as match_rank
    from listed_orders

),

paired as (

    select
        ranked_orders.*,
        results.uploader_hosp_id,
        coalesce(results.is_uploader_known, false) as is_uploader_known,
        results.reported_at,
        results.first_uploaded_at,
        coalesce(results.upload_count, 0) as upload_count,
        results.first_uploaded_at is not null as has_upload,
        {{ hours_between('results.reported_at', 'results.first_uploaded_at') }} as hours_to_upload,
        {{ days_between('cast(results.reported_at as date)', 'cast(results.first_uploaded_at as date)') }} as days_to_upload
    from ranked_orders
    left join results
        on ranked_orders.match_key_kind = results.match_key_kind
            and ranked_orders.hosp_id = results.match_hosp_id
            and ranked_orders.patient_key = results.patient_key
            and ranked_orders.visit_date = results.visit_date
            and ranked_orders.order_code = results.order_code
            and ranked_orders.match_rank = results.match_rank

),

final as (

    select * from paired

)

select * from final
