"""Who a task names: 牵头单位/责任单位/配合单位 lines, and attributions in parentheses."""

import re

LEAD_LABELS = ("牵头单位", "牵头部门", "牵头处室", "主责单位", "主责部门")
RESPONSIBLE_LABELS = (
    "责任单位",
    "责任部门",
    "责任处室",
    "配合单位",
    "配合部门",
    "配合处室",
    "参与单位",
    "协办单位",
    "协同单位",
)
_LABEL = "|".join(LEAD_LABELS + RESPONSIBLE_LABELS)

# "牵头单位:区国资局" at the start of a line (folded text: colons are half-width).
UNIT_LINE = re.compile(rf"^\s*({_LABEL})\s*:\s*(.*)$")
# Any labelled list inside a line or a parenthesis, up to the next label of any kind
# ("责任单位:各区属企业 完成时限:2022年底").
LABELLED = re.compile(rf"({_LABEL})\s*:\s*([^;:()]*?)(?=\s*(?:;|$|[\u4e00-\u9fff]{{2,6}}\s*:))")
# "(牵头单位:市国资委;责任单位:…)" or "(市国资委牵头,各市属企业按职责分工负责)" closing a task.
ATTRIBUTION = re.compile(r"\(([^()]*(?:牵头|负责|配合)[^()]*)\)\s*[。.;]?\s*$")
_RESPONSIBLE_SUFFIX = re.compile(r"(?:按职责分工负责|按职责负责|分工负责|配合|参与|负责落实|负责)$")
_SPLIT = re.compile(r"[、,，;；]|及")


def split_names(text: str) -> list[str]:
    """Printed names of a list, split on 、，; and 及, without a closing 等."""
    names = []
    for part in _SPLIT.split(text):
        name = part.strip().strip("。.").removesuffix("等").strip()
        if name:
            names.append(name)
    return names


def role_of_label(label: str) -> str:
    return "lead" if label in LEAD_LABELS else "responsible"


def parse_unit_line(folded: str, printed: str) -> list[tuple[str, list[str]]]:
    """Each role a unit line names, with its names as printed; empty when the line is not one."""
    if not UNIT_LINE.match(folded):
        return []
    return [(role_of_label(m[1]), split_names(printed[m.start(2) : m.end(2)])) for m in LABELLED.finditer(folded)]


def parse_attribution(folded: str, printed: str) -> tuple[dict[str, list[str]], int] | None:
    """Units named in a closing parenthesis, and where that parenthesis starts; None if none."""
    match = ATTRIBUTION.search(folded)
    if not match:
        return None
    inner_folded, start = match[1], match.start(1)
    inner_printed = printed[start : start + len(inner_folded)]
    found: dict[str, list[str]] = {"lead": [], "responsible": []}
    labelled = list(LABELLED.finditer(inner_folded))
    if labelled:
        for item in labelled:
            found[role_of_label(item[1])] += split_names(inner_printed[item.start(2) : item.end(2)])
        return found, match.start()
    for part_match in re.finditer(r"[^,;]+", inner_folded):
        part = part_match.group(0).strip()
        piece = inner_printed[part_match.start() : part_match.end()].strip()
        if part.endswith("牵头"):
            found["lead"] += split_names(piece[: -len("牵头")])
        elif suffix := _RESPONSIBLE_SUFFIX.search(part):
            found["responsible"] += split_names(piece[: len(piece) - len(suffix.group(0))])
    if not found["lead"] and not found["responsible"]:
        return None
    return found, match.start()
