{{ config(materialized='view') }}

-- Hospital prospective-budget inputs (hosp_prospective), typed, with the first contract rule
-- each row breaks (cross-table rules: int_prospective_inputs_quarantined).

with source as (

    select * from {{ source('nhird', 'hosp_prospective') }}

),

cleaned as (

    select
        {{ clean_text('"HOSP_ID"') }} as hosp_id,
        {{ clean_text('"FEE_QUARTER"') }} as fee_quarter,
        {{ clean_text('"BASE_POINTS"') }} as base_points_text,
        {{ clean_text('"OPD_SHARE"') }} as opd_share_text,
        {{ clean_text('"REG_PHYSICIANS_BASE"') }} as reg_physicians_base_text,
        {{ clean_text('"REG_PHYSICIANS"') }} as reg_physicians_text,
        {{ clean_text('"NURSES_BASE"') }} as nurses_base_text,
        {{ clean_text('"NURSES"') }} as nurses_text,
        {{ clean_text('"OPD_CMI_BASE"') }} as opd_cmi_base_text,
        {{ clean_text('"OPD_CMI"') }} as opd_cmi_text,
        {{ clean_text('"IPD_CMI_BASE"') }} as ipd_cmi_base_text,
        {{ clean_text('"IPD_CMI"') }} as ipd_cmi_text,
        {{ clean_text('"FEE_ADJ_RATE"') }} as fee_adj_rate_text,
        {{ clean_text('"PROTECTED_POINTS"') }} as protected_points_text,
        {{ clean_text('"BASE_AVG_PV"') }} as base_avg_pv_text,
        _source_file as source_file
    from source

),

typed as (

    select
        *,
        {{ dbt.safe_cast('base_points_text', 'bigint') }} as base_points,
        {{ dbt.safe_cast('opd_share_text', 'decimal(6,4)') }} as opd_share,
        {{ dbt.safe_cast('reg_physicians_base_text', 'integer') }} as reg_physicians_base,
        {{ dbt.safe_cast('reg_physicians_text', 'integer') }} as reg_physicians,
        {{ dbt.safe_cast('nurses_base_text', 'integer') }} as nurses_base,
        {{ dbt.safe_cast('nurses_text', 'integer') }} as nurses,
        {{ dbt.safe_cast('opd_cmi_base_text', 'decimal(8,4)') }} as opd_cmi_base,
        {{ dbt.safe_cast('opd_cmi_text', 'decimal(8,4)') }} as opd_cmi,
        {{ dbt.safe_cast('ipd_cmi_base_text', 'decimal(8,4)') }} as ipd_cmi_base,
        {{ dbt.safe_cast('ipd_cmi_text', 'decimal(8,4)') }} as ipd_cmi,
        {{ dbt.safe_cast('fee_adj_rate_text', 'decimal(8,6)') }} as fee_adj_rate,
        {{ dbt.safe_cast('protected_points_text', 'bigint') }} as protected_points,
        {{ dbt.safe_cast('base_avg_pv_text', 'decimal(8,4)') }} as base_avg_pv
    from cleaned

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
    from typed

)

select * from checked
