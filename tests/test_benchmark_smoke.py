"""The benchmark's smoke mode runs end to end, so the harness cannot rot between real runs (issue 5).

`python -m benchmarks.run --smoke` builds two tiny databases, runs every page (2 reruns), the pandas
baseline, a small import and a few concurrent sessions against the real server, and writes a report.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_smoke_run_writes_a_report(tmp_path):
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--smoke", "--out", str(out),
                           "--work", str(tmp_path / "work")],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = out.read_text()
    for section in ("# Partner Atlas benchmark results", "SMOKE RUN", "## Targets", "## Pages",
                    "### 2,000 engagements", "### 5,000 engagements", "## Growth", "## Import and build",
                    "## Concurrency", "## Reading"):
        assert section in report, section
    assert re.search(r"- Machine: \d+ cores .*GiB memory", report)
    assert re.search(r"- Command: `python -m benchmarks.run --smoke", report)

    # One row per page, each with a cold time, a bold median rerun time and a byte count.
    pages = ["Overview"] + [p.stem.split("_", 1)[-1].replace("_", " ") for p in sorted((ROOT / "pages").glob("*.py"))]
    for page in pages:
        assert re.search(rf"^\| {re.escape(page)} \| [\d,]+ \| \*\*[\d,]+\*\* \| [\d,]+ \|", report, re.M), page
    assert "Errors in page runs" not in report
    # The baseline computed the same numbers as the app for every call it checked.
    for checked, agreed in re.findall(r"answers checked against ours: (\d+)/(\d+) agree", report):
        assert checked == agreed and int(checked) > 0
    assert re.search(r"took \*\*[\d.]+ s\*\*", report)                       # the import
    assert re.search(r"^\| \d+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| \*\*0\*\* \|", report, re.M)  # concurrency, 0 errors
