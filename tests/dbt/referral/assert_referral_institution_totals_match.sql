-- referral_institution accounts for every referral issued by the as-of date twice: once on
-- the issuer's row and once on the receiver's; and its fee events equal the priced fee rows.

with institution as (

    select
        coalesce(sum(issued_up + issued_down_district + issued_down_clinic + issued_other + issued_excluded), 0) as issued,
        coalesce(sum(received_up + received_down_district + received_down_clinic + received_other + received_excluded), 0) as received,
        coalesce(sum(issue_fee_events + receive_fee_events), 0) as fee_events
    from {{ ref('referral_institution') }}

),

referrals as (

    select count(*) as n
    from {{ ref('int_referrals_classified') }}
    where is_issued_by_as_of

),

fees as (

    select count(*) as n from {{ ref('int_referral_fees_priced') }}

)

select
    institution.issued,
    institution.received,
    referrals.n as referrals_in_scope,
    institution.fee_events,
    fees.n as fee_rows
from institution
cross join referrals
cross join fees
where institution.issued <> referrals.n
    or institution.received <> referrals.n
    or institution.fee_events <> fees.n
