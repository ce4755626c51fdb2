{#-
    The pseudonymisation key policy, enforced once at the start of every dbt invocation (the first
    on-run-start hook, so plain `dbt build` obeys it as well as `nhi`):

    * NHI_ID_KEY set but empty (or blank): refused.
    * NHI_ID_KEY unset, or set to the public demo key: refused unless
        - the extract is the generator's synthetic one: `<raw root>/_manifest.json` says
          "synthetic": true (written by `nhi generate`; DuckDB reads it - Spark cannot, as it skips
          files whose name starts with `_`), or
        - the demo is asked for explicitly: `--vars '{nhi_demo: true}'`, NHI_DEMO=1, or `nhi build --demo`.
    * Otherwise the key is used.
    The demo-key check applies when the invocation runs a model that pseudonymises (`dbt seed` or
    `dbt test --select test_type:unit` on a fresh checkout do not need a key).

    Either way the log says which key is in use by its fingerprint (never the key): the first 16 hex
    characters of HMAC-SHA256(key, 'nhi-warehouse key fingerprint'), the same value `nhi` prints
    (nhi_warehouse.settings.id_key_fingerprint) and the build record keeps.
-#}
{% macro check_id_key() -%}
    {%- if execute -%}
        {%- set key = id_key() -%}
        {%- set fingerprint = id_key_fingerprint() -%}
        {%- if key != demo_id_key() -%}
            {{ log('pseudonymisation key: NHI_ID_KEY, fingerprint ' ~ fingerprint ~ ' (HMAC-SHA256)', info=true) }}
            {{ return('') }}
        {%- endif -%}
        {%- set raw_root = var('raw_root', env_var('NHI_RAW_ROOT', 'data/raw')) | replace('\\', '/') -%}
        {%- if pseudonymising_models() | length == 0 -%}
            {{ log('pseudonymisation key: the public demo key, fingerprint ' ~ fingerprint
                   ~ ' - not used: no selected model pseudonymises', info=true) }}
            {{ return('') }}
        {%- elif var('nhi_demo', false) or env_var('NHI_DEMO', '') | lower in ['1', 'true', 'yes'] -%}
            {%- set reason = 'demo explicitly requested (nhi_demo / NHI_DEMO)' -%}
        {%- elif adapter.dispatch('extract_is_synthetic', 'nhi_warehouse')(raw_root.rstrip('/')) -%}
            {%- set reason = raw_root.rstrip('/') ~ '/_manifest.json says the extract is the generator\'s synthetic one' -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "NHI_ID_KEY is not set (or is the public demo key), and the extract in '" ~ raw_root
                ~ "' is not the generator's synthetic extract: its patient and physician keys would be "
                ~ "re-identifiable by anyone. Set NHI_ID_KEY to a long secret (and keep it: a new key changes "
                ~ "every patient_key). For a demo, pass --vars '{nhi_demo: true}' or NHI_DEMO=1 (nhi build --demo)."
            ) }}
        {%- endif -%}
        {{ log('pseudonymisation key: the PUBLIC demo key, fingerprint ' ~ fingerprint ~ ' - ' ~ reason
               ~ '; never use it for real data', info=true) }}
    {%- endif -%}
{%- endmacro %}


{#- Fingerprint of the key in use: 16 hex characters of HMAC-SHA256(key, 'nhi-warehouse key fingerprint'). -#}
{% macro id_key_fingerprint() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set pads = hmac_key_pads(id_key()) -%}
    {%- set expression = adapter.dispatch('hmac_sha256_hex', 'nhi_warehouse')(
        pads.inner, pads.outer, "'nhi-warehouse key fingerprint'", 16) -%}
    {{ return(run_query('select ' ~ expression).columns[0].values()[0]) }}
{%- endmacro %}


{#- Does `<raw_root>/_manifest.json` say "synthetic": true (the generator's extract)? -#}
{% macro default__extract_is_synthetic(raw_root) -%}
    {%- set manifest = (raw_root ~ '/_manifest.json') | replace("'", "''") -%}
    {%- if run_query("select count(*) from glob('" ~ manifest ~ "')").columns[0].values()[0] == 0 -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set flag = run_query(
        "select coalesce(try(json_extract(content, '$.synthetic')::boolean), false) from read_text('" ~ manifest ~ "')"
    ).columns[0].values()[0] -%}
    {{ return(flag == true) }}
{%- endmacro %}

{#- Spark lists no file whose name starts with `_` (its hidden-file rule, also for a path given
    explicitly), so it cannot read the manifest: on Spark the demo key needs the explicit flag. -#}
{% macro spark__extract_is_synthetic(raw_root) -%}
    {{ log("Spark cannot read " ~ raw_root ~ "/_manifest.json (files starting with '_' are hidden to it)", info=true) }}
    {{ return(false) }}
{%- endmacro %}


{#- The selected models that call pseudonymise (the staging models of tables with personal IDs). -#}
{% macro pseudonymising_models() -%}
    {%- set found = [] -%}
    {%- for unique_id in selected_resources -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node and node.resource_type in ['model', 'snapshot']
              and 'macro.nhi_warehouse.pseudonymise' in node.depends_on.macros -%}
            {%- do found.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
