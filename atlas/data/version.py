"""Which version of the schema and table macros a database file was built for."""
from __future__ import annotations

import functools
import hashlib

from atlas.config import ROOT

KEY = "schema_version"


@functools.lru_cache(maxsize=1)
def schema_version() -> str:
    """Changes whenever atlas/schema.sql or atlas/macros.sql changes."""
    digest = hashlib.sha256()
    for name in ("schema.sql", "macros.sql"):
        digest.update((ROOT / "atlas" / "data" / name).read_bytes())
    return digest.hexdigest()[:16]


class OutdatedDatabase(RuntimeError):
    """The file was built by another version of Partner Atlas; `python -m atlas upgrade` brings it up to date."""
