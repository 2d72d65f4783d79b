"""Page timings in one process with AppTest: `python -m benchmarks.pages --db DB --out JSON [--reruns N]`.

For every page (dashboard.py and pages/*.py, discovered when this runs):
- cold: the first run of the page with st.cache_data and st.cache_resource cleared (database opened,
  every query run);
- miss: reruns after a real filter change. Each rerun sets session_state["atlas_filters"] (the plain
  key every page's sidebar reads) to a filter combination never used before in this process, so every
  filter-dependent entry of the query result cache (atlas.db.ResultCache) misses and the queries really run;
- hit: reruns that go back to filters this page already showed (every query answered by the cache);
- widget path (issue 14), in a fresh AppTest per page with the caches cleared again: what a user does. Each
  rerun changes one sidebar widget (`at.multiselect(key=...).set_value(...).run()`, `at.selectbox`,
  `at.date_input`: mission areas, countries, period preset, custom dates, DHS components, engagement types),
  so the widget's on_change callback, the sidebar's copy into the widget keys and the whole page run as in
  the browser; every resulting filter combination is one not seen before (widget-miss). Then widget-hit:
  undoing and redoing the last change (back to filters shown before, every query cached), and rerun: a plain
  rerun with nothing changed.

Page scripts are compiled once per process (share_script_cache), as a server compiles them once, not on
every rerun as AppTest alone would. Per run: wall time of AppTest.run, time and number of Database.query calls (atlas.db.STATS), bytes of
the ForwardMsgs the run produced (the serialized protobufs a browser would receive), errors (exception
elements). Every query call of the miss reruns is written out with its parameters, its time and a digest
of its result, so the pandas baseline can replay exactly the same work and check it got the same numbers.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import itertools
import json
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 30)
STATE = "atlas_filters"


def discover_pages() -> list[str]:
    return ["dashboard.py"] + sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


# --- filter changes ------------------------------------------------------------------------------

AREAS = [
    (),
    ("visa",),
    ("cargo",),
    ("border",),
    ("aviation",),
    ("immigration",),
    ("law_enforcement",),
    ("counterterrorism",),
    ("border", "visa"),
]
CUSTOM_PERIODS = [  # mid-month edges read partial months from the raw table; whole months only the rollup
    (dt.date(2025, 6, 15), dt.date(2026, 5, 14)),
    (dt.date(2026, 2, 10), dt.date(2026, 11, 20)),
    (dt.date(2024, 9, 9), dt.date(2026, 8, 31)),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2023, 10, 1), dt.date(2026, 9, 30)),
]


def filter_plan(base, data_range, regions: list[str], seed: int = 5):
    """Distinct Filters values in a fixed shuffled order: mission areas x places x periods."""
    from atlas.data import filters as flt

    places: list[dict[str, tuple[str, ...]]] = [
        {},
        {"countries": ("CAN",)},
        {"countries": ("MEX",)},
        {"countries": ("GBR",)},
        {"countries": ("CAN", "MEX", "GBR")},
        {"countries": ("JPN",)},
    ]
    places += [{"regions": (r,)} for r in regions[:2]]
    periods = [(p, flt.preset_range(p, base.today, data_range)) for p in ("12m", "fytd", "all")]
    periods += [("custom", r) for r in CUSTOM_PERIODS]
    combos = list(itertools.product(AREAS, places, periods))
    random.Random(seed).shuffle(combos)
    for areas, place, (preset, (start, end)) in combos:
        f = dataclasses.replace(
            base,
            mission_areas=areas,
            countries=place.get("countries", ()),
            regions=place.get("regions", ()),
            preset=preset,
            start=start,
            end=end,
        )
        if f != base:
            yield f


# Widget path: the sidebar's widget keys (atlas/app/state.py _widget_key) and values a user picks.
WIDGET = {
    "preset": "w_preset",
    "range": "w_range",
    "mission_areas": "w_mission_areas",
    "countries": "w_countries",
    "components": "w_components",
    "engagement_types": "w_engagement_types",
}
WIDGET_COUNTRIES = ["CAN", "MEX", "GBR", "JPN", "DEU", "FRA", "IND", "BRA", "AUS", "KOR", "NLD", "ESP"]
WIDGET_PERIODS = CUSTOM_PERIODS + [
    (dt.date(2026, 3, 3), dt.date(2026, 10, 17)),
    (dt.date(2024, 1, 1), dt.date(2026, 6, 30)),
    (dt.date(2025, 11, 1), dt.date(2026, 11, 30)),
]


def widget_actions(page: str, seed: int = 11):
    """An endless fixed sequence of single-widget changes (widget kind, key, value) a user could make."""
    from atlas.data import vocab

    rng = random.Random(seed)
    areas = [m.code for m in vocab.MISSION_AREAS]
    components = [c for c, _ in vocab.COMPONENTS]
    types = [c for c, _ in vocab.ENGAGEMENT_TYPES]
    kinds = ["areas", "areas", "countries", "preset", "range", "components", "types"]
    if page == "pages/2_Country_Profile.py":  # geography widgets are disabled there
        kinds.remove("countries")
    while True:
        kind = rng.choice(kinds)
        if kind == "areas":
            yield "multiselect", WIDGET["mission_areas"], rng.sample(areas, rng.choice([0, 1, 1, 2, 3]))
        elif kind == "countries":
            yield "multiselect", WIDGET["countries"], rng.sample(WIDGET_COUNTRIES, rng.choice([0, 1, 1, 2, 3]))
        elif kind == "components":
            yield "multiselect", WIDGET["components"], rng.sample(components, rng.choice([0, 1, 2]))
        elif kind == "types":
            yield "multiselect", WIDGET["engagement_types"], rng.sample(types, rng.choice([0, 1, 2]))
        elif kind == "preset":
            yield "selectbox", WIDGET["preset"], rng.choice(["12m", "fytd", "all"])
        else:
            yield "date_input", WIDGET["range"], rng.choice(WIDGET_PERIODS)


def widget(at, kind: str, key: str):
    """The AppTest element of a sidebar widget."""
    return getattr(at, kind)(key=key)


def has_widget(at, kind: str, key: str) -> bool:
    """Whether the page drew that widget (the briefing page draws no shared sidebar)."""
    try:
        widget(at, kind, key)
    except KeyError:
        return False
    return True


def describe(f) -> str:
    parts = [f"{f.start}..{f.end}" + ("" if f.preset == "custom" else f" ({f.preset})")]
    parts.append("+".join(f.mission_areas) or "all areas")
    parts.append("+".join(f.countries) or ("+".join(f.regions) if f.regions else "all countries"))
    parts += ["+".join(v) for v in (f.components, f.engagement_types) if v]
    return " / ".join(parts)


# --- probes --------------------------------------------------------------------------------------


class Probe:
    """Bytes of the ForwardMsgs of the last AppTest run, and the queries it ran."""

    def __init__(self) -> None:
        self.bytes = 0
        self.by_type: Counter = Counter()
        self.calls: list[dict] | None = None
        self.figure_seconds = 0.0

    def install(self) -> None:
        from streamlit.testing.v1 import local_script_runner as lsr

        from atlas.data import db

        probe = self
        self._time_figure_builders()
        original_run = lsr.LocalScriptRunner.run

        def run(runner, *args, **kwargs):
            tree = original_run(runner, *args, **kwargs)
            msgs = list(runner.forward_msgs())
            probe.bytes = sum(m.ByteSize() for m in msgs)
            probe.by_type = Counter()
            for m in msgs:
                kind = m.WhichOneof("type")
                if kind == "delta" and m.delta.WhichOneof("type") == "new_element":
                    kind = m.delta.new_element.WhichOneof("type")
                probe.by_type[kind] += m.ByteSize()
            return tree

        # AppTest makes a new runner inside every run, so the class is the only place to reach it. setattr because
        # mypy (rightly) refuses an assignment to a method; B010 would turn it back into that assignment.
        setattr(lsr.LocalScriptRunner, "run", run)  # noqa: B010

        def listener(name, params, seconds):
            if probe.calls is not None:
                probe.calls.append({"name": name, "params": dict(params), "seconds": seconds})

        db.STATS.listeners.append(listener)
        original_query = db.Database.query

        def query(database, name, params=None):
            frame = original_query(database, name, params)
            if probe.calls is not None and probe.calls and probe.calls[-1]["name"] == name:
                probe.calls[-1]["frame"] = frame
            return frame

        # On the class too, by setattr for the same reasons: the pages open their own Database.
        setattr(db.Database, "query", query)  # noqa: B010

    def _time_figure_builders(self) -> None:
        """Add up the time spent in the figure and map builders (atlas.figures, atlas.maps, ...)."""
        import functools
        import importlib
        import inspect

        probe, depth = self, [0]
        for name in ("atlas.views.figures", "atlas.views.maps", "atlas.views.agreement_figures"):
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            for attr, fn in list(vars(module).items()):
                if attr.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != name:
                    continue

                def timed(*args, _fn=fn, **kwargs):
                    if depth[0]:  # a builder calling another builder counts once
                        return _fn(*args, **kwargs)
                    depth[0] += 1
                    started = time.perf_counter()
                    try:
                        return _fn(*args, **kwargs)
                    finally:
                        depth[0] -= 1
                        probe.figure_seconds += time.perf_counter() - started

                setattr(module, attr, functools.update_wrapper(timed, fn))


def share_script_cache() -> None:
    """Compile each page script once per process, as a server does (its Runtime holds one ScriptCache, cleared
    when a file changes). AppTest makes a new ScriptCache for every run, so without this each timed rerun
    would also parse the script and apply Streamlit's magic AST rewrite again: work no browser rerun pays."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    for module in (app_test, local_script_runner):
        setattr(module, "ScriptCache", lambda: shared)  # noqa: B010


