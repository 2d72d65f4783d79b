"""Briefing slides out of the app: HTML snippets for the wall screen, and .pptx / .pdf files.

The export is built on this machine with no network: plotly figures become PNG through kaleido,
which drives the installed Chromium (BROWSER_PATH, default /usr/bin/chromium) and reads the world
boundaries from static/topojson/ on disk. Slides are composed with Pillow (the PDF pages) and
python-pptx (real text boxes for titles and footers, the chart as a picture).
"""
from __future__ import annotations

import html
import io
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from atlas.views import briefing
from atlas.config import STATIC_DIR

WIDTH, HEIGHT = 1920, 1080
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")


# --- on screen ---------------------------------------------------------------------------------

def numbers_html(numbers: list[briefing.Number]) -> str:
    tiles = "".join(
        f"<div class='tile'><div class='tile-value'>{html.escape(n.value)}</div>"
        f"<div class='tile-label'>{html.escape(n.label)}</div>"
        + (f"<div class='tile-delta'>{html.escape(n.delta)}</div>" if n.delta else "") + "</div>"
        for n in numbers)
    return f"<div class='tiles'>{tiles}</div>"


def bullets_html(bullets: list[str]) -> str:
    return "<ul class='slide-bullets'>" + "".join(f"<li>{html.escape(b)}</li>" for b in bullets) + "</ul>"


# --- static images -------------------------------------------------------------------------------

class ExportUnavailable(RuntimeError):
    """The machine lacks what the export needs (Chromium for chart images)."""


def chromium_path() -> str:
    path = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
    if not Path(path).exists():
        raise ExportUnavailable(f"Chromium not found at {path}: install it (apt-get install -y chromium) "
                                "or set BROWSER_PATH; chart images need it.")
    return path


def figure_images(jobs: list[tuple[object, int, int]]) -> list[bytes]:
    """PNG bytes for each (plotly figure, width, height), through one Chromium session; offline."""
    import kaleido
    import plotly.io as pio

    os.environ.setdefault("BROWSER_PATH", chromium_path())
    pio.defaults.topojson = (STATIC_DIR / "topojson").resolve().as_uri() + "/"
    kaleido.start_sync_server(silence_warnings=True)
    try:
        return [pio.to_image(fig, format="png", width=w, height=h, scale=1) for fig, w, h in jobs]
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def _font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    names = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    for folder in FONT_DIRS:
        for name in names:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + ([line] if line else [])


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def compose(deck: briefing.Deck, slide: briefing.Slide, chart: bytes | None, number: int) -> Image.Image:
    """One 1920x1080 slide: title, numbers or chart with bullets, note, footer with filters and sources."""
    image = Image.new("RGB", (WIDTH, HEIGHT), _hex(briefing.BACKGROUND))
    draw = ImageDraw.Draw(image)
    fg, muted, accent = _hex(briefing.FOREGROUND), _hex(briefing.MUTED), _hex(briefing.ACCENT)
    draw.text((80, 50), slide.title, font=_font(64, bold=True), fill=fg)
    draw.text((WIDTH - 80, 60), f"{number} / {len(deck)}", font=_font(30), fill=muted, anchor="ra")
    top = 160
    if slide.numbers:
        tile_w = (WIDTH - 160) // len(slide.numbers)
        for i, n in enumerate(slide.numbers):
            x = 80 + i * tile_w
            draw.text((x, top), n.value, font=_font(110, bold=True), fill=accent)
            for j, line in enumerate(_wrap(draw, n.label, _font(34), tile_w - 30)):
                draw.text((x, top + 140 + 42 * j), line, font=_font(34), fill=fg)
            if n.delta:
                for j, line in enumerate(_wrap(draw, n.delta, _font(28), tile_w - 30)):
                    draw.text((x, top + 235 + 34 * j), line, font=_font(28), fill=muted)
        top += 330
    if chart is not None:
        picture = Image.open(io.BytesIO(chart)).convert("RGB")
        box_w = WIDTH - 160 - (520 if slide.bullets else 0)
        box_h = HEIGHT - top - 190
        picture.thumbnail((box_w, box_h))
        image.paste(picture, (80, top))
        bullets_x, bullets_w = 80 + box_w + 40, 480
    else:
        bullets_x, bullets_w = 80, WIDTH - 160
    y = top + (0 if chart is not None else 20)
    for bullet in slide.bullets:
        for j, line in enumerate(_wrap(draw, bullet, _font(32), bullets_w - 40)):
            draw.text((bullets_x + (0 if j else 0), y), ("• " if j == 0 else "   ") + line, font=_font(32), fill=fg)
            y += 42
        y += 14
    if slide.note:
        for j, line in enumerate(_wrap(draw, slide.note, _font(28), WIDTH - 160)):
            draw.text((80, HEIGHT - 170 + 34 * j), line, font=_font(28), fill=muted)
    footer = deck.footer(slide)
    for j, line in enumerate(_wrap(draw, footer, _font(24), WIDTH - 160)[:2]):
        draw.text((80, HEIGHT - 90 + 30 * j), line, font=_font(24), fill=muted)
    return image


