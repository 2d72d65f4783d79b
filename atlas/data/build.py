"""Build a database from scratch: schema, reference geography, sourced programme facts, demo data."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from atlas.config import REFERENCE_DIR, ROOT
from atlas.data import countries, demo, ingest, schema, store, vocab

DEFAULT_ENGAGEMENTS = 6000
DEFAULT_AGREEMENTS = 400
DEFAULT_SEED = 2026

# Programme files in data/reference/ and the short code each programme goes by in the app.
PROGRAM_CODES = {
    "Visa Waiver Program (VWP)": "vwp",
    "CBP Preclearance": "preclearance",
    "Container Security Initiative (CSI)": "csi",
    "Preventing and Combating Serious Crime (PCSC) agreement": "pcsc",
    "ICE Visa Security Program (VSP) unit": "vsp",
    "TSA Office of Global Strategies overseas location (TSAR/IIR/ROC/TSS)": "tsa",
    "CBP Immigration Advisory Program (IAP)": "iap",
    "CBP attaché office": "cbp_attache",
    "ICE HSI attaché office (example, not a full list)": "hsi",
}
PROGRAM_FILES = (
    "vwp_countries.csv",
    "cbp_preclearance_locations.csv",
    "csi_ports.csv",
    "pcsc_agreements_partial.csv",
    "dhs_overseas_posts_partial.csv",
)
HEADLINES_FILE = "dhs_international_footprint_headlines.csv"
# Not current: a membership that ended, or a site announced but not (yet) operational. The announced test reads
# the status the way the Activity map does (atlas.views.maps.is_announced), so a hollow dot is never counted.
_NOT_CURRENT = re.compile(
    r"NOT a current member|rescinded|terminated|^\s*(?:announced|planned)|not (?:yet )?operational", re.IGNORECASE
)
_UNCERTAIN = re.compile(r"uncertain|not confirmed|unclear|status unknown", re.IGNORECASE)


# The metadata key holding the digest of the shipped facts a file was loaded with (reference_version()).
REFERENCE_KEY = "reference_version"


def reference_version() -> str:
    """Changes whenever a shipped fact changes: the programme, headline and organization files of data/reference/
    (re-sourced from time to time) and the mission areas of atlas.data.vocab."""
    digest = hashlib.sha256()
    for name in (*PROGRAM_FILES, HEADLINES_FILE, "organizations.csv"):
        digest.update(name.encode() + b"\0" + (REFERENCE_DIR / name).read_bytes())
    digest.update(repr(vocab.MISSION_AREAS).encode())
    return digest.hexdigest()[:16]


def reference_is_current(con) -> bool:
    found = con.execute("SELECT value FROM metadata WHERE key = ?", [REFERENCE_KEY]).fetchone()
    return bool(found) and found[0] == reference_version()


def load_reference(con) -> None:
    """Countries, aliases, mission areas, programmes and headline figures."""
    _load_geography(con)
    load_facts(con)


def refresh_facts(con) -> None:
    """Replace the shipped facts of an existing file (mission areas, organizations, programmes, headline figures)
    with this version's: they are reference data, not records, and a re-sourced file must reach old databases
    with its new sources and as-of dates. Records and the countries they name are not touched."""
    for table in ("mission_areas", "programs", "footprint_headlines"):
        con.execute(f"DELETE FROM {table}")
    load_facts(con)


def load_facts(con) -> None:
    """Mission areas, organizations, programmes and headline figures, and the mark of the version loaded."""
    con.executemany(
        "INSERT INTO mission_areas VALUES (?, ?, ?, ?, ?)",
        [(m.code, m.label, m.colour, m.description, i) for i, m in enumerate(vocab.MISSION_AREAS)],
    )
    schema.load_organizations(con)
    con.executemany("INSERT INTO programs VALUES (" + ", ".join("?" * 16) + ")", program_rows())
    with (REFERENCE_DIR / HEADLINES_FILE).open(encoding="utf-8", newline="") as f:
        headlines = [
            tuple(
                r[k] or None
                for k in ("program", "mission_area", "metric", "value", "scope", "source_url", "source_as_of", "notes")
            )
            for r in csv.DictReader(f)
        ]
    con.executemany("INSERT INTO footprint_headlines VALUES (?, ?, ?, ?, ?, ?, ?, ?)", headlines)
    schema.set_metadata(con, REFERENCE_KEY, reference_version())


def _load_geography(con) -> None:
    rows = countries.load_countries()
    frame = pd.DataFrame(rows)
    frame["map_index"] = range(len(frame))
    con.register("country_frame", frame)
    con.execute("""INSERT INTO countries SELECT iso3, iso2, name, official_name, region, subregion, lat, lon,
                   independent, un_member, in_boundaries, small, iso_official, map_index FROM country_frame""")
    con.unregister("country_frame")
    aliases = pd.read_csv(ROOT / "data" / "country_aliases.csv", dtype=str, keep_default_na=False)
    aliases["alias_key"] = aliases["alias"].map(vocab.fold)
    aliases = aliases.drop_duplicates("alias_key")
    con.register("alias_frame", aliases)
    con.execute("INSERT INTO country_aliases SELECT alias_key, alias, iso3 FROM alias_frame")
    con.unregister("alias_frame")


def _primary_area(text: str) -> str:
    """'aviation security; border security' -> 'aviation' (the first area the source lists)."""
    first = re.split(r"[;/(]", text)[0]
    code = vocab.MISSION_AREA_LOOKUP.get(vocab.fold(first))
    if code is None:
        raise ValueError(f"reference mission area not recognised: {text!r}")
    return code


def program_rows() -> list[tuple]:
    """One row per programme site or membership, carrying its source and as-of date verbatim."""
    out = []
    for name in PROGRAM_FILES:
        with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                status, notes = r["status"], r.get("notes") or ""
                if not r["source_url"].strip():
                    raise ValueError(f"{name}: a row without a source_url ({r['iso3']} {r['place']!r})")
                out.append(
                    (
                        r["program"],
                        PROGRAM_CODES[r["program"]],
                        _primary_area(r["mission_area"]),
                        r["mission_area"],
                        r["iso3"],
                        r["place"] or None,
                        r["iata_or_locode"] or None,
                        float(r["latitude"]) if r["latitude"] else None,
                        float(r["longitude"]) if r["longitude"] else None,
                        status,
                        not _NOT_CURRENT.search(status),
                        r["year_joined"] or None,
                        r["source_url"],
                        r["source_as_of"],
                        bool(_UNCERTAIN.search(status + " " + notes)),
                        notes or None,
                    )
                )
    return out


def build(
    db: Path,
    *,
    engagements: int = DEFAULT_ENGAGEMENTS,
    agreements: int = DEFAULT_AGREEMENTS,
    seed: int = DEFAULT_SEED,
    with_demo: bool = True,
    today: dt.date | None = None,
) -> list[ingest.ImportResult]:
    """Write a fresh database to `db` (the old one, if any, is kept as a snapshot)."""
    results = []
    with store.writing(Path(db), fresh=True) as writer:
        con = writer.con
        schema.create(con)
        load_reference(con)
        schema.set_metadata(con, "built_at", dt.datetime.now().isoformat(timespec="seconds"))
        schema.mark_current(con)
        if with_demo:
            with tempfile.TemporaryDirectory() as folder:
                demo.write(Path(folder), engagements, agreements, seed)
                for table in ("engagements", "agreements"):
                    result = ingest.import_into(con, Path(folder) / f"{table}.csv", table, today=today)
                    if result.problems:
                        raise RuntimeError("demo data failed validation:\n" + ingest.problems_text(result))
                    results.append(result)
            schema.set_metadata(con, "demo", f"engagements={engagements} agreements={agreements} seed={seed}")
    return results


def upgrade(db: Path) -> bool:
    """Bring the database file up to date with this version (its schema, macros and derived tables, and the
    shipped facts), in place of the old file; records are kept. False: nothing to do."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS atlas (READ_ONLY)", [str(db)])
        con.execute("USE atlas")
        if schema.is_current(con) and reference_is_current(con):
            return False
    finally:
        con.close()
    with store.writing(Path(db)) as writer:
        schema.bring_up_to_date(writer.con)
        if not reference_is_current(writer.con):
            refresh_facts(writer.con)
        return True
