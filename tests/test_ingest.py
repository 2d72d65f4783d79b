"""atlas.data.ingest against real database files: good, messy and broken import files in every format.

Each import goes through atlas.data.ingest.import_file, the function the CLI and the Data page call, on a
real DuckDB file built by atlas.data.build. "Nothing is written" is checked by comparing every row of every
data table before and after.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from atlas.data import ingest
from support import (
    agreement,
    dump_tables,
    engagement,
    folder_state,
    import_log,
    query,
    snapshot_files,
    write_csv,
    write_rows,
)

TODAY = dt.date(2025, 6, 30)
KINDS = ["csv", "xlsx", "parquet"]
MISSION_CODES = "visa, aviation, cargo, border, immigration, law_enforcement, counterterrorism"
ENGAGEMENT_STATUSES = "planned, completed, cancelled"
AGREEMENT_STATUSES = "negotiation, signed, in_force, expired, terminated"


def run(path: Path, db: Path, table: str = "engagements", **options) -> ingest.ImportResult:
    options.setdefault("today", TODAY)
    return ingest.import_file(path, table, db, **options)


def messages(result: ingest.ImportResult) -> list[str]:
    return [str(p) for p in result.problems]


# --- a database that already holds data, so "unchanged" means something ---------------------------


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory, _built_empty_db) -> Path:
    """The empty build plus engagements E1-E3 and agreements A1-A2, imported the normal way."""
    folder = tmp_path_factory.mktemp("loaded")
    db = folder / "atlas.duckdb"
    shutil.copyfile(_built_empty_db, db)
    engagements = write_csv(
        folder / "seed_engagements.csv",
        [
            engagement("E1"),
            engagement("E2", country="GBR", mission_area="cargo"),
            engagement("E3", start_date="2023-11-20", end_date="", participants=""),
        ],
    )
    agreements = write_csv(
        folder / "seed_agreements.csv",
        [
            agreement("A1"),
            agreement(
                "A2", countries="CAN;MEX", status="negotiation", date_signed="", date_in_force="", date_expires=""
            ),
        ],
    )
    assert run(engagements, db).outcome == "success"
    assert run(agreements, db, "agreements").outcome == "success"
    return db


@pytest.fixture(scope="module")
def loaded_dump(loaded_template) -> dict:
    """Every data row of the loaded database, as each test's copy starts out."""
    return dump_tables(loaded_template)


@pytest.fixture
def loaded_db(tmp_path, loaded_template) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "atlas.duckdb"
    shutil.copyfile(loaded_template, db)
    return db


def assert_rejected_and_unchanged(db: Path, before: dict, result: ingest.ImportResult, expected: list[str]):
    """The import was refused with exactly `expected`; no data row changed; the refusal is logged."""
    assert messages(result) == expected
    assert result.outcome == "rejected"
    assert result.inserted == result.updated == result.unchanged == 0
    assert dump_tables(db) == before
    log = import_log(db)
    assert [r["outcome"] for r in log] == ["success", "success", "rejected"]  # the two seed imports, then this one
    last = log[-1]
    assert last["file_name"] == result.file_name
    assert last["message"] == "; ".join(expected)
    assert last["accepted"] == 0 and last["inserted"] == 0 and last["updated"] == 0


# --- good files ------------------------------------------------------------------------------------

SPELLINGS = [  # (engagement_id, country, mission_area, start_date) -> (iso3, area code)
    ("S01", "FRA", "visa", "2024-03-05", "FRA", "visa"),
    ("S02", "fra", "Visa Security", "3/5/2024", "FRA", "visa"),
    ("S03", "FR", "VISA SECURITY", "03/05/2024", "FRA", "visa"),
    ("S04", "fr", "AVIATION", "2024-3-5", "FRA", "aviation"),
    ("S05", "France", "aviation security", "2024-03-05T10:30", "FRA", "aviation"),
    ("S06", "FRANCE", "border security and training", "2024-03-05 10:30:00", "FRA", "border"),
    ("S07", "Côte d'Ivoire", "Border Security", " 2024-03-05 ", "CIV", "border"),
    ("S08", "COTE D’IVOIRE", "law enforcement", "2024-03-05", "CIV", "law_enforcement"),
    ("S09", "cote d'ivoire", "LAW_ENFORCEMENT", "2024-03-05", "CIV", "law_enforcement"),
    ("S10", "Türkiye", "Counter-Terrorism", "2024-03-05", "TUR", "counterterrorism"),
    ("S11", "turkiye", "CT", "2024-03-05", "TUR", "counterterrorism"),
    ("S12", "UK", "Cargo Security", "2024-03-05", "GBR", "cargo"),
    ("S13", "the Netherlands", "immigration policy", "2024-03-05", "NLD", "immigration"),
    ("S14", "  south   korea ", "Immigration", "2024-03-05", "KOR", "immigration"),
    ("S15", "gb", "cargo", "2024-03-05", "GBR", "cargo"),
]


@pytest.mark.parametrize("kind", KINDS)
def test_accepted_spellings_of_country_mission_area_and_date(tmp_path, empty_db, kind):
    rows = [engagement(i, country=c, mission_area=m, start_date=d, end_date="") for i, c, m, d, _, _ in SPELLINGS]
    result = run(write_rows(tmp_path, kind, rows), empty_db)
    assert messages(result) == []
    assert (result.outcome, result.inserted, result.rows_read) == ("success", 15, 15)
    assert (result.countries, result.names_resolved) == (6, 13)
    stored = query(empty_db, "SELECT engagement_id, iso3, mission_area, start_date FROM engagements ORDER BY 1")
    assert stored == [(i, iso, area, dt.date(2024, 3, 5)) for i, _, _, _, iso, area in SPELLINGS]


