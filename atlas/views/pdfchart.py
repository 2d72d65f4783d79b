"""A slide's chart (atlas.views.slide.Chart) drawn as vector graphics and real text on a reportlab canvas: stacked
bars or columns, or lines, with a legend, gridlines and axis labels. No browser, no streamlit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable

from atlas.views.slide import Chart


@dataclass
class Ink:
    """Colours and type for a chart: light on the projector navy, or dark on paper."""

    text: str = "#f4f6fb"
    grid: str = "#2a3a5e"
    font: str = "Helvetica"
    size: float = 12.0


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps up to at least `top`: 0, 20, 40, ... ."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _label(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def draw(c: canvas.Canvas, chart: Chart, x: float, y: float, w: float, h: float, ink: Ink | None = None) -> None:
    """The chart in the box whose lower left corner is (x, y), `w` wide and `h` high."""
    ink = ink or Ink()
    size, font = ink.size, ink.font
    c.saveState()
    c.setFont(font, size)
    top = y + h
    if len(chart.series) > 1:  # the legend, in rows across the top
        lx, ly = x, top - size
        for (name, _), colour in zip(chart.series, chart.colours):
            width = size * 1.3 + stringWidth(name, font, size) + size
            if lx + width > x + w and lx > x:
                lx, ly = x, ly - size * 1.4
            c.setFillColorRGB(*_rgb(colour))
            c.rect(lx, ly - 1, size * 0.9, size * 0.9, stroke=0, fill=1)
            c.setFillColorRGB(*_rgb(ink.text))
            c.drawString(lx + size * 1.3, ly, name)
            lx += width
        top = ly - size * 0.9
    n = len(chart.categories)
    stacked = chart.kind != "line"
    totals = [sum(values[i] for _, values in chart.series) if stacked else 0 for i in range(n)]
    peak = max(totals) if stacked else max((max(values, default=0) for _, values in chart.series), default=0)
    ticks = nice_ticks(peak)
    span = ticks[-1] or 1
    horizontal = chart.kind == "bar"
    if horizontal:
        gutter = max((stringWidth(str(k), font, size) for k in chart.categories), default=0) + size * 0.6
        left, right, bottom = x + gutter, x + w - size, y + size * (2.8 if chart.axis_title else 1.6)
        band = (top - bottom) / max(n, 1)
        _grid(c, ink, ticks, span, left, right, bottom, top, vertical=True)
        for i, category in enumerate(chart.categories):
            cy = bottom + band * i
            c.setFillColorRGB(*_rgb(ink.text))
            c.drawRightString(left - size * 0.4, cy + band / 2 - size * 0.35, str(category))
            start = left
            for (_, values), colour in zip(chart.series, chart.colours):
                length = (right - left) * values[i] / span
                c.setFillColorRGB(*_rgb(colour))
                c.rect(start, cy + band * 0.15, length, band * 0.7, stroke=0, fill=1)
                start += length
        if chart.axis_title:
            c.setFillColorRGB(*_rgb(ink.text))
            c.drawCentredString((left + right) / 2, y + size * 0.2, chart.axis_title)
    else:
        gutter = max(stringWidth(_label(t), font, size) for t in ticks) + size * (2.2 if chart.axis_title else 0.8)
        left, right, bottom = x + gutter, x + w - size * 0.5, y + size * 1.8
        band = (right - left) / max(n, 1)
        _grid(c, ink, ticks, span, left, right, bottom, top, vertical=False)
        every = max(1, math.ceil(max(stringWidth(str(k), font, size) for k in chart.categories) * 1.15 / band))
        c.setFillColorRGB(*_rgb(ink.text))
        for i, category in enumerate(chart.categories):
            if (n - 1 - i) % every == 0:  # the latest category always labelled
                c.drawCentredString(left + band * (i + 0.5), bottom - size * 1.3, str(category))
        if stacked:
            for i in range(n):
                base = bottom
                for (_, values), colour in zip(chart.series, chart.colours):
                    height = (top - bottom) * values[i] / span
                    c.setFillColorRGB(*_rgb(colour))
                    c.rect(left + band * (i + 0.15), base, band * 0.7, height, stroke=0, fill=1)
                    base += height
        else:
            c.setLineWidth(2.5)
            for (_, values), colour in zip(chart.series, chart.colours):
                c.setStrokeColorRGB(*_rgb(colour))
                points = [(left + band * (i + 0.5), bottom + (top - bottom) * v / span) for i, v in enumerate(values)]
                path = c.beginPath()
                path.moveTo(*points[0])
                for point in points[1:]:
                    path.lineTo(*point)
                c.drawPath(path, stroke=1, fill=0)
        if chart.axis_title:
            c.saveState()
            c.translate(x + size * 0.8, (bottom + top) / 2)
            c.rotate(90)
            c.setFillColorRGB(*_rgb(ink.text))
            c.drawCentredString(0, 0, chart.axis_title)
            c.restoreState()
    c.restoreState()


def _grid(c, ink: Ink, ticks, span, left, right, bottom, top, *, vertical: bool) -> None:
    c.setLineWidth(0.6)
    for tick in ticks:
        c.setStrokeColorRGB(*_rgb(ink.grid))
        c.setFillColorRGB(*_rgb(ink.text))
        if vertical:
            at = left + (right - left) * tick / span
            c.line(at, bottom, at, top)
            c.drawCentredString(at, bottom - ink.size * 1.2, _label(tick))
        else:
            at = bottom + (top - bottom) * tick / span
            c.line(left, at, right, at)
            c.drawRightString(left - ink.size * 0.4, at - ink.size * 0.35, _label(tick))


class ChartFlowable(Flowable):
    """The chart as a platypus flowable, for documents laid out by reportlab (the country brief)."""

    def __init__(self, chart: Chart, width: float, height: float, ink: Ink) -> None:
        super().__init__()
        self.chart, self.width, self.height, self.ink = chart, width, height, ink

    def draw(self) -> None:
        draw(self.canv, self.chart, 0, 0, self.width, self.height, self.ink)
