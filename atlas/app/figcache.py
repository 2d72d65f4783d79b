"""Figures built once per distinct data: a chart whose frame did not change is not built again on a rerun."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")
MAX_ENTRIES = 256  # a few dozen charts per page and filter set; old ones go first

_lock = threading.Lock()
_figures: OrderedDict[Hashable, Any] = OrderedDict()
stats = {"hits": 0, "misses": 0}


def content_key(value: Any) -> Hashable:
    """A key equal for equal content: a frame by its columns, dtypes and a digest of every value and the index."""
    if isinstance(value, pd.DataFrame):
        digest = hashlib.blake2b(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes(), digest_size=16)
        dtypes = tuple(str(t) for t in value.dtypes)
        return ("frame", tuple(map(str, value.columns)), dtypes, value.shape, digest.hexdigest())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(content_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), content_key(v)) for k, v in value.items())))
    hash(value)  # anything else must be hashable, or the figure is not cached (TypeError)
    return (type(value).__name__, value)


def figure(site: str, build: Callable[[], T], *inputs: Any) -> T:
    """`build()` for the call site `site`, answered from the cache when `inputs` (the frames and values the
    figure is drawn from, all of them) have the same content as before.

    The same figure object is returned to every session: a caller may only change it the way that call site
    always does (e.g. the same height), never with per-viewer content. Inputs that cannot be keyed (a frame
    of lists, say) are built every time."""
    try:
        key = (site, tuple(content_key(v) for v in inputs))
    except TypeError:
        return build()
    with _lock:
        if key in _figures:
            _figures.move_to_end(key)
            stats["hits"] += 1
            return _figures[key]
    built = build()  # outside the lock: two sessions may build the same figure once each, never wait
    with _lock:
        stats["misses"] += 1
        _figures[key] = built
        while len(_figures) > MAX_ENTRIES:
            _figures.popitem(last=False)
    return built


def clear() -> None:
    """Forget every figure (tests; a new database generation needs no clear: its frames differ or are equal)."""
    with _lock:
        _figures.clear()
