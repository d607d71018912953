"""月报 pages: the rounds (staff open one), a round's standing unit by unit with its missing list, and
closing it. Everyone who sees everything reads them; the figures are over the caller's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from reform import values
from tasks.forms import RoundOpenForm
from tasks.models import ReportingRound
from tasks.rounds import round_missing, round_standing, totals_of
from tasks.services.rounds import round_close, round_open

MISSING_PER_PAGE = 50


def _readers_only(request) -> None:
    if not policy.sees_everything(request.user):
        raise PermissionDenied


@login_required
def round_list(request):
    _readers_only(request)
    form = RoundOpenForm()
    if request.method == "POST":
        if not policy.can_manage(request.user):
            raise PermissionDenied
        form = RoundOpenForm(request.POST)
        if form.is_valid():
            try:
                opened = round_open(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Reporting round %(period)s opened.") % {"period": opened.period})
                return redirect("tasks:round_detail", pk=opened.pk)
    # A closed round's figures are its filed lines (over everything: these readers see all units).
    rounds = (
        ReportingRound.objects.select_related("opened_by", "closed_by")
        .annotate(
            filed_units=Count("returns"),
            filed_missing=Count("returns", filter=Q(returns__days_late__isnull=True)),
            filed_late=Count("returns", filter=Q(returns__days_late__gt=0)),
            filed_owed=Sum("returns__owed"),
            filed_reported=Sum("returns__reported"),
        )
        .order_by("-period")
    )  # Meta.ordering does not order a grouped query
    page = values.page_of(Paginator(rounds, 24), request.GET.get("page"))
    context = {"page": page, "form": form, "can_open": policy.can_manage(request.user)}
    return render(request, "tasks/round_list.html", context)


@login_required
def round_detail(request, pk):
    _readers_only(request)
    reporting_round = get_object_or_404(ReportingRound.objects.select_related("opened_by", "closed_by"), pk=pk)
    standings = round_standing(request.user, reporting_round)
    missing = None
    if reporting_round.is_open:
        paginator = Paginator(round_missing(request.user, reporting_round.period), MISSING_PER_PAGE)
        missing = values.page_of(paginator, request.GET.get("page"))
    days_left = (reporting_round.deadline - timezone.localdate()).days
    context = {
        "round": reporting_round,
        "standings": [(s, s.days_late(reporting_round.deadline)) for s in standings],
        "totals": totals_of(standings),
        "missing": missing,
        "days_left": days_left,
        "days_past": -days_left,
        "can_manage": policy.can_manage(request.user),
    }
    return render(request, "tasks/round_detail.html", context)


@login_required
def round_closing(request, pk):
    """Asked first (what closing files), then closed."""
    if not policy.can_manage(request.user):
        raise PermissionDenied
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    if request.method == "POST":
        try:
            round_close(user=request.user, round_id=reporting_round.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            closed = _("Round %(period)s closed: its summary is filed.") % {"period": reporting_round.period}
            messages.success(request, closed)
        return redirect("tasks:round_detail", pk=reporting_round.pk)
    totals = totals_of(round_standing(request.user, reporting_round))
    return render(request, "tasks/round_close.html", {"round": reporting_round, "totals": totals})
