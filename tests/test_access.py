"""Access levels: the roles file, the viewer's ceiling, and proof that restricted records never reach
a viewer without that level, on any page, chart, map, table, export or briefing slide."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from apptest_support import PAGE_FILES, TODAY, run_page
from atlas.data import access
from atlas.data.db import Database
from atlas.data.filters import default_filters
from atlas.views import briefing

RESTRICTED_TEXT = ("Restricted visa consultation", "Restricted Returns Arrangement", "F-E08", "F-A7")
ROLES = """
default = "public"
[users]
"Analyst@Example.gov" = "restricted"
"staff@example.gov" = "internal"
[groups]
"oia-staff" = "internal"
"ct-cell" = "restricted"
[importers]
users = ["analyst@example.gov"]
groups = ["oia-data"]
"""


@pytest.mark.parametrize(
    "email, groups, level",
    [
        ("analyst@example.gov", [], "restricted"),  # e-mail matched without regard to case
        ("staff@example.gov", [], "internal"),
        ("stranger@example.gov", [], "public"),  # the default
        ("stranger@example.gov", ["oia-staff"], "internal"),
        ("staff@example.gov", ["ct-cell"], "restricted"),  # the highest grant wins
        (None, ["OIA-STAFF"], "internal"),
    ],
)
def test_rank_for(email, groups, level):
    assert access.rank_for(email, groups, access.parse_roles(ROLES)) == access.vocab.SENSITIVITY_RANK[level]


def test_importers():
    roles = access.parse_roles(ROLES)
    assert access.may_import("analyst@example.gov", [], roles)
    assert access.may_import("x@example.gov", ["oia-data"], roles)
    assert not access.may_import("staff@example.gov", ["oia-staff"], roles)


@pytest.mark.parametrize(
    "text, message",
    [
        ('default = "secret"', "unknown level 'secret'"),
        ('[users]\n"a@b" = "top"', "users.a@b: unknown level"),
        ("default = ", "not valid TOML"),
    ],
)
def test_bad_roles_files_are_refused_with_a_reason(text, message):
    with pytest.raises(access.RolesError, match=message):
        access.parse_roles(text)


def test_missing_roles_file_grants_nothing(tmp_path):
    assert access.load_roles(tmp_path / "none.toml") == access.Roles()


@pytest.mark.parametrize(
    "env, rank",
    [(None, 1), ("public", 0), ("internal", 1), ("restricted", 2), ("RESTRICTED", 2), (" internal ", 1), ("", 1)],
)
def test_default_ceiling_from_the_environment(monkeypatch, env, rank):
    if env is None:
        monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    else:
        monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", env)
    assert access.default_rank() == rank
    assert access.setting_problem() is None


@pytest.mark.parametrize("typo", ["pubic", "none", "secret", "0", "nonsense", "internal,restricted"])
def test_a_ceiling_that_is_not_a_level_fails_closed_to_public(monkeypatch, typo):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", typo)
    assert access.default_rank() == access.PUBLIC
    assert access.setting_problem() == (
        f"ATLAS_MAX_SENSITIVITY={typo!r} is not a sensitivity level (use public, internal or restricted): "
        "showing public records only."
    )


@pytest.mark.parametrize(
    "text",
    [
        'default = "secret"',
        "default = ",
        "users = 3",
        "[importers]\nusers = 5",
        '[importers]\nusers = ["a@x", 1]',
        b"\xff\xfe".decode("latin-1"),
    ],
)
def test_a_malformed_roles_file_gives_the_public_ceiling_and_a_reason(tmp_path, text):
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    roles = access.load_roles(path)
    assert roles.problem.startswith(f"The roles file {path} was not used, so everyone sees public records only: ")
    assert access.rank_for("analyst@example.gov", ["oia-staff"], roles) == access.PUBLIC
    assert not access.may_import("analyst@example.gov", ["oia-data"], roles)


def test_an_importer_given_as_one_string_is_one_user():
    roles = access.parse_roles('[importers]\nusers = "a@x"\ngroups = "oia-data"')
    assert roles.importer_users == frozenset({"a@x"}) and roles.importer_groups == frozenset({"oia-data"})
    assert not access.may_import("a", [], roles) and not access.may_import("x@example.gov", ["o"], roles)
    assert access.may_import("A@X", [], roles) and access.may_import(None, ["oia-data"], roles)


def _everything_shown(at) -> str:
    """All text the page sent to the browser: markdown, tables, charts, maps, HTML, metrics."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [m.label + str(m.value) for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    parts += [d.proto.json for d in at.get("deck_gl_json_chart")]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(parts)


