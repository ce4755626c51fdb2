-- Fee months (費用年月) each sector has claims in, outpatient (cd) or inpatient (dd): the period
-- spine of the utilisation marts (open-list items, hospital claims overview, 中醫 utilisation,
-- review deductions), so that a period without claims is told apart from a period with zero of
-- something (a growth against a year without data is null, not −100 %).

with outpatient as (

    select * from {{ ref('int_outpatient_claims_classified') }}

),

inpatient as (

    select * from {{ ref('int_inpatient_claims_classified') }}

),

claims as (

    select
        sector,
        fee_ym
    from outpatient

    union all

    select
        sector,
        fee_ym
    from inpatient

),

months as (

    select
        sector,
        fee_ym,
        count(*) as claims
    from claims
    group by sector, fee_ym

),

final as (

    select
        cast(sector as {{ dbt.type_string() }}) as sector,
        cast(fee_ym as {{ dbt.type_string() }}) as fee_ym,
        {{ fee_month_start('fee_ym') }} as fee_month_start,
        cast(substr(fee_ym, 1, 4) as integer) as fee_year,
        cast(cast(substr(fee_ym, 1, 4) as integer) - 1911 as integer) as fee_roc_year,
        cast({{ fee_quarter('fee_ym') }} as {{ dbt.type_string() }}) as fee_quarter,
        cast({{ roc_quarter('fee_ym') }} as {{ dbt.type_string() }}) as roc_quarter,
        cast({{ roc_month_label('fee_ym') }} as {{ dbt.type_string() }}) as roc_month,
        cast(claims as bigint) as claims
    from months

)

select * from final
