{{ config(severity='warn') }}

-- A special-budget ORDER_CODE / ORDER_CODE_PREFIX rule in force during the extract's fee months
-- only sees order lines kept by int_outpatient_orders_joined, i.e. codes listed in the reference
-- seeds fee_schedule_items, reexam_item_map or upload_items: a rule matching none of them cannot
-- take anything out (add its codes to a list).

with listed_codes as (

    {{ mart_order_codes() }}

),

fee_months as (

    select
        min(fee_month_start) as first_month,
        max(fee_month_start) as last_month
    from {{ ref('int_general_service_points_aggregated') }}

),

rules as (

    select rules.*
    from {{ ref('point_value_special_budget_rules') }} as rules
    cross join fee_months
    where rules.rule_kind in ('ORDER_CODE_PREFIX', 'ORDER_CODE')
        and rules.valid_from <= fee_months.last_month
        and (rules.valid_to is null or rules.valid_to >= fee_months.first_month)

),

matched as (

    select
        rules.rule_id,
        count(listed_codes.order_code) as codes
    from rules
    left join listed_codes
        on {{ pv_order_code_matches('rules', 'listed_codes.order_code') }}
    group by rules.rule_id

)

select rule_id
from matched
where codes = 0
