-- Quarantine of referral records (referral): rows that broke a contract rule.

with checked as (

    select * from {{ ref('base_nhird__referral') }}

),

rejected as (

    {{ quarantine_rows('checked', 'referral', ['referral_no']) }}

)

select * from rejected
