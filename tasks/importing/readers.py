"""Reading a plan document's bytes, whatever its format, into text and table rows.

The format is read from the content (sniff.kind_of), never from the name. Each reader gives the
document's text and, where it has them, the rows of its tables:

- text in any Chinese encoding; .docx and .xlsx; a PDF's text layer, its ruled tables cell by cell;
- OFD, read by position (ofd.py);
- Word and Excel 97–2003 and WPS's .wps and .et: .xls/.et natively (xlrd), the rest converted by
  LibreOffice (convert.py) and read as .docx/.xlsx; so are .odt, .ods and .rtf;
- scanned PDFs and photos, by OCR (ocr.py): slow, so survey() tells a caller to use a worker.

What cannot be read raises DocumentError with a code the caller turns into a message.
"""

import codecs
import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from tasks.importing import convert, pdfium_text, sniff
from tasks.importing.layout import Box, Line, PageTable, cell_text, joined_text, kept_back, moved_whole, page_lines
from tasks.importing.model import DocumentError

# The names the upload form offers; a file is read by what it holds, whatever it is called.
SUFFIXES = (
    ".txt", ".docx", ".doc", ".wps", ".rtf", ".odt",
    ".xlsx", ".xls", ".et", ".ods",
    ".pdf", ".ofd",
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".htm", ".html",
)  # fmt: skip
# What a suffix promises, to warn when the content is something else.
SUFFIX_KINDS = {
    ".txt": "text", ".docx": "docx", ".doc": "doc", ".wps": "doc", ".rtf": "rtf", ".odt": "odt",
    ".xlsx": "xlsx", ".xls": "xls", ".et": "xls", ".ods": "ods", ".pdf": "pdf", ".ofd": "ofd",
    ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff", ".bmp": "bmp",
    ".htm": "html", ".html": "html",
}  # fmt: skip
IMAGE_KINDS = ("jpeg", "png", "tiff", "bmp")
# Formats LibreOffice turns into one we read, and into which.
CONVERTED = {"doc": "docx", "rtf": "docx", "odt": "docx", "ods": "xlsx"}

Progress = Callable[[int, int], None]


@dataclass
class Document:
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    encoding: str | None = None
    kind: str = "text"
    # For a document read by OCR: how sure the OCR was (0 to 1) and of how many pages.
    confidence: float | None = None
    pages: int | None = None

    @property
    def costly(self) -> bool:
        """Read by OCR or by conversion: its text is kept, not read again from the file."""
        return self.confidence is not None or self.kind in CONVERTED


@dataclass(frozen=True)
class Survey:
    """What reading a file will take, found without reading it: its kind, whether it needs OCR
    (and of how many pages) or a converter, either of which only a worker should run."""

    kind: str
    ocr_pages: int | None = None

    @property
    def needs_worker(self) -> bool:
        return self.ocr_pages is not None or self.kind in CONVERTED


def survey(data: bytes, filename: str = "") -> Survey:
    if not data:
        raise DocumentError("empty")
    kind = sniff.kind_of(data)
    _refuse_unreadable(kind, filename)
    if kind in IMAGE_KINDS or (kind == "pdf" and not _pdf_has_text(data)):
        from tasks.importing import ocr

        return Survey(kind, ocr.page_count(data, kind))
    return Survey(kind)


def read_document(data: bytes, filename: str = "", *, progress: Progress | None = None) -> Document:
    """The document's text and tables, read as what its bytes are."""
    if not data:
        raise DocumentError("empty")
    kind = sniff.kind_of(data)
    _refuse_unreadable(kind, filename)
    if kind in CONVERTED:
        target = CONVERTED[kind]
        if kind == "doc":
            _refuse_locked_doc(data)
        converted = convert.converted(data, sniff.SUFFIX[kind], target)
        document = READERS[target](converted)
    elif kind in IMAGE_KINDS:
        document = _read_scan(data, kind, progress)
    elif kind == "pdf":
        document = read_pdf(data, progress=progress)
    else:
        document = READERS[kind](data)
    document.kind = kind
    return document


