"""Reading documents: encodings, Word, Excel and PDF, and each kind of bad file refused by its code."""

import io

import docx
import openpyxl
import pypdf
import pytest
import weasyprint

from tasks.importing import DocumentError, parse_document
from tests.tasks.importing.samples import CITY_PLAN

SHORT_PLAN = "二、重点任务\n（一）优化布局\n1．推进重组。2023年底前出台《重组方案》。\n牵头单位：市国资委\n"


def refused_code(data: bytes, filename: str) -> str:
    with pytest.raises(DocumentError) as refused:
        parse_document(data, filename)
    return refused.value.code


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"], ids=["utf8", "bom", "gb18030", "gbk", "utf16"]
)
def test_text_in_each_chinese_encoding_reads_the_same(encoding):
    plan = parse_document(CITY_PLAN.encode(encoding), "方案.txt")

    assert [t.title for t in plan.tasks] == ["推进战略性重组", "清理低效资产", "加强董事会建设", "健全考核机制"]


def test_a_word_document_reads_its_paragraphs():
    document = docx.Document()
    for line in CITY_PLAN.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)

    plan = parse_document(buffer.getvalue(), "方案.docx")

    assert plan.doc_number == "连国资发〔2023〕15号"
    assert len(plan.tasks) == 4


def test_a_word_document_with_a_task_table_takes_its_tasks_from_the_table():
    document = docx.Document()
    document.add_paragraph("关于印发《XX区国企改革任务清单》的通知")
    document.add_paragraph("立区国资发〔2022〕7号")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"], strict=True):
        cell.text = text
    for row in (
        ["1", "完善公司治理。", "区国资局", "各区属企业", "2022年底前"],
        ["2", "压减管理层级。", "区国资局", "", "2023年6月"],
    ):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)

    plan = parse_document(buffer.getvalue(), "清单.docx")

    assert (plan.title, plan.doc_number) == ("XX区国企改革任务清单", "立区国资发〔2022〕7号")
    assert [(t.number, t.title, t.lead_units, t.responsible_units) for t in plan.tasks] == [
        ("1", "完善公司治理", ["区国资局"], ["各区属企业"]),
        ("2", "压减管理层级", ["区国资局"], []),
    ]
    assert [t.due.isoformat() for t in plan.tasks] == ["2022-12-31", "2023-06-30"]


def excel(rows, *, title_row=True):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append(["XX区国企改革任务清单"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_task_table_found_by_its_header_with_merged_sections():
    data = excel(
        [
            ["序号", "改革领域", "主要任务", "牵头单位", "责任单位", "完成时限"],
            [1, "公司治理", "加强董事会建设。实现应建尽建。", "区国资局", "各区属企业", "2022年6月底前"],
            [2, None, "制定权责清单。2021年出台《权责清单》。", "区国资局、区委组织部", "", "2021年"],
            [3, "布局优化", "推进重组整合。", "区国资局", "区财政局，各区属企业", "长期坚持"],
        ]
    )

    plan = parse_document(data, "任务清单.xlsx")

    assert [(t.section, t.number, t.title) for t in plan.tasks] == [
        ("公司治理", "1", "加强董事会建设"),
        ("公司治理", "2", "制定权责清单"),
        ("布局优化", "3", "推进重组整合"),
    ]
    # The due column is the task's own due date, not one more milestone.
    assert (plan.tasks[0].milestones, plan.tasks[0].due.isoformat()) == ([], "2022-06-30")
    assert plan.tasks[1].lead_units == ["区国资局", "区委组织部"]
    assert plan.tasks[1].milestones[-1].deliverables == ["权责清单"]
    assert plan.tasks[2].responsible_units == ["区财政局", "各区属企业"]


def test_an_excel_file_without_a_task_header_is_refused():
    assert refused_code(excel([["姓名", "电话"], ["张三", "123"]]), "名单.xlsx") == "xlsx_no_header"


def pdf_of(text: str, **options) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    html = f"<html><body style='font-family: \"Noto Sans CJK SC\"'>{paragraphs}</body></html>"
    return weasyprint.HTML(string=html).write_pdf(**options)


def test_a_pdf_with_a_text_layer_reads_its_tasks():
    plan = parse_document(pdf_of(SHORT_PLAN), "方案.pdf")

    assert [(t.number, t.title, t.lead_units) for t in plan.tasks] == [("1", "推进重组", ["市国资委"])]


def test_a_blank_page_in_a_text_pdf_is_passed_over():
    # A 红头文件 often ends on a page left blank (此页无正文), or has one between its parts.
    blank = "<p style='page-break-before: always'></p><p style='page-break-before: always'>"
    pdf = pdf_of(SHORT_PLAN.replace("\n", f"\n{blank}", 1))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 3

    plan = parse_document(pdf, "方案.pdf")

    assert [(t.number, t.title, t.lead_units) for t in plan.tasks] == [("1", "推进重组", ["市国资委"])]


def test_a_pdf_without_text_is_read_by_ocr_and_a_blank_one_is_refused_as_having_no_text():
    assert refused_code(pdf_of(""), "扫描件.pdf") == "scan_no_text"


def test_a_password_protected_pdf_is_refused():
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_of(SHORT_PLAN)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert refused_code(buffer.getvalue(), "加密.pdf") == "pdf_encrypted"


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "picture.txt", "not_image"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "setup.txt", "unsupported_kind"),
        (b"\x00\x01\x02 no format at all" * 10, "odd.txt", "binary"),
        (bytes([0xFF, 0xFE, 0xFD]) * 50 + b"\x81", "odd.txt", "unknown_encoding"),
        ("这是一份没有编号任务的通知。".encode(), "notice.txt", "no_tasks"),
        (b"not a zip at all", "plan.docx", "not_docx"),
        (b"PK\x03\x04 broken zip", "plan.xlsx", "not_xlsx"),
        (b"%PDF-1.7 broken", "plan.pdf", "not_pdf"),
        (b"<html></html>", "plan.html", "empty"),
        (b"PK\x03\x04 broken", "plan.ofd", "not_ofd"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00", "photo.jpg", "unsupported_kind"),
    ],
    ids=[
        "empty",
        "png-as-txt",
        "exe-as-txt",
        "binary",
        "undecodable",
        "no-tasks",
        "docx-not-zip",
        "xlsx-bad-zip",
        "bad-pdf",
        "html",
        "ofd-bad-zip",
        "gif",
    ],
)
def test_bad_files_are_refused_with_a_reason(data, filename, code):
    assert refused_code(data, filename) == code


