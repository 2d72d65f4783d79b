"""PDF files with a real text layer (searchable, copyable), drawn with reportlab: the briefing deck, one 16:9
page per slide, each stamped with its filters, as-of and sources. No streamlit, no queries, no network."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from atlas.views import briefing, pdfchart
from atlas.views.slide import Deck, Slide

FONT_FILES = {
    "Atlas": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
    "Atlas-Bold": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
}
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
PAGE_W, PAGE_H = 960.0, 540.0  # points; the 1920x1080 frame at half a point per pixel


def fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu (dashes, arrows, accents) when installed, else Helvetica."""
    for name, files in FONT_FILES.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        path = next((Path(d) / f for d in FONT_DIRS for f in files if (Path(d) / f).exists()), None)
        if path is None:
            return "Helvetica", "Helvetica-Bold"
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return "Atlas", "Atlas-Bold"


def _hex(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def text_lines(
    c: canvas.Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    *,
    font: str,
    size: float,
    leading: float | None = None,
    max_lines: int | None = None,
) -> float:
    """Draw `text` wrapped to `width` from baseline y downwards; returns the y under the last line."""
    leading = leading or size * 1.25
    lines = simpleSplit(text, font, size, width)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip()[:-1] + "…"
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= leading
    return y


def _page(c: canvas.Canvas, deck: Deck, slide: Slide, picture: bytes | None, number: int) -> None:
    regular, bold = fonts()
    c.setFillColorRGB(*_hex(briefing.BACKGROUND))
    c.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
    fg, muted, accent = _hex(briefing.FOREGROUND), _hex(briefing.MUTED), _hex(briefing.ACCENT)
    c.setFillColorRGB(*fg)
    c.setFont(bold, 28)
    c.drawString(24, PAGE_H - 46, slide.title)
    c.setFont(regular, 12)
    c.setFillColorRGB(*muted)
    c.drawRightString(PAGE_W - 24, PAGE_H - 40, f"{number} / {len(deck)}" + ("   DEMO DATA" if deck.demo else ""))
    top = PAGE_H - 70
    body = slide.chart is not None or picture is not None
    large = slide.numbers and not body
    if slide.numbers:
        tile_w = (PAGE_W - 48 - 12 * (len(slide.numbers) - 1)) / len(slide.numbers)
        height = 150 if large else 110
        for i, n in enumerate(slide.numbers):
            x = 24 + i * (tile_w + 12)
            c.setFillColorRGB(*_hex("#132247"))
            c.roundRect(x, top - height, tile_w, height, 7, stroke=0, fill=1)
            c.setFillColorRGB(*accent)
            usual = 64 if large else 46
            c.setFont(bold, min(usual, usual * (tile_w - 20) / max(pdfmetrics.stringWidth(n.value, bold, usual), 1)))
            c.drawString(x + 10, top - (70 if large else 52), n.value)
            c.setFillColorRGB(*fg)
            y = text_lines(
                c,
                n.label,
                x + 10,
                top - (96 if large else 72),
                tile_w - 20,
                font=regular,
                size=16 if large else 13,
                max_lines=2,
            )
            if n.delta:
                c.setFillColorRGB(*muted)
                text_lines(c, n.delta, x + 10, y - 2, tile_w - 20, font=regular, size=11, max_lines=1)
        top -= height + 16
    bottom = 60 + (24 if slide.note else 0)
    text_x, text_w = 24.0, float(PAGE_W - 48)
    box_w = PAGE_W - 48 - (270 if slide.bullets else 0)
    if slide.chart is not None:  # vector graphics and real text: the numbers can be searched and copied
        ink = pdfchart.Ink(text=briefing.FOREGROUND, grid="#2a3a5e", font=regular, size=12)
        pdfchart.draw(c, slide.chart, 24, bottom, box_w, top - bottom - 4, ink)
    elif picture is not None:
        image = ImageReader(io.BytesIO(picture))
        iw, ih = image.getSize()
        scale = min(box_w / iw, (top - bottom) / ih)
        c.drawImage(image, 24, top - ih * scale, iw * scale, ih * scale)
    if body:
        text_x, text_w = 24 + box_w + 16, PAGE_W - box_w - 64
    c.setFillColorRGB(*fg)
    y = top - 20
    size = 18 if large or not body else 14
    for bullet in slide.bullets:
        c.setFont(regular, size)
        c.drawString(text_x, y, "•")
        y = text_lines(c, bullet, text_x + 14, y, text_w - 14, font=regular, size=size) - size * 0.5
    if slide.note:
        c.setFillColorRGB(*muted)
        text_lines(c, slide.note, 24, 70, PAGE_W - 48, font=regular, size=11, max_lines=2)
    c.setFillColorRGB(*muted)
    text_lines(c, deck.footer(slide), 24, 34, PAGE_W - 48, font=regular, size=9, leading=11, max_lines=2)


def to_pdf(deck: Deck, pictures: dict[str, bytes]) -> bytes:
    """One 16:9 page per slide: text as text, charts as vector graphics, the map a picture; filters, as-of and
    sources on each page."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    c.setTitle("Partner Atlas briefing")
    c.setSubject(f"Filters: {deck.filters_text} · Data as of {deck.as_of}")
    for number, slide in enumerate(deck.slides, start=1):
        _page(c, deck, slide, pictures.get(slide.key), number)
        c.showPage()
    c.save()
    return buffer.getvalue()
