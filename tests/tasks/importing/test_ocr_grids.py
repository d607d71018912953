"""A scan's ruled tables found from its rules (ocr._grids), before any text is read: no OCR here."""

import numpy
import pytest

from tasks.importing import ocr
from tests.tasks.importing import documents


def grids_of(rows):
    [page] = documents.page_images(documents.table_pdf(rows))
    return ocr._grids(numpy.asarray(page.convert("RGB")))


@pytest.mark.parametrize("columns", [2, 4])
def test_a_table_of_one_row_of_one_line_is_a_table(columns):
    """The last row of a table, on a page of its own, as a one-row table."""
    row = ["三", "各有关省（市）教育主管部门要明确一位负责同志分管内地西藏班（校）工作。", "", ""][:columns]

    [grid] = grids_of([row])

    assert len(grid.xs) == columns + 1 and len(grid.ys) == 2


def test_a_table_of_several_rows_has_a_rule_across_between_each():
    rows = [["序号", "重点任务"], ["1", "推进市属企业战略性重组整合。"], ["2", "完善中国特色现代企业制度和公司治理。"]]

    [grid] = grids_of(rows)

    assert len(grid.xs) == 3 and len(grid.ys) == 4


def test_a_page_of_prose_has_no_table():
    [page] = documents.page_images(documents.official_pdf("一、推进重组整合。\n二、完善公司治理。"))

    assert ocr._grids(numpy.asarray(page.convert("RGB"))) == ()
