"""Every move of an assignment's status: legal ones happen and are recorded, the rest are refused."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, StatusChange
from tasks.services import TRANSITIONS, StaleObjectError, allowed_actions, assignment_transition
from tests.factories import AssignmentFactory

LEGAL = {
    (S.NOT_STARTED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.RETURNED, "resume"): S.IN_PROGRESS,
    (S.ACCEPTED, "reopen"): S.IN_PROGRESS,
    (S.CANCELLED, "reopen"): S.IN_PROGRESS,
    (S.NOT_STARTED, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "cancel"): S.CANCELLED,
    (S.SUBMITTED, "cancel"): S.CANCELLED,
    (S.RETURNED, "cancel"): S.CANCELLED,
}
ALL_MOVES = list(itertools.product(S.values, TRANSITIONS))


@pytest.fixture
def actors(staff, chengtou_reporter):
    """Who takes each action: the unit's reporter does the work, staff review it."""
    return {
        "start": chengtou_reporter,
        "submit": chengtou_reporter,
        "resume": chengtou_reporter,
        "accept": staff,
        "return": staff,
        "reopen": staff,
        "cancel": staff,
    }


def assignment_in(status, unit):
    return AssignmentFactory(unit=unit, status=status)


def test_the_table_covers_the_designed_machine():
    assert {(source, action): t.target for action, t in TRANSITIONS.items() for source in t.sources} == LEGAL


@pytest.mark.parametrize(("status", "action"), [move for move in ALL_MOVES if move in LEGAL])
def test_legal_move_changes_status_and_records_who_and_when(status, action, actors, chengtou_company):
    assignment = assignment_in(status, chengtou_company)
    actor = actors[action]

    moved = assignment_transition(assignment_id=assignment.pk, user=actor, action=action, comment="理由")

    moved.refresh_from_db()
    assert moved.status == LEGAL[(status, action)]
    assert moved.version == 2
    assert moved.status_changed_at is not None
    change = StatusChange.objects.get(assignment=assignment)
    assert (change.from_status, change.to_status, change.actor) == (status, moved.status, actor)
    latest = moved.history.latest()
    assert latest.history_user == actor
    assert latest.status == moved.status
    assert latest.history_change_reason == action


@pytest.mark.parametrize(("status", "action"), [move for move in ALL_MOVES if move not in LEGAL])
def test_illegal_move_is_refused_with_a_message_and_changes_nothing(status, action, actors, chengtou_company):
    assignment = assignment_in(status, chengtou_company)

    with pytest.raises(ValidationError) as refused:
        assignment_transition(assignment_id=assignment.pk, user=actors[action], action=action, comment="理由")

    assert "不能" in refused.value.messages[0]
    assert Assignment.objects.values_list("status", "version").get(pk=assignment.pk) == (status, 1)
    assert not StatusChange.objects.exists()


def test_moving_an_accepted_assignment_backwards_is_refused(staff, chengtou_reporter, chengtou_company):
    assignment = assignment_in(S.ACCEPTED, chengtou_company)

    with pytest.raises(ValidationError) as refused:
        assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="submit")

    assert refused.value.messages == ["状态为“已验收销号”的任务分工不能改为“已提交待验收”。"]
    assert Assignment.objects.get(pk=assignment.pk).status == S.ACCEPTED


def test_reporter_cannot_accept_own_submission(chengtou_reporter, chengtou_company):
    assignment = assignment_in(S.SUBMITTED, chengtou_company)

    with pytest.raises(PermissionDenied):
        assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="accept")

    assert Assignment.objects.get(pk=assignment.pk).status == S.SUBMITTED


def test_staff_cannot_submit_on_behalf_of_a_unit(staff, chengtou_company):
    assignment = assignment_in(S.IN_PROGRESS, chengtou_company)

    with pytest.raises(PermissionDenied):
        assignment_transition(assignment_id=assignment.pk, user=staff, action="submit")


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_leaders_and_auditors_change_nothing(action, leader, auditor, chengtou_company):
    source = next(iter(TRANSITIONS[action].sources))
    assignment = assignment_in(source, chengtou_company)

    for reader in (leader, auditor):
        with pytest.raises(PermissionDenied):
            assignment_transition(assignment_id=assignment.pk, user=reader, action=action, comment="批示")

    assert Assignment.objects.get(pk=assignment.pk).status == source


def test_reporter_of_another_unit_cannot_even_find_the_assignment(gongre_reporter, chengtou_company):
    assignment = assignment_in(S.NOT_STARTED, chengtou_company)

    with pytest.raises(Assignment.DoesNotExist):
        assignment_transition(assignment_id=assignment.pk, user=gongre_reporter, action="start")

    assert Assignment.objects.get(pk=assignment.pk).status == S.NOT_STARTED


def test_return_without_a_reason_is_refused(staff, chengtou_company):
    assignment = assignment_in(S.SUBMITTED, chengtou_company)

    with pytest.raises(ValidationError) as refused:
        assignment_transition(assignment_id=assignment.pk, user=staff, action="return", comment="   ")

    assert refused.value.messages == ["请填写办理理由。"]
    assert Assignment.objects.get(pk=assignment.pk).status == S.SUBMITTED


def test_stale_form_is_refused(staff, chengtou_reporter, chengtou_company):
    assignment = assignment_in(S.NOT_STARTED, chengtou_company)
    assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="start", expected_version=1)

    with pytest.raises(StaleObjectError):
        # The form was loaded at version 1; the assignment is now at version 2.
        assignment_transition(assignment_id=assignment.pk, user=chengtou_reporter, action="submit", expected_version=1)

    assert Assignment.objects.get(pk=assignment.pk).status == S.IN_PROGRESS


def test_unknown_action_is_refused(staff, chengtou_company):
    assignment = assignment_in(S.SUBMITTED, chengtou_company)

    with pytest.raises(ValidationError):
        assignment_transition(assignment_id=assignment.pk, user=staff, action="approve")


def test_allowed_actions_are_what_the_user_may_do_now(staff, chengtou_reporter, leader, chengtou_company):
    submitted = assignment_in(S.SUBMITTED, chengtou_company)

    assert [t.action for t in allowed_actions(staff, submitted)] == ["accept", "return", "cancel"]
    assert allowed_actions(chengtou_reporter, submitted) == []
    assert allowed_actions(leader, submitted) == []
    assert [t.action for t in allowed_actions(chengtou_reporter, assignment_in(S.RETURNED, chengtou_company))] == [
        "resume"
    ]


def test_staff_reopen_accepted_work_with_a_reason(staff, chengtou_company):
    assignment = assignment_in(S.ACCEPTED, chengtou_company)

    with pytest.raises(ValidationError):
        assignment_transition(assignment_id=assignment.pk, user=staff, action="reopen")
    assignment_transition(assignment_id=assignment.pk, user=staff, action="reopen", comment="问题反弹，重新整改")

    assert Assignment.objects.get(pk=assignment.pk).status == S.IN_PROGRESS
