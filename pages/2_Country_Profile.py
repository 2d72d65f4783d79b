"""Country profile: one partner country's activity, agreements, programme presence and place in its region."""
import dataclasses

import streamlit as st

from atlas import figures, ui, vocab

st.set_page_config(page_title="Partner Atlas – Country profile", page_icon="🏳️", layout="wide")
f = ui.sidebar("country")

# The profile shows one country: the sidebar's period, areas, component, type and status apply; its
# country and region choices give way to the country chosen here (by link, map click or the picker).
countries = ui.query("countries_list")
names = dict(zip(countries.iso3, countries.name))
busiest = ui.query("country_activity", f).query("engagements > 0")
iso = ui.selected_country() if ui.selected_country() in names else None
default = busiest.iso3.iloc[0] if len(busiest) else vocab.PRIORITY_PARTNERS[0]
view = dataclasses.replace(f, countries=(iso or default,), regions=())
profile = ui.query("country_profile", view, iso3=iso or default).iloc[0]

where = [part for part in ("Country profile", profile.region, profile.subregion) if isinstance(part, str) and part]
ui.page_header(ui.md_escape(profile["name"]), view, subtitle=ui.md_escape(" · ".join(where)))
pick_col, note_col = st.columns([1, 2])
st.session_state["country_pick"] = iso or default
pick_col.selectbox("Partner country", sorted(names, key=names.get), format_func=names.get, key="country_pick",
                   on_change=lambda: ui.select_country(st.session_state["country_pick"]))
if iso is None:
    note_col.info(f"No country chosen, so this shows **{ui.md_escape(names[default])}**, the busiest partner in "
                  "the current filters. Pick another here, or click a country on the Overview or Activity map.",
                  icon="👉")
elif f.countries or f.regions:
    note_col.caption("The sidebar's country and region choices do not apply on this page: it shows the country "
                     "picked here. Period, mission areas, component, type and status still apply.")

programmes = ui.query("country_programs", iso3=profile.iso3)
current = programmes[programmes.is_current]
tiles = st.columns(5)
tiles[0].metric("Engagements in period", f"{int(profile.engagements):,}",
                ui.delta_text(profile.engagements, profile.prev_engagements),
                help="Cancelled engagements are not counted. Change is against the previous period of equal length.")
tiles[1].metric("Participants", f"{int(profile.participants):,}", help="People taking part in those engagements.")
tiles[2].metric("Agreements in force", f"{int(profile.in_force):,}", help=f"On {f.as_of:%d %b %Y}; "
                "agreements with several partners count for each of them.")
tiles[3].metric("In negotiation", f"{int(profile.negotiation):,}")
tiles[4].metric("Programmes present", f"{current.program.nunique():,}", help=ui.md_escape("; ".join(
    f"{p} ({n} site{'s' if n > 1 else ''})" for p, n in current.program.value_counts().sort_index().items())
    or "No current programme sites or memberships on record."))

mix_col, region_col = st.columns([3, 2])
with mix_col:
    st.subheader("Engagements over time by mission area")
    monthly = ui.query("country_monthly_activity", view, iso3=profile.iso3)
    if monthly.engagements.sum() == 0:
        ui.empty_state(f"engagements with {profile['name']}", view)
    else:
        ui.plotly(figures.area_mix_over_time(monthly, today=f.today, height=340), key="country_mix")
        ui.downloads(monthly, f"engagements_by_month_{profile.iso3}", key="country_mix")
with region_col:
    st.subheader(f"Compared with {profile.region or 'its region'}")
    region = ui.query("region_comparison", view, iso3=profile.iso3)
    ui.plotly(figures.region_comparison(region, n=12, height=340), key="country_region")
    rank = region.loc[region.selected, "rank"]
    st.caption(f"Ranked {int(rank.iloc[0])} of {len(region)} partner countries in the region with engagements "
               "in the period." if len(rank) and profile.engagements else "No engagements in the period.")
    ui.downloads(region[["rank", "iso3", "name", "engagements"]], f"region_comparison_{profile.iso3}",
                 key="country_region")

st.subheader("Agreements and their lifecycle")
agreements = ui.query("agreements_list", view, search="")
if agreements.empty:
    ui.empty_state(f"agreements with {profile['name']}", view)
else:
    ui.plotly(figures.lifecycle_gantt(agreements, today=f.today), key="country_gantt")
    st.caption("Bars run from signature (or first record) to expiry; open-ended agreements run to a year from "
               "today. ◇ entry into force · | signature.")
    ui.table(agreements, f"agreements_{profile.iso3}", key="country_agreements",
             columns=["title", "partners", "mission_area", "status", "date_signed", "date_in_force", "date_expires",
                      "days_to_expiry", "component", "demo"],
             column_config={"title": st.column_config.TextColumn("Agreement", width="large"),
                            "mission_area": "Mission area", "days_to_expiry": "Days to expiry"})

st.subheader("Programmes present")
st.caption("Real, sourced facts (not demo data), each with its source and the date the source speaks for. "
           "Rows marked uncertain rest on a weak or dated source; check before quoting them.")
shown = programmes.assign(
    membership=programmes.is_current.map({True: "Current", False: "⛔ NOT current (former / rescinded)"}),
    uncertain=programmes.uncertain.map({True: "⚠️ uncertain", False: ""}),
    source_link=programmes.source_url.str.split(r"\s+;\s+").str[0])
link = st.column_config.LinkColumn("Link", display_text="open", help="The first source listed")
columns = ["program", "place", "site_code", "status", "membership", "uncertain", "since", "source_link",
           "source_url", "source_as_of", "notes"]
labels = {"program": st.column_config.TextColumn("Programme", width="medium"), "site_code": "Code",
          "source_link": link, "source_url": "Source", "source_as_of": "Source as of"}
if current.empty:
    st.info(f"No current programme sites or memberships on record for {ui.md_escape(profile['name'])}.", icon="🔍")
else:
    ui.table(shown[shown.is_current], f"programmes_{profile.iso3}", key="country_programmes", columns=columns,
             column_config=labels)
former = shown[~shown.is_current]
if len(former):
    st.warning(f"**Not current:** {ui.md_escape(profile['name'])} is **not** a member of "
               f"{ui.md_escape(', '.join(former.program.unique()))} — the record below is a former, terminated or "
               "rescinded membership, kept for context.", icon="⛔")
    ui.table(former, f"former_programmes_{profile.iso3}", key="country_former", columns=columns,
             column_config=labels)

st.subheader("Recent engagements")
recent = ui.query("recent_engagements", view, limit=25)
if recent.empty:
    ui.empty_state(f"engagements with {profile['name']}", view)
else:
    ui.engagement_table(recent, key="country_recent")
