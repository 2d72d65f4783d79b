"""International organizations and forums engagements and agreements may name (data/reference/organizations.csv)."""

from __future__ import annotations

import csv
from functools import lru_cache

from atlas.config import REFERENCE_DIR
from atlas.data.vocab import fold

ORGANIZATIONS_CSV = REFERENCE_DIR / "organizations.csv"
SEPARATOR = ";"  # between aliases and between members in the file


@lru_cache(maxsize=1)
def load_organizations() -> list[dict]:
    """Rows of organizations.csv with coordinates parsed (None without a seat) and members as a list."""
    with ORGANIZATIONS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in ("hq_latitude", "hq_longitude"):
            row[column] = float(row[column]) if row[column] else None
        row["members"] = [m for m in row["members"].split(SEPARATOR) if m]
        row["aliases"] = [a for a in row["aliases"].split(SEPARATOR) if a]
        for column in ("hq_city", "hq_iso3", "notes"):
            row[column] = row[column] or None
    return rows


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """fold(spelling) -> code, for every code, name and alias."""
    table: dict[str, str] = {}
    for row in load_organizations():
        for spelling in (*row["aliases"], row["name"], row["code"]):  # the code and name win over an alias
            table[fold(spelling)] = row["code"]
    return table


def resolve(text: str | None) -> str | None:
    """The code of an organization as typed (code, name or alias, any case), or None when unknown."""
    if text is None:
        return None
    key = fold(text)
    found = _lookup().get(key)
    if found is None and key.startswith("the "):
        found = _lookup().get(key[len("the ") :])
    return found


def codes() -> list[str]:
    return [row["code"] for row in load_organizations()]


def name_of(code: str) -> str:
    """Display name for an organization code; the code itself if unknown."""
    return next((row["name"] for row in load_organizations() if row["code"] == code), code)
