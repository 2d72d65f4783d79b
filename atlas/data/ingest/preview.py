"""What a check shows before anything is written: the first rows as they will be stored, and each country
spelling the file uses with the country it resolved to."""

from __future__ import annotations

import pandas as pd

from atlas.data import countries, vocab
from atlas.data.db import run_sql
from atlas.data.formats import COUNTRY_SEPARATOR, FileFormat

PREVIEW_ROWS = 50


def country_mappings(con, fmt: FileFormat) -> pd.DataFrame:
    """Each name or alias in the file resolved to a country (codes given as codes are left out), with the
    number of rows using it: 'Republic of Korea' -> KOR, South Korea, 3 rows. Reads `parsed`."""
    column = fmt.country_column
    spelled = f"unnest(string_split({column}, '{COUNTRY_SEPARATOR}'))" if fmt.many_countries else column
    frame = run_sql(
        con,
        f"""
        SELECT trim(s.spelling) AS spelling, any_value(r.iso) AS iso3, count(*) AS rows
        FROM (SELECT {spelled} AS spelling FROM parsed) s
        JOIN resolved_countries r ON trim(r.raw) = trim(s.spelling)
        WHERE r.iso IS NOT NULL AND NOT r.is_code
        GROUP BY 1 ORDER BY rows DESC, spelling
    """,
    )
    frame.insert(2, "country", [countries.name_of(iso) for iso in frame.iso3])
    return frame


def stored_rows(con, fmt: FileFormat, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first valid rows as the records they would be stored as, in words: id, title, country name and
    code, mission area, dates. Reads `incoming`."""
    dates = ", ".join(fmt.date_columns)
    if fmt.parties_table:
        countries_sql = "array_to_string(parties, ', ') AS iso3"
    else:  # the first country listed, then the others
        countries_sql = "array_to_string(list_prepend(iso3, coalesce(other_countries, [])), ', ') AS iso3"
    frame = run_sql(
        con,
        f"""
        SELECT {fmt.id_column}, title, {countries_sql}, mission_area, {dates}, sensitivity
        FROM incoming ORDER BY {fmt.id_column} LIMIT $limit
    """,
        {"limit": limit},
    )
    names = [
        ", ".join(countries.name_of(iso) for iso in str(codes).split(", ")) if codes else "" for codes in frame.iso3
    ]
    frame.insert(2, "country", names)
    frame["mission_area"] = [vocab.mission_area_label(code) for code in frame.mission_area]
    return frame
