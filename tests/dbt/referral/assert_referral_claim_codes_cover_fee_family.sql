-- Every referral fee code of fee_schedule_items (family REFERRAL) has a claiming party in the
-- seed referral_claim_codes, so no claimed line is left unmatchable by a missing mapping.

select distinct fee_schedule_items.order_code
from {{ ref('fee_schedule_items') }} as fee_schedule_items
left join {{ ref('referral_claim_codes') }} as referral_claim_codes
    on fee_schedule_items.order_code = referral_claim_codes.order_code
where fee_schedule_items.item_family = 'REFERRAL'
    and referral_claim_codes.order_code is null