# A container that would not open, named as a format of that container: that file, damaged.
DAMAGED = {"docx": "not_docx", "xlsx": "not_xlsx", "ofd": "not_ofd", "pdf": "not_pdf", "doc": "conversion_failed"}


def damaged_as_named(filename: str) -> DocumentError | None:
    """The error for a file its name says is a .docx (say), when what it holds is not one."""
    promised = SUFFIX_KINDS.get(PurePath(filename).suffix.lower())
    if promised in ("odt", "ods", "rtf", "xls"):
        promised = "doc"
    if promised not in DAMAGED:
        return None
    return DocumentError(DAMAGED[promised], suffix=PurePath(filename).suffix.lower())


def _refuse_unreadable(kind: str, filename: str) -> None:
    if kind == "encrypted_office":
        raise DocumentError("office_encrypted")
    if kind in ("zip", "ole") and (damaged := damaged_as_named(filename)):
        raise damaged
    if kind not in READERS and kind not in CONVERTED and kind not in IMAGE_KINDS and kind != "pdf":
        raise DocumentError("unsupported_kind", kind=kind)


def named_otherwise(filename: str, kind: str) -> bool:
    """The file's name promises another format than its content is (a .doc renamed .docx)."""
    promised = SUFFIX_KINDS.get(PurePath(filename).suffix.lower())
    return promised is not None and promised != kind


def read_text(data: bytes) -> Document:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; anything else is refused."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return Document(_decode(data, encoding), encoding=encoding)
    if b"\x00" in data[:4096]:
        raise DocumentError("binary")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise DocumentError("binary")
        return Document(text, encoding=encoding)
    raise DocumentError("unknown_encoding")


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DocumentError("unknown_encoding") from None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t\f")
    return controls > len(sample) * 0.01


def _zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError("not_" + kind) from None


