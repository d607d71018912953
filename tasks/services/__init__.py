"""Writes to the reform domain, one module per concern; callers import from here."""

from tasks.services.assignments import (
    TRANSITIONS,
    StaleObjectError,
    Transition,
    allowed_actions,
    assignment_transition,
    assignments_review,
    may_transition,
)
from tasks.services.deliverables import Deliverable, deliverables_of, undelivered
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.notices import notice_close, notice_issue, notice_respond, notices_escalate
from tasks.services.questions import question_answer, question_ask
from tasks.services.reports import evidence_add, evidence_delete, milestone_mark_done, progress_report_submit
from tasks.services.task_units import assignment_add, assignment_remove, with_records_flag
from tasks.services.tasks_edit import MilestoneDraft, instruction_add, task_change_due, task_edit

__all__ = [
    "TRANSITIONS",
    "Deliverable",
    "MilestoneDraft",
    "StaleObjectError",
    "Transition",
    "allowed_actions",
    "assignment_add",
    "assignment_remove",
    "assignment_transition",
    "assignments_review",
    "deliverables_of",
    "evidence_add",
    "evidence_delete",
    "extension_decide",
    "extension_request",
    "instruction_add",
    "may_transition",
    "milestone_mark_done",
    "notice_close",
    "notice_issue",
    "notice_respond",
    "notices_escalate",
    "progress_report_submit",
    "question_answer",
    "question_ask",
    "task_change_due",
    "task_edit",
    "undelivered",
    "with_records_flag",
]
