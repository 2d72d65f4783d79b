"""Issue 11.11: a check shows the rows as they will be stored, each country name with the country it resolved
to, every problem in full; and every value the documentation gives as an example is accepted."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from atlas.app import upload
from atlas.data import countries, ingest
from atlas.data.formats import COUNTRY_SEPARATOR, FORMATS
from atlas.data.vocab import fold
from support import agreement, engagement, write_csv

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 6, 30)


def check(path: Path, table: str, db: Path, **kw) -> ingest.ImportResult:
    return ingest.import_file(path, table, db, dry_run=True, today=TODAY, **kw)


def test_the_preview_shows_the_rows_as_they_will_be_stored(tmp_path, empty_db):
    rows = [
        engagement("E1", country="Republic of Korea", mission_area="Visa Security", title="Talks"),
        engagement("E2", country="Korea, Republic of", mission_area="CARGO", start_date="3/9/2024", end_date=""),
        engagement("E3", country="Republic of Korea", mission_area="border security and training"),
        engagement("E4", country="Narnia"),
    ]
    result = check(write_csv(tmp_path / "e.csv", rows), "engagements", empty_db, skip_invalid=True)
    preview = result.preview
    assert list(preview.columns) == [
        "engagement_id",
        "title",
        "country",
        "iso3",
        "mission_area",
        "start_date",
        "end_date",
        "sensitivity",
    ]
    assert [
        tuple(r) for r in preview[["engagement_id", "title", "country", "iso3", "mission_area"]].itertuples(index=False)
    ] == [
        ("E1", "Talks", "South Korea", "KOR", "Visa Security"),
        ("E2", "Engagement E2", "South Korea", "KOR", "Cargo Security"),
        ("E3", "Engagement E3", "South Korea", "KOR", "Border Security and Training"),
    ]
    assert str(preview.start_date[1])[:10] == "2024-03-09"
    assert upload.mapping_lines(result) == [
        "Republic of Korea -> South Korea (KOR), 2 rows",
        "Korea, Republic of -> South Korea (KOR), 1 row",
    ]


def test_a_rejected_file_still_previews_its_valid_rows(tmp_path, empty_db):
    rows = [engagement("E1", country="UK"), engagement("E2", country="Narnia")]
    result = check(write_csv(tmp_path / "e.csv", rows), "engagements", empty_db)
    assert result.outcome == "rejected"
    assert list(result.preview.engagement_id) == ["E1"] and list(result.preview.country) == ["United Kingdom"]
    assert upload.mapping_lines(result) == ["UK -> United Kingdom (GBR), 1 row"]


def test_the_preview_of_agreements_names_every_party(tmp_path, empty_db):
    rows = [agreement("A1", countries="Republic of Korea; USA;Mexico")]
    result = check(write_csv(tmp_path / "a.csv", rows), "agreements", empty_db)
    assert result.preview.country[0] == "South Korea, Mexico, United States"
    assert result.preview.iso3[0] == "KOR, MEX, USA"
    assert upload.mapping_lines(result) == [
        "Mexico -> Mexico (MEX), 1 row",
        "Republic of Korea -> South Korea (KOR), 1 row",
    ]


def test_the_preview_is_at_most_fifty_rows(tmp_path, empty_db):
    result = check(write_csv(tmp_path / "e.csv", [engagement(f"E{i:03}") for i in range(120)]), "engagements", empty_db)
    assert len(result.preview) == 50 and result.inserted == 120


def test_every_problem_is_listed_in_full(tmp_path, empty_db):
    result = check(write_csv(tmp_path / "e.csv", [engagement("E1", mission_area="x" * 80)]), "engagements", empty_db)
    frame = upload.problem_rows(result)
    assert list(frame.columns) == ["Line", "Column", "Problem"]
    assert (
        frame.Problem[0] == f"unknown mission area '{'x' * 60}…' (use one of: visa, aviation, cargo, border, "
        "immigration, law_enforcement, counterterrorism)"
    )


# --- the documented vocabulary and the validator agree ------------------------------------------------


def documented(readme: Path, column: str, section: int) -> str:
    """The 'accepts' cell of `column` in the `section`-th import table (0: engagements, 1: agreements)."""
    tables = re.split(r"\n(?=\| column \| required \| accepts \|)", readme.read_text(encoding="utf-8"))[1:]
    for line in tables[section].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells and cells[0] == column:
            return cells[2]
    raise AssertionError(f"{column} is not documented")


def listed(cell: str) -> list[str]:
    """'CBP, ICE (HSI), TSA (or full names)' -> ['CBP', 'ICE (HSI)', 'TSA']; backticked examples are taken too."""
    ticks = re.findall(r"`([^`]+)`", cell)
    if (
        ":" in cell.split(";")[0].split("`")[0]
    ):  # prose ('a code or label, any case: ...'): only its examples are values
        return ticks
    plain = re.sub(r"`[^`]*`|\((?:or|default)[^)]*\)|;.*$", "", cell)
    items = [i.strip() for i in re.split(r",(?![^(]*\))", plain) if i.strip()]
    return ticks + [re.sub(r"\s*\(default\)", "", i) for i in items if re.fullmatch(r"[\w&/ ()-]+", i)]


README = ROOT / "data" / "README.md"
VOCABULARY_COLUMNS = [
    ("engagements", 0, c) for c in ("mission_area", "engagement_type", "component", "status", "sensitivity")
]
VOCABULARY_COLUMNS += [("agreements", 1, c) for c in ("agreement_type", "status")]


@pytest.mark.parametrize(("table", "section", "column"), VOCABULARY_COLUMNS)
def test_every_documented_value_is_accepted(table, section, column):
    values = listed(documented(README, column, section))
    assert values, "the documentation names values"
    lookup = FORMATS[table].vocabularies[column]
    refused = [v for v in values if fold(v) not in lookup]
    assert refused == []


def test_the_readme_example_ice_hsi_is_accepted():
    assert "ICE (HSI)" in listed(documented(README, "component", 0))
    assert FORMATS["engagements"].vocabularies["component"]["ice (hsi)"] == "ICE"


@pytest.mark.parametrize("column", ["country"])
def test_every_documented_country_example_resolves(column):
    examples = re.findall(r"`([^`]+)`", documented(README, column, 0))
    singles = {"GBR", "GB", "United Kingdom", "UK", "Great Britain"}
    assert singles <= set(examples)
    assert {e: countries.resolve(e) for e in singles} == dict.fromkeys(singles, "GBR")
    # The rest: the separator, lists of countries written with it, and the column that may stand in for them.
    separator = COUNTRY_SEPARATOR
    lists = [e for e in examples if e not in singles and separator in e and e != separator]
    assert lists and {e: [countries.resolve(x) for x in e.split(separator)] for e in lists} == dict.fromkeys(
        lists, ["CAN", "MEX"]
    )
    assert set(examples) - singles - set(lists) == {separator, "organizations"}
    assert "organizations" in FORMATS["engagements"].columns


def test_a_file_with_every_documented_component_imports(tmp_path, empty_db):
    values = listed(documented(README, "component", 0))
    rows = [engagement(f"E{i}", component=v) for i, v in enumerate(values)]
    result = check(write_csv(tmp_path / "e.csv", rows), "engagements", empty_db)
    assert result.problems == [] and result.inserted == len(values)
