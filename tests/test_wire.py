"""What a rerun sends (atlas.app.wire): smaller, and drawing the same thing.

The unit tests pin each compaction; the page tests check what the Mission Areas page really sends, the page the
benchmark found over its 300 KB budget (its month dates as '2019-01-01T00:00:00.000000', Streamlit's theme
defaults for ten trace types in every chart, a table's labels once per row)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
from streamlit import dataframe_util

from apptest_support import run_page
from atlas.app import wire


def test_month_dates_go_as_plain_dates_and_a_second_pass_changes_nothing():
    months = pd.date_range("2024-01-01", periods=3, freq="MS")
    fig = go.Figure([go.Scatter(x=months, y=[1, 2, 3]), go.Bar(x=list(months.date), y=[1, 2, 3])])
    wire.compact_dates(fig)
    assert [list(t.x) for t in fig.data] == [["2024-01-01", "2024-02-01", "2024-03-01"]] * 2
    before = fig.to_json()
    wire.compact_dates(fig)  # a cached figure passes again on the next rerun
    assert fig.to_json() == before
    assert "T00:00:00" not in fig.to_json()


def test_times_of_day_are_kept_and_other_axes_are_left_alone():
    moments = [dt.datetime(2024, 1, 1, 9, 30), dt.datetime(2024, 1, 2, 0, 0)]
    fig = go.Figure(
        [
            go.Scatter(x=moments, y=[1, 2]),
            go.Bar(x=["Canada", "Mexico"], y=[1, 2]),
            go.Bar(x=[3, 4], y=["a", "b"], orientation="h"),
            go.Scatter(x=[pd.Timestamp("2024-01-01"), None], y=[1, 2]),  # a gap: not all dates, left as it is
        ]
    )
    wire.compact_dates(fig)
    assert list(fig.data[0].x) == ["2024-01-01 09:30:00", "2024-01-02 00:00:00"]
    assert list(fig.data[1].x) == ["Canada", "Mexico"] and list(fig.data[2].x) == [3, 4]
    assert fig.data[3].x[1] is None


def test_the_theme_template_keeps_the_defaults_of_the_types_drawn():
    fig = go.Figure([go.Scatter(x=[1], y=[1])])
    fig.layout.template = {
        "data": {"scatter": [{"marker": {"line": {"width": 0}}}], "contour": [{"colorscale": [[0, "#000011"]]}]},
        "layout": {"font": {"color": "#000001"}},
    }
    wire.trim_template(fig)
    template = fig.layout.template.to_plotly_json()
    assert list(template["data"]) == ["scatter"]
    assert template["data"]["scatter"][0]["marker"]["line"]["width"] == 0
    assert template["layout"]["font"]["color"] == "#000001"


def test_a_table_sends_repeated_labels_once_and_shows_the_same_cells():
    frame = pd.DataFrame(
        {
            "Month": [f"{m:%b %Y}" for m in pd.date_range("2020-01-01", periods=60, freq="MS") for _ in range(7)],
            "Mission area": [f"Area {i}" for i in range(7)] * 60,
            "Title": [f"Engagement {i}" for i in range(420)],  # all different: stays text
            "Engagements": np.arange(420),
        },
        index=np.arange(420) * 3,  # a filtered frame's index: tables hide it, so it is not sent
    )
    compact = wire.compact_table(frame)
    assert isinstance(compact, pa.Table)
    assert pa.types.is_dictionary(compact.schema.field("Month").type)
    assert pa.types.is_dictionary(compact.schema.field("Mission area").type)
    assert not pa.types.is_dictionary(compact.schema.field("Title").type)
    assert compact.column_names == list(frame.columns)
    shown = compact.to_pandas()
    pd.testing.assert_frame_equal(shown.astype(frame.dtypes.to_dict()), frame.reset_index(drop=True))
    sent = len(dataframe_util.convert_arrow_table_to_arrow_bytes(compact))
    assert sent < 0.7 * len(dataframe_util.convert_pandas_df_to_arrow_bytes(frame))  # the titles stay as they are
    assert pa.ipc.open_stream(dataframe_util.convert_arrow_table_to_arrow_bytes(compact)).read_all().num_rows == 420


def test_short_tables_and_what_arrow_cannot_take_are_left_as_they_are():
    short = pd.DataFrame({"a": ["x", "x"]})
    assert wire.compact_table(short) is short
    mixed = pd.DataFrame({"a": ["x", 1] * 20})  # a column of mixed types: Streamlit's own fixes apply
    assert wire.compact_table(mixed) is mixed
    lists = pd.DataFrame({"a": [["x"], ["y"]] * 20, "b": [dt.date(2024, 1, 1)] * 40})
    table = wire.compact_table(lists)
    assert pa.types.is_list(table.schema.field("a").type) and pa.types.is_date32(table.schema.field("b").type)


def test_the_mission_areas_page_sends_plain_dates_and_trimmed_templates(app_env):
    at = run_page("pages/3_Mission_Areas.py", query={"from": "2024-01-01", "to": "2026-06-30"})
    charts = at.get("plotly_chart")
    assert len(charts) >= 3
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert "T00:00:00" not in chart.proto.spec, chart.proto.id
        drawn = {t.get("type", "scatter") for t in spec["data"]}
        assert set(spec["layout"].get("template", {}).get("data", {})) <= drawn, chart.proto.id
    trend = next(json.loads(c.proto.spec) for c in charts if c.proto.id.endswith("area_trend"))
    first = trend["data"][0]["x"][0]
    assert dt.date.fromisoformat(first).day == 1 and trend["layout"]["xaxis"]["type"] == "date"
