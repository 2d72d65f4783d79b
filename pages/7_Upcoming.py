"""Upcoming: the agenda of planned engagements for the next 7, 30 or 90 days, week by week."""

import dataclasses
import datetime as dt

import streamlit as st

from atlas.app import ui
from atlas.views import agenda

st.set_page_config(page_title="Partner Atlas – Upcoming", page_icon="📅", layout="wide")
f = ui.sidebar("upcoming")
days = st.session_state.get("upcoming_days") or agenda.DEFAULT_WINDOW  # the window chosen below (last run's)
horizon = f.today + dt.timedelta(days=days)
# The agenda's own window replaces the sidebar's period; every other filter and the ceiling apply.
view = dataclasses.replace(f, start=f.today + dt.timedelta(days=1), end=horizon)
ui.prefetch(
    view,
    ("upcoming_engagements", {"horizon": horizon, "limit": agenda.LISTED_ROWS}),
    ("upcoming_by_week", {"horizon": horizon}),
)
weekly = ui.query("upcoming_by_week", view, horizon=horizon)
weeks = agenda.week_totals(weekly)
listed = ui.query("upcoming_engagements", view, horizon=horizon, limit=agenda.LISTED_ROWS)
rows = agenda.agenda_rows(listed, f.today, days)

ui.page_header(
    "Upcoming engagements",
    view,
    subtitle="Planned engagements in the days ahead, week by week",
    demo=(int(weeks.demo.sum()), 0),
    shows=("engagements",),
    counting="total",
)
st.segmented_control(
    "Window",
    list(agenda.WINDOWS),
    default=agenda.DEFAULT_WINDOW,
    required=True,
    format_func=lambda n: f"Next {n} days",
    key="upcoming_days",
)
st.caption(
    f"Engagements with status *planned* starting from tomorrow to {horizon:%d %b %Y}. The sidebar's "
    "period does not apply here: the agenda always runs from today. Its mission areas, countries, "
    "regions, component and type do, and only records your access level allows are listed."
)

total = int(weeks.engagements.sum())
tiles = st.columns(3)
tiles[0].metric(f"Planned in the next {days} days", f"{total:,}")
tiles[1].metric("Partner countries", f"{int(weekly.iso3.nunique()):,}")
busiest = weeks.sort_values(["engagements", "week_start"], ascending=[False, True]).head(1)
tiles[2].metric(
    "Busiest week",
    busiest.week.iloc[0].removeprefix("Week of ") if total else "—",
    f"{int(busiest.engagements.iloc[0]):,} engagements" if total else None,
    delta_color="off",
    delta_arrow="off",
    help="The week (from Monday) with the most planned engagements.",
)

if total == 0:
    ui.empty_state(
        f"planned engagements in the next {days} days",
        view,
        hint="Choose a longer window, or clear a filter in the sidebar.",
    )
    st.stop()

st.subheader("Planned engagements per week")
ui.plotly(
    agenda.weekly_figure(weekly),
    key="upcoming_weeks",
    description=f"Planned engagements per week (weeks from Monday) over the next {days} days.",
    numbers=weeks,
    columns={"week_start": "Week from", "engagements": "Planned engagements", "countries": "Partner countries"},
)
ui.downloads(weeks[["week_start", "engagements", "countries"]], f"upcoming_{days}_days_by_week", key="weeks")

st.subheader("Agenda")
n_shown = len(rows)  # the first agenda.LISTED_ROWS; the download reads up to agenda.MAX_ROWS when clicked
n_total = int(listed.total.max())
if n_total > n_shown:
    st.info(
        f"Listing the first {n_shown:,} of {n_total:,} planned engagements (the counts "
        f"per week are complete; the download below holds the first {min(n_total, agenda.MAX_ROWS):,}). Narrow "
        "the filters in the sidebar to list the others.",
        icon=":material/filter_list:",
    )
columns = ["start_date", "title", "profile", "city", "area", "component", "type"]  # participants: in the download
config = {
    "start_date": st.column_config.DateColumn("Date", format="ddd D MMM YYYY"),
    "title": st.column_config.TextColumn("Engagement", width="large"),
    "profile": st.column_config.LinkColumn("Country", display_text=r"#(.+)$", help="Opens the country's profile"),
    "city": "City",
    "area": "Mission area",
    "component": "Component",
    "type": "Type",
    "demo": "Demo",
}
if rows.is_demo.any():
    rows = rows.assign(demo=rows.is_demo.map({True: "demo", False: ""}))
    columns.append("demo")
for week in weeks.itertuples():
    part = rows[rows.week_start == week.week_start]
    st.markdown(f"#### {week.week} · {week.engagements:,} engagement{'s' if week.engagements != 1 else ''}")
    st.dataframe(
        part[columns],
        hide_index=True,
        width="stretch",
        column_config=config,
        key=f"df_week_{week.week_start:%Y%m%d}",
        height=min(38 + 35 * max(len(part), 1), 420),
    )
    if len(part) < week.engagements:
        st.caption(f"{week.engagements - len(part):,} more this week are not listed (see above).")

st.caption(f"Download the agenda (soonest first: those listed above and the next, up to {agenda.MAX_ROWS:,}):")
agenda_later = ui.query_later("upcoming_engagements", view, horizon=horizon, limit=agenda.MAX_ROWS)
ui.downloads(
    lambda: agenda.export_rows(agenda.agenda_rows(agenda_later(), f.today, days)), f"upcoming_{days}_days", key="agenda"
)
