"""The benchmark's smoke mode runs end to end, so the harness cannot rot between real runs (issue 5).

`python -m benchmarks.run --smoke` builds two tiny databases, runs every page (2 reruns), the pandas
baseline, a small import and a few concurrent sessions against the real server, and writes a report.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_smoke_run_writes_a_report(tmp_path):
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--out", str(out), "--work", str(tmp_path / "work")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )  # a loaded machine
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = out.read_text()
    for section in (
        "# Partner Atlas benchmark results",
        "SMOKE RUN",
        "## Targets",
        "## Pages",
        "### 2,000 engagements",
        "### 5,000 engagements",
        "## Growth",
        "## Import and build",
        "## Concurrency",
        "## Reading",
        "### Why the results of 2026-11-30 did not reproduce",
        "## Widget path",
        "### 2,000 engagements, widget path",
        "## Rollup rows against raw rows",
    ):
        assert section in report, section
    assert re.search(r"- Machine: \d+ cores .*GiB memory", report)
    assert re.search(r"- Command: `python -m benchmarks.run --smoke", report)
    # Databases built by this run, from a named commit; the rollup ratio for every size.
    assert re.search(r"- Code: commit \w+.*2k database built in this run.*5k database built in this run", report)
    assert re.search(r"^\| 2,000 \| [\d,]+ \(\d\.\d{3}\)", report, re.M)
    assert re.search(r"^\| 5,000 \| [\d,]+ \(\d\.\d{3}\)", report, re.M)

    # One row per page, each with a cold time, a bold median rerun time and a byte count.
    pages = ["Overview"] + [p.stem.split("_", 1)[-1].replace("_", " ") for p in sorted((ROOT / "pages").glob("*.py"))]
    for page in pages:
        assert re.search(rf"^\| {re.escape(page)} \| [\d,]+ \| \*\*[\d,]+\*\* \| [\d,]+ \|", report, re.M), page
    assert "Errors in page runs" not in report
    # The sizes' pages ran in two alternating rounds, merged: every page has the misses of both.
    merged = json.loads((tmp_path / "work" / "pages-2k.json").read_text())
    assert len(merged["pages"]) == len(pages)
    for page in merged["pages"]:
        misses = [r for r in page["runs"] if r["phase"] == "miss"]
        assert len(misses) == 2 and misses[0]["filters"] != misses[1]["filters"], page["page"]
    # The baseline computed the same numbers as the app for every call it checked.
    for checked, agreed in re.findall(r"answers checked against ours: (\d+)/(\d+) agree", report):
        assert checked == agreed and int(checked) > 0
    # Every query a page runs has its pandas version, so the comparison is the whole data step on both sides.
    assert "Queries without a pandas version" not in report
    assert "(no pandas version)" not in report
    assert re.search(r"took \*\*[\d.]+ s\*\*", report)  # the import
    assert re.search(r"^\| \d+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| \*\*0\*\* \|", report, re.M)  # concurrency, 0 errors
    # The widget path: a widget median for every page that has the shared sidebar, beside the session_state one.
    for page in [p for p in pages if p != "Briefing"]:
        assert re.search(
            rf"^\| {re.escape(page)} \| [\d,]+ \| \*\*[\d,]+\*\* \| [\d,]+ \|", report.split("## Widget path")[1], re.M
        ), page


def test_the_fingerprint_covers_every_atlas_module_a_build_imports():
    """A database is reused (--reuse) only while nothing that shaped it changed: every module the build
    process imports from this checkout must be a shaping file."""
    script = (
        "import sys, atlas.data.build, atlas.data.demo; "
        "print('\\n'.join(m.__file__ for m in list(sys.modules.values()) "
        "if getattr(m, '__file__', None) and m.__name__.split('.')[0] == 'atlas'))"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    from benchmarks.steps import shaping_files

    shaping = set(shaping_files())
    imported = {Path(line).resolve() for line in proc.stdout.split()}
    assert imported and imported <= shaping, sorted(imported - shaping)
    for name in ("atlas/data/schema.sql", "atlas/data/macros.sql", "data/countries.csv", "requirements.txt"):
        assert ROOT / name in shaping


@pytest.mark.e2e
@pytest.mark.slow
def test_browser_benchmark_smoke_writes_its_section(tmp_path):
    report = tmp_path / "RESULTS.md"
    report.write_text("# Partner Atlas benchmark results\n\n## Targets\n\nkept\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.browser",
            "--smoke",
            "--reps",
            "1",
            "--pages",
            "pages/5_Data.py",
            "--work",
            str(tmp_path / "work"),
            "--report",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = report.read_text()
    assert "## Targets\n\nkept" in text  # the other sections stay
    assert re.search(
        r"^\| Data \| \d+ \+ \d+ \| [\d,]+ \| \*\*[\d,]+\*\* \| [\d,]+ \| \*\*[\d,]+\*\* \| [\d,]+ \| [\d,]+ \| "
        r"[\d,]+ \| 1/1 \| 0 \|",
        text,
        re.M,
    ), text
    row = re.search(r"^\| Data \|.*$", text, re.M)
    assert row is not None
    cells = [c.strip() for c in row.group(0).split("|")[1:-1]]
    # A click draws something (the rerun's elements arrive as messages) and both sides did work for it.
    assert int(cells[6].replace(",", "")) > 10 and int(cells[8].replace(",", "")) > 0, cells
    # The bare reference page was measured in the same run, with the rest of the app's sidebar and page absent.
    floor = re.search(r"^\| \*Reference: bare Streamlit page\* \|.*$", text, re.M)
    assert floor is not None, text
    reference = [c.strip() for c in floor.group(0).split("|")[1:-1]]
    assert reference[-2:] == ["1/1", "0"], reference
    assert 0 < int(reference[6].replace(",", "")) < int(cells[6].replace(",", "")), (reference, cells)
    assert re.search(r"the slowest page's click-to-update p75 is [\d.]+x", text), text


def test_a_bench_run_keeps_the_browser_and_replica_sections_of_the_report(tmp_path):
    """`make bench` rewrites RESULTS.md; the sections `make bench-browser` and `make bench-serve` wrote stay."""
    from benchmarks import report
    from benchmarks.browser import SECTION
    from benchmarks.concurrency import REPLICAS_SECTION

    out = tmp_path / "RESULTS.md"
    out.write_text(
        f"# old\n\n## Pages\nold pages\n\n{SECTION}\n\n| browser row |\n\n{REPLICAS_SECTION}\n\nreplica row\n\n## Reading\nold\n"
    )
    kept = report._other_sections(out)
    assert kept == f"{SECTION}\n\n| browser row |\n\n{REPLICAS_SECTION}\n\nreplica row\n"
    assert report._other_sections(tmp_path / "missing.md") == ""
