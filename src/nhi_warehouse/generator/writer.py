"""Arrow schemas of the raw-data contract and file writing (Parquet or CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import ArrayLike

S, D, TS, I32, I64 = pa.string(), pa.date32(), pa.timestamp("us"), pa.int32(), pa.int64()


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in cols])


CLAIM_KEY = [("FEE_YM", S), ("APPL_TYPE", S), ("APPL_DATE", D), ("HOSP_ID", S),
             ("CASE_TYPE", S), ("SEQ_NO", I32)]  # fmt: skip

SCHEMAS: dict[str, pa.Schema] = {
    "hosb": _schema(
        ("HOSP_ID", S), ("HOSP_NAME", S), ("HOSP_CONT_TYPE", S), ("HOSP_KIND", S),
        ("AREA_NO_H", S), ("COUNTY", S), ("CONT_S_DATE", D), ("CONT_E_DATE", D),
    ),
    "cd": _schema(
        *CLAIM_KEY, ("ID", S), ("ID_BIRTHDAY", D), ("ID_SEX", S), ("FUNC_DATE", D),
        ("FUNC_TYPE", S), ("PRSN_ID", S), ("ICD_1", S), ("ICD_2", S), ("ICD_3", S),
        ("PART_CODE", S), ("DRUG_DAY", I32), ("DRUG_DOT", I64), ("DIAG_DOT", I64),
        ("TREAT_DOT", I64), ("DSVC_DOT", I64), ("T_DOT", I64), ("PART_AMT", I64),
        ("T_APPL_DOT", I64), ("DEDUCT_DOT", I64), ("ORIG_HOSP_ID", S),
    ),
    "oo": _schema(
        ("FEE_YM", S), ("APPL_TYPE", S), ("APPL_DATE", D), ("HOSP_ID", S), ("CASE_TYPE", S),
        ("SEQ_NO", I32), ("ORDER_SEQ_NO", I32), ("ORDER_TYPE", S), ("ORDER_CODE", S),
        ("ORDER_QTY", pa.decimal32(9, 2)), ("ORDER_DOT", I64), ("EXE_S_DATE", TS),
    ),
    "dd": _schema(
        *CLAIM_KEY, ("ID", S), ("ID_BIRTHDAY", D), ("ID_SEX", S), ("IN_DATE", D),
        ("OUT_DATE", D), ("ICD_1", S), ("ICD_2", S), ("ICD_3", S), ("ICD_4", S), ("ICD_5", S),
        ("DRUG_DOT", I64), ("DSVC_DOT", I64), ("OTHER_DOT", I64), ("T_DOT", I64),
        ("PART_AMT", I64), ("T_APPL_DOT", I64), ("DEDUCT_DOT", I64),
    ),
    "lab_upload": _schema(
        ("HOSP_ID", S), ("ORDER_HOSP_ID", S), ("ID", S), ("FUNC_DATE", D), ("ORDER_CODE", S),
        ("REPORT_TIME", TS), ("UPLOAD_TIME", TS), ("CHANNEL", S),
    ),
    "referral": _schema(
        ("REFERRAL_NO", S), ("ISSUE_HOSP_ID", S), ("RECV_HOSP_ID", S), ("ID", S),
        ("ISSUE_DATE", D), ("RECV_DATE", D), ("REPLY_DATE", D),
    ),
    "budget": _schema(
        ("SECTOR", S), ("FEE_QUARTER", S), ("AREA_NO_H", S), ("BUDGET_AMT", pa.decimal64(18, 2)),
    ),
    "pv_announced": _schema(
        ("SECTOR", S), ("FEE_QUARTER", S), ("AREA_NO_H", S), ("PV_KIND", S),
        ("FLOAT_PV", pa.decimal32(8, 4)), ("AVG_PV", pa.decimal32(8, 4)),
        ("ANNOUNCED_DATE", D),
    ),
    "hosp_prospective": _schema(
        ("HOSP_ID", S), ("FEE_QUARTER", S), ("BASE_POINTS", I64), ("OPD_SHARE", pa.decimal32(6, 4)),
        ("REG_PHYSICIANS_BASE", I32), ("REG_PHYSICIANS", I32), ("NURSES_BASE", I32), ("NURSES", I32),
        ("OPD_CMI_BASE", pa.decimal32(8, 4)), ("OPD_CMI", pa.decimal32(8, 4)),
        ("IPD_CMI_BASE", pa.decimal32(8, 4)), ("IPD_CMI", pa.decimal32(8, 4)),
        ("FEE_ADJ_RATE", pa.decimal32(8, 6)), ("PROTECTED_POINTS", I64), ("BASE_AVG_PV", pa.decimal32(8, 4)),
    ),
    "prospective_region": _schema(
        ("AREA_NO_H", S), ("FEE_QUARTER", S), ("BUDGET_AMT", pa.decimal64(18, 2)),
        ("DELIVERED_AMT", pa.decimal64(18, 2)), ("PRIOR_PAID_AMT", pa.decimal64(18, 2)),
        ("EXCLUDED_AMT", pa.decimal64(18, 2)), ("BASE_INCOME_AMT", pa.decimal64(18, 2)),
    ),
}  # fmt: skip

MONTHLY_TABLES = ("cd", "oo", "dd")  # partitioned by FEE_YM
MONTH_TABLES = ("lab_upload", "referral")  # partitioned by month of FUNC_DATE / ISSUE_DATE
SINGLE_TABLES = ("hosb", "budget", "pv_announced", "hosp_prospective", "prospective_region")
ALL_TABLES = ("hosb", "cd", "oo", "dd", "lab_upload", "referral", "budget", "pv_announced",
              "hosp_prospective", "prospective_region")  # fmt: skip
NATURAL_KEYS = {
    "hosb": ["HOSP_ID"],
    "cd": ["HOSP_ID", "FEE_YM", "APPL_TYPE", "CASE_TYPE", "SEQ_NO"],
    "oo": ["HOSP_ID", "FEE_YM", "APPL_TYPE", "CASE_TYPE", "SEQ_NO", "ORDER_SEQ_NO"],
    "dd": ["HOSP_ID", "FEE_YM", "APPL_TYPE", "CASE_TYPE", "SEQ_NO"],
    "lab_upload": ["HOSP_ID", "ID", "FUNC_DATE", "ORDER_CODE", "UPLOAD_TIME"],
    "referral": ["REFERRAL_NO"],
    "budget": ["SECTOR", "FEE_QUARTER", "AREA_NO_H"],
    "pv_announced": ["SECTOR", "FEE_QUARTER", "AREA_NO_H", "PV_KIND"],
    "hosp_prospective": ["HOSP_ID", "FEE_QUARTER"],
    "prospective_region": ["AREA_NO_H", "FEE_QUARTER"],
}


# Low-cardinality columns written with Parquet dictionary encoding (others: plain).
DICTIONARY_COLUMNS = {
    "FEE_YM", "APPL_TYPE", "APPL_DATE", "HOSP_ID", "CASE_TYPE", "ID_SEX", "FUNC_DATE",
    "FUNC_TYPE", "PRSN_ID", "ICD_1", "ICD_2", "ICD_3", "ICD_4", "ICD_5", "PART_CODE",
    "DRUG_DAY", "DIAG_DOT", "DSVC_DOT", "ORDER_TYPE", "ORDER_CODE", "ORDER_QTY",
    "ORDER_HOSP_ID", "CHANNEL", "IN_DATE", "OUT_DATE", "HOSP_NAME", "HOSP_CONT_TYPE",
    "HOSP_KIND", "AREA_NO_H", "COUNTY", "CONT_S_DATE", "CONT_E_DATE", "ISSUE_HOSP_ID",
    "RECV_HOSP_ID", "ISSUE_DATE", "RECV_DATE", "REPLY_DATE", "SECTOR", "FEE_QUARTER",
    "PV_KIND", "ANNOUNCED_DATE",
}  # fmt: skip


def partition_dir(table: str, month: str) -> str:
    """Relative folder of a monthly partition: ``cd/fee_ym=202401`` or ``referral/month=202401``."""
    if table in MONTHLY_TABLES:
        return f"{table}/fee_ym={month}"
    if table in MONTH_TABLES:
        return f"{table}/month={month}"
    return table


def decimal_array(units: ArrayLike, precision: int, scale: int, mask: ArrayLike | None = None) -> pa.Array:
    """Decimal array from integers already multiplied by 10**scale.

    Precision <= 9 is built as decimal32 (no copy; Parquet INT32 decimal), <= 18 as decimal64;
    both read back as DECIMAL(p, s).
    """
    if precision <= 18:
        small = precision <= 9
        values = np.ascontiguousarray(units, dtype=np.int32 if small else np.int64)
        typ = pa.decimal32(precision, scale) if small else pa.decimal64(precision, scale)
        validity = None
        if mask is not None and np.any(mask):
            validity = pa.py_buffer(np.packbits(~np.asarray(mask, dtype=bool), bitorder="little").tobytes())
        return pa.Array.from_buffers(typ, values.size, [validity, pa.py_buffer(values)])
    units = np.asarray(units, dtype=np.int64)
    buf = np.empty((units.size, 2), dtype=np.int64)
    buf[:, 0] = units
    buf[:, 1] = units >> 63
    validity = None
    if mask is not None and np.any(mask):
        valid = ~np.asarray(mask, dtype=bool)
        validity = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    return pa.Array.from_buffers(pa.decimal128(precision, scale), units.size, [validity, pa.py_buffer(buf)])


# Arrays are built from buffers, not with pa.array(): pa.array() imports pandas (about a
# second), which the generator does not need.


def _validity(mask: ArrayLike | None) -> pa.Buffer | None:
    if mask is None:
        return None
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return None
    return pa.py_buffer(np.packbits(~mask, bitorder="little").tobytes())


def arr(values: ArrayLike, type: pa.DataType | None = None, mask: ArrayLike | None = None) -> pa.Array:
    """Fixed-width numpy values (ints, date32 as int32, timestamp[us] as int64) as Arrow."""
    values = np.ascontiguousarray(values)
    if type is None:
        type = pa.from_numpy_dtype(values.dtype)
    width = {pa.date32(): np.int32, TS: np.int64}.get(type)
    if width is not None:
        values = np.ascontiguousarray(values, dtype=width)
    return pa.Array.from_buffers(type, values.size, [_validity(mask), pa.py_buffer(values)])


def bools(values: ArrayLike) -> pa.Array:
    values = np.asarray(values, dtype=bool)
    data = pa.py_buffer(np.packbits(values, bitorder="little").tobytes())
    return pa.Array.from_buffers(pa.bool_(), values.size, [None, data])


def strs(values: Sequence[str | None]) -> pa.Array:
    """A list of str / None as an Arrow string array."""
    encoded = [b"" if v is None else str(v).encode("utf-8") for v in values]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    mask = np.fromiter((v is None for v in values), dtype=bool, count=len(encoded))
    return pa.Array.from_buffers(
        pa.string(),
        len(encoded),
        [_validity(mask), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))],
    )


def np_of(col: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Values of a fixed-width Arrow column as numpy (null slots hold arbitrary values)."""
    a = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    t = a.type
    if pa.types.is_decimal(t):
        if t.byte_width == 16:
            raw = np.frombuffer(a.buffers()[1], dtype=np.int64)
            return raw[2 * a.offset : 2 * (a.offset + len(a)) : 2].copy()
        raw = np.frombuffer(a.buffers()[1], dtype=np.int32 if t.byte_width == 4 else np.int64)
        return raw[a.offset : a.offset + len(a)].astype(np.int64)
    dtype = {pa.date32(): np.int32, TS: np.int64, pa.int32(): np.int32, pa.int64(): np.int64}[t]
    raw = np.frombuffer(a.buffers()[1], dtype=dtype)
    return raw[a.offset : a.offset + len(a)].copy()


