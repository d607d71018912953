"""Task tables (任务清单, 工作台账, 分工表) from Word, Excel, PDF or text: one row a task.

Every table goes through the one reader here, whatever it came from. Its header is found
by what the cells mean, not by exact words: a cell holding 牵头 is the lead column, one
holding 时限/时间/期限 the due column, the first holding 任务/举措/措施/事项/工作/内容 the
task column, and so on; a header may run over two rows (责任单位 above 牵头单位 | 配合单位).
Columns that name people (责任领导) or a scope (推广范围) are not units. Rows above the
header (the plan's title, its 文号) are returned for the plan's metadata; a row with one
cell below the header is a section heading.
"""

import re
from dataclasses import dataclass

from tasks.importing import content, units
from tasks.importing.model import Notice, ParsedPlan, ParsedSection, ParsedTask
from tasks.importing.normalize import fold

HEADER_SEARCH_ROWS = 10
# In order: a header cell is the first of these it matches.
COLUMN_WORDS = (
    ("ignore", re.compile(r"领导|负责人|联系人|责任人|推广范围|适用范围|备注|说明|指导部门|依据|来源")),
    ("number", re.compile(r"^(?:序号|编号|序|号|任务编号|No\.?)$")),
    ("lead", re.compile(r"牵头")),
    ("responsible", re.compile(r"责任单位|责任部门|责任处室|负责单位|负责部门|配合|参与|协办|承办|责任主体|实施主体")),
    ("due", re.compile(r"时限|时间|期限|节点|完成时|进度安排")),
    ("section", re.compile(r"领域|类别|板块|方面|分类|类型|专项")),
    ("title", re.compile(r"任务|举措|措施|事项|工作|内容|名称|问题|目标|清单")),
)
# The columns whose cells name units, and the role each gives them: a second list of responsible units
# (责任单位 | 配合单位) is responsible too, as the labels say; only 牵头 makes a lead.
UNIT_COLUMNS = (("lead", "lead"), ("responsible", "responsible"), ("supporting", "responsible"))


@dataclass
class Header:
    first: int  # the header's first row
    row: int  # its last row
    columns: dict[str, int]  # field → column; "body" for a second text column
    names: list[str]  # each column's header text


def _classify(cell: str) -> str | None:
    key = "".join(fold(cell).split())
    if not key or len(key) > 16:
        return None
    for name, pattern in COLUMN_WORDS:
        if pattern.search(key):
            return name
    return None


def _columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = _classify(cell)
        if name in (None, "ignore"):
            continue
        if name == "title" and "title" in columns:
            columns.setdefault("body", position)
        elif name == "responsible" and "responsible" in columns:
            columns.setdefault("supporting", position)
        else:
            columns.setdefault(name, position)
    return columns


def _usable(columns: dict[str, int]) -> bool:
    return "title" in columns and any(name in columns for name in ("lead", "responsible", "due", "number"))


