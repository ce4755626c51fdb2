-- The whole-country row (area 'ALL') of each sector and quarter is the sum of its region rows.

with regions as (

    select
        sector,
        fee_quarter,
        sum(claims) as claims,
        sum(points) as points,
        sum(nonfloat_points) as nonfloat_points,
        sum(deducted_points) as deducted_points,
        sum(budget_amt) as budget_amt
    from {{ ref('point_value_settlement') }}
    where area_no_h != 'ALL'
    group by sector, fee_quarter

),

whole_country as (

    select * from {{ ref('point_value_settlement') }}
    where area_no_h = 'ALL'

)

select
    coalesce(regions.sector, whole_country.sector) as sector,
    coalesce(regions.fee_quarter, whole_country.fee_quarter) as fee_quarter
from regions
full outer join whole_country
    on regions.sector = whole_country.sector
        and regions.fee_quarter = whole_country.fee_quarter
where regions.sector is null
    or whole_country.sector is null
    or regions.claims != whole_country.claims
    or regions.points != whole_country.points
    or regions.nonfloat_points != whole_country.nonfloat_points
    or regions.deducted_points != whole_country.deducted_points
    or regions.budget_amt != whole_country.budget_amt
