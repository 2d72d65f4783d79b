"""Measuring a slide in the browser: every visible text's box, clipped, off screen, overlapping or too small."""

from __future__ import annotations

MEASURE_JS = """({minPx, skip}) => {
  const out = {texts: [], clipped: [], offscreen: [], small: [], overlaps: []};
  const W = innerWidth, H = innerHeight, eps = 1.5;
  const visible = (el) => { for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) return false; }
      return true; };
  const skipped = (el) => skip && el.closest(skip);
  const boxes = [];
  // The type as drawn: the computed size times the scaling of the slide frame (a CSS transform leaves it unchanged).
  const frame = document.querySelector('[data-testid="stMainBlockContainer"]');
  const k = frame && frame.offsetWidth ? frame.getBoundingClientRect().width / frame.offsetWidth : 1;
  const add = (el, rect, text) => {
    if (rect.width < 1 || rect.height < 1) return;
    const size = parseFloat(getComputedStyle(el).fontSize) * k;
    const item = {text: text.slice(0, 40), x: rect.left, y: rect.top, r: rect.right, b: rect.bottom, size};
    out.texts.push(item);
    if (rect.left < -eps || rect.top < -eps || rect.right > W + eps || rect.bottom > H + eps) out.offscreen.push(item);
    if (size < minPx) out.small.push(item);
    // Clipped by a container: any ancestor that hides its overflow (or the plot's own svg) must hold the box.
    for (let e = el.parentElement; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const clips = e.tagName === 'svg' && e.classList.contains('main-svg') || s.overflow !== 'visible' || s.clipPath !== 'none';
      if (!clips || e === document.body || e === document.documentElement) continue;
      const c = e.getBoundingClientRect();
      if (rect.left < c.left - eps || rect.right > c.right + eps || rect.top < c.top - eps || rect.bottom > c.bottom + eps) {
        out.clipped.push({...item, by: e.className && e.className.baseVal !== undefined ? e.className.baseVal : String(e.className).slice(0, 40)});
        break; }
    }
    boxes.push(item);
  };
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement, text = n.textContent.trim();
    if (!text || el.closest('svg') || el.closest('style,script') || skipped(el) || !visible(el)) continue;
    if (el.closest('[data-testid="stIconMaterial"]')) continue;   // icon ligatures, not text
    const range = document.createRange(); range.selectNodeContents(n);
    // A glyph run's box is the font's content area, taller than its line: keep it to the element's line boxes.
    const own = el.getBoundingClientRect();
    for (const r of range.getClientRects()) {
      const top = Math.max(r.top, own.top), bottom = Math.min(r.bottom, own.bottom);
      add(el, {left: r.left, right: r.right, top, bottom, width: r.width, height: bottom - top}, text);
    }
  }
  for (const el of main.querySelectorAll('svg text')) {
    const text = el.textContent.trim();
    if (!text || skipped(el) || !visible(el)) continue;
    add(el, el.getBoundingClientRect(), text);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const w = Math.min(a.r, b.r) - Math.max(a.x, b.x), h = Math.min(a.b, b.b) - Math.max(a.y, b.y);
    if (w > 3 && h > 0.2 * Math.min(a.size, b.size) * (a.b - a.y) / a.size) out.overlaps.push([a.text, b.text]);
  }
  return out;
}"""


def measure(page, *, min_px: float = 24, skip: str | None = None) -> dict:
    """Boxes of every visible text in the main area (HTML and chart SVG), with the problems found; sizes are as
    drawn on the screen (after the frame's scaling), so `min_px` is in screen pixels."""
    return page.evaluate(MEASURE_JS, {"minPx": min_px, "skip": skip})


def problems(found: dict) -> dict:
    return {k: v for k, v in found.items() if k != "texts" and v}
