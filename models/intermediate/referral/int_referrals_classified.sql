-- Electronic referrals (電子轉診) with issuer and receiver level and kind, direction (domain
-- spec §5), exclusion reason, and reply / visit status as of an as-of date.
--   * as-of date: var `referral_as_of_date`; default the latest issue/receive/reply date in
--     the referral data (never the current date). Receive and reply dates after it count as
--     not (yet) seen / replied.
--   * timely reply: a reply at most var `referral_timely_days` (default 3) days after the
--     patient was seen by the receiver (RECV_DATE), the outpatient rule.
-- Rows are never dropped: unknown institutions and TCM/dental receivers carry an exclusion reason.

{%- set as_of_var = var('referral_as_of_date', none) %}
{%- set as_of_expression = "cast('" ~ as_of_var ~ "' as date)" if as_of_var else 'latest_data_date' %}
{%- set timely_days = var('referral_timely_days', 3) | int %}

with referrals as (

    select * from {{ ref('stg_nhird__referral') }}

),

institutions as (

    select * from {{ ref('int_institutions_classified') }}

),

data_dates as (

    select
        greatest(
            coalesce(max(issue_date), cast('1900-01-01' as date)),
            coalesce(max(recv_date), cast('1900-01-01' as date)),
            coalesce(max(reply_date), cast('1900-01-01' as date))
        ) as latest_data_date
    from referrals

),

as_of as (

    select {{ as_of_expression }} as as_of_date
    from data_dates

),

with_parties as (

    select
        referrals.referral_no,
        referrals.patient_key,
        referrals.issue_hosp_id,
        referrals.recv_hosp_id,
        referrals.issue_date,
        referrals.issue_quarter,
        referrals.recv_date as recv_date_reported,
        referrals.reply_date as reply_date_reported,
        issuers.hosp_id is not null as is_issuer_known,
        issuers.hosp_cont_type as issuer_hosp_cont_type,
        issuers.institution_level as issuer_level,
        issuers.hosp_kind as issuer_hosp_kind,
        coalesce(issuers.is_excluded_referral_receiver, false) as is_issuer_tcm_or_dental,
        issuers.area_no_h as issuer_area_no_h,
        receivers.hosp_id is not null as is_receiver_known,
        receivers.hosp_cont_type as receiver_hosp_cont_type,
        receivers.institution_level as receiver_level,
        receivers.hosp_kind as receiver_hosp_kind,
        coalesce(receivers.is_excluded_referral_receiver, false) as is_receiver_tcm_or_dental,
        receivers.area_no_h as receiver_area_no_h
    from referrals
    left join institutions as issuers
        on referrals.issue_hosp_id = issuers.hosp_id
    left join institutions as receivers
        on referrals.recv_hosp_id = receivers.hosp_id

),

directed as (

    select
        *,
        case
            when issuer_level = 4 and not is_issuer_tcm_or_dental and receiver_level in (1, 2, 3)
                then 'UP'
            when issuer_level in (1, 2) and receiver_level = 3
                then 'DOWN_DISTRICT'
            when issuer_level in (1, 2) and receiver_level = 4
                then 'DOWN_CLINIC'
            else 'OTHER'
        end as direction,
        case
            when not is_issuer_known then 'ISSUER_UNKNOWN'
            when not is_receiver_known then 'RECEIVER_UNKNOWN'
            when is_receiver_tcm_or_dental then 'RECEIVER_TCM_OR_DENTAL'
        end as exclusion_reason
    from with_parties

),

as_of_status as (

    select
        directed.*,
        as_of.as_of_date,
        directed.issue_date <= as_of.as_of_date as is_issued_by_as_of,
        case when directed.recv_date_reported <= as_of.as_of_date then directed.recv_date_reported end as recv_date,
        case when directed.reply_date_reported <= as_of.as_of_date then directed.reply_date_reported end as reply_date
    from directed
    cross join as_of

),

measured as (

    select
        *,
        recv_date is not null as is_seen,
        reply_date is not null as is_replied,
        {{ days_between('issue_date', 'reply_date') }} as days_to_reply,
        {{ days_between('recv_date', 'reply_date') }} as days_seen_to_reply
    from as_of_status

),

final as (

    select
        cast(referral_no as {{ dbt.type_string() }}) as referral_no,
        cast(patient_key as {{ dbt.type_string() }}) as patient_key,
        cast(issue_hosp_id as {{ dbt.type_string() }}) as issue_hosp_id,
        cast(recv_hosp_id as {{ dbt.type_string() }}) as recv_hosp_id,
        cast(issue_date as date) as issue_date,
        cast(issue_quarter as {{ dbt.type_string() }}) as fee_quarter,
        cast({{ roc_quarter_of_quarter('issue_quarter') }} as {{ dbt.type_string() }}) as roc_quarter,
        cast(is_issuer_known as boolean) as is_issuer_known,
        cast(issuer_hosp_cont_type as {{ dbt.type_string() }}) as issuer_hosp_cont_type,
        cast(issuer_level as integer) as issuer_level,
        cast(issuer_hosp_kind as {{ dbt.type_string() }}) as issuer_hosp_kind,
        cast(is_issuer_tcm_or_dental as boolean) as is_issuer_tcm_or_dental,
        cast(issuer_area_no_h as {{ dbt.type_string() }}) as issuer_area_no_h,
        cast(is_receiver_known as boolean) as is_receiver_known,
        cast(receiver_hosp_cont_type as {{ dbt.type_string() }}) as receiver_hosp_cont_type,
        cast(receiver_level as integer) as receiver_level,
        cast(receiver_hosp_kind as {{ dbt.type_string() }}) as receiver_hosp_kind,
        cast(is_receiver_tcm_or_dental as boolean) as is_receiver_tcm_or_dental,
        cast(receiver_area_no_h as {{ dbt.type_string() }}) as receiver_area_no_h,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(exclusion_reason as {{ dbt.type_string() }}) as exclusion_reason,
        cast(exclusion_reason is null as boolean) as is_included,
        cast(as_of_date as date) as as_of_date,
        cast(is_issued_by_as_of as boolean) as is_issued_by_as_of,
        cast(recv_date_reported as date) as recv_date_reported,
        cast(reply_date_reported as date) as reply_date_reported,
        cast(recv_date as date) as recv_date,
        cast(reply_date as date) as reply_date,
        cast(is_seen as boolean) as is_seen,
        cast(is_replied as boolean) as is_replied,
        cast(days_to_reply as integer) as days_to_reply,
        cast(days_seen_to_reply as integer) as days_seen_to_reply,
        cast(
            coalesce(is_replied and is_seen and days_seen_to_reply <= {{ timely_days }}, false) as boolean
        ) as is_timely_reply
    from measured

)

select * from final
