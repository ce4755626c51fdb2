-- Cross-table contract rules (the row-level ones are in the staging *_rejected models):
-- order lines whose claim did not pass staging (oo.orphan_order), claims of institutions
-- unknown to hosb (cd/dd.unknown_institution) and 交付 claims whose prescribing institution
-- (cd.ORIG_HOSP_ID, optional) is unknown to hosb (cd.unknown_prescriber; a claim of an unknown
-- institution reports that rule only). Same shape as the staging quarantine. The orphan order
-- lines are found by fee month in int_outpatient_orders_orphaned.

with orphaned_orders as (

    select * from {{ ref('int_outpatient_orders_orphaned') }}

),

outpatient_claims as (

    select * from {{ ref('stg_nhird__cd') }}

),

inpatient_claims as (

    select * from {{ ref('stg_nhird__dd') }}

),

institutions as (

    select hosp_id from {{ ref('stg_nhird__hosb') }}

),

orphan_orders as (

    select
        'oo' as table_name,
        'orphan_order' as rule_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        concat_ws(
            '|',
            hosp_id,
            fee_ym,
            appl_type,
            case_type,
            cast(seq_no as {{ dbt.type_string() }}),
            cast(order_seq_no as {{ dbt.type_string() }})
        ) as natural_key
    from orphaned_orders

),

outpatient_unknown_institution as (

    select
        'cd' as table_name,
        'unknown_institution' as rule_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        concat_ws(
            '|',
            outpatient_claims.hosp_id,
            outpatient_claims.fee_ym,
            outpatient_claims.appl_type,
            outpatient_claims.case_type,
            cast(outpatient_claims.seq_no as {{ dbt.type_string() }})
        ) as natural_key
    from outpatient_claims
    left join institutions
        on outpatient_claims.hosp_id = institutions.hosp_id
    where institutions.hosp_id is null

),

outpatient_unknown_prescriber as (

    select
        'cd' as table_name,
        'unknown_prescriber' as rule_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        concat_ws(
            '|',
            outpatient_claims.hosp_id,
            outpatient_claims.fee_ym,
            outpatient_claims.appl_type,
            outpatient_claims.case_type,
            cast(outpatient_claims.seq_no as {{ dbt.type_string() }})
        ) as natural_key
    from outpatient_claims
    inner join institutions as dispensers
        on outpatient_claims.hosp_id = dispensers.hosp_id
    left join institutions as prescribers
        on outpatient_claims.orig_hosp_id = prescribers.hosp_id
    where outpatient_claims.orig_hosp_id is not null
        and prescribers.hosp_id is null

),

inpatient_unknown_institution as (

    select
        'dd' as table_name,
        'unknown_institution' as rule_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        concat_ws(
            '|',
            inpatient_claims.hosp_id,
            inpatient_claims.fee_ym,
            inpatient_claims.appl_type,
            inpatient_claims.case_type,
            cast(inpatient_claims.seq_no as {{ dbt.type_string() }})
        ) as natural_key
    from inpatient_claims
    left join institutions
        on inpatient_claims.hosp_id = institutions.hosp_id
    where institutions.hosp_id is null

),

unioned as (

    select * from orphan_orders
    union all
    select * from outpatient_unknown_institution
    union all
    select * from outpatient_unknown_prescriber
    union all
    select * from inpatient_unknown_institution

)

select * from unioned
