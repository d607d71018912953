"""Generate a plan of benchmark size through the ORM, in bulk.

    python bench/generate.py --scale district|city|province [--reset] [--seed N]

Scales (tasks × units, every task assigned to every unit, one lead each):
district 25 × 20, city 200 × 60, province 1,000 × 100; each assignment with
``--months`` (24) monthly progress reports. History rows are written with the
dates the rows would have had, so that "as of" questions have a past to answer from.
Generated rows are marked (plan title and unit names start with ``[基准]``) and
``--reset`` removes those of earlier runs first. Prints what it made and how long it took.
"""

import argparse
import datetime
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

# With DEBUG on, Django keeps the SQL of every query: gigabytes of bulk inserts here.
settings.DEBUG = False

from django.db import connection, transaction  # noqa: E402

from orgs.choices import Role, UnitKind  # noqa: E402
from orgs.models import Unit, UnitGroup, User  # noqa: E402
from tasks.choices import AssignmentRole, AssignmentStatus  # noqa: E402
from tasks.models import (  # noqa: E402
    Assignment,
    Evidence,
    Milestone,
    Plan,
    ProgressReport,
    Section,
    StatusChange,
    Task,
)

MARK = "[基准]"
TZ = ZoneInfo("Asia/Shanghai")
PLAN_START = datetime.date(2020, 1, 1)
PLAN_END = datetime.date(2022, 12, 31)
CHUNK = 2_000  # assignments whose reports are built and written at once: bounds memory


@dataclass(frozen=True)
class Scale:
    tasks: int
    units: int
    sections: int


SCALES = {
    "district": Scale(tasks=25, units=20, sections=7),
    "city": Scale(tasks=200, units=60, sections=12),
    "province": Scale(tasks=1_000, units=100, sections=20),
}

# Share of assignments in each status: most work under way, some accepted, a few returned.
STATUS_WEIGHTS = {
    AssignmentStatus.NOT_STARTED: 10,
    AssignmentStatus.IN_PROGRESS: 45,
    AssignmentStatus.SUBMITTED: 10,
    AssignmentStatus.RETURNED: 5,
    AssignmentStatus.ACCEPTED: 30,
}


def plan_title(scale: str) -> str:
    return f"{MARK}{scale}国企改革三年行动实施方案"


def generated_plan(scale: str) -> Plan | None:
    """The plan generated at ``scale``, or None with a word on how to make it."""
    plan = Plan.objects.filter(title=plan_title(scale)).first()
    if plan is None:
        print(f"{scale}: no generated plan; run bench/generate.py --scale {scale} first")
    return plan


def api_lists(plan: Plan) -> list[tuple[str, str]]:
    """(name, path under /api/v1/) of the API's lists that grow with the generated plan."""
    task = plan.tasks.order_by("position").first()
    return [
        ("plans", "plans/"),
        ("tasks", f"tasks/?plan={plan.pk}"),
        ("assignments", f"assignments/?plan={plan.pk}"),
        ("milestones", f"milestones/?plan={plan.pk}"),
        ("reports", f"reports/?task={task.pk}"),
        ("units", "units/"),
        ("notifications", "notifications/"),
    ]


def _month_start(index: int) -> datetime.datetime:
    year, month = divmod(PLAN_START.month - 1 + index, 12)
    return datetime.datetime(PLAN_START.year + year, month + 1, 1, 9, tzinfo=TZ)


def reset() -> None:
    """Remove the rows of earlier runs, with their history.

    Raw deletes, children first: the ORM's delete would load every row and write a
    history row for each deletion, hours of work for a province-scale plan.
    """
    plans = Plan.objects.filter(title__startswith=MARK).values("pk")
    tasks = Task.objects.filter(plan__in=plans).values("pk")
    assignments = Assignment.objects.filter(task__in=tasks).values("pk")
    reports = ProgressReport.objects.filter(assignment__in=assignments).values("pk")
    with transaction.atomic():
        for queryset in (
            Evidence.history.filter(report_id__in=reports),
            Evidence.objects.filter(report__in=reports),
            ProgressReport.history.filter(assignment_id__in=assignments),
            ProgressReport.objects.filter(assignment__in=assignments),
            StatusChange.objects.filter(assignment__in=assignments),
            Assignment.history.filter(task_id__in=tasks),
            Assignment.objects.filter(task__in=tasks),
            Milestone.history.filter(task_id__in=tasks),
            Milestone.objects.filter(task__in=tasks),
            Task.history.filter(plan_id__in=plans),
            Task.objects.filter(plan__in=plans),
            Section.objects.filter(plan__in=plans),
            Plan.history.filter(title__startswith=MARK),
            Plan.objects.filter(title__startswith=MARK),
            User.objects.filter(username__startswith="bench-"),
            UnitGroup.units.through.objects.filter(unitgroup__name__startswith=MARK),
            UnitGroup.objects.filter(name__startswith=MARK),
            Unit.objects.filter(name__startswith=MARK),
        ):
            queryset._raw_delete(queryset.db)


