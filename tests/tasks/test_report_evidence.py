"""Reports' evidence is read for a page of reports by their ids, each report's in the order added."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import ProgressReport
from tasks.selectors import report_evidence
from tests.factories import EvidenceFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def test_a_pages_evidence_is_one_query_without_joins_each_reports_files_in_the_order_added():
    reports = [ProgressReportFactory(), ProgressReportFactory()]
    files = {
        report.pk: [EvidenceFactory(report=report, original_name=f"{n}.pdf") for n in range(3)] for report in reports
    }

    with CaptureQueriesContext(connection) as queries:
        found = list(ProgressReport.objects.filter(pk__in=files).prefetch_related(report_evidence()))

    evidence_query = queries.captured_queries[-1]["sql"]
    assert "JOIN" not in evidence_query.upper()
    assert {report.pk: list(report.evidence.all()) for report in found} == files
