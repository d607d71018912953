"""Every labelled document in every format an office sends, imported and scored.

    python bench/import_formats.py [--shared ../shared] [--formats doc,xls,ofd,...] [--documents 05,09]

Each document of ``shared/plans`` and ``shared/corpus`` is made into each format with the tools
that make such files (tests/tasks/importing/documents.py):

- doc, wps: the text as .docx (python-docx), saved as Word 97 by LibreOffice; .wps is the same bytes;
- ofd: the text laid out as OFD pages (A4, 16 pt, 28 characters a line);
- pdf-text: the text set as an official document (WeasyPrint), its ``cell | cell`` rows as a ruled table;
- xls-ledger, pdf-table: the text import's tasks written as a 任务分工表 (序号 | 重点任务 | 牵头单位 |
  责任单位, the task's whole text in its cell), as .xlsx saved as Excel 97 by LibreOffice, and as a
  ruled table in a PDF: none of the labelled documents holds a task table of its own, so the table
  readers are scored on the same tasks set out as the ledgers offices keep;
- scan-clean, scan-skewed: that PDF rasterised at 150 dpi and saved as an image-only PDF, once
  clean and once turned 1.2° and speckled; scan-table: the PDF task table scanned clean (a printed
  分工表 as it comes back signed);
- photo: the first page as a phone photographs it (a JPEG, turned, unevenly lit); a photo holds
  one page, so it is scored against that page scanned clean: the share of that scan's rows it reads
  the same in every field.

Each is scored with bench/import_accuracy.py's measure against the same labels, beside the text
import's own score. Prints per format and document the rows right in every field and seconds per
page, then per format the mean share of the text's score and the slowest page; the OCR figures
come with the peak memory of a fresh process reading the longest scan alone, as a worker does, and
reading a scan as long as IMPORT_MAX_SCAN_PAGES allows (the longest one's pages over again). Exits
non-zero when a target is missed: doc, xls, ofd and PDF tables as the text; clean scans (text or
table) ≥ 0.95 of it, skewed ≥ 0.90; OCR ≤ 3 s a page; peak memory ≤ 1 GiB.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.conf import settings  # noqa: E402

from bench.import_accuracy import documents, score_parsed  # noqa: E402
from bench.memory import peak_mib  # noqa: E402
from tasks.importing import parse_document  # noqa: E402
from tasks.importing.readers import read_document  # noqa: E402
from tests.tasks.importing import documents as maker  # noqa: E402

OCR_FORMATS = ("scan-clean", "scan-skewed", "scan-table", "photo")
FORMATS = ("doc", "wps", "ofd", "pdf-text", "xls-ledger", "pdf-table", *OCR_FORMATS)
TARGET_SHARE = {"doc": 1.0, "wps": 1.0, "ofd": 1.0, "pdf-text": 1.0, "xls-ledger": 1.0, "pdf-table": 1.0}
TARGET_SHARE |= {"scan-clean": 0.95, "scan-skewed": 0.90, "scan-table": 0.95, "photo": 0.90}
OCR_SECONDS_A_PAGE = 3.0
PEAK_MIB = 1024


def ledger(parsed) -> list[list[str]]:
    """The parsed tasks as a 任务分工表: a header, then a row a task (section headings as their own rows)."""
    rows = [["序号", "重点任务", "牵头单位", "责任单位"]]
    section = None
    for task in parsed.tasks:
        if task.section != section and task.section:
            rows.append([task.section, "", "", ""])
            section = task.section
        rows.append([task.number, task.body, "、".join(task.lead_units), "、".join(task.responsible_units)])
    return rows


def made(text: str, form: str, parsed) -> tuple[bytes, str, int] | None:
    """The document as ``form``: its bytes, file name and pages."""
    if form in ("doc", "wps"):
        docx_data, _name = maker.as_file(text, "docx")
        return maker.word97(docx_data), f"方案.{form}", 1
    if form == "ofd":
        return maker.ofd_file(text), "方案.ofd", 1
    if form == "xls-ledger":
        return maker.excel97(maker.xlsx_table(ledger(parsed))), "分工表.xls", 1
    if form in ("pdf-table", "scan-table"):
        table = maker.table_pdf(ledger(parsed))
        if form == "pdf-table":
            return table, "分工表.pdf", _pages(table)
        pages = maker.page_images(table)
        return maker.image_pdf(pages), "分工表扫描件.pdf", len(pages)
    pdf = maker.official_pdf(text)
    if form == "pdf-text":
        return pdf, "方案.pdf", _pages(pdf)
    pages = maker.page_images(pdf)
    if form == "scan-clean":
        return maker.image_pdf(pages), "扫描件.pdf", len(pages)
    if form == "scan-skewed":
        return maker.image_pdf(maker.scanned(pages, skew=1.2, noise=0.4)), "扫描件.pdf", len(pages)
    if form == "photo":
        return maker.photo(pages[0]), "照片.jpg", 1
    raise ValueError(form)


def photo_agreement(photographed, text: str) -> float:
    """The share of the first page's rows, read from a clean scan of it, that the photo reads the same."""
    page = maker.page_images(maker.official_pdf(text))[:1]
    try:
        clean = parse_document(maker.image_pdf(page), "第一页.pdf")
    except Exception:  # a first page without tasks: the photo agrees if it finds none either
        return 1.0 if photographed is None or not photographed.tasks else 0.0

    def rows(plan):
        return [(t.number, t.title, t.lead_units, t.responsible_units, t.due) for t in plan.tasks] if plan else []

    wanted, found = rows(clean), rows(photographed)
    return sum(1 for row in wanted if row in found) / max(len(wanted), len(found), 1)


