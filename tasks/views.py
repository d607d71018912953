from django.utils.translation import gettext_lazy as _

from orgs import policy
from orgs.choices import Role
from orgs.views import placeholder

my_tasks = placeholder(
    title=_("My tasks"),
    purpose=_("Your unit's assignments, grouped by urgency, with progress reports and evidence."),
    allowed=lambda user: policy.role_of(user) == Role.REPORTER,
)
review_queue = placeholder(
    title=_("Awaiting review"),
    purpose=_("Work submitted by units and waiting for acceptance or return, oldest first."),
    allowed=policy.can_manage,
)
