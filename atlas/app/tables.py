"""Tables of records with readable headers and labels, and the record exports of the Data page."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from atlas.app.session import database, query
from atlas.app.widgets import _download_buttons, downloads, empty_state, md_escape
from atlas.app.wire import compact_table
from atlas.data import export, vocab
from atlas.data import filters as flt


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes replaced by the labels users know; a 'demo' marker column for generated records."""
    out = frame.copy()
    areas = {m.code: m.label for m in vocab.MISSION_AREAS}
    relabel = {"mission_area": areas, "agreement_type": vocab.labels_of(vocab.AGREEMENT_TYPES)}
    relabel["engagement_type"] = vocab.labels_of(vocab.ENGAGEMENT_TYPES)
    statuses = vocab.AGREEMENT_STATUSES if "agreement_id" in out else vocab.ENGAGEMENT_STATUSES
    relabel["status"] = relabel["previous_status"] = vocab.labels_of(statuses)
    for column, labels in relabel.items():
        if column in out:
            out[column] = [labels.get(c, c) if isinstance(c, str) else c for c in out[column]]
    if "is_demo" in out:
        out["is_demo"] = out["is_demo"].map({True: "demo", False: ""})
        out = out.rename(columns={"is_demo": "demo"})
    return out


MAX_TABLE_ROWS = 300  # drawn on the page; the downloads always hold every row


def table(
    frame: pd.DataFrame,
    name: str,
    *,
    key: str,
    columns: list[str] | None = None,
    column_config: dict | None = None,
    height: int | None = None,
) -> None:
    """A table of data rows with CSV and Excel downloads of all of them (long tables draw the first few
    hundred, so what a rerun sends does not grow with the data)."""

    def labelled(rows: pd.DataFrame) -> pd.DataFrame:
        out = _labelled(rows)
        return out[[c for c in columns if c in out]] if columns else out

    # Only the rows drawn are labelled here; the downloads label every row when clicked.
    shown = labelled(frame.head(MAX_TABLE_ROWS))
    kwargs: dict[str, Any] = {"height": height} if height else {}
    # Readable headers: the page's own, else the column name in words ("last_import" -> "Last import").
    headers = {c: str(c).replace("_", " ").capitalize() for c in shown.columns} | (column_config or {})
    st.dataframe(
        compact_table(shown),
        hide_index=True,
        width="stretch",
        column_config=headers,
        key=f"df_{key}",
        **kwargs,
    )
    if len(frame) > MAX_TABLE_ROWS:
        st.caption(f"Showing the first {MAX_TABLE_ROWS:,} of {len(frame):,} rows; the downloads hold all of them.")
    downloads(lambda: labelled(frame), name, key=key)


