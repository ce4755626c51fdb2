-- 轉診回復率 Referral reply rates of a region by direction for the latest complete quarter of
-- issue, beside the whole country (全區). Published directions first; OTHER (平轉等) is counted but
-- not published.
--
-- Vars: report_area (default '5' 高屏).

{% set report_area = var('report_area', '5') %}

with

reply_rate as (
    select * from {{ ref('referral_reply_rate') }}
),

latest_quarter as (
    select max(fee_quarter) as fee_quarter
    from reply_rate
    where is_quarter_complete
),

in_quarter as (
    select reply_rate.*
    from reply_rate
    inner join latest_quarter on reply_rate.fee_quarter = latest_quarter.fee_quarter
),

country as (
    select
        direction,
        reply_rate as country_reply_rate,
        timely_reply_rate as country_timely_reply_rate
    from in_quarter
    where area_no_h = 'ALL'
),

final as (
    select
        in_quarter.roc_quarter,
        in_quarter.region_zh,
        in_quarter.direction_zh,
        in_quarter.is_published_rate,
        in_quarter.referrals,
        in_quarter.replied,
        round(100 * in_quarter.reply_rate, 2) as reply_rate_pct,
        round(100 * country.country_reply_rate, 2) as country_reply_rate_pct,
        round(100 * (in_quarter.reply_rate - country.country_reply_rate), 2) as diff_country_pp,
        round(100 * in_quarter.timely_reply_rate, 2) as timely_reply_rate_pct,
        round(100 * country.country_timely_reply_rate, 2) as country_timely_reply_rate_pct,
        in_quarter.median_days_to_reply
    from in_quarter
    left join country on in_quarter.direction = country.direction
    where in_quarter.area_no_h = '{{ report_area }}'
)

select * from final
order by is_published_rate desc, direction_zh asc
