"""Charts drawn on the server as inline SVG: no JavaScript, no third party.

Every label passes through ``format_html``, so a group called ``<script>`` is
drawn as text. Each chart is an image with a title and a description for
screen readers (``role="img"``); the page puts the same numbers in a table
after it. Text and axes take the page's text colour (``currentColor``) and
the series colours come from CSS classes (``static/css/statistics.css``, which
also has the dark-theme colours), with light-theme colours as attributes for
when the stylesheet is missing.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

FONT_SIZE = 13
SMALL_FONT_SIZE = 12
LABEL_CHARACTERS = 40  # longer labels are cut, the full text is their tooltip
# A phone's width (390 px) less the page's margins: the charts' drawing width.
PHONE_WIDTH = 340
# Generous for an average character at FONT_SIZE (wide sans fonts), so
# right-aligned labels never run off the left edge.
CHARACTER_WIDTH = 8.2
SERIES_COLOURS = {"members": "#2a6b8a", "pending": "#b35900"}
GRID_COLOUR = "#767676"


@dataclass(frozen=True)
class Series:
    label: str
    name: str  # a key of SERIES_COLOURS, also the CSS class suffix


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series


@dataclass(frozen=True)
class Column:
    label: str
    sublabel: str  # a second line under the label, or ""
    value: int


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    bars: Sequence[Bar],
    width: int = PHONE_WIDTH,
) -> SafeString:
    """Horizontal bars: one row per label, one bar per series in the row.

    Each label stands on its own line above its bars, so the bars get the
    whole width: drawn ``PHONE_WIDTH`` wide, the chart fits a phone at its
    own size (its text as large as the page's) and stays that size on a desk.
    """
    bar_height, bar_gap, row_gap, label_height = 16, 3, 14, 18
    axis_height = 30
    value_width = 52
    plot_left, plot_right = 1, width - value_width
    row_height = (
        label_height + len(series) * bar_height + (len(series) - 1) * bar_gap + row_gap
    )
    legend, legend_height = _legend(series, x=plot_left, y=12, width=width)
    plot_top = legend_height
    plot_bottom = plot_top + max(len(bars), 1) * row_height
    height = plot_bottom + axis_height
    ticks = nice_ticks(max((max(bar.values, default=0) for bar in bars), default=0))
    scale = (plot_right - plot_left) / ticks[-1]

    parts = [legend]
    for tick in ticks:
        x = plot_left + tick * scale
        parts.append(_grid_line(x, plot_top, x, plot_bottom))
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>',
                _number(x),
                plot_bottom + 18,
                SMALL_FONT_SIZE,
                tick,
            )
        )
    for row, bar in enumerate(bars):
        top = plot_top + row * row_height + row_gap / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}"><title>{}</title>{}</text>',
                plot_left,
                _number(top + label_height - 5),
                FONT_SIZE,
                bar.label,
                _shorten(bar.label),
            )
        )
        top += label_height
        for index, (each, value) in enumerate(zip(series, bar.values, strict=True)):
            y = top + index * (bar_height + bar_gap)
            length = value * scale
            parts.append(
                format_html(
                    '<rect class="chart-{}" x="{}" y="{}" width="{}" height="{}" '
                    'fill="{}"><title>{}: {}</title></rect>',
                    each.name,
                    plot_left,
                    _number(y),
                    _number(length),
                    bar_height,
                    SERIES_COLOURS[each.name],
                    each.label,
                    value,
                )
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" dy=".35em" font-size="{}">{}</text>',
                    _number(plot_left + length + 5),
                    _number(y + bar_height / 2),
                    SMALL_FONT_SIZE,
                    value,
                )
            )
    parts.append(_grid_line(plot_left, plot_top, plot_left, plot_bottom, axis=True))
    return _svg(chart_id, title, description, width, height, parts)


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Series,
    columns: Sequence[Column],
    width: int = 760,
    height: int = 260,
) -> SafeString:
    """Vertical columns of one series, such as a count per month."""
    plot_left, plot_right = 48, width - 12
    plot_top, plot_bottom = 34, height - 44
    ticks = nice_ticks(max((column.value for column in columns), default=0))
    scale = (plot_bottom - plot_top) / ticks[-1]
    slot = (plot_right - plot_left) / max(len(columns), 1)
    column_width = slot * 0.6

    parts = [_legend([series], x=plot_left, y=12, width=width)[0]]
    for tick in ticks:
        y = plot_bottom - tick * scale
        parts.append(_grid_line(plot_left, y, plot_right, y))
        parts.append(
            format_html(
                '<text x="{}" y="{}" dy=".35em" text-anchor="end" font-size="{}">'
                "{}</text>",
                plot_left - 8,
                _number(y),
                SMALL_FONT_SIZE,
                tick,
            )
        )
    for index, column in enumerate(columns):
        centre = plot_left + slot * index + slot / 2
        length = column.value * scale
        parts.append(
            format_html(
                '<rect class="chart-{}" x="{}" y="{}" width="{}" height="{}" '
                'fill="{}"><title>{} {}: {}</title></rect>',
                series.name,
                _number(centre - column_width / 2),
                _number(plot_bottom - length),
                _number(column_width),
                _number(length),
                SERIES_COLOURS[series.name],
                column.label,
                column.sublabel,
                column.value,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>',
                _number(centre),
                _number(plot_bottom - length - 5),
                SMALL_FONT_SIZE,
                column.value,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>',
                _number(centre),
                plot_bottom + 17,
                FONT_SIZE,
                column.label,
            )
        )
        if column.sublabel:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>',
                    _number(centre),
                    plot_bottom + 34,
                    SMALL_FONT_SIZE,
                    column.sublabel,
                )
            )
    parts.append(_grid_line(plot_left, plot_bottom, plot_right, plot_bottom, axis=True))
    return _svg(chart_id, title, description, width, height, parts)


def nice_ticks(maximum: int, *, most: int = 6) -> list[int]:
    """Whole-number axis ticks from 0 past ``maximum``: steps of 1, 2, 5 × 10ⁿ."""
    if maximum <= 0:
        return [0, 1]
    step = 1
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step) < most:
                top = math.ceil(maximum / step) * step
                return list(range(0, top + 1, step))
        magnitude *= 10


def _svg(
    chart_id: str,
    title: str,
    description: str,
    width: int,
    height: int,
    parts: list[SafeString],
) -> SafeString:
    opening = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="wabp-chart" id="{}" '
        'role="img" aria-labelledby="{}-title {}-desc" viewBox="0 0 {} {}" '
        'width="{}" height="{}" fill="currentColor">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        chart_id,
        chart_id,
        chart_id,
        width,
        _number(height),
        width,
        _number(height),
        chart_id,
        title,
        chart_id,
        description,
    )
    # Every part was built by format_html, which escaped what it was given.
    return format_html("{}{}</svg>", opening, _joined(parts))


def _legend(
    series: Sequence[Series], *, x: float, y: float, width: float
) -> tuple[SafeString, float]:
    """The legend, side by side where it fits, else one entry a line; and
    the height it takes with the space under it."""
    widths = [20 + len(each.label) * CHARACTER_WIDTH for each in series]
    stacked = x + sum(widths) + 24 * (len(series) - 1) > width
    parts = []
    left = x
    for each, entry_width in zip(series, widths, strict=True):
        parts.append(
            format_html(
                '<rect class="chart-{}" x="{}" y="{}" width="14" height="14" '
                'fill="{}"></rect>'
                '<text x="{}" y="{}" dy=".35em" font-size="{}">{}</text>',
                each.name,
                _number(left),
                _number(y - 7),
                SERIES_COLOURS[each.name],
                _number(left + 20),
                _number(y),
                FONT_SIZE,
                each.label,
            )
        )
        if stacked:
            y += 20
        else:
            left += entry_width + 24
    # The last entry's line (its box reaches 7 below y) and a gap.
    height = (y - 20 if stacked else y) + 22
    return _joined(parts), height


def _grid_line(
    x1: float, y1: float, x2: float, y2: float, *, axis: bool = False
) -> SafeString:
    return format_html(
        '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
        'stroke-width="{}" stroke-dasharray="{}"></line>',
        "chart-axis" if axis else "chart-grid",
        _number(x1),
        _number(y1),
        _number(x2),
        _number(y2),
        "currentColor" if axis else GRID_COLOUR,
        1.5 if axis else 1,
        "none" if axis else "2 3",
    )


def _joined(parts: Sequence[SafeString]) -> SafeString:
    """Safe parts, one after the other, still safe (and nothing re-escaped)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _shorten(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _number(value: float) -> str:
    """A coordinate with at most one decimal, the same in every locale."""
    return f"{value:.1f}".removesuffix(".0")
