"""The last-briefing mark in the app: saved when a briefing is presented or exported, read as the default 'since'."""

from __future__ import annotations

import logging
import time
import uuid

import streamlit as st

from atlas import config
from atlas.data import marks

LOG = logging.getLogger(__name__)

PRESENTED_AFTER = 120  # seconds on the briefing page (or its last slide) that make it a briefing given
REMARK_AFTER = 3600  # one session marks at most once an hour, however long it presents
TOKEN = "atlas_mark_token"  # this session's opaque token, written into the marks it saves
SEEN = "atlas_mark_seen"  # the latest mark this session has read that another session saved
SHOWN_SINCE = "atlas_mark_shown_since"  # when this session started presenting (monotonic)
SAVED_AT = "atlas_mark_saved_at"  # when this session last saved a mark (monotonic)


def session_token() -> str:
    return st.session_state.setdefault(TOKEN, uuid.uuid4().hex)


def last_briefing() -> marks.Mark | None:
    """The last briefing given with this database, by another session: the one giving a briefing keeps reading
    'since the previous briefing' after its own mark is saved (its slides do not jump to 'since now')."""
    mark = marks.load(config.db_path())
    if mark is not None and mark.by != session_token():
        st.session_state[SEEN] = mark
        return mark
    return st.session_state.get(SEEN)


def _save(via: str, token: str) -> None:
    try:
        marks.save(config.db_path(), via, by=token)
    except OSError:  # a read-only deployment: the briefing goes on, only the mark is not kept
        LOG.warning("the briefing mark could not be saved beside %s", config.db_path(), exc_info=True)


def briefing_shown(index: int, count: int, *, live: bool) -> None:
    """Called on every slide the briefing page shows: marks a briefing given once it reaches its last slide or
    has been presented for PRESENTED_AFTER seconds (then at most once an hour). `live`: real slides presented
    by a person (not the kiosk wall screen, which loops unattended, nor the 'being refreshed' stand-in)."""
    if not live:
        return
    now = time.monotonic()
    started = st.session_state.setdefault(SHOWN_SINCE, now)
    saved = st.session_state.get(SAVED_AT)
    if saved is not None and now - saved < REMARK_AFTER:
        return
    if index % max(count, 1) == count - 1 or now - started >= PRESENTED_AFTER:
        last_briefing()  # remember the previous mark before this one replaces it
        _save("presented", session_token())
        st.session_state[SAVED_AT] = now


def exported(data: bytes, kind: str, token: str) -> bytes:
    """`data`, a briefing file (`pptx` or `pdf`) being downloaded, after marking the briefing given. Runs in the
    download's callback, outside the script run: `token` is the session's, taken while the page ran."""
    _save(f"exported_{kind}", token)
    return data
