"""Every query file: documented parameters, runs with known values, exact rows on the fixture."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from apptest_support import TODAY
from atlas.data import db
from atlas.data.filters import default_filters


def _v(value):
    """NULL comes back from pandas as NaN; compare it as None."""
    return None if value is None or value != value else value


PARAMS = dict(
    default_filters(TODAY).params(),
    iso3="CAN",
    org="EU",
    limit=50,
    programs=["csi", "vwp", "preclearance"],
    search="",
    horizon=dt.date(2027, 11, 30),
    since=dt.date(2025, 12, 1),
    lookback_start=dt.date(2024, 12, 1),
    since_at=dt.datetime(2000, 1, 1),
)


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


# Parameters a query needs beyond PARAMS to have anything to answer on the fixture.
EXTRA = {
    "compare_agreements": {"countries": ["CAN", "MEX"]},
    "compare_countries": {"countries": ["CAN", "MEX"]},
    "compare_programs": {"countries": ["CAN", "MEX"]},
    "compare_demo": {"countries": ["CAN"], "organizations": ["EU", "ICAO"]},
    "compare_organizations": {"organizations": ["EU", "ICAO"]},
    "compare_org_agreements": {"organizations": ["EU", "ICAO"]},
    "compare_org_areas": {"organizations": ["EU", "ICAO"]},
    "compare_org_monthly": {"organizations": ["EU", "ICAO"]},
    "engagement_search": {"search": "a"},
}
# Queries that rightly answer nothing on the fixture with these parameters, and why.
EMPTY_ON_FIXTURE = {
    "import_history": "each fixture import also holds a restricted row, so an internal viewer is told of none",
    "imports_since": "each fixture import also holds a restricted row, so an internal viewer is told of none",
    "quiet_partners": "every partner with an agreement in force was engaged in the period",
    # The shared fixture names no organization (its counts predate them); tests/test_organizations.py imports
    # records that do and checks these queries' rows exactly.
    **{
        name: "the fixture names no international organization"
        for name in (
            "organizations_active",
            "organization_agreements",
            "organization_countries",
            "organization_engagements",
            "organization_monthly_activity",
            "organization_upcoming",
        )
    },
    # The fixture's records have one partner country each and name no organization (tests/test_country_multilateral.py
    # and tests/test_compare_partners.py have their own records for these).
    "compare_org_agreements": "no fixture agreement names an organization",
    "compare_org_areas": "no fixture engagement names an organization",
    "compare_org_monthly": "no fixture engagement names an organization",
    "country_multilateral_engagements": "every fixture engagement has one partner country and no organization",
}


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_answers_with_known_parameters(database, name):
    frame = database.query(name, PARAMS | EXTRA.get(name, {}))
    assert len(frame.columns) == len(set(frame.columns)) > 0, "named, distinct columns"
    if name in EMPTY_ON_FIXTURE:
        assert frame.empty, f"{name} found rows: update EMPTY_ON_FIXTURE ({EMPTY_ON_FIXTURE[name]})"
    else:
        assert len(frame) > 0, f"{name} answers nothing on the fixture"


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
    assert (kpi.engagements, kpi.countries, kpi.participants, kpi.prev_engagements, kpi.prev_countries) == (
        10,
        6,
        152,
        3,
        3,
    )
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
        "GBR": (1, 0, "counterterrorism"),
        "SGP": (1, 0, "cargo"),
        "JPN": (1, 0, "aviation"),
        "FRA": (0, 1, None),
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


# --- issue 15: every query reads through the sensitivity ceiling ------------------------------------

# Base tables a query may name directly: reference facts that hold no sensitive record (every viewer sees
# all of them). Every other table is read through a macro that takes the viewer's $max_rank.
REFERENCE_TABLES = {
    "countries",  # the ISO country list and map positions
    "mission_areas",  # codes, labels, colours
    "programs",  # public programme sites and memberships, each with its published source
    "metadata",  # when and how the file was built (build time, schema version, demo settings)
    "organizations",  # international organizations' names, seats and public members, each with its source
}
_KEYWORDS = {
    "where",
    "group",
    "order",
    "join",
    "left",
    "right",
    "full",
    "inner",
    "cross",
    "on",
    "using",
    "limit",
    "having",
    "union",
    "window",
    "qualify",
    "natural",
    "positional",
    "as",
    "select",
    "offset",
    "except",
    "intersect",
    "outer",
    "anti",
    "semi",
    "asof",
    "lateral",
}
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_]+|\S")


def _tokens(sql: str) -> list[str]:
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    body = re.sub(r"'(?:[^']|'')*'", "''", body)
    return _TOKEN.findall(body)


def _skip_parens(tokens: list[str], i: int) -> int:
    """Index after the parenthesised group starting at tokens[i] == '('."""
    depth = 0
    while i < len(tokens):
        depth += {"(": 1, ")": -1}.get(tokens[i], 0)
        i += 1
        if depth == 0:
            return i
    return i


def tables_read(sql: str) -> set[str]:
    """Names a statement reads FROM or JOINs as tables (not macro calls, subqueries or its own CTEs)."""
    tokens = _tokens(sql)
    ctes = {
        tokens[i - 1].lower()
        for i, t in enumerate(tokens)
        if t.lower() == "as"
        and i + 1 < len(tokens)
        and tokens[i + 1] == "("
        and i >= 2
        and tokens[i - 2].lower() in ("with", ",", "recursive")
    }
    found, i = set(), 0
    while i < len(tokens):
        word = tokens[i].lower()
        i += 1
        if word not in ("from", "join"):
            continue
        while i < len(tokens):  # one item, then more after a comma in a FROM list
            if tokens[i] == "(":
                i = _skip_parens(tokens, i)
            elif re.fullmatch(r"[A-Za-z_]\w*", tokens[i]):
                name = tokens[i].lower()
                i += 1
                if i < len(tokens) and tokens[i] == "(":
                    i = _skip_parens(tokens, i)  # a table macro: it applies the ceiling it is given
                elif name not in ctes:
                    found.add(name)
            if i < len(tokens) and tokens[i].lower() == "as":
                i += 1
            if i < len(tokens) and re.fullmatch(r"[A-Za-z_]\w*", tokens[i]) and tokens[i].lower() not in _KEYWORDS:
                i += 1  # the alias
                if i < len(tokens) and tokens[i] == "(":
                    i = _skip_parens(tokens, i)  # its column names
            if word == "from" and i < len(tokens) and tokens[i] == ",":
                i += 1
                continue
            break
    return found


def test_the_table_parser_sees_direct_reads():
    assert tables_read("SELECT * FROM engagements") == {"engagements"}
    assert tables_read(
        "WITH cur AS (SELECT 1 FROM import_log l) SELECT * FROM countries c, cur, "
        "metadata m JOIN agreements a USING (x) JOIN activity_in($a, $b) z ON true"
    ) == {"import_log", "countries", "metadata", "agreements"}
    assert tables_read(
        "SELECT (SELECT count(*) FROM engagement_rollup) FROM (VALUES (1)) t(x) "
        "-- FROM agreements\nWHERE 'FROM agreements' <> ''"
    ) == {"engagement_rollup"}


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_reads_records_through_the_ceiling(name):
    sql = db.query_text(name)
    direct = tables_read(sql) - REFERENCE_TABLES
    assert direct == set(), f"{name} reads {sorted(direct)} directly: read through a macro taking $max_rank"
    if "max_rank" not in db.used_params(sql):
        # a query given no ceiling may read reference tables only, through no macro
        macros = re.findall(r"\b(?:from|join)\s+([a-z_]\w*)\s*\(", " ".join(_tokens(sql)).lower())
        assert macros == [], f"{name} calls {macros} without $max_rank"


@pytest.mark.parametrize(
    ("others", "countries", "expected"),
    [
        (None, ["CAN"], False),  # one partner country: nothing more to look at
        ([], ["CAN"], False),
        (["MEX", "CAN"], ["CAN"], True),  # found past the first element
        (["MEX"], ["CAN", "GBR"], False),
        (["GBR"], [], False),  # the caller's len(p_countries) = 0 admits everything, not this
    ],
)
def test_lists_meet_is_list_has_any_without_rehashing(database, others, countries, expected):
    cur = database.cursor()
    sql = "SELECT lists_meet(CAST($others AS VARCHAR[]), CAST($countries AS VARCHAR[])), "
    sql += "coalesce(list_has_any(CAST($others AS VARCHAR[]), CAST($countries AS VARCHAR[])), false)"
    got, reference = cur.execute(sql, {"others": others, "countries": countries}).fetchone()
    assert got is expected and reference is expected
    assert cur.execute(
        "SELECT has_partner_in('USA', CAST($others AS VARCHAR[]), CAST($countries AS VARCHAR[]))",
        {"others": others, "countries": countries},
    ).fetchone()[0] is (expected or not countries)
