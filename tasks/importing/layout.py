"""A page's lines from text placed on it: OCR's boxes on a scan, an OFD page's text objects.

Neither says which piece follows which. Lines are rebuilt by position: pieces on one row are one
line, left to right, a wide gap between them a table cell's edge (``cell | cell``); a page set in
two columns is read column by column. A ruled table, where its rules are known (a scan's), is read
apart from the lines, cell by cell (Grid.table), as a text PDF's tables are. The lines and tables go
to the same parser as every other document's.
"""

import itertools
import re
import statistics
from dataclasses import dataclass

# A gap wider than this many characters' height between two pieces on a row separates two cells.
CELL_GAP = 2.0
# A line ending within this many characters of the right margin was wrapped there; one ending
# further short, up to KEPT_BACK, was wrapped only if typesetting kept characters back (kept_back):
# a mark that may not start a line takes the character before it down too (避头点).
WRAP_SLACK = 0.8
KEPT_BACK = 2.2
# A line starting this many characters in from the left margin is set in: a paragraph's first line.
INDENT = 1.5
NO_LINE_START = tuple("，。、；：？！）》〉」』】〕”’…·,.;:?!)]%")
LEFT_INKED = tuple("，。、；：？！")
NO_LINE_END = tuple("（《〈「『【〔“‘([")
# Red text (a seal) is the page's unless set as large as a 红头 heading, this many times the body.
RED_HEADING = 1.5


@dataclass(frozen=True)
class Box:
    """A piece of text and where it stands: x grows rightwards, y downwards."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    red: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Line:
    """A line of a page; ``full`` when it reaches the right margin (a wrapped line does), None where
    nothing says. ``nearly`` when it ends a little short, as a wrapped line does when typesetting kept
    characters back: whether it did, the next line tells (kept_back), which may stand on the next page."""

    text: str
    full: bool | None = None
    nearly: bool = False
    # How far short of the margin it ends, in characters; None where nothing says.
    short: float | None = None
    # Set in from the left margin (a paragraph's first line is, by 首行缩进); None where nothing says.
    indented: bool | None = None


@dataclass(frozen=True)
class Grid:
    """A ruled table: the x of its vertical rules and the y of its horizontal ones, in order."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def holds(self, box: Box) -> bool:
        x, y = box.middle
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell(self, box: Box) -> tuple[int, int]:
        x, y = box.middle
        return _slot(self.ys, y), _slot(self.xs, x)

    def table(self, boxes: list[Box]) -> "PageTable":
        """The table its cells' pieces make: each cell's text line by line (cell_text), empty rows left out."""
        cells: dict[tuple[int, int], list[Box]] = {}
        for box in boxes:
            if self.holds(box):
                cells.setdefault(self.cell(box), []).append(box)
        rows = [
            [cell_text(cells.get((row, column), [])) for column in range(len(self.xs) - 1)]
            for row in range(len(self.ys) - 1)
        ]
        return PageTable([row for row in rows if any(row)], list(itertools.pairwise(self.xs)))


@dataclass
class PageTable:
    """A ruled table as one page holds it: its rows of cells' text, and each column's left and right edge
    (by which a table going on over the next page is told and its columns matched)."""

    rows: list[list[str]]
    columns: list[tuple[float, float]]


def _slot(edges: tuple[float, ...], at: float) -> int:
    return max(index for index, edge in enumerate(edges[:-1]) if edge <= at)


def page_lines(boxes: list[Box]) -> list[Line]:
    """The page's lines in reading order (a ruled table's pieces are read as its table: Grid.table)."""
    boxes = [box for box in without_seals(boxes) if box.text.strip()]
    # The right margin is the page's: a band of short lines wraps nothing.
    page_margin = max((box.x1 for box in boxes), default=0)
    lines: list[Line] = []
    gutter = _gutter(boxes)
    for band in _reading_bands(boxes, gutter):
        rows = _rows(band)
        margin = max(row[-1].x1 for row in rows) if gutter is not None else page_margin
        left = min(row[0].x0 for row in rows)
        for row in rows:
            text = _row_text(row)
            character = statistics.median(box.height for box in row)
            short = _short_of(margin, row)
            prose = " | " not in text
            indented = (row[0].x0 - left) / character >= INDENT
            fits = {"full": prose and short <= WRAP_SLACK, "nearly": prose and short <= KEPT_BACK}
            line = Line(text, **fits, short=short if prose else None, indented=indented)
            lines.append(line)
    return lines


def _short_of(margin: float, row: list[Box]) -> float:
    """How far short of the margin a row of pieces ends, in characters."""
    short = (margin - row[-1].x1) / statistics.median(box.height for box in row)
    if row[-1].text.strip().endswith(LEFT_INKED):
        # A box drawn round the ink (OCR's) stops short of a full-width mark's half-empty square.
        short -= 0.5
    return short


# A run typesetting keeps whole: a document number's brackets and digits (〔1993〕71号), Latin words.
WHOLE_RUN = re.compile(r"[〔\[(（]?[0-9A-Za-z][0-9A-Za-z.\-/]*[〕\])）]?[0-9]*")


