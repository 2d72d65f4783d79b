"""The world map drawn without a browser, for the exported files: Pillow paints the Natural Earth countries of
static/topojson/ in the Natural Earth projection (as the app's plotly maps), shaded as asked, with labels and a
legend. Fast (no Chromium) and offline. No streamlit, no queries."""

from __future__ import annotations

import functools
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from atlas.config import STATIC_DIR

LAT_RANGE = (-58.0, 85.0)  # as the app's maps: no Antarctica, room for the Arctic
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
FONT_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")


@dataclass
class MapStyle:
    background: str = "#ffffff"
    land: str = "#dde3ea"
    border: str = "#ffffff"
    text: str = "#1b2a4a"
    halo: str = "#ffffff"
    font_px: int = 24


@dataclass
class MapPicture:
    """What to draw: fills by ISO3, dots (lon, lat, colour) for small states, labels (lon, lat, text), a legend."""

    fills: dict[str, str] = field(default_factory=dict)
    dots: list[tuple[float, float, str]] = field(default_factory=list)
    labels: list[tuple[float, float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    legend_title: str = ""
    marker: str = "#F0E442"


def project(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth projection (Šavrič et al. 2011), unit sphere; y grows northwards."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, list[list[tuple[float, float]]]]:
    """Each country's outer and inner rings in (lon, lat), from the 110 m Natural Earth TopoJSON on disk."""
    topo = json.loads((STATIC_DIR / "topojson" / "world_110m.json").read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # quantized, delta-encoded
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        shapes[str(geometry.get("id"))] = [ring(r) for polygon in polygons for r in polygon]
    return shapes


def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = next((Path(d) / f for d in FONT_DIRS for f in FONT_FILES if (Path(d) / f).exists()), None)
    return ImageFont.truetype(str(path), px) if path else ImageFont.load_default()


def png(picture: MapPicture, width: int, height: int, style: MapStyle | None = None) -> bytes:
    """The map as PNG bytes, `width` x `height` pixels, the world fitted in (the legend bottom left)."""
    style = style or MapStyle()
    image = Image.new("RGB", (width, height), style.background)
    draw = ImageDraw.Draw(image)
    left, _ = project(-180, 0)
    right, _ = project(180, 0)
    _, bottom = project(0, LAT_RANGE[0])
    _, top = project(0, LAT_RANGE[1])
    scale = min((width - 8) / (right - left), (height - 8) / (top - bottom))
    ox = (width - (right - left) * scale) / 2 - left * scale
    oy = (height - (top - bottom) * scale) / 2 + top * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, max(min(lat, LAT_RANGE[1]), LAT_RANGE[0]))  # beyond ±180 falls off the picture
        return ox + x * scale, oy - y * scale

    for iso3, rings in countries().items():
        fill = picture.fills.get(iso3, style.land)
        for points in rings:
            for shifted in _unwrapped(points):
                draw.polygon([xy(lon, lat) for lon, lat in shifted], fill=fill, outline=style.border)
    for lon, lat, colour in picture.dots:
        x, y = xy(lon, lat)
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=colour, outline=style.halo)
    font = _font(style.font_px)
    placed: list[tuple[float, float, float, float]] = []
    for lon, lat, text in picture.labels:
        x, y = xy(lon, lat)
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=picture.marker, outline=style.background, width=2)
        box = _free_place(draw, font, text, x, y, placed)
        placed.append(box)
        draw.text((box[0], box[1]), text, font=font, fill=style.text, stroke_width=3, stroke_fill=style.background)
    if picture.legend:
        rows: list[tuple[str | None, str]] = [(None, picture.legend_title)] if picture.legend_title else []
        rows += list(picture.legend)
        line = style.font_px * 1.3
        y = height - 12 - line * len(rows)
        for swatch, text in rows:
            if swatch:
                draw.rectangle((12, y + 4, 12 + style.font_px * 0.8, y + 4 + style.font_px * 0.8), fill=swatch)
            draw.text((12 + (style.font_px * 1.2 if swatch else 0), y), text, font=font, fill=style.text)
            y += line
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _unwrapped(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring drawn whole: one crossing the antimeridian (a jump of more than 180 degrees) is made continuous and
    drawn twice, 360 degrees apart, so each side of the picture shows its part and no edge runs across the world."""
    if len(points) < 3:
        return []
    out, shift = [points[0]], 0.0
    for (lon0, _), (lon, lat) in zip(points, points[1:]):
        if abs(lon - lon0) > 180:
            shift -= math.copysign(360, lon - lon0)
        out.append((lon + shift, lat))
    if all(-180 <= lon <= 180 for lon, _ in out):
        return [out]
    side = 360 if min(lon for lon, _ in out) < -180 else -360
    return [out, [(lon + side, lat) for lon, lat in out]]


def _free_place(draw, font, text: str, x: float, y: float, placed: list) -> tuple[float, float, float, float]:
    """The label's box right of its point, else left, below or above: the first that overlaps no other label."""
    x0, t, x1, b = draw.textbbox((0, 0), text, font=font)
    w, h = x1 - x0, b - t
    options = [
        (x + 12, y - h / 2 - t),
        (x - 12 - w, y - h / 2 - t),
        (x - w / 2, y + 10),
        (x - w / 2, y - 10 - h - t),
    ]
    for ox, oy in options:
        box = (ox, oy, ox + w, oy + h + t)
        if not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in placed):
            return box
    return (options[0][0], options[0][1], options[0][0] + w, options[0][1] + h + t)
