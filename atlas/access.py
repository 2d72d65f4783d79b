"""Who may see what: sensitivity ceilings for viewers. No streamlit here (ui.py asks st.user)."""
from __future__ import annotations

from atlas import config, vocab


def default_rank() -> int:
    """The ceiling when nobody is signed in: $ATLAS_MAX_SENSITIVITY (default internal)."""
    level = config.max_sensitivity()
    return vocab.SENSITIVITY_RANK.get(level, vocab.SENSITIVITY_RANK[vocab.DEFAULT_SENSITIVITY])


def level_name(rank: int) -> str:
    return vocab.SENSITIVITIES[rank][1]
