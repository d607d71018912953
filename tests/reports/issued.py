"""Reports made as the platform issues them (reports.services.report_request, at once): registered
under their own verification code, the file stored, read back here."""

from dataclasses import dataclass

from reports.models import GeneratedReport, ReportStatus
from reports.services import report_request


@dataclass(frozen=True)
class Issued:
    report: GeneratedReport
    content: bytes

    @property
    def pages(self) -> int:
        return self.report.pages

    @property
    def code(self) -> str:
        return self.report.code

    @property
    def filename(self) -> str:
        return self.report.filename


def issue(kind: str, user, **params) -> Issued:
    """A PDF report issued now; refused as the platform refuses it (ValidationError, PermissionDenied)."""
    report = report_request(kind, user, at_once=True, **params)
    assert report.status == ReportStatus.DONE, report.error
    with report.file.open("rb") as stored:
        return Issued(report, stored.read())
