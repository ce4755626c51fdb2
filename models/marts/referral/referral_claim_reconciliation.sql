-- 轉診費申報勾稽 Referral fee order codes claimed in outpatient orders (fee_schedule_items family
-- REFERRAL) reconciled against the electronic referral platform, per institution, fee quarter
-- and order code: a claimed line is matched when the same institution, in the role the code
-- implies (seed referral_claim_codes: ISSUER or RECEIVER), has a platform referral of the same
-- patient dated within var `referral_claim_match_window_days` (default 7, assumed) days either
-- side of the claim's visit date. Referral date: the issue date for the issuer; the date the
-- patient was seen (RECV_DATE, else the issue date) for the receiver.

{%- set window_days = var('referral_claim_match_window_days', 7) | int %}

with orders as (

    select * from {{ ref('int_outpatient_orders_joined') }}

),

fee_schedule as (

    select * from {{ ref('fee_schedule_items') }}

),

claim_codes as (

    select * from {{ ref('referral_claim_codes') }}

),

referrals as (

    select * from {{ ref('int_referrals_classified') }}

),

referral_fee_codes as (

    select distinct order_code
    from fee_schedule
    where item_family = 'REFERRAL'

),

referral_orders as (

    select
        orders.hosp_id,
        orders.fee_ym,
        orders.appl_type,
        orders.case_type,
        orders.seq_no,
        orders.order_seq_no,
        orders.order_code,
        orders.fee_quarter,
        orders.roc_quarter,
        orders.patient_key,
        orders.hosp_cont_type,
        orders.area_no_h,
        coalesce(orders.visit_date, orders.execution_date) as claim_date,
        claim_codes.claim_party,
        claim_codes.expects_platform_referral
    from orders
    inner join referral_fee_codes
        on orders.order_code = referral_fee_codes.order_code
    left join claim_codes
        on orders.order_code = claim_codes.order_code

),

referral_parties as (

    select
        issue_hosp_id as hosp_id,
        'ISSUER' as claim_party,
        patient_key,
        issue_date as referral_date
    from referrals
    union all
    select
        recv_hosp_id as hosp_id,
        'RECEIVER' as claim_party,
        patient_key,
        coalesce(recv_date_reported, issue_date) as referral_date
    from referrals

),

matched_lines as (

    select distinct
        referral_orders.hosp_id,
        referral_orders.fee_ym,
        referral_orders.appl_type,
        referral_orders.case_type,
        referral_orders.seq_no,
        referral_orders.order_seq_no
    from referral_orders
    inner join referral_parties
        on referral_orders.hosp_id = referral_parties.hosp_id
            and referral_orders.claim_party = referral_parties.claim_party
            and referral_orders.patient_key = referral_parties.patient_key
            and referral_parties.referral_date >= {{ add_days('referral_orders.claim_date', -window_days) }}
            and referral_parties.referral_date <= {{ add_days('referral_orders.claim_date', window_days) }}

),

flagged as (

    select
        referral_orders.*,
        matched_lines.hosp_id is not null as is_matched
    from referral_orders
    left join matched_lines
        on referral_orders.hosp_id = matched_lines.hosp_id
            and referral_orders.fee_ym = matched_lines.fee_ym
            and referral_orders.appl_type = matched_lines.appl_type
            and referral_orders.case_type = matched_lines.case_type
            and referral_orders.seq_no = matched_lines.seq_no
            and referral_orders.order_seq_no = matched_lines.order_seq_no

),

aggregated as (

    select
        hosp_id,
        fee_quarter,
        roc_quarter,
        order_code,
        claim_party,
        expects_platform_referral,
        hosp_cont_type,
        area_no_h,
        count(*) as claimed_lines,
        sum(case when is_matched then 1 else 0 end) as matched_lines,
        sum(case when is_matched then 0 else 1 end) as unmatched_lines
    from flagged
    group by
        hosp_id, fee_quarter, roc_quarter, order_code, claim_party, expects_platform_referral, hosp_cont_type, area_no_h

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(order_code as {{ dbt.type_string() }}) as order_code,
        cast(claim_party as {{ dbt.type_string() }}) as claim_party,
        cast(expects_platform_referral as boolean) as expects_platform_referral,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(claimed_lines as {{ dbt.type_bigint() }}) as claimed_lines,
        cast(matched_lines as {{ dbt.type_bigint() }}) as matched_lines,
        cast(unmatched_lines as {{ dbt.type_bigint() }}) as unmatched_lines,
        cast(cast(unmatched_lines as double) / claimed_lines as double) as unmatched_share,
        cast({{ window_days }} as integer) as match_window_days
    from aggregated

)

select * from final
