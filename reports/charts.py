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
    link: str = ""

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
        shapes = [
            f'<text x="{label_width - 6}" y="{y + 14}" font-size="12" text-anchor="end" fill="#1f2933">'
            f"{escape(_shorten(bar.label, label_width))}</text>",
            f'<rect x="{label_width}" y="{y + 3}" width="{chart_width}" height="{row - 10}" fill="{OPEN}"/>',
            f'<rect x="{label_width}" y="{y + 3}" width="{done}" height="{row - 10}" fill="{DONE}"/>',
            f'<rect x="{label_width + chart_width - late}" y="{y + 3}" width="{late}" '
            f'height="{row - 10}" fill="{LATE}"/>',
            f'<text x="{label_width + chart_width + 6}" y="{y + 14}" font-size="12" fill="#1f2933">'
            f"{bar.share:.0%}</text>",
        ]
        body = "".join(shapes)
        parts.append(f'<a href="{escape(bar.link)}">{body}</a>' if bar.link else body)
    parts.append("</svg>")
    return "".join(parts)


def _shorten(label: str, room: int) -> str:
    """As much of the label as fits ``room`` pixels at 7 per half-width column."""
    kept, used = "", 0
    for char in label:
        used += display_width(char) * 7
        if used > room - 18:
            return kept + "…"
        kept += char
    return kept
