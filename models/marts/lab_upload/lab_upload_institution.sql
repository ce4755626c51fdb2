-- 院所上傳率 Lab/imaging result upload per claiming institution and fee quarter (domain spec §7):
-- the institution's claimed order lines of listed codes, those uploaded within 72 h of the report
-- (within 24 h), late or never, its reward and unverified points, and the upload rate of its peers
-- (all institutions of the same region and contract type in the quarter, itself included).
-- Counts order lines whose visit is on or before the as-of date (int_lab_orders_matched).

{%- set complete_days = var('lab_upload_complete_days', 60) | int %}

with matched_orders as (

    select * from {{ ref('int_lab_orders_matched') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

in_scope as (

    select * from matched_orders
    where is_visit_by_as_of

),

by_institution as (

    select
        hosp_id,
        fee_quarter,
        max(roc_quarter) as roc_quarter,
        max(hosp_cont_type) as hosp_cont_type,
        max(area_no_h) as area_no_h,
        {{ lab_upload_counts() }}
    from in_scope
    group by hosp_id, fee_quarter

),

peers as (

    select
        fee_quarter,
        area_no_h,
        hosp_cont_type,
        count(*) as peer_institutions,
        sum(claimed_orders) as peer_claimed_orders,
        sum(uploaded_orders) as peer_uploaded_orders
    from by_institution
    group by fee_quarter, area_no_h, hosp_cont_type

),

as_of as (

    select max(as_of_date) as as_of_date from matched_orders

),

joined as (

    select
        by_institution.*,
        institutions.hosp_name,
        institutions.contract_type_zh,
        institutions.region_zh,
        peers.peer_institutions,
        peers.peer_claimed_orders,
        peers.peer_uploaded_orders,
        as_of.as_of_date,
        {{ fee_month_start(
            "concat(substr(by_institution.fee_quarter, 1, 4), case substr(by_institution.fee_quarter, 6, 1) when '1' then '01' when '2' then '04' when '3' then '07' else '10' end)"
        ) }} as quarter_start
    from by_institution
    left join institutions
        on by_institution.hosp_id = institutions.hosp_id
    left join peers
        on by_institution.fee_quarter = peers.fee_quarter
            and by_institution.area_no_h = peers.area_no_h
            and by_institution.hosp_cont_type = peers.hosp_cont_type
    cross join as_of

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(hosp_name as {{ dbt.type_string() }}) as hosp_name,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(contract_type_zh as {{ dbt.type_string() }}) as contract_type_zh,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(claimed_orders as {{ dbt.type_bigint() }}) as claimed_orders,
        cast(uploaded_orders as {{ dbt.type_bigint() }}) as uploaded_orders,
        cast(cast(uploaded_orders as double) / claimed_orders as double) as upload_rate,
        cast(timely_24h_orders as {{ dbt.type_bigint() }}) as timely_24h_orders,
        cast(late_uploaded_orders as {{ dbt.type_bigint() }}) as late_uploaded_orders,
        cast(not_uploaded_orders as {{ dbt.type_bigint() }}) as not_uploaded_orders,
        cast(uploaded_by_other_orders as {{ dbt.type_bigint() }}) as uploaded_by_other_orders,
        cast(claimed_points as {{ dbt.type_bigint() }}) as claimed_points,
        cast(unverified_points as {{ dbt.type_bigint() }}) as unverified_points,
        cast(reward_points as decimal(18, 2)) as reward_points,
        cast(peer_institutions as integer) as peer_institutions,
        cast(cast(peer_uploaded_orders as double) / peer_claimed_orders as double) as peer_upload_rate,
        cast(as_of_date as date) as as_of_date,
        cast(
            coalesce(as_of_date >= cast({{ add_days(dbt.dateadd('month', 3, 'quarter_start'), complete_days - 1) }} as date), false)
            as boolean
        ) as is_quarter_complete
    from joined

)

select * from final
