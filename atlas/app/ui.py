"""The Streamlit glue: shared sidebar filters <-> session state <-> URL, cached queries, page furniture.

Every page starts with `filters = ui.sidebar("page-key")`, then asks for data with `ui.query(name, ...)`.
"""
from __future__ import annotations

import dataclasses
import functools
import datetime as dt
import hashlib
import html
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from collections.abc import Callable

import pandas as pd
import streamlit as st

from atlas.data import access, export, vocab
from atlas import config
from atlas.data import countries as country_table
from atlas.data import filters as flt
from atlas.data.db import Database, file_signature
from atlas.data.version import OutdatedDatabase

STATE = "atlas_filters"          # the Filters value; plain key, survives page changes
SELECTED = "atlas_country"       # the country the profile shows
URL_SEEN = "atlas_url_seen"      # the query string last applied or written
SINCE = "atlas_since"            # the "what changed since" date (None: 30 days before today)
NOTICES = "atlas_notices"
PAGES = {
    "overview": "dashboard.py",
    "map": "pages/1_Activity_Map.py",
    "country": "pages/2_Country_Profile.py",
    "areas": "pages/3_Mission_Areas.py",
    "agreements": "pages/4_Agreements.py",
    "data": "pages/5_Data.py",
    "briefing": "pages/6_Briefing.py",
}
NAV = (  # (page key, label, icon) in menu order
    ("overview", "Overview", ":material/dashboard:"),
    ("map", "Activity map", ":material/public:"),
    ("country", "Country profile", ":material/flag:"),
    ("areas", "Mission areas", ":material/category:"),
    ("agreements", "Agreements", ":material/handshake:"),
    ("data", "Data", ":material/database:"),
    ("briefing", "Briefing mode", ":material/slideshow:"),
)
PLOTLY_CONFIG = {
    # Relative, so it works under any baseUrlPath; the files are served from static/topojson/.
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


# --- database and queries ------------------------------------------------------------------------

@st.cache_resource(max_entries=3, show_spinner=False)
def _database(path: str, signature: tuple) -> Database:
    return Database.open(path)


def database() -> Database:
    """The current generation of the database; a new one is opened when an import swaps the file."""
    path = config.db_path()
    try:
        signature = file_signature(path)
        return _database(str(path), signature)
    except FileNotFoundError:
        st.error(f"No database at `{path}`. Build one with `make run` or `python -m atlas build`.")
    except OutdatedDatabase as exc:
        st.error(str(exc))
    st.stop()


def query(name: str, filters: flt.Filters | None = None, **extra) -> pd.DataFrame:
    """Run queries/<name>.sql with the filters' parameters plus `extra`, cached per database generation
    (shared by every session; see Database.cached_query)."""
    return database().cached_query(name, _params(filters, extra))


def _params(filters: flt.Filters | None, extra: dict) -> dict:
    params = dict(filters.params()) if filters else {}
    params.update(extra)
    return params


def prefetch(filters: flt.Filters | None, *jobs: str | tuple[str, dict]) -> None:
    """Run the queries a page is about to ask for side by side, so its later ui.query calls hit the cache.

    DuckDB plans and runs each on its own cursor without holding the GIL, so on two cores a page's
    dozen small queries finish in about half the time. `jobs`: query names, or (name, extra params),
    longest first. The workers touch no Streamlit API: the database is looked up once, here.
    """
    db = database()
    calls = [(job, _params(filters, {})) if isinstance(job, str) else (job[0], _params(filters, job[1]))
             for job in jobs]
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda call: db.cached_query(*call), calls))


# --- who is looking ------------------------------------------------------------------------------

