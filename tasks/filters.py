"""The task list's filters: one FilterSet for the page now and the API later."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from orgs.models import Unit
from reform import values
from reform.api.filters import DayFilter, IdChoiceFilter, IdFilter
from tasks.choices import AssignmentRole, AssignmentStatus, PlanKind
from tasks.lights import GRAY, GREEN, RED, YELLOW
from tasks.models import Assignment, Milestone, Plan, Section, Task

LIGHTS = [(RED, _("Red")), (YELLOW, _("Yellow")), (GREEN, _("Green")), (GRAY, _("Gray"))]
SORTS = [
    ("position", _("Document order")),
    ("due", _("Due date")),
    ("-due", _("Due date, latest first")),
    ("title", _("Title")),
    ("light", _("Light, most urgent first")),
]


def sections_offered(plans, chosen_plan) -> QuerySet[Section]:
    """The sections a filter offers: of the plan chosen (an id as a request gives it), else of all the
    ``plans`` offered; a plan id that is no number offers them all, one not offered none."""
    try:
        plan_id = values.optional_id(chosen_plan)
    except values.BadValue:
        plan_id = None
    sections = Section.objects.filter(plan__in=plans).select_related("plan").order_by("plan", "position")
    return sections.filter(plan_id=plan_id) if plan_id is not None else sections


ASSIGNMENT_FIELDS = ("unit", "role", "status")
APPLIED_BY_THE_VIEW = ("light", "sort")


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    plan = IdChoiceFilter(label=_("Plan"), queryset=Plan.objects.all())
    section = IdChoiceFilter(label=_("Section"), queryset=Section.objects.select_related("plan"))
    # Unit, role and status describe one and the same assignment: applied together in filter_queryset.
    unit = IdChoiceFilter(label=_("Unit"), field_name="assignments__unit", queryset=Unit.objects.all())
    role = django_filters.ChoiceFilter(label=_("Role"), choices=AssignmentRole.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssignmentStatus.choices)
    due_after = DayFilter(label=_("Due from"), field_name="due", lookup_expr="gte")
    due_before = DayFilter(label=_("Due until"), field_name="due", lookup_expr="lte")
    # The light is derived from dates and reports (tasks.lights): the view applies it, and the sort.
    light = django_filters.ChoiceFilter(label=_("Light"), choices=LIGHTS)
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORTS, empty_label=None)

    class Meta:
        model = Task
        fields = ["q", "plan", "section", "unit", "role", "status", "due_after", "due_before", "light", "sort"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user or getattr(self.request, "user", None)  # the API's filter backend passes the request
        # Choices offered are those the user may see.
        self.filters["plan"].queryset = Plan.objects.visible_to(self.user)
        # The sections of the plan chosen, when one is: a section of another plan would match nothing.
        self.filters["section"].queryset = sections_offered(
            Plan.objects.visible_to(self.user), (self.data or {}).get("plan")
        )

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value) | Q(number=value))

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name, value in data.items():
            if name not in ASSIGNMENT_FIELDS + APPLIED_BY_THE_VIEW:
                queryset = self.filters[name].filter(queryset, value)
        assignment = {name: data[name] for name in ASSIGNMENT_FIELDS if data.get(name)}
        if assignment:
            # Over the work the caller may see: another unit's work answers as if it did not exist.
            visible = Assignment.objects.visible_to(self.user)
            queryset = queryset.filter(pk__in=visible.filter(**assignment).values("task_id"))
        return queryset


class AssignmentFilter(django_filters.FilterSet):
    """Units' assignments by plan, area, task, unit, role, status and deadline (their own, else the task's)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    plan = IdChoiceFilter(label=_("Plan"), field_name="task__plan", queryset=Plan.objects.all())
    section = IdChoiceFilter(label=_("Section"), field_name="task__section", queryset=Section.objects.all())
    task = IdChoiceFilter(label=_("Task"), queryset=Task.objects.all())
    unit = IdChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    role = django_filters.ChoiceFilter(label=_("Role"), choices=AssignmentRole.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssignmentStatus.choices)
    due_after = DayFilter(label=_("Due from"), field_name="deadline", lookup_expr="gte")
    due_before = DayFilter(label=_("Due until"), field_name="deadline", lookup_expr="lte")

    class Meta:
        model = Assignment
        fields = ["q", "plan", "section", "task", "unit", "role", "status", "due_after", "due_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # Only what the caller may see can be chosen: another unit's ids are unknown, not empty.
        self.filters["plan"].queryset = Plan.objects.visible_to(user)
        self.filters["section"].queryset = Section.objects.visible_to(user)
        self.filters["task"].queryset = Task.objects.visible_to(user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(task__title__icontains=value) | Q(task__number=value) | Q(unit__name__icontains=value))


class SectionFilter(django_filters.FilterSet):
    plan = IdFilter(label=_("Plan"))
    parent = IdFilter(label=_("Parent section"))

    class Meta:
        model = Section
        fields = ["plan", "parent"]


class MilestoneFilter(django_filters.FilterSet):
    task = IdFilter(label=_("Task"))
    plan = IdFilter(label=_("Plan"), field_name="task__plan")
    due_after = DayFilter(label=_("Due from"), field_name="due", lookup_expr="gte")
    due_before = DayFilter(label=_("Due until"), field_name="due", lookup_expr="lte")

    class Meta:
        model = Milestone
        fields = ["task", "plan", "due_after", "due_before"]


class PlanFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PlanKind.choices)

    class Meta:
        model = Plan
        fields = ["kind"]
