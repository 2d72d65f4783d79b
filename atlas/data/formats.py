"""The import file formats: which columns each table takes and which are required."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileFormat:
    table: str
    id_column: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


ENGAGEMENTS = FileFormat(
    table="engagements",
    id_column="engagement_id",
    columns=("engagement_id", "title", "start_date", "end_date", "country", "city", "latitude", "longitude",
             "mission_area", "engagement_type", "component", "status", "participants", "summary",
             # optional extras: who may see the record, and whether it is generated demo data
             "sensitivity", "demo"),
    required=("engagement_id", "title", "start_date", "country", "mission_area"),
)

AGREEMENTS = FileFormat(
    table="agreements",
    id_column="agreement_id",
    columns=("agreement_id", "title", "agreement_type", "countries", "mission_area", "status", "date_signed",
             "date_in_force", "date_expires", "component", "summary", "sensitivity", "demo"),
    required=("agreement_id", "title", "countries", "mission_area", "status"),
)

FORMATS = {f.table: f for f in (ENGAGEMENTS, AGREEMENTS)}
COUNTRY_SEPARATOR = ";"
