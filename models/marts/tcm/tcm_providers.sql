-- 中醫院所數及醫師數 TCM institutions and physicians (source 001, "高屏區中醫件數申報情形": 院所數 and
-- 醫師數 per quarter): per fee quarter and region (1-6, and 'ALL' the whole country), the
-- institutions that claimed TCM claims (distinct HOSP_ID), the physicians on them (distinct
-- pseudonymised PRSN_ID; a physician in two regions counts in both and once in 'ALL'), the claims,
-- and the same quarter a year earlier with the growth. Counts only: no physician key leaves the
-- intermediate layer.

with claims as (

    select * from {{ ref('int_tcm_claims_flagged') }}

),

spine as (

    select * from {{ ref('int_sector_quarter_regions') }}
    where sector = 'TCM'

),

counted as (

    select
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        count(distinct hosp_id) as institutions,
        count(distinct physician_key) as physicians,
        count(*) as claims
    from claims
    group by fee_quarter, rollup(area_no_h)

),

cells as (

    select
        spine.fee_quarter,
        spine.roc_quarter,
        spine.area_no_h,
        spine.region_zh,
        spine.is_complete,
        coalesce(counted.institutions, 0) as institutions,
        coalesce(counted.physicians, 0) as physicians,
        coalesce(counted.claims, 0) as claims
    from spine
    left join counted
        on spine.fee_quarter = counted.fee_quarter
            and spine.area_no_h = counted.area_no_h

),

compared as (

    select
        current_year.*,
        previous_year.fee_quarter as previous_fee_quarter,
        previous_year.institutions as previous_year_institutions,
        previous_year.physicians as previous_year_physicians
    from cells as current_year
    left join cells as previous_year
        on current_year.area_no_h = previous_year.area_no_h
            and {{ previous_year_period('current_year.fee_quarter') }} = previous_year.fee_quarter

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(is_complete as boolean) as is_complete,
        cast(institutions as bigint) as institutions,
        cast(physicians as bigint) as physicians,
        cast(claims as bigint) as claims,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_year_institutions as bigint) as previous_year_institutions,
        cast(previous_year_physicians as bigint) as previous_year_physicians,
        cast({{ growth_rate('institutions', 'previous_year_institutions') }} as double) as institutions_growth,
        cast({{ growth_rate('physicians', 'previous_year_physicians') }} as double) as physicians_growth
    from compared

)

select * from final
