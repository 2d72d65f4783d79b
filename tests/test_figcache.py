"""The figure cache: built once per distinct content, rebuilt when any input changes."""

import datetime as dt

import pandas as pd

from atlas.app import figcache


def test_same_content_is_built_once_and_changed_content_again():
    figcache.clear()
    built = []

    def build(frame):
        built.append(len(frame))
        return {"rows": len(frame)}

    a = pd.DataFrame({"iso3": ["CAN", "MEX"], "n": [3, 4]})
    first = figcache.figure("t.site", lambda: build(a), a, dt.date(2026, 11, 30))
    again = figcache.figure("t.site", lambda: build(a), a.copy(), dt.date(2026, 11, 30))
    assert again is first and built == [2]
    changed = a.assign(n=[3, 5])  # one value differs
    assert figcache.figure("t.site", lambda: build(changed), changed, dt.date(2026, 11, 30)) is not first
    assert figcache.figure("t.site", lambda: build(a), a, dt.date(2026, 12, 1)) is not first  # another argument
    assert figcache.figure("t.other", lambda: build(a), a, dt.date(2026, 11, 30)) is not first  # another chart
    retyped = a.astype({"n": "float64"})  # equal numbers, another dtype: a new figure
    assert figcache.figure("t.site", lambda: build(retyped), retyped, dt.date(2026, 11, 30)) is not first
    assert len(built) == 5


def test_inputs_that_cannot_be_keyed_are_built_every_time():
    figcache.clear()
    lists = pd.DataFrame({"iso3s": [["CAN", "MEX"]]})
    calls = []
    for _ in range(2):
        figcache.figure("t.lists", lambda: calls.append(1), lists)
    assert len(calls) == 2


def test_old_entries_are_dropped_beyond_the_limit():
    figcache.clear()
    for i in range(figcache.MAX_ENTRIES + 10):
        figcache.figure("t.many", lambda i=i: i, i)
    assert len(figcache._figures) == figcache.MAX_ENTRIES
    assert figcache.figure("t.many", lambda: "rebuilt", 0) == "rebuilt"  # the first went first
