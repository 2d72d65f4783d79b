"""What a rerun sends to the browser, made smaller without changing what is drawn: a chart's dates as plain dates,
Streamlit's theme template cut to the trace types a chart draws, a table's repeated text sent once per value.

Every chart and table of the pages passes here (atlas.app.widgets.plotly, numbers_behind, atlas.app.tables.table):
bytes per rerun is one of the benchmark's targets (benchmarks/RESULTS.md), and what the browser must parse."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def compact_dates(fig) -> None:
    """Dates on a chart's x axis sent as '2024-03-01' rather than '2024-03-01T00:00:00.000000' (plotly reads
    both the same): a month trend is mostly its dates, so this is a third of what a rerun sends for one.
    Idempotent, so a cached figure shared by sessions may pass here again."""
    for trace in fig.data:
        values = _dates(getattr(trace, "x", None))
        if values is not None:
            midnight = bool((values == values.dt.normalize()).all())
            trace.x = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S").tolist()


def trim_template(fig) -> None:
    """Keep only the theme's defaults for the trace types the chart draws: Streamlit's theme template carries
    defaults for ten types (contour, sankey, candlestick...), 2 KB sent with every chart that uses one or two."""
    template = fig.layout.template
    if template is None or not template.data:
        return
    used = {t.type for t in fig.data}
    kept = {k: v for k, v in template.data.to_plotly_json().items() if k in used}
    if len(kept) < len(template.data.to_plotly_json()):
        fig.layout.template = {"data": kept, "layout": template.layout.to_plotly_json()}


def _dates(x) -> pd.Series | None:
    """x as a Series of datetimes when every value is a date or datetime (else None: left as it is)."""
    if x is None or len(x) == 0:
        return None
    if hasattr(x, "dtype") and np.issubdtype(x.dtype, np.datetime64):
        values = pd.Series(np.asarray(x))
    elif (not hasattr(x, "dtype") or x.dtype.kind == "O") and all(isinstance(v, (dt.date, np.datetime64)) for v in x):
        values = pd.Series(pd.to_datetime(list(x)))
    else:
        return None
    return None if values.isna().any() or values.dt.tz is not None else values


def compact_table(frame: pd.DataFrame) -> pd.DataFrame | pa.Table:
    """A table as it is sent to the browser: an Arrow table (what Streamlit would make of the frame) in which text
    columns that repeat a few values (a mission area, a month, a region) are dictionary-encoded, sent once each
    instead of once per row. Same cells, same order; the index is not sent (every table hides it). Encoding in
    Arrow costs a quarter of what pandas categories did (about 1 ms for a 300-row table, against 4). A frame Arrow
    cannot take as it is (a column of mixed types) is returned unchanged, for Streamlit's own fixes."""
    if len(frame) < 20:
        return frame
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return frame
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = table.column(i)
            if pc.count_distinct(column).as_py() * 2 <= len(table):
                table = table.set_column(i, field.name, column.dictionary_encode())
    return table
