-- marts.prospective_region_summary against marts.prospective_hospital_settlement: hospitals,
-- points per tier and the hospitals per status and highest tier add up; hospitals reaching a
-- tier are those whose highest tier is that one or above; the discounted points are the
-- hospitals' recovered points. Returns the offending region-quarters.

with summary as (

    select * from {{ ref('prospective_region_summary') }}

),

settlement as (

    select * from {{ ref('prospective_hospital_settlement') }}

),

hospitals as (

    select
        area_no_h,
        fee_quarter,
        count(*) as hospitals,
        sum(coalesce(tier1_points, 0)) as tier1_points,
        sum(coalesce(tier4_points, 0)) as tier4_points,
        sum(case when settlement_status = 'INCOMPLETE' then 1 else 0 end) as incomplete,
        sum(recovered_points_fitted) as recovered_fitted,
        sum(case when avg_pv_fitted is null then 0 else 1 end) as with_point_value
    from settlement
    group by area_no_h, fee_quarter

),

compared as (

    select
        summary.area_no_h,
        summary.fee_quarter,
        case
            when coalesce(hospitals.hospitals, 0) <> summary.hospitals then 'hospitals differ'
            when summary.hospitals > 0 and (
                    hospitals.tier1_points <> summary.tier1_points or hospitals.tier4_points <> summary.tier4_points
                ) then 'tier points differ'
            when coalesce(hospitals.incomplete, 0) <> summary.hospitals_incomplete then 'incomplete hospitals differ'
            when summary.hospitals_no_excess + summary.hospitals_highest_tier_1 + summary.hospitals_highest_tier_2
                + summary.hospitals_highest_tier_3 + summary.hospitals_highest_tier_4 + summary.hospitals_incomplete
                <> summary.hospitals then 'hospitals by status and highest tier do not add up'
            when summary.hospitals_reaching_tier_1 <> summary.hospitals_highest_tier_1 + summary.hospitals_highest_tier_2
                + summary.hospitals_highest_tier_3 + summary.hospitals_highest_tier_4
                or summary.hospitals_reaching_tier_4 <> summary.hospitals_highest_tier_4
                then 'hospitals reaching a tier inconsistent'
            when summary.is_complete and summary.discounted_points_fitted <> hospitals.recovered_fitted
                then 'discounted points are not the recovered points'
            when summary.is_complete and summary.hospitals_pv_ge_098 + summary.hospitals_pv_095_097
                + summary.hospitals_pv_090_094 + summary.hospitals_pv_lt_090
                <> hospitals.with_point_value
                then 'point-value bands do not add up'
        end as problem
    from summary
    left join hospitals
        on summary.area_no_h = hospitals.area_no_h
            and summary.fee_quarter = hospitals.fee_quarter

)

select * from compared
where problem is not null
