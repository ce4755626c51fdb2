{#- The parity check's reader on Spark (python -m nhi_warehouse.parity): every table AND view of
    the given schemas, as listed by the engine's own catalog, written through Spark as Parquet to
    <directory>/<schema>/<relation>/, and logged as one `PARITY_RELATION {json}` line each (name,
    kind). Through Spark rather than from the table folders, so views are compared too and the
    reader does not depend on where the cluster keeps its tables. Spark only. -#}
{% macro parity_export_relations(schemas, directory) %}
    {%- if target.type != 'spark' -%}
        {{ exceptions.raise_compiler_error('parity_export_relations runs on the Spark targets only') }}
    {%- endif -%}
    {%- for schema in schemas -%}
        {%- set views = run_query('show views in ' ~ schema).columns[1].values() | list -%}
        {%- set tables = run_query('show tables in ' ~ schema).columns[1].values() | list -%}
        {%- for name in tables | sort -%}
            {%- set folder = directory.rstrip('/') ~ '/' ~ schema ~ '/' ~ name -%}
            {%- do run_query(
                "insert overwrite directory '" ~ folder ~ "' using parquet select * from " ~ schema ~ '.' ~ name
            ) -%}
            {%- do log('PARITY_RELATION ' ~ tojson(
                {'schema': schema, 'name': name, 'kind': 'view' if name in views else 'table'}
            ), info=True) -%}
        {%- endfor -%}
    {%- endfor -%}
{% endmacro %}
