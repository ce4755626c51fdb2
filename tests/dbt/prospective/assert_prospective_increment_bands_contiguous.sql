-- Seed prospective_tier1_increments (slides 25-26): within each size class the v bands, and
-- within each v band the w bands, follow one another without gap or overlap from an open lower
-- bound to an open upper bound, so every (v, w) finds exactly one increment. Increments never
-- fall as w grows. Returns the offending bands.

with increments as (

    select * from {{ ref('prospective_tier1_increments') }}

),

v_bands as (

    select distinct
        size_class,
        v_from,
        v_to
    from increments

),

v_ordered as (

    select
        *,
        lag(v_to) over (partition by size_class order by v_from nulls first) as previous_to,
        row_number() over (partition by size_class order by v_from nulls first) as band_no,
        count(*) over (partition by size_class) as bands
    from v_bands

),

w_ordered as (

    select
        *,
        lag(w_to) over (partition by size_class, v_from order by w_from nulls first) as previous_to,
        lag(increment) over (partition by size_class, v_from order by w_from nulls first) as previous_increment,
        row_number() over (partition by size_class, v_from order by w_from nulls first) as band_no,
        count(*) over (partition by size_class, v_from) as bands
    from increments

),

bad_v as (

    select
        size_class,
        v_from,
        cast(null as decimal(10, 6)) as w_from,
        'v bands not contiguous' as problem
    from v_ordered
    where (band_no = 1 and v_from is not null)
        or (band_no > 1 and (v_from is null or previous_to is null or v_from <> previous_to))
        or (band_no = bands and v_to is not null)
        or (band_no < bands and v_to is null)

),

bad_w as (

    select
        size_class,
        v_from,
        w_from,
        'w bands not contiguous or increment falls' as problem
    from w_ordered
    where (band_no = 1 and w_from is not null)
        or (band_no > 1 and (w_from is null or previous_to is null or w_from <> previous_to))
        or (band_no = bands and w_to is not null)
        or (band_no < bands and w_to is null)
        or increment < previous_increment

)

select * from bad_v
union all
select * from bad_w
