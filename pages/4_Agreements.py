"""Agreements: what is in force, what is in the pipeline, and what is about to expire."""

import streamlit as st

from atlas.app import ui
from atlas.app.widgets import LIFECYCLE_COLUMNS, PIPELINE_COLUMNS
from atlas.data import vocab
from atlas.views import figures, lifecycle, worldmap

st.set_page_config(page_title="Partner Atlas – Agreements", page_icon="🤝", layout="wide")
f = ui.sidebar("agreements")
horizon = ui.renewal_horizon(f)[1]  # the end of the renewals window chosen below (last run's choice)
ui.prefetch(
    f,
    ("agreements_list", {"search": ""}),
    "agreements_by_country",
    "kpi_agreements",
    ("status_changes", {"since": f.start, "limit": 200}),
    ("renewals_due", {"horizon": horizon}),
    "agreement_pipeline",
)
kpi = ui.query("kpi_agreements", f).iloc[0]
# Every view below reads the same agreements (agreements_in): their count of demo ones labels the page.
ui.page_header(
    "Agreements",
    f,
    subtitle="Agreements with partner countries: lifecycle, renewals due, where they are in force",
    demo=(0, int(kpi.demo)),
    shows=("agreements",),
    counting="both",
)

tiles = st.columns(4)
tiles[0].metric(
    "Agreements shown",
    f"{int(kpi.agreements):,}",
    help="Agreements whose life overlaps the period "
    "(signed by its end, not expired before its start), plus those in negotiation.",
)
tiles[1].metric(
    "In force",
    f"{int(kpi.in_force):,}",
    ui.delta_text(kpi.in_force, kpi.prev_in_force),
    help=f"On {f.as_of:%d %b %Y}, against the end of the previous period.",
)
tiles[2].metric("In negotiation", f"{int(kpi.negotiation):,}", help="Agreements whose current status is negotiation.")
tiles[3].metric(
    "Expiring within 12 months",
    f"{int(kpi.expiring_12m):,}",
    help="In force now; expiry date within the next 12 months. See Renewals due below.",
)

# Side by side: what is about to expire first, and the pipeline chart starts within the first screen.
renewals, pipeline_column = st.columns([3, 2], gap="large")
with renewals:
    ui.renewals_section(f)
with pipeline_column:
    st.subheader("Pipeline by status")
    pipeline = ui.query("agreement_pipeline", f)
    if pipeline.empty:
        ui.empty_state("agreements", f)
    else:
        ui.plotly(
            figures.pipeline(pipeline, height=360),
            key="agreement_pipeline",
            description="Agreements whose life overlaps the period, by their current status, stacked by mission area.",
            numbers=pipeline,
            columns=PIPELINE_COLUMNS,
        )
        ui.downloads(pipeline, "agreements_by_status_and_area", key="pipeline")

st.subheader("Lifecycle timeline")
agreements = ui.query("agreements_list", f, search="")
if agreements.empty:
    ui.empty_state("agreements", f)
else:
    drawn = lifecycle.gantt_rows(agreements)
    ui.plotly(
        lifecycle.lifecycle_gantt(agreements, today=f.today),
        key="agreement_gantt",
        description=f"Lifecycle of the {len(drawn)} agreements that expire soonest: bars run from signature (or "
        "first record) to expiry, coloured by current status; open-ended agreements run to a year from today.",
        numbers=drawn,
        columns=LIFECYCLE_COLUMNS,
    )
    if len(agreements) > len(drawn):
        st.info(
            f"Showing the {len(drawn)} agreements that expire soonest, of {len(agreements):,}. Narrow with "
            "the sidebar (mission area, country, agreement status, period) to see the others; the table "
            "below lists them all.",
            icon=":material/filter_list:",
        )
    ui.downloads(
        drawn[
            [
                "agreement_id",
                "title",
                "status",
                "partners",
                "lifecycle_start",
                "date_signed",
                "date_in_force",
                "date_expires",
            ]
        ],
        "agreement_lifecycles",
        key="gantt",
    )

st.subheader("Agreements in force by partner country")
by_country = ui.query("agreements_by_country", f)
if by_country.empty:
    ui.empty_state(f"agreements in force on {f.as_of:%d %b %Y}", f)
else:
    event = ui.plotly(
        worldmap.world_choropleth(
            by_country,
            value="agreements",
            label="Agreements in force",
            colour=vocab.AGREEMENT_STATUS_COLOURS["in_force"],
        ),
        key="agreement_map",
        on_select="rerun",
        description=f"Map of agreements in force on {f.as_of:%d %b %Y} by partner country ({len(by_country)} "
        "countries). An agreement with several partners counts once for each of them. Click a country to open "
        "its profile.",
        numbers=by_country,
        columns={"name": "Partner country", "agreements": "Agreements in force", "latest_area": "Latest area"},
    )
    ui.open_clicked_country(event)
    ui.downloads(
        by_country[["iso3", "name", "agreements", "latest_area"]], "agreements_in_force_by_country", key="agreement_map"
    )

ui.agreement_search_section(f, len(agreements))

st.subheader("Status changes in the period")
changes = ui.query("status_changes", f, since=f.start, limit=200)
if changes.empty:
    ui.empty_state("agreement status changes", f)
else:
    if int(changes.total[0]) > len(changes):
        st.caption(f"The latest {len(changes):,} of {int(changes.total[0]):,}; narrow the filters to see older ones.")
    ui.status_change_table(changes, key="agreement_changes")
