"""The words for what the parser reports: its codes, in the user's language."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tasks.importing import DocumentError, Notice

DOCUMENT_ERRORS = {
    "empty": _("The file is empty."),
    "binary": _(
        "This is not a text document; it looks like a program or a picture. "
        "Upload the plan as .txt, .docx, .xlsx or .pdf."
    ),
    "unknown_encoding": _(
        "The text's encoding could not be recognised (UTF-8, GB18030/GBK and UTF-16 are read). "
        "Save it as UTF-8 and upload it again."
    ),
    "unsupported_type": _("Files of type “%(suffix)s” cannot be imported: upload .txt, .docx, .xlsx or .pdf."),
    "not_docx": _("This .docx file is damaged or is not a Word document."),
    "not_xlsx": _("This .xlsx file is damaged or is not an Excel workbook."),
    "not_pdf": _("This PDF file is damaged and cannot be read."),
    "pdf_encrypted": _("This PDF is protected by a password. Remove the protection and upload it again."),
    "pdf_needs_ocr": _("This PDF has no text layer (it is probably a scan). It needs OCR before it can be imported."),
    "xlsx_no_header": _(
        "No task table was found in the workbook: a header row needs columns such as "
        "序号, 主要任务, 牵头单位, 责任单位 and 完成时限."
    ),
    "no_tasks": _(
        "No numbered tasks were found. Tasks are numbered 1. 2. … or 一是 二是 … under headings such as 二、重点任务."
    ),
    "too_large": _("The file is %(size)s; files up to %(limit)s can be imported."),
}

NOTICES = {
    "encoding": _("The text was read as %(encoding)s; check that the characters came out right."),
    "no_tasks_in_part": _("The part “%(part)s” has text but no numbered tasks."),
    "units_without_task": _("A line of units stands before any task and was not used."),
    "title_damaged": _("Task %(number)s: the title is cut where the text is damaged; check it."),
    "title_long": _("Task %(number)s: the title is unusually long; check where it should end."),
    "date_unreadable": _("Task %(number)s: the date “%(text)s” cannot be read as a deadline."),
    "task_without_units": _("Task %(number)s names no lead or responsible unit."),
    "no_units_anywhere": _("The document names no units for its tasks: assign them after the import."),
    "numbering_out_of_order": _(
        "“%(number)s” opens a line but does not continue the numbering around it, so it was read as text; "
        "check whether it is a task."
    ),
    "table_row_skipped": _("A row of the task table has no task text and was skipped; check it."),
    "heading_as_task": _(
        "Task %(number)s: a heading with nothing numbered under it was taken as a task; check that it is one."
    ),
    "unknown_unit": _("Task %(number)s: “%(name)s” is not a known unit or group."),
}


MEND_REFUSALS = {
    "lines_overlap": _(
        "Lines %(first)s–%(last)s already belong to task %(number)s: choose lines that no task holds, "
        "or drop that task first."
    ),
    "no_text": _("Lines %(first)s–%(last)s hold no text."),
    "table_rows": _(
        "The tasks were read from a table, a row a task: rows can be merged or dropped, not made from lines or split."
    ),
    "no_range": _("Give the first and last line of the task to make."),
    "no_title": _("Line %(first)s gives the task no title: start the range at the line with the task's heading."),
    "split_outside": _("Task %(number)s can be split at one of its lines %(first)s–%(last)s only."),
    "merge_first": _("Task %(number)s is the first task: there is no task before it to merge into."),
    "no_such_task": _("There is no such task in the preview."),
}


def mend_message(refused) -> str:
    return str(MEND_REFUSALS[refused.code]) % refused.params if refused.params else str(MEND_REFUSALS[refused.code])


def document_error_message(error: DocumentError) -> str:
    return str(DOCUMENT_ERRORS[error.code]) % error.params if error.params else str(DOCUMENT_ERRORS[error.code])


def notice_message(notice: Notice) -> str:
    return str(NOTICES[notice.code]) % notice.params if notice.params else str(NOTICES[notice.code])


def too_large_message(size: int) -> str:
    return str(DOCUMENT_ERRORS["too_large"]) % {
        "size": filesizeformat(size),
        "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
    }
