{#-
    Expose each raw-contract table folder `<raw_root>/<table>/` as a view `raw.<table>`.

    * The contract (tables, columns, required/optional) is read from the `nhird` source
      definition (models/staging/nhird/_nhird__sources.yml): one copy of the contract.
    * Parquet and CSV files in any sub-folder are one table; CSV is read as text
      (all_varchar) and cast by the staging models, never by type guessing.
    * A required table with no files stops the build with a message naming the folder;
      an optional one becomes an empty view with the contract's columns.
    * A file missing a required column stops the build naming the file and the column.
    * Every view carries `_source_file`, the file each row came from, relative to the raw root
      (quarantine reports it; the same extract mounted elsewhere gives the same names).

    Runs as an on-run-start hook; set var `skip_raw_views: true` for commands that do not
    read raw data (e.g. `dbt seed` alone).
-#}
{% macro create_raw_views() %}
    {%- if execute and not var('skip_raw_views', false) -%}
        {%- set raw_root = var('raw_root', env_var('NHI_RAW_ROOT', 'data/raw')) | replace('\\', '/') -%}
        {%- do adapter.dispatch('create_raw_schema', 'nhi_warehouse')() -%}
        {%- for source_node in graph.sources.values() | selectattr('source_name', 'equalto', 'nhird') | sort(attribute='name') -%}
            {%- do adapter.dispatch('create_raw_view', 'nhi_warehouse')(source_node, raw_root.rstrip('/')) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{% macro default__create_raw_schema() %}
    {% do run_query('create schema if not exists raw') %}
{% endmacro %}


{#- Contract columns of a source node as a list of {name, data_type, optional}. -#}
{% macro raw_contract_columns(source_node) %}
    {%- set columns = [] -%}
    {%- for column in source_node.columns.values() -%}
        {%- do columns.append({
            'name': column.name,
            'data_type': column.data_type,
            'optional': (column.meta or {}).get('optional', false)
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{% macro duckdb__create_raw_view(source_node, raw_root) %}
    {%- set table_name = source_node.name -%}
    {%- set folder = raw_root ~ '/' ~ table_name -%}
    {%- set required = (source_node.meta or {}).get('required', false) -%}
    {%- set columns = raw_contract_columns(source_node) -%}
    {%- set parquet_glob = folder ~ '/**/*.parquet' -%}
    {%- set csv_glob = folder ~ '/**/*.csv' -%}

    {%- set files = run_query(
        "select count(*) filter (where lower(file) like '%.parquet') as n_parquet, "
        ~ "count(*) filter (where lower(file) like '%.csv') as n_csv "
        ~ "from (select file from glob('" ~ parquet_glob ~ "') union all select file from glob('" ~ csv_glob ~ "'))"
    ) -%}
    {%- set n_parquet = files.columns[0].values()[0] -%}
    {%- set n_csv = files.columns[1].values()[0] -%}

    {%- if n_parquet == 0 and n_csv == 0 -%}
        {%- if required -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ table_name ~ "' is required but no .parquet or .csv file was found under the folder '"
                ~ folder ~ "'. Set NHI_RAW_ROOT (or --vars '{raw_root: ...}') to the extract's root folder."
            ) }}
        {%- endif -%}
        {%- set empty_columns = [] -%}
        {%- for column in columns -%}
            {%- do empty_columns.append('cast(null as varchar) as "' ~ column.name ~ '"') -%}
        {%- endfor -%}
        {%- do run_query(
            'create or replace view raw.' ~ table_name ~ ' as select '
            ~ empty_columns | join(', ') ~ ', cast(null as varchar) as _source_file where false'
        ) -%}
        {{ log("raw." ~ table_name ~ ": optional table absent (" ~ folder ~ "), using an empty table", info=true) }}
        {{ return('') }}
    {%- endif -%}

    {#- Which contract columns does each file have? One row per (file, missing required column). -#}
    {%- set schema_queries = [] -%}
    {%- if n_parquet > 0 -%}
        {%- do schema_queries.append(
            "select file_name as file, upper(name) as column_name from parquet_schema('" ~ parquet_glob ~ "')"
        ) -%}
    {%- endif -%}
    {%- if n_csv > 0 -%}
        {%- set csv_files = run_query("select file from glob('" ~ csv_glob ~ "') order by file") -%}
        {%- for csv_file in csv_files.columns[0].values() -%}
            {%- do schema_queries.append(
                "select '" ~ csv_file ~ "' as file, upper(column_name) as column_name from (describe select * from read_csv('"
                ~ csv_file ~ "', all_varchar = true, header = true, hive_partitioning = false))"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set required_columns = [] -%}
    {%- for column in columns if not column.optional -%}
        {%- do required_columns.append("('" ~ column.name ~ "')") -%}
    {%- endfor -%}
    {%- set missing = run_query(
        "with present as (" ~ schema_queries | join(' union all ') ~ "), "
        ~ "files as (select distinct file from present), "
        ~ "required(column_name) as (values " ~ required_columns | join(', ') ~ ") "
        ~ "select files.file, required.column_name from files cross join required "
        ~ "where not exists (select 1 from present where present.file = files.file and present.column_name = required.column_name) "
        ~ "order by 1, 2 limit 20"
    ) -%}
    {%- if missing.rows | length > 0 -%}
        {%- set problems = [] -%}
        {%- for row in missing.rows -%}
            {%- do problems.append(row[0] ~ ': missing required column ' ~ row[1]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' breaks the raw-data contract:\n  " ~ problems | join('\n  ')
        ) }}
    {%- endif -%}

    {#- Columns present in at least one file of a format; optional columns absent there become null. -#}
    {%- set as_text = n_parquet > 0 and n_csv > 0 -%}
    {%- set parts = [] -%}
    {%- for fmt in ['parquet', 'csv'] if (n_parquet if fmt == 'parquet' else n_csv) > 0 -%}
        {%- set present = run_query(
            "select distinct column_name from (" ~ schema_queries | join(' union all ') ~ ") "
            ~ "where lower(file) like '%." ~ fmt ~ "'"
        ).columns[0].values() -%}
        {%- set select_list = [] -%}
        {%- for column in columns -%}
            {%- if column.name in present and as_text -%}
                {%- do select_list.append('cast("' ~ column.name ~ '" as varchar) as "' ~ column.name ~ '"') -%}
            {%- elif column.name in present -%}
                {%- do select_list.append('"' ~ column.name ~ '"') -%}
            {%- else -%}
                {%- do select_list.append('cast(null as varchar) as "' ~ column.name ~ '"') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do select_list.append("replace(filename, '" ~ raw_root ~ "/', '') as _source_file") -%}
        {%- if fmt == 'parquet' -%}
            {%- do parts.append(
                'select ' ~ select_list | join(', ') ~ " from read_parquet('" ~ parquet_glob
                ~ "', union_by_name = true, hive_partitioning = false, filename = true)"
            ) -%}
        {%- else -%}
            {%- do parts.append(
                'select ' ~ select_list | join(', ') ~ " from read_csv('" ~ csv_glob
                ~ "', all_varchar = true, header = true, union_by_name = true, hive_partitioning = false, filename = true)"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query('create or replace view raw.' ~ table_name ~ ' as ' ~ parts | join(' union all ')) -%}
    {{ log("raw." ~ table_name ~ ": " ~ n_parquet ~ " parquet and " ~ n_csv ~ " csv file(s) under " ~ folder, info=true) }}
{% endmacro %}