@pytest.mark.parametrize("kind", KINDS)
def test_messy_headers_and_ignored_columns(tmp_path, empty_db, kind):
    rows = [
        {
            "Engagement ID": "E1",
            " TITLE ": "Visit",
            "Start-Date": "2024-03-05",
            "Country": "FRA",
            "Mission Area": "visa",
            "Notes": "not ours",
            "Participants": "4",
        }
    ]
    result = run(write_rows(tmp_path, kind, rows), empty_db)
    assert messages(result) == []
    assert result.ignored_columns == ["Notes"]
    assert result.summary().splitlines()[-1] == "  ignored columns: Notes"
    assert query(empty_db, "SELECT engagement_id, title, participants FROM engagements") == [("E1", "Visit", 4)]


@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_typed_cells_in_spreadsheets_and_parquet(tmp_path, empty_db, kind):
    rows = [
        {
            "engagement_id": "T1",
            "title": "Typed",
            "start_date": dt.date(2024, 3, 5),
            "end_date": dt.datetime(2024, 3, 7, 16, 45),
            "country": "FRA",
            "mission_area": "visa",
            "latitude": 48.8566,
            "longitude": 2.3522,
            "participants": 12,
            "demo": True,
        },
        {
            "engagement_id": "T2",
            "title": "Blanks",
            "start_date": dt.date(2024, 1, 31),
            "end_date": None,
            "country": "DEU",
            "mission_area": "cargo",
            "latitude": None,
            "longitude": None,
            "participants": None,
            "demo": False,
        },
    ]
    result = run(write_rows(tmp_path, kind, rows), empty_db)
    assert messages(result) == []
    assert query(
        empty_db,
        "SELECT engagement_id, start_date, end_date, latitude, longitude, participants, is_demo "
        "FROM engagements ORDER BY 1",
    ) == [
        ("T1", dt.date(2024, 3, 5), dt.date(2024, 3, 7), 48.8566, 2.3522, 12, True),
        ("T2", dt.date(2024, 1, 31), None, None, None, None, False),
    ]


@pytest.mark.parametrize(
    ("bom", "newline", "delimiter"),
    [
        (False, "\n", ","),
        (True, "\r\n", ","),
        (True, "\r\n", ";"),
        (False, "\n", "\t"),
    ],
    ids=["lf", "bom-crlf", "bom-crlf-semicolon", "tab"],
)
def test_csv_dialects_are_accepted(tmp_path, empty_db, bom, newline, delimiter):
    rows = [engagement("E1", title="Paris; a, b"), engagement("E2", title="Line one\nline two", country="CIV")]
    path = write_csv(tmp_path / "e.csv", rows, bom=bom, newline=newline, delimiter=delimiter)
    result = run(path, empty_db)
    assert messages(result) == []
    assert query(empty_db, "SELECT engagement_id, title, iso3 FROM engagements ORDER BY 1") == [
        ("E1", "Paris; a, b", "FRA"),
        ("E2", "Line one\nline two", "CIV"),
    ]


TEXTS = [
    "<script>alert('x')</script>",
    "<b>bold</b> &amp; entity",
    "It's \"quoted\" with 'both'",
    "'); DROP TABLE engagements; --",
    "Robert'); DELETE FROM agreements WHERE ('1'='1",
    "  leading and trailing spaces  ",
    "Unicode: Zürich – 東京 – 🚀",
    "$today and $1 and ? placeholders",
    "back\\slash and %s and {braces}",
]


@pytest.mark.parametrize("kind", KINDS)
def test_text_is_stored_verbatim(tmp_path, empty_db, kind):
    rows = [engagement(f"V{i}", title=text, summary=text, city=text) for i, text in enumerate(TEXTS)]
    if kind == "csv":  # spreadsheets turn a leading '=' into a formula; CSV keeps it as text
        rows.append(engagement("V9", title='=HYPERLINK("http://x","y")', summary="=1+1", city="+cmd"))
    result = run(write_rows(tmp_path, kind, rows), empty_db)
    assert messages(result) == []
    stored = query(empty_db, "SELECT engagement_id, title, summary, city FROM engagements ORDER BY 1")
    expected = [(f"V{i}", t, t, t) for i, t in enumerate(TEXTS)]
    if kind == "csv":
        expected.append(("V9", '=HYPERLINK("http://x","y")', "=1+1", "+cmd"))
    assert stored == expected
    # the SQL-looking text did nothing
    assert query(empty_db, "SELECT count(*) FROM engagements") == [(len(expected),)]
    assert query(empty_db, "SELECT count(*) FROM agreements") == [(0,)]


def test_text_with_a_multiline_value_and_sql_in_an_id(tmp_path, empty_db):
    rows = [engagement(" E'1 ", title="a\nb\r\nc"), engagement("E2; DROP TABLE x", summary="\ttab")]
    result = run(write_csv(tmp_path / "e.csv", rows), empty_db)
    assert messages(result) == []
    assert query(empty_db, "SELECT engagement_id, title, summary FROM engagements ORDER BY 1") == [
        ("E'1", "a\nb\r\nc", "Routine exchange"),
        ("E2; DROP TABLE x", "Engagement E2; DROP TABLE x", "\ttab"),
    ]


def test_defaults_for_optional_fields(tmp_path, empty_db):
    rows = [
        {"engagement_id": "D1", "title": "Past", "start_date": "2025-06-30", "country": "FRA", "mission_area": "visa"},
        {
            "engagement_id": "D2",
            "title": "Future",
            "start_date": "2025-07-01",
            "country": "FRA",
            "mission_area": "visa",
        },
        {
            "engagement_id": "D3",
            "title": "Set",
            "start_date": "2030-01-01",
            "country": "FRA",
            "mission_area": "visa",
            "status": "Canceled",
            "sensitivity": "RESTRICTED",
            "demo": "yes",
            "component": "hsi",
            "engagement_type": "TA",
        },
    ]
    result = run(write_csv(tmp_path / "e.csv", rows), empty_db)
    assert messages(result) == []
    assert query(
        empty_db,
        "SELECT engagement_id, status, sensitivity, sensitivity_rank, is_demo, component, "
        "engagement_type, city, summary FROM engagements ORDER BY 1",
    ) == [
        ("D1", "completed", "internal", 1, False, None, None, None, None),
        ("D2", "planned", "internal", 1, False, None, None, None, None),
        ("D3", "cancelled", "restricted", 2, True, "ICE", "technical_assistance", None, None),
    ]