def chart_size(slide: briefing.Slide) -> tuple[int, int]:
    """The chart picture's size: narrower beside bullets, shorter under headline numbers."""
    return (1240 if slide.bullets else 1760), (420 if slide.numbers else 680)


def render(deck: briefing.Deck) -> list[Image.Image]:
    """Every slide as a 1920x1080 image."""
    charted = [s for s in deck.slides if s.figure is not None]
    jobs = [(briefing.style(s.figure, height=chart_size(s)[1]), *chart_size(s)) for s in charted]
    pictures = dict(zip((s.key for s in charted), figure_images(jobs))) if jobs else {}
    return [compose(deck, s, pictures.get(s.key), i + 1) for i, s in enumerate(deck.slides)]


def to_pdf(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=150)
    return buffer.getvalue()


def to_pptx(deck: briefing.Deck, images: list[Image.Image]) -> bytes:
    """16:9 slides: the title and footer as text, the composed slide body as one picture."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(12192000), Emu(6858000)
    per_px = 12192000 / WIDTH
    layout = presentation.slide_layouts[5]  # title only
    for slide, image in zip(deck.slides, images):
        page = presentation.slides.add_slide(layout)
        background = page.background.fill
        background.solid()
        background.fore_color.rgb = RGBColor(*_hex(briefing.BACKGROUND))
        title = page.shapes.title
        title.text = slide.title
        title.left, title.top, title.width, title.height = Emu(int(80 * per_px)), Emu(int(30 * per_px)), \
            Emu(int((WIDTH - 160) * per_px)), Emu(int(110 * per_px))
        for paragraph in title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold = Pt(36), True
                run.font.color.rgb = RGBColor(*_hex(briefing.FOREGROUND))
        body = image.crop((0, 150, WIDTH, HEIGHT - 100))
        buffer = io.BytesIO()
        body.save(buffer, format="PNG")
        buffer.seek(0)
        page.shapes.add_picture(buffer, Emu(0), Emu(int(150 * per_px)), width=Emu(int(WIDTH * per_px)))
        box = page.shapes.add_textbox(Emu(int(80 * per_px)), Emu(int((HEIGHT - 95) * per_px)),
                                      Emu(int((WIDTH - 160) * per_px)), Emu(int(80 * per_px)))
        box.text_frame.word_wrap = True
        box.text_frame.text = deck.footer(slide)
        for run in box.text_frame.paragraphs[0].runs:
            run.font.size = Pt(11)
            run.font.color.rgb = RGBColor(*_hex(briefing.MUTED))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def export(deck: briefing.Deck) -> tuple[bytes, bytes]:
    """(.pptx bytes, .pdf bytes) of the same slides."""
    images = render(deck)
    return to_pptx(deck, images), to_pdf(images)
