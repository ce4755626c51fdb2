-- 執行率異常高於同儕值: institutions whose re-execution rate (all 20-category items together) is
-- above the peer percentile (var `reexam_outlier_percentile`, P90 default) of the
-- institutions of the same region and contract type, per period (quarter, half: the period
-- dimension int_calendar_month_periods) (domain spec §4). Only institutions with at least `reexam_outlier_min_executions` executions in the
-- period are rated or count as peers (tiny denominators give meaningless rates), and a peer
-- value needs at least `reexam_outlier_min_peers` such institutions. One row per outlier.
-- A re-execution is counted at the institution of the later execution.

{%- set percentile = var('reexam_outlier_percentile', 0.9) | float %}
{%- set min_executions = var('reexam_outlier_min_executions', 30) | int %}
{%- set min_peers = var('reexam_outlier_min_peers', 5) | int %}

with executions as (

    select * from {{ ref('int_reexam_executions_flagged') }}
    where is_in_scope

),

regions as (

    select * from {{ ref('regions') }}

),

calendar as (

    select * from {{ ref('int_calendar_month_periods') }}

),

execution_periods as (

    select
        calendar.period,
        calendar.period_type,
        executions.*
    from executions
    inner join calendar
        on executions.execution_ym = calendar.fee_ym

),

institution_periods as (

    select
        period,
        period_type,
        hosp_id,
        area_no_h,
        hosp_cont_type,
        count(*) as executions,
        sum(case when is_reexecution then 1 else 0 end) as reexecutions,
        sum(case when is_same_inst_reexecution then 1 else 0 end) as same_inst_reexecutions,
        sum(case when is_cross_inst_reexecution then 1 else 0 end) as cross_inst_reexecutions
    from execution_periods
    group by period, period_type, hosp_id, area_no_h, hosp_cont_type

),

eligible as (

    select
        institution_periods.*,
        institution_periods.reexecutions / cast(institution_periods.executions as double) as reexec_rate
    from institution_periods
    where institution_periods.executions >= {{ min_executions }}

),

peers as (

    select
        period,
        area_no_h,
        hosp_cont_type,
        count(*) as peer_institutions,
        {{ percentile_cont('reexec_rate', percentile) }} as peer_reexec_rate,
        {{ median_cont('reexec_rate') }} as peer_median_reexec_rate
    from eligible
    group by period, area_no_h, hosp_cont_type

),

outliers as (

    select
        eligible.*,
        peers.peer_institutions,
        peers.peer_reexec_rate,
        peers.peer_median_reexec_rate,
        regions.region_zh
    from eligible
    inner join peers
        on eligible.period = peers.period
            and eligible.area_no_h = peers.area_no_h
            and eligible.hosp_cont_type = peers.hosp_cont_type
    left join regions
        on eligible.area_no_h = regions.area_no_h
    where peers.peer_institutions >= {{ min_peers }}
        and eligible.reexec_rate > peers.peer_reexec_rate

),

final as (

    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(area_no_h as {{ dbt.type_string() }}) as area_no_h,
        cast(region_zh as {{ dbt.type_string() }}) as region_zh,
        cast(hosp_cont_type as {{ dbt.type_string() }}) as hosp_cont_type,
        cast(hosp_id as {{ dbt.type_string() }}) as hosp_id,
        cast(executions as {{ dbt.type_bigint() }}) as executions,
        cast(reexecutions as {{ dbt.type_bigint() }}) as reexecutions,
        cast(same_inst_reexecutions as {{ dbt.type_bigint() }}) as same_inst_reexecutions,
        cast(cross_inst_reexecutions as {{ dbt.type_bigint() }}) as cross_inst_reexecutions,
        cast(reexec_rate as double) as reexec_rate,
        cast({{ percentile }} as double) as peer_percentile,
        cast(peer_reexec_rate as double) as peer_reexec_rate,
        cast(reexec_rate - peer_reexec_rate as double) as reexec_rate_above_peer,
        cast(peer_median_reexec_rate as double) as peer_median_reexec_rate,
        cast(peer_institutions as integer) as peer_institutions
    from outliers

)

select * from final
