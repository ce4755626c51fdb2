-- 有申報應上傳 counts per fee month, region, provider group and upload reward category, with the
-- 'ALL' rows of region (全區) and provider group (總計) (domain spec §7; sources 003 and 000 slide
-- 8-1): the institution-month counts of int_lab_upload_institution_months (category rows, and the
-- institutions' 'ALL' category rows for the 'ALL' category) summed, and the institutions that
-- should upload (any responsible line) and those with an upload in time (院所比率). Each cell
-- counts in its own row and in the 'ALL' rows of region and group: an institution has one region
-- and one group, so institution counts add up too. Only cells with institutions; the mart
-- lab_upload_rate lays them on the full month × region × group × category grid.
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set counts = lab_upload_count_columns() + ['institutions_should_upload', 'uploading_institutions'] %}

with institution_months as (

    select * from {{ ref('int_lab_upload_institution_months') }}
    where category_level in ('category', 'all')

),

cells as (

    select
        fee_ym,
        fee_month_start,
        fee_quarter,
        roc_quarter,
        area_no_h,
        provider_group,
        category_code,
        {{ lab_upload_sums() }},
        sum(case when should_upload then 1 else 0 end) as institutions_should_upload,
        sum(case when has_timely_upload then 1 else 0 end) as uploading_institutions
    from institution_months
    group by fee_ym, fee_month_start, fee_quarter, roc_quarter, area_no_h, provider_group, category_code

),

rollup_flags as (

    select false as is_all
    union all
    select true as is_all

),

aggregated as (

    select
        cells.fee_ym,
        cells.fee_month_start,
        cells.fee_quarter,
        cells.roc_quarter,
        case when area_flags.is_all then 'ALL' else cells.area_no_h end as area_no_h,
        case when group_flags.is_all then 'ALL' else cells.provider_group end as provider_group,
        cells.category_code,
        {%- for column in counts %}
        sum(cells.{{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from cells
    cross join rollup_flags as area_flags
    cross join rollup_flags as group_flags
    group by
        cells.fee_ym,
        cells.fee_month_start,
        cells.fee_quarter,
        cells.roc_quarter,
        case when area_flags.is_all then 'ALL' else cells.area_no_h end,
        case when group_flags.is_all then 'ALL' else cells.provider_group end,
        cells.category_code

),

final as (

    select
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(category_code as {{ dbt.type_string() }}) as category_code,
        {%- for column in counts %}
        {%- if column == 'reward_points' %}
        cast({{ column }} as decimal(18, 2)) as {{ column }}{% if not loop.last %},{% endif %}
        {%- else %}
        cast({{ column }} as {{ dbt.type_bigint() }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endif %}
        {%- endfor %}
    from aggregated

)

select * from final
