-- Regional general-service budgets (分區一般服務預算): one row per sector, quarter and region.

with checked as (

    select * from {{ ref('base_nhird__budget') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest('checked', ['sector', 'fee_quarter', 'area_no_h'], 'source_file desc, budget_amt desc') }}

),

final as (

    select
        sector,
        fee_quarter,
        {{ roc_quarter_of_quarter('fee_quarter') }} as roc_quarter,
        area_no_h,
        budget_amt
    from deduplicated

)

select * from final