def test_rollup_is_rebuilt_after_an_import(tmp_path, loaded_db):
    rows = [
        engagement("E4", start_date="2024-03-20", end_date="", participants="8"),
        engagement("E5", start_date="2024-03-28", end_date="", status="planned", participants=""),
    ]
    assert run(write_csv(tmp_path / "e.csv", rows), loaded_db).outcome == "success"
    assert query(
        loaded_db,
        "SELECT month, iso3, mission_area, engagements, planned, participants FROM engagement_rollup ORDER BY ALL",
    ) == [
        (dt.date(2023, 11, 1), "FRA", "visa", 1, 0, None),
        (dt.date(2024, 3, 1), "FRA", "visa", 3, 1, 20),
        (dt.date(2024, 3, 1), "GBR", "cargo", 1, 0, 12),
    ]


# --- invalid rows: each problem, reported with its line, nothing written -----------------------------

ENGAGEMENT_PROBLEMS = [
    ({"country": "Atlantis"}, "country", "unknown country 'Atlantis'"),
    ({"country": "x" * 80}, "country", "unknown country '" + "x" * 60 + "…'"),
    ({"country": ""}, "country", "missing required value"),
    ({"mission_area": "Space"}, "mission_area", f"unknown mission area 'Space' (use one of: {MISSION_CODES})"),
    ({"mission_area": "  "}, "mission_area", "missing required value"),
    ({"start_date": "2024-02-30"}, "start_date", "impossible date '2024-02-30'"),
    ({"start_date": "2/29/2023"}, "start_date", "impossible date '2/29/2023'"),
    ({"start_date": "13/1/2024"}, "start_date", "impossible date '13/1/2024'"),
    ({"start_date": "05.03.2024"}, "start_date", "unparseable date '05.03.2024' (use YYYY-MM-DD or M/D/YYYY)"),
    ({"start_date": "1850-01-01"}, "start_date", "date '1850-01-01' is out of range (1900-2100)"),
    ({"start_date": ""}, "start_date", "missing required value"),
    ({"end_date": "2024-03-01"}, "end_date", "end date 2024-03-01 is before start date 2024-03-05"),
    ({"end_date": "3/4/2024"}, "end_date", "end date 2024-03-04 is before start date 2024-03-05"),
    ({"end_date": "2024-13-01"}, "end_date", "impossible date '2024-13-01'"),
    ({"title": ""}, "title", "missing required value"),
    ({"title": "   "}, "title", "missing required value"),
    ({"engagement_id": ""}, "engagement_id", "missing required value"),
    ({"participants": "-3"}, "participants", "participants cannot be negative (-3)"),
    ({"participants": "many"}, "participants", "participants must be a number, not 'many'"),
    ({"participants": "2.5"}, "participants", "participants must be a whole number (2.5)"),
    ({"participants": "2000000"}, "participants", "participants 2000000 is implausibly large"),
    ({"latitude": "91"}, "latitude", "latitude 91.0 is out of range (-90 to 90)"),
    ({"longitude": "180.5"}, "longitude", "longitude 180.5 is out of range (-180 to 180)"),
    ({"longitude": "-181"}, "longitude", "longitude -181.0 is out of range (-180 to 180)"),
    ({"latitude": "north"}, "latitude", "latitude 'north' is not a number"),
    ({"latitude": ""}, "latitude", "missing latitude: longitude is given"),
    ({"longitude": ""}, "longitude", "missing longitude: latitude is given"),
    ({"status": "postponed"}, "status", f"unknown status 'postponed' (use one of: {ENGAGEMENT_STATUSES})"),
    (
        {"engagement_type": "party"},
        "engagement_type",
        "unknown engagement type 'party' (use one of: meeting, delegation, training, technical_assistance, "
        "information_exchange, conference)",
    ),
    (
        {"component": "NASA"},
        "component",
        "unknown component 'NASA' (use one of: CBP, ICE, TSA, USCIS, USCG, CISA, FEMA, FLETC, USSS, I&A, PLCY, S&T, OIA)",
    ),
    ({"sensitivity": "secret"}, "sensitivity", "unknown sensitivity 'secret' (use public, internal or restricted)"),
    ({"demo": "maybe"}, "demo", "demo must be true or false, not 'maybe'"),
]


def problem_file_rows(table: str, problems: list) -> list[dict]:
    """Two valid rows that would change data (an update and an insert), one bad row per problem, one more valid row.

    The bad row for problems[i] is on line i + 4 (header on line 1).
    """
    make, prefix = (engagement, "E") if table == "engagements" else (agreement, "A")
    rows = [make(f"{prefix}1", title="Changed"), make(f"{prefix}4")]
    rows += [make(f"BAD{i:02d}", **values) for i, (values, _, _) in enumerate(problems)]
    return rows + [make(f"{prefix}5")]


def rejected_import(request, tmp_path_factory, loaded_template, table: str, problems: list) -> dict:
    """One import of the problem file, in the format request.param, into a copy of the loaded database."""
    kind = request.param
    folder = tmp_path_factory.mktemp(f"{table}-{kind}")
    db = folder / "atlas.duckdb"
    shutil.copyfile(loaded_template, db)
    path = write_rows(folder, kind, problem_file_rows(table, problems), name=table)
    result = run(path, db, table)
    return {"kind": kind, "result": result, "after": dump_tables(db), "log": import_log(db)}


@pytest.fixture(scope="module", params=KINDS)
def rejected_engagements(request, tmp_path_factory, loaded_template) -> dict:
    return rejected_import(request, tmp_path_factory, loaded_template, "engagements", ENGAGEMENT_PROBLEMS)


