-- 有申報應上傳 上傳率 Lab/imaging result upload rate (domain spec §7; sources 003 and 000 slide 8-1)
-- per fee month, region ('1'-'6' and 'ALL'), provider group (醫學中心 / 區域醫院 / 地區醫院, 西基院所
-- apart from 中醫 and 牙醫 clinics, 醫檢所, 藥局; 'ALL' = 總計) and upload reward category ('ALL'
-- too). The rate is the responsible institution's (source 003 「不含交付機構協助上傳案件」): lines a
-- 交付機構 uploaded on a claimant's behalf are counted for the uploader (醫檢所), not in the
-- claimant's own rate, and are shown in the claimant's delegated_* columns. 院所比率 is the share
-- of the institutions that should upload (any responsible line) with at least one upload in
-- time. Counts come from int_lab_upload_cells_aggregated (macro lab_upload_count_columns); every
-- month × region × group × category cell exists here (zero counts, null rates when empty).
-- A month is complete when the as-of date is at least var `lab_upload_complete_days` (default
-- 60, assumed) days after the month's last day.
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set complete_days = var('lab_upload_complete_days', 60) | int %}
{%- set counts = lab_upload_count_columns() + ['institutions_should_upload', 'uploading_institutions'] %}

with aggregated as (

    select * from {{ ref('int_lab_upload_cells_aggregated') }}

),

as_of as (

    select * from {{ ref('int_lab_upload_as_of_determined') }}

),

regions as (

    select * from {{ ref('regions') }}

),

provider_groups as (

    select * from {{ ref('provider_groups') }}

),

categories as (

    select * from {{ ref('upload_reward_categories') }}

),

months as (

    select distinct
        fee_ym,
        fee_month_start,
        fee_quarter,
        roc_quarter
    from aggregated

),

areas as (

    select
        area_no_h,
        region_zh
    from regions
    union all
    select
        'ALL' as area_no_h,
        '全區' as region_zh

),

-- every seed group, OTHER only when it has lines, and ALL (總計)
group_list as (

    select distinct
        provider_group,
        provider_group_zh,
        display_order
    from provider_groups
    union all
    select distinct
        'OTHER' as provider_group,
        '其他' as provider_group_zh,
        99 as display_order
    from aggregated
    where provider_group = 'OTHER'
    union all
    select
        'ALL' as provider_group,
        '總計' as provider_group_zh,
        100 as display_order

),

category_list as (

    select
        category_code,
        category_zh,
        item_group,
        reward_points_per_record
    from categories
    union all
    select
        'ALL' as category_code,
        '全部類別' as category_zh,
        'ALL' as item_group,
        cast(null as integer) as reward_points_per_record

),

grid as (

    select
        months.*,
        areas.area_no_h,
        areas.region_zh,
        group_list.provider_group,
        group_list.provider_group_zh,
        category_list.category_code,
        category_list.category_zh,
        category_list.item_group,
        category_list.reward_points_per_record
    from months
    cross join areas
    cross join group_list
    cross join category_list

),

final as (

    select
        cast(grid.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(grid.fee_month_start as date) as fee_month_start,
        cast(grid.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(grid.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(grid.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(grid.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(grid.provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(grid.provider_group_zh as {{ dbt.type_string() }}) as provider_group_zh,
        cast(grid.category_code as {{ dbt.type_string() }}) as category_code,
        cast(grid.category_zh as {{ dbt.type_string() }}) as category_zh,
        cast(grid.item_group as {{ dbt.type_string() }}) as item_group,
        cast(grid.reward_points_per_record as integer) as reward_points_per_record,
        {%- for column in counts %}
        {%- if column == 'reward_points' %}
        cast(coalesce(aggregated.{{ column }}, 0) as decimal(18, 2)) as {{ column }},
        {%- else %}
        cast(coalesce(aggregated.{{ column }}, 0) as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        cast(
            case when aggregated.responsible_orders > 0 then aggregated.uploaded_orders / cast(aggregated.responsible_orders as double) end
            as double
        ) as upload_rate,
        cast(
            case when aggregated.responsible_orders > 0 then aggregated.timely_24h_orders / cast(aggregated.responsible_orders as double) end
            as double
        ) as timely_24h_rate,
        cast(
            case
                when aggregated.claimed_orders > 0
                    then (aggregated.uploaded_orders - aggregated.assisted_uploaded_orders + aggregated.delegated_uploaded_orders)
                        / cast(aggregated.claimed_orders as double)
            end as double
        ) as claimed_upload_rate,
        cast(
            case
                when aggregated.institutions_should_upload > 0
                    then aggregated.uploading_institutions / cast(aggregated.institutions_should_upload as double)
            end as double
        ) as institution_upload_share,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(
            coalesce(
                as_of.as_of_date >= cast({{ add_days(dbt.dateadd('month', 1, 'grid.fee_month_start'), complete_days - 1) }} as date),
                false
            ) as boolean
        ) as is_month_complete
    from grid
    left join aggregated
        on grid.fee_ym = aggregated.fee_ym
            and grid.area_no_h = aggregated.area_no_h
            and grid.provider_group = aggregated.provider_group
            and grid.category_code = aggregated.category_code
    cross join as_of

)

select * from final
