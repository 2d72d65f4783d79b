"""The session's filters, kept in plain session_state keys (they survive page changes) and in the URL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from atlas import config
from atlas.app.marks import last_briefing
from atlas.app.session import query
from atlas.app.viewer import viewer_rank
from atlas.data import countries as country_table
from atlas.data import filters as flt
from atlas.data import organizations as organization_table

STATE = "atlas_filters"  # the Filters value; plain key, survives page changes


SELECTED = "atlas_country"  # the country the profile shows


SELECTED_ORG = "atlas_org"  # the international organization its profile shows (?org=)


URL_SEEN = "atlas_url_seen"  # the query string last applied or written


SINCE = "atlas_since"  # the "what changed since" date (None: 30 days before today)


EARLIEST_SINCE = dt.date(2000, 1, 1)  # no record the app shows is older; earlier dates overflow date arithmetic


NOTICES = "atlas_notices"


PAGES = {
    "overview": "dashboard.py",
    "map": "pages/1_Activity_Map.py",
    "country": "pages/2_Country_Profile.py",
    "areas": "pages/3_Mission_Areas.py",
    "agreements": "pages/4_Agreements.py",
    "data": "pages/5_Data.py",
    "briefing": "pages/6_Briefing.py",
    "upcoming": "pages/7_Upcoming.py",
    "watchlist": "pages/8_Watchlist.py",
    "compare": "pages/9_Compare.py",
    "organization": "pages/10_Organization_Profile.py",
    "changes": "pages/11_What_Changed.py",
}


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
    if "org" in url:
        code = organization_table.resolve(str(url["org"]))
        if code:
            st.session_state[SELECTED_ORG] = code
        else:
            notices.append(f"Ignored unknown organization in the link: {str(url['org'])[:40]}")
    if "since" in url:
        try:
            asked = dt.date.fromisoformat(str(url["since"]))
        except ValueError:
            notices.append(f"Ignored malformed 'since' date in the link: {str(url['since'])[:40]}")
        else:
            since = clamp_since(asked, today)
            st.session_state[SINCE] = since
            if since != asked:
                notices.append(
                    f"The 'since' date in the link ({asked.isoformat()}) is outside "
                    f"{EARLIEST_SINCE.isoformat()} to today; showing changes since {since.isoformat()}"
                )
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
    """What the URL carries besides the filters: the selected country and organization, the 'since' date,
    briefing mode."""
    extra = {
        "iso": st.session_state.get(SELECTED, ""),
        "org": st.session_state.get(SELECTED_ORG, ""),
        "compare": ",".join(st.session_state.get("atlas_compare", ())),
    }
    since = st.session_state.get(SINCE)
    if since:
        extra["since"] = since.isoformat()
    if page == "briefing":
        extra["mode"] = "briefing"
    return extra


def clamp_since(day: dt.date, today: dt.date) -> dt.date:
    """A 'since' date brought into [EARLIEST_SINCE, today]: 9999-12-31 -> today, 0001-01-01 -> 2000-01-01."""
    return min(max(day, EARLIEST_SINCE), max(today, EARLIEST_SINCE))


def since_date(f: flt.Filters) -> dt.date:
    """The 'what changed since' date: chosen (kept between EARLIEST_SINCE and today), else the day of the last
    briefing, else 30 days before today."""
    chosen = st.session_state.get(SINCE)
    if chosen:
        return clamp_since(chosen, f.today)
    mark = last_briefing()
    return clamp_since(mark.at.date(), f.today) if mark else f.today - dt.timedelta(days=30)


def set_since(day: dt.date) -> None:
    st.session_state[SINCE] = day


def selected_country() -> str | None:
    return st.session_state.get(SELECTED)


def select_country(iso3: str) -> None:
    st.session_state[SELECTED] = iso3


def selected_organization() -> str | None:
    return st.session_state.get(SELECTED_ORG)


def select_organization(code: str) -> None:
    st.session_state[SELECTED_ORG] = code
