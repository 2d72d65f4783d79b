"""The briefing as an editable PowerPoint deck: native text boxes and native charts (the numbers are inside, so
staff can restyle and edit them), the map as a picture, and the filters, as-of and sources in the speaker notes.
No streamlit, no queries."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from atlas.views import briefing
from atlas.views.slide import Chart, Deck, Slide, fit_size

PX = 12192000 // 1920  # EMU per pixel of the 1920x1080 frame (16:9, 13.33 in wide): 1 px = 0.5 pt
CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_STACKED,
    "column": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


# The note under the chart: two lines of 13 pt (26 frame px each, 1.2 spacing) and the box's insets, above the
# footer line; a note ends with the counting rule, so it often takes the second line.
NOTE_H = 76


def _box(
    page,
    x: int,
    y: int,
    w: int,
    h: int,
    text: str,
    *,
    size: float,
    colour: str = briefing.FOREGROUND,
    bold: bool = False,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
):
    """A text box at frame pixels; size in points."""
    box = page.shapes.add_textbox(Emu(x * PX), Emu(y * PX), Emu(w * PX), Emu(h * PX))
    frame = box.text_frame
    frame.word_wrap, frame.vertical_anchor = True, anchor
    lines = text.split("\n")
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, _rgb(colour)
    return box


def _numbers(page, slide: Slide, top: int, height: int) -> None:
    gap, width = 24, 1824
    tile_w = (width - gap * (len(slide.numbers) - 1)) // len(slide.numbers)
    for i, n in enumerate(slide.numbers):
        x = 48 + i * (tile_w + gap)
        tile = page.shapes.add_shape(1, Emu(x * PX), Emu(top * PX), Emu(tile_w * PX), Emu(height * PX))
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb("#132247")
        tile.line.fill.background()
        # 2 frame px to the point; the text box keeps 0.1 in (14 px) of insets
        size = fit_size(n.value, 48, (tile_w - 32 - 14) / 2)
        _box(page, x + 16, top + 10, tile_w - 32, 110, n.value, size=size, colour=briefing.ACCENT, bold=True)
        _box(page, x + 16, top + 120, tile_w - 32, 50, n.label, size=16)
        if n.delta:
            _box(page, x + 16, top + 170, tile_w - 32, 40, n.delta, size=13, colour=briefing.MUTED)


def add_chart(page, chart: Chart, x: int, y: int, w: int, h: int):
    """A native chart with the numbers inside, in the projector colours."""
    data = CategoryChartData()
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, values)
    graphic = page.shapes.add_chart(CHART_TYPES[chart.kind], Emu(x * PX), Emu(y * PX), Emu(w * PX), Emu(h * PX), data)
    native = graphic.chart
    native.font.size, native.font.color.rgb = Pt(14), _rgb(briefing.FOREGROUND)
    native.has_legend = len(chart.series) > 1
    if native.has_legend:
        native.legend.position, native.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
        native.legend.font.size = Pt(14)
    for series, colour in zip(native.plots[0].series, chart.colours):
        if chart.kind == "line":
            series.format.line.color.rgb = _rgb(colour)
            series.format.line.width = Pt(3)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
    if chart.kind != "line":
        native.plots[0].gap_width, native.plots[0].overlap = 40, 100
    axis = native.value_axis
    axis.major_gridlines.format.line.color.rgb = _rgb("#2a3a5e")
    axis.has_title = bool(chart.axis_title)
    if chart.axis_title:
        axis.axis_title.text_frame.text = chart.axis_title
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.color.rgb = _rgb(briefing.FOREGROUND)
    return graphic


def _slide(presentation, deck: Deck, slide: Slide, picture: bytes | None) -> None:
    page = presentation.slides.add_slide(presentation.slide_layouts[5])  # title only
    page.background.fill.solid()
    page.background.fill.fore_color.rgb = _rgb(briefing.BACKGROUND)
    title = page.shapes.title
    title.text = slide.title
    title.left, title.top, title.width, title.height = Emu(48 * PX), Emu(24 * PX), Emu(1824 * PX), Emu(100 * PX)
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(28), True, _rgb(briefing.FOREGROUND)
    top, bottom = 140, 1080 - 60 - (NOTE_H + 8 if slide.note else 0)
    large = slide.numbers and slide.chart is None and slide.figure is None
    if slide.numbers:
        height = 300 if large else 220
        _numbers(page, slide, top, height)
        top += height + 30
    has_body = slide.chart is not None or picture is not None
    body_w = 1824 - (520 if slide.bullets and has_body else 0)
    if slide.chart is not None:
        add_chart(page, slide.chart, 48, top, body_w, bottom - top)
    elif picture is not None:
        page.shapes.add_picture(io.BytesIO(picture), Emu(48 * PX), Emu(top * PX), height=Emu((bottom - top) * PX))
    if slide.bullets:
        x = 48 + body_w + 40 if has_body else 48
        _box(
            page,
            x,
            top,
            1824 - (x - 48),
            bottom - top,
            "\n".join(f"• {b}" for b in slide.bullets),
            size=18 if large or not has_body else 15,
        )
    if slide.note:
        _box(page, 48, 1080 - 60 - NOTE_H, 1824, NOTE_H, slide.note, size=13, colour=briefing.MUTED)
    footer = deck.footer_line() + ("  ·  DEMO DATA" if deck.demo else "")
    _box(page, 48, 1080 - 52, 1824, 40, footer, size=11, colour=briefing.MUTED)
    notes = page.notes_slide.notes_text_frame
    notes.text = "\n".join(
        x
        for x in (
            slide.note,
            f"Filters: {deck.filters_text}",
            f"Data as of {deck.as_of}",
            f"Sources: {slide.sources}",
            "DEMO DATA – generated records, not real activity" if deck.demo else None,
        )
        if x
    )


def to_pptx(deck: Deck, pictures: dict[str, bytes]) -> bytes:
    """16:9 slides with native text and charts; `pictures` holds the chart images by slide key (the map is used)."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(1920 * PX), Emu(1080 * PX)
    for slide in deck.slides:
        _slide(presentation, deck, slide, pictures.get(slide.key) if slide.chart is None else None)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
