-- Region prospective-budget inputs (前瞻式預算管理 分區參數): one row per region and quarter.
-- A row delivered twice keeps the one from the latest file name.

with checked as (

    select * from {{ ref('base_nhird__prospective_region') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest('checked', ['area_no_h', 'fee_quarter'], 'source_file desc, budget_amt desc') }}

),

final as (

    select
        area_no_h,
        fee_quarter,
        {{ roc_quarter_of_quarter('fee_quarter') }} as roc_quarter,
        budget_amt,
        delivered_amt,
        prior_paid_amt,
        excluded_amt,
        base_income_amt
    from deduplicated

)

select * from final
