"""Overview: where the partner activity is, how it is changing, and what is about to expire."""
import streamlit as st

from atlas.views import briefing, figures, worldmap
from atlas.app import ui

st.set_page_config(page_title="Partner Atlas – Overview", page_icon="🌐", layout="wide")
f = ui.sidebar("overview")
since = ui.since_date(f)
ui.prefetch(f, "demo_in_scope", "kpi_engagements", "kpi_agreements", "country_activity", "country_area_activity",
            "monthly_activity", *briefing.what_changed_jobs(f, since))
ui.page_header("Partner Atlas", f, subtitle="International engagements and agreements by partner country and mission area")

kpi = ui.query("kpi_engagements", f).iloc[0]
agr = ui.query("kpi_agreements", f).iloc[0]
tiles = st.columns(5)
tiles[0].metric("Engagements in period", f"{int(kpi.engagements):,}",
                ui.delta_text(kpi.engagements, kpi.prev_engagements), help="Cancelled engagements are not counted. "
                "Change is against the previous period of equal length.")
tiles[1].metric("Partner countries engaged", f"{int(kpi.countries or 0):,}",
                ui.delta_text(kpi.countries or 0, kpi.prev_countries or 0))
tiles[2].metric("Agreements in force", f"{int(agr.in_force):,}", ui.delta_text(agr.in_force, agr.prev_in_force),
                help=f"On {f.as_of:%d %b %Y}, against the end of the previous period.")
tiles[3].metric("In negotiation", f"{int(agr.negotiation):,}", help="Agreements whose current status is negotiation.")
tiles[4].metric("Expiring in 12 months", f"{int(agr.expiring_12m):,}", help="In force now; expiry date within "
                "the next 12 months. See the Agreements page for renewals due.", delta_color="off")

countries = ui.query("country_activity", f)
by_area = ui.query("country_area_activity", f)
ui.area_legend()
left, right = st.columns([3, 2])
with left:
    st.subheader("Engagement intensity by partner country")
    if countries.engagements.sum() == 0:
        ui.empty_state("engagements", f)
    else:
        event = ui.plotly(worldmap.world_choropleth(countries), key="overview_map", on_select="rerun")
        points = (event or {}).get("selection", {}).get("points", []) if event else []
        if points:
            iso = points[0].get("location") or points[0].get("customdata")
            if iso:
                ui.select_country(iso if isinstance(iso, str) else iso[0])
                st.switch_page(ui.PAGES["country"])
        st.caption("Click a country to open its profile. Small states are drawn as dots.")
        ui.downloads(countries[["iso3", "name", "region", "engagements", "prev_engagements", "participants"]],
                     "engagements_by_country", key="choropleth")
with right:
    st.subheader("Top partner countries")
    if by_area.empty:
        ui.empty_state("engagements", f)
    else:
        ui.plotly(figures.without_legend(figures.top_partners(by_area, n=10)), key="top_partners")
        ui.downloads(by_area[["iso3", "name", "mission_area", "engagements"]], "top_partners_by_area", key="top")

st.subheader("Mission-area mix over time")
monthly = ui.query("monthly_activity", f)
if monthly.empty:
    ui.empty_state("engagements", f)
else:
    ui.plotly(figures.area_mix_over_time(monthly, today=f.today), key="mix")
    ui.downloads(monthly, "engagements_by_month_and_area", key="mix")

ui.what_changed_section(f)
