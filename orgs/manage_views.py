"""Staff's pages for units, groups and users (the Django admin is for the system's keepers): each
change goes through orgs.services, which checks it and writes it to the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs import policy, services
from orgs.forms import GroupForm, GroupMembersForm, NameForm, UnitFilterForm, UnitForm, UserAddForm
from orgs.models import Unit, UnitGroup, User
from orgs.selectors import open_work_of, units_listed
from reform import values


def _staff_only(request) -> None:
    if not policy.can_manage(request.user):
        raise PermissionDenied


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def _created(request, form_class, create):
    """The object ``create`` makes from the posted form, or None with the refusal told."""
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return None
    try:
        return create(**form.cleaned_data, actor=request.user, request=request)
    except ValidationError as error:
        _refused(request, error)
        return None


@login_required
def unit_list(request):
    _staff_only(request)
    if request.method == "POST":
        unit = _created(request, UnitForm, services.unit_create)
        if unit is None:
            return redirect("orgs:unit_list")
        messages.success(request, _("Unit “%(name)s” created.") % {"name": unit.name})
        return redirect("orgs:unit_detail", pk=unit.pk)
    filters = UnitFilterForm(request.GET or None)
    page = values.page_of(Paginator(units_listed(**filters.chosen()), 50), request.GET.get("page"))
    return render(request, "orgs/unit_list.html", {"filters": filters, "page": page, "form": UnitForm()})


@login_required
def unit_detail(request, pk):
    _staff_only(request)
    unit = get_object_or_404(Unit.objects.prefetch_related("aliases"), pk=pk)
    context = {
        "unit": unit,
        "users": unit.users.order_by("-is_active", "username"),
        "open_work": list(open_work_of(unit)[:OPEN_WORK_SHOWN]),
        "open_count": open_work_of(unit).count(),
        "shown": OPEN_WORK_SHOWN,
        "rename": NameForm(initial={"name": unit.name}),
        "alias": NameForm(),
        "user_form": UserAddForm(),
    }
    return render(request, "orgs/unit_detail.html", context)


# The unit page lists this many of its open assignments; the work list holds the rest.
OPEN_WORK_SHOWN = 100


def _unit_change(request, pk, change) -> None:
    """Run ``change(unit, name)`` with the posted name; tell the outcome."""
    unit = get_object_or_404(Unit, pk=pk)
    form = NameForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return
    try:
        change(unit, form.cleaned_data["name"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Saved."))


@login_required
@require_POST
def unit_rename(request, pk):
    _staff_only(request)
    _unit_change(
        request, pk, lambda unit, name: services.unit_rename(unit=unit, name=name, actor=request.user, request=request)
    )
    return redirect("orgs:unit_detail", pk=pk)


@login_required
@require_POST
def unit_alias_add(request, pk):
    _staff_only(request)
    _unit_change(
        request,
        pk,
        lambda unit, name: services.unit_add_alias(unit=unit, name=name, actor=request.user, request=request),
    )
    return redirect("orgs:unit_detail", pk=pk)


@login_required
@require_POST
def unit_active(request, pk):
    """Stop a unit (after the open work is read and the stop confirmed) or bring it back."""
    _staff_only(request)
    unit = get_object_or_404(Unit, pk=pk)
    active = request.POST.get("active") == "1"
    if not active and request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that the unit is to be stopped."))
        return redirect("orgs:unit_detail", pk=pk)
    try:
        stopped = services.unit_set_active(unit=unit, active=active, actor=request.user, request=request)
    except ValidationError as error:
        _refused(request, error)
    else:
        if active:
            messages.success(request, _("“%(name)s” is active again.") % {"name": unit.name})
        else:
            messages.success(
                request,
                _("“%(name)s” is stopped; %(count)d of its accounts deactivated.")
                % {"name": unit.name, "count": stopped},
            )
    return redirect("orgs:unit_detail", pk=pk)


@login_required
@require_POST
def user_add(request, pk):
    _staff_only(request)
    unit = get_object_or_404(Unit, pk=pk)
    form = UserAddForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("orgs:unit_detail", pk=pk)
    try:
        user, password = services.user_add(unit=unit, actor=request.user, request=request, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        _tell_password(request, user, password)
    return redirect("orgs:unit_detail", pk=pk)


def _tell_password(request, user: User, password: str) -> None:
    messages.success(
        request,
        _(
            "The temporary password of %(user)s is %(password)s — hand it over in person; "
            "it must be changed at the first sign-in."
        )
        % {"user": user.get_username(), "password": password},
    )


@login_required
@require_POST
def user_password_reset(request, pk):
    _staff_only(request)
    user = get_object_or_404(User, pk=pk)
    password = services.user_reset_password(user=user, actor=request.user, request=request)
    _tell_password(request, user, password)
    return redirect("orgs:unit_detail", pk=user.unit_id) if user.unit_id else redirect("orgs:unit_list")


@login_required
@require_POST
def user_active(request, pk):
    _staff_only(request)
    user = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    try:
        services.user_set_active(
            user=user, active=request.POST.get("active") == "1", actor=request.user, request=request
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("orgs:unit_detail", pk=user.unit_id) if user.unit_id else redirect("orgs:unit_list")


@login_required
def group_list(request):
    _staff_only(request)
    if request.method == "POST":
        group = _created(request, GroupForm, services.unit_group_create)
        return redirect("orgs:group_detail", pk=group.pk) if group else redirect("orgs:group_list")
    groups = UnitGroup.objects.prefetch_related("units", "subgroups").order_by("name")
    page = values.page_of(Paginator(groups, 50), request.GET.get("page"))
    return render(request, "orgs/group_list.html", {"page": page, "form": GroupForm()})


@login_required
def group_detail(request, pk):
    """Set a group's member units and included groups."""
    _staff_only(request)
    group = get_object_or_404(UnitGroup, pk=pk)
    form = GroupMembersForm(
        request.POST or None,
        group=group,
        initial={"units": group.units.all(), "subgroups": group.subgroups.all()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_group_set_members(group=group, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:group_detail", pk=pk)
    return render(request, "orgs/group_detail.html", {"group": group, "form": form})
