{{ config(materialized='view') }}

-- Hospital prospective-budget inputs (hosp_prospective), typed, with the first contract rule
-- each row breaks (cross-table rules: int_prospective_inputs_quarantined).

with source as (

    {{ typed_raw_rows(source('nhird', 'hosp_prospective'), {
        'HOSP_ID': 'hosp_id',
        'FEE_QUARTER': 'fee_quarter',
        'BASE_POINTS': ['base_points', 'bigint'],
        'OPD_SHARE': ['opd_share', 'decimal(6,4)'],
        'REG_PHYSICIANS_BASE': ['reg_physicians_base', 'integer'],
        'REG_PHYSICIANS': ['reg_physicians', 'integer'],
        'NURSES_BASE': ['nurses_base', 'integer'],
        'NURSES': ['nurses', 'integer'],
        'OPD_CMI_BASE': ['opd_cmi_base', 'decimal(8,4)'],
        'OPD_CMI': ['opd_cmi', 'decimal(8,4)'],
        'IPD_CMI_BASE': ['ipd_cmi_base', 'decimal(8,4)'],
        'IPD_CMI': ['ipd_cmi', 'decimal(8,4)'],
        'FEE_ADJ_RATE': ['fee_adj_rate', 'decimal(8,6)'],
        'PROTECTED_POINTS': ['protected_points', 'bigint'],
        'BASE_AVG_PV': ['base_avg_pv', 'decimal(8,4)'],
    }) | indent(4) }}

),

checked as (

    select
        *,
        case
            when hosp_id is null or fee_quarter is null then 'missing_key'
            when not {{ is_valid_fee_quarter('fee_quarter') }} then 'invalid_quarter'
            when base_points is null or base_points < 0
                or protected_points is null or protected_points < 0
                then 'invalid_points'
            when reg_physicians_base is null or reg_physicians_base < 0
                or reg_physicians is null or reg_physicians < 0
                or nurses_base is null or nurses_base < 0
                or nurses is null or nurses < 0
                then 'invalid_count'
            when opd_share is null or opd_share < 0 or opd_share > 1
                or opd_cmi_base is null or opd_cmi_base <= 0
                or opd_cmi is null or opd_cmi <= 0
                or ipd_cmi_base is null or ipd_cmi_base <= 0
                or ipd_cmi is null or ipd_cmi <= 0
                or fee_adj_rate is null
                or (base_avg_pv_text is not null and (base_avg_pv is null or base_avg_pv <= 0))
                then 'invalid_rate'
        end as rule_name
    from source

)

select * from checked
