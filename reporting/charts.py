"""Charts drawn on the server as SVG, to be placed inline in a page.

Why not a charting library: pygal writes a <script>, a <style> element and style attributes, and matplotlib's SVG
backend writes a style attribute on every shape; under the portal's Content Security Policy (no 'unsafe-inline')
both would need post-processing. These charts are built with ElementTree from presentation attributes only
(``fill``, ``stroke``, ``font-size``), so the SVG needs nothing from the policy, text is escaped by the XML writer,
and the look follows GOV.UK: GOV.UK Frontend colours with at least 3:1 contrast on white, text in near-black, and
nothing told by colour alone (each line has its own dash pattern and marker and is labelled at its end; each bar
carries its name and value as text).

Every chart has a <title> and a <desc> (the main finding in words) and ``role="img"``; the page puts the same
finding in a paragraph and the data in a table.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
TEXT = "#0b0c0c"  # GOV.UK text colour
GRID = "#b1b4b6"  # GOV.UK mid-grey: gridlines, not information
BLUE = "#1d70b8"  # 5.2:1 on white
RED = "#d4351c"  # 4.5:1 on white
GREY = "#505a5f"  # 7:1 on white
SOLID, DASHED, DOTTED = "", "8 4", "2 3"


@dataclass
class Series:
    label: str
    values: list[float | None]  # one per day from the chart's start, as a percentage; None where not known yet
    colour: str
    dash: str = SOLID
    marker: str = "circle"  # circle, square or triangle


@dataclass
class Bar:
    label: str
    value: float  # 0–100
    value_label: str


@dataclass
class Marker:
    day: date
    label: str


@dataclass
class _Canvas:
    width: int
    height: int
    chart_id: str
    title: str
    description: str
    root: ET.Element = field(init=False)

    def __post_init__(self):
        self.root = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": f"0 0 {self.width} {self.height}",
                "width": "100%",
                "role": "img",
                "aria-labelledby": f"{self.chart_id}-title {self.chart_id}-desc",
                "focusable": "false",
                "font-family": FONT,
                "class": "app-chart",
                "id": self.chart_id,
            },
        )
        ET.SubElement(self.root, "title", {"id": f"{self.chart_id}-title"}).text = self.title
        ET.SubElement(self.root, "desc", {"id": f"{self.chart_id}-desc"}).text = self.description

    def line(self, x1, y1, x2, y2, *, colour=TEXT, width=1, dash=SOLID):
        attributes = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": colour}
        attributes["stroke-width"] = _n(width)
        if dash:
            attributes["stroke-dasharray"] = dash
        ET.SubElement(self.root, "line", attributes)

    def text(self, x, y, value, *, size=14, anchor="start", weight="normal", colour=TEXT):
        attributes = {"x": _n(x), "y": _n(y), "font-size": str(size), "fill": colour, "text-anchor": anchor}
        if weight != "normal":
            attributes["font-weight"] = weight
        ET.SubElement(self.root, "text", attributes).text = value

    def rect(self, x, y, width, height, *, colour):
        ET.SubElement(
            self.root, "rect", {"x": _n(x), "y": _n(y), "width": _n(width), "height": _n(height), "fill": colour}
        )

    def polyline(self, points, *, colour, dash):
        attributes = {
            "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
            "fill": "none",
            "stroke": colour,
            "stroke-width": "3",
            "stroke-linejoin": "round",
        }
        if dash:
            attributes["stroke-dasharray"] = dash
        ET.SubElement(self.root, "polyline", attributes)

    def marker(self, x, y, *, shape, colour):
        if shape == "square":
            self.rect(x - 5, y - 5, 10, 10, colour=colour)
        elif shape == "triangle":
            points = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y + 5)} {_n(x - 6)},{_n(y + 5)}"
            ET.SubElement(self.root, "polygon", {"points": points, "fill": colour})
        else:
            ET.SubElement(self.root, "circle", {"cx": _n(x), "cy": _n(y), "r": "5", "fill": colour})

    def render(self) -> SafeString:
        # ElementTree escapes every text and attribute value, so names from the database cannot break out.
        return mark_safe(ET.tostring(self.root, encoding="unicode"))  # noqa: S308


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _spread(positions: list[float], *, gap: float, low: float, high: float) -> list[float]:
    """Moves end labels apart so none overlap, keeping their order."""
    order = sorted(range(len(positions)), key=lambda index: positions[index])
    placed = positions[:]
    previous = None
    for index in order:
        y = max(placed[index], low)
        if previous is not None and y - previous < gap:
            y = previous + gap
        placed[index] = y
        previous = y
    overflow = (placed[order[-1]] - high) if order else 0
    if overflow > 0:
        for index in order:
            placed[index] -= overflow
    return placed


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    start: date,
    days: int,
    series: list[Series],
    markers: list[Marker],
    width: int = 680,
    height: int = 340,
) -> SafeString:
    """Percentages over time: a y axis from 0% to 100%, months along the bottom, a legend below."""
    canvas = _Canvas(width, height, chart_id, title, description)
    left, right, top = 48, 150, 28
    bottom = height - 72
    span = max(days - 1, 1)

    def x_of(index: int) -> float:
        return left + (width - left - right) * index / span

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / 100

    for percent in (0, 25, 50, 75, 100):
        canvas.line(left, y_of(percent), width - right, y_of(percent), colour=GRID)
        canvas.text(left - 6, y_of(percent) + 5, f"{percent}%", size=12, anchor="end")
    canvas.line(left, bottom, width - right, bottom, colour=TEXT)
    month = date(start.year, start.month, 1)
    while (month - start).days < days:
        if month >= start:
            index = (month - start).days
            canvas.line(x_of(index), bottom, x_of(index), bottom + 5)
            canvas.text(x_of(index), bottom + 20, date_format(month, "M"), size=12, anchor="middle")
        month = (month + timedelta(days=32)).replace(day=1)
    for marker in markers:
        index = (marker.day - start).days
        if 0 <= index < days:
            canvas.line(x_of(index), top - 8, x_of(index), bottom, colour=TEXT, dash="4 4")
            canvas.text(x_of(index), top - 12, marker.label, size=12, anchor="middle")
    ends = []
    for line in series:
        known = [(index, value) for index, value in enumerate(line.values) if value is not None]
        if not known:
            continue
        canvas.polyline([(x_of(index), y_of(value)) for index, value in known], colour=line.colour, dash=line.dash)
        last_index, last_value = known[-1]
        canvas.marker(x_of(last_index), y_of(last_value), shape=line.marker, colour=line.colour)
        ends.append((line, x_of(last_index), y_of(last_value), last_value))
    label_ys = _spread([end[2] + 5 for end in ends], gap=16, low=top, high=bottom + 5)
    for (line, x, _y, value), label_y in zip(ends, label_ys, strict=True):
        canvas.text(x + 10, label_y, f"{line.label} {round(value)}%", size=13, colour=TEXT)
    legend_y = height - 22
    x = left
    for line in series:
        canvas.line(x, legend_y - 5, x + 36, legend_y - 5, colour=line.colour, width=3, dash=line.dash)
        canvas.marker(x + 18, legend_y - 5, shape=line.marker, colour=line.colour)
        canvas.text(x + 44, legend_y, line.label, size=13)
        x += 60 + 8 * len(line.label)
    return canvas.render()


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: list[Bar], colour: str = BLUE, width: int = 680
) -> SafeString:
    """Horizontal bars from 0% to 100%, each with its name above it and its value at its end."""
    row = 46
    top = 8
    height = top + row * len(bars) + 24
    canvas = _Canvas(width, height, chart_id, title, description)
    left, right = 4, 70
    scale = (width - left - right) / 100
    for index, bar in enumerate(bars):
        y = top + index * row
        canvas.text(left, y + 14, bar.label, size=14)
        canvas.rect(left, y + 20, 100 * scale, 18, colour="#f3f2f1")
        canvas.rect(left, y + 20, max(bar.value, 0) * scale, 18, colour=colour)
        canvas.text(left + max(bar.value, 0) * scale + 6, y + 34, bar.value_label, size=14, weight="bold")
    axis_y = top + row * len(bars) + 4
    for percent in (0, 50, 100):
        canvas.text(
            left + percent * scale, axis_y + 14, f"{percent}%", size=12, anchor="middle" if percent else "start"
        )
    return canvas.render()
