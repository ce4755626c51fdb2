-- Quarantine of referral records (referral): rows that broke a contract rule.

with rejected as (

    {{ quarantine_rows('base_nhird__referral', 'referral', ['referral_no']) }}

)

select * from rejected
