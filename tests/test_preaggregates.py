"""Every engagement query answers from the pre-aggregates exactly what it answers from the raw table.

Two copies of one generated database: the one the app reads (daily and monthly rollups), and a reference
whose rollups are emptied and whose activity macros are redefined over the raw engagements table alone.
For random filters, periods and sensitivity ceilings, each query that reads engagements gives identical
rows from both. An import mixes real records into the demo ones, so the demo counts are tested too.
"""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.data import build, ingest, schema
from atlas.data.db import Database
from support import engagement, write_csv

AREAS = ["visa", "aviation", "cargo", "border", "immigration", "law_enforcement", "counterterrorism"]
COUNTRIES = ["CAN", "MEX", "GBR", "DEU", "JPN", "BRA", "KEN", "AUS", "XKX", "FRA"]
COMPONENTS = ["CBP", "ICE", "TSA", "USCG", "OIA", "FLETC"]
TYPES = ["meeting", "training", "conference", "delegation", "technical_assistance", "information_exchange"]
PARTNERSHIPS = ["bilateral", "multilateral", "organization"]
TODAY = dt.date(2026, 11, 30)
FIRST, LAST = dt.date(2018, 10, 1), dt.date(2027, 6, 30)
QUERIES = [
    "area_summary",
    "compare_countries",
    "compare_monthly",
    "compare_org_areas",
    "compare_org_monthly",
    "compare_organizations",
    "country_activity",
    "country_area_activity",
    "country_monthly_activity",
    "country_multilateral_engagements",
    "country_profile",
    "data_range",
    "demo_in_scope",
    "engagement_count",
    "engagement_points",
    "engagement_types",
    "kpi_engagements",
    "monthly_activity",
    "new_engagements_since",
    "newly_engaged_countries",
    "organization_countries",
    "organization_engagements",
    "organization_monthly_activity",
    "organization_profile",
    "organization_upcoming",
    "organizations_active",
    "partner_activity_change",
    "quiet_partners",
    "recent_engagements",
    "region_comparison",
]
MAY_BE_EMPTY = {"newly_engaged_countries", "quiet_partners", "organization_upcoming"}  # dense demo; few planned
ROLLUPS = (
    "engagement_rollup",
    "engagement_area_rollup",
    "engagement_place_rollup",
    "engagement_day_rollup",
    "engagement_day_country_rollup",
    "engagement_org_rollup",
    "engagement_multilateral",
)
MEASURES = """CAST(date_trunc('month', start_date) AS DATE) AS month, iso3, mission_area, component, engagement_type,
       sensitivity_rank, 1 AS engagements, CAST(status = 'planned' AS BIGINT) AS planned,
       CAST(status = 'cancelled' AS BIGINT) AS cancelled, CASE WHEN status <> 'cancelled' THEN participants END
       AS participants, CAST(is_demo AS BIGINT) AS demo, CAST(is_demo AND status <> 'cancelled' AS BIGINT) AS demo_active"""
ARGS = "p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships"
# Each engagement with its partner countries (partners, the first listed first) and its partnership kind.
KINDS = """(SELECT *, list_prepend(iso3, coalesce(other_countries, [])) AS partners,
        CAST(iso3 IS NOT NULL AS INTEGER) + len(coalesce(other_countries, [])) + len(coalesce(organizations, [])) > 1
        AS several, organizations IS NOT NULL AS with_org
    FROM engagements)"""
# One row per partner country (iso3 that country, one row with iso3 NULL for organizations only); ahead: the
# partner countries with a smaller code, NULL when there are none.
PER_PARTNER = f"""(SELECT * REPLACE (partner AS iso3),
        CASE WHEN len(list_filter(partners, lambda x: x < partner)) > 0
             THEN list_sort(list_filter(partners, lambda x: x < partner)) END AS ahead
    FROM (SELECT *, unnest(partners) AS partner FROM {KINDS}))"""
ADMITTED = """WHERE start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE) AND sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND (len(p_components) = 0 OR list_contains(p_components, component))
  AND (len(p_types) = 0 OR list_contains(p_types, engagement_type))
  AND (len(p_partnerships) = 0
       OR (list_contains(p_partnerships, 'bilateral') AND NOT several AND NOT with_org)
       OR (list_contains(p_partnerships, 'multilateral') AND several)
       OR (list_contains(p_partnerships, 'organization') AND with_org))"""
# The engagements the filters admit, one row each: the country filter asks for any partner country.
FILTERED = f"""FROM {KINDS} {ADMITTED}
  AND (len(p_countries) = 0 OR list_has_any(partners, p_countries))"""
