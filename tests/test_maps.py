"""atlas.views.maps: layer ids, data rows and tooltips of each pydeck layer, no map provider, antimeridian arcs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from atlas.data import vocab
from atlas.data.countries import load_countries
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


def _spec(deck) -> dict:
    return json.loads(deck.to_json())


def test_the_deck_has_no_map_provider_and_names_no_outside_address():
    deck = maps.deck([maps.basemap_layer(ACTIVITY), maps.arcs_layer(BY_AREA)])
    spec = _spec(deck)
    assert deck.map_provider is None and "mapProvider" not in spec
    assert "http" not in deck.to_json()  # the basemap is the app's own static file
    assert spec["views"] == [{"@@type": "MapView", "controller": True, "repeat": True}]
    assert deck._tooltip == maps.TOOLTIP  # what st.pydeck_chart hands the frontend as the tooltip


def test_the_tooltip_template_shows_the_name_and_detail_fields_every_layer_fills():
    html = maps.TOOLTIP["html"]
    assert "<b>{name}</b>" in html and "{detail}" in html and "atlas-tip-{type}" in html
    assert maps.TOOLTIP["style"]["whiteSpace"] == "pre-line"  # detail lines are newline-separated


def test_the_basemap_is_the_static_geojson_shaded_by_activity():
    layer = maps.basemap_layer(ACTIVITY)
    assert (layer.type, layer.id, layer.data) == ("GeoJsonLayer", "countries", maps.BASEMAP_URL)
    assert maps.BASEMAP_URL == "app/static/geo/countries.geojson"
    index = {r["iso3"]: i for i, r in enumerate(load_countries())}
    expression = layer.get_fill_color
    # Canada (the busiest) gets the darkest blue, Malta a lighter one, Fiji (no activity) the neutral default.
    canada, malta = maps.shade(40, 40), maps.shade(10, 40)
    assert f"properties.i == {index['CAN']}) ? [{canada[0]},{canada[1]},{canada[2]},255]" in expression
    assert f"properties.i == {index['MLT']}) ? [{malta[0]},{malta[1]},{malta[2]},255]" in expression
    assert f"properties.i == {index['FJI']}" not in expression
    assert expression.startswith("@@=(") and expression.endswith(": [140,150,165,90]")
    assert layer.wrap_longitude is True and layer.pickable is True


def test_an_empty_basemap_is_all_neutral():
    assert maps.basemap_layer(None).get_fill_color == "@@=[140,150,165,90]"  # @@= marks a deck.gl expression


def test_colour_expression_groups_countries_sharing_a_colour():
    expression = maps.colour_expression({3: (1, 2, 3, 4), 9: (1, 2, 3, 4), 5: (9, 9, 9, 9)}, (0, 0, 0, 0))
    assert expression == (
        "(properties.i == 3 || properties.i == 9) ? [1,2,3,4] : (properties.i == 5) ? [9,9,9,9] : [0,0,0,0]"
    )


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


def test_activity_centroids_have_one_row_per_active_country_with_a_plain_text_tooltip():
    points = maps.activity_centroids(ACTIVITY)
    assert list(points["iso3"]) == ["CAN", "MLT"]  # Fiji has no activity
    assert list(points["name"]) == ["Canada", "Malta"]
    assert list(points["detail"]) == [
        "40 engagements\nprevious period: 30\nleading area: Visa Security\nclick to open the country profile",
        "10 engagements\nprevious period: 12\nleading area: Cargo Security\nclick to open the country profile",
    ]
    assert list(points["type"]) == ["country", "country"]
    assert list(points["radius"]) == [3 + 4.0, 6 + 4 * 0.5]  # a small state's dot is larger
    layer = maps.centroid_layer(points)
    assert (layer.type, layer.id, len(layer.data)) == ("ScatterplotLayer", "activity", 2)


def test_text_is_left_unescaped_for_the_frontend_to_escape_once():
    frame = ACTIVITY.assign(engagements=[0, 0, 3])
    assert list(maps.activity_centroids(frame)["name"]) == ['Fiji "<b>"']


def test_engagement_places_are_coloured_by_their_leading_area():
    points = pd.DataFrame(
        {
            "lon": [2.35, -0.12],
            "lat": [48.86, 51.5],
            "engagements": [4, 1],
            "top_area": ["cargo", "visa"],
            "place": ["Paris", "London"],
            "country": ["France", "United Kingdom"],
            "approximate": [False, True],
        }
    )
    layer = maps.engagement_points_layer(points)
    assert (layer.type, layer.id) == ("ScatterplotLayer", "engagements")
    rows = layer.data
    assert [r["colour"] for r in rows] == [
        maps.hex_to_rgb(vocab.MISSION_AREA_COLOURS["cargo"]) + [200],
        maps.hex_to_rgb(vocab.MISSION_AREA_COLOURS["visa"]) + [200],
    ]
    assert maps.hex_to_rgb("#0072B2") == [0, 114, 178]
    assert [r["name"] for r in rows] == ["Paris (France)", "London (United Kingdom)"]
    assert [r["detail"] for r in rows] == [
        "4 engagements\nmostly Cargo Security",
        "1 engagements\nmostly Visa Security\nlocation approximate (country centre)",
    ]
    hexagons = maps.engagement_points_layer(points, hexagons=True)
    assert (hexagons.type, hexagons.id, hexagons.pickable) == ("HexagonLayer", "hexagons", False)


@pytest.mark.parametrize(
    "origin, target, drawn",
    [(-77.0, 178.1, -181.9), (-77.0, -2.5, -2.5), (150.0, -170.0, 190.0), (-77.0, 103.0, 103.0)],
)
def test_arcs_go_the_short_way_round(origin, target, drawn):
    assert maps.short_way(origin, target) == pytest.approx(drawn)


def test_arcs_start_in_washington_skip_the_united_states_and_take_the_leading_area():
    layer = maps.arcs_layer(BY_AREA, top=2)
    assert (layer.type, layer.id) == ("ArcLayer", "arcs")
    rows = layer.data
    assert [r["iso3"] for r in rows] == ["GBR", "FJI"]  # the two busiest abroad: 20, then 3 + 5
    washington = [vocab.WASHINGTON_DC[1], vocab.WASHINGTON_DC[0]]
    assert [r["src"] for r in rows] == [washington, washington]
    assert rows[1]["dst"] == [pytest.approx(178.1 - 360), -17.7]  # across the Pacific, not the Atlantic
    assert [r["colour"] for r in rows] == [
        maps.hex_to_rgb(vocab.MISSION_AREA_COLOURS["border"]) + [190],
        maps.hex_to_rgb(vocab.MISSION_AREA_COLOURS["visa"]) + [190],
    ]
    assert [r["detail"] for r in rows] == [
        "20 engagements\nleading area: Border Security and Training",
        "8 engagements\nleading area: Visa Security",
    ]
    assert [r["type"] for r in rows] == ["arc", "arc"]


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
    site, mark = maps.program_layers(SITES, "csi")
    assert (site.id, mark.id, mark.type) == ("program_csi", "program_csi_uncertain", "TextLayer")
    assert [r["iso3"] for r in site.data] == ["NLD", "PER"]
    assert [r["name"] for r in site.data] == ["Rotterdam (Netherlands)", "Peru (Peru)"]
    assert [r["detail"] for r in site.data] == [
        "Container Security Initiative (CSI)\nstatus: operational\nsource: https://a.example\nas of: 2025-01-01",
        "Container Security Initiative (CSI)\nANNOUNCED, not yet operational\nstatus: announced 2025\n"
        "⚠ UNCERTAIN in the sources\nsource: https://c.example\nas of: 2025-02-01",
    ]
    # Operational: solid in the programme's colour; announced: hollow with an outline in it.
    assert [r["colour"] for r in site.data] == [[230, 159, 0, 230], [230, 159, 0, 0]]
    assert [r["line"] for r in site.data] == [[20, 20, 20, 255], [230, 159, 0, 255]]
    assert [(r["lon"], r["mark"]) for r in mark.data] == [(-77.1, "?")]


def test_a_programme_without_uncertain_sites_has_no_mark_layer():
    assert [layer.id for layer in maps.program_layers(SITES, "vwp")] == ["program_vwp"]


def test_the_arc_view_is_centred_between_washington_and_the_farthest_arc():
    assert maps.arc_view_longitude(BY_AREA, top=2) == pytest.approx((178.1 - 360 + -2.5) / 2)
