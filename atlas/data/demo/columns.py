"""Vectorised sampling and the coded string columns a block of demo rows is made of."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_U_SCALE = 1.0 - 1e-9  # keeps group + u strictly below group + 1 in floating point


def choose(cum: np.ndarray, group: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Category per row from cum[group[row]] (rows of cumulative probabilities), with uniforms u."""
    k = cum.shape[1]
    flat = (np.arange(cum.shape[0], dtype=np.float64)[:, None] + cum).ravel()
    found = np.searchsorted(flat, group + u * _U_SCALE, side="right") - group * k
    return np.minimum(found, k - 1)


def choose_flat(flat: np.ndarray, group: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Item index per row from a flat_groups table, with uniforms u."""
    return np.minimum(np.searchsorted(flat, group + u * _U_SCALE, side="right"), len(flat) - 1)


@dataclass(frozen=True)
class Coded:
    """A string column as values[codes]: text is built (and CSV-quoted) once per distinct value."""

    values: tuple[str, ...]
    codes: np.ndarray


# A block's columns: coded text, or arrow strings that never need CSV quoting (ids, coordinates).
Columns = dict[str, "Coded | pa.Array"]


def take(values, codes: np.ndarray) -> Coded:
    return Coded(tuple(values), np.asarray(codes, dtype=np.int64))


def texts_by_key(keys: np.ndarray, build) -> Coded:
    """Build a string per distinct key once (build(key) -> str) and spread it over the rows."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return take([build(int(k)) for k in unique], inverse)


def _csv_cell(text: str) -> str:
    """RFC 4180: quote only a value holding a comma, quote or line break."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_table(columns: Columns, csv_quoted: bool = False) -> pa.Table:
    arrays = {}
    for name, column in columns.items():
        if isinstance(column, Coded):
            values = [_csv_cell(v) for v in column.values] if csv_quoted else list(column.values)
            arrays[name] = pa.array(values, type=pa.string()).take(pa.array(column.codes, type=pa.int64()))
        else:
            arrays[name] = column
    return pa.table(arrays)


def fixed4(values: np.ndarray) -> pa.Array:
    """Decimal strings with exactly four decimals ("-0.1800"), without float-formatting surprises."""
    scaled = np.rint(values * 10_000).astype(np.int64)
    magnitude = np.abs(scaled)
    whole = pc.cast(pa.array(magnitude // 10_000), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(magnitude % 10_000), pa.string()), width=4, padding="0")
    sign = pa.array(np.where(scaled < 0, "-", ""), type=pa.string())
    return pc.binary_join_element_wise(sign, whole, ".", frac, "")


def id_column(prefix: str, first: int, count: int, width: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(first, first + count, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width=width, padding="0"), "")
