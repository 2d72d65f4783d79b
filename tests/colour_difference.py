"""Colour arithmetic for tests: CIEDE2000 differences and colour-vision-deficiency simulation.

CIEDE2000 after Sharma, Wu and Dalal (2005), on CIELAB from sRGB under D65. Dichromacy simulated with the
matrices of Machado, Oliveira and Fernandes (2009) at severity 1.0 (protanopia, deuteranopia, tritanopia),
applied to linear RGB. (Contrast ratios: atlas.views.projector.contrast.)
"""

from __future__ import annotations

import math

VISIONS = {
    "normal": None,
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encoded(linear: float) -> float:
    c = min(max(linear, 0.0), 1.0)
    return 255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)


def rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(float(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))  # type: ignore[return-value]


def seen(colour: tuple[float, float, float], vision: str) -> tuple[float, float, float]:
    """The sRGB colour a viewer with this vision sees (normal: the colour itself)."""
    matrix = VISIONS[vision]
    if matrix is None:
        return colour
    lin = [_linear(c) for c in colour]
    return tuple(_encoded(sum(row[j] * lin[j] for j in range(3))) for row in matrix)  # type: ignore[return-value]


def lab(colour: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else h2p - h1p
    dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    dl, dc, dhh = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_hp / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh)


def difference(hex1: str, hex2: str, vision: str = "normal") -> float:
    """CIEDE2000 between two colours as a viewer with this vision sees them."""
    return delta_e2000(lab(seen(rgb(hex1), vision)), lab(seen(rgb(hex2), vision)))


def distance76(hex1: str, hex2: str, vision: str = "normal") -> float:
    """CIE76 (the plain CIELAB distance) between two colours as a viewer with this vision sees them."""
    a, b = lab(seen(rgb(hex1), vision)), lab(seen(rgb(hex2), vision))
    return math.dist(a, b)
