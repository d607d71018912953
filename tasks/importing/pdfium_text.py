"""A PDF's text layer as PDFium reads it (pypdfium2, the PDF engine of Chromium).

PDFium maps a font's characters to text by the font's own tables where the PDF's character map
leaves them out, as viewers do: a CFF font embedded with a custom encoding, of which pdfminer reads
nothing (and pypdf control characters), reads here as the text a viewer shows. It is also how the
import asks, cheaply, whether a PDF has text worth reading at all.
"""

import ctypes
import math

from tasks.importing.layout import Box
from tasks.importing.model import DocumentError

# Points: characters further apart than this are two words (pdfplumber's x_tolerance).
WORD_GAP = 3.0


def document_text(data: bytes) -> str:
    """Every page's text, in PDFium's order."""
    return "\n".join(textpage.get_text_range() for textpage, _height in _textpages(data))


def page_words(data: bytes) -> list[list[Box]]:
    """Each page's words: runs of characters on one line with no gap between them, placed from the
    page's top left as pdfplumber places its words, red where their fill is."""
    import pypdfium2.raw as raw

    return [_words(textpage, height, raw) for textpage, height in _textpages(data)]


def _textpages(data: bytes):
    """Each page's text and its height, the page closed once read."""
    document = _open(data)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                yield textpage, page.get_height()
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()


def _words(textpage, height: float, raw) -> list[Box]:
    words: list[Box] = []
    run: list[tuple[float, float, float, float, str, bool]] = []

    def close_run():
        if run:
            lefts, tops, rights, bottoms, chars, reds = zip(*run, strict=True)
            words.append(Box(min(lefts), min(tops), max(rights), max(bottoms), "".join(chars), reds[0]))
            run.clear()

    for index in range(textpage.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
        if char.isspace() or ord(char) < 32:
            close_run()
            continue
        left, bottom, right, _top = textpage.get_charbox(index, loose=True)
        # As pdfminer places a character: from its font's descent up by its size (the loose box runs
        # from the descent to the ascent, taller than the size).
        y1 = height - bottom
        y0 = y1 - _size(textpage, index, raw)
        if run:
            last = run[-1]
            same_line = abs(y0 - last[1]) <= 0.5 * (y1 - y0)
            if not same_line or left - last[2] > WORD_GAP or left < last[0]:
                close_run()
        run.append((left, y0, right, y1, char, _red(textpage, index, raw)))
    close_run()
    return words


def _size(textpage, index: int, raw) -> float:
    """The character's size on the page: its font's size scaled as its matrix draws it."""
    matrix = raw.FS_MATRIX()
    scale = math.hypot(matrix.c, matrix.d) if raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix)) else 1.0
    return raw.FPDFText_GetFontSize(textpage.raw, index) * scale


def _red(textpage, index: int, raw) -> bool:
    """Filled red (a seal, a 红头), as readers._red judges pdfplumber's colours."""
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFText_GetFillColor(textpage.raw, index, red, green, blue, alpha):
        return False
    return red.value > 153 and green.value < 102 and blue.value < 102


def _open(data: bytes):
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise DocumentError("not_pdf") from None
