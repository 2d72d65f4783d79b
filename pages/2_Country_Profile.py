"""Country profile: one partner country's activity, agreements, programme presence and place in its region."""

import dataclasses

import streamlit as st

from atlas.app import ui
from atlas.app.tables import PROFILE_AGREEMENT_COLUMNS, agreement_table
from atlas.app.widgets import LIFECYCLE_COLUMNS, MONTHLY_COLUMNS
from atlas.data import vocab
from atlas.views import figures, lifecycle, maps

st.set_page_config(page_title="Partner Atlas – Country profile", page_icon="🏳️", layout="wide")
f = ui.sidebar("country")

# The profile shows one country: the sidebar's period, areas, component, type and status apply; its
# country and region choices give way to the country chosen here (by link, map click or the picker).
countries = ui.query("countries_list")
names = dict(zip(countries.iso3, countries.name))
iso = ui.selected_country() if ui.selected_country() in names else None
busiest = ui.query("country_activity", f).query("engagements > 0") if iso is None else None
default = busiest.iso3.iloc[0] if busiest is not None and len(busiest) else vocab.PRIORITY_PARTNERS[0]
shown_iso = iso or default  # the country this page shows: chosen, else the busiest partner
view = dataclasses.replace(f, countries=(shown_iso,), regions=())
ui.prefetch(
    view,
    ("country_profile", {"iso3": shown_iso}),
    ("country_monthly_activity", {"iso3": shown_iso}),
    ("region_comparison", {"iso3": shown_iso}),
    ("agreements_list", {"search": ""}),
    ("recent_engagements", {"limit": 25}),
    ("country_multilateral_engagements", {"iso3": shown_iso, "limit": ui.MULTILATERAL_LIMIT}),
)
profile = ui.query("country_profile", view, iso3=shown_iso).iloc[0]
agreements = ui.query("agreements_list", view, search="")

where = [part for part in ("Country profile", profile.region, profile.subregion) if isinstance(part, str) and part]
ui.page_header(
    ui.md_escape(profile["name"]),
    view,
    subtitle=ui.md_escape(" · ".join(where)),
    counting="per_country",
    demo=(int(profile.demo), int(agreements.is_demo.sum())),  # what demo_in_scope would count, for this country
)
pick_col, note_col, brief_col = st.columns([2, 3, 1], vertical_alignment="bottom")
st.session_state["country_pick"] = shown_iso
pick_col.selectbox(
    "Partner country",
    sorted(names, key=names.get),
    format_func=names.get,
    key="country_pick",
    on_change=lambda: ui.select_country(st.session_state["country_pick"]),
)
if iso is None:
    note_col.info(
        f"No country chosen, so this shows **{ui.md_escape(names[default])}**, the busiest partner in "
        "the current filters. Pick another here, or click a country on the Overview map.",
        icon=":material/info:",
    )
elif f.countries or f.regions:
    note_col.caption(
        "The sidebar's country and region choices do not apply on this page: it shows the country "
        "picked here. Period, mission areas, component, type and status still apply."
    )
with brief_col:  # beside the picker: the trend chart starts within the first screen
    ui.country_brief_download(view, profile.iso3)

programmes = ui.query("country_programs", iso3=profile.iso3)
current = programmes[programmes.is_current]
tiles = st.columns(5)
tiles[0].metric(
    "Engagements in period",
    f"{int(profile.engagements):,}",
    ui.delta_text(profile.engagements, profile.prev_engagements),
    help="Cancelled engagements are not counted. Change is against the previous period of equal length.",
)
tiles[1].metric("Participants", f"{int(profile.participants):,}", help="People taking part in those engagements.")
tiles[2].metric(
    "Agreements in force",
    f"{int(profile.in_force):,}",
    help=f"On {f.as_of:%d %b %Y}; agreements with several partners count for each of them.",
)
tiles[3].metric("In negotiation", f"{int(profile.negotiation):,}")
sites = current.program.value_counts().sort_index()
tiles[4].metric(
    "Programmes present",
    f"{len(sites):,}",
    help=ui.md_escape(
        "Current, with their number of sites or memberships: " + "; ".join(f"{p} ({n})" for p, n in sites.items())
        if len(sites)
        else "No current programme sites or memberships on record."
    ),
)
st.subheader("Engagements over time by mission area")
monthly = ui.query("country_monthly_activity", view, iso3=profile.iso3).query("engagements > 0")
if monthly.engagements.sum() == 0:
    ui.empty_state(f"engagements with {profile['name']}", view)
else:
    events = ui.query("timeline_events", view, countries=[profile.iso3])
    by_month = figures.mark_partial(monthly, today=f.today, period=(f.start, f.end))
    ui.plotly(
        figures.area_mix_over_time(monthly, today=f.today, period=(f.start, f.end), height=340, events=events),
        key="country_mix",
        description=f"Engagements with {profile['name']} per month, stacked by mission area; a month the period "
        "or today cuts short is marked partial. Markers above the bars: this country's agreements signed and "
        "entered into force (hover for which).",
        numbers=by_month,
        columns=MONTHLY_COLUMNS,
    )
    ui.downloads(by_month, f"engagements_by_month_{profile.iso3}", key="country_mix")

