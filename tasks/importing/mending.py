"""Mending a parsed plan by hand, against its source lines: what the parser missed, staff put right.

A task can be made from a range of the source's lines, split in two at one of its lines,
merged into the task before it, or dropped (its lines stay in the source, to be made into a
task again). Tasks keep the order of their lines, and no line belongs to two tasks. What
cannot be done raises MendRefused with a code the caller turns into a message.
"""

from tasks.importing import units
from tasks.importing.model import ParsedPlan, ParsedTask
from tasks.importing.structure import Node, Span, _marker, build_task, to_lines


class MendRefused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code, self.params = code, params


def lines_of(task: ParsedTask) -> range:
    """The source lines a task stands on (a task stored before tasks knew their last line: its first)."""
    return range(task.line, max(task.end_line, task.line) + 1)


def make_task(plan: ParsedPlan, first: int | None, last: int | None) -> int:
    """A new task from source lines ``first``–``last`` (one of them alone: that line); its index in the plan."""
    if plan.from_table:
        raise MendRefused("table_rows")
    first, last = first or last, last or first
    if first is None:
        raise MendRefused("no_range")
    if first > last:
        first, last = last, first
    for task in plan.tasks:
        taken = lines_of(task)
        if first <= taken[-1] and taken[0] <= last:
            raise MendRefused("lines_overlap", number=task.number, first=taken[0], last=taken[-1])
    task = _task_from_lines(plan, first, last)
    index = sum(1 for other in plan.tasks if other.line < first)
    _place_in_section(plan, task, index)
    plan.tasks.insert(index, task)
    return index


def split_task(plan: ParsedPlan, index: int, at: int | None) -> None:
    """Task ``index`` in two: its lines before line ``at``, and from ``at`` on."""
    task = _task(plan, index)
    if plan.from_table:
        raise MendRefused("table_rows")
    taken = lines_of(task)
    if at is None or not taken[0] < at <= taken[-1]:
        raise MendRefused("split_outside", number=task.number, first=taken[0] + 1, last=taken[-1])
    before = _task_from_lines(plan, taken[0], at - 1, like=task)
    after = _task_from_lines(plan, at, taken[-1], like=task)
    plan.tasks[index : index + 1] = [before, after]


def merge_task(plan: ParsedPlan, index: int) -> None:
    """Task ``index`` into the task before it: its text, units and milestones added to the first one's."""
    task = _task(plan, index)
    if index == 0:
        raise MendRefused("merge_first", number=task.number)
    previous = plan.tasks[index - 1]
    previous.body = "\n".join(text for text in (previous.body, task.body) if text)
    previous.end_line = max(lines_of(previous)[-1], lines_of(task)[-1])
    for name in ("lead_units", "responsible_units"):
        names = getattr(previous, name)
        names += [unit for unit in getattr(task, name) if unit not in names]
    previous.milestones += task.milestones
    dues = [t for t in (previous, task) if t.due and not t.due_inherited]
    if dues:
        latest = max(dues, key=lambda t: t.due)
        previous.due, previous.due_precision, previous.due_inherited = latest.due, latest.due_precision, False
    previous.recurrence = previous.recurrence or task.recurrence
    previous.ongoing = previous.ongoing or task.ongoing
    del plan.tasks[index]


def drop_task(plan: ParsedPlan, index: int) -> ParsedTask:
    return plan.tasks.pop(_index(plan, index))


def _task(plan: ParsedPlan, index: int) -> ParsedTask:
    return plan.tasks[_index(plan, index)]


def _index(plan: ParsedPlan, index: int) -> int:
    if not 0 <= index < len(plan.tasks):
        raise MendRefused("no_such_task")
    return index


def _task_from_lines(plan: ParsedPlan, first: int, last: int, like: ParsedTask | None = None) -> ParsedTask:
    """A task read from the source's lines ``first``–``last`` as the parser reads one: its number from
    its first line's numeral, if it has one; its title, units, milestones and due date from its text.
    The lines of its measures (一是…) stay in it: a range staff choose is one task."""
    lines = [line for line in to_lines(plan.text) if first <= line.number <= last]
    if not lines:
        raise MendRefused("no_text", first=first, last=last)
    marker = _marker(lines[0])
    style, number, value, start = marker or ("made", "", 0, 0)
    node = Node(style, number, value, lines[0])
    node.spans = [Span(lines[0], start), *(Span(line) for line in lines[1:])]
    task = build_task(node, plan, None, None)
    if not task.title:
        raise MendRefused("no_title", first=first)
    if like is not None:
        task.section, task.section_index = like.section, like.section_index
        task.number = task.number or like.number
    task.end_line = lines[-1].number
    if not (task.lead_units or task.responsible_units) and like is not None and not _names_units(lines):
        # A split or merge keeps the units of the task it came from when its own lines name none.
        task.lead_units, task.responsible_units = list(like.lead_units), list(like.responsible_units)
    return task


def _names_units(lines) -> bool:
    return any(units.UNIT_LINE.match(line.folded) or units.annotations(line.folded, line.printed) for line in lines)


def _place_in_section(plan: ParsedPlan, task: ParsedTask, index: int) -> None:
    """A made task stands in the section of the task before it (or after it, at the start)."""
    neighbour = plan.tasks[index - 1] if index > 0 else plan.tasks[0] if plan.tasks else None
    if neighbour is not None:
        task.section, task.section_index = neighbour.section, neighbour.section_index
    task.number = task.number or str(index + 1)
