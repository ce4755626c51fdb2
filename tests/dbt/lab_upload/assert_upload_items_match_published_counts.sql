-- The upload list (seed upload_items) has, per reward category, as many codes listed today
-- (valid_to empty) as the published list (source 003 slide 9: 602 + 41 檢驗(查), 5 + 22 + 17 + 2 +
-- 10 影像 = 699; seed upload_reward_categories.item_count). Warn only: a user's list of another
-- year (e.g. 108/8: 218 items) legitimately differs.
{{ config(severity='warn') }}

with items as (

    select * from {{ ref('upload_items') }}
    where valid_to is null

),

categories as (

    select * from {{ ref('upload_reward_categories') }}

),

listed as (

    select
        category_code,
        count(*) as listed_items
    from items
    group by category_code

)

select
    categories.category_code,
    categories.item_count as published_items,
    coalesce(listed.listed_items, 0) as listed_items
from categories
left join listed
    on categories.category_code = listed.category_code
where categories.item_count <> coalesce(listed.listed_items, 0)
