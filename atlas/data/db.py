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
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from atlas.config import QUERIES_DIR
from atlas.data import schema

PARAM_RE = re.compile(r"(?<![:\w])\$([A-Za-z_][A-Za-z0-9_]*)")
HEADER_PARAMS_RE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE | re.IGNORECASE)
CATALOG = "atlas"
CEILING = "max_rank"
PUBLIC_RANK = 0  # vocab.SENSITIVITY_RANK["public"]: the ceiling of a query given none

# Every connection we open: DuckDB must never fetch or load an extension on its own (a SQLite file
# handed to ATTACH made it try to download sqlite_scanner). What we use (parquet, json, icu) is built in.
SAFE_CONFIG = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
}
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
FIX = "Bring back a snapshot with `python -m atlas restore`, or rebuild it with `python -m atlas build`."


class BrokenDatabase(RuntimeError):
    """A database file that cannot be served: names the file, the problem and the fix."""

    def __init__(self, path: Path | str, problem: str, fix: str = FIX) -> None:
        self.path, self.problem, self.fix = Path(path), problem, fix
        super().__init__(f"The database {self.path} {problem}. {fix}")


def connect(database: str = ":memory:", **config: Any) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never loads or installs an extension by itself."""
    return duckdb.connect(database, config={**SAFE_CONFIG, **config})


def check_file(path: Path) -> None:
    """Raise BrokenDatabase unless `path` is a regular file that starts like a DuckDB database."""
    if path.is_dir():
        raise BrokenDatabase(path, "is a folder, not a database file")
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3\0"):
        raise BrokenDatabase(path, "is a SQLite file, not a DuckDB database")
    if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
        raise BrokenDatabase(path, "is not a DuckDB database file (empty, truncated or another kind of file)")
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        # Imports write a private copy and swap it in checkpointed, so the live file never has a log of
        # its own: this one was written outside Partner Atlas or cut short, and a copy would drop it.
        raise BrokenDatabase(
            path,
            f"has a write-ahead log beside it ({wal.name}), left by a write outside Partner Atlas or one cut short",
            f"Move {wal.name} aside, then start again. " + FIX,
        )


def attach(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Attach `path` read-only as the catalog `atlas` and return its schema version ('' when none)."""
    check_file(path)
    try:
        con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [str(path)])
        con.execute(f"USE {CATALOG}")
        has_metadata = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = 'metadata'", [CATALOG]
        ).fetchone()
        if not has_metadata or not has_metadata[0]:
            raise BrokenDatabase(path, "is a DuckDB file but not a Partner Atlas database (no metadata table)")
        found = con.execute("SELECT value FROM metadata WHERE key = ?", [schema.KEY]).fetchone()
    except duckdb.Error as exc:
        raise BrokenDatabase(path, f"cannot be read ({_first_line(exc)})") from exc
    return found[0] if found and found[0] else ""


def is_damage(exc: BaseException) -> bool:
    """True for DuckDB's errors about the file itself (a bad checksum, a short read), not about a query."""
    text = str(exc).lower()
    return isinstance(exc, (duckdb.IOException, duckdb.FatalException)) or "corrupt" in text or "checksum" in text


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


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


@functools.cache
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


@functools.cache
def _query_params(name: str) -> tuple[str, ...]:
    return tuple(sorted(used_params(query_text(name))))


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


class ResultCache:
    """Query results shared by every session of the process: least recently used out first.

    Bounded by entries and by bytes. Concurrent requests for the same key run the work once: the
    others wait for its answer. Values are DataFrames; callers get a shallow copy, which pandas'
    copy-on-write keeps independent (a caller adding a column or setting a value never changes the
    stored frame). Unlike st.cache_data, nothing is pickled on a miss or unpickled on every hit, and
    the key is a plain tuple; the prefetch threads need no Streamlit context to use it.
    """

    def __init__(self, max_entries: int = 2048, max_bytes: int = 256 * 2**20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[pd.DataFrame, int]] = OrderedDict()
        self._pending: dict[Hashable, Future] = {}
        self._bytes = 0
        self.hits = self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found[0].copy(deep=False)
            waiting = self._pending.get(key)
            if waiting is None:
                pending: Future = Future()
                self._pending[key] = pending
                self.misses += 1
        if waiting is not None:
            return waiting.result().copy(deep=False)
        try:
            frame = compute()
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            pending.set_exception(exc)
            raise
        size = _rough_bytes(frame)
        with self._lock:
            del self._pending[key]
            if size <= self.max_bytes:
                self._items[key] = (frame, size)
                self._bytes += size
                while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                    self._bytes -= self._items.popitem(last=False)[1][1]
        pending.set_result(frame)
        return frame.copy(deep=False)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes


def _rough_bytes(frame: pd.DataFrame) -> int:
    """About how much memory a result holds: 64 bytes a cell. (DataFrame.memory_usage costs half a
    millisecond even for a small frame, a sizeable part of a query's time; this is a bound, not a count.)"""
    return 1024 + 64 * len(frame) * (len(frame.columns) + 1)


def _frozen(value: Any) -> Hashable:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value))
    return value


@dataclass
class Database:
    """A read-only view of one generation of the database file."""

    path: Path
    con: duckdb.DuckDBPyConnection
    signature: tuple[int, int, int]
    _idle: queue.SimpleQueue = field(default_factory=queue.SimpleQueue, repr=False)
    results: ResultCache = field(default_factory=ResultCache, repr=False)

    @classmethod
    def open(cls, path: Path | str) -> Database:
        # Attach into a private in-memory instance: duckdb.connect(path) shares one cached instance
        # per path inside a process, which would keep serving the file an import has replaced.
        path = Path(path).resolve()
        if not path.exists():
            raise FileNotFoundError(f"No database at {path}; run `python -m atlas build` first.")
        signature = file_signature(path)
        con = connect(threads=2)
        try:
            built_for = attach(con, path)
        except BaseException:
            con.close()
            raise
        if built_for != schema.schema_version():
            con.close()
            raise schema.OutdatedDatabase(
                f"{path} was built by another version of Partner Atlas. Bring it up to date with "
                f"`python -m atlas upgrade --db {path}` (make run does this), or rebuild it."
            )
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
        except duckdb.Error as exc:
            # A damaged block is found when a query first reads it: say so, not "a page failed".
            if is_damage(exc):
                raise BrokenDatabase(self.path, f"is damaged ({_first_line(exc)})") from exc
            raise
        finally:
            self._idle.put(cur)
            STATS.record(name, params or {}, time.perf_counter() - started)

    def cached_query(self, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """`query`, answered from this generation's result cache when it ran before with the same values.

        The key holds only the parameters the query uses, so a filter it ignores (the engagement type,
        for an agreements query) does not make it run again. A new database generation is a new
        Database object with an empty cache; the old one goes with its Database.
        """
        params = params or {}
        key = (name, tuple((k, _frozen(params[k])) for k in _query_params(name) if k in params))
        return self.results.get(key, lambda: self.query(name, params))

    def close(self) -> None:
        self.con.close()


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Execute one statement, binding the named parameters it uses; missing ones are an error, except the
    sensitivity ceiling ($max_rank): without one a statement reads public records only (fails closed)."""
    wanted = used_params(sql)
    params = params or {}
    if CEILING in wanted and CEILING not in params:
        params = {**params, CEILING: PUBLIC_RANK}
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