def digest(frame) -> dict:
    """Row count and the sum of every numeric column: enough to tell whether two answers agree."""
    import pandas as pd

    sums = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            sums[column] = round(float(pd.to_numeric(series, errors="coerce").fillna(0).astype(float).sum()), 4)
    return {"rows": int(len(frame)), "sums": sums}


def jsonable(value):
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def recorded_calls(probe: Probe) -> list[dict]:
    """The query calls the probe recorded in the last run (name, parameters, seconds, digest); stops recording."""
    calls = [
        {
            "name": c["name"],
            "params": {k: jsonable(v) for k, v in c["params"].items()},
            "seconds": c["seconds"],
            "digest": digest(c["frame"]) if "frame" in c else None,
        }
        for c in probe.calls or []
    ]
    probe.calls = None
    return calls


def run_pages(
    db_path: Path, reruns: int, hits: int, pages: list[str] | None = None, widgets: bool = True, skip: int = 0
) -> dict:
    """Every page (or `pages`) measured in this process; `skip`: how many reruns per page an earlier process
    already measured, so this one goes on to filters that process did not use."""
    os.environ["ATLAS_DB"] = str(db_path)
    os.environ["ATLAS_TODAY"] = TODAY.isoformat()
    os.environ.pop("ATLAS_MAX_SENSITIVITY", None)
    import streamlit as st
    from streamlit import logger
    from streamlit.testing.v1 import AppTest

    from atlas.data import access, db

    logger.set_log_level("error")  # AppTest outside a server warns on every run about things that are fine here
    from atlas.data import filters as flt

    probe = Probe()
    probe.install()
    share_script_cache()
    database = db.Database.open(db_path)
    rng = database.query("data_range")
    data_range = (
        (rng.first_day[0].date(), rng.last_day[0].date()) if len(rng) and rng.first_day[0] is not None else None
    )
    regions = [r for r in database.query("countries_list").region.dropna().value_counts().index if r]
    database.close()
    base = flt.default_filters(TODAY, access.default_rank())
    plan = filter_plan(base, data_range, regions)
    pages = pages or discover_pages()
    for _ in range(skip * len(pages)):
        next(plan)

    results = []
    for page in pages:
        st.cache_data.clear()
        st.cache_resource.clear()
        gc.collect()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        if page != "dashboard.py":
            at.switch_page(page)
        runs: list[dict] = []
        shown = []

        def measure(phase: str, f, record: bool, at=at, runs=runs):
            probe.calls = [] if record else None
            if f is not None:
                at.session_state[STATE] = f
            n0, s0 = db.STATS.snapshot()
            b0 = db.STATS.busy_seconds()
            f0 = probe.figure_seconds
            started = time.perf_counter()
            at.run()
            wall = time.perf_counter() - started
            figure_ms = (probe.figure_seconds - f0) * 1000
            n1, s1 = db.STATS.snapshot()
            b1 = db.STATS.busy_seconds()
            errors = [str(e.message)[:300] for e in at.exception]
            calls = recorded_calls(probe)
            runs.append(
                {
                    "phase": phase,
                    "filters": describe(f) if f is not None else "default",
                    # Queries may run side by side (ui.prefetch): query_ms is the wall time any was
                    # running, query_sum_ms their summed durations.
                    "wall_ms": wall * 1000,
                    "query_ms": (b1 - b0) * 1000,
                    "query_sum_ms": (s1 - s0) * 1000,
                    "queries": n1 - n0,
                    "figure_ms": figure_ms,
                    "bytes": probe.bytes,
                    "top_bytes": probe.by_type.most_common(3),
                    "errors": errors,
                    "calls": calls,
                }
            )
            return runs[-1]

        measure("cold", None, record=False)
        shown.append(at.session_state[STATE])
        for _ in range(reruns):
            f = next(plan)
            measure("miss", f, record=True)
            shown.append(f)
        for f in shown[1 : 1 + hits]:
            measure("hit", f, record=False)
        if widgets:
            runs += widget_runs(page, reruns, hits, probe, seen={repr(f) for f in shown}, skip=skip)
        results.append({"page": page, "runs": runs})
        print(
            f"  {page}: cold {runs[0]['wall_ms']:.0f} ms; miss median "
            f"{_median([r['wall_ms'] for r in runs if r['phase'] == 'miss']):.0f} ms; widget miss median "
            f"{_median([r['wall_ms'] for r in runs if r['phase'] == 'widget-miss']):.0f} ms",
            file=sys.stderr,
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"db": str(db_path), "pages": results, "peak_rss_bytes": peak}


