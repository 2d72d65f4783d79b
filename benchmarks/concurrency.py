"""Many sessions at once against the real server.

`python -m benchmarks.concurrency --db DB --out JSON [--sessions 20] [--changes 10]` starts
`streamlit run dashboard.py` on a free port of 127.0.0.1, opens the sessions over the same websocket
protocol the browser speaks (/_stcore/stream, protobuf BackMsg/ForwardMsg), spreads them over every page,
and has each make `changes` filter changes, all sessions at the same time. A filter change is a rerun
request carrying a new shared-link query string (?from=..&to=..&area=..&country=..), which the app adopts
as its filters; every session gets filter values no other session uses, so every change misses the
server's query cache. Latency is the time from sending the request to the server's script_finished
message: the whole server side of a click (script run, queries, serialisation, sending), without the
browser's drawing. Errors: exception elements, runs that did not finish successfully, timeouts, and
dropped connections. The server is stopped at the end.

With `--replicas 1,2` (issue 14) the same sessions run once per replica count against tools/serve.py's nginx
in front of that many replicas: each session first fetches the page over HTTP to get nginx's atlas_replica
cookie and opens its websocket with it, as a browser does; the report compares 2 replicas with 1.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: streamlit is imported where it is used
    from streamlit.proto.AppPage_pb2 import AppPage

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path, script: Path | None = None) -> subprocess.Popen:
    """`streamlit run` of the app (or of `script`) on 127.0.0.1:`port`, once its health check answers."""
    env = dict(os.environ, ATLAS_DB=str(db), ATLAS_TODAY=TODAY.isoformat())
    env.pop("ATLAS_MAX_SENSITIVITY", None)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or ROOT / "dashboard.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_rss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def query_strings(n: int) -> list[str]:
    """n distinct shared-link query strings (period, mission areas, countries or regions)."""
    from atlas.data import access
    from atlas.data import filters as flt
    from benchmarks.pages import filter_plan

    base = flt.default_filters(TODAY, access.default_rank())
    out = []
    for f in filter_plan(base, None, ["Europe", "Americas"], seed=11):
        q = flt.to_query(f)
        if f.preset != "custom":  # pin the dates: a preset's dates would repeat across sessions
            q.pop("period", None)
            q["from"], q["to"] = f.start.isoformat(), f.end.isoformat()
        out.append(urllib.parse.urlencode(q))
        if len(out) == n:
            return out
    raise ValueError("not enough distinct filter combinations")


class Session:
    def __init__(self, ws, page_hash: str = ""):
        self.ws = ws
        self.page_hash = page_hash
        self.app_pages: list[AppPage] = []

    async def rerun(self, query_string: str, timeout: float) -> dict:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query_string
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.SetInParent()
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        received = 0
        errors = []
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=timeout)
            received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.app_pages = list(fwd.navigation.app_pages)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                if fwd.delta.new_element.WhichOneof("type") == "exception":
                    errors.append(fwd.delta.new_element.exception.message[:200] or "exception element")
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app asked for a rerun (st.rerun / switch_page): wait for that run
                if (
                    status != ForwardMsg.FINISHED_SUCCESSFULLY
                    and status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                ):
                    errors.append(f"script finished with status {status}")
                break
        return {"ms": (time.perf_counter() - started) * 1000, "bytes": received, "errors": errors}


def sticky_cookie(port: int, timeout: float) -> str | None:
    """The Cookie header a browser would send after its first page load (nginx's atlas_replica), if any."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=timeout) as response:
        response.read()
        cookies = [h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies) or None


async def run_session(index: int, port: int, page_name: str | None, strings: list[str], timeout: float) -> dict:
    import websockets
    from websockets.typing import Origin, Subprotocol

    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    changes: list[dict] = []
    errors: list[str] = []
    try:
        cookie = await asyncio.to_thread(sticky_cookie, port, timeout)
        headers = {"Cookie": cookie} if cookie else None
        async with websockets.connect(
            url,
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://127.0.0.1:{port}"),
            max_size=None,
            open_timeout=timeout,
            additional_headers=headers,
        ) as ws:
            session = Session(ws)
            first = await session.rerun("", timeout)
            errors += first["errors"]
            if page_name:
                page = next((p for p in session.app_pages if p.url_pathname == page_name), None)
                if page is None:
                    errors.append(f"no page {page_name}")
                else:
                    session.page_hash = page.page_script_hash
                    opened = await session.rerun("", timeout)
                    errors += opened["errors"]
            for qs in strings:
                change = await session.rerun(qs, timeout)
                changes.append(change)
                errors += change["errors"]
    except Exception as exc:  # a dropped connection or a timeout is an error of the run, not of the harness
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
    return {"session": index, "page": page_name, "changes": changes, "errors": errors}


async def run_all(port: int, sessions: int, changes: int, timeout: float, offset: int = 0) -> tuple[list[dict], float]:
    from benchmarks.pages import discover_pages

    # Page names as Streamlit derives them from pages/N_Name.py; the main page is dashboard.py.
    names = [None] + [Path(p).stem.split("_", 1)[-1] for p in discover_pages()[1:]]
    strings = query_strings(offset + sessions * changes)[offset:]
    started = time.perf_counter()
    results = await asyncio.gather(
        *[
            run_session(i, port, names[i % len(names)], strings[i * changes : (i + 1) * changes], timeout)
            for i in range(sessions)
        ]
    )
    return results, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarise(results: list[dict], wall: float, sessions: int, changes: int, rss: int | None) -> dict:
    """p50, p95, max, errors and throughput of one run of all sessions."""
    latencies = [c["ms"] for r in results for c in r["changes"]]
    errors = [e for r in results for e in r["errors"]]
    return {
        "sessions": sessions,
        "changes_per_session": changes,
        "completed": len(latencies),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies, default=None),
        "errors": len(errors),
        "error_samples": errors[:10],
        "wall_s": wall,
        "changes_per_s": len(latencies) / wall if wall else None,
        "bytes_p50": percentile([c["bytes"] for r in results for c in r["changes"]], 0.5),
        "server_peak_rss_bytes": rss,
        "pages": sorted({str(r["page"]) for r in results}),
    }


