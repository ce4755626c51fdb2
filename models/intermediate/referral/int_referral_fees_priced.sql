-- Referral fees (轉診費) earned per referral and party, priced with the effective-dated fee
-- schedule (seed fee_schedule_items). Which fee a party earns for a direction is the seed
-- referral_fee_roles: the issuer of an 上轉 (01036C) or 下轉 (01034B), the receiver of either
-- (01038C; 接受下轉 from 2025-09-01). 平轉 and other referrals earn nothing.
-- A fee is earned (assumed default) when the referral is included (known institutions, not a
-- TCM/dental receiver) and the receiver saw the patient by the as-of date; the issuer's fee is
-- priced on the issue date, the receiver's on the date the patient was seen.
-- Points are null where the fee schedule publishes none (fee_status POINTS_NOT_PUBLISHED) or no
-- fee-schedule row is valid on the fee date (NO_FEE_SCHEDULE_ROW): never invented.

with referrals as (

    select * from {{ ref('int_referrals_classified') }}

),

fee_roles as (

    select * from {{ ref('referral_fee_roles') }}

),

fee_schedule as (

    select * from {{ ref('fee_schedule_items') }}

),

earning_referrals as (

    select *
    from referrals
    where is_included
        and is_issued_by_as_of
        and is_seen

),

fee_events as (

    select
        earning_referrals.referral_no,
        earning_referrals.direction,
        earning_referrals.fee_quarter,
        earning_referrals.roc_quarter,
        'ISSUER' as fee_party,
        earning_referrals.issue_hosp_id as hosp_id,
        earning_referrals.issue_date as fee_date
    from earning_referrals
    union all
    select
        earning_referrals.referral_no,
        earning_referrals.direction,
        earning_referrals.fee_quarter,
        earning_referrals.roc_quarter,
        'RECEIVER' as fee_party,
        earning_referrals.recv_hosp_id as hosp_id,
        earning_referrals.recv_date as fee_date
    from earning_referrals

),

roles_matched as (

    select
        fee_events.*,
        fee_roles.order_code,
        fee_roles.plan_or_direction,
        fee_roles.priority
    from fee_events
    inner join fee_roles
        on fee_events.fee_party = fee_roles.fee_party
            and fee_events.direction = fee_roles.direction

),

schedule_matched as (

    select
        roles_matched.*,
        fee_schedule.valid_from,
        fee_schedule.points,
        fee_schedule.is_assumed,
        case when fee_schedule.order_code is not null then roles_matched.priority end as matched_priority
    from roles_matched
    left join fee_schedule
        on roles_matched.order_code = fee_schedule.order_code
            and roles_matched.plan_or_direction = fee_schedule.plan_or_direction
            and fee_schedule.valid_from <= roles_matched.fee_date
            and (fee_schedule.valid_to is null or roles_matched.fee_date <= fee_schedule.valid_to)

),

ranked as (

    select
        *,
        row_number() over (
            partition by referral_no, fee_party
            order by case when matched_priority is null then 1 else 0 end, priority asc, valid_from desc
        ) as fee_rank
    from schedule_matched

),

chosen as (

    select * from ranked
    where fee_rank = 1

),

final as (

    select
        cast(referral_no as {{ dbt.type_string() }}) as referral_no,
        cast(fee_party as {{ dbt.type_string() }}) as fee_party,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(fee_date as date) as fee_date,
        cast(order_code as {{ dbt.type_string() }}) as order_code,
        cast(case when matched_priority is not null then plan_or_direction end as {{ dbt.type_string() }}) as plan_or_direction,
        cast(case when matched_priority is not null then valid_from end as date) as fee_valid_from,
        cast(points as integer) as fee_points,
        cast(is_assumed as boolean) as is_fee_assumed,
        cast(
            case
                when matched_priority is null then 'NO_FEE_SCHEDULE_ROW'
                when points is null then 'POINTS_NOT_PUBLISHED'
                else 'PRICED'
            end as {{ dbt.type_string() }}
        ) as fee_status
    from chosen

)

select * from final
