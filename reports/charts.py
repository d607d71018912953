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
from tasks.work import next_month

SANS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
DONE, OPEN, LATE, DUE = "#2e7d32", "#d9dee5", "#c62828", "#7b8794"
INK, MUTED = "#1f2933", "#52606d"
BAR_HEIGHT = 16


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


def labels_every(points: list[Point], step: float) -> int:
    """Every how many months a label is written so that neighbours never touch: each label's measured
    width at the body's size, and a gap, within the space of the months it stands for (``step`` pixels
    a month)."""
    widest = max((display_width(p.label) for p in points), default=7) * HALF_WIDTH + 10
    return max(math.ceil(widest / step), 1) if step else 1


# --- Laid out at any width, the text never scaled -------------------------------------------------------
#
# A chart scaled to its box shrinks its text with it (12 user units are 7 px in a phone's card, 8 pt on
# an A4 page). The charts have no viewBox: their text is set at the body's size and their shapes placed
# in percentages of the width, so that a phone, a wall screen and a printed page read the same text.

TEXT = 16  # px: the page's body text
LINE = TEXT + 10  # px from one line of text to the next: their boxes (ascent and descent) never touch
HALF_WIDTH = TEXT / 2 + 0.5  # px a half-width character takes at that size (a CJK character, two)
BAR_SPAN = 72  # % of the width the bars take; the values are written in the rest
# The narrowest chart a page lays out (a 390 px phone's card, less its padding): month labels are
# thinned for it, so that they never overlap at any width.
NARROWEST = 320


def _svg_open(title: str, height: int, extra_class: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart fluid{extra_class}" width="100%" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{SANS}" font-size="{TEXT}">'
        f'<text x="0" y="{TEXT + 2}" font-weight="bold" fill="{INK}">{escape(title)}</text>'
    )


def _legend(items: list[tuple[str, str, str]], y: int) -> str:
    """Each swatch and its words on a line of their own: nothing to collide with at a phone's width."""
    parts = []
    for n, (colour, shape, words) in enumerate(items):
        line = y + n * LINE
        if shape == "line":
            parts.append(f'<line x1="0" y1="{line - 5}" x2="16" y2="{line - 5}" stroke="{colour}" stroke-width="3"/>')
        else:
            parts.append(f'<rect x="0" y="{line - 13}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="22" y="{line}" fill="{INK}">{escape(words)}</text>')
    return "".join(parts)


def completion_bars(bars: list[Bar], *, title: str) -> str:
    """Horizontal bars, each under its label (and its plan): accepted (green) and overdue (red) work
    within all of it, its share and counts at its right; each bar links to ``link`` when given."""
    legend = [(DONE, "rect", _("Accepted")), (LATE, "rect", _("Overdue")), (OPEN, "rect", _("The rest"))]
    first = TEXT + 2 + LINE  # the legend's first line, under the title
    values_at = first + len(legend) * LINE  # what the figures at the right are, on a line of its own
    values_are = escape(_("completion (accepted / all)"))
    row = TEXT * 2 + 20
    rows = []
    y = values_at + LINE + 4
    for bar in bars:
        label = escape(bar.label) + (f'<tspan fill="{MUTED}">（{escape(bar.note)}）</tspan>' if bar.note else "")
        done = BAR_SPAN * bar.done / bar.total if bar.total else 0
        late = BAR_SPAN * bar.late / bar.total if bar.total else 0
        whole = (
            f'<text x="0" y="{y}" fill="{INK}">{label}</text>'
            f'<rect x="0" y="{y + 6}" width="{BAR_SPAN}%" height="{BAR_HEIGHT}" fill="{OPEN}"/>'
            f'<text x="100%" y="{y + 20}" text-anchor="end" fill="{INK}">{escape(_bar_value(bar))}</text>'
        )
        done_rect = f'<rect x="0" y="{y + 6}" width="{done:.2f}%" height="{BAR_HEIGHT}" fill="{DONE}"/>'
        late_rect = (
            f'<rect x="{BAR_SPAN - late:.2f}%" y="{y + 6}" width="{late:.2f}%" height="{BAR_HEIGHT}" fill="{LATE}"/>'
        )
        rows.extend((_linked(whole, bar.link), _linked(done_rect, bar.done_link), _linked(late_rect, bar.late_link)))
        y += row
    height = y - row + BAR_HEIGHT + 16
    return "".join(
        [
            _svg_open(title, height),
            _legend(legend, first),
            f'<text x="100%" y="{values_at}" text-anchor="end" fill="{MUTED}">{values_are}</text>',
            *rows,
            "</svg>",
        ]
    )


