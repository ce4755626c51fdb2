-- A merged item 歸併醫令 belongs to one category under one name (published or not) in reexam_item_map (the marts
-- take both per merged item), and rows of one merged item valid on the same day agree on
-- the interval days and the list flags (so a re-execution has one rule on a given date).

with item_map as (

    select * from {{ ref('reexam_item_map') }}

),

naming as (

    select
        merged_item,
        'more than one category or name' as problem
    from item_map
    group by merged_item
    having count(distinct category_no) > 1 or count(distinct merged_item_zh) > 1
        or count(distinct is_published_item) > 1

),

overlapping_rules as (

    select distinct
        a.merged_item,
        'codes valid on the same day disagree on interval or lists' as problem
    from item_map as a
    inner join item_map as b
        on a.merged_item = b.merged_item
            and a.order_code < b.order_code
            and a.valid_from <= coalesce(b.valid_to, cast('9999-12-31' as date))
            and b.valid_from <= coalesce(a.valid_to, cast('9999-12-31' as date))
    where a.interval_days <> b.interval_days
        or a.is_control_10 <> b.is_control_10
        or a.is_focus_30 <> b.is_focus_30

)

select * from naming
union all
select * from overlapping_rules
