"""工作分工: the units' work of a scope and measure, one row per unit and task — where every figure of
the dashboard leads, listing exactly what the figure counts."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from reform import values
from tasks.forms import WorkListForm
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
        "scope": scope,
    }
    return render(request, "tasks/work_list.html", context)
