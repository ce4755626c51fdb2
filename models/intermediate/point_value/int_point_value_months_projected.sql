-- Projection of each forecast request's TARGET months to their final general-service points, per
-- sector and region: a Bornhuetter-Ferguson forecast at the level of the claiming institution,
-- since NHI claims arrive institution by institution (each files its month at once):
-- * institutions that have filed the month: observed x the development factor f of filed months
--   at that lag (chain ladder, int_point_value_completion_factors) - their supplementary claims;
-- * institutions expected but not filed yet (filed one of the three months before): the prior =
--   their recent level x the sector's seasonal ratio of the same months a year earlier
--   (int_point_value_institution_months, int_point_value_seasonal_ratios), times the emergence
--   ratio e learnt from the history months at the same lag (late filers file, institutions that
--   stopped do not).
-- projected = filed x f + e x sum of priors; non-floating points alike (the filed months' NF
-- share, the expected institutions' recent NF share). The variance of the projection, for the
-- band: Mack's mean squared error of the filed part, sigma^2 C (1 + C / sum C_history), plus the
-- expected institutions' e x prediction variance (their recent months' sample variance x
-- (1 + 1/n) x the seasonal ratio squared; the prior squared when only one recent month) +
-- e (1 - e) x prior^2 (whether they file at all).
-- A month without a usable factor (no complete history quarter) cannot be projected (null).

with institution_months as (

    select * from {{ ref('int_point_value_institution_months') }}
    where month_role = 'TARGET'

),

factors as (

    select * from {{ ref('int_point_value_completion_factors') }}

),

seasonal as (

    select * from {{ ref('int_point_value_seasonal_ratios') }}

),

deductions as (

    select * from {{ ref('int_point_value_deductions_expected') }}

),

priced as (

    select
        institution_months.*,
        coalesce(seasonal.seasonal_ratio, 1) as seasonal_ratio,
        case
            when institution_months.is_expected
                then institution_months.recent_mean_points * coalesce(seasonal.seasonal_ratio, 1)
            else 0
        end as prior_points
    from institution_months
    left join seasonal
        on institution_months.request_kind = seasonal.request_kind
            and institution_months.fee_quarter = seasonal.fee_quarter
            and institution_months.as_of_date = seasonal.as_of_date
            and institution_months.month_offset = seasonal.month_offset
            and institution_months.sector = seasonal.sector

),

monthly as (

    select
        request_kind,
        fee_quarter,
        as_of_date,
        sector,
        area_no_h,
        month_offset,
        max(fee_ym) as fee_ym,
        max(seasonal_ratio) as seasonal_ratio,
        sum(observed_claims) as observed_claims,
        sum(observed_points) as observed_points,
        sum(observed_nonfloat_points) as observed_nonfloat_points,
        sum(case when has_filed then 1 else 0 end) as filed_institutions,
        sum(case when has_filed then observed_points else 0 end) as filed_points,
        sum(case when has_filed then observed_nonfloat_points else 0 end) as filed_nonfloat_points,
        sum(case when is_expected then 1 else 0 end) as expected_institutions,
        {{ exact_sum('prior_points') }} as prior_points,
        {{ exact_sum('prior_points * coalesce(recent_nonfloat_share, 0)') }} as prior_nonfloat_points,
        {{ exact_sum('prior_points * prior_points') }} as prior_points_squared,
        {{ exact_sum(
            'case when is_expected then case when recent_months >= 2 '
            ~ 'then recent_variance * (1 + 1 / cast(recent_months as double)) * seasonal_ratio * seasonal_ratio '
            ~ 'else prior_points * prior_points end else 0 end'
        ) }} as prior_variance
    from priced
    group by request_kind, fee_quarter, as_of_date, sector, area_no_h, month_offset

),

projected as (

    select
        monthly.*,
        factors.factor_source,
        coalesce(factors.history_quarters, 0) as history_quarters,
        coalesce(factors.history_months, 0) as history_months,
        factors.development_factor,
        factors.sigma_squared,
        factors.completion_factor as history_completion_factor,
        coalesce(deductions.expected_deduction_rate, 0) as expected_deduction_rate,
        coalesce(deductions.deduction_rate_variance, 0) as deduction_rate_variance,
        factors.emergence_ratio,
        monthly.filed_points * factors.development_factor + factors.emergence_ratio * monthly.prior_points
            as projected_points,
        monthly.filed_nonfloat_points * factors.development_factor
        + factors.emergence_ratio * monthly.prior_nonfloat_points as projected_nonfloat_points,
        coalesce(factors.sigma_squared, 0) * monthly.filed_points
        * (1 + cast(monthly.filed_points as double) / nullif(cast(factors.filed_arrived_total as double), 0))
            as filed_variance,
        coalesce(factors.sigma_squared, 0) * monthly.filed_points
        * (1 + cast(monthly.filed_points as double) / nullif(cast(factors.filed_arrived_total as double), 0))
        + factors.emergence_ratio * monthly.prior_variance
        + factors.emergence_ratio * greatest(1 - factors.emergence_ratio, 0) * monthly.prior_points_squared
            as projected_variance
    from monthly
    left join factors
        on monthly.request_kind = factors.request_kind
            and monthly.fee_quarter = factors.fee_quarter
            and monthly.as_of_date = factors.as_of_date
            and monthly.month_offset = factors.month_offset
            and monthly.sector = factors.sector
            and monthly.area_no_h = factors.area_no_h
    left join deductions
        on monthly.request_kind = deductions.request_kind
            and monthly.fee_quarter = deductions.fee_quarter
            and monthly.as_of_date = deductions.as_of_date
            and monthly.sector = deductions.sector
            and monthly.area_no_h = deductions.area_no_h

),

final as (

    select
        cast(request_kind as {{ dbt.type_string() }}) as request_kind,
        cast(fee_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast(as_of_date as date) as as_of_date,
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        cast(month_offset as integer) as month_offset,
        cast(observed_claims as bigint) as observed_claims,
        cast(observed_points as bigint) as observed_points,
        cast(observed_nonfloat_points as bigint) as observed_nonfloat_points,
        cast(filed_institutions as integer) as filed_institutions,
        cast(filed_points as bigint) as filed_points,
        cast(expected_institutions as integer) as expected_institutions,
        cast(seasonal_ratio as double) as seasonal_ratio,
        cast(prior_points as double) as prior_points,
        cast(factor_source as {{ dbt.type_string() }}) as factor_source,
        cast(history_quarters as integer) as history_quarters,
        cast(history_months as integer) as history_months,
        cast(development_factor as double) as development_factor,
        cast(emergence_ratio as double) as emergence_ratio,
        cast(sigma_squared as double) as sigma_squared,
        cast(history_completion_factor as double) as history_completion_factor,
        cast(projected_points as double) as projected_points,
        cast(projected_nonfloat_points as double) as projected_nonfloat_points,
        cast(case when projected_points is not null then filed_variance end as double) as filed_variance,
        cast(case when projected_points is not null then projected_variance end as double) as projected_variance,
        cast(cast(observed_points as double) / nullif(projected_points, 0) as double) as completion_factor,
        cast(expected_deduction_rate as double) as expected_deduction_rate,
        cast(deduction_rate_variance as double) as deduction_rate_variance
    from projected

)

select * from final
