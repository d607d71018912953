"""Factories for variety; the named users of conftest.py for the stories tests tell."""

import datetime

import factory
from django.utils import timezone

from orgs.choices import Role, UnitKind
from orgs.models import Unit, UnitGroup, User
from tasks.choices import AssignmentRole
from tasks.models import (
    Assignment,
    Evidence,
    ExtensionRequest,
    Milestone,
    Plan,
    ProgressReport,
    Question,
    Section,
    Task,
)
from tasks.reminders.choices import Channel, DeliveryStatus, Kind
from tasks.reminders.models import Notification


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = UnitKind.ENTERPRISE


class UnitGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitGroup

    name = factory.Sequence(lambda n: f"各测试单位{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.REPORTER
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("correct horse 2021")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"测试区国企改革三年行动实施方案{n}")
    doc_number = factory.Sequence(lambda n: f"测政发〔2021〕{n}号")
    issuer = "测试区人民政府"
    issued_on = datetime.date(2021, 8, 12)
    period_start = datetime.date(2020, 1, 1)
    period_end = datetime.date(2022, 12, 31)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    number = "(一)"
    title = "完善中国特色现代企业制度"
    position = factory.Sequence(lambda n: n)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    section = factory.SubFactory(SectionFactory, plan=factory.SelfAttribute("..plan"))
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"测试任务{n}")
    body = "2021年出台《区属企业投资项目负面清单》。"
    position = factory.Sequence(lambda n: n)
    due = datetime.date(2021, 12, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    task = factory.SubFactory(TaskFactory)
    position = factory.Sequence(lambda n: n)
    due = datetime.date(2021, 12, 31)
    text = "出台《区属企业投资项目负面清单》"
    deliverables = factory.LazyFunction(lambda: ["区属企业投资项目负面清单"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(UnitFactory)
    role = AssignmentRole.RESPONSIBLE


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    assignment = factory.SubFactory(AssignmentFactory)
    period = "2021-03"
    text = "已完成初稿"
    percent = 30
    author = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..assignment.unit"))


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A file on record for a report (no file on disk: for lists and access, not downloads)."""

    class Meta:
        model = Evidence

    report = factory.SubFactory(ProgressReportFactory)
    file = factory.Sequence(lambda n: f"evidence/{n}.pdf")
    original_name = "佐证.pdf"
    size = 1
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("report.author")


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    """A unit's request, waiting for staff's decision."""

    class Meta:
        model = ExtensionRequest

    assignment = factory.SubFactory(AssignmentFactory, status="in_progress")
    reason = "等待审计结果"
    previous_due = datetime.date(2021, 12, 31)
    proposed_due = datetime.date(2022, 3, 31)
    requested_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..assignment.unit"))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    assignment = factory.SubFactory(AssignmentFactory, status="in_progress")
    text = "混改方案需报哪一级审批？"
    asked_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..assignment.unit"))


class NotificationFactory(factory.django.DjangoModelFactory):
    """An overdue reminder to a unit's reporter, recorded and waiting as the channel has it."""

    class Meta:
        model = Notification

    kind = Kind.OVERDUE
    channel = Channel.IN_APP
    recipient = None
    assignment = factory.SubFactory(AssignmentFactory)
    unit = factory.SelfAttribute("assignment.unit")
    recipient_key = factory.LazyAttribute(
        lambda n: f"user:{n.recipient.pk}" if n.recipient else f"unit:{n.assignment.unit_id}"
    )
    subject_key = factory.LazyAttribute(lambda n: f"assignment:{n.assignment.pk}")
    key_date = datetime.date(2025, 6, 30)
    step = -1
    title = factory.LazyAttribute(lambda n: f"已逾期{-n.step}天：3. 制定权责清单")
    body = "鞍山市立山区城市建设投资有限公司承担的该项任务应于2025-06-30前完成，目前尚未提交验收。"
    link = factory.LazyAttribute(lambda n: f"/tasks/{n.assignment.task_id}/")
    status = factory.LazyAttribute(
        lambda n: DeliveryStatus.SENT if n.channel == Channel.IN_APP else DeliveryStatus.PENDING
    )
    next_attempt_at = factory.LazyAttribute(lambda n: None if n.channel == Channel.IN_APP else timezone.now())
