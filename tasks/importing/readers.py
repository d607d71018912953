"""Reading a plan document's bytes: .txt in any Chinese encoding, .docx, .xlsx, .pdf.

Each reader gives the document's text and, for Word and Excel, the rows of its tables.
What cannot be read raises DocumentError with a code the caller turns into a message.
"""

import codecs
import datetime
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from tasks.importing.model import DocumentError

SUFFIXES = (".txt", ".docx", ".xlsx", ".pdf")


@dataclass
class Document:
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    encoding: str | None = None


def read_document(data: bytes, filename: str) -> Document:
    suffix = PurePath(filename).suffix.lower()
    if not data:
        raise DocumentError("empty")
    readers = {".txt": read_text, ".docx": read_docx, ".xlsx": read_xlsx, ".pdf": read_pdf}
    if suffix not in readers:
        raise DocumentError("unsupported_type", suffix=suffix or filename)
    return readers[suffix](data)


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


def read_pdf(data: bytes) -> Document:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _open_without_password(reader)
        text = pdf_text([page.extract_text() or "" for page in reader.pages])
    except DocumentError:
        raise
    except Exception:
        raise DocumentError("not_pdf") from None
    if not text.strip():
        raise DocumentError("pdf_needs_ocr")
    return Document(text)


# "- 3 -", "— 3 —", "3", "第3页", "第 3 页 共 10 页", "3/10": a page's number, not its text.
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:共|/)\s*\d{1,4}\s*页?)?[-—–\s]*$")
SENTENCE_END = tuple("。;；:：!！?？")
FULL_LINE = 0.85


def pdf_text(pages: list[str]) -> str:
    """The text of a PDF's pages as paragraphs, one a line.

    Page numbers go, and so do running headers and footers: a short line among the first or last
    two of most pages, its digits aside, that opens no numbered item and labels nothing (a unit
    line repeated down the body stays). A line as wide as the
    widest that does not end a sentence was wrapped
    there, and joins the line after it unless that one opens a numbered item. The widest line is
    taken over the whole document: a last page of short lines wraps nothing.
    """
    pages_lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    seen = Counter(
        key for lines in pages_lines for key in {_running_key(line) for line in _edges(lines) if _could_run(line)}
    )
    running = {key for key, count in seen.items() if len(pages) >= 2 and count > len(pages) / 2}
    paragraphs: list[str] = []
    kept_pages = []
    for lines in pages_lines:
        edges = {*range(2), *range(len(lines) - 2, len(lines))}
        kept_pages.append(
            [
                line
                for position, line in enumerate(lines)
                if not (position in edges and _could_run(line) and _running_key(line) in running)
                and not PAGE_NUMBER.match(line)
            ]
        )
    widest = max((_width(line) for lines in kept_pages for line in lines), default=0)
    joining = False  # a paragraph wrapped at the foot of a page goes on at the top of the next
    for kept in kept_pages:
        for line in kept:
            if joining and paragraphs and not MARKER.match(unicodedata.normalize("NFKC", line)):
                paragraphs[-1] += line
            else:
                paragraphs.append(line)
            joining = _width(line) >= FULL_LINE * widest and not line.endswith(SENTENCE_END)
    return "\n".join(paragraphs)


MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)|\d{1,4}\s*[.、](?!\d)|[①-⑳]|[一二三四五六七八九十]{1,3}是)"
)


def _edges(lines: list[str]) -> list[str]:
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
