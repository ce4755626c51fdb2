-- Invariants of the rate marts: re-executions never exceed executions, same- plus
-- other-institution re-executions equal re-executions, and the rate is their quotient.

with by_item as (

    select
        'reexam_rate_by_item' as mart,
        period,
        area_no_h,
        merged_item as grouping_key,
        executions,
        reexecutions,
        same_inst_reexecutions,
        cross_inst_reexecutions,
        reexec_rate
    from {{ ref('reexam_rate_by_item') }}

),

by_category as (

    select
        'reexam_rate_by_category' as mart,
        period,
        area_no_h,
        category_no as grouping_key,
        executions,
        reexecutions,
        same_inst_reexecutions,
        cross_inst_reexecutions,
        reexec_rate
    from {{ ref('reexam_rate_by_category') }}

),

combined as (

    select * from by_item
    union all
    select * from by_category

)

select *
from combined
where executions <= 0
    or reexecutions < 0
    or reexecutions > executions
    or same_inst_reexecutions + cross_inst_reexecutions <> reexecutions
    or abs(reexec_rate - reexecutions / cast(executions as double)) > 1e-12
