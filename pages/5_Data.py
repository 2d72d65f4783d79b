"""Data: import a file after checking it, see what changed, how fresh the data is, and where facts come from."""

import pandas as pd
import streamlit as st

from atlas.app import ui, upload
from atlas.data import ingest

st.set_page_config(page_title="Partner Atlas – Data", page_icon="🗄️", layout="wide")
f = ui.sidebar("data")
ui.prefetch(f, "agreements_export", "engagement_count", "demo_in_scope")
ui.page_header(
    "Data", f, subtitle="Import engagements and agreements, check them first, and see what is loaded", counting="total"
)

st.subheader("Import a file")
if not upload.uploads_allowed():
    if upload.login_configured():
        st.info(
            "Your account may look at the data but not import it. Ask an administrator to add you to the "
            "importers in the roles file.",
            icon=":material/lock:",
        )
    else:
        st.info(
            "Imports from this page are off: sign-in is not configured, so nobody here can be told apart. "
            "Import with `python -m atlas import`, or set `ATLAS_ALLOW_UPLOAD=1` to allow uploads on a "
            "deployment only you can reach.",
            icon=":material/lock:",
        )
else:
    left, right = st.columns([1, 2])
    table = (
        left.segmented_control(
            "Records",
            ["engagements", "agreements"],
            default="engagements",
            key="upload_table",
            format_func=str.capitalize,
        )
        or "engagements"
    )
    skip = left.checkbox(
        "Import the valid rows and set the invalid ones aside",
        key="upload_skip",
        help="Without this, a file with any invalid row is not imported at all.",
    )
    uploaded = right.file_uploader(
        "CSV (UTF-8), Excel (.xlsx, first sheet) or Parquet", type=["csv", "xlsx", "parquet"], key="upload_file"
    )
    try:
        path = upload.stage_upload(uploaded, table) if uploaded is not None else None
    except upload.UploadRefused as refused:
        st.error(str(refused), icon=":material/error:")
        path = None
    if path is not None:
        check = ui.check_upload(path, table, skip)
        st.markdown(f"**Check of {ui.md_escape(uploaded.name)}** — nothing has been written yet.")
        tiles = st.columns(5)
        for col, (label, value) in zip(
            tiles,
            (
                ("Rows read", check.rows_read),
                ("New", check.inserted),
                ("Updated", check.updated),
                ("Unchanged", check.unchanged),
                ("Rejected", check.rejected),
            ),
        ):
            col.metric(label, f"{value:,}")
        if check.problems:
            st.error(
                f"{len(check.problems):,} problem(s) in {check.rejected:,} row(s). "
                + (
                    "They will be set aside."
                    if skip
                    else "Fix them, or tick the box above to import only the valid rows."
                ),
                icon=":material/error:",
            )
            st.table(upload.problem_rows(check).set_index("Line"))  # a static table wraps long messages
            if len(check.problems) > 500:
                st.caption(f"… and {len(check.problems) - 500:,} more problems.")
            if check.rejected_rows is not None and len(check.rejected_rows):
                st.caption("The rejected rows as read, with the reason, to correct and import again:")
                ui.downloads(check.rejected_rows, f"{table}_rejected_rows", key="rejected")
        if mappings := upload.mapping_lines(check):
            st.markdown("**Countries resolved from names**\n\n" + "\n".join(f"- {ui.md_escape(m)}" for m in mappings))
        if check.preview is not None and len(check.preview):
            st.markdown(f"**The first {len(check.preview):,} valid rows as they will be stored**")
            st.dataframe(
                check.preview,
                hide_index=True,
                width="stretch",
                key="upload_preview",
                column_config={
                    "title": st.column_config.TextColumn("Title", width="large"),
                    "country": "Country",
                    "iso3": "ISO3",
                    "mission_area": "Mission area",
                },
            )
        if check.ignored_columns:
            st.caption("Ignored columns: " + ui.md_escape(", ".join(check.ignored_columns)))
        ready = check.outcome != "rejected" and check.inserted + check.updated > 0
        label = f"Import {check.inserted + check.updated:,} {table}" if ready else "Nothing to import"
        if st.button(label, type="primary", disabled=not ready, key="upload_go"):
            try:
                result = ui.run_upload(path, table, skip)
            except ingest.ImportFailed as failed:
                st.error(str(failed), icon=":material/error:")
            else:
                st.success("Imported. Every open page now shows the new data.", icon=":material/check_circle:")
                st.code(result.summary(), language=None)

st.subheader("Export the records behind these filters")
ui.engagement_export(f)
ui.agreement_export(f)

st.subheader("Freshness")
freshness = ui.query("data_freshness")
ui.table(
    freshness,
    "data_freshness",
    key="freshness",
    columns=["table_name", "records", "demo_records", "last_import", "latest_date", "built_at"],
)

st.subheader("Import history")
history = ui.query("import_history", limit=200)
if history.empty:
    st.caption("No imports yet.")
else:
    ui.table(
        history,
        "import_history",
        key="history",
        columns=[
            "import_id",
            "started_at",
            "table_name",
            "file_name",
            "outcome",
            "rows_read",
            "inserted",
            "updated",
            "unchanged",
            "rejected",
            "message",
            "sha256",
        ],
    )

st.subheader("Audit trail")
trail = ui.audit_trail(limit=200)
st.caption(
    "Every import, failed import and restore, with who made it. Kept beside the database, outside it, "
    "so a restore never erases it."
)
if trail.empty:
    st.caption("Nothing recorded yet.")
else:
    ui.table(trail, "audit_trail", key="audit", column_config={"at": "When (UTC)", "who": "Who"})

st.subheader("Snapshots")
snaps = ui.snapshot_list()
st.caption(  # the command in bold, not as inline code: code in a caption falls under 4.5:1 in both themes
    f"{len(snaps)} snapshot(s) kept (the last five, one before each import that changed data). "
    "Bring one back with the command **python -m atlas restore [SNAPSHOT]**."
)
if snaps:
    st.dataframe(
        pd.DataFrame(snaps),
        hide_index=True,
        width="stretch",
        column_config={"snapshot": "Snapshot", "size_mb": "Size (MB)", "taken": "Taken"},
    )

st.subheader("Programme facts and their sources")
st.caption(
    "Real programme sites and memberships, each with its source and as-of date (data/reference/SOURCES.md). "
    "Rows marked uncertain are not fully established by their source."
)
ui.table(ui.query("programs_summary"), "programme_sources", key="programs")
