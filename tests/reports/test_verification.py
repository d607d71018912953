"""A verification code identifies one issued document: each PDF the platform issues has its own,
printed at the foot of every page; 报告查验 (/verify/, open without signing in) shows what was issued
under it — kind, subject, day shown, who made it and when, pages, SHA-256 — and says plainly when a
code is unknown. Codes are random: none is found by counting."""

import datetime
import hashlib
import io
import itertools
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.models import GeneratedReport
from reports.services import CODE_ALPHABET, new_code
from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory
from tests.reports.issued import issue

TODAY = timezone.localdate()
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")


@pytest.fixture
def plan(chengtou_company):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, number="3", title="厘清权责边界", due=TODAY - datetime.timedelta(days=5))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    return plan


def printed_code(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")
    found = {m.group(0) for m in CODE.finditer(text)}
    assert len(found) == 1, found
    return found.pop()


def test_two_reports_of_the_same_plan_and_day_carry_codes_of_their_own(plan, staff):
    progress = issue("progress", staff, plan=plan.pk)
    bulletin = issue("overdue", staff, plan=plan.pk)
    again = issue("progress", staff, plan=plan.pk)  # the same data, another document

    codes = {progress.code, bulletin.code, again.code}
    assert len(codes) == 3 and all(CODE.fullmatch(code) for code in codes)
    assert printed_code(progress.content) == progress.code and printed_code(bulletin.content) == bulletin.code


def test_the_verification_page_shows_what_was_issued_signed_out(client, plan, staff, sasac_office):
    issued = issue("overdue", staff, plan=plan.pk, as_of=TODAY)

    page = client.get(reverse("reports:verify"), {"code": issued.code})

    assert page.status_code == 200
    html = page.content.decode()
    for shown in (
        "逾期情况通报",
        "立山区国企改革三年行动实施方案",
        f"{TODAY:%Y-%m-%d}",
        "王晓东",
        sasac_office.name,
        str(issued.pages),
        hashlib.sha256(issued.content).hexdigest(),
    ):
        assert shown in html, shown
    assert "登录" not in html.split("<main", 1)[1]  # nothing asks to sign in


def test_a_code_is_found_as_people_type_it(client, plan, staff):
    code = issue("progress", staff, plan=plan.pk).code
    typed = [code.lower(), code.replace("-", " "), code.replace("-", ""), f"  {code}  ", code.replace("0", "O")]
    for variant in typed:
        page = client.get(reverse("reports:verify"), {"code": variant})
        assert "此报告由本平台出具" in page.content.decode(), variant


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN-PQRS", "1234", "'; DROP TABLE", "\u00b2" * 16, "x" * 70])
def test_an_unknown_code_is_said_plainly(client, plan, staff, code):
    issue("progress", staff, plan=plan.pk)

    page = client.get(reverse("reports:verify"), {"code": code})

    assert page.status_code == 200 and "未查到以此查验码出具的报告" in page.content.decode()


def test_the_empty_form_asks_for_a_code(client):
    page = client.get(reverse("reports:verify")).content.decode()
    assert "报告查验" in page and 'name="code"' in page and "未查到" not in page


def test_a_report_not_finished_is_not_verified(client, plan, staff):
    issued = issue("progress", staff, plan=plan.pk)
    GeneratedReport.objects.filter(pk=issued.report.pk).update(status="failed")
    assert "未查到" in client.get(reverse("reports:verify"), {"code": issued.code}).content.decode()


def test_codes_cannot_be_found_by_counting():
    codes = [new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    symbols = [c for code in codes for c in code.replace("-", "")]
    assert set(symbols) == set(CODE_ALPHABET)  # all 32 symbols used: 16 of them make 80 bits
    # Neighbours share no more than chance: no counter underneath.
    same_start = sum(a[:4] == b[:4] for a, b in itertools.pairwise(codes))
    assert same_start <= 3


def test_the_command_issues_its_report_under_a_code_of_its_own(plan, staff, tmp_path, capsys):
    out = tmp_path / "progress.pdf"
    call_command("render_report", "progress", "--plan", str(plan.pk), "--out", str(out))

    issued = GeneratedReport.objects.get()
    assert issued.code in capsys.readouterr().out
    assert printed_code(out.read_bytes()) == issued.code
    assert hashlib.sha256(out.read_bytes()).hexdigest() == issued.sha256


@pytest.mark.django_db(transaction=True)
def test_codes_shared_by_reports_of_old_are_cleared_and_lone_ones_kept(staff):
    executor = MigrationExecutor(connection)
    executor.migrate([("reports", "0004_report_params")])
    old = executor.loader.project_state([("reports", "0004_report_params")]).apps
    Report = old.get_model("reports", "GeneratedReport")
    for kind, code in (("progress", "AB12-CD34-EF56"), ("overdue", "AB12-CD34-EF56"), ("unit", "9F00-1A2B-3C4D")):
        Report.objects.create(kind=kind, code=code, created_by_id=staff.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(GeneratedReport.objects.values_list("kind", "code")) == {
        "progress": "",
        "overdue": "",
        "unit": "9F00-1A2B-3C4D",
    }


def test_the_margins_print_titles_names_and_the_address_as_they_are(settings, staff, chengtou_company):
    """escapejs wrote "-" as \\u002D, which CSS reads as the letters "u002D"; a quote ended the string."""
    settings.SITE_URL = "https://gzw-reform.example.gov.cn"
    plan = PlanFactory(title="国企改革深化提升行动实施方案（2023-2025年）“第二版”")
    task = TaskFactory(plan=plan, number="1", title="厘清权责边界", due=TODAY)
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    staff.full_name = '王"晓东'
    staff.save()

    issued = issue("progress", staff, plan=plan.pk)

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(issued.content)).pages).replace("\n", "")
    assert "https://gzw-reform.example.gov.cn/verify/" in text and "u002D" not in text
    assert "（2023-2025年）“第二版”" in text
    assert '王"晓东' in text and issued.code in text