# The same, one row per partner country the country filter asks for.
FILTERED_PER_PARTNER = f"""FROM {PER_PARTNER} {ADMITTED}
  AND (len(p_countries) = 0 OR list_contains(p_countries, iso3))"""
# The activity macros as the raw table alone answers them.
REFERENCE = f"""
CREATE OR REPLACE MACRO activity_in({ARGS}) AS TABLE SELECT {MEASURES}, ahead {FILTERED_PER_PARTNER};
CREATE OR REPLACE MACRO area_activity_in({ARGS}) AS TABLE
SELECT month, iso3, mission_area, sensitivity_rank, engagements, planned, cancelled, participants, demo, demo_active,
       ahead
FROM (SELECT {MEASURES}, ahead {FILTERED_PER_PARTNER});
CREATE OR REPLACE MACRO area_trend_in({ARGS}) AS TABLE
SELECT month, mission_area, sensitivity_rank, engagements, planned, cancelled, participants, demo, demo_active
FROM (SELECT {MEASURES} {FILTERED});
CREATE OR REPLACE MACRO place_activity_in({ARGS}) AS TABLE
SELECT e.iso3, round(coalesce(e.latitude, c.lat), 2) AS lat, round(coalesce(e.longitude, c.lon), 2) AS lon,
       e.mission_area, 1 AS engagements, e.start_date AS latest, e.latitude IS NULL AS approximate,
       coalesce(e.city, c.name) AS place
FROM (SELECT * {FILTERED}) e LEFT JOIN countries c USING (iso3)
WHERE e.status <> 'cancelled' AND coalesce(e.latitude, c.lat) IS NOT NULL;
CREATE OR REPLACE MACRO organization_activity_in({ARGS}) AS TABLE
SELECT month, org_code, mission_area, engagements, planned, cancelled, participants, demo_active, several
FROM (SELECT {MEASURES}, several, unnest(organizations) AS org_code {FILTERED});
CREATE OR REPLACE MACRO multilateral_engagements_in({ARGS}) AS TABLE
SELECT * EXCLUDE (partners, several, with_org) {FILTERED} AND several;
CREATE OR REPLACE MACRO organization_engagements_in({ARGS}) AS TABLE
SELECT * EXCLUDE (partners, several, with_org) {FILTERED} AND with_org;
CREATE OR REPLACE MACRO activity_months(p_max_rank) AS TABLE
SELECT CAST(date_trunc('month', start_date) AS DATE) AS month FROM engagements WHERE sensitivity_rank <= p_max_rank;
"""


def partners(i: int) -> dict[str, str]:
    """Now and then several partner countries, an organization beside them, or organizations only."""
    if i % 7 == 3:
        return {"country": "", "organizations": "ICAO", "city": "", "latitude": "", "longitude": ""}
    if i % 5 == 1:
        return {"country": f"{COUNTRIES[i % len(COUNTRIES)]};GBR;JPN", "organizations": "WCO" if i % 2 else ""}
    return {"country": COUNTRIES[i % len(COUNTRIES)]}


def mixed_in(path) -> None:
    """Real (not demo) engagements on top of the generated ones: some cancelled, some on the edge days, some
    multilateral."""
    rows = [
        engagement(
            f"REAL{i}",
            **partners(i),
            mission_area=AREAS[i % len(AREAS)],
            component=COMPONENTS[i % len(COMPONENTS)],
            engagement_type=TYPES[i % len(TYPES)],
            start_date=(dt.date(2024, 1, 1) + dt.timedelta(days=17 * i)).isoformat(),
            end_date="",
            status=("cancelled", "completed", "planned")[i % 3],
            sensitivity=("public", "internal")[i % 2],
        )
        for i in range(60)
    ]
    csv = write_csv(path.parent / "real.csv", rows)
    assert ingest.import_file(csv, "engagements", path, today=TODAY).outcome == "success"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preaggregates")
    path = folder / "atlas.duckdb"
    build.build(path, engagements=4000, agreements=40, seed=23, today=TODAY)
    mixed_in(path)
    raw = folder / "raw.duckdb"
    shutil.copyfile(path, raw)
    con = duckdb.connect(str(raw))
    for table in ROLLUPS:
        con.execute(f"DELETE FROM {table}")  # a query still reading a rollup would now differ
    con.execute(REFERENCE)
    con.close()
    dbs = Database.open(path), Database.open(raw)
    yield dbs
    for db in dbs:
        db.close()


