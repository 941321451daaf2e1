"""Charts as inline SVG, drawn by matplotlib.

matplotlib is imported here only, by the HTML reports. Figures are made without pyplot (no global
state, no GUI backend) on the Agg backend and saved as SVG with a fixed hash salt (so element ids
are stable; they are then prefixed with the chart's name, so the charts of one page share none),
no metadata (no date) and text as ``<text>`` elements: the same figures give the same bytes.
Cells and bars are vector shapes, never embedded raster images.

Layout is computed here (margins from the longest label) rather than by ``bbox_inches="tight"``
or a layout engine, which would draw every figure twice: drawing text is most of the time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Inches per row of a row-per-topic chart.
ROW_HEIGHT: Final = 0.22
#: Inches per character of an 8-point label (DejaVu Sans, a little generous).
CHAR_WIDTH: Final = 0.062
FONT_SIZE: Final = 8
#: Colours as RGB tuples: matplotlib parses a colour name or hex string on every use.
INK: Final = (0.133, 0.133, 0.133)
WHITE: Final = (1.0, 1.0, 1.0)
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
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
#: An element id, or a reference to one (``xlink:href="#id"``, ``url(#id)``).
_ID = re.compile(r'(\bid="|xlink:href="#|url\(#)([^")]+)')


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=72)


def _axes(fig: Figure, left: float, right: float, top: float, bottom: float) -> Axes:
    """Axes with margins in inches."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, bottom / h, (w - left - right) / w, (h - top - bottom) / h))


def to_svg(fig: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element to inline in HTML: no XML prolog, DOCTYPE or metadata,
    and every element id prefixed with ``name`` so that the charts of one page share none."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "interp-kg", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata=dict.fromkeys(("Date", "Creator", "Format", "Type")))
    svg = _PROLOG.sub("", buf.getvalue()).strip()
    svg = _ID.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", svg)
    return svg.replace("<svg ", f'<svg id="chart-{name}" ', 1) + "\n"


def plain(text: str) -> str:
    """Text for matplotlib with no mathtext: ``$`` escaped."""
    return text.replace("$", r"\$")


def _label_width(labels: Sequence[str]) -> float:
    """Inches for the longest of ``labels`` (no-break spaces count as half a character)."""
    return 0.2 + CHAR_WIDTH * max((len(x) - x.count("\u00a0") / 2 for x in labels), default=4)


def _row_labels(ax: Axes, labels: Sequence[str], left: float, bold: Sequence[bool] = ()) -> None:
    """Row labels in the ``left`` inches left of the axes, left-aligned (so leading no-break spaces
    indent them), one per unit row from the top; drawn as plain text, not as tick objects."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    fig = ax.get_figure()
    assert fig is not None
    to_left = blended_transform_factory(ax.transAxes, ax.transData) + ScaledTranslation(
        -(left - 0.1), 0, fig.dpi_scale_trans
    )
    for i, label in enumerate(labels):
        weight = "bold" if i < len(bold) and bold[i] else "normal"
        ax.text(
            0,
            i + 0.5,
            plain(label),
            transform=to_left,
            ha="left",
            va="center",
            fontsize=FONT_SIZE,
            fontweight=weight,
            color=INK,
        )
    ax.set_ylim(len(labels), 0)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


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
    cmap: str = "Blues",
    bold: Sequence[bool] = (),
) -> str:
    """A rows x columns grid of coloured cells with their text; column labels and title on top;
    ``bold[i]`` sets row ``i``'s label in bold."""
    from matplotlib.colors import PowerNorm
    from matplotlib.transforms import blended_transform_factory

    left = _label_width(rows)
    cell = max(0.5, CHAR_WIDTH * max((len(c) for c in columns), default=4) + 0.1)
    top, bottom = 0.55, 0.1
    fig = _figure(left + cell * len(columns) + 0.2, top + bottom + ROW_HEIGHT * max(len(rows), 1))
    ax = _axes(fig, left, 0.2, top, bottom)
    top_value = vmax if vmax is not None else max((max(r, default=0) for r in values), default=0) or 1
    norm = PowerNorm(gamma=gamma, vmin=0, vmax=top_value)
    ax.pcolormesh([list(r) for r in values] or [[0.0]], cmap=cmap, norm=norm, edgecolors="white", linewidth=1)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if cell_text[i][j]:
                color = WHITE if norm(v) > 0.55 else INK
                ax.text(j + 0.5, i + 0.5, cell_text[i][j], ha="center", va="center", fontsize=7, color=color)
    _row_labels(ax, rows, left, bold)
    ax.spines["bottom"].set_visible(False)
    ax.set_xticks([])
    above = blended_transform_factory(ax.transData, ax.transAxes)
    for j, column in enumerate(columns):
        ax.text(j + 0.5, 1.01, plain(column), transform=above, ha="center", va="bottom", fontsize=FONT_SIZE)
    height = fig.get_size_inches()[1]
    fig.text(0.1 / fig.get_size_inches()[0], 1 - 0.08 / height, plain(title), ha="left", va="top", fontsize=9)
    return to_svg(fig, name)


def stacked_bars(
    name: str,
    rows: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    xlabel: str,
    percent: bool = False,
    bold: Sequence[bool] = (),
) -> str:
    """Horizontal bars, one per row, stacked from ``series`` (name -> one value per row), with a
    legend on the right; ``bold[i]`` sets row ``i``'s label in bold."""
    from matplotlib.ticker import PercentFormatter

    left = _label_width(rows)
    right = _label_width(list(series)) + 0.4
    top, bottom = 0.15, 0.5
    fig = _figure(left + 4.0 + right, top + bottom + ROW_HEIGHT * max(len(rows), 3))
    ax = _axes(fig, left, right, top, bottom)
    start = [0.0] * len(rows)
    ys = [i + 0.5 for i in range(len(rows))]
    for k, (label, values) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        ax.barh(ys, values, left=start, height=0.7, color=color, label=plain(label))
        start = [a + b for a, b in zip(start, values, strict=True)]
    _row_labels(ax, rows, left, bold)
    ax.set_xlabel(plain(xlabel), fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE)
    if percent:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=FONT_SIZE)
    return to_svg(fig, name)


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
    rotated = label_every > 1
    right = _label_width(list(series)) + 0.4 if len(series) > 1 else 0.2
    bottom = 0.2 + (CHAR_WIDTH * max((len(c) for c in columns), default=4) if rotated else 0.25)
    column = 0.2 if rotated else max(0.3, 0.1 + CHAR_WIDTH * max((len(c) for c in columns), default=4))
    fig = _figure(max(3.0, 0.6 + right + column * len(columns)), 2.6 + bottom)
    ax = _axes(fig, 0.6, right, 0.15, bottom)
    base = [0.0] * len(columns)
    xs = list(range(len(columns)))
    for k, (label, values) in enumerate(series.items()):
        ax.bar(xs, values, bottom=base, width=0.8, color=PALETTE[k % len(PALETTE)], label=plain(label))
        base = [a + b for a, b in zip(base, values, strict=True)]
    shown = [i for i in xs if i % label_every == 0 or i == len(xs) - 1]
    ax.set_xticks(shown, [plain(columns[i]) for i in shown], rotation=90 if rotated else 0)
    ax.tick_params(labelsize=FONT_SIZE)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylabel(plain(ylabel), fontsize=FONT_SIZE)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(series) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=FONT_SIZE)
    return to_svg(fig, name)
