-- Per claim: points + special-budget points = T_DOT, 0 <= non-floating <= points,
-- floating = points - non-floating >= 0, 0 <= deducted <= points.

select
    setting,
    hosp_id,
    fee_ym,
    appl_type,
    case_type,
    seq_no
from {{ ref('int_general_service_claims_split') }}
where points + special_budget_points != t_dot
    or points < 0
    or nonfloat_points < 0
    or nonfloat_points > points
    or float_points != points - nonfloat_points
    or deducted_points < 0
    or deducted_points > points
