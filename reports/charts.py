"""Charts as SVG, drawn on the server: the same code for the dashboard on screen and the reports on paper.

No script and no asset from the internet: an intranet browser and WeasyPrint both draw them as they are.
"""

from dataclasses import dataclass

from django.utils.html import escape

from reports.ledger import display_width

SANS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
DONE, OPEN, LATE = "#2e7d32", "#d9dee5", "#c62828"


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    late: int
    total: int
    link: str = ""  # the whole bar's work
    done_link: str = ""  # its accepted work
    late_link: str = ""  # its overdue work

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def completion_bars(bars: list[Bar], *, title: str, width: int = 640, row: int = 26) -> str:
    """Horizontal bars, one per row: accepted (green) and overdue (red) work within all of it,
    with the completion rate beside. Each bar links to ``link`` when given."""
    label_width = min(max((display_width(bar.label) for bar in bars), default=8) * 7 + 12, width // 2)
    chart_width = width - label_width - 56
    height = 34 + row * max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" font-family="{SANS}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#1f2933">{escape(title)}</text>',
    ]
    for index, bar in enumerate(bars):
        y = 28 + index * row
        done = round(chart_width * bar.done / bar.total) if bar.total else 0
        late = round(chart_width * bar.late / bar.total) if bar.total else 0
        whole = (
            f'<text x="{label_width - 6}" y="{y + 14}" font-size="12" text-anchor="end" fill="#1f2933">'
            f"{escape(_shorten(bar.label, label_width))}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{chart_width}" height="{row - 10}" fill="{OPEN}"/>'
            f'<text x="{label_width + chart_width + 6}" y="{y + 14}" font-size="12" fill="#1f2933">'
            f"{bar.share:.0%}</text>"
        )
        done_rect = f'<rect x="{label_width}" y="{y + 3}" width="{done}" height="{row - 10}" fill="{DONE}"/>'
        late_rect = (
            f'<rect x="{label_width + chart_width - late}" y="{y + 3}" width="{late}" '
            f'height="{row - 10}" fill="{LATE}"/>'
        )
        parts.extend((_linked(whole, bar.link), _linked(done_rect, bar.done_link), _linked(late_rect, bar.late_link)))
    parts.append("</svg>")
    return "".join(parts)


def _linked(shapes: str, link: str) -> str:
    return f'<a href="{escape(link)}">{shapes}</a>' if link else shapes


@dataclass(frozen=True)
class Point:
    label: str  # the month, as its axis shows it
    due: int  # work due by then, cumulative
    done: int | None  # work accepted by then, cumulative; None for months to come
    link: str = ""  # the work due by then


def burn_up(points: list[Point], *, title: str, width: int = 640, height: int = 240) -> str:
    """Two lines month by month: the work falling due (grey) and the work accepted (green), each
    cumulative; a month's column links to the work due by then."""
    left, right, top, bottom = 44, 12, 28, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([p.due for p in points] + [p.done or 0 for p in points] + [1])
    step = plot_w / max(len(points) - 1, 1)

    def x(i):
        return round(left + i * step, 1)

    def y(value):
        return round(top + plot_h - plot_h * value / peak, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" font-family="{SANS}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#1f2933">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#9aa5b1"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" fill="#52606d">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="11" text-anchor="end" fill="#52606d">0</text>',
    ]
    every = max(len(points) // 8, 1)  # axis labels that do not overlap
    for i, point in enumerate(points):
        column = f'<rect x="{x(i) - step / 2:.1f}" y="{top}" width="{step:.1f}" height="{plot_h}" fill="transparent"/>'
        parts.append(
            _linked(f"<title>{escape(point.label)}：{point.due} / {point.done or 0}</title>{column}", point.link)
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x(i)}" y="{height - 8}" font-size="11" text-anchor="middle" fill="#52606d">'
                f"{escape(point.label)}</text>"
            )
    due_line = " ".join(f"{x(i)},{y(p.due)}" for i, p in enumerate(points))
    done_line = " ".join(f"{x(i)},{y(p.done)}" for i, p in enumerate(points) if p.done is not None)
    parts.append(f'<polyline points="{due_line}" fill="none" stroke="#7b8794" stroke-width="2"/>')
    if done_line:
        parts.append(f'<polyline points="{done_line}" fill="none" stroke="{DONE}" stroke-width="2.5"/>')
    # A dot on each month, so that a line of one month still shows.
    parts.extend(
        f'<circle cx="{x(i)}" cy="{y(p.done)}" r="3" fill="{DONE}"/>'
        for i, p in enumerate(points)
        if p.done is not None
    )
    parts.append("</svg>")
    return "".join(parts)


def _shorten(label: str, room: int) -> str:
    """As much of the label as fits ``room`` pixels at 7 per half-width column."""
    if display_width(label) * 7 <= room - 6:
        return label
    kept, used = "", 0
    for char in label:
        used += display_width(char) * 7
        if used > room - 18:
            return kept + "…"
        kept += char
    return kept