@pytest.mark.parametrize(
    ("index", "column", "reason"),
    [(i, c, r) for i, (_, c, r) in enumerate(ENGAGEMENT_PROBLEMS)],
    ids=[f"{c}:{str(v)[:30]}" for v, c, _ in ENGAGEMENT_PROBLEMS],
)
def test_engagement_row_problem(rejected_engagements, index, column, reason):
    line = index + 4
    found = [m for m in messages(rejected_engagements["result"]) if m.startswith(f"line {line},")]
    assert found == [f"line {line}, column {column}: {reason}"]


def test_engagement_problems_change_nothing(rejected_engagements, loaded_dump):
    result = rejected_engagements["result"]
    expected = [f"line {i + 4}, column {c}: {r}" for i, (_, c, r) in enumerate(ENGAGEMENT_PROBLEMS)]
    assert messages(result) == expected
    assert (result.outcome, result.rows_read, result.rejected) == ("rejected", 35, 32)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 0)
    assert (
        result.summary()
        == f"Rejected engagements.{rejected_engagements['kind']}: 32 problem(s) in 32 row(s); nothing was imported."
    )
    assert rejected_engagements["after"] == loaded_dump
    assert [r["outcome"] for r in rejected_engagements["log"]] == ["success", "success", "rejected"]
    log = rejected_engagements["log"][-1]
    assert (log["outcome"], log["rows_read"], log["accepted"], log["rejected"], log["inserted"], log["updated"]) == (
        "rejected",
        35,
        0,
        32,
        0,
        0,
    )
    assert log["message"] == "; ".join(expected[:20]) + "; … and 12 more"


AGREEMENT_PROBLEMS = [
    ({"countries": "Atlantis"}, "countries", "unknown country 'Atlantis'"),
    ({"countries": "FRA;Atlantis;Narnia"}, "countries", "unknown countries 'Atlantis', 'Narnia'"),
    ({"countries": ";;"}, "countries", "missing required value"),
    ({"countries": ""}, "countries", "missing required value"),
    (
        {"mission_area": "AVIATION SECURITYY"},
        "mission_area",
        f"unknown mission area 'AVIATION SECURITYY' (use one of: {MISSION_CODES})",
    ),
    ({"status": "dead"}, "status", f"unknown status 'dead' (use one of: {AGREEMENT_STATUSES})"),
    ({"status": ""}, "status", "missing required value"),
    (
        {"agreement_type": "pact"},
        "agreement_type",
        "unknown agreement type 'pact' (use one of: mou, arrangement, agreement, treaty, joint_statement)",
    ),
    ({"date_signed": "2020-13-01"}, "date_signed", "impossible date '2020-13-01'"),
    ({"date_in_force": "2019-01-01"}, "date_in_force", "date in force 2019-01-01 is before date signed 2020-01-15"),
    (
        {"date_expires": "1/1/2019"},
        "date_expires",
        "expiry date 2019-01-01 is before the agreement took effect 2020-03-01",
    ),
    ({"date_expires": "someday"}, "date_expires", "unparseable date 'someday' (use YYYY-MM-DD or M/D/YYYY)"),
    ({"title": ""}, "title", "missing required value"),
]


@pytest.fixture(scope="module", params=KINDS)
def rejected_agreements(request, tmp_path_factory, loaded_template) -> dict:
    return rejected_import(request, tmp_path_factory, loaded_template, "agreements", AGREEMENT_PROBLEMS)


@pytest.mark.parametrize(
    ("index", "column", "reason"),
    [(i, c, r) for i, (_, c, r) in enumerate(AGREEMENT_PROBLEMS)],
    ids=[f"{c}:{str(v)[:30]}" for v, c, _ in AGREEMENT_PROBLEMS],
)
def test_agreement_row_problem(rejected_agreements, index, column, reason):
    line = index + 4
    found = [m for m in messages(rejected_agreements["result"]) if m.startswith(f"line {line},")]
    assert found == [f"line {line}, column {column}: {reason}"]


def test_agreement_problems_change_nothing(rejected_agreements, loaded_dump):
    result = rejected_agreements["result"]
    expected = [f"line {i + 4}, column {c}: {r}" for i, (_, c, r) in enumerate(AGREEMENT_PROBLEMS)]
    assert messages(result) == expected
    assert (result.outcome, result.rows_read, result.rejected, result.inserted, result.updated) == (
        "rejected",
        16,
        13,
        0,
        0,
    )
    assert rejected_agreements["after"] == loaded_dump
    assert [r["outcome"] for r in rejected_agreements["log"]] == ["success", "success", "rejected"]
    assert rejected_agreements["log"][-1]["message"] == "; ".join(expected)


@pytest.mark.parametrize("kind", KINDS)
def test_every_problem_is_listed_in_line_then_column_order(tmp_path, loaded_db, loaded_dump, kind):
    rows = [
        engagement("E1", title="Changed"),
        engagement("E7", country="Atlantis", start_date="2024-02-30", participants="-1", mission_area="nope"),
        engagement("E8"),
        engagement("E1", latitude="95"),
        engagement("E9", end_date="2024-01-01"),
    ]
    before = loaded_dump
    result = run(write_rows(tmp_path, kind, rows), loaded_db)
    assert_rejected_and_unchanged(
        loaded_db,
        before,
        result,
        [
            "line 3, column start_date: impossible date '2024-02-30'",
            "line 3, column country: unknown country 'Atlantis'",
            f"line 3, column mission_area: unknown mission area 'nope' (use one of: {MISSION_CODES})",
            "line 3, column participants: participants cannot be negative (-1)",
            "line 5, column engagement_id: duplicate engagement_id 'E1' (first on line 2)",
            "line 5, column latitude: latitude 95.0 is out of range (-90 to 90)",
            "line 6, column end_date: end date 2024-01-01 is before start date 2024-03-05",
        ],
    )
    assert result.rejected == 3
    assert result.summary() == f"Rejected import.{kind}: 7 problem(s) in 3 row(s); nothing was imported."


def test_duplicate_ids_ignore_surrounding_spaces(tmp_path, empty_db):
    rows = [engagement("E1"), engagement("E2"), engagement(" E1 "), engagement("E1")]
    result = run(write_csv(tmp_path / "e.csv", rows), empty_db)
    assert messages(result) == [
        "line 4, column engagement_id: duplicate engagement_id 'E1' (first on line 2)",
        "line 5, column engagement_id: duplicate engagement_id 'E1' (first on line 2)",
    ]


