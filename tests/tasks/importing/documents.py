"""A plan's text as each kind of file an office sends: .txt, .docx and .pdf."""

import io

import docx
import weasyprint

FORMATS = ("txt", "docx", "pdf")

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
