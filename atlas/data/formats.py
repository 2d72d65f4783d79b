"""The import file formats: for each table, its columns, checks, vocabularies and how a row becomes a record.

Every fact that differs between engagements and agreements lives here, as an attribute of the FileFormat, so
that the import (atlas.data.ingest) reads `fmt.something` instead of asking which table it is loading. SQL text
here is fixed (identifiers from these lists, the checks' macros from ingest/checks.py); file content is never
spliced into it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from atlas.data import organizations, schema, vocab

COUNTRY_SEPARATOR = ";"


class Check(NamedTuple):
    """A problem to report on `column` where the SQL `condition` holds, in the words of the SQL `reason`."""

    column: str
    condition: str
    reason: str


@dataclass(frozen=True)
class FileFormat:
    table: str
    id_column: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    country_column: str  # the column naming the partner country or countries
    many_countries: bool  # True: a COUNTRY_SEPARATOR-separated list; False: one country
    date_columns: tuple[str, ...]
    vocabularies: Mapping[str, Mapping[str, str]] = field(hash=False)  # column -> folded spelling -> code
    checks: tuple[Check, ...]  # the table's own checks, beyond those every format gets (ingest/checks.py)
    record: tuple[tuple[str, str], ...]  # the stored record's own fields and their SQL over the checked row
    current: str  # SELECT of the stored records with the fields of `record`, for comparing with the file
    insert_order: str  # the field new records are written in order of
    rebuild_derived: Callable[..., None] = field(hash=False)  # recomputes what is derived from the table
    parties_table: str | None = None  # one row per (record, country), filled from the `parties` field
    expiry_column: str | None = None  # a later expiry of an unchanged status is a renewal
    status_history: bool = False  # each status change is stored in agreement_status_history
    status_changes_table: str | None = None  # each status change of a known record, with when it was written
    organization_column: str | None = None  # a COUNTRY_SEPARATOR-separated list of organizations (v_organizations)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """The columns written to the table: id, the record's fields (but parties) and the import's own."""
        own = tuple(name for name, _ in self.record if name != "parties")
        return (self.id_column, *own, *RECORD_SUFFIX)


# Fields every record carries after its own, computed by the import (ingest/load.py binds the $ values).
RECORD_SUFFIX = ("sensitivity", "sensitivity_rank", "is_demo", "import_id", "updated_at", "first_imported_at")
SHARED_VOCABULARIES = {
    "mission_area": vocab.MISSION_AREA_LOOKUP,
    "component": vocab.COMPONENT_LOOKUP,
    "sensitivity": vocab.SENSITIVITY_LOOKUP,
}


def _codes(pairs) -> str:
    return ", ".join(code for code, _ in pairs)


def _listed(bad: str) -> str:
    return f"array_to_string(list_transform({bad}, lambda x: '''' || x || ''''), ', ')"


def _partner_checks(country_column: str) -> dict[str, tuple[Check, ...]]:
    """A record needs a partner: a country, or an organization (that column is optional). A list of only
    separators names nobody: missing, like a blank one. Unknown names are listed, each quoted."""
    nobody = (
        "len(v_countries) = 0 AND len(bad_countries) = 0 AND len(v_organizations) = 0 AND len(bad_organizations) = 0"
    )
    return {
        country_column: (
            Check(country_column, nobody, "'missing required value'"),
            Check(
                country_column,
                "len(bad_countries) > 0",
                "'unknown countr' || CASE WHEN len(bad_countries) = 1 THEN 'y ' ELSE 'ies ' END || "
                + _listed("bad_countries"),
            ),
        ),
        "organizations": (
            Check(
                "organizations",
                "len(bad_organizations) > 0",
                "'unknown organization' || CASE WHEN len(bad_organizations) = 1 THEN ' ' ELSE 's ' END || "
                + _listed("bad_organizations")
                + f" || ' (use a code or name from data/reference/organizations.csv: {', '.join(organizations.codes())})'",
            ),
        ),
    }


PARTNER_CHECKS = {**_partner_checks("country"), "countries": _partner_checks("countries")["countries"]}


ENGAGEMENTS = FileFormat(
    table="engagements",
    id_column="engagement_id",
    columns=(
        "engagement_id",
        "title",
        "start_date",
        "end_date",
        "country",
        "city",
        "latitude",
        "longitude",
        "mission_area",
        "engagement_type",
        "component",
        "status",
        "participants",
        "summary",
        # optional extras: who may see the record, and whether it is generated demo data
        "sensitivity",
        "demo",
        # optional: partner organizations, and the level the department was represented at
        "organizations",
        "level",
    ),
    required=("engagement_id", "title", "start_date", "country", "mission_area"),
    country_column="country",
    many_countries=True,
    date_columns=("start_date", "end_date"),
    vocabularies={
        **SHARED_VOCABULARIES,
        "engagement_type": vocab.ENGAGEMENT_TYPE_LOOKUP,
        "status": vocab.ENGAGEMENT_STATUS_LOOKUP,
        "level": vocab.LEVEL_LOOKUP,
    },
    checks=(
        Check(
            "end_date",
            "v_end_date < v_start_date",
            "'end date ' || v_end_date || ' is before start date ' || v_start_date",
        ),
        *PARTNER_CHECKS["country"],
        Check(
            "latitude",
            "NOT is_blank(latitude) AND num(latitude) IS NULL",
            "'latitude ' || quoted(latitude) || ' is not a number'",
        ),
        Check(
            "latitude",
            "num(latitude) NOT BETWEEN -90 AND 90",
            "'latitude ' || num(latitude) || ' is out of range (-90 to 90)'",
        ),
        Check(
            "longitude",
            "NOT is_blank(longitude) AND num(longitude) IS NULL",
            "'longitude ' || quoted(longitude) || ' is not a number'",
        ),
        Check(
            "longitude",
            "num(longitude) NOT BETWEEN -180 AND 180",
            "'longitude ' || num(longitude) || ' is out of range (-180 to 180)'",
        ),
        Check(
            "longitude", "num(latitude) IS NOT NULL AND is_blank(longitude)", "'missing longitude: latitude is given'"
        ),
        Check(
            "latitude", "num(longitude) IS NOT NULL AND is_blank(latitude)", "'missing latitude: longitude is given'"
        ),
        Check(
            "engagement_type",
            "NOT is_blank(engagement_type) AND v_engagement_type IS NULL",
            f"'unknown engagement type ' || quoted(engagement_type) || ' (use one of: {_codes(vocab.ENGAGEMENT_TYPES)})'",
        ),
        Check(
            "status",
            "NOT is_blank(status) AND v_status IS NULL",
            f"'unknown status ' || quoted(status) || ' (use one of: {_codes(vocab.ENGAGEMENT_STATUSES)})'",
        ),
        Check(
            "participants",
            "NOT is_blank(participants) AND num(participants) IS NULL",
            "'participants must be a number, not ' || quoted(participants)",
        ),
        Check(
            "participants", "num(participants) < 0", "'participants cannot be negative (' || trim(participants) || ')'"
        ),
        Check(
            "participants",
            "num(participants) >= 0 AND num(participants) <> floor(num(participants))",
            "'participants must be a whole number (' || trim(participants) || ')'",
        ),
        Check(
            "participants",
            "num(participants) > 1000000",
            "'participants ' || trim(participants) || ' is implausibly large'",
        ),
        *PARTNER_CHECKS["organizations"],
        Check(
            "level",
            "NOT is_blank(level) AND v_level IS NULL",
            f"'unknown level ' || quoted(level) || ' (use one of: {_codes(vocab.LEVELS)})'",
        ),
    ),
    record=(
        ("title", "title"),
        ("start_date", "v_start_date"),
        ("end_date", "v_end_date"),
        # The first country listed; the others sorted (NULL for one country, nearly every engagement).
        ("iso3", "v_countries[1]"),
        ("other_countries", "CASE WHEN len(v_countries) > 1 THEN list_sort(v_countries[2:]) END"),
        ("city", "nullif(city, '')"),
        ("latitude", "num(latitude)"),
        ("longitude", "num(longitude)"),
        ("mission_area", "v_mission_area"),
        ("engagement_type", "v_engagement_type"),
        ("component", "v_component"),
        # An engagement given no status is planned when it starts after the import date, else completed.
        ("status", "coalesce(v_status, CASE WHEN v_start_date > $today THEN 'planned' ELSE 'completed' END)"),
        ("participants", "CAST(num(participants) AS INTEGER)"),
        ("summary", "nullif(summary, '')"),
        ("organizations", "CASE WHEN len(v_organizations) > 0 THEN list_sort(v_organizations) END"),
        ("level", "v_level"),
    ),
    current="SELECT * FROM engagements",
    insert_order="start_date",
    rebuild_derived=schema.rebuild_rollup,
    status_changes_table="engagement_status_history",
    organization_column="organizations",
)

AGREEMENTS = FileFormat(
    table="agreements",
    id_column="agreement_id",
    columns=(
        "agreement_id",
        "title",
        "agreement_type",
        "countries",
        "mission_area",
        "status",
        "date_signed",
        "date_in_force",
        "date_expires",
        "component",
        "summary",
        "sensitivity",
        "demo",
        "organizations",  # optional: partner organizations (an EU agreement), beside or instead of countries
    ),
    required=("agreement_id", "title", "countries", "mission_area", "status"),
    country_column="countries",
    many_countries=True,
    date_columns=("date_signed", "date_in_force", "date_expires"),
    vocabularies={
        **SHARED_VOCABULARIES,
        "agreement_type": vocab.AGREEMENT_TYPE_LOOKUP,
        "status": vocab.AGREEMENT_STATUS_LOOKUP,
    },
    checks=(
        *PARTNER_CHECKS["countries"],
        *PARTNER_CHECKS["organizations"],
        Check(
            "status",
            "NOT is_blank(status) AND v_status IS NULL",
            f"'unknown status ' || quoted(status) || ' (use one of: {_codes(vocab.AGREEMENT_STATUSES)})'",
        ),
        Check(
            "agreement_type",
            "NOT is_blank(agreement_type) AND v_agreement_type IS NULL",
            f"'unknown agreement type ' || quoted(agreement_type) || ' (use one of: {_codes(vocab.AGREEMENT_TYPES)})'",
        ),
        Check(
            "date_in_force",
            "v_date_in_force < v_date_signed",
            "'date in force ' || v_date_in_force || ' is before date signed ' || v_date_signed",
        ),
        Check(
            "date_expires",
            "v_date_expires < coalesce(v_date_in_force, v_date_signed)",
            "'expiry date ' || v_date_expires || ' is before the agreement took effect ' "
            "|| coalesce(v_date_in_force, v_date_signed)",
        ),
    ),
    record=(
        ("title", "title"),
        ("agreement_type", "v_agreement_type"),
        ("mission_area", "v_mission_area"),
        ("status", "v_status"),
        ("date_signed", "v_date_signed"),
        ("date_in_force", "v_date_in_force"),
        ("date_expires", "v_date_expires"),
        ("component", "v_component"),
        ("summary", "nullif(summary, '')"),
        ("organizations", "CASE WHEN len(v_organizations) > 0 THEN list_sort(v_organizations) END"),
        ("parties", "list_sort(v_countries)"),
    ),
    current="""SELECT a.*, coalesce((SELECT list_sort(list(p.iso3)) FROM agreement_parties p
                                    WHERE p.agreement_id = a.agreement_id), []) AS parties
               FROM agreements a""",
    insert_order="agreement_id",
    rebuild_derived=schema.rebuild_agreement_facts,
    parties_table="agreement_parties",
    expiry_column="date_expires",
    status_history=True,
    organization_column="organizations",
)

FORMATS = {f.table: f for f in (ENGAGEMENTS, AGREEMENTS)}
