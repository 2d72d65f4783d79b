"""Sections shared by pages: what changed since a date."""
from __future__ import annotations

import streamlit as st

from atlas.app.session import query
from atlas.app.state import _write_url, set_since, since_date, url_extras
from atlas.app.tables import engagement_table, status_change_table, table
from atlas.app.widgets import empty_state
from atlas.data import filters as flt
from atlas.views import briefing


def what_changed_section(f: flt.Filters) -> None:
    """New engagements, agreement status changes, newly engaged countries and renewals coming up,
    since a chosen date (default 30 days ago); the same figures as the briefing's last slide."""

    head, pick = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("What changed since")
    chosen = pick.date_input("Since", value=since_date(f), max_value=f.today, key="since_input",
                             format="YYYY-MM-DD")
    if chosen != since_date(f):
        set_since(chosen)
        _write_url(f, url_extras("overview"))
    changes = briefing.what_changed(query, f, chosen)
    cols = st.columns(4)
    cols[0].metric("New engagements", f"{int(changes.new_engagements.total.iloc[0]) if len(changes.new_engagements) else 0:,}")
    cols[1].metric("Agreement status changes",
                   f"{int(changes.status_changes.total.iloc[0]) if len(changes.status_changes) else 0:,}")
    cols[2].metric("Newly engaged countries", f"{len(changes.new_countries):,}",
                   help="An engagement since the date, and none in the year before it.")
    cols[3].metric(f"Expiring within {briefing.EXPIRING_SOON_DAYS} days", f"{len(changes.expiring):,}")
    left, right = st.columns(2)
    with left:
        st.markdown("**Newest engagements**")
        if changes.new_engagements.empty:
            empty_state(f"engagements since {chosen:%d %b %Y}", f)
        else:
            engagement_table(changes.new_engagements.head(50), key="changed_new",
                             height=300 if len(changes.new_engagements) > 8 else None)
        st.markdown("**Newly engaged countries**")
        if changes.new_countries.empty:
            st.caption("None: every country engaged since then was already engaged in the year before.")
        else:
            table(changes.new_countries, "newly_engaged_countries", key="changed_countries",
                  columns=["name", "region", "engagements", "first_date"],
                  column_config={"name": "Country", "region": "Region", "engagements": "Engagements",
                                 "first_date": st.column_config.DateColumn("First since", format="YYYY-MM-DD")})
    with right:
        st.markdown("**Agreement status changes**")
        if changes.status_changes.empty:
            empty_state(f"agreement status changes since {chosen:%d %b %Y}", f)
        else:
            status_change_table(changes.status_changes.head(50), key="changed_status",
                                height=300 if len(changes.status_changes) > 8 else None)
        st.markdown(f"**Expiring within {briefing.EXPIRING_SOON_DAYS} days**")
        if changes.expiring.empty:
            st.caption("No agreement in force expires in that window.")
        else:
            table(changes.expiring, "agreements_expiring_soon", key="changed_expiring",
                  columns=["title", "partners", "date_expires", "days_left", "demo"],
                  column_config={"title": st.column_config.TextColumn("Agreement", width="large"),
                                 "partners": "Partners", "days_left": "Days left", "demo": "Demo",
                                 "date_expires": st.column_config.DateColumn("Expires", format="YYYY-MM-DD")})
