{#-
    lab_upload_counts(): the counts of a group of claimed order lines from int_lab_orders_matched
    (domain spec §7), one definition for every lab-upload mart:
      claimed_orders            claimed order lines of listed codes
      uploaded_orders           with a matching upload within 72 h of the report (上傳)
      timely_24h_orders         ... within 24 h (full reward)
      late_uploaded_orders      with an upload, but later than 72 h
      not_uploaded_orders       with no upload at all
      uploaded_by_other_orders  uploaded by another institution (a laboratory) for the claimant
      claimed_points            points of the claimed lines
      unverified_points         points of the lines with no upload at all
      reward_points             upload reward earned
-#}
{% macro lab_upload_counts() -%}
    count(*) as claimed_orders,
    sum(case when is_uploaded then 1 else 0 end) as uploaded_orders,
    sum(case when is_uploaded_within_24h then 1 else 0 end) as timely_24h_orders,
    sum(case when has_upload and not is_uploaded then 1 else 0 end) as late_uploaded_orders,
    sum(case when has_upload then 0 else 1 end) as not_uploaded_orders,
    sum(case when is_uploaded and is_uploaded_by_other_institution then 1 else 0 end) as uploaded_by_other_orders,
    sum(order_points) as claimed_points,
    sum(case when has_upload then 0 else order_points end) as unverified_points,
    sum(reward_points) as reward_points
{%- endmacro %}
