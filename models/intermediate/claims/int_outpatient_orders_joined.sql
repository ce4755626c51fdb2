-- Order lines whose code is on a reference code list (fee_schedule_items: care-plan and
-- referral codes; reexam_item_map: re-examination codes; upload_items: lab/imaging codes whose
-- results must be uploaded) or starts with a care-plan numerator prefix (care_plan_definitions.
-- order_code_prefix: P43 / P14 / P16, domain spec §6, so a prefixed code missing from the fee
-- seed still reaches the care-plan numerator), joined to their claim. This is the one scan of the (large) order
-- table that the care-plan, referral, re-examination and lab-upload marts share; each of them
-- keeps only the codes of its own list. `execution_date` is EXE_S_DATE's date, else the visit date.
-- On DuckDB built by fee month: a run recomputes the fee months whose order lines or claims
-- changed; a changed code list or institution table rebuilds every month (docs/incremental.md).
-- depends_on: {{ ref('int_institutions_classified') }}

{{ config(
    materialized=incremental_on_duckdb('table'),
    incremental_strategy='append',
    pre_hook="{{ delete_fee_months() }}",
    post_hook="{{ record_fee_months() }}",
    meta={'fee_month': {'inputs': ['stg_nhird__oo', 'int_outpatient_claims_classified'], 'joined': ['int_institutions_classified']}},
) }}

with orders as (

    select staged.* from {{ ref('stg_nhird__oo') }} as staged
    where true
    {{ fee_month_filter('staged.fee_ym') }}

),

claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

fee_schedule_codes as (

    select distinct order_code from {{ ref('fee_schedule_items') }}

),

reexam_codes as (

    select distinct order_code from {{ ref('reexam_item_map') }}

),

upload_codes as (

    select distinct order_code from {{ ref('upload_items') }}

),

listed_codes as (

    select order_code from fee_schedule_codes
    union
    select order_code from reexam_codes
    union
    select order_code from upload_codes

),

-- numerator prefixes of the care plans: every code starting with one is kept, listed or not
-- (the prefixes never overlap: singular test assert_care_plan_prefixes_match_fee_schedule)
care_plan_prefixes as (

    select distinct order_code_prefix from {{ ref('care_plan_definitions') }}

),

listed_orders as (

    select orders.*
    from orders
    left join listed_codes
        on orders.order_code = listed_codes.order_code
    left join care_plan_prefixes
        on substr(orders.order_code, 1, length(care_plan_prefixes.order_code_prefix))
            = care_plan_prefixes.order_code_prefix
    where listed_codes.order_code is not null
        or care_plan_prefixes.order_code_prefix is not null

),

joined as (

    select
        listed_orders.hosp_id,
        listed_orders.fee_ym,
        listed_orders.appl_type,
        listed_orders.case_type,
        listed_orders.seq_no,
        listed_orders.order_seq_no,
        listed_orders.order_type,
        listed_orders.order_code,
        listed_orders.order_qty,
        listed_orders.order_dot,
        coalesce(cast(listed_orders.executed_at as date), claims.visit_date) as execution_date,
        claims.appl_date,
        claims.fee_month_start,
        claims.fee_year,
        claims.fee_quarter,
        claims.roc_quarter,
        claims.patient_key,
        claims.physician_key,
        claims.visit_date,
        claims.area_no_h,
        claims.hosp_cont_type,
        claims.institution_level,
        claims.hosp_kind,
        claims.sector,
        claims.is_care_plan_case
    from listed_orders
    inner join claims
        on listed_orders.hosp_id = claims.hosp_id
            and listed_orders.fee_ym = claims.fee_ym
            and listed_orders.appl_type = claims.appl_type
            and listed_orders.case_type = claims.case_type
            and listed_orders.seq_no = claims.seq_no

)

select * from joined
