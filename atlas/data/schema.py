"""The database schema and its table macros: creating them, the version mark, and bringing a file up to date.

The one module that reads schema.sql and macros.sql. The derived tables (the engagement rollups, the agreement
facts and status spans) are rebuilt here too, since the macros read them and their shape is the schema's.
"""

from __future__ import annotations

import functools
import hashlib
import re

from atlas.config import ROOT

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
    add_missing_columns(con, schema)
    con.execute("DROP TABLE IF EXISTS agreement_summary")  # an earlier version's; agreement_facts holds it now
    rebuild_rollup(con)
    rebuild_agreement_facts(con)
    mark_current(con)
    return True


def add_missing_columns(con, schema: str) -> None:
    """Add to each stored table the columns schema.sql gives it and an older file lacks (empty in the records
    already there: a value an older version never kept is not made up)."""
    have: dict[str, set[str]] = {}
    for table, column in con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall():
        have.setdefault(table, set()).add(column)
    for table, body in re.findall(r"^CREATE TABLE (\w+) \((.*?)\n\);", schema, re.S | re.M):
        for column, kind in re.findall(r"^\s+(\w+)\s+([A-Z]+(?:\[\])?)", body, re.M):
            if table in have and column not in have[table] and column not in ("PRIMARY", "UNIQUE"):
                con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")  # names from schema.sql only


def rebuild_rollup(con) -> None:
    """Recompute the engagement rollups (monthly and daily) from the raw table, and bring the stored macros (which
    read them) up to the code's version, so that a database built by an older version keeps working."""
    schema = SCHEMA_SQL.read_text(encoding="utf-8")
    # Derived and refilled below: made afresh in this version's shape (an older file's may lack a column).
    for match in re.finditer(r"CREATE TABLE (engagement_\w*rollup) \(.*?\n\);", schema, re.S):
        con.execute(match.group(0).replace("CREATE TABLE", "CREATE OR REPLACE TABLE", 1))
    install_macros(con)
    con.execute("DELETE FROM engagement_rollup")
    con.execute("""
        INSERT INTO engagement_rollup
        SELECT CAST(date_trunc('month', start_date) AS DATE), iso3, mission_area, component, engagement_type,
               sensitivity_rank, count(*), count(*) FILTER (WHERE status = 'planned'),
               count(*) FILTER (WHERE status = 'cancelled'),
               sum(participants) FILTER (WHERE status <> 'cancelled'), count(*) FILTER (WHERE is_demo)
        FROM engagements
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_day_country_rollup")
    con.execute("""
        INSERT INTO engagement_day_country_rollup
        SELECT start_date, iso3, mission_area, sensitivity_rank, count(*), count(*) FILTER (WHERE status = 'planned'),
               count(*) FILTER (WHERE status = 'cancelled'),
               sum(participants) FILTER (WHERE status <> 'cancelled'), count(*) FILTER (WHERE is_demo),
               count(*) FILTER (WHERE is_demo AND status <> 'cancelled')
        FROM engagements
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_day_rollup")
    con.execute("""
        INSERT INTO engagement_day_rollup
        SELECT day, mission_area, sensitivity_rank, sum(engagements), sum(planned), sum(cancelled),
               sum(participants), sum(demo), sum(demo_active)
        FROM engagement_day_country_rollup
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_area_rollup")
    con.execute("""
        INSERT INTO engagement_area_rollup
        SELECT CAST(date_trunc('month', day) AS DATE), iso3, mission_area, sensitivity_rank, sum(engagements),
               sum(planned), sum(cancelled), sum(participants), sum(demo), sum(demo_active)
        FROM engagement_day_country_rollup
        GROUP BY ALL
        ORDER BY 1
    """)
    con.execute("DELETE FROM engagement_place_rollup")
    con.execute("""
        INSERT INTO engagement_place_rollup
        SELECT CAST(date_trunc('month', e.start_date) AS DATE), e.iso3, round(coalesce(e.latitude, c.lat), 2),
               round(coalesce(e.longitude, c.lon), 2), e.mission_area, e.sensitivity_rank, count(*),
               max(e.start_date), bool_or(e.latitude IS NULL), any_value(coalesce(e.city, c.name))
        FROM engagements e JOIN countries c USING (iso3)
        WHERE e.status <> 'cancelled'
        GROUP BY ALL
        ORDER BY 1
    """)


def rebuild_agreement_facts(con) -> None:
    """Recompute agreement_facts and agreement_status_spans from the agreements, their parties and history."""
    con.execute("DELETE FROM agreement_facts")
    con.execute("""
        INSERT INTO agreement_facts
        SELECT a.agreement_id, a.title, a.agreement_type, a.mission_area, a.status, a.date_signed,
               a.date_in_force, a.date_expires, a.component, a.summary, a.sensitivity_rank, a.is_demo,
               coalesce(a.date_signed, a.date_in_force), pa.partners, pa.iso3s, pa.n_partners, st.first_event
        FROM agreements a
        LEFT JOIN (SELECT p.agreement_id, string_agg(c.name, '; ' ORDER BY c.name) AS partners,
                          list(p.iso3 ORDER BY p.iso3) AS iso3s, count(*) AS n_partners
                   FROM agreement_parties p JOIN countries c USING (iso3)
                   GROUP BY p.agreement_id) pa USING (agreement_id)
        LEFT JOIN (SELECT agreement_id, min(changed_on) AS first_event
                   FROM agreement_status_history GROUP BY agreement_id) st USING (agreement_id)
        ORDER BY a.agreement_id
    """)
    # Events on the same day follow event_order: all but the last of them make empty spans
    # (valid_from = valid_to), which no day falls in.
    con.execute("DELETE FROM agreement_status_spans")
    con.execute("""
        INSERT INTO agreement_status_spans
        SELECT agreement_id, status, changed_on,
               lead(changed_on) OVER (PARTITION BY agreement_id ORDER BY changed_on, event_order)
        FROM agreement_status_history
        ORDER BY agreement_id, changed_on
    """)
