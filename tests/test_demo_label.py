"""Generated demo records are labelled as demo on every page that shows them, with what it shows.

The fixture database plus demo records in the default period (2025-12-01..2026-11-30): D-E1 (Canada, visa),
D-E2 (Japan, cargo) and agreement D-A1 (Japan, cargo, in force); D-E3 (Japan, cargo) was cancelled, so no page
counts it, the demo label neither.
"""

from __future__ import annotations

import shutil

import pytest

from apptest_support import TODAY, run_page
from atlas.data import ingest

ENGAGEMENTS = """engagement_id,title,start_date,country,mission_area,status,demo
D-E1,Demo visa talks,2026-02-10,CAN,visa,completed,true
D-E2,Demo cargo workshop,2026-05-12,JPN,cargo,completed,true
D-E3,Demo cargo visit called off,2026-06-02,JPN,cargo,cancelled,true
"""
AGREEMENTS = """agreement_id,title,countries,mission_area,status,date_signed,date_in_force,demo
D-A1,Demo cargo arrangement,JPN,cargo,in_force,2024-01-10,2024-02-01,true
"""


@pytest.fixture(scope="module")
def demo_env(fixture_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("with_demo")
    path = shutil.copy(fixture_db, folder / "atlas.duckdb")
    for table, text in (("engagements", ENGAGEMENTS), ("agreements", AGREEMENTS)):
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
        result = ingest.import_file(folder / f"{table}.csv", table, path, today=TODAY)
        assert result.outcome == "success", ingest.problems_text(result)
    return path


@pytest.fixture
def with_demo(demo_env, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(demo_env))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)


def label(at) -> str | None:
    found = [w.value for w in at.warning if "DEMO DATA" in w.value]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(
    "page, shown",
    [
        ("dashboard.py", "2 engagement(s) and 1 agreement(s) shown here"),
        ("pages/1_Activity_Map.py", "2 engagement(s) shown here"),  # the map shows no agreements
        ("pages/3_Mission_Areas.py", "2 engagement(s) and 1 agreement(s) shown here"),
        ("pages/4_Agreements.py", "1 agreement(s) shown here"),  # and no engagements
        ("pages/5_Data.py", "2 engagement(s) and 1 agreement(s) shown here"),
    ],
)
def test_pages_say_how_many_demo_records_they_show(with_demo, page, shown):
    at = run_page(page)
    assert not at.exception
    assert f"— {shown}" in (label(at) or "")


@pytest.mark.parametrize("page", ["dashboard.py", "pages/1_Activity_Map.py", "pages/4_Agreements.py"])
def test_filtered_to_records_that_are_not_demo_there_is_no_label(with_demo, page):
    at = run_page(page, query={"country": "MEX"})
    assert not at.exception
    assert label(at) is None


def test_a_filter_narrows_the_count(with_demo):
    assert "— 1 engagement(s) shown here" in label(run_page("pages/1_Activity_Map.py", query={"country": "CAN"}))
    assert "— 1 engagement(s) and 1 agreement(s) shown here" in label(run_page(query={"area": "cargo"}))


def test_country_profile_of_a_demo_partner_is_labelled(with_demo):
    at = run_page("pages/2_Country_Profile.py", query={"iso": "JPN"})
    assert not at.exception
    assert "— 1 engagement(s) and 1 agreement(s) shown here" in (label(at) or "")
