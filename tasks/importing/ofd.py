"""OFD (GB/T 33190), the national format for official e-documents: a zip of XML.

OFD.xml names each document's root (Document.xml), which lists its pages in order; a page's
Content.xml places text objects (TextObject: a Boundary box, TextCode runs at X, Y inside it) on
layers, and a page may draw a template page's objects under its own. Text is read page by page
and put in reading order by position (layout.page_lines), since a producer may write the objects
in any order. Seals (Signs/) and annotations are not the document's text and are not read.

A small reader of our own rather than a library: the part of the format plain text needs is this
page of code, and the libraries that read OFD bring a PDF writer and fonts we would not use.
"""

import io
import posixpath
import zipfile
from xml.etree import ElementTree

from tasks.importing.layout import Box, Line, page_lines
from tasks.importing.model import DocumentError

# Each page's XML is small; a file claiming more than this much XML in all is not a plan document.
MAX_XML_BYTES = 200 * 1024 * 1024


def ofd_pages(data: bytes) -> list[list[Line]]:
    """Each page's lines, in order; DocumentError("not_ofd") for a damaged file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_XML_BYTES:
            raise DocumentError("not_ofd")
        reader = _Reader(archive)
        return [page_lines(boxes) for boxes in reader.pages()]
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError):
        raise DocumentError("not_ofd") from None


class _Reader:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {name.lower(): name for name in archive.namelist()}

    def xml(self, path: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.archive.read(self.names[path.lstrip("/").lower()]))

    def pages(self):
        root = self.xml("OFD.xml")
        for doc_root in _all(root, "DocRoot"):
            path = (doc_root.text or "").strip()
            base = posixpath.dirname(path.lstrip("/"))
            document = self.xml(path)
            templates = {
                template.get("ID"): _resolve(base, template.get("BaseLoc", ""))
                for template in _all(document, "TemplatePage")
            }
            for page in _all(document, "Page"):
                location = _resolve(base, page.get("BaseLoc", ""))
                content = self.xml(location)
                boxes = []
                for used in _all(content, "Template"):
                    if used.get("TemplateID") in templates:
                        boxes += _boxes(self.xml(templates[used.get("TemplateID")]))
                yield boxes + _boxes(content)


def _resolve(base: str, location: str) -> str:
    """A location is from the zip's root when it starts with "/", else from the document's folder."""
    location = location.strip()
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.normpath(posixpath.join(base, location))


def _all(element: ElementTree.Element, name: str):
    """Elements of that local name at any depth, whatever the namespace (ofd: is usual, not universal)."""
    return (found for found in element.iter() if found.tag.rsplit("}", 1)[-1] == name)


def _boxes(content: ElementTree.Element) -> list[Box]:
    boxes = []
    for text_object in _all(content, "TextObject"):
        left, top, _width, _height = (float(value) for value in text_object.get("Boundary", "0 0 0 0").split())
        size = float(text_object.get("Size", "3.5"))
        for code in _all(text_object, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x = left + float(code.get("X", "0"))
            baseline = top + float(code.get("Y", str(size)))
            advance = _advance(code.get("DeltaX", ""), len(text), size)
            boxes.append(Box(x, baseline - size, x + advance + size, baseline, text))
    return boxes


def _advance(delta_x: str, characters: int, size: float) -> float:
    """How far a run's last character stands from its first: DeltaX lists the steps, "g n d"
    meaning n steps of d; without it the characters are a font size apart."""
    steps, words = [], delta_x.split()
    index = 0
    while index < len(words):
        if words[index] == "g" and index + 2 < len(words):
            steps += [float(words[index + 2])] * int(words[index + 1])
            index += 3
        else:
            steps.append(float(words[index]))
            index += 1
    steps = steps[: characters - 1]
    return sum(steps) + size * (characters - 1 - len(steps))
