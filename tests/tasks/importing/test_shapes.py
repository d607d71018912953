"""The importer on each shape real plans take, written small for the test, in each format it comes in.

None of these texts is a corpus document: each is the shape alone, so that a rule that
only fits one document fails here.
"""

import datetime

import pytest

from tasks.importing import parse_document, parse_text
from tests.tasks.importing.documents import FORMATS, as_file
from tests.tasks.importing.test_readers import excel


def rows(plan):
    return [(t.section, t.number, t.title, t.lead_units, t.responsible_units) for t in plan.tasks]


def parsed(text: str, kind: str):
    return parse_document(*as_file(text, kind))


# ---- which items are tasks -------------------------------------------------------------

GOALS_WITH_UNITS = """一、经济社会发展主要目标
（一）地区生产总值增长6%左右。
牵头单位：市发展改革委
（二）城镇新增就业5万人。
牵头单位：市人力资源社会保障局
各单位要加强组织领导，确保各项目标完成。
"""


@pytest.mark.parametrize("kind", FORMATS)
def test_items_that_name_units_are_tasks_even_under_a_goals_heading(kind):
    plan = parsed(GOALS_WITH_UNITS, kind)

    assert rows(plan) == [
        ("一", "一", "地区生产总值增长6%左右", ["市发展改革委"], []),
        ("一", "二", "城镇新增就业5万人", ["市人力资源社会保障局"], []),
    ]


RUN_ON = """某市人民政府关于推进政务服务的意见
一、总体要求
（一）指导思想。以新发展理念为指导。
（二）基本原则。
1.坚持需求导向。围绕群众需要。
2.坚持改革创新。
（三）工作目标。到2025年，政务服务全面提升。
二、优化服务
（四）推进一网通办。2026年6月底前实现高频事项网上办。（市政务服务局负责）
（五）压减办理时限。（市政务服务局、市司法局负责）
三、强化保障
（六）加强督促检查。（市政府办公室负责）
各地区、各部门要于2026年3月底前报送落实情况。
"""


@pytest.mark.parametrize("kind", FORMATS)
def test_run_on_numbering_across_parts_after_guidance_goals_and_principles(kind):
    plan = parsed(RUN_ON, kind)

    assert rows(plan) == [
        ("二", "四", "推进一网通办", [], ["市政务服务局"]),
        ("二", "五", "压减办理时限", [], ["市政务服务局", "市司法局"]),
        ("三", "六", "加强督促检查", [], ["市政府办公室"]),
    ]
    # The closing paragraph's date belongs to no task.
    assert [m.due for m in plan.tasks[0].milestones] == [datetime.date(2026, 6, 30)]
    assert plan.tasks[2].milestones == []


@pytest.mark.parametrize("kind", FORMATS)
def test_a_page_without_part_headings_that_starts_at_task_fifty(kind):
    text = "50.完善考核办法。2027年底前修订《考核办法》。（市国资委负责）\n"
    text += "51.推进信息公开。（市国资委、市财政局负责）\n"

    plan = parsed(text, kind)

    assert rows(plan) == [
        ("", "50", "完善考核办法", [], ["市国资委"]),
        ("", "51", "推进信息公开", [], ["市国资委", "市财政局"]),
    ]
    assert [m.due for m in plan.tasks[0].milestones] == [datetime.date(2027, 12, 31)]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_rectification_report_with_only_sections_and_numbered_measures(kind):
    text = """关于巡视整改进展情况的通报
（一）关于党建工作薄弱问题
1.健全党建责任制。2026年9月底前出台《党建工作责任清单》。
2.开展专项督查。
（二）关于投资管理不规范问题
1.修订投资监管制度。
"""

    plan = parsed(text, kind)

    assert [(t.section, t.number, t.title) for t in plan.tasks] == [
        ("(一)", "1", "健全党建责任制"),
        ("(一)", "2", "开展专项督查"),
        ("(二)", "1", "修订投资监管制度"),
    ]
    assert plan.tasks[0].milestones[0].deliverables == ["党建工作责任清单"]


def test_top_level_items_with_nothing_under_them_are_the_tasks():
    text = "".join(f"{n}、对成效明显的地区给予奖励{n}。（某部负责）\n" for n in "一二三四五六七八九十")
    text += "十一、对表现突出的地区通报表扬。（某部、某局负责）\n"

    plan = parse_text(text)

    assert [t.number for t in plan.tasks] == [*"一二三四五六七八九十", "十一"]
    assert plan.tasks[-1].responsible_units == ["某部", "某局"]
    assert plan.tasks[0].section == ""


