"""What a page needs, in one import: `from atlas.app import ui`.

Every page starts with `f = ui.sidebar("page-key")`, asks for data with `ui.query(name, f, ...)`, builds a
figure with atlas.views and draws it with `ui.plotly` / `ui.table`. The glue itself lives in the modules
named below, one concern each; this module only gathers what pages use.
"""

from __future__ import annotations

import gc

from atlas.app.briefing import briefing_css, briefing_deck, briefing_downloads, briefing_filters, country_brief_download
from atlas.app.marks import briefing_shown
from atlas.app.organization import headline_tiles, organization_picker, reference_facts, shown_organization
from atlas.app.sections import (
    MULTILATERAL_LIMIT,
    agreement_search_section,
    multilateral_section,
    renewal_horizon,
    renewals_section,
    what_changed_jobs,
    what_changed_section,
)
from atlas.app.session import as_of_text, database, prefetch, query, query_later
from atlas.app.sidebar import sidebar
from atlas.app.state import (
    PAGES,
    select_country,
    select_organization,
    selected_country,
    selected_organization,
    since_date,
)
from atlas.app.tables import agreement_export, engagement_export, engagement_table, status_change_table, table
from atlas.app.upload import audit_trail, check_upload, run_upload, snapshot_list, stage_upload
from atlas.app.viewer import viewer_may_import
from atlas.app.widgets import (
    PLOTLY_CONFIG,
    area_legend,
    clicked_country,
    downloads,
    empty_state,
    md_escape,
    open_clicked_country,
    open_clicked_organization,
    page_header,
    plotly,
)
from atlas.views.format import delta_text

__all__ = [
    "agreement_search_section",
    "renewal_horizon",
    "renewals_section",
    "MULTILATERAL_LIMIT",
    "PAGES",
    "PLOTLY_CONFIG",
    "agreement_export",
    "audit_trail",
    "area_legend",
    "as_of_text",
    "briefing_css",
    "briefing_deck",
    "briefing_downloads",
    "briefing_filters",
    "briefing_shown",
    "check_upload",
    "country_brief_download",
    "database",
    "delta_text",
    "downloads",
    "empty_state",
    "engagement_export",
    "engagement_table",
    "headline_tiles",
    "md_escape",
    "multilateral_section",
    "page_header",
    "clicked_country",
    "open_clicked_country",
    "open_clicked_organization",
    "organization_picker",
    "plotly",
    "prefetch",
    "query",
    "query_later",
    "reference_facts",
    "run_upload",
    "select_country",
    "select_organization",
    "selected_country",
    "selected_organization",
    "shown_organization",
    "sidebar",
    "since_date",
    "snapshot_list",
    "stage_upload",
    "status_change_table",
    "table",
    "viewer_may_import",
    "what_changed_jobs",
    "what_changed_section",
]


def _freeze_what_lives_as_long_as_the_server() -> None:
    """Move every object alive now (the modules of Streamlit, pandas, plotly, DuckDB and ours: about 90% of
    what a server holds after its first page) out of the garbage collector's reach.

    Streamlit runs a full collection after every script run (runner.postScriptGC), on the script thread with
    the GIL held, so the run's last messages wait for it: on this app it took about 90 ms per rerun walking
    these objects, which never become garbage. Frozen, a collection walks only what was made since (under 10
    ms). Objects frozen here are never collected; that is what they are: module contents."""
    gc.collect()
    gc.freeze()


_freeze_what_lives_as_long_as_the_server()
