-- 院所轉診統計 counts: per institution and quarter of issue, the referrals it issued and received
-- by direction (excluded referrals apart, replies over the published directions 上轉/下轉 only)
-- and its referral fee events (priced and unpriced). Read by referral_institution, which adds
-- the institution and the rates.

with referrals as (

    select * from {{ ref('int_referrals_classified') }}

),

fees as (

    select * from {{ ref('int_referral_fees_priced') }}

),

directions as (

    select * from {{ ref('referral_directions') }}

),

in_scope as (

    select
        referrals.*,
        directions.is_published_rate
    from referrals
    inner join directions
        on referrals.direction = directions.direction
    where referrals.is_issued_by_as_of

),

issued as (

    select
        issue_hosp_id as hosp_id,
        fee_quarter,
        roc_quarter,
        sum(case when is_included and direction = 'UP' then 1 else 0 end) as issued_up,
        sum(case when is_included and direction = 'DOWN_DISTRICT' then 1 else 0 end) as issued_down_district,
        sum(case when is_included and direction = 'DOWN_CLINIC' then 1 else 0 end) as issued_down_clinic,
        sum(case when is_included and direction = 'OTHER' then 1 else 0 end) as issued_other,
        sum(case when is_included then 0 else 1 end) as issued_excluded,
        sum(case when is_included and is_published_rate and is_replied then 1 else 0 end) as issued_replied
    from in_scope
    group by issue_hosp_id, fee_quarter, roc_quarter

),

received as (

    select
        recv_hosp_id as hosp_id,
        fee_quarter,
        roc_quarter,
        sum(case when is_included and direction = 'UP' then 1 else 0 end) as received_up,
        sum(case when is_included and direction = 'DOWN_DISTRICT' then 1 else 0 end) as received_down_district,
        sum(case when is_included and direction = 'DOWN_CLINIC' then 1 else 0 end) as received_down_clinic,
        sum(case when is_included and direction = 'OTHER' then 1 else 0 end) as received_other,
        sum(case when is_included then 0 else 1 end) as received_excluded,
        sum(case when is_included and is_published_rate then 1 else 0 end) as received_published,
        sum(case when is_included and is_published_rate and is_replied then 1 else 0 end) as received_replied,
        sum(case when is_included and is_published_rate and is_timely_reply then 1 else 0 end) as received_timely_replied
    from in_scope
    group by recv_hosp_id, fee_quarter, roc_quarter

),

fees_aggregated as (

    select
        hosp_id,
        fee_quarter,
        sum(case when fee_party = 'ISSUER' then 1 else 0 end) as issue_fee_events,
        sum(case when fee_party = 'ISSUER' then fee_points else 0 end) as issue_fee_points_known,
        sum(case when fee_party = 'ISSUER' and fee_points is null then 1 else 0 end) as issue_fee_events_unpriced,
        sum(case when fee_party = 'RECEIVER' then 1 else 0 end) as receive_fee_events,
        sum(case when fee_party = 'RECEIVER' then fee_points else 0 end) as receive_fee_points_known,
        sum(case when fee_party = 'RECEIVER' and fee_points is null then 1 else 0 end) as receive_fee_events_unpriced
    from fees
    group by hosp_id, fee_quarter

),

keys as (

    select
        hosp_id,
        fee_quarter,
        roc_quarter
    from issued
    union
    select
        hosp_id,
        fee_quarter,
        roc_quarter
    from received

),

counted as (

    select
        keys.hosp_id,
        keys.fee_quarter,
        keys.roc_quarter,
        coalesce(issued.issued_up, 0) as issued_up,
        coalesce(issued.issued_down_district, 0) as issued_down_district,
        coalesce(issued.issued_down_clinic, 0) as issued_down_clinic,
        coalesce(issued.issued_other, 0) as issued_other,
        coalesce(issued.issued_excluded, 0) as issued_excluded,
        coalesce(issued.issued_replied, 0) as issued_replied,
        coalesce(received.received_up, 0) as received_up,
        coalesce(received.received_down_district, 0) as received_down_district,
        coalesce(received.received_down_clinic, 0) as received_down_clinic,
        coalesce(received.received_other, 0) as received_other,
        coalesce(received.received_excluded, 0) as received_excluded,
        coalesce(received.received_published, 0) as received_published,
        coalesce(received.received_replied, 0) as received_replied,
        coalesce(received.received_timely_replied, 0) as received_timely_replied,
        coalesce(fees_aggregated.issue_fee_events, 0) as issue_fee_events,
        coalesce(fees_aggregated.issue_fee_points_known, 0) as issue_fee_points_known,
        coalesce(fees_aggregated.issue_fee_events_unpriced, 0) as issue_fee_events_unpriced,
        coalesce(fees_aggregated.receive_fee_events, 0) as receive_fee_events,
        coalesce(fees_aggregated.receive_fee_points_known, 0) as receive_fee_points_known,
        coalesce(fees_aggregated.receive_fee_events_unpriced, 0) as receive_fee_events_unpriced
    from keys
    left join issued
        on keys.hosp_id = issued.hosp_id
            and keys.fee_quarter = issued.fee_quarter
    left join received
        on keys.hosp_id = received.hosp_id
            and keys.fee_quarter = received.fee_quarter
    left join fees_aggregated
        on keys.hosp_id = fees_aggregated.hosp_id
            and keys.fee_quarter = fees_aggregated.fee_quarter

)

select * from counted
