-- 院所上傳率 Lab/imaging result upload per institution and fee quarter (domain spec §7; source 003):
-- the lines it claimed, those a 交付機構 uploaded on its behalf (delegated: not in its own rate,
-- 「不含交付機構協助上傳案件」), those it uploaded for others (assisted: a 醫檢所's work), the lines
-- it is responsible for and how many of them were uploaded in time (3日內, within 24 h), late or
-- never, its reward and unverified points, its upload-rate band (seed upload_rate_bands), and the
-- rate of its peers (the institutions of the same region and provider group in the quarter,
-- itself included). Institutions with no responsible line in the quarter (every claim uploaded by
-- a laboratory) are kept with a null rate.
-- SQLFluff cannot place the indentation of Jinja-generated lines (loops, conditionals,
-- multi-line macro calls), so its indentation rule is off for this file.
-- noqa: disable=LT02

{%- set complete_days = var('lab_upload_complete_days', 60) | int %}

with institution_months as (

    select * from {{ ref('int_lab_upload_institution_months') }}
    where category_level = 'all'

),

institutions as (

    select * from {{ ref('int_institutions_grouped') }}

),

as_of as (

    select * from {{ ref('int_lab_upload_as_of_determined') }}

),

bands as (

    select * from {{ ref('upload_rate_bands') }}

),

by_institution as (

    select
        hosp_id,
        fee_quarter,
        max(roc_quarter) as roc_quarter,
        min(fee_month_start) as first_month_start,
        max(area_no_h) as area_no_h,
        max(provider_group) as provider_group,
        {{ lab_upload_sums() }}
    from institution_months
    group by hosp_id, fee_quarter

),

rated as (

    select
        by_institution.*,
        case
            when by_institution.responsible_orders > 0
                then by_institution.uploaded_orders / cast(by_institution.responsible_orders as double)
        end as upload_rate
    from by_institution

),

peers as (

    select
        fee_quarter,
        area_no_h,
        provider_group,
        count(*) as peer_institutions,
        sum(responsible_orders) as peer_responsible_orders,
        sum(uploaded_orders) as peer_uploaded_orders
    from rated
    where responsible_orders > 0
    group by fee_quarter, area_no_h, provider_group

),

joined as (

    select
        rated.*,
        institutions.hosp_name,
        institutions.hosp_cont_type,
        institutions.region_zh,
        institutions.county,
        bands.band_code as upload_rate_band,
        peers.peer_institutions,
        peers.peer_responsible_orders,
        peers.peer_uploaded_orders,
        as_of.as_of_date,
        {{ quarter_start_date('rated.fee_quarter') }} as quarter_start
    from rated
    left join institutions
        on rated.hosp_id = institutions.hosp_id
    left join bands
        on (rated.upload_rate > bands.min_rate or (bands.min_inclusive and rated.upload_rate = bands.min_rate))
            and (rated.upload_rate < bands.max_rate or (bands.max_inclusive and rated.upload_rate = bands.max_rate))
    left join peers
        on rated.fee_quarter = peers.fee_quarter
            and rated.area_no_h = peers.area_no_h
            and rated.provider_group = peers.provider_group
    cross join as_of

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(hosp_name as {{ dbt.type_string() }}) as hosp_name,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(provider_group as {{ dbt.type_string() }}) as provider_group,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(county as {{ dbt.type_string() }}) as county,
        {%- for column in lab_upload_count_columns() %}
        {%- if column == 'reward_points' %}
        cast({{ column }} as decimal(18, 2)) as {{ column }},
        {%- else %}
        cast({{ column }} as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        cast(upload_rate as double) as upload_rate,
        cast(upload_rate_band as {{ dbt.type_string() }}) as upload_rate_band,
        cast(peer_institutions as integer) as peer_institutions,
        cast(peer_uploaded_orders / cast(peer_responsible_orders as double) as double) as peer_upload_rate,
        cast(as_of_date as date) as as_of_date,
        cast(
            coalesce(as_of_date >= cast({{ add_days(dbt.dateadd('month', 3, 'quarter_start'), complete_days - 1) }} as date), false)
            as boolean
        ) as is_quarter_complete
    from joined

)

select * from final