def ranked_table(
    frame: pd.DataFrame, *, label: str, value: str, colour: str, caption: str, value_header: str = "Engagements"
) -> None:
    """A short ranking as an HTML table: name, a bar in `colour`, the number in full (never clipped: the number
    column is as wide as its longest number and does not wrap)."""
    top = max(float(frame[value].max()), 1.0) if len(frame) else 1.0
    rows = "".join(
        f"<tr><td>{html.escape(str(name))}</td>"
        f'<td aria-hidden="true"><div style="width:{100 * float(n) / top:.1f}%"></div></td>'
        f'<td class="atlas-number">{int(n):,}</td></tr>'
        for name, n in zip(frame[label], frame[value])
    )
    st.html(
        f"<style>{RANKED_CSS}</style>"
        f'<table class="atlas-ranked" style="--bar:{colour}">'
        f"<caption>{html.escape(caption)}</caption>"
        f'<thead><tr><th scope="col" style="text-align:left">Country</th>'
        # The header spans bar and number, so a narrow card shrinks the bar, never the number.
        # A soft hyphen lets a long header ("Engage-ments") break in a narrow card, not push the numbers out.
        f'<th scope="col" colspan="2" style="text-align:right">'
        f"{html.escape(value_header).replace('Engagements', 'Engage&shy;ments')}</th>"
        "</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


# The ranking's look, sent once per table instead of on every row (a page of seven cards sent 20 KB of it).
RANKED_CSS = (
    ".atlas-ranked{width:100%;border-collapse:collapse;font-size:0.95rem;border:none}"
    ".atlas-ranked caption{text-align:left;font-weight:600;padding-bottom:0.3em}"
    ".atlas-ranked th{font-weight:400}"
    ".atlas-ranked td:first-child{padding:0.15em 0.4em 0.15em 0;overflow-wrap:break-word}"
    ".atlas-ranked td[aria-hidden]{width:30%;padding:0 0.4em}"
    ".atlas-ranked td[aria-hidden] div{height:0.75em;border-radius:2px;min-width:2px;background:var(--bar)}"
    ".atlas-ranked .atlas-number{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
)


ENGAGEMENT_TABLE_COLUMNS = [
    "start_date",
    "title",
    "country",
    "city",
    "mission_area",
    "engagement_type",
    "component",
    "status",
    "participants",
    "demo",
]


def engagement_columns() -> dict:
    """The headers and formats of engagement columns, the same in every engagement table."""
    return {
        "start_date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
        "title": st.column_config.TextColumn("Engagement", width="large"),
        "country": "Country",
        "organizations": st.column_config.TextColumn("Organizations", width="medium"),
        "level": "Level",
        "city": "City",
        "component": "Component",
        "status": "Status",
        "demo": "Demo",
        "mission_area": "Mission area",
        "engagement_type": "Type",
        "participants": st.column_config.NumberColumn("Participants", format="%d"),
    }


def engagement_table(
    frame: pd.DataFrame, *, key: str, height: int | None = None, columns: list[str] | None = None
) -> None:
    """Engagement rows with the same headers everywhere; `columns` picks and orders them (default: the usual
    ones; an organization's profile adds `organizations`)."""
    table(
        frame,
        f"engagements_{key}",
        key=key,
        height=height,
        columns=columns or ENGAGEMENT_TABLE_COLUMNS,
        column_config=engagement_columns(),
    )


def _agreement_columns() -> dict:
    """How each agreement column reads in a table: one header and format per column, on every page."""
    day = st.column_config.DateColumn
    return {
        "flag": st.column_config.TextColumn("Urgency"),
        "changed_on": day("Date", format="YYYY-MM-DD"),
        "title": st.column_config.TextColumn("Agreement", width="large"),
        "partners": st.column_config.TextColumn("Partner countries", width="medium"),
        "previous_status": st.column_config.TextColumn("From", help="— : first recorded status"),
        "status": "Status",
        "agreement_type": "Type",
        "mission_area": "Mission area",
        "component": "Component",
        "date_signed": day("Signed", format="YYYY-MM-DD"),
        "date_in_force": day("In force", format="YYYY-MM-DD"),
        "date_expires": day("Expires", format="YYYY-MM-DD"),
        "days_to_expiry": st.column_config.NumberColumn("Days to expiry", format="%d"),
        "days_left": st.column_config.NumberColumn("Days left", format="%d"),
        "source": st.column_config.TextColumn(
            "Recorded from",
            help=(
                "dates: the agreement's own signature / entry-into-force / expiry dates; "
                "import: a later import changed the status; renewal: a later expiry date"
            ),
        ),
        "agreement_id": "ID",
        "demo": st.column_config.TextColumn("Demo", width="small"),
    }


AGREEMENT_TABLE_COLUMNS = [
    "title",
    "partners",
    "status",
    "agreement_type",
    "mission_area",
    "date_signed",
    "date_in_force",
    "date_expires",
    "days_to_expiry",
    "component",
    "agreement_id",
    "demo",
]


# A profile's agreements (a country's or an organization's): the partners beside the status, no ids or types.
PROFILE_AGREEMENT_COLUMNS = [
    "title",
    "status",
    "partners",
    "mission_area",
    "date_signed",
    "date_in_force",
    "date_expires",
    "days_to_expiry",
    "component",
    "demo",
]


def agreement_table(
    frame: pd.DataFrame,
    name: str,
    *,
    key: str,
    columns: list[str] | None = None,
    labels: dict | None = None,
    height: int | None = None,
) -> None:
    """Agreement rows, with the same headers and formats wherever they appear (and their downloads);
    `columns` picks and orders them, `labels` renames one for its context."""
    table(
        frame,
        name,
        key=key,
        columns=columns or AGREEMENT_TABLE_COLUMNS,
        height=height,
        column_config=_agreement_columns() | (labels or {}),
    )


def status_change_table(frame: pd.DataFrame, *, key: str, height: int | None = None) -> None:
    frame = frame.assign(previous_status=frame["previous_status"].fillna("—"))
    agreement_table(
        frame,
        f"agreement_status_changes_{key}",
        key=key,
        height=height,
        labels={"status": "To"},
        columns=["changed_on", "title", "partners", "previous_status", "status", "source", "demo"],
    )


def engagement_export(f: flt.Filters) -> None:
    """Download every engagement record the filters admit, in the import's columns (built on click).

    The size is counted first (from the rollup), so an export too large to build in memory is refused
    with the number and what to do, before anything runs."""
    n = int(query("engagement_count", f).engagements[0])
    if n == 0:
        empty_state("engagement records", f)
        return
    st.markdown(
        f"**{n:,} engagement record(s)** match: {md_escape(f.describe())} (planned and cancelled "
        "included). Columns as the import expects them, plus iso3, region, sensitivity and demo."
    )
    db, params = database(), f.params()
    _download_buttons(
        lambda: db.query("engagements_export", params),
        f"engagements_{f.start:%Y%m%d}_{f.end:%Y%m%d}",
        key="export_engagements",
        csv_refused=f"More than {export.MAX_CSV_ROWS:,} records: narrow the period or the filters."
        if n > export.MAX_CSV_ROWS
        else None,
        xlsx_refused=f"More than {export.MAX_XLSX_ROWS:,} records for Excel: use CSV, or narrow the filters."
        if n > export.MAX_XLSX_ROWS
        else None,
    )
    if n > export.MAX_CSV_ROWS:
        st.warning(
            f"{n:,} records are more than one export holds ({export.MAX_CSV_ROWS:,}). Narrow the period "
            "or the filters in the sidebar, or export in parts.",
            icon=":material/warning:",
        )


def agreement_export(f: flt.Filters) -> None:
    """Download every agreement record the filters admit, in the import's columns (a few thousand at most)."""
    rows = query("agreements_export", f)
    if rows.empty:
        empty_state("agreement records", f)
        return
    st.markdown(
        f"**{len(rows):,} agreement record(s)** match: {md_escape(f.describe())}. Columns as the import "
        "expects them (countries as ISO3 codes), plus sensitivity, demo and partner names."
    )
    _download_buttons(lambda: rows, f"agreements_{f.start:%Y%m%d}_{f.end:%Y%m%d}", key="export_agreements")
