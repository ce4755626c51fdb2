-- Order lines of the 20-category important examinations 20類重要檢查(驗) (domain spec §4) with
-- their merged item 歸併醫令 and the scope status that decides whether they are executions the
-- marts count.
--
-- One row per outpatient order line of a code in seed reexam_item_map (any validity).
-- Scope as published (source 000 slide 4-1 note 2: 「排除代辦、急診，西醫診所(不含交付)」), the
-- first reason that applies:
--   missing_patient_or_date   no patient or no execution date (cannot be looked back at)
--   no_valid_mapping          no reexam_item_map row valid on the execution date
--   delivered_institution     claimed by a 交付機構 (laboratory or pharmacy: int_institutions_grouped)
--   out_of_scope_sector       sector not WM_PRIMARY 西醫基層 (HOSPITAL too with var
--                             reexam_include_hospitals)
--   emergency_case / agency_case   case type listed in seed reexam_scope_exclusions (急診 / 代辦)
--   in_scope                  an execution
-- Sources over spec: domain spec §4 names no exclusions; the slide's 代辦 and 急診 exclusions are
-- applied here. Nothing is dropped: marts.reexam_scope_summary counts every status.
-- On DuckDB built by fee month: a run recomputes the fee months whose order lines changed; a
-- changed item map, exclusion list, institution table or var reexam_include_hospitals rebuilds
-- every month (docs/incremental.md).

{{ fee_month_model(
    inputs=['int_outpatient_orders_joined'],
    joined=['int_institutions_grouped'],
    vars=['reexam_include_hospitals'],
) }}

{%- set include_hospitals = var('reexam_include_hospitals', false) | string | lower in ['true', '1', 'yes'] %}
{%- set sectors_in_scope = ['WM_PRIMARY', 'HOSPITAL'] if include_hospitals else ['WM_PRIMARY'] %}

with orders as (

    select joined.* from {{ ref('int_outpatient_orders_joined') }} as joined
    where true
    {{ fee_month_filter('joined.fee_ym') }}

),

item_map as (

    select * from {{ ref('reexam_item_map') }}

),

exclusions as (

    select * from {{ ref('reexam_scope_exclusions') }}

),

institutions as (

    select * from {{ ref('int_institutions_grouped') }}

),

reexam_codes as (

    select distinct order_code from item_map

),

reexam_orders as (

    select orders.*
    from orders
    inner join reexam_codes
        on orders.order_code = reexam_codes.order_code

),

mapped as (

    select
        reexam_orders.*,
        item_map.merged_item,
        item_map.merged_item_zh,
        item_map.category_no,
        item_map.interval_days,
        item_map.is_control_10,
        item_map.is_focus_30
    from reexam_orders
    left join item_map
        on reexam_orders.order_code = item_map.order_code
            and reexam_orders.execution_date >= item_map.valid_from
            and (item_map.valid_to is null or reexam_orders.execution_date <= item_map.valid_to)

),

scoped as (

    select
        mapped.*,
        case
            when mapped.patient_key is null or mapped.execution_date is null
                then 'missing_patient_or_date'
            when mapped.merged_item is null
                then 'no_valid_mapping'
            when institutions.is_delivery_institution
                then 'delivered_institution'
            when mapped.sector is null or mapped.sector not in (
                    {%- for sector in sectors_in_scope %}'{{ sector }}'{% if not loop.last %}, {% endif %}{% endfor -%}
                )
                then 'out_of_scope_sector'
            when exclusions.exclusion_reason is not null
                then exclusions.exclusion_reason
            else 'in_scope'
        end as scope_status
    from mapped
    left join institutions
        on mapped.hosp_id = institutions.hosp_id
    left join exclusions
        on mapped.case_type = exclusions.case_type

),

final as (

    select
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(appl_type as {{ dbt.type_string() }}) as appl_type,
        cast(case_type as {{ dbt.type_string() }}) as case_type,
        cast(seq_no as integer) as seq_no,
        cast(order_seq_no as integer) as order_seq_no,
        cast(order_code as {{ dbt.type_string() }}) as order_code,
        cast(order_qty as decimal(9, 2)) as order_qty,
        cast(order_dot as {{ dbt.type_bigint() }}) as order_dot,
        cast(execution_date as date) as execution_date,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(merged_item as {{ dbt.type_string() }}) as merged_item,
        cast(merged_item_zh as {{ dbt.type_string() }}) as merged_item_zh,
        cast(category_no as {{ dbt.type_string() }}) as category_no,
        cast(interval_days as integer) as interval_days,
        cast(is_control_10 as boolean) as is_control_10,
        cast(is_focus_30 as boolean) as is_focus_30,
        cast(scope_status as {{ dbt.type_string() }}) as scope_status,
        cast(scope_status = 'in_scope' as boolean) as is_in_scope
    from scoped

)

select * from final
