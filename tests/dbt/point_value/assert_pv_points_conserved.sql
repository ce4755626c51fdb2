-- Every classified claim's points reach the point-value aggregate, either as general-service
-- points or as special-budget points: totals of claims (general-service, 交付 and special-budget
-- claims) and T_DOT must match exactly.

with classified as (

    select
        count(*) as claims,
        sum(t_dot) as t_dot
    from {{ ref('int_outpatient_claims_classified') }}
    union all
    select
        count(*) as claims,
        sum(t_dot) as t_dot
    from {{ ref('int_inpatient_claims_classified') }}

),

classified_total as (

    select
        coalesce(sum(claims), 0) as claims,
        coalesce(sum(t_dot), 0) as t_dot
    from classified

),

aggregated_total as (

    select
        coalesce(sum(claims + delivered_claims + special_budget_claims), 0) as claims,
        coalesce(sum(points + special_budget_points), 0) as t_dot
    from {{ ref('int_general_service_points_aggregated') }}

)

select
    classified_total.claims as classified_claims,
    aggregated_total.claims as aggregated_claims,
    classified_total.t_dot as classified_t_dot,
    aggregated_total.t_dot as aggregated_t_dot
from classified_total
cross join aggregated_total
where classified_total.claims != aggregated_total.claims
    or classified_total.t_dot != aggregated_total.t_dot
