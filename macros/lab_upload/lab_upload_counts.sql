{#-
    The additive counts of the lab-upload models (domain spec §7; source 003), one definition for
    int_lab_upload_institution_months and every lab-upload mart. Per institution (summed per
    group by the marts):
      claimed_orders             申報醫令數 listed order lines the institution claimed
      delegated_orders           of those, uploaded by another institution on its behalf (交付機構
                                 協助上傳: not counted in its own rate, source 003)
      delegated_uploaded_orders  of those, uploaded in time
      assisted_orders            lines of other claimants the institution uploaded on their behalf
      assisted_uploaded_orders   of those, uploaded in time
      responsible_orders         應上傳醫令數 = claimed − delegated + assisted: the rate's denominator
      uploaded_orders            3日內上傳醫令數 responsible lines uploaded in time: the numerator
      timely_24h_orders          ... within 24 hours (full reward)
      late_uploaded_orders       responsible lines uploaded, but not in time
      not_uploaded_orders        responsible lines with no upload at all
      claimed_points             points of the claimed lines
      unverified_points          points of the claimed lines with no upload at all
      reward_points              upload reward of the claimed lines
-#}
{% macro lab_upload_count_columns() -%}
    {{ return([
        'claimed_orders', 'delegated_orders', 'delegated_uploaded_orders', 'assisted_orders',
        'assisted_uploaded_orders', 'responsible_orders', 'uploaded_orders', 'timely_24h_orders', 'late_uploaded_orders',
        'not_uploaded_orders', 'claimed_points', 'unverified_points', 'reward_points',
    ]) }}
{%- endmacro %}

{#- `sum(<column>) as <column>` for every count column, comma separated. -#}
{% macro lab_upload_sums(prefix='') -%}
    {%- for column in lab_upload_count_columns() %}
    sum({{ prefix }}{{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