def worker_peak_mib(scan: bytes, pages: int) -> float:
    """The peak memory of a fresh process that only reads the scan, as a worker's job does."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(scan)
        file.flush()
        script = (
            "import sys; from bench.memory import peak_mib; from tasks.importing.readers import read_document; "
            "read_document(open(sys.argv[1], 'rb').read(), 'scan.pdf'); print(peak_mib())"
        )
        root = Path(__file__).resolve().parent.parent
        answer = subprocess.run([sys.executable, "-c", script, file.name], cwd=root, capture_output=True, text=True)
    return float(answer.stdout.split()[-1])


def _repeated_to(pdf: bytes, pages: int) -> bytes:
    """The PDF's pages over again until it has ``pages``."""
    import pypdf

    reader, writer = pypdf.PdfReader(io.BytesIO(pdf)), pypdf.PdfWriter()
    for index in range(pages):
        writer.add_page(reader.pages[index % len(reader.pages)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pages(pdf: bytes) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(pdf))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--documents", default="", help="name prefixes of the documents to take (default: all)")
    args = parser.parse_args(argv)
    forms = [form for form in args.formats.split(",") if form]
    wanted = [prefix for prefix in args.documents.split(",") if prefix]
    shares: dict[str, list[float]] = {form: [] for form in forms}
    page_seconds: list[float] = []
    largest_scan: tuple[bytes, int] = (b"", 0)
    for kind, path, expected in documents(args.shared):
        if wanted and not any(path.name.startswith(prefix) for prefix in wanted):
            continue
        months = kind == "corpus"
        text = read_document(path.read_bytes(), path.name).text
        parsed_text = parse_document(path.read_bytes(), path.name)
        base = score_parsed(path.name, parsed_text, expected, months=months)
        print(f"{path.name}: text {base.share:.2f} ({base.right_rows}/{max(base.expected, base.found)})")
        for form in forms:
            data, name, pages = made(text, form, parsed_text)
            started = time.perf_counter()
            try:
                parsed = parse_document(data, name)
            except Exception as error:  # a refused file scores nothing, and the run goes on
                print(f"  {form:12} refused: {error!r}")
                shares[form].append(photo_agreement(None, text) if form == "photo" else 0.0)
                continue
            seconds = (time.perf_counter() - started) / pages
            if form == "photo":
                relative = photo_agreement(parsed, text)
                shares[form].append(relative)
                page_seconds.append(seconds)
                print(f"  {form:12} {relative:.2f} of the page's clean scan's rows read the same, {seconds:.2f} s")
                continue
            result = score_parsed(name, parsed, expected, months=months)
            relative = result.share / base.share if base.share else 1.0
            shares[form].append(relative)
            if form in OCR_FORMATS:
                page_seconds.append(seconds)
                if pages > largest_scan[1]:
                    largest_scan = (data, pages)
            print(
                f"  {form:12} rows right {result.share:.2f} ({result.right_rows}/{max(result.expected, result.found)}),"
                f" {relative:.2f} of the text's, {seconds:.2f} s a page over {pages} page(s)"
            )
    met = True
    print("\nformat        documents  mean share of the text's score  target")
    for form in forms:
        if not shares[form]:
            continue
        mean = statistics.mean(shares[form])
        target = TARGET_SHARE.get(form)
        met &= target is None or mean >= target
        print(f"{form:12}  {len(shares[form]):9}  {mean:31.3f}  {target if target is not None else '-'}")
    if page_seconds:
        median, slowest = statistics.median(page_seconds), max(page_seconds)
        print(f"OCR seconds a page: median {median:.2f}, slowest {slowest:.2f} (target ≤ {OCR_SECONDS_A_PAGE})")
        met &= median <= OCR_SECONDS_A_PAGE
        peak = worker_peak_mib(*largest_scan)
        print(
            f"peak memory reading the longest scan ({largest_scan[1]} pages) alone, as the worker does: {peak:.0f} MiB"
        )
        limit = settings.IMPORT_MAX_SCAN_PAGES
        started = time.perf_counter()
        at_limit = worker_peak_mib(_repeated_to(largest_scan[0], limit), limit)
        seconds = (time.perf_counter() - started) / limit
        print(f"  at the page limit ({limit} pages, its pages over again): {at_limit:.0f} MiB, {seconds:.2f} s a page")
        met &= max(peak, at_limit) <= PEAK_MIB
    own = peak_mib()
    print(f"peak memory of this process, with WeasyPrint and the makers: {own:.0f} MiB")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
