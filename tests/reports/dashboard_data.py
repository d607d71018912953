"""A small plan whose every dashboard figure is known by hand (today T):

1 厘清权责边界 (area 一)  城投 in progress, due T (due today: not late), reported this month
                         供热 in progress, due T-1 (one day late)
2 规范董事会建设 (area 一) 城投 returned, due T-10 (ten days late, in progress again)
                         国资局 accepted after its deadline (T-20): accepted, not late
3 推进混合所有制改革 (area 二) 财政局 submitted, due T-5 (waiting for review: not late)
                         供热 cancelled (counted nowhere)
                         城投 not started, due T+40
"""

import datetime

from django.utils import timezone

from orgs.choices import UnitKind
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment
from tasks.work import period_of
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    ProgressReportFactory,
    SectionFactory,
    TaskFactory,
    UnitFactory,
)

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def hand_built_plan(chengtou_company, gongre_company, sasac_office):
    finance_bureau = UnitFactory(name="立山区财政局", kind=UnitKind.DEPARTMENT)
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    first = SectionFactory(plan=plan, number="一", title="完善中国特色现代企业制度", position=0)
    second = SectionFactory(plan=plan, number="二", title="积极稳妥深化混合所有制改革", position=1)
    one = TaskFactory(plan=plan, section=first, number="1", title="厘清权责边界", due=TODAY, position=0)
    two = TaskFactory(plan=plan, section=first, number="2", title="规范董事会建设", due=days(-10), position=1)
    three = TaskFactory(plan=plan, section=second, number="3", title="推进混合所有制改革", due=days(40), position=2)
    reported = AssignmentFactory(task=one, unit=chengtou_company, status=S.IN_PROGRESS)
    ProgressReportFactory(assignment=reported, period=period_of(TODAY), percent=60)
    Assignment.objects.filter(pk=reported.pk).update(latest_period=period_of(TODAY), latest_percent=60)
    AssignmentFactory(task=one, unit=gongre_company, status=S.IN_PROGRESS, due=days(-1))
    AssignmentFactory(task=two, unit=chengtou_company, status=S.RETURNED)
    AssignmentFactory(task=two, unit=sasac_office, role=AssignmentRole.LEAD, status=S.ACCEPTED, due=days(-20))
    AssignmentFactory(task=three, unit=finance_bureau, status=S.SUBMITTED, due=days(-5))
    AssignmentFactory(task=three, unit=gongre_company, status=S.CANCELLED)
    AssignmentFactory(task=three, unit=chengtou_company, status=S.NOT_STARTED)
    return plan
