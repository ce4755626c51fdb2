{#-
    Expose each raw-contract table folder `<raw_root>/<table>/` as a view `raw.<table>`.

    * The contract (tables, columns, required/optional) is read from the `nhird` source
      definition (models/staging/nhird/_nhird__sources.yml): one copy of the contract.
    * Parquet and CSV files in any sub-folder are one table; CSV is read as text
      (all_varchar) and cast by the staging models, never by type guessing. Where a folder
      holds both, `raw.<table>` has every column as text; DuckDB also makes one view per kind of
      file, `raw.<table>__parquet` (Parquet's own types) and `raw.<table>__csv` (text), which
      the staging models read (macro typed_raw_rows) so that typed Parquet is not turned into
      text and back.
    * A required table with no files stops the build with a message naming the folder;
      an optional one becomes an empty view with the contract's columns.
    * A file missing a required column stops the build naming the file and the column.
    * Every view carries `_source_file`, the file each row came from, relative to the raw root
      (quarantine reports it; the same extract mounted elsewhere gives the same names).

    Engines: DuckDB (duckdb__create_raw_view) and Spark (spark__create_raw_view, at the end of
    this file): same contract, same views, same errors.

    Runs as an on-run-start hook; set var `skip_raw_views: true` for commands that do not
    read raw data (e.g. `dbt seed` alone).
-#}
{% macro create_raw_views() %}
    {%- if execute and not var('skip_raw_views', false) -%}
        {%- set raw_root = var('raw_root', env_var('NHI_RAW_ROOT', 'data/raw')) | replace('\\', '/') -%}
        {#- create_raw_schema may return what it learnt about the files (Spark: one listing of
            the whole raw root), handed to every create_raw_view. -#}
        {%- set raw_files = adapter.dispatch('create_raw_schema', 'nhi_warehouse')(raw_root.rstrip('/')) -%}
        {%- for source_node in graph.sources.values() | selectattr('source_name', 'equalto', 'nhird') | sort(attribute='name') -%}
            {%- do adapter.dispatch('create_raw_view', 'nhi_warehouse')(source_node, raw_root.rstrip('/'), raw_files) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{% macro default__create_raw_schema(raw_root) %}
    {% do run_query('create schema if not exists raw') %}
    {{ return(none) }}
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


{#- A table folder without any file: a required table stops the build naming the folder; an
    optional one becomes an empty view with the contract's columns (as text). Both engines. -#}
{% macro create_empty_raw_view(table_name, folder, required, columns) %}
    {%- if required -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' is required but no .parquet or .csv file was found under the folder '"
            ~ folder ~ "'. Set NHI_RAW_ROOT (or --vars '{raw_root: ...}') to the extract's root folder."
        ) }}
    {%- endif -%}
    {%- do create_empty_view(table_name, columns) -%}
    {{ log("raw." ~ table_name ~ ": optional table absent (" ~ folder ~ "), using an empty table", info=true) }}
{% endmacro %}


{#- An empty view raw.<name> with the contract's columns and _source_file, all text: an absent
    optional table, and on DuckDB a reader view for a kind of file the folder does not hold. -#}
{% macro create_empty_view(name, columns) %}
    {%- set empty_columns = [] -%}
    {%- for column in columns -%}
        {%- do empty_columns.append(
            'cast(null as ' ~ dbt.type_string() ~ ') as ' ~ adapter.quote(column.name)
        ) -%}
    {%- endfor -%}
    {%- do run_query(
        'create or replace view raw.' ~ name ~ ' as select '
        ~ empty_columns | join(', ') ~ ', cast(null as ' ~ dbt.type_string() ~ ') as _source_file where false'
    ) -%}
{% endmacro %}


{#- The SQL function nhi_raw_csv (src/nhi_warehouse/duckdb_plugin.py) on one CSV file: how to
    read it as the contract table (encoding, layout, the file to read, its columns, the required
    columns it lacks, or why it cannot be read). -#}
{% macro duckdb__prepare_raw_csv(csv_file, table_name) %}
    {%- set overrides = var('raw_csv_encoding', {}) or {} -%}
    {%- set encoding = overrides.get(table_name, '') if overrides is mapping else overrides -%}
    {%- set answer = run_query(
        "select nhi_raw_csv('" ~ csv_file | replace("'", "''") ~ "', '" ~ table_name ~ "', '"
        ~ (encoding or '') | replace("'", "''") ~ "')"
    ) -%}
    {{ return(fromjson(answer.columns[0].values()[0])) }}
{% endmacro %}


{% macro duckdb__create_raw_view(source_node, raw_root, raw_files=none) %}
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
        {%- do create_empty_raw_view(table_name, folder, required, columns) -%}
        {%- do create_empty_view(table_name ~ '__parquet', columns) -%}
        {%- do create_empty_view(table_name ~ '__csv', columns) -%}
        {{ return('') }}
    {%- endif -%}

    {%- set problems = [] -%}
    {%- set required_names = [] -%}
    {%- for column in columns if not column.optional -%}
        {%- do required_names.append(column.name) -%}
    {%- endfor -%}

    {#- Parquet (contract layout): which required columns does each file lack? A 0-byte file is
        reported as such. -#}
    {%- set parquet_present = [] -%}
    {%- if n_parquet > 0 -%}
        {%- for empty_file in run_query(
            "select filename from read_blob('" ~ parquet_glob ~ "') where size = 0 order by 1"
        ).columns[0].values() -%}
            {%- do problems.append(empty_file ~ ': empty file (0 bytes)') -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if n_parquet > 0 and problems | length == 0 -%}
        {%- set schema_query = "select file_name as file, upper(name) as column_name from parquet_schema('"
            ~ parquet_glob ~ "')" -%}
        {%- set required_values = [] -%}
        {%- for name in required_names -%}
            {%- do required_values.append("('" ~ name ~ "')") -%}
        {%- endfor -%}
        {%- set missing = run_query(
            "with present as (" ~ schema_query ~ "), "
            ~ "files as (select distinct file from present), "
            ~ "required(column_name) as (values " ~ required_values | join(', ') ~ ") "
            ~ "select files.file, required.column_name from files cross join required "
            ~ "where not exists (select 1 from present where present.file = files.file and present.column_name = required.column_name) "
            ~ "order by 1, 2 limit 20"
        ) -%}
        {%- for row in missing.rows -%}
            {%- do problems.append(row[0] ~ ': missing required column ' ~ row[1]) -%}
        {%- endfor -%}
        {%- do parquet_present.extend(run_query(
            "select distinct column_name from (" ~ schema_query ~ ")"
        ).columns[0].values()) -%}
    {%- endif -%}

    {#- CSV: each file's encoding and layout (raw_files.py via nhi_raw_csv). UTF-8 files in the
        contract layout are read together; any other file from its UTF-8 contract-layout copy. -#}
    {%- set plain_csv = [] -%}
    {%- set plain_present = [] -%}
    {%- set rewritten_csv = [] -%}
    {%- if n_csv > 0 -%}
        {%- for csv_file in run_query("select file from glob('" ~ csv_glob ~ "') order by file").columns[0].values() -%}
            {%- set prepared = duckdb__prepare_raw_csv(csv_file, table_name) -%}
            {%- set layout_note = ' (NHIRD layout, docs/nhird-layout.md)' if prepared.layout == 'nhird' else '' -%}
            {%- if prepared.error -%}
                {%- do problems.append(csv_file ~ ': ' ~ prepared.error) -%}
            {%- elif prepared.missing | length > 0 -%}
                {%- for name in prepared.missing -%}
                    {%- do problems.append(csv_file ~ ': missing required column ' ~ name ~ layout_note) -%}
                {%- endfor -%}
            {%- elif prepared.read_path == csv_file -%}
                {%- do plain_csv.append(csv_file) -%}
                {%- do plain_present.extend(prepared.columns) -%}
            {%- else -%}
                {%- do rewritten_csv.append(prepared) -%}
                {{ log("raw." ~ table_name ~ ": " ~ csv_file ~ " read as " ~ prepared.encoding ~ layout_note, info=true) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' breaks the raw-data contract:\n  " ~ problems[:20] | join('\n  ')
        ) }}
    {%- endif -%}

    {#- One select per reader; optional columns a reader lacks become null, and every column is
        text when Parquet and CSV files are mixed. -#}
    {%- set as_text = n_parquet > 0 and n_csv > 0 -%}
    {%- set readers = [] -%}
    {%- if n_parquet > 0 -%}
        {%- do readers.append({
            'kind': 'parquet',
            'present': parquet_present,
            'source_file': "replace(filename, '" ~ raw_root ~ "/', '')",
            'from': "read_parquet('" ~ parquet_glob ~ "', union_by_name = true, hive_partitioning = false, filename = true)"
        }) -%}
    {%- endif -%}
    {%- if plain_csv | length > 0 -%}
        {%- set quoted_files = [] -%}
        {%- for csv_file in plain_csv -%}
            {%- do quoted_files.append("'" ~ csv_file | replace("'", "''") ~ "'") -%}
        {%- endfor -%}
        {%- do readers.append({
            'kind': 'csv',
            'present': plain_present,
            'source_file': "replace(filename, '" ~ raw_root ~ "/', '')",
            'from': "read_csv([" ~ quoted_files | join(', ')
                ~ "], all_varchar = true, header = true, union_by_name = true, hive_partitioning = false, filename = true)"
        }) -%}
    {%- endif -%}
    {%- for prepared in rewritten_csv -%}
        {%- do readers.append({
            'kind': 'csv',
            'present': prepared.columns,
            'source_file': "'" ~ prepared.file | replace(raw_root ~ '/', '', 1) | replace("'", "''") ~ "'",
            'from': "read_csv('" ~ prepared.read_path | replace("'", "''")
                ~ "', all_varchar = true, header = true, hive_partitioning = false)"
        }) -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- set reader_parts = {'parquet': [], 'csv': []} -%}
    {%- for reader in readers -%}
        {%- set select_list = [] -%}
        {%- set typed_list = [] -%}
        {%- for column in columns -%}
            {%- if column.name in reader.present -%}
                {%- do typed_list.append('"' ~ column.name ~ '"') -%}
                {%- do select_list.append(
                    'cast("' ~ column.name ~ '" as varchar) as "' ~ column.name ~ '"' if as_text else '"' ~ column.name ~ '"'
                ) -%}
            {%- else -%}
                {%- do typed_list.append('cast(null as varchar) as "' ~ column.name ~ '"') -%}
                {%- do select_list.append('cast(null as varchar) as "' ~ column.name ~ '"') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do select_list.append(reader.source_file ~ ' as _source_file') -%}
        {%- do typed_list.append(reader.source_file ~ ' as _source_file') -%}
        {%- do parts.append('select ' ~ select_list | join(', ') ~ ' from ' ~ reader['from']) -%}
        {%- do reader_parts[reader.kind].append('select ' ~ typed_list | join(', ') ~ ' from ' ~ reader['from']) -%}
    {%- endfor -%}
    {%- do run_query('create or replace view raw.' ~ table_name ~ ' as ' ~ parts | join(' union all ')) -%}
    {#- The same rows by kind of file, each with its own types (Parquet as written, CSV as text):
        raw.<table>__parquet and raw.<table>__csv, read by typed_raw_rows. Both always exist (empty
        when the folder has no file of that kind), so a base view compiled in an earlier run still
        reads every file of this one. -#}
    {%- for kind, kind_parts in reader_parts.items() -%}
        {%- if kind_parts -%}
            {%- do run_query('create or replace view raw.' ~ table_name ~ '__' ~ kind ~ ' as ' ~ kind_parts | join(' union all ')) -%}
        {%- else -%}
            {%- do create_empty_view(table_name ~ '__' ~ kind, columns) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log("raw." ~ table_name ~ ": " ~ n_parquet ~ " parquet and " ~ n_csv ~ " csv file(s) under " ~ folder, info=true) }}
{% endmacro %}


{#- ======================================================================================
    Spark. Spark SQL cannot glob, so the raw root is listed once with the `binaryFile` data
    source (file names and sizes only: the content column is never read). Each table folder
    becomes one or two EXTERNAL tables over the folder (`raw.<table>__parquet`,
    `raw.<table>__csv`; dropping them never touches the files) read recursively without
    partition inference (a `fee_ym=202204/` folder must not add a column), and the view
    `raw.<table>` unions them with `_source_file`.

    * Parquet: schemas of all files merged (mergeSchema, like DuckDB's union_by_name).
    * CSV: every file's header line is read (one pass over the CSV text); columns are taken by
      position per header, so files whose columns differ in order or number still line up by
      name, and every value is text.
    * Missing required columns: CSV from each header; Parquet from one count per file and
      column over the merged table, and only a file where a required column is entirely null
      (or that has no rows) has its own schema read to tell "absent" from "all null".
    * Files and folders whose names start with `_` or `.` are ignored (Spark's rule).
   ====================================================================================== -#}

{#- A Spark SQL string literal. -#}
{% macro spark_string_literal(text) -%}
    '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}

{#- A file URI as DuckDB prints a file name: local files without the `file:` scheme. -#}
{% macro spark_file_name(uri_expression) -%}
    regexp_replace({{ uri_expression }}, '^file:(//)?', '')
{%- endmacro %}

{#- A file URI's path relative to the raw root, given the raw root's path without scheme and
    authority (as the DuckDB views' `_source_file`: 'cd/fee_ym=202204/part-0.parquet'). -#}
{% macro spark_relative_file(uri_expression, root_path) -%}
    substr(regexp_replace({{ uri_expression }}, '^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?', ''), {{ (root_path | length) + 2 }})
{%- endmacro %}


{% macro spark__create_raw_schema(raw_root) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query(
        "create or replace temporary view nhi_raw_files using binaryFile options (path "
        ~ spark_string_literal(raw_root) ~ ", recursiveFileLookup 'true', pathGlobFilter '*.{parquet,csv}')"
    ) -%}
    {%- set listing = run_query(
        "select path, " ~ spark_file_name('path') ~ " as file from nhi_raw_files order by path"
    ) -%}
    {#- Relate each file to its table folder: compare paths without scheme and authority. -#}
    {%- set re = modules.re -%}
    {%- set strip_scheme = '^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?' -%}
    {%- set root_path = re.sub('^(\\./)+', '', re.sub(strip_scheme, '', raw_root)) -%}
    {%- set by_table = {} -%}
    {%- for row in listing.rows -%}
        {%- set uri = row[0] -%}
        {%- set path = re.sub(strip_scheme, '', uri) -%}
        {%- if root_path.startswith('/') -%}
            {%- set at = path.find(root_path ~ '/') -%}
        {%- else -%}
            {%- set at = path.find('/' ~ root_path ~ '/') -%}
            {%- set at = at + 1 if at >= 0 else at -%}
        {%- endif -%}
        {%- if at < 0 -%}
            {{ exceptions.raise_compiler_error(
                "Spark listed the raw file '" ~ uri ~ "' but it is not under the raw root '" ~ raw_root
                ~ "' as written. Set NHI_RAW_ROOT to an absolute path or URI (hdfs://..., s3a://...)."
            ) }}
        {%- endif -%}
        {%- set relative = path[at + root_path | length + 1:] -%}
        {%- set table_name = relative.split('/')[0] -%}
        {%- set folder_uri = uri[:(uri | length) - (path | length) + at + (root_path | length) + 1 + (table_name | length)] -%}
        {%- if '/' in relative -%}
            {%- if table_name not in by_table -%}
                {%- do by_table.update({table_name: {
                    'folder': folder_uri,
                    'root_path': path[:at + root_path | length],
                    'files': []
                }}) -%}
            {%- endif -%}
            {%- do by_table[table_name]['files'].append({
                'uri': uri,
                'file': row[1],
                'relative': relative,
                'format': 'parquet' if uri.endswith('.parquet') else 'csv'
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(by_table) }}
{% endmacro %}


{% macro spark__create_raw_view(source_node, raw_root, raw_files) %}
    {%- set table_name = source_node.name -%}
    {%- set folder = raw_root ~ '/' ~ table_name -%}
    {%- set required = (source_node.meta or {}).get('required', false) -%}
    {%- set columns = raw_contract_columns(source_node) -%}
    {%- set listed = raw_files.get(table_name, {'folder': none, 'files': []}) -%}
    {%- set parquet_files = listed['files'] | selectattr('format', 'equalto', 'parquet') | list -%}
    {%- set csv_files = listed['files'] | selectattr('format', 'equalto', 'csv') | list -%}
    {%- set n_parquet = parquet_files | length -%}
    {%- set n_csv = csv_files | length -%}
    {%- set parquet_table = 'raw.' ~ table_name ~ '__parquet' -%}
    {%- set csv_table = 'raw.' ~ table_name ~ '__csv' -%}
    {%- do run_query('drop table if exists ' ~ parquet_table) -%}
    {%- do run_query('drop table if exists ' ~ csv_table) -%}

    {%- if n_parquet == 0 and n_csv == 0 -%}
        {%- do create_empty_raw_view(table_name, folder, required, columns) -%}
        {{ return('') }}
    {%- endif -%}

    {%- set required_names = [] -%}
    {%- for column in columns if not column.optional -%}
        {%- do required_names.append(column.name) -%}
    {%- endfor -%}
    {%- set problems = [] -%}

    {#- Parquet: one external table over the folder, schemas merged. -#}
    {%- set parquet_columns = {} -%}
    {%- if n_parquet > 0 -%}
        {%- do run_query(
            'create table ' ~ parquet_table ~ " using parquet options (recursiveFileLookup 'true', "
            ~ "pathGlobFilter '*.parquet', mergeSchema 'true') location " ~ spark_string_literal(listed['folder'])
        ) -%}
        {%- for name in run_query('select * from ' ~ parquet_table ~ ' limit 0').column_names -%}
            {%- do parquet_columns.update({name | upper: name}) -%}
        {%- endfor -%}
        {%- set in_merged = [] -%}
        {%- for name in required_names -%}
            {%- if name in parquet_columns -%}
                {%- do in_merged.append(name) -%}
            {%- else -%}
                {%- for entry in parquet_files -%}
                    {%- do problems.append(entry.file ~ ': missing required column ' ~ name) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
        {#- Rows and non-null values per file and required column. -#}
        {%- set counts_sql = [] -%}
        {%- for name in in_merged -%}
            {%- do counts_sql.append('count(`' ~ parquet_columns[name] ~ '`)') -%}
        {%- endfor -%}
        {%- set counted = run_query(
            'select ' ~ spark_relative_file('_metadata.file_path', listed['root_path']) ~ ' as file, count(*) as n_rows'
            ~ (', ' ~ counts_sql | join(', ') if counts_sql else '')
            ~ ' from ' ~ parquet_table ~ ' group by 1'
        ) -%}
        {%- set suspects = {} -%}
        {%- for row in counted.rows -%}
            {%- for name in in_merged -%}
                {%- if row[loop.index0 + 2] == 0 -%}
                    {%- do suspects.update({row[0]: true}) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set with_rows = counted.columns[0].values() -%}
        {%- for entry in parquet_files -%}
            {%- if entry.relative in suspects or entry.relative not in with_rows -%}
                {%- set own = [] -%}
                {%- for name in run_query('select * from parquet.`' ~ entry.uri | replace('`', '``') ~ '` limit 0').column_names -%}
                    {%- do own.append(name | upper) -%}
                {%- endfor -%}
                {%- for name in in_merged if name not in own -%}
                    {%- do problems.append(entry.file ~ ': missing required column ' ~ name) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {#- CSV: each file's header (first line), then files grouped by header. -#}
    {%- set csv_groups = [] -%}
    {%- set csv_width = [0] -%}
    {%- if n_csv > 0 -%}
        {%- do run_query(
            'create or replace temporary view nhi_raw_csv_lines using text options (path '
            ~ spark_string_literal(listed['folder']) ~ ", recursiveFileLookup 'true', pathGlobFilter '*.csv')"
        ) -%}
        {%- set headers = run_query(
            'select file, min_by(value, line_id) as header from (select '
            ~ spark_relative_file('input_file_name()', listed['root_path']) ~ ' as file, value, monotonically_increasing_id() as line_id '
            ~ 'from nhi_raw_csv_lines where input_file_block_start() = 0) as lines group by file'
        ) -%}
        {%- set header_of = {} -%}
        {%- for row in headers.rows -%}
            {%- set names = [] -%}
            {%- for field in modules.re.sub('^[^A-Za-z0-9_"]+', '', row[1] or '').split(',') -%}
                {%- do names.append(field.strip().strip('"').strip() | upper) -%}
            {%- endfor -%}
            {%- do header_of.update({row[0]: names}) -%}
        {%- endfor -%}
        {%- for entry in csv_files -%}
            {%- set names = header_of.get(entry.relative, []) -%}
            {%- for name in required_names if name not in names -%}
                {%- do problems.append(entry.file ~ ': missing required column ' ~ name) -%}
            {%- endfor -%}
            {%- set key = names | join(',') -%}
            {%- set group = csv_groups | selectattr('key', 'equalto', key) | first -%}
            {%- if group is defined and group -%}
                {%- do group['files'].append(entry.relative) -%}
            {%- else -%}
                {%- do csv_groups.append({'key': key, 'names': names, 'files': [entry.relative]}) -%}
            {%- endif -%}
            {%- if names | length > csv_width[0] -%}
                {%- do csv_width.append(names | length) -%}
                {%- do csv_width.pop(0) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' breaks the raw-data contract:\n  " ~ (problems | sort)[:20] | join('\n  ')
        ) }}
    {%- endif -%}

    {#- The view: Parquet part and CSV part, by contract column name. -#}
    {%- set as_text = n_parquet > 0 and n_csv > 0 -%}
    {%- set parts = [] -%}
    {%- if n_parquet > 0 -%}
        {%- set select_list = [] -%}
        {%- for column in columns -%}
            {%- if column.name in parquet_columns and as_text -%}
                {%- do select_list.append('cast(`' ~ parquet_columns[column.name] ~ '` as string) as `' ~ column.name ~ '`') -%}
            {%- elif column.name in parquet_columns -%}
                {%- do select_list.append('`' ~ parquet_columns[column.name] ~ '` as `' ~ column.name ~ '`') -%}
            {%- else -%}
                {%- do select_list.append('cast(null as string) as `' ~ column.name ~ '`') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do select_list.append(spark_relative_file('_metadata.file_path', listed['root_path']) ~ ' as _source_file') -%}
        {%- do parts.append('select ' ~ select_list | join(', ') ~ ' from ' ~ parquet_table) -%}
    {%- endif -%}
    {%- if n_csv > 0 -%}
        {%- set positions = [] -%}
        {%- for i in range(csv_width[0]) -%}
            {%- do positions.append('c' ~ i ~ ' string') -%}
        {%- endfor -%}
        {%- do run_query(
            'create table ' ~ csv_table ~ ' (' ~ positions | join(', ') ~ ") using csv options (header 'true', "
            ~ "enforceSchema 'true', recursiveFileLookup 'true', pathGlobFilter '*.csv', multiLine 'true', "
            ~ "quote '\"', escape '\"', mode 'PERMISSIVE') location " ~ spark_string_literal(listed['folder'])
        ) -%}
        {%- set file_expression = spark_relative_file('_metadata.file_path', listed['root_path']) -%}
        {%- set select_list = [] -%}
        {%- for column in columns -%}
            {%- set branches = [] -%}
            {%- for group in csv_groups if column.name in group.names -%}
                {%- set position = 'c' ~ group.names.index(column.name) -%}
                {%- if csv_groups | length == 1 -%}
                    {%- do branches.append(position) -%}
                {%- else -%}
                    {%- set quoted = [] -%}
                    {%- for file in group.files -%}
                        {%- do quoted.append(spark_string_literal(file)) -%}
                    {%- endfor -%}
                    {%- do branches.append('when ' ~ file_expression ~ ' in (' ~ quoted | join(', ') ~ ') then ' ~ position) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if branches | length == 0 -%}
                {%- do select_list.append('cast(null as string) as `' ~ column.name ~ '`') -%}
            {%- elif csv_groups | length == 1 -%}
                {%- do select_list.append(branches[0] ~ ' as `' ~ column.name ~ '`') -%}
            {%- else -%}
                {%- do select_list.append('case ' ~ branches | join(' ') ~ ' end as `' ~ column.name ~ '`') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do select_list.append(file_expression ~ ' as _source_file') -%}
        {%- do parts.append('select ' ~ select_list | join(', ') ~ ' from ' ~ csv_table) -%}
    {%- endif -%}
    {%- do run_query('create or replace view raw.' ~ table_name ~ ' as ' ~ parts | join(' union all ')) -%}
    {{ log("raw." ~ table_name ~ ": " ~ n_parquet ~ " parquet and " ~ n_csv ~ " csv file(s) under " ~ folder, info=true) }}
{% endmacro %}
