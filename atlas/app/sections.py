"""Sections shared by pages: what changed since a date, and the engagement search."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from atlas.app.session import query
from atlas.app.state import _write_url, set_since, since_date, url_extras
from atlas.app.tables import agreement_table, engagement_table, status_change_table, table
from atlas.app.widgets import empty_state, md_escape
from atlas.data import filters as flt
from atlas.views import briefing


def what_changed_section(f: flt.Filters) -> None:
    """New engagements, agreement status changes, newly engaged countries and renewals coming up,
    since a chosen date (default 30 days ago); the same figures as the briefing's last slide."""
    head, pick = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("What changed since")
    chosen = pick.date_input("Since", value=since_date(f), max_value=f.today, key="since_input", format="YYYY-MM-DD")
    if chosen != since_date(f):
        set_since(chosen)
        _write_url(f, url_extras("overview"))
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


SEARCH_LIMIT = 200  # rows a search draws and downloads; the count says how many matched


def profile_link(f: flt.Filters, iso3: str) -> str:
    """A relative link to a country's profile that keeps the filters (relative, so any base path works)."""
    return "Country_Profile?" + urlencode({**flt.to_query(f), "iso": iso3})


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
