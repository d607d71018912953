"""What a file is, read from its bytes: the name an office gave it is often wrong.

A Word 97 document renamed .docx, a PDF saved as .txt, a photo called .pdf: each is read as what
it is. The kinds are the readers' (readers.READERS); anything else is named for the message.
"""

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Leading bytes of the image formats a phone or a scanner makes.
IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

# Files no reader takes, named so the message can say what the file really is.
FOREIGN_MAGIC = (
    (b"GIF8", "gif"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"MZ", "exe"),
    (b"\x7fELF", "exe"),
)

# The suffix each kind goes by, for a message that names the file's true type.
SUFFIX = {
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "odt": ".odt",
    "ods": ".ods",
    "ofd": ".ofd",
    "rtf": ".rtf",
    "doc": ".doc",
    "xls": ".xls",
    "jpeg": ".jpg",
    "png": ".png",
    "tiff": ".tif",
    "bmp": ".bmp",
    "text": ".txt",
    "html": ".html",
}


def kind_of(data: bytes) -> str:
    """The file's kind from its content: a reader's kind, or a name for one no reader takes."""
    head = data[:16]
    if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    for magic, kind in IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    # A bitmap says its own length; a text that happens to open with "BM" does not.
    if head.startswith(b"BM") and int.from_bytes(data[2:6], "little") == len(data):
        return "bmp"
    # Short magics, such as "MZ", only count in a binary file: a text may open with the same letters.
    if b"\x00" in data[:1024]:
        for magic, kind in FOREIGN_MAGIC:
            if head.startswith(magic):
                return kind
    opening = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if opening.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(name.lower() == "ofd.xml" for name in names):
        return "ofd"
    if mimetype == "application/vnd.oasis.opendocument.text":
        return "odt"
    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def _ole_kind(data: bytes) -> str:
    """Word and Excel 97–2003 and WPS's .wps and .et (the same binary family) by their streams; an
    Office 2007+ file locked by a password is an OLE container holding the encrypted package."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as container:
            streams = {"/".join(path) for path in container.listdir()}
    except OSError:
        return "ole"
    if "EncryptedPackage" in streams:
        return "encrypted_office"
    if "WordDocument" in streams:
        return "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "PowerPoint Document" in streams:
        return "ppt"
    return "ole"
