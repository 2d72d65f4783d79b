"""The Organization profile's own pieces: which organization it shows, its picker, headline tiles and reference facts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.app.session import query
from atlas.app.state import select_organization, selected_organization
from atlas.app.widgets import md_escape
from atlas.data import filters as flt
from atlas.views.format import delta_text
from atlas.views.organizations import seat_text

PICK = "organization_pick"


def shown_organization(f: flt.Filters) -> tuple[str, dict[str, str], bool]:
    """(the code the profile shows, every organization's name by code, whether it was chosen): the one chosen
    (by link, click or picker), else the busiest in the filters, else the first of the reference list."""
    listed = query("organizations_list")
    names: dict[str, str] = dict(zip(listed.code, listed.name))
    chosen = selected_organization()
    if chosen is not None and chosen in names:
        return chosen, names, True
    active = query("organizations_active", f)
    return (active.code.iloc[0] if len(active) else listed.code.iloc[0]), names, False


def organization_picker(shown: str, names: dict[str, str]) -> None:
    """A select box of every organization (by name); picking one selects it for the profile and the link."""
    st.session_state[PICK] = shown
    st.selectbox(
        "International organization",
        sorted(names, key=lambda c: names[c]),
        format_func=lambda c: names.get(c, c),
        key=PICK,
        on_change=lambda: select_organization(st.session_state[PICK]),
    )


def headline_tiles(profile: pd.Series, partner_countries: int, f: flt.Filters) -> None:
    """Engagements naming it (with the change), their multilateral share, partner countries, participants and
    agreements in force naming it."""
    engagements = int(profile.engagements)
    tiles = st.columns(5)
    tiles[0].metric(
        "Engagements in period",
        f"{engagements:,}",
        delta_text(profile.engagements, profile.prev_engagements),
        help="Engagements naming this organization; cancelled ones are not counted. Change is against the previous "
        "period of equal length.",
    )
    tiles[1].metric(
        "Multilateral share",
        f"{profile.multilateral / engagements:.0%}" if engagements else "—",
        help="Of those engagements, the share with other partners too (countries or other organizations).",
    )
    tiles[2].metric("Partner countries", f"{partner_countries:,}", help="Countries that took part in them.")
    tiles[3].metric("Participants", f"{int(profile.participants):,}", help="People taking part in them.")
    tiles[4].metric(
        "Agreements in force",
        f"{int(profile.in_force):,}",
        help=f"Agreements naming this organization as a partner, in force on {f.as_of:%d %b %Y}.",
    )


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def reference_facts(profile: pd.Series) -> None:
    """The organization's facts from the reference table, in a box of their own and said to be reference facts,
    with the source link and the date the source speaks for."""
    with st.container(border=True):
        st.caption(
            "Reference facts (data/reference/organizations.csv), not records of activity: each as its source "
            "gives it, on the date the source speaks for."
        )
        count = int(profile.member_count) if pd.notna(profile.member_count) else 0
        members = f"{count} — {_text(profile.members)}" if count else "not listed here (see the notes)"
        facts = [
            ("Code", profile.code),
            ("Kind", _text(profile.kind) or "not given"),
            ("Headquarters", seat_text(profile.hq_city, profile.hq_country)),
            ("Members", members),
            ("Source as of", _text(profile.source_as_of)),
            ("Notes", _text(profile.notes) or "none"),
        ]
        st.markdown("\n".join(f"- **{label}:** {md_escape(value)}" for label, value in facts))
        url = _text(profile.source_url)
        if url.startswith(("https://", "http://")):
            st.link_button("Open the source", url, icon=":material/open_in_new:")
