"""The database schema and its table macros: creating them, the version mark, and bringing a file up to date.

The one module that reads schema.sql and macros.sql. The derived tables (the engagement rollups, the agreement
facts and status spans) are rebuilt here too, since the macros read them and their shape is the schema's.
"""

from __future__ import annotations

import functools
import hashlib
import re

from atlas.config import ROOT
from atlas.data import organizations

SCHEMA_SQL = ROOT / "atlas" / "data" / "schema.sql"
MACROS_SQL = ROOT / "atlas" / "data" / "macros.sql"
KEY = "schema_version"  # the metadata key holding the version a file was built for


class OutdatedDatabase(RuntimeError):
    """The file was built by another version of Partner Atlas; `python -m atlas upgrade` brings it up to date."""


@functools.lru_cache(maxsize=1)
def schema_version() -> str:
    """Changes whenever schema.sql or macros.sql changes."""
    digest = hashlib.sha256()
    for path in (SCHEMA_SQL, MACROS_SQL):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def create(con) -> None:
    """Create every table, sequence and macro in an empty database."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    install_macros(con)


def install_macros(con) -> None:
    """(Re)install the table macros the queries read through."""
    con.execute(MACROS_SQL.read_text(encoding="utf-8"))


def set_metadata(con, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO metadata VALUES (?, ?)", [key, value])


def mark_current(con) -> None:
    """Record that the file now has this version's schema and macros."""
    set_metadata(con, KEY, schema_version())


def is_current(con) -> bool:
    found = con.execute("SELECT value FROM metadata WHERE key = ?", [KEY]).fetchone()
    return bool(found) and found[0] == schema_version()


def bring_up_to_date(con) -> bool:
    """Add the tables, macros and derived tables this version expects to a database built by an older one.
    Returns False when there was nothing to do. (Derived data only: records are never touched.)"""
    if is_current(con):
        return False
    schema = SCHEMA_SQL.read_text(encoding="utf-8")
    con.execute(re.sub(r"CREATE (TABLE|SEQUENCE) ", r"CREATE \1 IF NOT EXISTS ", schema))
    con.execute("DROP TABLE IF EXISTS agreement_summary")  # an earlier version's; agreement_facts holds it now
    _add_new_columns(con, schema)
    if not con.execute("SELECT count(*) FROM organizations").fetchone()[0]:
        load_organizations(con)
    rebuild_rollup(con)
    rebuild_agreement_facts(con)
    mark_current(con)
    return True


def _add_new_columns(con, schema: str) -> None:
    """Give the record tables of an older file the columns this version added (NULL in every old record: one
    partner country, no level, and no first-import time, which an older version never kept and is not made
    up), and let go of NOT NULL where this version dropped it."""
    for match in re.finditer(r"^CREATE TABLE (\w+) \((.*?)\n\);", schema, re.S | re.M):
        table, body = match.groups()
        have = {
            name: nullable
            for name, nullable in con.execute(
                "SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
                "AND database_name = current_database()",
                [table],
            ).fetchall()
        }
        for line in body.splitlines():
            column = re.match(r"\s+(\w+)\s+([A-Z]+(?:\[\])?)(.*?)(?:,)?\s*(?:--.*)?$", line)
            if not column or column.group(1) in ("PRIMARY",):
                continue
            name, kind, rest = column.groups()
            if name not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
            elif "NOT NULL" not in rest and "PRIMARY KEY" not in rest and not have[name]:
                con.execute(f"ALTER TABLE {table} ALTER COLUMN {name} DROP NOT NULL")


def load_organizations(con) -> None:
    """The organizations table, from data/reference/organizations.csv."""
    con.execute("DELETE FROM organizations")
    con.executemany(
        "INSERT INTO organizations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r["code"],
                r["name"],
                r["kind"],
                r["hq_city"],
                r["hq_iso3"],
                r["hq_latitude"],
                r["hq_longitude"],
                r["members"] or None,
                r["source_url"],
                r["source_as_of"],
                r["notes"],
            )
            for r in organizations.load_organizations()
        ],
    )


