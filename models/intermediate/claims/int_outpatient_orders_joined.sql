-- Order lines whose code the marts read (int_outpatient_orders_listed.is_mart_code:
-- fee_schedule_items, reexam_item_map, upload_items, or a care-plan numerator prefix, so a
-- prefixed code missing from the fee seed still reaches the care-plan numerator), joined to their
-- claim. The care-plan, referral, re-examination, lab-upload and point-value models share it;
-- each of them keeps only the codes of its own list. `execution_date` is EXE_S_DATE's date,
-- else the visit date.
-- On DuckDB built by fee month: a run recomputes the fee months whose order lines or claims
-- changed; a changed code list or institution table rebuilds every month (docs/incremental.md).
-- depends_on: {{ ref('int_institutions_classified') }}

{{ fee_month_model(
    inputs=['int_outpatient_orders_listed', 'int_outpatient_claims_classified'],
    joined=['int_institutions_classified'],
) }}

with orders as (

    select listed.* from {{ ref('int_outpatient_orders_listed') }} as listed
    where listed.is_mart_code
    {{ fee_month_filter('listed.fee_ym') }}

),

claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

joined as (

    select
        orders.hosp_id,
        orders.fee_ym,
        orders.appl_type,
        orders.case_type,
        orders.seq_no,
        orders.order_seq_no,
        orders.order_type,
        orders.order_code,
        orders.order_qty,
        orders.order_dot,
        coalesce(cast(orders.executed_at as date), claims.visit_date) as execution_date,
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
    from orders
    inner join claims
        on orders.hosp_id = claims.hosp_id
            and orders.fee_ym = claims.fee_ym
            and orders.appl_type = claims.appl_type
            and orders.case_type = claims.case_type
            and orders.seq_no = claims.seq_no

)

select * from joined
