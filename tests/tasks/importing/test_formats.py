"""Every format an office sends reads the same tasks as the same document's text.

The files are made at test time with the tools that make them (tests/tasks/importing/documents.py):
LibreOffice for Word and Excel 97–2003, WeasyPrint for PDFs, the OFD writer, rasterised pages for
scans and photos. LibreOffice and OCR take seconds, so those tests are marked slow.
"""

import io
import zipfile

import olefile
import pytest

from tasks.importing import DocumentError, convert, parse_document, readers
from tests.tasks.importing import documents
from tests.tasks.importing.samples import CITY_PLAN

TABLE_TEXT = """附件
XX市国企改革重点任务分工表
序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限
1 | 推进市属企业战略性重组，出台《市属企业重组整合方案》并组织实施 | 市国资委 | 市财政局、各市属企业 | 2024年6月底前
2 | 建立健全董事会授权管理制度 | 市国资委 | 各市属企业 | 2024年12月底前
3 | 完善经理层任期制和契约化管理 | 市人社局 | 各市属企业 | 2025年6月底前
"""


def rows_of(plan):
    return [(t.number, t.title, t.lead_units, t.responsible_units, t.due) for t in plan.tasks]


def table_rows():
    return [line.split(" | ") for line in TABLE_TEXT.splitlines() if " | " in line]


@pytest.fixture(scope="module")
def text_rows():
    return rows_of(parse_document(CITY_PLAN.encode(), "方案.txt"))


@pytest.fixture(scope="module")
def table_text_rows():
    return rows_of(parse_document(TABLE_TEXT.encode(), "分工表.txt"))


@pytest.fixture(scope="module")
def word97():
    docx_data, _name = documents.as_file(CITY_PLAN, "docx")
    return documents.word97(docx_data)


@pytest.fixture(scope="module")
def excel97():
    return documents.excel97(documents.xlsx_table(table_rows()))


def test_an_ofd_reads_the_texts_tasks_whatever_order_its_objects_are_written_in(text_rows):
    plan = parse_document(documents.ofd_file(CITY_PLAN), "方案.ofd")

    assert rows_of(plan) == text_rows and plan.title == parse_document(CITY_PLAN.encode(), "a.txt").title


def test_a_web_page_saved_from_a_government_site_reads_as_its_text(text_rows):
    body = "".join(f"<p>{line}</p>" for line in CITY_PLAN.splitlines())
    head = "<head><style>p {}</style><script>var x = 1;</script></head>"
    page = f"<!DOCTYPE html><html>{head}<body>{body}</body></html>"

    assert rows_of(parse_document(page.encode(), "方案.htm")) == text_rows


def test_a_ruled_task_table_in_a_text_pdf_is_read_cell_by_cell(table_text_rows):
    pdf = documents.official_pdf(TABLE_TEXT)

    document = readers.read_document(pdf, "分工表.pdf")
    plan = parse_document(pdf, "分工表.pdf")

    assert document.tables and document.tables[0][0] == ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]
    assert rows_of(plan) == table_text_rows and plan.from_table


def test_a_table_going_on_over_the_next_page_is_one_table_its_repeated_header_read_once():
    header = table_rows()[0]
    many = [header] + [[str(n), f"第{n}项任务的具体内容", "市国资委", "各市属企业", "2025年底前"] for n in range(1, 61)]
    text = "\n".join(" | ".join(row) for row in many)

    tables = readers.read_document(documents.official_pdf(text), "长表.pdf").tables

    assert len(tables) == 1 and [row[0] for row in tables[0]] == ["序号", *map(str, range(1, 61))]


@pytest.mark.slow
def test_word_97_and_wps_documents_read_the_texts_tasks(word97, text_rows):
    assert word97.startswith(olefile.MAGIC)

    for name in ("方案.doc", "方案.wps"):
        assert rows_of(parse_document(word97, name)) == text_rows


@pytest.mark.slow
def test_excel_97_and_et_workbooks_are_read_natively(excel97, table_text_rows, monkeypatch):
    monkeypatch.setattr(convert, "converted", lambda *args, **kwargs: pytest.fail("xlrd reads .xls itself"))

    for name in ("分工表.xls", "分工表.et"):
        assert rows_of(parse_document(excel97, name)) == table_text_rows


@pytest.mark.slow
def test_a_word_97_document_renamed_docx_is_read_as_what_it_is_and_the_name_noted(word97, text_rows):
    plan = parse_document(word97, "方案.docx")

    assert rows_of(plan) == text_rows
    assert ("named_otherwise", {"name": "方案.docx", "kind": "doc"}) in [(n.code, n.params) for n in plan.notices]


