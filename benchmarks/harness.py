"""Running the benchmark's child processes, and what the machine is."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
TODAY = "2026-11-30"


def env() -> dict:
    """The children's environment: the demo's today, this checkout importable, no sensitivity cap."""
    e = dict(os.environ, ATLAS_TODAY=TODAY, PYTHONPATH=str(ROOT))
    e.pop("ATLAS_MAX_SENSITIVITY", None)
    return e


def log(text: str) -> None:
    """A progress line on stderr."""
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def run_child(
    args: list[str], *, timeout: float | None = None, stdout=None, log_file: Path | None = None
) -> tuple[float, int, int]:
    """Run a Python child process; (seconds, exit code, its peak RSS in bytes). With `log_file`, its stderr
    goes there and only its progress lines (two leading spaces) are echoed."""
    started = time.perf_counter()
    err = log_file.open("w") if log_file else None
    proc = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env(), stdout=stdout or subprocess.DEVNULL, stderr=err
    )
    deadline = None if timeout is None else time.time() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.time() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if err is not None and log_file is not None:
        err.close()
        text = log_file.read_text(errors="replace")
        lines = text.splitlines() if proc.returncode else [ln for ln in text.splitlines() if ln.startswith("  ")]
        for line in lines[-60:]:
            print(line, file=sys.stderr)
    return time.perf_counter() - started, proc.returncode, usage.ru_maxrss * 1024


def machine() -> dict:
    """Cores, memory, CPU model and the versions that matter."""
    mem = None
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) * 1024
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import duckdb
    import pandas
    import streamlit

    return {
        "cores": os.cpu_count(),
        "memory_bytes": mem,
        "cpu": model,
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "os": platform.platform(),
    }


def load() -> list[str]:
    """The 1, 5 and 15 minute load averages."""
    return Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"] * 3
