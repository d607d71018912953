"""Deadlines in plan text: "2021年出台《…》", "2022年6月底前", "2020-2021年", "一季度", "每年"."""

import calendar
import datetime
import re
from dataclasses import dataclass

_YEAR = r"(?:19|20)\d\d"
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

DATE = re.compile(
    rf"(?:(?P<from>{_YEAR})\s*年?\s*[-—–~至到]\s*)?(?P<year>{_YEAR})\s*年"
    r"(?:\s*(?P<month>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>[12]\d|3[01]|0?[1-9])\s*日)?"
    r"|\s*(?P<half>上半年|下半年)"
    r"|\s*第?(?P<quarter>[一二三四1-4])\s*季度"
    r"|\s*(?P<yearend>年底|年末|底))?"
)
# "2027-06-30", "2027/6/30", "2027.6": dates as spreadsheets and forms write them.
NUMERIC_DATE = re.compile(
    rf"(?<!\d)(?P<year>{_YEAR})\s*[-/.]\s*(?P<month>1[0-2]|0?[1-9])(?:\s*[-/.]\s*(?P<day>[12]\d|3[01]|0?[1-9]))?(?!\d)"
)
# "今年年底前", "年底前": the end of the year the plan was issued in.
THIS_YEAR_END = re.compile(r"(?:今年|本年|当年)(?:年底|年末|底)|(?<![年\d])(?:年底|年末)前")
# "力争2至3年", "3年内": spans of years counted from an unstated start.
_N = "[1-9一二两三四五]"
RELATIVE = re.compile(
    rf"(?<![\d年]){_N}\s*(?:至|到|-)\s*{_N}\s*年(?:内|左右|时间)?|(?<![\d年]){_N}\s*年(?:内|左右|时间)"
)
YEARLY = re.compile(r"每年|每一年|年度计划|逐年")
ONGOING = re.compile(r"长期坚持|持续推进|常态化|长效")

# A date is a deadline where it opens a clause, or follows one of these words.
_CLAUSE_OPENERS = set("。;,:、()[]\n!?》") | {"", " "}  # 》: "落实《…》2024年底前…" opens one too
_LEAD_WORDS = (
    "确保",
    "力争",
    "争取",
    "计划",
    "预计",
    "截至",
    "截止",
    "到",
    "于",
    "在",
    "至",
    "自",
    "从",
    "将",
    "要",
    "并",
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    due: datetime.date
    precision: str = "day"


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _due(match: re.Match) -> tuple[datetime.date, str] | None:
    """The last day a date phrase allows, and how precisely it names it; None where it names no day."""
    year = int(match["year"])
    if match["from"] and int(match["from"]) > year:
        return None
    if match["month"]:
        month = int(match["month"])
        if match["day"]:
            try:
                return datetime.date(year, month, int(match["day"])), "day"
            except ValueError:
                return None
        return _month_end(year, month), "month"
    if match["half"] == "上半年":
        return datetime.date(year, 6, 30), "half"
    if match["half"]:
        return datetime.date(year, 12, 31), "half"
    if match["quarter"]:
        return _month_end(year, _CN_QUARTER[match["quarter"]] * 3), "quarter"
    return datetime.date(year, 12, 31), "year"


def _numeric_due(match: re.Match) -> tuple[datetime.date, str] | None:
    year, month = int(match["year"]), int(match["month"])
    if not match["day"]:
        return _month_end(year, month), "month"
    try:
        return datetime.date(year, month, int(match["day"])), "day"
    except ValueError:
        return None


def _enclosed(text: str, position: int) -> bool:
    """Inside 《title》, 〔document number〕 or 【】: a year there is not a deadline."""
    for opening, closing in (("《", "》"), ("〔", "〕"), ("【", "】"), ("<", ">")):
        left = text.rfind(opening, 0, position)
        if left != -1 and text.rfind(closing, left, position) == -1:
            return True
    return False


# "从2019年起", "自2019年开始", "2020年起": when something starts, not when it is due.
_STARTS = re.compile(r"\s*(?:起|开始|以来|始)")


def _starts(text: str, end: int) -> bool:
    return bool(_STARTS.match(text, end))


def _opens_clause(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    if not before or before[-1] in _CLAUSE_OPENERS:
        return True
    return before.endswith(_LEAD_WORDS)


def find_deadlines(folded: str, *, issued_year: int | None = None) -> tuple[list[FoundDate], list[str]]:
    """Deadlines in a folded text, in order, and the date phrases that could not be read."""
    found: list[FoundDate] = []
    unreadable: list[str] = []
    for match in DATE.finditer(folded):
        if _enclosed(folded, match.start()) or not _opens_clause(folded, match.start()) or _starts(folded, match.end()):
            continue
        due = _due(match)
        if due is None:
            unreadable.append(match.group(0))
        else:
            found.append(FoundDate(match.start(), match.end(), *due))
    for match in NUMERIC_DATE.finditer(folded):
        if _enclosed(folded, match.start()) or _starts(folded, match.end()):
            continue
        due = _numeric_due(match)
        if due:
            found.append(FoundDate(match.start(), match.end(), *due))
        else:
            unreadable.append(match.group(0))
    for match in THIS_YEAR_END.finditer(folded):
        if _enclosed(folded, match.start()) or not _opens_clause(folded, match.start()):
            continue
        if issued_year:
            found.append(FoundDate(match.start(), match.end(), datetime.date(issued_year, 12, 31), "year"))
        else:
            unreadable.append(match.group(0))
    unreadable.extend(m.group(0).strip() for m in RELATIVE.finditer(folded) if not _enclosed(folded, m.start()))
    found.sort(key=lambda item: item.start)
    return found, unreadable


def is_yearly(folded: str) -> bool:
    return any(not _enclosed(folded, m.start()) for m in YEARLY.finditer(folded))


def is_ongoing(folded: str) -> bool:
    return bool(ONGOING.search(folded))


def year_range(folded: str) -> tuple[int, int] | None:
    """The period a title names: "(2020年—2022年)", "2023—2025年"."""
    match = re.search(rf"({_YEAR})\s*年?\s*[-—–~至到]\s*({_YEAR})\s*年", folded)
    if match and int(match[1]) <= int(match[2]):
        return int(match[1]), int(match[2])
    return None
