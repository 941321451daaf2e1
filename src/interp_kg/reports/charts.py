"""Charts as inline SVG, drawn by pygal.

pygal writes SVG natively and imports in a fraction of matplotlib's time; it is imported here only,
by the HTML reports. Every chart goes through :func:`to_svg`, which makes pygal's SVG fit a
self-contained, script-free page:

- no script: pygal's tooltip JavaScript (an online file by default) is switched off (``js=[]``)
  and its inline config ``<script>`` is dropped; a mark's tooltip is a native SVG ``<title>``
  instead (the browser shows it on hover), and the ``<desc>`` data meant for the script goes too;
- no network: pygal's comments (its home page URLs, the date of the day) are dropped and its CSS
  is inlined from the package, so the only URLs left are the SVG and XLink namespace URIs;
- the same bytes for the same figures: each chart's id (pygal draws a random uuid) is fixed to
  ``chart-<name>``, which also prefixes its CSS rules so the charts of one page share none; the
  tree is written by the standard library's ElementTree (never lxml, which writes otherwise);
- no XML prolog, and every text escaped by ElementTree (labels may hold ``<``, ``&`` or ``$``);
- a mark per non-zero figure: the empty bars pygal draws for the missing values of a stacked
  chart are dropped.

pygal has no heatmap. The topic x column matrices (works per topic and year, identifier shares)
are drawn as a *punch card*: a pygal Dot chart with one row (series) per topic and one column per
year. A cell's dot grows with its value (its radius with the square root of the value, so its
area is about proportional, from a smallest dot of :data:`MIN_DOT` of the largest so a 1 stays
visible) and its fill darkens along a light-to-dark ramp (colour intensity encodes the value too,
as in a heatmap); empty cells have no dot. Row labels are left-aligned so that the topic tree's
indentation shows, top-level topics in bold. Each dot's ``<title>`` gives the topic, the
column and the exact figure.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pygal.graph.base import BaseGraph

#: Pixels per row of a row-per-topic chart.
ROW_HEIGHT: Final = 18
#: Pixels per character of a label (a little generous, for proportional fonts).
CHAR_WIDTH: Final = 6.6
FONT_SIZE: Final = 11
#: Entries per row of a legend below a chart.
LEGEND_COLUMNS: Final = 4
#: Pixels around a chart.
MARGIN: Final = 8
#: The smallest dot of a punch card, as a share of the largest (so that a 1 stays visible).
MIN_DOT: Final = 0.2
FONT: Final = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
INK: Final = "#222222"
#: Fixed colours (the "tab10" palette) for categories, so a category keeps its colour.
PALETTE: Final = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
#: Light and dark ends of the colour ramps of the punch cards (RGB).
RAMPS: Final[Mapping[str, tuple[tuple[int, int, int], tuple[int, int, int]]]] = {
    "blues": ((198, 219, 239), (8, 48, 107)),
    "greens": ((199, 233, 192), (0, 68, 27)),
}
#: Elements of pygal's SVG that only its tooltip script reads.
_SCRIPT_ONLY: Final = frozenset({"script", "desc"})
_SVG_NS: Final = "http://www.w3.org/2000/svg"


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#555555",
        font_family=FONT,
        label_font_size=FONT_SIZE,
        major_label_font_size=FONT_SIZE,
        legend_font_size=FONT_SIZE,
        title_font_size=13,
        value_font_size=FONT_SIZE,
        tooltip_font_size=FONT_SIZE,
        guide_stroke_color="#dddddd",
        major_guide_stroke_color="#dddddd",
        opacity="1",
        opacity_hover=".8",
        colors=PALETTE,
    )


def _config(width: float, height: float, **options: Any) -> dict[str, Any]:
    """pygal options shared by every chart: explicit size, no script, no truncated label."""
    return {
        "width": round(width),
        "height": round(height),
        "explicit_size": True,
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": MARGIN,
        "spacing": 6,
        **options,
    }


def _strip(node: ET.Element, axis: bool = False) -> None:
    """Drop comments, scripts and script-only ``<desc>`` data below ``node``, and the ``<title>``
    pygal gives each axis label (its position, as a tooltip)."""
    for child in list(node):
        tag = child.tag
        if not isinstance(tag, str) or tag in _SCRIPT_ONLY or (axis and tag == "title"):
            node.remove(child)
        else:
            _strip(child, axis or "axis" in child.get("class", "").split())


def _empty(node: ET.Element) -> bool:
    """A bar whose rectangle has no area (pygal draws one, without a width, for a missing value
    of a stacked chart)."""
    rect = node.find("rect")
    return rect is not None and not (float(rect.get("width") or 0) and float(rect.get("height") or 0))


def _drop_empty_bars(root: ET.Element) -> None:
    for group in root.iter("g"):
        for child in [c for c in group if c.tag == "g" and c.get("class") == "bar" and _empty(c)]:
            group.remove(child)


def _row_labels(root: ET.Element, bold: Sequence[bool]) -> None:
    """Row labels (pygal's y axis) left-aligned from the chart's left margin, so that leading
    no-break spaces indent them; the ``i``-th label (pygal's order) in bold where ``bold[i]``."""
    plot = next(g for g in root.iter("g") if g.get("class") == "plot")
    left = float(plot.get("transform", "translate(0").removeprefix("translate(").split(",")[0])
    axis = next(g for g in plot.iter("g") if g.get("class", "").split()[:2] == ["axis", "y"])
    for i, text in enumerate(axis.iter("text")):
        text.set("x", f"{MARGIN - left:g}")
        text.set("style", "text-anchor: start")  # pygal's CSS would override an attribute
        if i < len(bold) and bold[i]:
            text.set("font-weight", "bold")


def to_svg(chart: BaseGraph, name: str, *, fix: Callable[[ET.Element], None] | None = None) -> str:
    """The chart as an ``<svg>`` element to inline in HTML, with the id ``chart-<name>`` (see the
    module docstring); ``fix`` may adjust the tree before it is written."""
    from pygal.etree import etree

    etree.to_etree()  # the standard library's writer, whether or not lxml is installed
    chart.uuid = name  # pygal's id of the chart: fixed, not random
    root = chart.render_tree()
    _strip(root)
    _drop_empty_bars(root)
    if fix is not None:
        fix(root)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="unicode") + "\n"


def _label_width(labels: Sequence[str]) -> float:
    """Pixels for the longest of ``labels``."""
    return CHAR_WIDTH * max((len(x) for x in labels), default=4)


def _legend_height(series: Mapping[str, Sequence[float]]) -> int:
    """Pixels for a legend below a chart: rows of :data:`LEGEND_COLUMNS` entries."""
    return 24 * math.ceil(len(series) / LEGEND_COLUMNS)


def _legend_below(series: Mapping[str, Sequence[float]]) -> dict[str, Any]:
    """pygal options for a legend below a chart in rows of :data:`LEGEND_COLUMNS` entries.

    pygal makes room for ``len(series) // columns`` legend rows, one too few when the last row is
    not full: the bottom margin gets that row."""
    columns = max(1, min(len(series), LEGEND_COLUMNS))
    short = math.ceil(len(series) / columns) - len(series) // columns
    return {
        "legend_at_bottom": True,
        "legend_at_bottom_columns": columns,
        "margin_bottom": MARGIN + 20 * short,
    }


def _shade(ramp: str, level: float) -> str:
    """The colour ``level`` (0..1) of the way along ``ramp``."""
    light, dark = RAMPS[ramp]
    t = min(max(level, 0.0), 1.0)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(light, dark, strict=True))