def moved_whole(short: float, following: str) -> bool:
    """A line ends short by about the width of the unbreakable run that opens the next: the run went
    down whole (a digit or Latin letter is half a character wide)."""
    run = WHOLE_RUN.match(following)
    if not run:
        return False
    width = sum(0.5 if char.isascii() else 1.0 for char in run.group())
    return short <= width + 1


def kept_back(following: str) -> bool:
    """The next line opens with what typesetting would not leave where it was: a mark that may not
    start a line, with the character carried down with it ("成。"); a mark that may not end one
    ("（区、市）"), or the character kept with one ("取“以购代捐”"); or a run of Latin letters or
    digits that did not fit whole ("2028年")."""
    opening = following[:1]
    return (
        opening in NO_LINE_START
        or following[1:2] in NO_LINE_START
        or opening in NO_LINE_END
        or following[1:2] in NO_LINE_END
        or (opening.isascii() and opening.isalnum())
    )


def without_seals(boxes: list[Box]) -> list[Box]:
    """A seal's red text is left out; a red heading (红头) is kept: it is set much larger than the body."""
    body = [box.height for box in boxes if not box.red] or [box.height for box in boxes] or [0]
    usual = statistics.median(body)
    return [box for box in boxes if not box.red or box.height >= RED_HEADING * usual]


def cell_text(boxes: list[Box]) -> str:
    """A table cell's text, line by line: a line reaching the cell text's right edge was wrapped and
    runs on; one stopping short of it ends there (a line break of the cell's own, as after a title)."""
    lines = _rows(boxes)
    if not lines:
        return ""
    right = max(line[-1].x1 for line in lines)
    text = _joined(lines[0])
    for before, line in itertools.pairwise(lines):
        wrapped = _short_of(right, before) <= KEPT_BACK
        text = joined_text([text, _joined(line)]) if wrapped else f"{text}\n{_joined(line)}"
    return text


def joined_text(parts: list[str]) -> str:
    """Pieces of text run together as one line: Chinese runs on; two Latin words keep a space."""
    text = ""
    for part in (part.strip() for part in parts):
        if text and text[-1].isascii() and text[-1].isalnum() and part[:1].isascii() and part[:1].isalnum():
            text += " "
        text += part
    return text


def _reading_bands(boxes: list[Box], gutter: float | None) -> list[list[Box]]:
    """Boxes in reading order by band: a page set in two columns is read down the left column, then
    the right; a line across both (a title) closes one band and opens the next."""
    if gutter is None:
        return [boxes] if boxes else []  # a page all table has no band of its own
    bands, left, right = [], [], []
    for box in sorted(boxes, key=lambda box: box.y0):
        if box.x0 < gutter < box.x1:
            bands += [left, right, [box]]
            left, right = [], []
        else:
            (left if box.x1 <= gutter else right).append(box)
    return [band for band in [*bands, left, right] if band]


def _gutter(boxes: list[Box]) -> float | None:
    """The x of a gap running down the page between two columns of prose, if there is one.

    A table's columns have such a gap too, but their cells are short: prose fills its column, so a
    column's typical piece is most of the column's width.
    """
    if len(boxes) < 8:
        return None
    start, end = min(box.x0 for box in boxes), max(box.x1 for box in boxes)
    width = end - start
    best = None
    for step in range(30, 71):
        x = start + width * step / 100
        crossing = sum(1 for box in boxes if box.x0 < x < box.x1)
        left = [box for box in boxes if box.x1 <= x]
        right = [box for box in boxes if box.x0 >= x]
        if crossing > 0.15 * len(boxes) or min(len(left), len(right)) < 0.25 * len(boxes):
            continue
        if best is None or crossing < best[0]:
            best = (crossing, x, left, right)
    if best is None:
        return None
    _crossing, x, left, right = best
    left_width, right_width = x - start, end - x
    if (
        statistics.median(box.x1 - box.x0 for box in left) < 0.6 * left_width
        or statistics.median(box.x1 - box.x0 for box in right) < 0.6 * right_width
    ):
        return None
    return x


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes on one row together, top to bottom, each row left to right: a box is on a row when
    most of its height is."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda box: (box.middle[1], box.x0)):
        if rows:
            top = min(piece.y0 for piece in rows[-1])
            bottom = max(piece.y1 for piece in rows[-1])
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= 0.5 * min(box.height, bottom - top):
                rows[-1].append(box)
                continue
        rows.append([box])
    return [sorted(row, key=lambda box: box.x0) for row in rows]


def _row_text(row: list[Box]) -> str:
    """A row's pieces joined; a gap of several characters between two is a cell's edge."""
    height = statistics.median(box.height for box in row)
    cells, current = [], [row[0]]
    for before, box in itertools.pairwise(row):
        if box.x0 - before.x1 > CELL_GAP * height:
            cells.append(current)
            current = []
        current.append(box)
    cells.append(current)
    return " | ".join(_joined(cell) for cell in cells)


def _joined(pieces: list[Box]) -> str:
    """Pieces of one line or cell as text."""
    return joined_text([piece.text for piece in pieces])
