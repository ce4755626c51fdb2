-- Completion factors are shares (0 <= factor <= 1), development factors of filed months are
-- positive, the emergence ratio and Mack's sigma² are not negative, and a projected month's
-- completion (observed / projected) is a share too (tiny tolerance for rounding).

with factors as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        month_offset
    from {{ ref('int_point_value_completion_factors') }}
    where completion_factor < 0
        or completion_factor > 1 + 1e-12
        or development_factor <= 0
        or emergence_ratio < 0
        or sigma_squared < 0

),

months as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        month_offset
    from {{ ref('int_point_value_months_projected') }}
    where completion_factor < 0
        or completion_factor > 1 + 1e-9
        or projected_variance < 0

)

select * from factors
union all
select * from months
