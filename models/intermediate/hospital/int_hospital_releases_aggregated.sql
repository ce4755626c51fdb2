-- Prescriptions hospitals released (交付, 釋出處方): outpatient claims filed by another institution
-- (a pharmacy's dispensing claim) that carry the hospital as their prescriber (cd.ORIG_HOSP_ID,
-- optional), attributed to the prescribing hospital's region and level (raw-data contract:
-- 交付機構資料點數計，但件數不計 - the points count for the prescriber, the claims do not). Summed per
-- fee quarter over region and level with 'ALL' roll-ups, as int_hospital_claims_aggregated. A
-- prescriber unknown to hosb is quarantined (cd.unknown_prescriber) and not attributed here; an
-- extract without ORIG_HOSP_ID has no releases (empty, not an error).

with claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}
    where orig_hosp_id is not null
        and orig_hosp_id <> hosp_id

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}
    where institution_sector = 'HOSPITAL'

),

released as (

    select
        claims.fee_quarter,
        prescribers.area_no_h,
        cast(prescribers.institution_level as {{ dbt.type_string() }}) as hospital_level,
        coalesce(claims.t_dot, 0) as points
    from claims
    inner join institutions as prescribers
        on claims.orig_hosp_id = prescribers.hosp_id

),

aggregated as (

    select
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        {{ all_when_rolled_up('hospital_level') }} as hospital_level,
        count(*) as released_claims,
        sum(points) as released_points
    from released
    group by fee_quarter, cube(area_no_h, hospital_level)

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hospital_level as {{ dbt.type_string() }}) as hospital_level,
        cast(released_claims as bigint) as released_claims,
        cast(released_points as bigint) as released_points
    from aggregated

)

select * from final