def test_numbering_that_restarts_in_each_section():
    text = """二、重点任务
（一）优化布局
1.推进重组。
2.清理资产。
（二）完善治理
1.建设董事会。
"""
    assert [(t.section, t.number) for t in parse_text(text).tasks] == [("(一)", "1"), ("(一)", "2"), ("(二)", "1")]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_heading_with_nothing_numbered_under_it_beside_parts_with_tasks_is_a_task(kind):
    text = """一、充分认识改革的重要意义
各地区要提高认识，2026年底前完成部署。
二、推进重点改革
（一）深化用人制度改革。
（二）完善薪酬分配制度。
三、加强组织实施
各地区要加强领导。
"""

    plan = parsed(text, kind)

    assert [(t.section, t.number, t.title) for t in plan.tasks] == [
        ("", "一", "充分认识改革的重要意义"),
        ("二", "一", "深化用人制度改革"),
        ("二", "二", "完善薪酬分配制度"),
        ("", "三", "加强组织实施"),
    ]
    assert [m.due for m in plan.tasks[0].milestones] == [datetime.date(2026, 12, 31)]
    assert [(n.code, n.params) for n in plan.notices if n.code == "heading_as_task"] == [
        ("heading_as_task", {"number": "一"}),
        ("heading_as_task", {"number": "三"}),
    ]


def test_a_narrative_section_a_scope_statement_and_an_approval_are_not_tasks():
    text = """一、2025年工作情况
全年完成改革任务120项。
二、试点范围
（一）在全市国有企业开展试点。
三、批复事项
（一）原则同意《某市国企改革方案》。
四、下一步工作
（一）深化混合所有制改革。
（二）健全市场化经营机制。
"""

    plan = parse_text(text)

    assert [(t.section, t.number, t.title) for t in plan.tasks] == [
        ("四", "一", "深化混合所有制改革"),
        ("四", "二", "健全市场化经营机制"),
    ]


def test_safeguards_at_a_shallower_level_than_the_tasks_are_not_tasks():
    text = """二、重点任务
（一）优化布局
1.推进重组。
牵头单位：区国资局
2.清理资产。
牵头单位：区国资局
三、保障措施
（一）加强组织领导。区领导小组统筹推进。
（二）强化考核督查。
"""
    assert [t.title for t in parse_text(text).tasks] == ["推进重组", "清理资产"]


def test_measures_inside_a_paragraph_and_on_lines_of_their_own():
    text = """二、整改落实情况
（一）关于制度建设问题。一是修订制度。2026年3月底前完成。二是加强培训。
（二）关于监督问题
一是开展专项检查。
二是建立问责机制。
"""

    plan = parse_text(text)

    assert [(t.section, t.number, t.title) for t in plan.tasks] == [
        ("(一)", "一", "修订制度"),
        ("(一)", "二", "加强培训"),
        ("(二)", "一", "开展专项检查"),
        ("(二)", "二", "建立问责机制"),
    ]
    assert plan.tasks[0].body == "修订制度。2026年3月底前完成。"


def test_a_heading_on_its_own_line_takes_the_lines_below_it_as_its_body():
    text = """一、完善制度体系
（一）健全制度框架。
按照统一部署推进。
2027年初步建成制度体系。
（二）提高发展水平。
从2026年起，每年开展评估。
"""

    plan = parse_text(text)

    assert [t.title for t in plan.tasks] == ["健全制度框架", "提高发展水平"]
    assert [m.due for m in plan.tasks[0].milestones] == [datetime.date(2027, 12, 31)]
    assert plan.tasks[1].milestones == []  # a start year and a yearly date are not deadlines
    assert plan.tasks[1].recurrence == "yearly"


