"""Sections of pages: what changed since a date (and what imports added or changed since a moment), the
engagement search, and the Agreements page's renewals and search.

A section with a control of its own (a date, a window, a search box) is a fragment (st.fragment): changing the
control reruns that section only, with the filters of the page's last run; the sidebar and the page's other
charts are not run or drawn again."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from atlas.app.marks import last_briefing
from atlas.app.session import query
from atlas.app.state import SINCE, _write_url, set_since, since_date, url_extras
from atlas.app.tables import agreement_table, engagement_columns, engagement_table, status_change_table, table
from atlas.app.widgets import empty_state, md_escape
from atlas.data import filters as flt
from atlas.views import briefing
from atlas.views.changes import CHANGES, added_or_changed, arrivals_jobs, arrivals_rows


def what_changed_jobs(f: flt.Filters) -> list[tuple[str, dict]]:
    """The queries what_changed_section runs, with their parameters, for ui.prefetch."""
    return briefing.what_changed_jobs(f, since_date(f)) + arrivals_jobs(since_moment(f)[0])


@st.fragment
def what_changed_section(f: flt.Filters) -> None:
    """New engagements, agreement status changes, newly engaged countries and renewals coming up,
    since a chosen date (default 30 days ago); the same figures as the briefing's last slide."""
    head, pick = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("What changed since")
    chosen = pick.date_input("Since", value=since_date(f), max_value=f.today, key="since_input", format="YYYY-MM-DD")
    if chosen != since_date(f):
        set_since(chosen)
        _write_url(f, url_extras("changes"))
    since_at, where = since_moment(f)
    st.caption(f"Showing changes {where}.")
    changes = briefing.what_changed(query, f, chosen)
    cols = st.columns(4)
    cols[0].metric(
        "New engagements", f"{int(changes.new_engagements.total.iloc[0]) if len(changes.new_engagements) else 0:,}"
    )
    cols[1].metric(
        "Agreement status changes",
        f"{int(changes.status_changes.total.iloc[0]) if len(changes.status_changes) else 0:,}",
    )
    cols[2].metric(
        "Newly engaged countries",
        f"{len(changes.new_countries):,}",
        help="An engagement since the date, and none in the year before it.",
    )
    cols[3].metric(f"Expiring within {briefing.EXPIRING_SOON_DAYS} days", f"{len(changes.expiring):,}")
    left, right = st.columns(2)
    with left:
        st.markdown("**Newest engagements**")
        if changes.new_engagements.empty:
            empty_state(f"engagements since {chosen:%d %b %Y}", f)
        else:
            engagement_table(
                changes.new_engagements.head(50),
                key="changed_new",
                height=300 if len(changes.new_engagements) > 8 else None,
            )
        st.markdown("**Newly engaged countries**")
        if changes.new_countries.empty:
            st.caption("None: every country engaged since then was already engaged in the year before.")
        else:
            table(
                changes.new_countries,
                "newly_engaged_countries",
                key="changed_countries",
                columns=["name", "region", "engagements", "first_date"],
                column_config={
                    "name": "Country",
                    "region": "Region",
                    "engagements": "Engagements",
                    "first_date": st.column_config.DateColumn("First since", format="YYYY-MM-DD"),
                },
            )
    with right:
        st.markdown("**Agreement status changes**")
        if changes.status_changes.empty:
            empty_state(f"agreement status changes since {chosen:%d %b %Y}", f)
        else:
            status_change_table(
                changes.status_changes.head(50),
                key="changed_status",
                height=300 if len(changes.status_changes) > 8 else None,
            )
        st.markdown(f"**Expiring within {briefing.EXPIRING_SOON_DAYS} days**")
        if changes.expiring.empty:
            st.caption("No agreement in force expires in that window.")
        else:
            agreement_table(
                changes.expiring,
                "agreements_expiring_soon",
                key="changed_expiring",
                columns=["title", "partners", "date_expires", "days_left", "demo"],
            )
    arrivals_section(f, since_at)


def since_moment(f: flt.Filters) -> tuple[dt.datetime, str]:
    """The moment 'added or changed since' counts from, and where it comes from: the date chosen (from its start),
    else the last briefing, else 30 days ago."""
    mark = None if st.session_state.get(SINCE) else last_briefing()
    if mark is not None:
        return mark.at, f"since the last briefing, {mark.describe()}"
    day = since_date(f)
    where = "the date chosen" if st.session_state.get(SINCE) else "30 days ago; no briefing recorded yet"
    return dt.datetime.combine(day, dt.time.min), f"since {day:%d %b %Y} ({where})"


