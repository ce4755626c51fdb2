-- No referral silently disappears: every valid staged referral is classified, and every
-- referral issued by the as-of date is in the ALL rows of referral_reply_rate, either in
-- `referrals` (included) or in `excluded_referrals`.

with staged as (

    select count(*) as n from {{ ref('stg_nhird__referral') }}

),

classified as (

    select
        count(*) as n,
        sum(case when is_issued_by_as_of then 1 else 0 end) as n_in_scope
    from {{ ref('int_referrals_classified') }}

),

in_mart as (

    select coalesce(sum(referrals + excluded_referrals), 0) as n
    from {{ ref('referral_reply_rate') }}
    where area_no_h = 'ALL'

)

select
    staged.n as staged_referrals,
    classified.n as classified_referrals,
    classified.n_in_scope as referrals_in_scope,
    in_mart.n as referrals_in_mart
from staged
cross join classified
cross join in_mart
where staged.n <> classified.n
    or coalesce(classified.n_in_scope, 0) <> in_mart.n