def test_line_numbers_count_quoted_fields_that_span_lines(tmp_path, empty_db):
    rows = [
        engagement("E1", summary="one\ntwo\nthree"),
        engagement("E2", country="Atlantis"),
        engagement("E3", title="a\r\nb"),
        engagement("E4", mission_area="nope"),
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    result = run(path, empty_db)
    # header 1; E1 spans 2-4; E2 is on 5; E3 spans 6-7; E4 is on 8
    assert messages(result) == [
        "line 5, column country: unknown country 'Atlantis'",
        f"line 8, column mission_area: unknown mission area 'nope' (use one of: {MISSION_CODES})",
    ]
    assert path.read_text(encoding="utf-8").splitlines()[4].startswith("E2,")


def test_xlsx_problems_use_sheet_row_numbers(tmp_path, empty_db):
    from openpyxl import Workbook

    header = list(engagement())
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append(list(engagement("E1").values()))
    sheet.append([])  # an empty row 3
    sheet.append([None] * len(header))  # and 4
    sheet.append(list(engagement("E2", country="Atlantis").values()))
    workbook.save(tmp_path / "e.xlsx")
    assert messages(run(tmp_path / "e.xlsx", empty_db)) == ["line 5, column country: unknown country 'Atlantis'"]


@pytest.mark.parametrize(
    ("table", "header", "expected"),
    [
        (
            "engagements",
            ["engagement_id", "title"],
            [
                "line 1, column start_date: missing required column",
                "line 1, column country: missing required column",
                "line 1, column mission_area: missing required column",
            ],
        ),
        (
            "engagements",
            ["Engagement ID", "Title", "Start Date", "Country", "Mission"],
            ["line 1, column mission_area: missing required column"],
        ),
        (
            "agreements",
            ["agreement_id", "title", "mission_area"],
            ["line 1, column countries: missing required column", "line 1, column status: missing required column"],
        ),
        (
            "engagements",
            ["engagement_id", "title", "start_date", "country", "mission_area", "Title"],
            ["line 1, column title: the column appears more than once"],
        ),
    ],
)
def test_missing_or_repeated_columns(tmp_path, loaded_db, loaded_dump, table, header, expected):
    path = tmp_path / "x.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["v"] * len(header)) + "\n", encoding="utf-8")
    before = loaded_dump
    assert_rejected_and_unchanged(loaded_db, before, run(path, loaded_db, table), expected)


# --- hostile files --------------------------------------------------------------------------------


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _hostile(tmp_path: Path, case: str) -> Path:
    header = "engagement_id,title,start_date,country,mission_area"
    good = "E9,Fine,2024-03-05,FRA,visa"
    if case == "latin-1":
        return _bytes(tmp_path / "e.csv", f"{header}\n{good}\nE10,Côte,2024-03-05,CIV,visa\n".encode("latin-1"))
    if case == "more values than header":
        return _bytes(tmp_path / "e.csv", f"{header}\n{good}\n{good},extra\n".encode())
    if case == "text file named .xlsx":
        return _bytes(tmp_path / "e.xlsx", f"{header}\n{good}\n".encode())
    if case == "parquet with damaged pages":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                "engagement_id": [f"E{i}" for i in range(200)],
                "title": ["T" * 30] * 200,
                "start_date": ["2024-03-05"] * 200,
                "country": ["FRA"] * 200,
                "mission_area": ["visa"] * 200,
            }
        )
        pq.write_table(table, tmp_path / "good.parquet", compression="none")
        data = bytearray((tmp_path / "good.parquet").read_bytes())
        data[100:600] = b"\xab" * 500
        return _bytes(tmp_path / "e.parquet", bytes(data))
    raise AssertionError(case)


# The full list of hostile files runs through the command line in test_cli.py; here one per format, with
# --skip-invalid on: a file unreadable as a whole cannot be rescued row by row.
HOSTILE = [
    ("latin-1", "line 3, column -: byte 0xf4 is not valid UTF-8 (is the file Latin-1 or Windows-1252?)"),
    ("more values than header", "line 3, column -: the row has 6 values but the header has 5 columns"),
    ("text file named .xlsx", "line 1, column -: not a readable .xlsx workbook (BadZipFile)"),
    ("parquet with damaged pages", "line 2, column -: the Parquet file is damaged (OSError)"),
]


@pytest.mark.parametrize(("case", "message"), HOSTILE, ids=[c for c, _ in HOSTILE])
def test_hostile_file_is_rejected_whole_even_with_skip_invalid(tmp_path, loaded_db, loaded_dump, case, message):
    path = _hostile(tmp_path, case)
    snapshots = snapshot_files(loaded_db)
    result = run(path, loaded_db, skip_invalid=True)
    assert_rejected_and_unchanged(loaded_db, loaded_dump, result, [message])
    assert snapshot_files(loaded_db) == snapshots
    assert not Path(str(path) + ".rejected.csv").exists()


def test_semicolon_file_from_a_european_excel(tmp_path, empty_db):
    text = (
        "\ufeffEngagement ID;Title;Start Date;Country;Mission Area;Latitude;Longitude\r\n"
        "E1;Réunion, Brüssel;5/3/2024;Belgique;Visa Security;50,85;4.35\r\n"
    )
    path = tmp_path / "e.csv"
    path.write_text(text, encoding="utf-8")
    result = run(path, empty_db)
    # 'Belgique' is a known alias; a decimal comma is not a number to us.
    assert messages(result) == ["line 2, column latitude: latitude '50,85' is not a number"]
    path.write_text(text.replace("50,85", "50.85"), encoding="utf-8")
    result = run(path, empty_db)
    assert messages(result) == []
    assert query(empty_db, "SELECT title, start_date, iso3, latitude FROM engagements") == [
        ("Réunion, Brüssel", dt.date(2024, 5, 3), "BEL", 50.85)
    ]  # 5/3 is May 3rd: M/D/YYYY


