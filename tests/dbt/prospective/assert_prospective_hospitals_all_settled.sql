{{ config(severity='warn') }}

-- Warns when a region's prospective settlement is not complete: a scheme hospital could not be
-- tiered (INCOMPLETE: see incomplete_reason in marts.prospective_hospital_settlement; the
-- region's budget fit is then not computed) or a hospital of the region has no
-- hosp_prospective row (it is not settled and its base is missing from the fit).

select
    area_no_h,
    fee_quarter,
    hospitals_incomplete,
    hospitals_without_inputs
from {{ ref('prospective_region_summary') }}
where hospitals_incomplete > 0
    or hospitals_without_inputs > 0