# ---- units ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "lead", "responsible"),
    [
        ("（甲部、乙部负责）", [], ["甲部", "乙部"]),
        ("（甲部牵头，乙部、丙部配合）", ["甲部"], ["乙部", "丙部"]),
        ("（牵头单位：甲部；配合单位：乙部、丙部）", ["甲部"], ["乙部", "丙部"]),
        ("（负责部门：甲部、乙部；适用范围：所有试点地区）", [], ["甲部", "乙部"]),
        ("（甲部、乙部等和各省级人民政府负责）", [], ["甲部", "乙部等", "各省级人民政府"]),
        ("（甲部会同有关部门负责）", [], ["甲部", "有关部门"]),
        ("（中央和国家机关工委、文化和旅游部负责）", [], ["中央和国家机关工委", "文化和旅游部"]),
        ("（各省（区、市）人民政府负责）", [], ["各省（区、市）人民政府"]),
        ("（甲部牵头负责，乙部参与）", ["甲部"], ["乙部"]),
        ("（甲部牵头，乙部等按职责分工负责，2026年12月底前完成）", ["甲部"], ["乙部等"]),
        ("（责任单位：甲部（牵头）、乙部、丙部）", ["甲部"], ["乙部", "丙部"]),
        ("（2026年底前完成）", [], []),
        ("（见附表）", [], []),
        ("（技工院校内由人力资源社会保障部门负责）", [], []),
    ],
)
def test_unit_brackets_in_their_forms(annotation, lead, responsible):
    task = parse_text(f"二、重点任务\n（一）推进改革。完成改革任务{annotation}。\n").tasks[0]

    assert (task.lead_units, task.responsible_units) == (lead, responsible)


def test_several_unit_groups_in_one_task_are_their_union_in_order():
    text = "二、重点任务\n（一）推进改革。甲事项（甲部、乙部负责）。乙事项（乙部、丙部负责）。\n"

    assert parse_text(text).tasks[0].responsible_units == ["甲部", "乙部", "丙部"]


def test_the_documents_own_rule_makes_the_first_unit_the_lead():
    text = "（排在第一位的部门为牵头部门）\n二、重点任务\n（一）推进改革。（甲部、乙部、丙部负责）\n"

    task = parse_text(text).tasks[0]

    assert (task.lead_units, task.responsible_units) == (["甲部"], ["乙部", "丙部"])


def test_leaders_named_beside_units_are_people_not_units():
    text = "二、重点任务\n1.推进改革。\n牵头领导：张某\n牵头单位：市国资委\n责任单位：各市属企业\n"

    task = parse_text(text).tasks[0]

    assert (task.lead_units, task.responsible_units) == (["市国资委"], ["各市属企业"])
    assert "张某" not in task.body


def test_subjects_of_sentences_are_not_units():
    task = parse_text("二、重点任务\n（一）推进改革。请财政部会同有关部门研究落实。\n").tasks[0]

    assert (task.lead_units, task.responsible_units) == ([], [])


# ---- deadlines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "due", "precision"),
    [
        ("2026年6月底前完成", datetime.date(2026, 6, 30), "month"),
        ("2026年底前完成", datetime.date(2026, 12, 31), "year"),
        ("到2027年，基本建成", datetime.date(2027, 12, 31), "year"),
        ("至2028年达到2000人", datetime.date(2028, 12, 31), "year"),
        ("2027年初步建成", datetime.date(2027, 12, 31), "year"),
        ("2026年3月15日前报送", datetime.date(2026, 3, 15), "day"),
    ],
)
def test_a_tasks_own_by_dates(sentence, due, precision):
    milestones = parse_text(f"二、重点任务\n（一）推进改革。{sentence}。\n").tasks[0].milestones

    assert [(m.due, m.precision) for m in milestones] == [(due, precision)]


@pytest.mark.parametrize(
    "sentence",
    [
        "从2026年起，逐步推开",
        "自2026年开始试点",
        "2026年起，每年2月底前报送",
        "每年1月31日前报送",
        "5年内完成",
        "以2026年运动会为契机",
        "落实《规划（2021—2035年）》",
        "按照国办发〔2019〕3号要求",
    ],
)
def test_dates_that_are_not_deadlines(sentence):
    assert parse_text(f"二、重点任务\n（一）推进改革。{sentence}。\n").tasks[0].milestones == []


def test_a_due_line_is_the_tasks_due_date_not_one_more_milestone():
    text = "二、重点任务\n1.推进重组。2026年6月底前出台《方案》。\n牵头单位：市国资委 完成时限：2027年6月底前\n"

    task = parse_text(text).tasks[0]

    assert [m.due for m in task.milestones] == [datetime.date(2026, 6, 30)]
    assert (task.due, task.due_precision, task.due_inherited) == (datetime.date(2027, 6, 30), "month", False)
    assert task.lead_units == ["市国资委"]


# ---- tables -------------------------------------------------------------------------------

