-- 中醫案件分類申報點數 TCM points per case type (source 001, "105年Q4申報醫療費用點數【案件分類+分區別】"):
-- per fee quarter, region (1-6) and the whole country ('ALL') and case type (21 中醫一般, 22 其他專案,
-- 24 慢性病, 25 巡迴, 28 慢性病連續處方調劑, 29 針灸傷科脫臼整復, 30 特定疾病門診加強照護 …; names
-- from seed case_types), claims and points (before review deductions), the same quarter a year
-- earlier, the growth (成長率) and the change in points (較去年同期增減點數). A case type appears in
-- a quarter when it has points then or a year earlier (a case type that stopped shows 0 and −100 %).

with claims as (

    select * from {{ ref('int_tcm_claims_flagged') }}

),

spine as (

    select * from {{ ref('int_sector_quarter_regions') }}
    where sector = 'TCM'

),

case_types as (

    select * from {{ ref('case_types') }}

),

claimed_case_types as (

    select distinct case_type from claims

),

case_type_points as (

    select
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        case_type,
        count(*) as claims,
        sum(points) as points
    from claims
    group by fee_quarter, case_type, rollup(area_no_h)

),

cells as (

    select
        spine.fee_quarter,
        spine.roc_quarter,
        spine.area_no_h,
        spine.region_zh,
        spine.is_complete,
        claimed_case_types.case_type,
        coalesce(case_type_points.claims, 0) as claims,
        coalesce(case_type_points.points, 0) as points
    from spine
    cross join claimed_case_types
    left join case_type_points
        on spine.fee_quarter = case_type_points.fee_quarter
            and spine.area_no_h = case_type_points.area_no_h
            and claimed_case_types.case_type = case_type_points.case_type

),

compared as (

    select
        current_year.*,
        previous_year.fee_quarter as previous_fee_quarter,
        previous_year.claims as previous_year_claims,
        previous_year.points as previous_year_points,
        case_types.case_type_zh
    from cells as current_year
    left join cells as previous_year
        on current_year.area_no_h = previous_year.area_no_h
            and current_year.case_type = previous_year.case_type
            and {{ previous_year_period('current_year.fee_quarter') }} = previous_year.fee_quarter
    left join case_types
        on current_year.case_type = case_types.case_type
    where current_year.points <> 0 or coalesce(previous_year.points, 0) <> 0

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(case_type_zh as {{ dbt.type_string() }}) as case_type_zh,
        cast(is_complete as boolean) as is_complete,
        cast(claims as bigint) as claims,
        cast(points as bigint) as points,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_year_claims as bigint) as previous_year_claims,
        cast(previous_year_points as bigint) as previous_year_points,
        cast({{ growth_rate('points', 'previous_year_points') }} as double) as points_growth,
        cast(points - previous_year_points as bigint) as points_change
    from compared

)

select * from final