def login_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (Streamlit's OIDC sign-in)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _viewer() -> tuple[str | None, list[str]]:
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return None, []
    groups = user.get("groups") or []
    return user.get("email"), [str(g) for g in (groups if isinstance(groups, (list, tuple)) else [groups])]


def viewer_rank() -> int:
    """The highest sensitivity rank this viewer may see; every query is capped by it."""
    if not login_configured():
        return access.default_rank()
    email, groups = _viewer()
    if email is None:
        return access.PUBLIC
    return access.rank_for(email, groups, access.load_roles())


def viewer_may_import() -> bool:
    if not login_configured():
        return True  # a local deployment without sign-in: whoever runs it owns the data
    email, groups = _viewer()
    return email is not None and access.may_import(email, groups, access.load_roles())


def viewer_caption() -> str:
    level = access.level_name(viewer_rank())
    if not login_configured():
        return f"Showing records up to {level} (sign-in not configured)"
    email, _ = _viewer()
    return f"Signed in as {email}: records up to {level}" if email else f"Not signed in: {level} records only"


def sign_in_controls() -> None:
    """Sign in / out buttons when sign-in is configured."""
    if not login_configured():
        return
    if _viewer()[0] is None:
        st.button("Sign in", on_click=st.login, icon=":material/login:", width="stretch")
    else:
        st.button("Sign out", on_click=st.logout, icon=":material/logout:", width="stretch")


# --- the shared sidebar ----------------------------------------------------------------------------

def _widget_key(name: str) -> str:
    return f"w_{name}"


def _current(today: dt.date) -> flt.Filters:
    value = st.session_state.get(STATE)
    if value is None:
        value = flt.default_filters(today, viewer_rank())
        st.session_state[STATE] = value
    return value


def _set(**changes) -> None:
    st.session_state[STATE] = dataclasses.replace(st.session_state[STATE], **changes)


def _on_preset() -> None:
    preset = st.session_state[_widget_key("preset")]
    if preset == "custom":
        _set(preset="custom")
        return
    current = st.session_state[STATE]
    start, end = flt.preset_range(preset, current.today, _data_range())
    _set(preset=preset, start=start, end=end)


def _on_range() -> None:
    value = st.session_state[_widget_key("range")]
    if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] <= value[1]:
        _set(preset="custom", start=value[0], end=value[1])


def _on_list(name: str) -> Callable[[], None]:
    def callback() -> None:
        _set(**{name: tuple(st.session_state[_widget_key(name)])})
    return callback


def _on_priority(codes: tuple[str, ...]) -> Callable[[], None]:
    def callback() -> None:
        _set(countries=codes, regions=())
        if len(codes) == 1:
            st.session_state[SELECTED] = codes[0]
    return callback


def _on_reset() -> None:
    today = st.session_state[STATE].today
    st.session_state[STATE] = flt.default_filters(today, viewer_rank())
    st.session_state.pop(SINCE, None)


def _data_range() -> tuple[dt.date, dt.date] | None:
    row = query("data_range")
    if row.empty or pd.isna(row.first_day[0]):
        return None
    return pd.Timestamp(row.first_day[0]).date(), pd.Timestamp(row.last_day[0]).date()


def _apply_url(today: dt.date) -> None:
    """Adopt filters from the URL when it carries ones this session has not seen (a shared link)."""
    url = {k: v for k, v in st.query_params.to_dict().items()}
    seen = st.session_state.get(URL_SEEN)
    if not url or url == seen:
        return
    filter_keys = set(flt.URL_KEYS.values()) | {"from", "to", "period"}
    notices: list[str] = []
    if filter_keys & set(url):
        fresh = flt.default_filters(today, viewer_rank())
        value, notices = flt.from_query(url, fresh, _data_range())
        st.session_state[STATE] = value
    if "iso" in url:
        iso = country_table.resolve(url["iso"])
        if iso:
            st.session_state[SELECTED] = iso
        else:
            notices.append(f"Ignored unknown country in the link: {url['iso'][:40]}")
    if "since" in url:
        try:
            st.session_state[SINCE] = dt.date.fromisoformat(str(url["since"]))
        except ValueError:
            notices.append(f"Ignored malformed 'since' date in the link: {str(url['since'])[:40]}")
    st.session_state[NOTICES] = notices
    st.session_state[URL_SEEN] = url


def _write_url(f: flt.Filters, extra: dict[str, str]) -> None:
    wanted = flt.to_query(f, extra)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[URL_SEEN] = wanted


def current_filters(page: str) -> flt.Filters:
    """The session's filters after adopting any shared link; sends ?mode=briefing to the briefing."""
    today = config.today()
    _apply_url(today)
    if st.query_params.get("mode") == "briefing" and page != "briefing":
        st.switch_page(PAGES["briefing"])
    f = dataclasses.replace(_current(today), today=today, max_rank=viewer_rank())
    st.session_state[STATE] = f
    return f


