"""What the parser finds in a plan document: plain data, no Django."""

import datetime
from dataclasses import asdict, dataclass, field


class DocumentError(Exception):
    """A document that cannot be read at all. ``code`` says why; ``params`` fill the message."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class Notice:
    """Something the parser could not settle and a person should check, at a line of the source."""

    line: int
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class ParsedMilestone:
    due: datetime.date | None
    text: str
    deliverables: list[str] = field(default_factory=list)
    line: int = 0
    precision: str = "day"  # what the text names: "year", "half", "quarter", "month" or "day"


@dataclass
class ParsedTask:
    section: str  # the printed label of the heading the task stands under: "(三)", "三"
    number: str  # as printed: "8", "一"
    title: str
    body: str
    line: int
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    milestones: list[ParsedMilestone] = field(default_factory=list)
    due: datetime.date | None = None
    due_inherited: bool = False
    due_precision: str = "day"
    recurrence: str | None = None
    ongoing: bool = False
    section_index: int | None = None  # which of the plan's sections, by position
    end_line: int = 0  # the last source line the task stands on (0: only its first)


@dataclass
class ParsedSection:
    label: str  # "(三)" or "三"
    title: str
    line: int
    parent: str | None = None


@dataclass
class ParsedPlan:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued_on: datetime.date | None = None
    kind: str = "reform"
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    text: str = ""
    from_table: bool = False  # tasks read from a Word or Excel table: their lines are its rows, not the text's
    # Text read by OCR or a converter is kept with the plan: reading the file again would take that long again.
    text_kept: bool = False

    def as_dict(self) -> dict:
        """A JSON-ready form: dates as ISO strings."""

        def convert(value):
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {key: convert(item) for key, item in value.items()}
            if isinstance(value, list):
                return [convert(item) for item in value]
            return value

        return convert(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedPlan":
        """The inverse of ``as_dict``: a plan stored as JSON, back as dataclasses."""

        def day(value):
            return datetime.date.fromisoformat(value) if value else None

        tasks = [
            ParsedTask(
                **{
                    **task,
                    "due": day(task["due"]),
                    "milestones": [ParsedMilestone(**{**m, "due": day(m["due"])}) for m in task["milestones"]],
                }
            )
            for task in data["tasks"]
        ]
        return cls(
            **{
                **data,
                "issued_on": day(data["issued_on"]),
                "period_start": day(data["period_start"]),
                "period_end": day(data["period_end"]),
                "sections": [ParsedSection(**section) for section in data["sections"]],
                "tasks": tasks,
                "notices": [Notice(**notice) for notice in data["notices"]],
            }
        )
