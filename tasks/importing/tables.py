"""Task tables (工作台账, 任务清单) in Excel or Word: one row a task, columns found by their header."""

from tasks.importing import content, units
from tasks.importing.model import ParsedPlan, ParsedSection, ParsedTask
from tasks.importing.normalize import fold

COLUMNS = {
    "number": ("序号", "编号"),
    "section": ("改革领域", "任务类别", "类别", "领域", "板块", "整改问题", "问题"),
    "title": (
        "主要任务",
        "工作任务",
        "重点任务",
        "改革任务",
        "整改任务",
        "整改措施",
        "任务名称",
        "任务内容",
        "具体措施",
        "工作内容",
        "主要内容",
        "任务",
    ),
    "lead": ("牵头单位", "牵头部门", "主责单位"),
    "responsible": ("责任单位", "配合单位", "责任部门", "配合部门", "参与单位"),
    "due": ("完成时限", "完成时间", "时间节点", "时限要求", "完成期限", "时限"),
}
HEADER_SEARCH_ROWS = 10


def find_header(table: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row of a task table and the column of each field, or None."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = "".join(fold(cell).split())
            for name, words in COLUMNS.items():
                if name not in columns and any(key == word or key.startswith(word) for word in words):
                    columns[name] = position
                    break
        if "title" in columns and len(columns) >= 2:
            return index, columns
    return None


def read_table(table: list[list[str]], plan: ParsedPlan, *, first_line: int = 1) -> bool:
    """Tasks from a table with a recognisable header; False where there is none."""
    header = find_header(table)
    if header is None:
        return False
    header_row, columns = header
    section = ""

    def cell(row, name):
        position = columns.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    for offset, row in enumerate(table[header_row + 1 :], start=header_row + 1):
        body = cell(row, "title")
        # Merged cells read as empty below their first row: the section carries on.
        if cell(row, "section") and cell(row, "section") != section:
            section = cell(row, "section")
            plan.sections.append(ParsedSection(section, section, first_line + offset))
        if not body or fold(body) == fold(table[header_row][columns["title"]]):
            continue
        task = ParsedTask(
            section=section,
            number=cell(row, "number") or str(len(plan.tasks) + 1),
            title="",
            body=body,
            line=first_line + offset,
            lead_units=units.split_names(cell(row, "lead")),
            responsible_units=units.split_names(cell(row, "responsible")),
            section_index=len(plan.sections) - 1 if section else None,
        )
        task.title = content.title((body, fold(body)), task, plan)
        deadline_text = "\n".join(text for text in (cell(row, "due"), body) if text)
        content.read_deadlines(task, deadline_text, fold(deadline_text), plan)
        plan.tasks.append(task)
    return True
