"""Load the checked rows: build the incoming records, tell inserts from updates from unchanged ones, write
them with their status history, and log every import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from atlas.data import vocab
from atlas.data.db import run_sql
from atlas.data.formats import FileFormat
from atlas.data.ingest.result import ImportResult
from atlas.data.readers import sha256_of

LOGGED_PROBLEMS = 20  # problems written out in full to import_log.message


def _rank_case(column: str) -> str:
    return (
        "CASE "
        + " ".join(f"WHEN {column} = '{code}' THEN {rank}" for code, rank in vocab.SENSITIVITY_RANK.items())
        + " END"
    )


def prepare_incoming(con, fmt: FileFormat, import_id: int, today: dt.date) -> None:
    """`incoming`: each valid row of `parsed` as the record it would store."""
    params = {"today": today, "import_id": import_id, "now": dt.datetime.now(), "default": vocab.DEFAULT_SENSITIVITY}
    fields = ", ".join(f"{sql} AS {name}" for name, sql in fmt.record)
    run_sql(
        con,
        f"""
        CREATE OR REPLACE TEMP TABLE incoming AS
        SELECT trim({fmt.id_column}) AS {fmt.id_column}, {fields},
               coalesce(v_sensitivity, $default) AS sensitivity,
               {_rank_case("coalesce(v_sensitivity, $default)")} AS sensitivity_rank,
               coalesce(v_demo, false) AS is_demo, $import_id AS import_id, $now AS updated_at,
               $now AS first_imported_at
        FROM parsed WHERE line NOT IN (SELECT line FROM problems)
    """,
        params,
    )


def classify(con, fmt: FileFormat) -> None:
    """`diff`: each incoming id with its action (insert, update or same) and the stored status and expiry."""
    id_col = fmt.id_column
    # Every field the file gives, but the import's own bookkeeping, decides whether a record changed.
    compared = [name for name, _ in fmt.record] + ["sensitivity", "is_demo"]
    differs = " OR ".join(f"i.{f} IS DISTINCT FROM c.{f}" for f in compared)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE diff AS
        SELECT i.{id_col} AS id,
               CASE WHEN c.{id_col} IS NULL THEN 'insert' WHEN {differs} THEN 'update' ELSE 'same' END AS action,
               c.status AS old_status, c.date_expires_old AS old_expires, c.first_imported_at AS old_first
        FROM incoming i
        LEFT JOIN (SELECT *, {fmt.expiry_column or "NULL"} AS date_expires_old
                   FROM ({fmt.current})) c ON c.{id_col} = i.{id_col}
    """)


def apply(con, fmt: FileFormat, import_id: int, today: dt.date) -> None:
    """Write the inserted and updated records (and their parties and status history), then what derives from them."""
    id_col, table = fmt.id_column, fmt.table
    columns = fmt.stored_columns
    con.execute(f"DELETE FROM {table} WHERE {id_col} IN (SELECT id FROM diff WHERE action = 'update')")
    # A replaced record keeps the time it was first imported (NULL if that predates the column).
    values = [
        "CASE WHEN d.action = 'update' THEN d.old_first ELSE i.first_imported_at END"
        if c == "first_imported_at"
        else "i." + c
        for c in columns
    ]
    con.execute(f"""
        INSERT INTO {table} ({", ".join(columns)})
        SELECT {", ".join(values)} FROM incoming i JOIN diff d ON d.id = i.{id_col}
        WHERE d.action <> 'same' ORDER BY i.{fmt.insert_order}
    """)
    if fmt.status_changes_table:
        con.execute(f"""
            INSERT INTO {fmt.status_changes_table}
            SELECT i.{id_col}, d.old_status, i.status, i.updated_at, i.import_id
            FROM incoming i JOIN diff d ON d.id = i.{id_col}
            WHERE d.action = 'update' AND i.status IS DISTINCT FROM d.old_status
        """)
    if fmt.parties_table:
        con.execute(f"DELETE FROM {fmt.parties_table} WHERE {id_col} IN (SELECT id FROM diff WHERE action = 'update')")
        con.execute(f"""
            INSERT INTO {fmt.parties_table}
            SELECT DISTINCT i.{id_col}, unnest(i.parties) FROM incoming i JOIN diff d ON d.id = i.{id_col}
            WHERE d.action <> 'same'
        """)
    if fmt.status_history:
        _record_status_history(con, import_id, today)
    fmt.rebuild_derived(con)


