"""The engagement search (queries/engagement_search.sql and the section that shows it): titles, summaries and
places, within the filters and the viewer's ceiling, the user's text matched literally.

Fixture facts (tests/fixtures/engagements.csv, default period 2025-12-01..2026-11-30, ceiling internal):
"berlin" is the city of F-E11 and F-E12; "canada" is the country of F-E01..F-E03 (F-E13 and F-E17 fall
outside the period); "watchlist" is in F-E07's summary only; F-E08 ("Restricted visa consultation") is
restricted.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

import pytest

from apptest_support import TODAY, run_page
from atlas.data import build, db, ingest, vocab
from atlas.data.filters import default_filters

PAGE = "pages/3_Mission_Areas.py"


@pytest.fixture(scope="module")
def database(fixture_db):
    opened = db.Database.open(fixture_db)
    yield opened
    opened.close()


def search(database, text: str, f=None, limit: int = 50) -> list[str]:
    f = f or default_filters(TODAY)
    return list(database.query("engagement_search", {**f.params(), "search": text, "limit": limit}).engagement_id)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("berlin", ["F-E12", "F-E11"]),  # city, newest first
        ("BERLIN", ["F-E12", "F-E11"]),  # case-insensitive
        ("canada", ["F-E03", "F-E02", "F-E01"]),  # country name (and F-E01's title)
        ("watchlist", ["F-E07"]),  # summary
        ("Aviation delegation to Tokyo", ["F-E10"]),  # a whole title
        ("<b>CT</b>", ["F-E07"]),  # markup in a title is just text
        ("", []),  # nothing typed: nothing found
        ("no such thing", []),
    ],
)
def test_exact_matches(database, text, expected):
    assert search(database, text) == expected


def test_the_filters_apply(database):
    f = default_filters(TODAY)
    assert search(database, "canada", dataclasses.replace(f, mission_areas=("aviation",))) == ["F-E02"]
    assert search(database, "canada", dataclasses.replace(f, start=dt.date(2024, 12, 1))) == [
        "F-E03",
        "F-E02",
        "F-E01",
        "F-E13",
    ]
    assert search(database, "berlin", dataclasses.replace(f, countries=("MEX",))) == []


def test_restricted_records_need_the_ceiling(database):
    f = default_filters(TODAY)
    assert search(database, "restricted") == []
    assert search(database, "restricted", dataclasses.replace(f, max_rank=vocab.SENSITIVITY_RANK["restricted"])) == [
        "F-E08"
    ]


def test_total_counts_every_match_whatever_the_limit(database):
    found = database.query("engagement_search", {**default_filters(TODAY).params(), "search": "canada", "limit": 1})
    assert list(found.engagement_id) == ["F-E03"]
    assert int(found.total[0]) == 3


@pytest.fixture(scope="module")
def wildcard_db(tmp_path_factory):
    """Three engagements whose titles hold the characters LIKE would treat as wildcards."""
    folder = tmp_path_factory.mktemp("wild")
    rows = [("W-1", "100% screening pilot"), ("W-2", "Border_ops review"), ("W-3", "Broader review")]
    with (folder / "engagements.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["engagement_id", "title", "start_date", "country", "mission_area", "status", "sensitivity"])
        for engagement_id, title in rows:
            writer.writerow([engagement_id, title, "2026-05-05", "FRA", "visa", "completed", "internal"])
    path = folder / "atlas.duckdb"
    build.build(path, with_demo=False)
    assert ingest.import_file(folder / "engagements.csv", "engagements", path, today=TODAY).outcome == "success"
    opened = db.Database.open(path)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ["W-1"]),  # LIKE would match everything
        ("_", ["W-2"]),  # LIKE would match every title
        ("100%", ["W-1"]),
        ("b%r", []),  # LIKE would match "Border_ops" and "Broader"
        ("Border_", ["W-2"]),
        ("r_v", []),  # LIKE would match "review"
        ("\\", []),  # an escape character is a character too
    ],
)
def test_wildcard_characters_are_literal(wildcard_db, text, expected):
    assert search(wildcard_db, text) == expected


def _results(at):
    found = [d.value for d in at.dataframe if "profile" in d.value.columns]
    assert len(found) == 1, "one table of search results"
    return found[0]


def test_the_section_lists_matches_with_links_to_their_profiles(app_env):
    at = run_page(PAGE)
    at.text_input(key="engagement_search").set_value("berlin").run()
    assert not at.exception
    rows = _results(at)
    assert list(rows.engagement_id) == ["F-E12", "F-E11"]
    assert list(rows.city) == ["Berlin", "Berlin"]
    assert list(rows.profile) == ["Country_Profile?iso=DEU", "Country_Profile?iso=DEU"]
    assert any(c.value.startswith("2 engagement(s) match “berlin”.") for c in at.caption)


def test_links_keep_the_filters_and_results_obey_them(app_env):
    at = run_page(PAGE, {"area": "aviation"})
    at.text_input(key="engagement_search").set_value("canada").run()
    rows = _results(at)
    assert list(rows.engagement_id) == ["F-E02"]
    assert list(rows.profile) == ["Country_Profile?area=aviation&iso=CAN"]


def test_a_viewer_with_a_lower_ceiling_finds_no_restricted_record(app_env, monkeypatch):
    at = run_page(PAGE)
    at.text_input(key="engagement_search").set_value("Restricted visa").run()
    assert not at.exception
    assert not [d for d in at.dataframe if "profile" in d.value.columns]
    assert any(i.value.startswith("No engagements matching “Restricted visa” for these filters") for i in at.info)
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    at = run_page(PAGE)
    at.text_input(key="engagement_search").set_value("Restricted visa").run()
    assert list(_results(at).engagement_id) == ["F-E08"]


def test_search_text_is_bound_not_run(app_env):
    at = run_page(PAGE)
    at.text_input(key="engagement_search").set_value("'; DROP TABLE engagements; --").run()
    assert not at.exception
    at.text_input(key="engagement_search").set_value("berlin").run()
    assert list(_results(at).engagement_id) == ["F-E12", "F-E11"]
