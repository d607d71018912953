"""The notification centre, each user's channels, and for staff the delivery log and the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs import policy
from reform import values
from tasks.reminders import services, workdays
from tasks.reminders.forms import ChannelForm, LogFilterForm, RulesForm
from tasks.reminders.models import Notification, ReminderSettings, SweepRun
from tasks.reminders.selectors import delivery_log, inbox


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = inbox(request.user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = values.page_of(Paginator(rows, 30), request.GET.get("page"))
    return render(request, "reminders/notification_list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one read and go where it points."""
    notification = get_object_or_404(inbox(request.user), pk=pk)
    services.mark_read(request.user, ids=[notification.pk])
    if notification.link.startswith("/") and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("reminders:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_read(request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("reminders:notification_list")


@login_required
def channel_settings(request):
    if request.method == "POST":
        form = ChannelForm(request.POST)
        if form.is_valid():
            services.channels_choose(
                request.user,
                in_app=form.cleaned_data["in_app"],
                email=form.cleaned_data["email"],
                address=form.cleaned_data["address"],
            )
            messages.success(request, _("Your reminder settings were saved."))
            return redirect("reminders:channel_settings")
    else:
        in_app, email = services.channels_of(request.user)
        form = ChannelForm(initial={"in_app": in_app, "email": email, "address": request.user.email})
    return render(request, "reminders/channel_settings.html", {"form": form})


def _may_follow_delivery(user) -> bool:
    return policy.can_manage(user) or policy.sees_everything(user)


@login_required
def delivery_log_page(request):
    if not _may_follow_delivery(request.user):
        raise PermissionDenied
    form = LogFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = delivery_log(
        status=chosen.get("status", ""),
        channel=chosen.get("channel", ""),
        kind=chosen.get("kind", ""),
        query=chosen.get("q", "").strip(),
    )
    page = values.page_of(Paginator(rows, 50), request.GET.get("page"))
    return render(request, "reminders/delivery_log.html", {"form": form, "page": page})


@login_required
@require_POST
def notification_retry(request, pk):
    if not policy.can_manage(request.user):
        raise PermissionDenied
    notification = get_object_or_404(Notification, pk=pk)
    if services.delivery_retry(notification.pk):
        messages.success(request, _("It will be sent again shortly."))
    else:
        messages.error(request, _("Only a failed message can be sent again."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("reminders:delivery_log")


@login_required
def rules_page(request):
    if not _may_follow_delivery(request.user):
        raise PermissionDenied
    rules = ReminderSettings.current()
    editable = policy.can_manage(request.user)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = RulesForm(request.POST, instance=rules)
        if form.is_valid():
            services.rules_save(form, request.user)
            messages.success(request, _("The reminder rules were saved; they apply from the next sweep."))
            return redirect("reminders:rules")
    else:
        form = RulesForm(instance=rules)
    next_year = timezone.localdate().year + 1
    context = {
        "form": form,
        "editable": editable,
        "sweeps": SweepRun.objects.all()[:10],
        "calendar_years": [year for year in (next_year - 1, next_year) if not workdays.known(year)],
    }
    return render(request, "reminders/rules.html", context)
