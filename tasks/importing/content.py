"""What a task's text says: its title, its dated milestones and the documents they deliver."""

import re

from tasks.importing import dates
from tasks.importing.model import Notice, ParsedMilestone, ParsedPlan, ParsedTask
from tasks.importing.normalize import fold

# Where a title is cut: the end of the first sentence, or damaged text (a garbled 。).
TITLE_END = re.compile(r"。|\?\?|？？|\ufffd|!")
TITLE_COLON_WITHIN = 30
DAMAGE = re.compile(r"\?\?|？？|\ufffd")
DELIVERING_VERBS = ("出台", "制定", "制订", "印发", "修订", "修改", "起草", "编制", "发布", "拟定", "拟订", "颁布")
FOLLOWING_VERBS = ("落实", "按照", "贯彻", "执行", "依据", "根据", "对照", "参照", "遵照", "依照", "学习", "宣传", "按")


def title(paragraph: tuple[str, str], task: ParsedTask, plan: ParsedPlan) -> str:
    printed, folded = paragraph
    cut = TITLE_END.search(folded)
    # "1.加强党的建设:坚持…" — a heading set off by a colon, where one comes early.
    colon = folded.find(":", 0, TITLE_COLON_WITHIN)
    if colon > 0 and (cut is None or colon < cut.start()):
        cut = re.compile(":").search(folded, colon)
    if cut and DAMAGE.match(folded, cut.start()):
        plan.notices.append(Notice(task.line, "title_damaged", {"number": task.number}))
    title = printed[: cut.start()] if cut else printed
    title = title.strip().rstrip(":：,，;； ")
    if len(title) > 80:
        plan.notices.append(Notice(task.line, "title_long", {"number": task.number}))
    return title


def read_deadlines(task: ParsedTask, printed: str, folded: str, plan: ParsedPlan) -> None:
    issued_year = plan.issued_on.year if plan.issued_on else None
    for sentence in re.finditer(r"[^。\n]+", folded):
        start, end = sentence.span()
        found, unreadable = dates.find_deadlines(folded[start:end], issued_year=issued_year)
        for phrase in unreadable:
            plan.notices.append(Notice(task.line, "date_unreadable", {"number": task.number, "text": phrase}))
        for index, date in enumerate(found):
            seg_end = start + (found[index + 1].start if index + 1 < len(found) else end - start)
            seg_start = start + date.start
            task.milestones.append(_milestone(printed, folded, seg_start, seg_end, date, task.line))
        if not found:
            deliverables = _deliverables(printed[start:end], folded[start:end])
            if deliverables:
                task.milestones.append(ParsedMilestone(None, _clause(printed[start:end]), deliverables, task.line))
    dated = [m for m in task.milestones if m.due]
    task.recurrence = "yearly" if dates.is_yearly(folded) else None
    task.ongoing = dates.is_ongoing(folded)
    if dated:
        last = max(dated, key=lambda milestone: milestone.due)
        task.due, task.due_precision = last.due, last.precision
    elif plan.period_end:
        task.due, task.due_inherited = plan.period_end, True


def read_due(task: ParsedTask, text: str, plan: ParsedPlan) -> None:
    """A 完成时限 the document gives the task itself: its due date, not one more milestone."""
    found, _ = dates.find_deadlines(fold(text), issued_year=plan.issued_on.year if plan.issued_on else None)
    if found:
        last = max(found, key=lambda date: date.due)
        task.due, task.due_precision, task.due_inherited = last.due, last.precision, False
    elif not dates.is_ongoing(fold(text)) and not dates.is_yearly(fold(text)):
        plan.notices.append(Notice(task.line, "date_unreadable", {"number": task.number, "text": text}))


def _clause(text: str) -> str:
    return text.strip().strip(",，;；:： ")


def _milestone(printed, folded, start, end, date: dates.FoundDate, line) -> ParsedMilestone:
    clause = _clause(printed[start:end])
    return ParsedMilestone(date.due, clause, _deliverables(printed[start:end], folded[start:end]), line, date.precision)


def _deliverables(printed: str, folded: str) -> list[str]:
    """Documents a clause says will be issued (出台《…》), not those it says to follow (落实《…》)."""
    found, delivering, last_end = [], False, None
    for match in re.finditer(r"《([^《》]+)》", folded):
        between = folded[last_end : match.start()] if last_end is not None else None
        if between is None or between.strip("、,和及与 "):
            clause = re.split(r"[,;:。]", folded[: match.start()])[-1]
            delivering = _nearest_verb_delivers(clause)
        if delivering:
            found.append(printed[match.start(1) : match.end(1)])
        last_end = match.end()
    return found


def _nearest_verb_delivers(clause: str) -> bool:
    best, delivers = -1, False
    for verbs, meaning in ((DELIVERING_VERBS, True), (FOLLOWING_VERBS, False)):
        for verb in verbs:
            position = clause.rfind(verb)
            if position > best or (position == best and position != -1 and not meaning):
                best, delivers = position, meaning
    return delivers
