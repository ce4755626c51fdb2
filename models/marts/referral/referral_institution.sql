-- 院所轉診統計 Referrals per institution and quarter of issue: issued and received by
-- direction, reply rate as a receiver and for its own issued referrals (published directions
-- 上轉/下轉 only), and the referral fees earned (effective-dated fee schedule; unpublished points
-- are counted, never invented). The counts come from int_referral_institution_quarters_counted;
-- institutions unknown to hosb appear with is_known_institution = false.

with counted as (

    select * from {{ ref('int_referral_institution_quarters_counted') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

joined as (

    select
        counted.*,
        institutions.hosp_id is not null as is_known_institution,
        institutions.hosp_cont_type,
        institutions.institution_level,
        institutions.hosp_kind,
        institutions.is_excluded_referral_receiver,
        institutions.area_no_h,
        institutions.region_zh
    from counted
    left join institutions
        on counted.hosp_id = institutions.hosp_id

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(is_known_institution as boolean) as is_known_institution,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(institution_level as integer) as institution_level,
        cast(hosp_kind as {{ dbt.type_string() }}) as hosp_kind,
        cast(is_excluded_referral_receiver as boolean) as is_excluded_referral_receiver,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(issued_up as {{ dbt.type_bigint() }}) as issued_up,
        cast(issued_down_district as {{ dbt.type_bigint() }}) as issued_down_district,
        cast(issued_down_clinic as {{ dbt.type_bigint() }}) as issued_down_clinic,
        cast(issued_other as {{ dbt.type_bigint() }}) as issued_other,
        cast(issued_excluded as {{ dbt.type_bigint() }}) as issued_excluded,
        cast(issued_replied as {{ dbt.type_bigint() }}) as issued_replied,
        cast(
            case
                when issued_up + issued_down_district + issued_down_clinic > 0
                    then cast(issued_replied as double) / (issued_up + issued_down_district + issued_down_clinic)
            end as double
        ) as issued_reply_rate,
        cast(received_up as {{ dbt.type_bigint() }}) as received_up,
        cast(received_down_district as {{ dbt.type_bigint() }}) as received_down_district,
        cast(received_down_clinic as {{ dbt.type_bigint() }}) as received_down_clinic,
        cast(received_other as {{ dbt.type_bigint() }}) as received_other,
        cast(received_excluded as {{ dbt.type_bigint() }}) as received_excluded,
        cast(received_replied as {{ dbt.type_bigint() }}) as received_replied,
        cast(
            case when received_published > 0 then cast(received_replied as double) / received_published end as double
        ) as received_reply_rate,
        cast(received_timely_replied as {{ dbt.type_bigint() }}) as received_timely_replied,
        cast(
            case when received_published > 0 then cast(received_timely_replied as double) / received_published end as double
        ) as received_timely_reply_rate,
        cast(issue_fee_events as {{ dbt.type_bigint() }}) as issue_fee_events,
        cast(issue_fee_points_known as {{ dbt.type_bigint() }}) as issue_fee_points_known,
        cast(issue_fee_events_unpriced as {{ dbt.type_bigint() }}) as issue_fee_events_unpriced,
        cast(receive_fee_events as {{ dbt.type_bigint() }}) as receive_fee_events,
        cast(receive_fee_points_known as {{ dbt.type_bigint() }}) as receive_fee_points_known,
        cast(receive_fee_events_unpriced as {{ dbt.type_bigint() }}) as receive_fee_events_unpriced,
        cast(
            case
                when issue_fee_events_unpriced + receive_fee_events_unpriced = 0
                    then issue_fee_points_known + receive_fee_points_known
            end as {{ dbt.type_bigint() }}
        ) as referral_fee_points,
        cast(issue_fee_events_unpriced + receive_fee_events_unpriced = 0 as boolean) as is_fee_points_complete
    from joined

)

select * from final
