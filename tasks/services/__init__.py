"""Writes to the reform domain, one module per concern; callers import from here."""

from tasks.services.assignments import (
    TRANSITIONS,
    StaleObjectError,
    Transition,
    allowed_actions,
    assignment_transition,
    may_transition,
)
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.reports import evidence_delete, progress_report_submit

__all__ = [
    "TRANSITIONS",
    "StaleObjectError",
    "Transition",
    "allowed_actions",
    "assignment_transition",
    "evidence_delete",
    "extension_decide",
    "extension_request",
    "may_transition",
    "progress_report_submit",
]