def url_extras(page: str) -> dict[str, str]:
    """What the URL carries besides the filters: the selected country, the 'since' date, briefing mode."""
    extra = {"iso": st.session_state.get(SELECTED, "")}
    since = st.session_state.get(SINCE)
    if since:
        extra["since"] = since.isoformat()
    if page == "briefing":
        extra["mode"] = "briefing"
    return extra


def sidebar(page: str) -> flt.Filters:
    """Draw the shared filters and return their value; call first on every page."""
    f = current_filters(page)

    # Copy the values into the widget keys before drawing: widget state is dropped on page change.
    st.session_state[_widget_key("preset")] = f.preset
    st.session_state[_widget_key("range")] = (f.start, f.end)
    for name in flt.URL_KEYS:
        st.session_state[_widget_key(name)] = list(getattr(f, name))

    countries = query("countries_list")
    names = dict(zip(countries.iso3, countries.name))
    regions = sorted(r for r in countries.region.dropna().unique() if r)
    with st.sidebar:
        _navigation()
        st.markdown("### Filters")
        st.selectbox("Period", list(flt.PRESETS), format_func=flt.PRESETS.get, key=_widget_key("preset"),
                     on_change=_on_preset)
        st.date_input("From – to", key=_widget_key("range"), min_value=flt.EARLIEST, max_value=flt.LATEST,
                      on_change=_on_range, format="YYYY-MM-DD")
        st.multiselect("Mission areas", [m.code for m in vocab.MISSION_AREAS], key=_widget_key("mission_areas"),
                       format_func=vocab.mission_area_label, on_change=_on_list("mission_areas"),
                       placeholder="All mission areas")
        st.caption("Priority partners")
        cols = st.columns(2)
        for i, (label, codes) in enumerate((("Canada", ("CAN",)), ("Mexico", ("MEX",)),
                                            ("UK", ("GBR",)), ("All three", vocab.PRIORITY_PARTNERS))):
            cols[i % 2].button(label, key=f"prio_{codes[0] if len(codes) == 1 else 'all'}",
                               on_click=_on_priority(codes), width="stretch")
        # The country profile shows one country: the geography filters would look active but do nothing.
        geography_off = page == "country"
        geography_help = "The country profile shows the country chosen on the page." if geography_off else None
        st.multiselect("Regions", regions, key=_widget_key("regions"), on_change=_on_list("regions"),
                       placeholder="All regions", disabled=geography_off, help=geography_help)
        options = sorted(countries.iso3[countries.region.isin(f.regions)] if f.regions else countries.iso3,
                         key=lambda c: names.get(c, c))
        options = list(dict.fromkeys(list(f.countries) + options))
        st.multiselect("Countries", options, key=_widget_key("countries"), format_func=lambda c: names.get(c, c),
                       on_change=_on_list("countries"), placeholder="All countries", disabled=geography_off,
                       help=geography_help)
        st.multiselect("DHS component", [c for c, _ in vocab.COMPONENTS], key=_widget_key("components"),
                       format_func=lambda c: f"{c} – {dict(vocab.COMPONENTS)[c]}", on_change=_on_list("components"),
                       placeholder="All components")
        st.multiselect("Engagement type", [c for c, _ in vocab.ENGAGEMENT_TYPES], key=_widget_key("engagement_types"),
                       format_func=lambda c: vocab.label_of(vocab.ENGAGEMENT_TYPES, c),
                       on_change=_on_list("engagement_types"), placeholder="All types")
        st.multiselect("Agreement status", [c for c, _ in vocab.AGREEMENT_STATUSES],
                       key=_widget_key("agreement_statuses"),
                       format_func=lambda c: vocab.label_of(vocab.AGREEMENT_STATUSES, c),
                       on_change=_on_list("agreement_statuses"), placeholder="All statuses")
        st.button("Reset filters", on_click=_on_reset, width="stretch")
        st.caption(md_escape(viewer_caption()))
        sign_in_controls()
    f = st.session_state[STATE]
    _write_url(f, url_extras(page))
    return f


def _navigation() -> None:
    # Our own menu: the automatic one would label the home page "dashboard".
    for key, label, icon in NAV:
        if (config.ROOT / PAGES[key]).exists():
            st.page_link(PAGES[key], label=label, icon=icon)
    st.divider()


