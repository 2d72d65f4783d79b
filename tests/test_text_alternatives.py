"""Every chart and map has a text alternative: an accessible name, the same description on screen under it,
and the numbers it draws as a table in a "Numbers behind ..." expander right after it (widgets.plotly and
widgets.pydeck draw all three; a chart drawn any other way fails here)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from apptest_support import PAGE_FILES, ROOT, app_env, fixture_db, run_page  # noqa: F401
from atlas.app import widgets

CHARTS = ("plotly_chart", "deck_gl_json_chart")
# The briefing's wall-screen slide is a static picture beside its own numbers and bullets; it is drawn by the
# briefing's code (pages/6_Briefing.py), which keeps the slide's data for the .pptx chart, not as a table.
NOT_HERE = {"pages/6_Briefing.py"}
PAGES = [p for p in PAGE_FILES if p not in NOT_HERE]
QUERY = {"pages/2_Country_Profile.py": {"iso": "MEX"}}


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _charts_with_siblings(node, found: list) -> list:
    """(chart, the elements after it in its block) for every chart under `node`."""
    children = list(getattr(node, "children", {}).values())
    for i, child in enumerate(children):
        if getattr(child, "type", None) in CHARTS:
            found.append((child, children[i + 1 :]))
        _charts_with_siblings(child, found)
    return found


def _missing(chart, after: list) -> list[str]:
    alt = chart.proto.alt.strip()
    if not alt:
        return ["no accessible description (alt)"]
    problems = []
    caption = after[0] if after and getattr(after[0], "type", None) == "caption" else None
    if caption is None or _unescaped(caption.value) != alt:
        problems.append("the description is not on screen right under it")
    expander = next((e for e in after[:2] if getattr(e, "type", None) == "expander"), None)
    if expander is None or not expander.label.startswith("Numbers behind"):
        problems.append("no 'Numbers behind' expander after it")
    else:
        tables = [c for c in expander.children.values() if getattr(c, "type", None) == "dataframe"]
        if not tables or not isinstance(tables[0].value, pd.DataFrame) or tables[0].value.empty:
            problems.append("its 'Numbers behind' expander holds no table of numbers")
    return problems


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_and_map_has_a_description_and_its_numbers(app_env, page):  # noqa: F811
    at = run_page(page, query=QUERY.get(page), timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    charts = _charts_with_siblings(at.main, [])
    missing = {chart.proto.id.rsplit("-", 1)[-1]: _missing(chart, after) for chart, after in charts}
    assert {k: v for k, v in missing.items() if v} == {}, page


def test_the_check_sees_the_charts_it_checks(app_env):  # noqa: F811
    # Pages that draw charts on the fixture database: the test above must have had charts to look at.
    for page in ("dashboard.py", "pages/1_Activity_Map.py", "pages/3_Mission_Areas.py", "pages/4_Agreements.py"):
        at = run_page(page, timeout=60)
        assert _charts_with_siblings(at.main, []), page


def test_no_page_draws_a_chart_around_the_one_path():
    drawn_elsewhere = []
    for path in [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "atlas" / "app").glob("*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if relative in NOT_HERE or relative == "atlas/app/widgets.py":
            continue
        if re.search(r"st\.(plotly_chart|pydeck_chart|altair_chart|vega_lite_chart|pyplot|map)\(", path.read_text()):
            drawn_elsewhere.append(relative)
    assert drawn_elsewhere == []


@pytest.mark.parametrize(
    "description, numbers",
    [("", pd.DataFrame({"a": [1]})), ("   ", pd.DataFrame({"a": [1]})), ("A chart", None), ("A chart", [1, 2])],
)
def test_a_chart_without_its_alternative_is_refused(description, numbers):
    with pytest.raises(ValueError, match="chart 'k'"):
        widgets.plotly(object(), key="k", description=description, numbers=numbers, columns={})
