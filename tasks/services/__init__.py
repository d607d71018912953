"""Writes to the reform domain, one module per concern; callers import from here."""

from tasks.services.assignments import (
    TRANSITIONS,
    StaleObjectError,
    Transition,
    allowed_actions,
    assignment_transition,
    may_transition,
)

__all__ = [
    "TRANSITIONS",
    "StaleObjectError",
    "Transition",
    "allowed_actions",
    "assignment_transition",
    "may_transition",
]
