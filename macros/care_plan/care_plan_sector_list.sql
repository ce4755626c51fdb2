{#- The sectors (總額部門) whose institutions take part in the care-plan measures, as an SQL
    list: ('HOSPITAL', 'WM_PRIMARY') by default. From var `care_plan_sectors`: the care plans
    are western-medicine programmes, so TCM, dental, dialysis and other claims are out of scope. -#}
{% macro care_plan_sector_list() -%}
    {%- set sectors = var('care_plan_sectors', ['HOSPITAL', 'WM_PRIMARY']) -%}
    ({%- for sector in sectors -%}'{{ sector }}'{%- if not loop.last %}, {% endif -%}{%- endfor -%})
{%- endmacro %}
