"""工作分工: the units' work of a scope and measure, one row per unit and task — where every figure of
the dashboard leads, listing exactly what the figure counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from orgs import policy
from reform import values
from tasks.forms import WorkListForm
from tasks.models import ReportingRound
from tasks.reminders.choices import Kind
from tasks.reminders.urging import reports_urge, units_owing_reports
from tasks.work import MEASURES, measure_q, work_rows

PER_PAGE = 50


@login_required
def work_list(request):
    form = WorkListForm(request.GET or None, user=request.user)
    scope = form.scope()
    measure = form.chosen.get("measure") or "all"
    rows = work_rows(request.user, scope).filter(measure_q(measure, scope.day))
    counted = rows.aggregate(work=Count("id"), tasks=Count("task", distinct=True))
    paginator = Paginator(
        rows.select_related("task__plan", "unit").order_by(
            "deadline", "task__plan", "task__position", "unit__name", "id"
        ),
        PER_PAGE,
    )
    paginator.count = counted["work"]  # counted above with the tasks: no second COUNT
    context = {
        "form": form,
        "page": values.page_of(paginator, request.GET.get("page")),
        "counted": counted,
        "measure": MEASURES[measure],
        "urging": measure == "report_missing" and scope.as_of is None and policy.can_manage(request.user),
        "scope": scope,
    }
    return render(request, "tasks/work_list.html", context)


@login_required
def reports_urging(request):
    """一键催报 over the work list's scope (its query string): shown, every unit owing this month's
    report ticked; sent, the ticked ones urged as one batch (urging.py), then the delivery log."""
    if not policy.can_manage(request.user):
        raise PermissionDenied
    form = WorkListForm(request.GET or None, user=request.user)
    scope = form.scope()
    here = f"{request.path}?{request.GET.urlencode()}"
    reporting_round = _round_of(request)
    if request.method == "POST":
        try:
            chosen = {values.id_number(value) for value in request.POST.getlist("unit")}
        except values.BadValue as error:
            messages.error(request, error.message)
            return redirect(here)
        if not chosen:
            messages.error(request, _("Tick the units to urge."))
            return redirect(here)
        try:
            batch = reports_urge(
                user=request.user,
                scope=scope,
                unit_ids=chosen,
                note=request.POST.get("note", ""),
                reporting_round=reporting_round,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(here)
        urged = ngettext(
            "%(count)d unit urged to report for %(period)s.",
            "%(count)d units urged to report for %(period)s.",
            batch.units,
        )
        messages.success(request, urged % {"count": batch.units, "period": batch.period})
        return redirect(f"{reverse('reminders:delivery_log')}?kind={Kind.REPORT_URGED}")
    owing = units_owing_reports(request.user, scope, reporting_round) if scope.as_of is None or reporting_round else []
    context = {
        "owing": owing,
        "scope": scope,
        "query": request.GET.urlencode(),
        "here": here,
        "round": reporting_round,
    }
    return render(request, "tasks/urge_reports.html", context)


def _round_of(request) -> ReportingRound | None:
    """The open round (月报) whose missing list is urged, when the query names one."""
    try:
        round_id = values.optional_id(request.GET.get("round"))
    except values.BadValue:
        raise Http404 from None
    if round_id is None:
        return None
    return get_object_or_404(ReportingRound.objects.filter(closed_at__isnull=True), pk=round_id)