TABLE_HEADER = ["序号", "重点工作", "主要内容", "责任领导", "责任单位", "完成时限"]
TABLE_ROWS = [
    ["一、深化改革"],
    ["1", "推进重组整合", "2026年6月底前出台《重组方案》", "张某", "市国资委、市财政局", "2026年12月底前"],
    ["2", "完善公司治理", "健全董事会", "李某", "各市属企业", "2027-06-30"],
    ["二、强化监管"],
    ["3", "加强投资监管", "修订投资管理办法", "王某", "市国资委", "长期坚持"],
]


def expect_table_tasks(plan):
    assert [(t.section, t.number, t.title, t.lead_units, t.responsible_units) for t in plan.tasks] == [
        ("一、深化改革", "1", "推进重组整合", [], ["市国资委", "市财政局"]),
        ("一、深化改革", "2", "完善公司治理", [], ["各市属企业"]),
        ("二、强化监管", "3", "加强投资监管", [], ["市国资委"]),
    ]
    first, second, third = plan.tasks
    assert [m.due for m in first.milestones] == [datetime.date(2026, 6, 30)]
    assert first.milestones[0].deliverables == ["重组方案"]
    assert (first.due, second.due) == (datetime.date(2026, 12, 31), datetime.date(2027, 6, 30))
    assert "张某" not in first.body  # 责任领导 names a person
    assert third.milestones == []


def text_table(style: str) -> str:
    lines = ["某市国资委2026年重点工作任务分工表"]
    for row in [TABLE_HEADER, *TABLE_ROWS]:
        if len(row) == 1:
            lines.append(row[0])
        elif style == "bars":
            lines.append(" | ".join(row))
        elif style == "tabs":
            lines.append("\t".join(row))
        else:  # a cell a line, each but the row's last ending in " |"
            lines += [f"{cell} |" for cell in row[:-1]] + [row[-1]]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("style", ["bars", "cell-a-line", "tabs"])
def test_a_task_table_written_as_text(style):
    plan = parse_text(text_table(style))

    expect_table_tasks(plan)
    assert plan.title == "某市国资委2026年重点工作任务分工表"


def test_a_word_task_table_with_section_rows():
    from tests.tasks.importing.documents import docx_with_table

    plan = parse_document(docx_with_table(["某市重点工作任务分工表"], [TABLE_HEADER, *TABLE_ROWS]), "分工表.docx")

    expect_table_tasks(plan)


def test_an_excel_ledger_with_its_title_and_number_above_a_two_row_header_and_real_dates():
    data = excel(
        [
            ["某区国企改革深化提升行动任务台账（某国资发〔2026〕3号）"],
            ["序号", "改革举措", "责任单位", None, "完成时间", "推广范围"],
            [None, None, "牵头单位", "配合单位", None, None],
            [1, "推进专业化整合。", "区国资局", "区财政局、各区属企业", datetime.datetime(2027, 6, 30), "全区"],
            [2, "健全市场化经营机制。", "区国资局", None, "2027-12-31", "全区"],
        ],
        title_row=False,
    )

    plan = parse_document(data, "台账.xlsx")

    assert (plan.title, plan.doc_number) == ("某区国企改革深化提升行动任务台账", "某国资发〔2026〕3号")
    assert [(t.number, t.title, t.lead_units, t.responsible_units, t.due) for t in plan.tasks] == [
        ("1", "推进专业化整合", ["区国资局"], ["区财政局", "各区属企业"], datetime.date(2027, 6, 30)),
        ("2", "健全市场化经营机制", ["区国资局"], [], datetime.date(2027, 12, 31)),
    ]
    assert all(t.milestones == [] for t in plan.tasks)


def test_an_appendix_of_figures_written_as_a_table_is_not_the_task_list():
    text = """二、重点任务
（一）扩大招生规模。至2028年达到2000人。
附：招生计划表
地区 | 2026年招生人数 | 分年度招生任务
甲省 | 100 | 120
乙省 | 90 | 100
"""
    plan = parse_text(text)

    assert [t.title for t in plan.tasks] == ["扩大招生规模"]


