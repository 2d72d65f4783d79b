"""What users rely on is written down, and what is written down exists.

The two READMEs are parsed (headings, tables, the command-line block, the settings sentence) and compared
both ways with the schema, the import formats, the vocabulary, the pages, the command line and the settings
the code reads: a documented thing that disappears fails here, and so does an undocumented one.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from atlas.__main__ import main as cli
from atlas.data import formats, vocab

ROOT = Path(__file__).resolve().parent.parent
README_PATH = ROOT / "README.md"
DATA_README_PATH = ROOT / "data" / "README.md"
SCHEMA_SQL = ROOT / "atlas" / "data" / "schema.sql"
MACROS_SQL = ROOT / "atlas" / "data" / "macros.sql"
# In the order Streamlit lists them: by the number before the name (pages/10_... after pages/9_...).
PAGES = [
    ROOT / "dashboard.py",
    *sorted((ROOT / "pages").glob("*.py"), key=lambda p: (int(p.name.split("_")[0]), p.name)),
]
TITLE_PREFIX = "Partner Atlas – "
# Paths the READMEs name that a clean clone does not hold: made by a command, the app or the operator.
NOT_SHIPPED = {
    "data/atlas.duckdb": "built by make run / python -m atlas build",
    ".venv/bin/python": "made by make run",
    ".streamlit/secrets.toml": "the operator's sign-in secrets, never committed",
    ".streamlit/roles.toml": "the operator's grants, optional",
    "FILE.rejected.csv": "written beside an imported file by --skip-invalid",
}


# --- a small Markdown reader -------------------------------------------------------------------------


@dataclass
class Section:
    level: int
    title: str
    body: list[str] = field(default_factory=list)  # its own lines and its subsections'

    @property
    def text(self) -> str:
        return "\n".join(self.body)


def sections(markdown: str) -> list[Section]:
    """Every heading with the lines under it up to the next heading of the same or a higher level."""
    found: list[Section] = []
    open_: list[Section] = []
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"(#{1,6}) (.+)", line)
        if heading:
            level = len(heading.group(1))
            open_ = [s for s in open_ if s.level < level]
            for parent in open_:
                parent.body.append(line)
            section = Section(level, heading.group(2).strip())
            found.append(section)
            open_.append(section)
            continue
        for section in open_:
            section.body.append(line)
    return found


def section(markdown: str, title: str) -> Section:
    matches = [s for s in sections(markdown) if s.title == title]
    assert len(matches) == 1, f"expected one heading {title!r}, found {len(matches)}"
    return matches[0]


def _cells(line: str) -> list[str]:
    # Split on pipes outside backticks (`{engagements|agreements}` is one cell).
    cells, current, quoted = [], "", False
    for char in line.strip().strip("|"):
        if char == "`":
            quoted = not quoted
        if char == "|" and not quoted:
            cells.append(current.strip())
            current = ""
        else:
            current += char
    return [*cells, current.strip()]


def tables(text: str) -> list[list[dict[str, str]]]:
    """The Markdown tables in `text`, each a list of rows keyed by the lower-cased header."""
    out, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if len(block) >= 2 and re.fullmatch(r"[|\s:-]+", block[1]):
            header = [h.lower() for h in _cells(block[0])]
            out.append([dict(zip(header, _cells(row), strict=True)) for row in block[2:]])
        block = []
    return out


def only_table(text: str) -> list[dict[str, str]]:
    found = tables(text)
    assert len(found) == 1, f"expected one table, found {len(found)}"
    return found[0]


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```\w*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def split_top_level(text: str, separators: tuple[str, ...]) -> list[str]:
    """`text` split at the separators that sit outside parentheses and backticks."""
    parts, current, depth, quoted, i = [], "", 0, False, 0
    while i < len(text):
        char = text[i]
        if char == "`":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        separator = next((s for s in separators if text.startswith(s, i)), None)
        if separator and depth == 0 and not quoted:
            parts.append(current)
            current, i = "", i + len(separator)
            continue
        current += char
        i += 1
    return [p.strip() for p in [*parts, current] if p.strip()]


def columns_named(notes: str) -> list[str]:
    """The column names a Tables row lists in its notes: before the first `;`, each comma-separated item that
    is a bare name, optionally with a remark in parentheses; prose items ("the import columns") are skipped.

    'iso3 (key), iso2, the import columns, plus is_demo; rebuilt after ...' -> ['iso3', 'iso2', 'is_demo']
    """
    listed = split_top_level(notes, (";",))[:1]
    items = split_top_level(listed[0], (",", " plus ")) if listed else []
    names = [re.fullmatch(r"(?:plus )?([a-z][a-z0-9_]*)(?: \(.*\))?", item, re.DOTALL) for item in items]
    return [m.group(1) for m in names if m]


def backticked(text: str) -> list[str]:
    """Inline code spans, outside fenced blocks."""
    return re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL))


# --- what the code says ------------------------------------------------------------------------------


def schema_columns() -> dict[str, list[str]]:
    """Each table schema.sql creates, with its columns in order (DuckDB reads the file, not a regex)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        rows = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = 'memory' "
            "ORDER BY table_name, column_index"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def defined_macros() -> set[str]:
    return set(re.findall(r"CREATE (?:OR REPLACE )?MACRO (\w+)", MACROS_SQL.read_text(encoding="utf-8")))


