"""The command line, run as a user runs it: `python -m atlas ...` in a subprocess from the repository root.

Exit codes: 0 success, 2 invalid input (every problem on stderr as `line N, column C: reason`),
1 anything else. The full hostile-file matrix also runs through atlas.__main__.main in this process
(the same code, without the start-up cost of a new interpreter per file).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import pytest

from atlas.__main__ import main
from atlas.data import ingest
from support import (
    agreement,
    dump_tables,
    engagement,
    folder_state,
    import_log,
    query,
    run_cli,
    snapshot_files,
    write_csv,
    write_parquet,
    write_xlsx,
)

TODAY = dt.date(2025, 6, 30)
MISSION_CODES = "visa, aviation, cargo, border, immigration, law_enforcement, counterterrorism"


def summary(
    verb: str,
    table: str,
    name: str,
    read: int,
    inserted: int,
    updated: int,
    unchanged: int,
    rejected: int,
    countries: int,
    names: int,
) -> list[str]:
    return [
        f"{verb} {table} from {name}",
        f"  rows read:  {read:>9,}",
        f"  inserted:   {inserted:>9,}",
        f"  updated:    {updated:>9,}",
        f"  unchanged:  {unchanged:>9,}",
        f"  rejected:   {rejected:>9,}",
        f"  countries:  {countries:>9,} resolved ({names:,} names or aliases matched to ISO codes)",
    ]


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory, _built_empty_db) -> Path:
    """The empty build with engagements E1-E3 imported; each test gets a copy (see seeded_db)."""
    folder = tmp_path_factory.mktemp("seeded")
    db = folder / "atlas.duckdb"
    shutil.copyfile(_built_empty_db, db)
    rows = [engagement("E1"), engagement("E2", country="GBR"), engagement("E3", country="CAN")]
    assert ingest.import_file(write_csv(folder / "seed.csv", rows), "engagements", db, today=TODAY).ok
    return db


@pytest.fixture(scope="module")
def seeded_dump(seeded_template) -> dict:
    return dump_tables(seeded_template)


@pytest.fixture
def seeded_db(tmp_path, seeded_template) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    shutil.copyfile(seeded_template, folder / "atlas.duckdb")
    return folder / "atlas.duckdb"


# --- build -------------------------------------------------------------------------------------------


def test_build_without_demo(tmp_path):
    db = tmp_path / "fresh.duckdb"
    done = run_cli("build", "--db", db, "--no-demo")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(rf"Built {re.escape(str(db))} in \d+\.\d s\n", done.stdout)
    assert done.stderr == ""
    assert query(
        db,
        "SELECT (SELECT count(*) FROM countries), (SELECT count(*) FROM mission_areas), "
        "(SELECT count(*) FROM engagements), (SELECT count(*) FROM agreements), "
        "(SELECT count(*) FROM import_log)",
    ) == [(250, 7, 0, 0, 0)]


def test_build_with_a_small_demo(tmp_path):
    db = tmp_path / "demo.duckdb"
    done = run_cli("build", "--db", db, "--engagements", 40, "--agreements", 8, "--seed", 3)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0:3] == [
        "Imported engagements from engagements.csv",
        "  rows read:         40",
        "  inserted:          40",
    ]
    assert lines[7:10] == [
        "Imported agreements from agreements.csv",
        "  rows read:          8",
        "  inserted:           8",
    ]
    assert query(
        db,
        "SELECT (SELECT count(*) FROM engagements WHERE is_demo), (SELECT count(*) FROM agreements), "
        "(SELECT count(*) FROM import_log)",
    ) == [(40, 8, 2)]


# --- import ----------------------------------------------------------------------------------------


def test_import_a_good_file(tmp_path, empty_db):
    rows = [
        engagement("E1", country="Côte d'Ivoire", mission_area="Visa Security", start_date="3/5/2024", end_date=""),
        engagement("E2", country="gb", mission_area="AVIATION"),
        engagement("E3", country="FRA", mission_area="border security and training", Notes="extra"),
    ]
    path = write_xlsx(tmp_path / "engagements.xlsx", rows)
    done = run_cli("import", "engagements", path, "--db", empty_db)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == summary("Imported", "engagements", "engagements.xlsx", 3, 3, 0, 0, 0, 3, 2) + [
        "  ignored columns: Notes"
    ]
    assert query(empty_db, "SELECT engagement_id, iso3, mission_area, start_date FROM engagements ORDER BY 1") == [
        ("E1", "CIV", "visa", dt.date(2024, 3, 5)),
        ("E2", "GBR", "aviation", dt.date(2024, 3, 5)),
        ("E3", "FRA", "border", dt.date(2024, 3, 5)),
    ]


def test_import_agreements_from_parquet_and_reimport(tmp_path, empty_db):
    path = write_parquet(
        tmp_path / "agreements.parquet", [agreement("A1", countries="FRA;Germany"), agreement("A2", countries="mx")]
    )
    first = ingest.import_file(path, "agreements", empty_db, today=TODAY)
    assert first.summary().splitlines() == summary("Imported", "agreements", "agreements.parquet", 2, 2, 0, 0, 0, 3, 2)
    data = dump_tables(empty_db)
    snapshots = snapshot_files(empty_db)
    again = run_cli("import", "agreements", path, "--db", empty_db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == summary("Imported", "agreements", "agreements.parquet", 2, 0, 0, 2, 0, 3, 2)
    assert dump_tables(empty_db) == data
    assert snapshot_files(empty_db) == snapshots
    assert query(empty_db, "SELECT * FROM agreement_parties ORDER BY ALL") == [
        ("A1", "DEU"),
        ("A1", "FRA"),
        ("A2", "MEX"),
    ]


def test_an_invalid_file_is_refused_with_every_problem(tmp_path, seeded_db, seeded_dump):
    before = seeded_dump
    rows = [
        engagement("E1", title="Changed", summary="spans\ntwo lines"),
        engagement("E4", country="Atlantis", start_date="2024-02-30"),
        engagement("E5", mission_area="nope", participants="lots"),
        engagement("E4", latitude="-91"),
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    done = run_cli("import", "engagements", path, "--db", seeded_db)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "line 4, column start_date: impossible date '2024-02-30'",
        "line 4, column country: unknown country 'Atlantis'",
        f"line 5, column mission_area: unknown mission area 'nope' (use one of: {MISSION_CODES})",
        "line 5, column participants: participants must be a number, not 'lots'",
        "line 6, column engagement_id: duplicate engagement_id 'E4' (first on line 4)",
        "line 6, column latitude: latitude -91.0 is out of range (-90 to 90)",
        "Rejected bad.csv: 6 problem(s) in 3 row(s); nothing was imported.",
    ]
    assert dump_tables(seeded_db) == before
    log = import_log(seeded_db)[-1]
    assert (log["outcome"], log["rows_read"], log["rejected"], log["inserted"], log["updated"]) == (
        "rejected",
        4,
        3,
        0,
        0,
    )


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
def test_dry_run_writes_nothing(tmp_path, seeded_db, valid):
    rows = [engagement("E1", title="Changed"), engagement("E4")]
    if not valid:
        rows.append(engagement("E5", status="postponed"))
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    path = write_csv(incoming / "e.csv", rows)
    db_state, incoming_state = folder_state(seeded_db.parent), folder_state(incoming)
    done = run_cli("import", "engagements", path, "--db", seeded_db, "--dry-run")
    if valid:
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout.splitlines() == summary("Would import", "engagements", "e.csv", 2, 1, 1, 0, 0, 1, 0) + [
            "  dry run: nothing was written"
        ]
    else:
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.splitlines() == [
            "line 4, column status: unknown status 'postponed' (use one of: planned, completed, cancelled)",
            "Rejected e.csv: 1 problem(s) in 1 row(s); nothing was imported.",
        ]
    assert folder_state(seeded_db.parent) == db_state
    assert folder_state(incoming) == incoming_state


def test_skip_invalid_loads_the_rest_and_writes_a_rejected_file(tmp_path, empty_db):
    rows = [
        engagement("E1"),
        engagement("E2", title='=HYPERLINK("http://evil.example","x")', country="Narnia"),
        engagement("E3"),
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    done = run_cli("import", "engagements", path, "--db", empty_db, "--skip-invalid")
    assert done.returncode == 0
    assert done.stderr == "line 3, column country: unknown country 'Narnia'\n"
    rejected = Path(str(path) + ".rejected.csv")
    assert done.stdout.splitlines() == summary("Imported", "engagements", "e.csv", 3, 2, 0, 0, 1, 1, 0) + [
        f"  rejected rows written to {rejected}"
    ]
    text = rejected.read_text(encoding="utf-8").splitlines()
    assert len(text) == 2
    assert text[1].startswith('3,E2,"\'=HYPERLINK(""http://evil.example"",""x"")",2024-03-05,')
    assert text[1].endswith(",country: unknown country 'Narnia'")
    assert query(empty_db, "SELECT engagement_id FROM engagements ORDER BY 1") == [("E1",), ("E3",)]
    assert import_log(empty_db)[-1]["outcome"] == "partial"


def test_dry_run_with_skip_invalid_reports_but_writes_no_rejected_file(tmp_path, empty_db):
    path = write_csv(tmp_path / "e.csv", [engagement("E1"), engagement("E2", country="Narnia")])
    state = folder_state(tmp_path)
    done = run_cli("import", "engagements", path, "--db", empty_db, "--dry-run", "--skip-invalid")
    assert done.returncode == 0
    assert done.stderr == "line 3, column country: unknown country 'Narnia'\n"
    assert done.stdout.splitlines()[0] == "Would import engagements from e.csv"
    assert folder_state(tmp_path) == state


def test_database_from_the_environment(tmp_path, empty_db):
    path = write_csv(tmp_path / "e.csv", [engagement("E1")])
    done = run_cli("import", "engagements", path, env={"ATLAS_DB": str(empty_db)})
    assert done.returncode == 0, done.stderr
    assert query(empty_db, "SELECT engagement_id FROM engagements") == [("E1",)]


def test_missing_database_or_file_is_exit_1(tmp_path, empty_db):
    path = write_csv(tmp_path / "e.csv", [engagement("E1")])
    no_db = run_cli("import", "engagements", path, "--db", tmp_path / "none.duckdb")
    assert (no_db.returncode, no_db.stdout) == (1, "")
    assert no_db.stderr == (
        f"error: no database at {tmp_path / 'none.duckdb'}; run `python -m atlas build` (or `--no-demo`) first\n"
    )
    assert not (tmp_path / "none.duckdb").exists()
    before = folder_state(empty_db.parent)
    no_file = run_cli("import", "engagements", tmp_path / "missing.csv", "--db", empty_db)
    assert (no_file.returncode, no_file.stdout) == (1, "")
    assert no_file.stderr == f"error: no such file: {tmp_path / 'missing.csv'}\n"
    assert folder_state(empty_db.parent) == before


# --- snapshots and restore -------------------------------------------------------------------------


def test_snapshots_and_restore(tmp_path, seeded_db):
    db = seeded_db
    none = run_cli("snapshots", "--db", db)
    assert (none.returncode, none.stdout) == (0, f"No snapshots beside {db}\n")
    nothing = run_cli("restore", "--db", db)
    assert (nothing.returncode, nothing.stdout) == (1, "")
    assert nothing.stderr == f"error: no snapshots in {db.parent / 'backups'}\n"

    assert ingest.import_file(write_csv(tmp_path / "one.csv", [engagement("E4")]), "engagements", db, today=TODAY).ok
    before_last = dump_tables(db)
    changed = [engagement("E1", title="Changed"), engagement("E9")]
    assert ingest.import_file(write_csv(tmp_path / "two.csv", changed), "engagements", db, today=TODAY).ok
    after_last = dump_tables(db)

    listed = run_cli("snapshots", "--db", db)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [str(p) for p in snapshot_files(db)]
    assert len(listed.stdout.splitlines()) == 2
    newest = snapshot_files(db)[0]

    restored = run_cli("restore", "--db", db)
    assert (restored.returncode, restored.stderr) == (0, "")
    assert restored.stdout == f"Restored {db} from {newest}\n"
    assert dump_tables(db) == before_last
    assert dump_tables(snapshot_files(db)[0]) == after_last


# --- hostile files ---------------------------------------------------------------------------------

HEADER = "engagement_id,title,start_date,country,mission_area"
GOOD = "E9,Fine,2024-03-05,FRA,visa"


def hostile(tmp_path: Path, case: str) -> Path:
    def put(name: str, data: bytes) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    if case == "empty":
        return put("e.csv", b"")
    if case == "header only":
        return put("e.csv", f"{HEADER}\n".encode())
    if case == "blank rows only":
        return put("e.csv", f"{HEADER}\r\n\r\n,,,,\r\n".encode())
    if case == "random bytes":
        return put("e.csv", random.Random(11).randbytes(2048))
    if case == "random bytes without NUL":
        return put("e.csv", bytes(b for b in random.Random(7).randbytes(4096) if b))
    if case == "latin-1":
        return put("e.csv", f"{HEADER}\n{GOOD}\nE10,Québec visit,2024-03-05,CAN,visa\n".encode("latin-1"))
    if case == "utf-16":
        return put("e.csv", f"{HEADER}\n{GOOD}\n".encode("utf-16"))
    if case == "semicolons":
        return put("e.csv", f"{HEADER}\n{GOOD}\n".replace(",", ";").encode())
    if case == "more values than header":
        return put("e.csv", f"{HEADER}\n{GOOD}\n{GOOD},surplus,values\n".encode())
    if case == "5,000 columns":
        return put("e.csv", (HEADER + "".join(f",c{i}" for i in range(4995)) + f"\n{GOOD}\n").encode())
    if case == "200,000-character field":
        return put("e.csv", f'{HEADER}\n{GOOD}\n"E10","{"z" * 200_000}",2024-03-05,FRA,visa\n'.encode())
    if case == ".json suffix":
        return put("e.json", b'{"engagement_id": "E9"}')
    if case == "text file named .xlsx":
        return put("e.xlsx", f"{HEADER}\n{GOOD}\n".encode())
    if case == "corrupt parquet":
        data = write_parquet(tmp_path / "ok.parquet", [engagement(f"E{i}") for i in range(20)]).read_bytes()
        return put("e.parquet", data[:-40])
    if case == "parquet with damaged pages":
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = HEADER.split(",")
        table = pa.table({c: [f"{c} {i:03d} padding text" for i in range(200)] for c in columns})
        pq.write_table(table, tmp_path / "ok.parquet", compression="none")
        data = bytearray((tmp_path / "ok.parquet").read_bytes())
        data[100:600] = b"\xab" * 500
        return put("e.parquet", bytes(data))
    raise AssertionError(case)


HOSTILE = [
    ("empty", 2, ["line 1, column -: the file is empty"]),
    ("header only", 2, ["line 1, column -: the file has a header but no data rows"]),
    ("blank rows only", 2, ["line 1, column -: the file has a header but no data rows"]),
    ("random bytes", 2, ["line 1, column -: the file is not text (it contains NUL bytes); save it as CSV UTF-8"]),
    (
        "random bytes without NUL",
        2,
        ["line 1, column -: byte 0xb4 is not valid UTF-8 (is the file Latin-1 or Windows-1252?)"],
    ),
    ("latin-1", 2, ["line 3, column -: byte 0xe9 is not valid UTF-8 (is the file Latin-1 or Windows-1252?)"]),
    ("utf-16", 2, ["line 1, column -: the file is UTF-16 text; save it as CSV UTF-8"]),
    ("semicolons", 0, []),
    ("more values than header", 2, ["line 3, column -: the row has 7 values but the header has 5 columns"]),
    ("5,000 columns", 2, ["line 1, column -: the file has 5000 columns; an import file has at most 200"]),
    ("200,000-character field", 2, ["line 3, column -: a value is longer than 100,000 characters"]),
    (".json suffix", 2, ["line 1, column -: unsupported file type '.json'; use .csv, .xlsx or .parquet"]),
    ("text file named .xlsx", 2, ["line 1, column -: not a readable .xlsx workbook (BadZipFile)"]),
    ("corrupt parquet", 2, ["line 1, column -: not a readable Parquet file (ArrowInvalid)"]),
    ("parquet with damaged pages", 2, ["line 2, column -: the Parquet file is damaged (OSError)"]),
]


def check_hostile_outcome(db, before, path, code, out, err, expected_code, problems):
    assert "Traceback" not in err
    assert code == expected_code
    if expected_code == 2:
        assert out == ""
        assert err.splitlines() == problems + [f"Rejected {path.name}: 1 problem(s) in 0 row(s); nothing was imported."]
        assert dump_tables(db) == before
        log = import_log(db)[-1]
        assert (log["outcome"], log["file_name"], log["message"]) == ("rejected", path.name, problems[0])
        assert snapshot_files(db) == []
        assert not Path(str(path) + ".rejected.csv").exists()
    else:  # the semicolon file is accepted
        assert err == ""
        assert query(db, "SELECT engagement_id, title FROM engagements WHERE engagement_id = 'E9'") == [("E9", "Fine")]


@pytest.mark.parametrize(("case", "expected_code", "problems"), HOSTILE, ids=[c for c, _, _ in HOSTILE])
def test_hostile_files_in_process(tmp_path, seeded_db, seeded_dump, monkeypatch, capsys, case, expected_code, problems):
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    path = hostile(tmp_path, case)
    code = main(["import", "engagements", str(path), "--db", str(seeded_db)])
    captured = capsys.readouterr()
    check_hostile_outcome(seeded_db, seeded_dump, path, code, captured.out, captured.err, expected_code, problems)


@pytest.mark.parametrize("case", ["random bytes", "parquet with damaged pages"])
def test_hostile_files_through_a_real_process(tmp_path, seeded_db, seeded_dump, case):
    _, expected_code, problems = next(h for h in HOSTILE if h[0] == case)
    path = hostile(tmp_path, case)
    done = run_cli("import", "engagements", path, "--db", seeded_db, "--skip-invalid")
    check_hostile_outcome(
        seeded_db, seeded_dump, path, done.returncode, done.stdout, done.stderr, expected_code, problems
    )
