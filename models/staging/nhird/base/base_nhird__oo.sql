-- Outpatient order lines (oo), typed, with the first row-level contract rule each row breaks.
-- The cross-table rule (orphan_order) is checked in int_outpatient_orders_orphaned.
-- The one read of the raw files: on DuckDB a table built by fee month (a run reads only the
-- raw files holding the months it rebuilds, docs/incremental.md), read by the staging,
-- quarantine and intermediate models of the table; a view on other engines.

{{ fee_month_model(
    inputs=['raw.oo'],
    fallback='view',
) }}

with typed as (

    {{ typed_raw_rows(source('nhird', 'oo'), {
        'HOSP_ID': 'hosp_id',
        'FEE_YM': 'fee_ym',
        'APPL_TYPE': 'appl_type',
        'CASE_TYPE': 'case_type',
        'SEQ_NO': ['seq_no', 'integer'],
        'APPL_DATE': ['appl_date', 'date'],
        'ORDER_SEQ_NO': ['order_seq_no', 'integer'],
        'ORDER_TYPE': 'order_type',
        'ORDER_CODE': 'order_code',
        'ORDER_QTY': ['order_qty', 'decimal(9,2)'],
        'ORDER_DOT': ['order_dot', 'bigint'],
        'EXE_S_DATE': ['executed_at', 'timestamp'],
    }, where=fee_month_filter(clean_text('"FEE_YM"'), file_column='_source_file')) | indent(4) }}

),

checked as (

    select
        *,
        case
            when hosp_id is null or fee_ym is null or appl_type is null or case_type is null
                or seq_no is null or order_seq_no is null
                then 'missing_key'
            when not {{ is_valid_fee_ym('fee_ym') }} then 'invalid_fee_ym'
            when order_type is null or order_type not in {{ contract_values('oo', 'ORDER_TYPE') }} or order_code is null
                then 'invalid_code'
            when appl_date is null or (executed_at_text is not null and executed_at is null)
                then 'invalid_date'
            when order_dot is null or order_dot < 0 or (order_qty_text is not null and order_qty is null)
                then 'invalid_points'
            -- plausibility (docs/plausibility.md)
            when {{ is_above_bound(['order_dot'], 'plausible_max_order_points') }} then 'implausible_points'
            when {{ is_out_of_range('order_qty', 'plausible_max_order_qty') }} then 'implausible_quantity'
        end as rule_name
    from typed

),

final as (

    select
        hosp_id,
        fee_ym,
        appl_type,
        case_type,
        seq_no_text,
        order_seq_no_text,
        seq_no,
        order_seq_no,
        appl_date,
        order_type,
        order_code,
        order_qty,
        order_dot,
        executed_at,
        rule_name,
        -- content of a rejected row (every cleaned raw value), to report a re-delivered
        -- rejected row once (stg_nhird__oo_rejected)
        case when rule_name is not null then {{ row_hash([
            'hosp_id', 'fee_ym', 'appl_type', 'case_type', 'seq_no_text', 'appl_date_text', 'order_seq_no_text',
            'order_type', 'order_code', 'order_qty_text', 'order_dot_text', 'executed_at_text'
        ]) }} end as row_hash,
        source_file
    from checked

)

select * from final
