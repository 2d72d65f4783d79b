"""The filter value, its query parameters and its URL form."""

from __future__ import annotations

import datetime as dt

import pytest

from atlas.data import filters as flt

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    "day, start",
    [
        (dt.date(2026, 11, 30), dt.date(2026, 10, 1)),
        (dt.date(2026, 9, 30), dt.date(2025, 10, 1)),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 1)),
        (dt.date(2027, 1, 1), dt.date(2026, 10, 1)),
    ],
)
def test_fiscal_year_starts_on_1_october(day, start):
    assert flt.fiscal_year_start(day) == start


@pytest.mark.parametrize(
    "preset, expected",
    [
        ("12m", (dt.date(2025, 12, 1), TODAY)),
        ("fytd", (dt.date(2026, 10, 1), TODAY)),
        ("all", (dt.date(2019, 1, 1), TODAY)),
    ],
)
def test_presets(preset, expected):
    assert flt.preset_range(preset, TODAY, (dt.date(2019, 1, 1), dt.date(2026, 6, 30))) == expected


def test_leap_day_last_12_months():
    assert flt.preset_range("12m", dt.date(2028, 2, 29)) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))


def test_previous_period_has_equal_length():
    f = flt.default_filters(TODAY)
    assert f.previous == (dt.date(2024, 12, 1), dt.date(2025, 11, 30))
    custom = flt.Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 10), today=TODAY)
    assert custom.previous == (dt.date(2026, 2, 19), dt.date(2026, 2, 28))


def test_countries_win_over_regions():
    f = flt.Filters(start=TODAY, end=TODAY, regions=("Europe",), countries=("CAN",), today=TODAY)
    assert f.country_scope() == ("CAN",)
    europe = flt.Filters(start=TODAY, end=TODAY, regions=("Europe",), today=TODAY).country_scope()
    assert "GBR" in europe and "DEU" in europe and "CAN" not in europe


def test_url_round_trip():
    f = flt.Filters(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        preset="custom",
        mission_areas=("visa", "cargo"),
        countries=("CAN", "MEX"),
        components=("CBP",),
        engagement_types=("training",),
        agreement_statuses=("in_force",),
        today=TODAY,
    )
    query = flt.to_query(f)
    assert query == {
        "from": "2026-01-01",
        "to": "2026-06-30",
        "area": "visa,cargo",
        "country": "CAN,MEX",
        "component": "CBP",
        "type": "training",
        "status": "in_force",
    }
    back, notices = flt.from_query(query, flt.default_filters(TODAY))
    assert back == f and notices == []


def test_defaults_make_an_empty_query():
    assert flt.to_query(flt.default_filters(TODAY)) == {}


@pytest.mark.parametrize(
    "query, notice",
    [
        ({"area": "nope"}, "Ignored unknown area"),
        ({"country": "Atlantis"}, "Ignored unknown country"),
        ({"from": "2026-02-30"}, "malformed date"),
        ({"from": "1066-10-14"}, "out-of-range date"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "start is after its end"),
        ({"period": "eternity"}, "unknown period"),
        ({"region": "Atlantis"}, "Ignored unknown region"),
    ],
)
def test_bad_values_become_notices(query, notice):
    f, notices = flt.from_query(query, flt.default_filters(TODAY))
    assert f.start == dt.date(2025, 12, 1) and f.end == TODAY
    assert any(notice in n for n in notices), notices


def test_long_hostile_values_are_shortened_in_notices():
    _, notices = flt.from_query({"area": "<script>" + "x" * 500}, flt.default_filters(TODAY))
    assert len(notices[0]) < 120


def test_describe_names_what_is_filtered():
    f = flt.Filters(
        start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), mission_areas=("visa",), countries=("GBR",), today=TODAY
    )
    assert f.describe() == "01 Jan 2026 – 30 Jun 2026 · Visa Security · United Kingdom"


def test_a_brief_description_shortens_long_choices_to_two_and_a_count():
    f = flt.Filters(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        mission_areas=("visa", "cargo"),
        countries=("CAN", "MEX", "GBR", "FRA"),
        components=("CBP", "ICE", "TSA"),
        today=TODAY,
    )
    assert f.describe(brief=True) == (
        "01 Jan 2026 – 30 Jun 2026 · Visa Security, Cargo Security · Canada, Mexico +2 more · CBP, ICE +1 more"
    )
    assert f.describe() == (
        "01 Jan 2026 – 30 Jun 2026 · Visa Security, Cargo Security · Canada, Mexico, United Kingdom, France · "
        "CBP, ICE, TSA"
    )
