-- Rejected rows per raw table and contract rule (every rule listed, zero when clean).
-- A data test (severity warn) reports non-zero counts on every build.

with rules as (

    select * from {{ ref('quarantine_rules') }}

),

rejected as (

    {% for table_name in ['hosb', 'cd', 'oo', 'dd', 'lab_upload', 'referral', 'budget', 'pv_announced', 'hosp_prospective', 'prospective_region'] %}
        select
            table_name,
            rule_name
        from {{ ref('stg_nhird__' ~ table_name ~ '_rejected') }}
        union all
    {% endfor %}
    select
        table_name,
        rule_name
    from {{ ref('int_claims_quarantined') }}
    union all
    select
        table_name,
        rule_name
    from {{ ref('int_prospective_inputs_quarantined') }}

),

counted as (

    select
        table_name,
        rule_name,
        count(*) as rejected_rows
    from rejected
    group by table_name, rule_name

),

final as (

    select
        cast(rules.table_name as {{ dbt.type_string() }}) as table_name,
        cast(rules.rule_name as {{ dbt.type_string() }}) as rule_name,
        cast(rules.rule_order as integer) as rule_order,
        cast(rules.description as {{ dbt.type_string() }}) as rule_description,
        cast(coalesce(counted.rejected_rows, 0) as {{ dbt.type_bigint() }}) as rejected_rows
    from rules
    left join counted
        on rules.table_name = counted.table_name
            and rules.rule_name = counted.rule_name

)

select * from final
