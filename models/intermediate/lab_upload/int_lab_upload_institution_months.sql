-- 有申報應上傳 counts per institution, fee month and category (domain spec §7; source 003): the
-- lines the institution claimed, and the lines it is responsible for uploading — its own claims
-- except those another institution uploaded on its behalf (交付機構協助上傳, 「不含」 in its own
-- rate), plus the lines it uploaded on behalf of others (a 醫檢所's column group, source 000
-- slide 8-1). Counts (macro lab_upload_count_columns) per reward category, per item group
-- (檢驗(查) 'LAB', 影像 'IMAGE') and for all categories ('ALL'), so that institution counts
-- (院所數) stay distinct at every level. Only visits on or before the as-of date count.
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

with matched as (

    select * from {{ ref('int_lab_orders_matched') }}
    where is_visit_by_as_of

),

institutions as (

    select * from {{ ref('int_institutions_grouped') }}

),

-- the claimant's view of every line
claimant_lines as (

    select
        hosp_id,
        fee_ym,
        category_code,
        item_group,
        1 as claimed_orders,
        case when is_delegated then 1 else 0 end as delegated_orders,
        case when is_delegated and is_uploaded then 1 else 0 end as delegated_uploaded_orders,
        0 as assisted_orders,
        0 as assisted_uploaded_orders,
        case when is_delegated then 0 else 1 end as responsible_orders,
        case when not is_delegated and is_uploaded then 1 else 0 end as uploaded_orders,
        case when not is_delegated and is_uploaded_within_24h then 1 else 0 end as timely_24h_orders,
        case when not is_delegated and has_upload and not is_uploaded then 1 else 0 end as late_uploaded_orders,
        case when has_upload then 0 else 1 end as not_uploaded_orders,
        order_points as claimed_points,
        case when has_upload then 0 else order_points end as unverified_points,
        reward_points
    from matched

),

-- the uploading institution's view of the lines it uploaded on another's behalf
assisted_lines as (

    select
        responsible_hosp_id as hosp_id,
        fee_ym,
        category_code,
        item_group,
        0 as claimed_orders,
        0 as delegated_orders,
        0 as delegated_uploaded_orders,
        1 as assisted_orders,
        case when is_uploaded then 1 else 0 end as assisted_uploaded_orders,
        1 as responsible_orders,
        case when is_uploaded then 1 else 0 end as uploaded_orders,
        case when is_uploaded_within_24h then 1 else 0 end as timely_24h_orders,
        case when is_uploaded then 0 else 1 end as late_uploaded_orders,
        0 as not_uploaded_orders,
        0 as claimed_points,
        0 as unverified_points,
        0 as reward_points
    from matched
    where is_delegated

),

lines as (

    select * from claimant_lines
    union all
    select * from assisted_lines

),

{%- set levels = [
    ('by_category', 'category', 'category_code'),
    ('by_item_group', 'item_group', 'item_group'),
    ('by_all', 'all', "'ALL'"),
] %}
{% for cte, level, code in levels %}

{{ cte }} as (

    select
        hosp_id,
        fee_ym,
        '{{ level }}' as category_level,
        {{ code }} as category_code,
        {{ lab_upload_sums() }}
    from lines
    group by hosp_id, fee_ym, {{ code }}

),
{% endfor %}

unioned as (

    {%- for cte, level, code in levels %}
    select * from {{ cte }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        cast(unioned.hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(unioned.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast({{ fee_month_start('unioned.fee_ym') }} as date) as fee_month_start,
        cast({{ fee_quarter('unioned.fee_ym') }} as {{ dbt.type_string() }}) as fee_quarter,
        cast({{ roc_quarter('unioned.fee_ym') }} as {{ dbt.type_string() }}) as roc_quarter,
        cast(unioned.category_level as {{ dbt.type_string() }}) as category_level,
        cast(unioned.category_code as {{ dbt.type_string() }}) as category_code,
        cast(institutions.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(institutions.county as {{ dbt.type_string() }}) as county,
        cast(institutions.hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(coalesce(institutions.provider_group, 'OTHER') as {{ dbt.type_string() }}) as provider_group,
        {%- for column in lab_upload_count_columns() %}
        {%- if column in ['reward_points'] %}
        cast(unioned.{{ column }} as decimal(18, 2)) as {{ column }},
        {%- else %}
        cast(unioned.{{ column }} as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        cast(unioned.responsible_orders > 0 as boolean) as should_upload,
        cast(unioned.uploaded_orders > 0 as boolean) as has_timely_upload
    from unioned
    left join institutions
        on unioned.hosp_id = institutions.hosp_id

)

select * from final