def arrivals_section(f: flt.Filters, since_at: dt.datetime) -> None:
    """The records imports created or changed since `since_at`, new / status changed / changed, with exact counts."""
    st.markdown(f"**Added or changed since {since_at:%d %b %Y %H:%M}**")
    arrivals = added_or_changed(query, f, since_at)
    cols = st.columns(len(CHANGES) + 1)
    for col, (change, label) in zip(cols, CHANGES.items()):
        n_eng, n_agr = arrivals.count(change, "engagement"), arrivals.count(change, "agreement")
        col.metric(label, f"{n_eng + n_agr:,}", help=f"{n_eng:,} engagement(s), {n_agr:,} agreement(s)")
    cols[-1].metric("Imports", f"{len(arrivals.imports):,}", help="Imports that wrote records since then.")
    st.caption(
        "By when an import wrote each record, whatever the dates it is about: a record imported today about "
        "last month is counted here. The sidebar's filters apply, but not its period."
    )
    tabs = st.tabs([f"{label} ({arrivals.count(change):,})" for change, label in CHANGES.items()])
    for tab, change in zip(tabs, CHANGES):
        with tab:
            rows = arrivals.listed(change)
            if rows.empty:
                st.caption("None since then.")
                continue
            shown = len(rows) < arrivals.count(change)
            if shown:
                st.caption(f"The {len(rows):,} most recently written of each kind are listed.")
            table(
                arrivals_rows(rows),
                f"records_{change}_since",
                key=f"arrivals_{change}",
                columns=[
                    "record",
                    "title",
                    "partners",
                    "mission_area",
                    "record_date",
                    "status_change",
                    "updated_at",
                    "record_id",
                    "demo",
                ],
                column_config={
                    "record": "Record",
                    "title": st.column_config.TextColumn("Title", width="large"),
                    "mission_area": "Mission area",
                    "record_date": st.column_config.DateColumn("Starts / signed", format="YYYY-MM-DD"),
                    "status_change": "Status",
                    "updated_at": st.column_config.DatetimeColumn("Written", format="YYYY-MM-DD HH:mm"),
                    "record_id": "ID",
                },
                height=300 if len(rows) > 8 else None,
            )


SEARCH_LIMIT = 200  # rows a search draws and downloads; the count says how many matched


def profile_link(f: flt.Filters, iso3: str) -> str:
    """A relative link to a country's profile that keeps the filters (relative, so any base path works)."""
    return "Country_Profile?" + urlencode({**flt.to_query(f), "iso": iso3})


@st.fragment
def engagement_search_section(f: flt.Filters, *, key: str = "engagement_search") -> None:
    """Search engagement titles, summaries and places (city, country) within the filters and the viewer's
    ceiling; each result links to its country's profile."""
    st.subheader("Find an engagement")
    text = st.text_input(
        "Search engagement titles, summaries, cities and countries",
        key=key,
        max_chars=200,
        placeholder="e.g. Tokyo, screening, watchlist",
    ).strip()
    if not text:
        st.caption("Searches the engagements the sidebar admits (period, mission areas, countries, component, type).")
        return
    found = query("engagement_search", f, search=text, limit=SEARCH_LIMIT)
    if found.empty:
        empty_state(f"engagements matching “{text}”", f)
        return
    total = int(found.total.iloc[0])
    st.caption(
        f"{total:,} engagement(s) match “{md_escape(text)}”"
        + (f"; the newest {len(found):,} are listed." if total > len(found) else ".")
        + " Open a country's profile from the last column."
    )
    table(
        found.assign(profile=[profile_link(f, iso) for iso in found.iso3]),
        "engagement_search_results",
        key=key,
        columns=[
            "start_date",
            "title",
            "summary",
            "city",
            "country",
            "mission_area",
            "engagement_type",
            "status",
            "participants",
            "engagement_id",
            "demo",
            "profile",
        ],
        column_config={
            "start_date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
            "title": st.column_config.TextColumn("Engagement", width="large"),
            "summary": st.column_config.TextColumn("Summary", width="medium"),
            "engagement_type": "Type",
            "engagement_id": "ID",
            "mission_area": "Mission area",
            "participants": st.column_config.NumberColumn("Participants", format="%d"),
            "profile": st.column_config.LinkColumn("Country profile", display_text="Open profile"),
        },
    )


