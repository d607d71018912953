"""The work ledger in Excel and CSV: its layout read back, its filters, the past, and bad requests."""

import csv
import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.ledger import display_width, ledger_workbook
from reports.snapshot import snapshot
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.importing.convert import converted
from tasks.models import Assignment, Task
from tasks.services import assignment_transition, progress_report_submit
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory

TODAY = timezone.localdate()
A4, A3 = 9, 8  # Excel's paper sizes


def pdf_info(path) -> str:
    return subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True).stdout


def pdf_pages_text(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    plan = PlanFactory(
        title="立山区国企改革三年行动实施方案",
        doc_number="鞍立政发〔2021〕2号",
        issued_on=TODAY - datetime.timedelta(days=400),
    )
    first = SectionFactory(plan=plan, number="(一)", title="完善中国特色现代企业制度")
    second = SectionFactory(plan=plan, number="(二)", title="推进国有资本布局优化和结构调整")
    one = TaskFactory(
        plan=plan, section=first, number="1", title="厘清权责边界", due=TODAY - datetime.timedelta(days=3)
    )
    two = TaskFactory(
        plan=plan, section=second, number="2", title="=SUM(A1:A9) 清理低效资产", due=TODAY + datetime.timedelta(days=90)
    )
    AssignmentFactory(task=one, unit=sasac_office, role=AssignmentRole.LEAD, status=S.ACCEPTED)
    AssignmentFactory(task=one, unit=chengtou_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=one, unit=gongre_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=two, unit=chengtou_company, status=S.NOT_STARTED)
    return plan


def workbook(client, **params):
    answer = client.get(reverse("reports:ledger_xlsx"), params)
    assert answer.status_code == 200, answer.content.decode()[:500]
    return load_workbook(io.BytesIO(b"".join(answer.streaming_content))), answer


def test_the_workbook_has_a_summary_and_a_sheet_per_section_laid_out_as_offices_keep_it(client, staff, plan):
    client.force_login(staff)

    book, answer = workbook(client, plan=plan.pk)

    assert "filename*=utf-8''" in answer["Content-Disposition"]
    assert book.sheetnames == ["汇总", "完善中国特色现代企业制度", "推进国有资本布局优化和结构调整"]
    sheet = book["完善中国特色现代企业制度"]
    assert sheet["A1"].value.startswith("立山区国企改革三年行动实施方案 工作台账（截至")
    assert "A1:I1" in sheet.merged_cells
    assert [sheet.cell(2, c).value for c in (1, 2, 3, 4, 6, 7)] == [
        "序号",
        "改革领域",
        "任务",
        "责任分工",
        "完成时限",
        "推进情况",
    ]
    assert [sheet.cell(3, c).value for c in (4, 5, 7, 8, 9)] == [
        "牵头单位",
        "责任单位",
        "状态",
        "最新进展",
        "佐证材料数",
    ]
    assert {"A2:A3", "D2:E2", "G2:I2"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:I6"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    # The lead unit first, then the others by name.
    assert [row[4] for row in rows] == [
        "立山区国有资产监督管理局",
        "鞍山市立山区供热有限公司",
        "鞍山市立山区城市建设投资有限公司",
    ]
    assert rows[1][3] == "立山区国有资产监督管理局" and rows[1][6] == "推进中（逾期）"
    assert sheet.column_dimensions["E"].width >= display_width("鞍山市立山区城市建设投资有限公司")
    summary = book["汇总"]
    assert [c.value for c in summary[4]] == ["完善中国特色现代企业制度", 1, 3, 1, 2, pytest.approx(1 / 3)]
    assert summary["F4"].number_format == "0%"


def test_dates_are_dates_numbers_numbers_and_text_text(client, staff, plan):
    client.force_login(staff)
    book, _ = workbook(client, plan=plan.pk)
    sheet = book["完善中国特色现代企业制度"]

    due, files, number = sheet["F4"], sheet["I4"], sheet["A4"]

    assert due.value == datetime.datetime.combine(TODAY - datetime.timedelta(days=3), datetime.time())
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    assert files.value == 0 and files.data_type == "n"
    assert number.value == "1" and number.data_type == "s"  # a task's number names it: text
    text = b"".join(client.get(reverse("reports:ledger_csv"), {"plan": plan.pk}).streaming_content).decode()
    assert f",{TODAY - datetime.timedelta(days=3):%Y-%m-%d}," in text


def test_narrowed_to_a_unit_or_a_role_the_lead_unit_is_still_named(client, staff, plan, chengtou_company):
    client.force_login(staff)
    for narrowed in ({"unit": chengtou_company.pk}, {"role": AssignmentRole.RESPONSIBLE}):
        book, _ = workbook(client, plan=plan.pk, **narrowed)
        sheet = book["完善中国特色现代企业制度"]
        leads = {row[3] for row in sheet.iter_rows(min_row=4, values_only=True)}
        assert leads == {"立山区国有资产监督管理局"}, narrowed
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    Task.history.update(history_date=timezone.now() - datetime.timedelta(days=30))
    Assignment.history.update(history_date=timezone.now() - datetime.timedelta(days=30))
    book, _ = workbook(client, plan=plan.pk, unit=chengtou_company.pk, as_of=yesterday)
    assert book["完善中国特色现代企业制度"]["D4"].value == "立山区国有资产监督管理局"  # as it stood then too


def test_each_sheet_prints_landscape_fitted_to_the_width_with_its_header_on_every_page(client, staff, plan):
    client.force_login(staff)
    book, _ = workbook(client, plan=plan.pk)

    for sheet in book.worksheets:
        setup = sheet.page_setup
        widths = sum(sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"[: sheet.max_column])
        assert (setup.orientation, setup.paperSize) == ("landscape", A4 if widths <= 150 else A3), sheet.title
        assert (setup.fitToWidth, setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert sheet.print_title_rows == "$1:$3"
        assert sheet.oddHeader.center.text.startswith("立山区国企改革三年行动实施方案 工作台账")
        assert sheet.oddHeader.right.text == f"{TODAY:%Y-%m-%d}"
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert book["完善中国特色现代企业制度"].page_setup.paperSize == A3  # the task and progress columns are wide
    assert book["汇总"].page_setup.paperSize == A4


def test_text_that_looks_like_a_formula_stays_text(client, staff, plan):
    client.force_login(staff)
    book, _ = workbook(client, plan=plan.pk)

    cell = book["推进国有资本布局优化和结构调整"]["C4"]

    assert cell.value == "=SUM(A1:A9) 清理低效资产" and cell.data_type == "s"
    answer = client.get(reverse("reports:ledger_csv"), {"plan": plan.pk})
    text = b"".join(answer.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff序号,改革领域,任务")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[-1][2] == "'=SUM(A1:A9) 清理低效资产"


def test_the_task_lists_filters_choose_the_rows(client, staff, plan, chengtou_company):
    client.force_login(staff)

    book, _ = workbook(client, plan=plan.pk, unit=chengtou_company.pk, status=S.IN_PROGRESS)

    assert book.sheetnames == ["汇总", "完善中国特色现代企业制度"]
    rows = list(book["完善中国特色现代企业制度"].iter_rows(min_row=4, values_only=True))
    assert [row[4] for row in rows] == ["鞍山市立山区城市建设投资有限公司"]
    red, _ = workbook(client, plan=plan.pk, light="red")
    assert red.sheetnames == ["汇总", "完善中国特色现代企业制度"]


def test_a_reporter_gets_only_their_units_rows(client, chengtou_reporter, plan):
    client.force_login(chengtou_reporter)

    book, _ = workbook(client, plan=plan.pk)

    units = {row[4] for name in book.sheetnames[1:] for row in book[name].iter_rows(min_row=4, values_only=True)}
    assert units == {"鞍山市立山区城市建设投资有限公司"}


def test_the_ledger_as_of_a_past_day(client, staff, chengtou_reporter, plan, chengtou_company):
    # The plan and its work recorded ten days ago; today the unit's work is submitted and accepted.
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    for model in (Task, Assignment):
        model.history.update(history_date=ten_days_ago)
    mine = plan.tasks.get(number="1").assignments.get(unit=chengtou_company)
    progress_report_submit(
        assignment_id=mine.pk, user=chengtou_reporter, period=f"{TODAY:%Y-%m}", percent=100, text="已完成", done=True
    )
    assignment_transition(assignment_id=mine.pk, user=staff, action="accept")
    client.force_login(staff)

    def row(**params):
        book, _ = workbook(client, plan=plan.pk, unit=chengtou_company.pk, **params)
        return next(book["完善中国特色现代企业制度"].iter_rows(min_row=4, values_only=True))

    now, before = row(), row(as_of=(TODAY - datetime.timedelta(days=1)).isoformat())
    assert (now[6], now[7]) == ("已验收销号", f"{TODAY:%Y-%m}：已完成")
    assert (before[6], before[7]) == ("推进中（逾期）", None)


def test_a_past_days_ledger_chooses_tasks_and_work_as_they_stood_that_day(
    client, staff, chengtou_reporter, plan, chengtou_company
):
    """Filtered by status, due date, section or search, the tasks of a past day are those that met them
    then, whatever has changed since (found: today's rows chose them)."""
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    for model in (Task, Assignment):
        model.history.update(history_date=ten_days_ago)
    one = plan.tasks.get(number="1")
    was_due = one.due
    # Since: its due date moved a year on, it was renamed and its 城投 work was submitted.
    one.due, one.title = TODAY + datetime.timedelta(days=365), "厘清董事会权责"
    one.save()
    mine = one.assignments.get(unit=chengtou_company)
    progress_report_submit(
        assignment_id=mine.pk, user=chengtou_reporter, period=f"{TODAY:%Y-%m}", percent=100, text="已完成", done=True
    )
    client.force_login(staff)
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()

    def tasks_listed(**params) -> str:
        """The ledger's text, or nothing when nothing matched (it is then refused with that message)."""
        answer = client.get(reverse("reports:ledger_csv"), {"plan": plan.pk, "as_of": yesterday, **params})
        return b"".join(answer.streaming_content).decode("utf-8-sig") if answer.status_code == 200 else ""

    assert "厘清权责边界" in tasks_listed(due_before=was_due.isoformat())
    assert "厘清权责边界" in tasks_listed(q="厘清权责")
    assert "厘清权责边界" in tasks_listed(status=S.IN_PROGRESS, unit=chengtou_company.pk)
    assert "厘清权责边界" not in tasks_listed(due_after=(TODAY + datetime.timedelta(days=300)).isoformat())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "请先选择方案"),
        ({"as_of": "2099-01-01"}, "不能晚于今天"),
        ({"as_of": "2001-01-01"}, "尚未录入平台"),
        ({"as_of": "昨天"}, "YYYY-MM-DD"),
        ({"status": "lost"}, "状态"),
        ({"unit": "999999"}, "单位"),
    ],
)
def test_bad_requests_get_a_message_and_no_file(client, staff, plan, params, message):
    client.force_login(staff)
    if params:
        params = {"plan": plan.pk, **params}

    answer = client.get(reverse("reports:ledger_xlsx"), params)

    assert answer.status_code == 400
    assert message in answer.content.decode()


def test_an_empty_selection_says_so(client, staff, plan):
    client.force_login(staff)
    answer = client.get(reverse("reports:ledger_csv"), {"plan": plan.pk, "status": S.RETURNED})
    assert answer.status_code == 400 and "没有可生成的台账" in answer.content.decode()


def test_another_units_reporter_cannot_ask_for_a_plan_they_do_not_see(client, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    answer = client.get(reverse("reports:ledger_xlsx"), {"plan": plan.pk})
    assert answer.status_code == 400


def test_the_ledger_costs_the_same_queries_for_a_few_rows_as_for_many(client, staff, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)

    def count():
        with CaptureQueriesContext(connection) as captured:
            workbook(client, plan=plan.pk)
        return len(captured)

    few = count()
    for n in range(10):
        AssignmentFactory(task=TaskFactory(plan=plan, section=plan.sections.first(), number=str(10 + n)))

    assert count() == few


def test_the_task_list_offers_the_ledger_of_its_selection(client, staff, plan):
    client.force_login(staff)

    html = client.get(reverse("tasks:task_list"), {"plan": plan.pk, "status": S.IN_PROGRESS}).content.decode()

    assert f"{reverse('reports:ledger_xlsx')}?plan={plan.pk}&amp;status=in_progress" in html


@pytest.mark.slow
def test_opened_in_libreoffice_as_in_wps_each_page_is_whole_with_its_header(staff, plan, gongre_company, tmp_path):
    """LibreOffice reads a workbook as WPS does: printed to PDF, every page holds every column and the
    header rows, landscape, numbered at its foot."""
    section = plan.sections.get(number="(二)")
    for n in range(3, 63):
        task = TaskFactory(plan=plan, section=section, number=str(n), title=f"第{n}项任务：" + "完善制度" * 8)
        AssignmentFactory(task=task, unit=gongre_company, status=S.IN_PROGRESS)
    pdf = tmp_path / "ledger.pdf"
    pdf.write_bytes(converted(ledger_workbook(snapshot(plan, staff)), ".xlsx", "pdf", seconds=180))

    papers = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \((\w+)\)", pdf_info(pdf))
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 3 and len(papers) == len(pages)  # the summary, two sections, the second long
    assert all(float(width) > float(height) for width, height, _name in papers)  # landscape, every page
    assert [name for _w, _h, name in papers] == ["A4"] + ["A3"] * (len(pages) - 1)  # the summary is narrow
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页，共 {len(pages)} 页" in text, number
        # A test of a real process keeps the real clock (conftest): its day, not the module's TODAY.
        assert "立山区国企改革三年行动实施方案 工作台账" in text and f"{timezone.localdate():%Y-%m-%d}" in text
    section_pages = [text for text in pages if "牵头单位" in text]
    assert len(section_pages) >= 3  # the header printed again on each page of a long section
    for text in section_pages:
        for label in ("序号", "改革领域", "任务", "牵头单位", "责任单位", "完成时限", "状态", "最新进展", "佐证材料数"):
            assert label in text, label
    assert "第62项任务" in "".join(pages)  # the last row printed
