"""The Streamlit glue: session and database, viewer, sidebar and URL state, widgets, sections, briefing, upload."""
