"""Speed as the browser shows it: `python -m benchmarks.browser [--engagements 1000000 | --db DB] [--smoke]`.

Starts the real server (`streamlit run dashboard.py` on a free 127.0.0.1 port) on a database of the given size
(built afresh in benchmarks/work/db unless --db is given) and drives a real Chromium (/usr/bin/chromium through
Playwright, the launch flags of tests/e2e/conftest.py, every non-local request blocked). Per page and per
repetition, in a new tab of one browser profile (a new server session; the profile's HTTP cache stays warm as
for a colleague who opened the app before, after one untimed visit; until 2026-12-04 each repetition had a new
profile, whose empty cache fetched and compiled Streamlit's code again):

- first load: from navigation start to the last change drawn (not counting changes inside a <canvas>, which
  are never painted: see WATCH_JS): the page's script run has finished (the
  server's script_finished message, read from the websocket), Streamlit's running indicator and every
  skeleton or stale element are gone, every plotly chart has its SVG and every deck map its canvas, and
  nothing in the document changed for QUIET_MS; the time is that of the last change (a MutationObserver
  timestamp), not of when the quiet was noticed;
- click-to-update: a mission area picked in the sidebar multiselect, from the click on the option to the last
  change drawn after the next finished script run, by the same rule.

Each repetition opens the page with its own period in the link (?from=..&to=..) and picks its own area, so the
server's query cache misses as it does for a new question. Last, a reference page (benchmarks/floor_app.py: a
bare Streamlit script with the same multiselect) is measured the same way on a server of its own: the floor
that Streamlit and this browser put under every page. Writes p50 and p75 per page to a JSON file and,
with --report, a section of its own in RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

from benchmarks.concurrency import free_port, start_server, stop_server
from benchmarks.harness import ROOT, WORK, load, log
from benchmarks.numbers import fmt, human, page_name

CHROMIUM = "/usr/bin/chromium"
# The flags that work on this platform (tests/e2e/conftest.py LAUNCH_ARGS; a test checks they agree).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUIET_MS = 400
PICK_SENT_S = 10
SECTION = "## Browser (real server, real Chromium)"
FLOOR_APP = ROOT / "benchmarks" / "floor_app.py"
FLOOR_ROW = "*Reference: bare Streamlit page*"

# Installed before any page script: the time of the last change to the document and of the last pointer press.
# A change inside a <canvas> is not drawn (a canvas paints its pixels; its children are fallback content): the
# table grid keeps its screen-reader table there and refreshes it 200 ms after each change (glide-data-grid
# debounces it), which would otherwise be every table page's "last change".
WATCH_JS = """
window.__atlas = {last: 0, press: null};
const __drawn = (m) => { const n = m.target.nodeType === 1 ? m.target : m.target.parentElement;
  if (!n) return true;
  if (n.tagName === 'CANVAS') return m.type === 'attributes';  // its size is drawn, its children are not
  return !n.closest('canvas'); };
