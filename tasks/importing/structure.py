"""From the lines of a plan document to its outline, and from the outline to its tasks.

The outline is read from the numbering the document itself uses, whatever it is: 一、,
(一), 1., (1), ①, and 一是/二是 measures inside a paragraph. A style's depth is where it
first appears under the styles already open, so a page that starts at task 50, or a report
with only (一)(二) sections, reads as well as a plan with every level.

A task is a numbered item with nothing numbered under it. Which items those are is decided
by evidence, not by heading words alone:

* the level that carries tasks is the numbering style most of the leaves use, counting
  only the leaves that name units where any do;
* a leaf of another style is a task where it names units, or where it is a heading with
  nothing numbered under it beside siblings that have tasks (a part made of one paragraph);
* guidance (指导思想, 基本原则, 目标…) and scope statements are not tasks unless their items
  name units, and a childless narrative heading (…情况, …趋势) is not a task.

Unnumbered paragraphs belong to the item above them only where its line is a heading
alone (the body follows on later lines); otherwise they are introductions and closings.
Matching is done on the folded form of each line; everything kept is cut from the printed
line at the same places.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.importing import content, units
from tasks.importing.model import Notice, ParsedPlan, ParsedSection, ParsedTask
from tasks.importing.normalize import fold, strip_web_damage

_CN = "一二三四五六七八九十"
MARKERS = (
    ("part", re.compile(rf"^([{_CN}]{{1,3}})\s*[、.]\s*(?=\S)")),
    ("section", re.compile(rf"^\(\s*([{_CN}]{{1,3}})\s*\)\s*(?=\S)")),
    ("item", re.compile(r"^(\d{1,4})\s*[.、](?!\d)\s*(?=\S)")),
    ("sub_item", re.compile(r"^\(\s*(\d{1,4})\s*\)\s*(?=\S)")),
    ("circled", re.compile(r"^([①-⑳])\s*(?=\S)")),
)
LABELS = {"part": "{}", "section": "({})", "item": "{}.", "sub_item": "({})", "circled": "{}", "measure": "{}是"}
MEASURE = re.compile(rf"(?:^|(?<=[。;:]))\s*([{_CN}]{{1,3}})是")

GUIDANCE = re.compile(
    r"指导思想|基本原则|工作原则|总体要求|总体思路|目标要求|(?:主要|工作|发展|总体|具体|改革|总)目标|试点范围|适用范围|实施范围"
)
NARRATIVE = re.compile(r"情况|形势|趋势|现状")
APPROVAL = re.compile(r"^原则同意")
HEADING_ALONE_LENGTH = 80

SIGNATURE_DATE = re.compile(r"^((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(r"^[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")
_CLOSING = re.compile(r"^(?:附件|附:|附表|以上意见|以上报告|\(此件|\(本文)")


def cn_number(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (the numerals of headings)."""
    digits = {char: index + 1 for index, char in enumerate(_CN[:9])}
    if "十" not in numeral:
        return digits.get(numeral, 0) if len(numeral) == 1 else 0
    tens, _, ones = numeral.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(ones, 0)


@dataclass
class Line:
    number: int  # 1-based, in the source
    printed: str  # web damage removed, stripped
    folded: str

    def cut(self, match: re.Match, group: int) -> str:
        return self.printed[match.start(group) :].strip()


def to_lines(text: str) -> list[Line]:
    lines = []
    for index, raw in enumerate(text.splitlines(), start=1):
        printed = strip_web_damage(raw).strip()
        if printed:
            lines.append(Line(index, printed, fold(printed)))
    return lines


@dataclass
class Span:
    """Part of a line: where a paragraph of a task starts and ends."""

    line: Line
    start: int = 0
    end: int | None = None

    @property
    def printed(self) -> str:
        return self.line.printed[self.start : self.end].strip()

    @property
    def folded(self) -> str:
        return self.line.folded[self.start : self.end].strip()


@dataclass(eq=False)
class Node:
    """One numbered item of the document, with what it holds."""

    style: str
    number: str
    value: int
    line: Line
    parent: "Node | None" = None
    spans: list[Span] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    alone: bool = False  # the heading stands on its line alone; the body follows
    heading_task: bool = False  # a heading taken as a task: nothing numbered under it

    @property
    def label(self) -> str:
        return LABELS[self.style].format(self.number)

    @property
    def heading(self) -> str:
        """The heading sentence: up to the first 。 of the item's own text."""
        text = self.spans[0].printed if self.spans else ""
        cut = content.TITLE_END.search(fold(text))
        return (text[: cut.start()] if cut else text).strip()

    def ancestors(self) -> list["Node"]:
        found, node = [], self.parent
        while node:
            found.append(node)
            node = node.parent
        return found

    def names_units(self) -> bool:
        return any(
            units.UNIT_LINE.match(span.folded) or units.annotations(span.folded, span.printed) for span in self.spans
        )


