"""A plan's text as each kind of file an office sends, made with the tools that make them: .txt,
.docx and .pdf (python-docx, WeasyPrint), Word and Excel 97–2003 (LibreOffice from the .docx and
.xlsx), OFD (ofd_file: the format's own layout, written here), and scans and photos (the PDF's pages
rasterised as a scanner or a phone would, then saved as an image or an image-only PDF).

bench/import_formats.py makes its files with these too.
"""

import io
import random

import docx
import openpyxl
import weasyprint

from tasks.importing import convert

FORMATS = ("txt", "docx", "pdf")
# An official document's page (GB/T 9704): A4, 22 lines of 28 characters in 3号 (16 pt) type.
OFFICIAL_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center { content: "- " counter(page) " -"; font-size: 14pt } }
body { font-family: "Noto Serif CJK SC"; font-size: 16pt; line-height: 28.9pt }
p { margin: 0; text-indent: 2em }
table { border-collapse: collapse; font-size: 11pt; line-height: 1.4; text-indent: 0 }
td, th { border: 1px solid black; padding: 3pt 4pt; vertical-align: middle }
"""

# A narrow page, a running header and a page number, so that the PDF's lines wrap and its
# pages carry text that is not the plan's.
_PDF_CSS = """
@page { size: A5; margin: 18mm 15mm;
        @top-center { content: "某市国资委文件"; font-size: 9pt }
        @bottom-center { content: "- " counter(page) " -"; font-size: 9pt } }
