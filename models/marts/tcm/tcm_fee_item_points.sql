-- 中醫四項費用點數 TCM points of the four fee items (source 001, "105年第4季四項費用點數"): per fee
-- quarter, region (1-6) and the whole country ('ALL') and fee item (seed tcm_fee_items: 藥費 drug,
-- 藥品調劑費 dispensing, 診察費 consultation, 診療費 treatment), the points of all TCM claims
-- (醫療費用點數 = 申請點數 + 部分負擔, before review deductions), the same quarter a year earlier,
-- the growth (成長率) and the change (增減點數). The four items add up to the claims' points.

with calendar_quarters as (

    select * from {{ ref('int_calendar_quarters') }}

),

claims as (

    select * from {{ ref('int_tcm_claims_flagged') }}

),

spine as (

    select * from {{ ref('int_sector_quarter_regions') }}
    where sector = 'TCM'

),

fee_items as (

    select * from {{ ref('tcm_fee_items') }}

),

quarter_points as (

    select
        fee_quarter,
        {{ all_when_rolled_up('area_no_h') }} as area_no_h,
        sum(drug_points) as drug_points,
        sum(dispensing_points) as dispensing_points,
        sum(consultation_points) as consultation_points,
        sum(treatment_points) as treatment_points
    from claims
    group by fee_quarter, rollup(area_no_h)

),

item_points as (

    -- one branch per fee item of seed tcm_fee_items (its claim_column, as summed above)
    select
        fee_quarter,
        area_no_h,
        'DRUG' as fee_item,
        drug_points as points
    from quarter_points

    union all

    select
        fee_quarter,
        area_no_h,
        'DISPENSING' as fee_item,
        dispensing_points as points
    from quarter_points

    union all

    select
        fee_quarter,
        area_no_h,
        'CONSULTATION' as fee_item,
        consultation_points as points
    from quarter_points

    union all

    select
        fee_quarter,
        area_no_h,
        'TREATMENT' as fee_item,
        treatment_points as points
    from quarter_points

),

cells as (

    select
        spine.fee_quarter,
        spine.roc_quarter,
        spine.area_no_h,
        spine.region_zh,
        spine.is_complete,
        fee_items.fee_item,
        fee_items.fee_item_zh,
        fee_items.display_order,
        coalesce(item_points.points, 0) as points
    from spine
    cross join fee_items
    left join item_points
        on spine.fee_quarter = item_points.fee_quarter
            and spine.area_no_h = item_points.area_no_h
            and fee_items.fee_item = item_points.fee_item

),

compared as (

    select
        current_year.*,
        previous_year.fee_quarter as previous_fee_quarter,
        previous_year.points as previous_year_points
    from cells as current_year
    left join cells as previous_year
        on current_year.area_no_h = previous_year.area_no_h
            and current_year.fee_item = previous_year.fee_item
            and {{ previous_year_period('current_year.fee_quarter') }} = previous_year.fee_quarter

),


dated as (

    select
        compared.*,
        calendar_quarters.fee_quarter_start
    from compared
    left join calendar_quarters
        on compared.fee_quarter = calendar_quarters.fee_quarter

),

final as (

    select
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(fee_quarter_start as date) as fee_quarter_start,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(fee_item as {{ dbt.type_string() }}) as fee_item,
        cast(fee_item_zh as {{ dbt.type_string() }}) as fee_item_zh,
        cast(display_order as integer) as display_order,
        cast(is_complete as boolean) as is_complete,
        cast(points as bigint) as points,
        cast(previous_fee_quarter as {{ dbt.type_string() }}) as previous_fee_quarter,
        cast(previous_year_points as bigint) as previous_year_points,
        cast({{ growth_rate('points', 'previous_year_points') }} as double) as points_growth,
        cast(points - previous_year_points as bigint) as points_change
    from dated

)

select * from final