def serve_module():
    """tools/serve.py (a script folder, not a package), loaded by path."""
    import importlib.util

    path = ROOT / "tools" / "serve.py"
    spec = importlib.util.spec_from_file_location("atlas_serve", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def behind_proxy(db: Path, replicas: int, args, work: Path) -> dict:
    """All sessions through nginx in front of `replicas` replicas; the summary, peak memory summed."""
    serve = serve_module()
    env = {"ATLAS_TODAY": TODAY.isoformat()}
    cluster = serve.start(replicas, db=db, work=work / f"serve-{replicas}", env=env)
    try:
        # One untimed session per replica warms each process's imports and caches as the single server's is.
        asyncio.run(run_all(cluster.port, replicas, 1, args.timeout, offset=args.sessions * args.changes))
        results, wall = asyncio.run(run_all(cluster.port, args.sessions, args.changes, args.timeout))
        rss = [peak_rss(p.pid) for p in cluster.processes[:replicas]]
    finally:
        cluster.stop()
    summary = summarise(results, wall, args.sessions, args.changes, sum(r or 0 for r in rss))
    summary.update(replicas=replicas, replica_peak_rss_bytes=rss)
    return summary


REPLICAS_SECTION = "## Many viewers: replicas behind nginx"


def replicas_section(args, runs: list[dict], ratio: dict | None) -> list[str]:
    """The RESULTS.md section of a --replicas run."""
    from benchmarks.harness import load
    from benchmarks.numbers import fmt

    lines = [REPLICAS_SECTION, ""]
    lines.append(
        f"`python -m benchmarks.concurrency --replicas {args.replicas}` ({dt.datetime.now():%Y-%m-%d %H:%M}, load "
        f"average {' '.join(load())}): tools/serve.py's nginx in front of N `streamlit run` replicas (sticky by the "
        f"atlas_replica cookie, one cookie secret), {args.sessions} sessions x {args.changes} filter changes "
        f"through the proxy on {args.db.name}, each a cache miss."
    )
    lines += [
        "",
        "| Replicas | Changes | p50 ms | p95 ms | max ms | Errors | Throughput | Peak memory (sum) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['replicas']} | {r['completed']} | {fmt(r['p50_ms'])} | {fmt(r['p95_ms'])} | "
            f"{fmt(r['max_ms'])} | **{r['errors']}** | {fmt(r['changes_per_s'], 1)} changes/s | "
            f"{fmt((r['server_peak_rss_bytes'] or 0) / 2**20)} MiB |"
        )
    if ratio:
        met = ratio["throughput"] >= 1.5 and ratio["p95"] <= 0.6 and all(r["errors"] == 0 for r in runs)
        lines += [
            "",
            f"2 replicas vs 1: throughput {ratio['throughput']:.2f}x, p95 {ratio['p95']:.0%} of one "
            f"replica's, p50 {ratio['p50']:.0%}. Target (issue 14: >= 1.5x throughput, p95 <= 60%, 0 errors): "
            + ("met." if met else "not met."),
        ]
    return lines + [""]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="default: build one of --engagements afresh")
    parser.add_argument("--engagements", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--log", type=Path, default=None)
    parser.add_argument("--replicas", default="", help="e.g. 1,2: run behind nginx with that many replicas each")
    parser.add_argument("--report", type=Path, default=None, help="with --replicas: RESULTS.md to put the section in")
    args = parser.parse_args(argv)
    if args.db is None:
        from benchmarks.harness import WORK
        from benchmarks.steps import build_db

        args.db = Path(build_db(args.engagements, WORK / "db")["path"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.replicas:
        counts = [int(n) for n in args.replicas.split(",") if n.strip()]
        # Absolute: nginx reads its -c config relative to its -p prefix, so a relative --out doubled the path.
        runs = [behind_proxy(args.db.resolve(), n, args, args.out.resolve().parent) for n in counts]
        by = {r["replicas"]: r for r in runs}
        ratio = None
        if 1 in by and 2 in by and by[1]["changes_per_s"] and by[1]["p95_ms"]:
            ratio = {
                "throughput": by[2]["changes_per_s"] / by[1]["changes_per_s"],
                "p95": by[2]["p95_ms"] / by[1]["p95_ms"],
                "p50": by[2]["p50_ms"] / by[1]["p50_ms"],
            }
        args.out.write_text(json.dumps({"summary": runs[0], "by_replicas": runs, "ratio_2_vs_1": ratio}))
        if args.report:
            from benchmarks.browser import write_section

            write_section(args.report, replicas_section(args, runs, ratio), REPLICAS_SECTION)
        print(json.dumps({"by_replicas": runs, "ratio_2_vs_1": ratio}, indent=1))
        return 0
    port = free_port()
    log = args.log or args.out.with_suffix(".server.log")
    proc = start_server(args.db.resolve(), port, log)
    try:
        results, wall = asyncio.run(run_all(port, args.sessions, args.changes, args.timeout))
        rss = peak_rss(proc.pid)
    finally:
        stop_server(proc)
    summary = summarise(results, wall, args.sessions, args.changes, rss)
    args.out.write_text(json.dumps({"summary": summary, "sessions": results}))
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
