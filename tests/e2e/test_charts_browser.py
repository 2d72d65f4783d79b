"""The charts as a user sees them, in a real Chromium: a partial last month is marked on every trend, and no
axis label overlaps another label or the axis title.

The e2e server pins today to 2026-11-30 (November whole), so the partial case is a period that ends inside a
month: 1 Jan - 15 Nov 2026, whose November holds 15 of its 30 days.
"""

from __future__ import annotations

import pytest
from conftest import screenshot, wait_for_app

PARTIAL = "from=2026-01-01&to=2026-11-15"
NOTE = "Nov 2026: period ends 15 Nov"
# Three areas, not seven: each draws a world map, and seven of them take minutes on a busy 2-core machine.
AREAS = "area=visa,cargo,counterterrorism"
LOAD_MS = 300_000  # pages with world maps are slow to draw on a busy 2-core machine

# Each trace of every plotly chart in the main area, by the chart's widget key (Streamlit's st-key-* class).
TRACES_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')].map(plot => {
    const holder = plot.closest('[class*="st-key-"]');
    const key = holder ? [...holder.classList].find(c => c.startsWith('st-key-')).slice(7) : '';
    return {key,
            traces: plot.data.map(t => ({name: t.name, group: t.legendgroup || t.name, type: t.type,
                                        x: [...(t.x || [])].map(v => v === null ? null : String(v).slice(0, 7)),
                                        pattern: t.marker && t.marker.pattern ? [...t.marker.pattern.shape] : null,
                                        dash: t.line ? t.line.dash || 'solid' : null,
                                        symbols: t.marker && Array.isArray(t.marker.symbol) ? [...t.marker.symbol] : null})),
            notes: [...plot.querySelectorAll('.annotation-text')].map(a => a.textContent),
            hatched: plot.querySelectorAll('defs pattern').length,
            dashed: [...plot.querySelectorAll('path.js-line')].filter(p => (p.style.strokeDasharray || 'none') !== 'none').length};
})"""

# Axis tick labels, axis titles and notes of every chart: pairs whose boxes overlap by more than 1 px. Plotly
# tilts crowded tick labels, so each box is the text's own box turned as drawn (its four corners on screen),
# and two boxes overlap when no edge of either separates them (separating axis test).
OVERLAP_JS = """() => {
    const corners = (t) => { const b = t.getBBox(), m = t.getScreenCTM();
        return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
            .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]); };
    const apart = (p, q) => { for (const poly of [p, q]) for (let i = 0; i < 4; i++) {
        const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4], len = Math.hypot(x2 - x1, y2 - y1) || 1;
        const n = [-(y2 - y1) / len, (x2 - x1) / len];
        const proj = (poly) => poly.map(([x, y]) => x * n[0] + y * n[1]);
        const a = proj(p), b = proj(q);
        if (Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)) <= 1) return true; }
        return false; };
    const found = [];
    for (const plot of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
        const texts = [...plot.querySelectorAll('.xtick text, .ytick text, [class$="title"] text, .annotation-text')]
            .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none' && t.getAttribute('opacity') !== '0')
            .filter(t => { const b = t.getBBox(); return b.width > 0 && b.height > 0; })
            .map(t => ({text: t.textContent.trim(), box: corners(t)}));
        for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++)
            if (!apart(texts[i].box, texts[j].box)) found.push([texts[i].text, texts[j].text]);
    }
    return found;
}"""

# Numbers in the top-partner lists that do not fit inside their card (the old lists cut "25" to "2").
CLIPPED_JS = """() => [document.querySelectorAll('.atlas-ranked .atlas-number').length,
                       [...document.querySelectorAll('.atlas-ranked .atlas-number')].filter(td => {
    const card = td.closest('[data-testid="stVerticalBlockBorderWrapper"]') || td.closest('[data-testid="stHtml"]');
    const a = td.getBoundingClientRect(), c = card.getBoundingClientRect();
    return a.right > c.right + 0.5 || a.left < c.left - 0.5 || td.scrollWidth > td.clientWidth + 0.5;
}).map(td => td.textContent)]"""


def _open(server, open_session, path: str, width: int = 1440, height: int = 2400, key: str | None = None):
    session = open_session(width, height)
    session.page.set_default_timeout(LOAD_MS)
    session.page.goto(server.url + path)
    wait_for_app(session.page, timeout_ms=LOAD_MS)
    session.page.wait_for_selector("[data-testid='stMain'] h1", timeout=LOAD_MS)
    session.page.wait_for_function(
        "() => { const p = document.querySelectorAll('[data-testid=\"stMain\"] .js-plotly-plot');"
        " return p.length > 0 && [...p].every(d => d.querySelector('.main-svg') && d.data); }",
        timeout=LOAD_MS,
    )
    if key:
        session.page.wait_for_selector(f".st-key-{key} .js-plotly-plot .main-svg", timeout=LOAD_MS)
    return session


def _last_points(trace_groups: list[dict]) -> dict[str, tuple[str, bool]]:
    """Each line or bar series: (its last month, whether that month is drawn as partial)."""
    out: dict[str, tuple[str, bool]] = {}
    for group in {t["group"] for t in trace_groups}:
        traces = [t for t in trace_groups if t["group"] == group]
        months = sorted(x for t in traces for x in t["x"] if x)
        last = months[-1]
        # A dashed end, a hatched bar, or (the Compare lines, each already in its own dash) an open point.
        marked = (
            any(t["dash"] == "dash" and last in t["x"] for t in traces)
            or any(t["pattern"] and t["pattern"][t["x"].index(last)] == "/" for t in traces if last in t["x"])
            or any(
                t.get("symbols") and t["symbols"][t["x"].index(last)] == "circle-open" for t in traces if last in t["x"]
            )
        )
        out[group] = (last, marked)
    return out


@pytest.mark.parametrize(
    ("name", "path", "key"),
    [
        ("country", f"/Country_Profile?iso=CAN&{PARTIAL}", "country_mix"),
        ("areas", f"/Mission_Areas?{AREAS}&{PARTIAL}", "area_trend"),
    ],
)
def test_the_last_point_of_each_trend_is_marked_partial(server, open_session, name, path, key):
    session = _open(server, open_session, path, key=key)
    page = session.page
    charts = {c["key"]: c for c in page.evaluate(TRACES_JS)}
    chart = charts[key]
    screenshot(page, f"charts_partial_{name}")
    ends = _last_points(chart["traces"])
    assert ends, f"{key} draws no series"
    in_november = {g: marked for g, (last, marked) in ends.items() if last == "2026-11"}
    assert in_november, f"no series of {key} reaches November: {ends}"
    assert all(in_november.values()), f"November not marked partial on {key}: {in_november}"
    assert all(last <= "2026-11" for last, _ in ends.values())
    # What the user sees: the hatching or the dashes are drawn, and the note says which month and why.
    assert chart["hatched"] > 0 or chart["dashed"] > 0, chart
    assert any(NOTE in note for note in chart["notes"]), chart["notes"]
    assert session.page_errors == [] and session.blocked == []


def test_whole_months_are_not_marked(server, open_session):
    session = _open(server, open_session, f"/Mission_Areas?{AREAS}", key="area_trend")  # whole months
    chart = next(c for c in session.page.evaluate(TRACES_JS) if c["key"] == "area_trend")
    assert not any(marked for _, marked in _last_points(chart["traces"]).values())
    assert chart["dashed"] == 0 and not any("Partial month" in n for n in chart["notes"])


@pytest.mark.parametrize(
    ("name", "path", "width"),
    # At 1440 px the Overview's and the Agreements page's axes are checked with their fold
    # (test_maps_browser.py, every page at 1440 x 900): here the other data, widths and pages.
    [
        ("country", f"/Country_Profile?iso=CAN&{PARTIAL}", 1440),
        ("country_narrow", "/Country_Profile?iso=CAN", 1024),
        ("areas", f"/Mission_Areas?{AREAS}&{PARTIAL}", 1440),
        ("areas_narrow", f"/Mission_Areas?{AREAS}", 1024),
        ("areas_one", "/Mission_Areas?area=counterterrorism", 1440),
        ("agreements_narrow", "/Agreements", 1024),
    ],
)
def test_no_axis_label_overlaps_another_or_the_axis_title(server, open_session, name, path, width):
    session = _open(server, open_session, path, width=width)
    overlaps = session.page.evaluate(OVERLAP_JS)
    numbers, clipped = session.page.evaluate(CLIPPED_JS)
    wait_for_app(session.page, timeout_ms=LOAD_MS)
    screenshot(session.page, f"charts_axes_{name}")
    assert overlaps == [], f"{name} at {width} px: {overlaps[:10]}"
    assert numbers >= (5 if name.startswith("areas") else 0), "the top-partner lists were drawn"
    assert clipped == [], f"{name}: top-partner numbers cut off at {width} px"
