"""atlas.views.maps: the Activity map's traces (plotly geo), their tooltips and clicks, arcs kept in frame."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.data import vocab
from atlas.views import maps

ACTIVITY = pd.DataFrame(
    {
        "iso3": ["CAN", "MLT", "FJI"],
        "name": ["Canada", "Malta", 'Fiji "<b>"'],
        "lat": [56.0, 35.9, -17.7],
        "lon": [-106.0, 14.4, 178.1],
        "small": [False, True, False],
        "engagements": [40, 10, 0],
        "prev_engagements": [30, 12, 0],
        "top_area": ["visa", "cargo", None],
    }
)
BY_AREA = pd.DataFrame(
    {
        "iso3": ["FJI", "FJI", "GBR", "USA", "JPN"],
        "name": ["Fiji", "Fiji", "United Kingdom", "United States", "Japan"],
        "lat": [-17.7, -17.7, 53.9, 39.8, 36.6],
        "lon": [178.1, 178.1, -2.5, -98.6, 139.0],
        "mission_area": ["cargo", "visa", "border", "visa", "aviation"],
        "engagements": [3, 5, 20, 99, 1],
    }
)


def _traces(**kwargs) -> dict[str, dict]:
    return {t.name: t.to_plotly_json() for t in maps.activity_map(ACTIVITY, **kwargs).data}


def test_countries_are_shaded_by_class_and_carry_their_iso3_for_the_click():
    shapes = _traces()["Countries"]
    assert shapes["type"] == "choropleth" and list(shapes["locations"]) == ["CAN", "MLT"]  # Fiji has none
    assert list(shapes["customdata"]) == ["CAN", "MLT"] and shapes["hoverinfo"] == "text"
    assert shapes["hovertext"][0].startswith("<b>Canada</b><br>40 engagements<br>previous period: 30")
    assert shapes["hovertext"][0].endswith(maps.CLICK_HINT)


def test_small_states_get_a_dot_that_answers_hover_and_click_large_ones_a_silent_one():
    traces = _traces()
    assert list(traces["Small states"]["customdata"]) == ["MLT"] and traces["Small states"]["hoverinfo"] == "text"
    assert list(traces["Active countries"]["customdata"]) == ["CAN"]
    assert traces["Active countries"]["hoverinfo"] == "skip"  # the shape under it answers
    assert min(traces["Small states"]["marker"]["size"]) > max(_site_sizes())


def _site_sizes() -> list[float]:
    return [maps.program_traces(SITES, "csi")[0]["marker"]["size"]]


def test_user_text_is_escaped_once_and_quotes_are_left_as_they_are():
    hover = maps.activity_centroids(ACTIVITY.assign(engagements=[40, 10, 1]))["hover"].iloc[2]
    assert hover.startswith('<b>Fiji "&lt;b&gt;"</b>')  # plotly shows &lt; as <, but would show &quot; as typed


def test_layers_draw_in_order_arcs_under_the_dots_and_sites_on_top():
    names = list(_traces(by_area=BY_AREA, sites=SITES, programmes=["csi"]))
    arcs = [i for i, n in enumerate(names) if n.startswith("arc ")]
    assert names[0] == "Countries" and arcs and max(arcs) < names.index("Small states") < names.index("program_csi")


def test_engagement_places_are_coloured_by_their_leading_area_and_open_their_country():
    points = pd.DataFrame(
        {
            "place": ["Ottawa", "Valletta"],
            "country": ["Canada", "Malta"],
            "lat": [45.4, 35.9],
            "lon": [-75.7, 14.5],
            "engagements": [9, 1],
            "top_area": ["cargo", "visa"],
            "approximate": [False, True],
        }
    )
    trace = maps.places_trace(points)
    assert trace["marker"]["color"] == [vocab.MISSION_AREA_COLOURS["cargo"], vocab.MISSION_AREA_COLOURS["visa"]]
    assert trace["customdata"] == ["CAN", "MLT"]
    assert trace["hovertext"][1] == (
        "<b>Valletta (Malta)</b><br>1 engagements<br>mostly Visa Security<br>location approximate (country centre)"
    )
    bins = maps.hexagon_bins(points.assign(lon=[-75.7, -75.3], lat=[45.0, 45.2]))
    assert list(bins["engagements"]) == [10], "two nearby places fall into one hexagon"
    assert maps.hexagon_trace(points)["hoverinfo"] == "skip"


@pytest.mark.parametrize(
    "top, classes",
    [
        (1, [(1, 1)]),
        (39, [(1, 1), (2, 4), (5, 9), (10, 19), (20, 39)]),
        (100, [(1, 1), (2, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, 100)]),
    ],
)
def test_count_classes_are_round_and_cover_one_to_top(top, classes):
    assert maps.count_classes(top) == classes


def test_shade_is_neutral_for_no_activity_and_darkest_for_the_top():
    assert maps.shade(0, 40) == maps.NO_ACTIVITY
    assert maps.shade(40, 40) == (*maps.hex_to_rgb(maps.BLUES[-1]), 255)
    assert maps.shade(1, 40) == (*maps.hex_to_rgb(maps.BLUES[0]), 255)


@pytest.mark.parametrize("lon, drawn", [(139.0, 139.0), (178.1, 178.1), (-160.0, -160.0), (-172.0, 188.0)])
def test_every_longitude_is_drawn_inside_the_frame(lon, drawn):
    assert maps.in_frame(lon) == pytest.approx(drawn)
    assert maps.CENTRE_LON - 180 <= maps.in_frame(lon) < maps.CENTRE_LON + 180


def test_arcs_start_in_washington_skip_the_united_states_and_take_the_leading_area():
    rows = maps.arc_rows(BY_AREA)
    assert list(rows["iso3"]) == ["GBR", "FJI", "JPN"]
    assert list(rows["mission_area"]) == ["border", "visa", "aviation"]
    traces = maps.arc_traces(BY_AREA, top=2)
    assert [t["line"]["color"] for t in traces] == [
        vocab.MISSION_AREA_COLOURS["border"],
        vocab.MISSION_AREA_COLOURS["visa"],
    ]
    assert all(t["hoverinfo"] == "skip" for t in traces)  # the country at the end has the numbers


def test_every_arc_stays_in_the_frame_from_washington_to_its_partner():
    """The map shows CENTRE_LON +-180: no arc may cross the seam, so each one lands on its partner's land."""
    for trace in maps.arc_traces(BY_AREA):
        lons, lats = trace["lon"], trace["lat"]
        assert lons[0] == pytest.approx(vocab.WASHINGTON_DC[1]) and lats[0] == pytest.approx(vocab.WASHINGTON_DC[0])
        assert all(maps.CENTRE_LON - 180 < x < maps.CENTRE_LON + 180 for x in lons), trace["name"]
        assert all(abs(b - a) < 15 for a, b in zip(lons, lons[1:])), "points close enough to follow the curve"
    japan = next(t for t in maps.arc_traces(BY_AREA) if t["name"] == "arc JPN")
    assert japan["lon"][-1] == pytest.approx(139.0) and japan["lat"][-1] == pytest.approx(36.6)


