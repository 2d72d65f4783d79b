"""atlas.export: tables out of the app as CSV and .xlsx, with spreadsheet formulas made harmless."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from atlas.data.export import (
    is_formula_like,
    neutralise_formulas,
    neutralised_text,
    original_text,
    to_csv_bytes,
    to_xlsx_bytes,
)

CASES = [
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("=1+1", "'=1+1"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("+1 555 0100", "'+1 555 0100"),
    ("-5", "-5"),  # a negative number is data
    ("-12.75", "-12.75"),
    ("+3", "+3"),
    ("-1e3", "-1e3"),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    (" =1+1", "' =1+1"),  # a formula after leading spaces still runs in some readers
    ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"),
    ("＝1+1", "'＝1+1"),  # fullwidth signs: formulas in East Asian locales
    ("＋1", "'＋1"),
    ("－1", "'－1"),
    ("＠A", "'＠A"),
    ("\n=1+1", "'\n=1+1"),
    ("'=1+1", "''=1+1"),  # apostrophes before a formula: one more, so the mark can be told apart
    ("'", "'"),
    ("'plain", "'plain"),
    ("''", "''"),
    ("-1_000", "'-1_000"),
    ("-inf", "'-inf"),
    ("-٣", "'-٣"),  # only plain numbers pass as data
    ("  -5 ", "  -5 "),
    ("", ""),
    ("Côte d'Ivoire", "Côte d'Ivoire"),
]


@pytest.mark.parametrize(("value", "safe"), CASES, ids=[repr(v)[:30] for v, _ in CASES])
def test_neutralise_formulas(value, safe):
    frame = pd.DataFrame({"text": [value]})
    assert neutralise_formulas(frame)["text"].tolist() == [safe]


def test_neutralise_leaves_other_columns_and_the_original_alone():
    frame = pd.DataFrame(
        {
            "text": ["=1+1", None],
            "n": [-5, 3],
            "x": [-1.5, float("nan")],
            "day": [dt.date(2024, 1, 2), None],
            "area": pd.Categorical(["@x", "visa"]),
        }
    )
    safe = neutralise_formulas(frame)
    assert frame["text"].tolist()[0] == "=1+1"  # a copy was changed, not the caller's frame
    assert safe["text"].tolist()[0] == "'=1+1" and pd.isna(safe["text"].tolist()[1])
    assert safe["n"].tolist() == [-5, 3]
    assert safe["x"].tolist()[0] == -1.5
    assert safe["day"].tolist()[0] == dt.date(2024, 1, 2)
    assert list(safe["area"]) == ["'@x", "visa"]


def test_csv_bytes_have_a_bom_and_neutralised_cells():
    frame = pd.DataFrame(
        {"country": ["Côte d'Ivoire", "Türkiye"], "title": ["=1+1", "Visit, with comma"], "participants": [12, -3]}
    )
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == (
        "country,title,participants\r\nCôte d'Ivoire,'=1+1,12\r\nTürkiye,\"Visit, with comma\",-3\r\n"
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["Côte d'Ivoire", "'=1+1", "12"]


def test_xlsx_bytes_hold_text_not_formulas():
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "Plain"],
            "participants": [1, -2, 3],
            "when": pd.to_datetime(["2024-03-05 10:00", "2024-03-06 00:00", "2024-03-07 23:30"]).tz_localize("UTC"),
        }
    )
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet="Engagements by mission area and month")))
    assert workbook.sheetnames == ["Engagements by mission area and"]
    sheet = workbook.active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        ["title", "participants", "when"],
        ['\'=HYPERLINK("http://evil.example","x")', 1, dt.datetime(2024, 3, 5, 10, 0)],
        ["'@SUM(A1)", -2, dt.datetime(2024, 3, 6, 0, 0)],
        ["Plain", 3, dt.datetime(2024, 3, 7, 23, 30)],
    ]
    assert [sheet.cell(row=r, column=1).data_type for r in (2, 3, 4)] == ["s", "s", "s"]


def test_xlsx_default_sheet_name():
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": [1]}))))
    assert workbook.sheetnames == ["data"]
    assert [[c.value for c in row] for row in workbook.active.iter_rows()] == [["a"], [1]]


# --- issue 15: no row split, every hostile cell neutralised, and the mark taken off exactly -------------

HOSTILE = [
    "\r=1+6",
    "a\rb",
    "=1+6\r=2+2",
    "line\nbreak",
    "\t\t=x",
    " =1+1",
    "\u00a0+cmd",
    "＝HYPERLINK(1)",
    "－5",
    "'=1+1",
    "''=1+1",
    "'''",
    "'plain",
    "-",
    "-5",
    "+3",
    "=",
    "@",
    "a=b",
    "",
    "E-1",
    "-E1",
    "'-E1",
    '"=1", 2',
    "Côte d'Ivoire",
    "'",
    " ",
    "\r",
    "\n",
    "\t",
]


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v)[:20] for v in HOSTILE])
def test_the_mark_is_taken_off_exactly(value):
    marked = neutralised_text(value)
    assert original_text(marked) == value
    assert not is_formula_like(marked), "what is exported never reads as a formula"


def test_no_two_values_export_alike():
    assert len({neutralised_text(v) for v in HOSTILE}) == len(set(HOSTILE))


def test_a_cell_with_a_carriage_return_never_splits_the_row():
    frame = pd.DataFrame({"id": ["E1", "E2", "E3"], "title": ["\r=1+6", "a\rb\nc", "plain"], "n": [1, 2, 3]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["id", "title", "n"], ["E1", "'\r=1+6", "1"], ["E2", "a\rb\nc", "2"], ["E3", "plain", "3"]]
    read = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    assert read.values.tolist() == [r for r in rows[1:]]


def test_the_sql_macro_takes_off_the_same_mark(empty_db):
    from support import query

    values = HOSTILE + [neutralised_text(v) for v in HOSTILE]
    got = query(empty_db, "SELECT v, original_text(v) FROM unnest(?) t(v)", [values])
    assert {v: back for v, back in got} == {v: original_text(v) for v in values}
