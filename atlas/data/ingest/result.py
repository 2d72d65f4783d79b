"""What an import found and did: its problems, counts and summary, and the file of rejected rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from atlas.data.export import to_csv_bytes


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportResult:
    file_name: str
    table: str
    outcome: str = "success"  # success | partial | rejected | dry_run
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    countries: int = 0
    names_resolved: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejected_file: Path | None = None
    rejected_rows: pd.DataFrame | None = None  # the invalid rows as read, with a reason column
    import_id: int | None = None
    dry_run: bool = False
    max_rank: int | None = None  # the highest sensitivity among the file's rows and the records they name
    preview: pd.DataFrame | None = None  # a check's first valid rows as they would be stored (ingest/preview.py)
    country_mappings: pd.DataFrame | None = None  # a check's country names and aliases and what they resolved to

    @property
    def ok(self) -> bool:
        return self.outcome in ("success", "partial", "dry_run") and not (self.problems and self.outcome == "dry_run")

    def summary(self) -> str:
        """What happened, in the words of the person who ran the import."""
        verb = "Would import" if self.dry_run else "Imported"
        if self.outcome == "rejected":
            return (
                f"Rejected {self.file_name}: {len(self.problems)} problem(s) in {self.rejected} row(s); "
                f"nothing was imported."
            )
        lines = [
            f"{verb} {self.table} from {self.file_name}",
            f"  rows read:  {self.rows_read:>9,}",
            f"  inserted:   {self.inserted:>9,}",
            f"  updated:    {self.updated:>9,}",
            f"  unchanged:  {self.unchanged:>9,}",
            f"  rejected:   {self.rejected:>9,}",
            f"  countries:  {self.countries:>9,} resolved ({self.names_resolved:,} names or aliases matched to ISO codes)",
        ]
        if self.ignored_columns:
            lines.append(f"  ignored columns: {', '.join(self.ignored_columns)}")
        if self.rejected_file:
            lines.append(f"  rejected rows written to {self.rejected_file}")
        if self.dry_run:
            lines.append("  dry run: nothing was written")
        return "\n".join(lines)


def problems_text(result: ImportResult) -> str:
    """Every problem on its own line, for stderr or the Data page."""
    return "\n".join(str(p) for p in result.problems)


def rejected_path(path: Path) -> Path:
    """Where --skip-invalid writes the rows it left out: beside the file, FILE.rejected.csv."""
    return Path(str(path) + ".rejected.csv")


def write_rejected(rows: pd.DataFrame, path: Path) -> Path:
    """Write the rejected rows beside the imported file as an export is written (formulas marked), so the
    file can be corrected in Excel and imported again unchanged."""
    target = rejected_path(path)
    target.write_bytes(to_csv_bytes(rows))
    return target


class ImportFailed(RuntimeError):
    """An import that could not be written (a full disk, say): names the file, the real cause and that
    nothing was changed."""
