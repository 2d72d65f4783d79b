"""Import engagements and agreements: read the file, check every row, load in one transaction.

A file with any invalid row changes no data (unless --skip-invalid): every problem is reported as
`line N, column C: reason`. Valid rows are upserted by id; a row identical to the stored record is
left alone, so importing the same file twice changes nothing. Every import is written to import_log.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from atlas.config import today as config_today
from atlas.data import countries, schema, store, vocab
from atlas.data.db import run_sql
from atlas.data.export import neutralise_formulas
from atlas.data.formats import AGREEMENTS, COUNTRY_SEPARATOR, ENGAGEMENTS, FORMATS, FileFormat
from atlas.data.readers import FileProblem, normalise_header, open_table, sha256_of

MAX_QUOTED = 60  # characters of a bad value echoed back in a message
IMPORT_MEMORY_LIMIT = "3GB"  # DuckDB memory for an import; working tables spill to disk beyond it
MAX_TEXT = {"title": 500, "summary": 20_000, "*": 300}  # characters per cell


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportResult:
    file_name: str
    table: str
    outcome: str = "success"  # success | partial | rejected | dry_run
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    countries: int = 0
    names_resolved: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejected_file: Path | None = None
    rejected_rows: pd.DataFrame | None = None  # the invalid rows as read, with a reason column
    import_id: int | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome in ("success", "partial", "dry_run") and not (self.problems and self.outcome == "dry_run")

    def summary(self) -> str:
        """What happened, in the words of the person who ran the import."""
        verb = "Would import" if self.dry_run else "Imported"
        if self.outcome == "rejected":
            return (f"Rejected {self.file_name}: {len(self.problems)} problem(s) in {self.rejected} row(s); "
                    f"nothing was imported.")
        lines = [
            f"{verb} {self.table} from {self.file_name}",
            f"  rows read:  {self.rows_read:>9,}",
            f"  inserted:   {self.inserted:>9,}",
            f"  updated:    {self.updated:>9,}",
            f"  unchanged:  {self.unchanged:>9,}",
            f"  rejected:   {self.rejected:>9,}",
            f"  countries:  {self.countries:>9,} resolved ({self.names_resolved:,} names or aliases matched to ISO codes)",
        ]
        if self.ignored_columns:
            lines.append(f"  ignored columns: {', '.join(self.ignored_columns)}")
        if self.rejected_file:
            lines.append(f"  rejected rows written to {self.rejected_file}")
        if self.dry_run:
            lines.append("  dry run: nothing was written")
        return "\n".join(lines)


def import_file(path: Path | str, table: str, db: Path | str, *, dry_run: bool = False,
                skip_invalid: bool = False, today: dt.date | None = None) -> ImportResult:
    """Validate `path` and load it into `table` of the database file `db`."""
    path, db = Path(path), Path(db)
    fmt = FORMATS[table]
    today = today or config_today()
    if dry_run:
        con = duckdb.connect(":memory:")
        try:
            if db.exists():
                con.execute("ATTACH ? AS atlas (READ_ONLY)", [str(db)])
                con.execute("USE atlas")
            return _import(con, path, fmt, apply=False, skip_invalid=skip_invalid, today=today)
        finally:
            con.close()
    with store.writing(db) as writer:
        schema.bring_up_to_date(writer.con)  # a file built by an older version gets this one's tables and macros
        result = _import(writer.con, path, fmt, apply=True, skip_invalid=skip_invalid, today=today)
        writer.snapshot = (result.inserted + result.updated) > 0
    return result


def import_into(con, path: Path | str, table: str, *, skip_invalid: bool = False,
                today: dt.date | None = None) -> ImportResult:
    """Import into an open writable connection (the build uses this to load demo data in one go)."""
    return _import(con, Path(path), FORMATS[table], apply=True, skip_invalid=skip_invalid,
                   today=today or config_today())


def _import(con, path: Path, fmt: FileFormat, *, apply: bool, skip_invalid: bool, today: dt.date) -> ImportResult:
    result = ImportResult(file_name=path.name, table=fmt.table, dry_run=not apply)
    started = dt.datetime.now()
    # The working tables of a big file are larger than memory should be: beyond this, DuckDB spills them
    # to its temp directory instead of growing (10M rows would otherwise take over 15 GB).
    con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")
    try:
        _stage(con, path, fmt, result)
    except FileProblem as problem:
        columns = problem.missing if isinstance(problem, _MissingColumns) else [problem.column]
        result.problems = [Problem(problem.line, column, problem.reason) for column in columns]
        result.outcome = "rejected"
        if apply:
            _log(con, path, fmt, result, started)
        return result
    _resolve_vocabularies(con, fmt)
    _check(con, fmt, today)
    result.problems = [Problem(int(r.line), r.column_name, r.reason) for r in
                       run_sql(con, "SELECT line, column_name, reason FROM problems ORDER BY line, seq").itertuples()]
    result.rejected = int(run_sql(con, "SELECT count(DISTINCT line) AS n FROM problems").n[0])
    stats = run_sql(con, "SELECT count(DISTINCT iso) AS n, count(DISTINCT raw) FILTER (WHERE NOT is_code) AS names "
                         "FROM resolved_countries WHERE iso IS NOT NULL")
    result.countries, result.names_resolved = int(stats.n[0]), int(stats.names[0])

    if result.problems:
        result.rejected_rows = _rejected_rows(con, fmt)
    if result.problems and not skip_invalid:
        result.outcome = "rejected"
        if apply:
            _log(con, path, fmt, result, started)
        return result
    if result.problems:
        result.outcome = "partial"
        if apply:
            result.rejected_file = _write_rejected(result.rejected_rows, path)
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = int(run_sql(con, "SELECT nextval('import_id_seq') AS id").id[0]) if apply else 0
        _prepare_incoming(con, fmt, import_id, today)
        con.execute("DROP TABLE parsed")
        _classify(con, fmt)
        counts = run_sql(con, "SELECT action, count(*) AS n FROM diff GROUP BY action")
        by_action = dict(zip(counts.action, counts.n))
        result.inserted = int(by_action.get("insert", 0))
        result.updated = int(by_action.get("update", 0))
        result.unchanged = int(by_action.get("same", 0))
        if not apply:
            result.outcome = "dry_run"
            con.execute("ROLLBACK")
            return result
        _apply(con, fmt, import_id, today)
        result.import_id = import_id
        _log(con, path, fmt, result, started, import_id=import_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


# --- reading into a staging table ----------------------------------------------------------------

def _stage(con, path: Path, fmt: FileFormat, result: ImportResult) -> None:
    if _stage_plain_csv(con, path, fmt, result):
        return
    table = open_table(path)
    positions = _positions(table.header, fmt, result)
    _create_stage(con, fmt)
    for chunk in table.chunks:
        data = {"line": chunk.lines}
        for column in fmt.columns:
            at = positions.get(column)
            data[column] = [row[at] for row in chunk.rows] if at is not None else [""] * len(chunk.rows)
        frame = pd.DataFrame(data)
        con.register("chunk_frame", frame)
        con.execute("INSERT INTO stage SELECT * FROM chunk_frame")
        con.unregister("chunk_frame")
        result.rows_read += len(chunk.lines)
    if result.rows_read == 0:
        raise FileProblem(1, "the file has a header but no data rows")


def _positions(header: list[str], fmt: FileFormat, result: ImportResult) -> dict[str, int]:
    """Where each column of the format is in the file's header; raises FileProblem for a bad header."""
    names = [normalise_header(h) for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen and name in fmt.columns:
            raise FileProblem(1, "the column appears more than once", column=name)
        seen.add(name)
    missing = [c for c in fmt.required if c not in names]
    if missing:
        # Report every missing column, not just the first.
        raise _MissingColumns(missing)
    result.ignored_columns = [h for h, n in zip(header, names) if n not in fmt.columns and str(h).strip()]
    return {c: names.index(c) for c in fmt.columns if c in names}


def _create_stage(con, fmt: FileFormat) -> None:
    columns_sql = ", ".join(f"{c} VARCHAR" for c in fmt.columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage (line BIGINT, {columns_sql})")


# --- the fast path for plain CSV files ----------------------------------------------------------------
# A CSV file with one record per line (no line breaks inside quoted values, no blank lines, no bare CR
# line ends) is parsed by Arrow's multi-threaded CSV reader, in blocks, to exactly the text values the
# row-by-row reader (atlas.readers) would give, with the same line numbers. Anything else, or anything
# Arrow objects to (a short or long row, bad UTF-8, an unterminated quote, an over-long value), sends the
# file down the row-by-row path, which reads it again and reports its problems in the usual words.

_PLAIN_BLOCK = 16 << 20


# Characters Python's str.strip() removes but Arrow's utf8_trim_whitespace keeps (\x1c-\x1f, U+0085): a file
# holding any of them takes the row-by-row path, so that "blank row" means the same on both.
def _plain_line_count(path: Path) -> int | None:
    """Physical lines of the file, or None when it has bare CR line ends or the characters above."""
    import numpy as np

    newlines = crs = crlfs = 0
    last = b""
    with path.open("rb") as f:
        while block := f.read(_PLAIN_BLOCK):
            codes = np.frombuffer(block, dtype=np.uint8)
            if (np.count_nonzero((codes >= 0x1C) & (codes <= 0x1F)) or block.find(b"\xc2\x85") >= 0
                    or (last == b"\xc2" and block[:1] == b"\x85")):
                return None
            newlines += int(np.count_nonzero(codes == 0x0A))
            cr = int(np.count_nonzero(codes == 0x0D))
            if cr or last == b"\r":
                crs += cr
                crlfs += (last + block).count(b"\r\n")
            last = block[-1:]
    if crs != crlfs:
        return None
    return newlines + (0 if last == b"\n" or not last else 1)


def _stage_plain_csv(con, path: Path, fmt: FileFormat, result: ImportResult) -> bool:
    """Stage a plain CSV file through Arrow; False (nothing staged) when the file is not plain."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from atlas.data.readers import MAX_COLUMNS, MAX_FIELD_CHARS, SUFFIXES, _pick_delimiter, _sniff_encoding_problem

    if SUFFIXES.get(path.suffix.lower()) != "csv" or not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as f:
        if _sniff_encoding_problem(f.read(65536)):
            return False
    lines = _plain_line_count(path)
    if lines is None:
        return False
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream:
            first = stream.readline()
    except UnicodeDecodeError:
        return False
    if first.count('"') % 2:
        return False  # a quoted line break in the header
    delimiter = _pick_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter), [])
    if not header or len(header) > MAX_COLUMNS:
        return False
    positions = _positions(header, fmt, result)  # the same header checks and problems as the slow path
    names = [f"f{i}" for i in range(len(header))]
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_PLAIN_BLOCK, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, check_utf8=True,
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowException, OSError):
        return False
    select = ", ".join(f"f{positions[c]}" if c in positions else "''" for c in fmt.columns)
    _create_stage(con, fmt)
    next_line, rows_read = 2, 0
    try:
        for batch in reader:
            n = batch.num_rows
            if n == 0:
                continue
            for column in batch.columns:
                if pc.max(pc.utf8_length(column)).as_py() > MAX_FIELD_CHARS:
                    raise _NotPlain
            table = pa.Table.from_batches([batch]).append_column(
                "line", pa.array(np.arange(next_line, next_line + n, dtype=np.int64)))
            # Rows whose every value is blank carry no record (as in atlas.readers).
            blank = None
            for column in batch.columns:
                empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0)
                blank = empty if blank is None else pc.and_(blank, empty)
                if not pc.any(blank).as_py():
                    break
            else:
                table = table.filter(pc.invert(blank))
            con.register("plain_chunk", table)
            con.execute(f"INSERT INTO stage SELECT line, {select} FROM plain_chunk")
            con.unregister("plain_chunk")
            next_line += n
            rows_read += table.num_rows
    except (pa.ArrowException, OSError, _NotPlain):
        con.execute("DROP TABLE IF EXISTS stage")
        return False
    if next_line - 1 != lines:
        con.execute("DROP TABLE IF EXISTS stage")
        return False
    if rows_read == 0:
        raise FileProblem(1, "the file has a header but no data rows")
    result.rows_read = rows_read
    return True


class _NotPlain(Exception):
    """The file is readable, but not by the fast path."""


class _MissingColumns(FileProblem):
    def __init__(self, missing: list[str]):
        super().__init__(1, "missing required column", column=missing[0])
        self.missing = missing


# --- vocabularies: resolve each distinct spelling once, in Python ----------------------------------

_VOCABULARY_COLUMNS = {
    "mission_area": vocab.MISSION_AREA_LOOKUP,
    "engagement_type": vocab.ENGAGEMENT_TYPE_LOOKUP,
    "component": vocab.COMPONENT_LOOKUP,
    "agreement_type": vocab.AGREEMENT_TYPE_LOOKUP,
    "sensitivity": vocab.SENSITIVITY_LOOKUP,
}
_STATUS_LOOKUP = {"engagements": vocab.ENGAGEMENT_STATUS_LOOKUP, "agreements": vocab.AGREEMENT_STATUS_LOOKUP}
_BOOLEAN = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}


def _distinct(con, column: str) -> list[str]:
    return [v for (v,) in con.execute(f"SELECT DISTINCT {column} FROM stage WHERE {column} IS NOT NULL").fetchall()]


def _mapping(con, name: str, pairs: list[tuple], columns: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if pairs:
        frame = pd.DataFrame(pairs, columns=[c.split()[0] for c in columns.split(", ")])
        con.register("mapping_frame", frame)
        con.execute(f"INSERT INTO {name} SELECT * FROM mapping_frame")
        con.unregister("mapping_frame")


def _resolve_vocabularies(con, fmt: FileFormat) -> None:
    for column in fmt.columns:
        lookup = _VOCABULARY_COLUMNS.get(column) or (_STATUS_LOOKUP[fmt.table] if column == "status" else None)
        if column == "demo":
            pairs = [(v, _BOOLEAN.get(vocab.fold(v))) for v in _distinct(con, column)]
            _mapping(con, "map_demo", pairs, "raw VARCHAR, code BOOLEAN")
        elif lookup is not None:
            pairs = [(v, lookup.get(vocab.fold(v))) for v in _distinct(con, column)]
            _mapping(con, f"map_{column}", pairs, "raw VARCHAR, code VARCHAR")
    # Countries: engagements name one, agreements a ';'-separated list.
    country_column = "country" if fmt.table == "engagements" else "countries"
    resolved: list[tuple] = []
    rows: list[tuple] = []
    for raw in _distinct(con, country_column):
        parts = [p for p in raw.split(COUNTRY_SEPARATOR) if p.strip()] if fmt.table == "agreements" else [raw]
        codes, bad = [], []
        for part in parts:
            iso = countries.resolve(part)
            resolved.append((part, iso, iso is not None and vocab.fold(part) == iso.lower()))
            if iso is None:
                bad.append(part.strip()[:MAX_QUOTED])
            elif iso not in codes:
                codes.append(iso)
        rows.append((raw, codes, bad))
    _mapping(con, "map_country", rows, "raw VARCHAR, codes VARCHAR[], bad VARCHAR[]")
    _mapping(con, "resolved_countries", resolved, "raw VARCHAR, iso VARCHAR, is_code BOOLEAN")


# --- checks --------------------------------------------------------------------------------------

_MACROS = r"""
CREATE OR REPLACE TEMP MACRO is_blank(x) AS coalesce(regexp_full_match(x, '\s*'), true);
CREATE OR REPLACE TEMP MACRO quoted(x) AS '''' || left(trim(x), 60) || CASE WHEN length(trim(x)) > 60 THEN '…' ELSE '' END || '''';
CREATE OR REPLACE TEMP MACRO date_shape(x) AS
    regexp_full_match(trim(x), '\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?')
    OR regexp_full_match(trim(x), '\d{1,2}/\d{1,2}/\d{4}');
CREATE OR REPLACE TEMP MACRO parse_day(x) AS CAST(CASE
    WHEN regexp_full_match(trim(x), '\d{1,2}/\d{1,2}/\d{4}') THEN try_strptime(trim(x), '%m/%d/%Y')
    WHEN date_shape(x) THEN try_strptime(regexp_extract(trim(x), '^(\d{4}-\d{1,2}-\d{1,2})', 1), '%Y-%m-%d')
    END AS DATE);
CREATE OR REPLACE TEMP MACRO date_problem(x, d) AS CASE
    WHEN is_blank(x) THEN NULL
    WHEN NOT date_shape(x) THEN 'unparseable date ' || quoted(x) || ' (use YYYY-MM-DD or M/D/YYYY)'
    WHEN d IS NULL THEN 'impossible date ' || quoted(x)
    WHEN year(d) NOT BETWEEN 1900 AND 2100 THEN 'date ' || quoted(x) || ' is out of range (1900-2100)'
    END;
CREATE OR REPLACE TEMP MACRO num(x) AS TRY_CAST(nullif(trim(x), '') AS DOUBLE);
"""


def _checks_common(fmt: FileFormat) -> list[tuple[str, str, str]]:
    """(column, condition, reason) checks shared by both tables."""
    id_col = fmt.id_column
    checks = [(c, f"is_blank({c})", "'missing required value'") for c in fmt.required if c not in ("countries",)]
    checks += [
        (id_col, f"NOT is_blank({id_col}) AND line > id_first_line",
         f"'duplicate {id_col} ' || quoted({id_col}) || ' (first on line ' || id_first_line || ')'"),
        ("mission_area", "NOT is_blank(mission_area) AND v_mission_area IS NULL",
         "'unknown mission area ' || quoted(mission_area) || ' (use one of: "
         + ", ".join(m.code for m in vocab.MISSION_AREAS) + ")'"),
        ("component", "NOT is_blank(component) AND v_component IS NULL",
         "'unknown component ' || quoted(component) || ' (use one of: "
         + ", ".join(c for c, _ in vocab.COMPONENTS) + ")'"),
        ("sensitivity", "NOT is_blank(sensitivity) AND v_sensitivity IS NULL",
         "'unknown sensitivity ' || quoted(sensitivity) || ' (use public, internal or restricted)'"),
        ("demo", "NOT is_blank(demo) AND v_demo IS NULL", "'demo must be true or false, not ' || quoted(demo)"),
    ]
    # Long text is kept verbatim, but a runaway cell (a pasted document, a broken export) is refused.
    for column in fmt.columns:
        limit = MAX_TEXT.get(column, MAX_TEXT["*"])
        checks.append((column, f"length({column}) > {limit}",
                       f"'value is too long (' || length({column}) || ' characters; at most {limit:,})'"))
    return checks


def _engagement_checks() -> list[tuple[str, str, str]]:
    statuses = ", ".join(c for c, _ in vocab.ENGAGEMENT_STATUSES)
    types = ", ".join(c for c, _ in vocab.ENGAGEMENT_TYPES)
    return _checks_common(ENGAGEMENTS) + [
        ("start_date", "date_problem(start_date, v_start_date) IS NOT NULL", "date_problem(start_date, v_start_date)"),
        ("end_date", "date_problem(end_date, v_end_date) IS NOT NULL", "date_problem(end_date, v_end_date)"),
        ("end_date", "v_end_date < v_start_date",
         "'end date ' || v_end_date || ' is before start date ' || v_start_date"),
        ("country", "NOT is_blank(country) AND len(v_countries) = 0", "'unknown country ' || quoted(country)"),
        ("latitude", "NOT is_blank(latitude) AND num(latitude) IS NULL", "'latitude ' || quoted(latitude) || ' is not a number'"),
        ("latitude", "num(latitude) NOT BETWEEN -90 AND 90", "'latitude ' || num(latitude) || ' is out of range (-90 to 90)'"),
        ("longitude", "NOT is_blank(longitude) AND num(longitude) IS NULL", "'longitude ' || quoted(longitude) || ' is not a number'"),
        ("longitude", "num(longitude) NOT BETWEEN -180 AND 180", "'longitude ' || num(longitude) || ' is out of range (-180 to 180)'"),
        ("longitude", "num(latitude) IS NOT NULL AND is_blank(longitude)", "'missing longitude: latitude is given'"),
        ("latitude", "num(longitude) IS NOT NULL AND is_blank(latitude)", "'missing latitude: longitude is given'"),
        ("engagement_type", "NOT is_blank(engagement_type) AND v_engagement_type IS NULL",
         f"'unknown engagement type ' || quoted(engagement_type) || ' (use one of: {types})'"),
        ("status", "NOT is_blank(status) AND v_status IS NULL",
         f"'unknown status ' || quoted(status) || ' (use one of: {statuses})'"),
        ("participants", "NOT is_blank(participants) AND num(participants) IS NULL",
         "'participants must be a number, not ' || quoted(participants)"),
        ("participants", "num(participants) < 0", "'participants cannot be negative (' || trim(participants) || ')'"),
        ("participants", "num(participants) >= 0 AND num(participants) <> floor(num(participants))",
         "'participants must be a whole number (' || trim(participants) || ')'"),
        ("participants", "num(participants) > 1000000", "'participants ' || trim(participants) || ' is implausibly large'"),
    ]


def _agreement_checks() -> list[tuple[str, str, str]]:
    statuses = ", ".join(c for c, _ in vocab.AGREEMENT_STATUSES)
    types = ", ".join(c for c, _ in vocab.AGREEMENT_TYPES)
    checks = _checks_common(AGREEMENTS) + [
        ("countries", "is_blank(countries) OR (len(v_countries) = 0 AND len(bad_countries) = 0)", "'missing required value'"),
        ("countries", "len(bad_countries) > 0",
         "'unknown countr' || CASE WHEN len(bad_countries) = 1 THEN 'y ' ELSE 'ies ' END "
         "|| array_to_string(list_transform(bad_countries, lambda x: '''' || x || ''''), ', ')"),
        ("status", "NOT is_blank(status) AND v_status IS NULL",
         f"'unknown status ' || quoted(status) || ' (use one of: {statuses})'"),
        ("agreement_type", "NOT is_blank(agreement_type) AND v_agreement_type IS NULL",
         f"'unknown agreement type ' || quoted(agreement_type) || ' (use one of: {types})'"),
    ]
    for column in ("date_signed", "date_in_force", "date_expires"):
        checks.append((column, f"date_problem({column}, v_{column}) IS NOT NULL", f"date_problem({column}, v_{column})"))
    checks += [
        ("date_in_force", "v_date_in_force < v_date_signed",
         "'date in force ' || v_date_in_force || ' is before date signed ' || v_date_signed"),
        ("date_expires", "v_date_expires < coalesce(v_date_in_force, v_date_signed)",
         "'expiry date ' || v_date_expires || ' is before the agreement took effect ' || coalesce(v_date_in_force, v_date_signed)"),
    ]
    return checks


def _check(con, fmt: FileFormat, today: dt.date) -> None:
    con.execute(_MACROS)
    id_col = fmt.id_column
    country_column = "country" if fmt.table == "engagements" else "countries"
    joins, typed = [], []
    for column in fmt.columns:
        if column in _VOCABULARY_COLUMNS or column in ("status", "demo"):
            joins.append(f"LEFT JOIN map_{column} ON map_{column}.raw = s.{column}")
            typed.append(f"map_{column}.code AS v_{column}")
        elif column in ("start_date", "end_date", "date_signed", "date_in_force", "date_expires"):
            typed.append(f"parse_day(s.{column}) AS v_{column}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT s.*, {', '.join(typed)},
               coalesce(map_country.codes, []) AS v_countries,
               coalesce(map_country.bad, []) AS bad_countries,
               min(s.line) OVER (PARTITION BY trim(s.{id_col})) AS id_first_line
        FROM stage s
        LEFT JOIN map_country ON map_country.raw = s.{country_column}
        {' '.join(joins)}
    """)
    checks = _engagement_checks() if fmt.table == "engagements" else _agreement_checks()
    checks.sort(key=lambda check: fmt.columns.index(check[0]))  # report problems in the file's column order
    # Checks are fixed text built from the column allow-list; no file content is spliced into SQL.
    selects = " UNION ALL ".join(
        f"SELECT line, {i} AS seq, '{column}' AS column_name, {reason} AS reason FROM parsed WHERE coalesce({condition}, false)"
        for i, (column, condition, reason) in enumerate(checks)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {selects}")
    con.execute("DROP TABLE stage")  # parsed holds every staged value; one copy of a big file is enough


# --- loading -------------------------------------------------------------------------------------

_ENGAGEMENT_FIELDS = ("title", "start_date", "end_date", "iso3", "city", "latitude", "longitude", "mission_area",
                      "engagement_type", "component", "status", "participants", "summary", "sensitivity", "is_demo")
_AGREEMENT_FIELDS = ("title", "agreement_type", "mission_area", "status", "date_signed", "date_in_force",
                     "date_expires", "component", "summary", "sensitivity", "is_demo", "parties")


def _rank_case(column: str) -> str:
    return "CASE " + " ".join(f"WHEN {column} = '{code}' THEN {rank}" for code, rank in vocab.SENSITIVITY_RANK.items()) + " END"


def _prepare_incoming(con, fmt: FileFormat, import_id: int, today: dt.date) -> None:
    params = {"today": today, "import_id": import_id, "now": dt.datetime.now(), "default": vocab.DEFAULT_SENSITIVITY}
    if fmt.table == "engagements":
        sql = f"""
            CREATE OR REPLACE TEMP TABLE incoming AS
            SELECT trim(engagement_id) AS engagement_id, title, v_start_date AS start_date, v_end_date AS end_date,
                   v_countries[1] AS iso3, nullif(city, '') AS city,
                   num(latitude) AS latitude, num(longitude) AS longitude,
                   v_mission_area AS mission_area, v_engagement_type AS engagement_type, v_component AS component,
                   coalesce(v_status, CASE WHEN v_start_date > $today THEN 'planned' ELSE 'completed' END) AS status,
                   CAST(num(participants) AS INTEGER) AS participants, nullif(summary, '') AS summary,
                   coalesce(v_sensitivity, $default) AS sensitivity,
                   {_rank_case("coalesce(v_sensitivity, $default)")} AS sensitivity_rank,
                   coalesce(v_demo, false) AS is_demo, $import_id AS import_id, $now AS updated_at
            FROM parsed WHERE line NOT IN (SELECT line FROM problems)
        """
    else:
        sql = f"""
            CREATE OR REPLACE TEMP TABLE incoming AS
            SELECT trim(agreement_id) AS agreement_id, title, v_agreement_type AS agreement_type,
                   v_mission_area AS mission_area, v_status AS status, v_date_signed AS date_signed,
                   v_date_in_force AS date_in_force, v_date_expires AS date_expires, v_component AS component,
                   nullif(summary, '') AS summary, coalesce(v_sensitivity, $default) AS sensitivity,
                   {_rank_case("coalesce(v_sensitivity, $default)")} AS sensitivity_rank,
                   coalesce(v_demo, false) AS is_demo, $import_id AS import_id, $now AS updated_at,
                   list_sort(v_countries) AS parties
            FROM parsed WHERE line NOT IN (SELECT line FROM problems)
        """
    run_sql(con, sql, params)


def _classify(con, fmt: FileFormat) -> None:
    id_col = fmt.id_column
    if fmt.table == "engagements":
        current = "SELECT * FROM engagements"
        fields = _ENGAGEMENT_FIELDS
    else:
        current = """SELECT a.*, coalesce((SELECT list_sort(list(p.iso3)) FROM agreement_parties p
                                          WHERE p.agreement_id = a.agreement_id), []) AS parties
                     FROM agreements a"""
        fields = _AGREEMENT_FIELDS
    differs = " OR ".join(f"i.{f} IS DISTINCT FROM c.{f}" for f in fields)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE diff AS
        SELECT i.{id_col} AS id,
               CASE WHEN c.{id_col} IS NULL THEN 'insert' WHEN {differs} THEN 'update' ELSE 'same' END AS action,
               c.status AS old_status, c.date_expires_old AS old_expires
        FROM incoming i
        LEFT JOIN (SELECT *, {'date_expires' if fmt.table == 'agreements' else 'NULL'} AS date_expires_old
                   FROM ({current})) c ON c.{id_col} = i.{id_col}
    """)


def _apply(con, fmt: FileFormat, import_id: int, today: dt.date) -> None:
    id_col, table = fmt.id_column, fmt.table
    con.execute(f"DELETE FROM {table} WHERE {id_col} IN (SELECT id FROM diff WHERE action = 'update')")
    columns = _ENGAGEMENT_COLUMNS if table == "engagements" else _AGREEMENT_COLUMNS
    con.execute(f"""
        INSERT INTO {table} ({', '.join(columns)})
        SELECT {', '.join('i.' + c for c in columns)} FROM incoming i JOIN diff d ON d.id = i.{id_col}
        WHERE d.action <> 'same' ORDER BY {'i.start_date' if table == 'engagements' else 'i.agreement_id'}
    """)
    if table == "engagements":
        schema.rebuild_rollup(con)
    else:
        con.execute("DELETE FROM agreement_parties WHERE agreement_id IN (SELECT id FROM diff WHERE action = 'update')")
        con.execute("""
            INSERT INTO agreement_parties
            SELECT DISTINCT i.agreement_id, unnest(i.parties) FROM incoming i JOIN diff d ON d.id = i.agreement_id
            WHERE d.action <> 'same'
        """)
        _record_status_history(con, import_id, today)
        schema.rebuild_agreement_facts(con)


_ENGAGEMENT_COLUMNS = ("engagement_id", "title", "start_date", "end_date", "iso3", "city", "latitude", "longitude",
                       "mission_area", "engagement_type", "component", "status", "participants", "summary",
                       "sensitivity", "sensitivity_rank", "is_demo", "import_id", "updated_at")
_AGREEMENT_COLUMNS = ("agreement_id", "title", "agreement_type", "mission_area", "status", "date_signed",
                      "date_in_force", "date_expires", "component", "summary", "sensitivity", "sensitivity_rank",
                      "is_demo", "import_id", "updated_at")


def _record_status_history(con, import_id: int, today: dt.date) -> None:
    """Store each status change so 'what changed since' is computed, never guessed."""
    # New agreements: the lifecycle their dates prove, up to their current status.
    # Known statuses without a date are recorded as first seen on the import date.
    run_sql(con, """
        CREATE OR REPLACE TEMP TABLE new_events AS
        WITH fresh AS (SELECT i.* FROM incoming i JOIN diff d ON d.id = i.agreement_id WHERE d.action = 'insert'),
        events AS (
            SELECT agreement_id, 'signed' AS status, date_signed AS changed_on, 'dates' AS source, 1 AS step
            FROM fresh WHERE date_signed IS NOT NULL AND status <> 'negotiation'
            UNION ALL
            SELECT agreement_id, 'in_force', date_in_force, 'dates', 2
            FROM fresh WHERE date_in_force IS NOT NULL AND status IN ('in_force', 'expired', 'terminated')
            UNION ALL
            SELECT agreement_id, 'expired', coalesce(date_expires, $today),
                   CASE WHEN date_expires IS NULL THEN 'first_seen' ELSE 'dates' END, 3
            FROM fresh WHERE status = 'expired'
            UNION ALL
            SELECT agreement_id, status, $today, 'first_seen', 0
            FROM fresh WHERE status = 'negotiation' OR status = 'terminated'
                          OR (status = 'signed' AND date_signed IS NULL)
                          OR (status = 'in_force' AND date_in_force IS NULL)
        )
        SELECT agreement_id, status,
               lag(status) OVER (PARTITION BY agreement_id ORDER BY changed_on, step) AS previous_status,
               changed_on, source, step
        FROM events
    """, {"today": today})
    # Known agreements: a changed status, or a renewal (still in force, later expiry), dated on import.
    run_sql(con, """
        INSERT INTO new_events
        SELECT i.agreement_id,
               i.status,
               d.old_status,
               $today,
               CASE WHEN i.status = d.old_status THEN 'renewal' ELSE 'import' END,
               9
        FROM incoming i JOIN diff d ON d.id = i.agreement_id
        WHERE d.action = 'update'
          AND (i.status <> d.old_status
               OR (i.status = 'in_force' AND i.date_expires > d.old_expires))
    """, {"today": today})
    run_sql(con, """
        INSERT INTO agreement_status_history
        SELECT agreement_id, status, previous_status, changed_on, source, $import_id,
               coalesce((SELECT max(event_order) FROM agreement_status_history), 0)
                 + row_number() OVER (ORDER BY changed_on, agreement_id, step)
        FROM new_events
    """, {"import_id": import_id})


# --- reporting -----------------------------------------------------------------------------------

def _log(con, path: Path, fmt: FileFormat, result: ImportResult, started: dt.datetime,
         import_id: int | None = None) -> None:
    if import_id is None:
        import_id = int(run_sql(con, "SELECT nextval('import_id_seq') AS id").id[0])
    result.import_id = import_id
    message = "; ".join(str(p) for p in result.problems[:20])
    if len(result.problems) > 20:
        message += f"; … and {len(result.problems) - 20} more"
    run_sql(con, """
        INSERT INTO import_log VALUES ($id, $file, $sha, $table, $read, $accepted, $rejected, $inserted, $updated,
                                      $unchanged, $started, $finished, $outcome, $message)
    """, {"id": import_id, "file": path.name, "sha": sha256_of(path) if path.exists() else None, "table": fmt.table,
          "read": result.rows_read, "accepted": result.inserted + result.updated + result.unchanged,
          "rejected": result.rejected, "inserted": result.inserted, "updated": result.updated,
          "unchanged": result.unchanged, "started": started, "finished": dt.datetime.now(),
          "outcome": result.outcome, "message": message or None})


def rejected_path(path: Path) -> Path:
    return Path(str(path) + ".rejected.csv")


def _rejected_rows(con, fmt: FileFormat) -> pd.DataFrame:
    return run_sql(con, f"""
        SELECT s.line, {', '.join('s.' + c for c in fmt.columns)},
               string_agg(p.column_name || ': ' || p.reason, '; ' ORDER BY p.seq) AS reason
        FROM parsed s JOIN problems p USING (line)
        GROUP BY ALL ORDER BY s.line
    """)


def _write_rejected(rows: pd.DataFrame, path: Path) -> Path:
    target = rejected_path(path)
    neutralise_formulas(rows).to_csv(target, index=False, quoting=csv.QUOTE_MINIMAL)
    return target


def problems_text(result: ImportResult) -> str:
    """Every problem on its own line, for stderr or the Data page."""
    return "\n".join(str(p) for p in result.problems)
