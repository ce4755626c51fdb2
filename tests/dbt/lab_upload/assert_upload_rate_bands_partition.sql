-- The upload-rate bands (seed upload_rate_bands, source 003 slides 16/18) cover [0, 1] without
-- overlap: every probe rate — each band bound and the midpoints between consecutive bounds —
-- falls in exactly one band, so lab_upload_rate_bands counts every institution once.

with bands as (

    select * from {{ ref('upload_rate_bands') }}

),

bounds as (

    select min_rate as rate from bands
    union
    select max_rate as rate from bands
    union
    select cast(0 as double) as rate
    union
    select cast(1 as double) as rate

),

ordered as (

    select
        rate,
        lead(rate) over (order by rate) as next_rate
    from bounds

),

probes as (

    select rate from ordered
    union
    select (rate + next_rate) / 2 as rate
    from ordered
    where next_rate is not null

),

matches as (

    select
        probes.rate,
        count(bands.band_code) as matching_bands
    from probes
    left join bands
        on (probes.rate > bands.min_rate or (bands.min_inclusive and probes.rate = bands.min_rate))
            and (probes.rate < bands.max_rate or (bands.max_inclusive and probes.rate = bands.max_rate))
    group by probes.rate

)

select * from matches
where matching_bands <> 1
    and rate between 0 and 1
