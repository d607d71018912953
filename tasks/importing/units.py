"""Who a task names: 牵头单位/责任单位 labels, and unit annotations in brackets.

Units come only from annotations, never from the subjects of sentences ("请财政部…"):
labelled lists (牵头单位：X；配合单位：Y), and brackets such as （X、Y负责）, （X牵头，Y配合）,
（负责部门：X；适用范围：…）. 牵头领导/责任领导 name people and are not units.
"""

import re

LEAD_LABELS = ("牵头单位", "牵头部门", "牵头处室", "牵头机构", "主责单位", "主责部门")
RESPONSIBLE_LABELS = (
    "责任单位",
    "责任部门",
    "责任处室",
    "负责单位",
    "负责部门",
    "承办单位",
    "配合单位",
    "配合部门",
    "配合处室",
    "参与单位",
    "协办单位",
    "协同单位",
)
_LABEL = "|".join(LEAD_LABELS + RESPONSIBLE_LABELS)

DUE_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限要求", "办结时限")
PERSON_LABELS = ("牵头领导", "责任领导", "分管领导", "联系领导", "责任人", "联系人")

# "牵头单位:区国资局" at the start of a line (folded text: colons are half-width).
UNIT_LINE = re.compile(rf"^\s*({_LABEL})\s*:\s*(.*)$")
# Any labelled line that belongs to the task above it: units, its due date, the people in charge.
LABEL_LINE = re.compile(rf"^\s*(?:{'|'.join(LEAD_LABELS + RESPONSIBLE_LABELS + DUE_LABELS + PERSON_LABELS)})\s*:")
DUE = re.compile(rf"(?:{'|'.join(DUE_LABELS)})\s*:\s*([^;:()。]*?)(?=\s*(?:[;。()]|$|[\u4e00-\u9fff]{{2,6}}\s*:))")
# A labelled list inside a line or a bracket, up to the next label of any kind
# ("责任单位:各区属企业 完成时限:2022年底", "负责部门:商务部;适用范围:…").
LABELLED = re.compile(rf"({_LABEL})\s*:\s*((?:[^;:()]|\([^();:]*\))*?)(?=\s*(?:;|$|\)|[\u4e00-\u9fff]{{2,6}}\s*:))")
_MARKED_LEAD = re.compile(r"[(（]\s*牵头\s*[)）]$")
# Words of a sentence, not of a unit's name: a bracket holding them is a note ("（…内由…部门负责）").
_SENTENCE_WORDS = re.compile(r"由|的")
_LEAD_ENDING = re.compile(r"牵头(?:负责|落实)?$")
_TIME = re.compile(r"(?:19|20)\d\d|年底|月底|季度|长期|持续|完成|前$")
_RESPONSIBLE_ENDING = re.compile(r"(?:按职责分工负责|按职责负责|分工负责|负责落实|共同负责|配合|参与|负责)$")
_SPLIT = re.compile(r"[、,;]|(?<=等)和|会同")
# "排在第一位的部门为牵头部门", "列第一位者为牵头单位": the document's own rule for brackets.
FIRST_IS_LEAD = re.compile(r"(?:排在|列|排)第一位[^。]{0,6}为牵头")


def split_names(text: str) -> list[str]:
    """Printed names of a list, split on 、，; 会同 and the 和 after 等; qualifiers (等) kept.

    A bracket inside a name (各省（区、市）人民政府) is part of it.
    """
    names = []
    for part in _outside_brackets(text.replace("，", ",").replace("；", ";")):
        name = part.strip().strip("。. ")
        if name and name not in names:
            names.append(name)
    return names


