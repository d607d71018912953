"""Scans and photos read by OCR: the same tasks as the text, within what OCR can promise.

Pages are made at test time: the plan set as an official document (WeasyPrint), rasterised at 150
dpi, then saved as an image-only PDF, turned and speckled, or photographed (documents.py). OCR
takes seconds a page, so these are slow tests.
"""

import pytest
from PIL import Image, ImageDraw

from tasks.importing import DocumentError, parse_document, readers
from tests.tasks.importing import documents
from tests.tasks.importing.samples import CITY_PLAN
from tests.tasks.importing.test_formats import (
    LONG_TABLE_TEXT,
    TABLE_TEXT,
    assert_rows_cut_by_pages_read_whole,
    rows_of,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages():
    return documents.page_images(documents.official_pdf(CITY_PLAN))


@pytest.fixture(scope="module")
def text_rows():
    return rows_of(parse_document(CITY_PLAN.encode(), "方案.txt"))


def test_a_clean_scan_reads_the_texts_tasks_page_by_page(pages, text_rows):
    heard = []

    def progress(done, total):
        heard.append((done, total))

    plan = parse_document(documents.image_pdf(pages), "扫描件.pdf", progress=progress)

    assert len(pages) >= 2 and heard == [(n, len(pages)) for n in range(1, len(pages) + 1)]
    assert rows_of(plan) == text_rows
    ocr = next(notice for notice in plan.notices if notice.code == "read_by_ocr")
    assert ocr.params["pages"] == len(pages) and ocr.params["confidence"] > 0.9
    assert plan.text_kept


def test_a_skewed_noisy_scan_still_reads_its_tasks_and_units(pages, text_rows):
    plan = parse_document(documents.image_pdf(documents.scanned(pages, skew=1.2, noise=0.4)), "歪斜.pdf")

    assert [(row[0], row[2], row[3], row[4]) for row in rows_of(plan)] == [
        (row[0], row[2], row[3], row[4]) for row in text_rows
    ]


def test_a_photo_of_a_page_named_pdf_is_read_as_the_photo_it_is(pages):
    photo = documents.photo(pages[0])

    plan = parse_document(photo, "照片.pdf")

    assert [task.title for task in plan.tasks][:2] == ["推进战略性重组", "清理低效资产"]
    assert ("named_otherwise", "jpeg") in [(n.code, n.params.get("kind")) for n in plan.notices]


def test_a_scanned_task_table_is_read_cell_by_cell_from_its_rules():
    table_page = documents.page_images(documents.official_pdf(TABLE_TEXT))
    expected = rows_of(parse_document(TABLE_TEXT.encode(), "分工表.txt"))

    document = readers.read_document(documents.image_pdf(table_page), "分工表.pdf")
    plan = parse_document(documents.image_pdf(table_page), "分工表.pdf")

    [table] = document.tables
    assert table[0] == ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]
    assert "牵头单位" not in document.text  # the table's cells are read as the table, not as lines too
    assert rows_of(plan) == expected


def test_a_scanned_table_reads_as_the_same_table_in_a_text_pdf_its_cells_line_breaks_kept():
    rows = [
        ["序号", "重点任务", "牵头单位", "责任单位"],
        [
            "二",
            "明确工作职责\n本意见所称政务新媒体，是指各级行政机关在第三方平台上开设的政务账号或应用，"
            "以及自行开发建设的移动客户端等。\n各级政务新媒体接受宣传、网信部门的有关业务统筹指导。",
            "市政府办公室",
            "各区县政府",
        ],
        ["三", "内容保障\n严格内容发布审核制度，坚持分级分类审核、先审后发。", "市委网信办", "各市属企业"],
    ]
    table = documents.table_pdf(rows)

    scanned = parse_document(documents.image_pdf(documents.page_images(table)), "分工表扫描件.pdf")

    assert rows_of(scanned) == rows_of(parse_document(table, "分工表.pdf"))
    assert [task.title for task in scanned.tasks] == ["明确工作职责", "内容保障"]


def test_a_scanned_table_row_cut_by_the_page_is_read_as_one_task():
    scan = documents.image_pdf(documents.page_images(documents.official_pdf(LONG_TABLE_TEXT)))

    plan = parse_document(scan, "分工表扫描件.pdf")

    assert_rows_cut_by_pages_read_whole(plan)


def test_a_lone_one_in_a_scanned_number_column_is_read_though_detection_passes_it_over():
    header = "序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限"
    rows = [
        f"{number} | 推进第{number}项改革任务，完善制度。 | 市国资委 | 各市属企业 | 2025年底前" for number in "一二三"
    ]
    scan = documents.image_pdf(documents.page_images(documents.official_pdf("\n".join([header, *rows]))))

    plan = parse_document(scan, "分工表扫描件.pdf")

    assert [task.number for task in plan.tasks] == ["一", "二", "三"]


def test_a_picture_that_is_not_a_document_is_refused_as_having_no_text():
    picture = Image.new("RGB", (800, 600), (90, 140, 200))
    ImageDraw.Draw(picture).ellipse((200, 150, 600, 450), fill=(240, 200, 60))
    data = documents.image_pdf([picture])

    with pytest.raises(DocumentError) as refused:
        parse_document(data, "风景.pdf")

    # OCR may find a stroke or two to read in a picture; either way it is refused, saying so.
    assert refused.value.code in ("scan_no_text", "scan_no_tasks")


def test_a_scan_of_a_letter_without_tasks_says_how_sure_the_ocr_was():
    text = "关于召开座谈会的通知\n各单位：定于下周召开座谈会，请准时参加。"
    letter = documents.page_images(documents.official_pdf(text))

    with pytest.raises(DocumentError) as refused:
        parse_document(documents.image_pdf(letter), "通知.pdf")

    assert refused.value.code == "scan_no_tasks"
    assert refused.value.params["pages"] == 1 and 0.5 < refused.value.params["confidence"] <= 1


@pytest.mark.parametrize("image_format", ["PNG", "TIFF"])
def test_scanned_pages_saved_as_png_or_a_multi_page_tiff_read_every_page(pages, text_rows, image_format):
    import io

    buffer = io.BytesIO()
    if image_format == "TIFF":
        frames = [page.copy() for page in pages]
        frames[0].save(buffer, image_format, save_all=True, append_images=frames[1:])
    else:
        pages[0].save(buffer, image_format)

    plan = parse_document(buffer.getvalue(), f"扫描件.{image_format.lower()}")

    read = next(n for n in plan.notices if n.code == "read_by_ocr").params["pages"]
    titles = [task.title for task in plan.tasks]
    if image_format == "TIFF":
        assert read == len(pages) and titles == [row[1] for row in text_rows]
    else:  # a PNG holds the first page only: the tasks on it, then a heading whose tasks are overleaf
        assert read == 1 and titles[:2] == [row[1] for row in text_rows][:2]
