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
