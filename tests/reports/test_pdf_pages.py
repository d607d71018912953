"""The PDF reports as an auditor reads them: each kind's pages rendered to images (pdftoppm) and its
text read back (pdftotext) — every task and figure there, in order; the whole SHA-256; the office
that made it on the cover; each table headed for what it counts; many lead units as a list; and no
slanted Chinese (emphasis by weight)."""

import datetime
import hashlib
import re
import subprocess

import pytest
from django.utils import timezone
from PIL import Image, ImageStat
from weasyprint import HTML

from reports.documents import task_dossier
from reports.progress import figures, progress_report, render_pdf
from reports.snapshot import snapshot
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    PlanFactory,
    ProgressReportFactory,
    SectionFactory,
    TaskFactory,
    UnitFactory,
)
from tests.reports.issued import issue

TODAY = timezone.localdate()
HASH = hashlib.sha256(b"\xe6\x9d\x83\xe8\xb4\xa3\xe6\xb8\x85\xe5\x8d\x95").hexdigest()
TITLES = ["厘清各治理主体权责边界", "规范董事会建设", "深化混合所有制改革"]


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    """A red task, a yellow one led by ten enterprises, a green one; evidence on file."""
    plan = PlanFactory(title="立山区国企改革三年行动实施方案", issuer="鞍山市立山区人民政府")
    section = SectionFactory(plan=plan, number="(一)", title="完善中国特色现代企业制度")
    red, yellow, green = (
        TaskFactory(plan=plan, section=section, number=str(n), title=title, due=TODAY + datetime.timedelta(days=days))
        for n, title, days in zip((1, 2, 3), TITLES, (-5, 10, 200), strict=True)
    )
    late = AssignmentFactory(task=red, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    AssignmentFactory(task=red, unit=gongre_company, status=S.ACCEPTED)
    for n in range(10):
        unit = UnitFactory(name=f"鞍山市立山区第{n + 1}建设有限公司")
        AssignmentFactory(task=yellow, unit=unit, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    AssignmentFactory(task=green, unit=sasac_office, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    report = ProgressReportFactory(assignment=late, period=f"{TODAY:%Y-%m}", text="已形成权责清单初稿")
    EvidenceFactory(report=report, original_name="权责清单（初稿）.pdf", sha256=HASH)
    return plan


def pages_of(content: bytes, tmp_path) -> tuple[list[str], list[Image.Image]]:
    """The text of each page (pdftotext) and its image (pdftoppm, at 40 dpi)."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page-*.png"))]
    return text.split("\f")[: len(images)], images


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", ["progress", "unit", "overdue", "dossier"])
def test_every_kind_renders_page_by_page_and_reads_back(kind, plan, staff, chengtou_company, tmp_path):
    params = {
        "progress": {"plan": plan.pk},
        "unit": {"unit": chengtou_company.pk},
        "overdue": {"plan": plan.pk},
        "dossier": {"task": plan.tasks.get(number="1").pk},
    }[kind]
    made = issue(kind, staff, **params)

    texts, images = pages_of(made.content, tmp_path)

    assert len(images) == made.pages >= 1
    for number, image in enumerate(images, start=1):
        assert ImageStat.Stat(image).stddev[0] > 5, f"page {number} is blank"
    whole = flat("".join(texts))
    assert made.code in whole
    if kind == "progress":
        # Every task of the snapshot, in the document's order, in the ledger; every figure.
        ledger = whole[whole.index("任务台账") :]
        positions = [ledger.index(title) for title in TITLES]
        assert positions == sorted(positions)
        raw = "".join(texts)
        block = raw[raw.index("总体情况") : raw.index("各改革领域完成情况")]
        counted = figures(snapshot(plan, staff))
        expected = [
            counted.tasks,
            counted.assignments,
            counted.accepted,
            counted.in_progress,
            counted.overdue,
            counted.due_soon,
        ]
        assert [int(n) for n in re.findall(r"\d+", block)][:6] == expected  # two by two, as laid out
        assert expected == [3, 13, 1, 12, 1, 10]
    if kind == "dossier":
        assert "厘清各治理主体权责边界" in whole and "权责清单（初稿）.pdf" in whole


def test_the_evidence_index_prints_the_whole_digest(plan, staff, tmp_path):
    for kind, params in (("progress", {"plan": plan.pk}), ("dossier", {"task": plan.tasks.get(number="1").pk})):
        (tmp_path / kind).mkdir()
        texts, _images = pages_of(issue(kind, staff, **params).content, tmp_path / kind)
        assert HASH in flat("".join(texts)), kind


def test_the_cover_is_signed_by_the_office_that_made_the_report(plan, staff, tmp_path):
    texts, _images = pages_of(issue("progress", staff, plan=plan.pk).content, tmp_path)

    cover = flat(texts[0])
    assert staff.unit.name in cover and "鞍山市立山区人民政府" not in cover


def test_red_and_yellow_tables_count_what_they_are_headed_with(plan, staff, tmp_path):
    texts, _images = pages_of(issue("progress", staff, plan=plan.pk).content, tmp_path)
    whole = flat("".join(texts))

    red = whole[whole.index("红灯：已逾期") : whole.index("黄灯：")]
    yellow = whole[whole.index("黄灯：") : whole.index("任务台账")]
    assert "逾期单位数" in red and "1/2" in red  # 城投 late, of two units
    assert "临期或滞后单位" in yellow and "逾期单位" not in yellow and "10/10" in yellow


def test_ten_lead_units_are_listed_beneath_the_row_not_piled_in_a_cell(plan, staff, tmp_path):
    texts, _images = pages_of(issue("progress", staff, plan=plan.pk).content, tmp_path)
    whole = flat("".join(texts))

    assert "10个单位（见下）" in whole
    listed = whole[whole.index("牵头单位：鞍山市立山区第") :]
    assert all(f"第{n}建设有限公司" in listed for n in range(1, 11))


def _styles(box):
    yield box.style
    for child in getattr(box, "children", ()):
        yield from _styles(child)


@pytest.mark.parametrize("draft_of", ["progress", "dossier"])
def test_no_text_is_slanted_emphasis_is_by_weight(draft_of, plan, staff):
    draft = (
        progress_report(snapshot(plan, staff), staff)
        if draft_of == "progress"
        else task_dossier(plan.tasks.get(number="1"), staff)
    )
    rendered = render_pdf(draft, made_by=staff, code="TEST-CODE")
    assert rendered.content.startswith(b"%PDF")
    from django.template.loader import render_to_string

    html = render_to_string(draft.template, {**draft.context, "made_by": staff, "code": "T", "verify_url": "/"})
    document = HTML(string=html).render()
    slanted = {style["font_style"] for page in document.pages for style in _styles(page._page_box)} - {"normal"}
    assert not slanted
