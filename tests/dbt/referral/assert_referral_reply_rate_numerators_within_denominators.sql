-- Every count of referral_reply_rate is within its denominator and every rate within [0, 1]:
-- replied, seen <= referrals; timely_replied <= replied; rates null only when referrals = 0.

select *
from {{ ref('referral_reply_rate') }}
where replied > referrals
    or seen > referrals
    or timely_replied > replied
    or referrals < 0
    or excluded_referrals < 0
    or reply_rate < 0 or reply_rate > 1
    or timely_reply_rate < 0 or timely_reply_rate > 1
    or seen_rate < 0 or seen_rate > 1
    or (referrals > 0 and (reply_rate is null or timely_reply_rate is null or seen_rate is null))
    or (referrals = 0 and (reply_rate is not null or timely_reply_rate is not null or seen_rate is not null))
    or (replied = 0 and median_days_to_reply is not null)
    or (replied > 0 and median_days_to_reply is null)
