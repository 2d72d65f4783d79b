"""Every query file: documented parameters, runs with known values, exact rows on the fixture."""
from __future__ import annotations

import datetime as dt

import pytest

from apptest_support import TODAY, fixture_db  # noqa: F401
from atlas.data import db
from atlas.data.filters import default_filters

def _v(value):
    """NULL comes back from pandas as NaN; compare it as None."""
    return None if value is None or value != value else value


PARAMS = dict(default_filters(TODAY).params(), iso3="CAN", limit=50, programs=["csi", "vwp", "preclearance"],
              search="", horizon=dt.date(2027, 11, 30), since=dt.date(2025, 12, 1),
              lookback_start=dt.date(2024, 12, 1))


@pytest.fixture(scope="module")
def database(fixture_db):
    database = db.Database.open(fixture_db)
    yield database
    database.close()


@pytest.mark.parametrize("name", db.query_names())
def test_header_names_exactly_the_parameters_used(name):
    sql = db.query_text(name)
    assert sql.lstrip().startswith("--"), "each query starts with a comment saying what it answers"
    assert db.declared_params(sql) == db.used_params(sql), f"{name}: header params differ from those used"


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_runs_with_known_parameters(database, name):
    frame = database.query(name, PARAMS)
    assert frame is not None and len(frame.columns) > 0


@pytest.mark.parametrize("name", db.query_names())
def test_no_value_is_formatted_into_sql(name):
    sql = db.query_text(name)
    assert "{" not in sql.replace("{'", "") and "%s" not in sql, "queries take $named parameters only"


def test_unknown_query_names_are_refused(database):
    with pytest.raises(db.UnknownQuery):
        database.query("../atlas/schema")
    with pytest.raises(db.UnknownQuery):
        database.query("engagements; DROP TABLE engagements")


def test_missing_parameter_is_an_error(database):
    with pytest.raises(KeyError):
        database.query("kpi_engagements", {"start": TODAY})


def test_kpis_on_the_fixture(database):
    kpi = database.query("kpi_engagements", PARAMS).iloc[0]
    assert (kpi.engagements, kpi.countries, kpi.participants, kpi.prev_engagements, kpi.prev_countries) == \
        (10, 6, 152, 3, 3)
    agr = database.query("kpi_agreements", PARAMS).iloc[0]
    assert (agr.in_force, agr.prev_in_force, agr.negotiation, agr.expiring_12m, agr.agreements) == (4, 3, 1, 2, 7)


def test_country_activity_rows(database):
    frame = database.query("country_activity", PARAMS)
    got = {r.iso3: (r.engagements, r.prev_engagements, _v(r.top_area)) for r in frame.itertuples()}
    # Canada and Mexico have a one-each tie between areas: any of the tied areas may lead.
    can, mex = got.pop("CAN"), got.pop("MEX")
    assert can[:2] == (3, 1) and can[2] in {"visa", "aviation", "cargo"}
    assert mex[:2] == (2, 1) and mex[2] in {"border", "immigration"}
    assert got == {
        "DEU": (2, 0, "law_enforcement"),
        "GBR": (1, 0, "counterterrorism"), "SGP": (1, 0, "cargo"), "JPN": (1, 0, "aviation"), "FRA": (0, 1, None),
    }


def test_period_edges_are_exact_across_rollup_and_raw_rows(database):
    # The period starts and ends mid-month: whole months come from the rollup, the edges from raw rows.
    params = dict(PARAMS, start=dt.date(2026, 1, 16), end=dt.date(2026, 6, 1))
    kpi = database.query("kpi_engagements", params).iloc[0]
    # F-E02 (03-10), F-E04 (02-20), F-E05 (05-05), F-E07 (04-14), F-E03 (06-01); not F-E01 (01-15)
    assert kpi.engagements == 5


def test_status_changes_are_computed_from_history(database):
    frame = database.query("status_changes", PARAMS)
    got = [(str(r.changed_on)[:10], r.agreement_id, _v(r.previous_status), r.status) for r in frame.itertuples()]
    assert got == [
        ("2026-11-10", "F-A5", None, "signed"),
        ("2026-10-31", "F-A3", "in_force", "expired"),
        ("2026-02-01", "F-A6", "signed", "in_force"),
        ("2026-01-05", "F-A8", "signed", "in_force"),
        ("2025-12-20", "F-A6", None, "signed"),
        ("2025-12-15", "F-A8", None, "signed"),
    ]


def test_renewals_due_within_horizon(database):
    frame = database.query("renewals_due", PARAMS)
    assert list(frame.agreement_id) == ["F-A8", "F-A2"]
    assert list(frame.days_left) == [20, 212]


def test_search_is_bound_not_spliced(database):
    frame = database.query("agreements_list", dict(PARAMS, search="'; DROP TABLE agreements; --"))
    assert frame.empty
    frame = database.query("agreements_list", dict(PARAMS, search="JAPAN"))
    assert list(frame.agreement_id) == ["F-A8"]


def test_sensitivity_ceiling_applies_to_every_engagement_query(database):
    public = dict(PARAMS, max_rank=0)
    assert database.query("kpi_engagements", public).engagements[0] == 2
    assert set(database.query("engagements_export", public).engagement_id) == {"F-E01", "F-E09"}
    restricted = dict(PARAMS, max_rank=2)
    assert "F-E08" in set(database.query("engagements_export", restricted).engagement_id)
