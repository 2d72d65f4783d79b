"""Compare: up to four partner countries side by side, kept in the URL (?compare=CAN,MEX,GBR)."""

import dataclasses

import streamlit as st

from atlas.app import ui
from atlas.app.state import URL_SEEN
from atlas.views import compare

st.set_page_config(page_title="Partner Atlas – Compare", page_icon="⚖️", layout="wide")
CHOICE = "atlas_compare"  # the countries compared: a plain key, so it survives page changes
# A link's ?compare= is adopted when it is new (not the one this session last wrote), before the sidebar
# writes the URL back.
linked = st.query_params.get(compare.URL_KEY)
ignored: list[str] = []
if linked is not None and linked != (st.session_state.get(URL_SEEN) or {}).get(compare.URL_KEY):
    st.session_state[CHOICE], ignored = compare.parse_codes(linked)
if CHOICE not in st.session_state:
    st.session_state[CHOICE] = compare.default_codes(ui.selected_country())
f = ui.sidebar("compare")

codes = tuple(st.session_state[CHOICE])
countries = ui.query("countries_list")
names = dict(zip(countries.iso3, countries.name))
# The countries chosen here replace the sidebar's country and region choices; every other filter applies.
view = dataclasses.replace(f, countries=codes, regions=())
if codes:
    ui.prefetch(
        view,
        "demo_in_scope",
        "compare_countries",
        "compare_monthly",
        "country_area_activity",
        "compare_agreements",
        "compare_programs",
    )
ui.page_header(
    "Compare partners", view, subtitle="Up to four partner countries side by side", demo=None if codes else (0, 0)
)
if ignored:
    st.info(
        ui.md_escape(f"Ignored in the link: {', '.join(ignored)} (unknown, or more than four countries)."),
        icon=":material/info:",
    )
st.session_state["w_compare"] = list(codes)
st.multiselect(
    "Partner countries (up to four)",
    sorted(names, key=names.get),
    format_func=names.get,
    key="w_compare",
    max_selections=compare.MAX_COUNTRIES,
    placeholder="Choose partner countries",
    on_change=lambda: st.session_state.update({CHOICE: tuple(st.session_state["w_compare"])}),
)
if f.countries or f.regions:
    st.caption(
        "The sidebar's country and region choices do not apply on this page: it compares the countries "
        "picked here. Period, mission areas, component, type and agreement status still apply."
    )
if not codes:
    st.info("Choose up to four partner countries to compare.", icon=":material/compare_arrows:")
    st.stop()
with st.container(horizontal=True, gap="small"):
    for code in codes:
        st.page_link(
            ui.PAGES["country"],
            label=f"{names.get(code, code)} profile",
            icon=":material/flag:",
            query_params={"iso": code},
        )

st.subheader("Headline numbers")
profiles = ui.query("compare_countries", view)
ui.table(
    compare.headline_table(profiles),
    "compare_headlines",
    key="compare_headlines",
    column_config={"measure": st.column_config.TextColumn("Measure", width="medium"), **{n: n for n in profiles.name}},
)
st.caption(
    f"Engagements and participants in the period (cancelled engagements not counted); change against the "
    f"previous period of equal length. Agreements in force on {f.as_of:%d %b %Y}; an agreement with several "
    "partners counts for each of them. Programmes present: current programme sites or memberships."
)

st.subheader("Engagements per month")
grid = compare.monthly_grid(ui.query("compare_monthly", view), codes, f.start, f.end)
if grid.engagements.sum() == 0:
    ui.empty_state("engagements with these partners", view)
else:
    by_month = grid.assign(country=grid.iso3.map(names))
    ui.plotly(
        compare.trend_figure(grid, names, start=f.start, end=f.end, today=f.today),
        key="compare_trend",
        description="Engagements per month with each chosen partner, one line per country on one scale. A month "
        "the period covers only in part is marked (open circle).",
        numbers=by_month,
        columns={"month": "Month", "country": "Partner country", "engagements": "Engagements"},
    )
    ui.downloads(by_month, "compare_engagements_by_month", key="compare_trend")

st.subheader("Mission-area mix")
by_area = ui.query("country_area_activity", view)
if by_area.empty:
    ui.empty_state("engagements with these partners", view)
else:
    ui.plotly(
        compare.area_mix_figure(by_area, codes, names),
        key="compare_mix",
        description="Each bar is one country's engagements in the period, as shares of 100% by mission area.",
        numbers=by_area,
        columns={"name": "Partner country", "mission_area": "Mission area", "engagements": "Engagements"},
    )
    ui.downloads(
        by_area[["iso3", "name", "mission_area", "engagements"]], "compare_mission_area_mix", key="compare_mix"
    )

st.subheader("Agreements by status")
by_status = ui.query("compare_agreements", view)
if by_status.empty:
    ui.empty_state("agreements with these partners", view)
else:
    agreements_by_status = by_status.assign(country=by_status.iso3.map(names))
    ui.plotly(
        compare.agreements_figure(by_status, codes, names),
        key="compare_agreements",
        description="Current status of each chosen partner's agreements whose life overlaps the period, and "
        "those in negotiation.",
        numbers=agreements_by_status,
        columns={"country": "Partner country", "status": "Current status", "agreements": "Agreements"},
    )
    ui.downloads(agreements_by_status, "compare_agreements_by_status", key="compare_agreements")

st.subheader("Programmes present")
programmes = compare.programme_table(ui.query("compare_programs", view), codes, names)
if programmes.empty:
    st.info("No current programme sites or memberships on record for these countries.", icon=":material/search:")
else:
    ui.table(
        programmes,
        "compare_programmes",
        key="compare_programmes",
        column_config={
            "programme": st.column_config.TextColumn("Programme", width="large"),
            **{n: n for n in programmes.columns[1:]},
        },
    )
    st.caption(
        "Real, sourced facts (not demo data): ✓ a current membership or site, with the number of sites "
        "where there are several; *uncertain*: some rest on a weak or dated source. Each country's profile "
        "lists them with their sources."
    )