@pytest.mark.parametrize("opening", ["《国务院办公厅转发国家地震", "（市国资委牵头，", "“放管服"])
def test_a_numbered_line_wrapped_inside_an_open_title_or_bracket_goes_on_on_the_next(opening):
    from tasks.importing.layout import Line
    from tasks.importing.readers import page_text

    first = f"（一）各地区、各有关部门应按照{opening}"
    text = page_text([[Line(first, True), Line("局关于做好工作的通知》）落实。", False)]])

    assert text == first + "局关于做好工作的通知》）落实。"


def test_a_task_cell_broken_over_lines_takes_its_first_line_as_the_title():
    from tests.tasks.importing.documents import xlsx_table

    rows = [["序号", "重点任务", "牵头单位"], ["1", "推进重组\n围绕主业，2026年底前完成整合。", "市国资委"]]

    task = parse_document(xlsx_table(rows), "台账.xlsx").tasks[0]

    assert (task.title, task.lead_units, task.due.year) == ("推进重组", ["市国资委"], 2026)


def _rule(x0, top, x1, bottom):
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "orientation": "v" if x0 == x1 else "h"}


def test_column_rules_running_past_a_tables_last_rule_are_closed_where_they_end():
    from tasks.importing.readers import _open_row_ends

    grid = [_rule(10, 100, 200, 100), _rule(10, 150, 200, 150)]  # two rules across
    grid += [_rule(x, 100, x, 180) for x in (10, 90, 200)]  # column rules on past 150 to the page's foot

    closing = _open_row_ends(grid)

    assert [(rule["x0"], rule["x1"], rule["top"]) for rule in closing] == [(10, 200, 180)]


def test_a_closed_grid_or_a_lone_rule_gets_no_rule_added():
    from tasks.importing.readers import _open_row_ends

    closed = [_rule(10, y, 200, y) for y in (100, 150)] + [_rule(x, 100, x, 150) for x in (10, 200)]
    lone = [_rule(300, 50, 300, 400)]  # a margin line, not a table's

    assert _open_row_ends(closed + lone) == []


def test_pdfium_gives_a_pdfs_words_where_pdfplumber_places_them_and_which_are_red():
    import pdfplumber

    from tasks.importing import pdfium_text

    html = "<p style='color: #d00000'>某市人民政府</p><p>1．推进重组。 2023年底前</p>"
    pdf = weasyprint.HTML(
        string=f"<html><body style='font-family: \"Noto Sans CJK SC\"'>{html}</body></html>"
    ).write_pdf()

    (words,) = pdfium_text.page_words(pdf)

    assert [(word.text, word.red) for word in words] == [
        ("某市人民政府", True),
        ("1．推进重组。", False),
        ("2023年底前", False),
    ]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        placed = document.pages[0].extract_words()
    for word, where in zip(words, placed, strict=True):
        assert word.text == where["text"]
        assert (
            abs(word.x0 - where["x0"]) < 1
            and abs(word.y0 - where["top"]) < 0.5
            and abs(word.y1 - where["bottom"]) < 0.5
        )
