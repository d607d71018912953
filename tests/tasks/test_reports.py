"""Progress reports with evidence, and the review that follows, through services and pages."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, Evidence, ProgressReport
from tasks.services import assignment_transition, evidence_delete, progress_report_submit
from tests.factories import AssignmentFactory

THIS_MONTH = timezone.localdate().strftime("%Y-%m")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.fixture
def mine(chengtou_company):
    return AssignmentFactory(unit=chengtou_company)


def report(assignment, user, files=(), **overrides):
    fields = {"period": THIS_MONTH, "text": "已完成制度初稿", "percent": 60, "files": files} | overrides
    return progress_report_submit(assignment_id=assignment.pk, user=user, **fields)


def test_a_first_report_starts_the_work_and_keeps_its_files(mine, chengtou_reporter):
    files = [
        SimpleUploadedFile("会议纪要.pdf", PDF),
        SimpleUploadedFile("制度.docx", docx_bytes()),
        SimpleUploadedFile("现场.png", PNG),
    ]

    saved = report(mine, chengtou_reporter, files)

    mine.refresh_from_db()
    assert mine.status == S.IN_PROGRESS
    assert (saved.percent, saved.period, saved.author) == (60, THIS_MONTH, chengtou_reporter)
    evidence = list(saved.evidence.order_by("pk"))
    assert [e.original_name for e in evidence] == ["会议纪要.pdf", "制度.docx", "现场.png"]
    assert evidence[0].content_type == "application/pdf" and evidence[2].content_type == "image/png"
    assert evidence[0].size == len(PDF)
    assert len(evidence[0].sha256) == 64
    assert "会议纪要" not in evidence[0].file.name  # stored under a generated name
    assert saved.history.get().history_user == chengtou_reporter


def test_done_submits_the_work_for_review(mine, chengtou_reporter):
    report(mine, chengtou_reporter, done=True)

    mine.refresh_from_db()
    assert mine.status == S.SUBMITTED
    assert list(mine.status_changes.values_list("to_status", flat=True)) == [S.IN_PROGRESS, S.SUBMITTED]


def test_reporting_on_returned_work_resumes_it(mine, chengtou_reporter, staff):
    report(mine, chengtou_reporter, done=True)
    assignment_transition(assignment_id=mine.pk, user=staff, action="return", comment="佐证材料不全")

    report(mine, chengtou_reporter, done=True)

    mine.refresh_from_db()
    assert mine.status == S.SUBMITTED
    assert ProgressReport.objects.filter(assignment=mine).count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60), "不是 PDF、Word、Excel、图片或 OFD"),
        (SimpleUploadedFile("空.pdf", b""), "是空文件"),
        (SimpleUploadedFile("压缩包.docx", b"PK\x03\x04not really"), "不是 PDF、Word、Excel、图片或 OFD"),
        (SimpleUploadedFile("页面.html", PDF), "扩展名与其内容不符（.pdf）"),
        (SimpleUploadedFile("无扩展名", PDF), "扩展名与其内容不符（.pdf）"),
        (SimpleUploadedFile("照片.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), "（.gif、.jpeg、.jpg、.png）"),
    ],
    ids=["exe-renamed-pdf", "empty", "broken-zip", "pdf-named-html", "no-suffix", "png-named-pdf"],
)
def test_a_bad_file_refuses_the_whole_report(mine, chengtou_reporter, upload, message):
    with pytest.raises(ValidationError) as refused:
        report(mine, chengtou_reporter, [SimpleUploadedFile("好的.pdf", PDF), upload])

    assert message in refused.value.messages[0]
    mine.refresh_from_db()
    assert mine.status == S.NOT_STARTED
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_an_oversized_file_is_refused(mine, chengtou_reporter, settings):
    settings.EVIDENCE_MAX_BYTES = 10

    with pytest.raises(ValidationError, match="最大"):
        report(mine, chengtou_reporter, [SimpleUploadedFile("大.pdf", PDF)])


def test_a_path_in_the_file_name_is_dropped(mine, chengtou_reporter):
    saved = report(mine, chengtou_reporter, [SimpleUploadedFile("../../etc/passwd.pdf", PDF)])

    evidence = saved.evidence.get()
    assert evidence.original_name == "passwd.pdf"
    assert ".." not in evidence.file.name and evidence.file.name.startswith("evidence/")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period": "2021-13"}, "YYYY-MM"),
        ({"period": "2999-01"}, "尚未到来"),
        ({"percent": 101}, "0 到 100"),
        ({"text": "  "}, "填写进展情况"),
    ],
)
def test_bad_report_fields_are_refused(mine, chengtou_reporter, overrides, message):
    with pytest.raises(ValidationError, match=message):
        report(mine, chengtou_reporter, **overrides)
    assert not ProgressReport.objects.exists()


def test_submitted_work_takes_no_more_reports(mine, chengtou_reporter):
    report(mine, chengtou_reporter, done=True)

    with pytest.raises(ValidationError, match="不再接受进展报送"):
        report(mine, chengtou_reporter)


def test_only_the_units_own_reporter_reports(mine, gongre_reporter, staff, leader):
    with pytest.raises(Assignment.DoesNotExist):
        report(mine, gongre_reporter)
    for user in (staff, leader):
        with pytest.raises(PermissionDenied):
            report(mine, user)


def test_evidence_can_be_withdrawn_until_the_work_is_accepted(mine, chengtou_reporter, staff):
    saved = report(
        mine, chengtou_reporter, [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)], done=True
    )
    first, second = saved.evidence.order_by("pk")

    evidence_delete(evidence_id=first.pk, user=chengtou_reporter)
    assignment_transition(assignment_id=mine.pk, user=staff, action="accept")

    assert Evidence.history.filter(id=first.pk, history_type="-").exists()
    with pytest.raises(ValidationError, match="已验收"):
        evidence_delete(evidence_id=second.pk, user=chengtou_reporter)
    assert Evidence.objects.filter(pk=second.pk).exists()


# --- Through the pages ------------------------------------------------------------------------


def test_a_report_posted_from_the_task_page(client, mine, chengtou_reporter):
    client.force_login(chengtou_reporter)

    answer = client.post(
        reverse("tasks:report_submit", args=[mine.pk]),
        {
            "period": THIS_MONTH,
            "percent": 40,
            "text": "推进中",
            "version": mine.version,
            "files": [SimpleUploadedFile("纪要.pdf", PDF)],
        },
        follow=True,
    )

    assert "已报送进展" in answer.content.decode()
    assert "纪要.pdf" in answer.content.decode()
    assert ProgressReport.objects.get().evidence.count() == 1


def test_a_stale_form_is_refused_and_nothing_is_lost(client, mine, chengtou_reporter):
    client.force_login(chengtou_reporter)
    stale = mine.version
    report(mine, chengtou_reporter)

    answer = client.post(
        reverse("tasks:report_submit", args=[mine.pk]),
        {"period": THIS_MONTH, "percent": 50, "text": "第二次", "version": stale},
        follow=True,
    )

    assert "已被他人处理" in answer.content.decode()
    assert ProgressReport.objects.count() == 1


def test_staff_return_needs_a_reason_then_accept(client, mine, chengtou_reporter, staff):
    report(mine, chengtou_reporter, done=True)
    mine.refresh_from_db()
    client.force_login(staff)
    url = reverse("tasks:assignment_action", args=[mine.pk, "return"])

    refused = client.post(url, {"comment": "", "version": mine.version}, follow=True)
    assert "请填写办理理由" in refused.content.decode()
    client.post(url, {"comment": "缺少会议纪要", "version": mine.version})
    mine.refresh_from_db()
    assert mine.status == S.RETURNED


def test_a_leaders_forged_post_is_refused(client, mine, leader):
    client.force_login(leader)

    assert client.post(reverse("tasks:assignment_action", args=[mine.pk, "start"]), {"version": 1}).status_code == 403
    assert (
        client.post(
            reverse("tasks:report_submit", args=[mine.pk]),
            {"period": THIS_MONTH, "percent": 1, "text": "x", "version": 1},
        ).status_code
        == 403
    )


def test_another_units_assignment_and_evidence_answer_404(client, mine, chengtou_reporter, gongre_reporter):
    saved = report(mine, chengtou_reporter, [SimpleUploadedFile("a.pdf", PDF)])
    client.force_login(gongre_reporter)

    assert client.post(reverse("tasks:assignment_action", args=[mine.pk, "start"]), {"version": 1}).status_code == 404
    assert client.get(reverse("tasks:evidence_download", args=[saved.evidence.get().pk])).status_code == 404


def test_a_download_sends_the_chinese_name(client, mine, chengtou_reporter):
    long_name = "关于立山区国有企业改革三年行动" * 13 + ".pdf"  # about 200 characters
    saved = report(mine, chengtou_reporter, [SimpleUploadedFile(long_name, PDF)])
    client.force_login(chengtou_reporter)

    answer = client.get(reverse("tasks:evidence_download", args=[saved.evidence.get().pk]))

    assert answer.status_code == 200
    assert f"filename*=utf-8''{quote(long_name)}" in answer["Content-Disposition"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert b"".join(answer.streaming_content) == PDF


def test_behind_a_web_server_django_checks_and_the_server_sends_the_file(client, mine, chengtou_reporter, settings):
    settings.FILES_X_ACCEL_REDIRECT = "/protected/"
    saved = report(mine, chengtou_reporter, [SimpleUploadedFile("纪要 第1期.pdf", PDF)])
    evidence = saved.evidence.get()
    client.force_login(chengtou_reporter)

    answer = client.get(reverse("tasks:evidence_download", args=[evidence.pk]))

    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == f"/protected/{evidence.file.name}"
    assert evidence.file.name.startswith("evidence/") and "纪要" not in evidence.file.name  # a generated name
    assert f"filename*=utf-8''{quote('纪要 第1期.pdf')}" in answer["Content-Disposition"]
    assert answer["Content-Type"] == "application/pdf"
    assert answer["X-Content-Type-Options"] == "nosniff"


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(("path", "kind"), [("task", "text/html"), ("api", "application/json")])
def test_an_upload_declared_too_large_is_refused_before_its_body_is_read(
    client, mine, chengtou_reporter, settings, path, kind
):
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    client.force_login(chengtou_reporter)
    url = reverse("tasks:report_submit", args=[mine.pk]) if path == "task" else "/api/v1/reports/"

    answer = client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )

    assert answer.status_code == 413
    assert answer["Content-Type"].startswith(kind)
    text = answer.content.decode().replace("\\u00a0", " ").replace("\xa0", " ")
    assert "5.0 MB" in text and "1.0 MB" in text
    assert not ProgressReport.objects.exists()


def test_the_assignment_keeps_its_latest_report_for_lists(mine, chengtou_reporter):
    report(mine, chengtou_reporter, period="2021-05", percent=40)
    report(mine, chengtou_reporter, period="2021-03", percent=20)  # an older month, reported late

    mine.refresh_from_db()
    assert (mine.latest_period, mine.latest_percent) == ("2021-05", 40)
    report(mine, chengtou_reporter, period=THIS_MONTH, percent=70)
    mine.refresh_from_db()
    assert (mine.latest_period, mine.latest_percent) == (THIS_MONTH, 70)


def test_a_unit_marks_a_milestone_of_its_task_done_once(mine, chengtou_reporter, client):
    from tasks.models import MilestoneCompletion
    from tasks.services import milestone_mark_done
    from tests.factories import MilestoneFactory

    first = MilestoneFactory(task=mine.task, text="出台《负面清单》")
    later = MilestoneFactory(
        task=mine.task, text="完成清单动态调整", due=timezone.localdate() + datetime.timedelta(days=365)
    )
    MilestoneFactory(task=mine.task, due=later.due + timezone.timedelta(days=1))

    milestone_mark_done(assignment_id=mine.pk, milestone_id=first.pk, user=chengtou_reporter)

    with pytest.raises(ValidationError, match="已标记完成"):
        milestone_mark_done(assignment_id=mine.pk, milestone_id=first.pk, user=chengtou_reporter)
    with pytest.raises(ValidationError, match="不属于此任务"):
        milestone_mark_done(assignment_id=mine.pk, milestone_id=MilestoneFactory().pk, user=chengtou_reporter)
    client.force_login(chengtou_reporter)
    client.post(reverse("tasks:milestone_done", args=[mine.pk, later.pk]))
    assert MilestoneCompletion.objects.filter(assignment=mine).count() == 2
    page = client.get(reverse("tasks:task_detail", args=[mine.task_id])).content.decode()
    assert "标记完成：出台《负面清单》" in page


def test_others_cannot_mark_a_units_milestone(mine, gongre_reporter, leader, client):
    from tasks.services import milestone_mark_done
    from tests.factories import MilestoneFactory

    milestone = MilestoneFactory(task=mine.task)
    with pytest.raises(Assignment.DoesNotExist):
        milestone_mark_done(assignment_id=mine.pk, milestone_id=milestone.pk, user=gongre_reporter)
    client.force_login(leader)
    assert client.post(reverse("tasks:milestone_done", args=[mine.pk, milestone.pk])).status_code == 403


def test_a_report_refused_for_a_bad_file_keeps_what_was_typed_once(client, mine, chengtou_reporter):
    client.force_login(chengtou_reporter)
    typed = {"period": THIS_MONTH, "percent": 65, "text": "已完成制度初稿，正在征求意见", "done": "on"}

    answer = client.post(
        reverse("tasks:report_submit", args=[mine.pk]),
        {**typed, "version": mine.version, "files": [SimpleUploadedFile("报告.pdf", b"MZ\x90\x00")]},
        follow=True,
    )

    page = answer.content.decode()
    assert "不是 PDF、Word、Excel、图片或 OFD" in page and "请重新选择文件" in page
    form = page.split('class="report-form"')[1].split("</form>")[0]
    assert "已完成制度初稿，正在征求意见</textarea>" in form
    assert 'value="65"' in form and f'value="{THIS_MONTH}"' in form and "checked" in form
    assert ProgressReport.objects.count() == 0
    again = client.get(reverse("tasks:task_detail", args=[mine.task_id])).content.decode()
    assert "已完成制度初稿" not in again  # kept for the next showing only


def test_a_report_refused_by_its_fields_keeps_them_too(client, mine, chengtou_reporter):
    client.force_login(chengtou_reporter)

    answer = client.post(
        reverse("tasks:report_submit", args=[mine.pk]),
        {"period": "2099-13", "percent": 30, "text": "推进中", "version": mine.version},
        follow=True,
    )

    form = answer.content.decode().split('class="report-form"')[1].split("</form>")[0]
    assert "推进中</textarea>" in form and 'value="2099-13"' in form
