"""The parser on documents shaped like real ones: structure, units, deadlines, metadata."""

import datetime

import pytest

from tasks.importing import DocumentError, parse_text
from tests.tasks.importing.samples import CITY_PLAN, RECTIFICATION, SUB_ITEMS


@pytest.fixture(scope="module")
def city():
    return parse_text(CITY_PLAN)


def test_tasks_of_the_task_part_only_with_numbering_restarting_per_section(city):
    assert [(t.section, t.number, t.title) for t in city.tasks] == [
        ("(一)", "1", "推进战略性重组"),
        ("(一)", "2", "清理低效资产"),
        ("(二)", "1", "加强董事会建设"),
        ("(二)", "2", "健全考核机制"),
    ]


def test_plan_metadata_from_the_notice_head(city):
    assert city.title == "XX市国企改革深化提升行动实施方案（2023—2025年）"
    assert city.doc_number == "连国资发〔2023〕15号"
    assert (city.issuer, city.issued_on) == ("XX市国资委", datetime.date(2023, 5, 8))
    assert (city.period_start, city.period_end) == (datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))
    assert city.kind == "reform"


def test_units_from_a_labelled_parenthesis_an_attribution_and_unit_lines(city):
    first, second, third, fourth = city.tasks
    assert (first.lead_units, first.responsible_units) == (["市国资委"], ["市财政局", "各市属企业"])
    assert (second.lead_units, second.responsible_units) == (["市国资委"], ["各市属企业"])
    assert (third.lead_units, third.responsible_units) == ([], ["各市属企业"])
    assert (fourth.lead_units, fourth.responsible_units) == (["市国资委"], [])


def test_dated_milestones_with_the_documents_they_deliver(city):
    first = city.tasks[0]

    assert [(m.due, m.deliverables) for m in first.milestones] == [
        (datetime.date(2023, 12, 31), ["市属企业重组整合方案"]),
        (datetime.date(2024, 6, 30), []),
    ]
    assert first.milestones[0].text == "2023年底前出台《市属企业重组整合方案》"
    assert (first.due, first.due_inherited) == (datetime.date(2024, 6, 30), False)


def test_a_document_to_follow_is_not_a_deliverable(city):
    third = city.tasks[2]

    assert [(m.due, m.deliverables) for m in third.milestones] == [(datetime.date(2024, 6, 30), [])]


def test_years_that_are_not_deadlines_are_not_milestones(city):
    second, fourth = city.tasks[1], city.tasks[3]

    assert second.milestones == []  # 较2022年 is a comparison
    assert fourth.milestones == []  # 2023年工资总额清算 names a year's payroll


def test_yearly_and_undated_tasks_are_due_at_the_plans_end(city):
    second, fourth = city.tasks[1], city.tasks[3]

    assert second.recurrence == "yearly"
    assert (second.due, second.due_inherited) == (datetime.date(2025, 12, 31), True)
    assert fourth.ongoing
    assert fourth.due_inherited


def test_guidance_and_safeguard_parts_hold_no_tasks(city):
    assert all("组织领导" not in task.title and "指导思想" not in task.title for task in city.tasks)


def test_rectification_measures_inline_and_on_their_own_lines():
    plan = parse_text(RECTIFICATION)

    assert plan.kind == "rectification"
    assert [(t.section, t.number, t.title) for t in plan.tasks] == [
        ("(一)", "一", "建立整改台账"),
        ("(一)", "二", "开展专项检查"),
        ("(二)", "一", "修订监管办法"),
        ("(二)", "二", "加强跟踪督办"),
        ("三", "一", "在深化整改上发力"),
    ]
    assert plan.tasks[0].body == "建立整改台账。2024年3月底前建立台账。"
    assert plan.tasks[2].milestones[0].deliverables == ["投资监管办法"]
    assert plan.tasks[4].milestones[0].due == datetime.date(2025, 3, 31)
    assert (plan.issuer, plan.issued_on) == ("市国资委党委", datetime.date(2024, 8, 7))
    assert plan.tasks[4].body.endswith("完成全部整改。")  # the signature is not part of the last task


def test_parenthesised_numbers_where_a_part_has_nothing_else():
    plan = parse_text(SUB_ITEMS)

    assert [(t.section, t.number, t.title) for t in plan.tasks] == [("一", "1", "完善制度"), ("一", "2", "强化培训")]
    assert plan.tasks[0].milestones[0].deliverables == ["财务管理制度"]
    assert plan.tasks[1].recurrence == "yearly"


