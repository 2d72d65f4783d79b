"""atlas.views.figures: each builder on a small frame, down to the traces, values, colours and axis titles."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from atlas.data import vocab
from atlas.views import figures, lifecycle

TODAY = dt.date(2026, 6, 30)
COLOUR = vocab.MISSION_AREA_COLOURS


def _traces(fig) -> list[dict]:
    return [trace.to_plotly_json() for trace in fig.data]


def test_text_from_the_data_is_escaped_for_hover_labels():
    assert figures.esc("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"
    assert figures.esc(None) == "" and figures.esc(float("nan")) == ""
    assert figures.esc(12) == "12"


BY_AREA = pd.DataFrame(
    {
        "name": ["Canada", "Canada", "Mexico", "France", "<Fiji>"],
        "iso3": ["CAN", "CAN", "MEX", "FRA", "FJI"],
        "mission_area": ["visa", "cargo", "visa", "border", "visa"],
        "engagements": [5, 3, 6, 2, 1],
    }
)


def test_top_partners_stacks_each_mission_area_in_vocabulary_order_with_its_colour():
    fig = figures.top_partners(BY_AREA, n=3)
    traces = _traces(fig)
    # Only the three busiest (Canada 8, Mexico 6, France 2), least busy at the bottom of a horizontal chart.
    assert [t["name"] for t in traces] == ["Visa Security", "Cargo Security", "Border Security and Training"]
    assert [t["marker"]["color"] for t in traces] == [COLOUR["visa"], COLOUR["cargo"], COLOUR["border"]]
    assert all(t["orientation"] == "h" and t["type"] == "bar" for t in traces)
    assert [list(t["y"]) for t in traces] == [["France", "Mexico", "Canada"]] * 3
    assert [list(t["x"]) for t in traces] == [[0, 6, 5], [0, 0, 3], [2, 0, 0]]
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "Engagements"


def test_top_partners_escapes_country_names():
    traces = _traces(figures.top_partners(BY_AREA, n=5))
    assert list(traces[0]["y"])[0] == "&lt;Fiji&gt;"


def test_clickable_partners_gives_each_bar_its_iso3():
    fig = figures.clickable_partners(figures.top_partners(BY_AREA, n=3), BY_AREA)
    assert [list(t["customdata"]) for t in _traces(fig)] == [["FRA", "MEX", "CAN"]] * 3


MONTHLY = pd.DataFrame(
    {
        "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-01", "2026-02-01"]),
        "mission_area": ["cargo", "cargo", "visa", "visa"],
        "engagements": [4, 7, 1, 2],
    }
)


def test_area_mix_over_time_is_one_stacked_bar_trace_per_area():
    fig = figures.area_mix_over_time(MONTHLY)
    traces = _traces(fig)
    assert [t["name"] for t in traces] == ["Visa Security", "Cargo Security"]  # vocabulary order, not data order
    assert [t["marker"]["color"] for t in traces] == [COLOUR["visa"], COLOUR["cargo"]]
    assert [list(t["y"]) for t in traces] == [[1, 2], [4, 7]]
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "Engagements per month"
    assert fig.layout.yaxis.dtick is None  # 9 in the busiest month: plotly picks the steps


def test_a_handful_of_engagements_gets_whole_number_steps():
    fig = figures.area_mix_over_time(MONTHLY[MONTHLY["mission_area"] == "visa"])
    assert fig.layout.yaxis.dtick == 1


def test_area_trend_lines_draw_one_line_per_area_from_zero():
    fig = figures.area_trend_lines(MONTHLY)
    traces = _traces(fig)
    assert [(t["type"], t["mode"], t["name"]) for t in traces] == [
        ("scatter", "lines+markers", "Visa Security"),
        ("scatter", "lines+markers", "Cargo Security"),
    ]
    assert [t["line"]["color"] for t in traces] == [COLOUR["visa"], COLOUR["cargo"]]
    assert [list(t["y"]) for t in traces] == [[1, 2], [4, 7]]
    assert fig.layout.yaxis.rangemode == "tozero"
    assert fig.layout.yaxis.title.text == "Engagements per month"


def test_by_type_labels_types_in_words_busiest_on_top():
    types = pd.DataFrame(
        {
            "engagement_type": ["meeting", "training", "training"],
            "mission_area": ["visa", "visa", "border"],
            "engagements": [5, 1, 2],
        }
    )
    traces = _traces(figures.by_type(types))
    assert [t["name"] for t in traces] == ["Visa Security", "Border Security and Training"]
    assert [list(t["y"]) for t in traces] == [["Training", "Meeting"]] * 2
    assert [list(t["x"]) for t in traces] == [[1, 5], [2, 0]]


def test_region_comparison_always_shows_the_selected_country_highlighted():
    region = pd.DataFrame(
        {
            "name": ["A", "B", "C", "D"],
            "engagements": [9, 7, 5, 1],
            "selected": [False, False, False, True],
        }
    )
    fig = figures.region_comparison(region, n=3)
    (trace,) = _traces(fig)
    assert list(trace["y"]) == ["D", "B", "A"]  # the top two, then the selected one, drawn bottom up
    assert list(trace["x"]) == [1, 7, 9]
    assert list(trace["marker"]["color"]) == ["#0072B2", "#9fb7cc", "#9fb7cc"]
    assert fig.layout.xaxis.title.text == "Engagements in period"
    assert fig.layout.showlegend is False


def test_pipeline_has_every_status_in_lifecycle_order():
    frame = pd.DataFrame({"status": ["in_force", "signed"], "mission_area": ["cargo", "cargo"], "agreements": [3, 1]})
    fig = figures.pipeline(frame)
    (trace,) = _traces(fig)
    assert list(trace["x"]) == ["In negotiation", "Signed", "In force", "Expired", "Terminated"]
    assert list(trace["y"]) == [0, 1, 3, 0, 0]
    assert trace["marker"]["color"] == COLOUR["cargo"] and trace["orientation"] == "v"
    assert fig.layout.yaxis.title.text == "Agreements"


def _agreements(n: int, **columns) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "agreement_id": [f"A{i}" for i in range(n)],
            "title": [f"Agreement {i}" for i in range(n)],
            "partners": ["Canada"] * n,
            "status": ["in_force"] * n,
            "lifecycle_start": [pd.Timestamp("2020-01-01")] * n,
            "date_signed": [pd.Timestamp("2020-01-01")] * n,
            "date_in_force": [pd.Timestamp("2020-02-01")] * n,
            "date_expires": [pd.Timestamp("2027-01-01")] * n,
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_lifecycle_gantt_colours_bars_by_status_and_marks_signature_and_force():
    data = _agreements(
        2,
        status=["in_force", "negotiation"],
        lifecycle_start=[pd.Timestamp("2020-01-01"), pd.NaT],
        date_signed=[pd.Timestamp("2020-01-01"), pd.NaT],
        date_in_force=[pd.Timestamp("2020-02-01"), pd.NaT],
        date_expires=[pd.Timestamp("2027-01-01"), pd.NaT],
    )
    fig = lifecycle.lifecycle_gantt(data, today=TODAY)
    traces = _traces(fig)
    assert [t["name"] for t in traces] == ["In negotiation", "In force", "Signature date", "Entry into force"]
    assert [t["marker"]["color"] for t in traces[:2]] == [
        vocab.AGREEMENT_STATUS_COLOURS["negotiation"],
        vocab.AGREEMENT_STATUS_COLOURS["in_force"],
    ]
    negotiation, in_force = traces[0], traces[1]
    # The first agreement is drawn on top (row 1 of 2); an open-ended one runs from today to today + 1 year.
    assert (list(in_force["y"]), list(in_force["base"])) == ([1], ["2020-01-01"])
    assert list(in_force["x"]) == [(pd.Timestamp("2027-01-01") - pd.Timestamp("2020-01-01")).total_seconds() * 1000]
    assert (list(negotiation["y"]), list(negotiation["base"])) == ([0], ["2026-06-30"])
    assert list(negotiation["x"]) == [pd.Timedelta(days=365).total_seconds() * 1000]
    assert fig.layout.yaxis.ticktext == ("Agreement 1<br>Canada", "Agreement 0<br>Canada")
    assert fig.layout.shapes[0].x0 == "2026-06-30"  # the today line
    assert fig.layout.annotations[0].text == "today"


def test_lifecycle_gantt_draws_at_most_the_row_limit():
    many = _agreements(lifecycle.GANTT_MAX_ROWS + 5)
    fig = lifecycle.lifecycle_gantt(many, today=TODAY)
    (bars,) = [t for t in _traces(fig) if t["type"] == "bar"]
    assert len(bars["y"]) == lifecycle.GANTT_MAX_ROWS == 40
    assert len(fig.layout.yaxis.ticktext) == 40
    assert fig.layout.yaxis.ticktext[-1] == "Agreement 0<br>Canada"  # the first ones are kept, on top
    assert list(lifecycle.gantt_rows(many)["agreement_id"]) == [f"A{i}" for i in range(40)]


def test_lifecycle_gantt_shortens_long_labels_at_a_word():
    title = "Memorandum of Understanding on Border Management and Training Cooperation"
    fig = lifecycle.lifecycle_gantt(_agreements(1, title=[title]), today=TODAY)
    label = fig.layout.yaxis.ticktext[0].split("<br>")[0]
    assert label == "Memorandum of Understanding on Border…"  # "… Management…" would be 49 characters
    assert len(label) <= lifecycle.GANTT_LABEL_CHARS == 48


@pytest.mark.parametrize("builder", [figures.top_partners, figures.area_mix_over_time])
def test_a_title_is_escaped_and_left_aligned(builder):
    frame = BY_AREA if builder is figures.top_partners else MONTHLY
    fig = builder(frame, title="A & B")
    assert (fig.layout.title.text, fig.layout.title.x) == ("A &amp; B", 0)


def test_without_legend_hides_only_the_legend():
    fig = figures.without_legend(figures.area_mix_over_time(MONTHLY))
    assert fig.layout.showlegend is False
    assert len(fig.data) == 2


@pytest.mark.parametrize("draw", [figures.area_mix_over_time, figures.area_trend_lines, figures.area_small_multiples])
def test_a_period_of_one_month_is_ticked_by_month_not_by_seconds(draw):
    """With one or two months plotly chooses day, hour or sub-second ticks between the points; a monthly chart
    ticks each month by its name. A long series keeps plotly's own choice."""
    one = MONTHLY[MONTHLY["month"] == MONTHLY["month"].max()]
    layout = draw(one).to_plotly_json()["layout"]
    assert layout["xaxis"]["dtick"] == "M1" and layout["xaxis"]["tickformat"] == "%b %Y"
    long = pd.concat(
        [one.assign(month=pd.Timestamp("2024-01-01") + pd.DateOffset(months=k)) for k in range(24)], ignore_index=True
    )
    assert "dtick" not in draw(long).to_plotly_json()["layout"].get("xaxis", {})


def test_figures_are_checked_by_plotly_in_the_tests_and_built_unchecked_when_serving(monkeypatch):
    """Tests build every figure with plotly's property checks (conftest sets ATLAS_VALIDATE_FIGURES=1), so a
    misspelt property fails; a server skips them (half the cost of a figure) and draws the same figure."""
    import pytest

    from atlas.views.figures import _figure

    bad = [{"type": "bar", "x": [1], "y": [2], "colour": "red"}]
    with pytest.raises(ValueError, match="colour"):
        _figure(bad)
    good = [{"type": "bar", "x": ["a", "b"], "y": [1, 2], "marker": {"color": "#0072B2"}}]
    checked = _figure(good, {"yaxis": {"range": [0, 3]}}).to_plotly_json()
    monkeypatch.setenv("ATLAS_VALIDATE_FIGURES", "")
    _figure(bad)  # not checked: plotly.js ignores what it does not know
    unchecked = _figure(good, {"yaxis": {"range": [0, 3]}}).to_plotly_json()
    assert unchecked["data"] == checked["data"]
    assert unchecked["layout"]["yaxis"] == checked["layout"]["yaxis"]
    assert unchecked["layout"]["height"] == checked["layout"]["height"]