def rebuild_rollup(con) -> None:
    """Recompute the engagement rollups (monthly and daily) and the copy of the multilateral engagements from the raw
    table, and bring the stored macros (which read them) up to the code's version, so that a database built by an
    older version keeps working."""
    schema = SCHEMA_SQL.read_text(encoding="utf-8")
    # Derived and refilled below: made afresh in this version's shape (an older file's may lack a column).
    for match in re.finditer(r"CREATE TABLE (engagement_\w*rollup) \(.*?\n\);", schema, re.S):
        con.execute(match.group(0).replace("CREATE TABLE", "CREATE OR REPLACE TABLE", 1))
    install_macros(con)
    con.execute("""
        CREATE OR REPLACE TABLE engagement_multilateral AS
        SELECT * FROM engagements
        WHERE several_partners(iso3, other_countries, organizations) OR organizations IS NOT NULL
        ORDER BY start_date
    """)
    # The rollups with iso3 are made of one row per partner country (partner_rows_between, with ahead).
    con.execute("DELETE FROM engagement_rollup")
    con.execute("""
        INSERT INTO engagement_rollup
        SELECT CAST(date_trunc('month', start_date) AS DATE), iso3, mission_area, component, engagement_type,
               sensitivity_rank, count(*), count(*) FILTER (WHERE status = 'planned'),
               count(*) FILTER (WHERE status = 'cancelled'),
               sum(participants) FILTER (WHERE status <> 'cancelled'), count(*) FILTER (WHERE is_demo), ahead,
               several, with_org, count(*) FILTER (WHERE is_demo AND status <> 'cancelled')
        FROM partner_rows_between(DATE '0001-01-01', DATE '9999-12-31')
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_day_country_rollup")
    con.execute("""
        INSERT INTO engagement_day_country_rollup
        SELECT start_date, iso3, mission_area, sensitivity_rank, count(*), count(*) FILTER (WHERE status = 'planned'),
               count(*) FILTER (WHERE status = 'cancelled'),
               sum(participants) FILTER (WHERE status <> 'cancelled'), count(*) FILTER (WHERE is_demo),
               count(*) FILTER (WHERE is_demo AND status <> 'cancelled'), ahead, several, with_org
        FROM partner_rows_between(DATE '0001-01-01', DATE '9999-12-31')
        GROUP BY ALL
        ORDER BY 1
    """)
    # Every engagement once: its first partner country's row (ahead NULL).
    con.execute("DELETE FROM engagement_day_rollup")
    con.execute("""
        INSERT INTO engagement_day_rollup
        SELECT day, mission_area, sensitivity_rank, sum(engagements), sum(planned), sum(cancelled),
               sum(participants), sum(demo), sum(demo_active), several, with_org
        FROM engagement_day_country_rollup
        WHERE ahead IS NULL
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_area_rollup")
    con.execute("""
        INSERT INTO engagement_area_rollup
        SELECT CAST(date_trunc('month', day) AS DATE), iso3, mission_area, sensitivity_rank, sum(engagements),
               sum(planned), sum(cancelled), sum(participants), sum(demo), sum(demo_active), ahead, several, with_org
        FROM engagement_day_country_rollup
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_place_rollup")
    con.execute("""
        INSERT INTO engagement_place_rollup
        SELECT CAST(date_trunc('month', e.start_date) AS DATE), e.iso3, round(coalesce(e.latitude, c.lat), 2),
               round(coalesce(e.longitude, c.lon), 2), e.mission_area, e.sensitivity_rank, count(*),
               max(e.start_date), bool_or(e.latitude IS NULL), any_value(coalesce(e.city, c.name)), e.other_countries,
               several_partners(e.iso3, e.other_countries, e.organizations), e.organizations IS NOT NULL
        FROM engagements e LEFT JOIN countries c USING (iso3)
        WHERE e.status <> 'cancelled' AND coalesce(e.latitude, c.lat) IS NOT NULL
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_org_rollup")
    con.execute("""
        INSERT INTO engagement_org_rollup
        SELECT month, org_code, mission_area, sensitivity_rank, count(*), count(*) FILTER (WHERE status = 'planned'),
               count(*) FILTER (WHERE status = 'cancelled'), sum(participants) FILTER (WHERE status <> 'cancelled'),
               count(*) FILTER (WHERE is_demo AND status <> 'cancelled'), several
        FROM (SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, unnest(organizations) AS org_code,
                     mission_area, sensitivity_rank, status, participants, is_demo,
                     several_partners(iso3, other_countries, organizations) AS several
              FROM engagements WHERE organizations IS NOT NULL)
        GROUP BY ALL
        ORDER BY 1
    """)


def rebuild_agreement_facts(con) -> None:
    """Recompute agreement_facts and agreement_status_spans from the agreements, their parties and history."""
    schema = SCHEMA_SQL.read_text(encoding="utf-8")
    for match in re.finditer(r"CREATE TABLE (agreement_facts|agreement_status_spans) \(.*?\n\);", schema, re.S):
        con.execute(match.group(0).replace("CREATE TABLE", "CREATE OR REPLACE TABLE", 1))  # this version's shape
    # partners: the partner countries' names, then the organizations' names (an EU agreement reads "European Union").
    con.execute("""
        INSERT INTO agreement_facts
        SELECT a.agreement_id, a.title, a.agreement_type, a.mission_area, a.status, a.date_signed,
               a.date_in_force, a.date_expires, a.component, a.summary, a.sensitivity_rank, a.is_demo,
               coalesce(a.date_signed, a.date_in_force),
               nullif(concat_ws('; ', pa.partners, og.names), ''), pa.iso3s, pa.n_partners, st.first_event,
               a.organizations
        FROM agreements a
        LEFT JOIN (SELECT p.agreement_id, string_agg(c.name, '; ' ORDER BY c.name) AS partners,
                          list(p.iso3 ORDER BY p.iso3) AS iso3s, count(*) AS n_partners
                   FROM agreement_parties p JOIN countries c USING (iso3)
                   GROUP BY p.agreement_id) pa USING (agreement_id)
        LEFT JOIN (SELECT x.agreement_id, string_agg(o.name, '; ' ORDER BY o.name) AS names
                   FROM (SELECT agreement_id, unnest(organizations) AS code FROM agreements) x
                   JOIN organizations o USING (code)
                   GROUP BY x.agreement_id) og USING (agreement_id)
        LEFT JOIN (SELECT agreement_id, min(changed_on) AS first_event
                   FROM agreement_status_history GROUP BY agreement_id) st USING (agreement_id)
        ORDER BY a.agreement_id
    """)
    # Events on the same day follow event_order: all but the last of them make empty spans
    # (valid_from = valid_to), which no day falls in.
    con.execute("""
        INSERT INTO agreement_status_spans
        SELECT agreement_id, status, changed_on,
               lead(changed_on) OVER (PARTITION BY agreement_id ORDER BY changed_on, event_order)
        FROM agreement_status_history
        ORDER BY agreement_id, changed_on
    """)