def test_web_damage_is_removed_but_traditional_characters_are_kept():
    plan = parse_text("二、重點工作任務\n(一)推進改革\n1.推動國有企業(yè)戰略性重組。確保2019 年年底前完成。\n")

    assert plan.tasks[0].title == "推動國有企業戰略性重組"
    assert plan.tasks[0].due == datetime.date(2019, 12, 31)


def test_a_title_cut_by_a_garbled_full_stop_is_reported():
    plan = parse_text("二、重点任务\n1.推进退休人员社会化管理??偨Y(jié)经验。\n")

    assert plan.tasks[0].title == "推进退休人员社会化管理"
    assert [n.code for n in plan.notices if n.code == "title_damaged"] == ["title_damaged"]


def test_unreadable_and_relative_dates_are_reported_with_their_line():
    plan = parse_text("二、重点任务\n1.推进改革。力争2至3年完成，2021年2月30日前报送。\n")

    notices = [(n.line, n.params["text"]) for n in plan.notices if n.code == "date_unreadable"]
    assert notices == [(2, "2021年2月30日"), (2, "2至3年")]


def test_tasks_without_units_are_reported_once_each_where_others_have_units():
    plan = parse_text("二、重点任务\n1.甲任务。\n牵头单位:区国资局\n2.乙任务。\n")

    assert [(n.code, n.params) for n in plan.notices] == [("task_without_units", {"number": "2"})]


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), (" \n\u3000\n", "empty"), ("这是一份没有编号任务的通知。\n请各单位认真落实。\n", "no_tasks")],
)
def test_a_document_without_tasks_is_refused(text, code):
    with pytest.raises(DocumentError) as refused:
        parse_text(text)

    assert refused.value.code == code


def test_sections_are_the_task_parts_and_their_headings_in_order(city):
    assert [(s.label, s.title, s.parent) for s in city.sections] == [
        ("二", "重点任务", None),
        ("(一)", "优化国有经济布局", "二"),
        ("(二)", "完善公司治理", "二"),
    ]
    assert [city.sections[t.section_index].label for t in city.tasks] == ["(一)", "(一)", "(二)", "(二)"]


def test_a_parsed_plan_survives_a_round_trip_through_json(city):
    import json

    stored = json.loads(json.dumps(city.as_dict()))

    assert type(city).from_dict(stored) == city


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("2022年6月底前完成", datetime.date(2022, 6, 30)),
        ("2023年上半年完成", datetime.date(2023, 6, 30)),
        ("2023年一季度完成", datetime.date(2023, 3, 31)),
        ("2023年第三季度完成", datetime.date(2023, 9, 30)),
        ("2021年3月15日前报送", datetime.date(2021, 3, 15)),
        ("2020-2021年完成", datetime.date(2021, 12, 31)),
        ("2020年—2022年持续推进", datetime.date(2022, 12, 31)),
        ("确保2019 年年底前完成", datetime.date(2019, 12, 31)),
        ("年底前完成摸底", datetime.date(2023, 12, 31)),
        ("今年底前完成摸底", datetime.date(2023, 12, 31)),
    ],
)
def test_deadline_phrases(phrase, due):
    plan = parse_text(f"关于印发《某方案》的通知\n某局\n2023年5月8日\n二、重点任务\n1.某任务。{phrase}。\n")

    assert [m.due for m in plan.tasks[0].milestones] == [due]


@pytest.mark.parametrize(
    "phrase",
    [
        "较2020年下降10%",
        "做好2023年工资总额清算",
        "落实《某方案(2021-2023年)》",
        "按照某发〔2021〕3号要求",
        "国企改革三年行动",
    ],
)
def test_years_that_are_not_deadlines(phrase):
    plan = parse_text(f"二、重点任务\n1.某任务。{phrase}。\n")

    assert plan.tasks[0].milestones == []


def test_both_unit_labels_on_one_line_and_other_labels_after_them():
    plan = parse_text(
        "二、重点任务\n1.加强党的建设：坚持党的领导。\n"
        "牵头单位：区国资局 责任单位：各区属企业、区财政局 完成时限：2022年底前\n"
    )

    task = plan.tasks[0]
    assert task.title == "加强党的建设"
    assert (task.lead_units, task.responsible_units) == (["区国资局"], ["各区属企业", "区财政局"])


def test_a_plan_that_names_the_encoding_it_was_not_written_in_says_so():
    from tasks.importing import parse_document

    plan = parse_document("二、重点任务\n1.某任务。\n牵头单位：区国资局\n".encode("gb18030"), "旧方案.txt")

    assert [(n.code, n.params) for n in plan.notices] == [("encoding", {"encoding": "GB18030"})]
