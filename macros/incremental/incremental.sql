{#-
    Incremental builds of the large claim tables on DuckDB (issue #8). On every other adapter
    the same models are plain tables / views and every macro here is a no-op.

    Design (docs/incremental.md has the long version):

    1. Landing, file level. base_nhird__cd / base_nhird__oo are tables holding every raw row of
       cd / oo, typed, checked and pseudonymised (no raw identifier is stored). A run lands only
       the raw files that are new or whose content changed since the model last ran, and drops
       the rows of files that changed or disappeared. A file is known by its path relative to
       the raw root and its fingerprint: md5 of its bytes (var incremental_file_fingerprint
       'content', default) or size + modification time ('metadata', cheaper, re-lands files that
       were merely rewritten). The snapshot of the raw files is taken once per invocation
       (on-run-start: incremental_state.raw_files), so every model of a run sees the same files.
       Both a cumulative re-extract (the same file names, rewritten) and a delivery of new files
       only (a new month, late 補報 claims of older months in their own files, re-delivered rows)
       are handled: only what changed is re-read.

    2. Change log, key level. Landing writes the natural keys of every valid row it inserts or
       deletes to incremental_state.changes_<table> with the run's timestamp. Downstream
       incremental models (stg_nhird__cd/oo, int_outpatient_claims_classified,
       int_outpatient_orders_joined) rebuild exactly the keys changed since they last ran: a
       pre-hook puts those keys into a temp table and deletes them from the model, the model's
       SQL recomputes them from its inputs (the dedupe sees every landed row of a key, so the
       latest-APPL_DATE rule gives the same winner as a full build), and the rows are appended.
       Hook, delete, insert and the ledger update run in one transaction: a failed model leaves
       its table and its ledger as they were, and the next run redoes the same keys.

    3. Ledger. incremental_state.ledger records, per model, what it last consumed: the files
       (landing), the change-log watermark per table, the generation of each upstream incremental
       model, the model's code checksum, fingerprints of the small tables it joins (whole seeds;
       institutions per hosp_id, so a changed institution rebuilds only its own claims) and, for
       landing, a probe of the pseudonymisation key. A changed checksum, seed, key or upstream
       generation (a full rebuild upstream) makes the model rebuild everything (scope 'all', a
       new generation for its own consumers). `dbt build --full-refresh` rebuilds everything and
       resets the ledger.

    Scopes returned by incremental_scope(): 'all' (plain full build: first run, full refresh,
    other adapters, or a reason above), 'delta' (only changed keys / files).
-#}

{% macro incremental_enabled() -%}
    {{ return(target.type == 'duckdb') }}
{%- endmacro %}

{#- Materialization for models incremental on DuckDB: `incremental` there, `fallback` elsewhere. -#}
{% macro incremental_on_duckdb(fallback='table') -%}
    {{ return('incremental' if target.type == 'duckdb' else fallback) }}
{%- endmacro %}

{% macro incremental_state_schema() -%}
    {{ return('incremental_state') }}
{%- endmacro %}

{#- The incremental models and what they consume (one place for the whole design):
      landing   raw table landed file by file (landing models only)
      changes   {raw table: via}: change logs (natural keys) the model consumes; `via` is the
                incremental model it reads them through - only changes that model has already
                absorbed are taken, so a partial run (--select) never skips a change
      upstream  incremental models whose full rebuild (new generation) forces ours
      seeds     small relations whose change forces a full rebuild
      keyed     {ref: {key, via}}: small relations compared per key; a changed row rebuilds the
                model rows with that key (via: compare with what that model absorbed)
      deletes   how a change maps to the model's rows: {change-log table or keyed ref:
                {key column of the delta: column of the model}} -#}
{% macro incremental_models() -%}
    {%- set claim_key = {
        'hosp_id': 'hosp_id', 'fee_ym': 'fee_ym', 'appl_type': 'appl_type', 'case_type': 'case_type', 'seq_no': 'seq_no'
    } -%}
    {%- set order_key = {
        'hosp_id': 'hosp_id', 'fee_ym': 'fee_ym', 'appl_type': 'appl_type', 'case_type': 'case_type', 'seq_no': 'seq_no',
        'order_seq_no': 'order_seq_no'
    } -%}
    {{ return({
        'base_nhird__cd': {'landing': 'cd'},
        'base_nhird__oo': {'landing': 'oo'},
        'stg_nhird__cd': {
            'changes': {'cd': none}, 'upstream': ['base_nhird__cd'], 'deletes': {'cd': claim_key},
        },
        'stg_nhird__oo': {
            'changes': {'oo': none}, 'upstream': ['base_nhird__oo'], 'deletes': {'oo': order_key},
        },
        'int_outpatient_claims_classified': {
            'changes': {'cd': 'stg_nhird__cd'}, 'upstream': ['stg_nhird__cd'], 'seeds': ['case_types'],
            'keyed': {'int_institutions_classified': {'key': 'hosp_id', 'via': none}},
            'deletes': {'cd': claim_key, 'int_institutions_classified': {'hosp_id': 'hosp_id'}},
        },
        'int_outpatient_orders_joined': {
            'changes': {'oo': 'stg_nhird__oo', 'cd': 'int_outpatient_claims_classified'},
            'upstream': ['stg_nhird__oo', 'int_outpatient_claims_classified'],
            'seeds': ['fee_schedule_items', 'reexam_item_map', 'upload_items'],
            'keyed': {'int_institutions_classified': {'key': 'hosp_id', 'via': 'int_outpatient_claims_classified'}},
            'deletes': {'oo': order_key, 'cd': claim_key, 'int_institutions_classified': {'hosp_id': 'hosp_id'}},
        },
    }) }}
{%- endmacro %}

{% macro incremental_spec() -%}
    {{ return(incremental_models().get(model.name, {})) }}
{%- endmacro %}

{#- Landing tables: raw table -> (landing model, natural key columns with types). -#}
{% macro incremental_landing_tables() -%}
    {%- set claim_key = [
        ['hosp_id', 'varchar'], ['fee_ym', 'varchar'], ['appl_type', 'varchar'],
        ['case_type', 'varchar'], ['seq_no', 'integer']
    ] -%}
    {{ return({
        'cd': {'model': 'base_nhird__cd', 'keys': claim_key},
        'oo': {'model': 'base_nhird__oo', 'keys': claim_key + [['order_seq_no', 'integer']]},
    }) }}
{%- endmacro %}

{% macro _incremental_key_names(table_name) -%}
    {%- set names = [] -%}
    {%- for key in incremental_landing_tables()[table_name]['keys'] -%}
        {%- do names.append(key[0]) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- on-run-start: the state tables and the snapshot of the raw files of the landing tables. -#}
{% macro snapshot_raw_files() %}
    {%- if execute and incremental_enabled() and not var('skip_raw_views', false)
        and flags.WHICH in ['run', 'build', 'compile'] -%}
        {%- set schema = incremental_state_schema() -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- do run_query(
            'create table if not exists ' ~ schema ~ '.ledger '
            ~ '(model_name varchar, item varchar, fingerprint varchar)'
        ) -%}
        {%- do run_query(
            'create table if not exists ' ~ schema ~ '.generations (model_name varchar, generation varchar)'
        ) -%}
        {%- for table_name, spec in incremental_landing_tables().items() -%}
            {%- set columns = ['changed_at timestamp'] -%}
            {%- for key in spec['keys'] -%}
                {%- do columns.append(key[0] ~ ' ' ~ key[1]) -%}
            {%- endfor -%}
            {%- do run_query(
                'create table if not exists ' ~ schema ~ '.changes_' ~ table_name ~ ' (' ~ columns | join(', ') ~ ')'
            ) -%}
        {%- endfor -%}
        {%- set raw_root = var('raw_root', env_var('NHI_RAW_ROOT', 'data/raw')) | replace('\\', '/') -%}
        {%- set raw_root = raw_root.rstrip('/') -%}
        {%- set by_content = var('incremental_file_fingerprint', 'content') == 'content' -%}
        {%- set parts = [] -%}
        {%- for table_name in incremental_landing_tables() -%}
            {%- for extension in ['parquet', 'csv'] -%}
                {%- set pattern = raw_root ~ '/' ~ table_name ~ '/**/*.' ~ extension -%}
                {%- set found = run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] -%}
                {%- if found > 0 -%}
                    {%- do parts.append(
                        "select '" ~ table_name ~ "' as table_name, replace(filename, '" ~ raw_root ~ "/', '') as source_file, "
                        ~ ("md5(content)" if by_content else "cast(size as varchar) || '@' || cast(last_modified as varchar)")
                        ~ " as fingerprint from read_blob('" ~ pattern ~ "')"
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if parts -%}
            {%- do run_query('create or replace table ' ~ schema ~ '.raw_files as ' ~ parts | join(' union all ')) -%}
        {%- else -%}
            {%- do run_query(
                'create or replace table ' ~ schema ~ '.raw_files '
                ~ '(table_name varchar, source_file varchar, fingerprint varchar)'
            ) -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- ---------------------------------------------------------------- ledger helpers -#}

{% macro _ledger_value(model_name, item) -%}
    {%- set result = run_query(
        "select max(fingerprint) from " ~ incremental_state_schema() ~ ".ledger where model_name = '"
        ~ model_name ~ "' and item = '" ~ item ~ "'"
    ) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{% macro _generation(model_name) -%}
    {%- set result = run_query(
        "select max(generation) from " ~ incremental_state_schema() ~ ".generations where model_name = '"
        ~ model_name ~ "'"
    ) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{% macro _state_ready() -%}
    {%- set result = run_query(
        "select count(*) from information_schema.tables where table_schema = '" ~ incremental_state_schema()
        ~ "' and table_name in ('ledger', 'generations', 'raw_files')"
    ) -%}
    {{ return(result.columns[0].values()[0] == 3) }}
{%- endmacro %}

{#- SQL: fingerprint of a whole (small) relation, independent of row order. -#}
{% macro _relation_fingerprint_sql(relation_name) -%}
    select coalesce(md5(string_agg(cast(row_hash as varchar), ',' order by row_hash)), 'empty') as fingerprint
    from (select hash(fingerprinted) as row_hash from {{ relation_name }} as fingerprinted) as hashed
{%- endmacro %}

{#- The run's start as a timestamp literal (the change-log clock). -#}
{% macro _run_timestamp() -%}
    {{ return(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')) }}
{%- endmacro %}

{#- The code checksum of the current model (a change of its SQL means: rebuild everything). -#}
{% macro _model_checksum() -%}
    {{ return((model.checksum or {}).get('checksum', 'none')) }}
{%- endmacro %}

{#- The pseudonymisation probe: a changed NHI_ID_KEY changes every landed pseudonym. -#}
{% macro _pseudonym_probe() -%}
    {%- set result = run_query('select ' ~ pseudonymise("'incremental-ledger-probe'")) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}


{#- ---------------------------------------------------------------- scope -#}

{#- 'all' or 'delta' for the current model. spec: {
        'landing': raw table name (landing model) - or -
        'changes': [raw table names whose change log the model consumes],
        'upstream': [incremental models whose full rebuild forces ours],
        'seeds': [small relations (ref names) whose change forces a full rebuild],
        'keyed': {ref name: key column} small relations compared row by row (per key) }
    Evaluated when the model is compiled and again in its hooks (same state, same answer). -#}
{% macro incremental_scope(spec=none) -%}
    {%- set spec = spec if spec is not none else incremental_spec() -%}
    {#- unit tests render models without `this`: they test the full-build SQL -#}
    {%- if not execute or not incremental_enabled() or this is none or not is_incremental() or not _state_ready() -%}
        {{ return('all') }}
    {%- endif -%}
    {%- set name = model.name -%}
    {%- if _ledger_value(name, 'checksum') != _model_checksum() -%}
        {{ return('all') }}
    {%- endif -%}
    {%- if spec.get('landing') and _ledger_value(name, 'pseudonym') != _pseudonym_probe() -%}
        {{ return('all') }}
    {%- endif -%}
    {%- for upstream in spec.get('upstream', []) -%}
        {%- if _ledger_value(name, 'generation:' ~ upstream) != _generation(upstream) -%}
            {{ return('all') }}
        {%- endif -%}
    {%- endfor -%}
    {%- for seed in spec.get('seeds', []) -%}
        {%- set current = run_query(_relation_fingerprint_sql(ref(seed))).columns[0].values()[0] -%}
        {%- if _ledger_value(name, 'seed:' ~ seed) != current -%}
            {{ return('all') }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('delta') }}
{%- endmacro %}


{#- ---------------------------------------------------------------- landing (file level) -#}

{#- Files of the raw table that are new or changed since the landing model last ran
    (list of source_file), and files it landed that changed or disappeared. -#}
{% macro _landing_files(table_name, which) -%}
    {%- set schema = incremental_state_schema() -%}
    {%- set current = "select source_file, fingerprint from " ~ schema ~ ".raw_files where table_name = '" ~ table_name ~ "'" -%}
    {%- set landed = "select substr(item, 6) as source_file, fingerprint from " ~ schema ~ ".ledger where model_name = '"
        ~ model.name ~ "' and item like 'file:%'" -%}
    {%- if which == 'new' -%}
        {%- set query = "select distinct source_file from (" ~ current ~ " except " ~ landed ~ ") order by 1" -%}
    {%- else -%}
        {%- set query = "select distinct source_file from (" ~ landed ~ " except " ~ current ~ ") order by 1" -%}
    {%- endif -%}
    {{ return(run_query(query).columns[0].values()) }}
{%- endmacro %}

{% macro _sql_list(values) -%}
    ({%- for value in values -%}'{{ value | replace("'", "''") }}'{%- if not loop.last %}, {% endif -%}{%- endfor -%})
{%- endmacro %}

{#- In the landing model's source CTE: on a delta run, read only the new or changed files (a
    constant list, so DuckDB skips the other files entirely). -#}
{% macro landing_file_filter(table_name, column='_source_file') -%}
    {%- if incremental_scope({'landing': table_name}) == 'delta' -%}
        {%- set files = _landing_files(table_name, 'new') -%}
        {%- if files | length > 0 -%}
            where {{ column }} in {{ _sql_list(files) }}
        {%- else -%}
            where false
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro _log_changes_sql(table_name, relation, files, changed_at) -%}
    {%- set keys = _incremental_key_names(table_name) -%}
    insert into {{ incremental_state_schema() }}.changes_{{ table_name }} (changed_at, {{ keys | join(', ') }})
    select distinct cast('{{ changed_at }}' as timestamp), {{ keys | join(', ') }}
    from {{ relation }}
    where rule_name is null
    {%- if files is not none %}
        and source_file in {{ _sql_list(files) }}
    {%- endif %}
{%- endmacro %}

{#- pre-hook of a landing model: log and delete the rows of files that changed or disappeared. -#}
{% macro landing_before(table_name) -%}
    {%- if execute and incremental_enabled() and is_incremental() -%}
        {%- set scope = incremental_scope({'landing': table_name}) -%}
        {%- set stale = _landing_files(table_name, 'removed') -%}
        {%- set changed = _landing_files(table_name, 'new') -%}
        {%- set statements = [] -%}
        {%- if scope == 'all' -%}
            {%- do statements.append('delete from ' ~ this) -%}
        {%- else -%}
            {%- set replaced = (stale + changed) | unique | list -%}
            {%- if replaced | length > 0 -%}
                {%- do statements.append(_log_changes_sql(table_name, this, replaced, _run_timestamp())) -%}
                {%- do statements.append('delete from ' ~ this ~ ' where source_file in ' ~ _sql_list(replaced)) -%}
            {%- endif -%}
        {%- endif -%}
        {{ return(statements | join(';\n')) }}
    {%- endif -%}
{%- endmacro %}

{#- post-hook of a landing model: log the rows just landed, record the files and the state. -#}
{% macro landing_after(table_name) -%}
    {%- if execute and incremental_enabled() -%}
        {%- set schema = incremental_state_schema() -%}
        {%- set scope = incremental_scope({'landing': table_name}) if is_incremental() else 'all' -%}
        {%- set statements = [] -%}
        {%- if scope == 'all' -%}
            {#- everything was (re)built: consumers rebuild everything (new generation), the log restarts -#}
            {%- do statements.append('delete from ' ~ schema ~ '.changes_' ~ table_name) -%}
            {%- do statements.append(_new_generation_sql()) -%}
        {%- else -%}
            {%- set landed = _landing_files(table_name, 'new') -%}
            {%- if landed | length > 0 -%}
                {%- do statements.append(_log_changes_sql(table_name, this, landed, _run_timestamp())) -%}
            {%- endif -%}
            {#- the log is needed only until every consumer has read it -#}
            {%- do statements.append(
                'delete from ' ~ schema ~ '.changes_' ~ table_name ~ ' where changed_at <= ('
                ~ "select coalesce(min(cast(fingerprint as timestamp)), timestamp '1900-01-01') from " ~ schema
                ~ ".ledger where item = 'changes:" ~ table_name ~ "') and exists (select 1 from " ~ schema
                ~ ".ledger where item = 'changes:" ~ table_name ~ "')"
            ) -%}
        {%- endif -%}
        {%- do statements.append("delete from " ~ schema ~ ".ledger where model_name = '" ~ model.name ~ "'") -%}
        {%- do statements.append(
            "insert into " ~ schema ~ ".ledger select '" ~ model.name ~ "', 'file:' || source_file, fingerprint from "
            ~ schema ~ ".raw_files where table_name = '" ~ table_name ~ "'"
        ) -%}
        {%- do statements.append(
            "insert into " ~ schema ~ ".ledger values ('" ~ model.name ~ "', 'checksum', '" ~ _model_checksum() ~ "'), ('"
            ~ model.name ~ "', 'pseudonym', '" ~ _pseudonym_probe() ~ "')"
        ) -%}
        {{ return(statements | join(';\n')) }}
    {%- endif -%}
{%- endmacro %}

{% macro _new_generation_sql() -%}
    delete from {{ incremental_state_schema() }}.generations where model_name = '{{ model.name }}';
    insert into {{ incremental_state_schema() }}.generations values ('{{ model.name }}', cast(uuid() as varchar))
{%- endmacro %}


{#- ---------------------------------------------------------------- consumers (key level) -#}

{#- Temp relation holding the keys of `table_name` changed since the current model last ran. -#}
{% macro incremental_delta_relation(table_name) -%}
    {{- adapter.quote(model.name ~ '__delta_' ~ table_name) -}}
{%- endmacro %}

{#- Temp relation holding the keys of a keyed small relation whose rows changed. -#}
{% macro incremental_keyed_delta_relation(ref_name) -%}
    {{- adapter.quote(model.name ~ '__delta_' ~ ref_name) -}}
{%- endmacro %}

{#- `exists (...)`: the row's columns match a key of the delta relation.
    columns: {delta column: row expression}. -#}
{% macro incremental_delta_match(delta_relation, columns) -%}
    exists (
        select 1 from {{ delta_relation }} as delta
        where {% for delta_column, expression in columns.items() -%}
            delta.{{ delta_column }} = {{ expression }}{% if not loop.last %} and {% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#- The change-log window of a consumer for one table: (after, up_to); up_to is none when the
    model reads the change log directly (everything logged counts). -#}
{% macro _change_window(table_name, via) -%}
    {%- set after = _ledger_value(model.name, 'changes:' ~ table_name) -%}
    {%- set up_to = _ledger_value(via, 'changes:' ~ table_name) if via else none -%}
    {{ return([after, up_to]) }}
{%- endmacro %}

{#- SQL: the (item, fingerprint) rows of a keyed relation as the model sees it now: the live
    table, or what the `via` model absorbed (its ledger). -#}
{% macro _keyed_current_sql(ref_name, spec) -%}
    {%- if spec.get('via') -%}
        {{- "select item, fingerprint from " ~ incremental_state_schema() ~ ".ledger where model_name = '" ~ spec['via']
            ~ "' and item like 'keyed:" ~ ref_name ~ ":%'" -}}
    {%- else -%}
        {{- "select 'keyed:" ~ ref_name ~ ":' || cast(fingerprinted." ~ spec['key'] ~ " as varchar) as item, "
            ~ "cast(hash(fingerprinted) as varchar) as fingerprint from " ~ ref(ref_name) ~ " as fingerprinted" -}}
    {%- endif -%}
{%- endmacro %}

{#- pre-hook of a consumer: compute the changed keys into temp relations and delete them from
    the model (scope 'delta'), or delete everything (scope 'all' on an incremental run). -#}
{% macro incremental_before() -%}
    {%- set spec = incremental_spec() -%}
    {%- if spec.get('landing') -%}
        {{ return(landing_before(spec['landing'])) }}
    {%- endif -%}
    {%- if execute and incremental_enabled() and is_incremental() -%}
        {%- set schema = incremental_state_schema() -%}
        {%- set scope = incremental_scope(spec) -%}
        {%- set statements = [] -%}
        {%- if scope == 'all' -%}
            {%- do statements.append('delete from ' ~ this) -%}
        {%- else -%}
            {%- for table_name, via in spec.get('changes', {}).items() -%}
                {%- set window = _change_window(table_name, via) -%}
                {%- set conditions = [] -%}
                {%- if window[0] -%}
                    {%- do conditions.append("changed_at > cast('" ~ window[0] ~ "' as timestamp)") -%}
                {%- endif -%}
                {%- if window[1] -%}
                    {%- do conditions.append("changed_at <= cast('" ~ window[1] ~ "' as timestamp)") -%}
                {%- endif -%}
                {%- do statements.append(
                    'create or replace temp table ' ~ incremental_delta_relation(table_name) ~ ' as select distinct '
                    ~ _incremental_key_names(table_name) | join(', ') ~ ' from ' ~ schema ~ '.changes_' ~ table_name
                    ~ (' where ' ~ conditions | join(' and ') if conditions else '')
                ) -%}
            {%- endfor -%}
            {%- for ref_name, keyed in spec.get('keyed', {}).items() -%}
                {%- set current = _keyed_current_sql(ref_name, keyed) -%}
                {%- set absorbed = "select item, fingerprint from " ~ schema ~ ".ledger where model_name = '"
                    ~ model.name ~ "' and item like 'keyed:" ~ ref_name ~ ":%'" -%}
                {%- do statements.append(
                    'create or replace temp table ' ~ incremental_keyed_delta_relation(ref_name) ~ ' as '
                    ~ 'select distinct substr(item, ' ~ (('keyed:' ~ ref_name ~ ':') | length + 1) ~ ') as '
                    ~ keyed['key'] ~ ' from ((' ~ current ~ ' except ' ~ absorbed ~ ') union all ('
                    ~ absorbed ~ ' except ' ~ current ~ '))'
                ) -%}
            {%- endfor -%}
            {%- for kind, columns in spec.get('deletes', {}).items() -%}
                {%- set delta = incremental_keyed_delta_relation(kind) if kind in spec.get('keyed', {})
                    else incremental_delta_relation(kind) -%}
                {%- set conditions = [] -%}
                {%- for delta_column, model_column in columns.items() -%}
                    {%- do conditions.append(adapter.quote(this.identifier) ~ '.' ~ model_column ~ ' = delta.' ~ delta_column) -%}
                {%- endfor -%}
                {%- do statements.append(
                    'delete from ' ~ this ~ ' using ' ~ delta ~ ' as delta where ' ~ conditions | join(' and ')
                ) -%}
            {%- endfor -%}
        {%- endif -%}
        {{ return(statements | join(';\n')) }}
    {%- endif -%}
{%- endmacro %}

{#- post-hook of a consumer: record what it consumed (same transaction as its rows). -#}
{% macro incremental_after() -%}
    {%- set spec = incremental_spec() -%}
    {%- if spec.get('landing') -%}
        {{ return(landing_after(spec['landing'])) }}
    {%- endif -%}
    {%- if execute and incremental_enabled() -%}
        {%- set schema = incremental_state_schema() -%}
        {%- set scope = incremental_scope(spec) if is_incremental() else 'all' -%}
        {%- set name = model.name -%}
        {%- set statements = [] -%}
        {%- if scope == 'all' -%}
            {%- do statements.append(_new_generation_sql()) -%}
        {%- endif -%}
        {#- read before this model's ledger rows are replaced -#}
        {%- set windows = {} -%}
        {%- for table_name, via in spec.get('changes', {}).items() -%}
            {%- do windows.update({table_name: _change_window(table_name, via)}) -%}
        {%- endfor -%}
        {%- set keyed_rows = [] -%}
        {%- for ref_name, keyed in spec.get('keyed', {}).items() -%}
            {%- do keyed_rows.append(
                "insert into " ~ schema ~ ".ledger select '" ~ name ~ "', item, fingerprint from ("
                ~ _keyed_current_sql(ref_name, keyed) ~ ")"
            ) -%}
        {%- endfor -%}
        {%- do statements.append("delete from " ~ schema ~ ".ledger where model_name = '" ~ name ~ "'") -%}
        {%- do statements.append(
            "insert into " ~ schema ~ ".ledger values ('" ~ name ~ "', 'checksum', '" ~ _model_checksum() ~ "')"
        ) -%}
        {%- for table_name, via in spec.get('changes', {}).items() -%}
            {%- set up_to = windows[table_name][1] -%}
            {%- if via and up_to -%}
                {%- do statements.append(
                    "insert into " ~ schema ~ ".ledger values ('" ~ name ~ "', 'changes:" ~ table_name ~ "', '" ~ up_to ~ "')"
                ) -%}
            {%- else -%}
                {%- do statements.append(
                    "insert into " ~ schema ~ ".ledger select '" ~ name ~ "', 'changes:" ~ table_name ~ "', "
                    ~ "cast(coalesce(max(changed_at), cast('" ~ _run_timestamp() ~ "' as timestamp)) as varchar) from "
                    ~ schema ~ ".changes_" ~ table_name
                ) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for upstream in spec.get('upstream', []) -%}
            {%- do statements.append(
                "insert into " ~ schema ~ ".ledger select '" ~ name ~ "', 'generation:" ~ upstream ~ "', max(generation) from "
                ~ schema ~ ".generations where model_name = '" ~ upstream ~ "'"
            ) -%}
        {%- endfor -%}
        {%- for seed in spec.get('seeds', []) -%}
            {%- do statements.append(
                "insert into " ~ schema ~ ".ledger select '" ~ name ~ "', 'seed:" ~ seed ~ "', fingerprint from ("
                ~ _relation_fingerprint_sql(ref(seed)) ~ ")"
            ) -%}
        {%- endfor -%}
        {%- if spec.get('keyed') -%}
            {#- the via model's ledger rows are not touched here, so reading them after the delete is fine -#}
            {%- do statements.extend(keyed_rows) -%}
        {%- endif -%}
        {{ return(statements | join(';\n')) }}
    {%- endif -%}
{%- endmacro %}
