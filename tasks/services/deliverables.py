"""Deliverables delivered: a milestone names documents to issue (《…负面清单》); an evidence file
of any unit of the task delivers one. 销号 asks for each to be delivered, or for staff's reason to
accept the work without them."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tasks.models import Delivery, Evidence, Milestone


@dataclass(frozen=True)
class Deliverable:
    """One document a milestone names, as a form offers it: ``key`` is "milestone id:name"."""

    milestone_id: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.milestone_id}:{self.name}"


def deliverables_of(milestones) -> list[Deliverable]:
    """Each deliverable of the milestones (Milestone rows), in their order."""
    return [Deliverable(m.pk, name) for m in milestones for name in m.deliverables]


def undelivered(task_id: int) -> list[str]:
    """The names of the task's deliverables no file has delivered yet, in milestone order (two
    queries, over every unit's files: whether the task's document exists is not a unit's view)."""
    milestones = Milestone.objects.filter(task_id=task_id).order_by("position")
    delivered = set(Delivery.objects.filter(milestone__task_id=task_id).values_list("milestone_id", "deliverable"))
    return [d.name for d in deliverables_of(milestones) if (d.milestone_id, d.name) not in delivered]


def chosen_deliverables(keys, *, task_id: int, with_files: bool) -> list[Deliverable]:
    """The task's deliverables that ``keys`` choose, checked before anything is written: each one the
    task's, and a file given to deliver them."""
    if not keys:
        return []
    if not with_files:
        raise ValidationError(_("A deliverable is delivered by a file: attach the document that delivers it."))
    offered = {d.key: d for d in deliverables_of(Milestone.objects.filter(task_id=task_id))}
    unknown = [key for key in keys if key not in offered]
    if unknown:
        raise ValidationError(
            _("“%(name)s” is not a deliverable of this task.") % {"name": unknown[0].partition(":")[2]}
        )
    return [offered[key] for key in dict.fromkeys(keys)]


def deliveries_make(evidence: list[Evidence], chosen: list[Deliverable], *, user) -> list[Delivery]:
    """The files just attached to a report deliver the chosen deliverables."""
    return Delivery.objects.bulk_create(
        [
            Delivery(milestone_id=d.milestone_id, deliverable=d.name, evidence=file, linked_by=user)
            for d in chosen
            for file in evidence
        ]
    )


def check_delivered(task_id: int, comment: str) -> None:
    """Refuse to accept work while its task's deliverables are undelivered, unless a reason is given."""
    missing = undelivered(task_id)
    if missing and not comment:
        names = "、".join(f"《{name}》" for name in missing)
        raise ValidationError(
            _("Not yet delivered: %(names)s. Deliver them first, or give the reason to accept the work without them.")
            % {"names": names}
        )
