{#-
    Increments by fee month (費用年月) on DuckDB (docs/incremental.md). The large claim models
    (base_nhird__cd/oo, stg_nhird__cd, the quarantines, the classified claims and the listed,
    orphaned and joined order lines) are dbt `incremental` models there: a run rebuilds every fee
    month whose inputs changed, from all of that month's rows, and leaves the other months alone.
    On other adapters they are plain tables and nothing here runs.

    * raw_state.file_fee_months (on-run-start, record_raw_fee_months): every raw file of the
      claim tables, its fingerprint (size and modification time; var raw_file_fingerprint:
      content for the md5 of its bytes) and the FEE_YM values it holds. Only new or changed
      files are read, and only their FEE_YM column. Taken once per run: every model of the run
      sees the same delivery.
    * A month's input fingerprint for a model: a hash of the fingerprints of the raw files that
      hold the month (or of what the upstream incremental model recorded for it), the code
      checksums of the model and of every node it depends on (seeds included), the content of
      the small relations it joins, the month's rows of the tables it reads by month (their
      count and the sum of DuckDB's hash of each row: no sort), the vars it reads, the
      plausibility bounds and the pseudonymisation key's fingerprint.
    * raw_state.model_fee_months: per model and month, the input fingerprint it was last built
      from and the dbt invocation that built it (post-hook, in the model's transaction: a failed
      model records nothing). A month that is new or whose fingerprint changed is deleted by
      the pre-hook and selected by the model's SQL; dbt appends the result. A month that no longer has any raw file is deleted. (The
      pre-hook rather than delete+insert's own delete: a rebuilt month that now yields no row
      must be emptied too.)
-#}

