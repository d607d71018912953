"""Evidence files: their kind told by their content, not their name."""

import zipfile
from pathlib import PurePath

# Kinds accepted, by what the first bytes (and, for zip-based formats, the contents) show.
PDF, WORD, EXCEL, IMAGE, OFD, OFFICE = "pdf", "word", "excel", "image", "ofd", "office"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .xls
_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


# The names each kind may carry: a file must be what its name says (OWASP ASVS V5).
EXTENSIONS = {
    PDF: {".pdf"},
    WORD: {".docx"},
    EXCEL: {".xlsx"},
    IMAGE: {".png", ".jpg", ".jpeg", ".gif"},
    OFD: {".ofd"},
    OFFICE: {".doc", ".xls", ".wps", ".et"},  # WPS Office writes the same compound files
}


def sniff(head: bytes, stream) -> tuple[str, str] | None:
    """(kind, content type) of a file from its content, or None when it is none of the accepted kinds."""
    if head.startswith(b"%PDF-"):
        return PDF, "application/pdf"
    for magic, content_type in _IMAGES.items():
        if head.startswith(magic):
            return IMAGE, content_type
    if head.startswith(_OLE):
        return OFFICE, "application/octet-stream"  # .doc or .xls: the compound file does not say which cheaply
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    return None


def _zip_kind(stream) -> tuple[str, str] | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        stream.seek(0)
    if any(name.startswith("word/") for name in names):
        return WORD, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return EXCEL, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "OFD.xml" in names:
        return OFD, "application/ofd"
    return None


def safe_name(name: str) -> str:
    """The name a user gave a file, without any folder part, for display and download only."""
    base = PurePath(name.replace("\\", "/")).name.strip().lstrip(".")
    return base[:255] or "file"
