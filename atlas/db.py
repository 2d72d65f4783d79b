"""Open the database and run named queries from queries/*.sql with bound parameters.

Every SQL statement the app runs goes through `Database.query` (or `run_sql` for the fixed
statements of import and build), so values are always bound, never formatted into SQL text.
"""
from __future__ import annotations

import functools
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from atlas import version
from atlas.config import QUERIES_DIR

PARAM_RE = re.compile(r"(?<![:\w])\$([A-Za-z_][A-Za-z0-9_]*)")
HEADER_PARAMS_RE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE | re.IGNORECASE)
CATALOG = "atlas"


class QueryStats:
    """Always-on, thread-safe totals of the named queries this process ran (read by the benchmark).

    `listeners` get (name, params, seconds) after each query; they must be quick and must not raise.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.seconds = 0.0
        self.busy = 0.0  # wall time with at least one query running (queries may run side by side)
        self._running = 0
        self._busy_since = 0.0
        self.listeners: list[Callable[[str, Mapping[str, Any], float], None]] = []

    def started(self) -> None:
        with self._lock:
            if self._running == 0:
                self._busy_since = time.perf_counter()
            self._running += 1

    def record(self, name: str, params: Mapping[str, Any], seconds: float) -> None:
        with self._lock:
            self.count += 1
            self.seconds += seconds
            self._running -= 1
            if self._running == 0:
                self.busy += time.perf_counter() - self._busy_since
            listeners = list(self.listeners)
        for listener in listeners:
            listener(name, params, seconds)

    def snapshot(self) -> tuple[int, float]:
        """(queries run, seconds spent in them, summed over queries) so far."""
        with self._lock:
            return self.count, self.seconds

    def busy_seconds(self) -> float:
        """Wall time so far during which any query was running."""
        with self._lock:
            return self.busy


STATS = QueryStats()


class UnknownQuery(KeyError):
    """No queries/<name>.sql: the name is not on the allow-list of queries."""


def query_names() -> list[str]:
    """Every query the app may run, by file name without .sql."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@functools.lru_cache(maxsize=None)
def query_text(name: str) -> str:
    """The SQL of queries/<name>.sql; only names of files in that folder are accepted."""
    if name not in query_names():
        raise UnknownQuery(name)
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def used_params(sql: str) -> set[str]:
    """Named parameters ($name) the statement uses, ignoring comments and string literals."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    body = re.sub(r"'(?:[^']|'')*'", "''", body)
    return set(PARAM_RE.findall(body))


def declared_params(sql: str) -> set[str]:
    """Parameters named in the header comment line `-- params: $a, $b` (or `-- params: none`)."""
    match = HEADER_PARAMS_RE.search(sql)
    if not match:
        return set()
    return set(PARAM_RE.findall(match.group(1)))


def file_signature(path: Path) -> tuple[int, int, int]:
    """Changes whenever an import swaps in a new database file."""
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass
class Database:
    """A read-only view of one generation of the database file."""

    path: Path
    con: duckdb.DuckDBPyConnection
    signature: tuple[int, int, int]
    _idle: queue.SimpleQueue = field(default_factory=queue.SimpleQueue, repr=False)

    @classmethod
    def open(cls, path: Path | str) -> "Database":
        # Attach into a private in-memory instance: duckdb.connect(path) shares one cached instance
        # per path inside a process, which would keep serving the file an import has replaced.
        path = Path(path).resolve()
        if not path.exists():
            raise FileNotFoundError(f"No database at {path}; run `python -m atlas build` first.")
        signature = file_signature(path)
        con = duckdb.connect(":memory:", config={"threads": 2})
        con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [str(path)])
        con.execute(f"USE {CATALOG}")
        found = con.execute(f"SELECT value FROM metadata WHERE key = '{version.KEY}'").fetchone()
        if not found or found[0] != version.schema_version():
            con.close()
            raise version.OutdatedDatabase(
                f"{path} was built by another version of Partner Atlas. Bring it up to date with "
                f"`python -m atlas upgrade --db {path}` (make run does this), or rebuild it.")
        return cls(path=path, con=con, signature=signature)

    def is_stale(self) -> bool:
        """True when the file on disk is no longer the generation this view reads."""
        try:
            return file_signature(self.path) != self.signature
        except FileNotFoundError:
            return True

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self.con.cursor()
        cur.execute(f"USE {CATALOG}")
        return cur

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run queries/<name>.sql with the parameters it uses taken from `params`."""
        started = time.perf_counter()
        STATS.started()
        # A cursor serves one query at a time; idle ones are kept for the next (making one costs a USE).
        try:
            cur = self._idle.get_nowait()
        except queue.Empty:
            cur = self.cursor()
        try:
            return run_sql(cur, query_text(name), params)
        finally:
            self._idle.put(cur)
            STATS.record(name, params or {}, time.perf_counter() - started)

    def close(self) -> None:
        self.con.close()


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Execute one statement, binding the named parameters it uses; missing ones are an error."""
    wanted = used_params(sql)
    params = params or {}
    missing = wanted - set(params)
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    bound = {k: _bindable(params[k]) for k in wanted}
    result = con.execute(sql, bound) if bound else con.execute(sql)
    return result.df() if result.description else pd.DataFrame()


def _bindable(value: Any) -> Any:
    # Tuples (from frozen filter objects) bind as lists.
    if isinstance(value, (tuple, frozenset, set)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return value
