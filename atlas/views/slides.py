"""Briefing slides out of the app: HTML snippets and the chart sizes for the wall screen, and the .pptx / .pdf files.

The export is built on this machine with no network and no browser: the .pptx has native text and charts
(atlas.views.deck), the .pdf a text layer and vector charts (atlas.views.pdf), and the map is a picture Pillow draws
from the boundaries in static/topojson/ (atlas.views.flatmap).
"""

from __future__ import annotations

import html

from atlas.views import briefing, flatmap, projector
from atlas.views.slide import fit_size

WIDTH, HEIGHT = 1920, 1080


# --- on screen ---------------------------------------------------------------------------------


# The number tiles (atlas/app/briefing.py CSS: .tiles, .tile, .tile-value): side by side across the frame's
# inner width with 24 px gaps, each with its padding; a value is drawn at its size (the CSS reads VALUE_PX)
# unless it would not fit.
TILE_GAP, TILE_PAD = 24, {False: 44, True: 72}
VALUE_PX = {False: 100, True: 170}


def value_px(value: str, tiles: int, *, large: bool = False) -> int:
    """The font size of a tile's value on the wall: its usual size, or smaller so that '167,645' fits its tile."""
    inner = (WIDTH - 2 * 48 - TILE_GAP * (tiles - 1)) / tiles - TILE_PAD[large]
    return int(fit_size(value, VALUE_PX[large], inner))


def numbers_html(numbers: list[briefing.Number], *, large: bool = False) -> str:
    tiles = "".join(
        # The line keeps its usual height, so the labels under a smaller value stay level with their neighbours'.
        f"<div class='tile'><div class='tile-value' style='font-size: {value_px(n.value, len(numbers), large=large)}px; "
        f"line-height: {round(VALUE_PX[large] * 1.15)}px'>"
        f"{html.escape(n.value)}</div>"
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


# --- files --------------------------------------------------------------------------------------

MAP_SIZE = (1760, 760)  # the map picture in the files, in frame pixels


def map_pictures(deck: briefing.Deck) -> dict[str, bytes]:
    """PNG pictures of the slides' maps, by slide key, drawn without a browser (atlas.views.flatmap)."""
    return {s.key: flatmap.png(s.map, *MAP_SIZE, projector.MAP_STYLE) for s in deck.slides if s.map is not None}


def export(deck: briefing.Deck) -> tuple[bytes, bytes]:
    """(.pptx bytes, .pdf bytes) of the same slides: native text and charts, the map as a picture."""
    from atlas.views import deck as pptx_deck
    from atlas.views import pdf

    pictures = map_pictures(deck)
    return pptx_deck.to_pptx(deck, pictures), pdf.to_pdf(deck, pictures)
