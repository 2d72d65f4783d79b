"""Per-page and per-query figures from the raw measurements of benchmarks.pages and benchmarks.baseline."""

from __future__ import annotations

from benchmarks.numbers import median, p95


def page_figures(pages: dict, baseline: dict) -> list[dict]:
    """One row per page: cold, rerun and cached times, bytes, and the comparison with the pandas baseline."""
    base_by_page = {p["page"]: p["reruns"] for p in baseline["pages"]}
    rows = []
    for page in pages["pages"]:
        runs = page["runs"]
        miss = [r for r in runs if r["phase"] == "miss"]
        hit = [r for r in runs if r["phase"] == "hit"]
        cold = runs[0]
        every_base = base_by_page.get(page["page"], [])
        base = [b for b in every_base if b.get("phase", "miss") == "miss"]
        widget_base = [b for b in every_base if b.get("phase") == "widget-miss"]
        widget_miss = [r for r in runs if r["phase"] == "widget-miss"]
        base_ms = median([b["baseline_ms"] for b in base])
        # Ours: the wall time the page's queries took (they may run side by side); the baseline runs its
        # pandas version of the same calls one after the other, as the analyst's page would.
        ours_ms = median([r["query_ms"] for r in miss])
        wall = median([r["wall_ms"] for r in miss])
        query = median([r["query_ms"] for r in miss])
        covered = sum(b["covered"] for b in base)
        calls = sum(b["calls"] for b in base)
        # The analyst's page: our page with its query time replaced by the pandas time, rerun by rerun.
        whole_base = median([r["wall_ms"] - r["query_ms"] + b["baseline_ms"] for r, b in zip(miss, base)])
        rows.append(
            {
                "page": page["page"],
                "cold_ms": cold["wall_ms"],
                "cold_query_ms": cold["query_ms"],
                "miss_median_ms": wall,
                "miss_p95_ms": p95([r["wall_ms"] for r in miss]),
                "hit_median_ms": median([r["wall_ms"] for r in hit]),
                "query_median_ms": query,
                "rest_median_ms": median([r["wall_ms"] - r["query_ms"] for r in miss]),
                "figure_median_ms": median([r.get("figure_ms") for r in miss]),
                "queries_per_rerun": median([r["queries"] for r in miss]),
                "kb_median": median([r["bytes"] for r in miss]) / 1000,
                "kb_max": max([r["bytes"] for r in runs]) / 1000,
                "top_bytes": cold["top_bytes"],
                "base_data_ms": base_ms,
                "ours_data_ms": ours_ms,
                "speedup_data": (base_ms / ours_ms) if ours_ms and base_ms else None,  # None: no pandas version
                "speedup_page": (whole_base / wall) if wall else None,
                "baseline_page_ms": whole_base,
                "covered": f"{covered}/{calls}",
                # The widget path (issue 14): one sidebar widget changed per rerun, as a user does.
                "widget_miss_median_ms": median([r["wall_ms"] for r in widget_miss]),
                "widget_miss_p95_ms": p95([r["wall_ms"] for r in widget_miss]),
                "widget_query_median_ms": median([r["query_ms"] for r in widget_miss]),
                "widget_queries_per_rerun": median([r["queries"] for r in widget_miss]),
                "widget_hit_median_ms": median([r["wall_ms"] for r in runs if r["phase"] == "widget-hit"]),
                "plain_rerun_median_ms": median([r["wall_ms"] for r in runs if r["phase"] == "rerun"]),
                "widget_base_data_ms": median([b["baseline_ms"] for b in widget_base]),
                "widget_misses": len(widget_miss),
                "widget_repeats": sum(r["phase"] == "widget-repeat" for r in runs),
                "errors": sum(len(r["errors"]) for r in runs),
                "error_samples": [e for r in runs for e in r["errors"]][:3],
            }
        )
    return rows


def query_figures(pages: dict) -> dict:
    """Median and maximum ms per call of each named query in the cache-miss reruns, and how often it ran."""
    times: dict[str, list[float]] = {}
    for page in pages["pages"]:
        for run in page["runs"]:
            if run["phase"] == "miss":
                for call in run["calls"]:
                    times.setdefault(call["name"], []).append(call["seconds"] * 1000)
    return {name: {"median_ms": median(v), "max_ms": max(v), "calls": len(v)} for name, v in sorted(times.items())}
