"""Compare: up to four partners, countries or organizations, side by side, kept in the URL (?compare=CAN,MEX,EU)."""

import dataclasses

import streamlit as st

from atlas.app import ui
from atlas.app.state import URL_SEEN
from atlas.views import compare

st.set_page_config(page_title="Partner Atlas – Compare", page_icon="⚖️", layout="wide")
CHOICE = "atlas_compare"  # the partners compared: a plain key, so it survives page changes
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
nations, bodies = compare.split(codes)
countries = ui.query("countries_list")
bodies_named = compare.organization_names()
names = dict(zip(countries.iso3, countries.name)) | bodies_named
# The partners chosen here replace the sidebar's country and region choices; every other filter applies. Country
# queries run only for countries chosen (no country is "every country"), organization queries for organizations.
view = dataclasses.replace(f, countries=nations, regions=())
orgs = {"organizations": list(bodies)}
country_jobs = ["compare_countries", "compare_monthly", "country_area_activity", "compare_agreements"]
org_jobs = [
    "compare_demo",
    "compare_organizations",
    "compare_org_monthly",
    "compare_org_areas",
    "compare_org_agreements",
]
ui.prefetch(
    view,
    *(["demo_in_scope"] if nations and not bodies else []),
    *((country_jobs + ["compare_programs"]) if nations else []),
    *([(name, orgs) for name in org_jobs] if bodies else []),
)
if bodies:  # each demo record once, however many of the partners it names
    found = ui.query("compare_demo", view, **orgs)
    demo: tuple[int, int] | None = (int(found.demo_engagements[0]), int(found.demo_agreements[0]))
else:
    demo = None if nations else (0, 0)
ui.page_header(
    "Compare partners",
    view,
    subtitle="Up to four partner countries or international organizations side by side",
    demo=demo,
    counting="per_partner",
    partners=", ".join(names.get(c, c) for c in codes) or None,
)
if ignored:
    st.info(
        ui.md_escape(f"Ignored in the link: {', '.join(ignored)} (unknown, or more than four partners)."),
        icon=":material/info:",
    )
st.session_state["w_compare"] = list(codes)
st.multiselect(
    "Partner countries or organizations (up to four)",
    sorted(countries.iso3, key=names.get) + list(bodies_named),
    format_func=lambda c: f"{names.get(c, c)} (organization)" if c in bodies_named else names.get(c, c),
    key="w_compare",
    max_selections=compare.MAX_PARTNERS,
    placeholder="Choose partner countries or organizations",
    on_change=lambda: st.session_state.update({CHOICE: tuple(st.session_state["w_compare"])}),
)
if f.countries or f.regions:
    st.caption(
        "The sidebar's country and region choices do not apply on this page: it compares the partners "
        "picked here. Period, mission areas, component, type, partnership and agreement status still apply."
    )
if not codes:
    st.info("Choose up to four partner countries or organizations to compare.", icon=":material/compare_arrows:")
    st.stop()
with st.container(horizontal=True, gap="small"):
    for code in nations:
        st.page_link(
            ui.PAGES["country"],
            label=f"{names.get(code, code)} profile",
            icon=":material/flag:",
            query_params={"iso": code},
        )
    for code in bodies:
        st.page_link(
            ui.PAGES["organization"],
            label=f"{names.get(code, code)} profile",
            icon=":material/account_balance:",
            query_params={"org": code},
        )


def both(country_query: str, org_query: str):
    """A country query's rows for the countries chosen and its organization twin's for the organizations, keyed
    `code` (compare.partners)."""
    return compare.partners(
        ui.query(country_query, view) if nations else None, ui.query(org_query, view, **orgs) if bodies else None
    )


st.subheader("Headline numbers")
profiles = both("compare_countries", "compare_organizations")
headlines = compare.headline_table(profiles, codes)
ui.table(
    headlines,
    "compare_headlines",
    key="compare_headlines",
    column_config={
        "measure": st.column_config.TextColumn("Measure", width="medium"),
        **{n: n for n in headlines.columns[1:]},
    },
)
st.caption(
    f"Engagements and participants in the period (cancelled engagements not counted); change against the "
    f"previous period of equal length. Agreements in force on {f.as_of:%d %b %Y}; an agreement with several "
    "partners counts for each of them. Programmes present: current programme sites or memberships (not "
    "applicable to an organization). An organization's figures count the engagements and agreements that name it."
)

st.subheader("Engagements per month")
grid = compare.monthly_grid(both("compare_monthly", "compare_org_monthly"), codes, f.start, f.end)
if grid.engagements.sum() == 0:
    ui.empty_state("engagements with these partners", view)
else:
    by_month = grid.assign(partner=grid.code.map(names))
    ui.plotly(
        compare.trend_figure(grid, names, start=f.start, end=f.end, today=f.today),
        key="compare_trend",
        description="Engagements per month with each chosen partner, one line per partner on one scale. A month "
        "the period covers only in part is marked (open circle).",
        numbers=by_month,
        columns={"month": "Month", "partner": "Partner", "engagements": "Engagements"},
    )
    ui.downloads(by_month, "compare_engagements_by_month", key="compare_trend")

st.subheader("Mission-area mix")
by_area = both("country_area_activity", "compare_org_areas")
if by_area.empty:
    ui.empty_state("engagements with these partners", view)
else:
    ui.plotly(
        compare.area_mix_figure(by_area, codes, names),
        key="compare_mix",
        description="Each bar is one partner's engagements in the period, as shares of 100% by mission area.",
        numbers=by_area,
        columns={"name": "Partner", "mission_area": "Mission area", "engagements": "Engagements"},
    )
    ui.downloads(
        by_area[["code", "name", "mission_area", "engagements"]], "compare_mission_area_mix", key="compare_mix"
    )

st.subheader("Agreements by status")
by_status = both("compare_agreements", "compare_org_agreements")
if by_status.empty:
    ui.empty_state("agreements with these partners", view)
else:
    agreements_by_status = by_status.assign(partner=by_status.code.map(names))
    ui.plotly(
        compare.agreements_figure(by_status, codes, names),
        key="compare_agreements",
        description="Current status of each chosen partner's agreements whose life overlaps the period, and "
        "those in negotiation.",
        numbers=agreements_by_status,
        columns={"partner": "Partner", "status": "Current status", "agreements": "Agreements"},
    )
    ui.downloads(agreements_by_status, "compare_agreements_by_status", key="compare_agreements")

st.subheader("Programmes present")
programmes = compare.programme_table(ui.query("compare_programs", view), codes, names) if nations else None
if programmes is None:
    st.caption("Not applicable: programme sites and memberships are countries', not organizations'.")
elif programmes.empty:
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
