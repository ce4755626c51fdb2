-- Hospital prospective-budget inputs (前瞻式預算管理 醫院參數): one row per hospital and quarter.
-- A row delivered twice keeps the one from the latest file name.

with checked as (

    select * from {{ ref('base_nhird__hosp_prospective') }}
    where rule_name is null

),

deduplicated as (

    {{ dedupe_latest('checked', ['hosp_id', 'fee_quarter'], 'source_file desc, base_points desc') }}

),

final as (

    select
        hosp_id,
        fee_quarter,
        {{ roc_quarter_of_quarter('fee_quarter') }} as roc_quarter,
        base_points,
        protected_points,
        opd_share,
        reg_physicians_base,
        reg_physicians,
        nurses_base,
        nurses,
        opd_cmi_base,
        opd_cmi,
        ipd_cmi_base,
        ipd_cmi,
        fee_adj_rate,
        base_avg_pv
    from deduplicated

)

select * from final
