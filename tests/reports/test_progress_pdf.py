"""推进情况报告 as a PDF: read back, its Chinese is there in embedded subset fonts; the past; bad requests."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.charts import Bar, completion_bars
from reports.progress import figures
from reports.snapshot import snapshot
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory, PlanFactory, SectionFactory, TaskFactory
from tests.reports.issued import issue

TODAY = timezone.localdate()


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    plan = PlanFactory(
        title="立山区国企改革三年行动实施方案", doc_number="鞍立政发〔2021〕2号", issuer="鞍山市立山区人民政府"
    )
    section = SectionFactory(plan=plan, number="(一)", title="完善中国特色现代企业制度")
    late = TaskFactory(
        plan=plan, section=section, number="3", title="厘清各治理主体权责边界", due=TODAY - datetime.timedelta(days=5)
    )
    later = TaskFactory(
        plan=plan, section=section, number="4", title="规范董事会建设", due=TODAY + datetime.timedelta(days=20)
    )
    AssignmentFactory(task=late, unit=sasac_office, role=AssignmentRole.LEAD, status=S.ACCEPTED)
    AssignmentFactory(task=late, unit=chengtou_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=later, unit=gongre_company, status=S.NOT_STARTED)
    return plan


def text_and_fonts(content: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return text, fonts


def test_the_report_reads_back_in_chinese_with_both_faces_embedded_as_subsets(plan, staff):
    report = issue("progress", staff, plan=plan.pk)

    text, fonts = text_and_fonts(report.content)
    for words in (
        "推进情况报告",
        "鞍立政发〔2021〕2号",
        "厘清各治理主体权责边界",
        "鞍山市立山区城市建设投资有限公司",
        "立山区国有资产监督管理局",
        "— 1 —",
        report.code,
    ):
        assert words in text.replace("\n", ""), words
    # Subsets carry a six-letter tag before the name: ABCDEF+Noto-Serif-CJK-SC…
    assert any("+" in font and "Serif-CJK-SC" in font for font in fonts), fonts
    assert any("+" in font and "Sans-CJK-SC" in font for font in fonts), fonts
    assert report.pages >= 2 and len(report.content) < 2 * 1024 * 1024


def test_the_figures_count_what_the_report_says(plan, staff):
    numbers = figures(snapshot(plan, staff))
    assert (
        numbers.tasks,
        numbers.assignments,
        numbers.accepted,
        numbers.in_progress,
        numbers.overdue,
        numbers.due_soon,
    ) == (
        2,
        3,
        1,
        1,
        1,
        1,
    )


def test_a_chart_is_svg_with_its_labels_and_shares():
    svg = completion_bars(
        [Bar("完善中国特色现代企业制度", done=1, late=1, total=4, link="/tasks/?section=1")], title="各领域完成情况"
    )
    assert svg.startswith("<svg") and "各领域完成情况" in svg and "25%" in svg and 'href="/tasks/?section=1"' in svg


def test_staff_download_the_report_and_reporters_are_told_it_is_not_theirs(client, staff, chengtou_reporter, plan):
    client.force_login(staff)
    answer = client.get(reverse("reports:report_pdf", kwargs={"kind": "progress"}), {"plan": plan.pk})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF")

    client.force_login(chengtou_reporter)
    refused = client.get(reverse("reports:report_pdf", kwargs={"kind": "progress"}), {"plan": plan.pk})
    assert refused.status_code == 400 and "仅供国资局工作人员、领导和审计人员" in refused.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [({"as_of": "2099-01-01"}, "不能晚于今天"), ({"as_of": "2001-01-01"}, "尚未录入平台"), ({"plan": 0}, "请选择方案")],
)
def test_bad_requests_get_a_message_and_no_file(client, staff, plan, params, message):
    client.force_login(staff)
    answer = client.get(reverse("reports:report_pdf", kwargs={"kind": "progress"}), {"plan": plan.pk, **params})
    assert answer.status_code == 400 and message in answer.content.decode()


def test_a_plan_without_tasks_gets_no_report(client, staff):
    client.force_login(staff)
    answer = client.get(reverse("reports:report_pdf", kwargs={"kind": "progress"}), {"plan": PlanFactory().pk})
    assert answer.status_code == 400 and "没有任务" in answer.content.decode()


def test_the_command_writes_the_report(plan, staff, tmp_path, capsys):
    out = tmp_path / "report.pdf"

    call_command("render_report", "progress", "--plan", str(plan.pk), "--out", str(out))

    assert out.read_bytes().startswith(b"%PDF") and "查验码" in capsys.readouterr().out
    with pytest.raises(CommandError, match="不能晚于今天"):
        call_command("render_report", "progress", "--plan", str(plan.pk), "--as-of", "2099-01-01", "--out", str(out))


def test_the_ledger_gives_each_task_its_area_units_deadline_and_state_in_words(plan, staff, sasac_office):
    done = TaskFactory(plan=plan, number="5", title="建立董事会授权制度", due=TODAY - datetime.timedelta(days=30))
    AssignmentFactory(task=done, unit=sasac_office, role=AssignmentRole.LEAD, status=S.ACCEPTED)

    text, _fonts = text_and_fonts(issue("progress", staff, plan=plan.pk).content)

    ledger = text.replace("\n", "")[text.replace("\n", "").index("任务台账") :]
    assert "完善中国特色现代企业制度" in ledger  # the reform area heads its tasks
    late = ledger[ledger.index("厘清各治理主体权责边界") : ledger.index("规范董事会建设")]
    assert "牵头单位：立山区国有资产监督管理局" in late and "鞍山市立山区城市建设投资有限公司" in late
    assert f"完成时限：{TODAY - datetime.timedelta(days=5):%Y-%m-%d}" in late and "状态：已逾期" in late
    assert "已验收销号 1/2" in late
    assert "状态：已全部验收销号" in ledger[ledger.index("建立董事会授权制度") :]


def test_a_long_table_repeats_its_header_row_on_every_page(staff, sasac_office):
    from pypdf import PdfReader

    from tests.factories import UnitFactory

    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, number="1", title="厘清权责边界", due=TODAY - datetime.timedelta(days=3))
    for n in range(70):
        AssignmentFactory(task=task, unit=UnitFactory(name=f"立山区第{n:02d}国有企业"), status=S.IN_PROGRESS)

    report = issue("overdue", staff, plan=plan.pk)

    pages = [page.extract_text().replace("\n", "") for page in PdfReader(io.BytesIO(report.content)).pages]
    # The ranking's rows carry completion rates; the overdue work listed after it does not.
    ranked_pages = [page for page in pages if "立山区第" in page and "%" in page]
    assert len(ranked_pages) >= 2
    assert all("排名" in page and "完成率" in page for page in ranked_pages)
