"""The briefing's files: an editable .pptx (native text and charts with the numbers inside, the map as a picture,
speaker notes) and a .pdf with a text layer stamped with filters, as-of and sources on every page."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from apptest_support import TODAY
from atlas.data.db import Database
from atlas.data.filters import default_filters
from atlas.views import briefing, slides
from atlas.views import deck as pptx_deck

ROOT = Path(__file__).resolve().parents[1]
# A short deck with every kind of slide once.
KEYS = ["headline", "map", "partners", "agreements", "renewals", "changes", "country:CAN"]
TITLES = [
    "Partner activity at a glance",
    "Where we are active",
    "Top partner countries",
    "Agreements pipeline",
    "Renewals due in the next 12 months",
    "What changed since 01 Dec 2025",
    "Canada",
]


@pytest.fixture(scope="module")
def exported(fixture_db):
    db = Database.open(fixture_db)
    run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
    f = default_filters(TODAY)
    deck = briefing.build_slides(run, f, since=dt.date(2025, 12, 1), as_of="30 Nov 2026", keys=KEYS)
    pptx, pdf = slides.export(deck)
    country = run("country_activity", f).set_index("iso3").engagements
    kpi = run("kpi_agreements", f).iloc[0]
    db.close()
    return {"deck": deck, "pptx": Presentation(io.BytesIO(pptx)), "pdf": pdf, "country": country, "kpi": kpi}


def _texts(page) -> str:
    return "\n".join(s.text_frame.text for s in page.shapes if s.has_text_frame)


def _chart(page):
    charts = [s.chart for s in page.shapes if s.has_chart]
    assert len(charts) == 1, "one native chart"
    return charts[0]


def _values(chart) -> dict[str, list[float]]:
    return {series.name: list(series.values) for series in chart.plots[0].series}


def test_the_pptx_has_a_slide_per_key_with_native_titles(exported):
    pages = list(exported["pptx"].slides)
    assert [p.shapes.title.text for p in pages] == TITLES
    headline = _texts(pages[0])
    for text in ("10", "Engagements", "4", "Agreements in force", "+7 (+233%)"):
        assert text in headline.split("\n"), text


def test_the_pptx_charts_are_native_with_the_querys_numbers(exported):
    pages, country = list(exported["pptx"].slides), exported["country"]
    partners = _chart(pages[2])
    categories = list(partners.plots[0].categories)
    assert categories[-1] == "Canada", "the busiest partner is the top bar"
    totals = {name: sum(v[i] for v in _values(partners).values()) for i, name in enumerate(categories)}
    assert totals["Canada"] == country["CAN"] == 3 and totals["Germany"] == country["DEU"] == 2
    assert _values(partners)["Law Enforcement"][categories.index("Germany")] == 2

    pipeline = _chart(pages[3])
    statuses = list(pipeline.plots[0].categories)
    assert statuses == ["In negotiation", "Signed", "In force", "Expired", "Terminated"]
    in_force = sum(v[statuses.index("In force")] for v in _values(pipeline).values())
    assert in_force == exported["kpi"].in_force == 4

    trend = _chart(pages[0])
    months = list(trend.plots[0].categories)
    assert months[0] == "Dec 2025" and months[-1] == "Nov 2026" and len(months) == 12, "every month, none skipped"
    assert sum(sum(v) for v in _values(trend).values()) == 10
    assert _values(_chart(pages[6]))["Visa Security"][months.index("Jan 2026")] == 1, "Canada's visa visit"


def test_the_map_is_a_picture_and_text_slides_are_text(exported):
    pages = list(exported["pptx"].slides)
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in pages[1].shapes)
    assert not any(s.has_chart for s in pages[1].shapes)
    renewals = _texts(pages[4])
    assert "20 Dec 2026: Aviation Security MOU with Japan" in renewals and "(USA-" not in renewals


def test_speaker_notes_carry_filters_as_of_and_sources(exported):
    for page in exported["pptx"].slides:
        notes = page.notes_slide.notes_text_frame.text
        assert "Filters: 01 Dec 2025 – 30 Nov 2026" in notes
        assert "Data as of 30 Nov 2026" in notes and "Sources: " in notes
        assert "DEMO" not in notes, "the fixture has no demo records"
    assert "Natural Earth" in list(exported["pptx"].slides)[1].notes_slide.notes_text_frame.text


def _pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_has_a_text_layer_with_titles_numbers_and_a_stamp_on_each_page(exported, tmp_path):
    pdf = exported["pdf"]
    (tmp_path / "briefing.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "briefing.pdf")], capture_output=True, check=True).stdout.decode()
    assert re.search(rf"^Pages:\s+{len(KEYS)}$", info, re.M), info
    for number, title in enumerate(TITLES, start=1):
        page = _pdftotext(pdf, "-f", str(number), "-l", str(number))
        assert title in page, (number, page[:300])
        flat = " ".join(page.split())
        assert "Filters: 01 Dec 2025 – 30 Nov 2026" in flat and "Data as of 30 Nov 2026" in flat
        assert "Sources:" in flat
    headline = " ".join(_pdftotext(pdf, "-f", "1", "-l", "1").split())
    assert "10 " in headline and "Engagements" in headline and "+7 (+233%)" in headline
    renewals = " ".join(_pdftotext(pdf, "-f", "5", "-l", "5").split())
    assert "20 Dec 2026: Aviation Security MOU with Japan" in renewals


def test_the_pdf_charts_are_text_and_vector_graphics(exported):
    pdf = exported["pdf"]
    partners = " ".join(_pdftotext(pdf, "-f", "3", "-l", "3").split())
    for text in ("Canada", "Germany", "Engagements", "Law Enforcement"):
        assert text in partners, text  # category names, axis title and legend are real text, not pixels
    trend = " ".join(_pdftotext(pdf, "-f", "1", "-l", "1").split())
    assert "Dec 2025" in trend and "Nov 2026" in trend and "Engagements per month" in trend
    pipeline = " ".join(_pdftotext(pdf, "-f", "4", "-l", "4").split())
    assert "In negotiation" in pipeline and "Terminated" in pipeline
    images = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True)
    listing = images.stdout.decode() if images.returncode == 0 else ""
    if listing:
        pages = [int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip()]
        assert set(pages) <= {2}, f"only the map is a picture: {pages}"


def test_the_export_needs_no_browser(fixture_db, tmp_path):
    """The files are drawn by python-pptx, reportlab and Pillow: with no Chromium to be found, they still build."""
    script = (
        "import datetime as dt, sys\n"
        "from atlas.data.db import Database\n"
        "from atlas.data.filters import default_filters\n"
        "from atlas.views import briefing, country_brief, slides\n"
        "db = Database.open(sys.argv[1])\n"
        "run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)\n"
        f"f = default_filters(dt.date.fromisoformat('{TODAY}'))\n"
        "deck = briefing.build_slides(run, f, since=dt.date(2025, 12, 1), as_of='now', keys=['headline', 'map'])\n"
        "pptx, pdf = slides.export(deck)\n"
        "brief = country_brief.build(run, f, 'CAN', as_of='now')\n"
        "assert pptx[:2] == b'PK' and pdf[:5] == b'%PDF-' and brief[:5] == b'%PDF-'\n"
        "print('built', 'kaleido' in sys.modules)\n"
    )
    env = dict(os.environ, BROWSER_PATH=str(tmp_path / "no-chromium"), PATH="/usr/bin:/bin")
    done = subprocess.run(
        [sys.executable, "-c", script, str(fixture_db)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "built False", done.stdout


BIG = ["167,645", "118", "1,234,567", "43", "+12.5%"]  # engagements at a million rows run to six digits and more


@pytest.fixture(scope="module")
def big_numbers():
    numbers = [briefing.Number(f"Tile {i}", v) for i, v in enumerate(BIG)]
    slide = briefing.Slide("headline", "Big numbers", numbers=numbers, note="A note.")
    deck = briefing.Deck([lambda: slide], "all mission areas", "30 Nov 2026", demo=False)
    pptx, pdf = slides.export(deck)
    return Presentation(io.BytesIO(pptx)), pdf


def test_a_long_number_is_made_smaller_to_fit_its_tile_on_the_wall():
    inner = (slides.WIDTH - 96 - slides.TILE_GAP * 4) / 5 - slides.TILE_PAD[False]
    sizes = {v: slides.value_px(v, 5) for v in BIG}
    assert sizes["118"] == sizes["43"] == slides.VALUE_PX[False], "short values keep the usual size"
    assert sizes["1,234,567"] < sizes["167,645"] < slides.VALUE_PX[False]
    assert all(size * 0.6 * len(v) <= inner for v, size in sizes.items()), sizes
    html = slides.numbers_html([briefing.Number(f"Tile {i}", v) for i, v in enumerate(BIG)])
    assert f"font-size: {sizes['167,645']}px; line-height: 115px'>167,645<" in html
    assert "font-size: 100px; line-height: 115px'>118<" in html, "the line keeps its height: labels stay level"
    wide = slides.numbers_html([briefing.Number("Engagements", "167,645"), briefing.Number("Countries", "118")])
    assert "font-size: 100px; line-height: 115px'>167,645<" in wide, "two tiles leave room for six digits"


def test_a_long_number_fits_its_tile_in_the_pptx(big_numbers):
    pptx, _ = big_numbers
    page = pptx.slides[0]
    tiles = sorted((s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE), key=lambda s: s.left)
    values = {s.text_frame.text: s for s in page.shapes if s.has_text_frame and s.text_frame.text in BIG}
    assert set(values) == set(BIG)
    for tile, value in zip(tiles, BIG, strict=True):
        box = values[value]
        assert tile.left <= box.left and box.left + box.width <= tile.left + tile.width, value
        size = box.text_frame.paragraphs[0].runs[0].font.size.pt
        # 0.6 em per character at most, in the box less its insets (2 frame px to the point, EMU per frame px)
        room_pt = (box.width / pptx_deck.PX - 14) / 2
        assert size * 0.6 * len(value) <= room_pt + 0.01, (value, size, room_pt)
    sizes = {v: values[v].text_frame.paragraphs[0].runs[0].font.size.pt for v in BIG}
    assert sizes["118"] == sizes["43"] == 48 and sizes["1,234,567"] < 48


def test_a_long_number_fits_its_tile_in_the_pdf(big_numbers, tmp_path):
    from atlas.views import pdf as pdf_module

    _, pdf = big_numbers
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout
    words = {
        m.group(5): (float(m.group(1)), float(m.group(3)))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>', boxes
        )
    }
    tile_w = (pdf_module.PAGE_W - 48 - 12 * 4) / 5
    for i, value in enumerate(BIG):
        left, right = 24 + i * (tile_w + 12), 24 + i * (tile_w + 12) + tile_w
        x_min, x_max = words[value]
        assert left <= x_min and x_max <= right - 4, (value, x_min, x_max, left, right)
