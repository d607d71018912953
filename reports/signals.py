"""Cached dashboards are dropped when the work they count changes: any save or delete of the rows
they read, once its transaction has committed (a dashboard read in between would be cached stale).

Bulk writes send no signals; the plans and tasks they belong to are saved alongside, and the cache
holds a dashboard for DASHBOARD_CACHE_SECONDS at most in any case."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from orgs.models import Unit
from reports.dashboard import data_changed
from tasks.models import Assignment, Milestone, MilestoneCompletion, Plan, ProgressReport, Section, StatusChange, Task

COUNTED = (Plan, Section, Task, Milestone, MilestoneCompletion, Assignment, ProgressReport, StatusChange, Unit)


def _changed(sender, **kwargs):
    # robust: a cache that does not answer must not fail the save that has just been committed.
    transaction.on_commit(data_changed, robust=True)


def connect() -> None:
    for model in COUNTED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboard-{model.__name__}-delete")
