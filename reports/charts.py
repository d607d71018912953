"""Charts as SVG, drawn on the server: the same code for the dashboard on screen and the reports on paper.

No script and no asset from the internet: an intranet browser and WeasyPrint both draw them as they are.
Every chart has its legend and says its units; its values are written on it (paper has no hover);
axis labels are thinned by their measured width, so that they never overlap.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from reports.ledger import display_width

SANS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
DONE, OPEN, LATE, DUE = "#2e7d32", "#d9dee5", "#c62828", "#7b8794"
INK, MUTED = "#1f2933", "#52606d"
BAR_HEIGHT = 16
# Pixels a half-width character takes at a chart's label size (12): a CJK character takes two.
HALF_WIDTH_PX = 7
LEGEND_Y = 36  # the legend's line, under the title


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    late: int
    total: int
    link: str = ""  # the whole bar's work
    done_link: str = ""  # its accepted work
    late_link: str = ""  # its overdue work
    note: str = ""  # a second line under the label (the plan, where labels would repeat)

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def _legend(items: list[tuple[str, str, str]], *, y: int = LEGEND_Y) -> str:
    """Swatches and their words on one line: (colour, "rect" or "line", words)."""
    parts, x = [], 0
    for colour, shape, words in items:
        if shape == "line":
            parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 14}" y2="{y - 4}" stroke="{colour}" stroke-width="3"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}" font-size="12" fill="{INK}">{escape(words)}</text>')
        x += 18 + display_width(words) * HALF_WIDTH_PX + 16
    return "".join(parts)


def completion_bars(bars: list[Bar], *, title: str, width: int = 640, row: int = 26) -> str:
    """Horizontal bars, one per row: accepted (green) and overdue (red) work within all of it, the
    completion rate and the counts beside. Each bar links to ``link`` when given."""
    widest = max((display_width(text) for bar in bars for text in (bar.label, bar.note)), default=8)
    label_width = min(widest * HALF_WIDTH_PX + 12, width // 2)
    values_width = max((display_width(_bar_value(bar)) for bar in bars), default=4) * HALF_WIDTH_PX + 10
    chart_width = max(width - label_width - values_width, 40)
    if any(bar.note for bar in bars):
        row += 14  # room for the note's line
    top = LEGEND_Y + 10
    height = top + 6 + row * max(len(bars), 1)
    legend = [(DONE, "rect", _("Accepted")), (LATE, "rect", _("Overdue")), (OPEN, "rect", _("The rest"))]
    values_are = escape(_("completion (accepted / all)"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" font-family="{SANS}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}">{escape(title)}</text>',
        _legend(legend),
        f'<text x="{width}" y="{LEGEND_Y}" font-size="12" text-anchor="end" fill="{MUTED}">{values_are}</text>',
    ]
    for index, bar in enumerate(bars):
        y = top + index * row
        done = round(chart_width * bar.done / bar.total) if bar.total else 0
        late = round(chart_width * bar.late / bar.total) if bar.total else 0
        note = (
            f'<text x="{label_width - 6}" y="{y + 28}" font-size="10" text-anchor="end" fill="#52606d">'
            f"{escape(_shorten(bar.note, label_width))}</text>"
            if bar.note
            else ""
        )
        whole = (
            f'<text x="{label_width - 6}" y="{y + 14}" font-size="12" text-anchor="end" fill="#1f2933">'
            f"<title>{escape(bar.label)}{'（' + escape(bar.note) + '）' if bar.note else ''}</title>"
            f"{escape(_shorten(bar.label, label_width))}</text>{note}"
            f'<rect x="{label_width}" y="{y + 3}" width="{chart_width}" height="{BAR_HEIGHT}" fill="{OPEN}"/>'
            f'<text x="{label_width + chart_width + 6}" y="{y + 14}" font-size="12" fill="{INK}">'
            f"{escape(_bar_value(bar))}</text>"
        )
        done_rect = f'<rect x="{label_width}" y="{y + 3}" width="{done}" height="{BAR_HEIGHT}" fill="{DONE}"/>'
        late_rect = (
            f'<rect x="{label_width + chart_width - late}" y="{y + 3}" width="{late}" '
            f'height="{BAR_HEIGHT}" fill="{LATE}"/>'
        )
        parts.extend((_linked(whole, bar.link), _linked(done_rect, bar.done_link), _linked(late_rect, bar.late_link)))
    parts.append("</svg>")
    return "".join(parts)


def _bar_value(bar: Bar) -> str:
    return f"{bar.share:.0%}（{bar.done}/{bar.total}）"


def _linked(shapes: str, link: str) -> str:
    return f'<a href="{escape(link)}">{shapes}</a>' if link else shapes


@dataclass(frozen=True)
class Point:
    label: str  # the month, as its axis shows it
    due: int  # work due by then, cumulative
    done: int | None  # work accepted by then, cumulative; None for months to come
    link: str = ""  # the work due by then


def burn_up(points: list[Point], *, title: str, width: int = 640, height: int = 260) -> str:
    """Two lines month by month: the work falling due (grey) and the work accepted (green), each
    cumulative, their latest values written at their ends; a month's column links to the work due
    by then. Month labels are thinned by their measured width."""
    left, right, top, bottom = 44, 40, LEGEND_Y + 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([p.due for p in points] + [p.done or 0 for p in points] + [1])
    step = plot_w / max(len(points) - 1, 1)

    def x(i):
        return round(left + i * step, 1)

    def y(value):
        return round(top + plot_h - plot_h * value / peak, 1)

    legend = [(DUE, "line", _("Falling due, to date")), (DONE, "line", _("Accepted, to date"))]
    counted, months = escape(_("Units' assignments")), escape(_("month"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" font-family="{SANS}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}">{escape(title)}</text>',
        _legend(legend),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#9aa5b1"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="12" text-anchor="end" fill="{MUTED}">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="12" text-anchor="end" fill="{MUTED}">0</text>',
        f'<text x="{left}" y="{top - 6}" font-size="12" fill="{MUTED}">{counted}</text>',
        f'<text x="{width - right}" y="{height - 4}" font-size="12" text-anchor="end" fill="{MUTED}">{months}</text>',
    ]
    every = labels_every(points, step)
    for i, point in enumerate(points):
        column = f'<rect x="{x(i) - step / 2:.1f}" y="{top}" width="{step:.1f}" height="{plot_h}" fill="transparent"/>'
        parts.append(
            _linked(f"<title>{escape(point.label)}：{point.due} / {point.done or 0}</title>{column}", point.link)
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x(i)}" y="{top + plot_h + 18}" font-size="12" text-anchor="middle" fill="{MUTED}">'
                f"{escape(point.label)}</text>"
            )
    due_line = " ".join(f"{x(i)},{y(p.due)}" for i, p in enumerate(points))
    done = [(i, p) for i, p in enumerate(points) if p.done is not None]
    parts.append(f'<polyline points="{due_line}" fill="none" stroke="{DUE}" stroke-width="2"/>')
    if done:
        done_line = " ".join(f"{x(i)},{y(p.done)}" for i, p in done)
        parts.append(f'<polyline points="{done_line}" fill="none" stroke="{DONE}" stroke-width="2.5"/>')
    # A dot on each month, so that a line of one month still shows.
    parts.extend(f'<circle cx="{x(i)}" cy="{y(p.done)}" r="3" fill="{DONE}"/>' for i, p in done)
    # The latest values, written: the last month's due, the latest month's accepted.
    last = len(points) - 1
    parts.append(
        f'<text x="{x(last) + 6}" y="{y(points[last].due) + 4}" font-size="12" fill="{DUE}">{points[last].due}</text>'
    )
    if done:
        i, p = done[-1]
        parts.append(f'<text x="{x(i) + 6}" y="{y(p.done) - 6}" font-size="12" fill="{DONE}">{p.done}</text>')
    parts.append("</svg>")
    return "".join(parts)


def labels_every(points: list[Point], step: float) -> int:
    """Every how many months a label is written so that neighbours never touch: each label's measured
    width, and a gap, within the space of the months it stands for."""
    widest = max((display_width(p.label) for p in points), default=7) * HALF_WIDTH_PX + 10
    return max(math.ceil(widest / step), 1) if step else 1


def _shorten(label: str, room: int) -> str:
    """As much of the label as fits ``room`` pixels at HALF_WIDTH_PX per half-width column."""
    if display_width(label) * HALF_WIDTH_PX <= room - 6:
        return label
    kept, used = "", 0
    for char in label:
        used += display_width(char) * HALF_WIDTH_PX
        if used > room - 18:
            return kept + "…"
        kept += char
    return kept