def test_the_figure_is_a_world_with_no_tiles():
    layout = maps.activity_map(ACTIVITY).to_plotly_json()["layout"]
    assert layout["geo"]["projection"] == {"type": "natural earth", "rotation": {"lon": maps.CENTRE_LON}}
    assert "mapbox" not in layout and "map" not in layout


SITES = pd.DataFrame(
    {
        "program_code": ["csi", "csi", "vwp"],
        "program": ["Container Security Initiative (CSI)"] * 2 + ["Visa Waiver Program (VWP)"],
        "place": ["Rotterdam", None, None],
        "country": ["Netherlands", "Peru", "Malta"],
        "iso3": ["NLD", "PER", "MLT"],
        "lon": [4.4, -77.1, 14.4],
        "lat": [51.9, -12.0, 35.9],
        "status": ["operational", "announced 2025", "member"],
        "is_current": [True, True, True],
        "uncertain": [False, True, False],
        "source_url": ["https://a.example ; https://b.example", "https://c.example", "https://d.example"],
        "source_as_of": ["2025-01-01", "2025-02-01", "2025-03-01"],
    }
)


def test_programme_sites_carry_their_source_and_flag_what_is_uncertain():
    (site,) = maps.program_traces(SITES, "csi")
    assert site["name"] == "program_csi" and site["customdata"] == ["NLD", "PER"]
    assert site["hovertext"][0] == (
        "<b>Rotterdam (Netherlands)</b><br>Container Security Initiative (CSI)<br>status: operational"
        "<br>source: https://a.example<br>as of: 2025-01-01"
    )
    assert "ANNOUNCED, not yet operational" in site["hovertext"][1] and "UNCERTAIN" in site["hovertext"][1]
    assert site["text"] == ["", "?"] and site["marker"]["symbol"] == ["circle", "circle-open"]


def test_a_programme_without_uncertain_sites_marks_none():
    assert maps.program_traces(SITES, "vwp")[0]["text"] == [""]