def settings_read_by_code() -> set[str]:
    """Environment variables the app reads (os.environ.get / [] / setdefault, os.getenv), by literal or by a
    module-level constant holding the name, anywhere under atlas/ and in the pages."""
    files = [*sorted((ROOT / "atlas").rglob("*.py")), *PAGES]
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in files]
    constants = {
        target.id: node.value.value
        for tree in trees
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def name_of(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        key = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        return constants.get(key) if key else None

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    found = set()
    for tree in trees:
        for node in ast.walk(tree):
            key = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                reads_environ = is_environ(node.func.value) and node.func.attr in ("get", "setdefault", "pop")
                if reads_environ or node.func.attr == "getenv":
                    key = name_of(node.args[0])
            elif isinstance(node, ast.Subscript) and is_environ(node.value):
                key = name_of(node.slice)
            if key:
                found.add(key)
    return found


def page_titles() -> list[str]:
    """Each page's own title (st.set_page_config's page_title without the app name), home page first."""
    titles = []
    for path in PAGES:
        calls = [
            n
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "set_page_config"
        ]
        title = next(k.value.value for c in calls for k in c.keywords if k.arg == "page_title")
        assert title.startswith(TITLE_PREFIX), f"{path.name}: page_title {title!r}"
        titles.append(title.removeprefix(TITLE_PREFIX))
    return titles


def cli_help(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli([*args, "--help"])
    return out.getvalue()


def cli_usage(command: str) -> tuple[set[str], list[str]]:
    """A subcommand's options and its positional arguments (choices as '{a,b}', sorted), from its --help."""
    text = cli_help(command)
    options = set(re.findall(r"^  (--[a-z][a-z-]*)", text, re.MULTILINE)) - {"--help"}
    positional = text.split("positional arguments:\n")[1].split("\n\n")[0] if "positional arguments:" in text else ""
    names = [line.split()[0] for line in positional.splitlines() if line.startswith("  ") and line.split()]
    return options, [_normal_argument(n) for n in names]


def _normal_argument(token: str) -> str:
    token = token.strip("[]").lower()
    if token.startswith("{"):
        return "{" + ",".join(sorted(re.split(r"[|,]", token.strip("{}")))) + "}"
    return token


# --- READMEs -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def readme() -> str:
    return README_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data_readme() -> str:
    return DATA_README_PATH.read_text(encoding="utf-8")


# --- data/README.md: import formats ----------------------------------------------------------------


def documented_import_columns(data_readme: str, table: str) -> list[tuple[str, bool]]:
    """(column, required) for each column in the import table under '### <table>' (a row may name several)."""
    rows = only_table(section(data_readme, table).text)
    return [(name.strip(), row["required"] == "yes") for row in rows for name in row["column"].split(",")]


def test_every_import_table_is_documented_and_nothing_else(data_readme):
    documented = [s.title for s in sections(section(data_readme, "Import files").text) if s.level == 3]
    assert sorted(documented) == sorted(formats.FORMATS)


@pytest.mark.parametrize("table", sorted(formats.FORMATS))
def test_import_columns_are_documented_exactly_in_order(data_readme, table):
    documented = [name for name, _ in documented_import_columns(data_readme, table)]
    assert documented == list(formats.FORMATS[table].columns)


@pytest.mark.parametrize("table", sorted(formats.FORMATS))
def test_required_import_columns_are_the_documented_ones(data_readme, table):
    required = [name for name, needed in documented_import_columns(data_readme, table) if needed]
    assert required == [c for c in formats.FORMATS[table].columns if c in formats.FORMATS[table].required]
    assert set(formats.FORMATS[table].required) <= set(formats.FORMATS[table].columns)


def test_mission_area_table_is_the_vocabulary(data_readme):
    rows = only_table(section(data_readme, "Mission areas").text)
    assert [(r["code"], r["label"], r["colour"]) for r in rows] == [
        (a.code, a.label, a.colour) for a in vocab.MISSION_AREAS
    ]


# --- data/README.md: tables and macros ---------------------------------------------------------------


def documented_tables(data_readme: str) -> dict[str, dict[str, str]]:
    rows = only_table(section(data_readme, "Tables").text)
    return {row["table"]: row for row in rows}


def test_every_schema_table_is_documented_and_every_documented_table_exists(data_readme):
    assert sorted(documented_tables(data_readme)) == sorted(schema_columns())


def test_every_column_named_in_the_tables_list_exists(data_readme):
    schema = schema_columns()
    missing = {}
    for table, row in documented_tables(data_readme).items():
        if row["one row per"] in schema.get(table, []):
            continue  # a key-value table: its notes list keys, not columns (checked below)
        absent = [c for c in columns_named(row["notes"]) if c not in schema.get(table, [])]
        if absent:
            missing[table] = absent
    assert missing == {}, "documented in data/README.md but not in schema.sql"


def test_the_tables_list_names_columns_for_most_tables(data_readme):
    # Guards the test above against a notes format it no longer reads (it would then check nothing).
    rows = documented_tables(data_readme)
    assert columns_named(rows["countries"]["notes"])[:3] == ["iso3", "iso2", "name"]
    assert "sensitivity_rank" in columns_named(rows["engagements"]["notes"])


@pytest.mark.parametrize(
    "notes, names",
    [
        ("iso3 (key), iso2, name", ["iso3", "iso2", "name"]),
        (
            "the import columns, with `iso3` for country, plus sensitivity_rank, is_demo; inserted in order",
            ["sensitivity_rank", "is_demo"],
        ),
        (
            "the agreement's columns (not a, b) plus dated_from (signed, else in force), partners (names, `; `-sep)",
            ["dated_from", "partners"],
        ),
        ("engagements not cancelled, latest start, approximate (no coordinates: centre), place name", ["approximate"]),
        ("", []),
    ],
)
def test_the_notes_reader(notes, names):
    assert columns_named(notes) == names


@pytest.fixture(scope="module")
def metadata_keys(tmp_path_factory) -> set[str]:
    from atlas.data.build import build

    path = tmp_path_factory.mktemp("docs") / "atlas.duckdb"
    build(path, engagements=20, agreements=4, seed=1)
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {key for (key,) in con.execute("SELECT key FROM metadata").fetchall()}
    finally:
        con.close()


def test_documented_metadata_keys_are_the_ones_a_build_writes(data_readme, metadata_keys):
    assert set(columns_named(documented_tables(data_readme)["metadata"]["notes"])) == metadata_keys


def test_documented_macros_exist(data_readme):
    paragraph = next(p for p in data_readme.split("\n\n") if p.startswith("Table macros"))
    documented = {re.match(r"\w+", name).group(0) for name in backticked(paragraph) if re.match(r"\w+(\(|$)", name)}
    assert {"activity", "activity_in", "agreement_status_on"} <= documented
    assert documented - defined_macros() == set()


# --- README.md -------------------------------------------------------------------------------------------


def test_readme_starts_with_the_two_setup_commands(readme):
    block = code_blocks(section(readme, "Set up and run").text)[0]
    assert re.findall(r"^make \w+", block, re.MULTILINE)[:2] == ["make run", "make test"]


def test_the_page_table_lists_every_page_by_its_title_in_order(readme):
    rows = only_table(section(readme, "Pages").text)
    assert [row["page"] for row in rows] == page_titles()


def documented_commands(readme: str) -> dict[str, str]:
    block = code_blocks(section(readme, "Command line").text)[0]
    lines = [line.split("#")[0].strip() for line in block.splitlines() if line.startswith("python -m atlas ")]
    return {line.split()[3]: line for line in lines}


def test_every_command_is_documented_and_every_documented_command_exists(readme):
    listed = re.search(r"\{([a-z,]+)\}", cli_help().splitlines()[0]).group(1).split(",")
    assert sorted(documented_commands(readme)) == sorted(listed)


@pytest.mark.parametrize("command", ["build", "demo", "import", "restore", "snapshots", "upgrade"])
def test_each_command_documents_its_options_and_arguments(readme, command):
    line = documented_commands(readme)[command]
    rest = line.split()[4:]
    options = {t.strip("[]") for t in rest if t.strip("[]").startswith("--")}
    # What is left after the options and their VALUE words are the positional arguments.
    positional = [t for t in re.sub(r"\[?--[a-z-]+(?: [A-Z_]+)?\]?", " ", " ".join(rest)).split()]
    assert (options, [_normal_argument(t) for t in positional]) == cli_usage(command)


def test_the_settings_sentence_names_every_setting_the_code_reads(readme):
    paragraph = next(p for p in readme.split("\n\n") if p.startswith("Settings come from the environment"))
    documented = {name for name in backticked(paragraph) if re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}
    assert documented == settings_read_by_code()


def test_the_settings_reader_sees_literals_and_constants():
    # config.today() reads ATLAS_TODAY through a constant; ATLAS_DB is a literal.
    assert {"ATLAS_DB", "ATLAS_TODAY"} <= settings_read_by_code()


# --- both: every path they name exists -----------------------------------------------------------------


def named_paths(markdown: str, folder: Path) -> list[tuple[str, bool]]:
    """(path, exists) for each backticked path and each relative link: 'a/b' or a file name with a suffix."""
    out = []
    for token in backticked(markdown) + re.findall(r"\]\(([^)#:]+)\)", markdown):
        token = token.strip()
        first = token.split("/")[0]
        looks_like_file = "/" not in token and re.fullmatch(r"[\w.-]+\.(csv|py|sql|md|toml|json|geojson)", token)
        in_tree = (
            "/" in token and first and " " not in token and any((base / first).exists() for base in (folder, ROOT))
        )
        if not (looks_like_file or in_tree):
            continue
        exists = any(list(base.glob(token.rstrip("/"))) for base in (folder, ROOT))
        out.append((token, bool(exists) or token in NOT_SHIPPED))
    return out


@pytest.mark.parametrize("readme_path", [README_PATH, DATA_README_PATH], ids=["README.md", "data/README.md"])
def test_every_path_the_readmes_name_exists(readme_path):
    paths = named_paths(readme_path.read_text(encoding="utf-8"), readme_path.parent)
    assert len(paths) >= 5
    assert [p for p, exists in paths if not exists] == []


def test_the_not_shipped_list_is_still_needed(readme, data_readme):
    named = {p for p, _ in named_paths(readme, ROOT) + named_paths(data_readme, ROOT / "data")}
    assert set(NOT_SHIPPED) <= named, "drop the paths the READMEs no longer name"
