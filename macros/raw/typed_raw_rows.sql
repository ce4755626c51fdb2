{#-
    The rows of a raw table with each column cleaned and typed as the raw-data contract says
    (its `data_type` in models/staging/nhird/_nhird__sources.yml), for the base models.

    `columns` maps contract column names, in output order, to an output name (a text column) or
    to [output name, type]; the type must be the contract's (a build stops on a difference).
      * a text column: `<name>`, the value with surrounding blanks removed, empty text as null
        (clean_text);
      * any other type: `<name>`, the typed value, or null where the raw value is not a valid
        literal of the type (the base models' rules reject such rows), and `<name>_text`, the
        cleaned raw value as text (what a rejected row reports).
    Plus `source_file`. `where` (e.g. fee_month_filter's `and ...`) applies to every reader.

    Typed Parquet is taken as it is: on DuckDB each kind of file is read from its own view
    (raw.<table>__parquet, raw.<table>__csv; create_raw_views), and a Parquet column that already
    has the contract's type is not turned into text and back. CSV text, and a Parquet column of
    any other type, is cleaned as text and strictly cast (dbt.safe_cast). Both give the same
    values for the same rows (a typed date or timestamp before year 1 is invalid, like its text). Other engines, and unit tests, read the table's raw view as text.
-#}
{% macro typed_raw_rows(source_relation, columns, where='') -%}
    {%- set contract = typed_raw_contract(source_relation) -%}
    {%- set readers = adapter.dispatch('typed_raw_readers', 'nhi_warehouse')(source_relation) -%}
    {%- for reader in readers %}
    select
        {%- for raw_name, spec in columns.items() %}
        {%- set name = spec if spec is string else spec[0] %}
        {%- set data_type = 'varchar' if spec is string else spec[1] %}
        {%- if contract and contract.get(raw_name) != data_type | lower | replace(' ', '') %}
        {{ exceptions.raise_compiler_error(
            'typed_raw_rows: ' ~ source_relation.identifier ~ '.' ~ raw_name ~ ' is read as ' ~ data_type
            ~ ' but the raw-data contract (_nhird__sources.yml) says ' ~ contract.get(raw_name)
        ) }}
        {%- endif %}
        {%- set quoted = '"' ~ raw_name ~ '"' %}
        {%- if spec is string %}
        {{ clean_text(quoted) }} as {{ name }},
        {%- elif reader.types.get(raw_name) == data_type | lower | replace(' ', '') %}
        {%- if data_type | lower in ['date', 'timestamp'] %}
        {#- the contract's dates have a 4-digit year: a typed date before year 1 (BC) is invalid,
            as its text is on the text path #}
        case when {{ quoted }} >= cast('0001-01-01' as {{ data_type }}) then {{ quoted }} end as {{ name }},
        {%- else %}
        {{ quoted }} as {{ name }},
        {%- endif %}
        cast({{ quoted }} as {{ dbt.type_string() }}) as {{ name }}_text,
        {%- else %}
        {{ dbt.safe_cast(clean_text(quoted), data_type) }} as {{ name }},
        {{ clean_text(quoted) }} as {{ name }}_text,
        {%- endif %}
        {%- endfor %}
        _source_file as source_file
    from {{ reader.relation }}
    where true
    {{ where }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}


{#- {contract column name: its data_type, lower case without blanks} of the source's table (empty
    where the graph is not at hand, as in unit tests). -#}
{% macro typed_raw_contract(source_relation) -%}
    {%- set contract = {} -%}
    {%- if execute -%}
        {%- for node in (graph.get('sources') or {}).values()
            if node.source_name == 'nhird' and node.name == source_relation.identifier -%}
            {%- for column in node.columns.values() -%}
                {%- do contract.update({column.name: (column.data_type or 'varchar') | lower | replace(' ', '')}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(contract) }}
{%- endmacro %}


{#- The relations to read, each with {column: type} (empty: read every column as text). -#}
{% macro default__typed_raw_readers(source_relation) -%}
    {{ return([{'relation': source_relation, 'types': {}}]) }}
{%- endmacro %}

{% macro duckdb__typed_raw_readers(source_relation) -%}
    {%- set readers = [] -%}
    {%- if execute and source_relation.schema == 'raw' -%}
        {%- set found = run_query(
            "select table_name, upper(column_name), lower(replace(data_type, ' ', '')) "
            ~ "from information_schema.columns where table_catalog = current_database() and table_schema = 'raw' "
            ~ "and table_name in ('" ~ source_relation.identifier ~ "__parquet', '" ~ source_relation.identifier ~ "__csv') "
            ~ "order by table_name desc, ordinal_position"
        ) -%}
        {%- set by_view = {} -%}
        {%- for row in found.rows -%}
            {%- do by_view.setdefault(row[0], {}).update({row[1]: row[2]}) -%}
        {%- endfor -%}
        {%- for view_name, types in by_view.items() -%}
            {%- do readers.append({
                'relation': api.Relation.create(database=source_relation.database, schema='raw', identifier=view_name),
                'types': types
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(readers or [{'relation': source_relation, 'types': {}}]) }}
{%- endmacro %}
