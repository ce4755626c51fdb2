-- Contracted institutions (醫事機構基本資料): valid rows, one per institution.

with checked as (

    select * from {{ ref('base_nhird__hosb') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest('checked', ['hosp_id'], 'contract_start_date desc, source_file desc, hosp_cont_type, area_no_h') }}

),

final as (

    select
        hosp_id,
        hosp_name,
        hosp_cont_type,
        hosp_kind,
        area_no_h,
        county,
        contract_start_date,
        contract_end_date
    from deduplicated

)

select * from final