MULTILATERAL_LIMIT = 1000  # rows listed (and downloaded) in a profile's multilateral list; the count says how many


def multilateral_section(f: flt.Filters, iso3: str, name: str) -> None:
    """The engagements a country took part in with other partners (countries or organizations), within the
    filters, the partnership filter and the ceiling; each counts once in this country's figures."""
    st.subheader("Multilateral engagements")
    found = query("country_multilateral_engagements", f, iso3=iso3, limit=MULTILATERAL_LIMIT)
    if found.empty:
        empty_state(f"engagements with {name} and other partners", f)
        return
    total, cancelled = int(found.total.iloc[0]), int(found.cancelled.iloc[0])
    st.markdown(
        f"**{total:,} engagement(s)** with {md_escape(name)} and at least one other partner (another country or an "
        "international organization)"
        + (f", {cancelled:,} of them cancelled" if cancelled else "")
        + (f"; the newest {len(found):,} are listed and downloadable." if total > len(found) else ".")
    )
    st.caption(
        f"{md_escape(name)}'s figures on this page count each of these once, for {md_escape(name)} (cancelled ones "
        "not at all); each other partner country's figures count it too, and totals (the Overview's) count it once."
    )
    table(
        found,
        f"multilateral_engagements_{iso3}",
        key="country_multilateral",
        columns=[
            "start_date",
            "title",
            "other_countries",
            "organizations",
            "mission_area",
            "engagement_type",
            "status",
            "participants",
            "engagement_id",
            "demo",
        ],
        column_config=engagement_columns()
        | {
            "other_countries": st.column_config.TextColumn("Other partner countries", width="medium"),
            "engagement_id": "ID",
        },
        height=min(38 + 35 * len(found), 420),
    )


RENEWAL_WINDOWS = (6, 12, 24)  # months the renewals list can look ahead


def renewal_horizon(f: flt.Filters) -> tuple[int, dt.date]:
    """The renewals window chosen (months, default 12; the last run's choice) and the day it ends."""
    months = st.session_state.get("renewal_months") or 12
    return months, (pd.Timestamp(f.today) + pd.DateOffset(months=months)).date()


@st.fragment
def renewals_section(f: flt.Filters) -> None:
    """Agreements in force expiring within the window chosen here, soonest first; under 90 days flagged."""
    st.subheader("Renewals due")
    st.segmented_control(
        "Expiring within",
        list(RENEWAL_WINDOWS),
        default=12,
        required=True,
        format_func=lambda n: f"{n} months",
        key="renewal_months",
    )
    months, horizon = renewal_horizon(f)
    due = query("renewals_due", f, horizon=horizon)
    if due.empty:
        empty_state(f"agreements in force expiring by {horizon:%d %b %Y}", f)
        return
    urgent = int((due.days_left < 90).sum())
    if urgent:
        st.error(
            f"**{urgent} expire{'s' if urgent == 1 else ''} within 90 days** (flagged ⚠ below): start the renewal now.",
            icon=":material/alarm:",
        )
    agreement_table(
        due.assign(flag=due.days_left.map(lambda d: "⚠ under 90 days" if d < 90 else "")),
        f"renewals_due_{months}_months",
        key="renewals",
        columns=["flag", "days_left", "date_expires", "title", "partners", "mission_area", "component", "demo"],
    )


@st.fragment
def agreement_search_section(f: flt.Filters, shown: int) -> None:
    """Search agreement titles, summaries and partner countries within the filters; `shown`: how many the
    filters admit, for the count of matches."""
    st.subheader("Find an agreement")
    search = st.text_input(
        "Search titles, summaries and partner countries",
        key="agreement_search",
        placeholder="e.g. Japan, preclearance, border",
        max_chars=200,
    ).strip()
    rows = query("agreements_list", f, search=search)
    if rows.empty:
        empty_state(f"agreements matching “{md_escape(search)}”" if search else "agreements", f)
        return
    if search:
        st.caption(f"{len(rows):,} of {shown:,} agreements match.")
    agreement_table(rows, "agreements", key="agreements")
