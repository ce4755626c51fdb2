-- Cross-table contract rules of the hospital prospective-budget inputs (the row-level ones are in
-- stg_nhird__hosp_prospective_rejected): a HOSP_ID unknown to hosb (unknown_institution) or of an
-- institution that is not a hospital (not_a_hospital: its contract type has no HOSPITAL sector in
-- seed contract_types). Same shape as the staging quarantine; counted in quarantine_summary.

with inputs as (

    select * from {{ ref('stg_nhird__hosp_prospective') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

checked as (

    select
        inputs.hosp_id,
        inputs.fee_quarter,
        case
            when institutions.hosp_id is null then 'unknown_institution'
            when institutions.institution_sector is null or institutions.institution_sector <> 'HOSPITAL'
                then 'not_a_hospital'
        end as rule_name
    from inputs
    left join institutions
        on inputs.hosp_id = institutions.hosp_id

),

final as (

    select
        cast('hosp_prospective' as {{ dbt.type_string() }}) as table_name,
        cast(rule_name as {{ dbt.type_string() }}) as rule_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(concat_ws('|', hosp_id, fee_quarter) as {{ dbt.type_string() }}) as natural_key
    from checked
    where rule_name is not null

)

select * from final
