{#- The sector (總額部門) of a claim, domain spec §1: the case type's rule from seed case_types
    (11-19 DENTAL, 21-31 TCM, 05 DIALYSIS) when it names a sector, otherwise the institution's
    (contract type 1-3 HOSPITAL, 4 WM_PRIMARY; others OTHER). For a 交付 claim the institution is
    the prescribing one (int_general_service_claims_attributed). Plain SQL on both engines. -#}
{% macro claim_sector(sector_rule, institution_sector) -%}
    case
        when {{ sector_rule }} is null or {{ sector_rule }} = 'BY_INSTITUTION'
            then coalesce({{ institution_sector }}, 'OTHER')
        else {{ sector_rule }}
    end
{%- endmacro %}


{#- The classification of claims (outpatient cd and inpatient dd alike): every column of the
    claims relation plus the institution's region, contract type, level and kind, whether the
    case type is a care-plan case (seed case_types) and the sector (claim_sector). Claims of
    institutions unknown to hosb have no row here: int_claims_quarantined reports them. `claims`,
    `institutions` (int_institutions_classified) and `case_types` name relations or CTEs. -#}
{% macro classify_claims(claims, institutions='institutions', case_types='case_types') -%}
    select
        claims.*,
        institutions.area_no_h,
        institutions.hosp_cont_type,
        institutions.institution_level,
        institutions.hosp_kind,
        coalesce(case_types.is_care_plan, false) as is_care_plan_case,
        {{ claim_sector('case_types.sector_rule', 'institutions.institution_sector') }} as sector
    from {{ claims }} as claims
    inner join {{ institutions }} as institutions
        on claims.hosp_id = institutions.hosp_id
    left join {{ case_types }} as case_types
        on claims.case_type = case_types.case_type
{%- endmacro %}