def heatmap(
    name: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    cell_text: Sequence[Sequence[str]],
    title: str,
    vmax: float | None = None,
    gamma: float = 1.0,
    ramp: str = "blues",
    bold: Sequence[bool] = (),
) -> str:
    """A rows x columns punch card (see the module docstring): a dot per non-zero cell, its area
    proportional to the value (up to ``vmax``, default the largest) and its colour darker the
    larger ``(value / vmax) ** gamma``; ``cell_text[i][j]`` is the figure in its tooltip;
    ``bold[i]`` sets row ``i``'s label in bold."""
    import pygal

    top = vmax if vmax is not None else max((max(r, default=0) for r in values), default=0) or 1
    column = max(26.0, CHAR_WIDTH * max((len(c) for c in columns), default=4) + 8)
    chart = pygal.Dot(
        **_config(
            _label_width(rows) + column * len(columns) + 40,
            90 + ROW_HEIGHT * max(len(rows), 1),
            title=title,
            show_legend=False,
            x_label_rotation=0,
            range=(0, 1),
            show_y_guides=False,
            show_x_guides=False,
        )
    )
    chart.x_labels = list(columns)
    for i, (row, cells) in enumerate(zip(rows, values, strict=True)):
        chart.add(
            row,
            [
                {
                    "value": MIN_DOT + (1 - MIN_DOT) * math.sqrt(min(v, top) / top),
                    "color": _shade(ramp, (min(v, top) / top) ** gamma),
                    "tooltip": f"{row.strip()} · {columns[j]}: {cell_text[i][j]}",
                }
                if v
                else None
                for j, v in enumerate(cells)
            ],
        )
    return to_svg(chart, name, fix=lambda root: _row_labels(root, bold))