def _record_status_history(con, import_id: int, today: dt.date) -> None:
    """Store each status change so 'what changed since' is computed, never guessed."""
    # New agreements: the lifecycle their dates prove, up to their current status.
    # Known statuses without a date are recorded as first seen on the import date.
    run_sql(
        con,
        """
        CREATE OR REPLACE TEMP TABLE new_events AS
        WITH fresh AS (SELECT i.* FROM incoming i JOIN diff d ON d.id = i.agreement_id WHERE d.action = 'insert'),
        events AS (
            SELECT agreement_id, 'signed' AS status, date_signed AS changed_on, 'dates' AS source, 1 AS step
            FROM fresh WHERE date_signed IS NOT NULL AND status <> 'negotiation'
            UNION ALL
            SELECT agreement_id, 'in_force', date_in_force, 'dates', 2
            FROM fresh WHERE date_in_force IS NOT NULL AND status IN ('in_force', 'expired', 'terminated')
            UNION ALL
            SELECT agreement_id, 'expired', coalesce(date_expires, $today),
                   CASE WHEN date_expires IS NULL THEN 'first_seen' ELSE 'dates' END, 3
            FROM fresh WHERE status = 'expired'
            UNION ALL
            SELECT agreement_id, status, $today, 'first_seen', 0
            FROM fresh WHERE status = 'negotiation' OR status = 'terminated'
                          OR (status = 'signed' AND date_signed IS NULL)
                          OR (status = 'in_force' AND date_in_force IS NULL)
        )
        SELECT agreement_id, status,
               lag(status) OVER (PARTITION BY agreement_id ORDER BY changed_on, step) AS previous_status,
               changed_on, source, step
        FROM events
    """,
        {"today": today},
    )
    # Known agreements: a changed status, or a renewal (still in force, later expiry), dated on import.
    run_sql(
        con,
        """
        INSERT INTO new_events
        SELECT i.agreement_id,
               i.status,
               d.old_status,
               $today,
               CASE WHEN i.status = d.old_status THEN 'renewal' ELSE 'import' END,
               9
        FROM incoming i JOIN diff d ON d.id = i.agreement_id
        WHERE d.action = 'update'
          AND (i.status <> d.old_status
               OR (i.status = 'in_force' AND i.date_expires > d.old_expires))
    """,
        {"today": today},
    )
    run_sql(
        con,
        """
        INSERT INTO agreement_status_history
        SELECT agreement_id, status, previous_status, changed_on, source, $import_id,
               coalesce((SELECT max(event_order) FROM agreement_status_history), 0)
                 + row_number() OVER (ORDER BY changed_on, agreement_id, step)
        FROM new_events
    """,
        {"import_id": import_id},
    )


def next_import_id(con) -> int:
    return int(run_sql(con, "SELECT nextval('import_id_seq') AS id").id[0])


def log(
    con, path: Path, fmt: FileFormat, result: ImportResult, started: dt.datetime, import_id: int | None = None
) -> None:
    """Write the import, whatever its outcome, to import_log (and its id to the result)."""
    if import_id is None:
        import_id = next_import_id(con)
    result.import_id = import_id
    message = "; ".join(str(p) for p in result.problems[:LOGGED_PROBLEMS])
    if len(result.problems) > LOGGED_PROBLEMS:
        message += f"; … and {len(result.problems) - LOGGED_PROBLEMS} more"
    run_sql(
        con,
        """
        INSERT INTO import_log VALUES ($id, $file, $sha, $table, $read, $accepted, $rejected, $inserted, $updated,
                                      $unchanged, $started, $finished, $outcome, $message)
    """,
        {
            "id": import_id,
            "file": path.name,
            "sha": sha256_of(path) if path.exists() else None,
            "table": fmt.table,
            "read": result.rows_read,
            "accepted": result.inserted + result.updated + result.unchanged,
            "rejected": result.rejected,
            "inserted": result.inserted,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "started": started,
            "finished": dt.datetime.now(),
            "outcome": result.outcome,
            "message": message or None,
        },
    )