region_name = profile.region if isinstance(profile.region, str) and profile.region else None
st.subheader(f"Compared with {region_name or 'its region'}")
region = ui.query("region_comparison", view, iso3=profile.iso3)
chart_col, text_col = st.columns([3, 2])
with chart_col:
    ui.plotly(
        figures.region_comparison(region, n=12, height=340),
        key="country_region",
        description=f"Engagements in the period of {profile['name']} (highlighted) and the busiest partner "
        f"countries of {region_name or 'its region'}.",
        numbers=region,
        columns={"rank": "Rank", "name": "Partner country", "engagements": "Engagements"},
    )
    ui.downloads(
        region[["rank", "iso3", "name", "engagements"]], f"region_comparison_{profile.iso3}", key="country_region"
    )
with text_col:
    # The region's own total counts an engagement with several of its countries once, not once per country.
    total = int(region.region_engagements.iloc[0]) if len(region) else 0
    engaged = int((region.engagements > 0).sum())
    if profile.engagements and region_name:
        rank = int(region.loc[region.selected, "rank"].iloc[0])
        st.metric(
            f"Rank in {region_name}",
            f"{rank} of {engaged}",
            help="Among the region's partner countries with engagements in the period, by number of engagements.",
        )
        st.metric(
            "Share of the region's engagements",
            f"{profile.engagements / total:.0%}",
            help=f"{int(profile.engagements):,} of {total:,} engagements with {region_name} in the period (one with "
            "several of its countries counts once).",
        )
    else:
        st.caption(
            f"No engagements with {ui.md_escape(profile['name'])} in the period; {engaged} other "
            f"partner countries of {region_name or 'its region'} had {total:,}."
        )

st.subheader("Agreements and their lifecycle")
if agreements.empty:
    ui.empty_state(f"agreements with {profile['name']}", view)
else:
    drawn = lifecycle.gantt_rows(agreements)
    ui.plotly(
        lifecycle.lifecycle_gantt(agreements, today=f.today),
        key="country_gantt",
        description="Bars run from signature (or first record) to expiry, coloured by current status; open-ended "
        "agreements run to a year from today. ◆ entry into force · | signature."
        + (
            f" Showing the {len(drawn)} that expire soonest, of {len(agreements):,}; the table lists them all."
            if len(agreements) > len(drawn)
            else ""
        ),
        numbers=drawn,
        columns=LIFECYCLE_COLUMNS,
    )
    agreement_table(
        agreements,
        f"agreements_{profile.iso3}",
        key="country_agreements",
        columns=PROFILE_AGREEMENT_COLUMNS,
    )

st.subheader("Programmes present")
st.caption(
    "Real, sourced facts (not demo data), each with its source and the date the source speaks for. "
    "Rows marked uncertain rest on a weak or dated source: check them before quoting."
)
shown = programmes.fillna({"site_code": "", "since": "", "notes": ""}).assign(
    membership=[
        "Current" if c else ("Announced" if maps.is_announced(s) else "NOT current")
        for c, s in zip(programmes.is_current, programmes.status)
    ],
    uncertain=programmes.uncertain.map({True: "Uncertain", False: ""}),
    source_link=programmes.source_url.str.split(r"\s+;\s+").str[0],
)
columns = [
    "membership",
    "uncertain",
    "program",
    "place",
    "site_code",
    "status",
    "since",
    "source_link",
    "source_url",
    "source_as_of",
    "notes",
]
labels = {
    "membership": "Membership",
    "uncertain": "Reliability",
    "program": st.column_config.TextColumn("Programme", width="medium"),
    "place": st.column_config.TextColumn("Place", width="medium"),
    "site_code": "Code",
    "status": st.column_config.TextColumn("Status, as the source gives it", width="medium"),
    "since": "Since",
    "source_link": st.column_config.LinkColumn("Link", display_text="open source", help="The first source listed"),
    "source_url": "Source",
    "source_as_of": "Source as of",
    "notes": "Notes",
}
if current.empty:
    st.info(
        f"No current programme sites or memberships on record for {ui.md_escape(profile['name'])}.",
        icon=":material/search:",
    )
else:
    ui.table(
        shown[shown.is_current],
        f"programmes_{profile.iso3}",
        key="country_programmes",
        columns=columns,
        column_config=labels,
        height=min(38 + 35 * len(current), 560),
    )
announced = shown[~shown.is_current & shown.status.map(maps.is_announced)]
if len(announced):
    st.info(
        f"**Announced, not yet operational:** {ui.md_escape(', '.join(announced.place.fillna('').unique()))}. "
        "Not counted as present until the source reports it open.",
        icon=":material/schedule:",
    )
    ui.table(
        announced,
        f"announced_programmes_{profile.iso3}",
        key="country_announced",
        columns=columns,
        column_config=labels,
    )
former = shown[~shown.is_current & ~shown.status.map(maps.is_announced)]
lapsed = sorted(set(former.program) - set(current.program))
if len(former):
    if lapsed:
        st.warning(
            f"**Not current:** {ui.md_escape(profile['name'])} is **not** currently part of "
            f"{ui.md_escape(', '.join(lapsed))}. The record below is a former, terminated or rescinded "
            "membership or site, kept for context.",
            icon=":material/block:",
        )
    ui.table(former, f"former_programmes_{profile.iso3}", key="country_former", columns=columns, column_config=labels)

st.subheader("Recent engagements")
recent = ui.query("recent_engagements", view, limit=25)
if recent.empty:
    ui.empty_state(f"engagements with {profile['name']}", view)
else:
    ui.engagement_table(recent, key="country_recent")

ui.multilateral_section(view, profile.iso3, profile["name"])
