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
        {%- set listed = adapter.list_relations_without_caching(api.Relation.create(schema=schema)) -%}
        {%- for relation in listed | sort(attribute='identifier') -%}
            {%- set folder = directory.rstrip('/') ~ '/' ~ schema ~ '/' ~ relation.identifier -%}
            {%- do run_query(
                "insert overwrite directory '" ~ folder ~ "' using parquet select * from " ~ relation
            ) -%}
            {%- do log('PARITY_RELATION ' ~ tojson(
                {'schema': schema, 'name': relation.identifier, 'kind': relation.type | string}
            ), info=True) -%}
        {%- endfor -%}
    {%- endfor -%}
{% endmacro %}
