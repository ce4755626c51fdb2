-- 縣市別 3日內上傳情形 (source 000 slide 8-2: 高屏各縣市西基診所): per fee month, region, county
-- 縣市 (hosb COUNTY; 'ALL' = the region's 合計) and provider group ('ALL' = every group): the
-- uploading institutions 上傳院所 and lines 上傳醫令數, the institutions and lines that should be
-- uploaded 申報院所 / 申報醫令數 (responsible: a clinic's own claims without those a laboratory
-- uploaded for it, source 003), 院所率 and 上傳率, and the change against the same month one year
-- earlier (增加量 for counts, difference for rates). Only counties with institutions that should
-- upload in the month; an institution without a county is under 'UNKNOWN'.

with institution_months as (

    select * from {{ ref('int_lab_upload_institution_months') }}
    where category_level = 'all'

),

regions as (

    select * from {{ ref('regions') }}

),

labelled as (

    select
        institution_months.*,
        coalesce(nullif(institution_months.county, ''), 'UNKNOWN') as county_label
    from institution_months

),

rollup_flags as (

    select false as is_all
    union all
    select true as is_all

),

counted as (

    select
        labelled.fee_ym,
        labelled.area_no_h,
        case when county_flags.is_all then 'ALL' else labelled.county_label end as county,
        case when group_flags.is_all then 'ALL' else labelled.provider_group end as provider_group,
        sum(case when labelled.has_timely_upload then 1 else 0 end) as uploading_institutions,
        sum(labelled.uploaded_orders) as uploaded_orders,
        sum(case when labelled.should_upload then 1 else 0 end) as institutions_should_upload,
        sum(labelled.responsible_orders) as responsible_orders
    from labelled
    cross join rollup_flags as county_flags
    cross join rollup_flags as group_flags
    group by
        labelled.fee_ym,
        labelled.area_no_h,
        case when county_flags.is_all then 'ALL' else labelled.county_label end,
        case when group_flags.is_all then 'ALL' else labelled.provider_group end

),

rated as (

    select
        counted.*,
        cast(cast(counted.fee_ym as integer) - 100 as {{ dbt.type_string() }}) as prev_year_fee_ym,
        case
            when counted.institutions_should_upload > 0
                then counted.uploading_institutions / cast(counted.institutions_should_upload as double)
        end as institution_upload_share,
        case
            when counted.responsible_orders > 0 then counted.uploaded_orders / cast(counted.responsible_orders as double)
        end as upload_rate
    from counted
    where counted.institutions_should_upload > 0

),

final as (

    select
        cast(rated.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast({{ fee_quarter('rated.fee_ym') }} as {{ dbt.type_string() }}) as fee_quarter,
        cast({{ roc_quarter('rated.fee_ym') }} as {{ dbt.type_string() }}) as roc_quarter,
        cast(rated.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(regions.region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(rated.county as {{ dbt.type_string() }}) as county,
        cast(rated.provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(rated.uploading_institutions as {{ dbt.type_bigint() }}) as uploading_institutions,
        cast(rated.uploaded_orders as {{ dbt.type_bigint() }}) as uploaded_orders,
        cast(rated.institutions_should_upload as {{ dbt.type_bigint() }}) as institutions_should_upload,
        cast(rated.responsible_orders as {{ dbt.type_bigint() }}) as responsible_orders,
        cast(rated.institution_upload_share as double) as institution_upload_share,
        cast(rated.upload_rate as double) as upload_rate,
        cast(rated.prev_year_fee_ym as {{ dbt.type_string() }}) as prev_year_fee_ym,
        cast(rated.uploading_institutions - prev.uploading_institutions as {{ dbt.type_bigint() }})
            as uploading_institutions_increase,
        cast(rated.uploaded_orders - prev.uploaded_orders as {{ dbt.type_bigint() }}) as uploaded_orders_increase,
        cast(rated.institutions_should_upload - prev.institutions_should_upload as {{ dbt.type_bigint() }})
            as institutions_should_upload_increase,
        cast(rated.responsible_orders - prev.responsible_orders as {{ dbt.type_bigint() }}) as responsible_orders_increase,
        cast(rated.institution_upload_share - prev.institution_upload_share as double) as institution_upload_share_diff,
        cast(rated.upload_rate - prev.upload_rate as double) as upload_rate_diff
    from rated
    left join rated as prev
        on rated.prev_year_fee_ym = prev.fee_ym
            and rated.area_no_h = prev.area_no_h
            and rated.county = prev.county
            and rated.provider_group = prev.provider_group
    left join regions
        on rated.area_no_h = regions.area_no_h

)

select * from final