def test_a_numeral_that_breaks_the_count_is_text_and_reported_at_its_line():
    text = "二、重点任务\n1.推进重组。\n2.清理资产。\n1.5万户企业完成改制。\n4.完善治理。\n3.加强监管。\n"

    plan = parse_text(text)

    # 1.5 is a figure, not a numeral; a gap (2, then 4) is kept; going back (4, then 3) is not.
    assert [t.number for t in plan.tasks] == ["1", "2", "4"]
    assert [(n.line, n.params) for n in plan.notices if n.code == "numbering_out_of_order"] == [(6, {"number": "3"})]


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (
            "某市人民政府办公室关于加快推进\n国有企业改革的实施意见\n",
            "某市人民政府办公室关于加快推进国有企业改革的实施意见",
        ),
        ("关于印发《某市国企改革深化提升行动实施方\n案》的通知\n", "某市国企改革深化提升行动实施方案"),
    ],
)
def test_a_title_wrapped_over_lines_of_the_head_is_read_whole(head, title):
    plan = parse_text(f"{head}某政办发〔2026〕5号\n二、重点任务\n（一）推进改革。\n")

    assert (plan.title, plan.doc_number) == (title, "某政办发〔2026〕5号")


def test_units_labelled_inside_the_paragraph_or_in_a_bracket_on_the_next_line():
    text = """二、重点任务
1.推进重组。2026年底前完成。牵头单位：市国资委；责任单位：市财政局、各市属企业
2.清理资产。摸清底数，分类处置。
（牵头单位：市国资委；配合单位：市财政局）
这一段是下一部分的说明，不属于任务2。
"""
    first, second = parse_text(text).tasks

    assert (first.lead_units, first.responsible_units) == (["市国资委"], ["市财政局", "各市属企业"])
    assert (second.lead_units, second.responsible_units) == (["市国资委"], ["市财政局"])
    assert "说明" not in second.body


def test_a_pdf_over_pages_reads_whole_paragraphs_without_its_page_furniture():
    filler = "围绕主责主业优化资源配置，持续推动低效无效资产处置，" * 6
    lines = ["关于印发《某市国有企业改革深化提升行动实施方案（2026—2028年）》的通知", "二、重点任务"]
    lines += [f"{n}.推进第{n}项改革。{filler}2027年6月底前完成。（市国资委负责）" for n in range(1, 13)]

    plan = parse_document(*as_file("\n".join(lines), "pdf"))

    assert plan.title == "某市国有企业改革深化提升行动实施方案（2026—2028年）"
    assert [t.number for t in plan.tasks] == [str(n) for n in range(1, 13)]
    for task in plan.tasks:
        assert task.body.endswith("2027年6月底前完成。（市国资委负责）")
        assert "\n" not in task.body and "某市国资委文件" not in task.body and " - " not in task.body
        assert task.responsible_units == ["市国资委"]
    assert "- 2 -" not in plan.text


def test_a_unit_line_repeated_on_every_page_is_kept_while_the_running_header_goes():
    filler = "围绕主责主业优化资源配置，持续推动低效无效资产处置。" * 3
    lines = ["二、重点任务"]
    for n in range(1, 15):
        lines += [f"{n}.推进第{n}项改革。{filler}", "牵头单位：市国资委"]

    plan = parse_document(*as_file("\n".join(lines), "pdf"))

    assert len(plan.tasks) == 14
    assert all(task.lead_units == ["市国资委"] for task in plan.tasks)
    assert "某市国资委文件" not in plan.text


def test_a_word_section_row_merged_across_the_table_is_a_section_heading():
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=4)
    rows = (["序号", "主要任务", "责任单位", "完成时限"], ["", "", "", ""], ["1", "推进重组", "市国资委", "2026年底前"])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    merged = table.rows[1].cells[0].merge(table.rows[1].cells[3])
    merged.text = "一、深化改革"
    buffer = io.BytesIO()
    document.save(buffer)

    plan = parse_document(buffer.getvalue(), "分工表.docx")

    assert [(t.section, t.number, t.title, t.responsible_units) for t in plan.tasks] == [
        ("一、深化改革", "1", "推进重组", ["市国资委"])
    ]


def test_two_unit_columns_without_a_lead_column_are_both_responsible():
    text = "序号 | 主要任务 | 责任单位 | 配合单位 | 完成时限\n1 | 推进重组 | 市国资委 | 市财政局 | 2026年底前\n"
    text += "2 | 清理资产 | 市国资委 | | 2027年底前\n"

    plan = parse_text(text)

    assert [(t.lead_units, t.responsible_units) for t in plan.tasks] == [
        ([], ["市国资委", "市财政局"]),
        ([], ["市国资委"]),
    ]
