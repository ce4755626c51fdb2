-- Order lines whose claim did not pass staging (cross-table rule oo.orphan_order): the keys of
-- valid raw order lines (one row per key however often it was delivered) without a staged claim
-- of the same fee month. Read from the typed raw view, so the full order table is never
-- deduplicated or written; on DuckDB built by fee month, from the months whose order files or
-- staged claims changed (docs/incremental.md).

{{ fee_month_model(
    inputs=['base_nhird__oo', 'stg_nhird__cd'],
) }}

with order_lines as (

    select
        typed.hosp_id,
        typed.fee_ym,
        typed.appl_type,
        typed.case_type,
        typed.seq_no,
        typed.order_seq_no
    from {{ ref('base_nhird__oo') }} as typed
    where typed.rule_name is null
    {{ fee_month_filter('typed.fee_ym') }}

),

claims as (

    select staged.* from {{ ref('stg_nhird__cd') }} as staged
    where true
    {{ fee_month_filter('staged.fee_ym') }}

),

orphaned as (

    select distinct
        order_lines.hosp_id,
        order_lines.fee_ym,
        order_lines.appl_type,
        order_lines.case_type,
        order_lines.seq_no,
        order_lines.order_seq_no
    from order_lines
    left join claims
        on order_lines.hosp_id = claims.hosp_id
            and order_lines.fee_ym = claims.fee_ym
            and order_lines.appl_type = claims.appl_type
            and order_lines.case_type = claims.case_type
            and order_lines.seq_no = claims.seq_no
    where claims.hosp_id is null

)

select * from orphaned
