"""Scans and photos to text: pages rendered (pypdfium2), straightened, read by OCR (RapidOCR, whose
PP-OCR Chinese models ship inside its wheel: nothing is fetched), and their lines rebuilt by
position (layout.page_lines), ruled tables apart, cell by cell (layout.Grid.table).

Slow by nature (seconds a page), so only a worker calls it: the web process sends such uploads to
the queue (readers.survey says which need it).
"""

import functools
import io
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tasks.importing.layout import Box, Grid, Line, PageTable, page_lines, without_seals
from tasks.importing.model import DocumentError

# Pages are rendered as a scanner makes them; photos larger than this are scaled down to it.
RENDER_DPI = 150
MAX_SIDE = 2400
OPEN_ROW = 0.01  # of the page's height: column rules running on this far past the last rule across are a cut row
# The skew a page is searched for, either way, in degrees, and the step of the search.
MAX_SKEW, SKEW_STEP = 3.0, 0.25

Progress = Callable[[int, int], None]


@dataclass
class ScanText:
    pages: list[list[Line]]
    # How sure the OCR was of what it read: the mean of its scores over the characters, 0 to 1.
    confidence: float
    # Each page's ruled tables, their cells' text mended.
    tables: list[list[PageTable]] = field(default_factory=list)


def page_count(data: bytes, kind: str) -> int:
    """How many pages a scan has, read without rendering any: said before the work starts."""
    if kind == "pdf":
        return len(_pdf(data))
    return getattr(_image(data), "n_frames", 1)


def read_scan(data: bytes, kind: str, *, progress: Progress | None = None) -> ScanText:
    """Each page's lines read from its image; progress(done, total) after each page."""
    pages, tables, scores = [], [], []
    images = _pdf_images(data) if kind == "pdf" else _image_frames(data)
    total = page_count(data, kind)
    for done, image in enumerate(images, start=1):
        lines, page_tables, page_scores = _read_page(image)
        pages.append(lines)
        tables.append(page_tables)
        scores += page_scores
        if progress:
            progress(done, total)
    if not any(pages) and not any(tables):
        raise DocumentError("scan_no_text")
    weight = sum(length for length, _score in scores)
    return ScanText(pages, sum(length * score for length, score in scores) / weight, tables)


def _pdf(data: bytes):
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise DocumentError("not_pdf") from None


def _pdf_images(data: bytes):
    document = _pdf(data)
    for index in range(len(document)):
        page = document[index]
        yield page.render(scale=RENDER_DPI / 72, grayscale=False).to_pil().convert("RGB")
        page.close()
    document.close()


def _image(data: bytes):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DocumentError("not_image") from None
    return image


def _image_frames(data: bytes):
    from PIL import ImageOps

    image = _image(data)
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        # A phone records which way up it was held; the pixels are stored as the sensor saw them.
        page = ImageOps.exif_transpose(image).convert("RGB")
        if max(page.size) > MAX_SIDE:
            page.thumbnail((MAX_SIDE, MAX_SIDE))
        yield page


def _read_page(image) -> tuple[list[Line], list[PageTable], list[tuple[int, float]]]:
    """The page's lines, its ruled tables, and the OCR's score of each piece with its length."""
    import numpy

    image = _straightened(image)
    pixels = numpy.asarray(image)
    # Each call says what it runs: the engine keeps what the last call asked for.
    result = _engine()(pixels, use_det=True, use_cls=False, use_rec=True)
    if result.boxes is None or not len(result.boxes):
        return [], [], []
    boxes = [
        Box(
            float(quad[:, 0].min()),
            float(quad[:, 1].min()),
            float(quad[:, 0].max()),
            float(quad[:, 1].max()),
            text,
            red=_is_red(pixels, quad),
        )
        for quad, text in zip(result.boxes, result.txts, strict=True)
    ]
    scores = [(len(text), float(score)) for text, score in zip(result.txts, result.scores, strict=True)]
    grids = _grids(pixels)
    boxes += _read_unseen_cells(pixels, grids, boxes)
    boxes = without_seals([box for box in boxes if box.text.strip()])
    tables = [grid.table(boxes) for grid in grids]
    tables = [PageTable([[mended(cell) for cell in row] for row in table.rows], table.columns) for table in tables]
    outside = [box for box in boxes if not any(grid.holds(box) for grid in grids)]
    return page_lines(outside), [table for table in tables if table.rows], scores


