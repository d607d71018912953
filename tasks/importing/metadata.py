"""A plan's title, 文号, issuer, date, period and kind, from its head and signature."""

import datetime
import re

from tasks.importing import dates
from tasks.importing.model import ParsedPlan
from tasks.importing.normalize import fold
from tasks.importing.structure import SIGNATURE_DATE, Line, Outline

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(]\s*(?:19|20)\d\d\s*[〕\])]\s*第?\s*\d{1,4}\s*号")
NOTICE_TITLE = re.compile(r"关于印发\s*《(.+)》\s*的?通知")
TITLE_ENDING = re.compile(
    r"(方案|意见|办法|计划|规划|清单|要点|措施|细则|报告|通知|台账|分工表|任务表|一览表)(\(.*\d{4}.*\))?$"
)
PERIOD_ONLY = re.compile(r"^\(\s*(?:19|20)\d\d.*年\s*\)$")
WEB_CHROME = re.compile(r"^.*?编号\s*\d+\s*[.、]\s*")
GOAL_YEAR = re.compile(r"到\s*((?:19|20)\d\d)\s*年")


def read_metadata(plan: ParsedPlan, outline: Outline, lines: list[Line]) -> None:
    head = outline.head
    plan.doc_number = _doc_number(head)
    plan.title = _title(head)
    plan.issuer, plan.issued_on = _signature(head) or _signature(lines[::-1]) or (None, None)
    plan.kind = _kind(plan, head, [fold(node.heading) for node in outline.roots])
    _period(plan, lines[len(head) :])


def read_table_head(plan: ParsedPlan, rows: list[str]) -> None:
    """The title and 文号 a workbook states in the rows above its header."""
    head = [Line(index, row.strip(), fold(row.strip())) for index, row in enumerate(rows, start=1) if row.strip()]
    plan.doc_number = plan.doc_number or _doc_number(head)
    plan.title = _title(head)
    if plan.title and plan.doc_number and plan.doc_number in plan.title:
        plan.title = plan.title.replace(plan.doc_number, "").strip(" （）()")


def _doc_number(head: list[Line]) -> str | None:
    for line in head:
        match = DOC_NUMBER.search(line.folded)
        if match and "》" not in line.folded[: match.start()]:
            return line.printed[match.start() : match.end()]
    return None


def _title(head: list[Line]) -> str | None:
    for line in head:
        match = NOTICE_TITLE.search(line.folded)
        if match:
            return line.printed[match.start(1) : match.end(1)].strip()
    for index, line in enumerate(head):
        folded = line.folded
        if "。" in folded or "," in folded or folded.endswith("文件") or len(folded) > 80:
            continue
        candidate = folded.split()[-1] if folded.split() else folded
        chrome = WEB_CHROME.match(candidate)
        candidate_start = len(folded) - len(candidate) + (chrome.end() if chrome else 0)
        if TITLE_ENDING.search(folded[candidate_start:]):
            title = _wrapped_start(head, index) + line.printed[candidate_start:].strip()
            notice = NOTICE_TITLE.search(fold(title))
            if notice:  # 关于印发《…方 / 案》的通知: the plan's own title is the one inside
                return title[notice.start(1) : notice.end(1)].strip()
            following = head[index + 1] if index + 1 < len(head) else None
            if following and PERIOD_ONLY.match(following.folded):
                title += following.printed
            return title
    return None


def _wrapped_start(head: list[Line], index: int) -> str:
    """The lines a title began on, where it wraps onto the line that ends it (…关于加快发展 / …的意见)."""
    start = index
    while start > 0 and _title_piece(head[start - 1]) and head[start - 1].number == head[start].number - 1:
        start -= 1
    return "".join(line.printed for line in head[start:index])


def _title_piece(line: Line) -> bool:
    folded = line.folded
    return (
        len(folded) <= 40
        and not re.search(r"[。,;:、]", folded)
        and not folded.endswith("文件")
        and not DOC_NUMBER.search(folded)
        and not TITLE_ENDING.search(folded)
    )


def _signature(lines: list[Line]) -> tuple[str | None, datetime.date] | None:
    """The issuing body and date: a date line and the short name line just above it."""
    ordered = list(lines)
    for index, line in enumerate(ordered):
        match = SIGNATURE_DATE.match(line.folded)
        if not match:
            continue
        try:
            issued = datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        above = _line_above(ordered, index)
        issuer = above.printed if above and _looks_like_issuer(above.folded) else None
        return issuer, issued
    return None


def _line_above(lines: list[Line], index: int) -> Line | None:
    # ``lines`` may run backwards (a search from the end); "above" is by line number.
    neighbours = [line for line in lines if line.number < lines[index].number]
    return max(neighbours, key=lambda line: line.number) if neighbours else None


def _looks_like_issuer(folded: str) -> bool:
    return len(folded) <= 25 and not re.search(r"[。,;:]", folded) and not folded.startswith("(")


def _kind(plan: ParsedPlan, head: list[Line], top_headings: list[str]) -> str:
    headings = " ".join(top_headings)
    title = fold(plan.title or "")
    if "整改" in headings or "整改" in title or "整改清单" in " ".join(line.folded for line in head):
        return "rectification"
    return "reform"


def _period(plan: ParsedPlan, body: list[Line]) -> None:
    span = dates.year_range(fold(plan.title or ""))
    if span:
        plan.period_start, plan.period_end = datetime.date(span[0], 1, 1), datetime.date(span[1], 12, 31)
        return
    for line in body:
        goal = GOAL_YEAR.search(line.folded) if "目标" in line.folded[:12] else None
        if goal:
            plan.period_end = datetime.date(int(goal[1]), 12, 31)
            break
    start_year = plan.issued_on.year if plan.issued_on else _doc_number_year(plan.doc_number)
    if plan.period_end and start_year and start_year <= plan.period_end.year:
        plan.period_start = datetime.date(start_year, 1, 1)


def _doc_number_year(doc_number: str | None) -> int | None:
    match = re.search(r"(?:19|20)\d\d", doc_number or "")
    return int(match.group(0)) if match else None
