-- 照護率 invariants per row of care_plan_coverage: counts are non-negative, the cohort
-- numerator is at most the denominator and at most the numerator, and the rates are the
-- ratios of the counts (null exactly when the denominator is 0). Fails with offending rows.

select *
from {{ ref('care_plan_coverage') }}
where
    denominator < 0
    or numerator < 0
    or cohort_numerator < 0
    or cohort_numerator > denominator
    or cohort_numerator > numerator
    or (denominator = 0 and (coverage_rate is not null or cohort_rate is not null))
    or (denominator > 0 and (
        coverage_rate is null
        or cohort_rate is null
        or abs(coverage_rate - cast(numerator as double) / cast(denominator as double)) > 1e-9
        or abs(cohort_rate - cast(cohort_numerator as double) / cast(denominator as double)) > 1e-9
    ))
