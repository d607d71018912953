from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.choices import Role
from orgs.views import placeholder

# Where each role starts its day.
_HOME_BY_ROLE = {
    Role.STAFF: "tasks:review_queue",
    Role.REPORTER: "tasks:my_tasks",
    Role.LEADER: "reports:dashboard",
    Role.AUDITOR: "reports:index",
}


@login_required
def home(request):
    return redirect(_HOME_BY_ROLE[policy.role_of(request.user)])


dashboard = placeholder(
    title=_("Dashboard"),
    purpose=_("Where the reform stands: completion, overdue work and units behind schedule."),
    allowed=policy.sees_everything,
)
index = placeholder(
    title=_("Reports"),
    purpose=_("PDF progress reports and Excel ledgers, also as of a past date."),
    allowed=policy.sees_everything,
)
