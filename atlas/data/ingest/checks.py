"""Check every staged row: resolve vocabularies and countries once per distinct spelling, then one SQL pass.

Fills `parsed` (the staged text with typed values beside it, v_<column>) and `problems` (line, seq,
column_name, reason), and drops `stage`.
"""

from __future__ import annotations

import pandas as pd

from atlas.data import countries, organizations, vocab
from atlas.data.db import run_sql
from atlas.data.formats import COUNTRY_SEPARATOR, Check, FileFormat

MAX_QUOTED = 60  # characters of a bad value echoed back in a message
MAX_TEXT = {"title": 500, "summary": 20_000, "*": 300}  # characters per cell
BOOLEAN = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}
FLAG = "demo"  # the true/false column every format has

# The checks' own vocabulary, for a connection's session only. formats.py writes its checks with these.
MACROS = r"""
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


# --- vocabularies: resolve each distinct spelling once, in Python ----------------------------------


def _distinct(con, column: str) -> list[str]:
    return [v for (v,) in con.execute(f"SELECT DISTINCT {column} FROM stage WHERE {column} IS NOT NULL").fetchall()]


def _mapping(con, name: str, pairs: list[tuple], columns: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if pairs:
        frame = pd.DataFrame(pairs, columns=[c.split()[0] for c in columns.split(", ")])
        con.register("mapping_frame", frame)
        con.execute(f"INSERT INTO {name} SELECT * FROM mapping_frame")
        con.unregister("mapping_frame")


def _shortened(text: str) -> str:
    """A bad value as a message echoes it: trimmed, at most MAX_QUOTED characters and an ellipsis."""
    text = text.strip()
    return text[:MAX_QUOTED] + ("…" if len(text) > MAX_QUOTED else "")


def resolve_vocabularies(con, fmt: FileFormat) -> None:
    """map_<column> (raw -> code, NULL when unknown) per vocabulary column, map_country and resolved_countries."""
    for column in fmt.columns:
        if column == FLAG:
            flags = [(v, BOOLEAN.get(vocab.fold(v))) for v in _distinct(con, column)]
            _mapping(con, f"map_{column}", flags, "raw VARCHAR, code BOOLEAN")
        elif column in fmt.vocabularies:
            lookup = fmt.vocabularies[column]
            spellings = [(v, lookup.get(vocab.fold(v))) for v in _distinct(con, column)]
            _mapping(con, f"map_{column}", spellings, "raw VARCHAR, code VARCHAR")
    resolved: list[tuple] = []
    rows: list[tuple] = []
    for raw in _distinct(con, fmt.country_column):
        parts = [p for p in raw.split(COUNTRY_SEPARATOR) if p.strip()] if fmt.many_countries else [raw]
        codes, bad = [], []
        for part in parts:
            iso = countries.resolve(part)
            resolved.append((part, iso, iso is not None and vocab.fold(part) == iso.lower()))
            if iso is None:
                bad.append(_shortened(part))
            elif iso not in codes:
                codes.append(iso)
        rows.append((raw, codes, bad))
    _mapping(con, "map_country", rows, "raw VARCHAR, codes VARCHAR[], bad VARCHAR[]")
    _mapping(con, "resolved_countries", resolved, "raw VARCHAR, iso VARCHAR, is_code BOOLEAN")
    orgs: list[tuple] = []
    for raw in _distinct(con, fmt.organization_column) if fmt.organization_column else []:
        found = [(part, organizations.resolve(part)) for part in raw.split(COUNTRY_SEPARATOR) if part.strip()]
        known = list(dict.fromkeys(code for _, code in found if code))
        orgs.append((raw, known, [_shortened(part) for part, code in found if code is None]))
    _mapping(con, "map_organization", orgs, "raw VARCHAR, codes VARCHAR[], bad VARCHAR[]")


# --- checks --------------------------------------------------------------------------------------


def _shared_checks(fmt: FileFormat) -> list[Check]:
    """Checks every format gets, before its own (fmt.checks)."""
    id_col = fmt.id_column
    # A list of countries is missing also when it holds only separators: the format's own checks say so.
    checks = [
        Check(c, f"is_blank({c})", "'missing required value'")
        for c in fmt.required
        if not (fmt.many_countries and c == fmt.country_column)
    ]
    checks += [
        Check(
            id_col,
            f"NOT is_blank({id_col}) AND line > id_first_line",
            f"'duplicate {id_col} ' || quoted({id_col}) || ' (first on line ' || id_first_line || ')'",
        ),
        Check(
            "mission_area",
            "NOT is_blank(mission_area) AND v_mission_area IS NULL",
            "'unknown mission area ' || quoted(mission_area) || ' (use one of: "
            + ", ".join(m.code for m in vocab.MISSION_AREAS)
            + ")'",
        ),
        Check(
            "component",
            "NOT is_blank(component) AND v_component IS NULL",
            "'unknown component ' || quoted(component) || ' (use one of: "
            + ", ".join(c for c, _ in vocab.COMPONENTS)
            + ")'",
        ),
        Check(
            "sensitivity",
            "NOT is_blank(sensitivity) AND v_sensitivity IS NULL",
            "'unknown sensitivity ' || quoted(sensitivity) || ' (use public, internal or restricted)'",
        ),
        Check(
            FLAG,
            f"NOT is_blank({FLAG}) AND v_{FLAG} IS NULL",
            f"'{FLAG} must be true or false, not ' || quoted({FLAG})",
        ),
    ]
    # Long text is kept verbatim, but a runaway cell (a pasted document, a broken export) is refused.
    for column in fmt.columns:
        limit = MAX_TEXT.get(column, MAX_TEXT["*"])
        checks.append(
            Check(
                column,
                f"length({column}) > {limit}",
                f"'value is too long (' || length({column}) || ' characters; at most {limit:,})'",
            )
        )
    for column in fmt.date_columns:
        checks.append(
            Check(column, f"date_problem({column}, v_{column}) IS NOT NULL", f"date_problem({column}, v_{column})")
        )
    return checks


def check(con, fmt: FileFormat) -> None:
    """Type every staged value into `parsed` and list what is wrong with each row in `problems`."""
    con.execute(MACROS)
    id_col = fmt.id_column
    joins, typed = [], []
    for column in fmt.columns:
        if column in fmt.vocabularies or column == FLAG:
            joins.append(f"LEFT JOIN map_{column} ON map_{column}.raw = s.{column}")
            typed.append(f"map_{column}.code AS v_{column}")
        elif column in fmt.date_columns:
            typed.append(f"parse_day(s.{column}) AS v_{column}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT s.*, {", ".join(typed)},
               coalesce(map_country.codes, []) AS v_countries,
               coalesce(map_country.bad, []) AS bad_countries,
               coalesce(map_organization.codes, []) AS v_organizations,
               coalesce(map_organization.bad, []) AS bad_organizations,
               min(s.line) OVER (PARTITION BY trim(s.{id_col})) AS id_first_line
        FROM stage s
        LEFT JOIN map_country ON map_country.raw = s.{fmt.country_column}
        LEFT JOIN map_organization ON map_organization.raw = {"s." + fmt.organization_column if fmt.organization_column else "NULL"}
        {" ".join(joins)}
    """)
    checks = _shared_checks(fmt) + list(fmt.checks)
    checks.sort(key=lambda c: fmt.columns.index(c.column))  # report problems in the file's column order
    # Checks are fixed text built from the column allow-list; no file content is spliced into SQL.
    selects = " UNION ALL ".join(
        f"SELECT line, {i} AS seq, '{c.column}' AS column_name, {c.reason} AS reason FROM parsed "
        f"WHERE coalesce({c.condition}, false)"
        for i, c in enumerate(checks)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {selects}")
    con.execute("DROP TABLE stage")  # parsed holds every staged value; one copy of a big file is enough


def rejected_rows(con, fmt: FileFormat) -> pd.DataFrame:
    """The invalid rows as read, with every reason they were refused."""
    return run_sql(
        con,
        f"""
        SELECT s.line, {", ".join("s." + c for c in fmt.columns)},
               string_agg(p.column_name || ': ' || p.reason, '; ' ORDER BY p.seq) AS reason
        FROM parsed s JOIN problems p USING (line)
        GROUP BY ALL ORDER BY s.line
    """,
    )


# --- the importer's level: nobody creates or replaces records above their own -------------------------

CONFLICT = "a record with this id exists that you may not change"


def rank_sql(column: str) -> str:
    """The sensitivity rank of a code (fixed text from the vocabulary; NULL for an unknown code)."""
    return "CASE " + " ".join(f"WHEN {column} = '{c}' THEN {r}" for c, r in vocab.SENSITIVITY_RANK.items()) + " END"


def check_level(con, fmt: FileFormat, level: int) -> None:
    """Add to `problems` the rows above the importer's `level`: by their own sensitivity, or by the stored
    record they would replace. That record is named only as a conflict: nothing more about it is told."""
    id_col = fmt.id_column
    own = f"coalesce(v_sensitivity, '{vocab.DEFAULT_SENSITIVITY}')"
    run_sql(
        con,
        f"""
        INSERT INTO problems
        SELECT line, 1000, 'sensitivity',
               'you may import records up to ' || $name || ' only, not ' || {own}
        FROM parsed WHERE (v_sensitivity IS NOT NULL OR is_blank(sensitivity)) AND {rank_sql(own)} > $level
        UNION ALL
        SELECT p.line, 1001, '{id_col}', '{CONFLICT}'
        FROM parsed p JOIN (SELECT {id_col}, sensitivity_rank FROM ({fmt.current})) c ON c.{id_col} = trim(p.{id_col})
        WHERE c.sensitivity_rank > $level
    """,
        {"level": level, "name": vocab.SENSITIVITIES[level][0]},
    )


def file_rank(con, fmt: FileFormat) -> int:
    """The highest sensitivity among the file's rows and the stored records their ids name (an unknown
    sensitivity counts as the highest): the level an audit entry of this import is shown at."""
    id_col, highest = fmt.id_column, max(vocab.SENSITIVITY_RANK.values())
    own = rank_sql(f"coalesce(v_sensitivity, '{vocab.DEFAULT_SENSITIVITY}')")
    row = run_sql(
        con,
        f"""
        SELECT greatest(
            (SELECT max(CASE WHEN v_sensitivity IS NULL AND NOT is_blank(sensitivity) THEN $highest ELSE {own} END)
             FROM parsed),
            (SELECT max(c.sensitivity_rank) FROM parsed p
             JOIN (SELECT {id_col}, sensitivity_rank FROM ({fmt.current})) c ON c.{id_col} = trim(p.{id_col}))) AS r
    """,
        {"highest": highest},
    )
    value = row.r[0]
    return int(value) if value == value and value is not None else vocab.SENSITIVITY_RANK["public"]
