from django.db.models import QuerySet

from orgs import policy
from reports.models import GeneratedReport


def reports_for(user) -> QuerySet[GeneratedReport]:
    """Reports a user may list and fetch: their own; all, for those who see everything."""
    reports = GeneratedReport.objects.select_related("plan", "unit", "task", "created_by")
    if policy.sees_everything(user):
        return reports
    return reports.filter(created_by=user)
