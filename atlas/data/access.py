"""Who may see what: the sensitivity ceiling of a viewer. No streamlit here (ui.py asks st.user).

Each record is public, internal or restricted. A viewer sees records up to a ceiling:
- no sign-in configured: $ATLAS_MAX_SENSITIVITY (default internal), for everyone; a value that is not
  a level (a typo such as `pubic`, `none`, `secret`, `0`) gives public, and `setting_problem()` says why;
- sign-in configured (Streamlit OIDC, [auth] in .streamlit/secrets.toml) but not signed in: public;
- signed in: the highest level the roles file grants the user's e-mail or any of their groups,
  else the file's `default` (public when unset). A roles file that cannot be read grants nothing (public
  for everyone) and carries the reason in `Roles.problem`, for the page to show; it never stops a page.

The roles file is TOML, at $ATLAS_ROLES (default .streamlit/roles.toml):

    default = "public"
    [users]
    "analyst@example.gov" = "restricted"
    [groups]
    "oia-staff" = "internal"
    [importers]            # who may import files on the Data page when sign-in is configured
    users = ["analyst@example.gov"]
    groups = ["oia-data"]
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from atlas import config
from atlas.data import vocab

PUBLIC = vocab.SENSITIVITY_RANK["public"]


class RolesError(ValueError):
    """The roles file names a level that does not exist, or is not valid TOML."""


@dataclass(frozen=True)
class Roles:
    default: int = PUBLIC
    users: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    importer_users: frozenset[str] = frozenset()
    importer_groups: frozenset[str] = frozenset()
    problem: str | None = None  # why the roles file was not used (then nothing is granted)


def roles_path() -> Path:
    return Path(os.environ.get("ATLAS_ROLES", config.ROOT / ".streamlit" / "roles.toml"))


def _rank(level: object, where: str) -> int:
    key = str(level).strip().lower()
    if key not in vocab.SENSITIVITY_RANK:
        raise RolesError(f"{where}: unknown level {level!r} (use public, internal or restricted)")
    return vocab.SENSITIVITY_RANK[key]


def parse_roles(text: str) -> Roles:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RolesError(f"roles file is not valid TOML: {exc}") from None
    importers = _table(data, "importers")
    return Roles(
        default=_rank(data.get("default", "public"), "default"),
        users={str(k).strip().lower(): _rank(v, f"users.{k}") for k, v in _table(data, "users").items()},
        groups={str(k).strip().lower(): _rank(v, f"groups.{k}") for k, v in _table(data, "groups").items()},
        importer_users=_names(importers.get("users", []), "importers.users"),
        importer_groups=_names(importers.get("groups", []), "importers.groups"),
    )


def _table(data: dict, key: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RolesError(f"{key} must be a table ([{key}]), not {type(value).__name__}")
    return value


def _names(value: object, where: str) -> frozenset[str]:
    # `users = "a@x"` means that one user, not the set of its characters.
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise RolesError(f'{where} must be a list of names, such as ["a@example.gov"]')
    return frozenset(v.strip().lower() for v in items if v.strip())


def load_roles(path: Path | None = None) -> Roles:
    """The roles file, or no grants at all when there is none or it cannot be read (see Roles.problem)."""
    path = path or roles_path()
    if not path.exists():
        return Roles()
    try:
        return parse_roles(path.read_text(encoding="utf-8"))
    except (RolesError, OSError, UnicodeDecodeError) as exc:
        return Roles(problem=f"The roles file {path} was not used, so everyone sees public records only: {exc}")


def default_rank() -> int:
    """The ceiling when sign-in is not configured: $ATLAS_MAX_SENSITIVITY (default internal; public when
    the value is not a level: a typo must never open more than it means to)."""
    level = config.max_sensitivity()
    return vocab.SENSITIVITY_RANK.get(level, PUBLIC)


def setting_problem() -> str | None:
    """Why $ATLAS_MAX_SENSITIVITY was not used (the app shows it); None when it names a level or is unset."""
    level = config.max_sensitivity()
    if level in vocab.SENSITIVITY_RANK:
        return None
    return (
        f"ATLAS_MAX_SENSITIVITY={level!r} is not a sensitivity level (use public, internal or restricted): "
        "showing public records only."
    )


def rank_for(email: str | None, groups: Iterable[str], roles: Roles) -> int:
    """The highest level granted to this e-mail or any of these groups; the default otherwise."""
    granted = [roles.default]
    if email:
        granted.append(roles.users.get(email.strip().lower(), roles.default))
    granted += [roles.groups[g.strip().lower()] for g in groups if g.strip().lower() in roles.groups]
    return max(granted)


def may_import(email: str | None, groups: Iterable[str], roles: Roles) -> bool:
    if email and email.strip().lower() in roles.importer_users:
        return True
    return any(g.strip().lower() in roles.importer_groups for g in groups)


def level_name(rank: int) -> str:
    return vocab.SENSITIVITIES[rank][1]