new MutationObserver((ms) => { if (ms.some(__drawn)) window.__atlas.last = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
document.addEventListener('pointerdown', () => { window.__atlas.press = performance.now(); }, true);
"""
# True once the page is drawn: nothing running, nothing stale, every chart with its drawing, and quiet.
SETTLED_JS = """(quiet) => {
  const q = (s) => document.querySelectorAll(s);
  if (!document.querySelector('[data-testid="stApp"]')) return false;
  if (q('[data-testid="stStatusWidget"]').length || q('[data-testid="stSkeleton"]').length) return false;
  if (q('[data-stale="true"]').length) return false;
  for (const c of q('[data-testid="stPlotlyChart"]')) if (!c.querySelector('.main-svg')) return false;
  for (const c of q('[data-testid="stDeckGlJsonChart"]')) if (!c.querySelector('canvas')) return false;
  return performance.now() - window.__atlas.last >= quiet;
}"""
LOCAL_PREFIXES = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")  # the rest is blocked
# Only requests elsewhere are routed (recorded and aborted), the browser tests import this: routing every request
# through Playwright's driver and this process added about 0.7 s to each first load, a cost no user pays.
NOT_LOCAL = re.compile("^(?!(" + "|".join(re.escape(p) for p in LOCAL_PREFIXES) + "))")
# Why a page is not settled (for the error a timeout records): the first condition of SETTLED_JS that fails.
BLOCKING_JS = """(quiet) => {
  const q = (s) => document.querySelectorAll(s);
  if (!document.querySelector('[data-testid="stApp"]')) return 'no app';
  if (q('[data-testid="stStatusWidget"]').length) return 'running indicator shown';
  if (q('[data-testid="stSkeleton"]').length) return 'skeleton shown';
  if (q('[data-stale="true"]').length) return q('[data-stale="true"]').length + ' stale elements';
  for (const c of q('[data-testid="stPlotlyChart"]')) if (!c.querySelector('.main-svg')) return 'a plotly chart undrawn';
  for (const c of q('[data-testid="stDeckGlJsonChart"]')) if (!c.querySelector('canvas')) return 'a map undrawn';
  const since = performance.now() - window.__atlas.last;
  return since >= quiet ? 'settled' : 'changing (last change ' + Math.round(since) + ' ms ago)';
}"""
COUNT_JS = """() => ({plotly: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
                     deck: document.querySelectorAll('[data-testid="stDeckGlJsonChart"]').length})"""


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds used so far: user + system) of every process this machine shows."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we read
            continue
        out[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return out


def cpu_split(server_pid: int) -> dict:
    """CPU seconds used so far by the server process, and by each browser process (every process descending from
    this one but the server: Playwright's driver and the Chromium it started), pid -> seconds. Other work on the
    machine is not counted. Only processes alive now are seen: compare two readings with cpu_used."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _cpu) in table.items():
        children.setdefault(ppid, []).append(pid)
    browser: dict[int, float] = {}
    todo = [c for c in children.get(os.getpid(), []) if c != server_pid]
    while todo:
        pid = todo.pop()
        browser[pid] = table[pid][1]
        todo += children.get(pid, [])
    return {"server": table.get(server_pid, (0, 0.0))[1], "browser": browser}


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds the server and the browser used between two cpu_split readings. A browser process that ended in
    between (a closed tab's renderer) is left out, not subtracted: its last seconds are not known."""
    browser = sum(cpu - before["browser"].get(pid, 0.0) for pid, cpu in after["browser"].items())
    return {"server": after["server"] - before["server"], "browser": browser}


def page_paths() -> list[tuple[str, str]]:
    """(page file, URL path) of every page, as Streamlit derives the path from pages/N_Name.py."""
    from benchmarks.pages import discover_pages

    return [(p, "" if p == "dashboard.py" else Path(p).stem.split("_", 1)[-1]) for p in discover_pages()]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (linear interpolation); NaN for no values."""
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Runs:
    """Script runs the server reported finished on one browser page, read from its websocket frames."""

    def __init__(self, page) -> None:
        self.finished = 0
        self.sent = 0  # frames the browser sent (a widget change sends its rerun request)
        self.received = 0  # ForwardMsgs the server sent (one per element delta, plus run and page messages)
        self.failed: list[str] = []
        self.statuses: list[str] = []  # every script_finished status, by name (fragment runs told apart)
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._sent)

    def _sent(self, payload) -> None:
        self.sent += 1

    def _frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: nothing to count
            return
        self.received += 1
        if msg.WhichOneof("type") != "script_finished":
            return
        status = msg.script_finished
        self.statuses.append(ForwardMsg.ScriptFinishedStatus.Name(status))
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return  # a rerun follows (st.rerun, switch_page): wait for that one
        if status not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
            self.failed.append(f"script finished with status {status}")
        self.finished += 1


def settle(page, runs: Runs, after: int, timeout_ms: float) -> float:
    """Wait for a script run past `after` and a drawn, quiet page; the in-page time of its last change."""
    deadline = time.time() + timeout_ms / 1000
    while runs.finished <= after:
        if time.time() > deadline:
            raise TimeoutError(f"no finished script run after {after} (statuses so far: {runs.statuses})")
        page.wait_for_timeout(10)
    try:
        page.wait_for_function(SETTLED_JS, arg=QUIET_MS, timeout=max(1000, (deadline - time.time()) * 1000), polling=50)
    except Exception as exc:
        raise TimeoutError(f"not settled: {page.evaluate(BLOCKING_JS, QUIET_MS)}") from exc
    return page.evaluate("() => window.__atlas.last")


def pick_area(page, runs: Runs, label: str) -> None:
    """Open the sidebar's mission-area multiselect and choose `label` (the press is timestamped in the page).

    A pick the browser did not send to the server within PICK_SENT_S (the list redrawn under the pointer on a
    busy machine) is made again, as a user would; the time then runs from the second press."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text="Mission areas")
    for _attempt in range(2):
        sent = runs.sent
        box.locator("input").click()
        page.locator("[role='option']").filter(has_text=label).first.click()
        deadline = time.time() + PICK_SENT_S
        while runs.sent == sent and time.time() < deadline:
            page.wait_for_timeout(20)
        if runs.sent > sent:
            return
        page.keyboard.press("Escape")
    raise TimeoutError(f"picking {label!r} twice sent nothing to the server")


def area_labels() -> list[str]:
    """The mission areas as the multiselect shows them."""
    from atlas.data import vocab

    return [vocab.mission_area_label(m.code) for m in vocab.MISSION_AREAS]


class Browsing:
    """One browser profile for a whole run, as one colleague's browser: its HTTP cache (Streamlit's code, the map
    geometry) is kept from tab to tab, every other address is blocked (and recorded), the clock is installed."""

    def __init__(self, browser) -> None:
        self.blocked: list[str] = []
        self.context = browser.new_context(viewport={"width": 1600, "height": 1200})
        self.context.route(NOT_LOCAL, self._block)
        self.context.add_init_script(WATCH_JS)

    def _block(self, route) -> None:
        """Record and abort a request to another machine (only those are routed)."""
        self.blocked.append(route.request.url)
        route.abort()

    def close(self) -> None:
        self.context.close()


def measure_page(
    browsing: Browsing, base_url: str, path: str, reps: int, rep_offset: int, timeout_ms: float, server_pid: int
) -> dict:
    """First load and click-to-update of one page, `reps` times, each in a new tab (a new server session; the
    profile's HTTP cache kept, as for someone who opened the app before); per click also the messages the server
    sent and the CPU time the server and the browser spent, from the press until the page was settled (the
    quiet wait included, in which nothing is drawn)."""
    first: list[float] = []
    update: list[float] = []
    messages: list[int] = []
    server_cpu: list[float] = []
    browser_cpu: list[float] = []
    errors: list[str] = []
    blocked_before = len(browsing.blocked)
    charts: dict[str, int] | None = None

    for i in range(reps):
        stage = "first load"
        page = browsing.context.new_page()
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)[:200]))
        runs = Runs(page)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rep_offset + i)
        url = f"{base_url}/{path}?from={day.isoformat()}&to=2026-11-30"
        try:
            page.goto(url, wait_until="commit", timeout=timeout_ms)
            first.append(settle(page, runs, 0, timeout_ms))
            charts = page.evaluate(COUNT_JS)
            stage = "click"
            before, received, cpu_before = runs.finished, runs.received, cpu_split(server_pid)
            labels = area_labels()
            if path == "Briefing":  # the wall runs from the link's filters, with no sidebar: the click is Next
                page.locator(".st-key-brief_next button").click()
            else:
                pick_area(page, runs, labels[(rep_offset + i) % len(labels)])
            stage = "update"
            last = settle(page, runs, before, timeout_ms)
            press = page.evaluate("() => window.__atlas.press")
            cpu_after = cpu_split(server_pid)
            update.append(last - press)
            messages.append(runs.received - received)
            used = cpu_used(cpu_before, cpu_after)
            server_cpu.append(1000 * used["server"])
            browser_cpu.append(1000 * used["browser"])
        except Exception as exc:  # a page that never settles is a result, not a crash of the benchmark
            errors.append(f"{stage}: {type(exc).__name__}: {exc}"[:400])
        errors += runs.failed
        page.close()
    return {
        "first_load_ms": first,
        "update_ms": update,
        "update_messages": messages,
        "update_server_cpu_ms": server_cpu,
        "update_browser_cpu_ms": browser_cpu,
        "charts": charts,
        "errors": errors,
        "blocked": sorted(set(browsing.blocked[blocked_before:])),
    }


