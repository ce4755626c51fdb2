-- The open-list item seed holds exactly the number of items the sources publish per ROC year
-- (open_list_budget.items_opened, source 004: 25, 9, 11, 17, 5, 3, 1, 0, 1), and every item opens
-- in its cohort year. Fails with the cohort years that disagree.

with items as (

    select * from {{ ref('open_list_items') }}

),

budget as (

    select * from {{ ref('open_list_budget') }}

),

seeded as (

    select
        roc_year_opened as roc_year,
        count(*) as items_seeded,
        sum(case when year(valid_from) - 1911 = roc_year_opened then 0 else 1 end) as items_opened_in_another_year
    from items
    group by roc_year_opened

)

select
    coalesce(budget.roc_year, seeded.roc_year) as roc_year,
    budget.items_opened,
    coalesce(seeded.items_seeded, 0) as items_seeded,
    coalesce(seeded.items_opened_in_another_year, 0) as items_opened_in_another_year
from budget
full outer join seeded
    on budget.roc_year = seeded.roc_year
where coalesce(budget.items_opened, 0) <> coalesce(seeded.items_seeded, 0)
    or coalesce(seeded.items_opened_in_another_year, 0) > 0