def since_date(f: flt.Filters) -> dt.date:
    """The 'what changed since' date: chosen, or 30 days before today."""
    return st.session_state.get(SINCE) or f.today - dt.timedelta(days=30)


def set_since(day: dt.date) -> None:
    st.session_state[SINCE] = day


def selected_country() -> str | None:
    return st.session_state.get(SELECTED)


def select_country(iso3: str) -> None:
    st.session_state[SELECTED] = iso3


# --- page furniture --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


def md_escape(text: object) -> str:
    """Text from the data, safe inside st.markdown: no markup, links, HTML or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def page_header(title: str, f: flt.Filters, *, subtitle: str | None = None,
                demo: tuple[int, int] | None = None) -> None:
    """Title, what the numbers are filtered to, data freshness, and the demo-data label.

    The label counts the generated records the page shows: `demo` = (engagements, agreements) when the
    page has counted them itself (the Activity map shows no agreements, the Agreements page no
    engagements), else both as the filters admit them (query demo_in_scope).
    """
    st.title(title)
    if subtitle:
        st.caption(subtitle)
    for notice in st.session_state.pop(NOTICES, []) or []:
        st.info(md_escape(notice), icon=":material/info:")
    freshness = query("data_freshness")
    last = freshness.last_import.max()
    as_of = f"{pd.Timestamp(last):%d %b %Y %H:%M}" if pd.notna(last) else "not yet imported"
    st.caption(f"Showing: {md_escape(f.describe())}  \nData as of {as_of} · {md_escape(viewer_caption())}")
    if demo is None:
        found = query("demo_in_scope", f)
        demo = (int(found.demo_engagements[0]), int(found.demo_agreements[0]))
    demo_label(*demo)


def demo_label(engagements: int, agreements: int) -> None:
    """The DEMO DATA warning, naming how many generated records are shown; nothing when there are none."""
    shown = [f"{n:,} {noun}" for n, noun in ((engagements, "engagement(s)"), (agreements, "agreement(s)")) if n]
    if shown:
        st.warning(
            f"**DEMO DATA** — {' and '.join(shown)} shown here are generated for demonstration, not real "
            "activity. Programme sites (VWP, Preclearance, CSI, PCSC, posts) are real, sourced facts.",
            icon=":material/warning:")


def delta_text(current: float, previous: float) -> str | None:
    """'+12 (+8%)' against the previous period; None when there is nothing to compare."""
    if previous is None or pd.isna(previous):
        return None
    change = current - previous
    if not change:
        return "no change"
    if previous == 0:
        return f"{change:+,.0f} (new)"
    return f"{change:+,.0f} ({change / previous:+.0%})"


def downloads(frame: pd.DataFrame, name: str, *, xlsx: bool = True, key: str | None = None) -> None:
    """CSV (and .xlsx) downloads of exactly the rows behind a table or chart, built on click."""
    _download_buttons(lambda: frame, name, key=key or name, xlsx=xlsx)


def _download_buttons(rows: Callable[[], pd.DataFrame], name: str, *, key: str, xlsx: bool = True,
                      csv_refused: str | None = None, xlsx_refused: str | None = None) -> None:
    """CSV and Excel buttons; `rows` runs only when one is clicked (outside the script run, so it must not
    call Streamlit). A refusal disables its button and is its tooltip."""
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=lambda: export.to_csv_bytes(rows()), file_name=f"{name}.csv",
                           mime="text/csv", key=f"csv_{key}", on_click="ignore", icon=":material/download:",
                           disabled=csv_refused is not None, help=csv_refused)
        if xlsx:
            st.download_button("Excel", data=lambda: export.to_xlsx_bytes(rows(), name), file_name=f"{name}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"xlsx_{key}", on_click="ignore", icon=":material/download:",
                               disabled=xlsx_refused is not None, help=xlsx_refused)


def engagement_export(f: flt.Filters) -> None:
    """Download every engagement record the filters admit, in the import's columns (built on click).

    The size is counted first (from the rollup), so an export too large to build in memory is refused
    with the number and what to do, before anything runs."""
    n = int(query("engagement_count", f).engagements[0])
    if n == 0:
        empty_state("engagement records", f)
        return
    st.markdown(f"**{n:,} engagement record(s)** match: {md_escape(f.describe())} (planned and cancelled "
                "included). Columns as the import expects them, plus iso3, region, sensitivity and demo.")
    db, params = database(), f.params()
    _download_buttons(lambda: db.query("engagements_export", params), f"engagements_{f.start:%Y%m%d}_{f.end:%Y%m%d}",
                      key="export_engagements",
                      csv_refused=f"More than {export.MAX_CSV_ROWS:,} records: narrow the period or the filters."
                      if n > export.MAX_CSV_ROWS else None,
                      xlsx_refused=f"More than {export.MAX_XLSX_ROWS:,} records for Excel: use CSV, or narrow the "
                      "filters." if n > export.MAX_XLSX_ROWS else None)
    if n > export.MAX_CSV_ROWS:
        st.warning(f"{n:,} records are more than one export holds ({export.MAX_CSV_ROWS:,}). Narrow the period "
                   "or the filters in the sidebar, or export in parts.", icon=":material/warning:")


def agreement_export(f: flt.Filters) -> None:
    """Download every agreement record the filters admit, in the import's columns (a few thousand at most)."""
    rows = query("agreements_export", f)
    if rows.empty:
        empty_state("agreement records", f)
        return
    st.markdown(f"**{len(rows):,} agreement record(s)** match: {md_escape(f.describe())}. Columns as the import "
                "expects them (countries as ISO3 codes), plus sensitivity, demo and partner names.")
    _download_buttons(lambda: rows, f"agreements_{f.start:%Y%m%d}_{f.end:%Y%m%d}", key="export_agreements")