def _with_history(model, objects, *, when, user):
    """bulk_create, then one history row per object dated ``when(obj)``."""
    created = model.objects.bulk_create(objects, batch_size=5_000)
    for obj in created:
        obj._history_date = when(obj)
        obj._history_user = user
    model.history.bulk_history_create(created, batch_size=5_000)
    return created


def generate(name: str, scale: Scale, *, months: int = 24, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    created_on = _month_start(0)
    counts: dict[str, int] = {}
    with transaction.atomic():
        units = Unit.objects.bulk_create(
            Unit(name=f"{MARK}{name}单位{n:03d}", kind=UnitKind.ENTERPRISE if n % 3 else UnitKind.DEPARTMENT)
            for n in range(scale.units)
        )
        group = UnitGroup.objects.create(name=f"{MARK}{name}各单位")
        group.units.set(units)
        staff = User.objects.create(
            username=f"bench-{name}-staff", role=Role.STAFF, unit=units[0], full_name="基准管理员"
        )
        reporters = {
            unit.pk: user
            for unit, user in zip(
                units,
                User.objects.bulk_create(
                    User(username=f"bench-{name}-{n:03d}", role=Role.REPORTER, unit=unit, password="!")
                    for n, unit in enumerate(units)
                ),
                strict=True,
            )
        }
        plan = Plan.objects.create(
            title=plan_title(name),
            doc_number=f"基准发〔2021〕{scale.tasks}号",
            issuer="基准市人民政府",
            issued_on=datetime.date(2020, 6, 1),
            period_start=PLAN_START,
            period_end=PLAN_END,
            created_by=staff,
        )
        sections = Section.objects.bulk_create(
            Section(plan=plan, number=f"({n + 1})", title=f"改革领域{n + 1}", position=n) for n in range(scale.sections)
        )
        tasks = _with_history(
            Task,
            [
                Task(
                    plan=plan,
                    section=sections[n * scale.sections // scale.tasks],
                    number=str(n + 1),
                    title=f"基准任务{n + 1}：完善现代企业制度第{n + 1}项",
                    body=f"{2021 + n % 2}年出台《基准制度{n + 1}》。",
                    position=n,
                    due=datetime.date(2021 + n % 3, 12 if n % 4 else 6, 30 if n % 4 == 0 else 31),
                )
                for n in range(scale.tasks)
            ],
            when=lambda obj: created_on,
            user=staff,
        )
        milestones = _with_history(
            Milestone,
            [
                Milestone(
                    task=task,
                    position=0,
                    due=task.due,
                    text=f"出台《基准制度{task.number}》",
                    deliverables=[f"基准制度{task.number}"],
                )
                for task in tasks
            ],
            when=lambda obj: created_on,
            user=staff,
        )
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        assignments = _with_history(
            Assignment,
            [
                Assignment(
                    task=task,
                    unit=unit,
                    role=AssignmentRole.LEAD if n == index % scale.units else AssignmentRole.RESPONSIBLE,
                    status=rng.choices(statuses, weights)[0],
                    via_group=None if n == index % scale.units else group,
                    printed_name=unit.name,
                    # The last of the monthly reports written below.
                    latest_period=f"{_month_start(months - 1):%Y-%m}" if months else "",
                    latest_percent=100 if months else None,
                )
                for index, task in enumerate(tasks)
                for n, unit in enumerate(units)
            ],
            when=lambda obj: created_on,
            user=staff,
        )
        month_starts = {f"{_month_start(m):%Y-%m}": _month_start(m) for m in range(months)}
        reports = 0
        for start in range(0, len(assignments), CHUNK):
            batch = [
                ProgressReport(
                    assignment=assignment,
                    period=period,
                    text=f"{period}：按计划推进，已完成阶段性工作。",
                    percent=min(100, (month + 1) * 100 // months),
                    author=reporters[assignment.unit_id],
                )
                for assignment in assignments[start : start + CHUNK]
                for month, period in enumerate(month_starts)
            ]
            _with_history(ProgressReport, batch, when=lambda obj: month_starts[obj.period], user=None)
            reports += len(batch)
        # auto_now_add stamped every report with today; give each the date of its month.
        for period, moment in month_starts.items():
            ProgressReport.objects.filter(assignment__task__plan=plan, period=period).update(created_at=moment)
    if connection.vendor == "postgresql":
        # Fresh planner statistics: without them the first pages measured choose poor plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts.update(
        units=len(units), tasks=len(tasks), milestones=len(milestones), assignments=len(assignments), reports=reports
    )
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=SCALES, required=True)
    parser.add_argument("--months", type=int, default=24, help="progress reports per assignment (default 24)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="remove earlier generated rows first")
    args = parser.parse_args(argv)
    if args.reset:
        reset()
    elif Plan.objects.filter(title__startswith=MARK, title__contains=args.scale).exists():
        parser.error(f"a {args.scale} plan was generated already; pass --reset to make it again")
    started = time.perf_counter()
    counts = generate(args.scale, SCALES[args.scale], months=args.months, seed=args.seed)
    seconds = time.perf_counter() - started
    figures = ", ".join(f"{key} {value:,}" for key, value in counts.items())
    print(f"{args.scale} on {connection.vendor}: {figures} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
