"""RESULTS.md from the figures of a run: one function per section."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.browser import SECTION as BROWSER_SECTION
from benchmarks.concurrency import REPLICAS_SECTION
from benchmarks.numbers import fmt, human, page_name


def write_report(out: Path, data: dict) -> None:
    """Write the report for `data` (what benchmarks.run gathers, targets and reading included) to `out`."""
    lines: list[str] = []
    for section in (
        _heading,
        _provenance,
        _measured,
        _targets,
        _pages,
        _widgets,
        _rollups,
        _growth,
        _queries,
        _sources,
        _import,
        _concurrency,
        _reading,
    ):
        lines += section(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = _other_sections(out)
    out.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""))


# Sections `make bench-browser` and `make bench-serve` write into the same file: a run of `make bench` keeps them
# (each says its own date, command and load), so the three commands build one report.
OTHER_SECTIONS = (BROWSER_SECTION, REPLICAS_SECTION)


def _other_sections(out: Path) -> str:
    if not out.exists():
        return ""
    text = out.read_text()
    found = []
    for title in OTHER_SECTIONS:
        start = text.find(title + "\n")
        if start < 0:
            continue
        end = text.find("\n## ", start + len(title))
        found.append(text[start : end + 1 if end >= 0 else len(text)].rstrip("\n") + "\n")
    return "\n".join(found)


def _heading(data: dict) -> list[str]:
    """Title, smoke warning, date, command, machine and load."""
    lines: list[str] = []
    add = lines.append
    m = data["machine"]
    add("# Partner Atlas benchmark results")
    add("")
    if data["smoke"]:
        add("**SMOKE RUN** (tiny sizes, 2 reruns): checks that the harness works; the figures mean nothing.")
        add("")
    add(f"- Date: {data['started']} (run took {data['elapsed_s'] / 60:.1f} min)")
    add(f"- Command: `{data['command']}`")
    add(
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_bytes'] / 2**30:.1f} GiB memory, {m['os']}; "
        f"Python {m['python']}, Streamlit {m['streamlit']}, DuckDB {m['duckdb']}, pandas {m['pandas']}"
    )
    add(
        f"- Load average (1/5/15 min) at start {' '.join(data['load_start'])}, at end {' '.join(data['load_end'])}. "
        "The machine is shared: other work running at the same time slows every figure here, the baseline too."
    )
    busy = max(float(x) for x in (data["load_start"][0], data["load_end"][0]))
    if busy > 1.5 * m["cores"]:
        add(
            f"- **A loaded machine**: a load average of up to {busy:.1f} on {m['cores']} cores means several "
            "processes wanted each core for the whole run, so every absolute time here is several times what a "
            "quiet machine gives, and a target in milliseconds says little about the code. Compare within the "
            "run: our page against the pandas baseline for the same calls (both measured under this load, "
            "though not at the same moment)."
        )
    add("")
    return lines


# Why RESULTS.md of 2026-11-30 (commit b737ec8) did not reproduce on a fresh database (issue 14).
WHY_IT_DID_NOT_REPRODUCE = (
    "Until issue 14 the benchmark reused a database while a fingerprint of some files was unchanged. That "
    "list (atlas/schema.sql, macros.sql, ingest.py, build.py, demo.py, readers.py, vocab.py and two CSVs) left "
    "out code the build runs (atlas/db.py, store.py, formats.py, countries.py, version.py, config.py, "
    "data/reference/*.csv, data/country_aliases.csv) and the DuckDB version; the split's globs still left out "
    "atlas/config.py and atlas/__init__.py. So a database could outlive the code that shaped it, and the "
    "figures it gave were labelled 'reused' but not the code they were measured with. More important for the "
    "numbers: the last RESULTS.md was written at b737ec8 and never regenerated; the pages measured since run "
    "more and heavier work (every query through the sensitivity-ceiling macros, partial-month marking, more "
    "sections), and the benchmark set session_state `atlas_filters` directly, skipping the widget callbacks "
    "and the sidebar's copy into the widget keys, which a user's click always pays. An issue-filer's database "
    "built by `python -m atlas build` is the same generator and seed (400 agreements, seed 2026) but built "
    "without ATLAS_TODAY pinned. Now every run builds the databases it measures (`--reuse` opts into a "
    "fingerprint that covers every module a build imports, checked by a test, and the DuckDB version), and "
    "the pages are also driven through the widgets."
)


def _provenance(data: dict) -> list[str]:
    """What code the figures come from and whether the databases were built by it."""
    lines: list[str] = []
    add = lines.append
    code = data.get("code")
    if code:
        add(
            f"- Code: commit {code['commit']}{' plus uncommitted changes' if code['dirty'] else ''}; "
            + ", ".join(
                f"{human(s['engagements'])} database {'reused (same fingerprint)' if s['build'].get('reused') else 'built in this run'}"
                f" ({s['build'].get('fingerprint', '?')})"
                for s in data["sizes"]
            )
            + "."
        )
        add("")
    add("### Why the results of 2026-11-30 did not reproduce")
    add("")
    add(WHY_IT_DID_NOT_REPRODUCE)
    add("")
    extra = data.get("reproduction")
    if extra:
        add(extra)
        add("")
    return lines


def _widgets(data: dict) -> list[str]:
    """The widget path beside the session_state path, per size."""
    lines: list[str] = []
    add = lines.append
    sizes = [s for s in data["sizes"] if any(r.get("widget_misses") for r in s["figures"])]
    if not sizes:
        return lines
    add("## Widget path (what a user's click costs)")
    add("")
    add(
        "Each rerun changes one sidebar widget through AppTest (`multiselect`/`selectbox`/`date_input` "
        "`.set_value(...).run()`): mission areas, countries, period preset, custom dates, DHS components, "
        "engagement types, each change leading to filters not seen before in the process. *Pandas* is the "
        "baseline's time for the same query calls; *undo/redo* goes back to filters shown before (every query "
        "cached); *plain rerun* changes nothing."
    )
    add("")
    for size in sizes:
        add(f"### {size['engagements']:,} engagements, widget path")
        add("")
        add(
            "| Page | session_state rerun median ms | **Widget rerun median ms** | Widget p95 ms | Queries ms (n) | "
            "Pandas data ms | Undo/redo median ms | Plain rerun median ms | Reruns (repeats skipped) |"
        )
        add("|---|---|---|---|---|---|---|---|---|")
        for r in size["figures"]:
            add(
                f"| {page_name(r['page'])} | {fmt(r['miss_median_ms'])} | **{fmt(r.get('widget_miss_median_ms'))}** | "
                f"{fmt(r.get('widget_miss_p95_ms'))} | {fmt(r.get('widget_query_median_ms'))} "
                f"({fmt(r.get('widget_queries_per_rerun'))}) | {fmt(r.get('widget_base_data_ms'), 1)} | "
                f"{fmt(r.get('widget_hit_median_ms'))} | {fmt(r.get('plain_rerun_median_ms'))} | "
                f"{r.get('widget_misses', 0)} ({r.get('widget_repeats', 0)}) |"
            )
        add("")
    return lines


def _rollups(data: dict) -> list[str]:
    """Rows of each engagement rollup against the raw table, per size."""
    lines: list[str] = []
    add = lines.append
    sizes = [s for s in data["sizes"] if s["build"].get("table_rows")]
    if not sizes:
        return lines
    names = sorted({t for s in sizes for t in s["build"]["table_rows"] if t != "engagements"})
    add("## Rollup rows against raw rows")
    add("")
    add("| Engagements | " + " | ".join(f"{n} rows (ratio)" for n in names) + " |")
    add("|" + "---|" * (len(names) + 1))
    for s in sizes:
        rows = s["build"]["table_rows"]
        raw = rows.get("engagements") or 0
        cells = [
            f"{rows[n]:,} ({rows[n] / raw:.3f})" if n in rows and raw else (f"{rows[n]:,}" if n in rows else "–")
            for n in names
        ]
        add(f"| {raw:,} | " + " | ".join(cells) + " |")
    add("")
    return lines


def _measured(data: dict) -> list[str]:
    """What each figure means."""
    lines: list[str] = []
    add = lines.append
    add("## What is measured")
    add("")
    add(
        "- **Pages** (`benchmarks/pages.py`): every page (dashboard.py and pages/*.py, found at run time) under "
        "Streamlit's AppTest in one process per size and round, `ATLAS_TODAY=2026-11-30`: the sizes alternate in two "
        "rounds of half the reruns each (1M, 10M, 1M, 10M; the second round goes on to filters the first did not "
        "use), so a shared machine whose speed drifts during the run slows every size alike and the growth from "
        "1M to 10M is not the drift's. *Cold*: the first run with "
        "the caches empty (st.cache_resource, which holds the open database and its query result cache). *Rerun after a filter change*: the filters (session_state "
        "`atlas_filters`, the key the sidebar widgets write) set to a combination of period (12 months, fiscal "
        "year, all dates, custom ranges with mid-month edges), mission areas and countries/regions never used "
        "before in the process, so every filter-dependent query misses the cache and runs. *Cached*: going "
        "back to filters the page showed before. Times are the wall time of `AppTest.run()`: the whole "
        "script run, Streamlit's serialisation and AppTest's own bookkeeping (about 6 ms for a trivial page), "
        "not the browser's drawing. Each page script is compiled once per process, as a server compiles it "
        "once (AppTest alone would parse it and apply Streamlit's magic rewrite on every run)."
    )
    add(
        "- **Query time**: wall time during which any `Database.query` was running (an always-on counter in "
        "atlas/db.py; a page runs its queries side by side with `ui.prefetch`, so this is less than their summed "
        "durations); *rest* is "
        "everything else in the rerun, and *of it figures* the part spent in the figure and map builders "
        "(atlas.figures, atlas.maps, atlas.agreement_figures, timed by wrapping them)."
    )
    add(
        "- **Bytes per rerun**: the serialized size of every ForwardMsg the run produced (deltas of all "
        "elements, page info, finish message) — what a browser session receives, before the ForwardMsg cache "
        "and compression. Map geometry is a static file the browser fetches once, never part of a rerun."
    )
    add(
        "- **Baseline** (`benchmarks/baseline.py`): what a typical analyst writes — every table loaded whole "
        "into pandas DataFrames once (not timed per rerun; load time below), then on every rerun filtered and "
        "grouped again. It replays exactly the query calls our pages made in the reruns above (same names, "
        "parameters and order) with a pandas implementation of each, and checks every answer against ours "
        "(row count and the sum of every numeric column). **Compared: the data part only** (our time in "
        "queries vs pandas time for the same calls); *page speedup* estimates the whole page by swapping our "
        "query time for the pandas time in each rerun."
    )
    add(
        "- **Peak memory**: `ru_maxrss` of the process that ran all the pages for a size (AppTest, Streamlit, "
        "DuckDB with the database open, every page's queries)."
    )
    add("")
    return lines


def _targets(data: dict) -> list[str]:
    """The targets table."""
    lines: list[str] = []
    add = lines.append
    t = data["targets"]
    add("## Targets")
    add("")
    add("| Target | Measured | Met |")
    add("|---|---|---|")
    for row in t:
        add(
            f"| {row['target']} | {row['measured']} | {'yes' if row['met'] is True else ('no' if row['met'] is False else '–')} |"
        )
    add("")
    return lines


def _pages(data: dict) -> list[str]:
    """One table of pages per size."""
    lines: list[str] = []
    add = lines.append
    add("## Pages")
    add("")
    for size in data["sizes"]:
        lines += _size(size)
    return lines


def _size(size: dict) -> list[str]:
    """One size: its database, its baseline, and a row per page."""
    lines: list[str] = []
    add = lines.append
    b = size["build"]
    add(f"### {size['engagements']:,} engagements ({size['build']['agreements']:,} agreements)")
    add("")
    add(
        f"Database {b['file_bytes'] / 2**20:,.0f} MiB, built in {b['build_s']:.1f} s"
        + (f" (built {b['built_at']}, reused)" if b.get("reused") else "")
        + f". Page process peak memory {size['pages_peak_rss'] / 2**20:,.0f} MiB. "
        + (
            f"Baseline: {size['baseline']['skipped']}."
            if size["baseline"].get("skipped")
            else f"Baseline: tables loaded into pandas in {size['baseline']['load_s']:.1f} s, "
            f"its process peaked at {size['baseline']['peak_rss_bytes'] / 2**20:,.0f} MiB; "
            f"answers checked against ours: {size['baseline']['agreed']}/{size['baseline']['checked']} agree."
        )
    )
    add("")
    add(
        "| Page | Cold ms | Rerun median ms | Rerun p95 ms | Cached median ms | Queries ms (n) | Rest ms "
        "(of it figures) | KB/rerun median (max) | Data: ours ms | Data: pandas ms | Data speedup | Page speedup |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in size["figures"]:
        add(
            f"| {page_name(r['page'])} | {fmt(r['cold_ms'])} | **{fmt(r['miss_median_ms'])}** | "
            f"{fmt(r['miss_p95_ms'])} | {fmt(r['hit_median_ms'])} | {fmt(r['query_median_ms'])} "
            f"({fmt(r['queries_per_rerun'])}) | {fmt(r['rest_median_ms'])} ({fmt(r.get('figure_median_ms'))}) | "
            f"{fmt(r['kb_median'])} "
            f"({fmt(r['kb_max'])}) | {fmt(r['ours_data_ms'], 1)} | {fmt(r['base_data_ms'], 1)} | "
            f"{fmt(r['speedup_data'] or None, 1, 'x')} | {fmt(r['speedup_page'] if r['speedup_data'] else None, 1, 'x')} |"
        )
    errors = [(page_name(r["page"]), r["error_samples"]) for r in size["figures"] if r["errors"]]
    add("")
    if errors:
        add(f"Errors in page runs: {errors}")
        add("")
    if size["baseline"].get("not_covered"):
        add(
            f"Queries without a pandas version (left out of both sides of the comparison): "
            f"{', '.join(size['baseline']['not_covered'])}."
        )
        add("")
    if size["baseline"].get("mismatches"):
        add("Baseline answers that differ from ours (first few):")
        for line in size["baseline"]["mismatches"][:5]:
            add(f"- `{line[:300]}`")
        add("")
    return lines


def _growth(data: dict) -> list[str]:
    """Median rerun per page across the sizes."""
    lines: list[str] = []
    add = lines.append
    sizes = data["sizes"]
    if len(sizes) > 1:
        add("## Growth with the number of rows (median rerun after a filter change, ms)")
        add("")
        head = "| Page | " + " | ".join(human(s["engagements"]) for s in sizes) + " | Largest / smallest |"
        add(head)
        add("|" + "---|" * (len(sizes) + 2))
        for r in sizes[0]["figures"]:
            cells = []
            values = []
            for s in sizes:
                match = next((x for x in s["figures"] if x["page"] == r["page"]), None)
                values.append(match["miss_median_ms"] if match else None)
                cells.append(fmt(values[-1]))
            ratio = values[-1] / values[0] if values[0] and values[-1] else None
            add(f"| {page_name(r['page'])} | " + " | ".join(cells) + f" | {fmt(ratio, 2, 'x')} |")
        add("")
    return lines


def _queries(data: dict) -> list[str]:
    """Milliseconds per call of each named query, per size."""
    lines: list[str] = []
    add = lines.append
    sizes = data["sizes"]
    add("## Queries (ms per call in the reruns after a filter change: median, max in brackets)")
    add("")
    names = sorted({name for size in sizes for name in size.get("queries", {})})
    add("| Query | " + " | ".join(human(s["engagements"]) for s in sizes) + " |")
    add("|" + "---|" * (len(sizes) + 1))
    for name in names:
        cells = []
        for size in sizes:
            q = size.get("queries", {}).get(name)
            cells.append(f"{q['median_ms']:.1f} ({q['max_ms']:.0f})" if q else "–")
        add(f"| {name} | " + " | ".join(cells) + " |")
    add("")
    return lines


# What each macro of atlas/data/macros.sql reads, for the sources table (read from the query files at report
# time, so it follows the queries as they are).
MACRO_SOURCES = {
    "area_trend_in": "engagement_day_rollup (no country, component or type filter); else as area_activity_in",
    "area_activity_in": "engagement_day_country_rollup (periods up to 400 days) or engagement_area_rollup with "
    "daily edges; the raw table when a component or type filter is set",
    "activity_in": "engagement_rollup (whole months) and the raw table (partial months)",
    "place_activity_in": "engagement_place_rollup (whole months) and the raw table (partial months; all of the "
    "period when a component or type filter is set)",
    "engagements_in": "the raw table (**no pre-aggregate**: it lists or counts single records)",
    "organization_activity_in": "engagement_org_rollup (whole months, no country, component or type filter) and "
    "engagement_multilateral (the copy of the engagements with several partners or an organization)",
    "organization_engagements_in": "engagement_multilateral (single records, from the copy of the engagements with "
    "several partners or an organization)",
    "multilateral_engagements_in": "engagement_multilateral (single records, from the copy)",
    "engagement_new_since": "the raw table's zone maps and two columns (counts and picks records written since)",
    "engagement_records": "the raw table (**no pre-aggregate**: whole-table counts and dates)",
    "activity_months": "engagement_area_rollup",
}


def query_sources(name: str) -> list[str]:
    """What queries/<name>.sql reads engagements from, by the macros it calls."""
    text = (Path(__file__).resolve().parent.parent / "queries" / f"{name}.sql").read_text()
    return [source for macro, source in MACRO_SOURCES.items() if re.search(rf"\b{macro}\(", text)]


def _sources(data: dict) -> list[str]:
    """Per query measured: which pre-aggregate answers it, and those that cannot use one."""
    lines: list[str] = []
    add = lines.append
    names = sorted({name for size in data["sizes"] for name in size.get("queries", {})})
    rows = [(name, query_sources(name)) for name in names]
    rows = [(name, found) for name, found in rows if found]
    if not rows:
        return lines
    add("## Where each engagement query reads from")
    add("")
    add(
        "From the macros each query file calls (atlas/data/macros.sql). A query on the raw table reads only the "
        "row groups of its period: the table is sorted by start_date and DuckDB skips the others by their zone maps."
    )
    add("")
    add("| Query | Reads |")
    add("|---|---|")
    for name, found in rows:
        add(f"| {name} | {'; '.join(found)} |")
    add("")
    return lines


def _import(data: dict) -> list[str]:
    """The import of a large CSV and the builds."""
    lines: list[str] = []
    add = lines.append
    sizes = data["sizes"]
    imp = data.get("import")
    if imp:
        add("## Import and build")
        add("")
        add(
            f"- Import of a {imp['rows']:,}-row engagements CSV ({imp['csv_bytes'] / 2**20:,.0f} MiB, written by "
            f"the demo generator in {imp['csv_write_s']:.1f} s) into a freshly built database without demo data, "
            f"with full validation: `python -m atlas import engagements FILE` took **{imp['import_s']:.1f} s** "
            f"(wall time of the process, Python start-up included), peak memory {imp['peak_rss'] / 2**20:,.0f} MiB, "
            f"exit code {imp['exit']}."
        )
        for size in sizes:
            b = size["build"]
            add(
                f"- Build at {b['engagements']:,} engagements (generate the demo CSV, validate and import it, "
                f"rollups, reference data): {b['build_s']:.1f} s"
                + (" (measured when it was built; reused in this run)" if b.get("reused") else "")
                + "."
            )
        add("")
        add("```")
        add(imp["output"])
        add("```")
        add("")
    return lines


def _concurrency(data: dict) -> list[str]:
    """Many sessions at once against the real server."""
    lines: list[str] = []
    add = lines.append
    conc = data.get("concurrency")
    if conc:
        s = conc["summary"]
        add("## Concurrency")
        add("")
        if s.get("failed"):
            add(f"The concurrency run failed: {s['failed']}.")
        else:
            add(
                f"The real server (`streamlit run dashboard.py` on 127.0.0.1, database of "
                f"{conc['engagements']:,} engagements), {s['sessions']} sessions at once over the browser's "
                f"websocket protocol, spread over the pages ({', '.join(p if p != 'None' else 'Overview' for p in s['pages'])}), "
                f"each making {s['changes_per_session']} filter changes (a new shared-link query string each time, "
                "values no other session uses, so every change misses the cache). Latency: from sending the "
                "rerun request to the server's script-finished message."
            )
            add("")
            add("| Changes | p50 ms | p95 ms | max ms | Errors | Throughput | Server peak memory |")
            add("|---|---|---|---|---|---|---|")
            add(
                f"| {s['completed']} | {fmt(s['p50_ms'])} | {fmt(s['p95_ms'])} | {fmt(s['max_ms'])} | "
                f"**{s['errors']}** | {fmt(s['changes_per_s'], 1)} changes/s | "
                f"{fmt((s['server_peak_rss_bytes'] or 0) / 2**20)} MiB |"
            )
            if s["errors"]:
                add("")
                add(f"Errors: {s['error_samples']}")
        add("")
    return lines


def _reading(data: dict) -> list[str]:
    """The short reading of the figures."""
    lines: list[str] = []
    add = lines.append
    add("## Reading")
    add("")
    for line in data["reading"]:
        add(f"- {line}")
    add("")
    return lines
