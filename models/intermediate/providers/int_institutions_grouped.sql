-- Institutions with the provider group 院所別 of the upload and re-examination tables (seed
-- provider_groups): hospitals by level, 西基院所 western-medicine clinics apart from 中醫 and 牙醫
-- clinics, and the 交付機構 (醫檢所 laboratories, 藥局 pharmacies) that perform and upload on an
-- ordering institution's behalf. Derived from the hosb columns HOSP_CONT_TYPE and HOSP_KIND
-- (raw-data contract), never from institution-code patterns; an institution matching no seed
-- row is in group OTHER. A seed row with an empty hosp_kind matches every kind of its contract
-- type; a row naming the kind wins over it.

with institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

-- an empty hosp_kind (null, or '' as a CSV fixture reads it) matches every kind
provider_groups as (

    select
        hosp_cont_type,
        nullif(hosp_kind, '') as hosp_kind,
        provider_group,
        provider_group_zh,
        is_delivery_institution,
        display_order
    from {{ ref('provider_groups') }}

),

candidates as (

    select
        institutions.hosp_id,
        provider_groups.provider_group,
        provider_groups.provider_group_zh,
        provider_groups.is_delivery_institution,
        provider_groups.display_order,
        row_number() over (
            partition by institutions.hosp_id
            order by case when provider_groups.hosp_kind is null then 1 else 0 end, provider_groups.display_order
        ) as match_rank
    from institutions
    inner join provider_groups
        on institutions.hosp_cont_type = provider_groups.hosp_cont_type
            and (provider_groups.hosp_kind is null or institutions.hosp_kind = provider_groups.hosp_kind)

),

grouped as (

    select
        institutions.hosp_id,
        institutions.hosp_name,
        institutions.hosp_cont_type,
        institutions.contract_type_zh,
        institutions.hosp_kind,
        institutions.institution_kind_zh,
        institutions.area_no_h,
        institutions.region_zh,
        institutions.county,
        coalesce(candidates.provider_group, 'OTHER') as provider_group,
        coalesce(candidates.provider_group_zh, '其他') as provider_group_zh,
        coalesce(candidates.is_delivery_institution, false) as is_delivery_institution,
        coalesce(candidates.display_order, 99) as provider_group_order
    from institutions
    left join candidates
        on institutions.hosp_id = candidates.hosp_id
            and candidates.match_rank = 1

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(hosp_name as {{ dbt.type_string() }}) as hosp_name,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(contract_type_zh as {{ dbt.type_string() }}) as contract_type_zh,
        cast(hosp_kind as {{ dbt.type_string() }}) as hosp_kind,
        cast(institution_kind_zh as {{ dbt.type_string() }}) as institution_kind_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(county as {{ dbt.type_string() }}) as county,
        cast(provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(provider_group_zh as {{ dbt.type_string() }}) as provider_group_zh,
        cast(is_delivery_institution as boolean) as is_delivery_institution,
        cast(provider_group_order as integer) as provider_group_order
    from grouped

)

select * from final