@dataclass
class Outline:
    head: list[Line]  # before the first numbered item: title, 文号, addressees, introduction
    roots: list[Node]
    nodes: list[Node]  # every item, in document order
    closing: list[Line] = field(default_factory=list)  # after the signature or 附件: no task's text
    out_of_order: list[tuple[int, str]] = field(default_factory=list)  # numerals read as text: line, numeral


def _marker(line: Line) -> tuple[str, str, int, int] | None:
    for style, pattern in MARKERS:
        match = pattern.match(line.folded)
        if match:
            number = match[1]
            if style in ("part", "section"):
                value = cn_number(number)
            elif style == "circled":
                value = ord(number) - ord("①") + 1
            else:
                value = int(number)
            if value:
                return style, number, value, match.end()
    return None


def _is_closing(lines: list[Line], index: int) -> bool:
    folded = lines[index].folded
    if SIGNATURE_DATE.match(folded) or _CN_DATE.match(folded) or _CLOSING.match(folded):
        return True
    following = lines[index + 1].folded if index + 1 < len(lines) else ""
    signed = SIGNATURE_DATE.match(following) or _CN_DATE.match(following)
    return bool(signed) and len(folded) <= 25 and not re.search(r"[。,;:]", folded)


def read_outline(lines: list[Line]) -> Outline:
    """The tree of numbered items. A numeral that does not continue its style's count is text."""
    outline = Outline([], [], [])
    stack: list[Node] = []
    last_value: dict[str, int] = {}
    closed = False
    for index, line in enumerate(lines):
        marker = _marker(line)
        node = _place(marker, line, stack, last_value) if marker else None
        if marker and not node:
            outline.out_of_order.append((line.number, marker[1]))
        if node:
            outline.nodes.append(node)
            (node.parent.children if node.parent else outline.roots).append(node)
            stack.append(node)
            last_value[node.style] = node.value
            closed = False
            continue
        if not stack:
            outline.head.append(line)
            continue
        closed = closed or _is_closing(lines, index)
        current = stack[-1]
        if closed:
            outline.closing.append(line)
        elif current.alone or _belongs_below(line):
            current.spans.append(Span(line))
    return outline


def _belongs_below(line: Line) -> bool:
    """A line that belongs to the item above it wherever it stands: a label, a unit bracket, a measure."""
    folded = line.folded
    return bool(
        units.LABEL_LINE.match(folded) or MEASURE.match(folded) or units.is_unit_bracket_line(folded, line.printed)
    )


def _place(marker, line: Line, stack: list[Node], last_value: dict[str, int]) -> Node | None:
    style, number, value, start = marker
    open_styles = [node.style for node in stack]
    if style in open_styles:
        position = len(open_styles) - 1 - open_styles[::-1].index(style)
        previous = stack[position]
        if value <= previous.value and value != 1:
            return None
        del stack[position:]
    elif style in last_value and value not in (1, last_value[style] + 1):
        return None
    rest = line.folded[start:]
    alone = len(rest) <= HEADING_ALONE_LENGTH and "。" not in rest[:-1] and ";" not in rest
    node = Node(style, number, value, line, stack[-1] if stack else None, alone=alone)
    node.spans.append(Span(line, start))
    return node


@dataclass
class _Opening:
    """Where a 一是 measure opens: which of the item's spans, where in its line, and where its text starts."""

    span: int
    begin: int
    text_at: int
    numeral: str


def _openings(node: Node) -> list[_Opening]:
    found, expected = [], 1
    for index, span in enumerate(node.spans):
        offset = span.start if index == 0 else 0
        for match in MEASURE.finditer(span.line.folded[offset:]):
            if cn_number(match[1]) == expected:
                found.append(_Opening(index, match.start() + offset, match.end() + offset, match[1]))
                expected += 1
    return found


def split_measures(node: Node) -> None:
    """一是…二是… inside a leaf's text: the leaf becomes their section, each measure a task.

    One measure alone counts only where it opens a paragraph of its own.
    """
    openings = _openings(node)
    if not openings or (len(openings) == 1 and (openings[0].span == 0 or openings[0].begin > 0)):
        return
    spans, first = node.spans, openings[0]
    node.spans = spans[: first.span] if first.span else [Span(spans[0].line, spans[0].start, first.begin)]
    for position, opening in enumerate(openings):
        following = openings[position + 1] if position + 1 < len(openings) else None
        line = spans[opening.span].line
        measure = Node("measure", opening.numeral, cn_number(opening.numeral), line, node)
        if following and following.span == opening.span:
            measure.spans.append(Span(line, opening.text_at, following.begin))
        else:
            measure.spans.append(Span(line, opening.text_at))
            measure.spans += spans[opening.span + 1 : following.span if following else len(spans)]
            if following and following.begin:
                measure.spans.append(Span(spans[following.span].line, 0, following.begin))
        node.children.append(measure)


def _guidance(node: Node) -> bool:
    """Guidance, scope and approvals: not tasks, nor anything under them (unless they name units)."""
    heading = fold(node.heading)
    guidance = GUIDANCE.search(heading) and (GUIDANCE.match(heading) or len(heading) <= 15)
    approval = APPROVAL.match(fold(node.spans[0].printed)) if node.spans else False
    return bool(guidance or approval)


