"""The preview mends what the parser missed: the plan's own fields, and plans of any size."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import jobs
from tasks.choices import ImportStatus
from tasks.models import Plan, PlanImport
from tests.reliability.test_unchanged_forms import read_form
from tests.tasks.importing.samples import CITY_PLAN


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def upload(client, text: str, name="方案.txt") -> PlanImport:
    client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile(name, text.encode())})
    staged = PlanImport.objects.get()
    assert staged.status == ImportStatus.READY, staged.error
    return staged


def form_of(client, url: str) -> dict[str, list[str]]:
    """The preview's form as a browser sends it unchanged."""
    page = client.get(url)
    form = read_form(page.content.decode(), url.split("?")[0], url.split("?")[0])
    assert form.found
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    return data


def leave_unknown_units_out(data: dict) -> dict:
    data.update({key.replace("name-", "choice-"): ["skip"] for key in data if key.startswith("name-")})
    return data


def test_staff_correct_the_plans_title_number_issuer_and_date(staff_client):
    staged = upload(staff_client, CITY_PLAN)
    url = reverse("tasks:import_detail", args=[staged.pk])
    data = form_of(staff_client, url)
    assert data["plan-title"] == ["XX市国企改革深化提升行动实施方案（2023—2025年）"]

    data.update({"plan-title": ["XX市国企改革实施方案"], "plan-doc_number": ["连国资发〔2023〕16号"]})
    data.update({"plan-issuer": ["XX市人民政府国资委"], "plan-issued_on": ["2023-05-09"], "action": ["confirm"]})
    staff_client.post(url, leave_unknown_units_out(data))

    plan = Plan.objects.get()
    assert (plan.title, plan.doc_number, plan.issuer) == (
        "XX市国企改革实施方案",
        "连国资发〔2023〕16号",
        "XX市人民政府国资委",
    )
    assert plan.issued_on.isoformat() == "2023-05-09"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("plan-title", "  ", "计划需要标题"), ("plan-issued_on", "2023-02-30", "发布日期")],
)
def test_a_plan_field_that_cannot_be_kept_is_refused_and_nothing_is_changed(staff_client, field, value, message):
    staged = upload(staff_client, CITY_PLAN)
    url = reverse("tasks:import_detail", args=[staged.pk])
    data = form_of(staff_client, url)
    data.update({field: [value], "title-0": ["改过的标题"]})

    answer = staff_client.post(url, data, follow=True)

    assert message in answer.content.decode()
    staged.refresh_from_db()
    assert staged.parsed["tasks"][0]["title"] == "推进战略性重组"
    assert staged.parsed["title"] == "XX市国企改革深化提升行动实施方案（2023—2025年）"


def thousand_tasks() -> str:
    lines = ["某市国资委文件", "关于印发《某市国企改革千项任务清单》的通知", "二、重点任务"]
    for number in range(1, 1001):
        lines += [f"{number}.推进第{number}项改革。2027年底前完成。", f"牵头单位：甲单位{number % 7}"]
    return "\n".join(lines) + "\n"


def test_a_plan_of_a_thousand_tasks_is_corrected_page_by_page_and_confirmed(
    staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(jobs.import_plan_upload, "apply_async", lambda args, **kw: sent.append(args))
    staged = upload(staff_client, thousand_tasks())
    url = reverse("tasks:import_detail", args=[staged.pk])

    first = form_of(staff_client, url)
    last = form_of(staff_client, f"{url}?page=10")

    assert sum(map(len, first.values())) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert "title-999" in last and "title-0" not in last
    last.update({"title-999": ["第一千项改过了"], "action": ["save"]})
    assert staff_client.post(f"{url}?page=10", last)["Location"] == f"{url}?page=10"
    first.update({"title-0": ["第一项改过了"], "action": ["confirm"]})
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, leave_unknown_units_out(first))
    jobs.import_plan_upload(*sent[0])

    plan = Plan.objects.get()
    titles = list(plan.tasks.order_by("position").values_list("title", flat=True))
    assert len(titles) == 1000
    assert (titles[0], titles[1], titles[-1]) == ("第一项改过了", "推进第2项改革", "第一千项改过了")


MISSED = """二、重点任务
1.推进重组。2026年底前完成。
牵头单位：市国资委
这一段是一项漏掉的任务。2027年6月底前出台《整合方案》。（市财政局负责）
2.清理资产
第一步摸清底数。
完善治理。2027年底前修订《章程》。
3.建设董事会。（各市属企业负责）
"""


def mend(client, staged, op: str, **fields):
    return client.post(reverse("tasks:import_mend", args=[staged.pk]), {"op": op, **fields}, follow=True)


def titles(staged) -> list[str]:
    staged.refresh_from_db()
    return [task["title"] for task in staged.parsed["tasks"]]


def test_the_source_text_stands_beside_the_tasks_with_each_tasks_lines_marked(staff_client):
    staged = upload(staff_client, MISSED)

    page = staff_client.get(reverse("tasks:import_detail", args=[staged.pk])).content.decode()

    assert '<li id="line-2" value="2" class="in-task">' in page
    assert '<li id="line-4" value="4">' in page  # the paragraph the parser left out belongs to no task
    assert 'href="#line-2"' in page  # each task leads to its lines
    assert 'value="split:1:5"' in page and 'value="merge:1:5"' in page and 'value="drop:0:2"' in page
    assert 'value="merge:0:2"' not in page  # the first task has nothing before it


def test_staff_bring_a_document_to_right_by_making_splitting_merging_and_dropping(staff_client):
    staged = upload(staff_client, MISSED)
    assert titles(staged) == ["推进重组", "清理资产", "建设董事会"]

    made = mend(staff_client, staged, "make", first="4", last="4")
    assert "已用所选的行建成任务" in made.content.decode()
    assert titles(staged) == ["推进重组", "这一段是一项漏掉的任务", "清理资产", "建设董事会"]
    assert staged.parsed["tasks"][1]["responsible_units"] == ["市财政局"]

    mend(staff_client, staged, "split:2:5", **{"at-2": "7"})
    assert titles(staged) == ["推进重组", "这一段是一项漏掉的任务", "清理资产", "完善治理", "建设董事会"]
    assert staged.parsed["tasks"][3]["milestones"][0]["deliverables"] == ["章程"]

    mend(staff_client, staged, "merge:4:8")
    mend(staff_client, staged, "drop:0:2")
    assert titles(staged) == ["这一段是一项漏掉的任务", "清理资产", "完善治理"]
    assert staged.parsed["tasks"][2]["body"].endswith("建设董事会。（各市属企业负责）")


@pytest.mark.parametrize(
    ("op", "fields", "message"),
    [
        ("make", {"first": "2", "last": "4"}, "已属于任务1"),
        ("make", {"first": "x", "last": "4"}, "不是行号"),
        ("make", {"first": "", "last": ""}, "请填写"),
        ("split:1:5", {}, "只能在其第6–7行"),
        ("split:1:5", {"at-1": "5"}, "只能在其第6–7行"),
        ("merge:0:2", {}, "没有可以并入的前一项"),
        ("drop:1:2", {}, "预览已有改动"),  # the page showed another task at that place
        ("rename:1:5", {}, "请选择"),
    ],
)
def test_a_mend_that_cannot_be_done_is_refused_with_its_reason_and_nothing_changes(staff_client, op, fields, message):
    staged = upload(staff_client, MISSED)
    before = copy_of(staged)

    answer = mend(staff_client, staged, op, **fields)

    assert message in answer.content.decode()
    staged.refresh_from_db()
    assert staged.parsed == before


def copy_of(staged):
    import copy

    return copy.deepcopy(staged.parsed)