def run(db: Path, reps: int, pages: list[str] | None, timeout_ms: float, log_dir: Path) -> dict:
    """Every page against one server; figures per page."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    proc = start_server(db, port, log_dir / "browser-server.log")
    out = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            browsing = Browsing(browser)
            try:
                # One untimed visit warms the server's imports and the profile's cache of Streamlit's code.
                measure_page(browsing, f"http://127.0.0.1:{port}", "", 1, 500, timeout_ms, proc.pid)
                for k, (file, path) in enumerate(page_paths()):
                    if pages and file not in pages:
                        continue
                    log(f"browser: {page_name(file)}")
                    r = measure_page(browsing, f"http://127.0.0.1:{port}", path, reps, k * reps, timeout_ms, proc.pid)
                    out.append(summarise(dict(r, page=file)))
                floor = measure_floor(browsing, db, reps, timeout_ms, log_dir)
            finally:
                browsing.close()
                browser.close()
    finally:
        stop_server(proc)
    return {"pages": out, "floor": floor}


def summarise(r: dict) -> dict:
    """Add the percentiles the report prints to one page's measurements."""
    r.update(
        first_load_p50_ms=percentile(r["first_load_ms"], 0.5),
        first_load_p75_ms=percentile(r["first_load_ms"], 0.75),
        update_p50_ms=percentile(r["update_ms"], 0.5),
        update_p75_ms=percentile(r["update_ms"], 0.75),
        update_messages_p50=percentile(r["update_messages"], 0.5),
        update_server_cpu_p50_ms=percentile(r["update_server_cpu_ms"], 0.5),
        update_browser_cpu_p50_ms=percentile(r["update_browser_cpu_ms"], 0.5),
    )
    return r


