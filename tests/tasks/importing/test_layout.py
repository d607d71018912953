"""Lines rebuilt from text placed on a page (OCR's boxes, OFD's and PDF's words), by position."""

import pytest

from tasks.importing.layout import Box, Grid, Line, page_lines
from tasks.importing.readers import page_text

CHAR = 10.0  # a character's width and height in these pages


def line(text: str, row: int, start: float = 0.0, **extra) -> Box:
    """A run of text on row ``row``, ``start`` characters from the left margin."""
    x0, y0 = start * CHAR, row * 2 * CHAR
    return Box(x0, y0, x0 + len(text) * CHAR, y0 + CHAR, text, **extra)


def test_pieces_on_a_row_make_one_line_left_to_right_whatever_order_they_come_in():
    boxes = [line("资源配置。", 0, 5), line("优化", 0, 0), line("国有", 0, 2), line("第二行", 1)]

    assert [found.text for found in page_lines(boxes)] == ["优化国有资源配置。", "第二行"]


def test_latin_words_keep_their_space_and_a_wide_gap_is_a_cells_edge():
    boxes = [line("ERP", 0), line("system", 0, 3.5), line("市国资委", 0, 15), line("2025年", 0, 30)]

    assert page_lines(boxes)[0].text == "ERP system | 市国资委 | 2025年" and not page_lines(boxes)[0].full


def test_a_line_reaching_the_margin_was_wrapped_and_a_short_one_ends_its_paragraph():
    boxes = [line("一二三四五六七八九十", 0), line("一二三四五", 1), line("一二三四五六七八九十", 2)]

    assert [(found.full, found.nearly) for found in page_lines(boxes)] == [(True, True), (False, False), (True, True)]


def test_a_heading_nearly_as_wide_as_the_line_stands_alone_unless_typesetting_kept_characters_back():
    heading = line("一、充分认识重要意义", 0, 2)  # ends two characters short of the margin
    body = line(
        "深入推进科技体制改革。",
        1,
        0,
    )
    body_wide = line("深入推进科技体制改革，加快。", 2)

    alone = page_lines([heading, body, body_wide])
    carried = page_lines([heading, line("成。推进改革，加快发展", 1), body_wide])

    assert page_text([alone]).splitlines()[0] == "一、充分认识重要意义"
    assert page_text([carried]).splitlines()[0] == "一、充分认识重要意义成。推进改革，加快发展"


def test_whether_characters_were_kept_back_at_a_pages_foot_the_next_pages_first_line_tells():
    foot = Line("六、对公路水路交通建设年度目标任务完成情况措施有", False, True)
    pages = [
        [foot, Line("- 2 -", False)],
        [Line("力、交通债务风险防控工作落实有力。", False), Line("七、下一项。", False)],
    ]

    assert page_text(pages).splitlines() == [foot.text + "力、交通债务风险防控工作落实有力。", "七、下一项。"]


def test_a_line_whose_next_opens_a_bracket_was_kept_back_too():
    lines = [Line("十、对按时完成任务且成效显著的省", False, True), Line("（区、市），予以倾斜。", False)]

    assert page_text([lines]) == "十、对按时完成任务且成效显著的省（区、市），予以倾斜。"


def test_a_page_in_two_columns_is_read_down_the_left_then_the_right():
    title = line("关于两栏排版的说明文件标题", 0, 2)
    left = [line(f"左栏第{n}行文字内容", n) for n in range(1, 6)]
    right = [line(f"右栏第{n}行文字内容", n, 12) for n in range(1, 6)]

    texts = [found.text for found in page_lines([title, *right, *left])]

    assert texts == [title.text, *(box.text for box in left), *(box.text for box in right)]


def test_a_tables_columns_are_not_taken_for_a_page_in_two_columns():
    rows = [[line(f"{n}", n), line(f"任务{n}", n, 4), line("市国资委", n, 14), line("2025年", n, 24)] for n in range(8)]

    texts = [found.text for found in page_lines([box for row in rows for box in row])]

    assert texts[3] == "3 | 任务3 | 市国资委 | 2025年"


def test_a_seals_red_text_goes_and_a_large_red_heading_stays():
    heading = Box(0, 0, 200, 25, "某市人民政府文件", red=True)
    body = [line("现将方案印发给你们，请认真贯彻落实。", n) for n in (2, 3)]
    seal = line("某市人民政府", 3, 10, red=True)

    assert [found.text for found in page_lines([heading, *body, seal])] == [heading.text, body[0].text, body[1].text]


def test_a_ruled_table_is_read_cell_by_cell_its_wrapped_cells_whole_and_apart_from_the_lines():
    grid = Grid(xs=(0, 40, 200, 300), ys=(100, 130, 190, 220))
    inside = [
        Box(5, 105, 30, 115, "序号"),
        Box(45, 105, 120, 115, "重点任务"),
        Box(205, 105, 280, 115, "牵头单位"),
        Box(5, 155, 15, 165, "1"),  # set in the middle of its cell, beside the second line of the next
        Box(45, 140, 195, 150, "推进市属企业战略性"),
        Box(45, 160, 120, 170, "重组整合"),
        Box(205, 155, 280, 165, "市国资委"),
    ]
    before, after = line("附件", 0), Box(0, 240, 100, 250, "以上任务请抓好落实。")

    table = grid.table([after, *inside, before])

    assert table.rows == [["序号", "重点任务", "牵头单位"], ["1", "推进市属企业战略性重组整合", "市国资委"]]
    assert table.columns == [(0, 40), (40, 200), (200, 300)]


