"""From the lines of a plan document to its sections and numbered tasks.

Headings: 一、 (part) → (一) (section) → 1. (task); rectification reports number their
measures 一是…二是… instead, on lines of their own or inside a paragraph. Which parts
hold tasks is read from their headings (工作任务, 整改落实情况, 下一步 …, not 指导思想,
主要目标, 保障措施 …). Matching is done on the folded form of each line; everything
kept is cut from the printed line at the same places.
"""

import re
from dataclasses import dataclass, field

from tasks.importing import content, units
from tasks.importing.model import Notice, ParsedPlan, ParsedSection, ParsedTask
from tasks.importing.normalize import fold, strip_web_damage

_CN = "一二三四五六七八九十"
PART = re.compile(rf"^([{_CN}]{{1,3}})\s*[、.]\s*(\S.*)$")
SECTION = re.compile(rf"^\(\s*([{_CN}]{{1,3}})\s*\)\s*(.*)$")
ITEM = re.compile(r"^(\d{1,3})\s*[.、]\s*(?=\D)(.*)$")
SUB_ITEM = re.compile(r"^(?:\(\s*(\d{1,3})\s*\)|([①-⑳]))\s*(.*)$")
MEASURE = re.compile(rf"(?:^|(?<=[。;]))\s*([{_CN}]{{1,3}})是")

TASK_PARTS = (
    "任务",
    "举措",
    "整改落实",
    "整改情况",
    "整改措施",
    "下一步",
    "重点工作",
    "主要工作",
    "工作安排",
    "工作措施",
    "改革措施",
    "具体措施",
)
OTHER_PARTS = (
    "总体要求",
    "指导思想",
    "基本原则",
    "主要目标",
    "工作目标",
    "总体目标",
    "保障措施",
    "组织保障",
    "组织实施",
    "工作要求",
    "组织领导",
    "组织情况",
    "实施步骤",
    "工作步骤",
    "基本情况",
    "总体思路",
)


