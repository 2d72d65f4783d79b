"""The sourced programme facts (data/reference/, second sourcing pass) as the build loads them.

Hand-counted from the CSVs (see data/reference/SOURCES.md):
- cbp_preclearance_locations.csv, 22 rows: 15 air sites in six countries (Ireland 2, Aruba 1, Bahamas 2,
  Bermuda 1, UAE 1, Canada 8), the Victoria ferry terminal and Billy Bishop Toronto City (opened 2026-03-10,
  UNCERTAIN in the notes: no CBP page confirms it) = 17 operational; 5 "ANNOUNCED, NOT OPERATIONAL" (Stockholm
  Arlanda, Punta Cana, Edinburgh, Bogotá, Québec City). Bogotá's notes also say UNCERTAIN.
  Canada: 11 rows = 10 operational (8 airports, Victoria, Billy Bishop) + Québec City announced.
- pcsc_agreements_partial.csv, 44 rows, one per country, all current: 24 "PCSC agreement OR EQUIVALENT"
  rows from GAO-16-498 with no date; 4 UNCERTAIN (Norway, Romania, Cyprus, Qatar).
- vwp_countries.csv, 45 rows: 42 members; Romania (rescinded), Argentina and Uruguay (terminated) not
  current; Argentina's notes say UNCERTAIN (a re-entry letter of intent).
- csi_ports.csv 58 rows (3 UNCERTAIN), dhs_overseas_posts_partial.csv 50 rows (the 12 VSP rows UNCERTAIN),
  dhs_international_footprint_headlines.csv 20 rows.
"""

from __future__ import annotations

import csv

import pytest

from apptest_support import ROOT, TODAY
from atlas.data import build, db
from atlas.data.filters import default_filters
from atlas.views import maps

REFERENCE = ROOT / "data" / "reference"
ANNOUNCED = ["ARN", "BOG", "EDI", "PUJ", "YQB"]


def rows_of(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def database(fixture_db):  # noqa: F811 (the fixture imported above)
    database = db.Database.open(fixture_db)
    yield database
    database.close()


@pytest.fixture(scope="module")
def programs(database):
    return database.query("programs", {"programs": sorted(set(build.PROGRAM_CODES.values()))})


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("cbp_preclearance_locations.csv", 22),
        ("pcsc_agreements_partial.csv", 44),
        ("vwp_countries.csv", 45),
        ("csi_ports.csv", 58),
        ("dhs_overseas_posts_partial.csv", 50),
        ("dhs_international_footprint_headlines.csv", 20),
    ],
)
def test_row_counts_of_the_reference_files(name, count):
    assert len(rows_of(name)) == count