def test_a_cells_line_stopping_short_of_its_text_edge_is_a_line_break_of_its_own():
    grid = Grid(xs=(0, 40, 300), ys=(0, 100))
    title = Box(45, 5, 120, 15, "明确工作职责")
    wrapped = [Box(45, 20, 295, 30, "本意见所称政务新媒体，是指各级行政机关、"), Box(45, 35, 150, 45, "承担行政职能。")]
    comma_short = [Box(45, 50, 270, 60, "国务院办公厅是主管单位，"), Box(45, 65, 120, 75, "负责推进。")]

    [[number, text]] = grid.table([Box(5, 40, 15, 50, "二"), title, *wrapped, *comma_short]).rows

    # A full-width mark's box stops short of its square: the line ending with one still reached the edge.
    assert number == "二"
    assert text.splitlines() == [
        "明确工作职责",
        "本意见所称政务新媒体，是指各级行政机关、承担行政职能。",
        "国务院办公厅是主管单位，负责推进。",
    ]


def test_a_table_on_a_page_of_its_own_is_its_rows_and_an_empty_grid_none():
    grid = Grid(xs=(0, 40, 200), ys=(0, 30))  # one row, the page's edge its top and foot
    inside = [Box(5, 10, 30, 20, "7"), Box(45, 10, 120, 20, "第7项任务。")]

    assert grid.table(inside).rows == [["7", "第7项任务。"]]
    assert grid.table([]).rows == []
    assert page_lines([]) == []


def test_where_paragraphs_are_set_in_a_full_line_ending_a_sentence_goes_on_if_the_next_is_flush():
    first = line("（十二）引导消费理念。鼓励媒体播出赛事。", 0, 2)  # ends at the margin with a stop
    flush = line("鼓励利用各类平台。（体育总局负责）", 1)
    opening = line("（十三）改善消费条件。", 2, 2)
    closing = line("（十四）完善产业链条。", 3, 2)
    margin = line("一二三四五六七八九十一二三四五六七八九十一二", 4)

    text = page_text([page_lines([first, flush, opening, closing, margin])])

    assert text.splitlines()[:3] == [first.text + flush.text, opening.text, closing.text]


def test_a_line_short_by_the_width_of_a_document_number_that_went_down_whole_goes_on():
    lines = [
        Line("依照《关于加强教育援藏工作的通知》（国办发", False, False, short=4.0),
        Line("〔1993〕71号）所确定的渠道解决。", False),
    ]

    assert page_text([lines]) == lines[0].text + lines[1].text


def test_where_numbered_lines_are_set_in_a_flush_line_opening_with_digits_and_a_stop_goes_on():
    items = [Line(f"{n}.第{n}项。", False, indented=True) for n in range(3, 13)]
    lines = [
        Line("1.第一项。", False, indented=True),
        Line("2.第二项，联系方式：电子邮箱lygsgzw@1", True, indented=True),
        Line("63.com。", False, indented=False),
        *items,
    ]

    paragraphs = page_text([lines]).splitlines()

    assert paragraphs[:2] == ["1.第一项。", "2.第二项，联系方式：电子邮箱lygsgzw@163.com。"]
    assert paragraphs[2:] == [item.text for item in items]


HEADER = "序号 | 重点任务 | 牵头单位 | 完成时限"


@pytest.mark.parametrize("repeated", [False, True], ids=["header-once", "header-repeated"])
def test_a_table_row_cut_by_the_page_is_joined_to_its_piece_on_the_next(repeated):
    first = [HEADER, "1 | 推进国有资本布局 | 市国资委 | 2025年底前", "2 | 完善公司治理 | 市国 |", "- 1 -"]
    second = [*([HEADER] if repeated else []), "| 机制建设 | 资委 | 2026年底前", "3 | 深化三项制度改革 | 市人社局 |"]

    lines = page_text([first, second]).splitlines()

    assert "2 | 完善公司治理机制建设 | 市国资委 | 2026年底前" in lines
    assert [line for line in lines if line != HEADER] == [
        "1 | 推进国有资本布局 | 市国资委 | 2025年底前",
        "2 | 完善公司治理机制建设 | 市国资委 | 2026年底前",
        "3 | 深化三项制度改革 | 市人社局 |",
    ]


def test_rows_that_open_a_page_numbered_or_of_another_width_stay_rows_of_their_own():
    first = [HEADER, "1 | 推进国有资本布局 | 市国资委 | 2025年底前"]
    numbered = ["2 | 完善公司治理 | 市国资委 | 2026年底前"]
    narrower = ["| 备注 | 无"]

    assert page_text([first, numbered]).splitlines()[1:] == [first[1], numbered[0]]
    assert page_text([first, narrower]).splitlines()[1:] == [first[1], narrower[0]]
