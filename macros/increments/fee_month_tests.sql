{#-
    Data tests that scale with the change (docs/incremental.md). dbt applies a test's `where`
    config through get_where_subquery; this project's version adds one condition: in a
    `dbt build` on DuckDB that is not a full refresh, a data test of a fee-month model
    (meta.fee_month, docs/incremental.md) looks only at the fee months this invocation rebuilt.
    A view over a fee-month model names it as meta.fee_month.tests_follow (stg_nhird__oo:
    base_nhird__oo, built before it): its tests look at the months that model rebuilt (a changed
    view is tested in full by `dbt test`, as CI does). Every other test, `dbt test`, a full
    refresh and other adapters see every row, as dbt's own macro does.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set rebuilt = fee_months_rebuilt_condition(relation) -%}
    {%- if rebuilt -%}
        {%- do conditions.append(rebuilt) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- SQL condition: the row's fee month was rebuilt by this invocation; '' when the relation is not
    a fee-month model or the whole table is to be tested. -#}
{% macro fee_months_rebuilt_condition(relation) -%}
    {%- if not execute or target.type != 'duckdb' or flags.WHICH != 'build' or flags.FULL_REFRESH -%}
        {{ return('') }}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.schema == relation.schema
        and (node.alias or node.name) == relation.identifier -%}
        {%- set spec = (node.config.meta or {}).get('fee_month') -%}
        {%- if spec -%}
            {{ return(
                'coalesce(' ~ spec.get('column', 'fee_ym') ~ ", '') in (select fee_ym_key from raw_state.model_fee_months "
                ~ "where model_name = '" ~ spec.get('tests_follow', node.name) ~ "' and invocation_id = '" ~ invocation_id ~ "')"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
