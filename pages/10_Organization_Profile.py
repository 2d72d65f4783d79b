"""Organization profile: one international organization's engagements, partner countries, agreements and facts."""

import datetime as dt

import streamlit as st

from atlas.app import ui
from atlas.app.tables import PROFILE_AGREEMENT_COLUMNS, agreement_table
from atlas.app.widgets import MONTHLY_COLUMNS
from atlas.views import figures, organizations

UPCOMING_DAYS = 365
TABLE_ROWS = 25
COLUMNS = ["start_date", "title", "country", "organizations", "city", "mission_area", "engagement_type", "status"]

st.set_page_config(page_title="Partner Atlas – Organization profile", page_icon="🏛️", layout="wide")
f = ui.sidebar("organization")

# Every sidebar filter applies; the country filter keeps the engagements a chosen country took part in.
code, names, chosen = ui.shown_organization(f)
horizon = f.today + dt.timedelta(days=UPCOMING_DAYS)
ui.prefetch(
    f,
    ("organization_profile", {"org": code}),
    ("organization_monthly_activity", {"org": code}),
    ("organization_countries", {"org": code}),
    ("organization_engagements", {"org": code, "limit": TABLE_ROWS}),
    ("organization_upcoming", {"org": code, "horizon": horizon, "limit": TABLE_ROWS}),
    ("organization_agreements", {"org": code}),
)
profile = ui.query("organization_profile", f, org=code).iloc[0]
name = profile["name"]
ui.page_header(
    ui.md_escape(name),
    f,
    subtitle=" · ".join(
        p
        for p in ("Organization profile", profile.kind, organizations.seat_text(profile.hq_city, profile.hq_country))
        if isinstance(p, str) and p
    ),
    demo=(int(profile.demo_engagements), int(profile.demo_agreements)),
    counting="per_partner",
)
pick_col, note_col = st.columns([2, 3], vertical_alignment="bottom")
with pick_col:
    ui.organization_picker(code, names)
if not chosen:
    note_col.info(
        f"No organization chosen, so this shows **{ui.md_escape(name)}**, the busiest in the current filters. "
        "Pick another here, or click one on the Overview or the Activity map.",
        icon=":material/info:",
    )

countries = ui.query("organization_countries", f, org=code)
ui.headline_tiles(profile, len(countries), f)

st.subheader("Engagements over time by mission area")
monthly = ui.query("organization_monthly_activity", f, org=code).query("engagements > 0")
if monthly.empty:
    ui.empty_state(f"engagements with {name}", f)
else:
    by_month = figures.mark_partial(monthly, today=f.today, period=(f.start, f.end))
    ui.plotly(
        figures.area_mix_over_time(monthly, today=f.today, period=(f.start, f.end), height=340),
        key="org_mix",
        description=f"Engagements naming {name} per month, stacked by mission area; a month the period or today "
        "cuts short is marked partial.",
        numbers=by_month,
        columns=MONTHLY_COLUMNS,
    )
    ui.downloads(by_month, f"engagements_by_month_{code}", key="org_mix")

areas_col, countries_col = st.columns(2)
with areas_col:
    st.subheader("Mission-area mix")
    totals = organizations.area_totals(monthly)
    if totals.empty:
        ui.empty_state(f"engagements with {name}", f)
    else:
        ui.plotly(
            organizations.area_mix(totals),
            key="org_areas",
            description=f"Engagements naming {name} in the period by mission area, with each area's share.",
            numbers=totals,
            columns={"mission_area": "Mission area", "engagements": "Engagements", "share": "Share"},
            download=(f"mission_areas_{code}", None),
        )
with countries_col:
    st.subheader("Partner countries taking part")
    if countries.empty:
        ui.empty_state(f"partner countries in engagements with {name}", f)
    else:
        event = ui.plotly(
            organizations.partner_countries(countries),
            key="org_countries",
            on_select="rerun",
            description=f"The partner countries that took part most often in engagements with {name} (a country "
            "counts each engagement it took part in). Click a bar to open the country's profile.",
            numbers=countries,
            columns={"name": "Partner country", "region": "Region", "engagements": "Engagements", "latest": "Latest"},
            download=(f"partner_countries_{code}", countries[["iso3", "name", "region", "engagements", "latest"]]),
        )
        ui.open_clicked_country(event)

st.subheader("Coming up")
upcoming = ui.query("organization_upcoming", f, org=code, horizon=horizon, limit=TABLE_ROWS)
st.caption(
    f"Planned engagements naming {ui.md_escape(name)} from tomorrow to {horizon:%d %b %Y}: the sidebar's period "
    "does not apply here, its other filters do."
    + (f" The first {len(upcoming)} of {int(upcoming.total.max()):,}." if len(upcoming) == TABLE_ROWS else "")
)
if upcoming.empty:
    st.info(f"No planned engagements with {ui.md_escape(name)} on record.", icon=":material/event_busy:")
else:
    ui.engagement_table(upcoming, key="org_upcoming", columns=[*COLUMNS, "demo"])

st.subheader("Recent engagements")
recent = ui.query("organization_engagements", f, org=code, limit=TABLE_ROWS)
if recent.empty:
    ui.empty_state(f"engagements with {name}", f)
else:
    st.caption(f"The newest {len(recent)} in the period, planned and cancelled ones included.")
    ui.engagement_table(recent, key="org_recent", columns=[*COLUMNS, "participants", "demo"])

st.subheader("Agreements naming it")
agreements = ui.query("organization_agreements", f, org=code)
if agreements.empty:
    ui.empty_state(f"agreements naming {name}", f)
else:
    agreement_table(
        agreements,
        f"agreements_{code}",
        key="org_agreements",
        columns=PROFILE_AGREEMENT_COLUMNS,
        labels={"partners": st.column_config.TextColumn("Partners", width="medium")},
    )

st.subheader("Reference facts")
ui.reference_facts(profile)
