"""Engagements with several partners (countries and international organizations), the level column, exact
counting (a total once, a per-country figure for each partner), and upgrading a file of the previous schema."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from atlas.data import build, db, ingest, schema
from atlas.data.filters import Filters
from support import TODAY, agreement, dump_tables, engagement, query, write_csv

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = ROOT / "tests" / "fixtures" / "previous"  # schema.sql and macros.sql of the version before partners


def _import(tmp_path, db_path, table, rows, name="f.csv"):
    return ingest.import_file(write_csv(tmp_path / name, rows), table, db_path, today=TODAY)


def test_a_multi_country_row_with_organizations_and_a_level(tmp_path, empty_db):
    rows = [
        engagement("E1", country="Mexico; CAN", organizations="", level="Principal"),
        engagement("E2", country="", organizations="interpol;European Union", level=""),
        engagement("E3"),
    ]
    assert _import(tmp_path, empty_db, "engagements", rows).outcome == "success"
    assert query(
        empty_db, "SELECT engagement_id, iso3, other_countries, organizations, level FROM engagements ORDER BY 1"
    ) == [
        ("E1", "MEX", ["CAN"], None, "principal"),
        ("E2", None, None, ["EU", "INTERPOL"], None),
        ("E3", "FRA", None, None, None),
    ]


def test_an_old_file_imports_as_before(tmp_path, empty_db):
    """No organizations or level column: each row one country, the new fields empty."""
    assert _import(tmp_path, empty_db, "engagements", [engagement("E1"), engagement("E2", country="MEX")]).outcome == (
        "success"
    )
    assert query(empty_db, "SELECT iso3, other_countries, organizations, level FROM engagements ORDER BY 1") == [
        ("FRA", None, None, None),
        ("MEX", None, None, None),
    ]


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"level": "boss"}, "level", "unknown level 'boss' (use one of: principal, senior, working)"),
        ({"organizations": "ICAO;Narnia League"}, "organizations", "unknown organization 'Narnia League' (use"),
        ({"country": "", "organizations": ""}, "country", "missing required value"),
        ({"country": "CAN;Atlantis"}, "country", "unknown country 'Atlantis'"),
    ],
)
def test_bad_partners_and_levels_name_row_column_reason(tmp_path, empty_db, values, column, reason):
    result = _import(tmp_path, empty_db, "engagements", [engagement("E1"), engagement("E2", **values)])
    assert result.outcome == "rejected"
    assert [(p.line, p.column) for p in result.problems] == [(3, column)]
    assert result.problems[0].reason.startswith(reason)


def test_agreements_name_organizations(tmp_path, empty_db):
    rows = [agreement("A1", countries="", organizations="EU", title="EU-US PNR agreement"), agreement("A2")]
    assert _import(tmp_path, empty_db, "agreements", rows).outcome == "success"
    assert query(
        empty_db, "SELECT agreement_id, partners, organizations, n_partners FROM agreement_facts ORDER BY 1"
    ) == [
        ("A1", "European Union", ["EU"], None),
        ("A2", "France", None, 1),
    ]


# --- counting ------------------------------------------------------------------------------------------


@pytest.fixture
def counted(tmp_path, empty_db):
    """One trilateral engagement (CAN, MEX, GBR), one with FRA, one with ICAO only, in March and May 2024
    (whole and partial months, so the rollups and the raw edges are both read)."""
    rows = [
        engagement("T1", country="CAN;MEX;GBR", organizations="G7", start_date="2024-03-05", participants="10"),
        engagement("B1", country="FRA", start_date="2024-05-10", end_date="", participants="4"),
        engagement(
            "O1", country="", organizations="ICAO", start_date="2024-05-12", end_date="", latitude="", longitude=""
        ),
    ]
    assert _import(tmp_path, empty_db, "engagements", rows).outcome == "success"
    database = db.Database.open(empty_db)
    yield database
    database.close()


def _params(countries=(), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), partnerships=()) -> dict:
    return Filters(
        start=start, end=end, preset="custom", countries=tuple(countries), partnerships=tuple(partnerships), today=TODAY
    ).params()


@pytest.mark.parametrize(
    "period", [(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2024, 3, 3), dt.date(2024, 5, 20))]
)
def test_a_total_counts_an_engagement_once_and_each_country_counts_it(counted, period):
    every = _params(start=period[0], end=period[1])
    kpi = counted.query("kpi_engagements", every).iloc[0]
    assert (kpi.engagements, kpi.countries, kpi.participants) == (3, 4, 26)
    per_country = counted.query("country_activity", every).set_index("iso3").engagements.to_dict()
    assert per_country == {"CAN": 1, "MEX": 1, "GBR": 1, "FRA": 1}
    assert counted.query("area_summary", every).engagements.sum() == 3
    assert counted.query("monthly_activity", every).engagements.sum() == 3
    assert counted.query("engagement_types", every).engagements.sum() == 3
    assert counted.query("engagement_count", every).engagements[0] == 3
    assert len(counted.query("engagements_export", every)) == 3
    # A region (the countries of the Americas asked for) counts the trilateral once, not twice.
    americas = _params(["CAN", "MEX", "USA"], *period)
    assert counted.query("kpi_engagements", americas).engagements[0] == 1
    assert counted.query("kpi_engagements", americas).countries[0] == 2
    assert counted.query("monthly_activity", americas).engagements.sum() == 1
    assert counted.query("engagement_count", americas).engagements[0] == 1
    assert len(counted.query("engagements_export", americas)) == 1
    europe = _params(["GBR", "FRA"], *period)
    assert counted.query("kpi_engagements", europe).engagements[0] == 2
    assert counted.query("area_summary", europe).engagements.sum() == 2


def test_listings_name_every_partner(counted):
    rows = counted.query("engagements_export", _params()).set_index("engagement_id")
    assert rows.loc["T1", "country"] == "Canada; United Kingdom; Mexico"  # the first listed, then by code
    assert rows.loc["T1", "organizations"] == "G7"
    assert rows.loc["O1", "organizations"] == "ICAO"
    assert rows.loc["B1", "country"] == "France"


def test_organization_activity(counted):
    sql = (
        "SELECT org_code, sum(engagements)::INT FROM organization_activity_in(DATE '2024-01-01', DATE '2024-12-31', "
        "[], $countries, [], [], 1, []) GROUP BY 1 ORDER BY 1"
    )
    con = counted.cursor()
    assert con.execute(sql, {"countries": []}).fetchall() == [("G7", 1), ("ICAO", 1)]
    assert con.execute(sql, {"countries": ["MEX"]}).fetchall() == [("G7", 1)]


@pytest.mark.parametrize(
    "period", [(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2024, 3, 3), dt.date(2024, 5, 20))]
)
@pytest.mark.parametrize(
    ("kinds", "total", "per_country", "organizations"),
    [
        (["bilateral"], 1, {"FRA": 1}, {}),
        (["multilateral"], 1, {"CAN": 1, "MEX": 1, "GBR": 1}, {"G7": 1}),
        (["organization"], 2, {"CAN": 1, "MEX": 1, "GBR": 1}, {"G7": 1, "ICAO": 1}),
        (["bilateral", "organization"], 3, {"CAN": 1, "MEX": 1, "GBR": 1, "FRA": 1}, {"G7": 1, "ICAO": 1}),
        ([], 3, {"CAN": 1, "MEX": 1, "GBR": 1, "FRA": 1}, {"G7": 1, "ICAO": 1}),
    ],
)
def test_the_partnership_filter_is_exact(counted, period, kinds, total, per_country, organizations):
    """Bilateral: one partner country, no organization (B1). Multilateral: several partners (T1: three countries
    and the G7). With an organization: T1 and O1 (ICAO only, which is neither bilateral nor multilateral)."""
    params = _params(start=period[0], end=period[1], partnerships=kinds)
    kpi = counted.query("kpi_engagements", params).iloc[0]
    assert (kpi.engagements, kpi.countries) == (total, len(per_country))
    assert counted.query("country_activity", params).set_index("iso3").engagements.to_dict() == per_country
    assert counted.query("monthly_activity", params).engagements.sum() == total
    assert counted.query("engagement_types", params).engagements.sum() == total
    assert counted.query("engagement_count", params).engagements[0] == total
    assert len(counted.query("engagements_export", params)) == total
    sql = (
        "SELECT org_code, sum(engagements)::INT FROM organization_activity_in($start, $end, [], [], [], [], 2, "
        "$partnerships) GROUP BY 1 ORDER BY 1"
    )
    got = counted.cursor().execute(sql, {"start": period[0], "end": period[1], "partnerships": kinds}).fetchall()
    assert dict(got) == organizations


def test_the_partnership_filter_applies_to_agreements(tmp_path, empty_db):
    rows = [
        agreement("A1", countries="", organizations="EU"),
        agreement("A2", countries="FRA"),
        agreement("A3", countries="FRA;CAN"),
        agreement("A4", countries="CAN", organizations="EU"),
    ]
    assert _import(tmp_path, empty_db, "agreements", rows).outcome == "success"
    database = db.Database.open(empty_db)
    try:

        def listed(kinds):
            frame = database.query("agreements_list", {**_params(partnerships=kinds), "search": ""})
            return sorted(frame.agreement_id)

        assert listed([]) == ["A1", "A2", "A3", "A4"]
        assert listed(["bilateral"]) == ["A2"]
        assert listed(["multilateral"]) == ["A3", "A4"]
        assert listed(["organization"]) == ["A1", "A4"]
        assert listed(["bilateral", "multilateral"]) == ["A2", "A3", "A4"]
    finally:
        database.close()


def test_newly_engaged_countries_credit_every_partner(counted):
    """A per-country list: the trilateral makes each of its three countries newly engaged, once each."""

    def newly(countries=()):
        params = _params(countries) | {"since": dt.date(2024, 3, 1), "today": TODAY}
        params["lookback_start"] = dt.date(2023, 3, 1)
        frame = counted.query("newly_engaged_countries", params)
        return dict(zip(frame.iso3, frame.engagements))

    assert newly() == {"CAN": 1, "MEX": 1, "GBR": 1, "FRA": 1}
    assert newly(["GBR"]) == {"GBR": 1}
    assert newly(["MEX", "FRA"]) == {"MEX": 1, "FRA": 1}


@pytest.fixture
def planned(tmp_path, empty_db):
    """Planned engagements in the two weeks after TODAY (a Monday): a bilateral, a trilateral, one with CAN and MEX
    and one with an organization only."""
    rows = [
        engagement("P1", country="CAN;MEX", start_date="2025-07-02", end_date="", status="planned"),
        engagement("P3", country="", organizations="WCO", start_date="2025-07-03", end_date="", status="planned"),
        engagement("P2", country="FRA", start_date="2025-07-09", end_date="", status="planned"),
        engagement("P4", country="GBR;CAN;AUS", start_date="2025-07-08", end_date="", status="planned"),
    ]
    assert _import(tmp_path, empty_db, "engagements", rows).outcome == "success"
    database = db.Database.open(empty_db)
    yield database
    database.close()


def test_the_agenda_counts_each_partner_country_and_totals_once(planned):
    from atlas.views import agenda

    def weeks(countries=()):
        params = _params(countries) | {"today": TODAY, "horizon": TODAY + dt.timedelta(days=30)}
        weekly = planned.query("upcoming_by_week", params)
        per_country = weekly.groupby("iso3").engagements.sum().to_dict()
        totals = agenda.week_totals(weekly)
        return per_country, [(str(r.week_start), r.engagements, r.countries) for r in totals.itertuples()]

    assert weeks() == (
        {"AUS": 1, "CAN": 2, "FRA": 1, "GBR": 1, "MEX": 1},
        [("2025-06-30", 2, 2), ("2025-07-07", 2, 4)],
    )
    assert weeks(["CAN", "MEX"]) == ({"CAN": 2, "MEX": 1}, [("2025-06-30", 1, 2), ("2025-07-07", 1, 1)])
    assert weeks(["AUS", "GBR"]) == ({"AUS": 1, "GBR": 1}, [("2025-07-07", 1, 2)])


# --- upgrade of a file built with the previous schema ----------------------------------------------------------


def test_upgrade_of_a_previous_schema_keeps_every_record(tmp_path, empty_db):
    """A file made with the previous schema.sql and macros.sql, holding records as that version stored them."""
    source = tmp_path / "source"
    source.mkdir()
    src = source / "atlas.duckdb"
    src.write_bytes(empty_db.read_bytes())
    rows = [
        engagement(f"E{i}", country=c, start_date=f"2024-0{1 + i}-1{i}", end_date="")
        for i, c in enumerate(["FRA", "MEX", "CAN", "GBR"])
    ]
    result = _import(tmp_path, src, "engagements", rows)
    assert result.outcome == "success", result.problems
    assert _import(
        tmp_path, src, "agreements", [agreement("A1", countries="FRA;CAN"), agreement("A2")], "a.csv"
    ).outcome == ("success")
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    try:
        con.execute((PREVIOUS / "schema.sql").read_text(encoding="utf-8"))
        con.execute((PREVIOUS / "macros.sql").read_text(encoding="utf-8"))
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(src)])
        for table in (
            "countries",
            "country_aliases",
            "mission_areas",
            "agreement_parties",
            "agreement_status_history",
            "import_log",
            "metadata",
            "programs",
        ):
            con.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
        for table in ("engagements", "agreements"):
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'old' AND table_name = ? "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            con.execute(f"INSERT INTO {table} SELECT {', '.join(columns)} FROM src.{table}")
        next_id = con.execute("SELECT max(import_id) + 1 FROM import_log").fetchone()[0]
        con.execute(f"DROP SEQUENCE import_id_seq; CREATE SEQUENCE import_id_seq START {int(next_id)}")
        con.execute("UPDATE metadata SET value = 'previous' WHERE key = ?", [schema.KEY])
        con.execute("DETACH src")
    finally:
        con.close()
    before = dump_tables(old)
    assert build.upgrade(old) is True
    # The previous schema predates the record times too: first_imported_at is added, empty (never made up).
    after = dump_tables(old, drop=("other_countries", "organizations", "level", "first_imported_at"))
    assert after == before, "every record kept, unchanged"
    assert query(
        old, "SELECT count(*), count(other_countries), count(level), count(first_imported_at) FROM engagements"
    ) == [(4, 0, 0, 0)]
    assert query(old, "SELECT count(*) FROM engagement_status_history") == [(0,)]
    assert query(old, "SELECT count(*) FROM organizations")[0][0] > 10
    database = db.Database.open(old)
    try:
        assert database.query("kpi_engagements", _params()).engagements[0] == 4
        assert database.query("agreements_list", {**_params(), "search": ""}).shape[0] == 2
    finally:
        database.close()
    # New records with several partners import into the upgraded file.
    assert _import(tmp_path, old, "engagements", [engagement("M1", country="CAN;MEX")], "m.csv").outcome == "success"


def test_the_partnership_filter_lives_in_the_url():
    from atlas.data import filters as flt

    base = flt.default_filters(TODAY)
    f, notices = flt.from_query({"partnership": "multilateral,organization,nonsense"}, base)
    assert f.partnerships == ("multilateral", "organization")
    assert notices == ["Ignored unknown partnership value(s) in the link: nonsense"]
    assert flt.to_query(f) == {"partnership": "multilateral,organization"}
    assert f.params()["partnerships"] == ["multilateral", "organization"]
    assert f.describe().endswith("Multilateral (several partners), With an international organization")
    assert flt.from_query(flt.to_query(f), base)[0] == f
