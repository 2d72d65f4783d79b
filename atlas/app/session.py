"""The database this session reads and the named queries it runs, cached per database generation."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import streamlit as st

from atlas import config
from atlas.app.viewer import viewer_rank
from atlas.data import filters as flt
from atlas.data.db import BrokenDatabase, Database, file_signature
from atlas.data.schema import OutdatedDatabase
from atlas.views.format import as_of_text as format_as_of


@st.cache_resource(max_entries=3, show_spinner=False)
def _database(path: str, signature: tuple) -> Database:
    return Database.open(path)


def database() -> Database:
    """The current generation of the database; a new one is opened when an import swaps the file."""
    path = config.db_path()
    try:
        signature = file_signature(path)
        return _database(str(path), signature)
    except FileNotFoundError:
        st.error(f"No database at `{path}`. Build one with `make run` or `python -m atlas build`.")
    except (OutdatedDatabase, BrokenDatabase) as exc:
        st.error(str(exc), icon=":material/error:")
    st.stop()


def query(name: str, filters: flt.Filters | None = None, **extra) -> pd.DataFrame:
    """Run queries/<name>.sql with the filters' parameters plus `extra`, cached per database generation
    (shared by every session; see Database.cached_query)."""
    try:
        return database().cached_query(name, _params(filters, extra))
    except BrokenDatabase as exc:  # damage found by a query after the file opened
        st.error(str(exc), icon=":material/error:")
        st.stop()


def query_later(name: str, filters: flt.Filters | None = None, **extra) -> Callable[[], pd.DataFrame]:
    """What `query` would answer, run only when called (a download's click, outside the script run): the
    database and the viewer's ceiling are looked up now, so the call touches no Streamlit API."""
    db, params = database(), _params(filters, extra)
    return lambda: db.cached_query(name, params)


def _params(filters: flt.Filters | None, extra: dict, rank: int | None = None) -> dict:
    # Every query is capped by the viewer's ceiling, those without filters (freshness, history, date range) too.
    params = {"max_rank": viewer_rank() if rank is None else rank}
    params.update(filters.params() if filters else {})
    params.update(extra)
    return params


# The workers behind prefetch, shared by every session of the process: a page's queries queue here and run
# three at a time (DuckDB runs each on up to two threads of its own), whoever asked for them.
_PREFETCH = ThreadPoolExecutor(max_workers=3, thread_name_prefix="atlas-prefetch")


def prefetch(filters: flt.Filters | None, *jobs: str | tuple[str, dict]) -> None:
    """Start the queries a page is about to ask for, side by side, and return at once: the page goes on
    drawing while they run, and its later ui.query calls wait for the one they need (the result cache runs
    a query once however many ask for it at the same time).

    DuckDB plans and runs each on its own cursor without holding the GIL, so on two cores a page's dozen
    small queries run beside each other and beside the page's own Python. `jobs`: query names, or
    (name, extra params), longest first. The workers touch no Streamlit API: the database and the ceiling
    are looked up once, here. A query that fails is not reported here: the page's own ui.query of it runs it
    again and shows the error as usual.
    """
    db = database()
    # The ceiling once for all jobs: without a secrets file, st.secrets looks for one on every question.
    rank = viewer_rank()
    for job in jobs:
        name, extra = (job, {}) if isinstance(job, str) else job
        _PREFETCH.submit(_quietly, db, name, _params(filters, extra, rank))


def _quietly(db: Database, name: str, params: dict) -> None:
    with contextlib.suppress(Exception):  # the page's own ui.query runs it again and shows the error
        db.cached_query(name, params)


def as_of_text() -> str:
    """When the data the viewer may see was last imported, as every page and slide states it."""
    return format_as_of(query("data_freshness").last_import.max())
