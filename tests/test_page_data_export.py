"""The Data page's export of the engagement records behind the filters (fixture database, today 2026-11-30).

Default period 2025-12-01..2026-11-30, ceiling internal: F-E01..F-E07 and F-E09..F-E12 = 11 records
(F-E06 is cancelled but still a record; F-E08 is restricted).
"""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd

from apptest_support import TODAY, run_page
from atlas.data import build, export, ingest

PAGE = "pages/5_Data.py"
DEFAULT = ["F-E11", "F-E01", "F-E04", "F-E02", "F-E07", "F-E05", "F-E03", "F-E09", "F-E10", "F-E06", "F-E12"]


def exported(captured_downloads: dict, suffix: str = ".csv", table: str = "engagements") -> list[dict]:
    [name] = [n for n in captured_downloads if n.startswith(f"{table}_") and n.endswith(suffix)]
    data = captured_downloads[name]()
    if suffix == ".csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return pd.read_excel(io.BytesIO(data), dtype=str).fillna("").to_dict("records")


def buttons(at) -> dict:
    return {b.key: b for b in at.get("download_button") if b.key.endswith("_export_engagements")}


def test_export_holds_every_record_the_filters_admit(app_env, captured_downloads):
    at = run_page(PAGE)
    assert not at.exception
    assert any("**11 engagement record(s)** match" in m.value for m in at.markdown)
    rows = exported(captured_downloads)
    assert [r["engagement_id"] for r in rows] == DEFAULT  # in start-date order
    assert "engagements_20251201_20261130.csv" in captured_downloads
    first = rows[0]
    assert (first["title"], first["start_date"], first["iso3"], first["country"], first["mission_area"]) == (
        "Law enforcement meeting Berlin",
        "2025-12-01",
        "DEU",
        "Germany",
        "law_enforcement",
    )
    assert {r["demo"] for r in rows} == {"False"} and "sensitivity" in first
    assert [r["engagement_id"] for r in exported(captured_downloads, ".xlsx")] == DEFAULT


def test_filters_and_the_ceiling_narrow_the_export(app_env, captured_downloads, monkeypatch):
    run_page(PAGE, query={"country": "CAN"})
    assert [r["engagement_id"] for r in exported(captured_downloads)] == ["F-E01", "F-E02", "F-E03"]
    captured_downloads.clear()
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    run_page(PAGE, query={"area": "visa"})
    assert [r["engagement_id"] for r in exported(captured_downloads)] == ["F-E01", "F-E08"]
    captured_downloads.clear()
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")
    run_page(PAGE)
    assert [r["engagement_id"] for r in exported(captured_downloads)] == ["F-E01", "F-E09"]


def test_nothing_to_export_says_why(app_env):
    at = run_page(PAGE, query={"country": "FRA"})  # F-E15 is in the previous period
    assert not buttons(at)
    assert any("No engagement records for these filters" in i.value for i in at.info)


def test_too_many_records_are_refused_before_anything_is_built(app_env, captured_downloads, monkeypatch):
    monkeypatch.setattr(export, "MAX_CSV_ROWS", 10)
    monkeypatch.setattr(export, "MAX_XLSX_ROWS", 5)
    at = run_page(PAGE)
    shown = buttons(at)
    assert shown["csv_export_engagements"].disabled and shown["xlsx_export_engagements"].disabled
    assert any("11 records are more than one export holds (10)" in w.value for w in at.warning)
    at = run_page(PAGE, query={"country": "CAN,MEX"})  # 6 records: CSV yes, Excel no
    shown = buttons(at)
    assert not shown["csv_export_engagements"].disabled and shown["xlsx_export_engagements"].disabled


def test_an_exported_file_imports_back_unchanged(app_env, captured_downloads, tmp_path):
    run_page(PAGE, query={"period": "all"})
    rows = exported(captured_downloads)
    path = tmp_path / "export.csv"
    path.write_bytes(captured_downloads[[n for n in captured_downloads if n.endswith(".csv")][0]]())
    fresh = tmp_path / "fresh.duckdb"
    build.build(fresh, with_demo=False)
    result = ingest.import_file(path, "engagements", fresh, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    assert result.inserted == len(rows) == 17  # all but the restricted F-E08
    with duckdb.connect(str(fresh), read_only=True) as con:
        back = con.execute(
            "SELECT engagement_id, title, start_date, iso3, mission_area, status, participants "
            "FROM engagements ORDER BY start_date, engagement_id"
        ).fetchall()
    assert [(r[0], r[1], r[2].isoformat(), r[3], r[4], r[5]) for r in back] == [
        (r["engagement_id"], r["title"], r["start_date"], r["iso3"], r["mission_area"], r["status"]) for r in rows
    ]


def test_agreement_export_holds_the_agreements_shown_in_the_import_columns(app_env, captured_downloads):
    at = run_page(PAGE)
    assert any("**7 agreement record(s)** match" in m.value for m in at.markdown)
    rows = exported(captured_downloads, table="agreements")
    assert [r["agreement_id"] for r in rows] == [
        "F-A1",
        "F-A2",
        "F-A3",
        "F-A4",
        "F-A5",
        "F-A6",
        "F-A8",
    ]  # F-A7 restricted
    six = rows[5]
    assert (six["countries"], six["partners"], six["status"], six["date_expires"]) == (
        "CAN;GBR;MEX",
        "Canada; Mexico; United Kingdom",
        "in_force",
        "2028-03-31",
    )
    assert [r["agreement_id"] for r in exported(captured_downloads, ".xlsx", "agreements")][:2] == ["F-A1", "F-A2"]
    captured_downloads.clear()
    run_page(PAGE, query={"country": "MEX"})
    assert [r["agreement_id"] for r in exported(captured_downloads, table="agreements")] == ["F-A2", "F-A6"]


def test_an_exported_agreements_file_imports_back_unchanged(app_env, captured_downloads, tmp_path):
    run_page(PAGE, query={"period": "all"})
    [name] = [n for n in captured_downloads if n.startswith("agreements_") and n.endswith(".csv")]
    path = tmp_path / "agreements.csv"
    path.write_bytes(captured_downloads[name]())
    fresh = tmp_path / "fresh.duckdb"
    build.build(fresh, with_demo=False)
    result = ingest.import_file(path, "agreements", fresh, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    columns = "agreement_id, title, agreement_type, mission_area, status, date_signed, date_in_force, date_expires"
    parties = "SELECT agreement_id, iso3 FROM agreement_parties WHERE agreement_id <> 'F-A7' ORDER BY ALL"
    with duckdb.connect(str(fresh), read_only=True) as back, duckdb.connect(str(app_env), read_only=True) as source:
        assert (
            back.execute(f"SELECT {columns} FROM agreements ORDER BY 1").fetchall()
            == source.execute(f"SELECT {columns} FROM agreements WHERE agreement_id <> 'F-A7' ORDER BY 1").fetchall()
        )
        assert back.execute(parties).fetchall() == source.execute(parties).fetchall()
