"""Page timings in one process with AppTest: `python -m benchmarks.pages --db DB --out JSON [--reruns N]`.

For every page (dashboard.py and pages/*.py, discovered when this runs):
- cold: the first run of the page with st.cache_data and st.cache_resource cleared (database opened,
  every query run);
- miss: reruns after a real filter change. Each rerun sets session_state["atlas_filters"] (the plain
  key every page's sidebar reads) to a filter combination never used before in this process, so every
  filter-dependent entry of the query result cache (atlas.db.ResultCache) misses and the queries really run;
- hit: reruns that go back to filters this page already showed (every query answered by the cache).

Per run: wall time of AppTest.run, time and number of Database.query calls (atlas.db.STATS), bytes of
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

AREAS = [(), ("visa",), ("cargo",), ("border",), ("aviation",), ("immigration",), ("law_enforcement",),
         ("counterterrorism",), ("border", "visa")]
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

    places = [{}, {"countries": ("CAN",)}, {"countries": ("MEX",)}, {"countries": ("GBR",)},
              {"countries": ("CAN", "MEX", "GBR")}, {"countries": ("JPN",)}]
    places += [{"regions": (r,)} for r in regions[:2]]
    periods = [(p, flt.preset_range(p, base.today, data_range)) for p in ("12m", "fytd", "all")]
    periods += [("custom", r) for r in CUSTOM_PERIODS]
    combos = list(itertools.product(AREAS, places, periods))
    random.Random(seed).shuffle(combos)
    for areas, place, (preset, (start, end)) in combos:
        f = dataclasses.replace(base, mission_areas=areas, countries=place.get("countries", ()),
                                regions=place.get("regions", ()), preset=preset, start=start, end=end)
        if f != base:
            yield f


def describe(f) -> str:
    parts = [f"{f.start}..{f.end}" + ("" if f.preset == "custom" else f" ({f.preset})")]
    parts.append("+".join(f.mission_areas) or "all areas")
    parts.append("+".join(f.countries) or ("+".join(f.regions) if f.regions else "all countries"))
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

        lsr.LocalScriptRunner.run = run

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

        db.Database.query = query


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


def run_pages(db_path: Path, reruns: int, hits: int, pages: list[str] | None = None) -> dict:
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
    database = db.Database.open(db_path)
    rng = database.query("data_range")
    data_range = (rng.first_day[0].date(), rng.last_day[0].date()) if len(rng) and rng.first_day[0] is not None else None
    regions = [r for r in database.query("countries_list").region.dropna().value_counts().index if r]
    database.close()
    base = flt.default_filters(TODAY, access.default_rank())
    plan = filter_plan(base, data_range, regions)

    results = []
    for page in pages or discover_pages():
        st.cache_data.clear()
        st.cache_resource.clear()
        gc.collect()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        if page != "dashboard.py":
            at.switch_page(page)
        runs = []
        shown = []

        def measure(phase: str, f, record: bool):
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
            calls = []
            for c in probe.calls or []:
                calls.append({"name": c["name"], "params": {k: jsonable(v) for k, v in c["params"].items()},
                              "seconds": c["seconds"],
                              "digest": digest(c["frame"]) if "frame" in c else None})
            probe.calls = None
            runs.append({"phase": phase, "filters": describe(f) if f is not None else "default",
                         # Queries may run side by side (ui.prefetch): query_ms is the wall time any was
                         # running, query_sum_ms their summed durations.
                         "wall_ms": wall * 1000, "query_ms": (b1 - b0) * 1000, "query_sum_ms": (s1 - s0) * 1000,
                         "queries": n1 - n0,
                         "figure_ms": figure_ms,
                         "bytes": probe.bytes, "top_bytes": probe.by_type.most_common(3),
                         "errors": errors, "calls": calls})
            return runs[-1]

        measure("cold", None, record=False)
        shown.append(at.session_state[STATE])
        for _ in range(reruns):
            f = next(plan)
            measure("miss", f, record=True)
            shown.append(f)
        for f in shown[1:1 + hits]:
            measure("hit", f, record=False)
        results.append({"page": page, "runs": runs})
        print(f"  {page}: cold {runs[0]['wall_ms']:.0f} ms; miss median "
              f"{_median([r['wall_ms'] for r in runs if r['phase'] == 'miss']):.0f} ms", file=sys.stderr, flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"db": str(db_path), "pages": results, "peak_rss_bytes": peak}


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
    args = parser.parse_args(argv)
    result = run_pages(args.db.resolve(), args.reruns, args.hits,
                       [p for p in args.pages.split(",") if p] or None)
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
