-- For every forecast request and cell (sector, region, claiming institution hosp_id - NHI claims
-- arrive institution by institution, each filing all its claims of a month at once, a
-- pharmacy's 交付 claims of several sectors and regions too), what had arrived by the as-of date
-- for each of the request's months (int_point_value_request_months), whether the institution
-- had filed the month (has_filed, any cell), and for each TARGET month the cell's recent level:
-- the mean (and sample variance, from exact sums so that it does not depend on row order) of its
-- points over the three months before that the institution had filed (0 in those it filed
-- without claims in the cell). A cell of an institution that has not filed a TARGET month but
-- has a positive recent level is expected (is_expected), with that level as its prior. Cells
-- without points in any of the six months have no row.

with months as (

    select * from {{ ref('int_point_value_request_months') }}

),

points as (

    select * from {{ ref('int_general_service_points_aggregated') }}
    where points != 0 or claims != 0

),

observed as (

    select
        months.request_kind,
        months.fee_quarter,
        months.as_of_date,
        months.month_offset,
        points.sector,
        points.area_no_h,
        points.hosp_id,
        sum(points.claims) as observed_claims,
        sum(points.points) as observed_points,
        sum(points.nonfloat_points) as observed_nonfloat_points
    from months
    inner join points
        on months.fee_ym = points.fee_ym
            and points.appl_date <= months.as_of_date
    group by
        months.request_kind,
        months.fee_quarter,
        months.as_of_date,
        months.month_offset,
        points.sector,
        points.area_no_h,
        points.hosp_id

),

filings as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        month_offset,
        hosp_id,
        sum(observed_points) > 0 as has_filed
    from observed
    group by request_kind, fee_quarter, as_of_date, month_offset, hosp_id

),

units as (

    select distinct
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        hosp_id
    from observed

),

grid as (

    select
        units.*,
        months.month_offset,
        months.month_role,
        months.fee_ym,
        coalesce(observed.observed_claims, 0) as observed_claims,
        coalesce(observed.observed_points, 0) as observed_points,
        coalesce(observed.observed_nonfloat_points, 0) as observed_nonfloat_points,
        coalesce(filings.has_filed, false) as has_filed
    from units
    inner join months
        on units.request_kind = months.request_kind
            and units.fee_quarter = months.fee_quarter
            and units.as_of_date = months.as_of_date
    left join observed
        on units.request_kind = observed.request_kind
            and units.fee_quarter = observed.fee_quarter
            and units.as_of_date = observed.as_of_date
            and units.sector = observed.sector
            and units.area_no_h = observed.area_no_h
            and units.hosp_id = observed.hosp_id
            and months.month_offset = observed.month_offset
    left join filings
        on units.request_kind = filings.request_kind
            and units.fee_quarter = filings.fee_quarter
            and units.as_of_date = filings.as_of_date
            and units.hosp_id = filings.hosp_id
            and months.month_offset = filings.month_offset

),

recent_levels as (

    select
        target.request_kind,
        target.fee_quarter,
        target.as_of_date,
        target.sector,
        target.area_no_h,
        target.hosp_id,
        target.month_offset,
        count(recent.month_offset) as recent_months,
        sum(recent.observed_points) as recent_points,
        sum(cast(recent.observed_points as decimal(38, 0)) * cast(recent.observed_points as decimal(38, 0)))
            as recent_points_squared,
        sum(recent.observed_nonfloat_points) as recent_nonfloat_points
    from grid as target
    inner join grid as recent
        on target.request_kind = recent.request_kind
            and target.fee_quarter = recent.fee_quarter
            and target.as_of_date = recent.as_of_date
            and target.sector = recent.sector
            and target.area_no_h = recent.area_no_h
            and target.hosp_id = recent.hosp_id
            and recent.month_offset between target.month_offset - 3 and target.month_offset - 1
            and recent.has_filed
    where target.month_role = 'TARGET'
    group by
        target.request_kind,
        target.fee_quarter,
        target.as_of_date,
        target.sector,
        target.area_no_h,
        target.hosp_id,
        target.month_offset

),

final as (

    select
        cast(grid.request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(grid.fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(grid.as_of_date as date) as as_of_date,
        cast(grid.sector as {{ dbt.type_string() }}) as sector,
        cast(grid.area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(grid.hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(grid.month_offset as integer) as month_offset,
        cast(grid.month_role as {{ dbt.type_string() }}) as month_role,
        cast(grid.fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(grid.observed_claims as bigint) as observed_claims,
        cast(grid.observed_points as bigint) as observed_points,
        cast(grid.observed_nonfloat_points as bigint) as observed_nonfloat_points,
        cast(grid.has_filed as boolean) as has_filed,
        cast(
            grid.month_role = 'TARGET' and not grid.has_filed and coalesce(recent_levels.recent_points, 0) > 0
            as boolean
        ) as is_expected,
        cast(coalesce(recent_levels.recent_months, 0) as integer) as recent_months,
        cast(cast(recent_levels.recent_points as double) / recent_levels.recent_months as double) as recent_mean_points,
        cast(
            case
                when recent_levels.recent_months >= 2
                    then greatest(
                            cast(recent_levels.recent_points_squared as double)
                            - cast(recent_levels.recent_points as double) * cast(recent_levels.recent_points as double)
                            / recent_levels.recent_months,
                            0
                        ) / (recent_levels.recent_months - 1)
            end as double
        ) as recent_variance,
        cast(
            cast(recent_levels.recent_nonfloat_points as double) / nullif(cast(recent_levels.recent_points as double), 0)
            as double
        ) as recent_nonfloat_share
    from grid
    left join recent_levels
        on grid.request_kind = recent_levels.request_kind
            and grid.fee_quarter = recent_levels.fee_quarter
            and grid.as_of_date = recent_levels.as_of_date
            and grid.sector = recent_levels.sector
            and grid.area_no_h = recent_levels.area_no_h
            and grid.hosp_id = recent_levels.hosp_id
            and grid.month_offset = recent_levels.month_offset

)

select * from final