# Pixels: a cell's rules are left out this far in; ink is darker than INK; a cell with fewer pixels
# of ink than UNSEEN_INK is empty (a 一 of 11 pt at 150 dpi has about 20); recognition surer than UNSEEN_SCORE is taken.
CELL_INSET, INK, UNSEEN_INK, UNSEEN_SCORE = 4, 192, 15, 0.8
UNSEEN_MARGIN = 12


def _read_unseen_cells(pixels, grids, boxes: list[Box]) -> list[Box]:
    """Text detection passes over a cell holding a lone short character (一 of a 序号 column looks like
    a rule's stroke): a ruled cell with ink in it and no text found is read by recognition alone."""
    found = []
    for grid in grids:
        seen = {grid.cell(box) for box in boxes if grid.holds(box)}
        for row, column in itertools.product(range(len(grid.ys) - 1), range(len(grid.xs) - 1)):
            if (row, column) in seen:
                continue
            x0, x1 = int(grid.xs[column]) + CELL_INSET, int(grid.xs[column + 1]) - CELL_INSET
            y0, y1 = int(grid.ys[row]) + CELL_INSET, int(grid.ys[row + 1]) - CELL_INSET
            place = _inked(pixels[y0:y1, x0:x1]) if x1 > x0 and y1 > y0 else None
            if place is None:
                continue
            left, top, right, bottom = place[0] + x0, place[1] + y0, place[2] + x0, place[3] + y0
            margin = UNSEEN_MARGIN
            crop = pixels[max(top - margin, y0) : bottom + margin, max(left - margin, x0) : right + margin]
            result = _engine()(crop, use_det=False, use_cls=False, use_rec=True)
            text, score = (result.txts[0], result.scores[0]) if result.txts else ("", 0.0)
            if text.strip() and score >= UNSEEN_SCORE:
                found.append(Box(float(left), float(top), float(right), float(bottom), text))
    return found


def _inked(cell) -> tuple[int, int, int, int] | None:
    """Where the cell's marks are (left, top, right, bottom), leaving out what touches its edge (the
    rest of a rule); None when too little ink is left to be a character."""
    import cv2
    import numpy

    ink = (cell.min(axis=2) < INK).astype(numpy.uint8)
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink)
    height, width = ink.shape
    marks = [
        (x, y, x + w - 1, y + h - 1, area)
        for x, y, w, h, area in (stats[label] for label in range(1, count))
        if x > 0 and y > 0 and x + w < width and y + h < height
    ]
    if sum(mark[4] for mark in marks) < UNSEEN_INK:
        return None
    return min(m[0] for m in marks), min(m[1] for m in marks), max(m[2] for m in marks), max(m[3] for m in marks)


# OCR reads the dash of a span of years (2023—2025年) as the numeral 一, which it resembles.
YEAR_SPAN = re.compile(r"(\d{4}\s*年?)\s*一\s*(\d{4})")


# OCR reads Chinese text's full-width punctuation as its ASCII look-alike now and then (，as ,); set
# beside a Chinese character it is the full-width mark, as Chinese is typeset (GB/T 15834).
# Brackets go in pairs first: a pair holding or beside a Chinese character.
FULL_WIDTH = str.maketrans(",;:?!()", "，；：？！（）")
HAN = r"[\u4e00-\u9fff]"
MARK_BESIDE_HAN = re.compile(rf"(?<={HAN})[,;:?!()]|[,;:?!()](?={HAN})")  # and a bracket of a mixed pair
BRACKETS_BESIDE_HAN = re.compile(rf"(?<={HAN})\([^()\n]*\)|\([^()\n]*\)(?={HAN})|\([^()\n]*{HAN}[^()\n]*\)")


# A full-width bracket is closed by its own partner: OCR reads the closing one as a look-alike now and
# then (〔1993]71号); the innermost pair is put right, whatever its closing mark was read as.
PARTNERS = {"〔": "〕", "【": "】", "《": "》", "（": "）"}
MISMATCHED_PAIR = re.compile(r"([〔【《（])([^〔〕【】《》（）()\[\]\n]{1,40})[\])〕】》）]")


