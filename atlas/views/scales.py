"""Count classes and their colours, shared by the pydeck and the plotly maps: 1, 2-4, 5-9, 10-19, ...

A few very active partners must not wash out everyone else, so counts fall into roughly logarithmic
classes in round numbers, each with its own blue, named in a legend of ranges.
"""

from __future__ import annotations

import math

import pandas as pd

# Translucent, so the map reads on the light and the dark theme alike (the map cannot know which is on):
# land without activity is light grey on white and dark grey on black; borders are a soft line on both.
NO_ACTIVITY = (140, 150, 165, 90)
BORDER = (255, 255, 255, 130)
# Sequential blues from light to dark (ColorBrewer Blues), one per count class.
BLUES = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
# Lower bounds of the count classes: 1, 2-4, 5-9, 10-19, ... (roughly logarithmic, in round numbers).
_STEPS = (1, 2, 5)
MAX_CLASSES = len(BLUES)


def hex_to_rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)]


def count_classes(top: float) -> list[tuple[int, int]]:
    """Count classes (low, high) covering 1..top in round, roughly logarithmic steps, at most MAX_CLASSES.

    >>> count_classes(39)
    [(1, 1), (2, 4), (5, 9), (10, 19), (20, 39)]
    """
    top = max(1, int(math.ceil(top or 0)))
    bounds, scale = [], 1
    while True:
        for step in _STEPS:
            if step * scale > top:
                break
            bounds.append(step * scale)
        else:
            scale *= 10
            continue
        break
    while len(bounds) > MAX_CLASSES:  # merge the smallest classes: the busiest partners need the steps
        del bounds[1]
    return [(low, (bounds[i + 1] - 1) if i + 1 < len(bounds) else top) for i, low in enumerate(bounds)]


def class_of(value: float, classes: list[tuple[int, int]]) -> int:
    """The index of the class holding `value` (values above the last class fall in it)."""
    for index, (_, high) in enumerate(classes):
        if value <= high:
            return index
    return len(classes) - 1


def class_label(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def class_colours(count: int) -> list[str]:
    """`count` blues spread over the whole light-to-dark range."""
    if count <= 1:
        return [BLUES[len(BLUES) // 2]]
    return [BLUES[round(i * (len(BLUES) - 1) / (count - 1))] for i in range(count)]


def legend(values: pd.Series) -> list[tuple[str, str]]:
    """(range label, colour) per class for these counts, as the map draws them; empty when none is positive."""
    positive = values[values > 0]
    if positive.empty:
        return []
    classes = count_classes(float(positive.max()))
    return list(zip([class_label(*c) for c in classes], class_colours(len(classes))))


def shade(value: float, top: float) -> tuple[int, int, int, int]:
    """The blue of `value`'s class among the classes up to `top`; neutral for no activity."""
    if not value or value <= 0 or not top:
        return NO_ACTIVITY
    classes = count_classes(top)
    red, green, blue = hex_to_rgb(class_colours(len(classes))[class_of(value, classes)])
    return (red, green, blue, 255)
