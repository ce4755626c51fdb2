{#- Keyed hash of a personal identifier (ID, PRSN_ID): the first 20 hex characters (80 bits) of
    HMAC-SHA256(key, identifier) (RFC 2104), the key being the NHI_ID_KEY environment variable.
    Null stays null. Same digest on DuckDB and Spark, equal to Python's
    hmac.new(key, identifier, hashlib.sha256).hexdigest()[:20] (tests/python/test_id_key.py).

    Neither engine has an hmac function, so it is built from SHA-256 over bytes:
        HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m))
    with K' the UTF-8 key zero-padded to 64 bytes (a longer key is first replaced by its SHA-256),
    ipad = 0x36 and opad = 0x5c repeated. The two padded keys are computed here, at compile time,
    and written into the SQL as hex literals: the compiled SQL under target/ therefore holds the
    key in a reversible form - never publish target/ of a real run.

    The key policy (no empty key; the public demo key only for the generator's synthetic extract
    or an explicit demo flag) is enforced once per dbt invocation by the on-run-start hook
    check_id_key (macros/id_key.sql); an empty key also stops here. -#}
{% macro pseudonymise(column) -%}
    {%- set pads = hmac_key_pads(id_key()) -%}
    {{ adapter.dispatch('hmac_sha256_hex', 'nhi_warehouse')(pads.inner, pads.outer, column, 20) }}
{%- endmacro %}


{#- The pseudonymisation key: NHI_ID_KEY, else the public demo key. -#}
{% macro id_key() -%}
    {%- set key = env_var('NHI_ID_KEY', demo_id_key()) -%}
    {%- if execute and key | trim == '' -%}
        {{ exceptions.raise_compiler_error(
            "NHI_ID_KEY is set but empty: an empty pseudonymisation key protects no one. "
            ~ "Set it to a long secret (or unset it to use the public demo key on the synthetic demo extract)."
        ) }}
    {%- endif -%}
    {{ return(key) }}
{%- endmacro %}


{#- Public, documented, and only for the generator's synthetic extract (src/nhi_warehouse/settings.py
    DEMO_ID_KEY holds the same value). -#}
{% macro demo_id_key() -%}
    {{ return('nhi-warehouse-demo-key') }}
{%- endmacro %}


{#- {'inner': hex of K' xor ipad, 'outer': hex of K' xor opad}, 64 bytes each. -#}
{% macro hmac_key_pads(key) -%}
    {%- set key_bytes = key.encode('utf-8') | list -%}
    {%- if key_bytes | length > 64 -%}
        {%- set key_bytes = long_key_digest(key_bytes) -%}
    {%- endif -%}
    {%- set inner = [] -%}
    {%- set outer = [] -%}
    {%- for position in range(64) -%}
        {%- set byte = key_bytes[position] if position < key_bytes | length else 0 -%}
        {%- do inner.append('%02x' | format(xor_byte(byte, 54))) -%}
        {%- do outer.append('%02x' | format(xor_byte(byte, 92))) -%}
    {%- endfor -%}
    {{ return({'inner': inner | join(''), 'outer': outer | join('')}) }}
{%- endmacro %}


{#- a xor b for two integers 0-255 (Jinja has no bitwise operators). -#}
{% macro xor_byte(a, b) -%}
    {%- set state = namespace(result=0, bit=1) -%}
    {%- for _ in range(8) -%}
        {%- if (a // state.bit) % 2 != (b // state.bit) % 2 -%}
            {%- set state.result = state.result + state.bit -%}
        {%- endif -%}
        {%- set state.bit = state.bit * 2 -%}
    {%- endfor -%}
    {{ return(state.result) }}
{%- endmacro %}


{#- SHA-256 of a key longer than the 64-byte block, as a list of 32 integers (HMAC's K = H(K)).
    Jinja has no SHA-256, so the engine computes it over the key's bytes (given as hex: no quoting
    issue) at execution; while parsing, a placeholder. -#}
{% macro long_key_digest(key_bytes) -%}
    {%- if not execute -%}
        {{ return([0] * 32) }}
    {%- endif -%}
    {%- set key_hex = [] -%}
    {%- for byte in key_bytes -%}
        {%- do key_hex.append('%02x' | format(byte)) -%}
    {%- endfor -%}
    {%- set digest = run_query(
        'select ' ~ adapter.dispatch('sha256_of_hex', 'nhi_warehouse')(key_hex | join(''))
    ).columns[0].values()[0] -%}
    {%- set digest_bytes = [] -%}
    {%- for position in range(32) -%}
        {%- do digest_bytes.append(digest[2 * position:2 * position + 2] | int(base=16)) -%}
    {%- endfor -%}
    {{ return(digest_bytes) }}
{%- endmacro %}


{#- HMAC-SHA256 of a text expression from the two padded keys (hex), as `length` lower-case hex
    characters: sha256 over blobs (DuckDB), sha2 over binary (Spark). -#}
{% macro default__hmac_sha256_hex(inner_pad, outer_pad, expression, length) -%}
    substr(sha256(unhex('{{ outer_pad }}') || unhex(sha256(unhex('{{ inner_pad }}') || encode({{ expression }})))), 1, {{ length }})
{%- endmacro %}

{% macro spark__hmac_sha256_hex(inner_pad, outer_pad, expression, length) -%}
    substr(sha2(concat(unhex('{{ outer_pad }}'), unhex(sha2(concat(unhex('{{ inner_pad }}'), encode({{ expression }}, 'UTF-8')), 256))), 256), 1, {{ length }})
{%- endmacro %}


{#- SHA-256 (64 hex characters) of the bytes given as hex (a long key only). -#}
{% macro default__sha256_of_hex(bytes_hex) -%}
    sha256(unhex('{{ bytes_hex }}'))
{%- endmacro %}

{% macro spark__sha256_of_hex(bytes_hex) -%}
    sha2(unhex('{{ bytes_hex }}'), 256)
{%- endmacro %}