def choose_tasks(outline: Outline) -> list[Node]:
    for node in list(outline.nodes):
        if not node.children:
            split_measures(node)
    nodes = list(_walk(outline.roots))  # parents before their children
    named = {id(node): node.names_units() for node in nodes}
    named_below: dict[int, bool] = {}
    for node in reversed(nodes):
        named_below[id(node)] = named[id(node)] or any(named_below[id(child)] for child in node.children)
    excluded: set[int] = set()
    for node in nodes:
        if (node.parent and id(node.parent) in excluded) or (_guidance(node) and not named_below[id(node)]):
            excluded.add(id(node))
    leaves = [node for node in nodes if not node.children and id(node) not in excluded]
    if not leaves:
        return []
    # Families (a node's children, or the roots) in which some item has items under it.
    with_items = {_family(node) for node in nodes if node.children}
    # The vote leaves out the exceptions: a heading with nothing under it beside ones that have.
    voters = [leaf for leaf in leaves if _family(leaf) not in with_items] or leaves
    named_voters = [leaf for leaf in voters if named[id(leaf)]]
    task_style = Counter(leaf.style for leaf in (named_voters or voters)).most_common(1)[0][0]
    tasks = []
    for leaf in leaves:
        if leaf.style == task_style or named[id(leaf)]:
            tasks.append(leaf)
        elif _family(leaf) in with_items and not NARRATIVE.search(fold(leaf.heading)):
            # A heading with nothing numbered under it, beside headings that hold tasks, is itself a task.
            leaf.heading_task = True
            tasks.append(leaf)
    return tasks


def _family(node: Node) -> int:
    return id(node.parent) if node.parent else 0


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def read_tasks(outline: Outline, plan: ParsedPlan) -> None:
    first_is_lead = bool(units.FIRST_IS_LEAD.search(fold(plan.text)))
    section_of: dict[int, int] = {}
    for node in choose_tasks(outline):
        chain = node.ancestors()[::-1]
        for ancestor in chain:
            if id(ancestor) not in section_of:
                section_of[id(ancestor)] = len(plan.sections)
                parent = ancestor.parent.label if ancestor.parent else None
                plan.sections.append(ParsedSection(ancestor.label, ancestor.heading, ancestor.line.number, parent))
        section = chain[-1] if chain else None
        task = build_task(node, plan, section, section_of.get(id(section)) if section else None)
        if first_is_lead and not task.lead_units and task.responsible_units:
            task.lead_units, task.responsible_units = task.responsible_units[:1], task.responsible_units[1:]
        plan.tasks.append(task)
        if node.heading_task:
            plan.notices.append(Notice(task.line, "heading_as_task", {"number": task.number}))
    for line_number, numeral in outline.out_of_order:
        plan.notices.append(Notice(line_number, "numbering_out_of_order", {"number": numeral}))
    for line in outline.head:
        if units.UNIT_LINE.match(line.folded):
            plan.notices.append(Notice(line.number, "units_without_task"))


def build_task(node: Node, plan: ParsedPlan, section: Node | None, section_index: int | None) -> ParsedTask:
    spans = [span for span in node.spans if span.printed]
    label_lines = [span for span in spans if units.LABEL_LINE.match(span.folded)]
    spans = [span for span in spans if span not in label_lines] or spans
    printed = "\n".join(span.printed for span in spans)
    # A 完成时限 is the task's due date, read apart from the milestones of the text around it.
    due_texts = [
        span.printed[m.start(1) : m.end(1)] for span in spans + label_lines for m in units.DUE.finditer(span.folded)
    ]
    undated = [_without(span, units.DUE) for span in spans]
    task = ParsedTask(
        section=section.label if section else "",
        number=node.number,
        title="",
        body=printed,
        line=node.line.number,
        section_index=section_index,
        end_line=max(span.line.number for span in node.spans) if node.spans else node.line.number,
    )
    task.title = content.title((spans[0].printed, spans[0].folded) if spans else ("", ""), task, plan)
    groups = []
    for span in label_lines:
        groups += units.parse_unit_line(span.folded, span.printed)
    for span in spans:
        groups += units.annotations(span.folded, span.printed)
    found = units.union(groups)
    task.lead_units, task.responsible_units = found["lead"], found["responsible"]
    content.read_deadlines(task, "\n".join(p for p, _ in undated), "\n".join(f for _, f in undated), plan)
    for text in due_texts:
        content.read_due(task, text, plan)
    return task


def _without(span: Span, pattern: re.Pattern) -> tuple[str, str]:
    """A span's printed and folded text with what ``pattern`` matches blanked out, offsets kept."""
    printed, folded = span.printed, span.folded
    for match in pattern.finditer(folded):
        blank = " " * (match.end() - match.start())
        printed = printed[: match.start()] + blank + printed[match.end() :]
        folded = folded[: match.start()] + blank + folded[match.end() :]
    return printed, folded
