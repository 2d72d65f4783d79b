"""What users rely on is written down: settings, tables, import columns, commands."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.data import formats, vocab

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
CODE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "atlas").rglob("*.py"))


@pytest.mark.parametrize("name", sorted(set(re.findall(r"\b(ATLAS_[A-Z_]+)\b", CODE))))
def test_every_setting_is_documented(name):
    assert name in README, f"{name} is read by the code but not in README.md"


@pytest.mark.parametrize("table", re.findall(r"CREATE TABLE (\w+)", (ROOT / "atlas" / "data" / "schema.sql").read_text()))
def test_every_table_is_documented(table):
    assert f"| {table} |" in DATA_README


@pytest.mark.parametrize("column", sorted(set(formats.ENGAGEMENTS.columns + formats.AGREEMENTS.columns)))
def test_every_import_column_is_documented(column):
    assert column in DATA_README


@pytest.mark.parametrize("area", vocab.MISSION_AREAS, ids=lambda a: a.code)
def test_mission_area_table_matches_the_vocabulary(area):
    assert f"| {area.code} | {area.label} | {area.colour} |" in DATA_README


def test_readme_starts_with_the_two_setup_commands():
    setup = README[README.index("## Set up and run"):README.index("## Command line")]
    commands = re.findall(r"^make \w+", setup, re.MULTILINE)
    assert commands[:2] == ["make run", "make test"]
