"""What changed: since the last briefing (or a date chosen), what imports added or changed, the new engagements,
agreement status changes, newly engaged countries and agreements expiring soon."""

import streamlit as st

from atlas.app import ui

st.set_page_config(page_title="Partner Atlas – What changed", page_icon="🆕", layout="wide")
f = ui.sidebar("changes")
ui.prefetch(f, "demo_in_scope", *ui.what_changed_jobs(f))
ui.page_header(
    "What changed",
    f,
    subtitle="Since the last briefing or a date you choose: new records and status changes, by event date and by "
    "when imports wrote them",
    counting="total",
)
ui.what_changed_section(f)
