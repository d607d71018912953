"""The plan importer's parser: a plan document in, its tasks out. Pure Python: no Django here."""

from tasks.importing.model import DocumentError, Notice, ParsedMilestone, ParsedPlan, ParsedSection, ParsedTask
from tasks.importing.parser import parse_document, parse_text
from tasks.importing.readers import SUFFIXES

__all__ = [
    "SUFFIXES",
    "DocumentError",
    "Notice",
    "ParsedMilestone",
    "ParsedPlan",
    "ParsedSection",
    "ParsedTask",
    "parse_document",
    "parse_text",
]
