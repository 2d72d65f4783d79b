"""The country brief: a printable PDF (1-2 A4 pages, text layer) for a principal's bilateral meeting."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess

import pytest

from apptest_support import TODAY, run_page
from atlas.data.db import Database
from atlas.data.filters import default_filters
from atlas.views import country_brief


@pytest.fixture(scope="module")
def brief(fixture_db, tmp_path_factory):
    db = Database.open(fixture_db)
    run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
    try:
        pdf = country_brief.build(run, default_filters(TODAY), "CAN", as_of="30 Nov 2026")
    finally:
        db.close()
    path = tmp_path_factory.mktemp("brief") / "brief.pdf"
    path.write_bytes(pdf)
    layout, raw = (
        subprocess.run(["pdftotext", how, str(path), "-"], capture_output=True, check=True).stdout.decode()
        for how in ("-layout", "-raw")
    )
    return path, layout, " ".join(raw.split())  # columns as laid out; the text in reading order


def _tool(*args) -> str:
    return subprocess.run(list(map(str, args)), capture_output=True, check=True).stdout.decode()


def test_the_brief_is_one_or_two_a4_pages_with_a_chart_and_a_locator(brief):
    path, _, flat = brief
    info = _tool("pdfinfo", path)
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    assert 1 <= pages <= 2, info
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
    images = [line for line in _tool("pdfimages", "-list", path).splitlines()[2:] if line.strip()]
    assert len(images) == 1, "the locator map is the one picture"
    # The trend is drawn as vector graphics with real text: its axis title and months can be found.
    assert "Engagements per month" in flat and "Nov 2026" in flat


def test_the_brief_has_the_headline_numbers_and_agreements(brief):
    _, layout, flat = brief
    assert "Country brief: Canada" in flat and "Americas · North America" in flat
    tiles = next(line for line in layout.splitlines() if line.strip().startswith("3 "))
    assert tiles.split() == ["3", "43", "2", "0", "4"], "engagements, participants, in force, negotiation, programmes"
    assert "Engagements (+2 (+200%) vs previous period)" in flat and "Agreements in force" in flat
    assert "Next renewal: Trilateral Law Enforcement Arrangement expires 31 Mar 2028" in flat
    for title, status in (
        ("US-Canada Preclearance Agreement", "In force"),
        ("Arrangement on Visa Information Sharing", "Expired"),
    ):
        line = next(line for line in layout.splitlines() if title in line)
        assert status in line, line
    assert "(CAN-" not in flat and "(USA-" not in flat, "no party codes in titles"


def test_the_brief_lists_engagements_programmes_with_sources_and_the_region(brief):
    _, layout, flat = brief
    assert "Visa security talks with Canada" in flat
    upcoming = next(line for line in layout.splitlines() if "Planned cargo training" in line)
    assert "01 Feb 2027" in upcoming and "Upcoming" in upcoming
    preclearance = next(line for line in layout.splitlines() if line.strip().startswith("CBP Preclearance"))
    assert "10:" in preclearance and "newswire.ca" in preclearance, "sites counted, sources named"
    assert "Container Security Initiative" in flat and "Not current: CBP Preclearance" in flat
    assert "Rank 1 of 2 partner countries in the region; 60% of the region's 5 engagements." in flat


def test_a_period_reaching_past_today_lists_a_planned_engagement_once_as_upcoming(fixture_db, tmp_path):
    db = Database.open(fixture_db)
    run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
    try:
        f = dataclasses.replace(default_filters(TODAY), end=dt.date(2027, 3, 31))
        pdf = country_brief.build(run, f, "CAN", as_of="30 Nov 2026")
    finally:
        db.close()
    (tmp_path / "brief.pdf").write_bytes(pdf)
    layout = _tool("pdftotext", "-layout", tmp_path / "brief.pdf", "-")
    listed = [line for line in layout.splitlines() if "Planned cargo training" in line]
    assert len(listed) == 1, listed
    assert "01 Feb 2027" in listed[0] and "Upcoming" in listed[0] and "Planned" not in listed[0].split("training")[1]
    assert "Visa security talks with Canada" in layout, "the recent ones are still listed"


def test_every_page_states_filters_as_of_sensitivity_and_no_demo_label_without_demo_data(brief):
    path, _, flat = brief
    assert "Sensitivity: up to Internal" in flat
    pages = int(re.search(r"^Pages:\s+(\d+)$", _tool("pdfinfo", path), re.M).group(1))
    for page in range(1, pages + 1):
        text = " ".join(_tool("pdftotext", "-f", page, "-l", page, path, "-").split())
        assert "Filters: 01 Dec 2025 – 30 Nov 2026 · Canada · Data as of 30 Nov 2026" in text
        assert f"page {page}" in text and "Sources:" in text
    assert "DEMO" not in flat


def test_the_country_profile_offers_the_brief_in_one_click(app_env):
    at = run_page("pages/2_Country_Profile.py", query={"country": "CAN"})
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Country brief (PDF)" in labels, labels
