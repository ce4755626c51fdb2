-- (1 + g_points) = (1 + g_patients)(1 + g_visits_per_patient)(1 + g_points_per_visit).

select
    sector,
    area_no_h,
    fee_quarter,
    points_growth,
    points_growth_decomposed
from {{ ref('price_volume') }}
where points_growth is not null
    and abs(points_growth - points_growth_decomposed) > 1e-9
