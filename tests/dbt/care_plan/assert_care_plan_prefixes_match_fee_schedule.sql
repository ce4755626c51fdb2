-- The care-plan numerator is defined by order-code prefix (care_plan_definitions.
-- order_code_prefix; the shared order scan int_outpatient_orders_joined keeps every code that
-- starts with one). Fails when two prefixes overlap (one starts with the other: a code would be
-- scanned twice and counted for two plans), or when a CARE_PLAN code of a plan in the fee seed
-- fee_schedule_items does not start with the plan's prefix (the listed code would miss its plan).

with definitions as (

    select * from {{ ref('care_plan_definitions') }}

),

care_plan_items as (

    select * from {{ ref('fee_schedule_items') }}
    where item_family = 'CARE_PLAN'

),

overlapping_prefixes as (

    select
        longer.plan,
        cast(null as {{ dbt.type_string() }}) as order_code,
        concat('prefix ', longer.order_code_prefix, ' starts with the prefix of plan ', shorter.plan) as problem
    from definitions as longer
    inner join definitions as shorter
        on longer.plan <> shorter.plan
            and substr(longer.order_code_prefix, 1, length(shorter.order_code_prefix)) = shorter.order_code_prefix

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
        <> definitions.order_code_prefix

)

select * from overlapping_prefixes
union all
select * from codes_off_prefix
