-- 再執行率 Re-execution rate of one 20-category examination category in a region, quarter by
-- quarter, against the whole country (全區) and against the base period (var reexam_base_year
-- by name, else the same quarter a year earlier; compared only when base_comparison_status is
-- 'compared'). Rates in percent; differences in percentage points; 率成長 = rate / base − 1.
--
-- Vars: report_area (default '5' 高屏), report_category (default '7' 糖尿病; 'ALL' = all
-- categories together).

{% set report_area = var('report_area', '5') %}
{% set report_category = var('report_category', '7') %}

with

by_category as (
    select * from {{ ref('reexam_rate_by_category') }}
),

final as (
    select
        period,
        roc_period,
        region_zh,
        category_no,
        category_zh,
        executions,
        reexecutions,
        same_inst_reexecutions,
        cross_inst_reexecutions,
        round(100 * reexec_rate, 2) as reexec_rate_pct,
        round(100 * national_reexec_rate, 2) as national_reexec_rate_pct,
        round(100 * reexec_rate_diff_national, 2) as diff_national_pp,
        base_period,
        base_roc_period,
        base_comparison_status,
        round(100 * base_reexec_rate, 2) as base_reexec_rate_pct,
        round(100 * reexec_rate_diff_base, 2) as diff_base_pp,
        round(100 * reexec_rate_growth_base, 2) as growth_base_pct,
        is_lookback_complete
    from by_category
    where
        period_type = 'quarter'
        and area_no_h = '{{ report_area }}'
        and category_no = '{{ report_category }}'
)

select * from final
order by period
