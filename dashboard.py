"""Overview: where the partner activity is, how it is changing, and what is about to expire."""

import streamlit as st

from atlas.app import figcache, ui, widgets
from atlas.views import figures, organizations, worldmap

st.set_page_config(page_title="Partner Atlas – Overview", page_icon="🌐", layout="wide")
f = ui.sidebar("overview")
ui.prefetch(
    f,
    "kpi_engagements",
    "kpi_agreements",
    "country_activity",
    "country_area_activity",
    "monthly_activity",
    "organizations_active",
    "timeline_events",
)
kpi = ui.query("kpi_engagements", f).iloc[0]
agr = ui.query("kpi_agreements", f).iloc[0]
# The headline numbers count the demo records among what they count: those label the page.
ui.page_header(
    "Partner Atlas",
    f,
    subtitle="International engagements and agreements by partner country and mission area",
    demo=(int(kpi.demo), int(agr.demo)),
    counting="both",
)
tiles = st.columns(5)
tiles[0].metric(
    "Engagements in period",
    f"{int(kpi.engagements):,}",
    ui.delta_text(kpi.engagements, kpi.prev_engagements),
    help="Cancelled engagements are not counted. Change is against the previous period of equal length.",
)
tiles[1].metric(
    "Partner countries engaged",
    f"{int(kpi.countries or 0):,}",
    ui.delta_text(kpi.countries or 0, kpi.prev_countries or 0),
)
tiles[2].metric(
    "Agreements in force",
    f"{int(agr.in_force):,}",
    ui.delta_text(agr.in_force, agr.prev_in_force),
    help=f"On {f.as_of:%d %b %Y}, against the end of the previous period.",
)
tiles[3].metric("In negotiation", f"{int(agr.negotiation):,}", help="Agreements whose current status is negotiation.")
tiles[4].metric(
    "Expiring in 12 months",
    f"{int(agr.expiring_12m):,}",
    help="In force now; expiry date within the next 12 months. See the Agreements page for renewals due.",
    delta_color="off",
)
with st.container(horizontal=True, gap="medium"):
    st.page_link(ui.PAGES["upcoming"], label="What is coming: planned engagements", icon=":material/event:")
    st.page_link(
        ui.PAGES["watchlist"],
        label="Who has gone quiet, what expires unrenewed",
        icon=":material/notification_important:",
    )
    st.page_link(ui.PAGES["changes"], label="What changed since the last briefing", icon=":material/history:")

countries = ui.query("country_activity", f)
by_area = ui.query("country_area_activity", f)
st.subheader("Engagement intensity by partner country")
if countries.engagements.sum() == 0:
    ui.empty_state("engagements", f)
else:
    active = countries[countries.engagements > 0].sort_values("engagements", ascending=False)
    event = ui.plotly(
        figcache.figure("overview.map", lambda: worldmap.world_choropleth(countries, height=560), countries),
        key="overview_map",
        on_select="rerun",
        description=f"Map of engagements in the period by partner country ({len(active)} countries), shaded by "
        "count class as the legend says. Small states are drawn as dots. Click a country to open its profile.",
        numbers=active,
        columns={
            "name": "Partner country",
            "region": "Region",
            "engagements": "Engagements",
            "prev_engagements": "Previous period",
            "participants": "Participants",
        },
        download=(
            "engagements_by_country",
            countries[["iso3", "name", "region", "engagements", "prev_engagements", "participants"]],
        ),
    )
    widgets.open_clicked_country(event)

ui.area_legend()
left, right = st.columns([2, 3])
with left:
    st.subheader("Top partner countries")
    if by_area.empty:
        ui.empty_state("engagements", f)
    else:
        top = figcache.figure(
            "overview.top",
            lambda: figures.clickable_partners(figures.without_legend(figures.top_partners(by_area, n=10)), by_area),
            by_area,
        )
        event = ui.plotly(
            top,
            key="top_partners",
            on_select="rerun",
            description="The ten partners with the most engagements, split by mission area. Click a bar to open "
            "the country's profile.",
            numbers=by_area[by_area.name.isin(by_area.groupby("name").engagements.sum().nlargest(10).index)],
            columns={"name": "Partner country", "mission_area": "Mission area", "engagements": "Engagements"},
        )
        widgets.open_clicked_country(event)
        ui.downloads(by_area[["iso3", "name", "mission_area", "engagements"]], "top_partners_by_area", key="top")
    st.subheader("International organizations")
    orgs = organizations.shares_in_words(ui.query("organizations_active", f))
    if orgs.empty:
        ui.empty_state("engagements with international organizations", f)
    else:
        event = ui.plotly(
            figcache.figure("overview.organizations", lambda: organizations.ranking(orgs, n=8), orgs),
            key="top_organizations",
            on_select="rerun",
            description=f"The organizations named in the most engagements of the period ({len(orgs)} with any). "
            "Click a bar to open the organization's profile.",
            numbers=orgs,
            columns={
                "name": "Organization",
                "kind": "Kind",
                "engagements": "Engagements",
                "multilateral_pct": "Multilateral share",
                "latest": "Latest",
            },
            download=(
                "engagements_by_organization",
                orgs[["code", "name", "kind", "engagements", "multilateral", "participants", "latest"]],
            ),
        )
        widgets.open_clicked_organization(event)
        st.caption(organizations.COUNTING_NOTE)
with right:
    st.subheader("Mission-area mix over time")
    monthly = ui.query("monthly_activity", f)
    if monthly.empty:
        ui.empty_state("engagements", f)
    else:
        events = ui.query("timeline_events", f)
        by_month = figures.mark_partial(monthly, today=f.today, period=(f.start, f.end))
        ui.plotly(
            figcache.figure(
                "overview.mix",
                lambda: figures.area_mix_over_time(monthly, today=f.today, period=(f.start, f.end), events=events),
                monthly,
                events,
                f.today,
                (f.start, f.end),
            ),
            key="mix",
            description="Engagements per month, stacked by mission area; a month the period or today cuts "
            "short is marked partial. Markers above the bars: agreements signed and entered into force that month "
            "(hover for which).",
            numbers=by_month,
            columns=widgets.MONTHLY_COLUMNS,
        )
        ui.downloads(by_month, "engagements_by_month_and_area", key="mix")
