"""Mending a parsed plan against its source lines: make, split, merge and drop tasks."""

import datetime

import pytest

from tasks.importing import parse_text
from tasks.importing.mending import MendRefused, drop_task, lines_of, make_task, merge_task, split_task

TEXT = """二、重点任务
（一）优化布局
1.推进重组。2026年底前完成。
牵头单位：市国资委
这一段正文没有编号，解析时不属于任何任务。2027年6月底前出台《整合方案》。（市财政局负责）
2.清理资产。
第一步摸清底数。
第二步分类处置。2027年底前完成。
牵头单位：市国资委
3.建设董事会。（各市属企业负责）
"""


@pytest.fixture
def plan():
    return parse_text(TEXT)


def test_each_task_knows_the_lines_it_stands_on(plan):
    assert [(t.number, list(lines_of(t))) for t in plan.tasks] == [("1", [3, 4]), ("2", [6, 7, 8, 9]), ("3", [10])]


def test_a_task_made_from_lines_the_parser_left_out_reads_them_as_the_parser_would(plan):
    index = make_task(plan, 5, 5)

    made = plan.tasks[index]
    assert index == 1
    assert (made.section, made.title, made.responsible_units) == (
        "(一)",
        "这一段正文没有编号，解析时不属于任何任务",
        ["市财政局"],
    )
    assert [(m.due, m.deliverables) for m in made.milestones] == [(datetime.date(2027, 6, 30), ["整合方案"])]
    assert [t.line for t in plan.tasks] == [3, 5, 6, 10]


@pytest.mark.parametrize(("first", "last"), [(4, 5), (5, 6), (2, 11)])
def test_a_range_that_overlaps_a_task_is_refused_and_nothing_changes(plan, first, last):
    before = list(plan.tasks)

    with pytest.raises(MendRefused) as refused:
        make_task(plan, first, last)

    assert refused.value.code == "lines_overlap"
    assert plan.tasks == before


def test_lines_without_text_make_no_task(plan):
    plan.text += "\n\n\n"
    with pytest.raises(MendRefused) as refused:
        make_task(plan, 12, 13)
    assert refused.value.code == "no_text"


def test_a_task_split_at_a_line_becomes_two_each_read_from_its_lines():
    plan = parse_text(
        "二、重点任务\n1.推进重组\n2026年底前完成重组。\n完善治理。2027年6月底前出台《章程指引》。\n牵头单位：市国资委\n"
    )
    assert list(lines_of(plan.tasks[0])) == [2, 3, 4, 5]

    split_task(plan, 0, 4)

    first, second = plan.tasks
    assert (first.title, list(lines_of(first)), [m.due.year for m in first.milestones]) == ("推进重组", [2, 3], [2026])
    assert (second.title, list(lines_of(second)), second.lead_units) == ("完善治理", [4, 5], ["市国资委"])
    assert first.lead_units == ["市国资委"]  # its own lines name none: it keeps the task's units
    assert second.milestones[0].deliverables == ["章程指引"]


@pytest.mark.parametrize("at", [3, 2, 7])
def test_a_split_outside_the_tasks_lines_is_refused(plan, at):
    with pytest.raises(MendRefused) as refused:
        split_task(plan, 0, at)
    assert refused.value.code == "split_outside"


def test_a_task_merged_into_the_one_before_adds_its_text_units_and_milestones(plan):
    merge_task(plan, 2)

    assert [t.number for t in plan.tasks] == ["1", "2"]
    merged = plan.tasks[1]
    assert merged.title == "清理资产"
    assert (
        merged.body == "清理资产。\n第一步摸清底数。\n第二步分类处置。2027年底前完成。\n建设董事会。（各市属企业负责）"
    )
    assert (merged.lead_units, merged.responsible_units) == (["市国资委"], ["各市属企业"])
    assert list(lines_of(merged)) == list(range(6, 11))


def test_the_first_task_has_nothing_to_merge_into(plan):
    with pytest.raises(MendRefused) as refused:
        merge_task(plan, 0)
    assert refused.value.code == "merge_first"


def test_a_dropped_task_leaves_its_lines_free_to_be_made_again(plan):
    dropped = drop_task(plan, 1)

    assert [t.number for t in plan.tasks] == ["1", "3"]
    index = make_task(plan, dropped.line, 9)
    assert (plan.tasks[index].title, plan.tasks[index].lead_units) == ("清理资产", ["市国资委"])


def test_an_index_that_is_no_task_is_refused(plan):
    with pytest.raises(MendRefused) as refused:
        drop_task(plan, 3)
    assert refused.value.code == "no_such_task"


def test_one_line_given_alone_is_the_range(plan):
    index = make_task(plan, None, 5)

    assert list(lines_of(plan.tasks[index])) == [5]


def test_tasks_read_from_a_word_table_are_rows_not_lines():
    from tasks.importing import parse_document
    from tests.tasks.importing.documents import docx_with_table

    rows = [["序号", "主要任务", "责任单位"], ["1", "甲任务", "甲部"], ["2", "乙任务", "乙部"]]
    data = docx_with_table(["说明文字"], rows)
    plan = parse_document(data, "清单.docx")

    assert plan.from_table
    for refused_mend in (lambda: make_task(plan, 1, 1), lambda: split_task(plan, 0, 2)):
        with pytest.raises(MendRefused) as refused:
            refused_mend()
        assert refused.value.code == "table_rows"
    merge_task(plan, 1)
    assert (plan.tasks[0].responsible_units, len(plan.tasks)) == (["甲部", "乙部"], 1)
