-- The floor (issue #8): the heavy marts as ONE hand-tuned DuckDB script, no dbt.
--
-- Run by `python -m nhi_warehouse.floor --raw DIR --db FILE`, which first creates
--   * src_<table>: the raw table typed (Parquet columns stay typed; CSV text is try_cast and
--     `<col>_present` says whether the cleaned text was non-empty), `source_file` relative to root;
--   * seed_<name>: every seed, typed by its column_types;
-- and substitutes ${values:<table>.<COLUMN>} (contract value sets), ${id_key} (NHI_ID_KEY || '|')
-- and ${care_plan_sectors}. The vars are the project defaults (dbt_project.yml): as-of dates =
-- latest data date, pv_settle_lag_months 6, pv_points_after_deductions false,
-- reexam_include_hospitals false, reexam_base_years_back 1, referral_timely_days 3,
-- referral_region_basis issuer.
--
-- Same work as the dbt marts, fewer steps: each raw table is read once and only its valid,
-- latest rows are kept (the quarantine rules decide validity; rejected rows are not listed);
-- only the order lines of listed codes are kept (what int_outpatient_orders_joined keeps), and
-- the dedupe window runs only over keys with a listed line (a key without one can never yield
-- a listed winner); everything else is one statement per mart over a few temp tables.

-- Institutions: valid, latest per HOSP_ID, classified (int_institutions_classified).
create temp table institutions as
with checked as (
    select
        *,
        case
            when hosp_id is null then 'missing_key'
            when area_no_h is null or area_no_h not in ${values:hosb.AREA_NO_H} then 'unknown_region'
            when hosp_cont_type is null or hosp_cont_type not in ${values:hosb.HOSP_CONT_TYPE}
                or hosp_kind is null or hosp_kind not in ${values:hosb.HOSP_KIND} then 'invalid_code'
            when cont_s_date is null or (cont_e_date_present and cont_e_date is null) then 'invalid_date'
        end as rule_name
    from src_hosb
),
latest as (
    select * from (
        select *, row_number() over (
            partition by hosp_id order by cont_s_date desc, source_file desc, hosp_cont_type, area_no_h
        ) as rn
        from checked where rule_name is null
    ) where rn = 1
)
select
    latest.hosp_id, latest.hosp_cont_type, latest.hosp_kind, latest.area_no_h,
    ct.institution_level, ct.sector_if_by_institution as institution_sector,
    ik.is_excluded_referral_receiver
from latest
left join seed_contract_types as ct on latest.hosp_cont_type = ct.hosp_cont_type
left join seed_institution_kinds as ik on latest.hosp_kind = ik.hosp_kind;

-- Outpatient claims (cd): valid, latest per natural key, pseudonymised, classified.
create temp table claims as
with valid as (
    select
        hosp_id, fee_ym, appl_type, case_type, seq_no, appl_date, id, prsn_id, func_date,
        icd_1, icd_2, icd_3, drug_dot, diag_dot, treat_dot, dsvc_dot, t_dot, deduct_dot, source_file
    from src_cd
    where hosp_id is not null and fee_ym is not null and appl_type is not null and case_type is not null
        and seq_no is not null and id is not null
        and length(fee_ym) = 6 and try_cast(fee_ym as integer) is not null
        and try_cast(substr(fee_ym, 5, 2) as integer) between 1 and 12
        and try_cast(substr(fee_ym, 1, 4) as integer) between 1990 and 2200
        and appl_type in ${values:cd.APPL_TYPE} and id_sex in ${values:cd.ID_SEX}
        and appl_date is not null and func_date is not null and id_birthday is not null
        and drug_dot >= 0 and diag_dot >= 0 and treat_dot >= 0 and dsvc_dot >= 0 and t_dot >= 0
        and part_amt >= 0 and t_appl_dot >= 0
        and (deduct_dot >= 0 or (deduct_dot is null and not deduct_dot_present))
        and (drug_day is not null or not drug_day_present)
        and t_dot = drug_dot + diag_dot + treat_dot + dsvc_dot
        and t_appl_dot = t_dot - part_amt
        and appl_date >= func_date
),
latest as (
    select * from (
        select *, row_number() over (
            partition by hosp_id, fee_ym, appl_type, case_type, seq_no
            order by appl_date desc, source_file desc, t_dot desc, id, func_date
        ) as rn
        from valid
    ) where rn = 1
)
select
    latest.hosp_id, latest.fee_ym, latest.appl_type, latest.case_type, latest.seq_no, latest.appl_date,
    cast(substr(latest.fee_ym, 1, 4) || '-' || substr(latest.fee_ym, 5, 2) || '-01' as date) as fee_month_start,
    cast(substr(latest.fee_ym, 1, 4) as integer) as fee_year,
    substr(latest.fee_ym, 1, 4) || 'Q' || cast((cast(substr(latest.fee_ym, 5, 2) as integer) + 2) // 3 as varchar) as fee_quarter,
    substr(sha256(${id_key} || latest.id), 1, 20) as patient_key,
    substr(sha256(${id_key} || latest.prsn_id), 1, 20) as physician_key,
    latest.func_date as visit_date, latest.icd_1, latest.icd_2, latest.icd_3,
    latest.drug_dot, latest.diag_dot, latest.treat_dot, latest.dsvc_dot, latest.t_dot, latest.deduct_dot,
    institutions.area_no_h, institutions.hosp_cont_type,
    coalesce(case_types.is_care_plan, false) as is_care_plan_case,
    case
        when case_types.sector_rule is null or case_types.sector_rule = 'BY_INSTITUTION'
            then coalesce(institutions.institution_sector, 'OTHER')
        else case_types.sector_rule
    end as sector
from latest
inner join institutions on latest.hosp_id = institutions.hosp_id
left join seed_case_types as case_types on latest.case_type = case_types.case_type;

-- Order lines (oo) of listed codes (fee schedule, re-examination map), valid, latest per
-- natural key, joined to their claim (int_outpatient_orders_joined).
create temp table orders as
with listed_codes as (
    select order_code from seed_fee_schedule_items
    union
    select order_code from seed_reexam_item_map
),
valid as (
    select
        hosp_id, fee_ym, appl_type, case_type, seq_no, order_seq_no, appl_date, order_code, order_dot,
        exe_s_date, source_file
    from src_oo
    where hosp_id is not null and fee_ym is not null and appl_type is not null and case_type is not null
        and seq_no is not null and order_seq_no is not null
        and length(fee_ym) = 6 and try_cast(fee_ym as integer) is not null
        and try_cast(substr(fee_ym, 5, 2) as integer) between 1 and 12
        and try_cast(substr(fee_ym, 1, 4) as integer) between 1990 and 2200
        and order_type in ${values:oo.ORDER_TYPE} and order_code is not null
        and appl_date is not null and (exe_s_date is not null or not exe_s_date_present)
        and order_dot >= 0 and (order_qty is not null or not order_qty_present)
),
listed_keys as (
    select distinct valid.hosp_id, valid.fee_ym, valid.appl_type, valid.case_type, valid.seq_no, valid.order_seq_no
    from valid
    inner join listed_codes on valid.order_code = listed_codes.order_code
),
latest as (
    select * from (
        select valid.*, row_number() over (
            partition by valid.hosp_id, valid.fee_ym, valid.appl_type, valid.case_type, valid.seq_no, valid.order_seq_no
            order by valid.appl_date desc, valid.source_file desc, valid.order_code, valid.order_dot desc
        ) as rn
        from valid
        semi join listed_keys
            on valid.hosp_id = listed_keys.hosp_id and valid.fee_ym = listed_keys.fee_ym
            and valid.appl_type = listed_keys.appl_type and valid.case_type = listed_keys.case_type
            and valid.seq_no = listed_keys.seq_no and valid.order_seq_no = listed_keys.order_seq_no
    ) where rn = 1
)
select
    latest.hosp_id, latest.fee_ym, latest.appl_type, latest.case_type, latest.seq_no, latest.order_seq_no,
    latest.order_code, latest.order_dot,
    coalesce(cast(latest.exe_s_date as date), claims.visit_date) as execution_date,
    claims.fee_month_start, claims.fee_year, claims.patient_key, claims.visit_date,
    claims.area_no_h, claims.hosp_cont_type, claims.sector
from latest
semi join listed_codes on latest.order_code = listed_codes.order_code
inner join claims
    on latest.hosp_id = claims.hosp_id and latest.fee_ym = claims.fee_ym and latest.appl_type = claims.appl_type
    and latest.case_type = claims.case_type and latest.seq_no = claims.seq_no;

-- Inpatient claims (dd): valid, latest per natural key, classified (points only).
create temp table inpatient_claims as
with valid as (
    select hosp_id, fee_ym, appl_type, case_type, seq_no, appl_date, id, in_date, drug_dot, dsvc_dot, other_dot,
        t_dot, deduct_dot, source_file
    from src_dd
    where hosp_id is not null and fee_ym is not null and appl_type is not null and case_type is not null
        and seq_no is not null and id is not null
        and length(fee_ym) = 6 and try_cast(fee_ym as integer) is not null
        and try_cast(substr(fee_ym, 5, 2) as integer) between 1 and 12
        and try_cast(substr(fee_ym, 1, 4) as integer) between 1990 and 2200
        and appl_type in ${values:dd.APPL_TYPE} and id_sex in ${values:dd.ID_SEX}
        and appl_date is not null and in_date is not null and out_date is not null and id_birthday is not null
        and drug_dot >= 0 and dsvc_dot >= 0 and other_dot >= 0 and t_dot >= 0 and part_amt >= 0 and t_appl_dot >= 0
        and (deduct_dot >= 0 or (deduct_dot is null and not deduct_dot_present))
        and t_dot = drug_dot + dsvc_dot + other_dot
        and t_appl_dot = t_dot - part_amt
        and out_date >= in_date
),
latest as (
    select * from (
        select *, row_number() over (
            partition by hosp_id, fee_ym, appl_type, case_type, seq_no
            order by appl_date desc, source_file desc, t_dot desc, id, in_date
        ) as rn
        from valid
    ) where rn = 1
)
select
    latest.hosp_id, latest.fee_ym, latest.appl_type, latest.case_type, latest.seq_no, latest.appl_date,
    cast(substr(latest.fee_ym, 1, 4) || '-' || substr(latest.fee_ym, 5, 2) || '-01' as date) as fee_month_start,
    substr(latest.fee_ym, 1, 4) || 'Q' || cast((cast(substr(latest.fee_ym, 5, 2) as integer) + 2) // 3 as varchar) as fee_quarter,
    latest.drug_dot, latest.dsvc_dot, latest.other_dot, latest.t_dot, latest.deduct_dot,
    institutions.area_no_h,
    case
        when case_types.sector_rule is null or case_types.sector_rule = 'BY_INSTITUTION'
            then coalesce(institutions.institution_sector, 'OTHER')
        else case_types.sector_rule
    end as sector
from latest
inner join institutions on latest.hosp_id = institutions.hosp_id
left join seed_case_types as case_types on latest.case_type = case_types.case_type;

-- 點值結算 point_value_settlement: claims split into special-budget / non-floating / floating
-- points, aggregated per sector, region, quarter and application date, settled against the
-- budget as of the latest APPL_DATE.
create schema marts;

create table marts.point_value_settlement as
with all_claims as (
    select 'OUTPATIENT' as setting, hosp_id, fee_ym, appl_type, case_type, seq_no, appl_date, fee_month_start,
        fee_quarter, area_no_h, sector, t_dot, drug_dot, diag_dot, treat_dot, dsvc_dot, 0 as other_dot, deduct_dot
    from claims
    union all
    select 'INPATIENT', hosp_id, fee_ym, appl_type, case_type, seq_no, appl_date, fee_month_start,
        fee_quarter, area_no_h, sector, t_dot, drug_dot, 0, 0, dsvc_dot, other_dot, deduct_dot
    from inpatient_claims
),
classes as (
    select distinct setting, sector, fee_ym, fee_month_start, case_type from all_claims
),
class_rules as (
    select
        classes.setting, classes.sector, classes.fee_ym, classes.case_type,
        min(sb.rule_id) as special_budget_rule_id
    from classes
    inner join seed_point_value_special_budget_rules as sb
        on ((sb.rule_kind = 'SETTING' and classes.setting = sb.match_value)
            or (sb.rule_kind = 'SECTOR' and classes.sector = sb.match_value)
            or (sb.rule_kind = 'CASE_TYPE' and classes.case_type = sb.match_value))
        and (sb.sector = '*' or sb.sector = classes.sector)
        and classes.fee_month_start >= sb.valid_from and (sb.valid_to is null or classes.fee_month_start <= sb.valid_to)
    group by all
),
class_nonfloating as (
    select
        classes.setting, classes.sector, classes.fee_ym, classes.case_type,
        max(case when nf.rule_kind = 'CASE_TYPE' then 1 else 0 end) as nf_case,
        max(case when nf.rule_kind = 'COMPONENT' and nf.match_value = 'DRUG_DOT' then 1 else 0 end) as nf_drug,
        max(case when nf.rule_kind = 'COMPONENT' and nf.match_value = 'DIAG_DOT' then 1 else 0 end) as nf_diag,
        max(case when nf.rule_kind = 'COMPONENT' and nf.match_value = 'TREAT_DOT' then 1 else 0 end) as nf_treat,
        max(case when nf.rule_kind = 'COMPONENT' and nf.match_value = 'DSVC_DOT' then 1 else 0 end) as nf_dsvc,
        max(case when nf.rule_kind = 'COMPONENT' and nf.match_value = 'OTHER_DOT' then 1 else 0 end) as nf_other
    from classes
    inner join seed_point_value_nonfloating_rules as nf
        on (nf.rule_kind = 'COMPONENT' or (nf.rule_kind = 'CASE_TYPE' and classes.case_type = nf.match_value))
        and (nf.sector = '*' or nf.sector = classes.sector)
        and classes.fee_month_start >= nf.valid_from and (nf.valid_to is null or classes.fee_month_start <= nf.valid_to)
    group by all
),
special_lines as (
    select hosp_id, fee_ym, appl_type, case_type, seq_no, sum(order_dot) as special_line_points,
        min(rule_id) as special_line_rule_id
    from (
        select orders.hosp_id, orders.fee_ym, orders.appl_type, orders.case_type, orders.seq_no, orders.order_seq_no,
            max(orders.order_dot) as order_dot, min(sb.rule_id) as rule_id
        from orders
        inner join seed_point_value_special_budget_rules as sb
            on sb.rule_kind = 'ORDER_CODE_PREFIX' and starts_with(orders.order_code, sb.match_value)
            and (sb.sector = '*' or sb.sector = orders.sector)
            and orders.fee_month_start >= sb.valid_from and (sb.valid_to is null or orders.fee_month_start <= sb.valid_to)
        group by all
    )
    group by all
),
nonfloating_lines as (
    select hosp_id, fee_ym, appl_type, case_type, seq_no, sum(order_dot) as nonfloating_line_points
    from (
        select orders.hosp_id, orders.fee_ym, orders.appl_type, orders.case_type, orders.seq_no, orders.order_seq_no,
            max(orders.order_dot) as order_dot
        from orders
        inner join seed_point_value_nonfloating_rules as nf
            on nf.rule_kind = 'ORDER_CODE' and orders.order_code = nf.match_value
            and (nf.sector = '*' or nf.sector = orders.sector)
            and orders.fee_month_start >= nf.valid_from and (nf.valid_to is null or orders.fee_month_start <= nf.valid_to)
        group by all
    )
    group by all
),
split as (
    select
        c.sector, c.area_no_h, c.fee_quarter, c.appl_date, c.deduct_dot,
        cr.special_budget_rule_id is null as is_general_service,
        c.t_dot - case when cr.special_budget_rule_id is not null then c.t_dot
            else least(c.t_dot, coalesce(sl.special_line_points, 0)) end as points,
        coalesce(cn.nf_case, 0) as nf_case,
        coalesce(cn.nf_drug, 0) * c.drug_dot + coalesce(cn.nf_diag, 0) * c.diag_dot
            + coalesce(cn.nf_treat, 0) * c.treat_dot + coalesce(cn.nf_dsvc, 0) * c.dsvc_dot
            + coalesce(cn.nf_other, 0) * c.other_dot + coalesce(nl.nonfloating_line_points, 0) as nf_parts
    from all_claims as c
    left join class_rules as cr
        on c.setting = cr.setting and c.sector = cr.sector and c.fee_ym = cr.fee_ym and c.case_type = cr.case_type
    left join class_nonfloating as cn
        on c.setting = cn.setting and c.sector = cn.sector and c.fee_ym = cn.fee_ym and c.case_type = cn.case_type
    left join special_lines as sl
        on c.setting = 'OUTPATIENT' and c.hosp_id = sl.hosp_id and c.fee_ym = sl.fee_ym and c.appl_type = sl.appl_type
        and c.case_type = sl.case_type and c.seq_no = sl.seq_no
    left join nonfloating_lines as nl
        on c.setting = 'OUTPATIENT' and c.hosp_id = nl.hosp_id and c.fee_ym = nl.fee_ym and c.appl_type = nl.appl_type
        and c.case_type = nl.case_type and c.seq_no = nl.seq_no
),
per_day as (
    select
        sector, area_no_h, fee_quarter, appl_date,
        sum(case when is_general_service then 1 else 0 end) as claims,
        sum(points) as points,
        sum(case when not is_general_service then 0 when nf_case = 1 then points else least(points, nf_parts) end)
            as nonfloat_points,
        sum(case when is_general_service and deduct_dot is not null then points else 0 end) as reviewed_points,
        sum(case when is_general_service then least(coalesce(deduct_dot, 0), points) else 0 end) as deducted_points
    from split
    group by all
),
as_of as (
    select max(appl_date) as as_of_date from per_day
),
quarters as (
    select
        fee_quarter, as_of.as_of_date,
        last_day(q_start + interval 2 month) as quarter_end_date,
        last_day(q_start + interval 8 month) as settle_due_date
    from (
        select distinct fee_quarter,
            make_date(cast(substr(fee_quarter, 1, 4) as integer), (cast(substr(fee_quarter, 6, 1) as integer) - 1) * 3 + 1, 1)
                as q_start
        from per_day
    ) cross join as_of
),
regional as (
    select
        per_day.sector, per_day.area_no_h, per_day.fee_quarter,
        sum(claims) as claims, sum(points) as points, sum(nonfloat_points) as nonfloat_points,
        sum(points) - sum(nonfloat_points) as float_points,
        sum(reviewed_points) as reviewed_points, sum(deducted_points) as deducted_points
    from per_day
    inner join quarters on per_day.fee_quarter = quarters.fee_quarter and per_day.appl_date <= quarters.as_of_date
    group by all
),
budgets as (
    select sector, fee_quarter, area_no_h, budget_amt from (
        select *, row_number() over (partition by sector, fee_quarter, area_no_h order by source_file desc, budget_amt desc) as rn
        from src_budget
        where sector is not null and fee_quarter is not null and area_no_h is not null
            and sector in ${values:budget.SECTOR} and area_no_h in ${values:budget.AREA_NO_H}
            and length(fee_quarter) = 6 and substr(fee_quarter, 5, 1) = 'Q'
            and try_cast(substr(fee_quarter, 1, 4) as integer) between 1990 and 2200
            and substr(fee_quarter, 6, 1) in ('1', '2', '3', '4')
            and budget_amt >= 0
    ) where rn = 1
),
budgeted as (
    select regional.*, budgets.budget_amt
    from regional
    inner join budgets
        on regional.sector = budgets.sector and regional.fee_quarter = budgets.fee_quarter
        and regional.area_no_h = budgets.area_no_h
    where regional.points > 0
),
combined as (
    select * from budgeted
    union all
    select sector, 'ALL', fee_quarter, sum(claims), sum(points), sum(nonfloat_points), sum(float_points),
        sum(reviewed_points), sum(deducted_points), sum(budget_amt)
    from budgeted group by sector, fee_quarter
),
valued as (
    select
        combined.*,
        (cast(budget_amt as double) - nonfloat_points) / nullif(cast(float_points as double), 0) as float_pv,
        cast(budget_amt as double) / nullif(cast(nonfloat_points as double) + float_points, 0) as avg_pv,
        quarters.as_of_date, quarters.settle_due_date, quarters.as_of_date >= quarters.settle_due_date as is_complete
    from combined
    inner join quarters on combined.fee_quarter = quarters.fee_quarter
),
announced as (
    select sector, fee_quarter, area_no_h,
        max(case when pv_kind = 'SETTLED' then float_pv end) as announced_settled_float_pv,
        max(case when pv_kind = 'SETTLED' then avg_pv end) as announced_settled_avg_pv,
        max(case when pv_kind = 'FORECAST' then float_pv end) as announced_forecast_float_pv,
        max(case when pv_kind = 'FORECAST' then avg_pv end) as announced_forecast_avg_pv
    from (
        select *, row_number() over (
            partition by sector, fee_quarter, area_no_h, pv_kind order by announced_date desc nulls last, source_file desc
        ) as rn
        from src_pv_announced
        where sector is not null and fee_quarter is not null and area_no_h is not null and pv_kind is not null
            and sector in ${values:pv_announced.SECTOR} and pv_kind in ${values:pv_announced.PV_KIND}
            and area_no_h in ${values:pv_announced.AREA_NO_H}
            and length(fee_quarter) = 6 and substr(fee_quarter, 5, 1) = 'Q'
            and try_cast(substr(fee_quarter, 1, 4) as integer) between 1990 and 2200
            and substr(fee_quarter, 6, 1) in ('1', '2', '3', '4')
            and float_pv > 0 and avg_pv > 0
    )
    where rn = 1
    group by all
)
select
    valued.sector, sectors.sector_zh, valued.area_no_h,
    case when valued.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
    valued.fee_quarter, valued.claims, valued.points, valued.nonfloat_points, valued.float_points,
    valued.reviewed_points, valued.deducted_points, cast(valued.budget_amt as decimal(18, 2)) as budget_amt,
    valued.float_pv, valued.avg_pv,
    cast(case when valued.area_no_h != 'ALL' and valued.avg_pv is not null then rank() over (
        partition by valued.sector, valued.fee_quarter, (valued.area_no_h != 'ALL' and valued.avg_pv is not null)
        order by valued.avg_pv desc
    ) end as integer) as avg_pv_rank,
    valued.as_of_date, valued.settle_due_date, valued.is_complete,
    announced.announced_settled_float_pv, announced.announced_settled_avg_pv,
    announced.announced_forecast_float_pv, announced.announced_forecast_avg_pv
from valued
left join seed_point_value_sectors as sectors on valued.sector = sectors.sector
left join seed_regions as regions on valued.area_no_h = regions.area_no_h
left join announced
    on valued.sector = announced.sector and valued.fee_quarter = announced.fee_quarter
    and valued.area_no_h = announced.area_no_h;

-- 20類重要檢查(驗) 再執行: executions flagged with lag() per patient and merged item, then
-- the item and category rates per quarter/half, region and ALL.
create temp table reexam_item_periods as
with executions as (
    select
        orders.*, item_map.merged_item, item_map.interval_days, item_map.category_no,
        lag(orders.execution_date) over w as previous_execution_date,
        lag(orders.hosp_id) over w as previous_hosp_id
    from orders
    inner join seed_reexam_item_map as item_map
        on orders.order_code = item_map.order_code
        and orders.execution_date >= item_map.valid_from
        and (item_map.valid_to is null or orders.execution_date <= item_map.valid_to)
    where orders.sector = 'WM_PRIMARY' and orders.patient_key is not null and orders.execution_date is not null
    window w as (
        partition by orders.patient_key, item_map.merged_item
        order by orders.execution_date, orders.hosp_id, orders.fee_ym, orders.appl_type, orders.case_type,
            orders.seq_no, orders.order_seq_no
    )
),
extract_start as (
    select min(fee_month_start) as extract_start_date from orders
),
quarterly as (
    select
        year(execution_date) || 'Q' || quarter(execution_date) as period, 'quarter' as period_type,
        area_no_h, merged_item,
        count(*) as executions,
        sum(coalesce(order_dot, 0)) as order_points,
        count(*) filter (where execution_date - previous_execution_date <= interval_days) as reexecutions,
        count(*) filter (where execution_date - previous_execution_date <= interval_days and previous_hosp_id = hosp_id)
            as same_inst_reexecutions,
        count(*) filter (where execution_date - previous_execution_date <= interval_days and previous_hosp_id <> hosp_id)
            as cross_inst_reexecutions,
        count(*) filter (where not (execution_date - interval_days >= extract_start_date)) as executions_lookback_incomplete
    from executions cross join extract_start
    group by all
),
halves as (
    select
        substr(period, 1, 4) || case when substr(period, 6, 1) in ('1', '2') then 'H1' else 'H2' end as period,
        'half' as period_type, area_no_h, merged_item,
        sum(executions), sum(order_points), sum(reexecutions), sum(same_inst_reexecutions),
        sum(cross_inst_reexecutions), sum(executions_lookback_incomplete)
    from quarterly group by all
),
by_region as (
    select * from quarterly union all select * from halves
)
select * from by_region
union all
select period, period_type, 'ALL', merged_item, sum(executions), sum(order_points), sum(reexecutions),
    sum(same_inst_reexecutions), sum(cross_inst_reexecutions), sum(executions_lookback_incomplete)
from by_region group by all;

create table marts.reexam_rate_by_item as
with items as (
    select merged_item, min(merged_item_zh) as merged_item_zh, min(category_no) as category_no
    from seed_reexam_item_map group by merged_item
),
rated as (
    select *,
        cast(cast(substr(period, 1, 4) as integer) - 1 as varchar) || substr(period, 5, 2) as base_period,
        reexecutions / cast(executions as double) as reexec_rate
    from reexam_item_periods
)
select
    rated.period, rated.period_type, rated.area_no_h,
    case when rated.area_no_h = 'ALL' then '全區' else regions.region_zh end as region_zh,
    rated.merged_item, items.merged_item_zh, items.category_no,
    rated.executions, rated.order_points, rated.reexecutions, rated.same_inst_reexecutions,
    rated.cross_inst_reexecutions, rated.reexec_rate, rated.executions_lookback_incomplete = 0 as is_lookback_complete,
    rated.base_period, base.executions as base_executions, base.reexec_rate as base_reexec_rate,
    rated.reexec_rate - base.reexec_rate as reexec_rate_diff_base,
    national.reexec_rate as national_reexec_rate, rated.reexec_rate - national.reexec_rate as reexec_rate_diff_national
from rated
left join items on rated.merged_item = items.merged_item
left join seed_regions as regions on rated.area_no_h = regions.area_no_h
left join rated as base
    on rated.base_period = base.period and rated.area_no_h = base.area_no_h and rated.merged_item = base.merged_item
left join rated as national
    on rated.period = national.period and national.area_no_h = 'ALL' and rated.merged_item = national.merged_item;

create table marts.reexam_rate_by_category as
with items as (
    select merged_item, min(category_no) as category_no from seed_reexam_item_map group by merged_item
),
item_periods as (
    select reexam_item_periods.*, items.category_no
    from reexam_item_periods left join items on reexam_item_periods.merged_item = items.merged_item
),
categories as (
    select period, period_type, area_no_h, category_no, count(*) as merged_items, sum(executions) as executions,
        sum(reexecutions) as reexecutions, sum(executions_lookback_incomplete) as executions_lookback_incomplete
    from item_periods group by all
    union all
    select period, period_type, area_no_h, 'ALL', count(*), sum(executions), sum(reexecutions),
        sum(executions_lookback_incomplete)
    from item_periods group by all
),
rated as (
    select *,
        cast(cast(substr(period, 1, 4) as integer) - 1 as varchar) || substr(period, 5, 2) as base_period,
        reexecutions / cast(executions as double) as reexec_rate
    from categories
)
select
    rated.period, rated.period_type, rated.area_no_h, rated.category_no, rated.merged_items, rated.executions,
    rated.reexecutions, rated.reexec_rate, rated.executions_lookback_incomplete = 0 as is_lookback_complete,
    rated.base_period, base.executions as base_executions, base.reexec_rate as base_reexec_rate,
    national.reexec_rate as national_reexec_rate
from rated
left join rated as base
    on rated.base_period = base.period and rated.area_no_h = base.area_no_h and rated.category_no = base.category_no
left join rated as national
    on rated.period = national.period and national.area_no_h = 'ALL' and rated.category_no = national.category_no;

-- 電子轉診回復率 referral_reply_rate (issuer region, as of the latest referral date).
create table marts.referral_reply_rate as
with referrals as (
    select * from (
        select *, row_number() over (
            partition by referral_no order by reply_date desc nulls last, recv_date desc nulls last, source_file desc
        ) as rn
        from src_referral
        where referral_no is not null and issue_hosp_id is not null and recv_hosp_id is not null and id is not null
            and issue_date is not null
            and (recv_date is not null or not recv_date_present)
            and (reply_date is not null or not reply_date_present)
            and not coalesce(recv_date < issue_date or reply_date < issue_date, false)
    ) where rn = 1
),
as_of as (
    select greatest(
        coalesce(max(issue_date), date '1900-01-01'), coalesce(max(recv_date), date '1900-01-01'),
        coalesce(max(reply_date), date '1900-01-01')
    ) as as_of_date
    from referrals
),
classified as (
    select
        year(r.issue_date) || 'Q' || quarter(r.issue_date) as fee_quarter,
        issuers.area_no_h as area_no_h,
        case
            when issuers.institution_level = 4 and not coalesce(issuers.is_excluded_referral_receiver, false)
                and receivers.institution_level in (1, 2, 3) then 'UP'
            when issuers.institution_level in (1, 2) and receivers.institution_level = 3 then 'DOWN_DISTRICT'
            when issuers.institution_level in (1, 2) and receivers.institution_level = 4 then 'DOWN_CLINIC'
            else 'OTHER'
        end as direction,
        issuers.hosp_id is not null and receivers.hosp_id is not null
            and not coalesce(receivers.is_excluded_referral_receiver, false) as is_included,
        case when r.recv_date <= as_of.as_of_date then r.recv_date end as recv_date,
        case when r.reply_date <= as_of.as_of_date then r.reply_date end as reply_date,
        r.issue_date
    from referrals as r
    cross join as_of
    left join institutions as issuers on r.issue_hosp_id = issuers.hosp_id
    left join institutions as receivers on r.recv_hosp_id = receivers.hosp_id
    where r.issue_date <= as_of.as_of_date
),
measured as (
    select *,
        recv_date is not null as is_seen, reply_date is not null as is_replied,
        reply_date - issue_date as days_to_reply, reply_date - recv_date as days_seen_to_reply
    from classified
),
with_all as (
    select * from measured where area_no_h is not null
    union all
    select * replace ('ALL' as area_no_h) from measured
),
aggregated as (
    select
        fee_quarter, area_no_h, direction,
        count(*) filter (where is_included) as referrals,
        count(*) filter (where is_included and is_replied) as replied,
        count(*) filter (where is_included and is_replied and is_seen and days_seen_to_reply <= 3) as timely_replied,
        count(*) filter (where is_included and is_seen) as seen,
        quantile_cont(case when is_included then days_to_reply end, 0.5) as median_days_to_reply,
        quantile_cont(case when is_included then days_seen_to_reply end, 0.5) as median_days_seen_to_reply,
        count(*) filter (where not is_included) as excluded_referrals
    from with_all group by all
),
quarters as (
    select distinct fee_quarter,
        make_date(cast(substr(fee_quarter, 1, 4) as integer), (cast(substr(fee_quarter, 6, 1) as integer) - 1) * 3 + 1, 1)
            as quarter_start
    from measured
),
areas as (
    select area_no_h, region_zh from seed_regions union all select 'ALL', '全區'
)
select
    quarters.fee_quarter, areas.area_no_h, areas.region_zh, directions.direction, directions.is_published_rate,
    coalesce(aggregated.referrals, 0) as referrals, coalesce(aggregated.replied, 0) as replied,
    case when aggregated.referrals > 0 then aggregated.replied / aggregated.referrals end as reply_rate,
    coalesce(aggregated.timely_replied, 0) as timely_replied, coalesce(aggregated.seen, 0) as seen,
    aggregated.median_days_to_reply, aggregated.median_days_seen_to_reply,
    coalesce(aggregated.excluded_referrals, 0) as excluded_referrals,
    as_of.as_of_date,
    as_of.as_of_date >= quarters.quarter_start + interval 3 month - interval 1 day as is_quarter_complete
from quarters
cross join areas
cross join seed_referral_directions as directions
cross join as_of
left join aggregated
    on quarters.fee_quarter = aggregated.fee_quarter and areas.area_no_h = aggregated.area_no_h
    and directions.direction = aggregated.direction;

-- 照護率 care_plan_coverage: denominator (>= 2 qualifying visits within max_interval_days in
-- Y-1), numerator (a P-code claimed in Y up to through_month), per reporting group (cube).
create temp table care_plan_persons as
with code_list as (
    select d.plan, d.diagnosis_position, d.requires_same_physician, d.max_interval_days,
        c.icd10_code, c.match_type, substr(c.icd10_code, 1, 3) as icd10_category
    from seed_care_plan_definitions as d
    inner join seed_care_plan_diagnosis_codes as c on d.diagnosis_code_list = c.code_list
),
diagnoses as (
    select claims.hosp_id, claims.patient_key, claims.physician_key, claims.visit_date, claims.area_no_h,
        claims.hosp_cont_type, claims.sector, pos.position_no,
        upper(replace(trim(case pos.position_no when 1 then claims.icd_1 when 2 then claims.icd_2 else claims.icd_3 end), '.', ''))
            as code
    from claims
    cross join (values (1), (2), (3)) as pos(position_no)
),
visits as (
    select distinct code_list.plan, diagnoses.hosp_id, diagnoses.patient_key, diagnoses.physician_key,
        diagnoses.visit_date, diagnoses.area_no_h, diagnoses.hosp_cont_type, diagnoses.sector,
        code_list.requires_same_physician, code_list.max_interval_days
    from diagnoses
    inner join code_list on substr(diagnoses.code, 1, 3) = code_list.icd10_category
    where ((code_list.match_type = 'EXACT' and diagnoses.code = code_list.icd10_code)
            or (code_list.match_type = 'PREFIX' and starts_with(diagnoses.code, code_list.icd10_code)))
        and (code_list.diagnosis_position = 'ANY' or diagnoses.position_no = 1)
        and diagnoses.sector in ${care_plan_sectors}
        and not (code_list.requires_same_physician and diagnoses.physician_key is null)
),
paired as (
    select *,
        visit_date - lag(visit_date) over (
            partition by plan, year(visit_date), patient_key, hosp_id, pairing_physician_key order by visit_date
        ) as days_since_previous
    from (
        select distinct plan, patient_key, hosp_id,
            case when requires_same_physician then physician_key end as pairing_physician_key,
            visit_date, max_interval_days
        from visits
    )
),
denominator as (
    select eligible.plan, eligible.eligibility_year + 1 as year, eligible.patient_key, eligible.hosp_id,
        institution_visits.sector, institution_visits.hosp_cont_type, institution_visits.area_no_h
    from (
        select plan, year(visit_date) as eligibility_year, patient_key, hosp_id
        from paired
        group by all
        having bool_or(days_since_previous <= max_interval_days)
    ) as eligible
    inner join (
        select plan, year(visit_date) as eligibility_year, patient_key, hosp_id,
            max(area_no_h) as area_no_h, max(hosp_cont_type) as hosp_cont_type, max(sector) as sector
        from visits group by all
    ) as institution_visits
        using (plan, eligibility_year, patient_key, hosp_id)
),
numerator as (
    select d.plan, orders.fee_year as year, orders.patient_key, orders.hosp_id,
        max(orders.area_no_h) as area_no_h, max(orders.hosp_cont_type) as hosp_cont_type, max(orders.sector) as sector,
        min(cast(substr(orders.fee_ym, 5, 2) as integer)) as first_claim_month
    from orders
    inner join seed_care_plan_definitions as d on starts_with(orders.order_code, d.order_code_prefix)
    group by all
    having max(orders.sector) in ${care_plan_sectors}
)
select
    coalesce(denominator.plan, numerator.plan) as plan,
    coalesce(denominator.year, numerator.year) as year,
    coalesce(denominator.patient_key, numerator.patient_key) as patient_key,
    coalesce(denominator.sector, numerator.sector) as sector,
    coalesce(denominator.hosp_cont_type, numerator.hosp_cont_type) as hosp_cont_type,
    coalesce(denominator.area_no_h, numerator.area_no_h) as area_no_h,
    denominator.patient_key is not null as is_eligible,
    numerator.first_claim_month
from denominator
full outer join numerator
    on denominator.plan = numerator.plan and denominator.year = numerator.year
    and denominator.patient_key = numerator.patient_key and denominator.hosp_id = numerator.hosp_id;

create table marts.care_plan_coverage as
with data_months as (
    select distinct fee_year as data_year, cast(substr(fee_ym, 5, 2) as integer) as data_month from claims
),
periods as (
    select cur.data_year as year, cur.data_year - 1 as eligibility_year, m.through_month,
        m.through_month = cur.latest as is_latest_through_month
    from (select data_year, max(data_month) as latest from data_months group by all) as cur
    inner join (select distinct data_year from data_months) as prev on cur.data_year - 1 = prev.data_year
    inner join range(1, 13) as m(through_month) on m.through_month <= cur.latest
),
person_groups as (
    select plan, year, through_month, patient_key, sector, hosp_cont_type, area_no_h,
        max(case when is_eligible then 1 else 0 end) as in_denominator,
        max(case when first_claim_month <= through_month then 1 else 0 end) as in_numerator
    from care_plan_persons
    inner join periods using (year)
    where is_eligible or first_claim_month <= through_month
    group by plan, year, through_month, patient_key, cube(sector, hosp_cont_type, area_no_h)
),
group_counts as (
    select plan, year, through_month,
        coalesce(sector, 'ALL') as sector, coalesce(hosp_cont_type, 'ALL') as hosp_cont_type,
        coalesce(area_no_h, 'ALL') as area_no_h,
        sum(in_denominator) as denominator, sum(in_numerator) as numerator,
        sum(in_denominator * in_numerator) as cohort_numerator
    from person_groups group by all
),
sector_types as (
    select sector_if_by_institution as sector, hosp_cont_type from seed_contract_types
    where sector_if_by_institution in ${care_plan_sectors}
),
groups as (
    select 'ALL' as sector, 'ALL' as hosp_cont_type
    union all select 'ALL', hosp_cont_type from sector_types
    union all select distinct sector, 'ALL' from sector_types
    union all select sector, hosp_cont_type from sector_types
),
scaffold as (
    select d.plan, periods.year, periods.through_month, groups.sector, groups.hosp_cont_type, areas.area_no_h
    from seed_care_plan_definitions as d
    cross join periods
    cross join groups
    cross join (select 'ALL' as area_no_h union all select area_no_h from seed_regions) as areas
),
combined as (
    select
        coalesce(scaffold.plan, group_counts.plan) as plan, coalesce(scaffold.year, group_counts.year) as year,
        coalesce(scaffold.through_month, group_counts.through_month) as through_month,
        coalesce(scaffold.sector, group_counts.sector) as sector,
        coalesce(scaffold.hosp_cont_type, group_counts.hosp_cont_type) as hosp_cont_type,
        coalesce(scaffold.area_no_h, group_counts.area_no_h) as area_no_h,
        coalesce(group_counts.denominator, 0) as denominator, coalesce(group_counts.numerator, 0) as numerator,
        coalesce(group_counts.cohort_numerator, 0) as cohort_numerator
    from scaffold
    full outer join group_counts
        using (plan, year, through_month, sector, hosp_cont_type, area_no_h)
)
select combined.*, periods.eligibility_year, periods.is_latest_through_month,
    case when denominator > 0 then numerator / denominator end as coverage_rate,
    case when denominator > 0 then cohort_numerator / denominator end as cohort_rate
from combined
left join periods using (year, through_month)