@pytest.mark.slow
def test_opendocument_text_is_converted_too(text_rows):
    docx_data, _name = documents.as_file(CITY_PLAN, "docx")
    odt = convert.converted(docx_data, ".docx", "odt")

    assert rows_of(parse_document(odt, "方案.odt")) == text_rows


def test_a_pdf_named_txt_is_read_as_a_pdf(text_rows):
    pdf = documents.official_pdf(CITY_PLAN)

    plan = parse_document(pdf, "方案.txt")

    assert rows_of(plan) == text_rows and "named_otherwise" in [n.code for n in plan.notices]


@pytest.mark.slow
def test_a_password_protected_word_97_document_is_refused_before_libreoffice_is_asked(word97, monkeypatch):
    container = olefile.OleFileIO(io.BytesIO(word97), write_mode=True)
    header = bytearray(container.openstream("WordDocument").read())
    header[11] |= 0x01  # fEncrypted, bit 0x0100 of the FIB's flags at offset 10
    container.write_stream("WordDocument", bytes(header))
    locked = container.fp.getvalue()
    monkeypatch.setattr(convert, "converted", lambda *args, **kwargs: pytest.fail("never converted"))

    with pytest.raises(DocumentError) as refused:
        parse_document(locked, "加密.doc")

    assert refused.value.code == "doc_encrypted"


def test_an_office_2007_file_locked_by_a_password_is_named_as_such():
    from msoffcrypto.format.ooxml import OOXMLFile

    docx_data, _name = documents.as_file(CITY_PLAN, "docx")
    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_data)).encrypt("secret", locked)

    with pytest.raises(DocumentError) as refused:
        parse_document(locked.getvalue(), "加密.docx")

    assert refused.value.code == "office_encrypted"


def test_a_damaged_ofd_is_refused_with_its_reason():
    good = documents.ofd_file(CITY_PLAN)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name)[: len(source.read(name)) // 2])

    with pytest.raises(DocumentError) as refused:
        parse_document(broken.getvalue(), "方案.ofd")

    assert refused.value.code == "not_ofd"


@pytest.mark.slow
def test_a_conversion_that_hangs_is_stopped_at_its_time_limit_and_leaves_no_process(word97):
    import subprocess

    with pytest.raises(DocumentError) as refused:
        convert.converted(word97, ".doc", "docx", seconds=0.05)

    assert refused.value.code == "conversion_timeout"
    # The conversion's processes, by the profile folder on their command line (the session may have
    # other children of its own: a browser's driver).
    left = subprocess.run(["pgrep", "-f", "reform-convert-"], capture_output=True, text=True).stdout
    assert not left.strip()


def test_without_libreoffice_a_word_97_file_is_refused_with_the_way_to_save_it_as_docx(monkeypatch):
    monkeypatch.setattr(convert, "soffice", lambda: None)

    with pytest.raises(DocumentError) as refused:
        convert.converted(b"anything", ".doc", "docx")

    assert refused.value.code == "converter_missing" and refused.value.params == {"suffix": ".doc"}


def test_a_pdf_whose_text_layer_is_garbage_is_read_from_its_pages_instead(monkeypatch):
    from tasks.importing import ocr, pdfium_text

    # What a PDF whose fonts lost their character map reads as, even to PDFium.
    monkeypatch.setattr(pdfium_text, "document_text", lambda data: "\x00(\x00g\x8b¥\x002\x00" * 40)
    read = []
    monkeypatch.setattr(
        ocr, "read_scan", lambda data, kind, progress=None: read.append(kind) or ocr.ScanText([["1.推进重组"]], 0.9)
    )

    assert readers.survey(documents.official_pdf(CITY_PLAN)).needs_worker
    readers.read_document(documents.official_pdf(CITY_PLAN), "方案.pdf")
    assert read == ["pdf"]


def test_a_text_pdf_whose_font_pdfminer_cannot_map_is_read_from_its_text_not_by_ocr(shared_dir):
    # The Liaoning plan, in traditional characters, set by WeasyPrint: its CJK font is embedded with a
    # custom encoding of which pdfminer reads nothing but the page numbers; PDFium maps it as a viewer does.
    plan_file = shared_dir / "plans" / "liaoning-soe-reform-2018.txt"
    text = readers.read_document(plan_file.read_bytes(), plan_file.name).text
    pdf = documents.official_pdf(text)

    document = readers.read_document(pdf, "方案.pdf")

    assert document.confidence is None  # not OCR's
    assert not readers.survey(pdf, "方案.pdf").needs_worker
    assert rows_of(parse_document(pdf, "方案.pdf")) == rows_of(parse_document(plan_file.read_bytes(), plan_file.name))


def test_an_ofd_page_draws_its_template_and_locations_may_start_from_the_zips_root():
    namespace = 'xmlns:ofd="http://www.ofdspec.org/2016"'

    def text_object(text, y):
        return (
            f'<ofd:TextObject Boundary="20 {y} 150 6" Size="5">'
            f'<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>'
        )

    def page(*objects):
        layer = "".join(objects)
        content = f"<ofd:Content><ofd:Layer>{layer}</ofd:Layer></ofd:Content>"
        return f'<ofd:Page {namespace}><ofd:Template TemplateID="7"/>{content}</ofd:Page>'

    root = f"<ofd:OFD {namespace}><ofd:DocBody><ofd:DocRoot>/Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    document_xml = (
        f'<ofd:Document {namespace}><ofd:CommonData><ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
        '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="/Doc_1/Pages/Page_0/Content.xml"/></ofd:Pages>'
        "</ofd:Document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", root)
        archive.writestr("Doc_1/Document.xml", document_xml)
        archive.writestr("Doc_1/Tpls/Tpl_0/Content.xml", page(text_object("某市国资委文件", 10)))
        archive.writestr(
            "Doc_1/Pages/Page_0/Content.xml",
            page(text_object("1.推进重组。（市国资委负责）", 40), text_object("二、重点任务", 30)),
        )

    document = readers.read_document(buffer.getvalue(), "方案.ofd")

    assert document.text.splitlines() == ["某市国资委文件", "二、重点任务", "1.推进重组。（市国资委负责）"]