def empty_state(what: str, f: flt.Filters, *, hint: str = "Widen the period or clear a filter in the sidebar.") -> None:
    """Say why there is nothing to show, and what to change."""
    st.info(f"No {md_escape(what)} for these filters ({md_escape(f.describe())}). {md_escape(hint)}",
            icon=":material/search_off:")


def plotly(fig, *, key: str, on_select: str | None = None, height: int | None = None):
    if height:
        fig.update_layout(height=height)
    kwargs = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    return st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, **kwargs)


# --- tables ----------------------------------------------------------------------------------------

def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes replaced by the labels users know; a 'demo' marker column for generated records."""
    out = frame.copy()
    if "mission_area" in out:
        out["mission_area"] = out["mission_area"].map(vocab.mission_area_label)
    if "agreement_type" in out:
        out["agreement_type"] = out["agreement_type"].map(
            lambda c: vocab.label_of(vocab.AGREEMENT_TYPES, c) if isinstance(c, str) else c)
    if "engagement_type" in out:
        out["engagement_type"] = out["engagement_type"].map(
            lambda c: vocab.label_of(vocab.ENGAGEMENT_TYPES, c) if isinstance(c, str) else c)
    for column in ("status", "previous_status"):
        if column in out:
            pairs = vocab.AGREEMENT_STATUSES if "agreement_id" in out else vocab.ENGAGEMENT_STATUSES
            out[column] = out[column].map(lambda c, p=pairs: vocab.label_of(p, c) if isinstance(c, str) else c)
    if "is_demo" in out:
        out["is_demo"] = out["is_demo"].map({True: "demo", False: ""})
        out = out.rename(columns={"is_demo": "demo"})
    return out


MAX_TABLE_ROWS = 300  # drawn on the page; the downloads always hold every row


def table(frame: pd.DataFrame, name: str, *, key: str, columns: list[str] | None = None,
          column_config: dict | None = None, height: int | None = None) -> None:
    """A table of data rows with CSV and Excel downloads of all of them (long tables draw the first few
    hundred, so what a rerun sends does not grow with the data)."""
    shown = _labelled(frame)
    if columns:
        shown = shown[[c for c in columns if c in shown]]
    kwargs = {"height": height} if height else {}
    # Readable headers: the page's own, else the column name in words ("last_import" -> "Last import").
    headers = {c: str(c).replace("_", " ").capitalize() for c in shown.columns} | (column_config or {})
    st.dataframe(shown.head(MAX_TABLE_ROWS), hide_index=True, width="stretch", column_config=headers,
                 key=f"df_{key}", **kwargs)
    if len(shown) > MAX_TABLE_ROWS:
        st.caption(f"Showing the first {MAX_TABLE_ROWS:,} of {len(shown):,} rows; the downloads hold all of them.")
    downloads(shown, name, key=key)


def engagement_table(frame: pd.DataFrame, *, key: str, height: int | None = None) -> None:
    table(frame, f"engagements_{key}", key=key, height=height,
          columns=["start_date", "title", "country", "city", "mission_area", "engagement_type", "component",
                   "status", "participants", "demo"],
          column_config={"start_date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
                         "title": st.column_config.TextColumn("Engagement", width="large"),
                         "country": "Country", "city": "City", "component": "Component", "status": "Status",
                         "demo": "Demo", "mission_area": "Mission area", "engagement_type": "Type", "participants":
                         st.column_config.NumberColumn("Participants", format="%d")})


def status_change_table(frame: pd.DataFrame, *, key: str, height: int | None = None) -> None:
    frame = frame.assign(previous_status=frame["previous_status"].fillna("—"))
    table(frame, f"agreement_status_changes_{key}", key=key, height=height,
          columns=["changed_on", "title", "partners", "previous_status", "status", "source", "demo"],
          column_config={"changed_on": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                         "title": st.column_config.TextColumn("Agreement", width="large"),
                         "previous_status": st.column_config.TextColumn("From", help="— : first recorded status"),
                         "status": "To", "partners": st.column_config.TextColumn("Partners", width="medium"),
                         "demo": st.column_config.TextColumn("Demo", width="small"),
                         "source": st.column_config.TextColumn("Recorded from", help=(
                             "dates: the agreement's own signature / entry-into-force / expiry dates; "
                             "import: a later import changed the status; renewal: a later expiry date"))})


def picked_country(event, layer_ids: tuple[str, ...]) -> str | None:
    """The iso3 of a country clicked on a deck map, from whichever of `layer_ids` was hit."""
    if not event:
        return None
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    objects = (selection or {}).get("objects", {}) or {}
    for layer_id in layer_ids:
        for obj in objects.get(layer_id, []) or []:
            iso = obj.get("iso3") or (obj.get("properties") or {}).get("iso3")
            if iso:
                return str(iso)
    return None


def area_legend() -> None:
    """The mission-area colours, as used on every chart and map (labels are ours, not data)."""
    items = "".join(
        f'<span style="margin-right:1.2em;white-space:nowrap"><span style="display:inline-block;width:0.9em;'
        f'height:0.9em;border-radius:50%;background:{a.colour};margin-right:0.35em;vertical-align:-0.1em">'
        f"</span>{html.escape(a.label)}</span>"
        for a in vocab.MISSION_AREAS)
    st.html(f'<div style="font-size:0.95rem;line-height:2">{items}</div>')


def what_changed_section(f: flt.Filters) -> None:
    """New engagements, agreement status changes, newly engaged countries and renewals coming up,
    since a chosen date (default 30 days ago); the same figures as the briefing's last slide."""
    from atlas.views import briefing

    head, pick = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("What changed since")
    chosen = pick.date_input("Since", value=since_date(f), max_value=f.today, key="since_input",
                             format="YYYY-MM-DD")
    if chosen != since_date(f):
        set_since(chosen)
        _write_url(f, url_extras("overview"))
    changes = briefing.what_changed(query, f, chosen)
    cols = st.columns(4)
    cols[0].metric("New engagements", f"{int(changes.new_engagements.total.iloc[0]) if len(changes.new_engagements) else 0:,}")
    cols[1].metric("Agreement status changes",
                   f"{int(changes.status_changes.total.iloc[0]) if len(changes.status_changes) else 0:,}")
    cols[2].metric("Newly engaged countries", f"{len(changes.new_countries):,}",
                   help="An engagement since the date, and none in the year before it.")
    cols[3].metric(f"Expiring within {briefing.EXPIRING_SOON_DAYS} days", f"{len(changes.expiring):,}")
    left, right = st.columns(2)
    with left:
        st.markdown("**Newest engagements**")
        if changes.new_engagements.empty:
            empty_state(f"engagements since {chosen:%d %b %Y}", f)
        else:
            engagement_table(changes.new_engagements.head(50), key="changed_new",
                             height=300 if len(changes.new_engagements) > 8 else None)
        st.markdown("**Newly engaged countries**")
        if changes.new_countries.empty:
            st.caption("None: every country engaged since then was already engaged in the year before.")
        else:
            table(changes.new_countries, "newly_engaged_countries", key="changed_countries",
                  columns=["name", "region", "engagements", "first_date"],
                  column_config={"name": "Country", "region": "Region", "engagements": "Engagements",
                                 "first_date": st.column_config.DateColumn("First since", format="YYYY-MM-DD")})
    with right:
        st.markdown("**Agreement status changes**")
        if changes.status_changes.empty:
            empty_state(f"agreement status changes since {chosen:%d %b %Y}", f)
        else:
            status_change_table(changes.status_changes.head(50), key="changed_status",
                                height=300 if len(changes.status_changes) > 8 else None)
        st.markdown(f"**Expiring within {briefing.EXPIRING_SOON_DAYS} days**")
        if changes.expiring.empty:
            st.caption("No agreement in force expires in that window.")
        else:
            table(changes.expiring, "agreements_expiring_soon", key="changed_expiring",
                  columns=["title", "partners", "date_expires", "days_left", "demo"],
                  column_config={"title": st.column_config.TextColumn("Agreement", width="large"),
                                 "partners": "Partners", "days_left": "Days left", "demo": "Demo",
                                 "date_expires": st.column_config.DateColumn("Expires", format="YYYY-MM-DD")})


