-- Completion factors are shares: 0 <= factor <= 1, and the history-quarter band satisfies
-- 0 < min <= max <= 1.

select
    request_kind,
    fee_quarter,
    as_of_date,
    sector,
    area_no_h,
    fee_ym
from {{ ref('int_point_value_months_projected') }}
where completion_factor < 0
    or completion_factor > 1 + 1e-12
    or quarter_completion_factor_min <= 0
    or quarter_completion_factor_min > quarter_completion_factor_max
    or quarter_completion_factor_max > 1 + 1e-12
