"""The access policy: what each user may see and do. The only place that decides it.

Every view, endpoint, export, download and job asks here. Querysets are narrowed by
``restrict``; an id from a request is looked up in the narrowed queryset, never trusted.

Roles:
- staff (国资局 staff) see and manage everything;
- leaders and auditors see everything and change nothing;
- reporters see what concerns their own unit and act only for it; where their unit leads a task
  (牵头单位), they also see, read-only, the other units' work on it: its status, reports, evidence;
  of what is each unit's own duty (its part in a monthly round), only their own (``own_duty``).
Superusers count as staff. An inactive or anonymous user sees nothing.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet

from orgs.choices import Role
from tasks.choices import AssignmentRole, AssignmentStatus

_SEES_EVERYTHING = {Role.STAFF, Role.LEADER, Role.AUDITOR}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def role_of(user) -> str | None:
    """The user's role for the policy's purpose: superusers act as staff."""
    if not _active(user):
        return None
    return Role.STAFF if user.is_superuser else user.role


def sees_everything(user) -> bool:
    return role_of(user) in _SEES_EVERYTHING


def can_manage(user) -> bool:
    """Import plans, edit tasks, units and users, review and accept work."""
    return role_of(user) == Role.STAFF


def can_act_for_unit(user, unit_id) -> bool:
    """Report progress, upload evidence and submit work for the given unit."""
    return role_of(user) == Role.REPORTER and unit_id is not None and user.unit_id == unit_id


def can_instruct(user) -> bool:
    """Give a leader's instruction (批示) on a task or on one unit's work of it."""
    return role_of(user) == Role.LEADER


def is_read_only(user) -> bool:
    return role_of(user) in {Role.LEADER, Role.AUDITOR}


def restrict(queryset: QuerySet, user, unit_path: str) -> QuerySet:
    """Narrow ``queryset`` to the rows ``user`` may see.

    ``unit_path`` is the lookup from the model to the unit whose members may see a row
    ("unit" for an assignment, "assignments__unit" for a task).
    """
    role = role_of(user)
    if role in _SEES_EVERYTHING:
        return queryset
    if role != Role.REPORTER or user.unit_id is None:
        return queryset.none()
    own = Q(**{unit_path: user.unit_id})
    if _is_multi_valued(queryset.model, unit_path):
        # Rows above the work (plans, tasks, milestones): the unit's own assignment reaches them, a
        # lead's too. A sub-select rather than a join, so that rows reached through several
        # assignments of the same unit are not repeated.
        return queryset.filter(pk__in=queryset.model._base_manager.filter(own).values("pk"))
    to_work = unit_path.removesuffix("unit")
    if not _is_work(_model_at(queryset.model, to_work)):
        return own_duty(queryset, user, unit_path)
    # The work and what hangs from it: the unit's own, and all of a task its unit leads.
    return queryset.filter(own | Q(**{f"{to_work}task__in_few": led_tasks(user.unit_id)}))


def own_duty(queryset: QuerySet, user, unit_path: str) -> QuerySet:
    """Narrow rows that are each a unit's own duty (its part in a monthly round, its summary line):
    all of them for those who see everything, a reporter's own unit's; leading a task adds nothing."""
    role = role_of(user)
    if role in _SEES_EVERYTHING:
        return queryset
    if role != Role.REPORTER or user.unit_id is None:
        return queryset.none()
    return queryset.filter(**{unit_path: user.unit_id})


def led_tasks(unit_id: int) -> QuerySet:
    """The ids of the tasks the unit leads (its lead assignment not cancelled), as a sub-select."""
    assignments = apps.get_model("tasks", "Assignment")._base_manager
    return (
        assignments.filter(unit_id=unit_id, role=AssignmentRole.LEAD)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values("task_id")
    )


def _is_work(model: type[Model]) -> bool:
    """An assignment, or a recorded version of one (django-simple-history names what it records)."""
    return getattr(model, "instance_type", model) is apps.get_model("tasks", "Assignment")


def _model_at(model: type[Model], path: str) -> type[Model]:
    """The model ``path`` (ending in "__", or empty) leads to from ``model``."""
    for name in filter(None, path.split("__")):
        model = model._meta.get_field(name).related_model
    return model


def _is_multi_valued(model: type[Model], path: str) -> bool:
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(f"{model.__name__} has no field {name!r} on the path {path!r}") from None
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            break
        model = field.related_model
    return False
