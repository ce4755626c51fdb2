-- Outpatient order lines whose code is on a reference code list, deduplicated on the natural key:
-- the codes the marts read (fee_schedule_items: care-plan and referral codes; reexam_item_map;
-- upload_items; every code starting with a care-plan numerator prefix, care_plan_definitions.
-- order_code_prefix: P43 / P14 / P16, domain spec §6) and the open-list items (open_list_items).
-- Only the keys with a listed code on any of their delivered lines are deduplicated (the rule
-- of stg_nhird__oo, deduplicate_order_lines), so a region-year's 59 M order lines are read but
-- only the ~8 % the marts use are written; a key whose winning line is not listed has no row.
-- On DuckDB built by fee month: a run recomputes the fee months whose raw order files changed,
-- reading only those files; a changed code list rebuilds every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['base_nhird__oo'],
) }}

with order_lines as (

    select typed.* from {{ ref('base_nhird__oo') }} as typed
    where typed.rule_name is null
    {{ fee_month_filter('typed.fee_ym') }}

),

mart_codes as (

    {{ mart_order_codes() }}

),

open_list_codes as (

    select distinct order_code from {{ ref('open_list_items') }}

),

-- numerator prefixes of the care plans: every code starting with one is kept, listed or not
-- (the prefixes never overlap: singular test assert_care_plan_prefixes_match_fee_schedule)
care_plan_prefixes as (

    select distinct order_code_prefix from {{ ref('care_plan_definitions') }}

),

codes_seen as (

    select distinct order_code from order_lines

),

codes_flagged as (

    select
        codes_seen.order_code,
        mart_codes.order_code is not null or care_plan_prefixes.order_code_prefix is not null as is_mart_code,
        open_list_codes.order_code is not null as is_open_list_code
    from codes_seen
    left join mart_codes
        on codes_seen.order_code = mart_codes.order_code
    left join open_list_codes
        on codes_seen.order_code = open_list_codes.order_code
    left join care_plan_prefixes
        on substr(codes_seen.order_code, 1, length(care_plan_prefixes.order_code_prefix))
            = care_plan_prefixes.order_code_prefix

),

codes_listed as (

    select * from codes_flagged
    where is_mart_code or is_open_list_code

),

listed_keys as (

    select distinct
        order_lines.hosp_id,
        order_lines.fee_ym,
        order_lines.appl_type,
        order_lines.case_type,
        order_lines.seq_no,
        order_lines.order_seq_no
    from order_lines
    inner join codes_listed
        on order_lines.order_code = codes_listed.order_code

),

candidate_lines as (

    select order_lines.*
    from order_lines
    inner join listed_keys
        on order_lines.hosp_id = listed_keys.hosp_id
            and order_lines.fee_ym = listed_keys.fee_ym
            and order_lines.appl_type = listed_keys.appl_type
            and order_lines.case_type = listed_keys.case_type
            and order_lines.seq_no = listed_keys.seq_no
            and order_lines.order_seq_no = listed_keys.order_seq_no

),

deduplicated as (

    {{ deduplicate_order_lines('candidate_lines') }}

),

final as (

    select
        deduplicated.hosp_id,
        deduplicated.fee_ym,
        deduplicated.appl_type,
        deduplicated.case_type,
        deduplicated.seq_no,
        deduplicated.order_seq_no,
        deduplicated.appl_date,
        deduplicated.order_type,
        deduplicated.order_code,
        deduplicated.order_qty,
        deduplicated.order_dot,
        deduplicated.executed_at,
        codes_listed.is_mart_code,
        codes_listed.is_open_list_code
    from deduplicated
    inner join codes_listed
        on deduplicated.order_code = codes_listed.order_code

)

select * from final
