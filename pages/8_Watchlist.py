"""Watchlist: partners gone quiet, partners whose engagement fell, agreements expiring with no renewal."""

import dataclasses
import datetime as dt

import streamlit as st

from atlas.app import ui
from atlas.views import agenda, watchlist

st.set_page_config(page_title="Partner Atlas – Watchlist", page_icon="🔔", layout="wide")
f = ui.sidebar("watchlist")
# The thresholds chosen below (this run's values: widget state is set before the script reruns).
months = int(st.session_state.get("watch_months") or watchlist.QUIET_MONTHS)
drop = int(st.session_state.get("watch_drop") or watchlist.DROP_PERCENT)
minimum = int(st.session_state.get("watch_min") or watchlist.MIN_PREVIOUS)
notice = int(st.session_state.get("watch_notice", watchlist.NOTICE_DAYS))
since = watchlist.window_start(f.today, months)
horizon = f.today + dt.timedelta(days=notice)
# The windows run back from today, replacing the sidebar's period; the header names the span read.
view = dataclasses.replace(f, start=watchlist.previous_window(since, f.today)[0], end=f.today)
ui.prefetch(
    view,
    "demo_in_scope",
    ("quiet_partners", {"since": since, "lookback_start": dt.date(2000, 1, 1)}),
    ("partner_activity_change", {"since": since}),
    ("renewals_at_risk", {"horizon": horizon}),
)
quiet = watchlist.quiet(ui.query("quiet_partners", view, since=since, lookback_start=dt.date(2000, 1, 1)))
fallen = watchlist.fallen(
    ui.query("partner_activity_change", view, since=since), drop_percent=drop, min_previous=minimum
)
at_risk, renewing = watchlist.unrenewed(ui.query("renewals_at_risk", view, horizon=horizon), notice)

ui.page_header(
    "Watchlist",
    view,
    subtitle="Partners whose engagement has dropped, and agreements expiring with no renewal in negotiation",
    counting="both",
)
st.caption(
    "The sidebar's period does not apply here: each rule looks back from today, as its thresholds say. "
    "Its mission areas, countries, regions, component, type and agreement status do, and only records "
    "your access level allows are counted."
)
controls = st.columns(4)
controls[0].number_input(
    "Quiet for at least (months)",
    min_value=1,
    max_value=36,
    value=watchlist.QUIET_MONTHS,
    step=1,
    key="watch_months",
    help="No engagement in this many months up to today.",
)
controls[1].slider(
    "Fall of more than (%)",
    min_value=10,
    max_value=100,
    value=watchlist.DROP_PERCENT,
    step=5,
    key="watch_drop",
    help="Against the period of equal length just before.",
)
controls[2].number_input(
    "Counting partners with at least (engagements before)",
    min_value=1,
    max_value=1000,
    value=watchlist.MIN_PREVIOUS,
    step=1,
    key="watch_min",
    help="So that a fall from 2 to 0 does not flag.",
)
controls[3].number_input(
    "Notice period (days)",
    min_value=0,
    max_value=1095,
    value=watchlist.NOTICE_DAYS,
    step=30,
    key="watch_notice",
    help="How long before expiry a renewal should be under way.",
)

tiles = st.columns(3)
tiles[0].metric("Gone quiet", f"{len(quiet):,}", help="Partners with an agreement in force and no recent engagement.")
tiles[1].metric("Engagement fell", f"{len(fallen):,}", help=f"By more than {drop}% against the period before.")
tiles[2].metric("Expiring, no renewal", f"{len(at_risk):,}", help=f"Within {notice} days; none in negotiation.")
link = st.column_config.LinkColumn("Partner country", display_text=r"#(.+)$", help="Opens the country's profile")

st.subheader("Partners gone quiet")
st.markdown(ui.md_escape(watchlist.quiet_rule(since, f.today, months)))
if quiet.empty:
    st.success(
        "None: every partner with an agreement in force had an engagement in that time.", icon=":material/check_circle:"
    )
else:
    ui.table(
        quiet.assign(profile=[agenda.profile_link(i, n) for i, n in zip(quiet.iso3, quiet.name)]),
        f"quiet_partners_{months}_months",
        key="quiet",
        columns=["profile", "region", "last_engaged", "agreements", "titles"],
        column_config={
            "profile": link,
            "region": "Region",
            "last_engaged": "Last engaged (month)",
            "agreements": st.column_config.NumberColumn("Agreements in force", format="%d"),
            "titles": st.column_config.TextColumn("Which", width="large"),
        },
    )

st.subheader("Engagement fell")
st.markdown(ui.md_escape(watchlist.fall_rule(since, f.today, drop, minimum)))
if fallen.empty:
    st.success("None: no partner's engagement fell that far.", icon=":material/check_circle:")
else:
    ui.table(
        fallen.assign(
            profile=[agenda.profile_link(i, n) for i, n in zip(fallen.iso3, fallen.name)], change=fallen.change * 100
        ),
        f"engagement_fell_{months}_months",
        key="fallen",
        columns=["profile", "region", "previous", "recent", "change"],
        column_config={
            "profile": link,
            "region": "Region",
            "previous": st.column_config.NumberColumn("Before", format="%d"),
            "recent": st.column_config.NumberColumn(f"Last {months} months", format="%d"),
            "change": st.column_config.NumberColumn("Change", format="%.0f%%"),
        },
    )

st.subheader("Agreements expiring with no renewal in negotiation")
st.markdown(ui.md_escape(watchlist.renewal_rule(f.today, notice)))
if at_risk.empty:
    st.success(
        "None: every agreement expiring within the notice period has a renewal in negotiation.",
        icon=":material/check_circle:",
    )
else:
    ui.table(
        at_risk,
        f"expiring_without_renewal_{notice}_days",
        key="at_risk",
        columns=["days_left", "date_expires", "notice_from", "title", "partners", "mission_area", "component", "demo"],
        column_config={
            "days_left": st.column_config.NumberColumn("Days left", format="%d"),
            "date_expires": st.column_config.DateColumn("Expires", format="YYYY-MM-DD"),
            "notice_from": st.column_config.DateColumn("Notice period began", format="YYYY-MM-DD"),
            "title": st.column_config.TextColumn("Agreement", width="large"),
            "partners": "Partner countries",
            "mission_area": "Mission area",
        },
    )
if len(renewing):
    st.caption(
        f"{len(renewing)} more expire within the notice period with a renewal in negotiation: "
        + ui.md_escape("; ".join(f"{r.title} (renewal: {r.renewal})" for r in renewing.itertuples()))
    )
