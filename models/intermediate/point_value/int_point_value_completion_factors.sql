-- Completion factors of each forecast request's TARGET months, per sector and region, in long
-- form, from the triangle int_point_value_development_history (volume-weighted chain ladder,
-- one step from the month's lag to the as-of date):
-- * development_factor f = sum(final) / sum(arrived) over the history months, of the points of
--   institutions that had filed the month by that lag (what remains: supplementary claims);
-- * sigma_squared = Mack's variance parameter of that step, sum(C (F/C - f)^2) / (n - 1) over the
--   n history months (C arrived, F final), and filed_arrived_total = sum(C), for the band;
-- * emergence_ratio = what the institutions not filed by that lag (but active in the three months
--   before) finally claimed over their recent level, pooled over the sector's regions (a trait of
--   the sector's institutions, too rare per region to learn there): near 1 early (late filers),
--   near 0 late (institutions that stopped); it scales the priors of the missing institutions;
-- * completion_factor = sum(arrived) / sum(final) of all institutions: the classic share of
--   final points in by that lag, for display and the cross-check against chainladder.
-- Which history a region's factors come from is data (seed point_value_factor_sources): the
-- sources in fallback_order, each usable with at least min_history_months history months. The
-- default tries the sector's whole country first (its pooled history estimates f with less
-- error, the better choice in the demo backtest), then the region's own; factor_source says
-- which was used.

with history as (

    select * from {{ ref('int_point_value_development_history') }}

),

regions as (

    select area_no_h from {{ ref('regions') }}

),

factor_sources as (

    select * from {{ ref('point_value_factor_sources') }}

),

pooled as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        month_offset,
        sector,
        area_no_h,
        count(distinct case when final_points > 0 then history_fee_quarter end) as history_quarters,
        sum(case when filed_arrived_points > 0 then 1 else 0 end) as history_months,
        sum(arrived_points) as arrived_total,
        sum(final_points) as final_total,
        sum(case when filed_arrived_points > 0 then filed_arrived_points else 0 end) as filed_arrived_total,
        sum(case when filed_arrived_points > 0 then filed_final_points else 0 end) as filed_final_total,
        {{ exact_sum('expected_prior_points') }} as expected_prior_total,
        sum(expected_final_points) as expected_final_total
    from history
    group by request_kind, fee_quarter, as_of_date, month_offset, sector, area_no_h

),

dispersion as (

    select
        history.request_kind,
        history.fee_quarter,
        history.as_of_date,
        history.month_offset,
        history.sector,
        history.area_no_h,
        {{ exact_sum(
            'cast(history.filed_arrived_points as double) * power(cast(history.filed_final_points as double) '
            ~ '/ cast(history.filed_arrived_points as double) - cast(pooled.filed_final_total as double) '
            ~ '/ cast(pooled.filed_arrived_total as double), 2)'
        ) }} as weighted_squares
    from history
    inner join pooled
        on history.request_kind = pooled.request_kind
            and history.fee_quarter = pooled.fee_quarter
            and history.as_of_date = pooled.as_of_date
            and history.month_offset = pooled.month_offset
            and history.sector = pooled.sector
            and history.area_no_h = pooled.area_no_h
    where history.filed_arrived_points > 0
    group by
        history.request_kind,
        history.fee_quarter,
        history.as_of_date,
        history.month_offset,
        history.sector,
        history.area_no_h

),

factors as (

    select
        pooled.*,
        cast(pooled.filed_final_total as double) / nullif(cast(pooled.filed_arrived_total as double), 0)
            as development_factor,
        case
            when pooled.history_months >= 2 then dispersion.weighted_squares / (pooled.history_months - 1)
        end as sigma_squared,
        cast(pooled.arrived_total as double) / nullif(cast(pooled.final_total as double), 0) as completion_factor,
        coalesce(
            cast(sector_pool.expected_final_total as double) / nullif(sector_pool.expected_prior_total, 0), 0
        ) as emergence_ratio,
        pooled.filed_final_total > 0 and pooled.filed_arrived_total > 0 as has_factor
    from pooled
    left join pooled as sector_pool
        on pooled.request_kind = sector_pool.request_kind
            and pooled.fee_quarter = sector_pool.fee_quarter
            and pooled.as_of_date = sector_pool.as_of_date
            and pooled.month_offset = sector_pool.month_offset
            and pooled.sector = sector_pool.sector
            and sector_pool.area_no_h = 'ALL'
    left join dispersion
        on pooled.request_kind = dispersion.request_kind
            and pooled.fee_quarter = dispersion.fee_quarter
            and pooled.as_of_date = dispersion.as_of_date
            and pooled.month_offset = dispersion.month_offset
            and pooled.sector = dispersion.sector
            and pooled.area_no_h = dispersion.area_no_h

),

candidates as (

    select
        factors.*,
        factors.area_no_h as for_area_no_h,
        factor_sources.factor_source,
        factor_sources.fallback_order
    from factors
    inner join factor_sources
        on factor_sources.factor_source = 'REGION'
            and factors.history_months >= factor_sources.min_history_months
    where factors.area_no_h != 'ALL' and factors.has_factor

    union all

    select
        factors.*,
        regions.area_no_h as for_area_no_h,
        factor_sources.factor_source,
        factor_sources.fallback_order
    from factors
    inner join factor_sources
        on factor_sources.factor_source = 'SECTOR'
            and factors.history_months >= factor_sources.min_history_months
    cross join regions
    where factors.area_no_h = 'ALL' and factors.has_factor

),

chosen as (

    select
        *,
        row_number() over (
            partition by request_kind, fee_quarter, as_of_date, month_offset, sector, for_area_no_h
            order by fallback_order
        ) as choice
    from candidates

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(month_offset as integer) as month_offset,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(for_area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(factor_source as {{ dbt.type_string() }}) as factor_source,
        cast(history_quarters as integer) as history_quarters,
        cast(history_months as integer) as history_months,
        cast(development_factor as double) as development_factor,
        cast(sigma_squared as double) as sigma_squared,
        cast(filed_arrived_total as bigint) as filed_arrived_total,
        cast(emergence_ratio as double) as emergence_ratio,
        cast(completion_factor as double) as completion_factor
    from chosen
    where choice = 1

)

select * from final
