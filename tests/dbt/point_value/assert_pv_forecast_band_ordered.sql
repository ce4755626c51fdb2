-- Forecast bands are ordered: low <= central <= high for FPV and APV (tiny tolerance for
-- floating-point rounding), in the live forecast and every backtest replay.

select
    request_kind,
    fee_quarter,
    as_of_date,
    sector,
    area_no_h
from {{ ref('int_point_value_forecasts_banded') }}
where avg_pv_low > avg_pv + 1e-12
    or avg_pv > avg_pv_high + 1e-12
    or float_pv_low > float_pv + 1e-12
    or float_pv > float_pv_high + 1e-12