def test_the_shipped_files_are_the_resourced_ones():
    shared = ROOT.parent / "shared" / "reference"
    if not shared.is_dir():
        pytest.skip("no ../shared/reference/ beside this checkout")
    for path in sorted(shared.iterdir()):
        assert (REFERENCE / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_programme_row_is_loaded_with_its_source_and_as_of_verbatim(programs):
    expected = sorted(
        (r["iso3"], r["place"], r["status"], r["source_url"], r["source_as_of"])
        for name in build.PROGRAM_FILES
        for r in rows_of(name)
    )
    loaded = sorted(
        programs[["iso3", "place", "status", "source_url", "source_as_of"]].itertuples(index=False, name=None)
    )
    assert len(loaded) == 22 + 44 + 45 + 58 + 50
    assert [tuple(v or "" for v in row) for row in loaded] == expected
    assert programs.source_url.str.strip().str.len().gt(0).all(), "every row names its source"


def test_preclearance_operational_announced_and_uncertain(programs):
    pre = programs[programs.program_code == "preclearance"]
    assert len(pre) == 22
    assert int(pre.is_current.sum()) == 17
    assert sorted(pre.loc[~pre.is_current, "site_code"]) == ANNOUNCED
    assert pre.loc[~pre.is_current, "status"].str.startswith("ANNOUNCED, NOT OPERATIONAL").all()
    assert sorted(pre.loc[pre.is_current, "iso3"].unique()) == ["ABW", "ARE", "BHS", "BMU", "CAN", "IRL"]
    assert sorted(pre.loc[pre.uncertain, "site_code"]) == ["BOG", "YTZ"]
    opening = pre[pre.is_current & pre.uncertain]
    assert opening[["site_code", "since"]].values.tolist() == [["YTZ", "2026"]], "the one uncertain operational site"
    assert opening.status.iloc[0].startswith("operational from 2026-03-10 per Transport Canada")


def test_the_map_draws_hollow_exactly_the_sites_the_data_does_not_count(programs):
    """maps.is_announced reads the status text; the build must agree, so a hollow dot is never counted."""
    announced = programs.status.map(maps.is_announced)
    assert sorted(programs.loc[announced, "site_code"]) == ANNOUNCED
    assert not programs.loc[announced, "is_current"].any()
    drawn = maps.program_rows(programs, "preclearance")
    assert sorted(drawn.loc[drawn.announced, "site_code"]) == ANNOUNCED
    assert sorted(drawn.loc[drawn["mark"] == "?", "site_code"]) == ["BOG", "YTZ"]
    quebec = drawn[drawn.site_code == "YQB"].iloc[0]
    assert "ANNOUNCED, not yet operational" in quebec.detail and "as of: 2016-06-23 (Public Safety" in quebec.detail


def test_pcsc_rows_and_the_or_equivalent_ones(programs):
    pcsc = programs[programs.program_code == "pcsc"]
    assert len(pcsc) == 44 and pcsc.iso3.nunique() == 44 and pcsc.is_current.all()
    equivalent = pcsc[pcsc.status.str.startswith("PCSC agreement OR EQUIVALENT")]
    assert len(equivalent) == 24
    assert set(equivalent.source_url) == {"http://www.gao.gov/products/GAO-16-498"}
    assert set(equivalent.source_as_of) == {"GAO-16-498 (published 2016-05-05, publicly released 2016-06-06)"}
    assert equivalent.since.isna().all(), "GAO gives no date, so none is made up"
    assert sorted(pcsc.loc[pcsc.uncertain, "iso3"]) == ["CYP", "NOR", "QAT", "ROU"]
    assert pcsc.loc[pcsc.iso3 == "CYP", "source_as_of"].tolist() == ["undated news summary"]


def test_vwp_members_and_former_members(programs):
    vwp = programs[programs.program_code == "vwp"]
    assert len(vwp) == 45 and int(vwp.is_current.sum()) == 42
    assert sorted(vwp.loc[~vwp.is_current, "iso3"]) == ["ARG", "ROU", "URY"]
    assert sorted(vwp.loc[vwp.uncertain, "iso3"]) == ["ARG"]
    qatar = vwp[vwp.iso3 == "QAT"].iloc[0]
    assert (qatar.status, qatar.source_as_of) == (
        "designated (participating)",
        "Federal Register 2024-09-26 (89 FR 78783)",
    )


def test_programme_summary_counts(database):
    # One summary row per programme and primary mission area (the Victoria ferry is border, not aviation).
    summary = database.query("programs_summary").groupby("program_code")[["sites", "current", "uncertain"]].sum()
    assert summary.loc[
        ["preclearance", "pcsc", "vwp", "csi", "vsp"], ["sites", "current", "uncertain"]
    ].values.tolist() == [[22, 17, 2], [44, 44, 4], [45, 42, 1], [58, 58, 3], [12, 12, 12]]


def test_headlines_are_loaded(database):
    rows = (
        database.cursor()
        .execute("SELECT count(*), count(*) FILTER (WHERE source_url IS NULL) FROM footprint_headlines")
        .fetchone()
    )
    assert rows == (20, 0)


@pytest.mark.parametrize(
    ("iso3", "current_rows", "programmes", "not_current"),
    [
        (
            "CAN",
            15,
            {
                "CBP Preclearance": 10,
                "Container Security Initiative (CSI)": 3,
                "CBP attaché office": 1,
                "ICE Visa Security Program (VSP) unit": 1,
            },
            ["CBP Preclearance"],
        ),
        (
            "SWE",
            3,
            {
                "Container Security Initiative (CSI)": 1,
                "Preventing and Combating Serious Crime (PCSC) agreement": 1,
                "Visa Waiver Program (VWP)": 1,
            },
            ["CBP Preclearance"],
        ),
        (
            "IRL",
            4,
            {
                "CBP Preclearance": 2,
                "Preventing and Combating Serious Crime (PCSC) agreement": 1,
                "Visa Waiver Program (VWP)": 1,
            },
            [],
        ),
        ("ROU", 1, {"Preventing and Combating Serious Crime (PCSC) agreement": 1}, ["Visa Waiver Program (VWP)"]),
        ("DOM", 1, {"Container Security Initiative (CSI)": 1}, ["CBP Preclearance"]),
    ],
)
def test_country_profile_programme_counts(database, iso3, current_rows, programmes, not_current):
    params = dict(default_filters(TODAY).params(), iso3=iso3)
    profile = database.query("country_profile", params).iloc[0]
    assert int(profile.programs) == current_rows
    rows = database.query("country_programs", {"iso3": iso3})
    assert rows[rows.is_current].program.value_counts().to_dict() == programmes
    assert rows.loc[~rows.is_current, "program"].tolist() == not_current