def burn_up(points: list[Point], *, title: str, plot_height: int = 180) -> str:
    """Two lines month by month: the work falling due (grey) and the work accepted (green), each
    cumulative, drawn in a plot stretched to the width (their strokes kept); the axis, month labels
    (thinned by their measured width) and latest values written around it; a month's column links
    to the work due by then."""
    legend = [(DUE, "line", _("Falling due, to date")), (DONE, "line", _("Accepted, to date"))]
    first = TEXT + 2 + LINE
    axis_at = first + len(legend) * LINE  # the vertical axis's title, over the plot
    top = axis_at + LINE // 2
    left, right = 8.0, 8.0  # % of the width: the peak's figure and the latest values' room
    span = 100 - left - right
    peak = max([p.due for p in points] + [p.done or 0 for p in points] + [1])
    last = max(len(points) - 1, 1)

    def x(i) -> float:  # % of the width
        return left + span * i / last

    def y(value) -> float:  # within the plot, of its height
        return plot_height - plot_height * value / peak

    plot = 1000  # the plot's own width: stretched to its box, its strokes not
    px = [round(plot * i / last, 1) for i in range(len(points))]
    due_line = " ".join(f"{px[i]},{y(p.due):.1f}" for i, p in enumerate(points))
    done = [(i, p) for i, p in enumerate(points) if p.done is not None]
    done_line = " ".join(f"{px[i]},{y(p.done):.1f}" for i, p in done)
    lines = [
        f'<svg x="{left}%" y="{top}" width="{span}%" height="{plot_height}" viewBox="0 0 {plot} {plot_height}" '
        f'preserveAspectRatio="none" overflow="visible">',
        f'<line x1="0" y1="{plot_height}" x2="{plot}" y2="{plot_height}" stroke="#9aa5b1" '
        f'vector-effect="non-scaling-stroke"/>',
        f'<polyline points="{due_line}" fill="none" stroke="{DUE}" stroke-width="2" '
        f'vector-effect="non-scaling-stroke"/>',
    ]
    if done:
        lines.append(
            f'<polyline points="{done_line}" fill="none" stroke="{DONE}" stroke-width="3" '
            f'vector-effect="non-scaling-stroke"/>'
        )
    for i, point in enumerate(points):
        width = plot / last
        column = (
            f'<rect x="{px[i] - width / 2:.1f}" y="0" width="{width:.1f}" height="{plot_height}" fill="transparent"/>'
        )
        lines.append(
            _linked(f"<title>{escape(point.label)}：{point.due} / {point.done or 0}</title>{column}", point.link)
        )
    lines.append("</svg>")
    bottom = top + plot_height
    counted, months = escape(_("Units' assignments")), escape(_("month"))
    texts = [
        f'<text x="0" y="{axis_at}" fill="{MUTED}">{counted}</text>',
        f'<text x="{left - 1}%" y="{top + TEXT}" text-anchor="end" fill="{MUTED}">{peak}</text>',
        f'<text x="{left - 1}%" y="{bottom}" text-anchor="end" fill="{MUTED}">0</text>',
        f'<text x="{x(len(points) - 1) + 1:.2f}%" y="{top + y(points[-1].due) + 5:.1f}" fill="{DUE}">'
        f"{points[-1].due}</text>",
    ]
    if done:
        i, p = done[-1]
        texts.append(f'<text x="{x(i) + 1:.2f}%" y="{top + y(p.done) - 8:.1f}" fill="{DONE}">{p.done}</text>')
    every = labels_every(points, NARROWEST * span / 100 / last)
    for i, point in enumerate(points):
        if i % every == 0:
            texts.append(
                f'<text x="{x(i):.2f}%" y="{bottom + TEXT + 8}" text-anchor="middle" fill="{MUTED}">'
                f"{escape(point.label)}</text>"
            )
    texts.append(f'<text x="100%" y="{bottom + 2 * TEXT + 16}" text-anchor="end" fill="{MUTED}">{months}</text>')
    height = bottom + 2 * TEXT + 24
    return "".join([_svg_open(title, height), _legend(legend, first), *lines, *texts, "</svg>"])


# --- The plan's milestones month by month --------------------------------------------------------------

MARK_COLOURS = {"done": DONE, "overdue": LATE, "soon": "#f9a825", "later": DUE}


def _months_between(first, last) -> list:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def milestone_gantt(rows, *, title: str, today, link_of=lambda row: "") -> str:
    """A simple Gantt of a plan's milestones (tasks.selectors.milestone_timeline): a row per task,
    its label over it, a mark per milestone at its day, coloured by its state; a line at today; the
    months along the top, thinned for the narrowest card. Laid out like the screen's other charts
    (percentages of the width, text at the body's size), on screen and on paper alike."""
    days = [mark.due for row in rows for mark in row.marks]
    if not days:
        return ""
    months = _months_between(min(days), max(days))
    start = months[0]
    end = next_month(months[-1])
    span = (end - start).days

    def x(day) -> float:
        return 100 * (day - start).days / span

    legend = [
        (MARK_COLOURS["done"], "rect", _("Done")),
        (MARK_COLOURS["overdue"], "rect", _("Overdue")),
        (MARK_COLOURS["soon"], "rect", _("Due within 30 days")),
        (MARK_COLOURS["later"], "rect", _("Later")),
        (INK, "line", _("Today")),
    ]
    first = TEXT + 2 + LINE
    axis = first + len(legend) * LINE + 4
    parts = [_legend(legend, first)]
    labels = [Point(f"{month:%Y-%m}", 0, None) for month in months]
    every = labels_every(labels, NARROWEST / len(months))
    for n, month in enumerate(months):
        if n % every == 0:
            anchor = "start" if n == 0 else "end" if n == len(months) - 1 else "middle"
            parts.append(
                f'<text x="{x(month):.2f}%" y="{axis}" text-anchor="{anchor}" fill="{MUTED}">{month:%Y-%m}</text>'
            )
    y = axis + LINE
    for row in rows:
        label = f'<text x="0" y="{y}" fill="{INK}">{escape(row.label)}</text>'
        parts.append(_linked(label, link_of(row)))
        parts.append(f'<line x1="0" y1="{y + 14}" x2="100%" y2="{y + 14}" stroke="{OPEN}"/>')
        for mark in row.marks:
            parts.append(
                f'<circle cx="{x(mark.due):.2f}%" cy="{y + 14}" r="6" fill="{MARK_COLOURS[mark.state]}">'
                f"<title>{mark.due:%Y-%m-%d} {escape(mark.text)}</title></circle>"
            )
        y += LINE + 20
    if start <= today < end:
        parts.append(
            f'<line x1="{x(today):.2f}%" y1="{axis + 6}" x2="{x(today):.2f}%" y2="{y - 10}" stroke="{INK}" '
            f'stroke-dasharray="4 3"/>'
        )
    return "".join([_svg_open(title, y), *parts, "</svg>"])