{#- Materialization of the fee-month models: `incremental` on DuckDB, `fallback` elsewhere. -#}
{% macro incremental_on_duckdb(fallback='table') -%}
    {{ return('incremental' if target.type == 'duckdb' else fallback) }}
{%- endmacro %}

{#- The config of a fee-month model: incremental by fee month on DuckDB (dbt's `append` with the
    delete and record hooks), a `fallback` (table) elsewhere; the other arguments are its
    meta.fee_month (below). -#}
{% macro fee_month_model(inputs, monthly_rows=[], joined=[], vars=[], column='fee_ym', fallback='table') -%}
    {%- set spec = {'inputs': inputs} -%}
    {%- for name, value in [('monthly_rows', monthly_rows), ('joined', joined), ('vars', vars)] if value -%}
        {%- do spec.update({name: value}) -%}
    {%- endfor -%}
    {%- if column != 'fee_ym' -%}
        {%- do spec.update({'column': column}) -%}
    {%- endif -%}
    {{ config(
        materialized=incremental_on_duckdb(fallback),
        incremental_strategy='append',
        pre_hook="{{ delete_fee_months() }}",
        post_hook="{{ record_fee_months() }}",
        meta={'fee_month': spec},
    ) }}
{%- endmacro %}

{#- The raw tables tracked by fee month. -#}
{% macro fee_month_raw_tables() -%}
    {{ return(['cd', 'oo']) }}
{%- endmacro %}

{#- Settings that change rows without changing any file or code: a change rebuilds every month. -#}
{% macro fee_month_settings() -%}
    {%- set names = [
        'plausible_max_claim_points', 'plausible_max_order_points', 'plausible_max_order_qty',
        'plausible_max_drug_days', 'plausible_max_age_years', 'plausible_fee_month_slack_days',
        'plausible_max_appl_lag_days', 'fee_year_min', 'fee_year_max'
    ] -%}
    {%- set values = ['key=' ~ id_key_fingerprint()] -%}
    {%- for name in names -%}
        {%- do values.append(name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {{ return(values | join(';')) }}
{%- endmacro %}

{#- on-run-start: the state tables and which fee months each raw claim file holds. -#}
{% macro record_raw_fee_months() %}
    {%- if execute and target.type == 'duckdb' and not var('skip_raw_views', false)
        and flags.WHICH in ['run', 'build', 'compile'] -%}
        {%- do run_query('create schema if not exists raw_state') -%}
        {%- do run_query(
            'create table if not exists raw_state.file_fee_months '
            ~ '(table_name varchar, source_file varchar, file_fingerprint varchar, fee_ym_key varchar)'
        ) -%}
        {%- do run_query(
            'create table if not exists raw_state.model_fee_months '
            ~ '(model_name varchar, fee_ym_key varchar, fingerprint varchar, invocation_id varchar)'
        ) -%}
        {%- set raw_root = (var('raw_root', env_var('NHI_RAW_ROOT', 'data/raw')) | replace('\\', '/')).rstrip('/') -%}
        {%- set fingerprint = 'md5(content)' if var('raw_file_fingerprint', 'listing') == 'content'
            else "cast(size as varchar) || '@' || cast(last_modified as varchar)" -%}
        {%- for table_name in fee_month_raw_tables() -%}
            {%- set listing = [] -%}
            {%- for extension in ['parquet', 'csv'] -%}
                {%- set pattern = raw_root ~ '/' ~ table_name ~ '/**/*.' ~ extension -%}
                {%- if run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] > 0 -%}
                    {%- do listing.append(
                        "select replace(filename, '" ~ raw_root ~ "/', '') as source_file, " ~ fingerprint
                        ~ " as file_fingerprint from read_blob('" ~ pattern ~ "')"
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- set listed = listing | join(' union all ') if listing
                else 'select null::varchar as source_file, null::varchar as file_fingerprint where false' -%}
            {%- do run_query(
                "delete from raw_state.file_fee_months as known where table_name = '" ~ table_name ~ "' "
                ~ "and not exists (select 1 from (" ~ listed ~ ") as listed where listed.source_file = known.source_file "
                ~ "and listed.file_fingerprint = known.file_fingerprint)"
            ) -%}
            {%- set new_files = run_query(
                "select source_file, file_fingerprint from (" ~ listed ~ ") as listed where not exists ("
                ~ "select 1 from raw_state.file_fee_months as known where known.table_name = '" ~ table_name ~ "' "
                ~ "and known.source_file = listed.source_file) order by 1"
            ) -%}
            {%- if new_files.rows | length > 0 -%}
                {%- set values = [] -%}
                {%- for row in new_files.rows -%}
                    {%- do values.append("('" ~ row[0] | replace("'", "''") ~ "', '" ~ row[1] ~ "')") -%}
                {%- endfor -%}
                {%- do run_query(
                    "insert into raw_state.file_fee_months select distinct '" ~ table_name ~ "', raw._source_file, "
                    ~ "new_files.file_fingerprint, coalesce(" ~ clean_text('raw."FEE_YM"') ~ ", '') "
                    ~ "from raw." ~ table_name ~ " as raw "
                    ~ "inner join (values " ~ values | join(', ') ~ ") as new_files (source_file, file_fingerprint) "
                    ~ "on raw._source_file = new_files.source_file "
                    ~ "where raw._source_file in " ~ _fee_month_sql_list(new_files.columns[0].values())
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{% macro _fee_month_sql_list(values) -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ value | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    ({{ quoted | join(', ') if quoted else 'null' }})
{%- endmacro %}

{#- The model's fee-month inputs, from its config: meta.fee_month = {inputs: raw tables ('raw.cd')
    and upstream fee-month models, monthly_rows: tables (not built by fee month) with a fee_ym
    column whose rows of a month enter that month's fingerprint, joined: small relations whose
    content enters every month, vars: project vars the model reads, whose values enter every
    month, column: the model's fee-month column}. -#}
{% macro _fee_month_spec() -%}
    {%- set spec = (config.get('meta') or {}).get('fee_month') -%}
    {%- if not execute -%}
        {{ return({'inputs': [], 'monthly_rows': [], 'joined': [], 'vars': [], 'column': 'fee_ym'}) }}
    {%- elif not spec -%}
        {{ exceptions.raise_compiler_error(model.name ~ ': meta.fee_month (inputs, column) is not configured') }}
    {%- endif -%}
    {{ return({
        'inputs': spec['inputs'], 'monthly_rows': spec.get('monthly_rows', []),
        'joined': spec.get('joined', []), 'vars': spec.get('vars', []), 'column': spec.get('column', 'fee_ym')
    }) }}
{%- endmacro %}

{#- SQL: (fee_ym_key, fingerprint) of this model's inputs. -#}
{% macro _fee_month_inputs_sql() -%}
    {%- set spec = _fee_month_spec() -%}
    {%- set inputs = spec['inputs'] -%}
    {%- set joined = spec['joined'] -%}
    {%- set constants = [model.name, (model.checksum or {}).get('checksum', ''), fee_month_settings()] -%}
    {%- for node_id in model.depends_on.nodes | sort -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node -%}
            {%- do constants.append(node_id ~ '=' ~ node.checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in spec['vars'] -%}
        {%- do constants.append('var ' ~ name ~ '=' ~ tojson(var(name, none))) -%}
    {%- endfor -%}
    {%- for relation_name in joined -%}
        {%- set relation = ref(relation_name) -%}
        {%- do constants.append(relation_name ~ '=' ~ run_query(
            "select md5(coalesce(string_agg(cast(t as varchar), '|' order by cast(t as varchar)), '')) from "
            ~ relation ~ " as t"
        ).columns[0].values()[0]) -%}
    {%- endfor -%}
    with parts as (
        {%- for input in inputs %}
        {%- if input.startswith('raw.') %}
        select fee_ym_key, '{{ input }}' as input,
            md5(string_agg(source_file || '@' || file_fingerprint, ',' order by source_file)) as fingerprint
        from raw_state.file_fee_months where table_name = '{{ input[4:] }}'
        group by fee_ym_key
        {%- else %}
        select fee_ym_key, '{{ input }}' as input, fingerprint
        from raw_state.model_fee_months where model_name = '{{ input }}'
        {%- endif %}
        union all
        {%- endfor %}
        {%- for relation_name in spec['monthly_rows'] %}
        select coalesce(monthly.fee_ym, '') as fee_ym_key, '{{ relation_name }}' as input,
            md5(cast(count(*) as varchar) || ':' || cast(sum(hash(monthly)) as varchar)) as fingerprint
        from {{ ref(relation_name) }} as monthly
        group by coalesce(monthly.fee_ym, '')
        union all
        {%- endfor %}
        select null as fee_ym_key, null as input, null as fingerprint where false
    )
    select
        fee_ym_key,
        md5('{{ constants | join(";") | replace("'", "''") }}' || '|'
            || string_agg(input || '=' || fingerprint, ',' order by input)) as fingerprint
    from parts
    group by fee_ym_key
{%- endmacro %}

{#- The fee months this run rebuilds: none = all (first build, full refresh, other adapters),
    else the list of fee_ym_key values whose input fingerprint is new or changed. -#}
{% macro fee_months_to_build() -%}
    {#- `this` is none in a dbt unit test: the model's SQL is tested as a full build -#}
    {%- if not execute or target.type != 'duckdb' or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query(
        'select inputs.fee_ym_key from (' ~ _fee_month_inputs_sql() ~ ') as inputs '
        ~ 'where not exists (select 1 from raw_state.model_fee_months as built '
        ~ "where built.model_name = '" ~ model.name ~ "' and built.fee_ym_key = inputs.fee_ym_key "
        ~ 'and built.fingerprint = inputs.fingerprint) order by 1'
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}

{#- SQL filter (`and ...`) selecting the months this run rebuilds; with `file_column` in a model
    that reads raw tables, also only the raw files holding them (DuckDB then opens only those
    files). -#}
{% macro fee_month_filter(column, file_column=none) -%}
    {%- set months = fee_months_to_build() -%}
    {%- if months is not none %}
        and coalesce({{ column }}, '') in {{ _fee_month_sql_list(months) }}
        {%- set tables = [] %}
        {%- for input in _fee_month_spec()['inputs'] if input.startswith('raw.') %}
            {%- do tables.append(input[4:]) %}
        {%- endfor %}
        {%- if file_column and tables %}
        {%- set files = run_query(
            'select distinct source_file from raw_state.file_fee_months where table_name in '
            ~ _fee_month_sql_list(tables) ~ ' and fee_ym_key in ' ~ _fee_month_sql_list(months) ~ ' order by 1'
        ).columns[0].values() %}
        and {{ file_column }} in {{ _fee_month_sql_list(files) }}
        {%- endif %}
    {%- endif %}
{%- endmacro %}

{#- pre-hook: delete the months this run rebuilds and those no longer in the inputs. -#}
{% macro delete_fee_months() -%}
    {%- set column = _fee_month_spec()['column'] -%}
    {%- set months = fee_months_to_build() -%}
    {%- if months is not none -%}
        {{ log(model.name ~ ': fee months to rebuild: ' ~ (months | join(', ') or 'none'), info=true) }}
        delete from {{ this }}
        where coalesce({{ column }}, '') in {{ _fee_month_sql_list(months) }}
            or coalesce({{ column }}, '') not in (
                select fee_ym_key from ({{ _fee_month_inputs_sql() }}) as inputs
            )
    {%- endif -%}
{%- endmacro %}

{#- post-hook: record the input fingerprint of every month the model now holds; a month rebuilt
    by this run carries the run's invocation_id (which months a run rebuilt, for users and for
    nhi benchmark). -#}
{% macro record_fee_months() -%}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set inputs = 'fee_month_inputs__' ~ model.name %}
        create temporary table {{ inputs }} as {{ _fee_month_inputs_sql() }};
        delete from raw_state.model_fee_months
        where model_name = '{{ model.name }}'
            {%- if not should_full_refresh() %}
            and (fee_ym_key, fingerprint) not in (select fee_ym_key, fingerprint from {{ inputs }})
            {%- endif %};
        insert into raw_state.model_fee_months
        select '{{ model.name }}', fee_ym_key, fingerprint, '{{ invocation_id }}'
        from {{ inputs }}
        where (fee_ym_key, fingerprint) not in (
            select fee_ym_key, fingerprint from raw_state.model_fee_months where model_name = '{{ model.name }}'
        );
        drop table {{ inputs }}
    {%- endif -%}
{%- endmacro %}