def measure_floor(browsing: Browsing, db: Path, reps: int, timeout_ms: float, log_dir: Path) -> dict:
    """The reference page (benchmarks/floor_app.py, a bare Streamlit script with the same control) on a server
    of its own, by the same rules, after the app's server has stopped drawing: what any Streamlit page costs here."""
    port = free_port()
    proc = start_server(db, port, log_dir / "browser-floor.log", script=FLOOR_APP)
    try:
        log("browser: reference page")
        url = f"http://127.0.0.1:{port}"
        measure_page(browsing, url, "", 1, 500, timeout_ms, proc.pid)  # warm, as for the app
        return summarise(dict(measure_page(browsing, url, "", reps, 0, timeout_ms, proc.pid), page="reference page"))
    finally:
        stop_server(proc)


def section(result: dict) -> list[str]:
    """The RESULTS.md section for one browser run."""
    lines = [SECTION, ""]
    add = lines.append
    add(
        f"- Date: {result['started']}; command: `{result['command']}`; load average at start "
        f"{' '.join(result['load_start'])}, at end {' '.join(result['load_end'])}."
        + (" **SMOKE RUN**: tiny database, the figures mean nothing." if result["smoke"] else "")
    )
    add(
        f"- Database of {result['engagements']:,} engagements; {result['reps']} repetitions per page, each a new "
        "tab (a new server session) of one browser profile whose HTTP cache is warm from an untimed first visit, as "
        "for someone who opened the app before, opening its own link (its own period) and then picking its own "
        "mission area."
    )
    add(
        "- *First load*: navigation start to the last change drawn (script run finished, no running indicator, "
        "nothing stale, every plotly chart and deck map drawn, then quiet for "
        f"{QUIET_MS} ms; the time is that of the last change; a change inside a canvas, such as the table grid's "
        "screen-reader table, is not drawn and not counted). *Click-to-update*: from the press on a mission "
        "area in the sidebar multiselect (on the Briefing, which has no sidebar, on Next) to the last change drawn "
        "after the next finished run."
    )
    add("")
    add(
        "- *Per click* (medians): the messages the server sent for the rerun (one per element drawn, plus the run's "
        "own), and the CPU time the server process (script, DuckDB) and the browser (Chromium and Playwright's "
        "driver) used from the press until the page was settled, the quiet wait included. Both share this "
        "machine's cores: where the browser's time is several times the server's, the click waits for the "
        "browser drawing what it was sent, not for the data."
    )
    add("")
    add(
        "| Page | Charts (plotly + maps) | First load p50 ms | First load p75 ms | Click-to-update p50 ms | "
        "Click-to-update p75 ms | Click: messages | Click: server CPU ms | Click: browser CPU ms | Runs | Errors |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in result["pages"]:
        add(_row(page_name(r["page"]), r, result["reps"]))
    floor = result.get("floor")
    if floor:
        add(_row(FLOOR_ROW, floor, result["reps"]))
    worst_first = max((r["first_load_p75_ms"] for r in result["pages"]), default=float("nan"))
    worst_update = max((r["update_p75_ms"] for r in result["pages"]), default=float("nan"))
    met = all(r["first_load_p75_ms"] <= 2500 and r["update_p75_ms"] <= 300 for r in result["pages"])
    add("")
    add(
        f"Targets (issue 14, at 1M): click-to-update p75 <= 300 ms and first load p75 <= 2.5 s on every page: "
        f"worst click-to-update p75 {fmt(worst_update)} ms, worst first load p75 {fmt(worst_first)} ms: "
        + (
            "met."
            if met and result["engagements"] >= 1_000_000
            else ("not met." if result["engagements"] >= 1_000_000 else "not judged below 1M.")
        )
    )
    if floor and floor["update_ms"]:
        add("")
        add(
            f"{FLOOR_ROW} (benchmarks/floor_app.py, not a page of the app): one sidebar multiselect with the same "
            "labels and one line of text, on a server of its own in the same run, measured by the same rules. It "
            "is the floor under every page: Streamlit's own code loading and redrawing after a rerun on this "
            f"machine and browser. Against it, the slowest page's click-to-update p75 is "
            f"{worst_update / floor['update_p75_ms']:.1f}x and its first load p75 "
            f"{worst_first / floor['first_load_p75_ms']:.1f}x; the reference alone takes "
            f"{floor['update_p75_ms'] / 300:.0%} of the 300 ms click budget and "
            f"{floor['first_load_p75_ms'] / 2500:.0%} of the 2.5 s first-load budget."
        )
    measured = result["pages"] + ([floor] if floor else [])
    samples = [f"{page_name(r['page'])}: {e}" for r in measured for e in r["errors"][:2]]
    if samples:
        add("")
        add("Errors (first few): " + "; ".join(samples[:6]))
    add("")
    return lines


def _row(name: str, r: dict, reps: int) -> str:
    c = r["charts"] or {"plotly": 0, "deck": 0}
    return (
        f"| {name} | {c['plotly']} + {c['deck']} | {fmt(r['first_load_p50_ms'])} | "
        f"**{fmt(r['first_load_p75_ms'])}** | {fmt(r['update_p50_ms'])} | **{fmt(r['update_p75_ms'])}** | "
        f"{fmt(r['update_messages_p50'])} | {fmt(r['update_server_cpu_p50_ms'])} | "
        f"{fmt(r['update_browser_cpu_p50_ms'])} | {len(r['update_ms'])}/{reps} | {len(r['errors'])} |"
    )


def write_section(report: Path, lines: list[str], title: str = SECTION) -> None:
    """Put a section (its first line is `title`) into `report`, replacing an earlier one; the others are kept."""
    text = report.read_text() if report.exists() else "# Partner Atlas benchmark results\n"
    head, sep, rest = text.partition(title)
    if sep:
        following = rest.find("\n## ")
        rest = rest[following + 1 :] if following >= 0 else ""
    else:
        head, rest = text.rstrip("\n") + "\n\n", ""
    report.write_text(head + "\n".join(lines) + ("\n" + rest if rest else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="an existing database (default: build one)")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per page (default 10, smoke 2)")
    parser.add_argument("--pages", default="", help="comma-separated page files (default: all)")
    parser.add_argument("--smoke", action="store_true", help="3,000 engagements, 2 repetitions, 2 pages")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a page may take to settle")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default WORK/browser.json)")
    parser.add_argument(
        "--report",
        type=Path,
        default=None,
        help="RESULTS.md to write the section into (default benchmarks/RESULTS.md; smoke: WORK)",
    )
    args = parser.parse_args(argv)
    work = args.work or (WORK / "smoke" if args.smoke else WORK)
    n = 3000 if args.smoke else args.engagements
    reps = args.reps or (2 if args.smoke else 10)
    pages = [p for p in args.pages.split(",") if p] or (
        ["dashboard.py", "pages/1_Activity_Map.py"] if args.smoke else None
    )
    started = dt.datetime.now().isoformat(timespec="seconds")
    load_start = load()
    if args.db:
        from benchmarks.steps import rollup_rows

        db = args.db.resolve()
        n = rollup_rows(db)["table_rows"].get("engagements", n)
    else:
        from benchmarks.steps import build_db

        db = Path(build_db(n, work / "db")["path"])
    result = run(db, reps, pages, args.timeout * 1000, work)
    result.update(
        started=started,
        load_start=load_start,
        load_end=load(),
        smoke=args.smoke,
        engagements=n,
        reps=reps,
        db=str(db),
        command="python -m benchmarks.browser " + " ".join(argv if argv is not None else sys.argv[1:]),
    )
    out = args.out or work / "browser.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    report = args.report or (work / "RESULTS.md" if args.smoke else ROOT / "benchmarks" / "RESULTS.md")
    write_section(report, section(result))
    log(f"browser: wrote {out} and the section in {report} ({human(n)} engagements)")
    measured = result["pages"] + ([result["floor"]] if result.get("floor") else [])
    for r in measured:
        for e in r["errors"]:
            log(f"browser: error on {page_name(r['page'])}: {e}")
    return 1 if any(r["errors"] for r in measured) else 0


if __name__ == "__main__":
    sys.exit(main())
