"""The rollups answer exactly what the raw engagements table answers, for any filters and any period.

Period queries read the daily rollups (area_activity_in, area_trend_in), or whole months from the monthly
rollups and the partial months at either end from the raw table (activity_in, place_activity_in; see
atlas/data/macros.sql). For random filter combinations and random periods (mid-month edges, single days,
periods inside one month, periods beyond the data), every measure of activity_in, area_activity_in,
area_trend_in and place_activity_in must equal a direct GROUP BY over the raw table.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.data import build
from atlas.data.db import Database, used_params

AREAS = ["visa", "aviation", "cargo", "border", "immigration", "law_enforcement", "counterterrorism"]
COUNTRIES = ["CAN", "MEX", "GBR", "DEU", "JPN", "BRA", "KEN", "AUS", "XKX"]
COMPONENTS = ["CBP", "ICE", "TSA", "USCG", "OIA", "FLETC"]
TYPES = ["meeting", "training", "conference", "delegation", "technical_assistance", "information_exchange"]
PARTNERSHIPS = ["bilateral", "multilateral", "organization"]
FIRST, LAST = dt.date(2018, 10, 1), dt.date(2027, 6, 30)

FILTERS = """WHERE start_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
  AND sensitivity_rank <= $max_rank
  AND (len($areas) = 0 OR list_contains($areas, mission_area))
  AND (len($countries) = 0 OR list_contains($countries, iso3))
  AND (len($components) = 0 OR list_contains($components, component))
  AND (len($types) = 0 OR list_contains($types, engagement_type))
  AND (len($partnerships) = 0
       OR (list_contains($partnerships, 'bilateral') AND other_countries IS NULL AND organizations IS NULL)
       OR (list_contains($partnerships, 'multilateral')
           AND (other_countries IS NOT NULL OR (iso3 IS NOT NULL AND organizations IS NOT NULL)
                OR len(coalesce(organizations, [])) > 1))
       OR (list_contains($partnerships, 'organization') AND organizations IS NOT NULL))"""
ARGS = "$start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships"
# The engagements once per partner country (the macros with iso3 count an engagement for each), and the
# country filter on any partner (the macros without iso3 count it once).
PARTNERS = "list_prepend(iso3, coalesce(other_countries, []))"
PER_PARTNER = f"(SELECT * REPLACE (partner AS iso3) FROM (SELECT *, unnest({PARTNERS}) AS partner FROM engagements))"
ANY_PARTNER = FILTERS.replace("list_contains($countries, iso3)", f"list_has_any($countries, {PARTNERS})")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("rollup") / "atlas.duckdb"
    build.build(path, engagements=4000, agreements=40, seed=17, today=dt.date(2026, 11, 30))
    database = Database.open(path)
    yield database
    database.close()


def rows(db: Database, sql: str, params: dict) -> list[tuple]:
    """Plain Python values (None for NULL, exact integers), so that rows compare exactly."""
    return db.cursor().execute(sql, {k: params[k] for k in used_params(sql)}).fetchall()


@st.composite
def filters(draw):
    day = st.dates(min_value=FIRST, max_value=LAST)
    start = draw(day)
    shape = draw(st.sampled_from(["any", "same_month", "whole_months", "one_day"]))
    if shape == "same_month":
        end = min(
            dt.date(start.year + start.month // 12, start.month % 12 + 1, 1) - dt.timedelta(days=1),
            start + dt.timedelta(days=draw(st.integers(0, 30))),
        )
    elif shape == "whole_months":
        start = start.replace(day=1)
        end = draw(day)
        end = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1) - dt.timedelta(days=1)
    elif shape == "one_day":
        end = start
    else:
        end = draw(day)
    start, end = min(start, end), max(start, end)
    subset = lambda values, most: st.lists(st.sampled_from(values), max_size=most, unique=True)  # noqa: E731
    return {
        "start": start,
        "end": end,
        "areas": draw(subset(AREAS, 3)),
        "countries": draw(subset(COUNTRIES, 3)),
        "components": draw(st.one_of(st.just([]), subset(COMPONENTS, 2))),
        "types": draw(st.one_of(st.just([]), subset(TYPES, 2))),
        "max_rank": draw(st.integers(0, 2)),
        "partnerships": draw(st.one_of(st.just([]), subset(PARTNERSHIPS, 2))),
    }


CHECK = settings(
    derandomize=True,
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@CHECK
@given(params=filters())
def test_activity_in_matches_the_raw_table(db, params):
    keys = "month, iso3, mission_area, component, engagement_type, sensitivity_rank"
    from_rollup = rows(
        db,
        f"""
        SELECT {keys}, sum(engagements), sum(planned), sum(cancelled), sum(participants), sum(demo)
        FROM activity_in({ARGS}) GROUP BY ALL ORDER BY ALL""",
        params,
    )
    from_raw = rows(
        db,
        f"""
        SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, iso3, mission_area, component,
               engagement_type, sensitivity_rank, count(*), count(*) FILTER (WHERE status = 'planned'),
               count(*) FILTER (WHERE status = 'cancelled'), sum(participants) FILTER (WHERE status <> 'cancelled'),
               count(*) FILTER (WHERE is_demo)
        FROM {PER_PARTNER} {FILTERS} GROUP BY ALL ORDER BY ALL""",
        params,
    )
    assert from_rollup == from_raw


@CHECK
@given(params=filters())
def test_area_activity_in_matches_the_raw_table(db, params):
    from_rollup = rows(
        db,
        f"""
        SELECT month, iso3, mission_area, sensitivity_rank, sum(engagements), sum(planned), sum(cancelled),
               sum(participants), sum(demo)
        FROM area_activity_in({ARGS}) GROUP BY ALL ORDER BY ALL""",
        params,
    )
    from_raw = rows(
        db,
        f"""
        SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, iso3, mission_area, sensitivity_rank,
               count(*), count(*) FILTER (WHERE status = 'planned'), count(*) FILTER (WHERE status = 'cancelled'),
               sum(participants) FILTER (WHERE status <> 'cancelled'), count(*) FILTER (WHERE is_demo)
        FROM {PER_PARTNER} {FILTERS} GROUP BY ALL ORDER BY ALL""",
        params,
    )
    assert from_rollup == from_raw


@CHECK
@given(params=filters())
def test_area_trend_in_matches_the_raw_table(db, params):
    from_rollup = rows(
        db,
        f"""
        SELECT month, mission_area, sensitivity_rank, sum(engagements), sum(planned), sum(cancelled),
               sum(participants), sum(demo), sum(demo_active)
        FROM area_trend_in({ARGS}) GROUP BY ALL ORDER BY ALL""",
        params,
    )
    from_raw = rows(
        db,
        f"""
        SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, mission_area, sensitivity_rank,
               count(*), count(*) FILTER (WHERE status = 'planned'), count(*) FILTER (WHERE status = 'cancelled'),
               sum(participants) FILTER (WHERE status <> 'cancelled'), count(*) FILTER (WHERE is_demo),
               count(*) FILTER (WHERE is_demo AND status <> 'cancelled')
        FROM engagements {ANY_PARTNER} GROUP BY ALL ORDER BY ALL""",
        params,
    )
    assert from_rollup == from_raw


@CHECK
@given(params=filters())
def test_place_activity_in_matches_the_raw_table(db, params):
    from_rollup = rows(
        db,
        f"""
        SELECT iso3, lat, lon, mission_area, sum(engagements), max(latest), bool_or(approximate)
        FROM place_activity_in({ARGS}) GROUP BY ALL ORDER BY ALL""",
        params,
    )
    from_raw = rows(
        db,
        f"""
        SELECT e.iso3, round(coalesce(e.latitude, c.lat), 2) AS lat, round(coalesce(e.longitude, c.lon), 2) AS lon,
               e.mission_area, count(*), max(e.start_date), bool_or(e.latitude IS NULL)
        FROM (SELECT * FROM engagements {ANY_PARTNER}) e LEFT JOIN countries c USING (iso3)
        WHERE e.status <> 'cancelled' AND coalesce(e.latitude, c.lat) IS NOT NULL
        GROUP BY ALL ORDER BY ALL""",
        params,
    )
    assert from_rollup == from_raw


@settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=filters())
def test_the_export_count_is_the_size_of_the_export(db, params):
    assert int(db.query("engagement_count", params).engagements[0]) == len(db.query("engagements_export", params))


def test_the_generated_data_exercises_every_path(db):
    """Several months, both edges and whole months: the property tests above are not vacuous."""
    params = {
        "start": dt.date(2025, 3, 17),
        "end": dt.date(2026, 2, 11),
        "areas": [],
        "countries": [],
        "components": [],
        "types": [],
        "max_rank": 2,
        "partnerships": [],
    }
    months = rows(db, f"SELECT count(DISTINCT month), sum(engagements) FROM area_activity_in({ARGS})", params)[0]
    edges = rows(db, "SELECT count(*) FROM period_edges($start, $end)", params)[0][0]
    assert months[0] == 12 and months[1] > 300
    for kind in ("multilateral", "organization"):  # the demo's multilateral share reaches the partnership filter
        assert rows(db, f"SELECT sum(engagements) FROM area_activity_in({ARGS})", {**params, "partnerships": [kind]})[
            0
        ][0]
    assert 0 < edges < months[1]
    assert (
        rows(db, "SELECT count(*) FROM engagement_area_rollup", {})[0][0]
        < rows(db, "SELECT count(*) FROM engagement_rollup", {})[0][0]
    )