@st.composite
def params(draw):
    day = st.dates(min_value=FIRST, max_value=LAST)
    start, end = sorted((draw(day), draw(day)))
    if draw(st.booleans()):
        end = min(end, start + dt.timedelta(days=draw(st.integers(0, 70))))
    subset = lambda values, most: st.lists(st.sampled_from(values), max_size=most, unique=True)  # noqa: E731
    days = (end - start).days + 1
    since = draw(day)
    return {
        "start": start,
        "end": end,
        "prev_start": start - dt.timedelta(days=days),
        "prev_end": start - dt.timedelta(days=1),
        "as_of": min(end, TODAY),
        "today": TODAY,
        "since": since,
        "lookback_start": since - dt.timedelta(days=365),
        "limit": draw(st.sampled_from([5, 40])),
        "iso3": draw(st.sampled_from(COUNTRIES)),
        "statuses": [],
        "areas": draw(subset(AREAS, 3)),
        "countries": draw(subset(COUNTRIES, 3)),
        "components": draw(st.one_of(st.just([]), subset(COMPONENTS, 2))),
        "types": draw(st.one_of(st.just([]), subset(TYPES, 2))),
        "max_rank": draw(st.integers(0, 2)),
        "partnerships": draw(subset(PARTNERSHIPS, 2)),
        "organizations": draw(st.sampled_from([["ICAO"], ["WCO", "ICAO"], ["EU", "FCM", "WCO"]])),
        "org": draw(st.sampled_from(["ICAO", "WCO", "EU", "FCM"])),
        "horizon": TODAY + dt.timedelta(days=draw(st.sampled_from([7, 90]))),
    }


def answer(db: Database, name: str, values: dict) -> pd.DataFrame:
    frame = db.query(name, values)
    if name == "engagement_points":
        frame = frame.drop(columns="place")  # any one city name of the place: not determined by the data
    # Ties in a query's ORDER BY may come in any order: compare the rows as a sorted set, and the order
    # of the sort keys the query does determine is checked by the query tests.
    return frame.sort_values(list(frame.columns), ignore_index=True, na_position="first")


@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=params(), name=st.sampled_from(QUERIES))
def test_every_engagement_query_answers_as_the_raw_table_does(pair, values, name):
    rollups, raw = pair
    if name.startswith("compare") and not values["countries"]:
        values = {**values, "countries": ["MEX", "CAN"]}
    pd.testing.assert_frame_equal(answer(rollups, name, values), answer(raw, name, values), check_dtype=False)


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("max_rank", [0, 1, 2])
def test_each_query_over_the_default_period_and_every_ceiling(pair, name, max_rank):
    """Every query at least once, on a period with partial months at both ends, for each ceiling."""
    rollups, raw = pair
    values = {
        "start": dt.date(2025, 12, 1),
        "end": TODAY,
        "prev_start": dt.date(2024, 12, 1),
        "prev_end": dt.date(2025, 11, 30),
        "as_of": TODAY,
        "today": TODAY,
        "since": dt.date(2026, 9, 14),
        "lookback_start": dt.date(2025, 9, 14),
        "limit": 25,
        "iso3": "MEX",
        "statuses": [],
        "areas": [],
        "countries": ["MEX", "CAN"] if name.startswith("compare") else [],
        "components": [],
        "types": [],
        "max_rank": max_rank,
        "partnerships": [],
        "organizations": ["WCO", "ICAO", "EU"],
        "org": "ICAO",
        "horizon": LAST,
    }
    mine = answer(rollups, name, values)
    assert len(mine) > 0 or name in MAY_BE_EMPTY
    pd.testing.assert_frame_equal(mine, answer(raw, name, values), check_dtype=False)


DAY_TABLES = {  # the rows each day table is made of, its keys, and the keys it keeps after the measures
    "engagement_day_country_rollup": (
        PER_PARTNER,
        "start_date, iso3, mission_area, sensitivity_rank",
        ", ahead, several, with_org",
    ),
    "engagement_day_rollup": (KINDS, "start_date, mission_area, sensitivity_rank", ", several, with_org"),
}


def day_tables_match_raw(con) -> None:
    for table, (rows, keys, kept) in DAY_TABLES.items():
        stored = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        expected = con.execute(f"""
            SELECT {keys}, count(*), count(*) FILTER (WHERE status = 'planned'),
                   count(*) FILTER (WHERE status = 'cancelled'), sum(participants) FILTER (WHERE status <> 'cancelled'),
                   count(*) FILTER (WHERE is_demo), count(*) FILTER (WHERE is_demo AND status <> 'cancelled'){kept}
            FROM {rows} GROUP BY ALL ORDER BY ALL""").fetchall()
        assert stored and stored == expected, table


