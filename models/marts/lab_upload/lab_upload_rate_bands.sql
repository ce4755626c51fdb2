-- 上傳率級距 institutions by upload-rate band (source 003 slides 16 and 18: per level, the
-- institutions with an upload rate ≥ 90 %, 50–90 %, 0–50 % and = 0 %, for 檢驗(查) and for 影像):
-- per fee month, region ('ALL' too), provider group ('ALL' too), item group ('LAB' 檢驗(查),
-- 'IMAGE' 醫療檢查影像, 'ALL') and band (seed upload_rate_bands), the institutions whose rate for
-- the month falls in the band and their share of the institutions that should upload. An
-- institution's rate is its responsible rate (source 003 「不含交付機構協助上傳案件」). Every band
-- has a row in every cell that has institutions (zero when none in the band).

with institution_months as (

    select * from {{ ref('int_lab_upload_institution_months') }}
    where category_level in ('item_group', 'all')
        and responsible_orders > 0

),

bands as (

    select * from {{ ref('upload_rate_bands') }}

),

banded as (

    select
        institution_months.fee_ym,
        institution_months.area_no_h,
        institution_months.provider_group,
        institution_months.category_code as item_group,
        bands.band_code
    from institution_months
    inner join bands
        on (
            institution_months.uploaded_orders / cast(institution_months.responsible_orders as double) > bands.min_rate
            or (bands.min_inclusive and institution_months.uploaded_orders / cast(institution_months.responsible_orders as double) = bands.min_rate)
        )
        and (
            institution_months.uploaded_orders / cast(institution_months.responsible_orders as double) < bands.max_rate
            or (bands.max_inclusive and institution_months.uploaded_orders / cast(institution_months.responsible_orders as double) = bands.max_rate)
        )

),

rollup_flags as (

    select false as is_all
    union all
    select true as is_all

),

counted as (

    select
        banded.fee_ym,
        case when area_flags.is_all then 'ALL' else banded.area_no_h end as area_no_h,
        case when group_flags.is_all then 'ALL' else banded.provider_group end as provider_group,
        banded.item_group,
        banded.band_code,
        count(*) as institutions
    from banded
    cross join rollup_flags as area_flags
    cross join rollup_flags as group_flags
    group by
        banded.fee_ym,
        case when area_flags.is_all then 'ALL' else banded.area_no_h end,
        case when group_flags.is_all then 'ALL' else banded.provider_group end,
        banded.item_group,
        banded.band_code

),

cell_totals as (

    select
        fee_ym,
        area_no_h,
        provider_group,
        item_group,
        sum(institutions) as institutions_should_upload
    from counted
    group by fee_ym, area_no_h, provider_group, item_group

),

final as (

    select
        cast(cell_totals.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast({{ fee_quarter('cell_totals.fee_ym') }} as {{ dbt.type_string() }}) as fee_quarter,
        cast({{ roc_quarter('cell_totals.fee_ym') }} as {{ dbt.type_string() }}) as roc_quarter,
        cast(cell_totals.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(cell_totals.provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(cell_totals.item_group as {{ dbt.type_string() }}) as item_group,
        cast(bands.band_code as {{ dbt.type_string() }}) as band_code,
        cast(bands.band_zh as {{ dbt.type_string() }}) as band_zh,
        cast(bands.display_order as integer) as band_order,
        cast(coalesce(counted.institutions, 0) as {{ dbt.type_bigint() }}) as institutions,
        cast(cell_totals.institutions_should_upload as {{ dbt.type_bigint() }}) as institutions_should_upload,
        cast(coalesce(counted.institutions, 0) / cast(cell_totals.institutions_should_upload as double) as double)
            as institution_share
    from cell_totals
    cross join bands
    left join counted
        on cell_totals.fee_ym = counted.fee_ym
            and cell_totals.area_no_h = counted.area_no_h
            and cell_totals.provider_group = counted.provider_group
            and cell_totals.item_group = counted.item_group
            and bands.band_code = counted.band_code

)

select * from final
