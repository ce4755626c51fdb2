-- Outpatient claims with the institution's region and contract type and the claim's sector
-- (總額部門, domain spec §1): case types 11-19 DENTAL, 21-31 TCM, 05 DIALYSIS (seed
-- `case_types`), otherwise the institution's contract type (1-3 HOSPITAL, 4 WM_PRIMARY).
-- Case types missing from the seed follow the institution rule. Claims of institutions
-- unknown to hosb, and 交付 claims whose prescribing institution (ORIG_HOSP_ID) is unknown to it,
-- are quarantined (int_claims_quarantined), not classified here.
-- On DuckDB built by fee month: a run recomputes the fee months whose claims changed; a changed
-- case_types seed or institution table rebuilds every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['stg_nhird__cd'],
    joined=['int_institutions_classified'],
) }}

with claims as (

    select staged.* from {{ ref('stg_nhird__cd') }} as staged
    where true
    {{ fee_month_filter('staged.fee_ym') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

case_types as (

    select * from {{ ref('case_types') }}

),

known_prescriber as (

    -- a 交付 claim whose prescriber (ORIG_HOSP_ID) is unknown to hosb is quarantined
    -- (int_claims_quarantined, unknown_prescriber), like a claim of an unknown institution
    select claims.*
    from claims
    left join institutions as prescribers
        on claims.orig_hosp_id = prescribers.hosp_id
    where claims.orig_hosp_id is null or prescribers.hosp_id is not null

),

classified as (

    {{ classify_claims('known_prescriber') | indent(4) }}

)

select * from classified
