"""The synthetic demo data: deterministic, valid against the vocabularies, and realistically shaped."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from atlas.data import build, countries, demo, formats, organizations, vocab

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
TODAY = demo.DEFAULT_TODAY
TODAY_ISO = TODAY.isoformat()
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

N_ENG, N_AGR, SEED = 20_000, 2_000, 7


def codes(pairs):
    return {code for code, _ in pairs}


def reference_iso3(name, keep=lambda row: True):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return {row["iso3"] for row in csv.DictReader(handle) if row.get("iso3") and keep(row)}


ALIASES = {name: iso3 for name, iso3 in demo.country_aliases()}


def to_iso3(value: str) -> str:
    return value if re.fullmatch(r"[A-Z]{3}", value) else ALIASES[value]


@pytest.fixture(scope="module")
def frames():
    return demo.generate(N_ENG, N_AGR, SEED)


@pytest.fixture(scope="module")
def eng(frames):
    df = frames[0].copy()
    # The country column lists one or more partner countries (';'-separated); the first is the one the
    # generator drew (titles, cities and mission areas follow it), the others join a multilateral meeting.
    df["first_country"] = df["country"].str.split(formats.COUNTRY_SEPARATOR).str[0]
    df["iso3"] = df["first_country"].map(to_iso3)
    df["partners"] = df["country"].str.split(formats.COUNTRY_SEPARATOR).map(lambda parts: [to_iso3(p) for p in parts])
    return df


@pytest.fixture(scope="module")
def agr(frames):
    return frames[1]


def share(mask) -> float:
    return float(np.mean(mask))


# ---------------------------------------------------------------------------------------------- determinism


def test_same_seed_same_frames():
    a = demo.generate(3000, 300, 42)
    b = demo.generate(3000, 300, 42)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_different_seed_different_frames():
    a = demo.generate(3000, 300, 42)
    b = demo.generate(3000, 300, 43)
    assert not a[0].equals(b[0])
    assert not a[1].equals(b[1])
    # ...but only the random content differs, not the shape.
    assert list(a[0].columns) == list(b[0].columns) and len(a[0]) == len(b[0])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_write_is_byte_identical_across_processes(tmp_path):
    """Same bytes whatever the hash seed: no set or dict-order randomness leaks into the output."""
    script = "import sys; from atlas.data import demo; demo.write(sys.argv[1], 2500, 250, 11)"
    digests = []
    for hash_seed in ("0", "12345"):
        out = tmp_path / hash_seed
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, cwd=ROOT)
        digests.append((_digest(out / "engagements.csv"), _digest(out / "agreements.csv")))
    demo.write(tmp_path / "here", 2500, 250, 11)
    digests.append((_digest(tmp_path / "here" / "engagements.csv"), _digest(tmp_path / "here" / "agreements.csv")))
    assert digests[0] == digests[1] == digests[2]


def test_written_csv_is_the_generated_frames(tmp_path):
    eng, agr = demo.generate(4000, 400, 5)
    eng_path, agr_path = demo.write(tmp_path, 4000, 400, 5)
    for frame, path, fmt in ((eng, eng_path, formats.ENGAGEMENTS), (agr, agr_path, formats.AGREEMENTS)):
        raw = path.read_bytes()
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(fmt.columns)
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(back.columns) == list(fmt.columns)
        assert back.astype(object).values.tolist() == frame.astype(object).values.tolist()
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[1:] == frame.astype(object).values.tolist()


def test_blocks_do_not_show(tmp_path, monkeypatch):
    """Many small blocks: write() and generate() still agree and the dates stay in order across blocks."""
    monkeypatch.setattr(demo.engagements, "ENGAGEMENT_BLOCK", 700)
    eng, _ = demo.generate(5000, 10, 3)
    demo.write(tmp_path, 5000, 10, 3)
    back = pd.read_csv(tmp_path / "engagements.csv", dtype=str, keep_default_na=False)
    assert back.astype(object).values.tolist() == eng.astype(object).values.tolist()
    assert eng["start_date"].is_monotonic_increasing
    assert eng["engagement_id"].is_unique


# ---------------------------------------------------------------------------------------------- shape


def test_exact_columns_and_row_counts(frames):
    eng, agr = frames
    assert tuple(eng.columns) == formats.ENGAGEMENTS.columns
    assert tuple(agr.columns) == formats.AGREEMENTS.columns
    assert len(eng) == N_ENG and len(agr) == N_AGR


@pytest.mark.parametrize(("n_eng", "n_agr"), [(0, 0), (1, 1), (6000, 400)])
def test_row_counts(n_eng, n_agr):
    eng, agr = demo.generate(n_eng, n_agr, 1)
    assert len(eng) == n_eng and len(agr) == n_agr
    assert tuple(eng.columns) == formats.ENGAGEMENTS.columns
    assert tuple(agr.columns) == formats.AGREEMENTS.columns


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        demo.generate(-1, 0, 1)


def test_all_values_are_strings(frames):
    for frame in frames:
        assert not frame.isna().any().any()
        for column in frame.columns:
            assert all(isinstance(v, str) for v in frame[column].head(500))
            assert all(isinstance(v, str) for v in frame[column].tail(500))


def test_required_columns_are_filled(frames):
    for frame, fmt in zip(frames, (formats.ENGAGEMENTS, formats.AGREEMENTS)):
        for column in fmt.required:
            assert (frame[column] != "").all(), column


def test_ids(frames):
    eng, agr = frames
    assert eng["engagement_id"].iloc[0] == "DEMO-E0000001"
    assert agr["agreement_id"].iloc[0] == "DEMO-A00001"
    assert eng["engagement_id"].str.fullmatch(r"DEMO-E\d{7}").all() and eng["engagement_id"].is_unique
    assert agr["agreement_id"].str.fullmatch(r"DEMO-A\d{5}").all() and agr["agreement_id"].is_unique


def test_every_record_is_demo(frames):
    for frame in frames:
        assert (frame["demo"] == "true").all()


def test_every_row_of_a_built_database_is_demo(tmp_path):
    """The label survives the import: a database built from demo data holds demo rows only, all of them."""
    db = tmp_path / "demo.duckdb"
    build.build(db, engagements=1500, agreements=120, seed=SEED)
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table, rows in (("engagements", 1500), ("agreements", 120)):
            assert con.execute(f"SELECT count(*), count(*) FILTER (is_demo) FROM {table}").fetchone() == (rows, rows)
    finally:
        con.close()


# Exact figures for (N_ENG, N_AGR, SEED): any change to what the generator draws shows here. When a change is
# meant, update them (and WRITTEN_SHA256) and say so in the commit.
EXACT_ENGAGEMENTS = {
    "status": {"cancelled": 825, "completed": 18510, "planned": 665},
    "mission_area": {
        "aviation": 3114,
        "border": 3297,
        "cargo": 3032,
        "counterterrorism": 2134,
        "immigration": 1733,
        "law_enforcement": 3496,
        "visa": 3194,
    },
    "sensitivity": {"internal": 13017, "public": 4983, "restricted": 2000},
    "engagement_type": {
        "conference": 2139,
        "delegation": 2068,
        "information_exchange": 3351,
        "meeting": 5790,
        "technical_assistance": 2702,
        "training": 3950,
    },
}
EXACT_AGREEMENTS = {
    "status": {"expired": 235, "in_force": 1248, "negotiation": 263, "signed": 113, "terminated": 141},
    "agreement_type": {"agreement": 515, "arrangement": 375, "joint_statement": 276, "mou": 765, "treaty": 69},
}
WRITTEN_SHA256 = (
    "2ac899b357f8e469b700630591684fce0347b86663a90c018138e51300894b61",
    "52205e0db18079bae94902cb23751b0e2a49a07d84c48aa4cc9a87f7b91653f4",
)


@pytest.mark.parametrize("column", sorted(EXACT_ENGAGEMENTS))
def test_exact_engagement_counts_for_the_seed(frames, column):
    assert frames[0][column].value_counts().to_dict() == EXACT_ENGAGEMENTS[column]


@pytest.mark.parametrize("column", sorted(EXACT_AGREEMENTS))
def test_exact_agreement_counts_for_the_seed(frames, column):
    assert frames[1][column].value_counts().to_dict() == EXACT_AGREEMENTS[column]


def test_exact_gaps_and_names_for_the_seed(frames):
    eng, agr = frames
    # The first country listed is what it was before multilateral engagements (they are drawn last).
    first = eng["country"].str.split(formats.COUNTRY_SEPARATOR).str[0]
    assert int((~first.str.fullmatch(r"[A-Z]{3}")).sum()) == 639  # names instead of codes
    assert int((eng["latitude"] == "").sum()) == 1021
    assert int((eng["city"] == "").sum()) == 498
    assert int((eng["participants"] == "").sum()) == 390
    assert int((eng["end_date"] == "").sum()) == 4153
    assert first.value_counts().head(3).to_dict() == {"CAN": 2308, "MEX": 2265, "GBR": 1572}
    partners = eng["country"].str.split(formats.COUNTRY_SEPARATOR).map(len)
    assert partners.value_counts().sort_index().to_dict() == {1: 19234, 2: 578, 4: 188}  # trilaterals, the FCM
    assert eng["organizations"].value_counts().to_dict() == {"": 19286, "EU": 223, "FCM": 188, "ICAO": 157, "WCO": 146}
    assert eng["level"].value_counts().to_dict() == {"working": 9877, "": 5005, "senior": 4341, "principal": 777}
    assert agr["organizations"].value_counts().to_dict() == {"": 1994, "EU": 6}
    parties = agr["countries"].str.split(formats.COUNTRY_SEPARATOR).map(len)
    assert parties.value_counts().sort_index().to_dict() == {1: 1605, 2: 185, 3: 101, 4: 15, 5: 54, 6: 40}


def test_first_rows_for_the_seed(frames):
    eng, agr = frames
    assert eng.iloc[0].to_dict() == {
        "engagement_id": "DEMO-E0000001",
        "title": "Border Security and Training delegation visit with the United Arab Emirates - Abu Dhabi",
        "start_date": "2019-01-01",
        "end_date": "2019-01-03",
        "country": "ARE",
        "city": "Abu Dhabi",
        "latitude": "24.4205",
        "longitude": "54.3945",
        "mission_area": "border",
        "engagement_type": "delegation",
        "component": "ICE",
        "status": "completed",
        "participants": "5",
        "summary": "A U.S. Immigration and Customs Enforcement delegation visited the United Arab Emirates to review "
        "land and maritime border interdiction.",
        "sensitivity": "internal",
        "demo": "true",
        "organizations": "",
        "level": "working",
    }
    assert agr.iloc[0].to_dict() == {
        "agreement_id": "DEMO-A00001",
        "title": "Agreement on Asylum Cooperation with Canada",
        "agreement_type": "agreement",
        "countries": "CAN",
        "mission_area": "immigration",
        "status": "in_force",
        "date_signed": "2024-07-10",
        "date_in_force": "2024-10-06",
        "date_expires": "",
        "component": "USCIS",
        "summary": "Agreement between the U.S. Department of Homeland Security and Canada on immigration policy; "
        "lead component U.S. Citizenship and Immigration Services.",
        "sensitivity": "internal",
        "demo": "true",
        "organizations": "",
    }


def test_written_bytes_are_pinned(tmp_path):
    demo.write(tmp_path, 2500, 250, 11)
    assert (_digest(tmp_path / "engagements.csv"), _digest(tmp_path / "agreements.csv")) == WRITTEN_SHA256


# ---------------------------------------------------------------------------------------------- vocabularies


def test_engagement_values_are_in_the_vocabularies(eng):
    assert set(eng["mission_area"]) <= set(vocab.MISSION_AREA_BY_CODE)
    assert set(eng["engagement_type"]) <= codes(vocab.ENGAGEMENT_TYPES)
    assert set(eng["status"]) <= codes(vocab.ENGAGEMENT_STATUSES)
    assert set(eng["component"]) <= codes(vocab.COMPONENTS)
    assert set(eng["sensitivity"]) <= codes(vocab.SENSITIVITIES)
    # every mission area, type and status actually occurs
    assert set(eng["mission_area"]) == set(vocab.MISSION_AREA_BY_CODE)
    assert set(eng["engagement_type"]) == codes(vocab.ENGAGEMENT_TYPES)
    assert set(eng["status"]) == codes(vocab.ENGAGEMENT_STATUSES)
    assert set(eng["sensitivity"]) == codes(vocab.SENSITIVITIES)


def test_agreement_values_are_in_the_vocabularies(agr):
    assert set(agr["mission_area"]) <= set(vocab.MISSION_AREA_BY_CODE)
    assert set(agr["agreement_type"]) <= codes(vocab.AGREEMENT_TYPES)
    assert set(agr["status"]) == codes(vocab.AGREEMENT_STATUSES)
    assert set(agr["component"]) <= codes(vocab.COMPONENTS)
    assert set(agr["sensitivity"]) <= codes(vocab.SENSITIVITIES)


def test_demo_tables_use_vocabulary_codes():
    assert set(demo.BASE_MISSION_WEIGHT) == set(vocab.MISSION_AREA_BY_CODE)
    for mission, table in demo.COMPONENT_BY_MISSION.items():
        assert mission in vocab.MISSION_AREA_BY_CODE
        assert {c for c, _ in table} <= codes(vocab.COMPONENTS)
    assert set(demo.TITLE_PHRASES) == set(demo.SUMMARY_PARTS) == codes(vocab.ENGAGEMENT_TYPES)
    assert set(demo.AGREEMENT_TYPE_WEIGHT) == codes(vocab.AGREEMENT_TYPES)
    assert set(demo.AGREEMENT_STATUS_WEIGHT) == codes(vocab.AGREEMENT_STATUSES)


# ---------------------------------------------------------------------------------------------- countries and cities


def test_demo_cities_file():
    with demo.CITIES_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["iso3", "city", "lat", "lon", "weight"]
        rows = list(reader)
    assert len(rows) > 200
    for row in rows:
        assert re.fullmatch(r"[A-Z]{3}", row["iso3"]), row
        assert row["city"].strip() == row["city"] and row["city"]
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert re.fullmatch(r"-?\d+\.\d{2}", row["lat"]) and re.fullmatch(r"-?\d+\.\d{2}", row["lon"])
        assert float(row["weight"]) > 0
    assert len({(r["iso3"], r["city"]) for r in rows}) == len(rows)
    demo_countries = set(demo.PARTNER_WEIGHTS)
    assert {r["iso3"] for r in rows} == demo_countries  # every partner has a city, every city a partner
    assert len(demo_countries) >= 90
    cities = {(r["iso3"], r["city"]) for r in rows}
    for place in [
        ("CAN", "Ottawa"),
        ("CAN", "Toronto"),
        ("CAN", "Vancouver"),
        ("CAN", "Montreal"),
        ("CAN", "Calgary"),
        ("MEX", "Mexico City"),
        ("MEX", "Monterrey"),
        ("MEX", "Guadalajara"),
        ("MEX", "Tijuana"),
        ("MEX", "Cancun"),
        ("GBR", "London"),
        ("GBR", "Manchester"),
        ("GBR", "Belfast"),
        ("GBR", "Edinburgh"),
        ("SGP", "Singapore"),
        ("MLT", "Valletta"),
        ("BHR", "Manama"),
        ("MCO", "Monaco"),
        ("LIE", "Vaduz"),
        ("LUX", "Luxembourg"),
        ("HKG", "Hong Kong"),
        ("QAT", "Doha"),
        ("MDV", "Male"),
    ]:
        assert place in cities, place


def test_demo_cities_are_real_countries():
    known = {row["iso3"] for row in countries.load_countries()}
    with demo.CITIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["iso3"] for r in rows} <= known
    # Every city lies within 3,500 km of its country's reference point (catches swapped or mistyped coordinates).
    centroid = {row["iso3"]: (row["lat"], row["lon"]) for row in countries.load_countries()}
    for row in rows:
        lat, lon = centroid[row["iso3"]]
        assert _km(float(row["lat"]), float(row["lon"]), lat, lon) < 3500, row


def test_partner_names_and_regions_come_from_the_countries_table():
    rows = {row["iso3"]: row for row in countries.load_countries()}
    assert [p.iso3 for p in demo.partners()] == list(demo.PARTNER_WEIGHTS)
    for p in demo.partners():
        assert p.name == rows[p.iso3]["name"]
        assert p.region == demo.region_of(rows[p.iso3])


@pytest.mark.parametrize(
    ("iso3", "region"),
    [
        ("CAN", "North America"),
        ("MEX", "North America"),
        ("BMU", "North America"),
        ("GTM", "Central America"),
        ("JAM", "Caribbean"),
        ("BRA", "South America"),
        ("ARE", demo.MIDDLE_EAST),
        ("EGY", demo.MIDDLE_EAST),
        ("TUR", demo.MIDDLE_EAST),
        ("KEN", "Africa"),
        ("DEU", "Europe"),
        ("CYP", "Europe"),
        ("JPN", "Asia"),
        ("AUS", "Oceania"),
    ],
)
def test_region_of(iso3, region):
    assert {p.iso3: p.region for p in demo.partners()}[iso3] == region


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    return float(6371 * np.arccos(np.clip(np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl), -1, 1)))


def test_reference_programme_countries_are_partners():
    partners = set(demo.PARTNER_WEIGHTS)
    vwp = reference_iso3("vwp_countries.csv", lambda r: r["status"].startswith("designated"))
    assert len(vwp) == 42
    assert vwp <= partners
    assert reference_iso3("cbp_preclearance_locations.csv") <= partners
    assert reference_iso3("csi_ports.csv") <= partners
    assert reference_iso3("pcsc_agreements_partial.csv") <= partners


def test_aliases_are_standard_names():
    for name, iso3 in demo.country_aliases():
        assert countries.resolve(name) == iso3, name
        assert not re.fullmatch(r"[A-Z]{3}", name)


def test_country_column(eng):
    iso_like = eng["first_country"].str.fullmatch(r"[A-Z]{3}")
    assert 0.02 < share(~iso_like) < 0.04
    assert set(eng.loc[~iso_like, "first_country"]) <= set(ALIASES)
    assert set(eng["iso3"]) <= set(demo.PARTNER_WEIGHTS)
    for alias in ("United Kingdom", "Mexico", "Canada"):
        assert alias in set(eng["first_country"])


def test_canada_mexico_uk_lead(eng):
    counts = eng["iso3"].value_counts()
    assert set(counts.index[:3]) == {"CAN", "MEX", "GBR"}
    top3 = counts.iloc[:3].sum() / len(eng)
    assert 0.28 <= top3 <= 0.37
    assert counts.iloc[2] > 2 * counts.iloc[3]  # clearly ahead of the next partner
    assert eng["iso3"].nunique() >= 90  # a long tail across every region


def test_every_region_appears(eng):
    regions = {p.iso3: p.region for p in demo.partners()}
    seen = {regions[i] for i in eng["iso3"].unique()}
    assert seen == set(regions.values())


def test_cities_and_coordinates(eng):
    with demo.CITIES_CSV.open(encoding="utf-8", newline="") as handle:
        cities = {(r["iso3"], r["city"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}
    no_coords = eng["latitude"] == ""
    assert (no_coords == (eng["longitude"] == "")).all()
    assert 0.035 < share(no_coords) < 0.065
    assert (eng.loc[eng["city"] == "", "latitude"] == "").all()  # no coordinates without a city
    with_city = eng[eng["city"] != ""]
    for iso3, city in zip(with_city["iso3"], with_city["city"]):
        assert (iso3, city) in cities
    placed = eng[~no_coords]
    assert placed["latitude"].str.fullmatch(r"-?\d+\.\d{4}").all()
    assert placed["longitude"].str.fullmatch(r"-?\d+\.\d{4}").all()
    base = np.array([cities[(i, c)] for i, c in zip(placed["iso3"], placed["city"])])
    lat = placed["latitude"].astype(float).to_numpy()
    lon = placed["longitude"].astype(float).to_numpy()
    assert np.abs(lat - base[:, 0]).max() <= 0.05 and np.abs(lon - base[:, 1]).max() <= 0.05
    assert np.abs(lat - base[:, 0]).max() > 0  # jittered, not stacked


def test_titles_and_summaries(eng):
    names = {p.iso3: p.name for p in demo.partners()}
    labels = {m.code: m.label for m in vocab.MISSION_AREAS}
    for row in eng.head(2000).itertuples():
        assert row.title.startswith(labels[row.mission_area] + " "), row.title
        assert names[row.iso3] in row.title
        if row.city:
            assert row.title.endswith(" - " + row.city)
        assert names[row.iso3] in row.summary
        assert row.summary.endswith(".") and row.summary[0].isupper()
    assert (eng["title"].str.len() < 120).all()
    assert eng["title"].nunique() > 1000


# ---------------------------------------------------------------------------------------------- dates and statuses


def test_engagement_dates(eng):
    assert eng["start_date"].str.fullmatch(ISO_DATE.pattern).all()
    start = pd.to_datetime(eng["start_date"])
    assert start.min() >= pd.Timestamp("2019-01-01")
    assert pd.Timestamp("2027-01-15") < start.max() <= pd.Timestamp(TODAY + timedelta(days=demo.HORIZON_DAYS))
    has_end = eng["end_date"] != ""
    assert eng.loc[has_end, "end_date"].str.fullmatch(ISO_DATE.pattern).all()
    days = (pd.to_datetime(eng.loc[has_end, "end_date"]) - start[has_end]).dt.days
    assert days.between(0, 10).all()
    assert 0.05 < share(~has_end) < 0.4
    # only one-day meetings and information exchanges leave the end date empty
    assert set(eng.loc[~has_end, "engagement_type"]) <= {"meeting", "information_exchange"}
    # trainings run longer than meetings
    span = days.groupby(eng.loc[has_end, "engagement_type"]).mean()
    assert span["training"] > 3 > span["meeting"]


def test_statuses_follow_dates(eng):
    planned = eng[eng["status"] == "planned"]
    completed = eng[eng["status"] == "completed"]
    assert len(planned) > 0.01 * len(eng)
    assert (planned["start_date"] > TODAY_ISO).all()
    assert (completed["start_date"] <= TODAY_ISO).all()
    assert (completed.loc[completed["end_date"] != "", "end_date"] <= TODAY_ISO).all()
    past = eng[eng["start_date"] <= TODAY_ISO]
    assert share(past["status"] == "completed") > 0.9
    assert 0.01 < share(past["status"] == "cancelled") < 0.08
    future = eng[eng["start_date"] > TODAY_ISO]
    assert share(future["status"] == "planned") > 0.9


def test_growth_and_covid_dip(eng):
    years = eng["start_date"].str[:4].value_counts()
    assert years["2020"] < 0.7 * years["2019"]
    assert years["2021"] < years["2022"] < years["2024"] < years["2025"]
    assert years["2019"] < years["2023"]
    spring_2020 = eng[eng["start_date"].between("2020-03-15", "2020-06-30")]
    assert share(spring_2020["status"] == "cancelled") > 0.15


def test_today_moves_the_statuses():
    later = date(2027, 6, 30)
    eng, agr = demo.generate(3000, 300, 9, today=later)
    assert (eng.loc[eng["status"] == "planned", "start_date"] > later.isoformat()).all()
    assert (eng.loc[eng["status"] == "completed", "start_date"] <= later.isoformat()).all()
    _check_agreement_dates(agr, later.isoformat())


def _check_agreement_dates(agr: pd.DataFrame, today: str) -> None:
    for column in ("date_signed", "date_in_force", "date_expires"):
        filled = agr[column] != ""
        assert agr.loc[filled, column].str.fullmatch(ISO_DATE.pattern).all(), column
        assert (agr.loc[filled, column] >= demo.EARLIEST_AGREEMENT.isoformat()).all(), column
    for row in agr.itertuples():
        signed, in_force, expires = row.date_signed, row.date_in_force, row.date_expires
        if signed and in_force:
            assert signed <= in_force, row
        if in_force and expires:
            assert in_force <= expires, row
        if expires:
            assert in_force or signed, row
        if row.status == "negotiation":
            assert not (signed or in_force or expires), row
        elif row.status == "signed":
            assert signed and signed <= today, row
            assert not in_force or in_force > today, row
        elif row.status == "in_force":
            assert signed and in_force and in_force <= today, row
            assert not expires or expires >= today, row
        elif row.status == "expired":
            assert in_force and expires and expires < today, row
        elif row.status == "terminated":
            assert signed and in_force and in_force <= today, row


def test_agreement_dates_and_statuses(agr):
    _check_agreement_dates(agr, TODAY_ISO)


def test_agreement_pipeline_shape(agr):
    status = agr["status"].value_counts(normalize=True)
    assert 0.5 < status["in_force"] < 0.75
    assert 0.05 < status["negotiation"] < 0.2
    assert status["expired"] > 0.05 and status["terminated"] > 0.02
    in_force = agr[agr["status"] == "in_force"]
    horizon = (TODAY + timedelta(days=730)).isoformat()
    due = (in_force["date_expires"] != "") & (in_force["date_expires"] <= horizon)
    assert 0.08 < share(due) < 0.35  # renewals coming up
    assert share(in_force["date_expires"] == "") > 0.2  # open-ended ones too


def test_agreement_parties_and_titles(agr):
    parties = agr["countries"].str.split(formats.COUNTRY_SEPARATOR)
    partners = set(demo.PARTNER_WEIGHTS)
    counts = parties.map(len)
    assert share(counts == 1) > 0.6
    assert (counts == 2).any() and (counts >= 3).any()
    names = {p.iso3: p.name for p in demo.partners()}
    for row, members in zip(agr.itertuples(), parties):
        assert set(members) <= partners and len(set(members)) == len(members)
        # Titled as real agreements are: partners by name, never a string of codes.
        assert f" with {names[members[0]]}" in row.title.replace(" the ", " ") and "(USA" not in row.title, row.title
        if len(members) == 2:
            assert row.title.replace(" the ", " ").endswith(f" and {names[members[1]]}"), row.title
        if len(members) > 2:
            assert row.title.endswith(f" and {len(members) - 2} more"), row.title
        assert row.title.split(" on ")[0] in demo.AGREEMENT_TYPE_TITLE.values()
    assert agr["title"].str.fullmatch(r"Memorandum of Understanding on [A-Z][\w\s-]+ with [A-Z][\w\s.'-]+").any()
    lead = parties.map(lambda p: p[0]).value_counts()
    assert {"CAN", "MEX"} <= set(lead.index[:5])


# ---------------------------------------------------------------------------------------------- realism


def _mission_share(eng, members, mission):
    inside = eng["iso3"].isin(members)
    return share(eng.loc[inside, "mission_area"] == mission), share(eng.loc[~inside, "mission_area"] == mission)


def test_cargo_where_the_csi_ports_are(eng):
    inside, outside = _mission_share(eng, reference_iso3("csi_ports.csv"), "cargo")
    assert inside > 1.5 * outside


def test_aviation_where_preclearance_is(eng):
    operational = reference_iso3(
        "cbp_preclearance_locations.csv", lambda r: not r["status"].strip().upper().startswith("ANNOUNCED")
    )
    inside, outside = _mission_share(eng, operational, "aviation")
    assert inside > 1.5 * outside


def test_visa_work_with_visa_waiver_members(eng):
    members = reference_iso3("vwp_countries.csv", lambda r: r["status"].startswith("designated"))
    inside, outside = _mission_share(eng, members, "visa")
    assert inside > 1.5 * outside


def test_border_and_immigration_with_mexico_and_central_america(eng):
    region = {p.iso3: p.region for p in demo.partners()}
    near = {i for i, r in region.items() if r == "Central America"} | {"MEX"}
    for mission in ("border", "immigration"):
        inside, outside = _mission_share(eng, near, mission)
        assert inside > 1.5 * outside, mission
    near_training = eng["iso3"].isin(near | {i for i, r in region.items() if r == "Caribbean"})
    assert share(eng.loc[near_training, "engagement_type"] == "training") > share(
        eng.loc[~near_training, "engagement_type"] == "training"
    )


def test_counterterrorism_with_middle_east_and_europe(eng):
    region = {p.iso3: p.region for p in demo.partners()}
    inside, outside = _mission_share(
        eng, {i for i, r in region.items() if r in (demo.MIDDLE_EAST, "Europe")}, "counterterrorism"
    )
    assert inside > 1.5 * outside


def test_law_enforcement_everywhere(eng):
    region = {p.iso3: p.region for p in demo.partners()}
    per_region = eng.assign(region=eng["iso3"].map(region)).groupby("region")["mission_area"]
    assert (per_region.apply(lambda s: share(s == "law_enforcement")) > 0.08).all()


@pytest.mark.parametrize(
    ("mission", "components", "least"),
    [
        ("cargo", {"CBP"}, 0.6),
        ("aviation", {"TSA", "CBP"}, 0.8),
        ("visa", {"ICE", "CBP", "PLCY"}, 0.8),
        ("border", {"CBP", "FLETC", "USCG"}, 0.8),
        ("immigration", {"USCIS", "PLCY", "ICE"}, 0.8),
        ("law_enforcement", {"ICE", "USSS", "FLETC"}, 0.8),
        ("counterterrorism", {"I&A", "OIA", "PLCY"}, 0.8),
    ],
)
def test_component_follows_mission(eng, mission, components, least):
    rows = eng[eng["mission_area"] == mission]
    assert share(rows["component"].isin(components)) >= least


def test_participants(eng):
    known = eng["participants"] != ""
    assert 0.01 < share(~known) < 0.035
    assert eng.loc[known, "participants"].str.fullmatch(r"\d+").all()
    people = eng.loc[known, "participants"].astype(int)
    assert people.between(2, 400).all()
    median = people.groupby(eng.loc[known, "engagement_type"]).median()
    assert median["training"] > median["delegation"] and median["conference"] > median["meeting"]
    assert median["conference"] > 40 and median["delegation"] < 12


def test_sensitivity_mix(eng):
    mix = eng["sensitivity"].value_counts(normalize=True)
    assert 0.2 < mix["public"] < 0.3
    assert 0.6 < mix["internal"] < 0.7
    assert 0.06 < mix["restricted"] < 0.14


def test_multilateral_engagements_are_plausible(eng):
    """Trilaterals are Canada with Mexico, the Five Country Ministerial names its four other members at
    principal level, EU dialogues are with EU members, ICAO and WCO meetings are about aviation and cargo."""
    several = eng[eng["partners"].map(len) > 1]
    assert 0.02 < len(several) / len(eng) < 0.06
    pairs = several[several["partners"].map(len) == 2]
    assert (pairs["partners"].map(set) == {"CAN", "MEX"}).all()
    fcm = eng[eng["organizations"] == "FCM"]
    assert (fcm["partners"].map(set) == {"CAN", "GBR", "AUS", "NZL"}).all()
    assert (fcm["level"] == "principal").all()
    assert len(fcm) == int((eng["partners"].map(len) == 4).sum())
    eu = next(o for o in organizations.load_organizations() if o["code"] == "EU")["members"]
    assert eng.loc[eng["organizations"] == "EU", "iso3"].isin(eu).all()
    assert (eng.loc[eng["organizations"] == "ICAO", "mission_area"] == "aviation").all()
    assert (eng.loc[eng["organizations"] == "WCO", "mission_area"] == "cargo").all()