def widget_runs(page: str, reruns: int, hits: int, probe: Probe, seen: set[str], skip: int = 0) -> list[dict]:
    """The widget path of one page: `reruns` single-widget changes to new filters, then undo/redo and plain
    reruns; a change whose filters were seen before is skipped, not timed as a miss. `skip`: changes an earlier
    process made first (this one starts after them)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from atlas.data import db

    st.cache_data.clear()
    st.cache_resource.clear()
    gc.collect()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    if page != "dashboard.py":
        at.switch_page(page)
    at.run()
    runs: list[dict] = []
    seen = set(seen) | {repr(at.session_state[STATE])}

    def timed(phase: str, change) -> dict:
        probe.calls = [] if phase == "widget-miss" else None  # the pandas baseline replays these too
        n0, _ = db.STATS.snapshot()
        b0, f0 = db.STATS.busy_seconds(), probe.figure_seconds
        started = time.perf_counter()
        if change is None:
            at.run()
        else:
            widget(at, change[0], change[1]).set_value(change[2]).run()
        wall = time.perf_counter() - started
        n1, _ = db.STATS.snapshot()
        f = at.session_state[STATE]
        runs.append(
            {
                "phase": phase,
                "filters": describe(f),
                "key": repr(f),
                "change": None if change is None else f"{change[1]}={jsonable(change[2])}",
                "wall_ms": wall * 1000,
                "query_ms": (db.STATS.busy_seconds() - b0) * 1000,
                "queries": n1 - n0,
                "figure_ms": (probe.figure_seconds - f0) * 1000,
                "bytes": probe.bytes,
                "errors": [str(e.message)[:300] for e in at.exception],
                "calls": recorded_calls(probe),
            }
        )
        return runs[-1]

    actions = widget_actions(page)
    for _ in range(skip):
        next(actions)
    undo = None
    if not has_widget(at, "multiselect", WIDGET["mission_areas"]):
        return runs
    for _ in range(reruns * 50):
        if sum(r["phase"] == "widget-miss" for r in runs) >= reruns:
            break
        kind, key, value = next(actions)
        if not has_widget(at, kind, key):
            continue
        before = widget(at, kind, key).value
        if list(before) == list(value) if isinstance(value, (list, tuple)) else before == value:
            continue
        # What the filters would become is known only after the run: time it, and keep it as a miss only
        # if they are new (the rare repeat is undone by the next change anyway).
        run = timed("widget-miss", (kind, key, value))
        if run.pop("key") in seen:
            run["phase"] = "widget-repeat"
        seen.add(repr(at.session_state[STATE]))
        undo = (kind, key, before)
        redo = (kind, key, value)
    for i in range(hits):
        if undo is None:
            break
        timed("widget-hit", undo if i % 2 == 0 else redo)
    for _ in range(hits):
        timed("rerun", None)
    return runs


def _median(values):
    values = sorted(values)
    if not values:
        return float("nan")
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--hits", type=int, default=5)
    parser.add_argument("--pages", default="", help="comma-separated page files (default: all)")
    parser.add_argument("--no-widgets", action="store_true", help="skip the widget path")
    parser.add_argument("--skip", type=int, default=0, help="reruns per page an earlier process measured")
    args = parser.parse_args(argv)
    result = run_pages(
        args.db.resolve(),
        args.reruns,
        args.hits,
        [p for p in args.pages.split(",") if p] or None,
        widgets=not args.no_widgets,
        skip=args.skip,
    )
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