def cn_number(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (the numerals of headings)."""
    digits = {char: index + 1 for index, char in enumerate(_CN[:9])}
    if "十" not in numeral:
        return digits.get(numeral, 0)
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
class Part:
    label: str
    title: str
    line: int
    lines: list[Line] = field(default_factory=list)


SIGNATURE_DATE = re.compile(r"^((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def body_lines(lines: list[Line]) -> list[Line]:
    """The lines without the signature that closes a document (issuer, then date)."""
    end = len(lines)
    if end and SIGNATURE_DATE.match(lines[end - 1].folded):
        end -= 1
        if end and len(lines[end - 1].folded) <= 25 and not re.search(r"[。,;:]", lines[end - 1].folded):
            end -= 1
    return lines[:end]


def split_parts(lines: list[Line]) -> tuple[list[Line], list[Part]]:
    """The lines before the first 一、 heading (the head), and the parts that follow."""
    head: list[Line] = []
    parts: list[Part] = []
    for line in body_lines(lines):
        match = PART.match(line.folded)
        if match and len(line.folded) < 40 and "。" not in line.folded[:-1]:
            parts.append(Part(match[1], line.cut(match, 2), line.number))
        elif parts:
            parts[-1].lines.append(line)
        else:
            head.append(line)
    return head, parts


def task_parts(parts: list[Part]) -> list[Part]:
    def folded_title(part):
        return fold(part.title)

    chosen = [p for p in parts if any(w in folded_title(p) for w in TASK_PARTS) and not _is_other(p)]
    if chosen:
        return chosen
    return [p for p in parts if not _is_other(p)]


def _is_other(part: Part) -> bool:
    title = fold(part.title)
    return any(word in title and not any(w in title for w in ("任务", "下一步")) for word in OTHER_PARTS)


@dataclass
class _Draft:
    section: str
    number: str
    line: Line
    section_index: int | None
    paragraphs: list[tuple[Line, int]] = field(default_factory=list)  # line, offset where the text starts
    unit_lines: list[tuple[str, list[str]]] = field(default_factory=list)


class _PartReader:
    """Reads one part into tasks, at the level of numbering the part uses."""

    def __init__(self, part: Part, plan: ParsedPlan):
        self.part, self.plan = part, plan
        self.section = part.label
        self.section_index: int | None = None
        self.drafts: list[_Draft] = []
        self.next_measure = 1
        self.level = self._level()

    def _level(self) -> str | None:
        kinds = {self._kind(line) for line in self.part.lines}
        if "item" in kinds:
            return "item"
        if any(self._measures(line.folded, 0, start=1) for line in self.part.lines):
            return "measure"
        if "sub_item" in kinds:
            return "sub_item"
        if "section" in kinds:
            return "section"
        return None

    @staticmethod
    def _kind(line: Line) -> str:
        if units.UNIT_LINE.match(line.folded):
            return "units"
        if SECTION.match(line.folded):
            return "section"
        if ITEM.match(line.folded):
            return "item"
        if SUB_ITEM.match(line.folded):
            return "sub_item"
        return "text"

    def _measures(self, folded: str, offset: int, *, start: int) -> list[re.Match]:
        """一是/二是 openings in ``folded`` from ``offset`` that continue the count from ``start``."""
        found, expected = [], start
        for match in MEASURE.finditer(folded, offset):
            if cn_number(match[1]) == expected:
                found.append(match)
                expected += 1
        return found

    def read(self) -> list[_Draft]:
        if self.level is None:
            if self.part.lines:
                self.plan.notices.append(Notice(self.part.line, "no_tasks_in_part", {"part": self.part.title}))
            return []
        first = len(self.plan.sections)
        self.plan.sections.append(ParsedSection(self.part.label, self.part.title, self.part.line))
        self.section_index = first
        for line in self.part.lines:
            self._read_line(line)
        if not self.drafts:
            del self.plan.sections[first:]
        return self.drafts

    def _start(self, number: str, line: Line, offset: int) -> None:
        draft = _Draft(self.section, number, line, self.section_index)
        draft.paragraphs.append((line, offset))
        self.drafts.append(draft)

    def _append(self, line: Line, offset: int = 0) -> None:
        if self.drafts and offset < len(line.folded):
            self.drafts[-1].paragraphs.append((line, offset))

    def _read_line(self, line: Line) -> None:
        kind = self._kind(line)
        if kind == "units":
            if self.drafts:
                self.drafts[-1].unit_lines.extend(units.parse_unit_line(line.folded, line.printed))
            else:
                self.plan.notices.append(Notice(line.number, "units_without_task"))
            return
        if kind == "section":
            match = SECTION.match(line.folded)
            label = f"({match[1]})"
            self.plan.sections.append(ParsedSection(label, _heading(line, match), line.number, self.part.label))
            self.section, self.next_measure = label, 1
            self.section_index = len(self.plan.sections) - 1
            if self.level == "section":
                self._start(match[1], line, match.start(2))
            elif self.level == "measure":
                self._read_measures(line, match.start(2), heading=True)
            return
        if kind == "item" and self.level == "item":
            match = ITEM.match(line.folded)
            self._start(match[1], line, match.start(2))
            return
        if kind == "sub_item" and self.level == "sub_item":
            match = SUB_ITEM.match(line.folded)
            self._start(match[1] or match[2], line, match.start(3))
            return
        if self.level == "measure":
            # A measure is one paragraph; a paragraph without one is an introduction or a close.
            self._read_measures(line, 0, heading=False)
            return
        self._append(line)

    def _read_measures(self, line: Line, offset: int, *, heading: bool) -> None:
        openings = self._measures(line.folded, offset, start=self.next_measure)
        if not openings:
            return
        if not heading and openings[0].start(1) > offset + 1:
            self._append_span(line, offset, openings[0].start())
        for index, match in enumerate(openings):
            end = openings[index + 1].start() if index + 1 < len(openings) else len(line.folded)
            self._start(match[1], line, match.end())
            self.drafts[-1].paragraphs[-1] = (line, (match.end(), end))
            self.next_measure += 1

    def _append_span(self, line: Line, start: int, end: int) -> None:
        if self.drafts:
            self.drafts[-1].paragraphs.append((line, (start, end)))


def _heading(line: Line, match: re.Match) -> str:
    text = line.cut(match, 2)
    cut = content.TITLE_END.search(fold(text))
    return (text[: cut.start()] if cut else text).strip()


def _span(line: Line, offset) -> tuple[str, str]:
    start, end = offset if isinstance(offset, tuple) else (offset, len(line.folded))
    return line.printed[start:end].strip(), line.folded[start:end].strip()


def build_task(draft: _Draft, plan: ParsedPlan) -> ParsedTask:
    paragraphs = [_span(line, offset) for line, offset in draft.paragraphs]
    printed = "\n".join(p for p, _ in paragraphs)
    folded = "\n".join(f for _, f in paragraphs)
    task = ParsedTask(
        section=draft.section,
        number=draft.number,
        title="",
        body=printed,
        line=draft.line.number,
        section_index=draft.section_index,
    )
    task.title = content.title(paragraphs[0], task, plan)
    for role, names in draft.unit_lines:
        (task.lead_units if role == "lead" else task.responsible_units).extend(names)
    if not draft.unit_lines:
        attribution = units.parse_attribution(folded, printed)
        if attribution:
            found, _ = attribution
            task.lead_units, task.responsible_units = found["lead"], found["responsible"]
    content.read_deadlines(task, printed, folded, plan)
    return task


def read_tasks(parts: list[Part], plan: ParsedPlan) -> None:
    for part in task_parts(parts):
        for draft in _PartReader(part, plan).read():
            plan.tasks.append(build_task(draft, plan))