# --- briefing mode ---------------------------------------------------------------------------------

def briefing_filters() -> flt.Filters:
    """The session's filters for the briefing, which draws no sidebar; the URL keeps ?mode=briefing."""
    f = current_filters("briefing")
    _write_url(f, url_extras("briefing"))
    return f


def as_of_text() -> str:
    last = query("data_freshness").last_import.max()
    return f"{pd.Timestamp(last):%d %b %Y %H:%M}" if pd.notna(last) else "not yet imported"


def briefing_deck(f: flt.Filters):
    """The slides for these filters, built once per filters/date/database generation in this session."""
    from atlas.views import briefing

    since = since_date(f)
    key = (f, since, database().signature)
    cached = st.session_state.get("brief_deck")
    if not cached or cached[0] != key:
        deck = briefing.build_slides(query, f, since=since, as_of=as_of_text())
        st.session_state["brief_deck"] = cached = (key, deck)
    return cached[1]


@functools.lru_cache(maxsize=4)
def _export_files(path: str, signature: tuple, f: flt.Filters, since: dt.date, as_of: str) -> tuple[bytes, bytes]:
    # Runs when a download is clicked, outside the script run: no session state, plain queries.
    from atlas.views import briefing, slides

    db = Database.open(path)
    try:
        deck = briefing.build_slides(lambda name, filters=None, **extra: db.query(
            name, (filters.params() if filters else {}) | extra), f, since=since, as_of=as_of)
        return slides.export(deck)
    finally:
        db.close()


