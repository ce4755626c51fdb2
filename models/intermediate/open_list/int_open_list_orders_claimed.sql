-- Outpatient order lines of open-list items (西醫基層開放表別, seed open_list_items) claimed while
-- the item was on the list (valid_from <= visit date <= valid_to), with the claim's sector, region
-- and fee period and the item's cohort (收載年度, the ROC year it was opened). Lines of every sector
-- are kept (hospitals claim these codes too); the open-list marts keep the western-medicine
-- clinics' (sector WM_PRIMARY). A listed code claimed outside its validity (before opening, or
-- 62020C after it became 62020B on 2022-09-01) is not an open-list line and is not here.
-- Reads the order lines of the seed's codes (int_outpatient_orders_listed.is_open_list_code).

with items as (

    select * from {{ ref('open_list_items') }}

),

orders as (

    select * from {{ ref('int_outpatient_orders_listed') }}
    where is_open_list_code

),

claims as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

joined as (

    select
        orders.hosp_id,
        orders.fee_ym,
        orders.appl_type,
        orders.case_type,
        orders.seq_no,
        orders.order_seq_no,
        orders.order_code,
        orders.order_qty,
        orders.order_dot,
        claims.visit_date,
        claims.fee_month_start,
        claims.fee_year,
        claims.fee_quarter,
        claims.roc_quarter,
        claims.area_no_h,
        claims.hosp_cont_type,
        claims.hosp_kind,
        claims.sector
    from orders
    inner join claims
        on orders.hosp_id = claims.hosp_id
            and orders.fee_ym = claims.fee_ym
            and orders.appl_type = claims.appl_type
            and orders.case_type = claims.case_type
            and orders.seq_no = claims.seq_no

),

listed as (

    select
        joined.*,
        items.roc_year_opened,
        items.item_no
    from joined
    inner join items
        on joined.order_code = items.order_code
            and joined.visit_date >= items.valid_from
            and (items.valid_to is null or joined.visit_date <= items.valid_to)

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
        cast(roc_year_opened as integer) as roc_year_opened,
        cast(item_no as integer) as item_no,
        cast(order_qty as decimal(9, 2)) as order_qty,
        cast(coalesce(order_dot, 0) as bigint) as order_dot,
        cast(visit_date as date) as visit_date,
        cast(fee_month_start as date) as fee_month_start,
        cast(fee_year as integer) as fee_year,
        cast(fee_year - 1911 as integer) as fee_roc_year,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(roc_quarter as {{ dbt.type_string() }}) as roc_quarter,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(hosp_kind as {{ dbt.type_string() }}) as hosp_kind,
        cast(sector as {{ dbt.type_string() }}) as sector
    from listed

)

select * from final