body { font-family: "Noto Sans CJK SC"; font-size: 11pt }
p { margin: 0 0 4pt 0 }
"""


def as_file(text: str, kind: str) -> tuple[bytes, str]:
    """The text as a document of ``kind``: one paragraph a line."""
    lines = text.splitlines()
    if kind == "txt":
        return text.encode("utf-8"), "方案.txt"
    if kind == "docx":
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue(), "方案.docx"
    if kind == "pdf":
        paragraphs = "".join(f"<p>{line}</p>" for line in lines if line.strip())
        html = f"<html><head><style>{_PDF_CSS}</style></head><body>{paragraphs}</body></html>"
        return weasyprint.HTML(string=html).write_pdf(), "方案.pdf"
    raise ValueError(kind)


def docx_with_table(paragraphs: list[str], rows: list[list[str]]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=0, cols=max(len(row) for row in rows))
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_table(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def word97(docx_data: bytes) -> bytes:
    """A Word 97–2003 .doc made from a .docx, as WPS or Word save one."""
    return convert.converted(docx_data, ".docx", "doc")


def excel97(xlsx_data: bytes) -> bytes:
    """An Excel 97–2003 .xls made from a .xlsx."""
    return convert.converted(xlsx_data, ".xlsx", "xls")


def official_pdf(text: str, *, header_on_every_page: bool = False) -> bytes:
    """The text set as an official document's pages; a line of ``cell | cell`` rows as a ruled table,
    its first row repeated at the head of every page it runs over if asked (as Word's 标题行重复)."""
    parts, table = [], []
    for line in [*text.splitlines(), ""]:
        if " | " in line:
            table.append(line.split(" | "))
            continue
        if table:
            parts.append(_html_table(table, header_on_every_page))
            table = []
        if line.strip():
            parts.append(f"<p>{_escaped(line)}</p>")
    return _official_pages(parts)


def table_pdf(rows: list[list[str]]) -> bytes:
    """A task table alone on official pages, each cell's line breaks kept (a 分工表 as a PDF)."""
    return _official_pages([_html_table(rows)])


def _official_pages(parts: list[str]) -> bytes:
    html = f"<html><head><style>{OFFICIAL_CSS}</style></head><body>{''.join(parts)}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def _html_table(rows: list[list[str]], header_on_every_page: bool = False) -> str:
    def html_rows(rows):
        cells = ("".join(f"<td>{_escaped(cell).replace(chr(10), '<br>')}</td>" for cell in row) for row in rows)
        return "".join(f"<tr>{row}</tr>" for row in cells)

    if header_on_every_page:
        return f"<table><thead>{html_rows(rows[:1])}</thead><tbody>{html_rows(rows[1:])}</tbody></table>"
    return f"<table>{html_rows(rows)}</table>"


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page_images(pdf: bytes, dpi: int = 150):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = [document[index].render(scale=dpi / 72).to_pil().convert("RGB") for index in range(len(document))]
    document.close()
    return images


def scanned(images, *, skew: float = 0.0, noise: float = 0.0, seed: int = 7):
    """Pages as a scanner gives them: turned by ``skew`` degrees, speckled with ``noise`` (0–1)."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    pages = []
    for image in images:
        page = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor="white") if skew else image
        if noise:
            pixels = page.load()
            width, height = page.size
            for _ in range(int(width * height * noise * 0.01)):
                x, y = rng.randrange(width), rng.randrange(height)
                shade = rng.randrange(0, 120)
                pixels[x, y] = (shade, shade, shade)
            page = page.filter(ImageFilter.GaussianBlur(0.6))
        pages.append(page)
    return pages


def image_pdf(images, dpi: int = 150) -> bytes:
    """Pages saved as a PDF of images only, with no text layer: a scan."""
    buffer = io.BytesIO()
    # Copies: saving leaves its settings on the images appended, which a later save would take up.
    pages = [image.copy() for image in images]
    pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def photo(image, *, seed: int = 11) -> bytes:
    """A page as a phone photographs it: a little turned, unevenly lit, grey paper, JPEG-compressed."""
    from PIL import Image, ImageChops, ImageEnhance

    page = image.rotate(-1.5, resample=Image.Resampling.BICUBIC, fillcolor=(200, 198, 190))
    width, height = page.size
    light = Image.linear_gradient("L").resize((width, height)).point(lambda value: 200 + value // 5)
    page = ImageChops.multiply(page, Image.merge("RGB", (light, light, light)))
    page = ImageEnhance.Contrast(page).enhance(0.85)
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


def ofd_file(text: str, *, chars_per_line: int = 28, lines_per_page: int = 22) -> bytes:
    """The text as an OFD document: A4 pages of 16 pt lines, each line a TextObject, written in the
    reverse of reading order on each page (producers do not promise any order)."""
    import zipfile

    size, left, top, step = 5.6, 28.0, 37.0, 10.2
    lines = []  # (indent in characters, text): a paragraph's first line is set in two (首行缩进)
    for paragraph in text.splitlines():
        paragraph, indent = paragraph.strip(), 2
        while paragraph:
            lines.append((indent, paragraph[: chars_per_line - indent]))
            paragraph = paragraph[chars_per_line - indent :]
            indent = 0
    pages = [lines[start : start + lines_per_page] for start in range(0, len(lines), lines_per_page)] or [[]]
    namespace = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {namespace} Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>plan</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        listed = "".join(
            f'<ofd:Page ID="{index + 10}" BaseLoc="Pages/Page_{index}/Content.xml"/>' for index in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {namespace}><ofd:CommonData>'
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            f"<ofd:MaxUnitID>9999</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        )
        for index, page in enumerate(pages):
            objects = []
            for row, (indent, line) in reversed(list(enumerate(page))):
                y, x = top + row * step, left + indent * size
                objects.append(
                    f'<ofd:TextObject ID="{1000 + row}" Boundary="{x} {y} {size * len(line) + 1} {size + 1}" '
                    f'Font="1" Size="{size}"><ofd:TextCode X="0" Y="{size}" DeltaX="g {len(line) - 1} {size}">'
                    f"{_escaped(line)}</ofd:TextCode></ofd:TextObject>"
                )
            archive.writestr(
                f"Doc_0/Pages/Page_{index}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {namespace}><ofd:Content><ofd:Layer ID="2">'
                f"{''.join(objects)}</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return buffer.getvalue()