def mended(text: str) -> str:
    """OCR's text with the misreadings it is known for put right; applied to whole paragraphs, since
    a span of years may be wrapped across two lines."""
    text = YEAR_SPAN.sub(r"\1—\2", text)
    text = BRACKETS_BESIDE_HAN.sub(lambda pair: "（" + pair.group()[1:-1] + "）", text)
    text = MISMATCHED_PAIR.sub(lambda pair: pair[1] + pair[2] + PARTNERS[pair[1]], text)
    return MARK_BESIDE_HAN.sub(lambda mark: mark.group().translate(FULL_WIDTH), text)


@functools.cache
def _engine():
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.log_level": "warning",
            # Detection on the page scaled to 960 pixels at most: a third of the time, the same lines.
            "Det.limit_type": "max",
            "Det.limit_side_len": 960,
            # One line at a time: batches pad every line to the longest, which costs more than it saves.
            "Rec.rec_batch_num": 1,
        }
    )


def _straightened(image):
    """The page turned by the angle at which its dark rows are sharpest: a scan fed in askew, a photo
    held a little aslant. Rows of text are sharpest when level."""
    import numpy

    small = image.convert("L")
    small.thumbnail((800, 800))
    ink = numpy.asarray(small) < 128
    if ink.mean() < 0.001:
        return image
    best_angle, best_sharpness = 0.0, -1.0
    steps = int(MAX_SKEW / SKEW_STEP)
    from PIL import Image

    for step in range(-steps, steps + 1):
        angle = step * SKEW_STEP
        turned = numpy.asarray(Image.fromarray(ink).rotate(angle, expand=False, fillcolor=0))
        rows = turned.sum(axis=1).astype(float)
        sharpness = float(numpy.square(numpy.diff(rows)).sum())
        if sharpness > best_sharpness:
            best_angle, best_sharpness = angle, sharpness
    if best_angle == 0:
        return image
    return image.rotate(best_angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor="white")


def _is_red(pixels, quad) -> bool:
    """Most of a box's ink is red: seal ink, or a 红头 heading."""
    import numpy

    x0, y0 = max(int(quad[:, 0].min()), 0), max(int(quad[:, 1].min()), 0)
    x1, y1 = math.ceil(quad[:, 0].max()), math.ceil(quad[:, 1].max())
    region = pixels[y0:y1, x0:x1].astype(int)
    if not region.size:
        return False
    red, green, blue = region[..., 0], region[..., 1], region[..., 2]
    ink = (red + green + blue) < 600
    reddish = ink & (red - numpy.maximum(green, blue) > 60)
    return bool(ink.sum()) and reddish.sum() > 0.5 * ink.sum()


def _grids(pixels) -> tuple[Grid, ...]:
    """Ruled tables on the page: long straight rules found by opening the ink with long thin shapes."""
    import cv2
    import numpy

    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    height, width = ink.shape
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // 25, 10), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(height // 50, 10))))
    rules = cv2.dilate(across | down, numpy.ones((3, 3), numpy.uint8))
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(rules)
    grids = []
    for label in range(1, count):
        x, y, box_width, box_height = (int(value) for value in stats[label][:4])
        # A table as wide as a quarter of the page, and as tall as a rule down it: one row of one
        # line (the last of a table, on a page of its own) is a table too.
        if box_width < width / 4 or box_height < height / 50:
            continue
        ys = _rule_positions(across[y : y + box_height, x : x + box_width].sum(axis=1) / 255 >= 0.3 * box_width)
        xs = _rule_positions(down[y : y + box_height, x : x + box_width].sum(axis=0) / 255 >= 0.3 * box_height)
        ys = _closed(ys, box_height, OPEN_ROW * height)
        if len(xs) >= 3 and len(ys) >= 2:  # two columns or more, one row or more
            grids.append(Grid(tuple(x + at for at in xs), tuple(y + at for at in ys)))
    return tuple(grids)


def _closed(ys: list[float], extent: int, least: float) -> list[float]:
    """The rows' rules, with the ends of the column rules where those run on past the first or last
    rule across (a row the page's edge cuts open): that row is read too, and joined to its other piece."""
    if not ys:
        return ys
    top = [0.0] if ys[0] >= least else []
    bottom = [float(extent - 1)] if extent - 1 - ys[-1] >= least else []
    return [*top, *ys, *bottom]


def _rule_positions(flags) -> list[float]:
    """The middle of each run of rows (or columns) that a rule crosses."""
    positions, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            positions.append((start + index - 1) / 2)
            start = None
    return positions
