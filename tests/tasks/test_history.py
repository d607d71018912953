"""Creation history written in bulk by the database matches what simple-history would write."""

from django.utils import timezone

from tasks.history import bulk_create_recorded
from tasks.models import Assignment
from tests.factories import TaskFactory, UnitFactory, UnitGroupFactory


def test_bulk_created_rows_get_a_creation_record_with_every_value(staff):
    task = TaskFactory()
    group = UnitGroupFactory()
    before = timezone.now()
    created = bulk_create_recorded(
        [
            Assignment(task=task, unit=UnitFactory(), role="responsible", via_group=group, printed_name="各企业")
            for _ in range(3)
        ],
        user=staff,
    )

    for assignment in created:
        record = assignment.history.get()
        assert (record.history_type, record.history_user) == ("+", staff)
        assert record.history_date >= before
        for field in ("task_id", "unit_id", "role", "status", "via_group_id", "printed_name", "version", "created_at"):
            assert getattr(record, field) == getattr(assignment, field), field
    assert Assignment.history.as_of(timezone.now()).count() == 3


def test_creating_nothing_records_nothing(db):
    assert bulk_create_recorded([], user=None) == []
    assert not Assignment.history.exists()