def read_docx(data: bytes) -> Document:
    import docx  # python-docx, only loaded for Word documents

    _zip(data, "docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise DocumentError("not_docx") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    tables = [[_row_cells(row) for row in table.rows] for table in document.tables]
    return Document("\n".join(lines), tables=tables)


def _row_cells(row) -> list[str]:
    """A Word table row's cells; a cell merged across columns counts once (python-docx repeats it)."""
    cells, previous = [], None
    for cell in row.cells:
        cells.append("" if cell._tc is previous else cell.text.strip())
        previous = cell._tc
    return cells


def read_xlsx(data: bytes) -> Document:
    import openpyxl

    _zip(data, "xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise DocumentError("not_xlsx") from None
    tables = []
    for sheet in workbook.worksheets:
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        tables.append([row for row in rows if any(row)])
    workbook.close()
    return Document("", tables=tables)


def _cell_text(value) -> str:
    """A cell as its text: dates as ISO (2027-06-30), whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_html(data: bytes) -> Document:
    """A web page saved from a government site: its text, a block element a line, scripts and styles left out."""
    from html.parser import HTMLParser

    page = read_text(data).text

    class Text(HTMLParser):
        BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article"}

        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts, self.skipping = [], 0

        def handle_starttag(self, tag, attrs):
            self.skipping += tag in ("script", "style")
            if tag in self.BLOCKS:
                self.parts.append("\n")
            elif tag in ("td", "th"):
                self.parts.append(" | ")

        def handle_endtag(self, tag):
            self.skipping -= tag in ("script", "style") and self.skipping > 0
            if tag in self.BLOCKS:
                self.parts.append("\n")

        def handle_data(self, text):
            if not self.skipping:
                self.parts.append(text.replace("\n", " "))

    reader = Text()
    reader.feed(page)
    lines = [line.strip().strip("|").strip() for line in "".join(reader.parts).splitlines()]
    return Document("\n".join(line for line in lines if line))


def read_xls(data: bytes) -> Document:
    """Excel 97–2003 and WPS's .et, read natively; one xlrd cannot read goes through LibreOffice."""
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data)
    except xlrd.biffh.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise DocumentError("xls_encrypted") from None
        return read_xlsx(convert.converted(data, ".xls", "xlsx"))
    tables = []
    for sheet in workbook.sheets():
        rows = [[_xls_cell_text(cell, workbook.datemode) for cell in sheet.row(index)] for index in range(sheet.nrows)]
        tables.append([row for row in rows if any(row)])
    return Document("", tables=tables)


def _xls_cell_text(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _cell_text(cell.value)
    return _cell_text(cell.value)


def _refuse_locked_doc(data: bytes) -> None:
    """A Word 97 document locked by a password says so in its header (FIB flag fEncrypted); it is
    refused before LibreOffice would stop to ask for the password."""
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as container:
        header = container.openstream("WordDocument").read(12)
    if len(header) == 12 and int.from_bytes(header[10:12], "little") & 0x0100:
        raise DocumentError("doc_encrypted")


def read_ofd(data: bytes) -> Document:
    from tasks.importing.ofd import ofd_pages

    return Document(page_text(ofd_pages(data)))


def _read_scan(data: bytes, kind: str, progress: Progress | None) -> Document:
    from tasks.importing import ocr

    scan = ocr.read_scan(data, kind, progress=progress)
    text = ocr.mended(page_text(scan.pages))
    return Document(text, tables=tables_joined(scan.tables), confidence=scan.confidence, pages=len(scan.pages))


def read_pdf(data: bytes, *, progress: Progress | None = None) -> Document:
    """The text layer read by position, and its ruled tables cell by cell; a PDF without usable text
    (a scan, or fonts that lost their character map) by OCR."""
    from pdfminer.pdfexceptions import PDFException, PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    if not _pdf_has_text(data):
        return _read_scan(data, "pdf", progress)
    try:
        pages, page_tables = _pdf_layout(data)
    except (PDFException, PSException, MalformedPDFException, PdfminerException):
        # The file's fault, not ours: anything else is a defect, logged by the import as one.
        raise DocumentError("not_pdf") from None
    return Document(page_text(pages), tables=tables_joined(page_tables))


def _pdf_layout(data: bytes) -> tuple[list[list[Line]], list[list[PageTable]]]:
    """Each page's lines, rebuilt from where its words stand (layout.page_lines, as for OFD and scans:
    a line reaching the margin was wrapped), and its ruled tables (pdfplumber finds cells from the rules)."""
    import pdfplumber

    pages: list[list[Line]] = []
    tables: list[list[PageTable]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = [
            [_word_box(word) for word in page.extract_words(extra_attrs=["non_stroking_color"])] for page in pdf.pages
        ]
        # Fonts pdfminer cannot map to text (a CFF font with a custom encoding: it finds none of their
        # characters) PDFium can: its words, where they hold more of the text.
        pdfium_words = pdfium_text.page_words(data)
        by_pdfium = _legible(pdfium_words) > LEGIBLE_MORE * _legible(words)
        if by_pdfium:
            words = pdfium_words
        for page, boxes in zip(pdf.pages, words, strict=True):
            ruled = _ruled_tables(page) if page.lines or page.rects else []
            # A table's words are its cells', read as the table (as a Word document's are): not as lines too.
            pages.append(page_lines([box for box in boxes if not any(_inside(box, table.bbox) for table in ruled)]))
            tables.append([PageTable(_cells_of(table, boxes), _column_spans(table)) for table in ruled])
    return pages, tables


def tables_joined(pages: list[list[PageTable]]) -> list[list[list[str]]]:
    """The pages' ruled tables (a text PDF's or a scan's) as tables of rows: a table going on over the
    next page is one table, its header, if repeated there, read once, a row the page cut read whole."""
    found: list[list[list[str]]] = []
    spans: list[list[tuple[float, float]]] = []  # each found table's column edges
    for tables in pages:
        for order, table in enumerate(tables):
            rows = [row for row in table.rows if any(row)]
            if found and rows and order == 0:
                # A page's table found with fewer columns (an empty one not seen) takes the columns
                # of the table before it, by where its cells stand.
                rows = _on_columns(rows, table.columns, spans[-1])
            added = _continuation(found[-1], rows) if found and rows and order == 0 else None
            if added is not None:
                found[-1] += added
            elif rows:
                found.append(rows)
                spans.append(table.columns)
    return found


RULE_SLACK = 2.0  # points: a rule ending this near another meets it


def _ruled_tables(page):
    """The page's ruled tables, a row the page's edge cuts open (its column rules running on past the
    table's last rule, or starting before its first) closed where those rules end: a row broken
    across pages is then a row on each page, not words outside any table."""
    return page.find_tables(table_settings={"explicit_horizontal_lines": _open_row_ends(page.edges)})


def _open_row_ends(edges: list[dict]) -> list[dict]:
    """Where two or more column rules end with no rule across them: a rule across there."""
    across = [edge for edge in edges if edge["orientation"] == "h"]
    open_ends = []
    for rule in (edge for edge in edges if edge["orientation"] == "v"):
        for y in (rule["top"], rule["bottom"]):
            met = any(
                edge["x0"] - RULE_SLACK <= rule["x0"] <= edge["x1"] + RULE_SLACK and abs(edge["top"] - y) <= RULE_SLACK
                for edge in across
            )
            if not met:
                open_ends.append((y, rule["x0"]))
    closing = []
    for group in _clustered(sorted(open_ends)):
        xs = [x for _y, x in group]
        if len(xs) >= 2:
            y = sum(y for y, _x in group) / len(group)
            closing.append(_rule_across(min(xs), max(xs), y))
    return closing


def _rule_across(left: float, right: float, y: float) -> dict:
    return {"object_type": "line", "x0": left, "x1": right, "top": y, "bottom": y, "width": right - left, "height": 0}


def _clustered(ends: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    groups: list[list[tuple[float, float]]] = []
    for end in ends:
        if groups and end[0] - groups[-1][-1][0] <= RULE_SLACK:
            groups[-1].append(end)
        else:
            groups.append([end])
    return groups


def _column_spans(table) -> list[tuple[float, float]]:
    """Each column's left and right edge, from the row with the most cells of its own."""
    widest = max(table.rows, key=lambda row: sum(cell is not None for cell in row.cells))
    return [(cell[0], cell[2]) if cell else (0.0, 0.0) for cell in widest.cells]


def _on_columns(rows: list[list[str]], columns: list[tuple[float, float]], before: list[tuple[float, float]]):
    """Rows laid on the columns of the table before, where their cells stand within those; as they
    are where they do not fit."""
    if len(columns) >= len(before):
        return rows
    places = []
    for left, right in columns:
        middle = (left + right) / 2
        place = next((index for index, (x0, x1) in enumerate(before) if x0 <= middle <= x1), None)
        if place is None or place in places:
            return rows
        places.append(place)
    laid = []
    for row in rows:
        widened = [""] * len(before)
        for place, text in zip(places, row, strict=False):
            widened[place] = text
        laid.append(widened)
    return laid


def _word_box(word: dict) -> Box:
    return Box(word["x0"], word["top"], word["x1"], word["bottom"], word["text"], _red(word["non_stroking_color"]))


def _inside(box: Box, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle_x, middle_y = box.middle
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


LEGIBLE_MORE = 1.1


def _legible(pages: list[list[Box]]) -> int:
    """How many printable characters the pages' words hold."""
    return sum(1 for page in pages for box in page for char in box.text if char.isprintable() and not char.isspace())


def _cells_of(table, boxes: list[Box]) -> list[list[str]]:
    """A table's cells' text from the words inside each (a cell merged into the one before is empty)."""
    return [
        [cell_text([box for box in boxes if _inside(box, cell)]) if cell else "" for cell in row.cells]
        for row in table.rows
    ]


def _red(color) -> bool:
    """Text filled red (a seal, a 红头): RGB with red high and the rest low, or CMYK with magenta and yellow."""
    if not isinstance(color, (tuple, list)):
        return False
    if len(color) == 3:
        red, green, blue = color
        return red > 0.6 and green < 0.4 and blue < 0.4
    if len(color) == 4:
        cyan, magenta, yellow, _black = color
        return cyan < 0.3 and magenta > 0.6 and yellow > 0.6
    return False


def _usable(text: str) -> bool:
    """A text layer worth reading: not empty, and not the control characters a PDF whose fonts lost
    their character map gives (its pages are then read as images)."""
    return bool(text.strip()) and not _looks_binary(text)


def _pdf_has_text(data: bytes) -> bool:
    """A text layer worth reading, as PDFium reads it (the engine that reads the most fonts right);
    a PDF locked with a password is refused first."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _open_without_password(reader)
    except DocumentError:
        raise
    except Exception:
        raise DocumentError("not_pdf") from None
    return _usable(pdfium_text.document_text(data))


def _continuation(previous: list[list[str]], rows: list[list[str]]) -> list[list[str]] | None:
    """The rows a page's first table adds to the table before it, or None when it is a table of its own:
    no header, or the same header again, over the same columns. A row broken by the page goes on in
    the first row here (after the header repeated), its number cell empty: its cells are joined to the
    last row's."""
    from tasks.importing.tables import find_header

    width = len(previous[0])
    header = find_header(rows)
    if header is not None:
        before = find_header(previous)
        same = before is not None and len(rows[0]) == width and rows[header.first] == previous[before.first]
        if not same:
            return None
        rows = rows[header.row + 1 :]
    elif len(rows[0]) != width:
        return None
    if rows and not rows[0][0] and previous[-1][0]:
        previous[-1] = [_run_on(above, below) for above, below in zip(previous[-1], rows[0], strict=True)]
        rows = rows[1:]
    return rows


def _run_on(above: str, below: str) -> str:
    """A cell's two pieces, cut by the page, as one text: run together, as a wrapped line is."""
    return joined_text([above, below])


# "- 3 -", "— 3 —", "3", "第3页", "第 3 页 共 10 页", "3/10": a page's number, not its text.
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:共|/)\s*\d{1,4}\s*页?)?[-—–\s]*$")
INDENTED_SHARE = 0.6
ITEMS_SET_IN = 0.9
SENTENCE_END = tuple("。;；:：!！?？")
FULL_LINE = 0.85


def page_text(pages: list[list[str | Line]]) -> str:
    """The text of pages of lines as paragraphs, one a line.

    Page numbers go, and so do running headers and footers: a short line among the first or last
    two of most pages, its digits aside, that opens no numbered item and labels nothing (a unit
    line repeated down the body stays). A line that was wrapped joins the line after it, unless that
    one opens a numbered item: one that reaches the right margin (where the layout knows it), or
    else one as wide as the widest that does not end a sentence. The widest line is taken over the
    whole document: a last page of short lines wraps nothing.
    """
    pages_lines = [
        [replace(line, text=line.text.strip()) if isinstance(line, Line) else Line(line.strip()) for line in page]
        for page in pages
    ]
    pages_lines = [[line for line in page if line.text] for page in pages_lines]
    seen = Counter(
        key
        for lines in pages_lines
        for key in {_running_key(line.text) for line in _edges(lines) if _could_run(line.text)}
    )
    running = {key for key, count in seen.items() if len(pages) >= 2 and count > len(pages) / 2}
    kept_pages = []
    for lines in pages_lines:
        edges = {*range(2), *range(len(lines) - 2, len(lines))}
        kept_pages.append(
            [
                line
                for position, line in enumerate(lines)
                if not (position in edges and _could_run(line.text) and _running_key(line.text) in running)
                and not PAGE_NUMBER.match(line.text)
            ]
        )
    kept_pages = _rows_rejoined(kept_pages)
    widest = max((_width(line.text) for lines in kept_pages for line in lines if line.full is None), default=0)
    kept = [line for lines in kept_pages for line in lines]
    # A document that sets its paragraphs in: most lines that surely open one (after a short line) are set in.
    opening = [
        after.indented for before, after in itertools.pairwise(kept) if before.full is False and not before.nearly
    ]
    opening = [indented for indented in opening if indented is not None]
    indenting = len(opening) >= 2 and sum(opening) >= INDENTED_SHARE * len(opening)
    paragraphs: list[str] = []
    # Where (nearly) every numbered line is set in too, a flush one is a wrapped line that happens to open
    # with digits and a stop ("63.com。" of an e-mail address), not an item.
    numbered = [line.indented for line in kept if line.indented is not None and _numbered(line.text)]
    items_set_in = indenting and len(numbered) >= 2 and sum(numbered) >= ITEMS_SET_IN * len(numbered)
    joining = False  # a paragraph wrapped at the foot of a page goes on at the top of the next
    for index, line in enumerate(kept):
        table_row = " | " in line.text
        item = _numbered(line.text) and not (items_set_in and line.indented is False)
        if joining and paragraphs and not table_row and not item:
            paragraphs[-1] += line.text
        else:
            paragraphs.append(line.text)
        following = kept[index + 1] if index + 1 < len(kept) else Line("")
        if line.full is None:
            full = _width(line.text) >= FULL_LINE * widest
        else:
            full = line.full or (line.nearly and kept_back(following.text))
            full = full or (line.short is not None and moved_whole(line.short, following.text))
        if indenting and following.indented is not None and (full or line.nearly) and not table_row:
            # Where paragraphs are set in, the next line says it: set in, it opens one; flush, it goes on.
            joining = not following.indented
            continue
        # A stop ends a paragraph, but not inside a bracket still open: "（牵头单位：" wraps.
        ends = line.text.endswith(SENTENCE_END) and not _bracket_open(paragraphs[-1])
        joining = full and not ends and not table_row
    return "\n".join(paragraphs)


def _rows_rejoined(pages: list[list[Line]]) -> list[list[Line]]:
    """A table row the page's foot cut goes on at the top of the next page (after the header, where
    the table repeats it), its number cell empty: its two pieces are one row, joined cell by cell."""
    rows_seen: set[str] = set()
    for before, after in itertools.pairwise(pages):
        rows_seen |= {line.text for line in before if " | " in line.text}
        if not before or " | " not in before[-1].text:
            continue
        start = 1 if after and after[0].text in rows_seen else 0
        if len(after) <= start or " | " not in after[start].text:
            continue
        above, below = _cells(before[-1].text), _cells(after[start].text)
        if len(above) == len(below) and above[0] and not below[0]:
            joined = " | ".join(_run_on(upper, lower) for upper, lower in zip(above, below, strict=True))
            before[-1] = replace(before[-1], text=joined)
            del after[start]
    return pages


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.split("|")]


MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)|\d{1,4}\s*[.、](?!\d)|[①-⑳]|[一二三四五六七八九十]{1,3}是)"
)


