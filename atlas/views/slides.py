"""Briefing slides out of the app: HTML snippets and the chart sizes for the wall screen, chart images, and the
.pptx / .pdf files.

The export is built on this machine with no network: plotly figures become PNG through kaleido, which drives the
installed Chromium (BROWSER_PATH, default /usr/bin/chromium) and reads the world boundaries from static/topojson/
on disk. The .pptx has native text and charts (atlas.views.deck), the .pdf a text layer (atlas.views.pdf).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from atlas.config import STATIC_DIR
from atlas.views import briefing

WIDTH, HEIGHT = 1920, 1080


# --- on screen ---------------------------------------------------------------------------------


def numbers_html(numbers: list[briefing.Number], *, large: bool = False) -> str:
    tiles = "".join(
        f"<div class='tile'><div class='tile-value'>{html.escape(n.value)}</div>"
        f"<div class='tile-label'>{html.escape(n.label)}</div>"
        + (f"<div class='tile-delta'>{html.escape(n.delta)}</div>" if n.delta else "")
        + "</div>"
        for n in numbers
    )
    return f"<div class='tiles{' large' if large else ''}'>{tiles}</div>"


def bullets_html(bullets: list[str], *, large: bool = False) -> str:
    items = "".join(f"<li>{html.escape(b)}</li>" for b in bullets)
    return f"<ul class='slide-bullets{' large' if large else ''}'>{items}</ul>"


def screen_chart_height(slide: briefing.Slide, *, kiosk: bool) -> int:
    """The chart's height in the 1920x1080 frame: what is left under the controls, title, numbers and note,
    above the footer line."""
    height = HEIGHT - 12 - 84 - 50  # top padding, title, footer line
    height -= 0 if kiosk else 76  # the controls bar
    height -= 228 + 16 if slide.numbers else 0
    height -= (40 if len(slide.note or "") <= 110 else 74) + 16 if slide.note else 0
    return height - 16 - 12  # the gap under the title, and a margin


def screen_chart_width(slide: briefing.Slide) -> int:
    """The chart's width in the frame, in frame pixels: the full width, or three quarters beside bullets. Fixed,
    because the frame is scaled to the screen and a chart sizing itself to its (scaled) box would overflow it."""
    inner = WIDTH - 2 * 48
    return int((inner - 16) * 0.75) - 8 if slide.bullets else inner


# --- static images -------------------------------------------------------------------------------


class ExportUnavailable(RuntimeError):
    """The machine lacks what the export needs (Chromium for chart images)."""


def chromium_path() -> str:
    path = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
    if not Path(path).exists():
        raise ExportUnavailable(
            f"Chromium not found at {path}: install it (apt-get install -y chromium) "
            "or set BROWSER_PATH; chart images need it."
        )
    return path


def figure_images(jobs: list[tuple[object, int, int]]) -> list[bytes]:
    """PNG bytes for each (plotly figure, width, height), through one Chromium session; offline."""
    import kaleido
    import plotly.io as pio

    if not jobs:
        return []
    os.environ.setdefault("BROWSER_PATH", chromium_path())
    pio.defaults.topojson = (STATIC_DIR / "topojson").resolve().as_uri() + "/"
    kaleido.start_sync_server(silence_warnings=True)
    try:
        return [pio.to_image(fig, format="png", width=w, height=h, scale=1) for fig, w, h in jobs]
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def chart_size(slide: briefing.Slide) -> tuple[int, int]:
    """A chart picture's size in the 1920x1080 frame: narrower beside bullets, shorter under numbers."""
    return (1300 if slide.bullets else 1760), (520 if slide.numbers else 760)


def chart_images(deck: briefing.Deck, *, wanted=lambda s: True) -> dict[str, bytes]:
    """PNG pictures of the slides' charts (those `wanted`), by slide key, in one Chromium session."""
    charted = [s for s in deck.slides if s.figure is not None and wanted(s)]
    jobs = [(briefing.style(s.figure, height=chart_size(s)[1]), *chart_size(s)) for s in charted]
    return dict(zip((s.key for s in charted), figure_images(jobs)))


def export(deck: briefing.Deck) -> tuple[bytes, bytes]:
    """(.pptx bytes, .pdf bytes) of the same slides."""
    from atlas.views import deck as pptx_deck
    from atlas.views import pdf

    pictures = chart_images(deck)
    return pptx_deck.to_pptx(deck, pictures), pdf.to_pdf(deck, pictures)
