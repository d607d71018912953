"""Creating a plan's rows in bulk, with their history: shared by a first import and a revision."""

from django.utils.translation import gettext as _

from orgs.choices import UnitKind
from orgs.models import Unit, UnitGroup
from orgs.selectors import group_member_units
from orgs.services import unit_add_alias, unit_create
from tasks.choices import AssignmentRole
from tasks.history import bulk_create_recorded
from tasks.importing import ParsedPlan, ParsedTask
from tasks.models import Assignment, Milestone, Plan, Section, Task
from tasks.services.errors import ImportRefused

COLLECTIVE_PREFIX = "各"

# Each printed unit name → the units it assigns, with the group it came through.
Targets = dict[str, list[tuple[Unit, UnitGroup | None]]]


def decide_units(preview, choices, create_units, warnings) -> Targets:
    """Each printed name → the units it assigns, with the group it came through."""
    undecided = [name for name in preview.unknown_names if name not in choices and not create_units]
    if undecided:
        raise ImportRefused(
            _("These units are not known; map each to a unit or group, create it, or leave it out: %(names)s.")
            % {"names": "、".join(undecided)}
        )
    resolved: dict[str, Unit | UnitGroup | None] = {}
    for name, match in preview.units.items():
        if match.known:
            resolved[name] = match.unit or match.group
        elif name in choices:
            resolved[name] = choices[name]
            if isinstance(choices[name], Unit) and name != choices[name].name:
                unit_add_alias(unit=choices[name], name=name)
        elif name.startswith(COLLECTIVE_PREFIX):
            resolved[name] = UnitGroup.objects.create(name=name)
            warnings.append(_("Group “%(name)s” was created without members: add them, then assign.") % {"name": name})
        else:
            resolved[name] = unit_create(name=name, kind=UnitKind.OTHER)
    members: dict[int, list[Unit]] = {}
    targets = {}
    for name, target in resolved.items():
        if isinstance(target, UnitGroup):
            if target.pk not in members:
                members[target.pk] = list(group_member_units(target))
            targets[name] = [(unit, target) for unit in members[target.pk]]
        else:
            targets[name] = [(target, None)] if target else []
    return targets


def create_sections(plan: Plan, parsed: ParsedPlan, *, first_position: int = 0) -> list[Section]:
    sections: list[Section] = []
    for position, found in enumerate(parsed.sections, start=first_position):
        parent = next(
            (s for s in reversed(sections) if found.parent and s.number == found.parent and s.parent_id is None),
            None,
        )
        section = Section(plan=plan, number=found.label, title=found.title[:300], position=position, parent=parent)
        section.save()
        sections.append(section)
    return sections


def create_tasks(plan: Plan, placed: list[tuple[int, ParsedTask]], sections: list[Section], user) -> list[Task]:
    """Tasks at the given positions, in their sections."""
    return bulk_create_recorded(
        [
            Task(
                plan=plan,
                section=sections[task.section_index] if task.section_index is not None else None,
                number=task.number,
                title=task.title[:500],
                body=task.body,
                position=position,
                due=task.due,
                due_inherited=task.due_inherited,
                recurrence=task.recurrence or "",
                source_line=task.line,
            )
            for position, task in placed
        ],
        user=user,
    )


def create_milestones(pairs: list[tuple[Task, ParsedTask]], user) -> int:
    milestones = [
        Milestone(task=task, position=position, due=found.due, text=found.text, deliverables=found.deliverables)
        for task, parsed_task in pairs
        for position, found in enumerate(parsed_task.milestones)
    ]
    return len(bulk_create_recorded(milestones, user=user))


def named_units(parsed_task: ParsedTask) -> list[tuple[str, str]]:
    """(role, printed name) of every unit a task names."""
    return [(AssignmentRole.LEAD, name) for name in parsed_task.lead_units] + [
        (AssignmentRole.RESPONSIBLE, name) for name in parsed_task.responsible_units
    ]


def create_assignments(wanted: list[tuple[Task, str, str]], targets: Targets, user, *, existing=()) -> int:
    """Assignments for (task, role, printed name), once per unit and role of a task."""
    assignments, seen = [], set(existing)
    for task, role, name in wanted:
        for unit, group in targets[name]:
            # A unit named twice (directly and through a group) is assigned once per role.
            if (task.pk, unit.pk, role) not in seen:
                seen.add((task.pk, unit.pk, role))
                assignments.append(Assignment(task=task, unit=unit, role=role, via_group=group, printed_name=name))
    return len(bulk_create_recorded(assignments, user=user))
