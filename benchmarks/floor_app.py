"""The browser benchmark's reference page: what Streamlit alone costs on this machine and browser.

A bare Streamlit script with the one control the benchmark clicks (a sidebar multiselect of the mission
areas, the same labels) and one line of text: no data, no charts, no sidebar filters. Its first load and
click-to-update, measured by the same rules in the same run, are the floor under every page of the app (the
browser's time to load Streamlit's own code and redraw after a rerun). Not part of the app.
"""

import streamlit as st

from atlas.data import vocab

st.set_page_config(page_title="Benchmark reference", layout="wide")
picked = st.sidebar.multiselect(
    "Mission areas", [m.code for m in vocab.MISSION_AREAS], format_func=vocab.mission_area_label
)
st.title("Reference page")
st.write(f"{len(picked)} mission area(s) picked")
