{#-
    The build record: evidence, inside the warehouse file itself, of what the last dbt invocation
    did to it. `nhi publish` (src/nhi_warehouse/publish.py) reads it and refuses a warehouse whose
    last invocation did not finish, did not succeed, was not a whole-project `dbt build`, or whose
    published tables changed since the build recorded them.

    Table build_log.invocations, append-only, two rows per recorded invocation:
      * event 'started'  - written by the on-run-start hook record_build_start, before any model
        runs: a build killed later (SIGKILL, out of memory, power loss) leaves a started row with
        no finished row, and the warehouse is known to be half-built.
      * event 'finished' - written by the on-run-end hook record_build_end: status ('success' when
        every result is success / pass / warn / no-op, else 'failed'), result counts per status, the
        first failing nodes, and the fingerprint of every table in the published schemas (rows and
        a sum of row hashes per table) taken after the last model was built.
    Recorded commands: those that run nodes against the warehouse (build, run, seed, snapshot, test,
    retry, clone); compile, docs generate, show and list are not.

    DuckDB only (publishing is DuckDB only); on Spark the hooks do nothing.
-#}

{% macro build_log_schema() -%}
    {{ return('build_log') }}
{%- endmacro %}

{#- Commands whose invocation is recorded. -#}
{% macro build_record_commands() -%}
    {{ return(['build', 'run', 'seed', 'snapshot', 'test', 'retry', 'clone']) }}
{%- endmacro %}

{#- The schemas nhi publish copies (keep equal to PUBLISHED_SCHEMAS in publish.py). -#}
{% macro published_schemas() -%}
    {{ return(['marts', 'reference']) }}
{%- endmacro %}

{% macro _build_record_enabled() -%}
    {{ return(execute and target.type == 'duckdb' and flags.WHICH in build_record_commands()) }}
{%- endmacro %}

{% macro _sql_text(value) -%}
    {{ return("'" ~ (value | string) | replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro _utc_now() -%}
    {{ return(modules.datetime.datetime.now(modules.pytz.utc).strftime('%Y-%m-%d %H:%M:%S.%f')) }}
{%- endmacro %}


{#- on-run-start (after check_id_key): the table, then this invocation's 'started' row. -#}
{% macro record_build_start() -%}
    {%- if _build_record_enabled() -%}
        {%- set schema = build_log_schema() -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- do run_query(
            'create table if not exists ' ~ schema ~ '.invocations ('
            ~ 'invocation_id varchar, event varchar, event_at timestamp, command varchar, selection varchar, '
            ~ 'empty boolean, status varchar, result_counts varchar, failed_nodes varchar, '
            ~ 'table_fingerprints varchar, id_key_fingerprint varchar, raw_root varchar, dbt_version varchar)'
        ) -%}
        {%- set selection = {} -%}
        {%- for name in ['select', 'exclude', 'selector', 'resource_types', 'exclude_resource_types'] -%}
            {%- set value = invocation_args_dict.get(name) -%}
            {%- if value -%}
                {%- do selection.update({name: value if value is string else value | list}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do run_query(
            'insert into ' ~ schema ~ '.invocations (invocation_id, event, event_at, command, selection, empty, '
            ~ 'id_key_fingerprint, raw_root, dbt_version) values ('
            ~ _sql_text(invocation_id) ~ ", 'started', "
            ~ "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp), "
            ~ _sql_text(flags.WHICH) ~ ', ' ~ _sql_text(tojson(selection, sort_keys=true)) ~ ', '
            ~ ('true' if flags.EMPTY else 'false') ~ ', '
            ~ _sql_text(id_key_fingerprint()) ~ ', '
            ~ _sql_text(var('raw_root', env_var('NHI_RAW_ROOT', 'data/raw'))) ~ ', '
            ~ _sql_text(dbt_version) ~ ')'
        ) -%}
    {%- endif -%}
{%- endmacro %}


{#- on-run-end: the 'finished' row with the outcome and the published tables' fingerprints. -#}
{% macro record_build_end(results) -%}
    {%- if _build_record_enabled() -%}
        {%- set counts = {} -%}
        {%- set failed = [] -%}
        {%- for result in results -%}
            {%- set status = result.status | string | lower -%}
            {%- do counts.update({status: counts.get(status, 0) + 1}) -%}
            {%- if status not in ['success', 'pass', 'warn', 'no-op'] -%}
                {%- do failed.append(result.node.unique_id ~ ' (' ~ status ~ ')') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set status = 'success' if results | length > 0 and failed | length == 0 else 'failed' -%}
        {%- do run_query(
            'insert into ' ~ build_log_schema() ~ '.invocations (invocation_id, event, event_at, command, status, '
            ~ 'result_counts, failed_nodes, table_fingerprints) values ('
            ~ _sql_text(invocation_id) ~ ", 'finished', cast('" ~ _utc_now() ~ "' as timestamp), "
            ~ _sql_text(flags.WHICH) ~ ', ' ~ _sql_text(status) ~ ', '
            ~ _sql_text(tojson(counts, sort_keys=true)) ~ ', ' ~ _sql_text(tojson(failed[:20])) ~ ', '
            ~ _sql_text(tojson(published_table_fingerprints(), sort_keys=true)) ~ ')'
        ) -%}
        {{ log('build record: ' ~ flags.WHICH ~ ' ' ~ invocation_id ~ ' ' ~ status ~ ' (' ~ build_log_schema() ~ '.invocations)', info=true) }}
    {%- endif -%}
{%- endmacro %}


{#- {"<schema>.<table>": "<rows>:<sum of row hashes>"} for every table and view in the published
    schemas. publish.py computes the same with the same SQL (table_fingerprint_sql there). -#}
{% macro published_table_fingerprints() -%}
    {%- set schemas = [] -%}
    {%- for schema in published_schemas() -%}
        {%- do schemas.append("'" ~ schema ~ "'") -%}
    {%- endfor -%}
    {%- set tables = run_query(
        'select table_schema, table_name from information_schema.tables where table_catalog = current_database() '
        ~ 'and table_schema in (' ~ schemas | join(', ') ~ ') order by 1, 2'
    ) -%}
    {%- set fingerprints = {} -%}
    {%- if tables.rows | length > 0 -%}
        {%- set parts = [] -%}
        {%- for row in tables.rows -%}
            {%- do parts.append(
                "select '" ~ row[0] ~ "." ~ row[1] ~ "' as name, "
                ~ "cast(count(*) as varchar) || ':' || cast(coalesce(sum(hash(t)), 0) as varchar) as fingerprint "
                ~ 'from "' ~ row[0] ~ '"."' ~ row[1] ~ '" as t'
            ) -%}
        {%- endfor -%}
        {%- for row in run_query(parts | join(' union all ')).rows -%}
            {%- do fingerprints.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(fingerprints) }}
{%- endmacro %}
