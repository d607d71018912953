"""Reports asked for in the browser: checked at once, made at once when small, by the worker when large,
stored with their checksum."""

import datetime
import hashlib
import logging
import secrets
import uuid
from pathlib import PurePath

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reform.queue import publish_after_commit
from reports.documents import Asked, refusal_text, render, resolve
from reports.ledger import LEDGER_FORMATS, ledger_file
from reports.models import GeneratedReport, ReportStatus
from reports.selectors import ledger_selection
from tasks.models import Assignment

logger = logging.getLogger(__name__)

# A report job is warned at REPORT_TIME_LIMIT and killed this much later.
REPORT_GRACE_SECONDS = 30
# How far a report has got, in percent, when the worker takes it up.
STAGE_STARTED = 10


LEDGER = "ledger"
# What a ledger job keeps of its request: the task list's filters, the day and the format.
PDF_PARAMS = ("plan", "unit", "task", "as_of")
LEDGER_PARAMS = ("plan", "section", "unit", "role", "status", "due_after", "due_before", "light", "q", "as_of")


# A verification code: 16 characters of Crockford's alphabet (no I, L, O, U to misread), 80 random bits,
# in groups of four. Each issued report has its own; none can be found by counting or guessing.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def report_request(kind: str, user, *, at_once: bool = False, **params) -> GeneratedReport:
    """Record the request (refused with ValidationError or PermissionDenied when it cannot be met)
    and make the report now if it is small (or asked ``at_once``), else hand it to the worker. A PDF
    is issued under a verification code of its own, printed in its footer and checked at 报告查验."""
    if kind == LEDGER:
        report = _ledger_request(user, params)
    else:
        extra = sorted(name for name, value in params.items() if name not in PDF_PARAMS and value not in (None, ""))
        if extra:
            raise ValidationError(_("Only a ledger is chosen by %(names)s.") % {"names": ", ".join(extra)})
        asked = resolve(kind, user, **params)
        report = GeneratedReport.objects.create(
            kind=asked.kind,
            plan=asked.plan,
            unit=asked.unit,
            task=asked.task,
            as_of=asked.as_of,
            created_by=user,
            code=new_code(),
        )
    if at_once or _rows(report, user) <= settings.REPORT_INLINE_ROWS:
        report_make(report.pk)
        report.refresh_from_db()
    else:
        from reports import jobs

        publish_after_commit(jobs.make_report, report.pk)
    return report


def _ledger_request(user, params: dict) -> GeneratedReport:
    fmt = params.get("format") or "xlsx"
    if fmt not in LEDGER_FORMATS:
        raise ValidationError(_("A ledger is made as xlsx or csv."))
    chosen = {name: str(params[name]) for name in LEDGER_PARAMS if params.get(name) not in (None, "")}
    selected = ledger_selection(user, chosen)  # refused now rather than in the worker
    return GeneratedReport.objects.create(
        kind=LEDGER, plan=selected.plan, as_of=selected.as_of, params={**chosen, "format": fmt}, created_by=user
    )


def _rows(report: GeneratedReport, user) -> int:
    """How much a report has to lay out: the units' assignments it lists."""
    visible = Assignment.objects.visible_to(user)
    if report.plan_id is not None:
        return visible.filter(task__plan=report.plan_id).count()
    if report.unit_id is not None:
        return visible.filter(unit=report.unit_id).count()
    return 0


def _made(report: GeneratedReport, progress) -> tuple[bytes, str, int]:
    """The file of a report: its content, name and pages."""
    if report.kind == LEDGER:
        content, filename = ledger_file(ledger_selection(report.created_by, report.params), report.params["format"])
        return content, filename, 0
    asked = Asked(report.kind, plan=report.plan, unit=report.unit, task=report.task, as_of=report.as_of)
    rendered, filename = render(asked, report.created_by, code=report.code, progress=progress)
    return rendered.content, filename, rendered.pages


def report_make(report_id: int) -> None:
    """Make a requested report, once: a second run (a redelivered job) finds it made and stops. A run
    after the worker vanished mid-way tries again, REPORT_ATTEMPTS times in all, then gives up."""
    started = GeneratedReport.objects.filter(
        pk=report_id,
        status__in=[ReportStatus.QUEUED, ReportStatus.RENDERING],
        attempts__lt=settings.REPORT_ATTEMPTS,
    ).update(
        status=ReportStatus.RENDERING, progress=STAGE_STARTED, attempts=F("attempts") + 1, started_at=timezone.now()
    )
    if not started:
        _fail(
            GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.RENDERING),
            _(
                "The worker stopped while making this report, every time it was tried. It may be too large: "
                "ask for a smaller one, or ask the administrator."
            ),
        )
        return
    report = GeneratedReport.objects.select_related("created_by", "plan", "unit", "task__plan").get(pk=report_id)

    def progress(percent: int) -> None:
        GeneratedReport.objects.filter(pk=report_id).update(progress=percent)

    try:
        content, filename, pages = _made(report, progress)
    except SoftTimeLimitExceeded:
        minutes = max(settings.REPORT_TIME_LIMIT // 60, 1)
        message = _(
            "Making the report took longer than %(minutes)d minutes and was stopped. Ask for a smaller one "
            "(a unit's report, a task's dossier), or ask the administrator to allow longer."
        ) % {"minutes": minutes}
        _fail(GeneratedReport.objects.filter(pk=report_id), message)
        return
    except (ValidationError, PermissionDenied, ValueError) as error:
        # What was asked no longer holds (the unit lost its work, the user their rights).
        _fail(GeneratedReport.objects.filter(pk=report_id), refusal_text(error))
        return
    except Exception:
        logger.exception("report %s could not be made", report_id)
        _fail(
            GeneratedReport.objects.filter(pk=report_id),
            _("An unexpected error stopped it; the details are in the log for the administrator."),
        )
        return
    suffix = PurePath(filename).suffix
    report.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content), save=False)
    GeneratedReport.objects.filter(pk=report_id).update(
        file=report.file.name,
        filename=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        status=ReportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )


def _fail(reports, message: str) -> int:
    return reports.update(status=ReportStatus.FAILED, error=message, finished_at=timezone.now())


def fail_stalled_reports() -> int:
    """Reports still being made after any job must have ended (its worker was killed at the hard time
    limit, or its machine stopped): failed, with the reason, rather than shown running for ever."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + REPORT_GRACE_SECONDS * 2)
    return _fail(
        GeneratedReport.objects.filter(status=ReportStatus.RENDERING, started_at__lt=cutoff),
        _("The worker stopped while making this report. Ask for it again; if it stops again, ask the administrator."),
    )
