-- Inpatient claims with the institution's region, contract type and sector (domain spec §1),
-- classified like outpatient claims (macro classify_claims, one definition for both).
-- Institutions unknown to hosb are quarantined.

with claims as (

    select * from {{ ref('stg_nhird__dd') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

case_types as (

    select * from {{ ref('case_types') }}

),

classified as (

    {{ classify_claims('claims') | indent(4) }}

)

select * from classified