def _pages_with_every_slide() -> list[tuple[str, int]]:
    # The briefing shows one slide at a time; check each of them.
    return [(p, 0) for p in PAGE_FILES if not p.endswith("Briefing.py")] + [
        ("pages/6_Briefing.py", i) for i in range(6)
    ]


@pytest.mark.parametrize("page, slide", _pages_with_every_slide())
@pytest.mark.parametrize("level", ["public", "internal"])
def test_restricted_records_never_reach_a_lower_viewer(app_env, monkeypatch, page, slide, level):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", level)
    query = {"period": "all", "iso": "GBR"}
    at = run_page(page, query=query)
    for _ in range(slide):
        at.button(key="brief_next").click().run()
    assert not at.exception
    shown = _everything_shown(at)
    leaked = [t for t in RESTRICTED_TEXT if t in shown]
    assert leaked == [], f"{page} shows restricted records to a {level} viewer: {leaked}"


def test_restricted_viewer_does_see_them(app_env, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    shown = _everything_shown(run_page("pages/11_What_Changed.py", query={"period": "all"}))
    assert "Restricted visa consultation" in shown
    shown = _everything_shown(run_page("pages/4_Agreements.py", query={"period": "all"}))
    assert "Restricted Returns Arrangement" in shown


@pytest.mark.parametrize("rank, expected", [(0, set()), (1, set()), (2, {"F-E08"})])
def test_exports_and_briefing_obey_the_ceiling(fixture_db, rank, expected):
    db = Database.open(fixture_db)
    f = default_filters(TODAY, max_rank=rank)
    exported = db.query("engagements_export", f.params())
    assert {"F-E08"} & set(exported.engagement_id) == expected
    run = lambda name, filters=None, **extra: db.query(name, (filters.params() if filters else {}) | extra)  # noqa
    deck = briefing.build_slides(run, f, since=dt.date(2025, 12, 1), as_of="x")
    text = json.dumps(
        [
            [s.title, s.bullets, [n.value for n in s.numbers], s.figure.to_plotly_json() if s.figure else None]
            for s in deck.slides
        ],
        default=str,
    )
    assert ("Restricted" in text) == bool(expected)
    db.close()


def test_sign_in_is_on_exactly_when_a_secrets_file_has_an_auth_section(tmp_path):
    """login_configured skips st.secrets when no secrets file exists (it would search on every question), and
    sees a file put in place afterwards, with or without an [auth] section."""
    import streamlit as st
    from streamlit import config as st_config

    from atlas.app import viewer

    path = tmp_path / "secrets.toml"
    before = st_config.get_option("secrets.files")
    st_config.set_option("secrets.files", [str(path)])
    viewer._secrets_files.cache_clear()
    try:
        st.secrets._secrets = None  # forget whatever another test's secrets file gave
        assert not viewer.login_configured()
        path.write_text('[other]\nkey = "value"\n', encoding="utf-8")
        assert not viewer.login_configured()
        st.secrets._secrets = None  # Streamlit re-reads a changed file through its file watcher; no watcher here
        path.write_text('[auth]\nredirect_uri = "http://127.0.0.1:8501/oauth2callback"\ncookie_secret = "s"\n')
        assert viewer.login_configured()
    finally:
        st_config.set_option("secrets.files", before)
        viewer._secrets_files.cache_clear()
        st.secrets._secrets = None
