"""The database this session reads and the named queries it runs, cached per database generation."""

from __future__ import annotations

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


def _params(filters: flt.Filters | None, extra: dict, rank: int | None = None) -> dict:
    # Every query is capped by the viewer's ceiling, those without filters (freshness, history, date range) too.
    params = {"max_rank": viewer_rank() if rank is None else rank}
    params.update(filters.params() if filters else {})
    params.update(extra)
    return params


def prefetch(filters: flt.Filters | None, *jobs: str | tuple[str, dict]) -> None:
    """Run the queries a page is about to ask for side by side, so its later ui.query calls hit the cache.

    DuckDB plans and runs each on its own cursor without holding the GIL, so on two cores a page's
    dozen small queries finish in about half the time. `jobs`: query names, or (name, extra params),
    longest first. The workers touch no Streamlit API: the database is looked up once, here.
    """
    db = database()
    # The ceiling once for all jobs: without a secrets file, st.secrets looks for one on every question.
    rank = viewer_rank()
    calls = [
        (job, _params(filters, {}, rank)) if isinstance(job, str) else (job[0], _params(filters, job[1], rank))
        for job in jobs
    ]
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda call: db.cached_query(*call), calls))


def as_of_text() -> str:
    """When the data the viewer may see was last imported, as every page and slide states it."""
    return format_as_of(query("data_freshness").last_import.max())
