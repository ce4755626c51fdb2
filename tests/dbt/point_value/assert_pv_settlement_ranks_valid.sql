-- Settled quarters: region ranks run from 1 to the number of regions of the sector and quarter
-- and the region with rank 1 has the highest APV. The whole country and every PROVISIONAL row
-- have no rank and no point value (the status rule).

with settlement as (

    select * from {{ ref('point_value_settlement') }}

),

per_quarter as (

    select
        sector,
        fee_quarter,
        count(*) as regions,
        max(avg_pv) as best_avg_pv
    from settlement
    where area_no_h != 'ALL'
    group by sector, fee_quarter

)

select
    settlement.sector,
    settlement.area_no_h,
    settlement.fee_quarter,
    settlement.avg_pv_rank
from settlement
left join per_quarter
    on settlement.sector = per_quarter.sector
        and settlement.fee_quarter = per_quarter.fee_quarter
where (settlement.area_no_h = 'ALL' and settlement.avg_pv_rank is not null)
    or (settlement.status = 'PROVISIONAL' and (settlement.avg_pv_rank is not null or settlement.avg_pv is not null))
    or (
        settlement.area_no_h != 'ALL'
        and settlement.status = 'SETTLED'
        and (
            settlement.avg_pv_rank is null
            or settlement.avg_pv_rank < 1
            or settlement.avg_pv_rank > per_quarter.regions
            or (settlement.avg_pv_rank = 1 and settlement.avg_pv != per_quarter.best_avg_pv)
        )
    )