def test_an_xlsx_workbook_named_xls_is_read_as_the_xlsx_it_is(table_text_rows):
    plan = parse_document(documents.xlsx_table(table_rows()), "分工表.xls")

    assert rows_of(plan) == table_text_rows
    assert ("named_otherwise", "xlsx") in [(n.code, n.params.get("kind")) for n in plan.notices]


# A table longer than two pages: row 7 is cut by the first page's foot, its unit names in two pieces
# (市国 | 资委); row 15 is longer than a page, cut in the middle of its text.
LONG_CELL = "围绕主责主业优化资源配置，持续推动低效无效资产处置，" * 60 + "2025年底前完成。"
LONG_TABLE_ROWS = [
    table_rows()[0],
    *([str(n), f"第{n}项任务。", "市国资委", "各市属企业", "2025年底前"] for n in range(1, 15)),
    ["15", LONG_CELL, "市财政局", "", ""],
    ["16", "最后一项任务。", "市国资委", "各市属企业", "2026年底前"],
]
LONG_TABLE_TEXT = "\n".join(" | ".join(row) for row in LONG_TABLE_ROWS)


def assert_rows_cut_by_pages_read_whole(plan):
    assert [task.number for task in plan.tasks] == [str(n) for n in range(1, 17)]
    cut = plan.tasks[6]
    assert (cut.title, cut.lead_units, cut.responsible_units) == ("第7项任务", ["市国资委"], ["各市属企业"])
    assert [task.lead_units for task in plan.tasks].count(["市国资委"]) == 15
    assert plan.tasks[14].lead_units == ["市财政局"]


def test_a_pdf_table_cell_keeps_its_own_line_breaks_and_runs_its_wrapped_lines_on():
    body = "围绕主责主业优化资源配置，持续推动低效无效资产处置，" * 3 + "2025年底前完成。"
    rows = [table_rows()[0], ["1", f"推进布局优化\n{body}", "市国资委", "各市属企业", "2025年底前"]]

    plan = parse_document(documents.table_pdf(rows), "分工表.pdf")

    (task,) = plan.tasks
    assert task.title == "推进布局优化"
    assert task.body == f"推进布局优化\n{body}"


@pytest.mark.parametrize("header_on_every_page", [False, True], ids=["header-once", "header-repeated"])
def test_rows_cut_by_the_page_are_one_task_each(header_on_every_page):
    pdf = documents.official_pdf(LONG_TABLE_TEXT, header_on_every_page=header_on_every_page)

    plan = parse_document(pdf, "长表.pdf")

    assert_rows_cut_by_pages_read_whole(plan)
    assert plan.tasks[14].body == LONG_CELL
