-- 隔離資料摘要 What did the last delivery break? The quarantine rules with rejected rows, per raw
-- table, with the table's total and each rule's share of it. A clean delivery returns no rows.

with

quarantine as (
    select * from {{ ref('quarantine_summary') }}
),

per_table as (
    select
        table_name,
        sum(rejected_rows) as table_rejected_rows
    from quarantine
    group by table_name
),

final as (
    select
        quarantine.table_name,
        quarantine.rule_order,
        quarantine.rule_name,
        quarantine.rule_description,
        quarantine.rejected_rows,
        per_table.table_rejected_rows,
        round(100.0 * quarantine.rejected_rows / per_table.table_rejected_rows, 1) as share_of_table_pct
    from quarantine
    inner join per_table on quarantine.table_name = per_table.table_name
    where quarantine.rejected_rows > 0
)

select * from final
order by table_rejected_rows desc, table_name asc, rule_order asc
