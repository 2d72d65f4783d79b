"""Who is looking: sign-in (when configured) and the sensitivity ceiling every query is capped by."""

from __future__ import annotations

import functools
import os

import streamlit as st

from atlas.data import access


def login_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (Streamlit's OIDC sign-in)."""
    if not _secrets_present():
        return False
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _secrets_present() -> bool:
    """Whether any of the places Streamlit reads secrets from (its `secrets.files` option) exists. Without one,
    st.secrets looks for every file again on every question: a page asks for the ceiling a few dozen times a
    rerun, and that search cost several milliseconds each time. A file put there later is seen at once."""
    paths = _secrets_files()
    return paths is None or any(os.path.exists(p) for p in paths)


@functools.cache
def _secrets_files() -> tuple[str, ...] | None:
    """Streamlit's `secrets.files` option, read once (reading an option takes a lock; it does not change while the
    server runs); None when this Streamlit has no such option (then st.secrets is asked)."""
    try:
        return tuple(os.path.expanduser(str(p)) for p in st.get_option("secrets.files"))
    except Exception:
        return None


def _viewer() -> tuple[str | None, list[str]]:
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return None, []
    groups: object = user.get("groups") or []
    email = user.get("email")
    listed = groups if isinstance(groups, (list, tuple)) else [groups]
    return (str(email) if email else None), [str(g) for g in listed]


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


def access_problem() -> str | None:
    """Why the ceiling is lower than configured (a mistyped setting, an unreadable roles file), if it is."""
    if not login_configured():
        return access.setting_problem()
    return access.load_roles().problem


def sign_in_controls() -> None:
    """Sign in / out buttons when sign-in is configured."""
    if not login_configured():
        return
    if _viewer()[0] is None:
        st.button("Sign in", on_click=st.login, icon=":material/login:", width="stretch")
    else:
        st.button("Sign out", on_click=st.logout, icon=":material/logout:", width="stretch")


def viewer_email() -> str | None:
    """The signed-in viewer's e-mail (None without sign-in): who an import from the Data page is recorded as."""
    return _viewer()[0] if login_configured() else None
