"""The words for what the parser reports: its codes, in the user's language."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tasks.importing import DocumentError, Notice

DOCUMENT_ERRORS = {
    "empty": _("The file is empty."),
    "binary": _(
        "This is not a text document; it looks like a program or a picture. Plans are read from Word "
        "(.docx, .doc, .wps), Excel (.xlsx, .xls, .et), PDF, OFD and text files, and from scans and photos."
    ),
    "unknown_encoding": _(
        "The text's encoding could not be recognised (UTF-8, GB18030/GBK and UTF-16 are read). "
        "Save it as UTF-8 and upload it again."
    ),
    "unsupported_kind": _(
        "This file is %(kind)s, which cannot be imported. Plans are read from Word (.docx, .doc, .wps), "
        "Excel (.xlsx, .xls, .et), PDF, OFD and text files, and from scans and photos (.jpg, .png, .tif)."
    ),
    "office_encrypted": _(
        "This Word or Excel file is protected by a password. Open it, remove the password "
        "(in WPS: 文件 → 文档加密; in Word: 文件 → 信息 → 保护文档), save it and upload it again."
    ),
    "doc_encrypted": _(
        "This Word 97–2003 or WPS document is protected by a password. Open it in WPS or Word, remove the "
        "password, save it as .docx (文件 → 另存为) and upload that."
    ),
    "xls_encrypted": _(
        "This Excel 97–2003 or WPS workbook is protected by a password. Open it in WPS or Excel, remove the "
        "password, save it as .xlsx (文件 → 另存为) and upload that."
    ),
    "converter_missing": _(
        "Files in this format (%(suffix)s) are read with LibreOffice, which is not installed on the server: "
        "the administrator installs it with scripts/system-packages. Meanwhile, save the file as .docx or "
        ".xlsx in WPS or Word (文件 → 另存为) and upload that."
    ),
    "conversion_failed": _(
        "This %(suffix)s file could not be read; it may be damaged, or saved in an old WPS format. Open it in "
        "WPS and save it as .docx (文字) or .xlsx (表格) with 文件 → 另存为, then upload that."
    ),
    "conversion_timeout": _(
        "Reading this %(suffix)s file took longer than %(seconds)s seconds and was stopped. Save it as .docx "
        "or .xlsx in WPS or Word (文件 → 另存为) and upload that."
    ),
    "not_ofd": _(
        "This OFD file is damaged and cannot be read. Open it in an OFD reader (数科阅读器, 福昕OFD版式办公套件) "
        "and save it again, or upload the document as PDF."
    ),
    "not_image": _("This image file is damaged and cannot be read."),
    "scan_no_text": _(
        "No text could be read in this scan or photo. It may not be a document, or be too dark, small or "
        "blurred: scan it again at 300 dpi, or photograph the page straight on in good light."
    ),
    "scan_no_tasks": _(
        "No numbered tasks were found in the text read from this scan (%(pages)s pages; the OCR was "
        "%(confidence)s sure of what it read). Check that this is the plan, or scan it again more clearly "
        "(300 dpi, straight)."
    ),
    "scan_too_long": _(
        "This scan has %(pages)s pages; scans of up to %(limit)s pages are read by OCR. Upload the pages "
        "with the tasks (the 任务分工 appendix, say), or ask the administrator to raise IMPORT_MAX_SCAN_PAGES."
    ),
    "not_docx": _("This .docx file is damaged or is not a Word document."),
    "not_xlsx": _("This .xlsx file is damaged or is not an Excel workbook."),
    "not_pdf": _("This PDF file is damaged and cannot be read."),
    "pdf_encrypted": _("This PDF is protected by a password. Remove the protection and upload it again."),
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
    "named_otherwise": _("The file is named “%(name)s” but is %(kind)s; it was read as what it is."),
    "read_by_ocr": _(
        "The text was read from images by OCR (%(pages)s pages, %(confidence)s sure on average): check the "
        "titles, units and dates against the document."
    ),
}

# What a file is, as the messages name it (tasks/importing/sniff.py's kinds).
KIND_NAMES = {
    "text": _("a text file"),
    "docx": _("a Word document (.docx)"),
    "doc": _("a Word 97–2003 or WPS document (.doc, .wps)"),
    "rtf": _("a rich-text document (.rtf)"),
    "odt": _("an OpenDocument text (.odt)"),
    "xlsx": _("an Excel workbook (.xlsx)"),
    "xls": _("an Excel 97–2003 or WPS workbook (.xls, .et)"),
    "ods": _("an OpenDocument spreadsheet (.ods)"),
    "pdf": _("a PDF document"),
    "ofd": _("an OFD document"),
    "jpeg": _("a JPEG image"),
    "png": _("a PNG image"),
    "tiff": _("a TIFF image"),
    "bmp": _("a bitmap image"),
    "gif": _("a GIF image"),
    "zip": _("a zip archive"),
    "rar": _("a RAR archive"),
    "7z": _("a 7-Zip archive"),
    "gzip": _("a gzip archive"),
    "exe": _("a program"),
    "pptx": _("a PowerPoint presentation"),
    "ppt": _("a PowerPoint presentation"),
    "ole": _("an Office file of a kind that is not read"),
    "encrypted_office": _("a password-protected Office file"),
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
    return _filled(DOCUMENT_ERRORS[error.code], error.params)


def notice_message(notice: Notice) -> str:
    return _filled(NOTICES[notice.code], notice.params)


def _filled(message, params: dict) -> str:
    """The message with its values as a reader reads them: a file's kind by name, a confidence in per cent."""
    if not params:
        return str(message)
    shown = dict(params)
    if "kind" in shown:
        shown["kind"] = str(KIND_NAMES.get(shown["kind"], shown["kind"]))
    if "confidence" in shown:
        shown["confidence"] = f"{round(shown['confidence'] * 100)}%"
    return str(message) % shown


def too_large_message(size: int) -> str:
    return str(DOCUMENT_ERRORS["too_large"]) % {
        "size": filesizeformat(size),
        "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
    }