def _outside_brackets(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for match in re.finditer(rf"[(（)）]|{_SPLIT.pattern}", text):
        char = match[0]
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def role_of_label(label: str) -> str:
    return "lead" if label in LEAD_LABELS else "responsible"


def parse_unit_line(folded: str, printed: str) -> list[tuple[str, list[str]]]:
    """Each role a unit line names, with its names as printed; empty when the line is not one."""
    if not UNIT_LINE.match(folded):
        return []
    return labelled(folded, printed)


def labelled(folded: str, printed: str) -> list[tuple[str, list[str]]]:
    """Each labelled list's role and names; a name marked （牵头） in a list is the lead."""
    found = []
    for match in LABELLED.finditer(folded):
        names = split_names(printed[match.start(2) : match.end(2)])
        marked = [name for name in names if _MARKED_LEAD.search(name)]
        if marked:
            found.append(("lead", [_MARKED_LEAD.sub("", name).strip() for name in marked]))
        found.append((role_of_label(match[1]), [name for name in names if name not in marked]))
    return [(role, names) for role, names in found if names]


def annotations(folded: str, printed: str) -> list[tuple[str, list[str]]]:
    """Every unit annotation in a task's text, in order: (role, names) for each bracket that is one."""
    found = []  # (where, role, names)
    outside = folded
    for offset, end in brackets(folded):
        inner, inner_printed = folded[offset:end], printed[offset:end]
        groups = labelled(inner, inner_printed) if LABELLED.search(inner) else _attribution(inner, inner_printed)
        found += [(offset, role, names) for role, names in groups]
        outside = outside[:offset] + " " * (end - offset) + outside[end:]
    # "…完成。牵头单位：X；责任单位：Y" written into the paragraph, outside any bracket.
    found += [
        (m.start(), role_of_label(m[1]), split_names(printed[m.start(2) : m.end(2)]))
        for m in LABELLED.finditer(outside)
    ]
    return [(role, names) for _where, role, names in sorted(found, key=lambda item: item[0])]


def is_unit_bracket_line(folded: str, printed: str) -> bool:
    """A line that is only a unit annotation: （牵头单位：X；责任单位：Y） under the task it names."""
    return folded.startswith("(") and folded.endswith(")") and bool(annotations(folded, printed))


def brackets(folded: str) -> list[tuple[int, int]]:
    """Where the text of each outermost (…) starts and ends; brackets inside names (省（区、市）) stay in."""
    found, depth, start = [], 0, 0
    for position, char in enumerate(folded):
        if char == "(":
            depth += 1
            if depth == 1:
                start = position + 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and position - start >= 2:
                found.append((start, position))
    return found


def _attribution(folded: str, printed: str) -> list[tuple[str, list[str]]]:
    """（X牵头，Y配合）, （X、Y负责）, （X会同有关部门负责）, （X牵头负责，2026年底前完成）; nothing for a
    bracket that names no role."""
    roles = []
    for piece in re.finditer(r"[^,;]+", folded):
        part = piece[0].strip()
        text = printed[piece.start() : piece.end()].strip()
        if ending := _LEAD_ENDING.search(part):
            roles.append(("lead", split_names(text[: len(text) - len(ending[0])])))
        elif ending := _RESPONSIBLE_ENDING.search(part):
            roles.append(("responsible", split_names(text[: len(text) - len(ending[0])])))
        elif not _TIME.search(part):
            roles.append(("pending", split_names(text)))  # "X、Y，Z负责": a list broken before its role word
        # A date beside the units ("2026年底前完成") is read with the task's text, not as a unit.
    if not roles or roles[-1][0] == "pending":
        return []
    if any(_SENTENCE_WORDS.search(name) for _, names in roles for name in names):
        return []
    resolved, pending = [], []
    for role, names in roles:
        if role == "pending":
            pending += names
        else:
            resolved.append((role, pending + names))
            pending = []
    return [(role, names) for role, names in resolved if names]


def union(groups: list[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """The units of several annotations: each role's names in order of first appearance, once."""
    found: dict[str, list[str]] = {"lead": [], "responsible": []}
    for role, names in groups:
        for name in names:
            if name not in found[role]:
                found[role].append(name)
    return found
