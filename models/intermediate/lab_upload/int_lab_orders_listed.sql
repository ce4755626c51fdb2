-- "Declared means uploaded" 有申報應上傳 (domain spec §7; source 003): every claimed outpatient
-- order line of a listed lab/imaging code (seed upload_items, the row valid on the visit date)
-- with its reward category, item group (檢驗(查) LAB / 影像 IMAGE) and the claiming institution's
-- provider group (int_institutions_grouped: hospitals by level, 西基院所, 中醫 and 牙醫 clinics,
-- and the 交付機構 — 醫檢所 laboratories and pharmacies — whose 交付 claims are matched by the
-- uploading institution instead of the upload's ORDER_HOSP_ID).
-- On DuckDB built by fee month: a run recomputes the fee months whose order lines changed; a
-- changed item list or institution table rebuilds every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_outpatient_orders_joined'],
    joined=['int_institutions_grouped'],
) }}

with orders as (

    select joined.* from {{ ref('int_outpatient_orders_joined') }} as joined
    where true
    {{ fee_month_filter('joined.fee_ym') }}

),

upload_items as (

    select * from {{ ref('upload_items') }}

),

categories as (

    select * from {{ ref('upload_reward_categories') }}

),

institutions as (

    select * from {{ ref('int_institutions_grouped') }}

),

listed as (

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
        categories.item_group,
        categories.reward_points_per_record,
        coalesce(institutions.provider_group, 'OTHER') as provider_group,
        coalesce(institutions.is_delivery_institution, false) as is_delivery_claim,
        institutions.county
    from orders
    inner join upload_items
        on orders.order_code = upload_items.order_code
            and orders.visit_date >= upload_items.valid_from
            and (upload_items.valid_to is null or orders.visit_date <= upload_items.valid_to)
    left join categories
        on upload_items.category_code = categories.category_code
    left join institutions
        on orders.hosp_id = institutions.hosp_id

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
        cast(coalesce(order_dot, 0) as {{ dbt.type_bigint() }}) as order_points,
        cast(appl_date as date) as appl_date,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(visit_date as date) as visit_date,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(category_code as {{ dbt.type_string() }}) as category_code,
        cast(item_group as {{ dbt.type_string() }}) as item_group,
        cast(coalesce(reward_points_per_record, 0) as integer) as reward_points_per_record,
        cast(provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(is_delivery_claim as boolean) as is_delivery_claim,
        cast(county as {{ dbt.type_string() }}) as county
    from listed

)

select * from final
