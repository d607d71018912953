"""Text in, a parsed plan out."""

from tasks.importing import tables
from tasks.importing.metadata import read_metadata, read_table_head
from tasks.importing.model import DocumentError, Notice, ParsedPlan
from tasks.importing.readers import damaged_as_named, named_otherwise, read_document
from tasks.importing.structure import read_outline, read_tasks, to_lines


def parse_document(data: bytes, filename: str, *, kind: str | None = None, progress=None) -> ParsedPlan:
    """Every numbered task of a plan document (readers.py: any format it reads), with metadata and
    notices. ``progress(done, total)`` hears of each page a slow reading (OCR) has done."""
    document = read_document(data, filename, progress=progress)
    plan = _parse(document.text, document.tables, kind=kind)
    plan.text_kept = document.costly
    if document.encoding and document.encoding not in ("utf-8", "utf-8-sig"):
        # Never a silent guess: the reader says which encoding it read the text in.
        plan.notices.insert(0, Notice(1, "encoding", {"encoding": document.encoding.upper()}))
    if named_otherwise(filename, document.kind):
        plan.notices.insert(0, Notice(1, "named_otherwise", {"name": filename, "kind": document.kind}))
    if document.confidence is not None:
        plan.notices.insert(0, Notice(1, "read_by_ocr", {"pages": document.pages, "confidence": document.confidence}))
    if not plan.tasks:
        if document.confidence is not None:
            raise DocumentError("scan_no_tasks", pages=document.pages, confidence=document.confidence)
        if document.kind in ("xlsx", "xls") and not any(tables.find_header(t) for t in document.tables):
            raise DocumentError("xlsx_no_header")
        if document.kind == "text" and (damaged := damaged_as_named(filename)):
            # Named .docx (say) and holding only text without tasks: most likely a damaged file.
            raise damaged
        raise DocumentError("no_tasks")
    return plan


def parse_text(text: str, *, kind: str | None = None) -> ParsedPlan:
    """Every numbered task of a plan document's text."""
    plan = _parse(text, [], kind=kind)
    if not plan.tasks:
        raise DocumentError("no_tasks")
    return plan


def _parse(text: str, task_tables: list[list[list[str]]], *, kind: str | None) -> ParsedPlan:
    lines = to_lines(text)
    if not lines and not any(task_tables):
        raise DocumentError("empty")
    plan = ParsedPlan(text=text)
    outline = read_outline(lines)
    read_metadata(plan, outline, lines)
    if kind:
        plan.kind = kind
    if not _read_tables(plan, task_tables, lines):
        read_tasks(outline, plan)
    _check_units(plan)
    return plan


def _read_tables(plan: ParsedPlan, task_tables: list[list[list[str]]], lines) -> bool:
    """A task table, where there is one, is the list of tasks; otherwise the numbered text is.

    A table written in the text counts only where it names units or deadlines: a text's
    appendix of figures is not its task list.
    """
    candidates = [(table, None) for table in task_tables]
    candidates += [
        (rows, numbers)
        for rows, numbers in tables.text_tables(lines)
        if (header := tables.find_header(rows)) and {"lead", "responsible", "due"} & set(header.columns)
    ]
    read = False
    for table, numbers in candidates:
        above = tables.read_table(table, plan, lines=numbers)
        if above is None:
            continue
        read = True
        plan.from_table = plan.from_table or numbers is None
        if above and not plan.title:
            read_table_head(plan, [" ".join(cell for cell in row if cell) for row in above])
    return read


def _check_units(plan: ParsedPlan) -> None:
    if not plan.tasks:
        return
    if not any(task.lead_units or task.responsible_units for task in plan.tasks):
        plan.notices.append(Notice(plan.tasks[0].line, "no_units_anywhere"))
        return
    for task in plan.tasks:
        if not task.lead_units and not task.responsible_units:
            plan.notices.append(Notice(task.line, "task_without_units", {"number": task.number}))
