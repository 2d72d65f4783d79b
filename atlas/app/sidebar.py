"""The shared sidebar: navigation and the filters every page applies. Every page calls sidebar() first."""

from __future__ import annotations

import streamlit as st

from atlas import config
from atlas.app.session import query
from atlas.app.state import (
    PAGES,
    STATE,
    _on_list,
    _on_preset,
    _on_priority,
    _on_range,
    _on_reset,
    _widget_key,
    _write_url,
    current_filters,
    url_extras,
)
from atlas.app.viewer import access_problem, sign_in_controls, viewer_caption
from atlas.app.widgets import md_escape
from atlas.data import filters as flt
from atlas.data import vocab

NAV = (  # (page key, label, icon) in menu order
    ("overview", "Overview", ":material/dashboard:"),
    ("upcoming", "Upcoming", ":material/event:"),
    ("watchlist", "Watchlist", ":material/notification_important:"),
    ("changes", "What changed", ":material/history:"),
    ("map", "Activity map", ":material/public:"),
    ("country", "Country profile", ":material/flag:"),
    ("organization", "Organization profile", ":material/account_balance:"),
    ("compare", "Compare", ":material/compare_arrows:"),
    ("areas", "Mission areas", ":material/category:"),
    ("agreements", "Agreements", ":material/handshake:"),
    ("data", "Data", ":material/database:"),
    ("briefing", "Briefing mode", ":material/slideshow:"),
)


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
        st.selectbox(
            "Period",
            list(flt.PRESETS),
            format_func=lambda p: flt.PRESETS[p],
            key=_widget_key("preset"),
            on_change=_on_preset,
        )
        st.date_input(
            "From – to",
            key=_widget_key("range"),
            min_value=flt.EARLIEST,
            max_value=flt.LATEST,
            on_change=_on_range,
            format="YYYY-MM-DD",
        )
        st.multiselect(
            "Mission areas",
            [m.code for m in vocab.MISSION_AREAS],
            key=_widget_key("mission_areas"),
            format_func=vocab.mission_area_label,
            on_change=_on_list("mission_areas"),
            placeholder="All mission areas",
        )
        st.caption("Priority partners")
        cols = st.columns(2)
        for i, (label, codes) in enumerate(
            (("Canada", ("CAN",)), ("Mexico", ("MEX",)), ("UK", ("GBR",)), ("All three", vocab.PRIORITY_PARTNERS))
        ):
            cols[i % 2].button(
                label,
                key=f"prio_{codes[0] if len(codes) == 1 else 'all'}",
                on_click=_on_priority(codes),
                width="stretch",
            )
        # The country profile shows one country: the geography filters would look active but do nothing.
        geography_off = page in ("country", "compare")
        geography_help = "This page shows the countries chosen on it." if geography_off else None
        st.multiselect(
            "Regions",
            regions,
            key=_widget_key("regions"),
            on_change=_on_list("regions"),
            placeholder="All regions",
            disabled=geography_off,
            help=geography_help,
        )
        options = sorted(
            countries.iso3[countries.region.isin(f.regions)] if f.regions else countries.iso3,
            key=lambda c: names.get(c, c),
        )
        options = list(dict.fromkeys(list(f.countries) + options))
        st.multiselect(
            "Countries",
            options,
            key=_widget_key("countries"),
            format_func=lambda c: names.get(c, c),
            on_change=_on_list("countries"),
            placeholder="All countries",
            disabled=geography_off,
            help=geography_help,
        )
        st.multiselect(
            "DHS component",
            [c for c, _ in vocab.COMPONENTS],
            key=_widget_key("components"),
            format_func=lambda c: f"{c} – {dict(vocab.COMPONENTS)[c]}",
            on_change=_on_list("components"),
            placeholder="All components",
        )
        st.multiselect(
            "Engagement type",
            [c for c, _ in vocab.ENGAGEMENT_TYPES],
            key=_widget_key("engagement_types"),
            format_func=lambda c: vocab.label_of(vocab.ENGAGEMENT_TYPES, c),
            on_change=_on_list("engagement_types"),
            placeholder="All types",
        )
        st.multiselect(
            "Partnership",
            [c for c, _ in vocab.PARTNERSHIPS],
            key=_widget_key("partnerships"),
            format_func=lambda c: vocab.label_of(vocab.PARTNERSHIPS, c),
            on_change=_on_list("partnerships"),
            placeholder="Bilateral and multilateral",
            help="Bilateral: one partner country and no organization. Multilateral: several partners (countries "
            "and organizations). With an organization: at least one international organization. Applies to "
            "engagements and agreements.",
        )
        st.multiselect(
            "Agreement status",
            [c for c, _ in vocab.AGREEMENT_STATUSES],
            key=_widget_key("agreement_statuses"),
            format_func=lambda c: vocab.label_of(vocab.AGREEMENT_STATUSES, c),
            on_change=_on_list("agreement_statuses"),
            placeholder="All statuses",
        )
        st.button("Reset filters", on_click=_on_reset, width="stretch")
        st.caption(md_escape(viewer_caption()))
        problem = access_problem()
        if problem:
            st.warning(md_escape(problem), icon=":material/lock:")
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
