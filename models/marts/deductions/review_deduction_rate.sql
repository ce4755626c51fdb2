-- 各分區各季核減率 Review deductions per sector, region and quarter (source 000, "各分區各季初核核減率
-- 統計"; domain spec §3): claimed points of the reviewed claims (DEDUCT_DOT present), the points
-- deducted in review and the rate, with the region's rank among the six (1 = the highest rate)
-- and the country's rate beside it, for every sector (醫院, 西醫基層, 中醫, 牙醫) and every quarter
-- (a series). The extract's DEDUCT_DOT does not tell the first review (初核) from the result after
-- appeal and re-review (申復/複核), so the columns say any_stage: it is the 初核 rate only for claims
-- extracted before appeals were settled. All claims of the sector (outpatient and inpatient, every
-- budget); points = T_DOT (醫療費用點數) as in point_value_settlement; a deduction larger than its
-- claim counts as the claim's points.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

outpatient as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

inpatient as (

    select * from {{ ref('int_inpatient_claims_classified') }}

),

spine as (

    select * from {{ ref('int_sector_quarter_regions') }}

),

sectors as (

    select * from {{ ref('point_value_sectors') }}

),

claims as (

    select
        sector,
        area_no_h,
        fee_quarter,
        t_dot,
        deduct_dot
    from outpatient

    union all

    select
        sector,
        area_no_h,
        fee_quarter,
        t_dot,
        deduct_dot
    from inpatient

),

aggregated as (

    select
        sector,
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        count(*) as claims,
        sum(case when deduct_dot is not null then 1 else 0 end) as reviewed_claims,
        sum(case when deduct_dot is not null then coalesce(t_dot, 0) else 0 end) as reviewed_points,
        sum(case when deduct_dot is not null then least(deduct_dot, coalesce(t_dot, 0)) else 0 end) as deducted_points
    from claims
    group by sector, fee_quarter, rollup(area_no_h)

),

cells as (

    select
        spine.sector,
        sectors.sector_zh,
        spine.fee_quarter,
        spine.roc_quarter,
        spine.area_no_h,
        spine.region_zh,
        coalesce(aggregated.claims, 0) as claims,
        coalesce(aggregated.reviewed_claims, 0) as reviewed_claims,
        coalesce(aggregated.reviewed_points, 0) as reviewed_points,
        coalesce(aggregated.deducted_points, 0) as deducted_points,
        {{ safe_ratio('aggregated.deducted_points', 'aggregated.reviewed_points') }} as deduction_rate
    from spine
    inner join sectors
        on spine.sector = sectors.sector
    left join aggregated
        on spine.sector = aggregated.sector
            and spine.fee_quarter = aggregated.fee_quarter
            and spine.area_no_h = aggregated.area_no_h

),

ranked as (

    select
        *,
        {{ pv_region_rank('deduction_rate', ['sector', 'fee_quarter']) }} as deduction_rate_rank
    from cells

),

country as (

    select
        sector,
        fee_quarter,
        deduction_rate as country_deduction_rate
    from cells
    where area_no_h = 'ALL'

),

final as (

    select
        cast(ranked.sector as {{ dbt.type_string() }}) as sector,
        cast(ranked.sector_zh as {{ dbt.type_string() }}) as sector_zh,
        cast(ranked.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(calendar_quarters.fee_quarter_start as date) as fee_quarter_start,
        cast(ranked.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(ranked.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(ranked.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(ranked.claims as bigint) as claims,
        cast(ranked.reviewed_claims as bigint) as reviewed_claims,
        cast({{ safe_ratio('ranked.reviewed_claims', 'ranked.claims') }} as double) as reviewed_share,
        cast(ranked.reviewed_points as bigint) as reviewed_points,
        cast(ranked.deducted_points as bigint) as deducted_points_any_stage,
        cast(ranked.deduction_rate as double) as deduction_rate_any_stage,
        cast(ranked.deduction_rate_rank as integer) as deduction_rate_any_stage_rank,
        cast(country.country_deduction_rate as double) as country_deduction_rate_any_stage,
        cast(ranked.deduction_rate - country.country_deduction_rate as double) as deduction_rate_any_stage_vs_country
    from ranked
    left join calendar_quarters
        on ranked.fee_quarter = calendar_quarters.fee_quarter
    inner join country
        on ranked.sector = country.sector
            and ranked.fee_quarter = country.fee_quarter

)

select * from final