def _value_tooltips(
    rows: Sequence[str], series: Mapping[str, Sequence[float]], text: Callable[[float], str]
) -> dict[str, list[dict[str, Any] | None]]:
    """``series`` as pygal values with a tooltip each ("row · series: value"); zeros left out."""
    return {
        label: [
            {"value": v, "tooltip": f"{rows[i].strip()} · {label}: {text(v)}"} if v else None
            for i, v in enumerate(values)
        ]
        for label, values in series.items()
    }


def _number(v: float) -> str:
    return f"{v:g}"


def _percent(v: float) -> str:
    return f"{v:.0%}"


def stacked_bars(
    name: str,
    rows: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    xlabel: str,
    percent: bool = False,
    bold: Sequence[bool] = (),
) -> str:
    """Horizontal bars, one per row from the top, stacked from ``series`` (name -> one value per
    row), with a legend on the right; ``bold[i]`` sets row ``i``'s label in bold."""
    import pygal

    text = _percent if percent else _number
    options: dict[str, Any] = {"range": (0, 1)} if percent else {}
    chart = pygal.HorizontalStackedBar(
        **_config(
            _label_width(rows) + 480,
            80 + ROW_HEIGHT * max(len(rows), 3) + _legend_height(series),
            **_legend_below(series),
            x_title=xlabel,
            value_formatter=text,
            show_y_guides=False,
            **options,
        )
    )
    # pygal draws a horizontal chart's first label at the bottom: feed the rows bottom-up.
    chart.x_labels = list(reversed(rows))
    for label, values in _value_tooltips(rows, series, text).items():
        chart.add(label, list(reversed(values)))
    return to_svg(chart, name, fix=lambda root: _row_labels(root, list(reversed(bold))))


def column_bars(
    name: str,
    columns: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    ylabel: str,
    label_every: int = 1,
) -> str:
    """Vertical bars, one per column, stacked from ``series`` (name -> one value per column); every
    ``label_every``-th column labelled (rotated when not all are)."""
    import pygal

    rotated = label_every > 1
    width = 16.0 if rotated else max(22.0, CHAR_WIDTH * max((len(c) for c in columns), default=4) + 8)
    chart = pygal.StackedBar(
        **_config(
            max(300.0, 70 + width * len(columns)),
            260
            + (_label_width(columns) if rotated else 20)
            + (_legend_height(series) if len(series) > 1 else 0),
            show_legend=len(series) > 1,
            **_legend_below(series),
            y_title=ylabel,
            value_formatter=_number,
            x_label_rotation=90 if rotated else 0,
            show_x_guides=False,
            show_minor_x_labels=not rotated,
            x_labels_major=[c for i, c in enumerate(columns) if i % label_every == 0 or i == len(columns) - 1]
            if rotated
            else None,
        )
    )
    chart.x_labels = list(columns)
    for label, values in _value_tooltips(columns, series, _number).items():
        chart.add(label, values)
    return to_svg(chart, name)
