{#- The one dedupe rule of outpatient order lines (oo): one line per natural key (claim key +
    ORDER_SEQ_NO); the latest APPL_DATE wins, then the latest file. Used by stg_nhird__oo (every
    valid line, for analysts) and int_outpatient_orders_listed (only the keys carrying a listed
    code: the 8 % of lines the marts read). -#}
{% macro deduplicate_order_lines(relation) -%}
    {{ dedupe_latest(
        relation,
        ['hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no', 'order_seq_no'],
        'appl_date desc, source_file desc, order_code, order_dot desc'
    ) }}
{%- endmacro %}

{#- `select order_code`: the codes on the reference lists whose order lines the marts read
    (int_outpatient_orders_listed.is_mart_code, besides the care-plan numerator prefixes). -#}
{% macro mart_order_codes() -%}
    select order_code from {{ ref('fee_schedule_items') }}
    union
    select order_code from {{ ref('reexam_item_map') }}
    union
    select order_code from {{ ref('upload_items') }}
{%- endmacro %}
