"""Raw CSV files as the contract tables they hold, whatever their encoding and layout
(docs/raw-encodings.md, docs/nhird-layout.md).

The raw-data contract's CSV files are UTF-8 with the contract's column names. Taiwanese extracts
are often Big5/CP950, and researchers' extracts use the NHI research database (NHIRD) layout.
:func:`prepare_csv` looks at one file and says how to read it as its contract table:

* **encoding**: UTF-8 (with or without a byte-order mark) or Big5/CP950, told apart by decoding
  the whole file (UTF-16 with a byte-order mark too); ``encoding`` overrides the detection for
  the rare file that is neither (e.g. ``big5hkscs``). A file that decodes as none is refused with
  the encoding named and where it fails.
* **layout**: the contract's when the header has every required contract column; else the NHIRD
  layout (the table's ``meta.nhird`` in models/staging/nhird/_nhird__sources.yml) when it has
  every NHIRD column the required contract columns come from; else the file is refused with the
  columns it lacks, named in the layout it is closer to.
* a UTF-8 file in the contract layout is read as it is. Any other is rewritten once as UTF-8 in
  the contract layout (NHIRD dates made ISO) into the cache folder, and that copy is read. The
  copy is keyed by the file's path, size and modification time, the encoding override and the
  mapping, so a changed file or mapping is rewritten; older copies of the file are removed.

One implementation for dbt (the DuckDB plugin's SQL function ``nhi_raw_csv``, called by
macros/raw/create_raw_views.sql) and for ``nhi quality raw``.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from nhi_warehouse.contract import ContractTable, LayoutColumn
from nhi_warehouse.settings import project_root

EMPTY_FILE = "empty file (0 bytes)"
CHUNK_BYTES = 1 << 22
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
DETECTED = "UTF-8 (with or without BOM), Big5/CP950 or UTF-16 with BOM"
CACHE_VERSION = "1"  # bump when the rewrite changes

# NHIRD text formats -> rewrites to the contract's ISO text, applied in order (DuckDB regexes);
# a value matching none is kept as it is, so that staging quarantines it as unparseable.
FORMATS: dict[str, tuple[tuple[str, str], ...]] = {
    "YYYYMMDD": ((r"^([0-9]{4})([0-9]{2})([0-9]{2})$", r"\1-\2-\3"),),
    "YYYYMMDDHH:MM:SS": (
        (r"^([0-9]{4})([0-9]{2})([0-9]{2}) ?([0-9]{2}:[0-9]{2}(:[0-9]{2})?)$", r"\1-\2-\3 \4"),
        (r"^([0-9]{4})([0-9]{2})([0-9]{2})$", r"\1-\2-\3"),
    ),
}


@dataclass(frozen=True)
class PreparedCsv:
    """How to read one CSV file as its contract table."""

    file: str
    read_path: str  # the file itself, or its UTF-8 contract-layout copy in the cache
    encoding: str | None  # utf-8, utf-8-sig, cp950, utf-16 or the override; None when unreadable
    layout: str  # contract | nhird
    columns: tuple[str, ...]  # columns of read_path, upper case (contract names once rewritten)
    missing: tuple[str, ...] = ()  # required columns the file lacks, named as in `layout`
    error: str | None = None  # why the file cannot be read at all

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> PreparedCsv:
        data = json.loads(text)
        return cls(
            **{**data, "columns": tuple(data["columns"]), "missing": tuple(data["missing"])},
        )


def default_cache_dir(database: str | Path | None) -> Path:
    """Where the UTF-8 contract-layout copies go: NHI_RAW_CACHE if set, else ``raw-cache/`` beside
    the warehouse file; for an in-memory database ``data/warehouse/raw-cache`` of the project.
    Never a system temporary folder: the copies are kept between builds and reused."""
    if os.environ.get("NHI_RAW_CACHE"):
        return Path(os.environ["NHI_RAW_CACHE"]).resolve()
    if not database or str(database) == ":memory:":
        return project_root() / "data" / "warehouse" / "raw-cache"
    return Path(database).resolve().parent / "raw-cache"


def _quote(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------


def decode_error(path: Path, encoding: str) -> str | None:
    """Where the file stops decoding as ``encoding`` ("byte 0xa4 at line 2"), None if it decodes."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 1
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                start = max(0, min(error.start, len(chunk) - 1))
                line = lines + chunk[:start].count(b"\n")
                return f"byte 0x{chunk[start : start + 1].hex()} at line {line}"
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return f"truncated character at the end (line {lines})"
    return None


def detect_encoding(path: Path, override: str | None = None) -> tuple[str | None, str | None]:
    """(encoding, None) or (None, the reason it is refused). Without ``override``: UTF-16 when the
    file starts with its byte-order mark, else UTF-8 if the whole file decodes as UTF-8 (utf-8-sig
    with a BOM), else CP950 (Microsoft's Big5) if it decodes as that."""
    if override:
        try:
            name = codecs.lookup(override).name
        except LookupError:
            return None, f"unknown encoding '{override}' (var raw_csv_encoding)"
        failed = decode_error(path, name)
        if failed:
            return None, f"not valid {override} (the encoding set by var raw_csv_encoding): {failed}"
        return name, None
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(UTF16_BOMS):
        failed = decode_error(path, "utf-16")
        return ("utf-16", None) if failed is None else (None, f"not valid UTF-16: {failed}")
    not_utf8 = decode_error(path, "utf-8")
    if not_utf8 is None:
        return ("utf-8-sig" if head.startswith(UTF8_BOM) else "utf-8"), None
    not_cp950 = decode_error(path, "cp950")
    if not_cp950 is None:
        return "cp950", None
    return None, (
        f"unrecognised encoding: not UTF-8 ({not_utf8}) nor Big5/CP950 ({not_cp950}); "
        "name it with --vars '{raw_csv_encoding: {<table>: <encoding>}}' (docs/raw-encodings.md)"
    )


