-- Invariants of marts.prospective_hospital_settlement (domain spec §9): the excess is A − B − P
-- (at least 0) and fills the tiers in order without passing their widths; a hospital without
-- excess is paid what it claimed; with excess it is paid at least its base and protected points
-- and never more than A (recovered ≥ 0), and paid + recovered = A; an INCOMPLETE row says why
-- and carries no tiers. Returns the offending rows.

with settlement as (

    select * from {{ ref('prospective_hospital_settlement') }}

),

checked as (

    select
        hosp_id,
        fee_quarter,
        settlement_status,
        case
            when excess_points <> greatest(approved_points - base_points_adjusted - protected_points, 0)
                then 'excess is not max(0, A - B - P)'
            when settlement_status = 'NO_EXCESS'
                and (excess_points <> 0 or paid_points_default <> approved_points or tier1_points <> 0 or tier4_points <> 0)
                then 'a hospital without excess is not paid as claimed'
            when settlement_status = 'TIERED'
                and tier1_points + tier2_points + tier3_points + tier4_points <> excess_points
                then 'tiers do not add up to the excess'
            when settlement_status = 'TIERED'
                and (tier1_points > tier1_width_points or tier2_points > tier2_width_points or tier3_points > tier3_width_points)
                then 'a tier passes its width'
            when settlement_status = 'TIERED'
                and (
                    (tier2_points > 0 and tier1_points < tier1_width_points)
                    or (tier3_points > 0 and tier2_points < tier2_width_points)
                    or (tier4_points > 0 and tier3_points < tier3_width_points)
                )
                then 'tiers not filled in order'
            when settlement_status = 'TIERED'
                and (paid_points_default < base_points_adjusted + protected_points or paid_points_default > approved_points)
                then 'paid outside [B + P, A]'
            when paid_points_default + recovered_points_default <> approved_points
                or paid_points_fitted + recovered_points_fitted <> approved_points
                then 'paid + recovered is not A'
            when settlement_status = 'INCOMPLETE'
                and (incomplete_reason is null or tier1_points is not null or paid_points_default is not null)
                then 'an incomplete row without a reason or with tiers'
            when settlement_status <> 'INCOMPLETE' and incomplete_reason is not null
                then 'a settled row with an incomplete reason'
        end as problem
    from settlement

)

select * from checked
where problem is not null
