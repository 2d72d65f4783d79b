"""The process-wide query result cache (atlas.db.ResultCache, Database.cached_query)."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from apptest_support import TODAY
from atlas.data import db, vocab
from atlas.data.filters import default_filters


def frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"a": range(n), "b": [f"x{i}" for i in range(n)]})


def test_second_request_is_answered_from_the_cache():
    cache, runs = db.ResultCache(), []
    first = cache.get("k", lambda: runs.append(1) or frame())
    second = cache.get("k", lambda: runs.append(1) or frame())
    assert runs == [1] and (cache.hits, cache.misses) == (1, 1)
    pd.testing.assert_frame_equal(first, second)


def test_callers_cannot_change_what_others_get():
    cache = db.ResultCache()
    mine = cache.get("k", frame)
    mine["c"] = 1
    mine.loc[0, "a"] = 99
    mine.drop(columns="b", inplace=True)
    pd.testing.assert_frame_equal(cache.get("k", frame), frame())


def test_least_recently_used_goes_first():
    cache = db.ResultCache(max_entries=2)
    cache.get("a", frame)
    cache.get("b", frame)
    cache.get("a", frame)  # a is now the most recent
    cache.get("c", frame)  # evicts b
    runs = []
    cache.get("a", lambda: runs.append("a") or frame())
    cache.get("b", lambda: runs.append("b") or frame())
    assert runs == ["b"] and len(cache) == 2


def test_bounded_by_bytes_and_a_result_too_big_is_not_kept():
    one = db._rough_bytes(frame(100))
    cache = db.ResultCache(max_bytes=2 * one)
    for key in "abc":
        cache.get(key, lambda: frame(100))
    assert len(cache) == 2 and cache.bytes == 2 * one
    cache.get("huge", lambda: frame(10_000))
    assert "huge" not in cache._items and cache.bytes <= 2 * one


def test_concurrent_requests_for_one_key_run_it_once():
    cache, runs, out = db.ResultCache(), [], []
    started = threading.Event()

    def slow():
        runs.append(1)
        started.set()
        time.sleep(0.2)
        return frame()

    threads = [threading.Thread(target=lambda: out.append(cache.get("k", slow))) for _ in range(5)]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(10)
    assert runs == [1] and len(out) == 5
    assert all(o.equals(frame()) for o in out)


def test_a_failure_is_not_cached_and_reaches_every_waiter():
    cache = db.ResultCache()
    with pytest.raises(ZeroDivisionError):
        cache.get("k", lambda: 1 / 0)
    assert len(cache) == 0 and not cache._pending
    assert cache.get("k", frame).equals(frame())


def test_cached_query_keys_on_the_parameters_the_query_uses(fixture_db):
    database = db.Database.open(fixture_db)
    try:
        f = default_filters(TODAY, vocab.SENSITIVITY_RANK["internal"])
        params = f.params()
        before = db.STATS.snapshot()[0]
        first = database.cached_query("kpi_agreements", params)
        # kpi_agreements does not read the engagement type: another type is the same question
        again = database.cached_query("kpi_agreements", dict(params, types=["training"]))
        assert db.STATS.snapshot()[0] - before == 1
        pd.testing.assert_frame_equal(first, again)
        # the viewer's ceiling is part of the key: a lower one runs the query again, with its own answer
        public = database.cached_query("kpi_agreements", dict(params, max_rank=vocab.SENSITIVITY_RANK["public"]))
        assert db.STATS.snapshot()[0] - before == 2
        assert int(public.in_force[0]) < int(first.in_force[0])
    finally:
        database.close()
