-- The numerator only sees order codes listed in the reference seed fee_schedule_items
-- (int_outpatient_orders_joined). Every plan must have at least one CARE_PLAN code there
-- with its order_code_prefix, and every CARE_PLAN code of a plan must start with the
-- plan's prefix; otherwise the numerator silently misses codes.

with definitions as (

    select * from {{ ref('care_plan_definitions') }}

),

care_plan_items as (

    select * from {{ ref('fee_schedule_items') }}
    where item_family = 'CARE_PLAN'

),

plans_without_codes as (

    select
        definitions.plan,
        cast(null as {{ dbt.type_string() }}) as order_code,
        'no CARE_PLAN code with the prefix in fee_schedule_items' as problem
    from definitions
    left join care_plan_items
        on
            substr(care_plan_items.order_code, 1, length(definitions.order_code_prefix))
            = definitions.order_code_prefix
    where care_plan_items.order_code is null

),

codes_off_prefix as (

    select
        definitions.plan,
        care_plan_items.order_code,
        'CARE_PLAN code of the plan without the plan prefix' as problem
    from care_plan_items
    inner join definitions
        on care_plan_items.plan_or_direction = definitions.plan
    where
        substr(care_plan_items.order_code, 1, length(definitions.order_code_prefix))
        != definitions.order_code_prefix

)

select * from plans_without_codes
union all
select * from codes_off_prefix
