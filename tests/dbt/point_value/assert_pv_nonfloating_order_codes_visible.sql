{{ config(severity='warn') }}

-- A non-floating ORDER_CODE rule or protected item only sees order lines kept by int_outpatient_orders_joined,
-- i.e. codes listed in the reference seeds fee_schedule_items, reexam_item_map or upload_items.

with listed_codes as (

    select order_code from {{ ref('fee_schedule_items') }}
    union
    select order_code from {{ ref('reexam_item_map') }}
    union
    select order_code from {{ ref('upload_items') }}

)

select
    rules.rule_id,
    rules.match_value
from {{ ref('int_nonfloating_rules_unioned') }} as rules
left join listed_codes
    on rules.match_value = listed_codes.order_code
where rules.rule_kind = 'ORDER_CODE'
    and listed_codes.order_code is null