def test_an_import_rebuilds_the_daily_tables(tmp_path):
    path = tmp_path / "atlas.duckdb"
    build.build(path, engagements=300, agreements=5, seed=5, today=TODAY)
    mixed_in(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM engagements WHERE NOT is_demo").fetchone() == (60,)
        day_tables_match_raw(con)
    finally:
        con.close()


def test_upgrade_fills_the_daily_tables_of_an_older_file(tmp_path):
    path = tmp_path / "atlas.duckdb"
    build.build(path, engagements=300, agreements=5, seed=6, today=TODAY)
    con = duckdb.connect(str(path))
    try:
        for table in DAY_TABLES:  # a file built before the daily tables existed
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE metadata SET value = 'older' WHERE key = ?", [schema.KEY])
        assert schema.bring_up_to_date(con) is True
        day_tables_match_raw(con)
        # Once per partner country, and once per engagement where a total counts it.
        partner_rows = con.execute(f"SELECT count(*) FROM {PER_PARTNER}").fetchone()[0]
        assert partner_rows > 300
        assert con.execute(
            "SELECT sum(engagements), sum(engagements) FILTER (WHERE counted_once(ahead, [])) "
            "FROM area_activity_in(DATE '2000-01-01', DATE '2030-12-31', [], [], [], [], 2, [])"
        ).fetchone() == (partner_rows, 300)
    finally:
        con.close()


def test_the_daily_tables_are_small_beside_the_raw_table(pair):
    """The day table is bounded by days x areas x ranks; the per-country one has fewer rows than the raw rows
    spread over their partner countries."""
    rollups, _ = pair
    cur = rollups.cursor()
    raw = cur.execute("SELECT count(*) FROM engagements").fetchone()[0]
    days = cur.execute("SELECT count(*) FROM engagement_day_rollup").fetchone()[0]
    per_country = cur.execute("SELECT count(*) FROM engagement_day_country_rollup").fetchone()[0]
    partner_rows = cur.execute(f"SELECT count(*) FROM {PER_PARTNER}").fetchone()[0]
    span = cur.execute("SELECT max(start_date) - min(start_date) + 1 FROM engagements").fetchone()[0]
    assert days <= span * len(AREAS) * 3 and days < raw and per_country < partner_rows


def test_upgrade_gives_the_monthly_rollup_its_demo_active_count(tmp_path):
    """engagement_rollup answers whole months under a component or type filter, "demo records shown" included:
    an older file (no demo_active column) gets it from the upgrade, equal to the raw rows'."""
    path = tmp_path / "atlas.duckdb"
    build.build(path, engagements=300, agreements=5, seed=7, today=TODAY)
    mixed_in(path)
    con = duckdb.connect(str(path))
    try:
        con.execute("ALTER TABLE engagement_rollup DROP COLUMN demo_active")
        con.execute("UPDATE metadata SET value = 'older' WHERE key = ?", [schema.KEY])
        assert schema.bring_up_to_date(con) is True
        stored = con.execute(
            "SELECT month, component, sum(demo_active) FROM engagement_rollup WHERE ahead IS NULL "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        expected = con.execute(
            "SELECT CAST(date_trunc('month', start_date) AS DATE), component, "
            "count(*) FILTER (WHERE is_demo AND status <> 'cancelled') FROM engagements GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert stored == expected and sum(r[2] for r in stored) > 0
    finally:
        con.close()


@settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=params(),
    name=st.sampled_from(
        ["upcoming_engagements", "recent_engagements", "new_engagements_since", "country_multilateral_engagements"]
    ),
)
def test_a_listing_is_the_head_of_its_whole_list_for_every_limit(pair, values, name):
    """These listings find the day of their limit-th row in a narrow pass and read whole rows only from that day
    on: any limit gives the first rows of the whole list in its order (rows sharing the last day are not lost
    to the cut; their order is settled after it), and limits from the million DuckDB's min(x, n) refuses take
    the whole list."""
    db = pair[0]
    whole = db.query(name, {**values, "limit": 2_000_000}).drop(columns="total", errors="ignore")
    for limit in sorted({1, 3, 40, max(len(whole) - 1, 1), len(whole) + 1, 999_999, 1_000_000}):
        head = db.query(name, {**values, "limit": limit}).drop(columns="total", errors="ignore")
        expected = whole.head(limit).reset_index(drop=True).astype(str)
        assert head.reset_index(drop=True).astype(str).equals(expected), (name, limit)