def valid_of(col: pa.Array | pa.ChunkedArray) -> np.ndarray:
    a = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if a.null_count == 0:
        return np.ones(len(a), dtype=bool)
    bits = np.unpackbits(np.frombuffer(a.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[a.offset : a.offset + len(a)].astype(bool)


def date_array(days: ArrayLike, mask: ArrayLike | None = None) -> pa.Array:
    return arr(np.asarray(days, dtype=np.int32), pa.date32(), mask)


def ts_array(us: ArrayLike, mask: ArrayLike | None = None) -> pa.Array:
    return arr(np.asarray(us, dtype=np.int64), TS, mask)


def take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx] with idx < 0 giving null (C++ take, no Python loop)."""
    idx = np.asarray(idx)
    neg = idx < 0
    if neg.any():
        return values.take(arr(np.where(neg, 0, idx).astype(np.int64), mask=neg))
    return values.take(arr(idx.astype(np.int64)))


def dict_take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """Dictionary-encoded values[idx] (idx < 0: null): no string is copied per row.

    Parquet files are written without the Arrow schema, so readers see plain strings.
    """
    idx = np.asarray(idx)
    neg = idx < 0
    indices = arr(np.where(neg, 0, idx).astype(np.int32), mask=neg)
    return pa.DictionaryArray.from_arrays(indices, values)


def dict_const(value: str, n: int) -> pa.Array:
    return dict_take(strs([value]), np.zeros(n, dtype=np.int32))


def decode(table: pa.Table, name: str) -> pa.Table:
    """The table with dictionary columns decoded, typed as the contract table ``name``."""
    return table.cast(SCHEMAS[name]) if table.schema != SCHEMAS[name] else table


def const_str(value: str, n: int) -> pa.Array:
    return strs([value]).take(arr(np.zeros(n, dtype=np.int64)))


def to_text_table(table: pa.Table) -> pa.Table:
    """Cast timestamps to whole seconds so CSV shows ``YYYY-MM-DD HH:MM:SS``."""
    cols = []
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.timestamp("s"), safe=False)
        cols.append(col)
    return pa.Table.from_arrays(cols, names=table.column_names)


def write(table: pa.Table, root: Path, rel_dir: str, stem: str, fmt: str) -> Path:
    """Write ``table`` as ``root/rel_dir/stem.parquet`` (or ``.csv``)."""
    folder = root / rel_dir
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        path = folder / f"{stem}.parquet"
        dict_cols = [c for c in table.column_names if c in DICTIONARY_COLUMNS]
        # min/max statistics for dates, numbers and times (string statistics cost more than
        # they help here)
        stats_cols = [
            f.name for f in table.schema if not (pa.types.is_string(f.type) or pa.types.is_dictionary(f.type))
        ]
        pq.write_table(
            table,
            path,
            compression="snappy",
            row_group_size=1 << 20,
            use_dictionary=dict_cols,
            write_statistics=stats_cols,
            store_schema=False,
        )
    else:
        path = folder / f"{stem}.csv"
        write_csv(table, path)
    return path


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8 CSV with header, comma, ISO dates, nulls as empty fields."""
    pacsv.write_csv(
        to_text_table(table),
        path,
        write_options=pacsv.WriteOptions(include_header=True, delimiter=",", quoting_style="needed"),
    )