def transcode(path: Path, encoding: str, target: Path) -> None:
    """Write ``path`` decoded as ``encoding`` to ``target`` as UTF-8 (no BOM), line ends kept."""
    with (
        path.open(encoding=encoding, newline="") as source,
        target.open("w", encoding="utf-8", newline="") as sink,
    ):
        while text := source.read(CHUNK_BYTES):
            sink.write(text)


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def missing_columns(table: ContractTable, header: set[str], layout: str) -> tuple[str, ...]:
    """Required columns (in ``layout``'s names) absent from the header (upper-case names)."""
    if layout == "contract":
        return tuple(name for name in table.required_columns if name not in header)
    sources = [s for name in table.required_columns for s in table.nhird_source(name).sources]
    return _unique([s for s in sources if s not in header])


def choose_layout(table: ContractTable, header: set[str]) -> tuple[str, tuple[str, ...]]:
    """The file's layout and the required columns it lacks there (empty: readable)."""
    contract_missing = missing_columns(table, header, "contract")
    if not contract_missing or table.nhird is None:
        return "contract", contract_missing
    nhird_missing = missing_columns(table, header, "nhird")
    if not nhird_missing or len(nhird_missing) < len(contract_missing):
        return "nhird", nhird_missing
    return "contract", contract_missing


def layout_sql(source: LayoutColumn, names: dict[str, str]) -> str:
    """SQL giving a contract column's text from a file in the NHIRD layout (``names``: upper-case
    header name -> name in the file)."""
    expr = f"trim({_ident(names[source.source])})"
    for pattern, replacement in FORMATS[source.format] if source.format else ():
        expr = f"regexp_replace({expr}, {_quote(pattern)}, {_quote(replacement)})"
    if source.minus:
        terms = [f"try_cast({expr} as hugeint)"]
        terms += [f"try_cast(trim({_ident(names[m])}) as hugeint)" for m in source.minus]
        expr = f"cast({' - '.join(terms)} as varchar)"
    return expr


def _mapping_key(table: ContractTable) -> str:
    layout = {name: asdict(column) for name, column in sorted((table.nhird or {}).items())}
    return json.dumps({"version": CACHE_VERSION, "formats": FORMATS, "layout": layout}, sort_keys=True)


# ---------------------------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------------------------


def _reader(path: str | Path) -> str:
    return f"read_csv({_quote(path)}, all_varchar = true, header = true, hive_partitioning = false)"


def _header(con: duckdb.DuckDBPyConnection, path: str | Path) -> dict[str, str]:
    """Upper-case column name -> name in the file, as the raw views read the header."""
    described = con.execute(f"describe select * from {_reader(path)}").fetchall()
    return {str(row[0]).upper(): str(row[0]) for row in described}


def _private_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("set threads = 1")
    con.execute(f"set memory_limit = {_quote(os.environ.get('NHI_RAW_CACHE_MEMORY', '1GB'))}")
    return con


def prepare_csv(path: Path, table: ContractTable, cache_dir: Path, encoding: str | None = None) -> PreparedCsv:
    """How to read the CSV file ``path`` of ``table`` (see the module's docstring)."""
    stat = path.stat()
    file = str(path)
    if stat.st_size == 0:
        return PreparedCsv(file, file, None, "contract", (), error=EMPTY_FILE)
    folder = cache_dir / hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:20]
    key = hashlib.sha256(f"{stat.st_size}|{stat.st_mtime_ns}|{encoding or ''}|{_mapping_key(table)}".encode())
    stamp = key.hexdigest()[:20]
    memo = folder / f"{stamp}.json"
    if memo.is_file():
        known = PreparedCsv.from_json(memo.read_text(encoding="utf-8"))
        if known.file == file and (known.read_path == file or Path(known.read_path).is_file()):
            return known

    found, refused = detect_encoding(path, encoding)
    if found is None:
        return PreparedCsv(file, file, None, "contract", (), error=refused)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():  # an earlier version of this file
        if not old.name.startswith(stamp):
            old.unlink(missing_ok=True)
    utf8 = path
    if found not in {"utf-8", "utf-8-sig"}:
        utf8 = folder / f"{stamp}.utf8.csv"
        transcode(path, found, utf8)
    with _private_connection() as con:
        try:
            names = _header(con, utf8)
        except duckdb.Error as error:
            message = f"{type(error).__name__}: {str(error).splitlines()[0]}"[:300]
            return PreparedCsv(file, file, found, "contract", (), error=message)
        layout, missing = choose_layout(table, set(names))
        read_path, columns = utf8, tuple(names)
        if not missing and layout == "nhird":
            selects = []
            for column in table.columns:
                source = table.nhird_source(column.name)
                if all(name in names for name in source.sources):
                    selects.append(f"{layout_sql(source, names)} as {_ident(column.name)}")
            read_path = folder / f"{stamp}.csv"
            partial = folder / f"{stamp}.partial.csv"
            rewrite = f"select {', '.join(selects)} from {_reader(utf8)}"
            con.execute(f"copy ({rewrite}) to {_quote(partial)} (format csv, header true)")
            partial.replace(read_path)
            if utf8 != path:
                utf8.unlink()
            columns = tuple(_header(con, read_path))
        elif utf8 != path:
            read_path = folder / f"{stamp}.csv"
            utf8.replace(read_path)
    prepared = PreparedCsv(file, str(read_path), found, layout, columns, missing)
    if not missing:
        memo.write_text(prepared.to_json(), encoding="utf-8")
    return prepared