# --- --skip-invalid ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_skip_invalid_loads_valid_rows_and_writes_the_rest(tmp_path, loaded_db, kind):
    rows = [
        engagement("E1", title="Changed"),
        engagement("E7", country="Atlantis"),
        engagement("E8", participants="-4", summary="@SUM(A1:A9)"),
        engagement("E9"),
    ]
    path = write_rows(tmp_path, kind, rows)
    result = run(path, loaded_db, skip_invalid=True)
    assert result.outcome == "partial"
    assert (result.rows_read, result.inserted, result.updated, result.unchanged, result.rejected) == (4, 1, 1, 0, 2)
    assert messages(result) == [
        "line 3, column country: unknown country 'Atlantis'",
        "line 4, column participants: participants cannot be negative (-4)",
    ]
    assert result.rejected_file == Path(str(path) + ".rejected.csv")
    assert query(loaded_db, "SELECT engagement_id, title FROM engagements ORDER BY 1") == [
        ("E1", "Changed"),
        ("E2", "Engagement E2"),
        ("E3", "Engagement E3"),
        ("E9", "Engagement E9"),
    ]
    with result.rejected_file.open(encoding="utf-8-sig", newline="") as f:  # written as an export is: BOM, CRLF
        rejected = list(csv.DictReader(f))
    assert [
        (r["line"], r["engagement_id"], r["country"], r["participants"], r["summary"], r["reason"]) for r in rejected
    ] == [
        ("3", "E7", "Atlantis", "12", "Routine exchange", "country: unknown country 'Atlantis'"),
        ("4", "E8", "FRA", "-4", "'@SUM(A1:A9)", "participants: participants cannot be negative (-4)"),
    ]
    log = import_log(loaded_db)[-1]
    assert {
        k: log[k] for k in ("outcome", "rows_read", "accepted", "rejected", "inserted", "updated", "unchanged")
    } == {
        "outcome": "partial",
        "rows_read": 4,
        "accepted": 2,
        "rejected": 2,
        "inserted": 1,
        "updated": 1,
        "unchanged": 0,
    }


