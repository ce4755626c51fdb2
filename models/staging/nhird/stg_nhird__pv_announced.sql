-- Announced point values (點值公告): one row per sector, quarter, region and kind.

with checked as (

    select * from {{ ref('base_nhird__pv_announced') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest(
        'checked',
        ['sector', 'fee_quarter', 'area_no_h', 'pv_kind'],
        'announced_date desc nulls last, source_file desc'
    ) }}

),

final as (

    select
        sector,
        fee_quarter,
        {{ roc_quarter_of_quarter('fee_quarter') }} as roc_quarter,
        area_no_h,
        pv_kind,
        float_pv,
        avg_pv,
        announced_date
    from deduplicated

)

select * from final