BRACKETS = (("(", ")"), ("《", "》"), ("〔", "〕"), ("【", "】"), ("“", "”"), ("[", "]"))


def _numbered(line: str) -> bool:
    return bool(MARKER.match(unicodedata.normalize("NFKC", line)))


def _bracket_open(text: str) -> bool:
    """A bracket, a title mark or a quotation opened and not closed: the text goes on."""
    folded = unicodedata.normalize("NFKC", text)
    return any(folded.count(opening) > folded.count(closing) for opening, closing in BRACKETS)


def _edges(lines: list[Line]) -> list[Line]:
    """Where running headers and footers stand: a page's first two lines and its last two."""
    return lines[:2] + lines[2:][-2:]


def _could_run(line: str) -> bool:
    """A header or footer is short, opens no numbered item and labels nothing (牵头单位：…)."""
    folded = unicodedata.normalize("NFKC", line)
    return _width(line) <= 60 and not MARKER.match(folded) and ":" not in folded


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def _width(line: str) -> int:
    """How wide a line prints: a Chinese character is two columns, a Latin one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def _open_without_password(reader) -> None:
    """A PDF locked only against editing opens with an empty password; one that needs a password is refused."""
    try:
        opened = reader.decrypt("")
    except Exception:
        opened = False
    if not opened:
        raise DocumentError("pdf_encrypted")


READERS = {
    "text": read_text,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "xls": read_xls,
    "ofd": read_ofd,
    "html": read_html,
}
