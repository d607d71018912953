import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from orgs import policy
from orgs.choices import Role
from reform import values
from reform.files import file_download
from reports.documents import refusal_text
from reports.forms import ReportRequestForm, VerifyForm
from reports.ledger import LEDGER_FORMATS, content_type_of, ledger_file
from reports.models import ReportStatus
from reports.selectors import issued_report, ledger_selection, reports_for
from reports.services import fail_stalled_reports, report_request

# Where each role starts its day.
_HOME_BY_ROLE = {
    Role.STAFF: "tasks:review_queue",
    Role.REPORTER: "reports:dashboard",  # their own unit's
    Role.LEADER: "reports:dashboard",
    Role.AUDITOR: "reports:index",
}


def report_verify(request):
    """报告查验: what was issued under a verification code. Open to anyone, signed in or not: the people
    who check a printed report (a receiving office, an inspection team) often have no account here;
    the page shows only what the report itself prints, with its pages and SHA-256, and a code is 80
    random bits, so nothing is found by counting or guessing."""
    form = VerifyForm(request.GET or None)
    report = issued_report(form.cleaned_data["code"]) if form.is_valid() else None
    context = {"form": form, "asked": form.is_bound and form.is_valid(), "report": report}
    return render(request, "reports/verify.html", context)


@login_required
def home(request):
    return redirect(_HOME_BY_ROLE[policy.role_of(request.user)])


def _refused(request, message: str):
    """No file: the reason, and the way back."""
    return render(request, "reports/refused.html", {"message": message}, status=400)


@login_required
def ledger_export(request, fmt):
    """The work ledger of the task list's selection (the same filters), as Excel or CSV."""
    try:
        content, filename = ledger_file(ledger_selection(request.user, request.GET), fmt)
    except ValidationError as error:
        return _refused(request, refusal_text(error))
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=LEDGER_FORMATS[fmt])


@login_required
def report_pdf(request, kind):
    """A report made at once and issued (kept with its verification code): the plan's progress, a
    unit's, the overdue bulletin, a task's dossier."""
    params = {name: request.GET.get(name) for name in ("plan", "unit", "task", "as_of")}
    try:
        report = report_request(kind, request.user, at_once=True, **params)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, refusal_text(error))
    if report.status != ReportStatus.DONE:
        return _refused(request, report.error)
    return file_download(report.file, filename=report.filename, content_type="application/pdf")


@login_required
def report_index(request):
    """Ask for a report; the reports made for the user (for those who see everything, all of them)."""
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_request(form.cleaned_data["kind"], request.user, **form.request_params())
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal_text(error))
        else:
            return redirect("reports:report_detail", pk=report.pk)
    fail_stalled_reports()
    page = values.page_of(Paginator(reports_for(request.user), 30), request.GET.get("page"))
    return render(request, "reports/index.html", {"form": form, "page": page})


def _report(request, pk):
    fail_stalled_reports()
    return get_object_or_404(reports_for(request.user), pk=pk)


@login_required
def report_detail(request, pk):
    return render(request, "reports/detail.html", {"report": _report(request, pk)})


@login_required
def report_progress(request, pk):
    report = _report(request, pk)
    response = render(request, "includes/job_progress.html", {"job": report, "url": request.path})
    if report.status in {ReportStatus.DONE, ReportStatus.FAILED}:
        response["HX-Refresh"] = "true"
    return response


@login_required
def report_download(request, pk):
    report = _report(request, pk)
    if report.status != ReportStatus.DONE:
        raise Http404
    return file_download(report.file, filename=report.filename, content_type=content_type_of(report.filename))
