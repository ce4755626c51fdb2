-- 「有申報應上傳」政策推動 region table (source 000 slide 8-1, 3日內上傳情形): per fee month and region
-- ('1'-'6', 'ALL' 合計) the column groups 西基院所 (western-medicine clinics), 醫檢所 (medical
-- laboratories: the lines they claimed as 交付 and the lines they uploaded on clinics' behalf)
-- and 總計 (the two together): uploading institutions 上傳院所數, uploaded lines 上傳醫令數,
-- 院所比率 (uploading institutions / institutions that should upload) and 上傳率 (uploaded /
-- responsible lines), each beside the same month one year earlier (增加量 for counts, difference
-- for rates; the slide's "vs 110年7月"). A clinic's rate excludes the lines a laboratory uploaded
-- for it (source 003 「不含交付機構協助上傳案件」): those count in the 醫檢所 group.
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set groups = [('wm', "'WM_CLINIC'"), ('lab', "'LAB'"), ('total', "'WM_CLINIC', 'LAB'")] %}

with rates as (

    select * from {{ ref('lab_upload_rate') }}
    where category_code = 'ALL'
        and provider_group in ('WM_CLINIC', 'LAB')

),

pivoted as (

    select
        fee_ym,
        area_no_h,
        max(region_zh) as region_zh,
        max(fee_quarter) as fee_quarter,
        max(roc_quarter) as roc_quarter,
        max(as_of_date) as as_of_date,
        min(case when is_month_complete then 1 else 0 end) = 1 as is_month_complete,
        {%- for prefix, group_values in groups %}
        sum(case when provider_group in ({{ group_values }}) then uploading_institutions else 0 end)
            as {{ prefix }}_uploading_institutions,
        sum(case when provider_group in ({{ group_values }}) then institutions_should_upload else 0 end)
            as {{ prefix }}_institutions_should_upload,
        sum(case when provider_group in ({{ group_values }}) then uploaded_orders else 0 end)
            as {{ prefix }}_uploaded_orders,
        sum(case when provider_group in ({{ group_values }}) then responsible_orders else 0 end)
            as {{ prefix }}_responsible_orders{% if not loop.last %},{% endif %}
        {%- endfor %}
    from rates
    group by fee_ym, area_no_h

),

rated as (

    select
        pivoted.*,
        cast(cast(pivoted.fee_ym as integer) - 100 as {{ dbt.type_string() }}) as prev_year_fee_ym,
        {%- for prefix, group_values in groups %}
        case
            when {{ prefix }}_institutions_should_upload > 0
                then {{ prefix }}_uploading_institutions / cast({{ prefix }}_institutions_should_upload as double)
        end as {{ prefix }}_institution_upload_share,
        case
            when {{ prefix }}_responsible_orders > 0
                then {{ prefix }}_uploaded_orders / cast({{ prefix }}_responsible_orders as double)
        end as {{ prefix }}_upload_rate{% if not loop.last %},{% endif %}
        {%- endfor %}
    from pivoted

),

final as (

    select
        cast(rated.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(rated.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(rated.roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(rated.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(rated.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(rated.prev_year_fee_ym as {{ dbt.type_string() }}) as prev_year_fee_ym,
        {%- for prefix, group_values in groups %}
        {%- for measure in ['uploading_institutions', 'institutions_should_upload', 'uploaded_orders', 'responsible_orders'] %}
        cast(rated.{{ prefix }}_{{ measure }} as {{ dbt.type_bigint() }}) as {{ prefix }}_{{ measure }},
        {%- endfor %}
        cast(rated.{{ prefix }}_institution_upload_share as double) as {{ prefix }}_institution_upload_share,
        cast(rated.{{ prefix }}_upload_rate as double) as {{ prefix }}_upload_rate,
        cast(rated.{{ prefix }}_uploading_institutions - prev.{{ prefix }}_uploading_institutions as {{ dbt.type_bigint() }})
            as {{ prefix }}_uploading_institutions_increase,
        cast(rated.{{ prefix }}_uploaded_orders - prev.{{ prefix }}_uploaded_orders as {{ dbt.type_bigint() }})
            as {{ prefix }}_uploaded_orders_increase,
        cast(rated.{{ prefix }}_institution_upload_share - prev.{{ prefix }}_institution_upload_share as double)
            as {{ prefix }}_institution_upload_share_diff,
        cast(rated.{{ prefix }}_upload_rate - prev.{{ prefix }}_upload_rate as double) as {{ prefix }}_upload_rate_diff,
        {%- endfor %}
        cast(rated.as_of_date as date) as as_of_date,
        cast(rated.is_month_complete as boolean) as is_month_complete
    from rated
    left join rated as prev
        on rated.prev_year_fee_ym = prev.fee_ym
            and rated.area_no_h = prev.area_no_h

)

select * from final
