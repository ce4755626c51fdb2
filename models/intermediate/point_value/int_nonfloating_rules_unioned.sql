-- Non-floating (非浮動) rules in one shape: the rules of every year (seed
-- point_value_nonfloating_rules: drug points) and the protected items agreed per sector and fee
-- year (seed point_value_protected_items, valid for the fee months of their year). Items of kind
-- NONE and NOT_IDENTIFIED are listed in the seed but match nothing, so they are left out here.

with nonfloating_rules as (

    select * from {{ ref('point_value_nonfloating_rules') }}

),

protected_items as (

    select * from {{ ref('point_value_protected_items') }}
    where item_kind in ('CASE_TYPE', 'COMPONENT', 'ORDER_CODE')

),

unioned as (

    select
        rule_id,
        'NONFLOATING_RULE' as rule_origin,
        rule_kind,
        match_value,
        sector,
        cast(null as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(null as {{ dbt.type_string() }}) as setting,
        valid_from,
        valid_to
    from nonfloating_rules

    union all

    select
        item_id as rule_id,
        'PROTECTED_ITEM' as rule_origin,
        item_kind as rule_kind,
        match_value,
        sector,
        hosp_cont_type,
        setting,
        cast(concat(cast(fee_year as {{ dbt.type_string() }}), '-01-01') as date) as valid_from,
        cast(concat(cast(fee_year as {{ dbt.type_string() }}), '-12-31') as date) as valid_to
    from protected_items

),

final as (

    select
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(rule_origin as {{ dbt.type_string() }}) as rule_origin,
        cast(rule_kind as {{ dbt.type_string() }}) as rule_kind,
        cast(match_value as {{ dbt.type_string() }}) as match_value,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(setting as {{ dbt.type_string() }}) as setting,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to
    from unioned

)

select * from final