def test_rejected_file_neutralises_formulas_and_joins_reasons(tmp_path, empty_db):
    rows = [
        engagement("E1"),
        engagement(
            "E2",
            title='=HYPERLINK("http://evil.example","click")',
            country="Atlantis",
            city="+1 555",
            summary="-2",
            participants="-2",
            mission_area="nope",
        ),
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    result = run(path, empty_db, skip_invalid=True)
    assert result.outcome == "partial" and result.inserted == 1
    data = Path(str(path) + ".rejected.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and data.endswith(b"\r\n")  # as an export: Excel reads it as UTF-8
    header, line = data.decode("utf-8-sig").splitlines()
    assert header == (
        "line,engagement_id,title,start_date,end_date,country,city,latitude,longitude,mission_area,"
        "engagement_type,component,status,participants,summary,sensitivity,demo,organizations,level,reason"
    )
    assert line == (
        '3,E2,"\'=HYPERLINK(""http://evil.example"",""click"")",2024-03-05,2024-03-07,Atlantis,\'+1 555,'
        "48.8566,2.3522,nope,meeting,CBP,completed,-2,-2,,,,,"
        f"\"country: unknown country 'Atlantis'; mission_area: unknown mission area 'nope' (use one of: {MISSION_CODES}); "
        'participants: participants cannot be negative (-2)"'
    )


def test_skip_invalid_with_no_valid_rows_changes_nothing(tmp_path, loaded_db):
    before = dump_tables(loaded_db)
    path = write_csv(tmp_path / "e.csv", [engagement("E7", country="Atlantis")])
    result = run(path, loaded_db, skip_invalid=True)
    assert (result.outcome, result.inserted, result.updated, result.rejected) == ("partial", 0, 0, 1)
    assert dump_tables(loaded_db) == before
    assert Path(str(path) + ".rejected.csv").exists()


# --- --dry-run -----------------------------------------------------------------------------------


@pytest.mark.parametrize("skip_invalid", [False, True])
@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
def test_dry_run_writes_nothing_at_all(tmp_path, loaded_db, skip_invalid, valid):
    rows = [engagement("E1", title="Changed"), engagement("E2", country="GBR", mission_area="cargo"), engagement("E4")]
    if not valid:
        rows.append(engagement("E5", country="Atlantis"))
    imports = tmp_path / "in"
    imports.mkdir()
    path = write_csv(imports / "e.csv", rows)
    db_state, import_state = folder_state(loaded_db.parent), folder_state(imports)
    result = run(path, loaded_db, dry_run=True, skip_invalid=skip_invalid)
    assert folder_state(loaded_db.parent) == db_state
    assert folder_state(imports) == import_state
    assert result.rejected_file is None
    if valid or skip_invalid:
        assert result.outcome == "dry_run"
        assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
        assert result.summary().splitlines()[0] == "Would import engagements from e.csv"
        assert result.summary().splitlines()[-1] == "  dry run: nothing was written"
    else:
        assert result.outcome == "rejected"
    assert messages(result) == ([] if valid else ["line 5, column country: unknown country 'Atlantis'"])


def test_dry_run_of_a_hostile_file_writes_nothing(tmp_path, loaded_db):
    path = _bytes(tmp_path / "e.csv", "engagement_id,title\nE1,Zürich\n".encode("latin-1"))
    state = folder_state(loaded_db.parent)
    result = run(path, loaded_db, dry_run=True)
    assert messages(result) == ["line 2, column -: byte 0xfc is not valid UTF-8 (is the file Latin-1 or Windows-1252?)"]
    assert folder_state(loaded_db.parent) == state


# --- upsert, re-import, import log ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx"])
def test_rows_with_a_known_id_replace_the_record(tmp_path, loaded_db, kind):
    old = {r[0]: r for r in query(loaded_db, "SELECT engagement_id, import_id, updated_at FROM engagements")}
    rows = [
        engagement("E1", title="Renamed", participants="99", city="", summary=""),
        engagement("E2", country="GBR", mission_area="cargo"),
        engagement("E4", country="Japan"),
    ]
    result = run(write_rows(tmp_path, kind, rows), loaded_db)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert query(
        loaded_db,
        "SELECT engagement_id, title, iso3, participants, city, summary, import_id FROM engagements ORDER BY 1",
    ) == [
        ("E1", "Renamed", "FRA", 99, None, None, 3),
        ("E2", "Engagement E2", "GBR", 12, "Paris", "Routine exchange", 1),
        ("E3", "Engagement E3", "FRA", None, "Paris", "Routine exchange", 1),
        ("E4", "Engagement E4", "JPN", 12, "Paris", "Routine exchange", 3),
    ]
    now = {r[0]: r for r in query(loaded_db, "SELECT engagement_id, import_id, updated_at FROM engagements")}
    assert now["E2"] == old["E2"] and now["E3"] == old["E3"]
    assert now["E1"][2] > old["E1"][2]


@pytest.mark.parametrize(
    ("table", "kind"),
    [("engagements", "csv"), ("engagements", "parquet"), ("agreements", "csv"), ("agreements", "xlsx")],
)
def test_reimporting_the_same_file_changes_nothing(tmp_path, empty_db, kind, table):
    if table == "engagements":
        rows = [engagement(f"E{i}", country=c) for i, c in enumerate(["FRA", "gb", "Côte d'Ivoire"], 1)]
    else:
        rows = [
            agreement("A1", countries="FRA;DEU"),
            agreement("A2", countries="canada; Mexico"),
            agreement("A3", status="negotiation", date_signed="", date_in_force="", date_expires=""),
        ]
    path = write_rows(tmp_path, kind, rows)
    first = run(path, empty_db, table)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    after_first = dump_tables(empty_db)
    snapshots = snapshot_files(empty_db)
    assert len(snapshots) == 1
    second = run(path, empty_db, table, today=TODAY + dt.timedelta(days=10))
    assert (second.outcome, second.inserted, second.updated, second.unchanged) == ("success", 0, 0, 3)
    assert "  unchanged:          3" in second.summary().splitlines()
    assert dump_tables(empty_db) == after_first
    assert snapshot_files(empty_db) == snapshots
    log = import_log(empty_db)
    assert [(r["import_id"], r["outcome"], r["inserted"], r["unchanged"]) for r in log] == [
        (1, "success", 3, 0),
        (2, "success", 0, 3),
    ]
    assert log[0]["sha256"] == log[1]["sha256"] and len(log[0]["sha256"]) == 64


def test_every_import_is_logged(tmp_path, empty_db):
    good = write_csv(tmp_path / "good.csv", [engagement("E1"), engagement("E2")])
    bad = write_csv(tmp_path / "bad.csv", [engagement("E3", country="Atlantis")])
    empty = _bytes(tmp_path / "empty.csv", b"")
    run(good, empty_db)
    run(bad, empty_db)
    run(bad, empty_db, skip_invalid=True)
    run(empty, empty_db)
    run(good, empty_db, dry_run=True)  # a dry run is not an import
    log = import_log(empty_db)
    assert [
        (
            r["import_id"],
            r["file_name"],
            r["table_name"],
            r["outcome"],
            r["rows_read"],
            r["accepted"],
            r["rejected"],
            r["inserted"],
            r["message"],
        )
        for r in log
    ] == [
        (1, "good.csv", "engagements", "success", 2, 2, 0, 2, None),
        (2, "bad.csv", "engagements", "rejected", 1, 0, 1, 0, "line 2, column country: unknown country 'Atlantis'"),
        (3, "bad.csv", "engagements", "partial", 1, 0, 1, 0, "line 2, column country: unknown country 'Atlantis'"),
        (4, "empty.csv", "engagements", "rejected", 0, 0, 0, 0, "line 1, column -: the file is empty"),
    ]
    assert all(r["started_at"] <= r["finished_at"] for r in log)
    assert query(empty_db, "SELECT DISTINCT import_id FROM engagements") == [(1,)]


def test_log_message_is_capped_at_twenty_problems(tmp_path, empty_db):
    rows = [engagement(f"E{i}", country="Atlantis") for i in range(25)]
    result = run(write_csv(tmp_path / "e.csv", rows), empty_db)
    assert len(result.problems) == 25
    message = import_log(empty_db)[-1]["message"]
    assert message.count("unknown country") == 20
    assert message.endswith("line 21, column country: unknown country 'Atlantis'; … and 5 more")


# --- agreements: parties, status history, status on a day ---------------------------------------------


def test_agreement_parties_from_a_separated_list(tmp_path, empty_db):
    rows = [agreement("A1", countries="CAN; mexico ;gb;CAN"), agreement("A2", countries="Côte d'Ivoire;")]
    result = run(write_csv(tmp_path / "a.csv", rows), empty_db, "agreements")
    assert messages(result) == []
    assert result.countries == 4 and result.names_resolved == 3
    assert query(empty_db, "SELECT * FROM agreement_parties ORDER BY ALL") == [
        ("A1", "CAN"),
        ("A1", "GBR"),
        ("A1", "MEX"),
        ("A2", "CIV"),
    ]


def test_changed_parties_replace_the_old_ones(tmp_path, loaded_db):
    result = run(
        write_csv(
            tmp_path / "a.csv",
            [
                agreement(
                    "A2", countries="CAN;USA", status="negotiation", date_signed="", date_in_force="", date_expires=""
                )
            ],
        ),
        loaded_db,
        "agreements",
    )
    assert (result.updated, result.unchanged) == (1, 0)
    assert query(loaded_db, "SELECT * FROM agreement_parties ORDER BY ALL") == [
        ("A1", "FRA"),
        ("A2", "CAN"),
        ("A2", "USA"),
    ]


def test_status_history_of_new_agreements_comes_from_their_dates(tmp_path, empty_db):
    rows = [
        agreement("A1"),
        agreement("A2", status="negotiation", date_signed="", date_in_force="", date_expires=""),
        agreement(
            "A3", status="expired", date_signed="2010-01-01", date_in_force="2010-06-01", date_expires="2015-06-01"
        ),
        agreement("A4", status="signed", date_in_force="", date_expires=""),
        agreement("A5", status="terminated", date_expires=""),
        agreement("A6", status="in force", date_in_force="", date_expires=""),
    ]
    assert messages(run(write_csv(tmp_path / "a.csv", rows), empty_db, "agreements")) == []
    d = dt.date
    assert query(
        empty_db,
        "SELECT agreement_id, status, previous_status, changed_on, source, event_order "
        "FROM agreement_status_history ORDER BY event_order",
    ) == [
        ("A3", "signed", None, d(2010, 1, 1), "dates", 1),
        ("A3", "in_force", "signed", d(2010, 6, 1), "dates", 2),
        ("A3", "expired", "in_force", d(2015, 6, 1), "dates", 3),
        ("A1", "signed", None, d(2020, 1, 15), "dates", 4),
        ("A4", "signed", None, d(2020, 1, 15), "dates", 5),
        ("A5", "signed", None, d(2020, 1, 15), "dates", 6),
        ("A6", "signed", None, d(2020, 1, 15), "dates", 7),
        ("A1", "in_force", "signed", d(2020, 3, 1), "dates", 8),
        ("A5", "in_force", "signed", d(2020, 3, 1), "dates", 9),
        ("A2", "negotiation", None, TODAY, "first_seen", 10),
        ("A5", "terminated", "in_force", TODAY, "first_seen", 11),
        ("A6", "in_force", "signed", TODAY, "first_seen", 12),
    ]


def status_on(db: Path, day: str) -> dict[str, str]:
    return dict(query(db, "SELECT agreement_id, status FROM agreement_status_on(?)", [day]))


def test_status_changes_renewals_and_status_on_a_day(tmp_path, empty_db):
    first = [
        agreement("A1"),
        agreement("A2", status="negotiation", date_signed="", date_in_force="", date_expires=""),
        agreement(
            "A3", status="expired", date_signed="2010-01-01", date_in_force="2010-06-01", date_expires="2015-06-01"
        ),
        agreement("A4", status="signed", date_in_force="", date_expires=""),
    ]
    run(write_csv(tmp_path / "a1.csv", first), empty_db, "agreements")
    second = [
        agreement("A1", date_expires="2035-03-01"),  # renewed: still in force, later expiry
        agreement("A2", status="Signed", date_signed="2025-07-10", date_in_force="", date_expires=""),
        first[2],  # unchanged
        agreement("A4", title="Renamed", status="signed", date_in_force="", date_expires=""),
    ]  # no new status
    result = run(write_csv(tmp_path / "a2.csv", second), empty_db, "agreements", today=dt.date(2025, 7, 15))
    assert (result.updated, result.unchanged) == (3, 1)
    assert query(
        empty_db,
        "SELECT agreement_id, status, previous_status, changed_on, source, import_id "
        "FROM agreement_status_history WHERE import_id = 2 ORDER BY event_order",
    ) == [
        ("A1", "in_force", "in_force", dt.date(2025, 7, 15), "renewal", 2),
        ("A2", "signed", "negotiation", dt.date(2025, 7, 15), "import", 2),
    ]
    third = [agreement("A1", status="terminated", date_expires="2035-03-01")]
    run(write_csv(tmp_path / "a3.csv", third), empty_db, "agreements", today=dt.date(2025, 8, 1))
    assert query(
        empty_db, "SELECT status, previous_status, source FROM agreement_status_history WHERE import_id = 3"
    ) == [("terminated", "in_force", "import")]
    assert status_on(empty_db, "2009-12-31") == {}
    assert status_on(empty_db, "2010-03-01") == {"A3": "signed"}
    assert status_on(empty_db, "2012-01-01") == {"A3": "in_force"}
    assert status_on(empty_db, "2020-02-01") == {"A1": "signed", "A3": "expired", "A4": "signed"}
    assert status_on(empty_db, "2020-03-01") == {"A1": "in_force", "A3": "expired", "A4": "signed"}
    assert status_on(empty_db, "2025-07-14") == {"A1": "in_force", "A2": "negotiation", "A3": "expired", "A4": "signed"}
    assert status_on(empty_db, "2025-07-15") == {"A1": "in_force", "A2": "signed", "A3": "expired", "A4": "signed"}
    assert status_on(empty_db, "2025-08-01")["A1"] == "terminated"


def test_status_on_a_day_with_several_events(tmp_path, empty_db):
    # Signed and in force on the same day, then terminated on the day of import: the last event wins.
    rows = [
        agreement("A1", date_signed="2025-06-30", date_in_force="2025-06-30", date_expires=""),
        agreement("A2", date_signed="2024-01-01", date_in_force="2024-01-01", date_expires=""),
    ]
    run(write_csv(tmp_path / "a1.csv", rows), empty_db, "agreements")
    assert status_on(empty_db, "2024-01-01") == {"A2": "in_force"}
    assert status_on(empty_db, "2025-06-30") == {"A1": "in_force", "A2": "in_force"}
    for row in rows:
        row["status"] = "terminated"
    run(write_csv(tmp_path / "a2.csv", rows), empty_db, "agreements")
    assert status_on(empty_db, "2025-06-30") == {"A1": "terminated", "A2": "terminated"}
    assert status_on(empty_db, "2025-06-29") == {"A2": "in_force"}


def test_unchanged_agreements_record_no_history(tmp_path, loaded_db):
    before = dump_tables(loaded_db)
    rows = [
        agreement("A1"),
        agreement("A2", countries="MEX;CAN", status="negotiation", date_signed="", date_in_force="", date_expires=""),
    ]
    result = run(write_csv(tmp_path / "a.csv", rows), loaded_db, "agreements", today=dt.date(2026, 1, 1))
    assert (result.unchanged, result.updated) == (2, 0)
    assert dump_tables(loaded_db) == before