def find_header(table: list[list[str]]) -> Header | None:
    """The header of a task table: its row (or two rows) and the column of each field; None if none."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = _columns(row)
        if not _usable(columns):
            continue
        following = table[index + 1] if index + 1 < len(table) else []
        merged = _two_rows(row, following)
        if merged:
            two = _columns(merged)
            if len(two) > len(columns):
                return Header(index, index + 1, two, merged)
        return Header(index, index, columns, list(row))
    return None


def _two_rows(upper: list[str], lower: list[str]) -> list[str] | None:
    """A header over two rows: the lower row names columns where the upper one is merged or general."""
    if not lower or not any(_classify(cell) in ("lead", "responsible", "due") for cell in lower):
        return None
    if any(cell and _classify(cell) is None for cell in lower):
        return None
    merged, carried = [], ""
    for position in range(max(len(upper), len(lower))):
        above = upper[position] if position < len(upper) else ""
        below = lower[position] if position < len(lower) else ""
        carried = above or carried
        merged.append(below or above if below else above or carried)
    return merged


def read_table(table: list[list[str]], plan: ParsedPlan, *, lines: list[int] | None = None) -> list[list[str]] | None:
    """Tasks from a table with a recognisable header, and the rows above it; None where it has no header.

    ``lines`` gives each row's line in the source (rows of a text table); else rows count from 1.
    """
    header = find_header(table)
    if header is None:
        return None
    columns = header.columns
    section = ""
    read_any = False

    def cell(row, name):
        position = columns.get(name)
        return str(row[position]).strip() if position is not None and position < len(row) else ""

    for offset, row in enumerate(table[header.row + 1 :], start=header.row + 1):
        line = lines[offset] if lines else offset + 1
        filled = [str(value).strip() for value in row if str(value).strip()]
        if not filled or [fold(v) for v in filled] == [fold(v) for v in header.names if v]:
            continue
        if len(filled) == 1 and not filled[0].isdecimal():
            section = filled[0]  # a row with one cell: the heading of the rows under it
            plan.sections.append(ParsedSection(section, section, line))
            continue
        if cell(row, "section") and cell(row, "section") != section:
            section = cell(row, "section")
            plan.sections.append(ParsedSection(section, section, line))
        body = "\n".join(text for text in (cell(row, "title"), cell(row, "body")) if text)
        if not body:
            plan.notices.append(Notice(line, "table_row_skipped"))
            continue
        plan.tasks.append(_task(row, body, line, section, plan, cell))
        read_any = True
    if not read_any:
        return None
    return table[: header.first]


def _task(row, body: str, line: int, section: str, plan: ParsedPlan, cell) -> ParsedTask:
    task = ParsedTask(
        section=section,
        number=_number(cell(row, "number")) or str(len(plan.tasks) + 1),
        title="",
        body=body,
        line=line,
        end_line=line,
        section_index=len(plan.sections) - 1 if section else None,
    )
    # A cell's first line is its title where the cell breaks lines (Alt+Enter): "标题\n说明…".
    heading = (cell(row, "title") or body).split("\n")[0]
    task.title = content.title((heading, fold(heading)), task, plan)
    groups = []
    for name, role in UNIT_COLUMNS:
        text = cell(row, name)
        annotated = units.annotations(f"({fold(text)})", f"({text})") if "牵头" in fold(text) else []
        groups += annotated or [(role, units.split_names(text))]
    found = units.union(groups)
    task.lead_units, task.responsible_units = found["lead"], found["responsible"]
    content.read_deadlines(task, body, fold(body), plan)
    due_text = cell(row, "due")
    if due_text:
        content.read_due(task, due_text, plan)
    return task


def _number(text: str) -> str:
    """A 序号 as printed, without its punctuation: "1." → "1", "（三）" → "三"."""
    return re.sub(r"[^\w]", "", fold(text))


def text_tables(lines) -> list[tuple[list[list[str]], list[int]]]:
    """Tables written as text: rows of ``cell | cell``, one cell a line each ending in `` |``, or tabs.

    Each comes with the source line of each of its rows.
    """
    found: list[tuple[list[list[str]], list[int]]] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    pending: list[str] = []
    for line in lines:
        raw = line.printed
        if raw.endswith("|") and "|" not in raw[:-1]:
            pending.append(raw[:-1].strip())  # one cell of a row written a cell a line
            continue
        if pending:
            rows.append([*pending, raw.strip()])
            numbers.append(line.number)
            pending = []
            continue
        separator = "|" if "|" in raw else "\t" if "\t" in raw else None
        if separator:
            rows.append([part.strip() for part in raw.split(separator)])
            numbers.append(line.number)
        elif rows:
            if _is_section_row(line.folded):
                rows.append([raw])
                numbers.append(line.number)
                continue
            found.append((rows, numbers))
            rows, numbers = [], []
    if rows:
        found.append((rows, numbers))
    return [(table, numbers) for table, numbers in found if len(table) >= 2]


def _is_section_row(folded: str) -> bool:
    """A heading between the rows of a text table: short, numbered or not, no sentence."""
    return len(folded) <= 30 and "。" not in folded