def briefing_downloads(f: flt.Filters, deck) -> None:
    """.pptx and .pdf of the current slides, built on click on this machine (no network)."""
    db = database()
    args = (str(db.path), db.signature, f, since_date(f), deck.as_of)
    cols = st.columns(2)
    cols[0].download_button(".pptx", icon=":material/download:", data=lambda: _export_files(*args)[0], file_name="partner-atlas-briefing.pptx",
                            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                            key="brief_pptx", on_click="ignore", width="stretch")
    cols[1].download_button(".pdf", icon=":material/download:", data=lambda: _export_files(*args)[1], file_name="partner-atlas-briefing.pdf",
                            mime="application/pdf", key="brief_pdf", on_click="ignore", width="stretch")


def briefing_css() -> str:
    """Full screen, no sidebar or toolbar, no scrolling, projector colours, large type."""
    from atlas.views import briefing as b

    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], #MainMenu, footer {{ display: none !important; }}
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {b.BACKGROUND} !important; color: {b.FOREGROUND} !important; overflow: hidden !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 0.8rem 3rem 0 3rem !important; max-width: 100% !important; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] button,
[data-testid="stMain"] label, [data-testid="stMain"] [data-baseweb="select"] * {{ font-size: 24px !important; }}
.slide-title {{ font-size: 60px !important; font-weight: 700; margin: 0.3rem 0 0.8rem 0; color: {b.FOREGROUND}; }}
.tiles {{ display: flex; gap: 1.6rem; margin-bottom: 1rem; }}
.tile {{ flex: 1; background: #132247; border-radius: 14px; padding: 1.2rem 1.4rem; }}
.tile-value {{ font-size: 112px; font-weight: 800; color: {b.ACCENT}; line-height: 1.05; }}
.tile-label {{ font-size: 32px; color: {b.FOREGROUND}; }}
.tile-delta {{ font-size: 26px; color: {b.MUTED}; margin-top: 0.3rem; }}
.slide-bullets {{ margin-top: 1rem; }}
.slide-bullets li {{ font-size: 30px !important; margin-bottom: 0.7rem; color: {b.FOREGROUND}; }}
.slide-note {{ font-size: 26px !important; color: {b.MUTED}; margin: 0.4rem 0; }}
.slide-footer {{ position: fixed; left: 0; right: 0; bottom: 0; padding: 0.5rem 3rem; font-size: 24px;
  color: {b.MUTED}; background: {b.BACKGROUND}; border-top: 1px solid #2a3a5e; z-index: 10; }}
.counter {{ font-size: 34px; font-weight: 700; color: {b.FOREGROUND}; white-space: nowrap; }}
.demo-badge {{ font-size: 24px; font-weight: 800; color: {b.BACKGROUND}; background: {b.ACCENT}; border-radius: 6px;
  padding: 0.1rem 0.5rem; margin-left: 0.8rem; vertical-align: middle; }}
[data-testid="stMain"] button, [data-testid="stMain"] [data-baseweb="select"] > div {{
  background: #1d2d55 !important; color: {b.FOREGROUND} !important; border: 1px solid #3b4f80 !important; }}
[data-testid="stMain"] button *, [data-testid="stMain"] [data-baseweb="select"] *,
[data-testid="stMain"] [data-testid="stPageLink"] * {{ color: {b.FOREGROUND} !important; }}
[data-testid="stMain"] [data-testid="stSelectbox"] * {{ font-size: 24px !important; background: #1d2d55 !important; }}
[data-testid="stMain"] [data-testid="stSelectbox"] input {{
  color: {b.FOREGROUND} !important; -webkit-text-fill-color: {b.FOREGROUND} !important; opacity: 1 !important; }}
</style>"""


# --- imports from the Data page --------------------------------------------------------------------

UPLOADS = "atlas_upload"            # session key: the last upload check (its inputs and its result)
STAGED_FOR = dt.timedelta(days=1)   # staged upload files older than this are removed


def _staging_root() -> Path:
    return Path(tempfile.gettempdir()) / "partner-atlas-uploads"


def stage_upload(uploaded, table: str) -> Path:
    """Save an uploaded file for import: its own folder, its name reduced to safe characters. Files staged
    more than a day ago are removed on the way."""
    data = uploaded.getvalue()
    root = _staging_root()
    _remove_stale(root)
    folder = root / f"{table}-{hashlib.sha256(data).hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(uploaded.name)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.stem)[:80] or "upload"
    target = folder / f"{stem}{name.suffix.lower()[:10]}"
    target.write_bytes(data)
    return target


def _remove_stale(root: Path) -> None:
    cutoff = (dt.datetime.now() - STAGED_FOR).timestamp()
    for folder in root.glob("*") if root.is_dir() else []:
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another session removed it first
            pass


def check_upload(path: Path, table: str, skip_invalid: bool):
    """A dry run: what the import would do, and every problem, without writing anything. Kept for the
    session until the file, the choice or the database changes, so other reruns of the page do not
    validate the whole file again."""
    from atlas.data import ingest

    db = config.db_path()
    inputs = (str(path), table, skip_invalid, file_signature(db) if db.exists() else None)
    kept = st.session_state.get(UPLOADS)
    if kept is not None and kept[0] == inputs:
        return kept[1]
    result = ingest.import_file(path, table, db, dry_run=True, skip_invalid=skip_invalid)
    st.session_state[UPLOADS] = (inputs, result)
    return result


def run_upload(path: Path, table: str, skip_invalid: bool):
    from atlas.data import ingest

    return ingest.import_file(path, table, config.db_path(), skip_invalid=skip_invalid)


def snapshot_list() -> list[dict]:
    from atlas.data import store

    return [{"snapshot": p.name, "size_mb": round(p.stat().st_size / 1e6, 1),
             "taken": pd.Timestamp(p.stat().st_mtime, unit="s").strftime("%Y-%m-%d %H:%M")}
            for p in store.snapshots(config.db_path())]
